// Verilated testbench of the generated accelerator (module prefix "acc", docs/accel.md). It
// runs one job file (written by sim/accel_rtl.cpp):
//   {"bus_width": B, "seed": S, "stall": p, "timeout": cycles, "irq": bool,
//    "ibuf": [[w0, w1, w2, w3], ...],              instructions, written through AXI4-Lite
//    "reg_writes": [[addr, data, strb], ...],       extra register writes (BRESP reported)
//    "reg_reads": [addr, ...],                      register reads (data and RRESP reported)
//    "fault": {"beat": k, "bit": b},                optional: flip one input-stream bit
//    "runs": [{"pc_start": pc, "input": [hex beats], "expect": [hex beats]}, ...],
//    "result": path}
// Each run: PC_START, CTRL.START, then the input stream is offered and the output stream taken
// while STATUS is polled at random intervals (or irq_o is awaited) until DONE; then CYCLES,
// ERR_PC and STATUS are read and DONE is cleared. The output stream is compared beat by beat
// with "expect" as it arrives (the first difference is reported). With stall p > 0 every
// VALID/READY the testbench drives is dropped with probability p and AXI4-Lite accesses get
// random delays. Exit 0: all runs finished and matched; 1: a mismatch or a protocol error;
// 2: the job could not run (bad job, timeout).
#include <cstdio>
#include <functional>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "Vacc.h"
#include "common/fileio.h"
#include "tb/accel/axi_bfm.h"
#include "tb/beat_hex.h"
#include "tb/common/sim_ctrl.h"

namespace {

using json = nlohmann::json;
using tb::Beat;

constexpr uint32_t kCtrl = 0x00, kStatus = 0x04, kPcStart = 0x08, kErrPc = 0x0c,
                   kCyclesLo = 0x10, kCyclesHi = 0x14, kIbuf = 0x80000;

class AccelTb {
 public:
  AccelTb(int argc, char** argv, const json& job)
      : job_(job),
        bus_w_(job.at("bus_width").get<int>()),
        stall_(job.value("stall", 0.0)),
        seed_(job.value("seed", uint64_t{1})),
        sim_(argc, argv, job.value("trace", std::string()), job.value("timeout", uint64_t{1} << 40)),
        src_(bus_w_, seed_ * 4 + 1, stall_),
        sink_(bus_w_, seed_ * 4 + 2, stall_),
        axil_(sim_.top(), [this](std::function<void()> f) { step(f); }, seed_ * 4 + 3, stall_) {}

  // Returns the process exit code; the result JSON goes to job["result"].
  int run() {
    auto& t = sim_.top();
    t.s_axis_tvalid_i = 0;
    t.m_axis_tready_i = 0;
    sim_.reset(4);
    json result;
    // Program the instruction buffer.
    const auto& ibuf = job_.at("ibuf");
    for (size_t i = 0; i < ibuf.size(); ++i)
      for (uint32_t k = 0; k < 4; ++k)
        if (axil_.write(kIbuf + uint32_t(16 * i) + 4 * k, ibuf[i][k].get<uint32_t>()) != 0)
          throw std::runtime_error(fmt::format("SLVERR writing instruction {} word {}", i, k));
    for (const auto& w : job_.value("reg_writes", json::array()))
      result["writes"].push_back(
          {{"addr", w[0]}, {"resp", axil_.write(w[0].get<uint32_t>(), w[1].get<uint32_t>(),
                                                 w[2].get<uint32_t>())}});
    for (const auto& a : job_.value("reg_reads", json::array())) {
      int resp = 0;
      const uint32_t d = axil_.read(a.get<uint32_t>(), &resp);
      result["reads"].push_back({{"addr", a}, {"data", d}, {"resp", resp}});
    }
    bool all = true;
    for (const auto& r : job_.value("runs", json::array())) {
      json out = one_run(r);
      all = all && out["mismatch"].is_null() && out["protocol"].get<std::string>().empty();
      result["runs"].push_back(out);
    }
    const std::string text = result.dump() + "\n";
    if (job_.value("result", std::string()).empty())
      fmt::print("{}", text);
    else
      fusegen::write_file_atomic(job_["result"].get<std::string>(), text);
    return all ? 0 : 1;
  }

 private:
  // One clock cycle: the streams drive, inputs settle, this cycle's handshakes are sampled
  // (streams, then the caller's), then the rising edge.
  template <class F>
  void step(F on_sample) {
    auto& t = sim_.top();
    src_.drive(t);
    sink_.drive(t);
    sim_.settle();
    src_.sample(t);
    const std::string e = sink_.sample(t);
    if (!e.empty() && protocol_.empty()) protocol_ = e;
    if (t.irq_o) irq_seen_ = true;
    on_sample();
    sim_.tick();
  }

  // Compares the beats received since `compared` with the expected ones (lockstep with the
  // model's output stream); the first difference goes to `mismatch`.
  void compare(const std::vector<Beat>& expect, size_t& compared, json& mismatch) {
    for (; compared < sink_.beats.size() && mismatch.is_null(); ++compared)
      if (compared >= expect.size() || sink_.beats[compared] != expect[compared])
        mismatch = {{"beat", compared},
                    {"expected", compared < expect.size() ? fusegen::beat_hex(expect[compared], bus_w_)
                                                          : "(no more beats expected)"},
                    {"actual", fusegen::beat_hex(sink_.beats[compared], bus_w_)}};
  }

  json one_run(const json& r) {
    std::vector<Beat> input, expect;
    for (const auto& h : r.at("input")) input.push_back(fusegen::hex_beat(h.get<std::string>(), bus_w_));
    const bool check = r.contains("expect");
    if (check)
      for (const auto& h : r["expect"]) expect.push_back(fusegen::hex_beat(h.get<std::string>(), bus_w_));
    if (job_.contains("fault")) {  // the injected fault: one flipped input bit
      const auto k = job_["fault"]["beat"].get<size_t>();
      const int bit = job_["fault"]["bit"].get<int>();
      if (k < input.size()) input[k][size_t(bit / 32)] ^= 1u << (bit % 32);
    }
    src_ = tb::StreamSource<Vacc>(bus_w_, seed_ * 4 + 1 + 17 * runs_, stall_);
    src_.queue(input);
    sink_.beats.clear();
    sink_.last.clear();
    protocol_.clear();
    irq_seen_ = false;
    ++runs_;
    const bool irq = job_.value("irq", false);
    axil_.write(kPcStart, r.at("pc_start").get<uint32_t>());
    axil_.write(kCtrl, irq ? 3u : 1u);
    uint32_t status = 0;
    json mismatch;
    size_t compared = 0;
    for (;;) {
      // Wait a random while (the streams keep moving), then poll STATUS (or look at irq_o).
      for (int d = axil_.idle_delay(); d >= 0; --d) step([] {});
      if (check) compare(expect, compared, mismatch);
      if (irq && !irq_seen_) continue;
      status = axil_.read(kStatus);
      if (status & 2u) break;
    }
    if (check) compare(expect, compared, mismatch);
    if (check && mismatch.is_null() && sink_.beats.size() < expect.size())
      mismatch = {{"beat", sink_.beats.size()},
                  {"expected", fusegen::beat_hex(expect[sink_.beats.size()], bus_w_)},
                  {"actual", "(the output stream ended)"}};
    const uint64_t cycles = axil_.read(kCyclesLo) | uint64_t(axil_.read(kCyclesHi)) << 32;
    const uint32_t err_pc = axil_.read(kErrPc);
    axil_.write(kStatus, 2u);  // clear DONE
    const uint32_t after = axil_.read(kStatus);
    json out = {{"status", status},
                {"err_code", (status >> 8) & 0xf},
                {"err_pc", err_pc},
                {"cycles", cycles},
                {"input_used", src_.sent()},
                {"irq_seen", irq_seen_},
                {"done_cleared", (after & 2u) == 0},
                {"mismatch", mismatch},
                {"protocol", protocol_},
                {"last", sink_.last}};
    json beats = json::array();
    for (const auto& b : sink_.beats) beats.push_back(fusegen::beat_hex(b, bus_w_));
    out["output"] = beats;
    return out;
  }

  json job_;
  int bus_w_;
  double stall_;
  uint64_t seed_;
  tb::SimCtrl<Vacc> sim_;
  tb::StreamSource<Vacc> src_;
  tb::StreamSink<Vacc> sink_;
  tb::AxiLiteMaster<Vacc, std::function<void(std::function<void()>)>> axil_;
  std::string protocol_;
  bool irq_seen_ = false;
  int runs_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  try {
    std::string job_path;
    for (int i = 1; i < argc; ++i)
      if (argv[i][0] != '+') job_path = argv[i];
    if (job_path.empty()) throw std::runtime_error("usage: accel_tb JOB.json [+verilator+...]");
    const json job = json::parse(fusegen::read_file(job_path));
    AccelTb tb(argc, argv, job);
    return tb.run();
  } catch (const std::exception& e) {
    fmt::print(stderr, "accel_tb: error: {}\n", e.what());
    return 2;
  }
}
