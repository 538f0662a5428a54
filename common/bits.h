// Bit-level helpers shared by every part of fusegen: two's-complement wrap-around that gives the
// golden models the exact behaviour of a hardware register of a given width, signed ranges, and
// the one ceil(log2) used for every derived width, and ceil(a / b).
#pragma once

#include <cstdint>

namespace fusegen {

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

// ceil(a / b) for a >= 0, b >= 1.
inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// ceil(log2(n)) for n >= 1 (0 for n <= 1): the number of bits that index n things.
inline int clog2(int64_t n) {
  int b = 0;
  while ((int64_t{1} << b) < n) ++b;
  return b;
}

// Bits to index n things, at least 1 (a 1-entry table still has a 1-bit index port).
inline int index_width(int64_t n) { return n <= 1 ? 1 : clog2(n); }

}  // namespace fusegen
