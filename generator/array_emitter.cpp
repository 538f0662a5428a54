// ST-OS array emitter: describes one ArrayConfig as a CollateralSpec (modules, ports, the
// protocol latencies of ArrayConfig::latency(), README sections) and lets emit_block() render
// the templates of rtl_templates/array/ and write the shared collateral, so the files,
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

// "asynchronous" / "synchronous": the reset style of the control registers, in prose.
const char* reset_kind(const ArrayConfig& c) {
  return c.reset == ArrayConfig::Reset::kAsync ? "asynchronous" : "synchronous";
}

std::vector<CollateralPort> top_ports(const ArrayConfig& c) {
  const int r = c.rows, k = c.cols, d = c.data_w, a = c.acc_w;
  std::vector<CollateralPort> p = {
      {"clk_i", "input", 1, "1", "clock, rising edge"},
      {"rst_ni", "input", 1, "1",
       std::string(reset_kind(c)) +
           " active-low reset; clears all control state and marks the accumulators empty"},
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
  const ArrayLatency l = c.latency();
  TemplateContext ctx;
  ctx.vars = {{"Name", c.name},
              {"Rows", std::to_string(c.rows)},
              {"Cols", std::to_string(c.cols)},
              {"DataW", std::to_string(c.data_w)},
              {"AccW", std::to_string(c.acc_w)},
              {"RowW", std::to_string(c.row_index_w())},
              {"MacStages", std::to_string(c.mac_stages)},
              {"BcastGroup", std::to_string(c.bcast_group)},
              {"InStage", std::to_string(c.in_stage())},
              {"GemmFirstOut", std::to_string(l.gemm_first_out)},
              {"StosFirstOut", std::to_string(l.stos_first_out)},
              // Reset style of the control registers: the event list of their always blocks.
              {"RstEvent", c.reset == ArrayConfig::Reset::kAsync ? " or negedge rst_ni" : ""},
              {"ResetKind", reset_kind(c)},
              {"TopKind", c.stos ? " with ST-OS row broadcast" : " (plain OS, no ST-OS)"}};
  if (c.stos) ctx.flags.insert("STOS");
  return ctx;
}

std::vector<CollateralLatency> latencies(const ArrayConfig& c) {
  const ArrayLatency l = c.latency();
  const int r = c.rows;
  std::vector<CollateralLatency> v = {
      {"mac_stages", "M", c.mac_stages, "MAC pipeline stages of every PE (operand registers to out_q)"},
      {"input_stage", "I", c.in_stage(), "array input register stage (1 when bcast_group > 0)"},
      {"gemm_operand_edge", "u + 1 + I + i + j", l.operand_edge,
       "edge (ending cycle) at which PE (i,j) registers the operands of a slice at u; value is "
       "the offset for PE (0,0)"},
      {"gemm_handoff_write", "H + I + M + i + j", l.handoff_write,
       "edge at which PE (i,j) writes out_q (value for PE (0,0))"},
      {"gemm_drain_start", "H + I + R + M + j", l.drain_start,
       "first drain cycle of column j (value for j = 0)"},
      {"gemm_first_output", "H + I + R + C + M", l.gemm_first_out,
       "cycle row R-1 is on the port; row R-1-s at +s"},
      {"gemm_last_output", "H + I + 2R + C + M - 1", l.gemm_first_out + r - 1,
       "cycle row 0 is on the port"},
      {"gemm_program_latency", "H_last + I + 2R + C + M", l.gemm_program_tail,
       "cycles from a program's first input to its last result, inclusive (value: minus "
       "H_last)"}};
  if (c.stos) {
    v.push_back({"stos_operand_edge", "u + 1 + I + i", l.operand_edge,
                 "edge at which every PE of row i registers the operands of a tap at u"});
    v.push_back({"stos_handoff_write", "H + I + M + i", l.handoff_write,
                 "edge at which row i writes out_q (value for row 0)"});
    v.push_back({"stos_drain_start", "H + I + R + M", l.drain_start,
                 "first drain cycle of every column"});
    v.push_back({"stos_first_output", "H + I + R + 1 + M", l.stos_first_out,
                 "cycle row R-1 is on the port; row R-1-s at +s"});
    v.push_back({"stos_last_output", "H + I + 2R + M", l.stos_first_out + r - 1,
                 "cycle row 0 is on the port"});
    v.push_back({"stos_program_latency", "H_last + I + 2R + 1 + M", l.stos_program_tail,
                 "cycles from a program's first input to its last result, inclusive (value: "
                 "minus H_last)"});
  }
  v.push_back({"min_handoff_gap", "R", l.min_handoff_gap, "H_g - H_f for consecutive hand-offs"});
  if (c.stos) {
    v.push_back({"gemm_to_stos_handoff_gap", "R + C - 1", l.gemm_to_stos_gap,
                 "H_g - H_f when f is GEMM and g is ST-OS"});
    v.push_back({"gemm_slice_to_stos_tap", "C", l.gemm_to_stos_tap,
                 "cycles from a GEMM slice to the next ST-OS tap"});
  }
  return v;
}

std::string readme_protocol(const ArrayConfig& c) {
  const ArrayLatency l = c.latency();
  const int r = c.rows, k = c.cols;
  std::string s = "## Protocol summary\n\n";
  s += "Inputs presented in cycle `u` are sampled at the rising edge ending `u`; cycle 0 is the\n"
       "first cycle after reset in which inputs are presented. `H` is the cycle of a fold's\n"
       "hand-off slice (`in_en_i = in_last_i = 1`, `in_keep_i = 0`).\n\n";
  s += fmt::format(
      "- MAC pipeline: M = {} stage{} (operand registers to the result register `out_q`);\n"
      "  input stage: I = {} ({}).\n"
      "- GEMM slice at `u`: PE (i, j) registers its operands at the edge ending `u + {} + i + j`\n"
      "  (`u + 1 + I + i + j`) and writes a hand-off into `out_q` at `H + I + M + i + j`. Results\n"
      "  of a fold: on the port at cycles `H + {} + s`, s = 0 .. {}, row `{} - s`\n"
      "  (`H + I + R + C + M + s`).\n",
      c.mac_stages, c.mac_stages == 1 ? "" : "s", c.in_stage(),
      c.in_stage() ? fmt::format("the array registers its inputs; one broadcast register copy "
                                 "per {} columns, {} per row", c.bcast_group, c.bcast_copies())
                   : "`--bcast-group 0`: array inputs not registered",
      l.operand_edge, l.gemm_first_out, r - 1, r - 1);
  if (c.stos)
    s += fmt::format(
        "- ST-OS tap at `u` (`in_mode_i = 1`): every PE of row i registers the tap `w[i]` of\n"
        "  cycle `u` and the row-i element of `a_i` of cycle `u - j` at the edge ending\n"
        "  `u + {} + i`. Results: cycles `H + {} + s`, row `{} - s` (`H + I + R + 1 + M + s`).\n",
        l.operand_edge, l.stos_first_out, r - 1);
  s += fmt::format(
      "- Driver rules: at most one slice/tap per cycle; consecutive hand-offs at least {} cycles\n"
      "  apart (R)",
      l.min_handoff_gap);
  if (c.stos)
    s += fmt::format(
        ", {} (R + C - 1) from a GEMM hand-off to an ST-OS hand-off;\n"
        "  an ST-OS tap at least {} cycles (C) after a GEMM slice",
        l.gemm_to_stos_gap, l.gemm_to_stos_tap);
  s += ";\n  a kept fold is followed by a fold of the same mode. A hand-off closer than that\n"
       "  lands on a column drain and loses a result: simulation stops there (see below).\n";
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
      "`a_i` row i = A[i][k]\nand `b_i` column j = B[k][j]. So H = 2 and PE (i, j) registers "
      "its operands\nat the edges ending cycles `{} + i + j`, `{} + i + j`, `{} + i + j`; its "
      "result\nOut[i][j] = sum_k A[i][k] B[k][j] reaches the port with its row:\n\n",
      c.stos ? ", `in_mode_i = 0`" : "", l.operand_edge, l.operand_edge + 1, l.operand_edge + 2);
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
  s += fmt::format("Program latency: {} cycles (`2 + I + 2R + C + M`).\n\n", 2 + l.gemm_program_tail);
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
    s += fmt::format("Program latency: {} cycles (`H + I + 2R + 1 + M` with H = {}).\n\n",
                     win - 1 + l.stos_program_tail, win - 1);
  }
  return s;
}

CollateralSpec collateral_spec(const ArrayConfig& c) {
  CollateralSpec s;
  s.kind = "array";
  s.name = c.name;
  s.title = fmt::format("{} x {} output-stationary systolic array{}", c.rows, c.cols,
                        c.stos ? " with ST-OS" : " (plain OS, `--no-stos`)");
  s.header_params = c.params();
  s.parameters = {{"name", c.name},     {"rows", c.rows},   {"cols", c.cols},
                  {"data_w", c.data_w}, {"acc_w", c.acc_w}, {"stos", c.stos},
                  {"row_w", c.row_index_w()}, {"mac_stages", c.mac_stages},
                  {"bcast_group", c.bcast_group},
                  {"reset", ArrayConfig::reset_name(c.reset)}};
  const char* what[] = {"input skew / output de-skew delay lines", "processing element",
                        "PE grid, row broadcast lines, column drain",
                        "de-skew, output sequencer and register", "top level (the ports below)"};
  for (size_t i = 0; i < array_module_stems().size(); ++i)
    s.modules.push_back({array_module_stems()[i], what[i]});
  s.ports = top_ports(c);
  s.latencies = latencies(c);
  s.readme_intro = fmt::format(
      "Signed {}-bit operands, {}-bit wrapping accumulators. This file is the cycle-level\n"
      "contract of this size: ports, driver rules, output timing and worked examples.\n",
      c.data_w, c.acc_w);
  s.readme_protocol = readme_protocol(c);
  s.override_note = fmt::format(
      "The sizes of `{0}` (Rows = {1}, Cols = {2}, DataW = {3}, AccW = {4}, RowW = {5},\n"
      "MacStages = {6}, BcastGroup = {7}) are\n"
      "`localparam`s and the port widths are numbers, so they cannot be overridden: Verilator\n"
      "rejects `-GRows=8` (\"Parameters from the command line were not found in the design\"),\n"
      "Icarus warns that the parameter is not found and ignores `-PRows=8`. Regenerate with\n"
      "`fusegen array` for another size.",
      c.top(), c.rows, c.cols, c.data_w, c.acc_w, c.row_index_w(), c.mac_stages, c.bcast_group);
  return s;
}

}  // namespace

const std::vector<std::string>& array_module_stems() {
  static const std::vector<std::string> stems = {"skew", "pe", "array", "collect", "top"};
  return stems;
}

OutputSet emit_array(const ArrayConfig& cfg, const FlowOptions& flow) {
  cfg.validate();
  return emit_block(collateral_spec(cfg), template_context(cfg), flow);
}

}  // namespace fusegen
