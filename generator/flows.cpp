// Flow collateral (see flows.h): the ASIC, iCE40 and Xilinx 7-series scripts of one
// configuration, derived from its CollateralSpec (top, ports, files) and FlowOptions. Every
// driver changes to its own directory first, so `bash DIR/NAME.<flow>.sh` works from anywhere,
// and prints one line of key=value pairs.
#include "generator/flows.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "common/error.h"
#include "generator/collateral.h"

namespace fusegen {

double default_clock_period_ns(const std::string& kind) {
  return kind == "nullcache" ? 4.0 : 3.0;
}

std::string liberty_inverter(const std::string& text) {
  // Scan cell groups: name, area, pins with their direction and function.
  static const std::regex cell_re(R"re(\bcell\s*\(\s*"?([A-Za-z0-9_]+)"?\s*\))re");
  std::string best;
  double best_area = 0;
  auto it = std::sregex_iterator(text.begin(), text.end(), cell_re);
  for (; it != std::sregex_iterator(); ++it) {
    const size_t start = it->position(0);
    auto next = std::next(it);
    const size_t end = next == std::sregex_iterator() ? text.size() : next->position(0);
    const std::string body = text.substr(start, end - start);
    static const std::regex dir_re(R"re(\bdirection\s*:\s*"?(input|output)"?)re");
    int inputs = 0, outputs = 0;
    for (auto d = std::sregex_iterator(body.begin(), body.end(), dir_re);
         d != std::sregex_iterator(); ++d)
      ((*d)[1] == "input" ? inputs : outputs)++;
    if (inputs != 1 || outputs != 1) continue;
    static const std::regex fn_re(
        R"re(\bfunction\s*:\s*"\s*\(?\s*(!\s*[A-Za-z0-9_]+|[A-Za-z0-9_]+\s*')\s*\)?\s*")re");
    if (!std::regex_search(body, fn_re)) continue;
    static const std::regex area_re(R"re(\barea\s*:\s*([0-9.eE+-]+))re");
    std::smatch a;
    const double area = std::regex_search(body, a, area_re) ? std::stod(a[1]) : 0;
    if (best.empty() || area < best_area) {
      best = (*it)[1];
      best_area = area;
    }
  }
  return best;
}

FlowOptions resolve_flow_options(const std::string& liberty, double period_ns) {
  FlowOptions f;
  if (period_ns != 0 && !(period_ns >= kMinClockPeriodNs && period_ns <= kMaxClockPeriodNs))
    throw Error(fmt::format("--clock-period {} is out of range: allowed {}..{} (ns)", period_ns,
                            kMinClockPeriodNs, kMaxClockPeriodNs));
  f.clock_period_ns = period_ns;
  if (liberty.empty()) return f;
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(liberty, ec))
    throw Error(fmt::format("--liberty '{}' is not a readable file: give a Liberty (.lib) "
                            "library", liberty));
  std::ifstream in(liberty, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in || ss.str().empty())
    throw Error(fmt::format("--liberty '{}' cannot be read", liberty));
  const std::string text = ss.str();
  if (!std::regex_search(text, std::regex(R"(\blibrary\s*\()")))
    throw Error(fmt::format("--liberty '{}' is not a Liberty library (no 'library (' group)",
                            liberty));
  f.driving_cell = liberty_inverter(text);
  if (f.driving_cell.empty())
    throw Error(fmt::format("--liberty '{}' has no inverter cell (one input, function !A): "
                            "the flow drives the inputs with one",
                            liberty));
  f.liberty = fs::absolute(liberty).lexically_normal().string();
  if (f.liberty.find_first_of(" \t\n\"'\\$`") != std::string::npos)
    throw Error(fmt::format("--liberty '{}': the path must not contain spaces, quotes, '$', "
                            "'`' or '\\' (it is written into scripts)",
                            liberty));
  return f;
}

namespace {

double period_of(const CollateralSpec& s, const FlowOptions& f) {
  return f.clock_period_ns > 0 ? f.clock_period_ns : default_clock_period_ns(s.kind);
}

// The flow files' header: the configuration's parameters plus the flow's.
std::string flow_header(const std::string& comment, const std::string& what,
                        const CollateralSpec& s, const FlowOptions& f) {
  ParamList p = s.header_params;
  p.push_back({"Liberty", f.liberty});
  p.push_back({"ClockPeriodNs", fmt::format("{:.3f}", period_of(s, f))});
  return generated_header(comment, what, p);
}

std::string rtl_list(const CollateralSpec& s) {
  std::string t;
  for (const auto& file : collateral_rtl_files(s)) t += (t.empty() ? "" : " ") + file;
  return t;
}

// Lines every driver starts with: strict mode, its own directory, the tools it needs.
std::string driver_prologue(const std::string& script, const std::string& tools) {
  return fmt::format(
      "set -euo pipefail\n"
      "cd \"$(dirname \"${{BASH_SOURCE[0]}}\")\"\n"
      "for tool in {1}; do\n"
      "  command -v \"$tool\" >/dev/null ||\n"
      "    {{ echo \"{0}: '$tool' not found (scripts/setup.sh of fusegen installs it)\" >&2; "
      "exit 1; }}\n"
      "done\n",
      script, tools);
}

// ---------------------------------------------------------------- ASIC

// ABC script of the ASIC flow ({D}: the delay target Yosys passes): qflow 1.3's mapping
// (strash; scorr; ifraig; retime; strash; dch -f; map -M 1), then buffering and sizing.
constexpr const char* kAbcScript =
    "+strash;scorr;ifraig;retime,{D};strash;dch,-f;map,-M,1,{D};buffer;upsize,{D};dnsize,{D};"
    "stime,-p";

std::string asic_ys(const CollateralSpec& s, const FlowOptions& f) {
  const std::string n = s.name, lib = f.liberty;
  std::string t = flow_header("#", "ASIC synthesis script of " + s.top(), s, f);
  t += fmt::format(
      "#\n"
      "# Flat synthesis onto the Liberty library. ABC runs the mapping script of qflow's\n"
      "# `synthesize` (delay-oriented `map` for the clock period: Yosys's default `&nf` script\n"
      "# maps the array's accumulators about a third slower) and then, given the constraints\n"
      "# file (driving cell, output load), inserts fan-out buffers and up- and down-sizes gates\n"
      "# (`buffer; upsize; dnsize; stime`). No tie cells are\n"
      "# needed: constants stay constant nets (1'h0 / 1'h1) in the netlist. Run by {0}.asic.sh,\n"
      "# or: (cd DIR && yosys -q -s {0}.asic.ys)\n",
      n);
  t += "read_verilog -DSYNTHESIS " + rtl_list(s) + "\n";
  t += fmt::format("hierarchy -check -top {}\n", s.top());
  t += fmt::format("synth -flatten -top {}\n", s.top());
  t += fmt::format("dfflibmap -liberty {}\n", lib);
  t += fmt::format("abc -D {} -liberty {} -constr {}.abc.constr -script {}\n",
                   std::lround(period_of(s, f) * 1000), lib, n, kAbcScript);
  t += "opt_clean\n";
  t += "# Fail if a generic (unmapped) cell is left, e.g. a flip-flop kind the library lacks.\n";
  t += "select -assert-none t:$_*\n";
  t += fmt::format("tee -o {}_asic_area.txt stat -liberty {}\n", n, lib);
  t += fmt::format("write_verilog -noattr -noexpr {}_asic_netlist.v\n", n);
  return t;
}

std::string abc_constr(const CollateralSpec& s, const FlowOptions& f) {
  std::string t = flow_header("#", "ABC timing constraints of " + s.top(), s, f);
  t += "# Inputs are driven by the library's smallest inverter; every output drives 20 fF.\n";
  t += fmt::format("set_driving_cell {}\nset_load 20.0\n", f.driving_cell);
  return t;
}

std::string sdc(const CollateralSpec& s, const FlowOptions& f) {
  std::string t = flow_header("#", "timing constraints (SDC) of " + s.top(), s, f);
  t += "#\n"
       "# Ideal clock on clk_i. Input and output delays are 0 (the port is a register of the\n"
       "# surrounding design at the clock edge), so every path is timed against the full period\n"
       "# and Fmax = 1 / (period - worst slack) holds for register and port paths alike. The\n"
       "# asynchronous reset is not timed and, like the clock, has no driving cell: its tree is\n"
       "# built at layout (an unbuffered net to every reset pin would have an absurd slew, and\n"
       "# the flip-flops' internal power with it).\n";
  t += "set_units -time ns -capacitance pF\n";
  t += fmt::format("create_clock -name clk -period {:.3f} [get_ports clk_i]\n", period_of(s, f));
  t += "set_input_delay 0 -clock clk [delete_from_list [all_inputs] [get_ports clk_i]]\n";
  t += "set_output_delay 0 -clock clk [all_outputs]\n";
  t += fmt::format(
      "set_driving_cell -lib_cell {} \\\n"
      "  [delete_from_list [all_inputs] [get_ports {{clk_i rst_ni}}]]\n",
      f.driving_cell);
  t += "set_load 0.020 [all_outputs]\n";
  t += "set_false_path -from [get_ports rst_ni]\n";
  return t;
}

std::string sta_tcl(const CollateralSpec& s, const FlowOptions& f) {
  const std::string n = s.name;
  std::string t = flow_header("#", "OpenSTA script of " + s.top(), s, f);
  t += fmt::format(
      "#\n"
      "# Reads the netlist of {0}.asic.ys and prints the worst path, the power report and one\n"
      "# line 'fusegen_sta: period_ns=.. slack_ns=.. fmax_mhz=.. power_mw=..'. Power: OpenSTA's\n"
      "# estimate at the SDC clock with a default activity of 0.1 toggles per clock on every\n"
      "# net without a propagated one (the reset: 0). Run by {0}.asic.sh, or: (cd DIR && sta -no_splash -exit\n"
      "# {0}.sta.tcl). Written for the OpenSTA of Debian 12 (package opensta).\n",
      n);
  t += fmt::format("read_liberty {}\n", f.liberty);
  t += fmt::format("read_verilog {}_asic_netlist.v\n", n);
  t += fmt::format("link_design {}\n", s.top());
  t += fmt::format("read_sdc {}.sdc\n", n);
  t += "set_power_activity -global -activity 0.1\n";
  t += "set_power_activity -input_ports rst_ni -activity 0\n";
  t += "report_checks -path_delay max -digits 3\n";
  t += "report_power\n";
  t += fmt::format(
      "set period {:.3f}\n"
      "set slack [expr {{[sta::worst_slack_cmd max] * 1e9}}]\n"
      "set power [expr {{[lindex [sta::design_power [sta::cmd_corner]] 3] * 1e3}}]\n"
      "puts [format \"fusegen_sta: period_ns=%.3f slack_ns=%.3f fmax_mhz=%.1f power_mw=%.3f\" \\\n"
      "      $period $slack [expr {{1000.0 / ($period - $slack)}}] $power]\n",
      period_of(s, f));
  return t;
}

std::string asic_sh(const CollateralSpec& s, const FlowOptions& f) {
  const std::string n = s.name;
  std::string t = flow_header("#", "ASIC flow driver of " + s.top(), s, f);
  t += fmt::format(
      "#\n"
      "# bash DIR/{0}.asic.sh   (from any directory; writes {0}_asic.log, {0}_asic_area.txt,\n"
      "# {0}_asic_netlist.v and {0}_sta.log here). Yosys maps {1} onto the Liberty library\n"
      "# ({0}.asic.ys), OpenSTA times it ({0}.sta.tcl, {0}.sdc); prints one line:\n"
      "# asic {1}: period_ns= slack_ns= fmax_mhz= power_mw= area_um2= cells=\n"
      "# (area: the sum of the Liberty cell areas, from Yosys stat -liberty).\n",
      n, s.top());
  t += driver_prologue(n + ".asic.sh", "yosys sta");
  t += fmt::format(
      "lib={1}\n"
      "[ -r \"$lib\" ] || {{ echo \"{0}.asic.sh: cannot read the Liberty library $lib (Debian: "
      "qflow-tech-osu018; or regenerate with --liberty FILE)\" >&2; exit 1; }}\n"
      "yosys -q -l {0}_asic.log -s {0}.asic.ys >/dev/null ||\n"
      "  {{ echo \"{0}.asic.sh: synthesis failed, see {0}_asic.log\" >&2; exit 1; }}\n"
      "sta -no_splash -exit {0}.sta.tcl >{0}_sta.log 2>&1 || true\n"
      "sum=$(grep '^fusegen_sta:' {0}_sta.log) ||\n"
      "  {{ echo \"{0}.asic.sh: timing analysis failed, see {0}_sta.log\" >&2; exit 1; }}\n"
      "area=$(awk '/Chip area for module/ {{print $NF; exit}}' {0}_asic_area.txt)\n"
      "cells=$(awk '/Number of cells:/ {{print $NF; exit}}' {0}_asic_area.txt)\n"
      "echo \"asic {2}: ${{sum#fusegen_sta: }} area_um2=${{area%%.*}} cells=$cells\"\n",
      n, f.liberty, s.top());
  return t;
}

// ---------------------------------------------------------------- iCE40

const CollateralPort& port_named(const CollateralSpec& s, const std::string& name) {
  for (const auto& p : s.ports)
    if (p.name == name) return p;
  throw std::logic_error("flows: the top of " + s.name + " has no port " + name);
}

std::string ice40_harness(const CollateralSpec& s, const FlowOptions& f) {
  port_named(s, "clk_i");
  port_named(s, "rst_ni");
  int in_w = 0, out_w = 0;
  std::string conns;
  for (const auto& p : s.ports) {
    if (p.name == "clk_i" || p.name == "rst_ni") continue;
    const bool in = p.direction == "input";
    int& at = in ? in_w : out_w;
    const std::string bus = in ? "in_q" : "out_d";
    const std::string slice = p.width == 1 ? fmt::format("{}[{}]", bus, at)
                                           : fmt::format("{}[{}:{}]", bus, at + p.width - 1, at);
    conns += fmt::format(",\n    .{}({})", p.name, slice);
    at += p.width;
  }
  auto shift = [](const std::string& reg, int w, const std::string& in) {
    return w == 1 ? in : fmt::format("{{{}[{}:0], {}}}", reg, w - 2, in);
  };
  std::string t = flow_header("//", "iCE40 measurement harness of " + s.top(), s, f);
  t += fmt::format(
      "//\n"
      "// {0} has {1} input and {2} output bits besides the clock and the reset, more than an\n"
      "// iCE40 package has pins. This wrapper has five: clk_i, rst_ni, sin_i, load_i, sout_o.\n"
      "// Inputs: sin_i shifts into an {1}-bit register each clock; load_i copies it into the\n"
      "// register that drives the top's inputs. Outputs: every clock the top's outputs are\n"
      "// registered; load_i copies them into a shift register that shifts out on sout_o,\n"
      "// most significant bit first. The reset is registered too. So every input and output of\n"
      "// the top is a register of the harness and the timed paths are the top's own (plus one\n"
      "// register-to-register hop at each port). Bit order of in_q and out_d: the ports of\n"
      "// {0} in the manifest's order, least significant first.\n"
      "module {3}_ice40_harness (\n"
      "  input  wire clk_i,\n"
      "  input  wire rst_ni,\n"
      "  input  wire sin_i,\n"
      "  input  wire load_i,\n"
      "  output wire sout_o\n"
      ");\n"
      "  localparam integer InW = {1};\n"
      "  localparam integer OutW = {2};\n"
      "  reg            rst_q;\n"
      "  reg [InW-1:0]  shift_in_q;\n"
      "  reg [InW-1:0]  in_q;\n"
      "  reg [OutW-1:0] out_q;\n"
      "  reg [OutW-1:0] shift_out_q;\n"
      "  wire [OutW-1:0] out_d;\n"
      "\n"
      "  always @(posedge clk_i) begin\n"
      "    rst_q <= rst_ni;\n"
      "    shift_in_q <= {4};\n"
      "    if (load_i) in_q <= shift_in_q;\n"
      "    out_q <= out_d;\n"
      "    shift_out_q <= load_i ? out_q : {5};\n"
      "  end\n"
      "  assign sout_o = shift_out_q[OutW-1];\n"
      "\n"
      "  {0} u_top (\n"
      "    .clk_i(clk_i),\n"
      "    .rst_ni(rst_q){6}\n"
      "  );\n"
      "endmodule\n",
      s.top(), in_w, out_w, s.name, shift("shift_in_q", in_w, "sin_i"),
      shift("shift_out_q", out_w, "1'b0"), conns);
  return t;
}

std::string ice40_sh(const CollateralSpec& s, const FlowOptions& f) {
  const std::string n = s.name;
  std::string t = flow_header("#", "iCE40 flow driver of " + s.top(), s, f);
  t += fmt::format(
      "#\n"
      "# bash DIR/{0}.ice40.sh [up5k|hx8k] [--synth-only]   (from any directory; default up5k)\n"
      "# Yosys synth_ice40 (-dsp on the UP5K: multipliers become SB_MAC16) of the measurement\n"
      "# harness {0}_ice40_harness around {1}, then nextpnr-ice40 (UP5K: --up5k --package sg48,\n"
      "# HX8K: --hx8k --package ct256; I/O placed by nextpnr) and its timing analysis. Writes\n"
      "# {0}_ice40_<device>.json, _yosys.log, _pnr.log here; prints one line:\n"
      "# ice40 {1}: device= lc= dsp= fmax_mhz=   (--synth-only: luts= ffs= carry= dsp=).\n"
      "# lc counts the harness's registers too (about two per input and output bit).\n",
      n, s.top());
  t += "device=up5k\nsynth_only=0\n";
  t += "for arg in \"$@\"; do\n"
       "  case $arg in\n"
       "    up5k|hx8k) device=$arg ;;\n"
       "    --synth-only) synth_only=1 ;;\n"
       "    *) echo \"usage: " + n + ".ice40.sh [up5k|hx8k] [--synth-only]\" >&2; exit 2 ;;\n"
       "  esac\n"
       "done\n";
  t += driver_prologue(n + ".ice40.sh", "yosys nextpnr-ice40");
  t += fmt::format(
      "if [ $device = up5k ]; then dsp=-dsp; pnr=\"--up5k --package sg48\"; "
      "else dsp=; pnr=\"--hx8k --package ct256\"; fi\n"
      "out={0}_ice40_$device\n"
      "yosys -q -l ${{out}}_yosys.log -p \"read_verilog -DSYNTHESIS {2} {0}_ice40_harness.v; "
      "synth_ice40 $dsp -top {0}_ice40_harness -json $out.json; tee -o ${{out}}_stat.txt stat\" "
      ">/dev/null ||\n"
      "  {{ echo \"{0}.ice40.sh: synthesis failed, see ${{out}}_yosys.log\" >&2; exit 1; }}\n"
      "count() {{ awk -v re=\"$1\" '$1 ~ re {{n += $2}} END {{print n + 0}}' ${{out}}_stat.txt; }}\n"
      "if [ $synth_only = 1 ]; then\n"
      "  echo \"ice40 {1}: device=$device luts=$(count '^SB_LUT4$') ffs=$(count '^SB_DFF') "
      "carry=$(count '^SB_CARRY$') dsp=$(count '^SB_MAC16$')\"\n"
      "  exit 0\n"
      "fi\n"
      "# shellcheck disable=SC2086\n"
      "nextpnr-ice40 $pnr --json $out.json --freq 50 --timing-allow-fail "
      "--log ${{out}}_pnr.log --quiet >/dev/null 2>&1 ||\n"
      "  {{ echo \"{0}.ice40.sh: place and route failed (does it fit the $device?), see "
      "${{out}}_pnr.log\" >&2; exit 1; }}\n"
      "used() {{ awk -v re=\"$1:\" '$2 == re {{sub(\"/\", \"\", $3); print $3; exit}}' "
      "${{out}}_pnr.log; }}\n"
      "lc=$(used ICESTORM_LC)\n"
      "dsps=$(used ICESTORM_DSP)\n"
      "# The last report is after routing.\n"
      "fmax=$(awk '/Max frequency for clock/ {{for (i = 2; i <= NF; i++) if ($i == \"MHz\") "
      "{{f = $(i-1); break}}}} END {{print f}}' ${{out}}_pnr.log)\n"
      "[ -n \"$fmax\" ] || {{ echo \"{0}.ice40.sh: no Fmax in ${{out}}_pnr.log\" >&2; exit 1; }}\n"
      "echo \"ice40 {1}: device=$device lc=${{lc:-0}} dsp=${{dsps:-0}} fmax_mhz=$fmax\"\n",
      n, s.top(), rtl_list(s));
  return t;
}

// ---------------------------------------------------------------- Xilinx 7-series

std::string xc7_ys(const CollateralSpec& s, const FlowOptions& f) {
  const std::string n = s.name;
  std::string t = flow_header("#", "Xilinx 7-series synthesis script of " + s.top(), s, f);
  t += fmt::format(
      "#\n"
      "# Flat synthesis, resource counts only: no open place and route exists for the 7 series here, so no\n"
      "# timing. Run by {0}.xc7.sh, or: (cd DIR && yosys -q -s {0}.xc7.ys)\n",
      n);
  t += "read_verilog -DSYNTHESIS " + rtl_list(s) + "\n";
  t += fmt::format("synth_xilinx -family xc7 -flatten -top {}\n", s.top());
  t += fmt::format("tee -o {}_xc7_stat.txt stat\n", n);
  return t;
}

std::string xc7_sh(const CollateralSpec& s, const FlowOptions& f) {
  const std::string n = s.name;
  std::string t = flow_header("#", "Xilinx 7-series resource count driver of " + s.top(), s, f);
  t += fmt::format(
      "#\n"
      "# bash DIR/{0}.xc7.sh   (from any directory; writes {0}_xc7.log, {0}_xc7_stat.txt here)\n"
      "# prints one line: xc7 {1}: lut= ff= dsp48e1= bram= carry4= srl= lutram=\n"
      "# (bram counts RAMB18E1 + RAMB36E1; srl SRL16E/SRLC32E; lutram the RAM* LUT memories).\n",
      n, s.top());
  t += driver_prologue(n + ".xc7.sh", "yosys");
  t += fmt::format(
      "yosys -q -l {0}_xc7.log -s {0}.xc7.ys >/dev/null ||\n"
      "  {{ echo \"{0}.xc7.sh: synthesis failed, see {0}_xc7.log\" >&2; exit 1; }}\n"
      "count() {{ awk -v re=\"$1\" '$1 ~ re {{n += $2}} END {{print n + 0}}' {0}_xc7_stat.txt; }}\n"
      "echo \"xc7 {1}: lut=$(count '^LUT[1-6]$') ff=$(count '^FD[A-Z]*$') "
      "dsp48e1=$(count '^DSP48E1$') bram=$(count '^RAMB(18|36)E1$') carry4=$(count '^CARRY4$') "
      "srl=$(count '^SRL') lutram=$(count '^RAM(32|64|128|256)')\"\n",
      n, s.top());
  return t;
}

}  // namespace

std::vector<FlowFile> flow_files(const CollateralSpec& s, const FlowOptions& f) {
  const std::string n = s.name;
  return {
      {n + ".asic.sh", "ASIC flow driver: synthesis + STA, one summary line", asic_sh(s, f)},
      {n + ".asic.ys", "Yosys: flat synthesis onto the Liberty library (buffering, sizing)",
       asic_ys(s, f)},
      {n + ".abc.constr", "ABC constraints: driving cell and output load", abc_constr(s, f)},
      {n + ".sdc", "SDC: clock on clk_i, input/output delays, drive and load", sdc(s, f)},
      {n + ".sta.tcl", "OpenSTA: worst path, slack, Fmax, power", sta_tcl(s, f)},
      {n + "_ice40_harness.v", "iCE40 measurement harness (5 pins, serial I/O)",
       ice40_harness(s, f)},
      {n + ".ice40.sh", "iCE40 flow driver: synth_ice40 + nextpnr-ice40 (UP5K or HX8K)",
       ice40_sh(s, f)},
      {n + ".xc7.ys", "Yosys: synth_xilinx -family xc7 (resource counts)", xc7_ys(s, f)},
      {n + ".xc7.sh", "Xilinx 7-series resource count driver", xc7_sh(s, f)},
  };
}

nlohmann::ordered_json flow_manifest(const CollateralSpec& s, const FlowOptions& f) {
  const std::string n = s.name;
  nlohmann::ordered_json j;
  j["liberty"] = f.liberty;
  j["driving_cell"] = f.driving_cell;
  j["clock_period_ns"] = period_of(s, f);
  j["asic"] = {{"command", "bash DIR/" + n + ".asic.sh"},
               {"files", {n + ".asic.sh", n + ".asic.ys", n + ".abc.constr", n + ".sdc",
                          n + ".sta.tcl"}}};
  j["ice40"] = {{"command", "bash DIR/" + n + ".ice40.sh [up5k|hx8k] [--synth-only]"},
                {"harness", n + "_ice40_harness"},
                {"files", {n + ".ice40.sh", n + "_ice40_harness.v"}}};
  j["xc7"] = {{"command", "bash DIR/" + n + ".xc7.sh"}, {"files", {n + ".xc7.sh", n + ".xc7.ys"}}};
  return j;
}

std::string flow_readme(const CollateralSpec& s, const FlowOptions& f) {
  const std::string n = s.name;
  return fmt::format(
      "## Implementation flows\n\n"
      "Each flow is one command that runs from any directory (the script changes to this one\n"
      "and writes its results here) and prints one summary line:\n\n"
      "```sh\n"
      "bash DIR/{0}.asic.sh                  # Yosys + OpenSTA: slack, Fmax, power, area (um2)\n"
      "bash DIR/{0}.ice40.sh                 # UP5K: synth_ice40 -dsp + nextpnr: LCs, DSPs, Fmax\n"
      "bash DIR/{0}.ice40.sh hx8k            # HX8K (no DSPs)\n"
      "bash DIR/{0}.ice40.sh --synth-only    # synthesis counts only, no place and route\n"
      "bash DIR/{0}.xc7.sh                   # Xilinx 7 series: LUT/FF/DSP48E1/BRAM/CARRY4\n"
      "```\n\n"
      "- ASIC: `{0}.asic.ys` maps `{1}` flat onto the Liberty library\n"
      "  `{2}`;\n  ABC maps with qflow's delay-oriented script for the clock period ({3:.3f} ns)\n"
      "  and, with `{0}.abc.constr` (driving cell `{4}`, 20 fF loads), buffers high fan-out\n"
      "  nets and up-/down-sizes gates.\n"
      "  OpenSTA (`{0}.sta.tcl`, `{0}.sdc`: ideal clock on `clk_i`, zero input/output delays,\n"
      "  reset not timed) reports the worst path,\n"
      "  Fmax = 1 / (period - worst slack) and a power estimate at the SDC clock with activity\n"
      "  0.1; the area is the sum of the Liberty cell areas. No wires: no placement, no routing,\n"
      "  no clock tree. Regenerate with `--clock-period NS` or `--liberty FILE` to change them.\n"
      "- iCE40: the top has more ports than a package has pins, so the flow implements\n"
      "  `{0}_ice40_harness` (`{0}_ice40_harness.v`): five pins (`clk_i`, `rst_ni`, `sin_i`,\n"
      "  `load_i`, `sout_o`), a shift register loading every input of `{1}` serially, every\n"
      "  input and output registered, the outputs captured in parallel and shifted out. The\n"
      "  logic cells include the harness (about two flip-flops per port bit).\n"
      "- Xilinx 7 series: resource counts from Yosys `synth_xilinx -family xc7`. No open place\n"
      "  and route exists for the 7 series here, so there is no timing.\n\n"
      "Tools: `yosys`, `sta` (Debian `opensta`), `nextpnr-ice40`, the Liberty library (Debian\n"
      "`qflow-tech-osu018` for the default). The results stay in this directory, so `fusegen`\n"
      "will not regenerate into it afterwards (it replaces only directories holding nothing but\n"
      "its own files): copy the directory first to keep a clean one.\n\n",
      n, s.top(), f.liberty, period_of(s, f), f.driving_cell);
}

}  // namespace fusegen
