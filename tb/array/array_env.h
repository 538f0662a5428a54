// Verilator environment of the array testbench: simulation control, driver, monitor and a
// per-program scoreboard, exposed as a StageExecutor so tb/array_runner can run whole ops
// (stages, requantization, golden comparison) on the RTL.
#pragma once

#include <chrono>
#include <string>

#include "tb/array_runner.h"
#include "golden/schedule.h"
#include "tb/array/array_driver.h"
#include "tb/array/array_monitor.h"
#include "tb/array/array_scoreboard.h"
#include "tb/common/sim_ctrl.h"

namespace tb {

template <class Top>
class ArrayEnv : public fusegen::StageExecutor {
 public:
  // inject_fault: self-test of the checking, flips the LSB of every operand of the first slice/tap.
  ArrayEnv(int argc, char** argv, const fusegen::ArrayConfig& cfg, const std::string& trace,
           bool inject_fault)
      : cfg_(cfg), sim_(argc, argv, trace, kTimeout), drv_(sim_.top(), cfg), mon_(sim_.top(), cfg),
        inject_(inject_fault) {
    fusegen::PortValues idle;
    idle.a.assign(static_cast<size_t>(cfg.rows), 0);
    idle.b.assign(static_cast<size_t>(cfg.cols), 0);
    idle.w.assign(static_cast<size_t>(cfg.rows), 0);
    drv_.drive(idle);
    sim_.reset(3);
  }

  // Runs one placed program from its cycle 0, then idles until every result must have left
  // the port (plus a margin that catches late or spurious results).
  fusegen::StageRun run(int, const fusegen::Program& p, const fusegen::StageTensors& t,
                        const fusegen::Tensor& expected) override {
    fusegen::Expander ex(p, t);
    ArrayScoreboard sb(p, expected);
    const int64_t end = p.cycles + 2 * (cfg_.rows + cfg_.cols) + 8;
    fusegen::PortValues pv;
    OutBeat beat;
    const auto t0 = std::chrono::steady_clock::now();
    for (int64_t u = 0; u < end; ++u) {
      ex.at(u, pv);
      if (inject_ && pv.en) {
        for (auto* lanes : {&pv.a, &pv.b, &pv.w})
          for (auto& v : *lanes) v ^= 1;  // flip the LSB: stays within the DataW range
        inject_ = false;
      }
      drv_.drive(pv);
      sim_.settle();
      mon_.sample(beat);
      sb.check(u, beat);
      sim_.tick();
    }
    fusegen::StageRun r;
    r.sim_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.sim_cycles = end;
    r.cycles = sb.measured_cycles();
    r.mismatch = sb.mismatch();
    r.out = std::move(sb.out());
    return r;
  }

 private:
  static constexpr uint64_t kTimeout = uint64_t{1} << 40;  // rising edges
  fusegen::ArrayConfig cfg_;  // compiled configuration
  SimCtrl<Top> sim_;          // clock, reset, trace
  ArrayDriver<Top> drv_;      // input edges
  ArrayMonitor<Top> mon_;     // output port
  bool inject_;               // corrupt the next slice/tap (fault-injection self-test)
};

}  // namespace tb
