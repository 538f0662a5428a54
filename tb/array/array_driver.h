// Driver of the array's input edges (left a_i, top b_i, broadcast w_i and the control) from
// the scheduler's per-cycle port values.
#pragma once

#include "generator/array_config.h"
#include "sim/schedule.h"
#include "tb/common/port_bits.h"

namespace tb {

template <class Top>
class ArrayDriver {
 public:
  ArrayDriver(Top& top, const fusegen::ArrayConfig& cfg) : top_(top), cfg_(cfg) {}

  // Sets every input port for the current cycle (clock low).
  void drive(const fusegen::PortValues& v) {
    const int dw = cfg_.data_w;
    top_.in_en_i = v.en;
    top_.in_last_i = v.last;
    top_.in_keep_i = v.keep;
    for (int r = 0; r < cfg_.rows; ++r) put_bits(top_.a_i, r * dw, dw, static_cast<uint64_t>(v.a[r]));
    for (int c = 0; c < cfg_.cols; ++c) put_bits(top_.b_i, c * dw, dw, static_cast<uint64_t>(v.b[c]));
#if TB_STOS
    top_.in_mode_i = v.mode;
    for (int r = 0; r < cfg_.rows; ++r) put_bits(top_.w_i, r * dw, dw, static_cast<uint64_t>(v.w[r]));
#endif
  }

 private:
  Top& top_;                   // the Verilated model
  fusegen::ArrayConfig cfg_;   // its configuration
};

}  // namespace tb
