// Runs one `fusegen run` operator or block on the array, stage by stage: lowers it with the
// scheduler (one program per stage), computes each stage's golden output with golden/ops.h,
// hands each placed program to a StageExecutor (the Verilated RTL in tb/array, or any other
// implementation of the port protocol), requantizes between the stages in software exactly
// as the golden block does, and collects cycles, model cycles, MACs and the first mismatch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "golden/array_config.h"
#include "golden/op_request.h"
#include "golden/tensor.h"
#include "golden/schedule.h"

namespace fusegen {

// The first disagreement between the array and the golden model.
struct Mismatch {
  int stage = 0;          // program index (0-based) within the op
  int64_t cycle = -1;     // user cycle of the stage (-1: not a port-level mismatch)
  int row = -1, col = -1; // array row / column of the result (-1: n/a)
  int64_t expected = 0;   // golden value
  int64_t actual = 0;     // array value
  std::string what;       // one-line description
};

// What running one placed program produced.
struct StageRun {
  Tensor out;                       // results scattered into the stage output shape
  int64_t cycles = 0;               // measured: first input to last result, inclusive
  std::optional<Mismatch> mismatch; // first mismatch (value or timing), if any
  int64_t sim_cycles = 0;           // clock cycles simulated (program plus idle tail)
  double sim_seconds = 0.0;         // wall time of the simulation loop (benchmarks only)
};

// Something that runs a placed program on an array implementation.
class StageExecutor {
 public:
  virtual ~StageExecutor() = default;
  // `expected` is the golden stage output (same shape as p.out_shape).
  virtual StageRun run(int stage, const Program& p, const StageTensors& t, const Tensor& expected) = 0;
};

// The op's programs, one per stage, placed. Checks that the op's widths fit the array.
std::vector<Program> lower_op(const OpParams& p, const OpTensors& t, const ArrayConfig& cfg,
                              DwMapping dw);

struct OpRun {
  Tensor out;                           // array output (raw accumulators of the last stage)
  int64_t cycles = 0;                   // measured, sum over stages
  int64_t model_cycles = 0;             // cycle model, sum over stages
  int64_t macs = 0;                     // useful MACs
  double utilization = 0.0;             // macs / (R * C * cycles)
  bool match = false;                   // output equals golden and cycles equal the model
  std::optional<Mismatch> mismatch;     // first problem found
  std::vector<int64_t> stage_cycles;    // measured per stage
  std::vector<int64_t> stage_model;     // model per stage
  int64_t sim_cycles = 0;               // clock cycles simulated, all stages
  double sim_seconds = 0.0;             // wall time simulating, all stages
};

// Validates, lowers and runs the op through `ex`; stops at the first failing stage.
OpRun run_op_on_array(const OpParams& p, const OpTensors& t, const ArrayConfig& cfg, DwMapping dw,
                      StageExecutor& ex);

// Cycle model only (no data): the op's stages lowered and placed. Same lowering as above.
OpRun model_op(const OpParams& p, const OpTensors& t, const ArrayConfig& cfg, DwMapping dw);

// A testbench job (JSON): the array configuration, the depthwise mapping, the cases (one op
// with .npy tensors, or random cases: ops x seeds) and where to write results.
//   {"array": {"rows":4,"cols":4,"data_w":8,"acc_w":32,"stos":true}, "dw_mapping":"os",
//    "op":"dsc", "stride":1, "padding":-1, "shift":0, "relu":false,
//    "x":"in.npy", "w":..., "w_dw":..., "w_row":..., "w_col":..., "w_pw":...,
//    | "random": {"ops":["conv","dw"], "seeds":[1,2], "mix":"mixed"|"extreme"},
//    "output":"out.npy", "trace":"wave.fst", "result":"result.json", "inject_fault":false}
struct ArrayJobCase {
  OpParams params;       // op and parameters
  OpTensors tensors;     // its tensors
  std::string describe;  // for reports
};
struct ArrayJob {
  ArrayConfig cfg;                  // the array the testbench was built for
  DwMapping dw = DwMapping::Os;     // depthwise mapping
  std::vector<ArrayJobCase> cases;  // what to run, in order
  std::string output;               // output .npy of a single case ("" = none)
  std::string trace;                // FST trace path ("" = none)
  std::string result;               // result JSON path ("" = stdout)
  bool inject_fault = false;        // self-test: corrupt the first slice/tap's operands
};
ArrayJob parse_array_job(const std::string& json_text);

// Runs every case through `ex` (stopping at the first failing one), writes the output .npy of
// a single matching case, and returns the result JSON (`cycles`, `model_cycles`, `macs`,
// `utilization`, `match`, first `mismatch` with the seeds to replay it, per-case details).
std::string run_array_job(const ArrayJob& job, StageExecutor& ex, uint64_t sim_seed, bool& all_match);

}  // namespace fusegen
