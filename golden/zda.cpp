// Zero Detector and Approximator: exact, integer-magnitude and float32-exponent rules.
#include "golden/zda.h"

#include <cstring>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

void validate_zda(const ZdaConfig& z, int line_bytes) {
  if (z.elem_w != 8 && z.elem_w != 16 && z.elem_w != 32)
    throw Error(fmt::format("ZDA element width {} is not allowed: choose 8, 16 or 32", z.elem_w));
  if (line_bytes % (z.elem_w / 8) != 0)
    throw Error(fmt::format("line of {} bytes is not a whole number of {}-bit elements", line_bytes,
                            z.elem_w));
  if (z.mode == ZdaConfig::Float) {
    if (z.elem_w != 32)
      throw Error(fmt::format("float approximation needs 32-bit elements, not {}", z.elem_w));
    if (z.exp_t < 0 || z.exp_t > 255)
      throw Error(fmt::format("float exponent threshold {} is out of range: allowed 0..255", z.exp_t));
  }
  if (z.mode == ZdaConfig::Int) {
    const int64_t hi = int64_t{1} << (z.elem_w - 1);
    if (z.thresh < 0 || z.thresh > hi)
      throw Error(fmt::format("integer threshold {} is out of range for {}-bit elements: allowed 0..{}",
                              z.thresh, z.elem_w, hi));
  }
}

bool line_all_zero(const uint8_t* line, int bytes) {
  for (int i = 0; i < bytes; ++i)
    if (line[i]) return false;
  return true;
}

namespace {
// Little-endian unsigned element of `eb` bytes at p.
uint64_t load_le(const uint8_t* p, int eb) {
  uint64_t v = 0;
  for (int i = eb - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
}  // namespace

bool zda_is_zero(const ZdaConfig& z, const uint8_t* line, int bytes) {
  if (line_all_zero(line, bytes)) return true;
  if (z.mode == ZdaConfig::Exact) return false;
  const int eb = z.elem_w / 8;
  for (int off = 0; off + eb <= bytes; off += eb) {
    const uint64_t u = load_le(line + off, eb);
    if (z.mode == ZdaConfig::Int) {
      const int64_t s = wrap_signed(static_cast<int64_t>(u), z.elem_w);
      const int64_t mag = s < 0 ? -s : s;  // elem_w <= 32: no overflow
      if (mag > z.thresh) return false;
    } else {
      const int exp = static_cast<int>((u >> 23) & 0xFF);
      if (exp >= z.exp_t) return false;
    }
  }
  return true;
}

ZdaConfig parse_approx(const std::string& value, int elem_w) {
  ZdaConfig z;
  z.elem_w = elem_w;
  auto bad = [&] {
    return Error(fmt::format("--approx '{}' is not allowed: use off, int:T (T >= 0, elements with "
                             "|x| <= T count as zero) or float:E (E in 0..255, biased exponents < E "
                             "count as zero)", value));
  };
  if (value == "off") return z;
  auto num = [&](const std::string& s) -> int64_t {
    if (s.empty() || s.size() > 12 || s.find_first_not_of("0123456789") != std::string::npos) throw bad();
    return std::stoll(s);
  };
  if (value.rfind("int:", 0) == 0) {
    z.mode = ZdaConfig::Int;
    z.thresh = num(value.substr(4));
  } else if (value.rfind("float:", 0) == 0) {
    z.mode = ZdaConfig::Float;
    const int64_t e = num(value.substr(6));
    if (e > 255) throw bad();
    z.exp_t = static_cast<int>(e);
  } else {
    throw bad();
  }
  return z;
}

}  // namespace fusegen
