// Golden model of the SparseCache null cache (docs/cache.md): a
// fully associative TCAM of full line addresses with don't-care bits, the Address Merger
// (same-mask, distance-one merges with cascade) and tree pseudo-LRU replacement. The RTL null
// cache reproduces every call below one-to-one, including the entry indices it writes.
//
// Exact semantics (every tie-break is fixed so RTL and model agree entry by entry):
//  - Entry i matches line address LA iff valid && ((LA ^ val) & care) == 0. `care` bits outside
//    the low LaW bits are 0 and `val & ~care == 0` (canonical). FULL = la_mask() = LaW ones
//    (LaW = NullCacheConfig::la_w(), line addresses are masked to it).
//  - lookup(la, touch): hit = some entry matches; entry = the lowest matching index (with I3
//    there is at most one). If hit && touch, the PLRU tree is touched with that entry.
//  - insert(la), in this order:
//      1. if an entry covers la: already_covered = true, entry = lowest matching index;
//         nothing changes, the tree is NOT touched.
//      2. first-order merge: the partner is the lowest-index valid entry with care == FULL and
//         popcount(val ^ la) == 1. It becomes (val & ~d, care & ~d), d = val ^ la;
//         merges_first = 1; touch(partner).
//         Cascade: while some other valid entry j has care_j == care_e and
//         popcount((val_j ^ val_e) & care_e) == 1, take the lowest such j, merge it into e
//         (e keeps its index, e = (val_e & ~d, care_e & ~d)), invalidate j, ++merges_higher,
//         ++freed, touch(e).
//      3. otherwise allocate: the lowest-index invalid entry; if none, the replacement victim
//         (evicted = true, silent). The entry becomes (la, FULL); touch(entry).
//  - Victim (all entries valid): walk the tree from the root following the pointer bits; a
//    child subtree with no eligible leaf is skipped (the other child is taken). Eligible:
//    every index < entries; with singleton_first, only entries with care == FULL when at
//    least one exists (else all).
//  - Tree: P = the smallest power of two >= entries, P - 1 node bits in heap order (node 1 is
//    the root, node k has children 2k and 2k+1, leaf P + i is entry i). Bit 0 = the victim is
//    in the left (lower-index) subtree, 1 = right. touch(i) sets every bit on the path to
//    point away from i (1 where i is in the left subtree, 0 where it is in the right).
//    Reset and flush() clear all bits. Invalidating or freeing an entry leaves the tree as is.
//  - fill_check(la, line): runs the ZDA on line_bytes bytes; if zero, insert(la) and report
//    approximated = (the bytes are not all zero). If not zero nothing changes.
//  - store(la, nonzero): if no entry matches: covered = false, nothing changes.
//    Zero store (nonzero == false) into a covered line: covered = true, touch(lowest matching).
//    Non-zero store into a covered line, policy Invalidate: every matching entry is
//    invalidated (invalidated = their number); no touch.
//    Policy Split: let the matching entry e have k X bits b_1 > b_2 > ... > b_k (descending).
//    If k == 0, or fewer than k - 1 entries are free, it falls back to Invalidate. Otherwise
//    cube c (1..k) keeps bits b_1..b_(c-1) fixed to la's bits, fixes b_c to NOT la's bit and
//    leaves b_(c+1)..b_k as X. Cube 1 is written into e, cubes 2..k into the free entries in
//    ascending index order (new_entries = k - 1, split = true). The cubes are disjoint and
//    cover every line of e but la. A split touches nothing and starts no merge.
//  - flush(): all entries invalid, tree bits cleared (the same state as after reset).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/nullcache_config.h"

namespace fusegen {

struct NcEntry {
  bool valid = false;  // entry holds a cube
  uint64_t val = 0;    // fixed bits of the cube (0 where care is 0)
  uint64_t care = 0;   // 1 = bit compared, 0 = don't care (X)
  bool operator==(const NcEntry& o) const { return valid == o.valid && val == o.val && care == o.care; }
};

struct NcLookup {
  bool hit = false;  // some entry covers the line
  int entry = -1;    // lowest matching index, -1 on a miss
};

struct NcInsert {
  bool already_covered = false;  // the line was covered before: nothing changed
  int entry = -1;                // entry now covering the line
  int merges_first = 0;          // 1 if the address merged into an existing entry
  int merges_higher = 0;         // cascade steps
  int freed = 0;                 // entries freed by the cascade (== merges_higher)
  bool evicted = false;          // a valid entry was overwritten (replacement)
};

struct NcFill {
  bool zero = false;          // ZDA said zero: the line went to insert()
  bool approximated = false;  // zero by the ZDA although some byte is non-zero
  NcInsert insert;            // result of insert() when zero
};

struct NcStore {
  bool covered = false;  // the line was covered by the null cache before the store
  int invalidated = 0;   // entries invalidated
  bool split = false;    // the covering entry was split into cubes
  int new_entries = 0;   // entries allocated by the split
};

// Latencies of the generated RTL null cache, in cycles from the cycle in which a request is
// taken to the cycle in which its response is visible (docs/nullcache_rtl.md, "Protocol and
// timing"). This is the one place the numbers live: the Verilated testbench checks every
// transaction against them, the gate-level replay vectors are timed by them, and the generator
// prints them into the manifest and README.
struct NcTiming {
  static constexpr int kExec = 2;        // answered in Exec: lookup, flush, covered insert,
                                         // non-zero fill, store miss / zero data, policy
                                         // invalidate's non-zero store
  static constexpr int kAlloc = 3;       // insert allocating an entry
  static constexpr int kMerge = 4;       // insert merging: kMerge + kPerCascade * cascade steps
  static constexpr int kPerCascade = 2;  // one cascade step (search, then absorb)
  static constexpr int kSplit = 2;       // policy split, non-zero store hit: kSplit + k for a
                                         // split into k cubes, kSplit + 1 for an invalidation
};
int nc_insert_latency(const NullCacheConfig& c, const NcInsert& r);
int nc_fill_latency(const NullCacheConfig& c, const NcFill& r);
int nc_store_latency(const NullCacheConfig& c, const NcStore& r);

// The calls a SparseCache needs from a null cache. NullCacheModel is the golden
// implementation; an RTL testbench wraps a Verilated null cache behind the same calls.
class NullCache {
 public:
  virtual ~NullCache() = default;
  virtual NcLookup lookup(uint64_t la, bool touch) = 0;
  virtual NcFill fill_check(uint64_t la, const uint8_t* line) = 0;
  virtual NcInsert insert(uint64_t la) = 0;
  virtual NcStore store(uint64_t la, bool nonzero) = 0;
  virtual void flush() = 0;
  virtual const std::vector<NcEntry>& entries() const = 0;
  virtual const NullCacheConfig& config() const = 0;
};

class NullCacheModel : public NullCache {
 public:
  explicit NullCacheModel(const NullCacheConfig& c);

  NcLookup lookup(uint64_t la, bool touch) override;
  NcFill fill_check(uint64_t la, const uint8_t* line) override;
  NcInsert insert(uint64_t la) override;
  NcStore store(uint64_t la, bool nonzero) override;
  void flush() override;
  const std::vector<NcEntry>& entries() const override { return entries_; }
  const NullCacheConfig& config() const override { return cfg_; }

  // Tree pseudo-LRU state: bit k-1 of the vector is node k (heap order), size P - 1.
  const std::vector<uint8_t>& plru_bits() const { return tree_; }
  // The entry the replacement would pick now if every entry were valid (for tests and RTL
  // cross-checks; honours singleton_first against the current entries).
  int plru_victim() const;
  // Number of lines the entries cover (sum of 2^(X bits)); saturates at UINT64_MAX.
  uint64_t covered_lines() const;
  int valid_entries() const;

 private:
  void touch(int i);
  int first_free() const;
  uint64_t full() const { return full_; }

  NullCacheConfig cfg_;           // validated configuration
  uint64_t full_ = 0;             // all-care mask: cfg_.la_mask()
  int p_ = 1;                     // leaves of the PLRU tree (power of two >= entries)
  std::vector<NcEntry> entries_;  // the TCAM
  std::vector<uint8_t> tree_;     // PLRU node bits, node k at index k - 1
};

// Invariant I3: entries are canonical (val & ~care == 0, no bits above la_bits) and pairwise
// disjoint. Returns "" when it holds, else a message naming the offending entries.
std::string check_i3(const std::vector<NcEntry>& entries, int la_bits);

// True when the cube (val, care) covers la.
inline bool nc_match(const NcEntry& e, uint64_t la) { return e.valid && ((la ^ e.val) & e.care) == 0; }

}  // namespace fusegen
