// Zero Detector and Approximator (ZDA) of SparseCache (docs/cache.md: ZDA): decides
// whether a cache line counts as zero. Off (exact): every bit is 0. Int: every ELEM_W-bit
// little-endian two's-complement element has |x| <= thresh. Float: every float32 element has a
// biased exponent < thresh (so -0.0 and denormals count when thresh >= 1). The ZDA settings are
// a member of NullCacheConfig (golden/nullcache_config.h) and of L1Config (zero-first victim).
#pragma once

#include <cstdint>
#include <string>

namespace fusegen {

enum class ApproxMode { kOff, kInt, kFloat };  // the --approx kinds off, int:T, float:E

struct ZdaConfig {
  ApproxMode mode = ApproxMode::kOff;  // detection rule
  int elem_w = 32;                     // element width in bits: 8, 16 or 32 (kFloat: 32)
  int64_t thresh = 0;                  // kInt: largest zero magnitude, 0..2^(elem_w-1);
                                       // kFloat: exponent bound, 0..255; kOff: unused

  // Throws fusegen::Error naming the first bad field and what is allowed: elem_w in {8,16,32}
  // dividing the line, kFloat needs elem_w 32, thresholds in the ranges above.
  void validate(int line_bytes) const;
  // "off", "int:T" or "float:E" (the --approx syntax).
  std::string approx_string() const;
};

// Parses the --approx syntax "off", "int:T" or "float:E" (T, E decimal) into a config with the
// given element width; ranges are checked by ZdaConfig::validate(). Throws fusegen::Error
// naming the value and the allowed forms.
ZdaConfig parse_approx(const std::string& value, int elem_w);

// True when all `bytes` bytes are 0.
bool line_all_zero(const uint8_t* line, int bytes);

// True when the ZDA treats the line as zero. In Int/Float mode an all-zero line is always
// zero (also for thresh == 0); otherwise every element must satisfy the rule.
bool zda_is_zero(const ZdaConfig& z, const uint8_t* line, int bytes);

}  // namespace fusegen
