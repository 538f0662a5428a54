// Monitor of the array's output port: one beat per cycle (valid, row, sign-extended columns).
#pragma once

#include <cstdint>
#include <vector>

#include "golden/array_config.h"
#include "common/bits.h"
#include "common/error.h"
#include "tb/common/port_bits.h"

namespace tb {

struct OutBeat {
  bool valid = false;          // out_valid_o
  int row = 0;                 // out_row_o
  std::vector<int64_t> data;   // out_data_o columns, signed AccW-bit values
};

template <class Top>
class ArrayMonitor {
 public:
  ArrayMonitor(Top& top, const fusegen::ArrayConfig& cfg) : top_(top), cfg_(cfg) {}

  // Samples the port in the current cycle (after inputs settled, before the clock edge).
  void sample(OutBeat& b) const {
    b.valid = top_.out_valid_o;
    b.row = static_cast<int>(top_.out_row_o);
    b.data.resize(static_cast<size_t>(cfg_.cols));
    if (!b.valid) return;
    for (int c = 0; c < cfg_.cols; ++c)
      b.data[c] = fusegen::wrap_signed(
          static_cast<int64_t>(get_bits(top_.out_data_o, c * cfg_.acc_w, cfg_.acc_w)), cfg_.acc_w);
  }

 private:
  Top& top_;                   // the Verilated model
  fusegen::ArrayConfig cfg_;   // its configuration
};

}  // namespace tb
