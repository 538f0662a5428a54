// Golden SparseCache: flat memory, the load/store flows over L1 + null cache, counters and
// invariant checks (see sparsecache.h for the exact order of operations).
#include "golden/sparsecache.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

// ---------------------------------------------------------------------------- FlatMemory
void FlatMemory::read(uint64_t addr, uint8_t* out, size_t n) const {
  while (n) {
    const uint64_t pn = addr >> kPageBits;
    const size_t off = addr & ((uint64_t{1} << kPageBits) - 1);
    const size_t k = std::min(n, (size_t{1} << kPageBits) - off);
    auto it = pages_.find(pn);
    if (it == pages_.end())
      std::memset(out, 0, k);
    else
      std::memcpy(out, it->second->data() + off, k);
    out += k;
    addr += k;
    n -= k;
  }
}

void FlatMemory::write(uint64_t addr, const uint8_t* in, size_t n) {
  while (n) {
    const uint64_t pn = addr >> kPageBits;
    const size_t off = addr & ((uint64_t{1} << kPageBits) - 1);
    const size_t k = std::min(n, (size_t{1} << kPageBits) - off);
    auto it = pages_.find(pn);
    if (it == pages_.end()) {
      if (line_all_zero(in, static_cast<int>(k))) {  // zero into an absent page: nothing to do
        in += k;
        addr += k;
        n -= k;
        continue;
      }
      auto p = std::make_unique<Page>();
      p->fill(0);
      it = pages_.emplace(pn, std::move(p)).first;
    }
    std::memcpy(it->second->data() + off, in, k);
    in += k;
    addr += k;
    n -= k;
  }
}

// --------------------------------------------------------------------------- SparseCache
NullCacheConfig SparseCacheConfig::null_cache() const {
  NullCacheConfig n = nc;
  n.line_bytes = l1.line_bytes;
  n.addr_w = addr_bits;
  return n;
}

void validate(const SparseCacheConfig& c) {
  validate(c.l1);
  c.null_cache().validate();  // the address geometry, also when the null cache is off
}

namespace {
SparseCacheConfig normalized(SparseCacheConfig c) {
  validate(c);
  c.nc = c.null_cache();
  return c;
}
}  // namespace

SparseCache::SparseCache(const SparseCacheConfig& cfg, std::unique_ptr<NullCache> nc)
    : cfg_(normalized(cfg)), l1_(cfg_.l1), nc_(std::move(nc)) {
  lb_ = cfg_.l1.line_bytes;
  shift_ = cfg_.nc.line_shift();
  if (cfg_.nc_enabled && !nc_) nc_ = std::make_unique<NullCacheModel>(cfg_.nc);
  if (!cfg_.nc_enabled) nc_.reset();
  buf_.assign(lb_, 0);
}

void SparseCache::check_addr(uint64_t addr, uint32_t size) const {
  if (size == 0) throw Error("access of 0 bytes");
  if (cfg_.addr_bits < 64) {
    const uint64_t lim = uint64_t{1} << cfg_.addr_bits;
    if (addr >= lim || size > lim - addr)
      throw Error(fmt::format("access {:#x}+{} does not fit in {} address bits", addr, size, cfg_.addr_bits));
  } else if (addr + (size - 1) < addr) {
    throw Error(fmt::format("access {:#x}+{} wraps around the 64-bit address space", addr, size));
  }
}

void SparseCache::note_insert(const NcInsert& r, uint64_t la) {
  rep_.inserted.push_back(la);
  st_.merges_first += r.merges_first;
  st_.merges_higher += r.merges_higher;
  st_.merges += r.merges_first + r.merges_higher;
  if (r.evicted) {
    rep_.nc_evicted = true;
    f_evict_ = true;
  }
}

int SparseCache::allocate(uint64_t la) {
  mem_.read(la << shift_, buf_.data(), lb_);
  ++st_.mem_reads;
  ++rep_.mem_reads;
  const int slot = l1_.install(la, buf_.data());
  if (l1_.evicted_valid()) {
    const uint64_t vla = l1_.evicted_la();
    if (l1_.evicted_dirty()) {
      mem_.write(vla << shift_, l1_.evicted_data(), lb_);
      ++st_.mem_writes;
      ++st_.l1_writebacks;
      ++rep_.mem_writes;
    }
    if (nc_ && cfg_.zero_victim_to_nc) {
      const NcFill f = nc_->fill_check(vla, l1_.evicted_data());
      if (f.zero) {
        f_zero_victim_ = true;
        if (f.approximated) f_approx_ = true;
        note_insert(f.insert, vla);
      }
    }
  }
  return slot;
}

void SparseCache::load(uint64_t addr, uint32_t size, const uint8_t* expect, uint8_t* out) {
  check_addr(addr, size);
  rep_ = AccessReport{};
  f_zero_victim_ = f_evict_ = f_approx_ = false;
  ++st_.loads;
  const uint64_t first = addr >> shift_, last = (addr + size - 1) >> shift_;
  const bool want_bytes = expect || out;
  if (want_bytes) rd_.resize(size);
  bool all_l1 = true, any_nc = false, any_miss = false;
  for (uint64_t la = first;; ++la) {
    ++rep_.lines;
    int slot = l1_.find(la);
    const uint8_t* src = nullptr;  // line bytes, nullptr = zero
    if (slot >= 0) {
      ++rep_.l1_hit_lines;
      l1_.touch(slot);
      src = l1_.data(slot);
    } else {
      all_l1 = false;
      NcLookup h = nc_ ? nc_->lookup(la, true) : NcLookup{};
      if (h.hit) {
        ++rep_.nc_hit_lines;
        any_nc = true;
      } else {
        any_miss = true;
        mem_.read(la << shift_, buf_.data(), lb_);
        NcFill f = nc_ ? nc_->fill_check(la, buf_.data()) : NcFill{};
        if (f.zero) {
          ++st_.mem_reads;
          ++rep_.mem_reads;
          if (f.approximated) f_approx_ = true;
          note_insert(f.insert, la);
        } else {
          slot = allocate(la);  // re-reads the same line into the L1
          src = l1_.data(slot);
        }
      }
    }
    if (want_bytes) {
      const uint64_t lo = std::max(addr, la << shift_);
      const uint64_t hi = std::min(addr + size - 1, (la << shift_) + lb_ - 1);
      uint8_t* dst = rd_.data() + (lo - addr);
      if (src)
        std::memcpy(dst, src + (lo - (la << shift_)), hi - lo + 1);
      else
        std::memset(dst, 0, hi - lo + 1);
    }
    if (la == last) break;
  }
  if (all_l1) ++st_.l1_hits; else ++st_.l1_misses;
  if (any_nc) ++st_.nc_load_hits;
  if (any_miss) ++st_.load_misses;
  if (f_zero_victim_) ++st_.zero_victims;
  if (f_evict_) ++st_.nc_evictions;
  if (f_approx_) ++st_.approximated_lines;
  if (expect && std::memcmp(expect, rd_.data(), size) != 0) ++st_.read_mismatches;
  if (out) std::memcpy(out, rd_.data(), size);
}

void SparseCache::store(uint64_t addr, uint32_t size, const uint8_t* data) {
  check_addr(addr, size);
  if (!data) {
    if (ff_.size() < size) ff_.assign(size, 0xFF);
    data = ff_.data();
  }
  rep_ = AccessReport{};
  f_zero_victim_ = f_evict_ = f_approx_ = false;
  ++st_.stores;
  const uint64_t first = addr >> shift_, last = (addr + size - 1) >> shift_;
  bool all_l1 = true, any_nc = false, any_miss = false, any_inval = false, any_split = false;
  for (uint64_t la = first;; ++la) {
    ++rep_.lines;
    const uint64_t lo = std::max(addr, la << shift_);
    const uint64_t hi = std::min(addr + size - 1, (la << shift_) + lb_ - 1);
    const uint8_t* part = data + (lo - addr);
    const int n = static_cast<int>(hi - lo + 1);
    int slot = l1_.find(la);
    if (slot >= 0) {
      ++rep_.l1_hit_lines;
      l1_.touch(slot);
    } else {
      all_l1 = false;
      const bool nonzero = !line_all_zero(part, n);
      NcStore s = nc_ ? nc_->store(la, nonzero) : NcStore{};
      if (s.covered) {
        ++rep_.nc_hit_lines;
        any_nc = true;
        mem_.write(lo, part, n);  // forwarded (write-through)
        ++st_.mem_writes;
        ++rep_.mem_writes;
        if (!nonzero) {
          if (la == last) break;
          continue;  // zero store into a covered line: nothing allocated
        }
        if (s.split) any_split = true;
        if (s.invalidated) {
          any_inval = true;
          rep_.nc_invalidated = true;
        }
      }
      any_miss = true;
      slot = allocate(la);
    }
    std::memcpy(l1_.data(slot) + (lo - (la << shift_)), part, n);
    l1_.set_dirty(slot);
    if (la == last) break;
  }
  if (all_l1) ++st_.l1_hits; else ++st_.l1_misses;
  if (any_nc) ++st_.nc_store_hits;
  if (any_miss) ++st_.store_misses;
  if (any_inval) ++st_.store_invalidations;
  if (any_split) ++st_.splits;
  if (f_zero_victim_) ++st_.zero_victims;
  if (f_evict_) ++st_.nc_evictions;
  if (f_approx_) ++st_.approximated_lines;
}

void SparseCache::init(uint64_t addr, uint32_t size, const uint8_t* data) {
  check_addr(addr, size);
  mem_.write(addr, data, size);
  const uint64_t first = addr >> shift_, last = (addr + size - 1) >> shift_;
  for (uint64_t la = first;; ++la) {
    const uint64_t lo = std::max(addr, la << shift_);
    const uint64_t hi = std::min(addr + size - 1, (la << shift_) + lb_ - 1);
    const int slot = l1_.find(la);
    if (slot >= 0) {
      std::memcpy(l1_.data(slot) + (lo - (la << shift_)), data + (lo - addr), hi - lo + 1);
    } else if (nc_) {
      mem_.read(la << shift_, buf_.data(), lb_);
      if (!zda_is_zero(cfg_.nc.zda, buf_.data(), lb_)) nc_->store(la, true);
    }
    if (la == last) break;
  }
}

void SparseCache::instr(uint32_t size) { st_.instructions += std::max<uint32_t>(1, size / 4); }

const CacheStats& SparseCache::stats() {
  st_.est_cycles = estimate_cycles(st_, cfg_.timing);
  return st_;
}

std::string SparseCache::check_invariants() const {
  if (!nc_) return "";
  const auto& ents = nc_->entries();
  if (std::string e = check_i3(ents, cfg_.nc.la_w()); !e.empty()) return e;
  for (int s = 0; s < l1_.slots(); ++s) {
    if (!l1_.valid(s)) continue;
    for (size_t i = 0; i < ents.size(); ++i)
      if (nc_match(ents[i], l1_.line_addr(s)))
        return fmt::format("I1: line {:#x} is valid in L1 slot {} and covered by entry {}",
                           l1_.line_addr(s), s, i);
  }
  std::vector<uint8_t> line(lb_);
  const uint64_t full = cfg_.nc.la_mask();
  for (size_t i = 0; i < ents.size(); ++i) {
    const NcEntry& e = ents[i];
    if (!e.valid) continue;
    const uint64_t x = full & ~e.care;
    if (__builtin_popcountll(x) > 16) continue;
    // Enumerate the subsets of the X bits.
    uint64_t sub = 0;
    do {
      const uint64_t la = e.val | sub;
      mem_.read(la << shift_, line.data(), lb_);
      if (!zda_is_zero(cfg_.nc.zda, line.data(), lb_))
        return fmt::format("I2: line {:#x} is covered by entry {} but not zero in memory", la, i);
      sub = (sub - x) & x;
    } while (sub != 0);
  }
  return "";
}

std::map<std::string, NullCacheFactory>& null_cache_engines() {
  static std::map<std::string, NullCacheFactory> m = {
      {"golden", [](const NullCacheConfig& c) { return std::make_unique<NullCacheModel>(c); }}};
  return m;
}

}  // namespace fusegen
