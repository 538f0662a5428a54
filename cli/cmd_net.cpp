// `fusegen net`: cycles, MACs and speedups of the network zoo (or a SCALE-Sim topology file)
// under a latency model, one row per (network, variant) or per layer, as an aligned table, CSV
// or JSON. All options are validated and all networks evaluated before anything is printed.
#include <algorithm>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <cxxopts.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/options.h"
#include "common/bits.h"
#include "common/error.h"
#include "golden/latency.h"
#include "golden/topology.h"
#include "golden/zoo.h"
#include "golden/cycle_model.h"

namespace fusegen::cli {
namespace {

// One evaluated (network, variant): one cost per requested model (none where the model does
// not apply, e.g. the paper model has no ST-OS depthwise mapping for base-stos).
struct NetResult {
  std::string network;                         // zoo name or topology file stem
  std::string variant;                         // zoo variant, "base-stos" or "topology"
  std::vector<std::optional<NetworkCost>> cost;  // per model: per layer and totals
  std::vector<std::optional<double>> speedup;    // per model: base cycles / cycles
};

// The pseudo-variant of the RTL model: the base network with every KxK depthwise conv mapped
// by ST-OS row decomposition instead of one OS column per channel.
const char* const kBaseStos = "base-stos";

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// Expands "all" or checks one name against the allowed list.
std::vector<std::string> select(const std::string& option, const std::string& value,
                                const std::vector<std::string>& allowed) {
  if (value == "all") return allowed;
  for (const auto& a : allowed)
    if (a == value) return {value};
  throw Error(fmt::format("--{} '{}' is not allowed: choose all or one of {}", option, value,
                          join(allowed)));
}

// Prints rows as an aligned table: text columns left-aligned, the others right-aligned.
void print_table(const std::vector<std::string>& head, const std::vector<bool>& left,
                 const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(head.size());
  for (size_t i = 0; i < head.size(); ++i) width[i] = head[i].size();
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  auto line = [&](const std::vector<std::string>& r) {
    std::string s;
    for (size_t i = 0; i < r.size(); ++i) {
      if (i) s += "  ";
      s += left[i] ? fmt::format("{:<{}}", r[i], width[i]) : fmt::format("{:>{}}", r[i], width[i]);
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    fmt::print("{}\n", s);
  };
  line(head);
  std::vector<std::string> rule;
  for (size_t w : width) rule.push_back(std::string(w, '-'));
  line(rule);
  for (const auto& r : rows) line(r);
}

void print_csv(const std::vector<std::string>& head,
               const std::vector<std::vector<std::string>>& rows) {
  auto line = [](const std::vector<std::string>& r) {
    std::string s;
    for (size_t i = 0; i < r.size(); ++i) s += (i ? "," : "") + r[i];
    fmt::print("{}\n", s);
  };
  line(head);
  for (const auto& r : rows) line(r);
}

std::string shape(int64_t c, int64_t h, int64_t w) { return fmt::format("{}x{}x{}", c, h, w); }

int run_net(int argc, char** argv) {
  cxxopts::Options opts(argv[0],
                        "Cycles, MACs and speedup over the base variant of the network zoo "
                        "under a latency model.");
  opts.add_options()
      ("network", "network name or all: " + join(zoo_networks()),
       cxxopts::value<std::string>()->default_value("all"))
      ("variant", "variant or all: " + [] {
         std::vector<std::string> v;
         for (const auto& x : zoo_variants()) v.push_back(x.name);
         v.push_back(std::string(kBaseStos) + " (rtl model: base with ST-OS depthwise)");
         return join(v);
       }(), cxxopts::value<std::string>()->default_value("all"))
      ("array", "array size RxC", cxxopts::value<std::string>()->default_value("64x64"))
      ("model", "latency model: " + join(latency_model_names()) +
                    ", rtl (RTL-exact cycle model of the generated array), or several side by "
                    "side: paper,rtl (= both)",
       cxxopts::value<std::string>()->default_value("paper"))
      ("layers", "one row per layer instead of per network")
      ("format", "table, csv or json", cxxopts::value<std::string>()->default_value("table"))
      ("topology", "evaluate a SCALE-Sim topology CSV instead of the zoo",
       cxxopts::value<std::string>());
  cxxopts::ParseResult r;
  if (!parse_or_help(opts, argc, argv, r)) return 0;

  const auto [rows, cols] = parse_array_size("array", r["array"].as<std::string>());
  const std::string format = check_choice("format", r["format"].as<std::string>(),
                                          {"table", "csv", "json"});
  // Models: one name, a comma-separated list, or "both" (paper,rtl) side by side.
  std::vector<std::string> models;
  {
    std::string spec = r["model"].as<std::string>();
    if (spec == "both") spec = "paper,rtl";
    size_t a = 0;
    while (a <= spec.size()) {
      size_t b = spec.find(',', a);
      if (b == std::string::npos) b = spec.size();
      models.push_back(spec.substr(a, b - a));
      a = b + 1;
    }
  }
  const bool has_rtl = std::find(models.begin(), models.end(), "rtl") != models.end();
  ArrayConfig rtl_cfg;
  rtl_cfg.rows = rows;
  rtl_cfg.cols = cols;
  for (const auto& m : models) {
    if (m == "rtl") {
      try {
        rtl_cfg.validate();
      } catch (const Error& e) {
        throw Error(fmt::format("--array {}x{}: the rtl model covers generated arrays only: {}",
                                rows, cols, e.what()));
      }
      continue;
    }
    try {
      make_latency_model(m, rows, cols, "base");  // rejects an unknown model up front
    } catch (const Error&) {
      std::string list;
      for (const auto& n : latency_model_names()) list += (list.empty() ? "" : ", ") + n;
      throw Error(fmt::format("unknown latency model '{}': choose one of {}, rtl (or several, "
                              "comma-separated, or both)", m, list));
    }
  }
  // The model m for a variant (nullptr: not applicable).
  auto make_model = [&](const std::string& m, const std::string& var) -> std::unique_ptr<LatencyModel> {
    if (m == "rtl")
      return std::make_unique<RtlLatencyModel>(rtl_cfg, var == kBaseStos ? DwMapping::Stos : DwMapping::Os);
    if (var == kBaseStos) return nullptr;
    return make_latency_model(m, rows, cols, var);
  };
  const bool per_layer = r.count("layers") > 0;

  std::vector<NetResult> results;
  if (r.count("topology")) {
    if (r.count("network") || r.count("variant"))
      throw Error("--topology evaluates one CSV file: it cannot be combined with --network or "
                  "--variant");
    const std::string path = r["topology"].as<std::string>();
    const auto layers = read_topology(path);
    NetResult res{topology_name(path), "topology", {}, {}};
    for (const auto& m : models) {
      res.cost.push_back(evaluate_network(*make_model(m, "base"), layers));
      res.speedup.push_back(std::nullopt);
    }
    results.push_back(std::move(res));
  } else {
    std::vector<std::string> variant_names;
    for (const auto& v : zoo_variants()) variant_names.push_back(v.name);
    std::vector<std::string> allowed = variant_names;
    allowed.push_back(kBaseStos);
    const auto nets = select("network", r["network"].as<std::string>(), zoo_networks());
    auto vars = select("variant", r["variant"].as<std::string>(), allowed);
    if (!has_rtl) {
      if (r["variant"].as<std::string>() == kBaseStos)
        throw Error("--variant base-stos maps depthwise convs by ST-OS row decomposition, which "
                    "only the rtl model costs: add --model rtl");
      vars.erase(std::remove(vars.begin(), vars.end(), kBaseStos), vars.end());
    }
    for (const auto& net : nets) {
      std::vector<int64_t> base;
      for (const auto& m : models)
        base.push_back(evaluate_network(*make_model(m, "base"), build_network(net, "base")).cycles);
      for (const auto& var : vars) {
        NetResult res{net, var, {}, {}};
        const auto layers = build_network(net, var == kBaseStos ? "base" : var);
        for (size_t i = 0; i < models.size(); ++i) {
          auto model = make_model(models[i], var);
          if (!model) {
            res.cost.push_back(std::nullopt);
            res.speedup.push_back(std::nullopt);
            continue;
          }
          NetworkCost c = evaluate_network(*model, layers);
          res.speedup.push_back(c.cycles > 0 ? std::optional<double>(static_cast<double>(base[i]) /
                                                                     static_cast<double>(c.cycles))
                                             : std::nullopt);
          res.cost.push_back(std::move(c));
        }
        results.push_back(std::move(res));
      }
    }
  }
  // The layer list of a result (identical under every applicable model).
  auto any_cost = [](const NetResult& res) -> const NetworkCost& {
    for (const auto& c : res.cost)
      if (c) return *c;
    throw std::logic_error("no model applies");
  };

  if (format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& res : results)
      for (size_t mi = 0; mi < models.size(); ++mi) {
        if (!res.cost[mi]) continue;
        const NetworkCost& cost = *res.cost[mi];
        // Fields every row starts with, per network or per layer.
        auto row = [&] {
          nlohmann::ordered_json o;
          o["network"] = res.network;
          o["variant"] = res.variant;
          o["rows"] = rows;
          o["cols"] = cols;
          o["model"] = models[mi];
          return o;
        };
        if (!per_layer) {
          nlohmann::ordered_json o = row();
          o["cycles"] = cost.cycles;
          o["macs"] = cost.macs;
          o["speedup"] = res.speedup[mi] ? nlohmann::ordered_json(*res.speedup[mi]) : nullptr;
          out.push_back(std::move(o));
          continue;
        }
        for (const auto& lc : cost.layers) {
          const LayerDesc& l = lc.layer;
          nlohmann::ordered_json o = row();
          o["layer"] = l.name;
          o["type"] = op_name(l.op);
          o["in_c"] = l.cin;
          o["in_h"] = l.h;
          o["in_w"] = l.w;
          o["out_c"] = l.cout;
          o["out_h"] = l.ho();
          o["out_w"] = l.wo();
          o["kh"] = l.kh;
          o["kw"] = l.kw;
          o["stride"] = l.stride;
          o["macs"] = lc.macs;
          o["cycles"] = lc.cycles;
          out.push_back(std::move(o));
        }
      }
    fmt::print("{}\n", out.dump(2));
    return 0;
  }

  const bool table = format == "table";
  const bool single = models.size() == 1;
  std::vector<std::string> head;
  std::vector<bool> left;
  std::vector<std::vector<std::string>> cells;
  auto speedup_cell = [&](const std::optional<double>& sp) {
    return !sp ? (table ? "-" : "") : fmt::format(table ? "{:.2f}x" : "{:.4f}", *sp);
  };
  if (!per_layer) {
    if (single) {
      head = {"network", "variant", "rows", "cols", "model", "cycles", "macs", "speedup"};
      left = {true, true, false, false, true, false, false, false};
    } else {
      head = {"network", "variant", "rows", "cols", "macs"};
      left = {true, true, false, false, false};
      for (const auto& m : models) {
        head.push_back("cycles(" + m + ")");
        head.push_back("speedup(" + m + ")");
        left.push_back(false);
        left.push_back(false);
      }
    }
    for (const auto& res : results) {
      const NetworkCost& any = any_cost(res);
      if (single) {
        cells.push_back({res.network, res.variant, std::to_string(rows), std::to_string(cols),
                         models[0], std::to_string(any.cycles), std::to_string(any.macs),
                         speedup_cell(res.speedup[0])});
        continue;
      }
      std::vector<std::string> row = {res.network, res.variant, std::to_string(rows),
                                      std::to_string(cols), std::to_string(any.macs)};
      for (size_t mi = 0; mi < models.size(); ++mi) {
        row.push_back(res.cost[mi] ? std::to_string(res.cost[mi]->cycles) : (table ? "-" : ""));
        row.push_back(speedup_cell(res.speedup[mi]));
      }
      cells.push_back(std::move(row));
    }
  } else {
    head = {"network", "variant", "rows", "cols"};
    left = {true, true, false, false};
    if (single) {
      head.push_back("model");
      left.push_back(true);
    }
    for (const char* h : {"layer", "type", "input", "output", "kernel", "stride", "macs"}) {
      head.push_back(h);
      left.push_back(std::string(h) == "layer" || std::string(h) == "type");
    }
    if (single) {
      head.push_back("cycles");
      left.push_back(false);
    } else {
      for (const auto& m : models) {
        head.push_back("cycles(" + m + ")");
        left.push_back(false);
      }
    }
    for (const auto& res : results) {
      const NetworkCost& any = any_cost(res);
      for (size_t li = 0; li < any.layers.size(); ++li) {
        const LayerDesc& l = any.layers[li].layer;
        std::vector<std::string> row = {res.network, res.variant, std::to_string(rows),
                                        std::to_string(cols)};
        if (single) row.push_back(models[0]);
        for (const auto& c : {l.name, std::string(op_name(l.op)), shape(l.cin, l.h, l.w),
                              shape(l.cout, l.ho(), l.wo()), fmt::format("{}x{}", l.kh, l.kw),
                              std::to_string(l.stride), std::to_string(any.layers[li].macs)})
          row.push_back(c);
        for (size_t mi = 0; mi < models.size(); ++mi)
          row.push_back(res.cost[mi] ? std::to_string(res.cost[mi]->layers[li].cycles)
                                     : (table ? "-" : ""));
        cells.push_back(std::move(row));
      }
    }
  }
  if (table)
    print_table(head, left, cells);
  else
    print_csv(head, cells);
  return 0;
}

}  // namespace

FUSEGEN_COMMAND("net", "cycles and speedups of the FuSe network zoo under a latency model",
                run_net);

}  // namespace fusegen::cli
