// Option validation helpers for the subcommands.
#include "cli/options.h"

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"

namespace fusegen::cli {

std::pair<int, int> parse_array_size(const std::string& option, const std::string& value, int lo,
                                     int hi) {
  auto bad = [&] {
    return Error(fmt::format("--{} '{}' is not an array size: expected RxC with R and C in {}..{} "
                             "(e.g. 64x64)", option, value, lo, hi));
  };
  size_t x = value.find_first_of("xX");
  if (x == std::string::npos || x == 0 || x + 1 >= value.size()) throw bad();
  auto num = [&](const std::string& s) {
    if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) throw bad();
    return std::stoi(s);
  };
  int r = num(value.substr(0, x));
  int c = num(value.substr(x + 1));
  if (r < lo || r > hi || c < lo || c > hi) throw bad();
  return {r, c};
}

int64_t check_range(const std::string& option, int64_t value, int64_t lo, int64_t hi) {
  if (value < lo || value > hi)
    throw Error(fmt::format("--{} {} is out of range: allowed {}..{}", option, value, lo, hi));
  return value;
}

const std::string& check_choice(const std::string& option, const std::string& value,
                                std::initializer_list<const char*> allowed) {
  std::string list;
  for (const char* a : allowed) {
    if (value == a) return value;
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  throw Error(fmt::format("--{} '{}' is not allowed: choose one of {}", option, value, list));
}

void require(const cxxopts::ParseResult& r, const std::string& option) {
  if (!r.count(option)) throw Error(fmt::format("missing required option --{}", option));
}

bool parse_or_help(cxxopts::Options& opts, int argc, char** argv, cxxopts::ParseResult& out) {
  opts.add_options("")("h,help", "print this help");
  out = opts.parse(argc, argv);
  if (out.count("help")) {
    fmt::print("{}\n", opts.help());
    return false;
  }
  if (!out.unmatched().empty())
    throw Error(fmt::format("unexpected argument '{}'", out.unmatched().front()));
  return true;
}

}  // namespace fusegen::cli
