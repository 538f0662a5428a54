// Accelerated layers of `fusegen infer` (see accel_infer.h).
#include "sim/accel_infer.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/error.h"
#include "golden/accel_compiler.h"
#include "golden/accel_model.h"
#include "golden/infer.h"
#include "golden/ops.h"
#include "sim/accel_rtl.h"

namespace fusegen {

AccelLayerStats& AccelLayerStats::operator+=(const AccelLayerStats& o) {
  macs += o.macs;
  cycles += o.cycles;
  gemm_cycles += o.gemm_cycles;
  rtl_cycles += o.rtl_cycles;
  instructions += o.instructions;
  programs += o.programs;
  act_reads += o.act_reads;
  act_writes += o.act_writes;
  wgt_reads += o.wgt_reads;
  wgt_writes += o.wgt_writes;
  out_reads += o.out_reads;
  out_writes += o.out_writes;
  bytes_in += o.bytes_in;
  bytes_out += o.bytes_out;
  return *this;  // requant names a layer's node: not summed
}

AccelLayerEngine::AccelLayerEngine(const AccelConfig& c, bool rtl, bool host_requant)
    : cfg_(c), rtl_(rtl), host_requant_(host_requant) {
  cfg_.validate();
  if (rtl_) tb_exe_ = ensure_accel_tb(cfg_);
}

namespace {

// [N, Cout] tensors side by side (fully-connected output-channel slices).
Tensor concat_columns(const Tensor& a, const Tensor& b) {
  Tensor cat({a.dim(0), a.dim(1) + b.dim(1)});
  for (int64_t i = 0; i < a.dim(0); ++i) {
    for (int64_t j = 0; j < a.dim(1); ++j) cat.at(i, j) = a.at(i, j);
    for (int64_t j = 0; j < b.dim(1); ++j) cat.at(i, a.dim(1) + j) = b.at(i, j);
  }
  return cat;
}

// Output channels [c0, c1) of weights [Cout, ...].
Tensor slice_outputs(const Tensor& w, int64_t c0, int64_t c1) {
  if (c0 == 0 && c1 == w.dim(0)) return w;
  std::vector<int64_t> shape = w.shape;
  shape[0] = c1 - c0;
  Tensor out(shape);
  const size_t per = w.numel() / size_t(w.dim(0));
  std::copy(w.data.begin() + ptrdiff_t(size_t(c0) * per),
            w.data.begin() + ptrdiff_t(size_t(c1) * per), out.data.begin());
  return out;
}

// The stem's im2col on the host: x [N, Cin, H, W] -> [N, Cin*Kh*Kw, Ho, Wo], channel t of
// pixel (oh, ow) = im2col column t of that output pixel, so the convolution is a pointwise
// layer with weights [Cout, Cin*Kh*Kw, 1, 1] (the same numbers as [Cout, Cin, Kh, Kw]).
Tensor im2col_map(const Tensor& x, const Tensor& w, const NodeParams& np) {
  Conv2dParams p;
  p.stride_h = p.stride_w = np.stride;
  p.pad_h = np.pad_h;
  p.pad_w = np.pad_w;
  const int64_t kh = w.dim(2), kw = w.dim(3);
  const Tensor cols = im2col(x, kh, kw, p);  // [N*Ho*Wo, Cin*Kh*Kw]
  const int64_t n = x.dim(0), t = cols.dim(1);
  const int64_t ho = (x.dim(2) + 2 * p.pad_h - kh) / p.stride_h + 1;
  const int64_t wo = (x.dim(3) + 2 * p.pad_w - kw) / p.stride_w + 1;
  Tensor m({n, t, ho, wo});
  for (int64_t b = 0; b < n; ++b)
    for (int64_t y = 0; y < ho; ++y)
      for (int64_t xx = 0; xx < wo; ++xx)
        for (int64_t k = 0; k < t; ++k) m.at(b, k, y, xx) = cols.at((b * ho + y) * wo + xx, k);
  return m;
}

}  // namespace

HookResult AccelLayerEngine::run(const LayerCall& call, Tensor* y) {
  const GraphNode& n = call.node;
  const Tensor &x = call.x, &w = call.w;
  switch (n.op) {
    case NodeOp::Pw:
    case NodeOp::Fc:
    case NodeOp::Conv:
    case NodeOp::Dw:
    case NodeOp::Row:
    case NodeOp::Col: break;
    default: return HookResult::NotTaken;
  }
  const NodeParams* rq = call.requant && !host_requant_ ? &call.requant->params : nullptr;
  AccelLayerStats s;
  s.name = n.name;
  s.macs = uint64_t(n.layer.macs());
  auto compute = [&](const NodeParams* q) {
    if (n.op == NodeOp::Pw || n.op == NodeOp::Fc) return run_gemm(n.name, x, w, q, s);
    if (n.op == NodeOp::Dw || n.op == NodeOp::Row || n.op == NodeOp::Col)
      return run_depthwise(n, x, w, q, s);
    Tensor wp = w;  // the stem: a GEMM over the host's im2col map
    wp.shape = {w.dim(0), w.dim(1) * w.dim(2) * w.dim(3), 1, 1};
    return run_gemm(n.name, im2col_map(x, w, n.params), wp, q, s);
  };
  Tensor got;
  try {
    try {
      got = compute(rq);
    } catch (const AccelMismatch&) {
      throw;
    } catch (const Error&) {
      // Requantized results need ACT room beside the input; when that does not fit, the raw
      // accumulators through OUT may (the host then requantizes). The costs start over.
      if (!rq) throw;
      rq = nullptr;
      const AccelLayerStats fresh{s.name, s.macs};
      s = fresh;
      got = compute(nullptr);
    }
  } catch (const AccelMismatch&) {
    throw;
  } catch (const Error& e) {
    throw Error(fmt::format("accelerator: {}", e.what()));
  }
  if (rq) s.requant = call.requant->name;
  Tensor want = run_layer(n, x, w, cfg_.array.acc_w);
  if (rq) want = requantize(want, rq->shift, rq->relu, cfg_.array.data_w);
  if (got.shape != want.shape || got.data != want.data)
    throw AccelMismatch(fmt::format("accelerator: layer '{}': the model's result differs from "
                                    "the golden operator{}", n.name,
                                    rq ? " and its requantization" : ""));
  stats_.push_back(s);
  *y = std::move(got);
  return rq ? HookResult::Requantized : HookResult::Raw;
}

Tensor AccelLayerEngine::run_gemm(const std::string& name, const Tensor& x, const Tensor& w,
                                  const NodeParams* rq, AccelLayerStats& s) {
  // One program holds a pixel block's results of every output channel: raw in OUT, or
  // requantized in ACT beside the block's input lines. A layer with more channels than that
  // runs as several programs, each on a slice of the output channels (the host concatenates
  // them).
  const int64_t R = cfg_.array.rows, C = cfg_.array.cols, cout = w.dim(0);
  const int64_t in_lines = (x.dim(1) + C - 1) / C;
  const int64_t part =
      std::max<int64_t>(1, rq ? cfg_.act_depth() - in_lines : cfg_.out_depth() / R) * C;
  Tensor got;
  for (int64_t c0 = 0; c0 < cout; c0 += part) {
    AccelGemmLayer layer;
    layer.name = name;
    layer.weights = slice_outputs(w, c0, std::min(cout, c0 + part));
    if (rq) {
      layer.shift = rq->shift;
      layer.relu = rq->relu;
    }
    const Tensor y = run_program(name, compile_gemm_chain(cfg_, x, {layer}, rq != nullptr), s);
    got = c0 == 0 ? y : got.rank() == 4 ? concat_channels(got, y) : concat_columns(got, y);
  }
  return got;
}

Tensor AccelLayerEngine::run_depthwise(const GraphNode& n, const Tensor& x, const Tensor& w,
                                       const NodeParams* rq, AccelLayerStats& s) {
  AccelDwLayer l;
  l.name = n.name;
  l.weights = w;
  l.stride = n.params.stride;
  l.pad_h = n.op == NodeOp::Row ? 0 : n.params.pad_h;  // as the golden operators pad
  l.pad_w = n.op == NodeOp::Dw ? n.params.pad_h : n.op == NodeOp::Row ? n.params.pad_w : 0;
  if (rq) {
    l.requantize = true;
    l.shift = rq->shift;
    l.relu = rq->relu;
  }
  Tensor got;
  for (const auto& [c0, c1] : depthwise_channel_slices(cfg_, x, l)) {
    AccelDwLayer part = l;
    part.weights = slice_outputs(w, c0, c1);
    const Tensor y = run_program(n.name, compile_depthwise(cfg_, slice_channels(x, c0, c1), part), s);
    got = c0 == 0 ? y : concat_channels(got, y);
  }
  return got;
}

Tensor AccelLayerEngine::run_program(const std::string& name, const AccelProgram& p,
                                     AccelLayerStats& s) {
  AccelModel model(cfg_);  // fresh scratchpads: every program stands alone
  const AccelRun m = model.run(p.program, 0, p.input);
  if (m.err != isa::kOk)
    throw AccelMismatch(fmt::format("accelerator: layer '{}': the model stopped with error {} "
                                    "at instruction {}", name, m.err, m.err_pc));
  AccelLayerStats one;
  one.programs = 1;
  one.cycles = m.cycles;
  one.gemm_cycles = m.gemm_cycles;
  one.instructions = m.instructions;
  one.act_reads = m.act_reads;
  one.act_writes = m.act_writes;
  one.wgt_reads = m.wgt_reads;
  one.wgt_writes = m.wgt_writes;
  one.out_reads = m.out_reads;
  one.out_writes = m.out_writes;
  one.bytes_in = p.input.size() * uint64_t(cfg_.bus_width) / 8;
  one.bytes_out = m.output.size() * uint64_t(cfg_.bus_width) / 8;
  if (rtl_) {
    AccelTbJob job;
    job.ibuf = p.program;
    job.runs.push_back({0, p.input, true, m.output});
    int rc = 0;
    const nlohmann::json res = run_accel_tb(tb_exe_, cfg_, job, &rc);
    const auto& run = res["runs"][0];
    if (!run["mismatch"].is_null())
      throw AccelMismatch(fmt::format("accelerator RTL: layer '{}': output beat {} differs from "
                                      "the model: expected {}, actual {}", name,
                                      run["mismatch"]["beat"].get<uint64_t>(),
                                      run["mismatch"]["expected"].get<std::string>(),
                                      run["mismatch"]["actual"].get<std::string>()));
    if (run["err_code"].get<int>() != 0 || rc != 0)
      throw AccelMismatch(fmt::format("accelerator RTL: layer '{}': stopped with error {} at "
                                      "instruction {}{}", name, run["err_code"].get<int>(),
                                      run["err_pc"].get<uint32_t>(),
                                      run["protocol"].get<std::string>().empty()
                                          ? "" : " (" + run["protocol"].get<std::string>() + ")"));
    const uint64_t rtl_cycles = run["cycles"].get<uint64_t>();
    if (rtl_cycles != m.cycles)
      throw AccelMismatch(fmt::format("accelerator RTL: layer '{}': {} cycles, the model says "
                                      "{}", name, rtl_cycles, m.cycles));
    one.rtl_cycles = rtl_cycles;
  }
  s += one;
  return decode_output(cfg_, p, m.output);
}

}  // namespace fusegen
