// The generated accelerator on Verilator: building (or reusing) its testbench
// (tb/accel/accel_tb.cpp, sim/verilator_build.h) and running one job on it. A job programs the
// instruction buffer over AXI4-Lite and runs programs with given input streams, comparing the
// output stream with an expected one beat by beat (docs/accel.md).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "golden/accel_config.h"
#include "golden/accel_model.h"

namespace fusegen {

// Emits the RTL (module prefix "acc"), builds or reuses its Verilated testbench and returns the
// executable's path. Throws fusegen::Error if Verilator is missing or the build fails.
std::string ensure_accel_tb(const AccelConfig& c);

// One program run of a job.
struct AccelTbRun {
  uint32_t pc_start = 0;
  std::vector<Beat> input;
  bool check = false;           // compare the output stream with `expect`
  std::vector<Beat> expect;
};

struct AccelTbJob {
  std::vector<isa::Instr> ibuf;
  std::vector<AccelTbRun> runs;
  uint64_t seed = 1;            // backpressure and AXI4-Lite timing
  double stall = 0;             // probability of each dropped VALID/READY (0 = none)
  bool irq = false;             // wait for irq_o instead of polling STATUS alone
  uint64_t timeout = 0;         // cycles; 0 = derived from the job size
  std::vector<std::array<uint32_t, 3>> reg_writes;  // [addr, data, strb]
  std::vector<uint32_t> reg_reads;
  int fault_beat = -1, fault_bit = 0;  // fault injection: flip one input-stream bit
  uint64_t sim_seed = 0;        // Verilator random initial state (0: zeros)
  std::string trace;            // FST path, if any
};

// Runs the job on the testbench `exe` (ensure_accel_tb(c), built once by the caller); returns
// the testbench's result JSON (see tb/accel/accel_tb.cpp) and its exit code in *rc (0 ok, 1
// mismatch or protocol error). Throws fusegen::Error if the testbench could not run the job
// (timeout, crash).
nlohmann::json run_accel_tb(const std::string& exe, const AccelConfig& c, const AccelTbJob& job,
                            int* rc);

}  // namespace fusegen
