// Statistics of a SparseCache run (docs/cache.md, Counters), their JSON form with the
// documented names, the derived miss rate and the execution-time estimate.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace fusegen {

struct CacheStats {
  uint64_t loads = 0;               // data-read records
  uint64_t stores = 0;              // data-write records
  uint64_t instructions = 0;        // instructions from label-2 records (SIZE / 4 each, at least 1)
  uint64_t l1_hits = 0;             // records whose every line hit the L1
  uint64_t l1_misses = 0;           // other access records (a null-cache hit is an L1 miss)
  uint64_t nc_load_hits = 0;        // loads served (in part) by the null cache
  uint64_t nc_store_hits = 0;       // stores into a covered line (zero or not)
  uint64_t load_misses = 0;         // loads with a line missing both caches
  uint64_t store_misses = 0;        // stores with a line missing the L1 (incl. non-zero into covered)
  uint64_t mem_reads = 0;           // line fills
  uint64_t mem_writes = 0;          // line write-backs and forwarded stores
  uint64_t merges_first = 0;        // inserts that merged into an existing entry (events)
  uint64_t merges_higher = 0;       // cascade steps (events)
  uint64_t merges = 0;              // merges_first + merges_higher
  uint64_t store_invalidations = 0; // records whose non-zero store invalidated coverage
  uint64_t splits = 0;              // records whose non-zero store split an entry
  uint64_t nc_evictions = 0;        // records whose insert evicted a null-cache entry
  uint64_t zero_victims = 0;        // records whose L1 victim was zero and went to the null cache
  uint64_t approximated_lines = 0;  // records whose zero-detected line was not exactly zero
  uint64_t read_mismatches = 0;     // reads whose trace bytes differ from the model's
  uint64_t l1_writebacks = 0;       // dirty L1 victims written back (lines; also in mem_writes)
  uint64_t est_cycles = 0;          // execution-time estimate, see estimate_cycles()

  uint64_t accesses() const { return loads + stores; }
  uint64_t misses() const { return load_misses + store_misses; }  // records that went to memory
  // Misses per access: 0 when there were no accesses.
  double miss_rate() const;
};

// Timing of the in-order core (docs/cache.md, Counters).
struct TimingModel {
  int hit_cycles = 1;    // per L1 or null-cache access
  int mem_cycles = 100;  // memory latency added per miss
};

// instructions + accesses * hit_cycles + misses * mem_cycles (write-backs and forwarded
// stores are assumed absorbed by a write buffer).
uint64_t estimate_cycles(const CacheStats& s, const TimingModel& t);

// JSON object with the counter names of docs/cache.md plus "miss_rate" and "accesses".
nlohmann::ordered_json to_json(const CacheStats& s);
// Two-column text table "counter  value".
std::string to_table(const CacheStats& s);

}  // namespace fusegen
