// Common definitions shared by every part of fusegen: the error type that the command line
// turns into "fusegen: error: ..." and exit code 2, and two's-complement helpers that give the
// golden models the exact wrap-around of a hardware register of a given width.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace fusegen {

// A user-facing error: bad parameters, malformed files, impossible configurations.
// The message names what is wrong and what is allowed.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

// Sign-extends the low `bits` bits of v (1 <= bits <= 64): the value a `bits`-wide
// two's-complement register holds after being assigned v.
inline int64_t wrap_signed(int64_t v, int bits) {
  if (bits >= 64) return v;
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  uint64_t u = static_cast<uint64_t>(v) & mask;
  const uint64_t sign = uint64_t{1} << (bits - 1);
  if (u & sign) u |= ~mask;
  return static_cast<int64_t>(u);
}

// Wrapping add / multiply in `bits`-wide two's complement, computed without signed overflow.
inline int64_t wrap_add(int64_t a, int64_t b, int bits) {
  return wrap_signed(static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b)), bits);
}
inline int64_t wrap_mul(int64_t a, int64_t b, int bits) {
  return wrap_signed(static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b)), bits);
}

// Range of a signed `bits`-wide integer.
inline int64_t signed_min(int bits) { return bits >= 64 ? INT64_MIN : -(int64_t{1} << (bits - 1)); }
inline int64_t signed_max(int bits) { return bits >= 64 ? INT64_MAX : (int64_t{1} << (bits - 1)) - 1; }

// The generator version written into every generated file's header.
const char* version();

}  // namespace fusegen
