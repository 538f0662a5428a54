// Driver and monitor of the Verilated null cache (nc_top): issues one transaction at a time
// over the request/response channel, measures its latency, reads the entry table from the
// TCAM's state, and presents the RTL as a fusegen::NullCache so the scoreboard can run it in
// lockstep with NullCacheModel.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "golden/nullcache.h"
#include "tb/nc_protocol.h"

class Vnc;
namespace tb {
template <class Top>
class SimCtrl;
}

namespace nctb {

// Raw response fields of one transaction.
struct RtlRsp {
  bool hit = false, zero = false, approx = false, merged = false, evicted = false;  // flags
  bool inval = false, split = false;                                                // flags
  int idx = 0;          // rsp_idx_o
  int cascade = 0;      // rsp_cascade_o
  int new_entries = 0;  // rsp_new_o
  int latency = 0;      // cycles from the accepting edge's cycle to the response
};

class RtlNullCache : public fusegen::NullCache {
 public:
  // argc/argv carry Verilator plusargs; trace_path "" = no FST trace.
  RtlNullCache(const fusegen::NullCacheConfig& c, int argc, char** argv,
               const std::string& trace_path);
  ~RtlNullCache() override;

  fusegen::NcLookup lookup(uint64_t la, bool touch) override;
  fusegen::NcFill fill_check(uint64_t la, const uint8_t* line) override;
  fusegen::NcInsert insert(uint64_t la) override;
  fusegen::NcStore store(uint64_t la, bool nonzero) override;
  void flush() override;
  const std::vector<fusegen::NcEntry>& entries() const override { return entries_; }
  const fusegen::NullCacheConfig& config() const override { return cfg_; }

  // "" when the last transaction's latency matched docs/nullcache_rtl.md, else a message.
  const std::string& timing_error() const { return timing_error_; }
  uint64_t cycles() const;     // clock cycles simulated
  const RtlRsp& last() const { return last_; }
  // The pseudo-LRU tree bits, node k at index k-1 (the layout of NullCacheModel::plru_bits()).
  std::vector<uint8_t> plru_bits() const;

 private:
  RtlRsp issue(int op, uint64_t la, bool touch, bool nonzero, const uint8_t* line);
  void read_table();
  void check_latency(int op, int expected);

  fusegen::NullCacheConfig cfg_;            // golden configuration of this build
  std::unique_ptr<tb::SimCtrl<Vnc>> sim_;   // clock, reset, trace, timeout
  std::vector<fusegen::NcEntry> entries_;   // table after the last transaction
  RtlRsp last_;                             // last response
  std::string timing_error_;                // latency mismatch of the last transaction
  uint64_t full_ = 0;                       // LaW ones
};

}  // namespace nctb
