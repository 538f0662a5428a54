// RTL-exact cycle model of the ST-OS array: the cycle count of a layer, a block or a program,
// computed from the scheduler's placed fold list (sim/schedule.h) without expanding per-cycle
// data. The count is the protocol's "latency of a program" (docs/array_protocol.md): first input
// cycle to last result cycle inclusive; multi-stage blocks add their stages (full drain between).
#pragma once

#include <cstdint>
#include <vector>

#include "generator/array_config.h"
#include "golden/layer.h"
#include "sim/schedule.h"

namespace fusegen {

struct CycleReport {
  int64_t cycles = 0;        // RTL cycles, first input to last result
  int64_t macs = 0;          // useful multiply-accumulates
  double utilization = 0.0;  // macs / (R * C * cycles)
  int64_t folds = 0;         // folds / tiles issued
  int64_t handoffs = 0;      // hand-offs (result sets drained)
};

// Places the program if needed and reports it.
CycleReport model_program(Program& p);
// Sum over programs run one after another (each drains fully before the next starts).
CycleReport model_programs(std::vector<Program>& ps);
// One layer / one block, lowered with the scheduler's policy.
CycleReport model_layer(const LayerDesc& layer, const ArrayConfig& cfg, DwMapping dw);
CycleReport model_block(const BlockDesc& block, const ArrayConfig& cfg, DwMapping dw);

}  // namespace fusegen
