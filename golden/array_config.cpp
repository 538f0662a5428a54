// ArrayConfig validation and derived values.
#include "golden/array_config.h"

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

void ArrayConfig::validate(Naming naming) const {
  const bool opt = naming == Naming::kOption;
  auto range = [&](const char* field, const char* option, int v, int lo, int hi) {
    if (v < lo || v > hi)
      throw Error(fmt::format("{} {} is out of range: allowed {}..{}", opt ? option : field, v,
                              lo, hi));
  };
  range("rows", "--rows", rows, kMinDim, kMaxDim);
  range("cols", "--cols", cols, kMinDim, kMaxDim);
  range("data width", "--data-width", data_w, kMinDataW, kMaxDataW);
  range("accumulator width", "--acc-width", acc_w, kMinAccW, kMaxAccW);
  range("MAC stages", "--mac-stages", mac_stages, kMinMacStages, kMaxMacStages);
  range("broadcast group", "--bcast-group", bcast_group, 0, kMaxBcastGroup);
  if (acc_w < 2 * data_w)
    throw Error(fmt::format("{} {} is too small for {} {}: it must be at least 2 x data width "
                            "({})", opt ? "--acc-width" : "accumulator width", acc_w,
                            opt ? "--data-width" : "data width", data_w, 2 * data_w));
  require_verilog_identifier(name);
}

ParamList ArrayConfig::params() const {
  return {{"Name", name},
          {"Rows", std::to_string(rows)},
          {"Cols", std::to_string(cols)},
          {"DataW", std::to_string(data_w)},
          {"AccW", std::to_string(acc_w)},
          {"Stos", stos ? "1" : "0"},
          {"MacStages", std::to_string(mac_stages)},
          {"BcastGroup", std::to_string(bcast_group)},
          {"Reset", reset_name(reset)}};
}

const char* ArrayConfig::reset_name(Reset r) { return r == Reset::kSync ? "sync" : "async"; }

ArrayConfig::Reset ArrayConfig::parse_reset(const std::string& s, const std::string& what) {
  if (s == "async") return Reset::kAsync;
  if (s == "sync") return Reset::kSync;
  throw Error(fmt::format("{} '{}' is not a reset style: allowed async, sync", what, s));
}

int ArrayConfig::row_index_w() const { return index_width(rows); }

ArrayLatency ArrayConfig::latency() const {
  ArrayLatency l;
  // The input stage delays everything by I cycles, the MAC pipeline every result by M - 1.
  const int im = in_stage() + mac_stages;  // I + M
  l.operand_edge = 1 + in_stage();
  l.handoff_write = im;
  l.drain_start = rows + im;
  l.gemm_first_out = rows + cols + im;
  l.stos_first_out = rows + 1 + im;
  l.gemm_program_tail = 2 * rows + cols + im;
  l.stos_program_tail = 2 * rows + 1 + im;
  l.min_handoff_gap = rows;
  l.gemm_to_stos_gap = rows + cols - 1;
  l.gemm_to_stos_tap = cols;
  return l;
}

}  // namespace fusegen
