// Validated parameters of one SparseCache null cache (TCAM of line addresses, zero
// detector/approximator, address merger, replacement) and the values derived from them. The
// one struct drives the golden model (golden/nullcache.h), SparseCache, the emitter, the
// testbench, the `rtl` engine and the command line (docs/nullcache_rtl.md describes the RTL
// interface these imply).
//
// Limits (the union every user needs: the RTL generator, `fusegen cache` over 64-bit traces):
// entries 1..1024; line bytes a power of two in 4..256; byte-address width 8..64 leaving at
// least one line-address bit (LaW = addr_w - log2(line_bytes), so 1..62); element width 8, 16
// or 32 (float: 32); integer threshold 0..2^(elem_w-1); float exponent threshold 0..255; name a
// Verilog identifier.
#pragma once

#include <cstdint>
#include <string>

#include "common/fileio.h"
#include "common/text.h"
#include "golden/zda.h"

namespace fusegen {

enum class StorePolicy { kInvalidate, kSplit };  // non-zero store into a covered line (docs/cache.md: Stores)

struct NullCacheConfig {
  static constexpr int kMaxEntries = 1024;  // entries are 1..kMaxEntries

  int entries = 128;                                // TCAM entries, 1..1024
  int addr_w = 32;                                  // byte-address width, 8..64
  int line_bytes = 32;                              // line size in bytes, power of two 4..256
  StorePolicy policy = StorePolicy::kInvalidate;    // non-zero store into a covered line
  ZdaConfig zda;                                    // zero detector/approximator (fill_check)
  bool singleton_first = false;                     // evict single-line entries before merged
  std::string name = "nc";                          // RTL module prefix: <name>_top, ...

  // Throws fusegen::Error naming the first parameter out of range and the allowed range.
  void validate() const;
  // Ordered parameter list for generated-file headers and manifests.
  ParamList params() const;

  int line_shift() const;                              // log2(line_bytes)
  int la_w() const { return addr_w - line_shift(); }   // line-address width LaW
  uint64_t la_mask() const;                            // LaW ones: the all-care mask
  int idx_w() const;                                   // entry-index width: index_width(entries)
  int line_w() const { return line_bytes * 8; }        // fill-line width in bits
  int cnt_w() const;  // width of the RTL's merge/split counts: max(1, clog2(LaW + 1))
  std::string top() const { return name + "_top"; }    // top module name
  const char* policy_string() const;                   // "invalidate" or "split"
};

// Parses the --store-policy syntax "invalidate" or "split". Throws fusegen::Error naming the
// value and the allowed ones.
StorePolicy parse_store_policy(const std::string& value);

}  // namespace fusegen
