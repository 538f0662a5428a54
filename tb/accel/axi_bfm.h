// Bus-functional models of the accelerator testbench (docs/accel.md, ports): an AXI4-Lite
// master with randomized VALID delays and READY stalls, an AXI4-Stream source that drops
// TVALID at random and an AXI4-Stream sink that drops TREADY at random (each with a
// probability; 0 = no backpressure). They share one clock loop: drive() before the inputs
// settle, sample() after (the handshakes of this cycle), then the edge. Random decisions come
// from one seeded generator, so a run is reproducible from its seed.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "tb/common/port_bits.h"

namespace tb {

// One stream beat: BusW bits in 32-bit chunks, chunk 0 = bits 31:0.
using Beat = std::vector<uint32_t>;

template <typename Port>
void put_beat(Port& port, const Beat& b, int bus_w) {
  for (int k = 0; k * 32 < bus_w; ++k)
    put_bits(port, 32 * k, std::min(32, bus_w - 32 * k), k < int(b.size()) ? b[size_t(k)] : 0);
}

template <typename Port>
Beat get_beat(const Port& port, int bus_w) {
  Beat b;
  for (int k = 0; k * 32 < bus_w; ++k)
    b.push_back(uint32_t(get_bits(port, 32 * k, std::min(32, bus_w - 32 * k))));
  return b;
}

// Random stalls: stall() is true with probability p (never when p == 0).
class Stalls {
 public:
  Stalls(uint64_t seed, double p) : rng_(seed), p_(p) {}
  bool stall() { return p_ > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < p_; }
  int delay(int max) {  // 0..max cycles, 0 when stalls are off
    return p_ > 0 ? std::uniform_int_distribution<int>(0, max)(rng_) : 0;
  }

 private:
  std::mt19937_64 rng_;
  double p_;
};

// AXI4-Stream source (the accelerator's s_axis): offers the queued beats in order.
template <class Top>
class StreamSource {
 public:
  StreamSource(int bus_w, uint64_t seed, double p) : bus_w_(bus_w), stalls_(seed, p) {}
  void queue(const std::vector<Beat>& beats) { beats_.insert(beats_.end(), beats.begin(),
                                                             beats.end()); }
  void drive(Top& t) {
    valid_ = next_ < beats_.size() && !stalls_.stall();
    t.s_axis_tvalid_i = valid_;
    if (valid_) put_beat(t.s_axis_tdata_i, beats_[next_], bus_w_);
  }
  void sample(const Top& t) {
    if (valid_ && t.s_axis_tready_o) ++next_;
  }
  uint64_t sent() const { return next_; }
  uint64_t queued() const { return beats_.size(); }

 private:
  int bus_w_;
  Stalls stalls_;
  std::vector<Beat> beats_;
  uint64_t next_ = 0;
  bool valid_ = false;
};

// AXI4-Stream sink (the accelerator's m_axis): collects beats and the TLAST positions, and
// checks that TDATA/TLAST hold while TVALID waits for TREADY (AXI4-Stream rule).
template <class Top>
class StreamSink {
 public:
  StreamSink(int bus_w, uint64_t seed, double p) : bus_w_(bus_w), stalls_(seed, p) {}
  void drive(Top& t) {
    ready_ = !stalls_.stall();
    t.m_axis_tready_i = ready_;
  }
  // Returns an empty string, or the violated rule.
  std::string sample(const Top& t) {
    std::string err;
    if (t.m_axis_tvalid_o) {
      const Beat b = get_beat(t.m_axis_tdata_o, bus_w_);
      if (waiting_ && (b != held_ || bool(t.m_axis_tlast_o) != held_last_))
        err = "m_axis TDATA/TLAST changed while TVALID waited for TREADY";
      if (ready_) {
        if (t.m_axis_tlast_o) last.push_back(beats.size());
        beats.push_back(b);
        waiting_ = false;
      } else {
        waiting_ = true;
        held_ = b;
        held_last_ = t.m_axis_tlast_o;
      }
    } else if (waiting_) {
      err = "m_axis TVALID dropped before TREADY";
    }
    return err;
  }
  std::vector<Beat> beats;        // received beats
  std::vector<uint64_t> last;     // indices of beats with TLAST

 private:
  int bus_w_;
  Stalls stalls_;
  bool ready_ = false, waiting_ = false, held_last_ = false;
  Beat held_;
};

// AXI4-Lite master: one transaction at a time; step() advances the shared clock loop (the
// streams keep moving while a register access is in progress).
template <class Top, class Step>
class AxiLiteMaster {
 public:
  AxiLiteMaster(Top& t, Step step, uint64_t seed, double p)
      : t_(t), step_(step), stalls_(seed, p) {
    t_.s_axil_awvalid_i = 0;
    t_.s_axil_wvalid_i = 0;
    t_.s_axil_bready_i = 0;
    t_.s_axil_arvalid_i = 0;
    t_.s_axil_rready_i = 0;
  }
  // Returns BRESP. AW and W are raised after independent random delays.
  int write(uint32_t addr, uint32_t data, uint32_t strb = 0xf) {
    int aw_wait = stalls_.delay(3), w_wait = stalls_.delay(3);
    bool aw_done = false, w_done = false;
    t_.s_axil_awaddr_i = addr;
    t_.s_axil_wdata_i = data;
    t_.s_axil_wstrb_i = strb;
    while (!aw_done || !w_done) {
      t_.s_axil_awvalid_i = !aw_done && aw_wait <= 0;
      t_.s_axil_wvalid_i = !w_done && w_wait <= 0;
      const bool aw_hs = t_.s_axil_awvalid_i, w_hs = t_.s_axil_wvalid_i;
      step_([&] {
        if (aw_hs && t_.s_axil_awready_o) aw_done = true;
        if (w_hs && t_.s_axil_wready_o) w_done = true;
      });
      --aw_wait;
      --w_wait;
    }
    t_.s_axil_awvalid_i = 0;
    t_.s_axil_wvalid_i = 0;
    int resp = -1;
    while (resp < 0) {
      t_.s_axil_bready_i = !stalls_.stall();
      const bool ready = t_.s_axil_bready_i;
      step_([&] {
        if (ready && t_.s_axil_bvalid_o) resp = t_.s_axil_bresp_o;
      });
    }
    t_.s_axil_bready_i = 0;
    return resp;
  }
  // Returns the data; *resp receives RRESP.
  uint32_t read(uint32_t addr, int* resp = nullptr) {
    for (int d = stalls_.delay(3); d > 0; --d) step_([] {});
    t_.s_axil_araddr_i = addr;
    bool done = false;
    while (!done) {
      t_.s_axil_arvalid_i = 1;
      step_([&] { done = t_.s_axil_arready_o; });
    }
    t_.s_axil_arvalid_i = 0;
    uint32_t data = 0;
    int r = -1;
    while (r < 0) {
      t_.s_axil_rready_i = !stalls_.stall();
      const bool ready = t_.s_axil_rready_i;
      step_([&] {
        if (ready && t_.s_axil_rvalid_o) {
          r = t_.s_axil_rresp_o;
          data = t_.s_axil_rdata_o;
        }
      });
    }
    t_.s_axil_rready_i = 0;
    if (resp) *resp = r;
    return data;
  }
  int idle_delay() { return stalls_.delay(40); }

 private:
  Top& t_;
  Step step_;
  Stalls stalls_;
};

}  // namespace tb
