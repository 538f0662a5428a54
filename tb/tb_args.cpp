// Testbench command-line parsing (see tb_args.h).
#include "tb/tb_args.h"

#include <fmt/format.h>

#include "common/error.h"
#include "common/text.h"

namespace fusegen {

cxxopts::ParseResult parse_tb_args(cxxopts::Options& o, int argc, const char* const* argv) {
  cxxopts::ParseResult r = o.parse(argc, argv);
  if (!r.unmatched().empty())
    throw Error(fmt::format("unexpected argument '{}'", r.unmatched().front()));
  return r;
}

std::vector<uint64_t> parse_seed_list(const std::string& option, const std::string& s) {
  auto num = [&](const std::string& v) -> uint64_t {
    if (v.empty() || v.size() > 19 || v.find_first_not_of("0123456789") != std::string::npos)
      throw Error(fmt::format("--{} '{}' is not allowed: use seeds A, A-B or A,B,C",
                                       option, s));
    return std::stoull(v);
  };
  std::vector<uint64_t> out;
  if (s.empty()) return out;  // --sim-seeds "" (the default): zero initial state
  for (const auto& part : split_nonempty_list("--" + option, s)) {
    const size_t dash = part.find('-');
    if (dash == std::string::npos) {
      out.push_back(num(part));
    } else {
      for (uint64_t v = num(part.substr(0, dash)); v <= num(part.substr(dash + 1)); ++v)
        out.push_back(v);
    }
  }
  return out;
}

}  // namespace fusegen
