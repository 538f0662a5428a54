// The RTL engine of `fusegen run`: generates the array RTL for an ArrayConfig, builds (or
// reuses, sim/verilator_build.h) its Verilated testbench (tb/array/), writes a job, runs the
// testbench and reads back its JSON result.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "golden/array_config.h"

namespace fusegen {

// Cache entry name of a configuration: "array_<R>x<C>_d<DataW>_a<AccW>" (+ "_nostos").
std::string array_tb_name(const ArrayConfig& cfg);

// Emits the RTL for cfg, builds or reuses its testbench and returns the executable's path.
std::string ensure_array_tb(const ArrayConfig& cfg);

struct TbRun {
  int exit_code = 0;          // 0 match, 1 mismatch, 2 testbench error
  nlohmann::json result;      // the testbench's JSON result (null if it wrote none)
};

// Thrown by run_array_tb when the testbench dies by a signal (a crash: e.g. a corrupt cached
// build) instead of exiting with a result.
class TbCrash : public Error {
 public:
  using Error::Error;
};

// Runs the testbench on `job` (written to a temporary file; its "array" and "result" keys are
// set here from cfg and a scratch file).
// `plusargs` go to Verilator, e.g. {"+verilator+rand+reset+2", "+verilator+seed+5"}.
// Throws TbCrash if it died by a signal, fusegen::Error if it could not run or wrote no result.
TbRun run_array_tb(const std::string& exe, const ArrayConfig& cfg, nlohmann::json job,
                   const std::vector<std::string>& plusargs = {});

// ensure_array_tb + run_array_tb. A testbench that crashes is rebuilt once (its cache entry is
// removed first); a second crash is a fusegen::Error naming the cache entry.
TbRun run_array_job(const ArrayConfig& cfg, const nlohmann::json& job);

}  // namespace fusegen
