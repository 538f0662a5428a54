// The executed graph of a zoo network (docs/infer.md): the layers of golden/zoo.h plus the host
// ("glue") operations between them that a flat layer list leaves out: the requantization after
// every layer, the channel slices and the concat of the FuSe stages, the residual adds and the
// global average pool. Nodes are in execution order and name their inputs; the network input is
// "input", the output the raw accumulators of the final fc. Built from zoo_layers(), so the
// layer nodes are exactly build_network() at the same input size.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "golden/layer.h"
#include "golden/zoo.h"

namespace fusegen {

enum class NodeOp {
  Conv,     // layer: conv2d, groups = 1 (the stem)
  Dw,       // layer: KxK depthwise
  Row,      // layer: 1xK depthwise
  Col,      // layer: Kx1 depthwise
  Pw,       // layer: 1x1 conv
  Fc,       // layer: fully connected
  Requant,  // accumulators -> DataW: requantize(acc, shift, relu, data_w)
  Add,      // saturating residual add of two DataW tensors
  AvgPool,  // global average pool, round half up: [1, C, H, W] -> [1, C]
  Concat,   // channel concat, first input's channels first
  Slice,    // channels [c0, c1)
};

// "conv", "dw", "row", "col", "pw", "fc", "requant", "add", "avgpool", "concat", "slice".
const char* node_op_name(NodeOp op);

// Parameters of a node; which ones apply depends on the op (graph_to_json writes only those).
struct NodeParams {
  int64_t stride = 1;         // layers: stride on both axes
  int64_t pad_h = 0;          // layers: zero padding above and below
  int64_t pad_w = 0;          // layers: zero padding left and right
  int shift = 0;              // requant: rounding right shift
  bool relu = false;          // requant: ReLU before the shift
  int64_t c0 = 0, c1 = 0;     // slice: channel range [c0, c1)
};

struct GraphNode {
  std::string name;                 // unique; a layer node has its layer's name
  NodeOp op = NodeOp::Requant;      // operation
  std::vector<std::string> inputs;  // node names ("input": the network input)
  NodeParams params;                // op parameters
  std::vector<int64_t> shape;       // output shape (NCHW; [1, C] after the pool and the fc)
  bool is_layer = false;            // a zoo layer (has weights and MACs)
  LayerDesc layer;                  // is_layer: the layer as build_network() lists it
  std::vector<int64_t> weight_shape;  // is_layer: PyTorch layout, the file <name>.npy
  int64_t reduction = 0;            // is_layer: products summed per output (T)
};

struct NetGraph {
  std::string network;               // zoo name
  std::string variant;               // zoo variant
  int data_w = 8;                    // DataW of activations and weights
  int acc_w = 32;                    // AccW of every layer's accumulators
  std::vector<int64_t> input_shape;  // [1, 3, H, W]
  std::vector<GraphNode> nodes;      // execution order
  std::string output;                // name of the output node ("fc")

  // The layer nodes, in order.
  std::vector<const GraphNode*> layers() const;
};

struct GraphOptions {
  int64_t h = 224, w = 224;  // input size
  int data_w = 8;            // DataW (2..16)
  int acc_w = 32;            // AccW (8..64, >= 2 DataW)
  int shift = -1;            // one shift for every requantization, -1: auto_shift per layer
};

// Products summed into one output of a layer: Cin*Kh*Kw for conv/pw, Kh*Kw for the depthwise
// kinds (one input channel per group), Cin for fc.
int64_t reduction_length(const LayerDesc& l);
// The default shift of a layer with reduction length T: DataW - 2 + floor(log2(T) / 2), at most
// AccW - 1. A sum of T products of random-sign DataW operands grows like sqrt(T) * 2^(2 DataW
// - 2) / 3; this shift keeps each layer's gain near 1, so the requantized values stay spread
// over the DataW range layer after layer (docs/infer.md: why, and what was measured).
int auto_shift(int64_t reduction, int data_w, int acc_w);
// The weight tensor shape of a layer in the PyTorch layout (docs/operators.md).
std::vector<int64_t> weight_shape(const LayerDesc& l);

// The graph of one network and variant. Throws fusegen::Error for an unknown network or variant,
// a network infer cannot run (MobileNet-V3; the message lists the allowed ones), an input size
// that makes a layer's output empty (naming the layer), a tensor beyond kMaxTensorElements, or a
// shift outside 0..AccW-1.
NetGraph build_graph(const std::string& network, const std::string& variant,
                     const GraphOptions& opt);

// The networks build_graph() accepts, in zoo order.
std::vector<std::string> infer_networks();

// network.json's description of the graph (docs/infer.md): network, variant, data_w, acc_w,
// input shape, output node, and every node with its op, inputs, params, weight file and shape.
nlohmann::ordered_json graph_to_json(const NetGraph& g);

}  // namespace fusegen
