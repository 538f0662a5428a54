// Driver of the array's input edges (left a_i, top b_i, broadcast w_i and the control) from
// the scheduler's per-cycle port values.
#pragma once

#include <stdexcept>
#include <type_traits>
#include <utility>

#include "golden/array_config.h"
#include "golden/schedule.h"
#include "tb/common/port_bits.h"

namespace tb {

// Whether the model has the ST-OS ports (in_mode_i, w_i): false for --no-stos builds.
template <class T, class = void>
struct has_stos_ports : std::false_type {};
template <class T>
struct has_stos_ports<T, std::void_t<decltype(std::declval<T&>().w_i),
                                     decltype(std::declval<T&>().in_mode_i)>> : std::true_type {};

// Storage bits of a port and whether `needed` bits select exactly that storage size.
template <class P>
bool port_fits(const P& port, int needed) {
  const int bits = static_cast<int>(sizeof(port) * 8);
  if (needed > bits) return false;
  return bits <= 8 ? needed >= 1 : bits > 64 ? bits - needed < 32 : needed > bits / 2;
}

template <class Top>
class ArrayDriver {
 public:
  // Throws std::runtime_error if cfg is not the configuration the model was built for.
  ArrayDriver(Top& top, const fusegen::ArrayConfig& cfg) : top_(top), cfg_(cfg) {
    if (cfg.stos != has_stos_ports<Top>::value || !port_fits(top.a_i, cfg.rows * cfg.data_w) ||
        !port_fits(top.b_i, cfg.cols * cfg.data_w) || !port_fits(top.out_data_o, cfg.cols * cfg.acc_w))
      throw std::runtime_error("the job's array configuration is not the one this testbench was "
                               "built for");
  }

  // Sets every input port for the current cycle (clock low).
  void drive(const fusegen::PortValues& v) {
    const int dw = cfg_.data_w;
    top_.in_en_i = v.en;
    top_.in_last_i = v.last;
    top_.in_keep_i = v.keep;
    for (int r = 0; r < cfg_.rows; ++r) put_bits(top_.a_i, r * dw, dw, static_cast<uint64_t>(v.a[r]));
    for (int c = 0; c < cfg_.cols; ++c) put_bits(top_.b_i, c * dw, dw, static_cast<uint64_t>(v.b[c]));
    if constexpr (has_stos_ports<Top>::value) {
      top_.in_mode_i = v.mode;
      for (int r = 0; r < cfg_.rows; ++r) put_bits(top_.w_i, r * dw, dw, static_cast<uint64_t>(v.w[r]));
    }
  }

 private:
  Top& top_;                   // the Verilated model
  fusegen::ArrayConfig cfg_;   // its configuration
};

}  // namespace tb
