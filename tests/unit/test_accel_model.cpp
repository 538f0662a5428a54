// Instruction-set model of the accelerator (golden/accel_model.h) against docs/accel.md: stream
// packing, each instruction on tiny arrays, every error code with its ERR_PC, and CYCLES, all
// with expected values worked out by hand from the page.
#include <gtest/gtest.h>

#include "common/error.h"
#include "golden/accel_model.h"
#include "golden/accel_timing.h"
#include "tests/unit/error_of.h"

using namespace fusegen;

namespace {
using Words = std::vector<std::vector<int64_t>>;

// An accelerator with 1 KiB scratchpads and a 16-instruction buffer (the smallest allowed).
AccelConfig tiny(int rows, int cols, int bus = 64, int acc_w = 32) {
  AccelConfig c;
  c.array.rows = rows;
  c.array.cols = cols;
  c.array.data_w = 8;
  c.array.acc_w = acc_w;
  c.act_kb = c.wgt_kb = c.out_kb = 1;
  c.bus_width = bus;
  c.ibuf_depth = 16;
  return c;
}

// One beat of a 64-bit bus.
Beat b64(uint64_t v) { return Beat{static_cast<uint32_t>(v), static_cast<uint32_t>(v >> 32)}; }

std::vector<Beat> concat(std::vector<Beat> a, const std::vector<Beat>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
}  // namespace

TEST(AccelPack, SubBeatWordOnWideBus) {
  // C*D = 16 bits on a 64-bit bus: one beat, lane 0 in bits 7:0, bits 63:16 zero.
  const Words w = {{-1, 2}, {127, -128}};
  const std::vector<Beat> beats = pack_words(w, 8, 64);
  EXPECT_EQ(beats, (std::vector<Beat>{b64(0x02ff), b64(0x807f)}));
  EXPECT_EQ(unpack_words(beats, 2, 8, 64), w);
  // Bits above the word on input are ignored.
  EXPECT_EQ(unpack_words({b64(0xdeadbeef000002ffull)}, 2, 8, 64), (Words{{-1, 2}}));
}

TEST(AccelPack, MultiBeatWordOnNarrowBus) {
  // C*D = 16 x 8 = 128 bits on a 32-bit bus: 4 beats per word, least significant first.
  const Words w = {{1, 2, 3, 4, -1, -2, -3, -4, 0x10, 0x20, 0x30, 0x40, -128, 127, 0, 5},
                   {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1}};
  const std::vector<Beat> beats = pack_words(w, 8, 32);
  EXPECT_EQ(beats, (std::vector<Beat>{{0x04030201}, {0xfcfdfeff}, {0x40302010}, {0x05007f80},
                                      {0}, {0}, {0}, {0xff000000}}));
  EXPECT_EQ(unpack_words(beats, 16, 8, 32), w);
}

TEST(AccelPack, LanesAcrossChunksAndBeats) {
  // Three 24-bit lanes = 72 bits on a 64-bit bus: 0x80_0000_1234_56ff_ffff in two beats, the
  // second holding bits 71:64 = 0x80 and zeros above.
  const Words w = {{-1, 0x123456, -0x800000}};
  const std::vector<Beat> beats = pack_words(w, 24, 64);
  EXPECT_EQ(beats, (std::vector<Beat>{b64(0x0000123456ffffffull), b64(0x80)}));
  EXPECT_EQ(unpack_words(beats, 3, 24, 64), w);
  // 8-bit bus: one byte per beat; 64-bit lanes on a 32-bit bus.
  EXPECT_EQ(pack_words({{-2, 3}}, 8, 8), (std::vector<Beat>{{0xfe}, {0x03}}));
  EXPECT_EQ(unpack_words({{0xfe}, {0x03}}, 2, 8, 8), (Words{{-2, 3}}));
  const Words big = {{INT64_MIN, -1}};
  const std::vector<Beat> bb = pack_words(big, 64, 32);
  EXPECT_EQ(bb, (std::vector<Beat>{{0}, {0x80000000}, {0xffffffff}, {0xffffffff}}));
  EXPECT_EQ(unpack_words(bb, 2, 64, 32), big);
}

TEST(AccelPack, Errors) {
  EXPECT_EQ(error_of([] { pack_words({{1, 128}}, 8, 64); }),
            "pack_words: word 0 lane 1 value 128 does not fit 8 signed bits: allowed -128..127");
  EXPECT_EQ(error_of([] { unpack_words({{1}, {2}, {3}}, 16, 8, 32); }),
            "unpack_words: 3 beats are not a whole number of words: a word of 16 x 8 bits takes "
            "4 beats of 32 bits");
  EXPECT_EQ(error_of([] { unpack_words({{1}}, 2, 8, 64); }),
            "unpack_words: beat 0 has 1 32-bit chunks, a 64-bit beat has 2");
  EXPECT_EQ(error_of([] { pack_words({{1}}, 65, 64); }),
            "pack_words: lane width 65 is out of range: allowed 1..64");
}

TEST(AccelModel, LoadStoreActivationsOn1x1) {
  AccelModel m(tiny(1, 1));
  const std::vector<isa::Instr> prog = {isa::load(isa::kAct, 5, 3), isa::store(isa::kAct, 6, 2),
                                        isa::end()};
  const AccelRun r = m.run(prog, 0, {b64(3), b64(0xfc), b64(7)});
  ASSERT_EQ(r.err, isa::kOk);
  EXPECT_EQ(m.act_word(0, 5), (std::vector<int64_t>{3}));
  EXPECT_EQ(m.act_word(0, 6), (std::vector<int64_t>{-4}));
  EXPECT_EQ(m.act_word(0, 7), (std::vector<int64_t>{7}));
  EXPECT_EQ(r.output, (std::vector<Beat>{b64(0xfc), b64(7)}));
  EXPECT_EQ(r.last, (std::vector<uint64_t>{1}));
  // LOAD 2 + 3*1, STORE (one beat per word) 3 + 2*2, END 2.
  EXPECT_EQ(r.cycles, 5u + 7u + 2u);
  EXPECT_EQ(r.input_beats, 3u);
  EXPECT_EQ(r.instructions, 3u);
  EXPECT_EQ(r.act_writes, 3u);
  EXPECT_EQ(r.act_reads, 2u);
}

TEST(AccelModel, LoadFillsBanksThenLinesOn2x3) {
  AccelModel m(tiny(2, 3));
  // Four activation words from line 1: (1, bank 0), (1, bank 1), (2, bank 0), (2, bank 1).
  // Weight words from word 7. A 24-bit word is one 64-bit beat.
  const std::vector<isa::Instr> prog = {isa::load(isa::kAct, 1, 4), isa::load(isa::kWgt, 7, 2),
                                        isa::end()};
  const AccelRun r = m.run(prog, 0, {b64(0x030201), b64(0xfffefd), b64(4), b64(5), b64(0x7f80),
                                     b64(0x010000)});
  ASSERT_EQ(r.err, isa::kOk);
  EXPECT_EQ(m.act_word(0, 1), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(m.act_word(1, 1), (std::vector<int64_t>{-3, -2, -1}));
  EXPECT_EQ(m.act_word(0, 2), (std::vector<int64_t>{4, 0, 0}));
  EXPECT_EQ(m.act_word(1, 2), (std::vector<int64_t>{5, 0, 0}));
  EXPECT_EQ(m.wgt_word(7), (std::vector<int64_t>{-128, 127, 0}));
  EXPECT_EQ(m.wgt_word(8), (std::vector<int64_t>{0, 0, 1}));
  EXPECT_EQ(m.act_word(0, 0), (std::vector<int64_t>{0, 0, 0}));  // memories start at zero
  EXPECT_EQ(r.cycles, (2u + 4u) + (2u + 2u) + 2u);
  EXPECT_EQ(r.wgt_writes, 2u);
}

TEST(AccelModel, RawGemmAndStoreOn2x3) {
  // Pixels 0 (bank 0) and 1 (bank 1), T = 4 channels over lines 0 (channels 0..2) and 1
  // (channel 3). x0 = [1, 2, 3, 4], x1 = [-1, 0, 2, -3]. Weights of outputs 0..2:
  // [1, 0, 0, 0], [1, 1, 1, 1], [2, -1, 0, 3]; word t holds lane j = weight of output j at t.
  // out(x0) = [1, 10, 2 - 2 + 12 = 12]; out(x1) = [-1, -2, -2 + 0 + 0 - 9 = -11].
  AccelModel m(tiny(2, 3));
  const std::vector<Beat> act = {b64(0x030201), b64(0x0200ff), b64(0x04), b64(0xfd)};
  const std::vector<Beat> wgt = {b64(0x020101), b64(0xff0100), b64(0x000100), b64(0x030100)};
  const std::vector<isa::Instr> prog = {
      isa::load(isa::kAct, 0, 4), isa::load(isa::kWgt, 0, 4),
      isa::gemm(true, false, 0, 0, 3, 0, 4, 1, 1), isa::store(isa::kOut, 3, 2), isa::end()};
  const AccelRun r = m.run(prog, 0, concat(act, wgt));
  ASSERT_EQ(r.err, isa::kOk);
  EXPECT_EQ(m.out_word(3), (std::vector<int64_t>{1, 10, 12}));
  EXPECT_EQ(m.out_word(4), (std::vector<int64_t>{-1, -2, -11}));
  // A result word is 3 x 32 = 96 bits: two 64-bit beats, the upper half of the second zero.
  EXPECT_EQ(r.output, (std::vector<Beat>{{1, 10}, {12, 0}, {0xffffffff, 0xfffffffe},
                                         {0xfffffff5, 0}}));
  EXPECT_EQ(r.last, (std::vector<uint64_t>{3}));
  // LOADs 2 + 4 each; GEMM F = 1, T = 4, FO = I + R + C + M = 1 + 2 + 3 + 3 = 9:
  // 0 + 4 + 9 + 2 + 5 (raw) = 20; STORE 4 + 2 * 2 = 8; END 2.
  EXPECT_EQ(r.cycles, 6u + 6u + 20u + 8u + 2u);
  EXPECT_EQ(r.macs, 24u);       // T * R * C for one fold
  EXPECT_EQ(r.act_reads, 4u);   // two lines of two banks
  EXPECT_EQ(r.wgt_reads, 4u);
  EXPECT_EQ(r.out_writes, 2u);
  EXPECT_EQ(r.out_reads, 2u);
  EXPECT_EQ(r.instructions, 5u);
}

TEST(AccelModel, RequantizedGemmAndActStoreOn2x3) {
  // Pixel 0 = [3, -2], pixel 1 = [5, 4] in line 0 (lane 2 = 99 is not read: T = 2). Six
  // outputs (ncb = 2) with weights o0 [1, 0], o1 [0, 1], o2 [1, 1], o3 [-1, 0], o4 [40, 40],
  // o5 [-100, 2]: acc(p0) = [3, -2, 1, -3, 40, -304], acc(p1) = [5, 4, 9, -5, 360, -492].
  AccelModel m(tiny(2, 3));
  const std::vector<Beat> act = {b64(0x63fe03), b64(0x630405)};
  // Words cb*T + t: [1, 0, 1], [0, 1, 1], [-1, 40, -100], [0, 40, 2].
  const std::vector<Beat> wgt = {b64(0x010001), b64(0x010100), b64(0x9c28ff), b64(0x022800)};
  const std::vector<isa::Instr> prog = {
      isa::load(isa::kAct, 0, 2), isa::load(isa::kWgt, 0, 4),
      isa::gemm(false, true, 1, 0, 10, 0, 2, 1, 2),   // ReLU, shift 1 -> lines 10, 11
      isa::gemm(false, false, 2, 0, 20, 0, 2, 1, 2),  // shift 2 -> lines 20, 21
      isa::gemm(false, false, 0, 0, 30, 0, 2, 1, 2),  // shift 0 (clamp only) -> lines 30, 31
      isa::store(isa::kAct, 10, 4), isa::end()};
  const AccelRun r = m.run(prog, 0, concat(act, wgt));
  ASSERT_EQ(r.err, isa::kOk);
  // ReLU, (v + 1) >> 1, clamp: 360 -> 180 -> 127.
  EXPECT_EQ(m.act_word(0, 10), (std::vector<int64_t>{2, 0, 1}));
  EXPECT_EQ(m.act_word(1, 10), (std::vector<int64_t>{3, 2, 5}));
  EXPECT_EQ(m.act_word(0, 11), (std::vector<int64_t>{0, 20, 0}));
  EXPECT_EQ(m.act_word(1, 11), (std::vector<int64_t>{0, 127, 0}));
  // floor((v + 2) / 4): -3 -> -1, -304 -> -76 (-75.5 floors), -492 -> -123.
  EXPECT_EQ(m.act_word(0, 20), (std::vector<int64_t>{1, 0, 0}));
  EXPECT_EQ(m.act_word(1, 20), (std::vector<int64_t>{1, 1, 2}));
  EXPECT_EQ(m.act_word(0, 21), (std::vector<int64_t>{-1, 10, -76}));
  EXPECT_EQ(m.act_word(1, 21), (std::vector<int64_t>{-1, 90, -123}));
  EXPECT_EQ(m.act_word(0, 30), (std::vector<int64_t>{3, -2, 1}));
  EXPECT_EQ(m.act_word(1, 31), (std::vector<int64_t>{-5, 127, -128}));
  EXPECT_EQ(r.output, (std::vector<Beat>{b64(0x010002), b64(0x050203), b64(0x001400),
                                         b64(0x007f00)}));
  EXPECT_EQ(r.last, (std::vector<uint64_t>{3}));
  // GEMM: F = 2, T = R = 2, FO = 9: 1 * 2 + 2 + 9 + 2 + 7 = 22 each (space 0).
  // STORE of 4 one-beat words: 3 + 2 * 4.
  EXPECT_EQ(r.cycles, (2u + 2u) + (2u + 4u) + 3 * 22u + (3u + 2 * 4u) + 2u);
  EXPECT_EQ(r.act_writes, 2u + 3 * 4u);
}

TEST(AccelModel, AccumulatorWrapsAtAccWidth) {
  // 1x1 array, AccW 16: 3 x (-128 * -128) = 49152 wraps to 49152 - 65536.
  AccelModel m(tiny(1, 1, 64, 16));
  const std::vector<Beat> in = {b64(0x80), b64(0x80), b64(0x80), b64(0x80), b64(0x80),
                                b64(0x80)};
  const std::vector<isa::Instr> prog = {isa::load(isa::kAct, 0, 3), isa::load(isa::kWgt, 0, 3),
                                        isa::gemm(true, false, 0, 0, 0, 0, 3, 1, 1), isa::end()};
  ASSERT_EQ(m.run(prog, 0, in).err, isa::kOk);
  EXPECT_EQ(m.out_word(0), (std::vector<int64_t>{49152 - 65536}));
}

TEST(AccelModel, MultiBeatWordsAndScratchpadsPersist) {
  // 1x16 array, D = 8 on a 32-bit bus: a 128-bit activation word is 4 beats, a 512-bit result
  // word 16 beats.
  AccelConfig c = tiny(1, 16, 32);
  AccelModel m(c);
  std::vector<Beat> in;
  for (uint32_t k = 0; k < 8; ++k) in.push_back({0x01010101u * (k + 1)});
  const AccelRun r = m.run({isa::load(isa::kAct, 2, 2), isa::end()}, 0, in);
  ASSERT_EQ(r.err, isa::kOk);
  EXPECT_EQ(r.input_beats, 8u);
  EXPECT_EQ(r.cycles, 2u + 2 * 4u + 2u);
  EXPECT_EQ(m.act_word(0, 3)[15], 8);
  // A second run sees the first run's activations (scratchpads persist between runs).
  const AccelRun s = m.run({isa::store(isa::kAct, 2, 2), isa::store(isa::kOut, 0, 1)}, 0, {});
  ASSERT_EQ(s.err, isa::kOk);
  ASSERT_EQ(s.output.size(), 8u + 16u);
  EXPECT_EQ(std::vector<Beat>(s.output.begin(), s.output.begin() + 8), in);
  EXPECT_EQ(s.last, (std::vector<uint64_t>{7, 23}));
  // STOREs: 4 + 2 * 4 and 4 + 1 * 16; END (the zero entry after the program) 2.
  EXPECT_EQ(s.cycles, 12u + 20u + 2u);
}

TEST(AccelModel, CyclesOfAProgramByHand) {
  // 2x2 array, D = 8, bus 64: an ACT/WGT word (16 bits) and a result word (64 bits) are one
  // beat each. I = 1 (broadcast group 8), M = 3: FO = 1 + 2 + 2 + 3 = 8.
  AccelModel m(tiny(2, 2));
  std::vector<Beat> in(5, b64(0x0101));
  const std::vector<isa::Instr> prog = {
      isa::load(isa::kAct, 0, 3),                      // 2 + 3 = 5
      isa::load(isa::kWgt, 0, 2),                      // 2 + 2 = 4
      isa::gemm(false, false, 0, 0, 10, 0, 2, 2, 1),   // F 2, T 2: 1*2 + 2 + 8 + 2 + 7 = 21
      isa::gemm(true, false, 0, 0, 0, 0, 1, 3, 1),     // F 3, T 1: 2*2 + 1 + 8 + 2 + 5 = 20
      isa::gemm(false, false, 0, 0, 20, 0, 5, 2, 1),   // F 2, T 5: 1*5 + 5 + 8 + 2 + 7 = 27
      isa::store(isa::kOut, 0, 2),                     // one beat per word: 3 + 2 * 2 = 7
      isa::store(isa::kAct, 0, 1),                     // 3 + 2 * 1 = 5
      isa::end()};                                     // 2
  const AccelRun r = m.run(prog, 0, in);
  ASSERT_EQ(r.err, isa::kOk);
  EXPECT_EQ(r.cycles, 91u);
  EXPECT_EQ(r.instructions, 8u);
  EXPECT_EQ(r.macs, 2 * 2 * 4u + 3 * 1 * 4u + 2 * 5 * 4u);
  EXPECT_EQ(r.act_reads, 4u + 6u + 12u + 1u);  // ceil(T/C) lines x 2 banks per fold, STORE
  EXPECT_EQ(r.act_writes, 3u + 4u + 4u);
  EXPECT_EQ(r.wgt_reads, 4u + 3u + 10u);
  EXPECT_EQ(r.out_writes, 6u);
  // Without the input stage and with one MAC stage, FO = 0 + 2 + 2 + 1 = 5: 3 less per GEMM.
  AccelConfig c = tiny(2, 2);
  c.array.bcast_group = 0;
  c.array.mac_stages = 1;
  AccelModel m1(c);
  EXPECT_EQ(m1.run(prog, 0, in).cycles, 91u - 9u);
}

TEST(AccelModel, ConvRawAndRequantizedWithPassesOn2x3) {
  // Rows 0 and 1 stream banks 0 and 1. Lines 0-1 (pass 0): row 0 = [1, 2, 3, 4, 5, 0],
  // row 1 = [-1, 0, 2, 1, -2, 3]; lines 2-3 (pass 1): row 0 all 1, row 1 all 0. Taps (K = 2,
  // lane r = row r; lane 2 is unused with R = 2): pass 0 row 0 [2, -1], row 1 [2, 3]; pass 1
  // row 0 [1, 1], row 1 [5, 5]. Window of C + K - 1 = 4 elements, output lane l =
  // sum_k f[k] * e[l + k]: pass 0 row 0 [2-2, 4-3, 6-4] = [0, 1, 2], row 1 [-2+0, 0+6, 4+3] =
  // [-2, 6, 7]; pass 1 adds [2, 2, 2] to row 0 and 0 to row 1.
  AccelModel m(tiny(2, 3));
  const std::vector<Beat> act = {b64(0x030201), b64(0x0200ff), b64(0x000504), b64(0x03fe01),
                                 b64(0x010101), b64(0),        b64(0x010101), b64(0)};
  const std::vector<Beat> wgt = {b64(0x070202), b64(0x0703ff), b64(0x000501), b64(0x000501)};
  isa::ConvFields one;
  one.o_base = 1;
  one.lw = 2;
  one.k = 2;
  isa::ConvFields two = one;
  two.o_base = 10;
  two.passes = 2;
  const std::vector<isa::Instr> prog = {isa::load(isa::kAct, 0, 8), isa::load(isa::kWgt, 0, 4),
                                        isa::conv(true, false, 0, one),
                                        isa::conv(false, true, 1, two), isa::end()};
  const AccelRun r = m.run(prog, 0, concat(act, wgt));
  ASSERT_EQ(r.err, isa::kOk);
  EXPECT_EQ(m.out_word(1), (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(m.out_word(2), (std::vector<int64_t>{-2, 6, 7}));
  // Pass 0 + pass 1 = [2, 3, 4] and [-2, 6, 7]; ReLU, then floor((v + 1) / 2).
  EXPECT_EQ(m.act_word(0, 10), (std::vector<int64_t>{1, 2, 2}));
  EXPECT_EQ(m.act_word(1, 10), (std::vector<int64_t>{0, 3, 4}));
  // FS = I + R + 1 + M = 1 + 2 + 1 + 3 = 7, W = 4 = max(W, R): CONV 1: F = 1: 4 + 7 + 2 + 5 =
  // 18; CONV 2: F = 2: 4 + 4 + 7 + 2 + 7 = 24; LOADs 10 and 6, END 2.
  EXPECT_EQ(r.cycles, 10u + 6u + 18u + 24u + 2u);
  EXPECT_EQ(r.gemm_cycles, 18u + 24u);
  EXPECT_EQ(r.macs, 3 * 2 * 2 * 3u);  // three folds of K * R * C
  EXPECT_EQ(r.wgt_reads, 6u);
}

TEST(AccelModel, ErrConv) {
  // 1x1: K = 0, passes = 0, tiles = 0, groups = 0, shift = AccW are impossible; a window
  // reaching past the last line, taps past the weights and results past OUT are range errors.
  AccelConfig c = tiny(1, 1, 64, 16);
  AccelModel m(c);
  auto err = [&](bool raw, int shift, isa::ConvFields f) {
    const AccelRun r = m.run({isa::conv(raw, false, shift, f)}, 0, {});
    return r.err;
  };
  isa::ConvFields f;
  EXPECT_EQ(err(true, 0, f), isa::kOk);
  for (uint32_t isa::ConvFields::*field :
       {&isa::ConvFields::k, &isa::ConvFields::passes, &isa::ConvFields::tiles,
        &isa::ConvFields::groups}) {
    isa::ConvFields z = f;
    z.*field = 0;
    EXPECT_EQ(err(true, 0, z), isa::kErrImpossible);
  }
  EXPECT_EQ(err(false, 15, f), isa::kOk);
  EXPECT_EQ(err(false, 16, f), isa::kErrImpossible);
  isa::ConvFields w = f;  // C = 1, K = 2: the window reads lines a_base and a_base + 1
  w.k = 2;
  w.a_base = uint32_t(c.act_depth() - 2);
  EXPECT_EQ(err(true, 0, w), isa::kOk);
  w.a_base += 1;
  EXPECT_EQ(err(true, 0, w), isa::kErrRange);
  isa::ConvFields t = f;  // 2 groups x 3 taps from the 6th-last weight word
  t.k = 3;
  t.groups = 2;
  t.w_base = uint32_t(c.wgt_depth() - 6);
  EXPECT_EQ(err(true, 0, t), isa::kOk);
  t.w_base += 1;
  EXPECT_EQ(err(true, 0, t), isa::kErrRange);
  isa::ConvFields o = f;  // 3 tiles of R = 1 result words
  o.tiles = 3;
  o.lw = 3;
  o.o_base = uint32_t(c.out_depth() - 3);
  EXPECT_EQ(err(true, 0, o), isa::kOk);
  o.o_base += 1;
  EXPECT_EQ(err(true, 0, o), isa::kErrRange);
}

TEST(AccelModel, ErrUnknownOpcode) {
  AccelModel m(tiny(1, 1));
  isa::Instr bad;
  bad.w[0] = 7;  // opcode 5 is SYNC since version 3, 6 WIN since version 4
  isa::Instr end_reserved;  // reserved bits of word 0 and words 1..3 are ignored
  end_reserved.w[0] = 0xffffc0c0;
  end_reserved.w[3] = 0x1234;
  const AccelRun r = m.run({isa::end(), end_reserved, bad}, 2, {});
  EXPECT_EQ(r.err, isa::kErrOpcode);
  EXPECT_EQ(r.err_pc, 2u);
  const AccelRun ok = m.run({isa::end(), end_reserved, bad}, 1, {});
  EXPECT_EQ(ok.err, isa::kOk);
  EXPECT_EQ(ok.cycles, 2u);
}

TEST(AccelModel, ErrImpossibleInstructions) {
  AccelModel m(tiny(1, 1, 64, 16));
  auto err_of_prog = [&](const std::vector<isa::Instr>& p) {
    const AccelRun r = m.run(p, 0, {});
    return std::make_pair(r.err, r.err_pc);
  };
  const auto impossible_at = [](uint32_t pc) {
    return std::make_pair(int{isa::kErrImpossible}, pc);
  };
  const isa::Instr ok = isa::gemm(true, false, 0, 0, 0, 0, 1, 1, 1);
  EXPECT_EQ(err_of_prog({isa::load(isa::kAct, 0, 0)}), impossible_at(0));
  EXPECT_EQ(err_of_prog({ok, isa::load(isa::kWgt, 0, 0)}), impossible_at(1));
  EXPECT_EQ(err_of_prog({ok, ok, isa::store(isa::kOut, 0, 0)}), impossible_at(2));
  EXPECT_EQ(err_of_prog({isa::store(isa::kAct, 0, 0)}), impossible_at(0));
  EXPECT_EQ(err_of_prog({ok, isa::gemm(true, false, 0, 0, 0, 0, 0, 1, 1)}), impossible_at(1));
  EXPECT_EQ(err_of_prog({isa::gemm(false, false, 0, 0, 0, 0, 1, 0, 1)}), impossible_at(0));
  EXPECT_EQ(err_of_prog({isa::gemm(false, false, 0, 0, 0, 0, 1, 1, 0)}), impossible_at(0));
  // AccW = 16: shift 15 is allowed, 16 is not (on either destination).
  EXPECT_EQ(err_of_prog({isa::gemm(false, false, 15, 0, 0, 0, 1, 1, 1)}).first, isa::kOk);
  EXPECT_EQ(err_of_prog({ok, ok, ok, isa::gemm(false, false, 16, 0, 0, 0, 1, 1, 1)}),
            impossible_at(3));
  EXPECT_EQ(err_of_prog({isa::gemm(true, false, 16, 0, 0, 0, 1, 1, 1)}), impossible_at(0));
}

TEST(AccelModel, ErrLoadPastActDepthWritesTheWordsBefore) {
  // 2x3: 1 KiB / 48-bit lines = 170 lines. From line 169: banks 0 and 1 of line 169 are
  // written, the third word (line 170) is consumed from the stream and dropped.
  AccelConfig c = tiny(2, 3);
  ASSERT_EQ(c.act_depth(), 170);
  AccelModel m(c);
  const AccelRun r = m.run({isa::end(), isa::load(isa::kAct, 169, 3)}, 1,
                           {b64(1), b64(2), b64(3), b64(4)});
  EXPECT_EQ(r.err, isa::kErrRange);
  EXPECT_EQ(r.err_pc, 1u);
  EXPECT_EQ(r.input_beats, 3u);
  EXPECT_EQ(m.act_word(0, 169), (std::vector<int64_t>{1, 0, 0}));
  EXPECT_EQ(m.act_word(1, 169), (std::vector<int64_t>{2, 0, 0}));
  // A base past the memory fails on the first word.
  const AccelRun r2 = m.run({isa::load(isa::kAct, 0xffffffffu, 1)}, 0, {b64(9)});
  EXPECT_EQ(r2.err, isa::kErrRange);
  EXPECT_EQ(r2.err_pc, 0u);
}

TEST(AccelModel, ErrLoadPastWgtDepth) {
  AccelConfig c = tiny(1, 1);
  ASSERT_EQ(c.wgt_depth(), 1024);
  AccelModel m(c);
  const AccelRun r = m.run({isa::load(isa::kWgt, 1023, 2)}, 0, {b64(5), b64(6)});
  EXPECT_EQ(r.err, isa::kErrRange);
  EXPECT_EQ(r.err_pc, 0u);
  EXPECT_EQ(m.wgt_word(1023), (std::vector<int64_t>{5}));
}

TEST(AccelModel, ErrStorePastOutDepthStreamsTheWordsBefore) {
  AccelConfig c = tiny(1, 1);
  ASSERT_EQ(c.out_depth(), 256);
  AccelModel m(c);
  const AccelRun r = m.run({isa::load(isa::kAct, 0, 1), isa::store(isa::kOut, 254, 3)}, 0,
                           {b64(1)});
  EXPECT_EQ(r.err, isa::kErrRange);
  EXPECT_EQ(r.err_pc, 1u);
  EXPECT_EQ(r.output.size(), 2u);  // words 254 and 255, one 64-bit beat each
  EXPECT_TRUE(r.last.empty());     // the STORE never reached its last beat
  const AccelRun a = m.run({isa::store(isa::kAct, 1023, 2)}, 0, {});
  EXPECT_EQ(a.err, isa::kErrRange);
  EXPECT_EQ(a.output.size(), 1u);
}

TEST(AccelModel, ErrGemmOutOfRangeWritesNothing) {
  // 1x1: ACT 1024 lines, WGT 1024 words, OUT 256 words.
  AccelModel m(tiny(1, 1));
  std::vector<Beat> in(4, b64(1));
  ASSERT_EQ(m.run({isa::load(isa::kAct, 0, 2), isa::load(isa::kWgt, 1019, 2)}, 0, in).err,
            isa::kOk);
  auto run1 = [&](const isa::Instr& g) {
    const AccelRun r = m.run({isa::end(), g}, 1, {});
    return std::make_pair(r.err, r.err_pc);
  };
  const auto range_at_1 = std::make_pair(int{isa::kErrRange}, 1u);
  // Reading WGT: words w_base .. w_base + ncb*T - 1; 1019 + 5 - 1 = 1023 is the last word.
  EXPECT_EQ(run1(isa::gemm(true, false, 0, 0, 0, 1019, 5, 1, 1)).first, isa::kOk);
  EXPECT_EQ(run1(isa::gemm(true, false, 0, 0, 0, 1020, 5, 1, 1)), range_at_1);
  EXPECT_EQ(run1(isa::gemm(true, false, 0, 0, 0, 1018, 3, 1, 2)).first, isa::kOk);
  EXPECT_EQ(run1(isa::gemm(true, false, 0, 0, 0, 1019, 3, 1, 2)), range_at_1);
  // Reading ACT: line a_base + (npb-1)*ceil(T/C) + (T-1)/C = 1000 + 23 + 0 = 1023 is the last.
  EXPECT_EQ(run1(isa::gemm(true, false, 0, 1000, 0, 0, 1, 24, 1)).first, isa::kOk);
  EXPECT_EQ(run1(isa::gemm(true, false, 0, 1000, 0, 0, 1, 25, 1)), range_at_1);
  // Writing OUT (raw): words o_base .. o_base + npb*ncb*R - 1.
  EXPECT_EQ(run1(isa::gemm(true, false, 0, 0, 255, 0, 1, 1, 1)).first, isa::kOk);
  EXPECT_EQ(run1(isa::gemm(true, false, 0, 0, 255, 0, 1, 2, 1)), range_at_1);
  // Writing ACT (space 0): lines o_base .. o_base + npb*ncb - 1.
  EXPECT_EQ(run1(isa::gemm(false, false, 0, 0, 1022, 0, 1, 1, 2)).first, isa::kOk);
  EXPECT_EQ(run1(isa::gemm(false, false, 0, 0, 1023, 0, 1, 1, 2)), range_at_1);
  // A failing GEMM writes nothing: with x = 1 in line 0 and weight word 0 = 7, these two
  // would write 7 to result word 200 and requantized 7 to line 1000 (both still zero).
  ASSERT_EQ(m.run({isa::load(isa::kWgt, 0, 1)}, 0, {b64(7)}).err, isa::kOk);
  EXPECT_EQ(run1(isa::gemm(true, false, 0, 0, 200, 0, 1, 57, 1)), range_at_1);
  EXPECT_EQ(m.out_word(200), (std::vector<int64_t>{0}));
  EXPECT_EQ(run1(isa::gemm(false, false, 0, 0, 1000, 0, 1, 1, 30)), range_at_1);
  EXPECT_EQ(m.act_word(0, 1000), (std::vector<int64_t>{0}));
}

TEST(AccelModel, ErrPastTheBuffer) {
  // ibuf_depth 16 and no END: the fetch at PC 16 fails with ERR_PC 16.
  AccelModel m(tiny(1, 1));
  const std::vector<isa::Instr> noend(16, isa::gemm(true, false, 0, 0, 0, 0, 1, 1, 1));
  const AccelRun r = m.run(noend, 0, {});
  EXPECT_EQ(r.err, isa::kErrPc);
  EXPECT_EQ(r.err_pc, 16u);
  // Starting past the buffer fails at the first fetch; entries past ibuf's end are END.
  const AccelRun s = m.run({isa::end()}, 20, {});
  EXPECT_EQ(s.err, isa::kErrPc);
  EXPECT_EQ(s.err_pc, 20u);
  const AccelRun e = m.run({isa::gemm(true, false, 0, 0, 0, 0, 1, 1, 1)}, 15, {});
  EXPECT_EQ(e.err, isa::kOk);
  EXPECT_EQ(e.instructions, 1u);
}

TEST(AccelModel, HostErrors) {
  AccelModel m(tiny(1, 1));
  EXPECT_EQ(error_of([&] { m.run({isa::load(isa::kAct, 0, 3)}, 0, {b64(1)}); }),
            "the LOAD at pc 0 needs input beats 1..1, the input stream has 1 beats (the "
            "accelerator would wait for them forever)");
  EXPECT_EQ(error_of([&] { m.run(std::vector<isa::Instr>(17), 0, {}); }),
            "a program of 17 instructions does not fit the instruction buffer: allowed at most "
            "16");
  EXPECT_EQ(error_of([&] { m.act_word(0, 1024); }), "act_word: line 1024 is out of range: "
                                                     "allowed 0..1023");
  EXPECT_EQ(error_of([&] { m.act_word(1, 0); }), "act_word: bank 1 is out of range: allowed 0..0");
  EXPECT_EQ(error_of([&] { m.out_word(-1); }), "out_word: word -1 is out of range: allowed 0..255");
  AccelConfig bad = tiny(1, 1);
  bad.bus_width = 48;
  EXPECT_NE(error_of([&] { AccelModel x(bad); }), "");
}

// ---- Version 3: background transfers, SYNC, NARROW -----------------------------------------
// On tiny(2, 2) with the 64-bit bus: an ACT / WGT word (16 bits) and a result word (64 bits)
// are one beat each; ACT has 256 lines, WGT 512 words, OUT 128 words; FO = I + R + C + M =
// 1 + 2 + 2 + 3 = 8, so a one-fold GEMM with T = 2 takes 0 + 2 + 8 + 2 + 5 = 17 cycles raw and
// 0 + 2 + 8 + 2 + 7 = 19 requantized (space 0 or NARROW).

namespace {
// x0 = [1, 2] (bank 0), x1 = [3, 4] (bank 1) in ACT line 0; identity weights in WGT 0..1.
const std::vector<Beat> kActId = {b64(0x0201), b64(0x0403)};
const std::vector<Beat> kWgtId = {b64(0x0001), b64(0x0100)};
std::vector<Beat> beats(size_t n, uint64_t v = 0x0101) { return std::vector<Beat>(n, b64(v)); }
isa::Instr opcode(uint32_t op) {
  isa::Instr i;
  i.w[0] = op;
  return i;
}
const isa::Instr kNoSync = isa::sync(false, false);  // waits for nothing: 2 cycles
}  // namespace

TEST(AccelModel, AsyncLoadOverlapsRawGemm) {
  AccelModel m(tiny(2, 2));
  std::vector<Beat> in = concat(kActId, kWgtId);
  for (uint64_t k = 1; k <= 6; ++k) in.push_back(b64(0x0101 * k));
  const std::vector<isa::Instr> prog = {
      isa::load(isa::kAct, 0, 2),                  // fetch 0, start 1, unit 2..3, next fetch 4
      isa::load(isa::kWgt, 0, 2),                  // fetch 4, start 5, unit 6..7, next fetch 8
      isa::async(isa::load(isa::kAct, 4, 6)),      // fetch 8, start 9, unit 10..15, next 10
      isa::gemm(true, false, 0, 0, 0, 0, 2, 1, 1), // raw: no wait, start 11, next 11 - 1 + 17
      isa::end()};                                 // fetch 27, start 28: CYCLES 29
  const AccelRun r = m.run(prog, 0, in);
  ASSERT_EQ(r.err, isa::kOk);
  EXPECT_EQ(r.cycles, 29u);
  EXPECT_EQ(r.cycles, (4u + 4u + 8u + 17u + 2u) - 6u);  // the serial program minus the overlap
  EXPECT_EQ(r.gemm_cycles, 17u);
  EXPECT_EQ(m.out_word(0), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(m.out_word(1), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(m.act_word(1, 6), (std::vector<int64_t>{6, 6}));  // word 5: line 4 + 5 div 2, bank 1
  EXPECT_EQ(r.input_beats, 10u);
  EXPECT_EQ(r.instructions, 5u);
  EXPECT_EQ(r.act_writes, 8u);
}

TEST(AccelModel, SyncWaitsForItsUnitsAndEndForAll) {
  AccelModel m(tiny(2, 2));
  const isa::Instr bg_load = isa::async(isa::load(isa::kAct, 0, 6));  // start 1, unit 2..7
  // SYNC loads: fetch 2, waits until 8, next fetch 9; END fetch 9, start 10.
  AccelRun r = m.run({bg_load, isa::sync(true, false), isa::end()}, 0, beats(6));
  ASSERT_EQ(r.err, isa::kOk);
  EXPECT_EQ(r.cycles, 11u);
  EXPECT_EQ(r.instructions, 3u);
  // SYNC stores does not wait for the LOAD (start 3, next fetch 4); END fetch 4 waits until 8.
  r = m.run({bg_load, isa::sync(false, true), isa::end()}, 0, beats(6));
  ASSERT_EQ(r.err, isa::kOk);
  EXPECT_EQ(r.cycles, 9u);
  // A STORE of 3 one-beat result words: 3 + 2 * 3 = 9 cycles, unit 2..8. END fetch 2 waits until
  // 9: CYCLES 10 (without ASYNC 9 + 2 = 11).
  const isa::Instr bg_store = isa::async(isa::store(isa::kOut, 0, 3));
  r = m.run({bg_store, isa::end()}, 0, {});
  ASSERT_EQ(r.err, isa::kOk);
  EXPECT_EQ(r.cycles, 10u);
  EXPECT_EQ(r.output.size(), 3u);
  EXPECT_EQ(r.last, (std::vector<uint64_t>{2}));
  // SYNC stores waits until 9, next fetch 10; END start 11.
  r = m.run({bg_store, isa::sync(false, true), isa::end()}, 0, {});
  EXPECT_EQ(r.cycles, 12u);
  // 16-bit bus: a result word is 4 beats: 4 + 2 * 4 = 12 cycles, unit 2..11; END waits until 12.
  AccelModel n(tiny(2, 2, 16));
  r = n.run({isa::async(isa::store(isa::kOut, 0, 2)), isa::end()}, 0, {});
  ASSERT_EQ(r.err, isa::kOk);
  EXPECT_EQ(r.cycles, 13u);
  EXPECT_EQ(r.output.size(), 8u);
  EXPECT_EQ(r.last, (std::vector<uint64_t>{7}));
}

TEST(AccelModel, GemmInterlockOnActPorts) {
  AccelModel m(tiny(2, 2));
  // LOAD act and LOAD wgt as above: the third instruction is fetched in cycle 8.
  const std::vector<isa::Instr> setup = {isa::load(isa::kAct, 0, 2), isa::load(isa::kWgt, 0, 2)};
  auto cycles = [&](isa::Instr bg, isa::Instr gemm, size_t bg_beats) {
    std::vector<isa::Instr> p = setup;
    p.push_back(bg);
    p.push_back(gemm);
    p.push_back(isa::end());
    const AccelRun r = m.run(p, 0, concat(concat(kActId, kWgtId), beats(bg_beats)));
    EXPECT_EQ(r.err, isa::kOk);
    return r.cycles;
  };
  const isa::Instr act_load = isa::async(isa::load(isa::kAct, 10, 4));  // start 9, unit 10..13
  const isa::Instr gemm0 = isa::gemm(false, false, 0, 0, 20, 0, 2, 1, 1);
  const isa::Instr raw = isa::gemm(true, false, 0, 0, 0, 0, 2, 1, 1);
  const isa::Instr narrow = isa::narrow(raw);
  // Space 0 writes ACT: waits for the LOAD until 14, next fetch 14 - 1 + 19 = 32; END start 33.
  EXPECT_EQ(cycles(act_load, gemm0, 4), 34u);
  // Raw and NARROW results go to OUT: start 11 at once; END at 11 - 1 + 17 + 1 or + 19 + 1.
  EXPECT_EQ(cycles(act_load, raw, 4), 29u);
  EXPECT_EQ(cycles(act_load, narrow, 4), 31u);
  // A LOAD of weights never blocks a GEMM: start 11, next fetch 11 - 1 + 19; END start 30.
  EXPECT_EQ(cycles(isa::async(isa::load(isa::kWgt, 10, 4)), gemm0, 4), 31u);
  // A STORE of space 0 (one-beat words: 3 + 2 * 2 = 7 cycles, unit 10..14) blocks every GEMM,
  // raw too (both read ACT): start 15, next fetch 15 - 1 + 17 = 31; END start 32.
  EXPECT_EQ(cycles(isa::async(isa::store(isa::kAct, 0, 2)), raw, 0), 33u);
  // A STORE of result words does not: start 11, next fetch 27; END waits for nothing (unit
  // done in 15).
  EXPECT_EQ(cycles(isa::async(isa::store(isa::kOut, 10, 2)), raw, 0), 29u);
}

TEST(AccelModel, NarrowGemmAndNarrowStore) {
  // x0 = [3, -2], x1 = [100, 100]; weights t0 = [1, 2], t1 = [3, -5]:
  // acc(x0) = [3 - 6, 6 + 10] = [-3, 16], acc(x1) = [100 + 300, 200 - 500] = [400, -300].
  AccelModel m(tiny(2, 2));
  const std::vector<Beat> in = {b64(0xfe03), b64(0x6464), b64(0x0201), b64(0xfb03)};
  const std::vector<isa::Instr> prog = {
      isa::load(isa::kAct, 0, 2), isa::load(isa::kWgt, 0, 2),
      isa::narrow(isa::gemm(true, false, 1, 0, 4, 0, 2, 1, 1)),  // requantized, shift 1 -> OUT 4, 5
      isa::gemm(true, false, 0, 0, 8, 0, 2, 1, 1),                // raw -> OUT 8, 9
      isa::narrow(isa::store(isa::kOut, 4, 2)), isa::narrow(isa::store(isa::kOut, 8, 2)),
      isa::end()};
  const AccelRun r = m.run(prog, 0, in);
  ASSERT_EQ(r.err, isa::kOk);
  // floor((v + 1) / 2), clamped to 8 bits: -3 -> -1, 16 -> 8, 400 -> 200 -> 127,
  // -300 -> -150 (-149.5 floors) -> -128; in OUT as AccW lanes.
  EXPECT_EQ(m.out_word(4), (std::vector<int64_t>{-1, 8}));
  EXPECT_EQ(m.out_word(5), (std::vector<int64_t>{127, -128}));
  EXPECT_EQ(m.out_word(9), (std::vector<int64_t>{400, -300}));
  // NARROW STORE: the low 8 bits of each lane, 16-bit words: 400 = 0x190 -> 0x90,
  // -300 = ...0xfed4 -> 0xd4.
  EXPECT_EQ(r.output, (std::vector<Beat>{b64(0x08ff), b64(0x807f), b64(0x10fd), b64(0xd490)}));
  EXPECT_EQ(r.last, (std::vector<uint64_t>{1, 3}));
  // LOADs 4 + 4; NARROW GEMM 19 (the space-0 tail), raw GEMM 17; NARROW STOREs of one-beat
  // words 3 + 2 * 2 = 7 each; END 2.
  EXPECT_EQ(r.cycles, 4u + 4u + 19u + 17u + 7u + 7u + 2u);
  EXPECT_EQ(r.gemm_cycles, 19u + 17u);
  EXPECT_EQ(r.out_writes, 4u);
  EXPECT_EQ(r.out_reads, 4u);
  EXPECT_EQ(r.act_writes, 2u);
  // NARROW with space 0 is ignored: an ordinary requantized GEMM to ACT line 30 (19 + 2).
  const AccelRun s = m.run({isa::narrow(isa::gemm(false, false, 1, 0, 30, 0, 2, 1, 1))}, 0, {});
  ASSERT_EQ(s.err, isa::kOk);
  EXPECT_EQ(s.cycles, 21u);
  EXPECT_EQ(m.act_word(1, 30), (std::vector<int64_t>{127, -128}));
  // 8-bit bus: a NARROW word is 16 bits = 2 beats (a result word would be 8): 4 + 2 * 2 = 8.
  AccelModel n(tiny(2, 2, 8));
  const AccelRun t = n.run({isa::narrow(isa::store(isa::kOut, 0, 2))}, 0, {});
  ASSERT_EQ(t.err, isa::kOk);
  EXPECT_EQ(t.cycles, 8u + 2u);
  EXPECT_EQ(t.output, (std::vector<Beat>(4, Beat{0})));
}

TEST(AccelModel, NarrowConvOn1x1) {
  // 1x1: x = 100, tap 3: acc 300, shift 0 clamps to 127. FS = I + R + 1 + M = 1 + 1 + 1 + 3 = 6,
  // W = C + K - 1 = 1: NARROW CONV 1 + 6 + 1 + 7 = 15 (raw would be 13).
  AccelModel m(tiny(1, 1));
  const std::vector<isa::Instr> prog = {
      isa::load(isa::kAct, 0, 1), isa::load(isa::kWgt, 0, 1),
      isa::narrow(isa::conv(true, false, 0, isa::ConvFields{})),
      isa::narrow(isa::store(isa::kOut, 0, 1)), isa::end()};
  const AccelRun r = m.run(prog, 0, {b64(100), b64(3)});
  ASSERT_EQ(r.err, isa::kOk);
  EXPECT_EQ(m.out_word(0), (std::vector<int64_t>{127}));
  EXPECT_EQ(r.output, (std::vector<Beat>{b64(0x7f)}));
  EXPECT_EQ(r.cycles, 3u + 3u + 15u + (3u + 2u) + 2u);
}

TEST(AccelModel, AsyncLoadsBackToBack) {
  AccelModel m(tiny(2, 2));
  // LOAD 1: start 1, unit 2..4, next fetch 2. LOAD 2: decoded from 3, waits until 5, unit 6..7,
  // next fetch 6. END: decoded from 7, waits until 8: CYCLES 9 (serially 5 + 4 + 2 = 11).
  AccelRun r = m.run({isa::async(isa::load(isa::kAct, 0, 3)),
                      isa::async(isa::load(isa::kWgt, 0, 2)), isa::end()},
                     0, beats(5));
  ASSERT_EQ(r.err, isa::kOk);
  EXPECT_EQ(r.cycles, 9u);
  // The second LOAD starts after the first is done, so it may rewrite its words (no race):
  // unit 2..4, then 6..8; END waits until 9.
  std::vector<Beat> in = concat(beats(3, 0x0101), beats(3, 0x0202));
  r = m.run({isa::async(isa::load(isa::kAct, 0, 3)), isa::async(isa::load(isa::kAct, 0, 3)),
             isa::end()},
            0, in);
  ASSERT_EQ(r.err, isa::kOk);
  EXPECT_EQ(r.cycles, 10u);
  EXPECT_EQ(m.act_word(0, 1), (std::vector<int64_t>{2, 2}));
}

TEST(AccelModel, RaceWithAnOutstandingTransferThrows) {
  AccelModel m(tiny(2, 2));
  const isa::Instr wgt = isa::load(isa::kWgt, 0, 2);
  const isa::Instr bg_act = isa::async(isa::load(isa::kAct, 0, 2));  // writes ACT line 0
  const isa::Instr raw = isa::gemm(true, false, 0, 0, 0, 0, 2, 1, 1);  // reads ACT line 0
  const std::vector<Beat> in = concat(kWgtId, kActId);
  EXPECT_EQ(error_of([&] { m.run({wgt, bg_act, raw, isa::end()}, 0, in); }),
            "data race: the GEMM at pc 2 reads ACT lines 0..0 while the ASYNC LOAD at pc 1 "
            "(still outstanding: no SYNC naming its unit in between) writes ACT lines 0..0; "
            "order them with a SYNC");
  // A SYNC of the other unit does not end it.
  EXPECT_NE(error_of([&] { m.run({wgt, bg_act, isa::sync(false, true), raw, isa::end()}, 0,
                                 in); }).find("the GEMM at pc 3 reads ACT lines 0..0 while the "
                                              "ASYNC LOAD at pc 1"),
            std::string::npos);
  // A space-0 GEMM waits for the LOAD (interlock), but the rule is the page's: still a race.
  EXPECT_NE(error_of([&] {
              m.run({wgt, bg_act, isa::gemm(false, false, 0, 0, 9, 0, 2, 1, 1), isa::end()}, 0,
                    in);
            }),
            "");
  // With SYNC loads: LOAD wgt start 1, unit 2..3; LOAD act fetch 4, start 5, unit 6..7, next
  // fetch 6; SYNC decoded from 7 waits until 8, next fetch 9; GEMM start 10, next fetch
  // 10 - 1 + 17 = 26; END start 27.
  const AccelRun r = m.run({wgt, bg_act, isa::sync(true, false), raw, isa::end()}, 0, in);
  ASSERT_EQ(r.err, isa::kOk);
  EXPECT_EQ(r.cycles, 28u);
  EXPECT_EQ(m.out_word(1), (std::vector<int64_t>{3, 4}));
  // A GEMM writing result words an outstanding STORE reads; a LOAD writing ACT lines an
  // outstanding STORE reads (an activation transfer covers every bank of its lines).
  EXPECT_EQ(error_of([&] {
              m.run({isa::async(isa::store(isa::kOut, 0, 2)),
                     isa::gemm(true, false, 0, 0, 1, 0, 2, 1, 1), isa::end()},
                    0, {});
            }),
            "data race: the GEMM at pc 1 writes OUT words 1..2 while the ASYNC STORE at pc 0 "
            "(still outstanding: no SYNC naming its unit in between) reads OUT words 0..1; "
            "order them with a SYNC");
  EXPECT_EQ(error_of([&] {
              m.run({isa::async(isa::store(isa::kAct, 0, 3)), isa::load(isa::kAct, 1, 1),
                     isa::end()},
                    0, beats(1));
            }),
            "data race: the LOAD at pc 1 writes ACT lines 1..1 while the ASYNC STORE at pc 0 "
            "(still outstanding: no SYNC naming its unit in between) reads ACT lines 0..1; "
            "order them with a SYNC");
  // Reading what an outstanding STORE reads is no race: STORE unit 2..6 (3 + 2 * 2), GEMM
  // waits until 7 (space-0 STORE), next fetch 7 - 1 + 17 = 23; END start 24.
  const AccelRun ok = m.run({isa::async(isa::store(isa::kAct, 0, 2)), raw, isa::end()}, 0, {});
  ASSERT_EQ(ok.err, isa::kOk);
  EXPECT_EQ(ok.cycles, 25u);
}

TEST(AccelModel, AsyncLoadErrorWhileLaterInstructionsRun) {
  // 2x2: ACT lines 0..255. A LOAD of 4 words from line 255: words 0 and 1 fill line 255, word
  // 2 (line 256) fails in the cycle of its last beat, d + 3 * 1 = 1 + 3 = 4.
  AccelModel m(tiny(2, 2));
  ASSERT_EQ(m.run({isa::load(isa::kAct, 0, 2), isa::load(isa::kWgt, 0, 2)}, 0,
                  concat(kActId, kWgtId))
                .err,
            isa::kOk);
  const isa::Instr bad_load = isa::async(isa::load(isa::kAct, 255, 4));
  const isa::Instr raw = isa::gemm(true, false, 0, 0, 0, 0, 2, 1, 1);
  // The raw GEMM starts in cycle 3 <= 4 and runs; END (fetch 19) does not start.
  const AccelRun r = m.run({bad_load, raw, isa::end()}, 0, {b64(7), b64(8), b64(9), b64(10)});
  EXPECT_EQ(r.err, isa::kErrRange);
  EXPECT_EQ(r.err_pc, 0u);
  EXPECT_EQ(r.input_beats, 3u);  // up to and including the offending word
  EXPECT_EQ(m.act_word(1, 255), (std::vector<int64_t>{8, 0}));
  EXPECT_EQ(m.out_word(1), (std::vector<int64_t>{3, 4}));
  // A space-0 GEMM waits for the LOAD's unit (done in 5 > 4): it does not start.
  const AccelRun w = m.run({bad_load, isa::gemm(false, false, 0, 0, 40, 0, 2, 1, 1)}, 0,
                           beats(3));
  EXPECT_EQ(w.err, isa::kErrRange);
  EXPECT_EQ(w.err_pc, 0u);
  EXPECT_EQ(m.act_word(0, 40), (std::vector<int64_t>{0, 0}));
  // Unknown opcode (now 6) fetched in cycle 2, raised at its decode in 3 < 4: reported first.
  AccelRun e = m.run({bad_load, opcode(7)}, 0, beats(3));
  EXPECT_EQ(e.err, isa::kErrOpcode);
  EXPECT_EQ(e.err_pc, 1u);
  // After a SYNC (decode 3) the opcode is decoded in 5 > 4: the LOAD's error.
  e = m.run({bad_load, kNoSync, opcode(7)}, 0, beats(3));
  EXPECT_EQ(e.err, isa::kErrRange);
  EXPECT_EQ(e.err_pc, 0u);
  // A weight LOAD from word 511 fails on word 1 (word 512) in cycle 1 + 2 * 1 = 3, the cycle
  // the opcode fetched in 2 is decoded: the issue unit's error is reported.
  e = m.run({isa::async(isa::load(isa::kWgt, 511, 3)), opcode(7)}, 0, beats(2));
  EXPECT_EQ(e.err, isa::kErrOpcode);
  EXPECT_EQ(e.err_pc, 1u);
  // Count 0 is raised when the LOAD would start: after the async LOAD's unit (cycles 2..4) is
  // done, in 5 > 4: the first LOAD's error.
  e = m.run({bad_load, isa::load(isa::kAct, 0, 0)}, 0, beats(3));
  EXPECT_EQ(e.err, isa::kErrRange);
  EXPECT_EQ(e.err_pc, 0u);
  // Opcode 15, and SYNC with reserved mask bits, behave as the page says.
  EXPECT_EQ(m.run({opcode(15)}, 0, {}).err, isa::kErrOpcode);
  isa::Instr sync_all = isa::sync(true, true);
  sync_all.w[1] |= 0xfffffff0u;
  EXPECT_EQ(m.run({sync_all, isa::end()}, 0, {}).cycles, 4u);
}

TEST(AccelModel, StoreErrorCyclesAndTies) {
  // Result words on 2x2: OUT 0..127. One-beat words (N = 1): first word read in d + 1,
  // captured d + 2, sent d + 3, captured d + 4, sent d + 5, ...; a STORE of 3 words from 126
  // fails on word 2 in the cycle of word 1's beat, d + 5 = 6 (d = 1).
  AccelModel m(tiny(2, 2));
  const isa::Instr bad3 = isa::async(isa::store(isa::kOut, 126, 3));
  // A one-word LOAD fetched in 2 (start 3, unit 4, 3 cycles), the bad opcode fetched in 5
  // and decoded in 6: same cycle, the issue unit's is reported.
  AccelRun r = m.run({bad3, isa::load(isa::kAct, 0, 1), opcode(7)}, 0, beats(1));
  EXPECT_EQ(r.err, isa::kErrOpcode);
  EXPECT_EQ(r.err_pc, 2u);
  EXPECT_EQ(r.output.size(), 2u);  // the started STORE sent words 126 and 127
  // SYNCs fetched in 2 and 4: the bad opcode is decoded in 7 > 6.
  r = m.run({bad3, kNoSync, kNoSync, opcode(7)}, 0, {});
  EXPECT_EQ(r.err, isa::kErrRange);
  EXPECT_EQ(r.err_pc, 0u);
  // A one-word LOAD fetched in 4 (start 5, unit 6) moves the bad opcode's decode to 8 > 6.
  r = m.run({bad3, kNoSync, isa::load(isa::kAct, 0, 1), opcode(7)}, 0, beats(1));
  EXPECT_EQ(r.err, isa::kErrRange);
  EXPECT_EQ(r.err_pc, 0u);
  EXPECT_TRUE(r.last.empty());
  // 16-bit bus: 4 beats per result word (N = 4): word j's beats in d + 3 + 4j .. d + 6 + 4j; a
  // STORE of 2 words from 127 fails on word 1 in cycle d + 6 = 7.
  AccelModel n(tiny(2, 2, 16));
  const isa::Instr bad2 = isa::async(isa::store(isa::kOut, 127, 2));
  // LOAD act of two one-beat words fetched in 2 (start 3, unit 4..5): the bad opcode fetched
  // in 6, decoded in 7.
  r = n.run({bad2, isa::load(isa::kAct, 0, 2), opcode(7)}, 0, {Beat{0x0101}, Beat{0x0202}});
  EXPECT_EQ(r.err, isa::kErrOpcode);
  EXPECT_EQ(r.err_pc, 2u);
  EXPECT_EQ(r.output.size(), 4u);
  // Three SYNCs (the third starts in 7 <= 7), the bad opcode decoded in 9 > 7.
  r = n.run({bad2, kNoSync, kNoSync, kNoSync, opcode(7)}, 0, {});
  EXPECT_EQ(r.err, isa::kErrRange);
  EXPECT_EQ(r.err_pc, 0u);
  // Stream-out before stream-in in one cycle: a LOAD failing in 1 + 3 = 4 (as above) and a
  // STORE starting in 3 that fails on its first word in its first active cycle, 4.
  const std::vector<Beat> in = beats(3);
  r = m.run({isa::async(isa::load(isa::kAct, 255, 4)), isa::async(isa::store(isa::kOut, 128, 1)),
             isa::end()},
            0, in);
  EXPECT_EQ(r.err, isa::kErrRange);
  EXPECT_EQ(r.err_pc, 1u);
  EXPECT_TRUE(r.output.empty());
  // A STORE failing later (word 1 at 3 + 3 = 6): the LOAD's error; the STORE still sends its
  // first word (a started transfer runs to its own end or error).
  r = m.run({isa::async(isa::load(isa::kAct, 255, 4)), isa::async(isa::store(isa::kOut, 127, 2)),
             isa::end()},
            0, in);
  EXPECT_EQ(r.err, isa::kErrRange);
  EXPECT_EQ(r.err_pc, 0u);
  EXPECT_EQ(r.output.size(), 1u);
}

TEST(AccelModel, GemmRangeErrorAgainstABackgroundError) {
  // 2x2: WGT 0..511. A raw GEMM with w_base 511, T = 2 reads word 512: a range error. It starts
  // in 3 (after an async LOAD fetched in 0) and takes 17 cycles: window 3 .. 3 - 2 + 17 = 18.
  AccelModel m(tiny(2, 2));
  const isa::Instr bad_gemm = isa::gemm(true, false, 0, 0, 0, 511, 2, 1, 1);
  // LOAD from line 248: word 16 is line 256, failing in 1 + 17 = 18, inside the window.
  EXPECT_EQ(error_of([&] {
              m.run({isa::async(isa::load(isa::kAct, 248, 20)), bad_gemm}, 0, beats(17));
            }),
            "the GEMM at pc 1 reads or writes past a memory (error 2) in cycles 3..18 while the "
            "LOAD at pc 0 raises error 2 in cycle 18: which error comes first is not predicted "
            "(docs/accel.md, \"Errors\")");
  // From line 247: word 18 fails in 1 + 19 = 20, after the window: the GEMM's error. The
  // started LOAD still consumes its words up to the offending one.
  const AccelRun r =
      m.run({isa::async(isa::load(isa::kAct, 247, 20)), bad_gemm}, 0, beats(19));
  EXPECT_EQ(r.err, isa::kErrRange);
  EXPECT_EQ(r.err_pc, 1u);
  EXPECT_EQ(r.input_beats, 19u);
}

TEST(AccelModel, ResultsOnLinesLaterFoldsReadAreRejected) {
  // 2x2: a GEMM of T = 2 (one line per pixel block) on 2 blocks reads ACT line 4 (fold 0) and
  // line 5 (fold 1). Fold 0's results to line 5 would be written while fold 1 reads it.
  AccelModel m(tiny(2, 2));
  EXPECT_EQ(error_of([&] { m.run({isa::gemm(false, false, 0, 4, 5, 0, 2, 2, 1)}, 0, {}); }),
            "the GEMM at pc 0 writes the results of fold 0 to ACT line 5, which a later fold of "
            "it reads: its folds are pipelined, so that is unspecified (docs/accel.md, "
            "\"Instruction set\")");
  // Results on lines only earlier folds read (fold 1 to line 4... fold 0 to 3), past them, or
  // raw: defined.
  EXPECT_EQ(m.run({isa::gemm(false, false, 0, 4, 3, 0, 2, 2, 1)}, 0, {}).err, isa::kOk);
  EXPECT_EQ(m.run({isa::gemm(false, false, 0, 4, 6, 0, 2, 2, 1)}, 0, {}).err, isa::kOk);
  EXPECT_EQ(m.run({isa::gemm(true, false, 0, 4, 5, 0, 2, 2, 1)}, 0, {}).err, isa::kOk);
  // CONV, 2 groups of K = 3 taps: group 0 reads lines 0..1 (a window of 4 elements), group 1
  // lines 2..3 (LW = 2); group 0's results to line 2 would be read by group 1.
  isa::ConvFields f;
  f.k = 3;
  f.lw = 2;
  f.groups = 2;
  f.o_base = 2;
  EXPECT_NE(error_of([&] { m.run({isa::conv(false, false, 0, f)}, 0, {}); })
                .find("the CONV at pc 0 writes the results of fold 0 to ACT line 2"),
            std::string::npos);
  f.o_base = 1;  // fold 0 to line 1 (only group 0 reads it), fold 1 to line 2
  EXPECT_EQ(m.run({isa::conv(false, false, 0, f)}, 0, {}).err, isa::kOk);
}

TEST(AccelModel, GemmWithWindowOn2x2) {
  // A 1x3 kernel, stride 2, on one channel: padded input row [1, 2, 3, 4, 5, 6], outputs
  // ox 0 (columns 0, 1, 2) and ox 1 (columns 2, 3, 4); output channel 0 has taps [1, 10, 100],
  // channel 1 [-1, 0, 1]: row 0 -> [321, 2], [543, 2]. Layout (docs/accel.md, GEMM with WIN):
  // phase 0 holds columns 0, 2, 4 and phase 1 columns 1, 3, 5 as positions 0, 1, 2; a phase
  // needs BPR*R + (Kw-1) div S = 3 positions: LQ = 2 lines; CPL = 1 (lane 1, 99, is never read).
  //   line 0: [1, 3]  line 1: [5, 0]  (phase 0)    line 2: [2, 4]  line 3: [6, 0]  (phase 1)
  // Slices t = kw: kw 0 (phase 0, offset 0), kw 1 (phase 1, offset 0), kw 2 (phase 0, offset 1).
  // Row 1 at kw 2 reads e = 2: bank 0 of line 0 + (2 div 2)*CPL = 1, i.e. 5.
  // A second output row (BPR = 1: fold 1) LOY = 4 lines on holds the negated input.
  AccelModel m(tiny(2, 2));
  const std::vector<int64_t> row = {1, 3, 5, 0, 2, 4, 6, 0};  // lines 0..3, banks 0, 1
  Words act;
  for (int64_t v : row) act.push_back({v, 99});
  for (int64_t v : row) act.push_back({-v, 99});
  const Words wgt = {{1, -1}, {10, 0}, {100, 1}};
  isa::WinFields f;
  f.cpl = 1;
  f.cin = 1;
  f.kw = 3;
  f.s = 2;
  f.lq = 2;
  f.lh = 4;
  f.bpr = 1;
  f.loy = 4;
  const std::vector<isa::Instr> prog = {
      isa::load(isa::kAct, 0, 16), isa::load(isa::kWgt, 0, 3), isa::win(f),
      isa::windowed(isa::gemm(true, false, 0, 0, 0, 0, 3, 2, 1)), isa::store(isa::kOut, 0, 4),
      isa::end()};
  const AccelRun r = m.run(prog, 0, concat(pack_words(act, 8, 64), pack_words(wgt, 8, 64)));
  ASSERT_EQ(r.err, isa::kOk);
  EXPECT_EQ(m.out_word(0), (std::vector<int64_t>{321, 2}));
  EXPECT_EQ(m.out_word(1), (std::vector<int64_t>{543, 2}));
  EXPECT_EQ(m.out_word(2), (std::vector<int64_t>{-321, -2}));
  EXPECT_EQ(m.out_word(3), (std::vector<int64_t>{-543, -2}));
  // LOADs 2 + 16 and 2 + 3; WIN 2; GEMM as without WIN: F 2, T 3, FO 8: 1*3 + 3 + 8 + 2 + 5
  // = 21; STORE 3 + 2 * 4 = 11; END 2.
  EXPECT_EQ(r.cycles, 18u + 5u + 2u + 21u + 11u + 2u);
  EXPECT_EQ(program_cycles(tiny(2, 2), prog), r.cycles);
  EXPECT_EQ(r.act_reads, 12u);  // 3 slices x 2 banks per fold, one channel line each
  EXPECT_EQ(r.instructions, 6u);
}

TEST(AccelModel, ErrGemmWithWindow) {
  const AccelConfig c = tiny(2, 2);
  const int64_t act_lines = c.act_depth();
  isa::WinFields f;  // CPL = Cin = Kw = S = BPR = 1
  const isa::Instr g = isa::windowed(isa::gemm(true, false, 0, 0, 0, 0, 1, 1, 1));
  AccelModel m(c);
  // Before the run's first WIN (START clears the registers, also after a run that set them).
  EXPECT_EQ(m.run({isa::win(f), g, isa::end()}, 0, {}).err, isa::kOk);
  AccelRun r = m.run({g, isa::end()}, 0, {});
  EXPECT_EQ(r.err, isa::kErrImpossible);
  EXPECT_EQ(r.err_pc, 0u);
  // A zero field: each of CPL, Cin, Kw, S, BPR.
  for (uint32_t isa::WinFields::*field : {&isa::WinFields::cpl, &isa::WinFields::cin,
                                          &isa::WinFields::kw, &isa::WinFields::s,
                                          &isa::WinFields::bpr}) {
    isa::WinFields z = f;
    z.*field = 0;
    r = m.run({isa::sync(true, true), isa::win(z), g, isa::end()}, 0, {});
    EXPECT_EQ(r.err, isa::kErrImpossible);
    EXPECT_EQ(r.err_pc, 2u);
  }
  // Kw 2: slice 1 has offset 1, so bank 0 reads the line after the slice's line: from the last
  // line that is past ACT. The same GEMM from the line before is fine.
  isa::WinFields k2 = f;
  k2.kw = 2;
  const auto gemm_at = [](uint32_t a_base) {
    return isa::windowed(isa::gemm(true, false, 0, a_base, 0, 0, 2, 1, 1));
  };
  r = m.run({isa::win(k2), gemm_at(uint32_t(act_lines - 1)), isa::end()}, 0, {});
  EXPECT_EQ(r.err, isa::kErrRange);
  EXPECT_EQ(r.err_pc, 1u);
  EXPECT_EQ(m.run({isa::win(k2), gemm_at(uint32_t(act_lines - 2)), isa::end()}, 0, {}).err,
            isa::kOk);
  // Opcode 7 is still unknown.
  isa::Instr bad;
  bad.w[0] = 7;
  r = m.run({bad}, 0, {});
  EXPECT_EQ(r.err, isa::kErrOpcode);
}
