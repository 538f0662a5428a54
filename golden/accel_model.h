// Instruction-set model of the generated accelerator (docs/accel.md, instruction set version
// 3), written from that page: the scratchpads, the LOAD / STORE / GEMM / CONV / SYNC / END
// semantics including requantization and NARROW results, the stream packing, the timeline of
// the issue, stream-in and stream-out units (ASYNC background transfers, the GEMM / CONV
// interlock, SYNC), the error rules (the first error by cycle) and the race rule of background
// transfers. It is the reference the RTL testbench checks the output stream, the error status
// and CYCLES against ("model" engine).
#pragma once

#include <cstdint>
#include <vector>

#include "golden/accel_config.h"

namespace fusegen {

// One stream beat: bus_width bits in 32-bit chunks, chunk 0 = bits 31:0 (ceil(bus_width/32)
// chunks; bits above bus_width are zero).
using Beat = std::vector<uint32_t>;

// Packs words of `lanes` signed lanes of `lane_bits` bits each (lane j at bits
// [j*lane_bits +: lane_bits], two's complement) into stream beats, low bits first,
// ceil(lanes*lane_bits / bus_width) beats per word.
std::vector<Beat> pack_words(const std::vector<std::vector<int64_t>>& words, int lane_bits,
                             int bus_width);
// The inverse: beats (a whole number of words) -> words of `lanes` sign-extended lanes.
std::vector<std::vector<int64_t>> unpack_words(const std::vector<Beat>& beats, int lanes,
                                               int lane_bits, int bus_width);

// What one run produced and cost.
struct AccelRun {
  std::vector<Beat> output;        // the output stream, in order
  std::vector<uint64_t> last;      // indices (into output) of the beats with TLAST
  int err = isa::kOk;              // error code (isa::Err)
  uint32_t err_pc = 0;             // the failing instruction (valid when err != 0)
  uint64_t cycles = 0;             // CYCLES per "Timing" (valid when err == 0)
  uint64_t gemm_cycles = 0;        // of which GEMM and CONV instructions (the rest moves data)
  uint64_t input_beats = 0;        // input-stream beats consumed
  // Work counters (valid when err == 0).
  uint64_t instructions = 0;       // executed, END included
  uint64_t macs = 0;               // T * R * C per fold (the array's issued MAC slots)
  uint64_t act_reads = 0, act_writes = 0;  // ACT words (one bank word = one access)
  uint64_t wgt_reads = 0, wgt_writes = 0;  // WGT words
  uint64_t out_reads = 0, out_writes = 0;  // OUT words
};

class AccelModel {
 public:
  explicit AccelModel(const AccelConfig& c);  // validates c; memories start all zero

  // Runs the program in `ibuf` (at most ibuf_depth instructions; entries past its end read as
  // zero, i.e. END) from pc_start with the given input stream. Scratchpad contents persist
  // between runs, as in the RTL. Data effects happen in program order (what a race-free
  // program computes); the error reported is the first one by cycle. Throws fusegen::Error if
  // a LOAD needs more input beats than given (the RTL would wait for them forever), if the
  // program breaks the race rule of background transfers (an instruction touching words an
  // outstanding ASYNC transfer moves; the message names both pcs and the memory), or if a
  // GEMM / CONV range error coincides with a background transfer's error inside the GEMM's
  // execution window (which comes first is not specified).
  AccelRun run(const std::vector<isa::Instr>& ibuf, uint32_t pc_start,
               const std::vector<Beat>& input);

  const AccelConfig& config() const { return cfg_; }
  // Scratchpad words as signed lanes (C lanes). Throws fusegen::Error when out of range.
  std::vector<int64_t> act_word(int bank, int line) const;
  std::vector<int64_t> wgt_word(int word) const;
  std::vector<int64_t> out_word(int word) const;

 private:
  AccelConfig cfg_;
  std::vector<std::vector<int64_t>> act_;  // [line * R + bank] -> C lanes
  std::vector<std::vector<int64_t>> wgt_;  // [word] -> C lanes
  std::vector<std::vector<int64_t>> out_;  // [word] -> C lanes
};

}  // namespace fusegen
