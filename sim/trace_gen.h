// Synthetic DNN memory traces for the SparseCache study (docs/cache.md, Traces): the
// data accesses of an in-order CPU running the conv / fully connected layers of LeNet-5,
// AlexNet, VGG-16 or SqueezeNet 1.0 the way Caffe does (batch 1): conv = im2col, then a GEMM
// W[M][K] x col[K][N] (reference i-k-j loop order, dense: zero weights are multiplied too),
// then the in-place ReLU layer; fully connected = gemv (one dot product per output). Label-5
// records first initialize the layer's weights (pruned at the published per-layer keep rates,
// in groups of `granularity` consecutive elements) and its input (ReLU-sparse, `act_zero`
// zero, in runs of `act_run` elements); then every load and store carries its data, and one
// label-2 record per inner loop carries that loop's non-memory instructions (SIZE = 4 bytes
// per instruction). Layers are traced independently (each gets its own synthetic input).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/din_trace.h"

namespace fusegen {

struct TraceLayer {
  std::string name;         // e.g. "conv2", "fire3_expand3x3", "fc6"
  bool fc = false;          // fully connected (cin inputs -> cout outputs)
  int64_t cin = 1, h = 1, w = 1;  // input channels and size (fc: cin = inputs)
  int64_t cout = 1;         // output channels (fc: outputs)
  int64_t k = 1, stride = 1, pad = 0, groups = 1;  // square kernel
  double keep = 1.0;        // published fraction of weights kept after pruning
  bool relu = true;         // a ReLU layer follows (not after the classifier)
  int64_t ho() const { return fc ? 1 : (h + 2 * pad - k) / stride + 1; }
  int64_t wo() const { return fc ? 1 : (w + 2 * pad - k) / stride + 1; }
  int64_t kdim() const { return fc ? cin : (cin / groups) * k * k; }  // GEMM K per group
  int64_t macs() const { return fc ? cin * cout : cout * kdim() * ho() * wo(); }
  int64_t weights() const { return fc ? cin * cout : cout * kdim(); }
};

// "lenet5", "alexnet", "vgg16", "squeezenet".
const std::vector<std::string>& trace_networks();
// Unscaled layers with their keep rates. Throws fusegen::Error naming the allowed networks.
std::vector<TraceLayer> trace_network_layers(const std::string& network);

struct TraceGenOptions {
  std::string network = "lenet5";  // one of trace_networks()
  std::vector<std::string> layers; // subset by name, in network order; empty = all
  bool int8 = false;               // i8 weights/activations (int32 outputs) instead of f32
  double keep = -1;                // < 0: per-layer published keep rate; else this fraction
  int granularity = 1;             // pruning group: consecutive weights kept or zeroed together
  double act_zero = 0.5;           // fraction of input activations that are zero
  int act_run = 8;                 // input activations are zeroed in runs of this many elements
  std::string weights_dir;         // optional: DIR/<layer>.npy replaces synthetic weights
  uint64_t seed = 1;               // all randomness derives from it
  double scale = 1.0;              // channel scale (network input channels kept), (0, 1]
  double spatial = 1.0;            // input height/width scale (at least the kernel), (0, 1]
  uint64_t max_records = 0;        // per layer: stop after this many loads+stores (0 = all)
  bool instructions = true;        // emit label-2 instruction-count records
};

// Throws fusegen::Error naming the bad option and what is allowed (unknown layer names
// list the network's layers).
void validate(const TraceGenOptions& o);

// The layers that will be traced: selected and scaled.
std::vector<TraceLayer> traced_layers(const TraceGenOptions& o);

struct TraceLayerSummary {
  std::string name;            // layer
  int64_t macs = 0;            // MACs of the (scaled) layer
  uint64_t records = 0;        // loads + stores emitted
  uint64_t init_records = 0;   // label-5 records
  double weight_zero = 0;      // fraction of zero weights
  double input_zero = 0;       // fraction of zero input activations
  bool truncated = false;      // stopped at max_records
};

// Exact number of loads + stores the layer's loop nests issue (without max_records).
uint64_t access_records(const TraceLayer& l);

// Generates the trace into `sink`. Deterministic for a given options struct.
std::vector<TraceLayerSummary> generate_trace(const TraceGenOptions& o, DinSink& sink);

}  // namespace fusegen
