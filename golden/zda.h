// Zero Detector and Approximator (ZDA) of SparseCache (docs/cache.md): decides
// whether a cache line counts as zero. Exact mode: every bit is 0. Int mode: every ELEM_W-bit
// little-endian two's-complement element has |x| <= thresh. Float mode: every float32 element
// has a biased exponent < exp_t (so -0.0 and denormals count when exp_t >= 1).
#pragma once

#include <cstdint>
#include <string>

namespace fusegen {

struct ZdaConfig {
  enum Mode { Exact, Int, Float } mode = Exact;  // detection rule
  int elem_w = 32;                               // element width in bits: 8, 16 or 32 (Float: 32)
  int64_t thresh = 0;                            // Int: largest magnitude that counts as zero
  int exp_t = 0;                                 // Float: biased exponents below this count as zero
};

// Throws fusegen::Error naming the bad field if the configuration is not allowed:
// elem_w in {8,16,32}, Float needs elem_w 32 and exp_t in 0..255, Int thresh in
// 0..2^(elem_w-1); line_bytes must be a multiple of elem_w/8.
void validate_zda(const ZdaConfig& z, int line_bytes);

// True when all `bytes` bytes are 0.
bool line_all_zero(const uint8_t* line, int bytes);

// True when the ZDA treats the line as zero. In Int/Float mode an all-zero line is always
// zero (also for exp_t == 0); otherwise every element must satisfy the rule.
bool zda_is_zero(const ZdaConfig& z, const uint8_t* line, int bytes);

// Parses "off", "int:T" or "float:E" (the --approx option) into a config with the given
// element width. Throws fusegen::Error naming the value and the allowed forms.
ZdaConfig parse_approx(const std::string& value, int elem_w);

}  // namespace fusegen
