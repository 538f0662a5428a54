// Network evaluation and the latency model registry. To add a model: implement LatencyModel
// in its own golden/<model>.{h,cpp}, add it to latency_models() and one branch to
// make_latency_model().
#include "golden/latency.h"

#include <algorithm>
#include <climits>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"
#include "golden/cycle_model.h"
#include "golden/paper_model.h"

namespace fusegen {

NetworkCost evaluate_network(const LatencyModel& model, const std::vector<LayerDesc>& layers) {
  NetworkCost cost;
  cost.layers.reserve(layers.size());
  for (const auto& l : layers) {
    LayerCost c{l, model.layer_cycles(l), l.macs()};
    cost.cycles += c.cycles;
    cost.macs += c.macs;
    cost.layers.push_back(std::move(c));
  }
  return cost;
}

const char* const kBaseStosVariant = "base-stos";

const std::vector<LatencyModelInfo>& latency_models() {
  static const std::vector<LatencyModelInfo> models = {
      {"paper", "the FuSeConv paper's analytical model", false},
      {"rtl", "RTL-exact cycle model of the generated array", true},
  };
  return models;
}

std::vector<std::string> latency_model_names() {
  std::vector<std::string> names;
  for (const auto& m : latency_models()) names.push_back(m.name);
  return names;
}

std::unique_ptr<LatencyModel> make_latency_model(const std::string& name, int64_t rows,
                                                 int64_t cols, const std::string& variant) {
  if (rows < 1 || cols < 1)
    throw Error(fmt::format("array size {}x{} is not positive: rows and cols must be >= 1", rows,
                            cols));
  const bool stos = variant == kBaseStosVariant;
  if (name == "paper") {
    if (stos)
      throw Error(fmt::format("the paper model does not cost '{}' (depthwise by ST-OS row "
                              "decomposition): use --model rtl", variant));
    return std::make_unique<PaperModel>(rows, cols);
  }
  if (name == "rtl") {
    ArrayConfig cfg;
    cfg.rows = static_cast<int>(std::min<int64_t>(rows, INT32_MAX));
    cfg.cols = static_cast<int>(std::min<int64_t>(cols, INT32_MAX));
    try {
      cfg.validate();
    } catch (const Error& e) {
      throw Error(fmt::format("--array {}x{}: the rtl model covers the arrays fusegen generates "
                              "({})", rows, cols, e.what()));
    }
    return std::make_unique<RtlLatencyModel>(cfg, stos ? DwMapping::Stos : DwMapping::Os);
  }
  std::string list;
  for (const auto& n : latency_model_names()) list += (list.empty() ? "" : ", ") + n;
  throw Error(fmt::format("unknown latency model '{}': choose one of {}", name, list));
}

}  // namespace fusegen
