// The SparseCache null-cache RTL as a NullCache: building/reusing the Verilated testbench
// (sim/verilator_build.h) and the engine itself: a NullCache whose calls are served by the
// testbench process, which runs the RTL in lockstep with NullCacheModel and stops at the first
// differing transaction.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "tb/nc_protocol.h"

namespace fusegen {

// Emits the RTL (module prefix "nc"), builds or reuses its Verilated testbench and returns the
// executable's path. Throws fusegen::Error if Verilator is missing or the build fails.
std::string ensure_nullcache_tb(const NullCacheConfig& c);

// NullCache backed by the Verilated RTL: starts the testbench in serve mode; every call is
// executed by the RTL and, in the testbench, by NullCacheModel; the first difference (result
// or entry table) throws fusegen::Error naming the transaction, op, address, expected and
// actual values. entries() is the RTL's table.
class NullCacheRtl : public NullCache {
 public:
  explicit NullCacheRtl(const NullCacheConfig& c);
  ~NullCacheRtl() override;
  NullCacheRtl(const NullCacheRtl&) = delete;
  NullCacheRtl& operator=(const NullCacheRtl&) = delete;

  NcLookup lookup(uint64_t la, bool touch) override;
  NcFill fill_check(uint64_t la, const uint8_t* line) override;
  NcInsert insert(uint64_t la) override;
  NcStore store(uint64_t la, bool nonzero) override;
  void flush() override;
  const std::vector<NcEntry>& entries() const override { return entries_; }
  const NullCacheConfig& config() const override { return cfg_; }
  uint64_t transactions() const { return txns_; }

 private:
  NcResult call(const NcTxn& t);

  NullCacheConfig cfg_;           // golden configuration
  std::vector<NcEntry> entries_;  // mirror of the RTL's table (updated from the diffs sent)
  FILE* to_ = nullptr;            // requests to the testbench
  FILE* from_ = nullptr;          // its replies
  int pid_ = -1;                  // testbench process
  uint64_t txns_ = 0;             // calls so far
};

// Registers the "rtl" engine (NullCacheRtl) in null_cache_engines().
void register_nullcache_rtl_engine();

}  // namespace fusegen
