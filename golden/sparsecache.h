// Golden SparseCache: an L1 data cache (golden/l1_cache.h) beside a null cache (any
// NullCache implementation: the golden model or a Verilated RTL wrapper) over a flat memory
// (a sparse map of 4 KB pages, zero where nothing was written). Implements the load/store
// flows of docs/cache.md (Loads, Stores, Counters) record by record, counts CacheStats and
// can check invariants I1-I3 after any access (I4-I6 need a reference memory and the
// per-access report, see AccessReport; the unit tests check them).
//
// Per record, for each line it touches in ascending order:
//  load : L1 hit -> LRU touch. Else null-cache lookup (touch on hit) -> zero bytes. Else fill:
//         memory read, fill_check (ZDA); zero -> insert (no L1 allocation, bytes read as zero);
//         non-zero -> L1 install (victim: write-back if dirty, then zero-victim insert).
//  store: L1 hit -> write, dirty. Else null-cache store: zero data into a covered line ->
//         one forwarded memory write, nothing allocated; non-zero data into a covered line ->
//         coverage removed per policy, forwarded memory write, then write-allocate fill
//         (memory read) and the line is dirty. Else (miss in both) write-allocate fill.
// The null cache is not consulted on an L1 hit: by I1 it cannot cover that line, so the
// parallel lookup would miss and change nothing.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "golden/cache_stats.h"
#include "golden/l1_cache.h"
#include "golden/nullcache.h"

namespace fusegen {

// Byte-addressed memory over 64-bit addresses: 4 KB pages allocated on first non-zero write.
class FlatMemory {
 public:
  static constexpr int kPageBits = 12;  // 4 KB pages
  void read(uint64_t addr, uint8_t* out, size_t n) const;
  void write(uint64_t addr, const uint8_t* in, size_t n);
  size_t pages() const { return pages_.size(); }

 private:
  using Page = std::array<uint8_t, size_t{1} << kPageBits>;
  std::unordered_map<uint64_t, std::unique_ptr<Page>> pages_;  // page number -> bytes
};

struct SparseCacheConfig {
  L1Config l1;                    // data cache geometry and victim option
  bool nc_enabled = true;         // false: plain L1 (the baseline)
  NullCacheConfig nc;             // null cache (line_bytes and addr_w are set from l1/addr_bits)
  bool zero_victim_to_nc = true;  // insert zero L1 victims into the null cache
  int addr_bits = 64;             // byte-address width, 8..64
  TimingModel timing;             // execution-time estimate

  // The null cache's configuration: nc with the L1's line size and addr_bits.
  NullCacheConfig null_cache() const;
};

// Throws fusegen::Error naming the bad field.
void validate(const SparseCacheConfig& c);

// What one record did, for invariant checks (I5, I6) in tests.
struct AccessReport {
  int lines = 0;                       // lines the record touched
  int l1_hit_lines = 0;                // ... that hit the L1
  int nc_hit_lines = 0;                // ... that the null cache covered (load or store)
  uint64_t mem_reads = 0;              // memory reads this record issued
  uint64_t mem_writes = 0;             // memory writes this record issued
  std::vector<uint64_t> inserted;      // line addresses given to NullCache::insert
  bool nc_evicted = false;             // an insert evicted an entry
  bool nc_invalidated = false;         // a store invalidated entries
};

class SparseCache {
 public:
  // With nc_enabled and no `nc` given, a NullCacheModel of cfg.nc is used.
  explicit SparseCache(const SparseCacheConfig& cfg, std::unique_ptr<NullCache> nc = nullptr);

  // Data read of `size` bytes; `out` (may be null) receives the bytes the cache returns;
  // `expect` (may be null) are the bytes the trace says were read (mismatch -> counted).
  void load(uint64_t addr, uint32_t size, const uint8_t* expect = nullptr, uint8_t* out = nullptr);
  // Data write; data == nullptr writes unknown non-zero data (0xFF bytes).
  void store(uint64_t addr, uint32_t size, const uint8_t* data);
  // Memory initialization (label 5, not an access). Keeps an L1 copy coherent and removes
  // null-cache coverage of a line that stops being zero (uncounted).
  void init(uint64_t addr, uint32_t size, const uint8_t* data);
  // Instruction fetch (label 2): adds max(1, size / 4) instructions.
  void instr(uint32_t size);

  // Counters, with est_cycles up to date.
  const CacheStats& stats();
  const AccessReport& last() const { return rep_; }
  // I1 (no line in L1 and covered), I2 (covered lines are zero in memory per the ZDA; cubes
  // of more than 2^16 lines are not enumerated) and I3. "" when all hold.
  std::string check_invariants() const;

  const FlatMemory& memory() const { return mem_; }
  const L1Cache& l1() const { return l1_; }
  NullCache* null_cache() { return nc_.get(); }
  const SparseCacheConfig& config() const { return cfg_; }
  int line_shift() const { return shift_; }

 private:
  // Brings la into the L1 from memory (after write-back/zero-victim handling); returns slot.
  int allocate(uint64_t la);
  void note_insert(const NcInsert& r, uint64_t la);
  void check_addr(uint64_t addr, uint32_t size) const;

  SparseCacheConfig cfg_;           // validated configuration
  int shift_ = 5;                   // log2(line_bytes)
  int lb_ = 32;                     // line bytes
  L1Cache l1_;                      // data cache
  std::unique_ptr<NullCache> nc_;   // null cache or null when disabled
  FlatMemory mem_;                  // backing memory
  CacheStats st_;                   // counters
  AccessReport rep_;                // last record
  std::vector<uint8_t> buf_;        // one line
  std::vector<uint8_t> rd_;         // bytes returned by a load
  std::vector<uint8_t> ff_;         // 0xFF data of a write without data
  // Per-record flags (each counter rises at most once per record).
  bool f_zero_victim_ = false, f_evict_ = false, f_approx_ = false;
};

// Null-cache engines for `fusegen cache --engine NAME`: "golden" (NullCacheModel) is built in;
// another implementation (e.g. a Verilated RTL wrapper) registers a factory under its name
// from code linked into the executable.
using NullCacheFactory = std::function<std::unique_ptr<NullCache>(const NullCacheConfig&)>;
std::map<std::string, NullCacheFactory>& null_cache_engines();

}  // namespace fusegen
