// Bit-field access to Verilated ports of any width: CData/SData/IData/QData integers and
// VlWide<N> word arrays. Fields may straddle 32-bit words; at most 64 bits per field.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "verilated.h"

namespace tb {

template <typename T>
inline void put_bits(T& port, int lsb, int width, uint64_t v) {
  static_assert(std::is_integral_v<T>, "integral port");
  const uint64_t mask = width >= 64 ? ~uint64_t{0} : ((uint64_t{1} << width) - 1);
  uint64_t p = static_cast<uint64_t>(port);
  p = (p & ~(mask << lsb)) | ((v & mask) << lsb);
  port = static_cast<T>(p);
}

template <std::size_t N>
inline void put_bits(VlWide<N>& port, int lsb, int width, uint64_t v) {
  for (int done = 0; done < width;) {
    const int bit = lsb + done, word = bit / 32, off = bit % 32;
    const int n = std::min(32 - off, width - done);
    const uint32_t mask = (n == 32 ? 0xffffffffu : ((1u << n) - 1u)) << off;
    const uint32_t chunk = (static_cast<uint32_t>(v >> done) << off) & mask;
    port[word] = (port[word] & ~mask) | chunk;
    done += n;
  }
}

template <typename T>
inline uint64_t get_bits(const T& port, int lsb, int width) {
  static_assert(std::is_integral_v<T>, "integral port");
  const uint64_t mask = width >= 64 ? ~uint64_t{0} : ((uint64_t{1} << width) - 1);
  return (static_cast<uint64_t>(port) >> lsb) & mask;
}

template <std::size_t N>
inline uint64_t get_bits(const VlWide<N>& port, int lsb, int width) {
  uint64_t v = 0;
  for (int done = 0; done < width;) {
    const int bit = lsb + done, word = bit / 32, off = bit % 32;
    const int n = std::min(32 - off, width - done);
    const uint64_t chunk = (static_cast<uint64_t>(port[word]) >> off) &
                           (n == 32 ? 0xffffffffull : ((uint64_t{1} << n) - 1));
    v |= chunk << done;
    done += n;
  }
  return v;
}

}  // namespace tb
