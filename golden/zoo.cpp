// Network zoo: each network is a stem, a list of blocks and a head; a block is expand 1x1
// (optional), the depthwise stage (KxK, or the 1xK + Kx1 FuSe pair), SE (optional, two FC
// layers c_dw -> c_dw/4 -> c_dw) and the projecting 1x1. Layer lists and channel counts follow
// the public FuSeConv model files (iitm-sysdl/FuSeConv) where they agree with docs/operators.md.
#include "golden/zoo.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

namespace {

// One block of a network, before a variant is applied.
struct BlockDef {
  int64_t exp;    // channels after the expand 1x1; 0 = no expand layer
  int64_t cout;   // channels after the projecting 1x1
  int64_t k;      // depthwise kernel size
  int64_t stride; // depthwise stride
  bool se;        // squeeze-and-excitation after the depthwise stage
};

// A whole network before a variant is applied.
struct NetDef {
  int64_t stem_c;            // output channels of the 3x3/s2 stem
  std::vector<BlockDef> blocks;
  int64_t head_c;            // last 1x1 conv at the final spatial size (0 = none)
  int64_t head2_c;           // V3: 1x1 conv after the global pool (0 = none)
  int64_t fc_out;            // classifier outputs
  std::vector<int> partial;  // 1-based blocks replaced by the 50 % variants
  bool linear_bottleneck;    // inverted residuals: no ReLU after the projecting 1x1, and the
                             // block adds its input when stride 1 and Cin == Cout
  std::string unsupported;   // why `fusegen infer` cannot run it ("" if it can)
};

NetDef mobilenet_v1() {
  NetDef n{32, {}, 0, 0, 1000, {1, 2, 3, 4, 5}, false, ""};
  // Output channels and strides of the 13 DSC blocks (K = 3, no expand).
  const int64_t cfg[13][2] = {{64, 1},  {128, 2}, {128, 1}, {256, 2}, {256, 1},
                              {512, 2}, {512, 1}, {512, 1}, {512, 1}, {512, 1},
                              {512, 1}, {1024, 2}, {1024, 1}};
  for (const auto& c : cfg) n.blocks.push_back({0, c[0], 3, c[1], false});
  return n;
}

NetDef mobilenet_v2() {
  NetDef n{32, {}, 1280, 0, 1000, {2, 3, 4, 5, 6, 7, 8, 9, 10}, true, ""};
  // (t, c, n, s); channel counts are already multiples of 8 (width 1.0).
  const int64_t cfg[7][4] = {{1, 16, 1, 1},  {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                             {6, 96, 3, 1},  {6, 160, 3, 2}, {6, 320, 1, 1}};
  int64_t cin = n.stem_c;
  for (const auto& c : cfg) {
    for (int64_t i = 0; i < c[2]; ++i) {
      // Expand 1x1 only when t != 1 (torchvision's InvertedResidual).
      n.blocks.push_back({c[0] == 1 ? 0 : cin * c[0], c[1], 3, i == 0 ? c[3] : 1, false});
      cin = c[1];
    }
  }
  return n;
}

NetDef mnasnet_b1() {
  NetDef n{32, {}, 1280, 0, 1000, {2, 3, 4, 5, 6, 7, 8, 9, 10}, true, ""};
  n.blocks.push_back({0, 16, 3, 1, false});  // SepConv 3x3: dw 32 + pw 32 -> 16
  // (t, c, n, s, k); MBConv always has the expand 1x1 (inp * t channels).
  const int64_t cfg[6][5] = {{3, 24, 3, 2, 3}, {3, 40, 3, 2, 5},  {6, 80, 3, 2, 5},
                             {6, 96, 2, 1, 3}, {6, 192, 4, 2, 5}, {6, 320, 1, 1, 3}};
  int64_t cin = 16;
  for (const auto& c : cfg) {
    for (int64_t i = 0; i < c[2]; ++i) {
      n.blocks.push_back({cin * c[0], c[1], c[4], i == 0 ? c[3] : 1, false});
      cin = c[1];
    }
  }
  return n;
}

// MobileNet-V3 rows (k, exp, c, se, s); every block has the expand 1x1.
struct V3Row {
  int64_t k, exp, c;
  bool se;
  int64_t s;
};

NetDef mobilenet_v3(const std::vector<V3Row>& rows, int64_t head_c, std::vector<int> partial) {
  NetDef n{16, {}, head_c, 1280, 1000, std::move(partial), true,
           "its squeeze-and-excitation scaling and h-swish activations are not defined in "
           "integer semantics"};
  for (const auto& r : rows) n.blocks.push_back({r.exp, r.c, r.k, r.s, r.se});
  return n;
}

NetDef mobilenet_v3_large() {
  return mobilenet_v3({{3, 16, 16, false, 1},
                       {3, 64, 24, false, 2},
                       {3, 72, 24, false, 1},
                       {5, 72, 40, true, 2},
                       {5, 120, 40, true, 1},
                       {5, 120, 40, true, 1},
                       {3, 240, 80, false, 2},
                       {3, 200, 80, false, 1},
                       {3, 184, 80, false, 1},
                       {3, 184, 80, false, 1},
                       {3, 480, 112, true, 1},
                       {3, 672, 112, true, 1},
                       {5, 672, 160, true, 2},
                       {5, 960, 160, true, 1},
                       {5, 960, 160, true, 1}},
                      960, {2, 3, 4, 5, 6, 7, 8});
}

NetDef mobilenet_v3_small() {
  return mobilenet_v3({{3, 16, 16, true, 2},
                       {3, 72, 24, false, 2},
                       {3, 88, 24, false, 1},
                       {5, 96, 40, true, 2},
                       {5, 240, 40, true, 1},
                       {5, 240, 40, true, 1},
                       {5, 120, 48, true, 1},
                       {5, 144, 48, true, 1},
                       {5, 288, 96, true, 2},
                       {5, 576, 96, true, 1},
                       {5, 576, 96, true, 1}},
                      576, {3, 5, 6, 7, 8});
}

NetDef net_def(const std::string& name) {
  if (name == "mobilenet_v1") return mobilenet_v1();
  if (name == "mobilenet_v2") return mobilenet_v2();
  if (name == "mnasnet_b1") return mnasnet_b1();
  if (name == "mobilenet_v3_small") return mobilenet_v3_small();
  if (name == "mobilenet_v3_large") return mobilenet_v3_large();
  std::string list;
  for (const auto& n : zoo_networks()) list += (list.empty() ? "" : ", ") + n;
  throw Error(fmt::format("unknown network '{}': choose one of {}", name, list));
}

}  // namespace

const std::vector<VariantSpec>& zoo_variants() {
  static const std::vector<VariantSpec> v = {
      {"base", FuseKind::None, false, "depthwise-separable baseline (KxK depthwise)"},
      {"full", FuseKind::Full, false, "every KxK depthwise -> 1xK + Kx1 on all C channels"},
      {"half", FuseKind::Half, false, "every KxK depthwise -> 1xK on C/2 + Kx1 on C/2"},
      {"full50", FuseKind::Full, true, "Full FuSe on the spec's 50 % block set"},
      {"half50", FuseKind::Half, true, "Half FuSe on the spec's 50 % block set"},
  };
  return v;
}

const VariantSpec& find_variant(const std::string& name) {
  std::string list;
  for (const auto& v : zoo_variants()) {
    if (v.name == name) return v;
    list += (list.empty() ? "" : ", ") + v.name;
  }
  throw Error(fmt::format("unknown variant '{}': choose one of {}", name, list));
}

const std::vector<std::string>& zoo_networks() {
  static const std::vector<std::string> n = {"mobilenet_v1", "mobilenet_v2", "mnasnet_b1",
                                             "mobilenet_v3_small", "mobilenet_v3_large"};
  return n;
}

std::vector<int> partial_blocks(const std::string& network) { return net_def(network).partial; }

std::string zoo_infer_unsupported(const std::string& network) {
  return net_def(network).unsupported;
}

std::vector<ZooLayer> zoo_layers(const std::string& network, const std::string& variant,
                                 int64_t h, int64_t w) {
  const NetDef def = net_def(network);
  const VariantSpec& var = find_variant(variant);
  std::vector<ZooLayer> out;
  auto add = [&](LayerDesc l, LayerRole role, int block, bool relu) {
    out.push_back({std::move(l), role, block, FuseKind::None, relu, false});
  };
  const bool lin = def.linear_bottleneck;
  int64_t c = 3;

  add(conv_layer("stem", c, h, w, def.stem_c, 3, 2), LayerRole::Stem, 0, true);
  c = def.stem_c;
  h = out.back().layer.ho();
  w = out.back().layer.wo();

  for (size_t i = 0; i < def.blocks.size(); ++i) {
    const BlockDef& b = def.blocks[i];
    const int idx = static_cast<int>(i) + 1;
    const std::string p = fmt::format("b{}.", idx);
    const bool selected = !var.partial || std::count(def.partial.begin(), def.partial.end(), idx);
    const FuseKind fuse = selected ? var.fuse : FuseKind::None;
    const int64_t c_in = c;  // channels entering the block

    if (b.exp > 0) {
      add(pw_layer(p + "expand", c, h, w, b.exp), LayerRole::Expand, idx, true);
      c = b.exp;
    }
    int64_t c_dw = c;  // channels leaving the depthwise / FuSe stage
    switch (fuse) {
      case FuseKind::None:
        add(dw_layer(p + "dw", c, h, w, b.k, b.stride), LayerRole::Spatial, idx, true);
        break;
      case FuseKind::Full:
        add(row_layer(p + "row", c, h, w, b.k, b.stride), LayerRole::Spatial, idx, true);
        add(col_layer(p + "col", c, h, w, b.k, b.stride), LayerRole::Spatial, idx, true);
        c_dw = 2 * c;
        break;
      case FuseKind::Half:
        if (c % 2 != 0)
          throw Error(fmt::format("{} {}: Half FuSe needs an even channel count, block {} has {}",
                                  network, variant, idx, c));
        add(row_layer(p + "row", c / 2, h, w, b.k, b.stride), LayerRole::Spatial, idx, true);
        add(col_layer(p + "col", c / 2, h, w, b.k, b.stride), LayerRole::Spatial, idx, true);
        break;
    }
    for (auto it = out.rbegin(); it != out.rend() && it->role == LayerRole::Spatial; ++it)
      it->fuse = fuse;
    h = out.back().layer.ho();
    w = out.back().layer.wo();
    if (b.se) {
      add(fc_layer(p + "se1", c_dw, c_dw / 4), LayerRole::SE, idx, false);
      add(fc_layer(p + "se2", c_dw / 4, c_dw), LayerRole::SE, idx, false);
    }
    add(pw_layer(p + "pw", c_dw, h, w, b.cout), LayerRole::Project, idx, !lin);
    out.back().residual = lin && b.stride == 1 && c_in == b.cout;
    c = b.cout;
  }

  if (def.head_c > 0) {
    add(pw_layer("head", c, h, w, def.head_c), LayerRole::Head, 0, true);
    c = def.head_c;
  }
  // Global average pool (free) -> 1x1 spatial.
  if (def.head2_c > 0) {
    add(pw_layer("head2", c, 1, 1, def.head2_c), LayerRole::Head2, 0, true);
    c = def.head2_c;
  }
  add(fc_layer("fc", c, def.fc_out), LayerRole::Classifier, 0, false);
  return out;
}

std::vector<LayerDesc> build_network(const std::string& network, const std::string& variant,
                                     int64_t h, int64_t w) {
  std::vector<LayerDesc> out;
  for (auto& z : zoo_layers(network, variant, h, w)) out.push_back(std::move(z.layer));
  return out;
}

}  // namespace fusegen
