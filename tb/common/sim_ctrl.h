// Simulation control for Verilated testbenches (lowRISC style): owns the Verilator context,
// the model, the clock, reset, an optional FST trace and a cycle timeout. Verilator plusargs
// (+verilator+rand+reset+2 +verilator+seed+N) are taken from the command line. A protocol
// check of the RTL that fires ($stop after an "ERROR: protocol violation" line on stderr) ends
// the run with ProtocolViolation instead of aborting the process.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "verilated.h"
#include "verilated_fst_c.h"

namespace tb {

// The RTL stopped the simulation at a protocol violation (its ERROR line names the rule).
class ProtocolViolation : public std::runtime_error {
 public:
  explicit ProtocolViolation(uint64_t cycle)
      : std::runtime_error("protocol violation: the RTL stopped the simulation at rising edge " +
                           std::to_string(cycle) + " (its ERROR line on stderr names the rule)") {}
};

template <class Top>
class SimCtrl {
 public:
  SimCtrl(int argc, char** argv, const std::string& trace_path, uint64_t timeout_cycles)
      : ctx_(std::make_unique<VerilatedContext>()), timeout_(timeout_cycles) {
    ctx_->commandArgs(argc, argv);
    ctx_->fatalOnError(false);  // $stop sets gotError(); tick() turns it into ProtocolViolation
    if (!trace_path.empty()) ctx_->traceEverOn(true);
    top_ = std::make_unique<Top>(ctx_.get(), "dut");
    if (!trace_path.empty()) {
      trace_ = std::make_unique<VerilatedFstC>();
      top_->trace(trace_.get(), 99);
      trace_->open(trace_path.c_str());
    }
    top_->clk_i = 0;
  }
  ~SimCtrl() {
    if (trace_) trace_->close();
    top_->final();
  }
  SimCtrl(const SimCtrl&) = delete;
  SimCtrl& operator=(const SimCtrl&) = delete;

  Top& top() { return *top_; }
  uint64_t cycles() const { return cycles_; }  // rising edges since construction

  // Asynchronous active-low reset held for `n` clock cycles, released while the clock is low.
  void reset(int n) {
    top_->rst_ni = 0;
    settle();
    for (int i = 0; i < n; ++i) tick();
    top_->rst_ni = 1;
    settle();
  }
  // Propagates inputs set while the clock is low (outputs are then this cycle's values).
  void settle() {
    top_->eval();
    dump();
  }
  // One rising and one falling edge. Throws std::runtime_error past the timeout and
  // ProtocolViolation when an RTL check fired at this edge.
  void tick() {
    if (++cycles_ > timeout_) throw std::runtime_error("simulation timeout");
    top_->clk_i = 1;
    top_->eval();
    dump();
    if (ctx_->gotError()) throw ProtocolViolation(cycles_);
    top_->clk_i = 0;
    top_->eval();
    dump();
  }

 private:
  void dump() {
    ctx_->timeInc(1);
    if (trace_) trace_->dump(ctx_->time());
  }
  std::unique_ptr<VerilatedContext> ctx_;  // Verilator context (plusargs, time)
  std::unique_ptr<Top> top_;               // the Verilated model
  std::unique_ptr<VerilatedFstC> trace_;   // FST trace, if requested
  uint64_t timeout_;                       // maximum rising edges
  uint64_t cycles_ = 0;                    // rising edges so far
};

}  // namespace tb
