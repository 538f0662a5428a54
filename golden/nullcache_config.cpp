// NullCacheConfig validation, derived values and the --store-policy syntax.
#include "golden/nullcache_config.h"

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

void NullCacheConfig::validate() const {
  if (entries < 1 || entries > kMaxEntries)
    throw Error(fmt::format("entries {} is out of range: allowed 1..{}", entries, kMaxEntries));
  if (line_bytes < 4 || line_bytes > 256 || (line_bytes & (line_bytes - 1)) != 0)
    throw Error(fmt::format("line bytes {} is not allowed: use a power of two in 4..256",
                            line_bytes));
  if (addr_w < 8 || addr_w > 64)
    throw Error(fmt::format("address width {} is out of range: allowed 8..64", addr_w));
  if (la_w() < 1)
    throw Error(fmt::format("address width {} leaves no line-address bits with {}-byte lines: "
                            "it must be at least {}", addr_w, line_bytes, line_shift() + 1));
  zda.validate(line_bytes);
  require_verilog_identifier(name);
}

ParamList NullCacheConfig::params() const {
  return {{"Name", name},
          {"Entries", std::to_string(entries)},
          {"AddrW", std::to_string(addr_w)},
          {"LineBytes", std::to_string(line_bytes)},
          {"LaW", std::to_string(la_w())},
          {"StorePolicy", policy_string()},
          {"Approx", zda.approx_string()},
          {"ElemW", std::to_string(zda.elem_w)},
          {"SingletonFirst", singleton_first ? "1" : "0"}};
}

int NullCacheConfig::line_shift() const { return clog2(line_bytes); }

uint64_t NullCacheConfig::la_mask() const {
  return la_w() >= 64 ? ~uint64_t{0} : (uint64_t{1} << la_w()) - 1;
}

int NullCacheConfig::cnt_w() const {
  int w = 1;
  while ((1 << w) < la_w() + 1) ++w;
  return w;
}

int NullCacheConfig::idx_w() const { return index_width(entries); }

const char* NullCacheConfig::policy_string() const {
  return policy == StorePolicy::kSplit ? "split" : "invalidate";
}

StorePolicy parse_store_policy(const std::string& value) {
  if (value == "invalidate") return StorePolicy::kInvalidate;
  if (value == "split") return StorePolicy::kSplit;
  throw Error(fmt::format("--store-policy '{}' is not allowed: choose one of invalidate, split",
                          value));
}

}  // namespace fusegen
