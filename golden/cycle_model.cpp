// Cycle model: lowering + placement, then the protocol's latency formula (see cycle_model.h).
#include "golden/cycle_model.h"

namespace fusegen {

namespace {
void finish(CycleReport& r, const ArrayConfig& cfg) {
  const double denom = static_cast<double>(cfg.rows) * cfg.cols * static_cast<double>(r.cycles);
  r.utilization = r.cycles > 0 ? static_cast<double>(r.macs) / denom : 0.0;
}
}  // namespace

CycleReport model_program(Program& p) {
  if (!p.placed) place(p);
  CycleReport r;
  r.cycles = p.cycles;
  r.macs = p.macs;
  r.folds = static_cast<int64_t>(p.folds.size());
  r.handoffs = p.handoffs;
  finish(r, p.cfg);
  return r;
}

CycleReport model_programs(std::vector<Program>& ps) {
  CycleReport r;
  for (Program& p : ps) {
    CycleReport s = model_program(p);
    r.cycles += s.cycles;
    r.macs += s.macs;
    r.folds += s.folds;
    r.handoffs += s.handoffs;
  }
  if (!ps.empty()) finish(r, ps.front().cfg);
  return r;
}

CycleReport model_layer(const LayerDesc& layer, const ArrayConfig& cfg, DwMapping dw) {
  Program p = lower_layer(layer, cfg, dw);
  return model_program(p);
}

CycleReport model_block(const BlockDesc& block, const ArrayConfig& cfg, DwMapping dw) {
  std::vector<Program> ps = lower_block(block, cfg, dw);
  return model_programs(ps);
}

int64_t RtlLatencyModel::layer_cycles(const LayerDesc& l) const {
  const std::string suffix = ".col";
  const bool paired = l.op == OpKind::Col && l.name.size() > suffix.size() &&
                      l.name.compare(l.name.size() - suffix.size(), suffix.size(), suffix) == 0;
  if (!paired || !cfg_.stos) return model_layer(l, cfg_, dw_).cycles;
  // The 1xK partner: same channels, input, K and stride; padding along W instead of H.
  LayerDesc row = row_layer(l.name.substr(0, l.name.size() - suffix.size()) + ".row", l.cin, l.h,
                            l.w, l.kh, l.stride, l.n);
  row.pad_w = l.pad_h;
  Program both = lower_fuse_stage(row, l, 0, cfg_);
  place(both);
  return both.cycles - model_layer(row, cfg_, dw_).cycles;
}

}  // namespace fusegen
