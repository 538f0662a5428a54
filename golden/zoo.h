// The network zoo of docs/operators.md (Networks): MobileNet-V1/V2, MnasNet-B1 and
// MobileNet-V3-Small/Large as flat lists of LayerDesc (224x224x3 input, batch 1), in the
// baseline form and the FuSe variants. A FuSe variant replaces a block's KxK depthwise conv by
// a 1xK ("row") + Kx1 ("col") pair; Full feeds all C channels to each (the following 1x1 sees
// 2C), Half feeds C/2 to each (the 1x1 keeps C); the 50 % variants replace only the blocks the
// definitions list. Pools and residual adds cost nothing and are not listed as layers; the facts
// the executed graph needs about them (ReLU placement, residual adds) come with each layer from
// the same walk over the network tables (zoo_layers(), used by golden/graph.h).
#pragma once

#include <string>
#include <vector>

#include "golden/layer.h"

namespace fusegen {

// How a block's depthwise stage is built.
enum class FuseKind {
  None,  // KxK depthwise (baseline DSC)
  Full,  // 1xK and Kx1 each on all C channels, concat 2C (D = 1)
  Half,  // 1xK on channels [0, C/2), Kx1 on [C/2, C), concat C (D = 2)
};

// One network variant. The list is a table in zoo.cpp: adding a variant (e.g. one that a
// latency model interprets differently) is one more row there.
struct VariantSpec {
  std::string name;     // "base", "full", "half", "full50", "half50"
  FuseKind fuse;        // replacement applied to the selected blocks
  bool partial;         // true: only the 50 % block set of docs/operators.md is replaced
  std::string summary;  // one line for help texts and docs
};

// All variants, in display order ("base" first: speedups are relative to it).
const std::vector<VariantSpec>& zoo_variants();
// Looks a variant up by name; throws fusegen::Error listing the known names.
const VariantSpec& find_variant(const std::string& name);

// All network names, in display order: mobilenet_v1, mobilenet_v2, mnasnet_b1,
// mobilenet_v3_small, mobilenet_v3_large.
const std::vector<std::string>& zoo_networks();

// What a layer is in its network.
enum class LayerRole {
  Stem,        // the 3x3/s2 conv on the image
  Expand,      // a block's expand 1x1
  Spatial,     // a block's KxK depthwise, or one of its FuSe 1xK / Kx1 pair
  SE,          // a squeeze-and-excitation fc (V3)
  Project,     // a block's projecting 1x1
  Head,        // the last 1x1 at the final spatial size
  Head2,       // V3's 1x1 after the global pool
  Classifier,  // the final fc
};

// One layer of a network with what the executed graph needs beyond its shape.
struct ZooLayer {
  LayerDesc layer;                 // shape, as build_network() lists it
  LayerRole role;                  // place in the network
  int block = 0;                   // 1-based block index, 0 outside the blocks
  FuseKind fuse = FuseKind::None;  // Spatial: how the block's depthwise stage is built
  bool relu = false;               // the network applies ReLU / ReLU6 to this layer's output
  bool residual = false;           // Project: the block adds its input (stride 1, Cin == Cout)
};

// The layers of one network in one variant for an input of h x w pixels (3 channels), in
// execution order, with their roles. The one walk over the network tables: build_network() is
// this list without the annotations. ReLU: MobileNet-V1 after every conv; V2 and MnasNet-B1
// after the stem, expand, depthwise stage and head, not after the projecting 1x1 (linear
// bottleneck); V3's activations (h-swish, SE scaling) are not described (see
// zoo_infer_unsupported). Throws fusegen::Error for an unknown network or variant.
std::vector<ZooLayer> zoo_layers(const std::string& network, const std::string& variant,
                                 int64_t h = 224, int64_t w = 224);

// The layer list of one network in one variant, in execution order. Names: "stem",
// "b<i>.expand", "b<i>.dw" | "b<i>.row" + "b<i>.col", "b<i>.se1", "b<i>.se2", "b<i>.pw",
// "head" (last 1x1), "head2" (V3's 1x1 after the pool), "fc"; blocks are numbered from 1.
// h x w is the input size (the zoo's networks are defined at 224 x 224).
// Throws fusegen::Error for an unknown network or variant.
std::vector<LayerDesc> build_network(const std::string& network, const std::string& variant,
                                     int64_t h = 224, int64_t w = 224);

// Why a network cannot be run in integer semantics by `fusegen infer` ("" if it can): the
// MobileNet-V3 networks need SE scaling and h-swish, which the golden operators do not define.
std::string zoo_infer_unsupported(const std::string& network);

// 1-based indices of the blocks a 50 % variant replaces (docs/operators.md, Networks).
std::vector<int> partial_blocks(const std::string& network);

}  // namespace fusegen
