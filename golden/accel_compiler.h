// Compiler for the generated accelerator (docs/accel.md): lowers a chain of GEMM layers
// (pointwise 1x1 convolutions and fully-connected layers) to one program, its input stream
// (weights and the input feature map, packed as the memory layouts say) and the description
// of its output stream. Layer k's requantized output stays on chip and is layer k+1's input;
// the last layer's raw accumulators are streamed out (or, on request, its requantized output).
// Layers larger than the scratchpads are tiled over pixels and output channels; what cannot be
// mapped is a fusegen::Error naming the layer and the limit.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "golden/accel_config.h"
#include "golden/accel_model.h"
#include "golden/accel_timing.h"  // program_cycles: the compilers choose chunk sizes by it
#include "golden/tensor.h"

namespace fusegen {

// One GEMM layer: a 1x1 convolution, weights [Cout, Cin, 1, 1] (or [Cout, Cin] for a
// fully-connected layer on an [N, Cin] input). shift/relu requantize its output when another
// layer follows or the chain's output is requantized (else ignored: the last layer's raw
// accumulators are the result).
struct AccelGemmLayer {
  std::string name;
  Tensor weights;
  int shift = 0;
  bool relu = false;
};

struct AccelProgram {
  std::vector<isa::Instr> program;  // ends with END; fits ibuf_depth
  std::vector<Beat> input;          // the whole input stream, in the order LOADs consume it
  uint64_t output_beats = 0;        // beats the program streams out
  // How to read the output stream back (decode_output).
  std::vector<int64_t> out_shape;   // [N, Cout, H, W] or [N, Cout]
  // When not empty: for every lane of every result word of the output stream, in order, the
  // flat index of the out_shape element it holds, or -1 (CONV programs, and overlapped GEMM
  // programs computed in column groups; other GEMM programs use the pixel-block order of the
  // map layout).
  std::vector<int64_t> out_index;
  // The output stream holds requantized DataW activations (STORE from ACT, or STORE NARROW from
  // OUT in an overlapped program) instead of raw AccW accumulators (STORE from OUT).
  bool requantized = false;
  // The program is double-buffered (overlap requested and possible): LOADs and STOREs run in
  // the background (ASYNC) while GEMM / CONV compute, see "Overlapped programs" below.
  bool overlapped = false;
};

// Overlapped programs (`overlap = true` below; instruction set version 3, docs/accel.md
// "Background transfers"). ACT, OUT and, when weights / taps do not stay resident, WGT are
// split into two halves; consecutive chunks (and tiles) alternate between them. The program is
//   prologue: ASYNC LOADs of chunk 0's input and of the weights / taps its first tile needs
//     (all of them for a chain and for taps that fit WGT);
//   per chunk i: SYNC loads (chunk i's input is in); ASYNC LOAD of chunk i+1's input (and
//     weights) into the other halves; the GEMM / CONV of chunk i writing OUT half i % 2 (raw, or
//     requantized with NARROW); ASYNC STORE (NARROW when requantized) of those results;
//   END (waits for the last STORE).
// Intermediate layers of a chain still write ACT (inside the chunk's half; the next input LOAD
// is issued after them, before the last layer's GEMM, so they do not wait for it). A chunk's
// results take at most half of OUT: one GEMM / CONV per tile of that size (a tile of a single
// GEMM layer is the chunk's pixel blocks x some of its column blocks, each tile's weights loaded
// when it first needs them). Chunk sizes and tile widths are chosen among candidates (the
// largest that fit, halved down to 1, and a 2nd/4th/8th/16th of the layer) by program_cycles()
// below, so that the un-overlapped prologue (the first chunk's LOADs) and epilogue (the last
// STORE) stay short without paying too many GEMM / CONV tails. A single GEMM layer whose weights
// do not fit WGT is computed in column groups of half of WGT (group outer, pixel chunks inner,
// every other group visiting the chunks backwards so that the chunks still in ACT at a group
// boundary are reused), the next group's weights loading while the current group computes; its
// output stream then follows the groups and out_index says where each lane goes. Depthwise
// programs pack each (group, pass) into ceil(padded line / C) ACT lines, fewer than the
// one-at-a-time program's NT + ceil((K-1)/C) for narrow maps: the CONV window's overhang then
// reads the next lines (or stale ones of the same half), which only reach stride-1 outputs past
// the line's end that out_index drops. When a half cannot hold one chunk (or one column block's
// weights), a chain of several layers does not keep all weights resident, or no overlapped
// program fits ibuf_depth, the compiler falls back to the one-at-a-time program
// (overlapped = false).

// x: [N, Cin, H, W] (or [N, Cin] for fully-connected chains), values in the DataW range;
// layers in order, layer k's Cin == layer k-1's Cout. Throws fusegen::Error naming the layer
// and the limit when a layer does not fit (e.g. Cin larger than the weight scratchpad holds for
// one column block, or more instructions than ibuf_depth).
// requantize_output: the last layer's output is requantized with its shift/relu on the result
// path and streamed out of ACT as DataW activations (a quarter of the bytes of int32
// accumulators for int8).
// overlap: emit an overlapped program when possible (see above); false: one instruction at a
// time (LOAD, GEMMs, STORE per chunk), the version 1 program.
AccelProgram compile_gemm_chain(const AccelConfig& c, const Tensor& x,
                                const std::vector<AccelGemmLayer>& layers,
                                bool requantize_output = false, bool overlap = false);

// One convolution layer: its weights, stride on both axes, zero padding pad_h / pad_w.
struct AccelConvLayer {
  std::string name;
  Tensor weights;
  int64_t stride = 1, pad_h = 0, pad_w = 0;
  // Requantize the results on the result path (shift 0..AccW-1, ReLU) and stream them out of
  // ACT as DataW activations instead of raw accumulators.
  bool requantize = false;
  int shift = 0;
  bool relu = false;
};

// A depthwise layer (KxK, 1xK or Kx1; groups = channels): weights [Ch, 1, Kh, Kw].
using AccelDwLayer = AccelConvLayer;

// Lowers a depthwise layer on x [N, Ch, H, W] to CONV instructions (ST-OS folds, docs/accel.md
// "Depthwise layers"): every output line (n, ch, row) along W, or (n, ch, column) along H for
// Kx1, is one array row's 1-D problem with Kh (along H: Kw) accumulated passes of Kw (Kh)
// taps. The host lays the padded input lines out (one copy per pass) and keeps every
// stride-th stride-1 output. The raw accumulators [N, Ch, Ho, Wo] (or, with l.requantize, the
// requantized activations) are streamed out. Throws
// fusegen::Error naming the layer and the limit when it does not fit.
// overlap: an overlapped program when possible (chunks of line groups; taps resident when all
// fit WGT, else per chunk in WGT halves; packed lines, see above), else the one-at-a-time
// program.
AccelProgram compile_depthwise(const AccelConfig& c, const Tensor& x, const AccelDwLayer& l,
                               bool overlap = false);

// A dense convolution (groups = 1, e.g. a network's stem): weights [Cout, Cin, Kh, Kw].
using AccelConv2dLayer = AccelConvLayer;

// Lowers a dense convolution on x [N, Cin, H, W] to GEMM with WIN (im2col windows generated by
// the sequencer, docs/accel.md "Dense convolutions"): the host sends the zero-padded input map
// once (raw, or column-expanded when that takes fewer words) and all weights, which must fit
// WGT; chunks of output rows, each a LOAD of its input rows, a GEMM with WIN and a STORE. The
// raw accumulators [N, Cout, Ho, Wo] (or, with l.requantize, the requantized activations) are
// streamed out. overlap: chunks in ACT / OUT halves, transfers in the background (falls back
// to the one-at-a-time program when a half cannot hold one output row). Throws fusegen::Error
// naming the layer and the limit when it does not fit.
AccelProgram compile_conv2d(const AccelConfig& c, const Tensor& x, const AccelConv2dLayer& l,
                            bool overlap = false);

// Channel slices [c0, c1) of a depthwise layer, each of which compile_depthwise fits into the
// instruction buffer (one slice when the whole layer fits). Throws like compile_depthwise when
// one channel does not fit. overlap: the slices for compile_depthwise(..., true): the most
// channels whose overlapped program fits, or, when even one channel's does not, as without it.
std::vector<std::pair<int64_t, int64_t>> depthwise_channel_slices(const AccelConfig& c,
                                                                  const Tensor& x,
                                                                  const AccelDwLayer& l,
                                                                  bool overlap = false);


// The program's result (shape p.out_shape) from its output stream: raw accumulators, or DataW
// activations when p.requantized.
Tensor decode_output(const AccelConfig& c, const AccelProgram& p, const std::vector<Beat>& out);

}  // namespace fusegen
