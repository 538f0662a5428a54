// Stage-by-stage execution of an op on the array (see array_runner.h).
#include "sim/array_runner.h"

#include <fmt/format.h>

#include "golden/common.h"
#include "golden/ops.h"

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

}  // namespace fusegen
