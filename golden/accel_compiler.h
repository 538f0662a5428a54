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
  // flat index of the out_shape element it holds, or -1 (CONV programs; GEMM chains use the
  // pixel-block order of the map layout).
  std::vector<int64_t> out_index;
  // The output stream holds requantized DataW activations (STORE from ACT) instead of raw
  // AccW accumulators (STORE from OUT).
  bool requantized = false;
};

// x: [N, Cin, H, W] (or [N, Cin] for fully-connected chains), values in the DataW range;
// layers in order, layer k's Cin == layer k-1's Cout. Throws fusegen::Error naming the layer
// and the limit when a layer does not fit (e.g. Cin larger than the weight scratchpad holds for
// one column block, or more instructions than ibuf_depth).
// requantize_output: the last layer's output is requantized with its shift/relu on the result
// path and streamed out of ACT as DataW activations (a quarter of the bytes of int32
// accumulators for int8).
AccelProgram compile_gemm_chain(const AccelConfig& c, const Tensor& x,
                                const std::vector<AccelGemmLayer>& layers,
                                bool requantize_output = false);

// One depthwise layer (KxK, 1xK or Kx1; groups = channels): weights [Ch, 1, Kh, Kw], stride
// on both axes, zero padding pad_h / pad_w.
struct AccelDwLayer {
  std::string name;
  Tensor weights;
  int64_t stride = 1, pad_h = 0, pad_w = 0;
  // Requantize the results on the result path (shift 0..AccW-1, ReLU) and stream them out of
  // ACT as DataW activations instead of raw accumulators.
  bool requantize = false;
  int shift = 0;
  bool relu = false;
};

// Lowers a depthwise layer on x [N, Ch, H, W] to CONV instructions (ST-OS folds, docs/accel.md
// "Depthwise layers"): every output line (n, ch, row) along W, or (n, ch, column) along H for
// Kx1, is one array row's 1-D problem with Kh (along H: Kw) accumulated passes of Kw (Kh)
// taps. The host lays the padded input lines out (one copy per pass) and keeps every
// stride-th stride-1 output. The raw accumulators [N, Ch, Ho, Wo] (or, with l.requantize, the
// requantized activations) are streamed out. Throws
// fusegen::Error naming the layer and the limit when it does not fit.
AccelProgram compile_depthwise(const AccelConfig& c, const Tensor& x, const AccelDwLayer& l);

// Channel slices [c0, c1) of a depthwise layer, each of which compile_depthwise fits into the
// instruction buffer (one slice when the whole layer fits). Throws like compile_depthwise when
// one channel does not fit.
std::vector<std::pair<int64_t, int64_t>> depthwise_channel_slices(const AccelConfig& c,
                                                                  const Tensor& x,
                                                                  const AccelDwLayer& l);

// The program's result (shape p.out_shape) from its output stream: raw accumulators, or DataW
// activations when p.requantized.
Tensor decode_output(const AccelConfig& c, const AccelProgram& p, const std::vector<Beat>& out);

}  // namespace fusegen
