// Golden reference operators, written directly from their definitions (docs/operators.md):
// integer convolutions with ACC_W-bit wrap-around accumulation, the
// requantization between block stages, and the DSC / FuSe Full / FuSe Half blocks.
// Also the im2col lowering + GEMM that the array executes, kept separate from the direct
// convolution so tests can prove the two agree.
//
// Inputs are assumed to be valid (shapes consistent, values within DATA_W): golden/op_request.h
// validates user input before calling these.
#pragma once

#include "golden/tensor.h"

namespace fusegen {

struct Conv2dParams {
  int64_t stride_h = 1, stride_w = 1;  // strides
  int64_t pad_h = 0, pad_w = 0;        // zero padding on each side
  int64_t groups = 1;                  // Cin and Cout must be multiples of groups
  int acc_w = 32;                      // accumulator width for wrap-around (8..64)
};

// out[n][co][oh][ow] = sum_{ci in group(co), kh, kw} x[n][ci][oh*sh+kh-ph][ow*sw+kw-pw] * w[co][ci'][kh][kw]
// x: [N, Cin, H, W]; w: [Cout, Cin/groups, Kh, Kw]. Out of range input positions are zero.
Tensor conv2d(const Tensor& x, const Tensor& w, const Conv2dParams& p);

// KxK depthwise (groups = C), w: [C, 1, K, K], padding (pad, pad).
Tensor depthwise_conv(const Tensor& x, const Tensor& w, int64_t stride, int64_t pad, int acc_w);
// 1xK depthwise ("row" filter), w: [C, 1, 1, K], padding (0, pad), stride (s, s).
Tensor row_conv(const Tensor& x, const Tensor& w, int64_t stride, int64_t pad, int acc_w);
// Kx1 depthwise ("column" filter), w: [C, 1, K, 1], padding (pad, 0), stride (s, s).
Tensor col_conv(const Tensor& x, const Tensor& w, int64_t stride, int64_t pad, int acc_w);
// 1x1 conv, w: [Cout, Cin, 1, 1].
Tensor pointwise_conv(const Tensor& x, const Tensor& w, int acc_w);
// Fully connected: x [N, in] (or [N, in, 1, 1]), w [out, in] -> [N, out].
Tensor fully_connected(const Tensor& x, const Tensor& w, int acc_w);

// Requantization between block stages (docs/operators.md): v = relu ? max(acc, 0) : acc;
// if shift > 0: v = floor((v + 2^(shift-1)) / 2^shift); y = clamp(v, DATA_W range).
int64_t requantize_value(int64_t acc, int shift, bool relu, int data_w);
Tensor requantize(const Tensor& acc, int shift, bool relu, int data_w);

// Concatenation along channels (dim 1) of two NCHW tensors: a's channels first.
Tensor concat_channels(const Tensor& a, const Tensor& b);
// Channels [c0, c1) of an NCHW tensor.
Tensor slice_channels(const Tensor& x, int64_t c0, int64_t c1);

struct BlockParams {
  int64_t stride = 1;  // stride of the depthwise / FuSe stage
  int64_t pad = -1;    // padding of the spatial stage; -1 = K/2 ("same")
  int shift = 0;       // requantization shift between the stages
  bool relu = false;   // requantization ReLU
  int data_w = 8;      // DATA_W of the intermediate
  int acc_w = 32;      // ACC_W of both stages
};

// Depthwise-separable block: KxK depthwise, requantize, pointwise. Output: raw accumulators.
Tensor dsc_block(const Tensor& x, const Tensor& w_dw, const Tensor& w_pw, const BlockParams& p);
// FuSe block. Full (half = false): 1xK and Kx1 on all C channels, concat (1xK first) -> 2C.
// Half (half = true): channels [0, C/2) to 1xK, [C/2, C) to Kx1, concat -> C.
// Then requantize and pointwise. w_row: [C or C/2, 1, 1, K]; w_col: [C or C/2, 1, K, 1].
Tensor fuse_block(const Tensor& x, const Tensor& w_row, const Tensor& w_col, const Tensor& w_pw,
                  bool half, const BlockParams& p);

// im2col lowering: rows are output pixels (n, oh, ow) in that order, columns are the reduction
// index (ci, kh, kw) in that order, matching w reshaped to [Cout, Cin*Kh*Kw]. groups = 1.
Tensor im2col(const Tensor& x, int64_t kh, int64_t kw, const Conv2dParams& p);
// out[i][j] = sum_k a[i][k] * b[k][j], wrapped to acc_w.
Tensor gemm(const Tensor& a, const Tensor& b, int acc_w);
// conv2d (groups = 1) computed as im2col + GEMM, reshaped back to NCHW.
Tensor conv2d_via_gemm(const Tensor& x, const Tensor& w, const Conv2dParams& p);

}  // namespace fusegen
