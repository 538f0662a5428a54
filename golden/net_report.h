// What a SCALE-Sim user reads besides cycles, per layer and per network: folds, mapping
// efficiency, compute utilization and operand traffic. Folds and traffic come from the
// scheduler's lowering of the layer onto the array (golden/schedule.h, the RTL's fold list), so
// they do not depend on the latency model; utilization and bandwidths divide by the cycles of
// whichever model costed the layer.
#pragma once

#include <cstdint>

#include "golden/array_config.h"
#include "golden/layer.h"
#include "golden/schedule.h"

namespace fusegen {

// Folds and operand traffic of a layer (or, summed, of a network) on an R x C array.
struct LayerTraffic {
  int64_t folds = 0;         // OS GEMM folds + ST-OS tiles issued
  int64_t used_pe_folds = 0; // sum over folds of valid rows x valid columns
  int64_t ifmap_reads = 0;   // input words fed on the left edge (a ports)
  int64_t filter_reads = 0;  // weight words fed: top edge (b, GEMM) or row taps (w, ST-OS)
  int64_t ofmap_writes = 0;  // output words written: every output element once

  void add(const LayerTraffic& o);
  // Mean over folds of valid PEs / (R * C), as SCALE-Sim's "Mapping Efficiency" (0..1).
  double mapping_efficiency(int64_t rows, int64_t cols) const;
};

// Lowers and places the layer (dw: KxK depthwise mapping) and counts its folds and traffic:
// a GEMM fold of T slices on r x c PEs reads r*T inputs and c*T weights; an ST-OS tile of r
// lines reads r words per window cycle (minus the K-1 it reuses from the previous tile when
// its window is shared) and r*K taps.
LayerTraffic layer_traffic(const LayerDesc& layer, const ArrayConfig& cfg, DwMapping dw);

// macs / (R * C * cycles): SCALE-Sim's "Overall Util" (0..1); 0 for 0 cycles.
double compute_utilization(int64_t macs, int64_t cycles, int64_t rows, int64_t cols);

// On-chip bytes per cycle the schedule needs: inputs and weights at DataW bits, outputs at
// AccW bits (the array hands off raw accumulators), each rounded up to whole bytes.
double bytes_per_cycle(const LayerTraffic& t, int64_t cycles, const ArrayConfig& cfg);

}  // namespace fusegen
