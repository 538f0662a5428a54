// Benchmark: the standalone accelerator's data movement (issue target: end-to-end cycles <= 1.2x
// the array alone on MobileNet-V1 Half at 16x16 with a 64-bit stream). Every layer of each
// network (224x224, seeded random weights) runs on the accelerator's instruction-set model as
// `fusegen infer --engine model --ibuf-depth 4096` runs it: with overlapped (double-buffered)
// programs, the default, and with `--no-overlap` (one instruction at a time). Printed per
// network: end-to-end cycles, GEMM/CONV cycles, the array alone (`net --model rtl`, KxK
// depthwise on the ST-OS rows) and the ratio, for both; stream bytes and the stream's cycles
// over the array alone (overlapped programs; with --no-overlap the slicing, and so the bytes,
// may differ); the wall time of both runs. Prints a table; asserts nothing.
#include <chrono>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "golden/graph.h"
#include "golden/infer.h"
#include "sim/accel_infer.h"

using namespace fusegen;
using Clock = std::chrono::steady_clock;

namespace {

// Runs every layer of g on the model; the totals.
AccelLayerStats run(const AccelConfig& c, const NetGraph& g, const Tensor& x, const WeightMap& w,
                    bool overlap) {
  AccelLayerEngine e(c, false, false, overlap);
  run_graph(g, x, w, [&](const LayerCall& call, Tensor* y) { return e.run(call, y); });
  AccelLayerStats total;
  for (const auto& s : e.stats()) total += s;
  return total;
}

}  // namespace

int main() {
  const int rows = 16, cols = 16;
  AccelConfig c;
  c.array.rows = rows;
  c.array.cols = cols;
  c.ibuf_depth = 4096;  // other parameters: fusegen infer's defaults
  c.act_kb = 64;
  c.wgt_kb = 64;
  c.out_kb = 16;
  fmt::print("accelerator {}x{}, {}-bit stream, ACT/WGT/OUT {}/{}/{} KiB, ibuf {}; 224x224 "
             "inputs\n\n",
             rows, cols, c.bus_width, c.act_kb, c.wgt_kb, c.out_kb, c.ibuf_depth);
  fmt::print("{:<13} {:<7} {:>10} {:>10} {:>10} {:>6} | {:>10} {:>10} {:>6} | {:>7} {:>7} "
             "{:>8} {:>7}\n",
             "network", "variant", "cycles", "gemm+conv", "array", "ratio", "no-overlap",
             "gemm+conv", "ratio", "in_MB", "out_MB", "stream/a", "wall_s");
  for (const char* net : {"mobilenet_v1", "mobilenet_v2", "mnasnet_b1"})
    for (const char* var : {"base", "half"}) {
      const auto t0 = Clock::now();
      const NetGraph g = build_graph(net, var, GraphOptions{});
      const Tensor x = random_input(g, 1);
      const WeightMap w = random_weights(g, 1);
      const AccelLayerStats ov = run(c, g, x, w, true), seq = run(c, g, x, w, false);
      const int64_t array = array_alone_cycles(g, c.array);
      const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
      const double stream = double(ov.bytes_in + ov.bytes_out) * 8.0 / c.bus_width;
      fmt::print("{:<13} {:<7} {:>10} {:>10} {:>10} {:>6.2f} | {:>10} {:>10} {:>6.2f} | {:>7.1f} "
                 "{:>7.1f} {:>8.2f} {:>7.1f}\n",
                 net, var, ov.cycles, ov.gemm_cycles, array, double(ov.cycles) / double(array),
                 seq.cycles, seq.gemm_cycles, double(seq.cycles) / double(array),
                 double(ov.bytes_in) / 1e6, double(ov.bytes_out) / 1e6, stream / double(array),
                 wall);
    }
  return 0;
}
