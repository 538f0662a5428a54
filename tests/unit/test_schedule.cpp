// Scheduler tests: every lowering, run through an independent event-level model of the array
// protocol (docs/array_protocol.md: MAC timing, hand-off, drain safety, output cycles) written
// here in the test, must reproduce direct convolutions computed from the operator definitions;
// plus hand-worked placements.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "common/bits.h"
#include "common/error.h"
#include "golden/schedule.h"

using namespace fusegen;

namespace {

// ---- Direct operator definitions (reference values; independent of the scheduler).

Tensor random_tensor(std::vector<int64_t> shape, int bits, std::mt19937_64& rng) {
  Tensor t(std::move(shape));
  std::uniform_int_distribution<int64_t> d(signed_min(bits), signed_max(bits));
  std::uniform_int_distribution<int> pick(0, 5);
  for (auto& v : t.data) {
    int p = pick(rng);
    v = p == 0 ? signed_min(bits) : p == 1 ? signed_max(bits) : d(rng);
  }
  return t;
}

// Grouped conv2d with groups = 1 (conv) or groups = C (depthwise), wrapping in acc bits.
Tensor direct_conv(const Tensor& x, const Tensor& w, int64_t stride, int64_t ph, int64_t pw,
                   bool depthwise, int acc) {
  const int64_t N = x.dim(0), C = x.dim(1), H = x.dim(2), W = x.dim(3);
  const int64_t M = w.dim(0), kh = w.dim(2), kw = w.dim(3);
  const int64_t Ho = (H + 2 * ph - kh) / stride + 1, Wo = (W + 2 * pw - kw) / stride + 1;
  Tensor y({N, M, Ho, Wo});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t m = 0; m < M; ++m)
      for (int64_t oh = 0; oh < Ho; ++oh)
        for (int64_t ow = 0; ow < Wo; ++ow) {
          int64_t s = 0;
          for (int64_t c = 0; c < (depthwise ? 1 : C); ++c)
            for (int64_t ky = 0; ky < kh; ++ky)
              for (int64_t kx = 0; kx < kw; ++kx) {
                const int64_t r = oh * stride + ky - ph, q = ow * stride + kx - pw;
                if (r < 0 || q < 0 || r >= H || q >= W) continue;
                const int64_t xc = depthwise ? m : c;
                s = wrap_add(s, wrap_mul(x.at(n, xc, r, q), w.at(m, c, ky, kx), acc), acc);
              }
          y.at(n, m, oh, ow) = s;
        }
  return y;
}

// ---- Independent event-level model of the array protocol.

struct ProtocolRun {
  Tensor out;                 // results scattered through out_index
  std::vector<int> writes;    // how often each output element was written
  int64_t last_out_cycle = -1;  // last cycle with out_valid
};

ProtocolRun run_protocol(Program& p, const StageTensors& t, int acc) {
  const int R = p.cfg.rows, C = p.cfg.cols;
  Expander ex(p, t);
  const int64_t U = ex.input_cycles();
  // Cycles that belong to some fold's window: elsewhere the port values must not matter, so
  // replace them with garbage.
  std::vector<bool> in_window(static_cast<size_t>(U), false);
  for (const Fold& f : p.folds)
    for (int64_t u = std::max<int64_t>(0, f.first()); u <= f.hand; ++u) in_window[u] = true;
  std::vector<PortValues> pv(static_cast<size_t>(U));
  for (int64_t u = 0; u < U; ++u) {
    ex.at(u, pv[u]);
    if (!in_window[u]) {
      EXPECT_FALSE(pv[u].en) << "en outside any window at cycle " << u;
      for (auto& v : pv[u].a) v = 77;
      for (auto& v : pv[u].b) v = -55;
      for (auto& v : pv[u].w) v = 33;
    }
  }
  // MAC events per PE: (time, product, handoff cycle or -1, is_gemm).
  struct Ev { int64_t time; int64_t prod; bool last, keep, gemm; int64_t u; };
  std::vector<std::vector<Ev>> ev(static_cast<size_t>(R * C));
  for (int64_t u = 0; u < U; ++u) {
    const PortValues& v = pv[u];
    if (!v.en) continue;
    for (int i = 0; i < R; ++i)
      for (int j = 0; j < C; ++j) {
        Ev e;
        e.last = v.last;
        e.keep = v.keep;
        e.gemm = !v.mode;
        e.u = u;
        if (!v.mode) {
          e.time = u + 1 + i + j;
          e.prod = wrap_mul(v.a[i], v.b[j], acc);
        } else {
          e.time = u + 1 + i;
          const int64_t src = u - j;
          const int64_t a = src >= 0 ? pv[src].a[i] : 99;
          e.prod = wrap_mul(a, v.w[i], acc);
        }
        ev[i * C + j].push_back(e);
      }
  }
  // Accumulate per PE; record hand-offs (keyed by H) and check drain safety.
  std::map<int64_t, std::vector<int64_t>> results;  // H -> R*C values
  for (int i = 0; i < R; ++i)
    for (int j = 0; j < C; ++j) {
      auto& es = ev[i * C + j];
      int64_t accv = 0, prev_time = -1;
      int64_t free_from = -1;  // first edge at which out_q may be written again
      for (const Ev& e : es) {
        EXPECT_GT(e.time, prev_time) << "PE (" << i << "," << j << ") two MACs on one edge";
        prev_time = e.time;
        accv = wrap_add(accv, e.prod, acc);
        if (e.last && !e.keep) {
          EXPECT_GE(e.time, free_from) << "PE (" << i << "," << j << ") out_q overwritten "
                                       << "before drained, hand-off at " << e.u;
          auto& r = results[e.u];
          r.resize(static_cast<size_t>(R * C));
          r[i * C + j] = accv;
          accv = 0;
          const int64_t D = e.gemm ? e.u + R + 1 + j : e.u + R + 1;
          free_from = D + i;
        }
      }
    }
  ProtocolRun run;
  run.out = Tensor(p.out_shape);
  run.writes.assign(run.out.numel(), 0);
  // Output port windows must not overlap.
  int64_t port_free = -1;
  for (const Fold& f : p.folds) {
    if (f.keep) continue;
    const int64_t first = first_out_cycle(p.cfg, f);
    EXPECT_GT(first, port_free) << "output windows overlap at hand-off " << f.hand;
    port_free = first + R - 1;
    run.last_out_cycle = port_free;
    auto it = results.find(f.hand);
    EXPECT_NE(it, results.end()) << "no hand-off seen at cycle " << f.hand;
    if (it == results.end()) continue;
    for (int i = 0; i < R; ++i)
      for (int j = 0; j < C; ++j) {
        int64_t idx = out_index(p, f, i, j);
        if (idx < 0) continue;
        run.out.data[idx] = it->second[i * C + j];
        run.writes[idx]++;
      }
  }
  return run;
}

ArrayConfig cfg_of(int r, int c, int dw = 8, int acc = 32, bool stos = true) {
  ArrayConfig a;
  a.mac_stages = 1;  // the cycle counts below are worked out for the one-cycle MAC
  a.bcast_group = 0;  // ... and for no input stage
  a.rows = r;
  a.cols = c;
  a.data_w = dw;
  a.acc_w = acc;
  a.stos = stos;
  return a;
}

void expect_all_written_once(const ProtocolRun& r) {
  for (size_t i = 0; i < r.writes.size(); ++i)
    ASSERT_EQ(r.writes[i], 1) << "output element " << i << " written " << r.writes[i] << " times";
}

void check_layer(const LayerDesc& l, const ArrayConfig& cfg, DwMapping dw, uint64_t seed) {
  SCOPED_TRACE(::testing::Message() << op_name(l.op) << " n" << l.n << " c" << l.cin << " "
                                    << l.h << "x" << l.w << " ->" << l.cout << " k" << l.kh << "x"
                                    << l.kw << " s" << l.stride << " on " << cfg.rows << "x"
                                    << cfg.cols << " dw " << dw_mapping_name(dw));
  std::mt19937_64 rng(seed);
  const bool dwise = l.op == OpKind::Depthwise || l.op == OpKind::Row || l.op == OpKind::Col;
  Tensor x = random_tensor({l.n, l.cin, l.h, l.w}, cfg.data_w, rng);
  Tensor w = random_tensor({l.cout, dwise ? 1 : l.cin, l.kh, l.kw}, cfg.data_w, rng);
  Tensor ref = direct_conv(x, w, l.stride, l.pad_h, l.pad_w, dwise, cfg.acc_w);
  Program p = lower_layer(l, cfg, dw);
  place(p);
  StageTensors st{&x, {&w}};
  ProtocolRun r = run_protocol(p, st, cfg.acc_w);
  expect_all_written_once(r);
  EXPECT_EQ(r.out.data, ref.data);
  EXPECT_EQ(p.cycles, r.last_out_cycle + 1);
}

}  // namespace

TEST(Schedule, GemmLayersMatchDirectConv) {
  uint64_t seed = 1;
  for (auto [r, c] : {std::pair{4, 4}, {3, 5}, {5, 3}, {1, 1}, {1, 4}, {4, 1}}) {
    check_layer(conv_layer("c", 3, 5, 6, 5, 3, 1, 2), cfg_of(r, c), DwMapping::Os, seed++);
    check_layer(conv_layer("c", 2, 7, 5, 3, 3, 2), cfg_of(r, c), DwMapping::Os, seed++);
    check_layer(pw_layer("p", 5, 3, 3, 7, 2), cfg_of(r, c), DwMapping::Os, seed++);
    check_layer(conv_layer("c", 1, 6, 6, 2, 5, 2), cfg_of(r, c), DwMapping::Os, seed++);
  }
}

TEST(Schedule, FcMatchesMatrixProduct) {
  std::mt19937_64 rng(5);
  ArrayConfig cfg = cfg_of(3, 4);
  LayerDesc l = fc_layer("fc", 7, 9, 5);
  Tensor x = random_tensor({5, 7}, 8, rng), w = random_tensor({9, 7}, 8, rng);
  Program p = lower_layer(l, cfg, DwMapping::Os);
  place(p);
  ProtocolRun r = run_protocol(p, StageTensors{&x, {&w}}, 32);
  expect_all_written_once(r);
  for (int64_t n = 0; n < 5; ++n)
    for (int64_t m = 0; m < 9; ++m) {
      int64_t s = 0;
      for (int64_t k = 0; k < 7; ++k) s += x.at(n, k) * w.at(m, k);
      EXPECT_EQ(r.out.at(n, m), s) << n << "," << m;
    }
}

TEST(Schedule, DepthwiseBothMappingsMatchDirectConv) {
  uint64_t seed = 100;
  for (auto [r, c] : {std::pair{4, 4}, {3, 5}, {5, 3}, {1, 1}, {2, 7}, {8, 2}})
    for (DwMapping m : {DwMapping::Os, DwMapping::Stos})
      for (int k : {1, 3, 5})
        for (int s : {1, 2}) {
          check_layer(dw_layer("d", 3, 7, 6, k, s, 2), cfg_of(r, c), m, seed++);
        }
}

TEST(Schedule, RowAndColMatchDirectConv) {
  uint64_t seed = 200;
  for (auto [r, c] : {std::pair{4, 4}, {3, 5}, {5, 3}, {1, 1}, {1, 8}, {8, 1}, {2, 7}})
    for (int k : {1, 3, 5, 7})
      for (int s : {1, 2}) {
        check_layer(row_layer("r", 2, 5, 9, k, s, 2), cfg_of(r, c), DwMapping::Stos, seed++);
        check_layer(col_layer("c", 3, 9, 4, k, s, 1), cfg_of(r, c), DwMapping::Stos, seed++);
      }
}

TEST(Schedule, NoStosArrayRunsDepthwiseAsGemm) {
  check_layer(row_layer("r", 2, 5, 6, 3, 1), cfg_of(4, 4, 8, 32, false), DwMapping::Os, 7);
  check_layer(col_layer("c", 2, 5, 6, 3, 2), cfg_of(4, 4, 8, 32, false), DwMapping::Os, 8);
  Program p = lower_layer(row_layer("r", 2, 5, 6, 3, 1), cfg_of(4, 4, 8, 32, false), DwMapping::Os);
  for (const Fold& f : p.folds) EXPECT_FALSE(f.stos);
  EXPECT_THROW(lower_layer(dw_layer("d", 2, 5, 5, 3, 1), cfg_of(4, 4, 8, 32, false),
                           DwMapping::Stos), Error);
}

TEST(Schedule, NarrowWideWidthsWrapLikeHardware) {
  check_layer(conv_layer("c", 4, 4, 4, 3, 3, 1), cfg_of(3, 3, 4, 8), DwMapping::Os, 9);
  check_layer(dw_layer("d", 2, 6, 6, 3, 1), cfg_of(3, 3, 4, 8), DwMapping::Stos, 10);
  check_layer(conv_layer("c", 3, 4, 4, 3, 3, 1), cfg_of(2, 3, 16, 64), DwMapping::Os, 11);
}

TEST(Schedule, FuseStageMatchesConcatenatedRowAndCol) {
  for (bool half : {false, true})
    for (auto [r, c] : {std::pair{4, 4}, {3, 5}, {5, 3}})
      for (int s : {1, 2}) {
        SCOPED_TRACE(::testing::Message() << "half " << half << " " << r << "x" << c << " s" << s);
        std::mt19937_64 rng(300 + r * 10 + c + s + half);
        const int64_t N = 2, C = half ? 6 : 5, H = 6, W = 7, K = 3;
        const int64_t c1 = half ? C / 2 : C, c2 = half ? C - C / 2 : C;
        Tensor x = random_tensor({N, C, H, W}, 8, rng);
        Tensor wr = random_tensor({c1, 1, 1, K}, 8, rng), wc = random_tensor({c2, 1, K, 1}, 8, rng);
        Program p = lower_fuse_stage(row_layer("r", c1, H, W, K, s, N), col_layer("c", c2, H, W, K, s, N),
                                     half ? C / 2 : 0, cfg_of(r, c));
        place(p);
        ProtocolRun run = run_protocol(p, StageTensors{&x, {&wr, &wc}}, 32);
        expect_all_written_once(run);
        // Reference: 1xK on channels [0,c1), Kx1 on [c0, c0+c2), concatenated.
        Tensor xr({N, c1, H, W}), xc({N, c2, H, W});
        const int64_t c0 = half ? C / 2 : 0;
        for (int64_t n = 0; n < N; ++n)
          for (int64_t h = 0; h < H; ++h)
            for (int64_t w = 0; w < W; ++w) {
              for (int64_t ch = 0; ch < c1; ++ch) xr.at(n, ch, h, w) = x.at(n, ch, h, w);
              for (int64_t ch = 0; ch < c2; ++ch) xc.at(n, ch, h, w) = x.at(n, c0 + ch, h, w);
            }
        Tensor yr = direct_conv(xr, wr, s, 0, K / 2, true, 32);
        Tensor yc = direct_conv(xc, wc, s, K / 2, 0, true, 32);
        ASSERT_EQ(p.out_shape, (std::vector<int64_t>{N, c1 + c2, yr.dim(2), yr.dim(3)}));
        for (int64_t n = 0; n < N; ++n)
          for (int64_t ch = 0; ch < c1 + c2; ++ch)
            for (int64_t h = 0; h < yr.dim(2); ++h)
              for (int64_t w = 0; w < yr.dim(3); ++w)
                ASSERT_EQ(run.out.at(n, ch, h, w),
                          ch < c1 ? yr.at(n, ch, h, w) : yc.at(n, ch - c1, h, w))
                    << n << "," << ch << "," << h << "," << w;
      }
}

// ---- Hand-worked placements (numbers derived from docs/array_protocol.md by hand).

TEST(Placement, OneGemmFoldOn4x4WithT3Takes15Cycles) {
  // P = 4 pixels, M = 4 filters, T = 3: one fold, last slice at user cycle 2,
  // latency 2 + 2*4 + 4 + 1 = 15.
  Program p = lower_layer(fc_layer("fc", 3, 4, 4), cfg_of(4, 4), DwMapping::Os);
  place(p);
  ASSERT_EQ(p.folds.size(), 1u);
  EXPECT_EQ(p.folds[0].hand, 2);
  EXPECT_EQ(p.cycles, 15);
}

TEST(Placement, BackToBackGemmFoldsCostMaxTR) {
  // Two row folds (P = 8 on R = 4). T = 3 < R: H = 2, then 2 + 4 = 6 -> 6 + 13 = 19.
  Program a = lower_layer(fc_layer("fc", 3, 4, 8), cfg_of(4, 4), DwMapping::Os);
  place(a);
  ASSERT_EQ(a.folds.size(), 2u);
  EXPECT_EQ(a.folds[1].hand - a.folds[0].hand, 4);
  EXPECT_EQ(a.cycles, 19);
  // T = 10 > R: H = 9, then 19 -> 19 + 13 = 32.
  Program b = lower_layer(fc_layer("fc", 10, 4, 8), cfg_of(4, 4), DwMapping::Os);
  place(b);
  EXPECT_EQ(b.folds[0].hand, 9);
  EXPECT_EQ(b.folds[1].hand, 19);
  EXPECT_EQ(b.cycles, 32);
}

TEST(Placement, StosTilesShareOverlapWhenSpacingAllows) {
  // 1xK, K = 3, one channel, 4 lines of 8 outputs on 4x4: tile 0 window 6 -> H = 5; tile 1
  // continues the stream 4 cycles later (H = 9 >= 5 + R), sharing K-1 = 2 elements.
  Program p = lower_layer(row_layer("r", 1, 4, 8, 3, 1), cfg_of(4, 4), DwMapping::Stos);
  place(p);
  ASSERT_EQ(p.folds.size(), 2u);
  EXPECT_EQ(p.folds[0].hand, 5);
  EXPECT_EQ(p.folds[1].hand, 9);
  EXPECT_TRUE(p.folds[1].shared);
  EXPECT_EQ(p.folds[1].own_first, 6);
  EXPECT_EQ(p.cycles, 9 + 2 * 4 + 2);
}

TEST(Placement, StosRefeedsWhenRowsExceedColumns) {
  // 4x2 array: continuing would hand off 2 cycles later (< R = 4): re-feed a full window of
  // c + K - 1 = 4 cycles, H = max(3 + 4, 3 + 4) = 7.
  Program p = lower_layer(row_layer("r", 1, 4, 4, 3, 1), cfg_of(4, 2), DwMapping::Stos);
  place(p);
  ASSERT_EQ(p.folds.size(), 2u);
  EXPECT_EQ(p.folds[0].hand, 3);
  EXPECT_FALSE(p.folds[1].shared);
  EXPECT_EQ(p.folds[1].hand, 7);
  EXPECT_EQ(p.cycles, 7 + 2 * 4 + 2);
}

TEST(Placement, StosRefeedsWhenTapsWouldCollide) {
  // 2x2 array, K = 3 > C: the continued tile's taps would overlap the previous ones.
  Program p = lower_layer(row_layer("r", 1, 2, 4, 3, 1), cfg_of(2, 2), DwMapping::Stos);
  place(p);
  ASSERT_EQ(p.folds.size(), 2u);
  EXPECT_EQ(p.folds[0].hand, 3);
  EXPECT_FALSE(p.folds[1].shared);
  EXPECT_EQ(p.folds[1].hand, 7);
}

TEST(Placement, DepthwiseStosPassesAreKeptChains) {
  // dw 3x3 on 4 lines of 4 outputs, 4x4: three passes of window 6: H = 5, 11, 17 (keep, keep,
  // hand-off); latency 17 + 2*4 + 2 = 27.
  Program p = lower_layer(dw_layer("d", 1, 4, 4, 3, 1), cfg_of(4, 4), DwMapping::Stos);
  place(p);
  ASSERT_EQ(p.folds.size(), 3u);
  EXPECT_TRUE(p.folds[0].keep);
  EXPECT_TRUE(p.folds[1].keep);
  EXPECT_FALSE(p.folds[2].keep);
  EXPECT_EQ(p.folds[2].hand, 17);
  EXPECT_EQ(p.handoffs, 1);
  EXPECT_EQ(p.cycles, 27);
}

TEST(Placement, ModeSwitchSpacing) {
  // Hand-built program on 4x4: GEMM fold (T = 2), ST-OS tile (K = 3, c = 4), GEMM fold (T = 2).
  Program p;
  p.cfg = cfg_of(4, 4);
  Fold g;
  g.len = g.taps = 2;
  g.rows = g.cols = 4;
  Fold s;
  s.stos = true;
  s.len = 6;
  s.taps = 3;
  s.rows = s.cols = 4;
  p.folds = {g, s, g};
  place(p);
  EXPECT_EQ(p.folds[0].hand, 1);
  // GEMM -> ST-OS: hand-off spacing R + C - 1 = 7 -> H >= 8; first tap >= 1 + C = 5 -> H >= 7;
  // window after the slice -> H >= 1 + 6 = 7. So H = 8.
  EXPECT_EQ(p.folds[1].hand, 8);
  // ST-OS -> GEMM: spacing R -> H >= 12; slices after the window -> H >= 10.
  EXPECT_EQ(p.folds[2].hand, 12);
  EXPECT_EQ(p.cycles, 12 + 2 * 4 + 4 + 1);
}

TEST(Placement, RuleThreeDelaysTapsAfterShortGemm) {
  // 2x8 array: GEMM (T = 1) at H = 0, then an ST-OS tile with K = 3, c = 1: spacing
  // R + C - 1 = 9 -> H >= 9; first tap >= 0 + 8 -> H >= 10. So rule 3 decides: H = 10.
  Program p;
  p.cfg = cfg_of(2, 8);
  Fold g;
  g.len = g.taps = 1;
  g.rows = 2;
  g.cols = 8;
  Fold s;
  s.stos = true;
  s.len = 3;
  s.taps = 3;
  s.rows = 2;
  s.cols = 1;
  p.folds = {g, s};
  place(p);
  EXPECT_EQ(p.folds[1].hand, 10);
}

TEST(Placement, Deterministic) {
  Program a = lower_layer(dw_layer("d", 7, 9, 11, 5, 2, 2), cfg_of(5, 3), DwMapping::Stos);
  Program b = lower_layer(dw_layer("d", 7, 9, 11, 5, 2, 2), cfg_of(5, 3), DwMapping::Stos);
  place(a);
  place(b);
  ASSERT_EQ(a.folds.size(), b.folds.size());
  for (size_t i = 0; i < a.folds.size(); ++i) EXPECT_EQ(a.folds[i].hand, b.folds[i].hand);
  EXPECT_EQ(a.cycles, b.cycles);
}
