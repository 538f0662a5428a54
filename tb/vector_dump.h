// Vector dump for the Icarus replay testbench (tb/icarus/array_replay_tb.v): a StageExecutor
// that, instead of simulating, expands each placed program into per-cycle stimulus words and
// the expected output-port words (valid, row, column mask, data) from the golden stage output.
// Stages are concatenated with the same idle tail the Verilator testbench uses.
#pragma once

#include <string>
#include <vector>

#include "tb/array_runner.h"

namespace tb {

class VectorDump : public fusegen::StageExecutor {
 public:
  explicit VectorDump(const fusegen::ArrayConfig& cfg) : cfg_(cfg) {}
  fusegen::StageRun run(int stage, const fusegen::Program& p, const fusegen::StageTensors& t,
                        const fusegen::Tensor& expected) override;
  // Writes stim.hex, exp.hex and tb_params.vh into dir.
  void write(const std::string& dir) const;

 private:
  fusegen::ArrayConfig cfg_;       // array configuration
  std::vector<std::string> stim_;  // one hex word per cycle: {mode, keep, last, en, w, b, a}
  std::vector<std::string> exp_;   // one hex word per cycle: {valid, row, mask, data}
};

}  // namespace tb
