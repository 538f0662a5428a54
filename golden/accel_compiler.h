// Compiler for the generated accelerator (docs/accel.md): lowers a chain of GEMM layers
// (pointwise 1x1 convolutions and fully-connected layers) to one program, its input stream
// (weights and the input feature map, packed as the memory layouts say) and the description
// of its output stream. Layer k's requantized output stays on chip and is layer k+1's input;
// the last layer's raw accumulators are streamed out. Layers larger than the scratchpads are
// tiled over pixels and output channels; what cannot be mapped is a fusegen::Error naming the
// layer and the limit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/accel_config.h"
#include "golden/accel_model.h"
#include "golden/tensor.h"

namespace fusegen {

// One GEMM layer: a 1x1 convolution, weights [Cout, Cin, 1, 1] (or [Cout, Cin] for a
// fully-connected layer on an [N, Cin] input). shift/relu requantize its output when another
// layer follows (ignored for the last layer, whose raw accumulators are the result).
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
};

// x: [N, Cin, H, W] (or [N, Cin] for fully-connected chains), values in the DataW range;
// layers in order, layer k's Cin == layer k-1's Cout. Throws fusegen::Error naming the layer
// and the limit when a layer does not fit (e.g. Cin larger than the weight scratchpad holds for
// one column block, or more instructions than ibuf_depth).
AccelProgram compile_gemm_chain(const AccelConfig& c, const Tensor& x,
                                const std::vector<AccelGemmLayer>& layers);

// The last layer's raw accumulators (shape p.out_shape) from the program's output stream.
Tensor decode_output(const AccelConfig& c, const AccelProgram& p, const std::vector<Beat>& out);

}  // namespace fusegen
