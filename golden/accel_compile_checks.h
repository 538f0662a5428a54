// Checks shared by the accelerator's compilers (golden/accel_compiler.cpp, the GEMM chains, and
// golden/accel_conv_compiler.cpp, the depthwise layers): operand values in the DataW range and
// requantization shifts the instruction format takes. Internal to golden/.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"
#include "golden/accel_config.h"

namespace fusegen {

// Throws "<what> V (element i) is outside the D-bit data range lo..hi" for the first value
// outside the signed data_w range.
inline void check_data_range(const std::vector<int64_t>& values, int data_w,
                             const std::string& what) {
  for (size_t i = 0; i < values.size(); ++i)
    if (values[i] < signed_min(data_w) || values[i] > signed_max(data_w))
      throw Error(fmt::format("{} {} (element {}) is outside the {}-bit data range {}..{}", what,
                              values[i], i, data_w, signed_min(data_w), signed_max(data_w)));
}

// Throws "<label>: shift S is out of range: allowed 0..A-1 (accumulator width A)".
inline void check_shift(const AccelConfig& c, int shift, const std::string& label) {
  if (shift < 0 || shift >= c.array.acc_w)
    throw Error(fmt::format("{}: shift {} is out of range: allowed 0..{} (accumulator width {})",
                            label, shift, c.array.acc_w - 1, c.array.acc_w));
}

}  // namespace fusegen
