// Golden operators: direct loops over the definitions, with wrap-around accumulation.
#include "golden/ops.h"

#include <algorithm>

#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

namespace {
int64_t out_size(int64_t in, int64_t pad, int64_t k, int64_t stride) {
  return (in + 2 * pad - k) / stride + 1;
}
}  // namespace

Tensor conv2d(const Tensor& x, const Tensor& w, const Conv2dParams& p) {
  const int64_t N = x.dim(0), Cin = x.dim(1), H = x.dim(2), W = x.dim(3);
  const int64_t Cout = w.dim(0), Cg = w.dim(1), Kh = w.dim(2), Kw = w.dim(3);
  const int64_t G = p.groups;
  const int64_t cout_per_group = Cout / G;
  (void)Cin;
  const int64_t Ho = out_size(H, p.pad_h, Kh, p.stride_h);
  const int64_t Wo = out_size(W, p.pad_w, Kw, p.stride_w);
  Tensor out({N, Cout, Ho, Wo});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t co = 0; co < Cout; ++co) {
      const int64_t g = co / cout_per_group;
      for (int64_t oh = 0; oh < Ho; ++oh)
        for (int64_t ow = 0; ow < Wo; ++ow) {
          int64_t acc = 0;
          for (int64_t cg = 0; cg < Cg; ++cg) {
            const int64_t ci = g * Cg + cg;
            for (int64_t kh = 0; kh < Kh; ++kh) {
              const int64_t ih = oh * p.stride_h + kh - p.pad_h;
              if (ih < 0 || ih >= H) continue;
              for (int64_t kw = 0; kw < Kw; ++kw) {
                const int64_t iw = ow * p.stride_w + kw - p.pad_w;
                if (iw < 0 || iw >= W) continue;
                acc = wrap_add(acc, x.at(n, ci, ih, iw) * w.at(co, cg, kh, kw), p.acc_w);
              }
            }
          }
          out.at(n, co, oh, ow) = acc;
        }
    }
  return out;
}

Tensor depthwise_conv(const Tensor& x, const Tensor& w, int64_t stride, int64_t pad, int acc_w) {
  Conv2dParams p;
  p.stride_h = p.stride_w = stride;
  p.pad_h = p.pad_w = pad;
  p.groups = x.dim(1);
  p.acc_w = acc_w;
  return conv2d(x, w, p);
}

Tensor row_conv(const Tensor& x, const Tensor& w, int64_t stride, int64_t pad, int acc_w) {
  Conv2dParams p;
  p.stride_h = p.stride_w = stride;
  p.pad_h = 0;
  p.pad_w = pad;
  p.groups = x.dim(1);
  p.acc_w = acc_w;
  return conv2d(x, w, p);
}

Tensor col_conv(const Tensor& x, const Tensor& w, int64_t stride, int64_t pad, int acc_w) {
  Conv2dParams p;
  p.stride_h = p.stride_w = stride;
  p.pad_h = pad;
  p.pad_w = 0;
  p.groups = x.dim(1);
  p.acc_w = acc_w;
  return conv2d(x, w, p);
}

Tensor pointwise_conv(const Tensor& x, const Tensor& w, int acc_w) {
  Conv2dParams p;
  p.acc_w = acc_w;
  return conv2d(x, w, p);
}

Tensor fully_connected(const Tensor& x, const Tensor& w, int acc_w) {
  const int64_t N = x.dim(0), in = w.dim(1), out_n = w.dim(0);
  Tensor out({N, out_n});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t o = 0; o < out_n; ++o) {
      int64_t acc = 0;
      for (int64_t i = 0; i < in; ++i)
        acc = wrap_add(acc, x.data[static_cast<size_t>(n * in + i)] * w.at(o, i), acc_w);
      out.at(n, o) = acc;
    }
  return out;
}

int64_t requantize_value(int64_t acc, int shift, bool relu, int data_w) {
  __int128 v = acc;
  if (relu && v < 0) v = 0;
  if (shift > 0) {
    v += static_cast<__int128>(1) << (shift - 1);
    // Floor division by 2^shift: arithmetic right shift of a two's-complement value.
    v = v >> shift;
  }
  const __int128 lo = signed_min(data_w), hi = signed_max(data_w);
  return static_cast<int64_t>(std::clamp(v, lo, hi));
}

Tensor requantize(const Tensor& acc, int shift, bool relu, int data_w) {
  Tensor out = acc;
  for (auto& v : out.data) v = requantize_value(v, shift, relu, data_w);
  return out;
}

Tensor concat_channels(const Tensor& a, const Tensor& b) {
  const int64_t N = a.dim(0), Ca = a.dim(1), Cb = b.dim(1), H = a.dim(2), W = a.dim(3);
  Tensor out({N, Ca + Cb, H, W});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t c = 0; c < Ca + Cb; ++c)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t w = 0; w < W; ++w)
          out.at(n, c, h, w) = c < Ca ? a.at(n, c, h, w) : b.at(n, c - Ca, h, w);
  return out;
}

Tensor slice_channels(const Tensor& x, int64_t c0, int64_t c1) {
  const int64_t N = x.dim(0), H = x.dim(2), W = x.dim(3);
  Tensor out({N, c1 - c0, H, W});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t c = c0; c < c1; ++c)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t w = 0; w < W; ++w) out.at(n, c - c0, h, w) = x.at(n, c, h, w);
  return out;
}

Tensor dsc_block(const Tensor& x, const Tensor& w_dw, const Tensor& w_pw, const BlockParams& p) {
  const int64_t k = w_dw.dim(2);
  const int64_t pad = p.pad < 0 ? k / 2 : p.pad;
  Tensor mid = requantize(depthwise_conv(x, w_dw, p.stride, pad, p.acc_w), p.shift, p.relu, p.data_w);
  return pointwise_conv(mid, w_pw, p.acc_w);
}

Tensor fuse_block(const Tensor& x, const Tensor& w_row, const Tensor& w_col, const Tensor& w_pw,
                  bool half, const BlockParams& p) {
  const int64_t k = w_row.dim(3);
  const int64_t pad = p.pad < 0 ? k / 2 : p.pad;
  const int64_t C = x.dim(1);
  Tensor in_row = half ? slice_channels(x, 0, C / 2) : x;
  Tensor in_col = half ? slice_channels(x, C / 2, C) : x;
  Tensor r = row_conv(in_row, w_row, p.stride, pad, p.acc_w);
  Tensor c = col_conv(in_col, w_col, p.stride, pad, p.acc_w);
  Tensor mid = requantize(concat_channels(r, c), p.shift, p.relu, p.data_w);
  return pointwise_conv(mid, w_pw, p.acc_w);
}

Tensor im2col(const Tensor& x, int64_t kh_n, int64_t kw_n, const Conv2dParams& p) {
  const int64_t N = x.dim(0), Cin = x.dim(1), H = x.dim(2), W = x.dim(3);
  const int64_t Ho = out_size(H, p.pad_h, kh_n, p.stride_h);
  const int64_t Wo = out_size(W, p.pad_w, kw_n, p.stride_w);
  Tensor cols({N * Ho * Wo, Cin * kh_n * kw_n});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oh = 0; oh < Ho; ++oh)
      for (int64_t ow = 0; ow < Wo; ++ow) {
        const int64_t row = (n * Ho + oh) * Wo + ow;
        for (int64_t ci = 0; ci < Cin; ++ci)
          for (int64_t kh = 0; kh < kh_n; ++kh)
            for (int64_t kw = 0; kw < kw_n; ++kw) {
              const int64_t ih = oh * p.stride_h + kh - p.pad_h;
              const int64_t iw = ow * p.stride_w + kw - p.pad_w;
              const bool inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
              cols.at(row, (ci * kh_n + kh) * kw_n + kw) = inside ? x.at(n, ci, ih, iw) : 0;
            }
      }
  return cols;
}

Tensor gemm(const Tensor& a, const Tensor& b, int acc_w) {
  const int64_t P = a.dim(0), T = a.dim(1), M = b.dim(1);
  Tensor out({P, M});
  for (int64_t i = 0; i < P; ++i)
    for (int64_t j = 0; j < M; ++j) {
      int64_t acc = 0;
      for (int64_t k = 0; k < T; ++k) acc = wrap_add(acc, a.at(i, k) * b.at(k, j), acc_w);
      out.at(i, j) = acc;
    }
  return out;
}

Tensor conv2d_via_gemm(const Tensor& x, const Tensor& w, const Conv2dParams& p) {
  const int64_t N = x.dim(0), H = x.dim(2), W = x.dim(3);
  const int64_t Cout = w.dim(0), Kh = w.dim(2), Kw = w.dim(3);
  const int64_t T = w.dim(1) * Kh * Kw;
  const int64_t Ho = out_size(H, p.pad_h, Kh, p.stride_h);
  const int64_t Wo = out_size(W, p.pad_w, Kw, p.stride_w);
  Tensor b({T, Cout});  // B[k][co] = w[co] flattened in (ci, kh, kw) order
  for (int64_t co = 0; co < Cout; ++co)
    for (int64_t k = 0; k < T; ++k) b.at(k, co) = w.data[static_cast<size_t>(co * T + k)];
  Tensor g = gemm(im2col(x, Kh, Kw, p), b, p.acc_w);
  Tensor out({N, Cout, Ho, Wo});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oh = 0; oh < Ho; ++oh)
      for (int64_t ow = 0; ow < Wo; ++ow)
        for (int64_t co = 0; co < Cout; ++co)
          out.at(n, co, oh, ow) = g.at((n * Ho + oh) * Wo + ow, co);
  return out;
}

}  // namespace fusegen
