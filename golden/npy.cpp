// .npy reader and writer. The header is a Python dict literal; we parse the three keys NumPy
// writes ('descr', 'fortran_order', 'shape') with a small tolerant scanner.
#include "golden/npy.h"

#include <cctype>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "common/fileio.h"
#include "common/text.h"
#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

const char* npy_dtype_name(NpyDtype t) {
  switch (t) {
    case NpyDtype::I8: return "int8";
    case NpyDtype::I16: return "int16";
    case NpyDtype::I32: return "int32";
    case NpyDtype::I64: return "int64";
    case NpyDtype::F32: return "float32";
  }
  return "?";
}

int npy_dtype_size(NpyDtype t) {
  switch (t) {
    case NpyDtype::I8: return 1;
    case NpyDtype::I16: return 2;
    case NpyDtype::I32: return 4;
    case NpyDtype::I64: return 8;
    case NpyDtype::F32: return 4;
  }
  return 0;
}

namespace {

const char kMagic[] = "\x93NUMPY";
const char* kSupported = "int8, int16, int32, int64, float32 (little-endian, C order)";

// Returns the text of the value after 'key': in the header dict, up to the next top-level comma
// or closing brace.
std::string dict_value(const std::string& header, const std::string& key, const std::string& what) {
  size_t k = header.find("'" + key + "'");
  if (k == std::string::npos) k = header.find("\"" + key + "\"");
  if (k == std::string::npos) throw Error(fmt::format("{}: corrupt .npy header: no '{}' key", what, key));
  size_t colon = header.find(':', k + key.size() + 2);
  if (colon == std::string::npos) throw Error(fmt::format("{}: corrupt .npy header near '{}'", what, key));
  size_t i = colon + 1;
  int depth = 0;
  std::string v;
  for (; i < header.size(); ++i) {
    char c = header[i];
    if (c == '(' || c == '[') ++depth;
    if (c == ')' || c == ']') --depth;
    if (depth == 0 && (c == ',' || c == '}')) break;
    v += c;
  }
  if (i >= header.size()) throw Error(fmt::format("{}: corrupt .npy header: unterminated '{}'", what, key));
  size_t b = v.find_first_not_of(" \t");
  size_t e = v.find_last_not_of(" \t");
  return b == std::string::npos ? "" : v.substr(b, e - b + 1);
}

NpyDtype parse_descr(const std::string& d, const std::string& what) {
  if (d.size() < 3 || (d.front() != '\'' && d.front() != '"'))
    throw Error(fmt::format("{}: corrupt .npy header: bad descr {}", what, d));
  std::string s = d.substr(1, d.size() - 2);
  if (s == "|i1" || s == "<i1" || s == "i1") return NpyDtype::I8;
  if (s == "<i2") return NpyDtype::I16;
  if (s == "<i4") return NpyDtype::I32;
  if (s == "<i8") return NpyDtype::I64;
  if (s == "<f4") return NpyDtype::F32;
  throw Error(fmt::format("{}: unsupported .npy dtype '{}': supported are {}", what, s, kSupported));
}

std::vector<int64_t> parse_shape(const std::string& s, const std::string& what) {
  if (s.size() < 2 || s.front() != '(' || s.back() != ')')
    throw Error(fmt::format("{}: corrupt .npy header: bad shape {}", what, s));
  std::vector<int64_t> shape;
  std::string num;
  auto flush = [&] {
    if (num.empty()) return;
    if (num.size() > 15) throw Error(fmt::format("{}: corrupt .npy header: shape {} too large", what, s));
    shape.push_back(std::stoll(num));
    num.clear();
  };
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c))) num += c;
    else if (c == ',') {
      if (num.empty()) throw Error(fmt::format("{}: corrupt .npy header: bad shape {}", what, s));
      flush();
    } else if (c == ' ' || c == 'L') {
      flush();
    } else {
      throw Error(fmt::format("{}: corrupt .npy header: bad shape {}", what, s));
    }
  }
  flush();
  return shape;
}

template <typename T>
T load_le(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));  // x86-64 and every supported host are little-endian
  return v;
}

}  // namespace

double NpyArray::value(size_t i) const {
  const uint8_t* p = bytes.data() + i * static_cast<size_t>(npy_dtype_size(dtype));
  switch (dtype) {
    case NpyDtype::I8: return static_cast<double>(static_cast<int8_t>(p[0]));
    case NpyDtype::I16: return load_le<int16_t>(p);
    case NpyDtype::I32: return load_le<int32_t>(p);
    case NpyDtype::I64: return static_cast<double>(load_le<int64_t>(p));
    case NpyDtype::F32: return load_le<float>(p);
  }
  return 0;
}

Tensor NpyArray::to_tensor(const std::string& what) const {
  if (numel() > kMaxTensorElements)
    throw Error(fmt::format("{}: shape {} has {} elements, more than fusegen handles ({})", what,
                            shape_str(shape), numel(), kMaxTensorElements));
  Tensor t(shape);
  const size_t n = numel();
  const size_t sz = static_cast<size_t>(npy_dtype_size(dtype));
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* p = bytes.data() + i * sz;
    switch (dtype) {
      case NpyDtype::I8: t.data[i] = static_cast<int8_t>(p[0]); break;
      case NpyDtype::I16: t.data[i] = load_le<int16_t>(p); break;
      case NpyDtype::I32: t.data[i] = load_le<int32_t>(p); break;
      case NpyDtype::I64: t.data[i] = load_le<int64_t>(p); break;
      case NpyDtype::F32: {
        float f = load_le<float>(p);
        if (!std::isfinite(f) || std::nearbyint(f) != f || std::fabs(f) > 9.0e15f)
          throw Error(fmt::format("{}: float32 element {} is {}, not an integer: operators take "
                                  "integer tensors (int8/16/32/64, or float32 holding integers)",
                                  what, i, f));
        t.data[i] = static_cast<int64_t>(f);
        break;
      }
    }
  }
  return t;
}

NpyArray parse_npy(const std::string& b, const std::string& what) {
  if (b.size() < 10 || b.compare(0, 6, kMagic, 6) != 0)
    throw Error(fmt::format("{}: not a .npy file (bad magic)", what));
  const uint8_t major = static_cast<uint8_t>(b[6]);
  size_t hlen, hstart;
  if (major == 1) {
    hlen = static_cast<uint8_t>(b[8]) | (static_cast<size_t>(static_cast<uint8_t>(b[9])) << 8);
    hstart = 10;
  } else if (major == 2 || major == 3) {
    if (b.size() < 12) throw Error(fmt::format("{}: corrupt .npy header (truncated)", what));
    hlen = 0;
    for (int i = 0; i < 4; ++i) hlen |= static_cast<size_t>(static_cast<uint8_t>(b[8 + i])) << (8 * i);
    hstart = 12;
  } else {
    throw Error(fmt::format("{}: unsupported .npy format version {}: supported are 1, 2 and 3", what, major));
  }
  if (hstart + hlen > b.size()) throw Error(fmt::format("{}: corrupt .npy header (truncated)", what));
  std::string header = b.substr(hstart, hlen);
  size_t open = header.find('{');
  if (open == std::string::npos || header.find('}') == std::string::npos)
    throw Error(fmt::format("{}: corrupt .npy header: no dict", what));
  NpyArray a;
  a.dtype = parse_descr(dict_value(header, "descr", what), what);
  std::string fo = dict_value(header, "fortran_order", what);
  if (fo == "True")
    throw Error(fmt::format("{}: Fortran-order .npy arrays are not supported: save with C order "
                            "(numpy.ascontiguousarray)", what));
  if (fo != "False") throw Error(fmt::format("{}: corrupt .npy header: fortran_order is {}", what, fo));
  a.shape = parse_shape(dict_value(header, "shape", what), what);
  size_t numel = 0;
  try {
    numel = a.numel();
  } catch (const Error& e) {
    throw Error(fmt::format("{}: corrupt .npy header: {}", what, e.what()));
  }
  // The header must describe exactly the bytes that follow it (checked without overflow).
  const size_t esize = static_cast<size_t>(npy_dtype_size(a.dtype));
  const size_t have = b.size() - hstart - hlen;
  if (numel > have / esize)
    throw Error(fmt::format("{}: truncated .npy data: shape {} of {} needs {} x {} bytes, file has {}",
                            what, shape_str(a.shape), npy_dtype_name(a.dtype), numel, esize, have));
  const size_t need = numel * esize;
  if (have > need)
    throw Error(fmt::format("{}: corrupt .npy file: {} trailing bytes after the data", what, have - need));
  a.bytes.assign(b.begin() + static_cast<std::ptrdiff_t>(hstart + hlen), b.end());
  return a;
}

NpyArray read_npy(const std::string& path) { return parse_npy(read_file(path), path); }

std::string serialize_npy(const Tensor& t, NpyDtype dtype) {
  if (dtype == NpyDtype::F32) throw Error("writing float32 .npy files is not supported");
  const int sz = npy_dtype_size(dtype);
  const int bits = sz * 8;
  std::string descr = dtype == NpyDtype::I8 ? "|i1" : fmt::format("<i{}", sz);
  std::string shape = "(";
  for (size_t i = 0; i < t.shape.size(); ++i) shape += fmt::format("{}, ", t.shape[i]);
  if (t.shape.size() > 1) shape.resize(shape.size() - 2);
  else if (t.shape.size() == 1) shape.resize(shape.size() - 1);
  shape += ")";
  std::string header = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}", descr, shape);
  // Pad with spaces so that magic + 2 + 2 + header + '\n' is a multiple of 64.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out(kMagic, 6);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>((header.size() >> 8) & 0xff);
  out += header;
  for (size_t i = 0; i < t.data.size(); ++i) {
    int64_t v = t.data[i];
    if (v < signed_min(bits) || v > signed_max(bits))
      throw Error(fmt::format("value {} at element {} does not fit {}", v, i, npy_dtype_name(dtype)));
    uint64_t u = static_cast<uint64_t>(v);
    for (int k = 0; k < sz; ++k) out += static_cast<char>((u >> (8 * k)) & 0xff);
  }
  return out;
}

void write_npy(const std::string& path, const Tensor& t, NpyDtype dtype) {
  write_file_atomic(path, serialize_npy(t, dtype));
}

}  // namespace fusegen
