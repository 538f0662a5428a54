// `fusegen net`: cycles, MACs, speedups, folds, utilization and operand traffic of the network
// zoo (or a SCALE-Sim topology file) under a latency model, one row per (network, variant) or
// per layer, as an aligned table, CSV or JSON; optionally SCALE-Sim-like CSV reports
// (--report-dir) and SVG plots (--plot). Three steps: check the options into a NetRequest,
// evaluate it into NetResults, format them. Nothing is printed or written before all options
// are checked and all networks evaluated; report and plot directories are written
// all-or-nothing.
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
#include "common/json.h"
#include "common/bits.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/text.h"
#include "generator/plot.h"
#include "golden/latency.h"
#include "golden/net_report.h"
#include "golden/topology.h"
#include "golden/zoo.h"
#include "golden/cycle_model.h"

namespace fusegen::cli {
namespace {

// The pseudo-variant of the RTL model: the base network with every KxK depthwise conv mapped
// by ST-OS row decomposition instead of one OS column per channel.
const char* const kBaseStos = kBaseStosVariant;

// Array sizes of the --plot speedup sweep (square arrays).
const std::vector<int> kPlotSizes = {8, 16, 32, 64, 128, 256};

// What to evaluate, checked.
struct NetRequest {
  std::vector<std::string> models;    // "paper", "rtl", ... in column order
  std::vector<std::string> networks;  // zoo networks (empty with a topology)
  std::vector<std::string> variants;  // variants to report, "base" first if present
  std::string topology;               // topology file stem ("" for the zoo)
  std::vector<LayerDesc> topo_layers; // the topology's layers as read
};

// One evaluated (network, variant): one cost per requested model (none where the model does
// not apply, e.g. the paper model has no ST-OS depthwise mapping for base-stos), and the
// model-independent folds and traffic of every layer.
struct NetResult {
  std::string network;                           // zoo name or topology file stem
  std::string variant;                           // zoo variant, "base-stos" or topology variant
  std::vector<std::optional<NetworkCost>> cost;  // per model: per layer and totals
  std::vector<std::optional<double>> speedup;    // per model: base cycles / cycles
  std::vector<LayerTraffic> traffic;             // per layer (empty if not computed)
  LayerTraffic total;                            // sum over layers
};

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

ArrayConfig array_cfg(int rows, int cols) {
  ArrayConfig cfg;
  cfg.rows = rows;
  cfg.cols = cols;
  return cfg;
}

// The model m for a variant on rows x cols (nullptr: not applicable).
std::unique_ptr<LatencyModel> make_model(const std::string& m, const std::string& var, int rows,
                                         int cols) {
  for (const auto& info : latency_models())
    if (info.name == m && var == kBaseStos && !info.costs_stos) return nullptr;
  return make_latency_model(m, rows, cols, var);
}

// The layers of (network, variant): a zoo network, or the topology in that variant.
std::vector<LayerDesc> variant_layers(const NetRequest& req, const std::string& net,
                                      const std::string& var) {
  if (req.topology.empty()) return build_network(net, var == kBaseStos ? "base" : var);
  if (var == "half") return fuse_half_topology(req.topo_layers);
  return req.topo_layers;
}

// Evaluates every (network, variant) of the request on rows x cols; `traffic` adds the
// per-layer folds and traffic (lowering every layer once more).
std::vector<NetResult> evaluate(const NetRequest& req, int rows, int cols, bool traffic) {
  std::vector<NetResult> results;
  const std::vector<std::string> nets =
      req.topology.empty() ? req.networks : std::vector<std::string>{req.topology};
  for (const auto& net : nets) {
    std::vector<int64_t> base;
    for (const auto& m : req.models)
      base.push_back(
          evaluate_network(*make_model(m, "base", rows, cols), variant_layers(req, net, "base"))
              .cycles);
    for (const auto& var : req.variants) {
      NetResult res{net, var, {}, {}, {}, {}};
      const auto layers = variant_layers(req, net, var);
      for (size_t i = 0; i < req.models.size(); ++i) {
        auto model = make_model(req.models[i], var, rows, cols);
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
      if (traffic) {
        const ArrayConfig cfg = array_cfg(rows, cols);
        const DwMapping dw = var == kBaseStos ? DwMapping::Stos : DwMapping::Os;
        for (const auto& l : layers) {
          res.traffic.push_back(layer_traffic(l, cfg, dw));
          res.total.add(res.traffic.back());
        }
      }
      results.push_back(std::move(res));
    }
  }
  return results;
}

// The layer list of a result (identical under every applicable model).
const NetworkCost& any_cost(const NetResult& res) {
  for (const auto& c : res.cost)
    if (c) return *c;
  throw std::logic_error("no model applies");
}

std::string pct(double x) { return fmt::format("{:.2f}", 100.0 * x); }
std::string num(double x) { return fmt::format("{:.4f}", x); }

// --- SCALE-Sim-like reports ------------------------------------------------------------------

// One report row per (network, variant, model, layer), SCALE-Sim's ", " separators and
// trailing comma; the first columns say which run the row belongs to.
void add_reports(OutputSet& out, const NetRequest& req, const std::vector<NetResult>& results,
                 int rows, int cols) {
  const ArrayConfig cfg = array_cfg(rows, cols);
  std::string compute =
      "Network, Variant, Model, Rows, Cols, LayerID, Layer name, Type, Total Cycles, "
      "Stall Cycles, Overall Util %, Mapping Efficiency %, Folds, MACs,\n";
  std::string bandwidth =
      "Network, Variant, Model, Rows, Cols, LayerID, Layer name, Avg IFMAP SRAM BW, "
      "Avg FILTER SRAM BW, Avg OFMAP SRAM BW, IFMAP SRAM Reads, Filter SRAM Reads, "
      "OFMAP SRAM Writes, Bytes per Cycle,\n";
  for (const auto& res : results)
    for (size_t mi = 0; mi < req.models.size(); ++mi) {
      if (!res.cost[mi]) continue;
      const auto& layers = res.cost[mi]->layers;
      for (size_t li = 0; li < layers.size(); ++li) {
        const LayerCost& lc = layers[li];
        const LayerTraffic& t = res.traffic[li];
        const std::string key = fmt::format("{}, {}, {}, {}, {}, {}, {}", res.network,
                                            res.variant, req.models[mi], rows, cols, li,
                                            lc.layer.name);
        const double cyc = static_cast<double>(std::max<int64_t>(lc.cycles, 1));
        compute += fmt::format("{}, {}, {}, 0, {}, {}, {}, {},\n", key, op_name(lc.layer.op),
                               lc.cycles, pct(compute_utilization(lc.macs, lc.cycles, rows, cols)),
                               pct(t.mapping_efficiency(rows, cols)), t.folds, lc.macs);
        bandwidth += fmt::format("{}, {}, {}, {}, {}, {}, {}, {},\n", key,
                                 num(static_cast<double>(t.ifmap_reads) / cyc),
                                 num(static_cast<double>(t.filter_reads) / cyc),
                                 num(static_cast<double>(t.ofmap_writes) / cyc), t.ifmap_reads,
                                 t.filter_reads, t.ofmap_writes,
                                 num(bytes_per_cycle(t, lc.cycles, cfg)));
      }
    }
  out.add("COMPUTE_REPORT.csv", std::move(compute));
  out.add("BANDWIDTH_REPORT.csv", std::move(bandwidth));
}

// --- Plots -------------------------------------------------------------------------------------

// speedup_vs_array.svg: speedup of every non-base variant over base (first model) against the
// array size; layer_cycles.svg: cycles of every layer of the first result, one bar per model.
void add_plots(OutputSet& out, const NetRequest& req, const std::vector<NetResult>& results,
               int rows, int cols) {
  // Speedup sweep: the first model that applies to each (network, variant).
  std::vector<std::string> titles;
  std::vector<std::vector<std::string>> cells(kPlotSizes.size());
  for (size_t si = 0; si < kPlotSizes.size(); ++si) {
    const int n = kPlotSizes[si];
    const auto sweep = evaluate(req, n, n, false);
    cells[si].push_back(std::to_string(n));
    for (const auto& res : sweep) {
      if (res.variant == "base") continue;
      std::optional<double> sp;
      std::string model;
      for (size_t mi = 0; mi < req.models.size() && !sp; ++mi)
        if (res.speedup[mi]) {
          sp = res.speedup[mi];
          model = req.models[mi];
        }
      if (si == 0) titles.push_back(fmt::format("{} {} ({})", res.network, res.variant, model));
      cells[si].push_back(sp ? fmt::format("{:.4f}", *sp) : "NaN");
    }
  }
  std::string dat = "# array";
  for (const auto& t : titles) dat += " \"" + t + "\"";
  dat += "\n";
  for (const auto& row : cells) {
    std::string line;
    for (const auto& c : row) line += (line.empty() ? "" : " ") + c;
    dat += line + "\n";
  }
  std::string gp =
      "# fusegen net --plot: speedup of each variant over the base network vs array size.\n"
      "set terminal svg size 900,600 dynamic noenhanced font 'sans,12'\n"
      "set output 'speedup_vs_array.svg'\n"
      "set title 'Speedup over the base network vs array size (R = C)'\n"
      "set xlabel 'array size (R = C)'\nset ylabel 'speedup (base cycles / cycles)'\n"
      "set logscale x 2\nset xtics (8, 16, 32, 64, 128, 256)\nset grid\n"
      "set key outside right top\nset datafile missing 'NaN'\n";
  if (titles.empty()) {
    gp += "set label 'no variant besides base selected' at graph 0.5, 0.5 center\n"
          "plot [8:256] [0:2] 1 title 'base'\n";
  } else {
    gp += "plot ";
    for (size_t i = 0; i < titles.size(); ++i)
      gp += fmt::format("{}'speedup_vs_array.dat' using 1:{} with linespoints title {}",
                        i ? ", \\\n     " : "", i + 2, gnuplot_quote(titles[i]));
    gp += "\n";
  }
  out.add("speedup_vs_array.dat", dat);
  out.add("speedup_vs_array.gp", gp);
  out.add("speedup_vs_array.svg", render_svg(gp, {{"speedup_vs_array.dat", dat}},
                                             "speedup_vs_array.svg"));

  // Per-layer breakdown of the first result.
  const NetResult& first = results.front();
  const NetworkCost& any = any_cost(first);
  std::vector<size_t> applied;
  for (size_t mi = 0; mi < req.models.size(); ++mi)
    if (first.cost[mi]) applied.push_back(mi);
  std::string ldat = "# index layer";
  for (size_t mi : applied) ldat += " " + req.models[mi];
  ldat += "\n";
  for (size_t li = 0; li < any.layers.size(); ++li) {
    ldat += fmt::format("{} \"{}\"", li, any.layers[li].layer.name);
    for (size_t mi : applied) ldat += fmt::format(" {}", first.cost[mi]->layers[li].cycles);
    ldat += "\n";
  }
  std::string lgp = fmt::format(
      "# fusegen net --plot: cycles of every layer of {} ({}) on {}x{}.\n"
      "set terminal svg size {},600 dynamic noenhanced font 'sans,11'\n"
      "set output 'layer_cycles.svg'\n"
      "set title {}\n"
      "set ylabel 'cycles'\nset style data histograms\nset style histogram clustered gap 1\n"
      "set style fill solid 0.8 border -1\nset boxwidth 0.9\nset xtics rotate by -60 "
      "scale 0 font ',9'\nset grid ytics\nset key top right\n",
      first.network, first.variant, rows, cols,
      std::max<size_t>(900, 16 * any.layers.size() + 200),
      gnuplot_quote(fmt::format("Cycles per layer: {} {}, {}x{} array", first.network,
                                first.variant, rows, cols)));
  lgp += "plot ";
  for (size_t i = 0; i < applied.size(); ++i)
    lgp += fmt::format("{}'layer_cycles.dat' using {}{} title {}", i ? ", \\\n     " : "", i + 3,
                       i == 0 ? ":xtic(2)" : "", gnuplot_quote(req.models[applied[i]]));
  lgp += "\n";
  out.add("layer_cycles.dat", ldat);
  out.add("layer_cycles.gp", lgp);
  out.add("layer_cycles.svg", render_svg(lgp, {{"layer_cycles.dat", ldat}}, "layer_cycles.svg"));
}

// --- Printing ----------------------------------------------------------------------------------

void print_json(const NetRequest& req, const std::vector<NetResult>& results, int rows, int cols,
                bool per_layer) {
  const ArrayConfig cfg = array_cfg(rows, cols);
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& res : results)
    for (size_t mi = 0; mi < req.models.size(); ++mi) {
      if (!res.cost[mi]) continue;
      const NetworkCost& cost = *res.cost[mi];
      // Fields every row starts with, per network or per layer.
      auto row = [&] {
        nlohmann::ordered_json o;
        o["network"] = res.network;
        o["variant"] = res.variant;
        o["rows"] = rows;
        o["cols"] = cols;
        o["model"] = req.models[mi];
        return o;
      };
      // Fields every row ends with: folds, efficiency, utilization, traffic.
      auto stats = [&](nlohmann::ordered_json& o, const LayerTraffic& t, int64_t macs,
                       int64_t cycles) {
        o["folds"] = t.folds;
        o["mapping_efficiency"] = t.mapping_efficiency(rows, cols);
        o["utilization"] = compute_utilization(macs, cycles, rows, cols);
        o["ifmap_reads"] = t.ifmap_reads;
        o["filter_reads"] = t.filter_reads;
        o["ofmap_writes"] = t.ofmap_writes;
        o["bytes_per_cycle"] = bytes_per_cycle(t, cycles, cfg);
      };
      if (!per_layer) {
        nlohmann::ordered_json o = row();
        o["cycles"] = cost.cycles;
        o["macs"] = cost.macs;
        o["speedup"] = res.speedup[mi] ? nlohmann::ordered_json(*res.speedup[mi]) : nullptr;
        stats(o, res.total, cost.macs, cost.cycles);
        out.push_back(std::move(o));
        continue;
      }
      for (size_t li = 0; li < cost.layers.size(); ++li) {
        const LayerCost& lc = cost.layers[li];
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
        stats(o, res.traffic[li], lc.macs, lc.cycles);
        out.push_back(std::move(o));
      }
    }
  fmt::print("{}\n", json_dump(out, 2));
}

void print_rows(const NetRequest& req, const std::vector<NetResult>& results, int rows, int cols,
                bool per_layer, bool table) {
  const ArrayConfig cfg = array_cfg(rows, cols);
  const auto& models = req.models;
  const bool single = models.size() == 1;
  std::vector<std::string> head;
  std::vector<bool> left;
  auto col = [&](const std::string& h, bool l) {
    head.push_back(h);
    left.push_back(l);
  };
  const std::string none = table ? "-" : "";
  auto speedup_cell = [&](const std::optional<double>& sp) {
    return !sp ? none : fmt::format(table ? "{:.2f}x" : "{:.4f}", *sp);
  };
  // Model-independent fold and traffic columns, then per model utilization and bytes/cycle.
  auto stat_head = [&] {
    for (const char* h : {"folds", "map_eff%", "ifmap_rd", "filter_rd", "ofmap_wr"}) col(h, false);
    for (const auto& m : models) {
      col(single ? "util%" : "util%(" + m + ")", false);
      col(single ? "B/cycle" : "B/cycle(" + m + ")", false);
    }
  };
  auto stat_cells = [&](std::vector<std::string>& row, const LayerTraffic& t, int64_t macs,
                        const std::vector<std::optional<int64_t>>& cycles) {
    row.push_back(std::to_string(t.folds));
    row.push_back(pct(t.mapping_efficiency(rows, cols)));
    row.push_back(std::to_string(t.ifmap_reads));
    row.push_back(std::to_string(t.filter_reads));
    row.push_back(std::to_string(t.ofmap_writes));
    for (const auto& c : cycles) {
      row.push_back(c ? pct(compute_utilization(macs, *c, rows, cols)) : none);
      row.push_back(c ? fmt::format("{:.2f}", bytes_per_cycle(t, *c, cfg)) : none);
    }
  };
  std::vector<std::vector<std::string>> cells;
  if (!per_layer) {
    if (single) {
      for (const char* h : {"network", "variant", "rows", "cols", "model", "cycles", "macs",
                            "speedup"})
        col(h, std::string(h) == "network" || std::string(h) == "variant" ||
                   std::string(h) == "model");
    } else {
      for (const char* h : {"network", "variant", "rows", "cols", "macs"})
        col(h, std::string(h) == "network" || std::string(h) == "variant");
      for (const auto& m : models) {
        col("cycles(" + m + ")", false);
        col("speedup(" + m + ")", false);
      }
    }
    stat_head();
    for (const auto& res : results) {
      const NetworkCost& any = any_cost(res);
      std::vector<std::string> row = {res.network, res.variant, std::to_string(rows),
                                      std::to_string(cols)};
      std::vector<std::optional<int64_t>> cycles;
      for (const auto& c : res.cost)
        cycles.push_back(c ? std::optional<int64_t>(c->cycles) : std::nullopt);
      if (single) {
        row.insert(row.end(), {models[0], std::to_string(any.cycles), std::to_string(any.macs),
                               speedup_cell(res.speedup[0])});
      } else {
        row.push_back(std::to_string(any.macs));
        for (size_t mi = 0; mi < models.size(); ++mi) {
          row.push_back(cycles[mi] ? std::to_string(*cycles[mi]) : none);
          row.push_back(speedup_cell(res.speedup[mi]));
        }
      }
      stat_cells(row, res.total, any.macs, cycles);
      cells.push_back(std::move(row));
    }
  } else {
    for (const char* h : {"network", "variant", "rows", "cols"})
      col(h, std::string(h) == "network" || std::string(h) == "variant");
    if (single) col("model", true);
    for (const char* h : {"layer", "type", "input", "output", "kernel", "stride", "macs"})
      col(h, std::string(h) == "layer" || std::string(h) == "type");
    if (single) {
      col("cycles", false);
    } else {
      for (const auto& m : models) col("cycles(" + m + ")", false);
    }
    stat_head();
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
        std::vector<std::optional<int64_t>> cycles;
        for (const auto& c : res.cost)
          cycles.push_back(c ? std::optional<int64_t>(c->layers[li].cycles) : std::nullopt);
        for (const auto& c : cycles) row.push_back(c ? std::to_string(*c) : none);
        stat_cells(row, res.traffic[li], any.layers[li].macs, cycles);
        cells.push_back(std::move(row));
      }
    }
  }
  if (table)
    print_table(head, left, cells);
  else
    print_csv(head, cells);
}

int run_net(int argc, char** argv) {
  cxxopts::Options opts(argv[0],
                        "Cycles, MACs, speedup over the base variant, folds, utilization and "
                        "operand traffic of the network zoo or a SCALE-Sim topology under a "
                        "latency model.");
  opts.add_options()
      ("network", "network name or all: " + join(zoo_networks()),
       cxxopts::value<std::string>()->default_value("all"))
      ("variant", "variant or all: " + [] {
         std::vector<std::string> v;
         for (const auto& x : zoo_variants()) v.push_back(x.name);
         v.push_back(std::string(kBaseStos) + " (rtl model: base with ST-OS depthwise)");
         return join(v);
       }() + "; with --topology: base, half, base-stos or all",
       cxxopts::value<std::string>()->default_value("all"))
      ("array", "array size RxC", cxxopts::value<std::string>()->default_value("64x64"))
      ("model", "latency model: " + [] {
         std::vector<std::string> v;
         for (const auto& m : latency_models()) v.push_back(m.name + " (" + m.description + ")");
         return join(v);
       }() + ", or several side by side: paper,rtl (= both)",
       cxxopts::value<std::string>()->default_value("paper"))
      ("layers", "one row per layer instead of per network")
      ("format", "table, csv or json", cxxopts::value<std::string>()->default_value("table"))
      ("topology", "evaluate a SCALE-Sim topology CSV (conv or GEMM) instead of the zoo",
       cxxopts::value<std::string>())
      ("topology-format", "auto (GEMM if the header has 4 fields), conv or gemm",
       cxxopts::value<std::string>()->default_value("auto"))
      ("output-size", "conv output size of a topology: ceil (SCALE-Sim, ceil((H-K+S)/S)) or "
                      "floor (floor((H-K)/S)+1)",
       cxxopts::value<std::string>()->default_value("ceil"))
      ("report-dir", "also write COMPUTE_REPORT.csv and BANDWIDTH_REPORT.csv (one row per "
                     "layer) into DIR", cxxopts::value<std::string>())
      ("plot", "also write SVG plots (speedup vs array size, cycles per layer) with gnuplot "
               "into DIR", cxxopts::value<std::string>());
  cxxopts::ParseResult r;
  if (!parse_or_help(opts, argc, argv, r)) return 0;

  const auto [rows, cols] = parse_array_size("array", r["array"].as<std::string>());
  const std::string format = check_choice("format", r["format"].as<std::string>(),
                                          {"table", "csv", "json"});
  NetRequest req;
  // Models: one name, a comma-separated list, or "both" (paper,rtl) side by side.
  {
    std::string spec = r["model"].as<std::string>();
    if (spec == "both") spec = "paper,rtl";
    size_t a = 0;
    while (a <= spec.size()) {
      size_t b = spec.find(',', a);
      if (b == std::string::npos) b = spec.size();
      req.models.push_back(spec.substr(a, b - a));
      a = b + 1;
    }
  }
  bool has_stos_model = false;  // some requested model costs the base-stos variant
  for (const auto& m : req.models) {
    const auto& all = latency_models();
    const auto info = std::find_if(all.begin(), all.end(),
                                   [&](const LatencyModelInfo& i) { return i.name == m; });
    if (info == all.end())
      throw Error(fmt::format("unknown latency model '{}': choose one of {} (or several, "
                              "comma-separated, or both)", m, join(latency_model_names())));
    make_latency_model(m, rows, cols, "base");  // rejects an array size it does not cover
    has_stos_model = has_stos_model || info->costs_stos;
  }
  const bool per_layer = r.count("layers") > 0;
  const std::string report_dir = r.count("report-dir") ? r["report-dir"].as<std::string>() : "";
  const std::string plot_dir = r.count("plot") ? r["plot"].as<std::string>() : "";
  if (r.count("report-dir") && report_dir.empty())
    throw Error("--report-dir needs a directory name");
  if (r.count("plot") && plot_dir.empty()) throw Error("--plot needs a directory name");
  if (!plot_dir.empty()) require_gnuplot("plot");

  auto drop_stos_unless_rtl = [&](std::vector<std::string>& vars) {
    if (has_stos_model) return;
    if (r["variant"].as<std::string>() == kBaseStos)
      throw Error("--variant base-stos maps depthwise convs by ST-OS row decomposition, which "
                  "only the rtl model costs: add --model rtl");
    vars.erase(std::remove(vars.begin(), vars.end(), kBaseStos), vars.end());
  };
  if (r.count("topology")) {
    if (r.count("network"))
      throw Error("--topology evaluates one CSV file: it cannot be combined with --network");
    TopologyOptions topt;
    topt.format = parse_topology_format(r["topology-format"].as<std::string>());
    topt.output_size = parse_output_size(r["output-size"].as<std::string>());
    const std::string path = r["topology"].as<std::string>();
    req.topo_layers = read_topology(path, topt);
    req.topology = topology_name(path);
    req.variants = select("variant", r["variant"].as<std::string>(), {"base", "half", kBaseStos});
    drop_stos_unless_rtl(req.variants);
  } else {
    if (r.count("topology-format") || r.count("output-size"))
      throw Error("--topology-format and --output-size describe a --topology file: give one "
                  "with --topology");
    std::vector<std::string> allowed;
    for (const auto& v : zoo_variants()) allowed.push_back(v.name);
    allowed.push_back(kBaseStos);
    req.networks = select("network", r["network"].as<std::string>(), zoo_networks());
    req.variants = select("variant", r["variant"].as<std::string>(), allowed);
    drop_stos_unless_rtl(req.variants);
  }

  const std::vector<NetResult> results = evaluate(req, rows, cols, true);
  OutputSet reports, plots;
  if (!report_dir.empty()) add_reports(reports, req, results, rows, cols);
  if (!plot_dir.empty()) add_plots(plots, req, results, rows, cols);

  // Files first: if a directory cannot be written, the error is all that is printed.
  if (!report_dir.empty()) reports.write_to(report_dir);
  if (!plot_dir.empty()) plots.write_to(plot_dir);
  if (format == "json")
    print_json(req, results, rows, cols, per_layer);
  else
    print_rows(req, results, rows, cols, per_layer, format == "table");
  return 0;
}

}  // namespace

FUSEGEN_COMMAND("net", "cycles, speedups, folds and traffic of the FuSe network zoo or a "
                "SCALE-Sim topology under a latency model", run_net);

}  // namespace fusegen::cli
