// Validated parameters of one generated ST-OS array configuration, and the values derived
// from them. The same struct drives the emitter, the scheduler, the cycle model and the
// testbenches (see docs/array_protocol.md for the timing these parameters imply).
#pragma once

#include <string>

#include "common/fileio.h"
#include "common/text.h"

namespace fusegen {

struct ArrayConfig {
  int rows = 8;                 // R: PE rows, 1..256
  int cols = 8;                 // C: PE columns, 1..256
  int data_w = 8;               // DataW: signed operand width, 2..16
  int acc_w = 32;               // AccW: signed accumulator width, 8..64, >= 2*DataW
  bool stos = true;             // ST-OS broadcast lines + per-PE mux (false: plain OS array)
  std::string name = "fusegen"; // module prefix: <name>_pe, <name>_top, ...

  // Throws fusegen::Error naming the first parameter out of range and the allowed range.
  void validate() const;
  // Ordered parameter list for generated-file headers and manifests.
  ParamList params() const;
  // Width of out_row_o: max(1, ceil(log2(rows))).
  int row_index_w() const;
  // Top module name: <name>_top.
  std::string top() const { return name + "_top"; }
};

}  // namespace fusegen
