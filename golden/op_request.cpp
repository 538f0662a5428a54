// Validation and golden evaluation of a `fusegen run` request.
#include "golden/op_request.h"

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"
#include "golden/ops.h"

namespace fusegen {

namespace {
struct OpInfo {
  OpCode op;
  const char* name;
};
const OpInfo kOps[] = {{OpCode::Conv, "conv"}, {OpCode::Dw, "dw"},   {OpCode::Row, "row"},
                       {OpCode::Col, "col"},   {OpCode::Pw, "pw"},   {OpCode::Fc, "fc"},
                       {OpCode::Dsc, "dsc"},   {OpCode::FuseFull, "fuse-full"},
                       {OpCode::FuseHalf, "fuse-half"}};

void require_rank(const Tensor& t, int rank, const std::string& what, const std::string& layout) {
  if (t.shape.empty()) throw Error(fmt::format("{} is missing: expected layout {}", what, layout));
  if (t.rank() != rank)
    throw Error(fmt::format("{} has shape {}: expected layout {}", what, shape_str(t.shape), layout));
  for (int64_t d : t.shape)
    if (d <= 0) throw Error(fmt::format("{} has shape {}: every dimension must be positive", what, shape_str(t.shape)));
}

void require_dims(const Tensor& t, const std::vector<int64_t>& expect, const std::string& what,
                  const std::string& layout) {
  require_rank(t, static_cast<int>(expect.size()), what, layout);
  if (t.shape != expect)
    throw Error(fmt::format("{} has shape {}: expected {} ({})", what, shape_str(t.shape),
                            shape_str(expect), layout));
}

void require_values(const Tensor& t, int data_w, const std::string& what) {
  const int64_t lo = signed_min(data_w), hi = signed_max(data_w);
  for (size_t i = 0; i < t.data.size(); ++i)
    if (t.data[i] < lo || t.data[i] > hi)
      throw Error(fmt::format("{} element {} is {}: does not fit a signed {}-bit value ({}..{}); "
                              "change --data-width or the data", what, i, t.data[i], data_w, lo, hi));
}

int64_t odd_kernel(int64_t k, const std::string& what) {
  if (k < 1) throw Error(fmt::format("{}: kernel size must be >= 1", what));
  return k;
}

void check_output_size(int64_t in, int64_t pad, int64_t k, int64_t stride, const std::string& what) {
  if (in + 2 * pad < k)
    throw Error(fmt::format("{}: kernel {} does not fit input size {} with padding {}", what, k, in, pad));
  (void)stride;
}
}  // namespace

const char* opcode_name(OpCode op) {
  for (const auto& o : kOps)
    if (o.op == op) return o.name;
  return "?";
}

OpCode parse_opcode(const std::string& name) {
  std::string all;
  for (const auto& o : kOps) {
    if (name == o.name) return o.op;
    all += (all.empty() ? "" : ", ") + std::string(o.name);
  }
  throw Error(fmt::format("unknown op '{}': choose one of {}", name, all));
}

bool is_block(OpCode op) { return op == OpCode::Dsc || op == OpCode::FuseFull || op == OpCode::FuseHalf; }

int64_t effective_padding(const OpParams& p, const OpTensors& t) {
  if (p.op == OpCode::Pw || p.op == OpCode::Fc) return p.padding < 0 ? 0 : p.padding;
  if (p.padding >= 0) return p.padding;
  switch (p.op) {
    case OpCode::Conv:
    case OpCode::Dw: return t.w.dim(2) / 2;
    case OpCode::Row: return t.w.dim(3) / 2;
    case OpCode::Col: return t.w.dim(2) / 2;
    case OpCode::Dsc: return t.w_dw.dim(2) / 2;
    case OpCode::FuseFull:
    case OpCode::FuseHalf: return t.w_row.dim(3) / 2;
    default: return 0;
  }
}

void validate(const OpParams& p, const OpTensors& t) {
  if (p.data_w < 2 || p.data_w > 16)
    throw Error(fmt::format("--data-width {} is out of range: allowed 2..16", p.data_w));
  if (p.acc_w < 8 || p.acc_w > 64)
    throw Error(fmt::format("--acc-width {} is out of range: allowed 8..64", p.acc_w));
  if (p.acc_w < 2 * p.data_w)
    throw Error(fmt::format("--acc-width {} must be at least 2 x --data-width ({})", p.acc_w, 2 * p.data_w));
  if (p.stride < 1 || p.stride > 64) throw Error(fmt::format("--stride {} is out of range: allowed 1..64", p.stride));
  if (p.padding < -1 || p.padding > 64) throw Error(fmt::format("--padding {} is out of range: allowed 0..64", p.padding));
  if (p.shift < 0 || p.shift > 62) throw Error(fmt::format("--shift {} is out of range: allowed 0..62", p.shift));
  if (!is_block(p.op) && (p.shift != 0 || p.relu))
    throw Error(fmt::format("--shift/--relu requantize between the stages of a block; op '{}' is a "
                            "single operator (use dsc, fuse-full or fuse-half)", opcode_name(p.op)));

  const Tensor& x = t.x;
  if (p.op == OpCode::Fc) {
    if (x.rank() != 2 && x.rank() != 4)
      throw Error(fmt::format("input has shape {}: fc expects [N, in] or [N, in, 1, 1]", shape_str(x.shape)));
    if (x.rank() == 4 && (x.dim(2) != 1 || x.dim(3) != 1))
      throw Error(fmt::format("input has shape {}: fc expects [N, in] or [N, in, 1, 1]", shape_str(x.shape)));
    require_rank(t.w, 2, "--w", "[out, in]");
    if (t.w.dim(1) != x.dim(1))
      throw Error(fmt::format("--w has shape {}: fc weights must be [out, {}] for input {}",
                              shape_str(t.w.shape), x.dim(1), shape_str(x.shape)));
    if (p.stride != 1) throw Error("--stride does not apply to fc");
    require_values(x, p.data_w, "input");
    require_values(t.w, p.data_w, "--w");
    return;
  }
  require_rank(x, 4, "input", "[N, C, H, W]");
  const int64_t C = x.dim(1), H = x.dim(2), W = x.dim(3);
  require_values(x, p.data_w, "input");
  const int64_t pad = p.padding;  // -1 resolved per op below
  switch (p.op) {
    case OpCode::Conv: {
      require_rank(t.w, 4, "--w", "[Cout, Cin, Kh, Kw]");
      if (t.w.dim(1) != C)
        throw Error(fmt::format("--w has shape {}: conv weights must be [Cout, {}, Kh, Kw] for input {}",
                                shape_str(t.w.shape), C, shape_str(x.shape)));
      const int64_t ph = pad < 0 ? t.w.dim(2) / 2 : pad, pw = pad < 0 ? t.w.dim(3) / 2 : pad;
      check_output_size(H, ph, t.w.dim(2), p.stride, "conv");
      check_output_size(W, pw, t.w.dim(3), p.stride, "conv");
      require_values(t.w, p.data_w, "--w");
      break;
    }
    case OpCode::Dw: {
      require_rank(t.w, 4, "--w", "[C, 1, K, K]");
      const int64_t K = odd_kernel(t.w.dim(2), "dw");
      require_dims(t.w, {C, 1, K, K}, "--w", "depthwise [C, 1, K, K]");
      const int64_t pp = pad < 0 ? K / 2 : pad;
      check_output_size(H, pp, K, p.stride, "dw");
      check_output_size(W, pp, K, p.stride, "dw");
      require_values(t.w, p.data_w, "--w");
      break;
    }
    case OpCode::Row: {
      require_rank(t.w, 4, "--w", "[C, 1, 1, K]");
      const int64_t K = odd_kernel(t.w.dim(3), "row");
      require_dims(t.w, {C, 1, 1, K}, "--w", "row (1xK) [C, 1, 1, K]");
      check_output_size(W, pad < 0 ? K / 2 : pad, K, p.stride, "row");
      require_values(t.w, p.data_w, "--w");
      break;
    }
    case OpCode::Col: {
      require_rank(t.w, 4, "--w", "[C, 1, K, 1]");
      const int64_t K = odd_kernel(t.w.dim(2), "col");
      require_dims(t.w, {C, 1, K, 1}, "--w", "col (Kx1) [C, 1, K, 1]");
      check_output_size(H, pad < 0 ? K / 2 : pad, K, p.stride, "col");
      require_values(t.w, p.data_w, "--w");
      break;
    }
    case OpCode::Pw: {
      require_rank(t.w, 4, "--w", "[Cout, Cin, 1, 1]");
      if (t.w.dim(1) != C || t.w.dim(2) != 1 || t.w.dim(3) != 1)
        throw Error(fmt::format("--w has shape {}: pointwise weights must be [Cout, {}, 1, 1]",
                                shape_str(t.w.shape), C));
      if (p.stride != 1) throw Error("--stride does not apply to pw (1x1 convs run with stride 1)");
      require_values(t.w, p.data_w, "--w");
      break;
    }
    case OpCode::Dsc: {
      require_rank(t.w_dw, 4, "--w-dw", "[C, 1, K, K]");
      const int64_t K = odd_kernel(t.w_dw.dim(2), "dsc");
      require_dims(t.w_dw, {C, 1, K, K}, "--w-dw", "depthwise [C, 1, K, K]");
      const int64_t pp = pad < 0 ? K / 2 : pad;
      check_output_size(H, pp, K, p.stride, "dsc");
      check_output_size(W, pp, K, p.stride, "dsc");
      require_rank(t.w_pw, 4, "--w-pw", "[Cout, C, 1, 1]");
      if (t.w_pw.dim(1) != C || t.w_pw.dim(2) != 1 || t.w_pw.dim(3) != 1)
        throw Error(fmt::format("--w-pw has shape {}: dsc pointwise weights must be [Cout, {}, 1, 1]",
                                shape_str(t.w_pw.shape), C));
      require_values(t.w_dw, p.data_w, "--w-dw");
      require_values(t.w_pw, p.data_w, "--w-pw");
      break;
    }
    case OpCode::FuseFull:
    case OpCode::FuseHalf: {
      const bool half = p.op == OpCode::FuseHalf;
      if (half && C % 2 != 0)
        throw Error(fmt::format("fuse-half splits the {} input channels into two halves: C must be even", C));
      const int64_t Cs = half ? C / 2 : C;
      require_rank(t.w_row, 4, "--w-row", "[C', 1, 1, K]");
      const int64_t K = odd_kernel(t.w_row.dim(3), "fuse");
      require_dims(t.w_row, {Cs, 1, 1, K}, "--w-row", half ? "[C/2, 1, 1, K]" : "[C, 1, 1, K]");
      require_dims(t.w_col, {Cs, 1, K, 1}, "--w-col", half ? "[C/2, 1, K, 1]" : "[C, 1, K, 1]");
      const int64_t pp = pad < 0 ? K / 2 : pad;
      check_output_size(W, pp, K, p.stride, "fuse row filter");
      check_output_size(H, pp, K, p.stride, "fuse column filter");
      // Row filter output: H is not padded, stride s; column filter: W not padded. Both must
      // give the same Ho x Wo to be concatenated: true whenever pad == K/2 (the default).
      const int64_t ho_r = (H - 1) / p.stride + 1, wo_r = (W + 2 * pp - K) / p.stride + 1;
      const int64_t ho_c = (H + 2 * pp - K) / p.stride + 1, wo_c = (W - 1) / p.stride + 1;
      if (ho_r != ho_c || wo_r != wo_c)
        throw Error(fmt::format("fuse: with padding {} the 1x{} output ({}x{}) and the {}x1 output "
                                "({}x{}) differ and cannot be concatenated; use padding {}",
                                pp, K, ho_r, wo_r, K, ho_c, wo_c, K / 2));
      const int64_t Cmid = half ? C : 2 * C;
      require_rank(t.w_pw, 4, "--w-pw", "[Cout, C', 1, 1]");
      if (t.w_pw.dim(1) != Cmid || t.w_pw.dim(2) != 1 || t.w_pw.dim(3) != 1)
        throw Error(fmt::format("--w-pw has shape {}: {} pointwise weights must be [Cout, {}, 1, 1]",
                                shape_str(t.w_pw.shape), opcode_name(p.op), Cmid));
      require_values(t.w_row, p.data_w, "--w-row");
      require_values(t.w_col, p.data_w, "--w-col");
      require_values(t.w_pw, p.data_w, "--w-pw");
      break;
    }
    case OpCode::Fc: break;
  }
}

Tensor run_golden(const OpParams& p, const OpTensors& t) {
  validate(p, t);
  const int64_t pad = effective_padding(p, t);
  BlockParams bp;
  bp.stride = p.stride;
  bp.pad = pad;
  bp.shift = p.shift;
  bp.relu = p.relu;
  bp.data_w = p.data_w;
  bp.acc_w = p.acc_w;
  switch (p.op) {
    case OpCode::Conv: {
      Conv2dParams c;
      c.stride_h = c.stride_w = p.stride;
      c.pad_h = p.padding < 0 ? t.w.dim(2) / 2 : p.padding;  // "same" per axis
      c.pad_w = p.padding < 0 ? t.w.dim(3) / 2 : p.padding;
      c.acc_w = p.acc_w;
      return conv2d(t.x, t.w, c);
    }
    case OpCode::Dw: return depthwise_conv(t.x, t.w, p.stride, pad, p.acc_w);
    case OpCode::Row: return row_conv(t.x, t.w, p.stride, pad, p.acc_w);
    case OpCode::Col: return col_conv(t.x, t.w, p.stride, pad, p.acc_w);
    case OpCode::Pw: return pointwise_conv(t.x, t.w, p.acc_w);
    case OpCode::Fc: return fully_connected(t.x, t.w, p.acc_w);
    case OpCode::Dsc: return dsc_block(t.x, t.w_dw, t.w_pw, bp);
    case OpCode::FuseFull: return fuse_block(t.x, t.w_row, t.w_col, t.w_pw, false, bp);
    case OpCode::FuseHalf: return fuse_block(t.x, t.w_row, t.w_col, t.w_pw, true, bp);
  }
  return {};
}

std::vector<LayerDesc> op_layers(const OpParams& p, const OpTensors& t) {
  const int64_t pad = effective_padding(p, t);
  auto with_pad = [&](LayerDesc d, int64_t ph, int64_t pw) {
    d.pad_h = ph;
    d.pad_w = pw;
    return d;
  };
  if (p.op == OpCode::Fc) return {fc_layer("fc", t.w.dim(1), t.w.dim(0), t.x.dim(0))};
  const int64_t N = t.x.dim(0), C = t.x.dim(1), H = t.x.dim(2), W = t.x.dim(3);
  switch (p.op) {
    case OpCode::Conv: {
      LayerDesc d = conv_layer("conv", C, H, W, t.w.dim(0), t.w.dim(2), p.stride, N);
      d.kw = t.w.dim(3);
      return {with_pad(d, p.padding < 0 ? d.kh / 2 : pad, p.padding < 0 ? d.kw / 2 : pad)};
    }
    case OpCode::Dw: return {with_pad(dw_layer("dw", C, H, W, t.w.dim(2), p.stride, N), pad, pad)};
    case OpCode::Row: return {with_pad(row_layer("row", C, H, W, t.w.dim(3), p.stride, N), 0, pad)};
    case OpCode::Col: return {with_pad(col_layer("col", C, H, W, t.w.dim(2), p.stride, N), pad, 0)};
    case OpCode::Pw: return {pw_layer("pw", C, H, W, t.w.dim(0), N)};
    case OpCode::Dsc: {
      LayerDesc dw = with_pad(dw_layer("dsc.dw", C, H, W, t.w_dw.dim(2), p.stride, N), pad, pad);
      return {dw, pw_layer("dsc.pw", C, dw.ho(), dw.wo(), t.w_pw.dim(0), N)};
    }
    case OpCode::FuseFull:
    case OpCode::FuseHalf: {
      const bool half = p.op == OpCode::FuseHalf;
      const int64_t Cs = half ? C / 2 : C, K = t.w_row.dim(3);
      LayerDesc r = with_pad(row_layer("fuse.row", Cs, H, W, K, p.stride, N), 0, pad);
      LayerDesc c = with_pad(col_layer("fuse.col", Cs, H, W, K, p.stride, N), pad, 0);
      return {r, c, pw_layer("fuse.pw", half ? C : 2 * C, r.ho(), r.wo(), t.w_pw.dim(0), N)};
    }
    case OpCode::Fc: break;
  }
  return {};
}

}  // namespace fusegen
