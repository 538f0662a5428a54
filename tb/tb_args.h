// Command-line parsing shared by the testbench programs (the Verilated null-cache testbench,
// nc_regress, array_regress): cxxopts like the fusegen commands, and a stray argument is an
// error instead of being ignored.
#pragma once

#include <cxxopts.hpp>

namespace fusegen {

// Parses argv with o. Throws fusegen::Error naming a stray argument; unknown options and
// malformed values throw cxxopts exceptions naming them.
cxxopts::ParseResult parse_tb_args(cxxopts::Options& o, int argc, const char* const* argv);

}  // namespace fusegen
