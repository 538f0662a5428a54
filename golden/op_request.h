// One operator or block invocation as `fusegen run` describes it: which op, its tensors
// (PyTorch weight layouts), stride, padding, requantization and widths. validate() checks
// everything a user can get wrong (shapes, value ranges, parameter ranges) and throws
// fusegen::Error naming the problem; run_golden() evaluates it with golden/ops.h.
// The RTL engine uses the same struct, so both engines accept exactly the same inputs.
#pragma once

#include <string>
#include <vector>

#include "golden/layer.h"
#include "golden/tensor.h"

namespace fusegen {

enum class OpCode { Conv, Dw, Row, Col, Pw, Fc, Dsc, FuseFull, FuseHalf };

// "conv", "dw", "row", "col", "pw", "fc", "dsc", "fuse-full", "fuse-half"
const char* opcode_name(OpCode op);
// Parses a name above; throws fusegen::Error listing the allowed names.
OpCode parse_opcode(const std::string& name);
bool is_block(OpCode op);

struct OpParams {
  OpCode op = OpCode::Conv;  // operator or block
  int64_t stride = 1;        // stride of the (spatial) stage, >= 1
  int64_t padding = -1;      // zero padding of the spatial stage; -1 = K/2 ("same"); pw/fc: 0
  int shift = 0;             // block requantization shift (0..62)
  bool relu = false;         // block requantization ReLU
  int data_w = 8;            // DATA_W: signed input/weight width, 2..16
  int acc_w = 32;            // ACC_W: accumulator width, 8..64
};

struct OpTensors {
  Tensor x;      // input, NCHW ([N, in] or NCHW with H = W = 1 for fc)
  Tensor w;      // single-operator weights
  Tensor w_dw;   // dsc: [C, 1, K, K]
  Tensor w_row;  // fuse: [C or C/2, 1, 1, K]
  Tensor w_col;  // fuse: [C or C/2, 1, K, 1]
  Tensor w_pw;   // blocks: [Cout, Cin', 1, 1]
};

// Effective padding of the spatial stage for these params and tensors.
int64_t effective_padding(const OpParams& p, const OpTensors& t);

// Throws fusegen::Error on the first problem: parameter out of range, missing or misshaped
// tensor (naming the expected layout), value not representable in DATA_W bits.
void validate(const OpParams& p, const OpTensors& t);

// Golden result: the raw accumulator tensor (of the pointwise stage for blocks).
Tensor run_golden(const OpParams& p, const OpTensors& t);

// The layers the op consists of, as shapes only (for cycle models and MAC counts): one layer
// for single operators; for blocks, the spatial stage(s) then the pointwise stage.
std::vector<LayerDesc> op_layers(const OpParams& p, const OpTensors& t);

}  // namespace fusegen
