// Stage-by-stage execution of an op on the array (see array_runner.h).
#include "tb/array_runner.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/fileio.h"
#include "common/text.h"
#include "common/bits.h"
#include "common/error.h"
#include "golden/npy.h"
#include "golden/ops.h"
#include "tb/regress.h"

namespace fusegen {

namespace {

bool is_fuse(OpCode op) { return op == OpCode::FuseFull || op == OpCode::FuseHalf; }

// Weights of each stage, in the order the programs' parts index them.
std::vector<std::vector<const Tensor*>> stage_weights(const OpParams& p, const OpTensors& t) {
  if (p.op == OpCode::Dsc) return {{&t.w_dw}, {&t.w_pw}};
  if (is_fuse(p.op)) return {{&t.w_row, &t.w_col}, {&t.w_pw}};
  return {{&t.w}};
}

// Golden output of the first (spatial) stage of a block, from golden/ops.h.
Tensor golden_first_stage(const OpParams& p, const OpTensors& t) {
  const int64_t pad = effective_padding(p, t);
  if (p.op == OpCode::Dsc) return depthwise_conv(t.x, t.w_dw, p.stride, pad, p.acc_w);
  const int64_t C = t.x.dim(1), cs = p.op == OpCode::FuseHalf ? C / 2 : C;
  const int64_t c0 = p.op == OpCode::FuseHalf ? cs : 0;
  return concat_channels(row_conv(slice_channels(t.x, 0, cs), t.w_row, p.stride, pad, p.acc_w),
                         col_conv(slice_channels(t.x, c0, c0 + cs), t.w_col, p.stride, pad, p.acc_w));
}

void finish(OpRun& r, const ArrayConfig& cfg) {
  const double denom = static_cast<double>(cfg.rows) * cfg.cols * static_cast<double>(r.cycles);
  r.utilization = r.cycles > 0 ? static_cast<double>(r.macs) / denom : 0.0;
}

}  // namespace

std::vector<Program> lower_op(const OpParams& p, const OpTensors& t, const ArrayConfig& cfg,
                              DwMapping dw) {
  cfg.validate();
  validate(p, t);
  if (p.acc_w != cfg.acc_w)
    throw Error(fmt::format("the op accumulates in {} bits but the array has {}-bit accumulators: "
                            "use the same --acc-width for both", p.acc_w, cfg.acc_w));
  if (p.data_w > cfg.data_w)
    throw Error(fmt::format("the op has {}-bit operands but the array takes {}-bit operands: "
                            "--data-width must not exceed the array's", p.data_w, cfg.data_w));
  const std::vector<LayerDesc> layers = op_layers(p, t);
  std::vector<Program> ps;
  if (p.op == OpCode::Dsc) {
    ps.push_back(lower_layer(layers.at(0), cfg, dw));
    ps.push_back(lower_layer(layers.at(1), cfg, dw));
  } else if (is_fuse(p.op)) {
    const int64_t C = t.x.dim(1);
    ps.push_back(lower_fuse_stage(layers.at(0), layers.at(1),
                                  p.op == OpCode::FuseHalf ? C / 2 : 0, cfg));
    ps.push_back(lower_layer(layers.at(2), cfg, dw));
  } else {
    ps.push_back(lower_layer(layers.at(0), cfg, dw));
  }
  for (Program& prog : ps) place(prog);
  return ps;
}

OpRun model_op(const OpParams& p, const OpTensors& t, const ArrayConfig& cfg, DwMapping dw) {
  OpRun r;
  for (const Program& prog : lower_op(p, t, cfg, dw)) {
    r.model_cycles += prog.cycles;
    r.stage_model.push_back(prog.cycles);
    r.macs += prog.macs;
  }
  r.cycles = r.model_cycles;
  finish(r, cfg);
  return r;
}

OpRun run_op_on_array(const OpParams& p, const OpTensors& t, const ArrayConfig& cfg, DwMapping dw,
                      StageExecutor& ex) {
  std::vector<Program> ps = lower_op(p, t, cfg, dw);
  const auto weights = stage_weights(p, t);
  OpRun r;
  Tensor input = t.x;              // stage input (array-computed for later stages)
  for (size_t s = 0; s < ps.size(); ++s) {
    const Program& prog = ps[s];
    Tensor expected;
    if (ps.size() == 1) {
      expected = run_golden(p, t);
    } else if (s == 0) {
      expected = golden_first_stage(p, t);
    } else {
      // Requantize the golden first stage exactly as the golden block does.
      expected = pointwise_conv(requantize(golden_first_stage(p, t), p.shift, p.relu, p.data_w),
                                t.w_pw, p.acc_w);
    }
    StageTensors st{&input, weights[s]};
    StageRun sr = ex.run(static_cast<int>(s), prog, st, expected);
    r.stage_cycles.push_back(sr.cycles);
    r.stage_model.push_back(prog.cycles);
    r.cycles += sr.cycles;
    r.model_cycles += prog.cycles;
    r.macs += prog.macs;
    r.sim_cycles += sr.sim_cycles;
    r.sim_seconds += sr.sim_seconds;
    if (sr.mismatch) {
      r.mismatch = sr.mismatch;
      r.mismatch->stage = static_cast<int>(s);
    } else if (sr.cycles != prog.cycles) {
      Mismatch m;
      m.stage = static_cast<int>(s);
      m.expected = prog.cycles;
      m.actual = sr.cycles;
      m.what = fmt::format("stage {} took {} cycles on the array but the cycle model says {}", s,
                           sr.cycles, prog.cycles);
      r.mismatch = m;
    }
    r.out = std::move(sr.out);
    if (r.mismatch) break;
    if (s + 1 < ps.size()) input = requantize(r.out, p.shift, p.relu, p.data_w);
  }
  if (!r.mismatch) {
    const Tensor golden = run_golden(p, t);
    if (golden.shape != r.out.shape || golden.data != r.out.data) {
      Mismatch m;
      m.stage = static_cast<int>(ps.size()) - 1;
      m.what = "the array output differs from the golden op although every stage matched";
      r.mismatch = m;
    }
  }
  r.match = !r.mismatch;
  finish(r, cfg);
  return r;
}

namespace {

using nlohmann::json;

Tensor load_npy(const json& j, const char* key) {
  if (!j.contains(key)) return {};
  const std::string path = j.at(key).get<std::string>();
  return read_npy(path).to_tensor(path);
}

json mismatch_json(const std::optional<Mismatch>& m) {
  if (!m) return nullptr;
  return {{"stage", m->stage}, {"cycle", m->cycle}, {"row", m->row}, {"col", m->col},
          {"expected", m->expected}, {"actual", m->actual}, {"what", m->what}};
}

}  // namespace

ArrayJob parse_array_job(const std::string& json_text) {
  json j;
  try {
    j = json::parse(json_text);
  } catch (const json::exception& e) {
    throw Error(fmt::format("testbench job is not valid JSON: {}", e.what()));
  }
  ArrayJob job;
  const json& a = j.at("array");
  job.cfg.rows = a.at("rows").get<int>();
  job.cfg.cols = a.at("cols").get<int>();
  job.cfg.data_w = a.at("data_w").get<int>();
  job.cfg.acc_w = a.at("acc_w").get<int>();
  job.cfg.stos = a.at("stos").get<bool>();
  job.cfg.mac_stages = a.value("mac_stages", job.cfg.mac_stages);
  job.cfg.bcast_group = a.value("bcast_group", job.cfg.bcast_group);
  job.cfg.reset = ArrayConfig::parse_reset(a.value("reset", "async"), "testbench job reset");
  job.cfg.validate();
  job.dw = parse_dw_mapping(j.value("dw_mapping", "os"));
  job.output = j.value("output", "");
  job.trace = j.value("trace", "");
  job.result = j.value("result", "");
  job.inject_fault = j.value("inject_fault", false);
  if (j.contains("random")) {
    const json& r = j.at("random");
    const ValueMix mix = r.value("mix", "mixed") == "extreme" ? ValueMix::Extreme : ValueMix::Mixed;
    for (const auto& op : r.at("ops"))
      for (const auto& s : r.at("seeds")) {
        RandomCase rc = random_case(parse_opcode(op.get<std::string>()), s.get<uint64_t>(), job.cfg, mix);
        job.cases.push_back({rc.params, rc.tensors, rc.describe});
      }
  } else {
    ArrayJobCase c;
    c.params.op = parse_opcode(j.at("op").get<std::string>());
    c.params.stride = j.value("stride", int64_t{1});
    c.params.padding = j.value("padding", int64_t{-1});
    c.params.shift = j.value("shift", 0);
    c.params.relu = j.value("relu", false);
    c.params.data_w = j.value("data_w", job.cfg.data_w);
    c.params.acc_w = j.value("acc_w", job.cfg.acc_w);
    c.tensors.x = load_npy(j, "x");
    c.tensors.w = load_npy(j, "w");
    c.tensors.w_dw = load_npy(j, "w_dw");
    c.tensors.w_row = load_npy(j, "w_row");
    c.tensors.w_col = load_npy(j, "w_col");
    c.tensors.w_pw = load_npy(j, "w_pw");
    c.describe = fmt::format("{} x{}", opcode_name(c.params.op), shape_str(c.tensors.x.shape));
    job.cases.push_back(std::move(c));
  }
  return job;
}

std::string run_array_job(const ArrayJob& job, StageExecutor& ex, uint64_t sim_seed, bool& all_match) {
  json results = json::array();
  all_match = true;
  int64_t cycles = 0, model = 0, macs = 0, sim_cycles = 0;
  double sim_seconds = 0.0;
  json first_mismatch = nullptr;
  Tensor last_out;
  for (const ArrayJobCase& c : job.cases) {
    OpRun r = run_op_on_array(c.params, c.tensors, job.cfg, job.dw, ex);
    cycles += r.cycles;
    model += r.model_cycles;
    macs += r.macs;
    sim_cycles += r.sim_cycles;
    sim_seconds += r.sim_seconds;
    json m = mismatch_json(r.mismatch);
    if (r.mismatch) {
      m["case"] = c.describe;
      m["dw_mapping"] = dw_mapping_name(job.dw);
      m["sim_seed"] = sim_seed;
      if (first_mismatch.is_null()) first_mismatch = m;
      fmt::print(stderr,
                 "MISMATCH {} (dw {}), stage {}, cycle {}, row {}, col {}: expected {}, got {}: "
                 "{}; replay with this case's seed and +verilator+seed+{}\n",
                 c.describe, dw_mapping_name(job.dw), r.mismatch->stage, r.mismatch->cycle,
                 r.mismatch->row, r.mismatch->col, r.mismatch->expected, r.mismatch->actual,
                 r.mismatch->what, sim_seed);
    }
    all_match = all_match && r.match;
    results.push_back({{"case", c.describe}, {"cycles", r.cycles}, {"model_cycles", r.model_cycles},
                       {"macs", r.macs}, {"utilization", r.utilization}, {"match", r.match},
                       {"stage_cycles", r.stage_cycles}, {"stage_model_cycles", r.stage_model},
                       {"mismatch", m}});
    last_out = std::move(r.out);
    if (!r.match) break;
  }
  const double util = cycles > 0 ? static_cast<double>(macs) /
                                       (static_cast<double>(job.cfg.rows) * job.cfg.cols *
                                        static_cast<double>(cycles))
                                 : 0.0;
  json out = {{"cycles", cycles}, {"model_cycles", model}, {"macs", macs}, {"utilization", util},
              {"match", all_match}, {"mismatch", first_mismatch}, {"sim_seed", sim_seed},
              {"sim_cycles", sim_cycles}, {"sim_seconds", sim_seconds}, {"cases", results}};
  if (!job.output.empty() && job.cases.size() == 1 && all_match)
    write_npy(job.output, last_out, job.cfg.acc_w <= 32 ? NpyDtype::I32 : NpyDtype::I64);
  return out.dump(2) + "\n";
}

}  // namespace fusegen
