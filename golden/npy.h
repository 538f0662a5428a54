// NumPy .npy files (format versions 1.0, 2.0 and 3.0): reading int8/int16/int32/int64/float32
// arrays in C order, little-endian (or byte-order-free for 1-byte types), and writing int8..int64.
// Every problem (bad magic, corrupt header, Fortran order, unsupported dtype, truncated data)
// is a fusegen::Error naming the file and what is allowed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/tensor.h"

namespace fusegen {

enum class NpyDtype { I8, I16, I32, I64, F32 };

const char* npy_dtype_name(NpyDtype t);  // "int8", ..., "float32"
int npy_dtype_size(NpyDtype t);          // bytes per element

struct NpyArray {
  NpyDtype dtype = NpyDtype::I64;  // element type as stored
  std::vector<int64_t> shape;      // dimensions (a 0-d array has an empty shape)
  std::vector<uint8_t> bytes;      // raw little-endian C-order data

  size_t numel() const { return Tensor::numel_of(shape); }
  // Value i as double (exact for every integer type up to 2^53 and for float32).
  double value(size_t i) const;
  // Integer tensor. Float32 is accepted only when every value is an exact integer; otherwise
  // a fusegen::Error names `what` and the first non-integer element.
  Tensor to_tensor(const std::string& what) const;
};

// Parses the bytes of a .npy file; `what` names the source in error messages.
NpyArray parse_npy(const std::string& bytes, const std::string& what);
NpyArray read_npy(const std::string& path);

// Serializes an integer tensor as `dtype` (an integer type); values that do not fit are a
// fusegen::Error. Deterministic: the same tensor always gives the same bytes.
std::string serialize_npy(const Tensor& t, NpyDtype dtype);
// Writes atomically (temporary file + rename).
void write_npy(const std::string& path, const Tensor& t, NpyDtype dtype);

}  // namespace fusegen
