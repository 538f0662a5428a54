// ST-OS array emitter: renders each template of rtl_templates/array/ into one file per module
// (prefixed with the configuration name, starting with the generated-file header) and derives
// the collateral from the same ArrayConfig and the protocol's latency formulas, so the files,
// manifest, synthesis script and README of one configuration always agree.
#include "generator/array_emitter.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "generator/collateral.h"
#include "generator/templates.h"
#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

namespace {

struct PortInfo {
  std::string name;        // port name of <name>_top
  std::string dir;         // "input" / "output"
  int width;               // bits for this configuration
  std::string width_expr;  // width as a formula of the parameters
  std::string meaning;     // one line
};

std::vector<PortInfo> top_ports(const ArrayConfig& c) {
  const int r = c.rows, k = c.cols, d = c.data_w, a = c.acc_w;
  std::vector<PortInfo> p = {
      {"clk_i", "input", 1, "1", "clock, rising edge"},
      {"rst_ni", "input", 1, "1",
       "asynchronous active-low reset; clears all control state and accumulators"},
      {"in_en_i", "input", 1, "1", "this cycle carries a MAC slice (GEMM) or a tap (ST-OS)"},
      {"in_last_i", "input", 1, "1", "with in_en_i: last slice/tap of a fold"},
      {"in_keep_i", "input", 1, "1",
       "with in_last_i: keep the accumulators (no hand-off); the next fold adds on"},
  };
  if (c.stos)
    p.push_back({"in_mode_i", "input", 1, "1",
                 "0 = OS GEMM, 1 = ST-OS; qualifies this cycle's en/last/keep"});
  p.push_back({"a_i", "input", r * d, "Rows*DataW", "left edge, row r at [r*DataW +: DataW]"});
  p.push_back({"b_i", "input", k * d, "Cols*DataW", "top edge, column c at [c*DataW +: DataW]"});
  if (c.stos)
    p.push_back({"w_i", "input", r * d, "Rows*DataW",
                 "per-row broadcast tap, row r at [r*DataW +: DataW]"});
  p.push_back({"out_valid_o", "output", 1, "1", "out_data_o holds one row of a finished fold"});
  p.push_back({"out_row_o", "output", c.row_index_w(), "max(1, clog2(Rows))",
               "which array row the vector belongs to"});
  p.push_back({"out_data_o", "output", k * a, "Cols*AccW",
               "column c at [c*AccW +: AccW], signed two's complement"});
  return p;
}

TemplateContext template_context(const ArrayConfig& c) {
  TemplateContext ctx;
  ctx.vars = {{"Name", c.name},
              {"Rows", std::to_string(c.rows)},
              {"Cols", std::to_string(c.cols)},
              {"DataW", std::to_string(c.data_w)},
              {"AccW", std::to_string(c.acc_w)},
              {"RowW", std::to_string(c.row_index_w())},
              {"TopKind", c.stos ? " with ST-OS row broadcast" : " (plain OS, no ST-OS)"}};
  if (c.stos) ctx.flags.insert("STOS");
  return ctx;
}

std::string module_file(const ArrayConfig& c, const std::string& stem) {
  return fmt::format("{}_{}.v", c.name, stem);
}

std::string render_module(const ArrayConfig& c, const std::string& stem) {
  std::string body = render_template(template_text("array/" + stem + ".v"), template_context(c));
  return generated_header("//", fmt::format("module {}_{}", c.name, stem), c.params()) + body;
}

std::string file_list(const ArrayConfig& c) {
  std::string s = generated_header("//", "Verilog file list of " + c.top(), c.params());
  s += "// Paths are relative to this directory (verilator -F, or run from here).\n";
  for (const auto& stem : array_module_stems()) s += module_file(c, stem) + "\n";
  return s;
}

std::string yosys_script(const ArrayConfig& c) {
  std::string s = generated_header("#", "Yosys synthesis script of " + c.top(), c.params());
  s += "#\n"
       "# Generic synthesis for area ESTIMATES, not sign-off numbers: generic gates, no\n"
       "# technology library, no timing. The design is synthesized hierarchically (each\n"
       "# distinct module once, totals over the hierarchy from `stat -top`), which scales to\n"
       "# large arrays; flattening (`synth -flatten`) trims the unused edge registers and\n"
       "# reports about 1 % fewer cells. Run from this directory: yosys -s ";
  s += c.name + ".ys\n";
  s += "read_verilog -DSYNTHESIS";
  for (const auto& stem : array_module_stems()) s += " " + module_file(c, stem);
  s += "\n";
  s += fmt::format("hierarchy -check -top {}\n", c.top());
  s += fmt::format("synth -top {}\n", c.top());
  s += "# Fail the script if any latch was inferred.\n";
  s += "select -assert-none t:$dlatch t:$adlatch t:$dlatchsr t:$_DLATCH_* t:$_DLATCHSR_*\n";
  s += fmt::format("tee -o {}_area.txt stat -top {}\n", c.name, c.top());
  s += fmt::format("write_verilog -noattr {}_netlist.v\n", c.name);
  s += "# Transistor estimate (`stat -tech cmos`: a textbook static-CMOS count per generic\n"
       "# gate). Clock enables are first made explicit 2:1 muxes (dffunmap) so they are\n"
       "# counted; Yosys has no CMOS cost for asynchronously reset flip-flops ($_DFF_PN0_),\n"
       "# so its figure is a lower bound, marked '+'.\n";
  s += "dffunmap\n";
  s += fmt::format("tee -o {}_cmos.txt stat -tech cmos -top {}\n", c.name, c.top());
  return s;
}

nlohmann::ordered_json manifest(const ArrayConfig& c) {
  using nlohmann::ordered_json;
  const ArrayLatency l = array_latency(c);
  ordered_json j;
  j["generator"] = "fusegen";
  j["version"] = version();
  j["kind"] = "array";
  j["top"] = c.top();
  j["parameters"] = {{"name", c.name},          {"rows", c.rows},   {"cols", c.cols},
                     {"data_w", c.data_w},      {"acc_w", c.acc_w}, {"stos", c.stos},
                     {"row_w", c.row_index_w()}};
  ordered_json ports = ordered_json::array();
  for (const auto& p : top_ports(c))
    ports.push_back({{"name", p.name},
                     {"direction", p.dir},
                     {"width", p.width},
                     {"width_formula", p.width_expr},
                     {"meaning", p.meaning}});
  j["ports"] = ports;
  auto entry = [](const char* formula, int value, const char* what) {
    return ordered_json{{"formula", formula}, {"value", value}, {"meaning", what}};
  };
  const int r = c.rows, k = c.cols;
  ordered_json lat;
  lat["protocol"] = "docs/array_protocol.md";
  lat["gemm_mac_edge"] = entry("u + 1 + i + j", 1,
                               "edge (ending cycle) of PE (i,j)'s MAC for a slice at u; value "
                               "is the offset for PE (0,0)");
  lat["gemm_handoff_write"] = entry("H + 1 + i + j", 1, "edge at which PE (i,j) writes out_q");
  lat["gemm_drain_start"] =
      entry("H + R + 1 + j", r + 1, "first drain cycle of column j (value for j = 0)");
  lat["gemm_first_output"] =
      entry("H + R + C + 1", l.gemm_first_out, "cycle row R-1 is on the port; row R-1-s at +s");
  lat["gemm_last_output"] = entry("H + 2R + C", 2 * r + k, "cycle row 0 is on the port");
  lat["gemm_program_latency"] = entry(
      "H_last + 2R + C + 1", l.gemm_program_tail,
      "cycles from a program's first input to its last result, inclusive (value: minus H_last)");
  if (c.stos) {
    lat["stos_mac_edge"] = entry("u + 1 + i", 1, "edge of every PE of row i's MAC for a tap at u");
    lat["stos_handoff_write"] = entry("H + 1 + i", 1, "edge at which row i writes out_q");
    lat["stos_drain_start"] = entry("H + R + 1", r + 1, "first drain cycle of every column");
    lat["stos_first_output"] =
        entry("H + R + 2", l.stos_first_out, "cycle row R-1 is on the port; row R-1-s at +s");
    lat["stos_last_output"] = entry("H + 2R + 1", 2 * r + 1, "cycle row 0 is on the port");
    lat["stos_program_latency"] = entry(
        "H_last + 2R + 2", l.stos_program_tail,
        "cycles from a program's first input to its last result, inclusive (value: minus H_last)");
  }
  lat["min_handoff_gap"] = entry("R", l.min_handoff_gap, "H_g - H_f for consecutive hand-offs");
  if (c.stos) {
    lat["gemm_to_stos_handoff_gap"] =
        entry("R + C - 1", l.gemm_to_stos_gap, "H_g - H_f when f is GEMM and g is ST-OS");
    lat["gemm_slice_to_stos_tap"] =
        entry("C", l.gemm_to_stos_tap, "cycles from a GEMM slice to the next ST-OS tap");
  }
  j["latency"] = lat;
  ordered_json files = ordered_json::array();
  for (const auto& stem : array_module_stems())
    files.push_back({{"path", module_file(c, stem)}, {"module", c.name + "_" + stem}});
  j["files"] = files;
  j["file_list"] = c.name + ".f";
  j["synthesis_script"] = c.name + ".ys";
  return j;
}

std::string readme(const ArrayConfig& c) {
  const ArrayLatency l = array_latency(c);
  const int r = c.rows, k = c.cols;
  std::string s = "<!--\n" + generated_header("", "README of " + c.top(), c.params()) + "-->\n";
  s += fmt::format("# `{}`: {} x {} output-stationary systolic array{}\n\n", c.top(), r, k,
                   c.stos ? " with ST-OS" : " (plain OS, `--no-stos`)");
  s += fmt::format(
      "Signed {}-bit operands, {}-bit wrapping accumulators. The cycle-level contract is\n"
      "`docs/array_protocol.md` of fusegen (normative); this file instantiates it for this "
      "size.\n\n",
      c.data_w, c.acc_w);
  s += "## Files\n\n";
  s += "| file | contents |\n| --- | --- |\n";
  const char* what[] = {"input skew / output de-skew delay lines", "processing element",
                        "PE grid, row broadcast lines, column drain",
                        "de-skew, output sequencer and register", "top level (the ports below)"};
  for (size_t i = 0; i < array_module_stems().size(); ++i)
    s += fmt::format("| `{}` | `{}_{}`: {} |\n", module_file(c, array_module_stems()[i]), c.name,
                     array_module_stems()[i], what[i]);
  s += fmt::format("| `{}.f` | file list (`verilator -F {}.f`) |\n", c.name, c.name);
  s += fmt::format("| `{}.json` | manifest: parameters, ports, latencies |\n", c.name);
  s += fmt::format(
      "| `{0}.ys` | Yosys area estimate: `yosys -s {0}.ys` writes `{0}_area.txt`, "
      "`{0}_cmos.txt` and `{0}_netlist.v` |\n\n",
      c.name);
  s += fmt::format(
      "## Ports of `{}`\n\n| port | dir | width | meaning |\n| --- | --- | --- | --- |\n", c.top());
  for (const auto& p : top_ports(c))
    s += fmt::format(
        "| `{}` | {} | {} | {} |\n", p.name, p.dir,
        p.width_expr == "1" ? std::string("1") : fmt::format("{} = {}", p.width_expr, p.width),
        p.meaning);
  s += "\n## Protocol summary\n\n";
  s += "Inputs presented in cycle `u` are sampled at the rising edge ending `u`; cycle 0 is the\n"
       "first cycle after reset in which inputs are presented. `H` is the cycle of a fold's\n"
       "hand-off slice (`in_en_i = in_last_i = 1`, `in_keep_i = 0`).\n\n";
  s += fmt::format(
      "- GEMM slice at `u`: PE (i, j) MACs at the edge ending `u + 1 + i + j`. Results of a\n"
      "  fold: on the port at cycles `H + {} + s`, s = 0 .. {}, row `{} - s` (`H + R + C + 1 + "
      "s`).\n",
      l.gemm_first_out, r - 1, r - 1);
  if (c.stos)
    s += fmt::format(
        "- ST-OS tap at `u` (`in_mode_i = 1`): every PE of row i MACs at the edge ending\n"
        "  `u + 1 + i` with the tap `w[i]` of cycle `u` and the row-i element of `a_i` of cycle\n"
        "  `u - j`. Results: cycles `H + {} + s`, row `{} - s` (`H + R + 2 + s`).\n",
        l.stos_first_out, r - 1);
  s += fmt::format(
      "- Driver rules: at most one slice/tap per cycle; consecutive hand-offs at least {} cycles\n"
      "  apart (R)",
      l.min_handoff_gap);
  if (c.stos)
    s += fmt::format(
        ", {} (R + C - 1) from a GEMM hand-off to an ST-OS hand-off;\n"
        "  an ST-OS tap at least {} cycles (C) after a GEMM slice",
        l.gemm_to_stos_gap, l.gemm_to_stos_tap);
  s += ";\n  a kept fold is followed by a fold of the same mode.\n";
  s += fmt::format(
      "- Program latency (first input to last result, inclusive): `H_last + {}`\n"
      "  after a GEMM hand-off",
      l.gemm_program_tail);
  if (c.stos) s += fmt::format(", `H_last + {}` after an ST-OS hand-off", l.stos_program_tail);
  s += ".\n\n";

  s += "## Timing example: a 3-slice GEMM fold\n\n";
  s += fmt::format(
      "Slices k = 0, 1, 2 at cycles 0, 1, 2 (`in_en_i = 1`{}; `in_last_i = 1`,\n"
      "`in_keep_i = 0` at cycle 2), with "
      "`a_i` row i = A[i][k]\nand `b_i` column j = B[k][j]. So H = 2 and PE (i, j) performs its\n"
      "MACs at the edges ending cycles `1 + i + j`, `2 + i + j`, `3 + i + j`; its result\n"
      "Out[i][j] = sum_k A[i][k] B[k][j] reaches the port with its row:\n\n",
      c.stos ? ", `in_mode_i = 0`" : "");
  s += "| cycle | `out_valid_o` | `out_row_o` |\n| --- | --- | --- |\n";
  auto rows_table = [&](int first) {
    std::string t;
    if (first > 0) t += fmt::format("| 0 .. {} | 0 | - |\n", first - 1);
    for (int i = 0; i < r; ++i) {
      if (r > 8 && i == 3) {
        t += "| ... | 1 | ... |\n";
        i = r - 3;
      }
      t += fmt::format("| {} | 1 | {} |\n", first + i, r - 1 - i);
    }
    t += fmt::format("| {} .. | 0 | - |\n\n", first + r);
    return t;
  };
  s += rows_table(2 + l.gemm_first_out);
  s += fmt::format("Program latency: {} cycles (`2 + 2R + C + 1`).\n\n", 2 + l.gemm_program_tail);
  if (c.stos) {
    const int win = k + 2;  // C + K - 1 elements for K = 3
    s += "## Timing example: an ST-OS tile with K = 3\n\n";
    s += fmt::format(
        "Each row i streams its input line `x_i[0 .. {}]` (C + K - 1 = {} elements) on `a_i` at\n"
        "cycles 0 .. {}, one element per cycle. The taps `f_i[0], f_i[1], f_i[2]` go on `w_i`\n"
        "at cycles {} .. {} (the last K cycles), with `in_en_i = in_mode_i = 1` there and\n"
        "`in_last_i = 1`, `in_keep_i = 0` at cycle {}. So H = {}; column j of row i accumulates\n"
        "`y_i[{} - j] = sum_k f_i[k] x_i[{} - j + k]` (outputs in reverse column order), and the\n"
        "rows reach the port at:\n\n",
        win - 1, win, win - 1, win - 3, win - 1, win - 1, win - 1, k - 1, k - 1);
    s += "| cycle | `out_valid_o` | `out_row_o` |\n| --- | --- | --- |\n";
    s += rows_table(win - 1 + l.stos_first_out);
    s += fmt::format("Program latency: {} cycles (`H + 2R + 2` with H = {}).\n\n",
                     win - 1 + l.stos_program_tail, win - 1);
  }
  s += "## Checks\n\n";
  s += fmt::format(
      "```sh\nverilator --lint-only -Wall --default-language 1364-2005 --top-module {top} -F "
      "{n}.f\n"
      "iverilog -g2005 -s {top} -o /dev/null -c {n}.f\n"
      "yosys -q -s {n}.ys    # area estimate, fails if a latch is inferred\n```\n",
      fmt::arg("top", c.top()), fmt::arg("n", c.name));
  return s;
}

}  // namespace

const std::vector<std::string>& array_module_stems() {
  static const std::vector<std::string> stems = {"skew", "pe", "array", "collect", "top"};
  return stems;
}

ArrayLatency array_latency(const ArrayConfig& c) {
  ArrayLatency l;
  l.gemm_first_out = c.rows + c.cols + 1;
  l.stos_first_out = c.rows + 2;
  l.gemm_program_tail = 2 * c.rows + c.cols + 1;
  l.stos_program_tail = 2 * c.rows + 2;
  l.min_handoff_gap = c.rows;
  l.gemm_to_stos_gap = c.rows + c.cols - 1;
  l.gemm_to_stos_tap = c.cols;
  return l;
}

OutputSet emit_array(const ArrayConfig& cfg) {
  cfg.validate();
  OutputSet out;
  for (const auto& stem : array_module_stems())
    out.add(module_file(cfg, stem), render_module(cfg, stem));
  out.add(cfg.name + ".f", file_list(cfg));
  out.add(cfg.name + ".json", manifest(cfg).dump(2) + "\n");
  out.add(cfg.name + ".ys", yosys_script(cfg));
  out.add("README.md", readme(cfg));
  return out;
}

}  // namespace fusegen
