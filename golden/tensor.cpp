// Tensor helpers.
#include "golden/tensor.h"

#include <fmt/format.h>

#include "common/error.h"

namespace fusegen {

size_t Tensor::numel_of(const std::vector<int64_t>& s) {
  size_t n = 1;
  for (int64_t d : s)
    if (d < 0 || __builtin_mul_overflow(n, static_cast<size_t>(d), &n))
      throw Error(fmt::format("shape {} is not a valid tensor shape: {}", shape_str(s),
                              d < 0 ? "a dimension is negative" : "its element count overflows"));
  return n;
}

std::string shape_str(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

}  // namespace fusegen
