// Random transaction streams for the null-cache testbench: lookups (with and without touch),
// inserts, fills of zero / near-zero / non-zero lines, stores of zero and non-zero data and
// rare flushes, over a small window of line addresses (so that lines merge, cascade and the
// table fills up and evicts) plus a scattered tail of addresses that rarely merge.
#pragma once

#include <cstdint>
#include <random>

#include "golden/nullcache.h"
#include "tb/nc_protocol.h"

namespace nctb {

class TxnStream {
 public:
  // window_bits: log2 of the dense window of line addresses (clipped to LaW).
  TxnStream(const fusegen::NullCacheConfig& c, uint64_t seed, int window_bits);
  fusegen::NcTxn next();

 private:
  uint64_t pick_la();
  void near_zero_line(std::vector<uint8_t>& line);

  fusegen::NullCacheConfig cfg_;  // configuration (line size, ZDA, address width)
  std::mt19937_64 rng_;           // the only source of randomness
  uint64_t full_ = 0;             // LaW ones (la_mask())
  uint64_t base_ = 0;             // start of the dense window
  uint64_t window_ = 1;           // dense window size in lines
  uint64_t scatter_ = 1;          // scattered range size in lines
};

}  // namespace nctb
