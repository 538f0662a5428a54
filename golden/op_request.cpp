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

int64_t kernel_size(int64_t k, const std::string& what) {
  if (k < 1) throw Error(fmt::format("{}: kernel size must be >= 1", what));
  return k;
}

// Padding of the spatial stage for kernel size k: --padding, or K/2 ("same") if not given.
int64_t pad_for(const OpParams& p, int64_t k) { return p.padding < 0 ? k / 2 : p.padding; }

void check_fits(int64_t in, int64_t pad, int64_t k, const std::string& what) {
  if (in + 2 * pad < k)
    throw Error(fmt::format("{}: kernel {} does not fit input size {} with padding {}", what, k, in, pad));
}

// 1x1 and fully connected layers have neither stride nor padding.
void check_no_stride_padding(const OpParams& p, const char* why) {
  if (p.stride != 1) throw Error(fmt::format("--stride does not apply to {}", why));
  if (p.padding > 0) throw Error(fmt::format("--padding does not apply to {}", why));
}

// Pointwise weights [Cout, cin, 1, 1] of `option`; `what` and `layout` name them in messages.
void check_pointwise(const Tensor& w, int64_t cin, const std::string& option, const std::string& what,
                     const char* layout) {
  require_rank(w, 4, option, layout);
  if (w.dim(1) != cin || w.dim(2) != 1 || w.dim(3) != 1)
    throw Error(fmt::format("{} has shape {}: {} weights must be [Cout, {}, 1, 1]", option,
                            shape_str(w.shape), what, cin));
}

// Parameter ranges, independent of the tensors.
void check_params(const OpParams& p) {
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
}

void check_fc(const OpParams& p, const OpTensors& t) {
  const Tensor& x = t.x;
  if ((x.rank() != 2 && x.rank() != 4) || (x.rank() == 4 && (x.dim(2) != 1 || x.dim(3) != 1)))
    throw Error(fmt::format("input has shape {}: fc expects [N, in] or [N, in, 1, 1]", shape_str(x.shape)));
  require_rank(x, x.rank(), "input", "[N, in] or [N, in, 1, 1]");  // every dimension positive
  require_rank(t.w, 2, "--w", "[out, in]");
  if (t.w.dim(1) != x.dim(1))
    throw Error(fmt::format("--w has shape {}: fc weights must be [out, {}] for input {}",
                            shape_str(t.w.shape), x.dim(1), shape_str(x.shape)));
  check_no_stride_padding(p, "fc");
  require_values(x, p.data_w, "input");
  require_values(t.w, p.data_w, "--w");
}

void check_conv(const OpParams& p, const OpTensors& t) {
  const Tensor& x = t.x;
  require_rank(t.w, 4, "--w", "[Cout, Cin, Kh, Kw]");
  if (t.w.dim(1) != x.dim(1))
    throw Error(fmt::format("--w has shape {}: conv weights must be [Cout, {}, Kh, Kw] for input {}",
                            shape_str(t.w.shape), x.dim(1), shape_str(x.shape)));
  check_fits(x.dim(2), pad_for(p, t.w.dim(2)), t.w.dim(2), "conv");
  check_fits(x.dim(3), pad_for(p, t.w.dim(3)), t.w.dim(3), "conv");
  require_values(t.w, p.data_w, "--w");
}

// KxK depthwise weights [C, 1, K, K] of `option` (dw, and the first stage of dsc).
void check_depthwise(const OpParams& p, const OpTensors& t, const Tensor& w, const std::string& option,
                     const char* what) {
  const int64_t C = t.x.dim(1);
  require_rank(w, 4, option, "[C, 1, K, K]");
  const int64_t K = kernel_size(w.dim(2), what);
  require_dims(w, {C, 1, K, K}, option, "depthwise [C, 1, K, K]");
  check_fits(t.x.dim(2), pad_for(p, K), K, what);
  check_fits(t.x.dim(3), pad_for(p, K), K, what);
}

// 1xK (row) or Kx1 (col) depthwise weights.
void check_row_col(const OpParams& p, const OpTensors& t) {
  const bool row = p.op == OpCode::Row;
  const int64_t C = t.x.dim(1);
  require_rank(t.w, 4, "--w", row ? "[C, 1, 1, K]" : "[C, 1, K, 1]");
  const int64_t K = kernel_size(t.w.dim(row ? 3 : 2), row ? "row" : "col");
  if (row) require_dims(t.w, {C, 1, 1, K}, "--w", "row (1xK) [C, 1, 1, K]");
  else require_dims(t.w, {C, 1, K, 1}, "--w", "col (Kx1) [C, 1, K, 1]");
  check_fits(t.x.dim(row ? 3 : 2), pad_for(p, K), K, row ? "row" : "col");
  require_values(t.w, p.data_w, "--w");
}

void check_fuse(const OpParams& p, const OpTensors& t) {
  const int64_t C = t.x.dim(1), H = t.x.dim(2), W = t.x.dim(3);
  const bool half = p.op == OpCode::FuseHalf;
  if (half && C % 2 != 0)
    throw Error(fmt::format("fuse-half splits the {} input channels into two halves: C must be even", C));
  const int64_t Cs = half ? C / 2 : C;
  require_rank(t.w_row, 4, "--w-row", "[C', 1, 1, K]");
  const int64_t K = kernel_size(t.w_row.dim(3), "fuse");
  require_dims(t.w_row, {Cs, 1, 1, K}, "--w-row", half ? "[C/2, 1, 1, K]" : "[C, 1, 1, K]");
  require_dims(t.w_col, {Cs, 1, K, 1}, "--w-col", half ? "[C/2, 1, K, 1]" : "[C, 1, K, 1]");
  if (K % 2 == 0)
    throw Error(fmt::format("fuse: the 1xK and Kx1 filters have K = {}: K must be odd (the two "
                            "outputs are concatenated and must have the same size)", K));
  const int64_t pp = pad_for(p, K);
  check_fits(W, pp, K, "fuse row filter");
  check_fits(H, pp, K, "fuse column filter");
  // Row filter output: H is not padded, stride s; column filter: W not padded. Both must
  // give the same Ho x Wo to be concatenated: true whenever pad == K/2 (the default padding).
  const int64_t ho_r = (H - 1) / p.stride + 1, wo_r = (W + 2 * pp - K) / p.stride + 1;
  const int64_t ho_c = (H + 2 * pp - K) / p.stride + 1, wo_c = (W - 1) / p.stride + 1;
  if (ho_r != ho_c || wo_r != wo_c)
    throw Error(fmt::format("fuse: with padding {} the 1x{} output ({}x{}) and the {}x1 output "
                            "({}x{}) differ and cannot be concatenated; use padding {}",
                            pp, K, ho_r, wo_r, K, ho_c, wo_c, K / 2));
  check_pointwise(t.w_pw, half ? C : 2 * C, "--w-pw",
                  fmt::format("{} pointwise", opcode_name(p.op)), "[Cout, C', 1, 1]");
  require_values(t.w_row, p.data_w, "--w-row");
  require_values(t.w_col, p.data_w, "--w-col");
  require_values(t.w_pw, p.data_w, "--w-pw");
}

// The output of every stage (a block's intermediate tensors too) within kMaxTensorElements, so
// an oversized request is refused before anything is allocated.
void check_output_sizes(const OpParams& p, const OpTensors& t) {
  for (const auto& l : op_layers(p, t)) {
    size_t n = 1;
    bool over = false;
    for (int64_t d : {l.n, l.cout, l.ho(), l.wo()})
      over = over || __builtin_mul_overflow(n, static_cast<size_t>(d), &n);
    if (over || n > kMaxTensorElements)
      throw Error(fmt::format("{}: the output of stage '{}' would be {}, more than the {} "
                              "elements fusegen handles: use a smaller input, fewer channels or "
                              "less padding",
                              opcode_name(p.op), l.name,
                              shape_str({l.n, l.cout, l.ho(), l.wo()}), kMaxTensorElements));
  }
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
  check_params(p);
  if (p.op == OpCode::Fc) {
    check_fc(p, t);
  } else {
    require_rank(t.x, 4, "input", "[N, C, H, W]");
    require_values(t.x, p.data_w, "input");
    switch (p.op) {
      case OpCode::Conv: check_conv(p, t); break;
      case OpCode::Dw:
        check_depthwise(p, t, t.w, "--w", "dw");
        require_values(t.w, p.data_w, "--w");
        break;
      case OpCode::Row:
      case OpCode::Col: check_row_col(p, t); break;
      case OpCode::Pw:
        check_pointwise(t.w, t.x.dim(1), "--w", "pointwise", "[Cout, Cin, 1, 1]");
        check_no_stride_padding(p, "pw (1x1 convs run with stride 1 and no padding)");
        require_values(t.w, p.data_w, "--w");
        break;
      case OpCode::Dsc:
        check_depthwise(p, t, t.w_dw, "--w-dw", "dsc");
        check_pointwise(t.w_pw, t.x.dim(1), "--w-pw", "dsc pointwise", "[Cout, C, 1, 1]");
        require_values(t.w_dw, p.data_w, "--w-dw");
        require_values(t.w_pw, p.data_w, "--w-pw");
        break;
      case OpCode::FuseFull:
      case OpCode::FuseHalf: check_fuse(p, t); break;
      case OpCode::Fc: break;
    }
  }
  check_output_sizes(p, t);
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
