// A layer's shape, independent of data: what the network zoo lists, what the latency models
// (paper model, RTL-exact cycle model) cost, and what the array scheduler lowers.
#pragma once

#include <cstdint>
#include <string>

namespace fusegen {

enum class OpKind {
  Conv,       // standard conv2d, groups = 1, KhxKw
  Depthwise,  // KxK depthwise (groups = C)
  Row,        // 1xK depthwise, padding (0, K/2): the FuSe "row" filter
  Col,        // Kx1 depthwise, padding (K/2, 0): the FuSe "column" filter
  Pointwise,  // 1x1 conv
  FC,         // fully connected: cin -> cout on a 1x1 input
};

const char* op_name(OpKind op);  // "conv", "dw", "row", "col", "pw", "fc"

struct LayerDesc {
  std::string name;      // e.g. "b3.dw"
  OpKind op = OpKind::Conv;
  int64_t n = 1;         // batch
  int64_t cin = 1;       // input channels
  int64_t h = 1, w = 1;  // input height, width (unpadded)
  int64_t cout = 1;      // output channels (== cin for Depthwise/Row/Col)
  int64_t kh = 1, kw = 1;
  int64_t stride = 1;
  int64_t pad_h = 0, pad_w = 0;

  int64_t ho() const { return (h + 2 * pad_h - kh) / stride + 1; }
  int64_t wo() const { return (w + 2 * pad_w - kw) / stride + 1; }
  // Multiply-accumulates of one inference of this layer.
  int64_t macs() const;
};

// Constructors with the default paddings of docs/operators.md ("same": K/2 on the filtered axes).
LayerDesc conv_layer(std::string name, int64_t cin, int64_t h, int64_t w, int64_t cout, int64_t k,
                     int64_t stride, int64_t n = 1);
LayerDesc dw_layer(std::string name, int64_t c, int64_t h, int64_t w, int64_t k, int64_t stride,
                   int64_t n = 1);
LayerDesc row_layer(std::string name, int64_t c, int64_t h, int64_t w, int64_t k, int64_t stride,
                    int64_t n = 1);
LayerDesc col_layer(std::string name, int64_t c, int64_t h, int64_t w, int64_t k, int64_t stride,
                    int64_t n = 1);
LayerDesc pw_layer(std::string name, int64_t cin, int64_t h, int64_t w, int64_t cout, int64_t n = 1);
LayerDesc fc_layer(std::string name, int64_t in, int64_t out, int64_t n = 1);

}  // namespace fusegen
