// RTL-exact cycle model of the ST-OS array: the cycle count of a layer, a block or a program,
// computed from the scheduler's placed fold list (golden/schedule.h) without expanding per-cycle
// data. The count is the protocol's "latency of a program" (docs/array_protocol.md): first input
// cycle to last result cycle inclusive; multi-stage blocks add their stages (full drain between).
#pragma once

#include <cstdint>
#include <vector>

#include "golden/array_config.h"
#include "golden/latency.h"
#include "golden/layer.h"
#include "golden/schedule.h"

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

// The cycle model as a network latency model (`fusegen net --model rtl`): each layer is one
// program on the array, except that a FuSe stage's 1xK and Kx1 layers (zoo names "<b>.row",
// "<b>.col") run as one program: the ".col" layer is charged the combined program's cycles
// minus those of its 1xK partner alone, so the pair sums to the one program.
class RtlLatencyModel : public LatencyModel {
 public:
  RtlLatencyModel(const ArrayConfig& cfg, DwMapping dw) : cfg_(cfg), dw_(dw) {}
  std::string name() const override { return "rtl"; }
  int64_t layer_cycles(const LayerDesc& layer) const override;

 private:
  ArrayConfig cfg_;  // the array
  DwMapping dw_;     // KxK depthwise mapping
};

}  // namespace fusegen
