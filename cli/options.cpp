// Option validation helpers for the subcommands.
#include "cli/options.h"

#include <algorithm>
#include <cstdlib>
#include <regex>

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

void add_flow_options(cxxopts::Options& opts, const std::string& kind) {
  opts.add_options("flows")
    ("liberty", fmt::format("Liberty library of the ASIC flow (default {})", kDefaultLiberty),
     cxxopts::value<std::string>())
    ("clock-period", fmt::format("clock period of the ASIC flow in ns, {}-{} (default {:.1f})",
                                 kMinClockPeriodNs, kMaxClockPeriodNs,
                                 default_clock_period_ns(kind)),
     cxxopts::value<std::string>());
}

FlowOptions read_flow_options(const cxxopts::ParseResult& r) {
  double period = 0;
  if (r.count("clock-period")) {
    const std::string v = r["clock-period"].as<std::string>();
    char* end = nullptr;
    period = std::strtod(v.c_str(), &end);
    if (v.empty() || end != v.c_str() + v.size() || !(period >= kMinClockPeriodNs) ||
        !(period <= kMaxClockPeriodNs))
      throw Error(fmt::format("--clock-period '{}' is not a period in ns: allowed {}..{}", v,
                              kMinClockPeriodNs, kMaxClockPeriodNs));
  }
  std::string liberty;
  if (r.count("liberty")) {
    liberty = r["liberty"].as<std::string>();
    if (liberty.empty()) throw Error("--liberty is empty: give a Liberty (.lib) file");
  }
  return resolve_flow_options(liberty, period);
}

namespace {

// The error for a value cxxopts could not parse (`bad`, as the exception names it): which option
// it was given to, found in argv, and what that option allows, from its help.
Error unparsable_value(const cxxopts::Options& opts, int argc, char** argv,
                       const std::string& bad) {
  std::string option;
  for (int i = 1; i < argc && option.empty(); ++i) {
    std::string a = argv[i];
    if (a.size() < 2 || a[0] != '-') continue;
    a = a.substr(a[1] == '-' ? 2 : 1);  // "name" or "name=value"
    const size_t eq = a.find('=');
    if (eq != std::string::npos ? a.substr(eq + 1) == bad : i + 1 < argc && argv[i + 1] == bad)
      option = a.substr(0, eq);
  }
  for (const auto& group : opts.groups())
    for (const auto& o : opts.group_help(group).options) {
      const bool match = o.s == option || std::find(o.l.begin(), o.l.end(), option) != o.l.end();
      if (!match || o.l.empty()) continue;
      const std::string name = o.l.front();
      if (o.is_boolean)
        return Error(fmt::format("--{} takes no value (got '{}')", name, bad));
      std::smatch range;
      if (std::regex_search(o.desc, range, std::regex("(-?[0-9]+)\\.\\.(-?[0-9]+)")))
        return Error(fmt::format("--{} '{}' is not an integer: allowed {}..{}", name, bad,
                                 range[1].str(), range[2].str()));
      const bool negative = bad.size() > 1 && bad[0] == '-' &&
                            bad.find_first_not_of("0123456789", 1) == std::string::npos;
      return Error(fmt::format("--{} '{}' is not {}: {}", name, bad,
                               negative ? "a non-negative integer" : "an integer", o.desc));
    }
  return Error(fmt::format("value '{}' is not a valid number for its option", bad));
}

}  // namespace

bool parse_or_help(cxxopts::Options& opts, int argc, char** argv, cxxopts::ParseResult& out) {
  opts.add_options("")("h,help", "print this help");
  try {
    out = opts.parse(argc, argv);
  } catch (const cxxopts::exceptions::incorrect_argument_type& e) {
    static const std::regex kArgument("Argument (?:'|\u2018)(.*)(?:'|\u2019) failed to parse");
    std::smatch m;
    const std::string what = e.what();
    if (!std::regex_search(what, m, kArgument)) throw;
    throw unparsable_value(opts, argc, argv, m[1].str());
  }
  if (out.count("help")) {
    fmt::print("{}\n", opts.help());
    return false;
  }
  if (!out.unmatched().empty())
    throw Error(fmt::format("unexpected argument '{}'", out.unmatched().front()));
  return true;
}

}  // namespace fusegen::cli
