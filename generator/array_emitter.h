// Emitter of the ST-OS systolic array: specializes the RTL templates under rtl_templates/array/
// for one ArrayConfig and adds the collateral (file list, JSON manifest, Yosys script, README).
// The timing numbers it writes (manifest, README) are those of docs/array_protocol.md.
#pragma once

#include <string>
#include <vector>

#include "golden/array_config.h"
#include "common/fileio.h"
#include "common/text.h"

namespace fusegen {

// Module stems in dependency order: "<name>_<stem>" is the module, "<name>_<stem>.v" its file.
const std::vector<std::string>& array_module_stems();

// The latency figures of the protocol for this size, as offsets from the cycle a slice/tap
// (u) or a fold's hand-off slice (H) was presented.
struct ArrayLatency {
  int gemm_first_out;     // first result row of a GEMM fold on the port: H + R + C + 1
  int stos_first_out;     // first result row of an ST-OS fold on the port: H + R + 2
  int gemm_program_tail;  // program length after its last GEMM hand-off: 2R + C + 1
  int stos_program_tail;  // program length after its last ST-OS hand-off: 2R + 2
  int min_handoff_gap;    // hand-off to hand-off spacing: R
  int gemm_to_stos_gap;   // GEMM hand-off to ST-OS hand-off spacing: R + C - 1
  int gemm_to_stos_tap;   // GEMM slice to the next ST-OS tap: C
};
ArrayLatency array_latency(const ArrayConfig& cfg);

// All files of one configuration: the Verilog modules, <name>.f, <name>.json, <name>.ys and
// README.md. Validates cfg first (throws fusegen::Error); byte-identical for equal configs.
OutputSet emit_array(const ArrayConfig& cfg);

}  // namespace fusegen
