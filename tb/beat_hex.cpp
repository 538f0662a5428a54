// Beats as hex text (see beat_hex.h).
#include "tb/beat_hex.h"

namespace fusegen {

std::string beat_hex(const std::vector<uint32_t>& b, int bus_width) {
  std::string s;
  for (int bit = ((bus_width + 3) / 4 - 1) * 4; bit >= 0; bit -= 4) {
    const size_t k = size_t(bit / 32);
    s += "0123456789abcdef"[k < b.size() ? (b[k] >> (bit % 32)) & 0xf : 0];
  }
  return s;
}

std::vector<uint32_t> hex_beat(const std::string& hex, int bus_width) {
  std::vector<uint32_t> b(size_t((bus_width + 31) / 32), 0);
  int bit = 0;
  for (auto it = hex.rbegin(); it != hex.rend() && bit < bus_width; ++it, bit += 4) {
    const int c = *it;
    const uint32_t v = c >= '0' && c <= '9' ? uint32_t(c - '0') : uint32_t((c | 0x20) - 'a' + 10);
    b[size_t(bit / 32)] |= (v & 0xf) << (bit % 32);
  }
  return b;
}

}  // namespace fusegen
