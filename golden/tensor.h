// Integer tensor used by every golden model: a shape (NCHW for activations, PyTorch layouts
// for weights) and row-major (C order) int64 values. Values are kept as int64 so that
// DATA_W-bit inputs and ACC_W-bit (up to 64) wrapped accumulators share one type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fusegen {

// The largest tensor fusegen creates: 2^28 elements (2 GiB of int64 values). Inputs, outputs and
// the intermediate tensors of a block beyond it are refused with a fusegen::Error before any
// memory is allocated.
constexpr size_t kMaxTensorElements = size_t{1} << 28;

struct Tensor {
  std::vector<int64_t> shape;  // dimensions, outermost first
  std::vector<int64_t> data;   // C-order values, size == product of shape

  Tensor() = default;
  explicit Tensor(std::vector<int64_t> s) : shape(std::move(s)), data(numel_of(shape), 0) {}

  // Product of the dimensions. Throws fusegen::Error if a dimension is negative or the product
  // does not fit size_t (a corrupt or hostile shape).
  static size_t numel_of(const std::vector<int64_t>& s);
  size_t numel() const { return data.size(); }
  int rank() const { return static_cast<int>(shape.size()); }
  int64_t dim(int i) const { return shape.at(static_cast<size_t>(i)); }

  // 4-D access (NCHW or [Cout,Cin,Kh,Kw]); no bounds checks in release paths.
  int64_t& at(int64_t a, int64_t b, int64_t c, int64_t d) {
    return data[static_cast<size_t>(((a * shape[1] + b) * shape[2] + c) * shape[3] + d)];
  }
  int64_t at(int64_t a, int64_t b, int64_t c, int64_t d) const {
    return data[static_cast<size_t>(((a * shape[1] + b) * shape[2] + c) * shape[3] + d)];
  }
  // 2-D access ([rows, cols]).
  int64_t& at(int64_t r, int64_t c) { return data[static_cast<size_t>(r * shape[1] + c)]; }
  int64_t at(int64_t r, int64_t c) const { return data[static_cast<size_t>(r * shape[1] + c)]; }

  bool operator==(const Tensor& o) const { return shape == o.shape && data == o.data; }
  bool operator!=(const Tensor& o) const { return !(*this == o); }
};

// "[1, 3, 224, 224]"
std::string shape_str(const std::vector<int64_t>& shape);

}  // namespace fusegen
