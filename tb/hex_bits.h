// A little-endian bit vector rendered as one hex word, MSB first: the stimulus and expected
// words of the Icarus replay vectors ($readmemh), for the array and the null cache.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tb {

struct HexBits {
  std::vector<bool> b;  // bit i = weight 2^i
  // Appends the low `width` bits of v (bits above 63 are 0).
  void push(uint64_t v, int width) {
    for (int i = 0; i < width; ++i) b.push_back(i < 64 && ((v >> i) & 1));
  }
  std::string hex() const {
    const size_t digits = (b.size() + 3) / 4;
    std::string s(digits, '0');
    for (size_t d = 0; d < digits; ++d) {
      int v = 0;
      for (int k = 0; k < 4; ++k) {
        const size_t i = d * 4 + k;
        if (i < b.size() && b[i]) v |= 1 << k;
      }
      s[digits - 1 - d] = "0123456789abcdef"[v];
    }
    return s;
  }
};

}  // namespace tb
