// Validated parameters of one generated accelerator (`fusegen accel`, docs/accel.md): the array
// core, the scratchpad sizes, the stream width and the instruction buffer, with every derived
// value (memory geometry, beats per word) computed here once. The same struct drives the
// emitter, the instruction-set model, the compiler, the testbench and the command line.
#pragma once

#include <cstdint>
#include <string>

#include "golden/array_config.h"

namespace fusegen {

struct AccelConfig {
  static constexpr int kMinKb = 1;          // smallest scratchpad, KiB
  static constexpr int kMaxKb = 16384;      // largest scratchpad, KiB
  static constexpr int kMaxDepth = 65536;   // most words of a scratchpad (16-bit addresses)
  static constexpr int kMinIbuf = 16;       // smallest instruction buffer, instructions
  static constexpr int kMaxIbuf = 32768;    // largest (the AXI4-Lite window holds 32768)
  static constexpr int kBusWidths[] = {8, 16, 32, 64, 128, 256, 512};  // allowed stream widths

  ArrayConfig array;       // the core: rows, cols, widths, MAC stages, broadcast group, reset
  int act_kb = 64;         // activation scratchpad, KiB (all banks together)
  int wgt_kb = 64;         // weight scratchpad, KiB
  int out_kb = 16;         // result scratchpad, KiB
  int bus_width = 64;      // AXI4-Stream TDATA width, bits
  int ibuf_depth = 512;    // instruction buffer, 128-bit instructions
  // The im2col window address generator (WIN, GEMM with WIN; instruction set version 4):
  // per-bank ACT read addresses and the rotation onto the array rows. Without it WIN is an
  // unknown opcode and dense convolutions need a host im2col (about 700 iCE40 LCs less).
  bool im2col = true;
  std::string name = "fusegen";  // module prefix: <name>_top, <name>_seq, ...; core <name>_core_*

  // Throws fusegen::Error naming the first parameter out of range (as its --option with
  // Naming::kOption) and what is allowed.
  void validate(ArrayConfig::Naming naming = ArrayConfig::Naming::kField) const;
  ParamList params() const;
  // The array core as generated inside the accelerator: ST-OS, module prefix <name>_core.
  ArrayConfig core() const;

  int act_word_bits() const { return array.cols * array.data_w; }   // one bank word
  int act_line_bits() const { return array.rows * act_word_bits(); } // one line (all banks)
  int wgt_word_bits() const { return array.cols * array.data_w; }
  int out_word_bits() const { return array.cols * array.acc_w; }
  int act_depth() const;   // lines per bank: act_kb * 8192 / line bits
  int wgt_depth() const;   // weight words
  int out_depth() const;   // result words
  int beats_d() const;     // stream beats per activation / weight word
  int beats_a() const;     // stream beats per result word
  std::string top() const { return name + "_top"; }
  // Timing (docs/accel.md, timing table), with the stream never stalling.
  static constexpr int kInstrOverhead = 2;  // fetch + decode of every instruction
  static constexpr int kRequantStages = 3;  // requantizer latency on the activation path
  // Cycles of a GEMM after its first (F - 1) * max(T, R) + T cycles: the core's first-result
  // latency FO = I + R + C + M, the R result rows, the operand and write-back pipelines and
  // the fetch/decode: FO + R + 7 writing activations (requantized), FO + R + 5 raw.
  int gemm_tail(bool raw) const;
  // Cycles of a CONV after its first (F - 1) * max(W, R) + W cycles (W = C + K - 1): the same
  // with the ST-OS first-result latency FS = I + R + 1 + M: FS + R + 7 / FS + R + 5.
  int conv_tail(bool raw) const;
};

// The instruction set (docs/accel.md). Instructions are 128 bits, word 0 (bits 31:0) first.
namespace isa {
enum Op : int { kEnd = 0, kLoad = 1, kStore = 2, kGemm = 3, kConv = 4, kSync = 5, kWin = 6 };
enum Err : int { kOk = 0, kErrOpcode = 1, kErrRange = 2, kErrImpossible = 3, kErrPc = 4 };
enum Space : int { kAct = 0, kWgt = 1, kOut = 1 };  // LOAD: act/wgt; STORE: act/out
constexpr uint32_t kIsaId = 0xF5E00004;  // read at register 0x30: "FuSe", ISA version 4
// Word 0 flags of version 3: ASYNC (LOAD/STORE run in the background), NARROW (GEMM/CONV
// with space 1: requantized into OUT lanes; STORE space 1: the low DataW bits of each lane).
constexpr uint32_t kAsyncBit = 1u << 6, kNarrowBit = 1u << 7;
// Word 0 flag of version 4: a GEMM reads its activations through the window registers (WIN).
constexpr uint32_t kWinBit = 1u << 14;
// SYNC word 1 mask bits: wait for the background LOAD / STORE.
constexpr uint32_t kSyncLoads = 1, kSyncStores = 2;
// Register map (byte addresses on the AXI4-Lite slave).
constexpr uint32_t kRegCtrl = 0x00, kRegStatus = 0x04, kRegPcStart = 0x08, kRegErrPc = 0x0c,
                   kRegCyclesLo = 0x10, kRegCyclesHi = 0x14, kRegShape = 0x18, kRegWidths = 0x1c,
                   kRegActDepth = 0x20, kRegWgtDepth = 0x24, kRegOutDepth = 0x28,
                   kRegIbufDepth = 0x2c, kRegIsa = 0x30, kRegFeatures = 0x34,
                   kIbufBase = 0x80000;
// FEATURES register bits: the accelerator has the im2col window generator (WIN).
constexpr uint32_t kFeatureIm2col = 1;

struct Instr {
  uint32_t w[4] = {0, 0, 0, 0};
};
Instr end();
// LOAD count words from the input stream: space kAct (base = activation line, words fill banks
// 0..R-1 of a line, then the next line) or kWgt (base = weight word).
Instr load(int space, uint32_t base, uint32_t count);
// STORE count words to the output stream: space kAct (as LOAD) or kOut (base = result word).
Instr store(int space, uint32_t base, uint32_t count);
// GEMM: npb x ncb folds of t slices (see docs/accel.md); raw = results to the result scratchpad.
Instr gemm(bool raw, bool relu, int shift, uint32_t a_base, uint32_t o_base, uint32_t w_base,
           uint32_t t, uint32_t npb, uint32_t ncb);
// CONV (ST-OS folds, see docs/accel.md): groups x tiles x passes folds of k taps.
struct ConvFields {
  uint32_t a_base = 0, o_base = 0, w_base = 0;
  uint32_t lw = 0;      // ACT lines from one pass's line to the next (and group to group)
  uint32_t k = 1;       // taps, 1..255
  uint32_t passes = 1;  // accumulated passes per tile, 1..255
  uint32_t tiles = 1;   // tiles of C outputs per line
  uint32_t groups = 1;  // line groups (R lines each, one per array row)
};
Instr conv(bool raw, bool relu, int shift, const ConvFields& f);
// SYNC (version 3): wait until the background LOAD (loads) and / or STORE (stores) is done.
Instr sync(bool loads, bool stores);
// The instruction with its ASYNC flag (LOAD, STORE) or NARROW flag (STORE, GEMM, CONV with
// space 1) set.
Instr async(Instr i);
Instr narrow(Instr i);
// WIN (version 4): the window registers of GEMM with WIN (im2col windows, docs/accel.md).
struct WinFields {
  uint32_t cpl = 1;   // ACT lines per position block (a position's channels: ceil(Cin / C))
  uint32_t cin = 1;   // channels per position (the innermost slice loop), 1..65535
  uint32_t kw = 1;    // kernel columns, 1..255
  uint32_t s = 1;     // column phases (the stride along W), 1..255
  uint32_t lq = 0;    // lines from one column phase to the next
  uint32_t lh = 0;    // lines from one kernel row to the next
  uint32_t bpr = 1;   // pixel blocks (folds) per output row
  uint32_t loy = 0;   // lines from one output row's first input row to the next
};
Instr win(const WinFields& f);
// The GEMM with its WIN flag set.
Instr windowed(Instr gemm);
}  // namespace isa

}  // namespace fusegen
