// Cycle model tests: closed forms derived by hand from docs/array_protocol.md for steady-state
// programs, the physical bounds of spec 2.3, block = sum of stages, utilization definition.
#include <gtest/gtest.h>

#include <algorithm>

#include "common/bits.h"
#include "common/error.h"
#include "golden/cycle_model.h"

using namespace fusegen;

namespace {
ArrayConfig cfg_of(int r, int c, bool stos = true) {
  ArrayConfig a;
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
  // Spec 2.3: F folds each need max(T, R) cycles, plus fill and drain.
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

TEST(CycleModel, BlockIsSumOfStages) {
  ArrayConfig cfg = cfg_of(8, 8);
  for (BlockKind k : {BlockKind::Dsc, BlockKind::FuseFull, BlockKind::FuseHalf}) {
    BlockDesc b{k, 1, 6, 10, 10, 3, 1, -1, 12};
    CycleReport r = model_block(b, cfg, DwMapping::Stos);
    std::vector<Program> ps = lower_block(b, cfg, DwMapping::Stos);
    int64_t sum = 0, macs = 0;
    for (Program& p : ps) {
      place(p);
      sum += p.cycles;
      macs += p.macs;
    }
    EXPECT_EQ(r.cycles, sum) << block_name(k);
    EXPECT_EQ(r.macs, macs);
  }
  // FuSe-Half MACs (spec 1): Ho*Wo*C*(K + Cout).
  BlockDesc h{BlockKind::FuseHalf, 1, 6, 10, 10, 3, 1, -1, 12};
  EXPECT_EQ(model_block(h, cfg, DwMapping::Stos).macs, 10 * 10 * 6 * (3 + 12));
  BlockDesc f{BlockKind::FuseFull, 1, 6, 10, 10, 3, 1, -1, 12};
  EXPECT_EQ(model_block(f, cfg, DwMapping::Stos).macs, 10 * 10 * 6 * (2 * 3 + 2 * 12));
}

TEST(CycleModel, NoStosBuildRejectsStosDepthwise) {
  EXPECT_THROW(model_layer(dw_layer("d", 4, 8, 8, 3, 1), cfg_of(4, 4, false), DwMapping::Stos),
               Error);
  EXPECT_NO_THROW(model_layer(dw_layer("d", 4, 8, 8, 3, 1), cfg_of(4, 4, false), DwMapping::Os));
}

TEST(CycleModel, NetModelChargesFuseRowColAsOneProgram) {
  ArrayConfig cfg = cfg_of(16, 16);
  RtlLatencyModel m(cfg, DwMapping::Os);
  LayerDesc row = row_layer("b3.row", 24, 28, 28, 3, 2);
  LayerDesc col = col_layer("b3.col", 24, 28, 28, 3, 2);
  Program both = lower_fuse_stage(row, col, 0, cfg);
  place(both);
  EXPECT_EQ(m.layer_cycles(row), model_layer(row, cfg, DwMapping::Os).cycles);
  EXPECT_EQ(m.layer_cycles(row) + m.layer_cycles(col), both.cycles);
  // One program saves the drain and re-fill between the two convs.
  EXPECT_LT(both.cycles, model_layer(row, cfg, DwMapping::Os).cycles +
                             model_layer(col, cfg, DwMapping::Os).cycles);
  // A Kx1 layer that is not a zoo ".col" is costed alone.
  LayerDesc lone = col_layer("lone", 24, 28, 28, 3, 2);
  EXPECT_EQ(m.layer_cycles(lone), model_layer(lone, cfg, DwMapping::Os).cycles);
  // The depthwise mapping is the model's: base-stos maps KxK depthwise by ST-OS rows.
  LayerDesc dw = dw_layer("b1.dw", 32, 56, 56, 3, 1);
  EXPECT_EQ(RtlLatencyModel(cfg, DwMapping::Stos).layer_cycles(dw),
            model_layer(dw, cfg, DwMapping::Stos).cycles);
  EXPECT_GT(m.layer_cycles(dw), RtlLatencyModel(cfg, DwMapping::Stos).layer_cycles(dw));
}
