// Cycle model tests: closed forms derived by hand from docs/array_protocol.md for steady-state
// programs, the bounds of docs/hardware.md, block = sum of stages, utilization definition.
#include <gtest/gtest.h>

#include <algorithm>

#include "common/bits.h"
#include "common/error.h"
#include "golden/cycle_model.h"

using namespace fusegen;

namespace {
ArrayConfig cfg_of(int r, int c, bool stos = true) {
  ArrayConfig a;
  a.mac_stages = 1;  // the closed forms below are worked out for the one-cycle MAC
  a.bcast_group = 0;  // ... and for no input stage
  a.rows = r;
  a.cols = c;
  a.stos = stos;
  return a;
}
}  // namespace

TEST(CycleModel, GemmSteadyStateClosedForm) {
  // pw 56x56, 64 -> 128 on 16x16: F = (3136/16) * (128/16) = 1568 folds of T = 64 > R:
  // H_last = (T - 1) + (F - 1) * T; cycles = H_last + 2R + C + 1.
  CycleReport r = model_layer(pw_layer("pw", 64, 56, 56, 128), cfg_of(16, 16), DwMapping::Os);
  EXPECT_EQ(r.folds, 1568);
  EXPECT_EQ(r.cycles, 63 + 1567 * 64 + 32 + 16 + 1);
  // T = 8 < R = 16: each fold costs R.
  CycleReport s = model_layer(pw_layer("pw", 8, 8, 8, 16), cfg_of(16, 16), DwMapping::Os);
  EXPECT_EQ(s.folds, 4);
  EXPECT_EQ(s.cycles, 7 + 3 * 16 + 32 + 16 + 1);
}

TEST(CycleModel, StosRowLayerClosedForm) {
  // 1x3 on 16 channels x 16 rows (256 lines = 16 groups) of 64 outputs (4 tiles) on 16x16:
  // per group one re-fed window (C + K - 1 = 18) then 3 shared tiles of C = 16 cycles.
  CycleReport r = model_layer(row_layer("r", 16, 16, 64, 3, 1), cfg_of(16, 16), DwMapping::Stos);
  EXPECT_EQ(r.folds, 64);
  EXPECT_EQ(r.cycles, (16 * 66 - 1) + 2 * 16 + 2);
}

TEST(CycleModel, DepthwiseOsUsesOneColumnPerChannel) {
  // dw 3x3 on 4 channels of 8x8 on 8x8: per channel 64 pixels = 8 folds of T = 9 > R = 8.
  CycleReport r = model_layer(dw_layer("d", 4, 8, 8, 3, 1), cfg_of(8, 8), DwMapping::Os);
  EXPECT_EQ(r.folds, 32);
  EXPECT_EQ(r.cycles, 8 + 31 * 9 + 16 + 8 + 1);
}

TEST(CycleModel, RespectsComputeAndIoBounds) {
  const ArrayConfig cfgs[] = {cfg_of(16, 16), cfg_of(32, 32), cfg_of(8, 16), cfg_of(16, 4)};
  const LayerDesc layers[] = {
      conv_layer("c", 3, 32, 32, 32, 3, 2), pw_layer("p", 32, 28, 28, 64),
      dw_layer("d", 32, 28, 28, 3, 1),      dw_layer("d2", 24, 27, 27, 5, 2),
      row_layer("r", 32, 28, 28, 3, 1),     col_layer("c", 32, 28, 28, 5, 2),
      fc_layer("fc", 256, 100, 3)};
  for (const ArrayConfig& cfg : cfgs)
    for (const LayerDesc& l : layers)
      for (DwMapping m : {DwMapping::Os, DwMapping::Stos}) {
        CycleReport r = model_layer(l, cfg, m);
        const double compute = static_cast<double>(l.macs()) / (cfg.rows * cfg.cols);
        EXPECT_GE(static_cast<double>(r.cycles), compute) << l.name;
        EXPECT_EQ(r.macs, l.macs());
        EXPECT_GT(r.utilization, 0.0);
        EXPECT_LE(r.utilization, 1.0);
        EXPECT_DOUBLE_EQ(r.utilization, static_cast<double>(r.macs) /
                                            (static_cast<double>(cfg.rows) * cfg.cols * r.cycles));
      }
}

TEST(CycleModel, GemmNeverBeatsFoldIoBound) {
  // docs/hardware.md (bounds): F folds each need max(T, R) cycles, plus fill and drain.
  ArrayConfig cfg = cfg_of(16, 16);
  LayerDesc l = conv_layer("c", 16, 20, 20, 40, 3, 1);
  CycleReport r = model_layer(l, cfg, DwMapping::Os);
  const int64_t F = ((20 * 20 + 15) / 16) * ((40 + 15) / 16), T = 16 * 9;
  EXPECT_GE(r.cycles, F * std::max<int64_t>(T, 16));
}

TEST(CycleModel, StosDepthwiseBeatsOsBaseline) {
  ArrayConfig cfg = cfg_of(16, 16);
  LayerDesc l = dw_layer("d", 32, 56, 56, 3, 1);
  EXPECT_LT(model_layer(l, cfg, DwMapping::Stos).cycles, model_layer(l, cfg, DwMapping::Os).cycles);
}

// Blocks on a 4x4 array (R = C = 4), input 1x2x4x4, K = 3, stride 1, pad 1, Cout = 4, so
// Ho = Wo = 4. Every number below is derived from the rules of docs/array_protocol.md and the
// placement rules of docs/mapping.md section 2, not from the code:
//  - latency of a program: H_last + 2R + C + 1 = H_last + 13 (GEMM last), H_last + 2R + 2 =
//    H_last + 10 (ST-OS last), with H the cycle of a fold's last slice/tap, first input at 0;
//  - GEMM fold: H = max(last_in + T, H_prev + R); ST-OS re-fed tile: H = max(last_in + c + K - 1,
//    H_prev + R) (kept folds have no hand-off and need only last_in + window);
//  - a block drains fully between its stages: block cycles = sum of its stage programs.
// DSC, depthwise by ST-OS rows: lines (n, c, oh) = 1*2*4 = 8 -> 2 line groups of R = 4; a line
//   has 4 stride-1 outputs = one tile of c = 4 (window c + K - 1 = 6); K = 3 passes per tile,
//   passes 0 and 1 kept. Group 0: H = 5, 11, 17 (hand-off); group 1: 23, 29, 35 (35 >= 17 + 4).
//   Stage 1 = 35 + 10 = 45.
//   Pointwise 2 -> 4: 16 pixels -> 4 folds of 4 rows x 4 filters, T = 2 < R:
//   H = 1, then +R each: 5, 9, 13. Stage 2 = 13 + 13 = 26. Block: 45 + 26 = 71.
// FuSe-Full: 1xK on all 2 channels (2*4 = 8 lines along W, 2 groups), then Kx1 on all 2
//   channels (2*4 = 8 lines along H, 2 groups), one program, 1 pass, one tile of c = 4 per
//   group, each re-fed (window 6): H = 5, max(5 + 6, 5 + 4) = 11, 17, 23. Stage 1 = 23 + 10 = 33.
//   Pointwise 4 -> 4 (concat 2C): 4 folds of T = 4 = R: H = 3, 7, 11, 15. Stage 2 = 15 + 13 = 28.
//   Block: 33 + 28 = 61.
// FuSe-Half: 1xK on channel 0 (4 lines, one group), Kx1 on channel 1 (4 lines): H = 5, 11.
//   Stage 1 = 11 + 10 = 21. Pointwise 2 -> 4 as for DSC: 26. Block: 21 + 26 = 47.
// MACs (docs/operators.md, Ho*Wo*C*(K*K + Cout), *(2K + 2Cout), *(K + Cout)):
//   DSC 16*2*(9 + 4) = 416, Full 16*2*(6 + 8) = 448, Half 16*2*(3 + 4) = 224.
TEST(CycleModel, BlockIsSumOfStages) {
  const ArrayConfig cfg = cfg_of(4, 4);
  struct Case {
    BlockKind kind;
    int64_t stage1, stage2, macs;
  };
  const Case cases[] = {{BlockKind::Dsc, 45, 26, 416},
                        {BlockKind::FuseFull, 33, 28, 448},
                        {BlockKind::FuseHalf, 21, 26, 224}};
  for (const Case& c : cases) {
    SCOPED_TRACE(block_name(c.kind));
    const BlockDesc b{c.kind, 1, 2, 4, 4, 3, 1, -1, 4};
    CycleReport r = model_block(b, cfg, DwMapping::Stos);
    EXPECT_EQ(r.cycles, c.stage1 + c.stage2);
    EXPECT_EQ(r.macs, c.macs);
    // The stages alone: the depthwise / FuSe stage and the pointwise stage.
    std::vector<Program> ps = lower_block(b, cfg, DwMapping::Stos);
    ASSERT_EQ(ps.size(), 2u);
    EXPECT_EQ(model_program(ps[0]).cycles, c.stage1);
    EXPECT_EQ(model_program(ps[1]).cycles, c.stage2);
  }
  // Not square (R = 2, C = 4), DSC: 8 lines -> 4 groups of 2; per group three passes of window 6,
  //   H = 5, 11, 17 | 23, 29, 35 | 41, 47, 53 | 59, 65, 71 (hand-offs 18 apart >= R = 2):
  //   71 + 2*2 + 2 = 77. Pointwise 2 -> 4: 16 pixels / 2 rows = 8 folds of T = 2 = R,
  //   H = 1, 3, ..., 15: 15 + 2*2 + 4 + 1 = 24. Block: 77 + 24 = 101.
  const BlockDesc d{BlockKind::Dsc, 1, 2, 4, 4, 3, 1, -1, 4};
  EXPECT_EQ(model_block(d, cfg_of(2, 4), DwMapping::Stos).cycles, 101);
}

TEST(CycleModel, NoStosBuildRejectsStosDepthwise) {
  EXPECT_THROW(model_layer(dw_layer("d", 4, 8, 8, 3, 1), cfg_of(4, 4, false), DwMapping::Stos),
               Error);
  EXPECT_NO_THROW(model_layer(dw_layer("d", 4, 8, 8, 3, 1), cfg_of(4, 4, false), DwMapping::Os));
}

// A zoo FuSe stage on a 4x4 array: 1xK and Kx1 on 2 channels of 4x4, K = 3, stride 2.
//  1xK (pads W only): Ho = (4 - 1)/2 + 1 = 2, Wo = (4 + 2 - 3)/2 + 1 = 2; its lines are the
//  input rows 0 and 2 of both channels: 4 lines = one group; along the line it computes the
//  stride-1 outputs 0..(Wo - 1)*2 = 3 positions: one tile of c = 3, window c + K - 1 = 5.
//  Alone: H = -1 + 5 = 4, latency 4 + 2R + 2 = 14. The Kx1 alone is the same with H and W
//  swapped: 14. As one program (docs/mapping.md section 3): the Kx1 tile follows at
//  H = max(4 + 5, 4 + R) = 9, latency 9 + 10 = 19. So ".row" is charged 14, ".col" 19 - 14 = 5.
TEST(CycleModel, NetModelChargesFuseRowColAsOneProgram) {
  const ArrayConfig cfg = cfg_of(4, 4);
  RtlLatencyModel m(cfg, DwMapping::Os);
  LayerDesc row = row_layer("b3.row", 2, 4, 4, 3, 2);
  LayerDesc col = col_layer("b3.col", 2, 4, 4, 3, 2);
  EXPECT_EQ(m.layer_cycles(row), 14);
  EXPECT_EQ(m.layer_cycles(col), 5);
  // A Kx1 layer that is not a zoo ".col" is costed alone.
  EXPECT_EQ(m.layer_cycles(col_layer("lone", 2, 4, 4, 3, 2)), 14);
  // On a --no-stos array there is no ST-OS program to share: the Kx1 runs alone as a one-column
  // GEMM per channel (4 pixels = 1 fold of T = K = 3 each): H = 2, max(2 + 3, 2 + R) = 6;
  // latency 6 + 2R + C + 1 = 19.
  EXPECT_EQ(RtlLatencyModel(cfg_of(4, 4, false), DwMapping::Os).layer_cycles(col), 19);
  // The depthwise mapping is the model's. dw 3x3/s1 on 2 channels of 4x4:
  //  stos (base-stos): 45 cycles (worked in BlockIsSumOfStages: DSC stage 1);
  //  os: per channel 16 pixels = 4 folds of T = 9 > R, 8 folds: H = 8, +9 each up to
  //  8 + 7*9 = 71; latency 71 + 2R + C + 1 = 84.
  LayerDesc dw = dw_layer("b1.dw", 2, 4, 4, 3, 1);
  EXPECT_EQ(RtlLatencyModel(cfg, DwMapping::Stos).layer_cycles(dw), 45);
  EXPECT_EQ(m.layer_cycles(dw), 84);
}
