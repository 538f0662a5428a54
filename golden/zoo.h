// The network zoo of docs/operators.md (Networks): MobileNet-V1/V2, MnasNet-B1 and
// MobileNet-V3-Small/Large as flat lists of LayerDesc (224x224x3 input, batch 1), in the
// baseline form and the FuSe variants. A FuSe variant replaces a block's KxK depthwise conv by
// a 1xK ("row") + Kx1 ("col") pair; Full feeds all C channels to each (the following 1x1 sees
// 2C), Half feeds C/2 to each (the 1x1 keeps C); the 50 % variants replace only the blocks the
// definitions list. Pools and residual adds cost nothing and are not listed.
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

// The layer list of one network in one variant, in execution order. Names: "stem",
// "b<i>.expand", "b<i>.dw" | "b<i>.row" + "b<i>.col", "b<i>.se1", "b<i>.se2", "b<i>.pw",
// "head" (last 1x1), "head2" (V3's 1x1 after the pool), "fc"; blocks are numbered from 1.
// Throws fusegen::Error for an unknown network or variant.
std::vector<LayerDesc> build_network(const std::string& network, const std::string& variant);

// 1-based indices of the blocks a 50 % variant replaces (docs/operators.md, Networks).
std::vector<int> partial_blocks(const std::string& network);

}  // namespace fusegen
