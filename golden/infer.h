// Executor of a network graph (golden/graph.h) in integer semantics (docs/infer.md): every layer
// with the golden operators of golden/ops.h, the requantizations, FuSe slices and concats,
// saturating residual adds and the round-half-up global average pool. Also the seeded random
// weights and input `fusegen infer` uses when none are given, and the checks of user tensors.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "golden/graph.h"
#include "golden/tensor.h"

namespace fusegen {

// Weights by layer name, in the layouts of GraphNode::weight_shape.
using WeightMap = std::map<std::string, Tensor>;

// What one node did.
struct NodeRun {
  std::string name;            // node name
  NodeOp op = NodeOp::Requant; // its op
  std::vector<int64_t> shape;  // output shape
  int64_t macs = 0;            // multiply-accumulates (0 for the glue ops)
};

struct InferResult {
  Tensor output;               // the output node's raw accumulators, [1, classes]
  std::vector<NodeRun> nodes;  // every node, in execution order
  int64_t macs = 0;            // total
};

// One layer handed to a LayerHook: the node, its input and weights, and the Requant node that is
// the only reader of the layer's output (nullptr when there is none), which the hook may apply
// itself, e.g. on the accelerator's result path.
struct LayerCall {
  const GraphNode& node;
  const Tensor& x;
  const Tensor& w;
  const GraphNode* requant = nullptr;
};
// NotTaken: the executor runs the golden operator. Raw: *y holds the layer's raw accumulators.
// Requantized: *y holds the output of call.requant (only allowed when it is not nullptr); the
// executor then passes it through that node instead of requantizing.
enum class HookResult { NotTaken, Raw, Requantized };
// An engine for some layers. `fusegen infer --engine model|rtl` runs the layers the accelerator
// executes this way (sim/accel_infer.h).
using LayerHook = std::function<HookResult(const LayerCall& call, Tensor* y)>;

// The golden operator of a layer node (Conv, Dw, Row, Col, Pw, Fc) with the node's stride and
// padding: the raw accumulators wrapped to acc_w. Throws fusegen::Error for other nodes.
Tensor run_layer(const GraphNode& n, const Tensor& x, const Tensor& w, int acc_w);

// Runs the graph. The input must be [1, 3, H, W] of the graph and every layer's weights present
// with its shape, all values in the DataW range (check_tensor); violations are fusegen::Error.
// Layers the hook takes are not computed here; nor are the Requant nodes it applied.
InferResult run_graph(const NetGraph& g, const Tensor& input, const WeightMap& weights,
                      const LayerHook& hook = {});

// Global average pool of one channel's sum over n values: floor((sum + floor(n/2)) / n), i.e.
// the mean rounded half up (towards +infinity), also for negative sums.
int64_t avgpool_value(int64_t sum, int64_t n);
// [1, C, H, W] -> [1, C]: avgpool_value per channel, clamped to the DataW range.
Tensor global_avgpool(const Tensor& x, int data_w);
// Element-wise a + b clamped to the DataW range (saturating); shapes must agree.
Tensor saturating_add(const Tensor& a, const Tensor& b, int data_w);

// A deterministic random tensor with values uniform in the DataW range: std::mt19937_64 seeded
// with splitmix64(seed ^ fnv1a64(name)), value = min + (draw mod 2^DataW). Naming the tensor
// makes each weight independent of the others' shapes and of the input size.
Tensor random_tensor(const std::vector<int64_t>& shape, int data_w, uint64_t seed,
                     const std::string& name);
// Random weights for every layer (named by the layer) and a random input (named "input").
WeightMap random_weights(const NetGraph& g, uint64_t seed);
Tensor random_input(const NetGraph& g, uint64_t seed);

// Throws fusegen::Error "<what> has shape [..]: expected [..]" or "<what>: value v at index i is
// outside the DataW range lo..hi" if `t` does not fit.
void check_tensor(const Tensor& t, const std::vector<int64_t>& shape, int data_w,
                  const std::string& what);

}  // namespace fusegen
