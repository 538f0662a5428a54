// Verilator testbench of one generated array configuration (compiled with -DTB_ROWS, TB_COLS,
// TB_DATA_W, TB_ACC_W, TB_STOS; model class Vdut). Usage:
//   V<top>_tb JOB.json [+verilator+rand+reset+2 +verilator+seed+N]
// The job names the op and its tensors (.npy paths) or random cases (ops x seeds), the
// depthwise mapping and where to write the output .npy, the FST trace and the JSON result
// (`cycles`, `model_cycles`, `macs`, `utilization`, `match`, first `mismatch`). Exit status:
// 0 all cases match golden and the cycle model, 1 mismatch, 2 bad job or simulation error.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "Vdut.h"
#include "generator/output.h"
#include "golden/common.h"
#include "golden/npy.h"
#include "sim/array_runner.h"
#include "sim/regress.h"
#include "tb/array/array_env.h"

namespace {

using nlohmann::json;

struct Case {
  fusegen::OpParams params;    // op and parameters
  fusegen::OpTensors tensors;  // its tensors
  std::string describe;        // for reports
};

fusegen::Tensor load(const json& j, const char* key) {
  if (!j.contains(key)) return {};
  const std::string path = j.at(key).get<std::string>();
  return fusegen::read_npy(path).to_tensor(path);
}

json mismatch_json(const std::optional<fusegen::Mismatch>& m) {
  if (!m) return nullptr;
  return {{"stage", m->stage}, {"cycle", m->cycle}, {"row", m->row}, {"col", m->col},
          {"expected", m->expected}, {"actual", m->actual}, {"what", m->what}};
}

class ArrayTb {
 public:
  ArrayTb(int argc, char** argv) : argc_(argc), argv_(argv) {}

  int run() {
    try {
      return run_job();
    } catch (const std::exception& e) {
      fmt::print(stderr, "array_tb: error: {}\n", e.what());
      return 2;
    }
  }

 private:
  int run_job() {
    std::string job_path;
    for (int i = 1; i < argc_; ++i)
      if (argv_[i][0] != '+') job_path = argv_[i];
    if (job_path.empty()) throw fusegen::Error("usage: array_tb JOB.json [+verilator+...]");
    const json job = json::parse(fusegen::read_file(job_path));
    uint64_t sim_seed = 0;
    for (int i = 1; i < argc_; ++i) {
      const std::string a = argv_[i];
      if (a.rfind("+verilator+seed+", 0) == 0) sim_seed = std::stoull(a.substr(16));
    }

    fusegen::ArrayConfig cfg;
    cfg.rows = TB_ROWS;
    cfg.cols = TB_COLS;
    cfg.data_w = TB_DATA_W;
    cfg.acc_w = TB_ACC_W;
    cfg.stos = TB_STOS != 0;
    const fusegen::DwMapping dw = fusegen::parse_dw_mapping(job.value("dw_mapping", "os"));

    std::vector<Case> cases;
    if (job.contains("random")) {
      const json& r = job.at("random");
      const auto mix = r.value("mix", "mixed") == "extreme" ? fusegen::ValueMix::Extreme
                                                           : fusegen::ValueMix::Mixed;
      for (const auto& op : r.at("ops"))
        for (const auto& s : r.at("seeds")) {
          fusegen::RandomCase rc =
              fusegen::random_case(fusegen::parse_opcode(op.get<std::string>()), s.get<uint64_t>(), cfg, mix);
          cases.push_back({rc.params, rc.tensors, rc.describe});
        }
    } else {
      Case c;
      c.params.op = fusegen::parse_opcode(job.at("op").get<std::string>());
      c.params.stride = job.value("stride", int64_t{1});
      c.params.padding = job.value("padding", int64_t{-1});
      c.params.shift = job.value("shift", 0);
      c.params.relu = job.value("relu", false);
      c.params.data_w = job.value("data_w", cfg.data_w);
      c.params.acc_w = job.value("acc_w", cfg.acc_w);
      c.tensors.x = load(job, "x");
      c.tensors.w = load(job, "w");
      c.tensors.w_dw = load(job, "w_dw");
      c.tensors.w_row = load(job, "w_row");
      c.tensors.w_col = load(job, "w_col");
      c.tensors.w_pw = load(job, "w_pw");
      c.describe = fmt::format("{} x{}", job.at("op").get<std::string>(), fusegen::shape_str(c.tensors.x.shape));
      cases.push_back(std::move(c));
    }

    tb::ArrayEnv<Vdut> env(argc_, argv_, cfg, job.value("trace", ""));
    json results = json::array();
    bool all = true;
    int64_t cycles = 0, model = 0, macs = 0;
    json first_mismatch = nullptr;
    fusegen::Tensor last_out;
    for (const Case& c : cases) {
      fusegen::OpRun r = fusegen::run_op_on_array(c.params, c.tensors, cfg, dw, env);
      cycles += r.cycles;
      model += r.model_cycles;
      macs += r.macs;
      json m = mismatch_json(r.mismatch);
      if (r.mismatch) {
        m["case"] = c.describe;
        m["sim_seed"] = sim_seed;
        if (first_mismatch.is_null()) first_mismatch = m;
        fmt::print(stderr,
                   "MISMATCH {} (dw {}), stage {}, cycle {}, row {}, col {}: expected {}, got {}: "
                   "{}; replay with +verilator+seed+{}\n",
                   c.describe, fusegen::dw_mapping_name(dw), r.mismatch->stage, r.mismatch->cycle,
                   r.mismatch->row, r.mismatch->col, r.mismatch->expected, r.mismatch->actual,
                   r.mismatch->what, sim_seed);
      }
      all = all && r.match;
      results.push_back({{"case", c.describe}, {"cycles", r.cycles}, {"model_cycles", r.model_cycles},
                         {"macs", r.macs}, {"utilization", r.utilization}, {"match", r.match},
                         {"stage_cycles", r.stage_cycles}, {"stage_model_cycles", r.stage_model},
                         {"mismatch", m}});
      last_out = std::move(r.out);
      if (!r.match) break;
    }
    const double util = cycles > 0 ? static_cast<double>(macs) / (static_cast<double>(cfg.rows) *
                                                                  cfg.cols * static_cast<double>(cycles))
                                   : 0.0;
    json out = {{"cycles", cycles}, {"model_cycles", model}, {"macs", macs}, {"utilization", util},
                {"match", all}, {"mismatch", first_mismatch}, {"sim_seed", sim_seed},
                {"sim_cycles", env.sim_cycles()}, {"cases", results}};
    if (job.contains("output") && cases.size() == 1 && all)
      fusegen::write_npy(job.at("output").get<std::string>(), last_out,
                         cfg.acc_w <= 32 ? fusegen::NpyDtype::I32 : fusegen::NpyDtype::I64);
    if (job.contains("result"))
      fusegen::write_file_atomic(job.at("result").get<std::string>(), out.dump(2) + "\n");
    else
      fmt::print("{}\n", out.dump(2));
    return all ? 0 : 1;
  }

  int argc_;     // command line
  char** argv_;  // (plusargs go to Verilator)
};

}  // namespace

int main(int argc, char** argv) {
  ArrayTb tb(argc, argv);
  return tb.run();
}
