// Validated parameters of one generated SparseCache null cache (TCAM of line addresses, zero
// detector/approximator, address merger, replacement) and the values derived from them. The
// same struct drives the emitter, the testbench builder and the golden-model configuration
// used to check the RTL (docs/nullcache_rtl.md describes the interface these imply).
#pragma once

#include <cstdint>
#include <string>

#include "common/fileio.h"
#include "common/text.h"

namespace fusegen {

enum class NcStorePolicy { kInvalidate, kSplit };  // docs/cache.md: Stores
enum class NcApprox { kOff, kInt, kFloat };       // docs/cache.md: ZDA

struct NullCacheGenConfig {
  int entries = 128;                       // TCAM entries, 1..1024
  int addr_w = 32;                         // byte-address width, 8..64
  int line_bytes = 32;                     // line size in bytes, power of two 4..256
  NcStorePolicy policy = NcStorePolicy::kInvalidate;  // non-zero store into a covered line
  NcApprox approx = NcApprox::kOff;        // zero detector mode
  int64_t int_thresh = 0;                  // kInt: |x| <= int_thresh counts as zero
  int exp_thresh = 0;                      // kFloat: biased exponent < exp_thresh counts as zero
  int elem_w = 32;                         // element width of the approximator: 8, 16 or 32
  bool singleton_first = false;            // evict single-line entries before merged ones
  std::string name = "nc";                 // module prefix: <name>_top, <name>_tcam, ...

  // Throws fusegen::Error naming the first parameter out of range and the allowed range.
  void validate() const;
  // Ordered parameter list for generated-file headers and manifests.
  ParamList params() const;

  int line_shift() const;                  // log2(line_bytes)
  int la_w() const { return addr_w - line_shift(); }  // line-address width LaW
  int idx_w() const;                       // entry-index width: max(1, clog2(entries))
  int line_w() const { return line_bytes * 8; }       // fill-line width in bits
  std::string top() const { return name + "_top"; }   // top module name
  // "off", "int:T" or "float:E" (the --approx syntax).
  std::string approx_string() const;
  const char* policy_string() const;       // "invalidate" or "split"
  // Parses the --approx syntax into approx/int_thresh/exp_thresh (validated by validate()).
  void parse_approx(const std::string& text);
};

}  // namespace fusegen
