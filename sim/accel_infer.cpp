// Accelerated layers of `fusegen infer` (see accel_infer.h).
#include "sim/accel_infer.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"
#include "golden/accel_compiler.h"
#include "golden/accel_model.h"
#include "golden/cycle_model.h"
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
  overlapped += o.overlapped;
  windowed += o.windowed;
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

int64_t array_alone_cycles(const NetGraph& g, const ArrayConfig& array) {
  const RtlLatencyModel core(array, DwMapping::Stos);
  int64_t cycles = 0;
  for (const auto& n : g.nodes)
    if (n.is_layer) cycles += core.layer_cycles(n.layer);
  return cycles;
}

AccelLayerEngine::AccelLayerEngine(const AccelConfig& c, bool rtl, bool host_requant,
                                   bool overlap)
    : cfg_(c), rtl_(rtl), host_requant_(host_requant), overlap_(overlap) {
  cfg_.validate();
  if (rtl_) tb_exe_ = ensure_accel_tb(cfg_);
}

namespace {

// Elements [i0, i1) of axis `axis` (the outer dimensions kept).
Tensor slice_axis(const Tensor& x, size_t axis, int64_t i0, int64_t i1) {
  if (i0 == 0 && i1 == x.dim(axis)) return x;
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < axis; ++d) outer *= x.shape[d];
  for (size_t d = axis + 1; d < x.shape.size(); ++d) inner *= x.shape[d];
  std::vector<int64_t> shape = x.shape;
  shape[axis] = i1 - i0;
  Tensor y(shape);
  const int64_t n = x.dim(axis);
  for (int64_t o = 0; o < outer; ++o)
    std::copy(x.data.begin() + (o * n + i0) * inner, x.data.begin() + (o * n + i1) * inner,
              y.data.begin() + o * (i1 - i0) * inner);
  return y;
}

// a then b along axis `axis` (the other dimensions equal).
Tensor concat_axis(const Tensor& a, const Tensor& b, size_t axis) {
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < axis; ++d) outer *= a.shape[d];
  for (size_t d = axis + 1; d < a.shape.size(); ++d) inner *= a.shape[d];
  std::vector<int64_t> shape = a.shape;
  shape[axis] += b.dim(axis);
  Tensor y(shape);
  const int64_t na = a.dim(axis) * inner, nb = b.dim(axis) * inner;
  for (int64_t o = 0; o < outer; ++o) {
    std::copy(a.data.begin() + o * na, a.data.begin() + (o + 1) * na,
              y.data.begin() + o * (na + nb));
    std::copy(b.data.begin() + o * nb, b.data.begin() + (o + 1) * nb,
              y.data.begin() + o * (na + nb) + na);
  }
  return y;
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
    return run_conv2d(n, x, w, q, s);
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
      AccelLayerStats fresh;
      fresh.name = s.name;
      fresh.macs = s.macs;
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

std::optional<AccelLayerEngine::GemmPlan> AccelLayerEngine::plan_gemm(
    const std::string& name, const Tensor& x, const Tensor& w, const NodeParams* rq) const {
  // One program holds a pixel block's results of every output channel: raw in OUT, or
  // requantized in ACT beside the block's input lines. A layer with more channels than that
  // runs as several programs, each on a slice of the output channels (the host concatenates
  // them). Narrower slices than that can still be cheaper: a slice whose weights fit WGT keeps
  // them resident (sent once) while the input is re-sent per slice; a wide slice sends the
  // input once but reloads weights that do not fit WGT per chunk of pixel blocks. Of the
  // slicings as wide as the results allow, as wide as OUT allows, and as wide as WGT holds,
  // the one with the fewest stream beats runs. When none fits the instruction buffer, the
  // pixels are split as well: rows of the map (images of an [N, Cin] input), halved until every
  // piece compiles. When one row does not fit either (Cin too large for WGT or ACT) and the
  // results are raw, the reduction is split: partial sums over halves of the input channels,
  // each on the accelerator, added by the host (wrapping at AccW as the accumulators do).
  // With overlap: the whole layer is a candidate as well (requantized results go to OUT, whose
  // tiles take any number of output channels), the slicing with the fewest program_cycles runs,
  // and while that is not double-buffered everywhere (too long for the instruction buffer),
  // smaller row pieces are tried too and the fastest split runs.
  const int64_t R = cfg_.array.rows, C = cfg_.array.cols, cout = w.dim(0);
  const int64_t in_lines = ceil_div(x.dim(1), C);
  const int64_t by_out = std::max<int64_t>(1, cfg_.out_depth() / R) * C;
  const int64_t by_wgt = std::max<int64_t>(1, cfg_.wgt_depth() / std::max<int64_t>(1, x.dim(1))) * C;
  const int64_t first = rq ? std::max<int64_t>(1, cfg_.act_depth() - in_lines) * C : by_out;
  auto compile = [&](const Tensor& xs, int64_t part) {
    std::vector<AccelProgram> progs;
    for (int64_t c0 = 0; c0 < cout; c0 += part) {
      AccelGemmLayer layer;
      layer.name = name;
      layer.weights = slice_axis(w, 0, c0, std::min(cout, c0 + part));  // output channels
      if (rq) {
        layer.shift = rq->shift;
        layer.relu = rq->relu;
      }
      progs.push_back(compile_gemm_chain(cfg_, xs, {layer}, rq != nullptr, overlap_));
    }
    return progs;
  };
  // The cost a slicing is chosen by: stream beats, or with overlap the programs' cycles.
  auto cost = [&](const std::vector<AccelProgram>& progs) {
    uint64_t n = 0;
    for (const AccelProgram& p : progs)
      n += overlap_ ? program_cycles(cfg_, p.program) : p.input.size() + p.output_beats;
    return n;
  };
  auto all_overlapped = [](const std::vector<AccelProgram>& progs) {
    for (const AccelProgram& p : progs)
      if (!p.overlapped) return false;
    return true;
  };
  // The cheapest slicing that compiles; the first slicing's error when none does.
  auto cheapest = [&](const Tensor& xs) {
    std::vector<AccelProgram> best;
    uint64_t best_cost = 0;
    std::string err;
    std::vector<int64_t> parts = {first, by_out, by_wgt};
    if (overlap_) parts.insert(parts.begin(), cout);
    for (size_t i = 0; i < parts.size(); ++i) {
      const int64_t part = parts[i];
      if (i > 0 && (part >= cout || (!rq && part >= by_out && !overlap_) ||
                    std::find(parts.begin(), parts.begin() + i, part) != parts.begin() + i))
        continue;
      try {
        std::vector<AccelProgram> progs = compile(xs, part);
        const uint64_t n = cost(progs);
        if (best.empty() || n < best_cost) {
          best = std::move(progs);
          best_cost = n;
        }
      } catch (const Error& e) {  // e.g. more instructions than the buffer holds
        if (err.empty()) err = e.what();
      }
    }
    if (best.empty()) throw Error(err);
    return best;
  };
  const size_t axis = x.rank() == 4 ? 2 : 0;
  const int64_t extent = x.dim(axis);
  // The pieces of rows-high slices of the map, each with its cheapest slicing (throws when one
  // does not compile).
  auto split = [&](int64_t rows) {
    std::vector<std::vector<AccelProgram>> pieces;
    for (int64_t r0 = 0; r0 < extent; r0 += rows)
      pieces.push_back(cheapest(slice_axis(x, axis, r0, std::min(extent, r0 + rows))));
    return pieces;
  };
  auto split_cost = [&](const std::vector<std::vector<AccelProgram>>& pieces) {
    uint64_t n = 0;
    for (const auto& p : pieces) n += cost(p);
    return n;
  };
  auto split_overlapped = [&](const std::vector<std::vector<AccelProgram>>& pieces) {
    for (const auto& p : pieces)
      if (!all_overlapped(p)) return false;
    return true;
  };
  std::vector<std::vector<AccelProgram>> pieces;
  for (int64_t rows = extent;; rows = (rows + 1) / 2) {
    try {
      pieces = split(rows);
      // With overlap, a program that fell back to one instruction at a time (too long) may be
      // slower than smaller overlapped pieces: try them while that is the case.
      uint64_t pieces_cost = overlap_ ? split_cost(pieces) : 0;
      for (int64_t more = (rows + 1) / 2; overlap_ && rows > 1 && !split_overlapped(pieces);
           more = (more + 1) / 2) {
        try {
          std::vector<std::vector<AccelProgram>> smaller = split(more);
          const uint64_t n = split_cost(smaller);
          if (n < pieces_cost) {
            pieces = std::move(smaller);
            pieces_cost = n;
          }
        } catch (const Error&) {
        }
        if (more == 1) break;
      }
      break;
    } catch (const Error&) {
      if (rows > 1) continue;
      // the caller retries raw; one channel: nothing left to split
      if (rq || x.dim(1) < 2) throw;
      return std::nullopt;
    }
  }
  return GemmPlan{pieces, axis};
}

Tensor AccelLayerEngine::run_plan(const std::string& name, const GemmPlan& plan,
                                  AccelLayerStats& s) {
  Tensor got;
  for (size_t k = 0; k < plan.pieces.size(); ++k) {
    Tensor piece;
    for (size_t i = 0; i < plan.pieces[k].size(); ++i) {
      const Tensor y = run_program(name, plan.pieces[k][i], s);
      piece = i == 0 ? y : concat_axis(piece, y, 1);  // output channels
    }
    got = k == 0 ? piece : concat_axis(got, piece, plan.axis);
  }
  return got;
}

Tensor AccelLayerEngine::run_gemm(const std::string& name, const Tensor& x, const Tensor& w,
                                  const NodeParams* rq, AccelLayerStats& s) {
  if (const std::optional<GemmPlan> plan = plan_gemm(name, x, w, rq))
    return run_plan(name, *plan, s);
  // Not one row of the map fits: partial sums over halves of the input channels (raw results).
  const int64_t cin = x.dim(1), half = cin / 2;
  Tensor a = run_gemm(name, slice_axis(x, 1, 0, half), slice_axis(w, 1, 0, half), nullptr, s);
  const Tensor b =
      run_gemm(name, slice_axis(x, 1, half, cin), slice_axis(w, 1, half, cin), nullptr, s);
  for (size_t i = 0; i < a.data.size(); ++i)
    a.data[i] = wrap_add(a.data[i], b.data[i], cfg_.array.acc_w);
  return a;
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
  for (const auto& [c0, c1] : depthwise_channel_slices(cfg_, x, l, overlap_)) {
    AccelDwLayer part = l;
    part.weights = slice_axis(w, 0, c0, c1);
    const Tensor y = run_program(
        n.name, compile_depthwise(cfg_, slice_channels(x, c0, c1), part, overlap_), s);
    got = c0 == 0 ? y : concat_channels(got, y);
  }
  return got;
}

AccelConv2dLayer conv2d_layer(const GraphNode& n, const Tensor& w, const NodeParams* rq) {
  AccelConv2dLayer l;
  l.name = n.name;
  l.weights = w;
  l.stride = n.params.stride;
  l.pad_h = n.params.pad_h;
  l.pad_w = n.params.pad_w;
  if (rq) {
    l.requantize = true;
    l.shift = rq->shift;
    l.relu = rq->relu;
  }
  return l;
}

Tensor AccelLayerEngine::run_conv2d(const GraphNode& n, const Tensor& x, const Tensor& w,
                                    const NodeParams* rq, AccelLayerStats& s) {
  const AccelConv2dLayer l = conv2d_layer(n, w, rq);
  // GEMM with WIN: the sequencer generates the im2col windows over the input map. It does not
  // compile without the window generator (--im2col off) or when all weights do not fit WGT,
  // one output row's input ACT, or the program the instruction buffer.
  std::optional<AccelProgram> win;
  try {
    win = compile_conv2d(cfg_, x, l, overlap_);
  } catch (const Error&) {
  }
  // GEMMs over the host's im2col map: its rows pad Kh*Kw*Cin to the lanes once, where the
  // windows pad Kw*Cin (or Cin) per kernel row, so on wide arrays it can take fewer folds.
  Tensor wp = w;
  wp.shape = {w.dim(0), w.dim(1) * w.dim(2) * w.dim(3), 1, 1};
  const Tensor cols = im2col_map(x, w, n.params);
  std::optional<GemmPlan> host;
  try {
    host = plan_gemm(n.name, cols, wp, rq);
  } catch (const Error&) {
    if (!win) throw;
  }
  // By cycles even with --no-overlap: the two do different numbers of folds, so stream beats
  // (what the slicings of one GEMM are compared by there) would not do.
  auto host_cycles = [&] {
    uint64_t c = 0;
    for (const auto& piece : host->pieces)
      for (const AccelProgram& p : piece) c += program_cycles(cfg_, p.program);
    return c;
  };
  if (win && (!host || program_cycles(cfg_, win->program) <= host_cycles()))
    return run_program(n.name, *win, s);
  if (host) return run_plan(n.name, *host, s);
  return run_gemm(n.name, cols, wp, rq, s);  // the reduction split over input channels
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
  one.overlapped = p.overlapped ? 1 : 0;
  one.windowed = std::any_of(p.program.begin(), p.program.end(), [](const isa::Instr& in) {
    return (in.w[0] & 0xf) == isa::kWin;
  });
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
