// Cycle model: lowering + placement, then the protocol's latency formula (see cycle_model.h).
#include "sim/cycle_model.h"

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

}  // namespace fusegen
