// Latency models: the interface every cycle-count model of a layer implements, a network
// evaluator (sum of layer cycles and MACs) and the registry that maps a model name to an
// instance: "paper" (the FuSeConv paper's analytical model, golden/paper_model.h) and "rtl"
// (the RTL-exact cycle model of the generated array, golden/cycle_model.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "golden/layer.h"

namespace fusegen {

class LatencyModel {
 public:
  virtual ~LatencyModel() = default;
  // Short name as given on the command line ("paper").
  virtual std::string name() const = 0;
  // Cycles of one layer on this model's array. Throws fusegen::Error for a layer the model
  // cannot cost.
  virtual int64_t layer_cycles(const LayerDesc& layer) const = 0;
};

// Cost of one layer under a model.
struct LayerCost {
  LayerDesc layer;  // the layer costed
  int64_t cycles;   // LatencyModel::layer_cycles
  int64_t macs;     // LayerDesc::macs
};

// Cost of a network: per layer and totals.
struct NetworkCost {
  std::vector<LayerCost> layers;  // in execution order
  int64_t cycles = 0;             // sum of layer cycles (no overlap between layers)
  int64_t macs = 0;               // sum of layer MACs
};

NetworkCost evaluate_network(const LatencyModel& model, const std::vector<LayerDesc>& layers);

// The variant that runs the unmodified (base) network with its KxK depthwise layers decomposed
// onto the ST-OS rows. Only models that know the mapping (those with costs_stos) cost it.
extern const char* const kBaseStosVariant;

// One registered latency model.
struct LatencyModelInfo {
  std::string name;         // as given to --model
  std::string description;  // one line for --help
  bool costs_stos;          // can cost kBaseStosVariant
};

// Every registered model, in display order ("paper", "rtl").
const std::vector<LatencyModelInfo>& latency_models();
// Their names, in display order.
std::vector<std::string> latency_model_names();

// The model `name` for an array of rows x cols, evaluating networks of `variant` (a zoo variant
// name or kBaseStosVariant; models that map a variant's layers differently use it, the paper
// model ignores it). Throws fusegen::Error for an unknown name, an array size the model does not
// cover, or a variant it cannot cost.
std::unique_ptr<LatencyModel> make_latency_model(const std::string& name, int64_t rows,
                                                 int64_t cols, const std::string& variant);

}  // namespace fusegen
