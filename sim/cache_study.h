// Driving SparseCache models with din records (from a file or straight from the trace
// generator), and the cache study of the thesis' claim: per network, a 16 KB 4-way 32 B L1
// alone, the same L1 with a 128-entry null cache, and a 32 KB L1 alone, all fed by one pass
// over the generated trace (no trace file is written).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/sparsecache.h"
#include "sim/din_trace.h"
#include "sim/trace_gen.h"

namespace fusegen {

// Feeds every record to each cache: 0 load (checking carried bytes), 1 store (no data =
// unknown non-zero), 2 instruction count, 5 memory initialization. With check_every > 0, the
// invariants I1-I3 of every cache are checked every that many access records; a violation
// throws fusegen::Error naming the record number.
class CacheDriver : public DinSink {
 public:
  explicit CacheDriver(std::vector<SparseCache*> caches, uint64_t check_every = 0)
      : caches_(std::move(caches)), check_every_(check_every) {}
  void record(const DinRecord& r) override;
  uint64_t records() const { return records_; }

 private:
  std::vector<SparseCache*> caches_;  // driven caches
  uint64_t check_every_;              // invariant-check period (0 = never)
  uint64_t records_ = 0;              // records seen
  uint64_t accesses_ = 0;             // access records seen
};

// True when the trace carries data values (a label-5 record or a DATAHEX field); stops at
// the first such record.
bool trace_has_values(const std::string& path, int addr_bits = 64);

// Study workload size per network: the defaults keep the whole study well under a minute.
struct StudyWorkload {
  std::string network;       // trace_networks() name
  double scale = 1.0;        // channel scale
  double spatial = 1.0;      // spatial scale
  uint64_t max_records = 0;  // per-layer cap (0 = none)
};
StudyWorkload default_workload(const std::string& network);

struct StudyOptions {
  std::vector<std::string> networks;  // empty = all four
  TraceGenOptions gen;                // dtype, keep, granularity, activations, seed
  bool use_default_sizes = true;      // take scale/spatial/max_records from default_workload
  int nc_entries = 128;               // null cache of the middle configuration
};

struct StudyRow {
  StudyWorkload workload;       // what was traced
  uint64_t records = 0;         // access records
  int64_t macs = 0;             // MACs traced (scaled layers)
  bool truncated = false;       // some layer hit max_records
  CacheStats base16, nc16, base32;  // the three configurations
};

std::vector<StudyRow> run_cache_study(const StudyOptions& o);

// Table of miss rates, execution-time estimates and reductions, beside the thesis' claims.
std::string format_study(const std::vector<StudyRow>& rows, const StudyOptions& o);

}  // namespace fusegen
