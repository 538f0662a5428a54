// Folds, mapping efficiency, utilization and operand traffic from the scheduler's fold list.
#include "golden/net_report.h"

namespace fusegen {

void LayerTraffic::add(const LayerTraffic& o) {
  folds += o.folds;
  used_pe_folds += o.used_pe_folds;
  ifmap_reads += o.ifmap_reads;
  filter_reads += o.filter_reads;
  ofmap_writes += o.ofmap_writes;
}

double LayerTraffic::mapping_efficiency(int64_t rows, int64_t cols) const {
  if (folds == 0) return 0.0;
  return static_cast<double>(used_pe_folds) /
         (static_cast<double>(rows) * static_cast<double>(cols) * static_cast<double>(folds));
}

LayerTraffic layer_traffic(const LayerDesc& layer, const ArrayConfig& cfg, DwMapping dw) {
  Program p = lower_layer(layer, cfg, dw);
  place(p);
  LayerTraffic t;
  for (const Fold& f : p.folds) {
    ++t.folds;
    t.used_pe_folds += static_cast<int64_t>(f.rows) * f.cols;
    if (f.stos) {
      const int64_t fed = f.shared ? f.len - (f.taps - 1) : f.len;
      t.ifmap_reads += static_cast<int64_t>(f.rows) * fed;
      t.filter_reads += static_cast<int64_t>(f.rows) * f.taps;
    } else {
      t.ifmap_reads += static_cast<int64_t>(f.rows) * f.len;
      t.filter_reads += static_cast<int64_t>(f.cols) * f.len;
    }
  }
  t.ofmap_writes = layer.op == OpKind::FC ? layer.n * layer.cout
                                          : layer.n * layer.cout * layer.ho() * layer.wo();
  return t;
}

double compute_utilization(int64_t macs, int64_t cycles, int64_t rows, int64_t cols) {
  if (cycles <= 0) return 0.0;
  return static_cast<double>(macs) /
         (static_cast<double>(rows) * static_cast<double>(cols) * static_cast<double>(cycles));
}

double bytes_per_cycle(const LayerTraffic& t, int64_t cycles, const ArrayConfig& cfg) {
  if (cycles <= 0) return 0.0;
  const int64_t in_bytes = (cfg.data_w + 7) / 8, out_bytes = (cfg.acc_w + 7) / 8;
  return static_cast<double>((t.ifmap_reads + t.filter_reads) * in_bytes +
                             t.ofmap_writes * out_bytes) /
         static_cast<double>(cycles);
}

}  // namespace fusegen
