// Testbench command-line parsing (see tb_args.h).
#include "tb/tb_args.h"

#include <fmt/format.h>

#include "common/error.h"

namespace fusegen {

cxxopts::ParseResult parse_tb_args(cxxopts::Options& o, int argc, const char* const* argv) {
  cxxopts::ParseResult r = o.parse(argc, argv);
  if (!r.unmatched().empty())
    throw Error(fmt::format("unexpected argument '{}'", r.unmatched().front()));
  return r;
}

}  // namespace fusegen
