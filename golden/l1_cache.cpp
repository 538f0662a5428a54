// Golden L1 data cache: lookup, LRU, victim choice and install (see l1_cache.h).
#include "golden/l1_cache.h"

#include <cstring>
#include <string>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

void validate(const L1Config& c) {
  if (c.line_bytes < 4 || c.line_bytes > 256 || (c.line_bytes & (c.line_bytes - 1)))
    throw Error(fmt::format("L1 line size {} B is not allowed: a power of two in 4..256", c.line_bytes));
  if (c.ways < 1 || c.ways > 64)
    throw Error(fmt::format("L1 associativity {} is not allowed: 1..64 ways", c.ways));
  if (c.size_bytes < int64_t{c.ways} * c.line_bytes || c.size_bytes > (int64_t{1} << 30) ||
      c.size_bytes % (int64_t{c.ways} * c.line_bytes) != 0)
    throw Error(fmt::format("L1 size {} B is not allowed: a multiple of ways x line ({} B), up to 1 GiB",
                            c.size_bytes, int64_t{c.ways} * c.line_bytes));
  const int s = c.sets();
  if (s & (s - 1))
    throw Error(fmt::format("L1 of {} B, {} ways, {} B lines has {} sets: the set count must be a "
                            "power of two", c.size_bytes, c.ways, c.line_bytes, s));
  c.zda.validate(c.line_bytes);
}

L1Config parse_l1(const std::string& value) {
  auto bad = [&] {
    return Error(fmt::format("--l1 '{}' is not an L1 geometry: expected SIZE,WAYS,LINE with SIZE in "
                             "bytes (or with a K suffix), e.g. 16K,4,32", value));
  };
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t c = value.find(',', start);
    parts.push_back(value.substr(start, c - start));
    if (c == std::string::npos) break;
    start = c + 1;
  }
  if (parts.size() != 3) throw bad();
  auto num = [&](std::string s, bool allow_k) -> int64_t {
    int64_t mul = 1;
    if (allow_k && !s.empty() && (s.back() == 'K' || s.back() == 'k')) {
      mul = 1024;
      s.pop_back();
    }
    if (s.empty() || s.size() > 10 || s.find_first_not_of("0123456789") != std::string::npos) throw bad();
    return std::stoll(s) * mul;
  };
  L1Config c;
  c.size_bytes = num(parts[0], true);
  const int64_t w = num(parts[1], false), l = num(parts[2], false);
  if (w > 1024 || l > 4096) throw bad();
  c.ways = static_cast<int>(w);
  c.line_bytes = static_cast<int>(l);
  validate(c);
  return c;
}

L1Cache::L1Cache(const L1Config& c) : cfg_(c) {
  validate(c);
  const int n = c.sets() * c.ways;
  set_mask_ = c.sets() - 1;
  valid_.assign(n, 0);
  dirty_.assign(n, 0);
  la_.assign(n, 0);
  stamp_.assign(n, 0);
  data_.assign(static_cast<size_t>(n) * c.line_bytes, 0);
  ev_data_.assign(c.line_bytes, 0);
}

int L1Cache::find(uint64_t la) const {
  const int base = static_cast<int>(la & set_mask_) * cfg_.ways;
  for (int w = 0; w < cfg_.ways; ++w)
    if (valid_[base + w] && la_[base + w] == la) return base + w;
  return -1;
}

int L1Cache::victim_slot(uint64_t la) const {
  const int base = static_cast<int>(la & set_mask_) * cfg_.ways;
  for (int w = 0; w < cfg_.ways; ++w)
    if (!valid_[base + w]) return base + w;
  int best = -1;
  if (cfg_.zero_first_victim) {
    for (int w = 0; w < cfg_.ways; ++w) {
      const int s = base + w;
      if (zda_is_zero(cfg_.zda, data(s), cfg_.line_bytes) && (best < 0 || stamp_[s] < stamp_[best])) best = s;
    }
    if (best >= 0) return best;
  }
  best = base;
  for (int w = 1; w < cfg_.ways; ++w)
    if (stamp_[base + w] < stamp_[best]) best = base + w;
  return best;
}

int L1Cache::install(uint64_t la, const uint8_t* line) {
  const int s = victim_slot(la);
  ev_valid_ = valid_[s];
  ev_dirty_ = valid_[s] && dirty_[s];
  ev_la_ = la_[s];
  if (ev_valid_) std::memcpy(ev_data_.data(), data(s), cfg_.line_bytes);
  valid_[s] = 1;
  dirty_[s] = 0;
  la_[s] = la;
  std::memcpy(data(s), line, cfg_.line_bytes);
  touch(s);
  return s;
}

}  // namespace fusegen
