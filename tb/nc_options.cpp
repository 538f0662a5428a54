// The null-cache configuration options (see nc_options.h).
#include "tb/nc_options.h"

#include <fmt/format.h>

#include "common/error.h"

namespace fusegen {

namespace {

// Integer value of an option given as text; names the option and what it allows when it is not
// a number.
int int_option(const cxxopts::ParseResult& r, const char* name, const std::string& allowed) {
  const std::string v = r[name].as<std::string>();
  const size_t digits = v.rfind('-', 0) == 0 ? 1 : 0;
  if (v.size() <= digits || v.size() > digits + 9 ||
      v.find_first_not_of("0123456789", digits) != std::string::npos)
    throw Error(fmt::format("--{} '{}' is not an integer: allowed {}", name, v, allowed));
  return std::stoi(v);
}

}  // namespace

void add_nullcache_options(cxxopts::Options& o, int groups, const NullCacheConfig& d) {
  auto text = [](auto v) {
    return cxxopts::value<std::string>()->default_value(fmt::format("{}", v));
  };
  if (groups & kNcGeometry)
    o.add_options()
        ("entries", fmt::format("TCAM entries, 1..{}", NullCacheConfig::kMaxEntries),
         cxxopts::value<std::string>())  // no default shown: `fusegen nullcache` requires it
        ("addr-width", "byte-address width in bits, 8..64", text(d.addr_w))
        ("line-bytes", "line size, a power of two 4..256", text(d.line_bytes));
  if (groups & kNcBehaviour)
    o.add_options()
        ("store-policy", "non-zero store into a covered line: invalidate or split",
         text(d.policy_string()))
        ("approx", "zero detector: off, int:T (|x| <= T) or float:E (biased exponent < E)",
         text(d.zda.approx_string()))
        ("elem-width", "approximator element width: 8, 16 or 32", text(d.zda.elem_w))
        ("singleton-first", "replacement evicts single-line entries before merged ones");
}

void read_nullcache_options(const cxxopts::ParseResult& r, int groups, NullCacheConfig& c) {
  if (groups & kNcGeometry) {
    if (r.count("entries")) c.entries = int_option(r, "entries", fmt::format("1..{}", NullCacheConfig::kMaxEntries));
    if (r.count("addr-width")) c.addr_w = int_option(r, "addr-width", "8..64");
    if (r.count("line-bytes")) c.line_bytes = int_option(r, "line-bytes", "a power of two 4..256");
  }
  if (groups & kNcBehaviour) {
    if (r.count("store-policy")) c.policy = parse_store_policy(r["store-policy"].as<std::string>());
    if (r.count("elem-width")) c.zda.elem_w = int_option(r, "elem-width", "8, 16 or 32");
    if (r.count("approx")) c.zda = parse_approx(r["approx"].as<std::string>(), c.zda.elem_w);
    if (r.count("singleton-first")) c.singleton_first = true;
  }
}

std::vector<std::string> nullcache_option_args(const NullCacheConfig& c) {
  std::vector<std::string> a = {"--entries", std::to_string(c.entries),
                                "--addr-width", std::to_string(c.addr_w),
                                "--line-bytes", std::to_string(c.line_bytes),
                                "--store-policy", c.policy_string(),
                                "--approx", c.zda.approx_string(),
                                "--elem-width", std::to_string(c.zda.elem_w)};
  if (c.singleton_first) a.push_back("--singleton-first");
  return a;
}

}  // namespace fusegen
