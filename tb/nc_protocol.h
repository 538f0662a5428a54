// Null-cache testbench protocol: the transaction vocabulary, comparison and text wire format
// shared by the Verilated testbench (tb/nullcache/) and the `rtl` engine of `fusegen cache`
// (sim/nullcache_rtl.h), and the name of a configuration's testbench build.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/nullcache.h"

namespace fusegen {

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

// Cache entry name: "nullcache_e<N>_a<AddrW>_l<LineBytes>_<policy>[_<approx>][_sf]".
std::string nullcache_tb_name(const NullCacheConfig& c);
}  // namespace fusegen
