// Golden null cache: TCAM match, address merger with cascade, split/invalidate stores and
// tree pseudo-LRU replacement, exactly as documented in golden/nullcache.h.
#include "golden/nullcache.h"

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

namespace {
int popcount64(uint64_t v) { return __builtin_popcountll(v); }
}  // namespace

NullCacheModel::NullCacheModel(const NullCacheConfig& c) : cfg_(c) {
  c.validate();
  full_ = c.la_mask();
  while (p_ < c.entries) p_ <<= 1;
  entries_.assign(c.entries, NcEntry{});
  tree_.assign(p_ - 1, 0);
}

void NullCacheModel::touch(int i) {
  int node = p_ + i;
  while (node > 1) {
    const int parent = node >> 1;
    const bool is_left = (node & 1) == 0;
    tree_[parent - 1] = is_left ? 1 : 0;  // point away from the touched leaf
    node = parent;
  }
}

int NullCacheModel::first_free() const {
  for (int i = 0; i < cfg_.entries; ++i)
    if (!entries_[i].valid) return i;
  return -1;
}

int NullCacheModel::plru_victim() const {
  const int n = cfg_.entries;
  std::vector<uint8_t> elig(p_, 0);
  bool any_single = false;
  if (cfg_.singleton_first)
    for (int i = 0; i < n; ++i)
      if (entries_[i].valid && entries_[i].care == full_) any_single = true;
  for (int i = 0; i < n; ++i)
    elig[i] = !any_single || (entries_[i].valid && entries_[i].care == full_);
  // has[k]: subtree of node k holds an eligible leaf (heap order, leaves at p_ + i).
  std::vector<uint8_t> has(2 * p_, 0);
  for (int i = 0; i < p_; ++i) has[p_ + i] = elig[i];
  for (int k = p_ - 1; k >= 1; --k) has[k] = has[2 * k] || has[2 * k + 1];
  int k = 1;
  while (k < p_) {
    int child = 2 * k + tree_[k - 1];
    if (!has[child]) child ^= 1;
    k = child;
  }
  return k - p_;
}

NcLookup NullCacheModel::lookup(uint64_t la, bool do_touch) {
  NcLookup r;
  for (int i = 0; i < cfg_.entries; ++i) {
    if (nc_match(entries_[i], la)) {
      r.hit = true;
      r.entry = i;
      if (do_touch) touch(i);
      break;
    }
  }
  return r;
}

NcInsert NullCacheModel::insert(uint64_t la) {
  la &= full_;
  NcInsert r;
  const NcLookup l = lookup(la, false);
  if (l.hit) {
    r.already_covered = true;
    r.entry = l.entry;
    return r;
  }
  int e = -1;
  for (int i = 0; i < cfg_.entries; ++i) {
    const NcEntry& x = entries_[i];
    if (x.valid && x.care == full_ && popcount64(x.val ^ la) == 1) {
      e = i;
      break;
    }
  }
  if (e >= 0) {
    const uint64_t d = entries_[e].val ^ la;
    entries_[e].val &= ~d;
    entries_[e].care &= ~d;
    r.merges_first = 1;
    touch(e);
    for (;;) {  // cascade
      NcEntry& me = entries_[e];
      int j = -1;
      for (int i = 0; i < cfg_.entries; ++i) {
        const NcEntry& x = entries_[i];
        if (i != e && x.valid && x.care == me.care && popcount64((x.val ^ me.val) & me.care) == 1) {
          j = i;
          break;
        }
      }
      if (j < 0) break;
      const uint64_t dd = (entries_[j].val ^ me.val) & me.care;
      me.val &= ~dd;
      me.care &= ~dd;
      entries_[j] = NcEntry{};
      ++r.merges_higher;
      ++r.freed;
      touch(e);
    }
    r.entry = e;
    return r;
  }
  e = first_free();
  if (e < 0) {
    e = plru_victim();
    r.evicted = true;
  }
  entries_[e] = NcEntry{true, la, full_};
  touch(e);
  r.entry = e;
  return r;
}

NcFill NullCacheModel::fill_check(uint64_t la, const uint8_t* line) {
  NcFill f;
  if (!zda_is_zero(cfg_.zda, line, cfg_.line_bytes)) return f;
  f.zero = true;
  f.approximated = !line_all_zero(line, cfg_.line_bytes);
  f.insert = insert(la);
  return f;
}

NcStore NullCacheModel::store(uint64_t la, bool nonzero) {
  la &= full_;
  NcStore s;
  const NcLookup l = lookup(la, false);
  if (!l.hit) return s;
  s.covered = true;
  if (!nonzero) {
    touch(l.entry);
    return s;
  }
  if (cfg_.policy == StorePolicy::kSplit) {
    const NcEntry e = entries_[l.entry];
    const uint64_t x = full_ & ~e.care;
    const int k = popcount64(x);
    int free_n = 0;
    for (const NcEntry& y : entries_) free_n += !y.valid;
    if (k > 0 && free_n >= k - 1) {
      std::vector<int> bits;  // X bit positions, descending
      for (int b = 63; b >= 0; --b)
        if ((x >> b) & 1) bits.push_back(b);
      uint64_t fixed = 0;  // bits b_1..b_(c-1), fixed to la's values
      int next_free = 0;
      for (int c = 0; c < k; ++c) {
        const uint64_t bc = uint64_t{1} << bits[c];
        const uint64_t care = e.care | fixed | bc;
        const uint64_t val = ((la & (fixed | e.care)) | (~la & bc)) & care;
        int slot = l.entry;
        if (c > 0) {
          while (entries_[next_free].valid) ++next_free;
          slot = next_free;
        }
        entries_[slot] = NcEntry{true, val, care};
        fixed |= bc;
      }
      s.split = true;
      s.new_entries = k - 1;
      return s;
    }
  }
  for (NcEntry& y : entries_) {
    if (nc_match(y, la)) {
      y = NcEntry{};
      ++s.invalidated;
    }
  }
  return s;
}

void NullCacheModel::flush() {
  entries_.assign(cfg_.entries, NcEntry{});
  tree_.assign(p_ - 1, 0);
}

uint64_t NullCacheModel::covered_lines() const {
  uint64_t sum = 0;
  for (const NcEntry& e : entries_) {
    if (!e.valid) continue;
    const int xb = popcount64(full_ & ~e.care);
    if (xb >= 64) return UINT64_MAX;
    const uint64_t add = uint64_t{1} << xb;
    if (sum > UINT64_MAX - add) return UINT64_MAX;
    sum += add;
  }
  return sum;
}

int NullCacheModel::valid_entries() const {
  int n = 0;
  for (const NcEntry& e : entries_) n += e.valid;
  return n;
}

int nc_insert_latency(const NullCacheConfig&, const NcInsert& r) {
  if (r.already_covered) return NcTiming::kExec;
  if (r.merges_first) return NcTiming::kMerge + NcTiming::kPerCascade * r.merges_higher;
  return NcTiming::kAlloc;
}

int nc_fill_latency(const NullCacheConfig& c, const NcFill& r) {
  return r.zero ? nc_insert_latency(c, r.insert) : NcTiming::kExec;
}

int nc_store_latency(const NullCacheConfig& c, const NcStore& r) {
  if (c.policy != StorePolicy::kSplit || (!r.split && r.invalidated == 0)) return NcTiming::kExec;
  return NcTiming::kSplit + (r.split ? r.new_entries + 1 : 1);
}

std::string check_i3(const std::vector<NcEntry>& entries, int la_bits) {
  const uint64_t full = la_bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << la_bits) - 1;
  for (size_t i = 0; i < entries.size(); ++i) {
    const NcEntry& a = entries[i];
    if (!a.valid) continue;
    if ((a.val & ~a.care) != 0 || (a.care & ~full) != 0)
      return fmt::format("I3: entry {} is not canonical (val {:#x}, care {:#x})", i, a.val, a.care);
    for (size_t j = i + 1; j < entries.size(); ++j) {
      const NcEntry& b = entries[j];
      // Two cubes intersect iff they agree on every bit both care about.
      if (b.valid && ((a.val ^ b.val) & a.care & b.care) == 0)
        return fmt::format("I3: entries {} and {} overlap ({:#x}/{:#x} and {:#x}/{:#x})", i, j, a.val,
                           a.care, b.val, b.care);
    }
  }
  return "";
}

}  // namespace fusegen
