// Command-line parsing shared by the testbench programs (the Verilated null-cache testbench,
// nc_regress, array_regress, accel_regress): cxxopts like the fusegen commands, and a stray argument is an
// error instead of being ignored.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <cxxopts.hpp>

namespace fusegen {

// Parses argv with o. Throws fusegen::Error naming a stray argument; unknown options and
// malformed values throw cxxopts exceptions naming them.
cxxopts::ParseResult parse_tb_args(cxxopts::Options& o, int argc, const char* const* argv);

// A seed list, the value of --option: "A", "A-B" or "A,B,C" (mixed); "" gives no seeds.
// Throws fusegen::Error naming the option if malformed.
std::vector<uint64_t> parse_seed_list(const std::string& option, const std::string& s);

}  // namespace fusegen
