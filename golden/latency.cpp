// Network evaluation and the latency model factory. To add a model: implement LatencyModel
// in its own golden/<model>.{h,cpp}, add its name to latency_model_names() and one branch to
// make_latency_model().
#include "golden/latency.h"

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"
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

const std::vector<std::string>& latency_model_names() {
  static const std::vector<std::string> names = {"paper"};
  return names;
}

std::unique_ptr<LatencyModel> make_latency_model(const std::string& name, int64_t rows,
                                                 int64_t cols, const std::string& variant) {
  (void)variant;  // the paper model costs a layer by its shape alone
  if (rows < 1 || cols < 1)
    throw Error(fmt::format("array size {}x{} is not positive: rows and cols must be >= 1", rows,
                            cols));
  if (name == "paper") return std::make_unique<PaperModel>(rows, cols);
  std::string list;
  for (const auto& n : latency_model_names()) list += (list.empty() ? "" : ", ") + n;
  throw Error(fmt::format("unknown latency model '{}': choose one of {}", name, list));
}

}  // namespace fusegen
