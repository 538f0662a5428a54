// The paper's analytical latency model (docs/networks.md) on layers worked by hand,
// and the published speedup table (iitm-sysdl/FuSeConv README, 64x64 array).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "common/bits.h"
#include "common/error.h"
#include "golden/latency.h"
#include "golden/paper_model.h"
#include "golden/zoo.h"

using namespace fusegen;

// Python: 12656.25 // 64 == 197.0, 12656.25 % 64 == 48.25, -7.5 // 2 == -4.0, -7.5 % 2 == 0.5,
// 7.5 % -2 == -0.5, 6.0 // 3 == 2.0, 6.0 % 3 == 0.0.
TEST(PaperModel, PythonFloatDivMod) {
  EXPECT_EQ(py_floordiv(12656.25, 64), 197.0);
  EXPECT_EQ(py_mod(12656.25, 64), 48.25);
  EXPECT_EQ(py_floordiv(-7.5, 2), -4.0);
  EXPECT_EQ(py_mod(-7.5, 2), 0.5);
  EXPECT_EQ(py_mod(7.5, -2), -0.5);
  EXPECT_EQ(py_floordiv(6.0, 3), 2.0);
  EXPECT_EQ(py_mod(6.0, 3), 0.0);
}

// Conv 3x3/s2, 2 -> 10 channels, 8x8 input, pad 1, on an 8x8 array.
//  Hp = Wp = 10, E = F = (10 - 3 + 2)/2 = 4.5 (fractional), P = 20.25, T = 3*3*2 = 18, M = 10.
//  P//8 = 2, P%8 = 4.25, M//8 = 1, M%8 = 2.
//  2*1*(18+8+8-1) = 66; + 1*(18+4.25+8-1) = 29.25; + 2*(18+8+2-1) = 54; + (18+4.25+2-1) = 23.25
//  = 172.5, truncated to 172. (With floored E = F = 4 it would be 120.)
TEST(PaperModel, GemmWithPartialFoldsAndFractionalOutput) {
  PaperModel m(8, 8);
  LayerDesc l = conv_layer("c", 2, 8, 8, 10, 3, 2);
  EXPECT_DOUBLE_EQ(paper_gemm_cycles(20.25, 10, 18, 8, 8), 172.5);
  EXPECT_EQ(m.layer_cycles(l), 172);
}

// Exact folds: pointwise 16 -> 16 at 4x4 on a 4x4 array: P = 16, T = 16, M = 16:
//  4*4 folds of (16 + 4 + 4 - 1) = 16 * 23 = 368, no partial terms.
TEST(PaperModel, GemmExactFolds) {
  EXPECT_EQ(PaperModel(4, 4).layer_cycles(pw_layer("p", 16, 4, 4, 16)), 368);
}

// Non-square array: rows fold pixels, columns fold filters. Pointwise 4 -> 6 at 3x3 on 4x2:
//  P = 9, T = 4, M = 6: P//4 = 2, P%4 = 1, M//2 = 3, M%2 = 0:
//  2*3*(4+4+2-1) = 54; + 3*(4+1+2-1) = 18 = 72. On 2x4: P//2 = 4, P%2 = 1, M//4 = 1, M%4 = 2:
//  4*1*(4+2+4-1) = 36; + 1*(4+1+4-1) = 8; + 4*(4+2+2-1) = 28; + (4+1+2-1) = 6 = 78.
TEST(PaperModel, GemmNonSquareArray) {
  LayerDesc l = pw_layer("p", 4, 3, 3, 6);
  EXPECT_EQ(PaperModel(4, 2).layer_cycles(l), 72);
  EXPECT_EQ(PaperModel(2, 4).layer_cycles(l), 78);
}

// FC 100 -> 10 on 8x8: P = 1, T = 100, M = 10: P//8 = 0, P%8 = 1, M//8 = 1, M%8 = 2:
//  0 + 1*(100+1+8-1) = 108; + 0; + (100+1+2-1) = 102 = 210.
TEST(PaperModel, FullyConnected) {
  EXPECT_EQ(PaperModel(8, 8).layer_cycles(fc_layer("fc", 100, 10)), 210);
}

// Depthwise 3x3/s1, C = 5, 10x10, pad 1, on 8x8: per channel GEMM with P = 10*10 = 100, M = 1,
//  T = 9: P//8 = 12, P%8 = 4, M//8 = 0, M%8 = 1: 0 + 0 + 12*(9+8+1-1) = 204; + (9+4+1-1) = 13
//  = 217 per channel, * 5 = 1085.
// Strided: 3x3/s2, C = 3, 8x8, pad 1: E = F = 4.5, P = 20.25: 2*(9+8+1-1) = 34;
//  + (9+4.25+1-1) = 13.25 = 47.25 -> 47 per channel (truncated before the multiply) * 3 = 141.
TEST(PaperModel, DepthwiseOnBaselineArray) {
  PaperModel m(8, 8);
  EXPECT_EQ(m.layer_cycles(dw_layer("d", 5, 10, 10, 3, 1)), 1085);
  EXPECT_EQ(m.layer_cycles(dw_layer("d", 3, 8, 8, 3, 2)), 141);
}

// 1xK under ST-OS, stride 2: C = 5, 10x10, K = 3, on 4 rows x 16 columns.
//  ceil(N*H*C/Ra) = ceil(50/4) = 13; 13/2 = 6.5; (Ca + K) = 19; ceil(H/Ca) = ceil(10/16) = 1
//  -> ceil(6.5 * 19 * 1) = ceil(123.5) = 124.
// The height quirk: widening the input to 40 does not change the column-tile count (it still
// uses H = 10), so the cost stays 124. Kx1 is the same with H and W swapped.
TEST(PaperModel, RowAndColumnUnderStOs) {
  PaperModel m(4, 16);
  EXPECT_EQ(m.layer_cycles(row_layer("r", 5, 10, 10, 3, 2)), 124);
  EXPECT_EQ(m.layer_cycles(row_layer("r", 5, 10, 40, 3, 2)), 124);
  EXPECT_EQ(m.layer_cycles(col_layer("c", 5, 10, 10, 3, 2)), 124);
  EXPECT_EQ(m.layer_cycles(col_layer("c", 5, 40, 10, 3, 2)), 124);
  // Height 40 for a 1xK: ceil(200/4) = 50; 50/2 * 19 * ceil(40/16) = 25 * 19 * 3 = 1425.
  EXPECT_EQ(m.layer_cycles(row_layer("r", 5, 40, 10, 3, 2)), 1425);
  EXPECT_EQ(paper_stos_cycles(50, 10, 3, 2, 4, 16), 124);
  // Column tiles come from the unpadded height, not the padded width: 16x16, C = 2, K = 3, s = 1
  // on 4x16: ceil(32/4) = 8; 8 * 19 * ceil(16/16) = 152 (the padded width 18 would give 304).
  EXPECT_EQ(m.layer_cycles(row_layer("r", 2, 16, 16, 3, 1)), 152);
  EXPECT_EQ(m.layer_cycles(col_layer("c", 2, 16, 16, 3, 1)), 152);
}

// The real stem of every zoo network on 64x64: conv 3x3/s2 3 -> 32 at 224 (pad 1):
//  E = F = (226 - 3 + 2)/2 = 112.5, P = 12656.25, T = 27, M = 32: P//64 = 197, P%64 = 48.25,
//  M//64 = 0, M%64 = 32: 197*(27+64+32-1) = 24034; + (27+48.25+32-1) = 106.25 -> 24140.
TEST(PaperModel, MobileNetStem) {
  auto l = build_network("mobilenet_v2", "base");
  EXPECT_EQ(PaperModel(64, 64).layer_cycles(l.front()), 24140);
}

TEST(PaperModel, NetworkEvaluatorSumsLayers) {
  PaperModel m(8, 8);
  std::vector<LayerDesc> layers = {conv_layer("c", 2, 8, 8, 10, 3, 2), fc_layer("fc", 100, 10)};
  NetworkCost c = evaluate_network(m, layers);
  EXPECT_EQ(c.cycles, 172 + 210);
  EXPECT_EQ(c.macs, 4 * 4 * 10 * 18 + 1000);
  ASSERT_EQ(c.layers.size(), 2u);
  EXPECT_EQ(c.layers[1].cycles, 210);
}

TEST(PaperModel, Factory) {
  auto m = make_latency_model("paper", 64, 32, "half");
  EXPECT_EQ(m->name(), "paper");
  EXPECT_THROW(make_latency_model("rtl-exactish", 64, 64, "base"), Error);
  EXPECT_THROW(make_latency_model("paper", 0, 64, "base"), Error);
  try {
    make_latency_model("scalesim", 8, 8, "base");
    FAIL() << "make_latency_model(\"scalesim\", ...) did not throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown latency model 'scalesim'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("paper"), std::string::npos);
  }
}

namespace {
double speedup(const std::string& net, const std::string& var, int64_t r, int64_t c) {
  auto m = make_latency_model("paper", r, c, var);
  double base = static_cast<double>(evaluate_network(*m, build_network(net, "base")).cycles);
  return base / static_cast<double>(evaluate_network(*m, build_network(net, var)).cycles);
}
}  // namespace

// The headline figure: MobileNet-V2 Half on a 64x64 array is 7.23x faster than the base.
TEST(PaperModel, MobileNetV2HalfIs723xOn64x64) {
  double s = speedup("mobilenet_v2", "half", 64, 64);
  EXPECT_GE(s, 7.23);
  EXPECT_LT(s, 7.24);
}

// The published table (README of iitm-sysdl/FuSeConv, 64x64). Published values are our
// speedups cut (not rounded) to the published digits: value <= speedup < value + 1 ulp of the
// last digit. Not reproduced (see docs/networks.md): MobileNet-V1 Full (4.1x published, 4.083
// here: it matches only if rounded) and MobileNet-V1 50 % Full (2.3x published, 2.204 here).
TEST(PaperModel, PublishedSpeedupTable) {
  struct Row {
    const char* net;
    const char* var;
    double published;
    double step;  // one unit of the last published digit
  };
  const Row rows[] = {
      {"mobilenet_v1", "half", 6.76, 0.01},        {"mobilenet_v1", "half50", 2.36, 0.01},
      {"mobilenet_v2", "full", 5.1, 0.1},          {"mobilenet_v2", "half", 7.23, 0.01},
      {"mobilenet_v2", "full50", 2.0, 0.1},        {"mobilenet_v2", "half50", 2.1, 0.1},
      {"mnasnet_b1", "full", 5.06, 0.01},          {"mnasnet_b1", "half", 7.15, 0.01},
      {"mnasnet_b1", "full50", 1.88, 0.01},        {"mnasnet_b1", "half50", 1.97, 0.01},
      {"mobilenet_v3_small", "full", 3.02, 0.01},  {"mobilenet_v3_small", "half", 4.16, 0.01},
      {"mobilenet_v3_small", "full50", 1.6, 0.1},  {"mobilenet_v3_small", "half50", 1.68, 0.01},
      {"mobilenet_v3_large", "full", 3.61, 0.01},  {"mobilenet_v3_large", "half", 5.45, 0.01},
      {"mobilenet_v3_large", "full50", 1.76, 0.01}, {"mobilenet_v3_large", "half50", 1.83, 0.01},
  };
  for (const auto& r : rows) {
    double s = speedup(r.net, r.var, 64, 64);
    EXPECT_GE(s, r.published) << r.net << " " << r.var;
    EXPECT_LT(s, r.published + r.step) << r.net << " " << r.var;
  }
}

// Paper model cycles are deterministic and positive for every zoo network on odd arrays too.
TEST(PaperModel, AllNetworksPositiveOnOddArrays) {
  for (const auto& net : zoo_networks())
    for (const auto& var : zoo_variants()) {
      PaperModel m(7, 13);
      auto c = evaluate_network(m, build_network(net, var.name));
      EXPECT_GT(c.cycles, 0);
      EXPECT_EQ(c.cycles, evaluate_network(m, build_network(net, var.name)).cycles);
      for (const auto& l : c.layers) EXPECT_GT(l.cycles, 0) << net << " " << l.layer.name;
    }
}
