// Zero Detector and Approximator: validation, the --approx syntax, and the exact,
// integer-magnitude and float32-exponent rules.
#include "golden/zda.h"

#include <cstring>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

void ZdaConfig::validate(int line_bytes) const {
  if (elem_w != 8 && elem_w != 16 && elem_w != 32)
    throw Error(fmt::format("element width {} is not allowed: choose 8, 16 or 32", elem_w));
  if ((line_bytes * 8) % elem_w != 0)
    throw Error(fmt::format("element width {} does not divide the {}-byte line", elem_w,
                            line_bytes));
  if (mode == ApproxMode::kInt) {
    const int64_t hi = int64_t{1} << (elem_w - 1);
    if (thresh < 0 || thresh > hi)
      throw Error(fmt::format("integer threshold {} is out of range for {}-bit elements: "
                              "allowed 0..{}", thresh, elem_w, hi));
  }
  if (mode == ApproxMode::kFloat) {
    if (elem_w != 32)
      throw Error(fmt::format("float approximation needs 32-bit elements (IEEE float32), not {}",
                              elem_w));
    if (thresh < 0 || thresh > 255)
      throw Error(fmt::format("exponent threshold {} is out of range: allowed 0..255", thresh));
  }
}

std::string ZdaConfig::approx_string() const {
  switch (mode) {
    case ApproxMode::kInt: return fmt::format("int:{}", thresh);
    case ApproxMode::kFloat: return fmt::format("float:{}", thresh);
    default: return "off";
  }
}

ZdaConfig parse_approx(const std::string& value, int elem_w) {
  ZdaConfig z;
  z.elem_w = elem_w;
  auto bad = [&] {
    return Error(fmt::format("--approx '{}' is not allowed: use off, int:T (elements with |x| <= "
                             "T count as zero) or float:E (biased exponents < E count as zero)",
                             value));
  };
  if (value == "off") return z;
  const size_t colon = value.find(':');
  if (colon == std::string::npos) throw bad();
  const std::string kind = value.substr(0, colon), num = value.substr(colon + 1);
  if (num.empty() || num.size() > 12 || num.find_first_not_of("0123456789") != std::string::npos)
    throw bad();
  if (kind == "int")
    z.mode = ApproxMode::kInt;
  else if (kind == "float")
    z.mode = ApproxMode::kFloat;
  else
    throw bad();
  z.thresh = std::stoll(num);
  return z;
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
  if (z.mode == ApproxMode::kOff) return false;
  const int eb = z.elem_w / 8;
  for (int off = 0; off + eb <= bytes; off += eb) {
    const uint64_t u = load_le(line + off, eb);
    if (z.mode == ApproxMode::kInt) {
      const int64_t s = wrap_signed(static_cast<int64_t>(u), z.elem_w);
      const int64_t mag = s < 0 ? -s : s;  // elem_w <= 32: no overflow
      if (mag > z.thresh) return false;
    } else {
      const int exp = static_cast<int>((u >> 23) & 0xFF);
      if (exp >= z.thresh) return false;
    }
  }
  return true;
}

}  // namespace fusegen
