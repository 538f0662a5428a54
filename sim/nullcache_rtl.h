// The SparseCache null-cache RTL as a NullCache: configuration mapping between the generator
// (NullCacheGenConfig) and the golden model (NullCacheConfig), the transaction vocabulary and
// scoreboard shared by the Verilated testbench (tb/nullcache/) and the `rtl` engine of
// `fusegen cache`, building/reusing the testbench (sim/verilator_build.h), and the engine
// itself: a NullCache whose calls are served by the testbench process, which runs the RTL in
// lockstep with NullCacheModel and stops at the first differing transaction.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "generator/nullcache_config.h"
#include "golden/nullcache.h"

namespace fusegen {

// Golden configuration of a generated null cache (la_bits = LaW, policy, ZDA, singleton-first).
NullCacheConfig nc_golden_config(const NullCacheGenConfig& g);
// Generator configuration of a golden one (addr_w = la_bits + log2(line_bytes), name "nc").
// Throws fusegen::Error when the golden configuration has no RTL counterpart.
NullCacheGenConfig nc_gen_config(const NullCacheConfig& c);

// One null-cache call.
struct NcTxn {
  enum Op { kLookup, kInsert, kFill, kStore, kFlush } op = kLookup;  // which call
  uint64_t la = 0;            // line address
  bool touch = false;         // lookup: touch on hit
  bool nonzero = false;       // store: data non-zero
  std::vector<uint8_t> line;  // fill: line_bytes bytes
};

// Every result field of any call (only the op's own part is meaningful).
struct NcResult {
  NcLookup lookup;  // kLookup
  NcFill fill;      // kInsert (fill.insert) and kFill
  NcStore store;    // kStore
};

const char* nc_op_name(NcTxn::Op op);
// "insert la=0x1f", "fill la=0x3 line=00..ff", ...
std::string nc_txn_string(const NcTxn& t);
// The op's result fields, e.g. "hit=1 entry=3".
std::string nc_result_string(NcTxn::Op op, const NcResult& r);
// Runs one call on any NullCache.
NcResult nc_apply(NullCache& nc, const NcTxn& t);
// "" when the op's results agree, else "expected <golden>, actual <rtl>".
std::string nc_compare_results(NcTxn::Op op, const NcResult& expected, const NcResult& actual);
// "" when the tables agree (val/care compared for valid entries only), else the first
// differing entry with both values.
std::string nc_compare_entries(const std::vector<NcEntry>& expected,
                               const std::vector<NcEntry>& actual);

// Text wire format of the serve protocol (one line each, no newline).
std::string nc_txn_encode(const NcTxn& t);
NcTxn nc_txn_decode(const std::string& line, int line_bytes);  // throws fusegen::Error
std::string nc_result_encode(const NcResult& r);
NcResult nc_result_decode(const std::string& text);               // throws fusegen::Error

// Command-line arguments that tell the testbench its configuration.
std::vector<std::string> nc_tb_config_args(const NullCacheGenConfig& g);
// Cache entry name: "nullcache_e<N>_a<AddrW>_l<LineBytes>_<policy>[_<approx>][_sf]".
std::string nullcache_tb_name(const NullCacheGenConfig& g);
// Emits the RTL (module prefix "nc"), builds or reuses its Verilated testbench and returns the
// executable's path. Throws fusegen::Error if Verilator is missing or the build fails.
std::string ensure_nullcache_tb(const NullCacheGenConfig& g);

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
