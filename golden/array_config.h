// Validated parameters of one generated ST-OS array configuration, and the values derived
// from them: the range limits (checked only in validate()) and the protocol latencies (the
// cycle-level contract of docs/array_protocol.md). The same struct drives the emitter, the
// scheduler, the cycle model, the testbenches and the command line.
#pragma once

#include <string>

#include "common/fileio.h"
#include "common/text.h"

namespace fusegen {

// Protocol latencies of one size, as offsets from the cycle a slice/tap (u) or a fold's
// hand-off slice (H) was presented (docs/array_protocol.md, rules and output timing). M is the
// number of MAC pipeline stages (ArrayConfig::mac_stages).
struct ArrayLatency {
  int operand_edge;       // edge at which PE (0,0) registers a slice/tap presented at u: u + 1 + I
  int handoff_write;      // edge at which PE (0,0) writes out_q for a hand-off at H: H + I + M
  int drain_start;        // first drain cycle of column 0 for a hand-off at H: H + I + R + M
  int gemm_first_out;     // first result row of a GEMM fold on the port: H + I + R + C + M
  int stos_first_out;     // first result row of an ST-OS fold on the port: H + I + R + 1 + M
  int gemm_program_tail;  // program length after its last GEMM hand-off: I + 2R + C + M
  int stos_program_tail;  // program length after its last ST-OS hand-off: I + 2R + 1 + M
  int min_handoff_gap;    // hand-off to hand-off spacing (rule 2): R
  int gemm_to_stos_gap;   // GEMM hand-off to ST-OS hand-off spacing (rule 2): R + C - 1
  int gemm_to_stos_tap;   // GEMM slice to the next ST-OS tap (rule 3): C
};

struct ArrayConfig {
  static constexpr int kMinDim = 1;     // smallest R and C
  static constexpr int kMaxDim = 256;   // largest R and C
  static constexpr int kMinDataW = 2;   // smallest DataW
  static constexpr int kMaxDataW = 16;  // largest DataW
  static constexpr int kMinAccW = 8;    // smallest AccW (and at least 2 x DataW)
  static constexpr int kMaxAccW = 64;   // largest AccW
  static constexpr int kMinMacStages = 1;  // fewest MAC pipeline stages
  static constexpr int kMaxMacStages = 3;  // most MAC pipeline stages
  static constexpr int kMaxBcastGroup = 256;  // largest columns per broadcast register copy

  // How the control registers are reset (data registers are never reset).
  enum class Reset { kAsync, kSync };

  // How validate() names a parameter: as a field ("rows") or as its command-line option
  // ("--rows", "--cols", "--data-width", "--acc-width").
  enum class Naming { kField, kOption };

  int rows = 8;                 // R: PE rows, kMinDim..kMaxDim
  int cols = 8;                 // C: PE columns, kMinDim..kMaxDim
  int data_w = 8;               // DataW: signed operand width, kMinDataW..kMaxDataW
  int acc_w = 32;               // AccW: signed accumulator width, kMinAccW..kMaxAccW, >= 2*DataW
  bool stos = true;             // ST-OS broadcast lines + per-PE mux (false: plain OS array)
  // MAC pipeline stages from the operand registers to the result register out_q:
  // 1 = multiply, accumulate and hand-off in one cycle; 2 = product register, then accumulate
  // (hand-off writes the adder's output); 3 = product register, accumulate, then hand-off
  // from the accumulator register (nothing behind the adder). kMinMacStages..kMaxMacStages.
  int mac_stages = 3;
  // Array input stage and broadcast replication. 0: the array's inputs are not registered and
  // each row's broadcast line is driven by one register per signal (fan-out C). G > 0: the array
  // registers every input once (one more cycle in every latency) and each row's broadcast
  // registers are replicated once per G columns, so none drives more than G PEs. 0..kMaxBcastGroup.
  int bcast_group = 8;
  Reset reset = Reset::kAsync;  // control registers: asynchronous or synchronous active-low
  std::string name = "fusegen"; // module prefix: <name>_pe, <name>_top, ...

  // Throws fusegen::Error naming the first parameter out of range and the allowed range.
  void validate(Naming naming = Naming::kField) const;
  // Ordered parameter list for generated-file headers and manifests.
  ParamList params() const;
  // 1 when the array registers its inputs (bcast_group > 0), else 0: the I in the latencies.
  int in_stage() const { return bcast_group > 0 ? 1 : 0; }
  // Broadcast register copies per row: ceil(cols / bcast_group), 1 without the input stage.
  int bcast_copies() const { return bcast_group > 0 ? (cols + bcast_group - 1) / bcast_group : 1; }
  // Width of out_row_o: max(1, ceil(log2(rows))).
  int row_index_w() const;
  // The protocol latencies of this size (the one place they are computed).
  ArrayLatency latency() const;
  // "async" / "sync", and the inverse (throws fusegen::Error naming the allowed values).
  static const char* reset_name(Reset r);
  static Reset parse_reset(const std::string& s, const std::string& what = "--reset");
  // Top module name: <name>_top.
  std::string top() const { return name + "_top"; }
};

}  // namespace fusegen
