// Accelerator emitter: the core's RTL from the array emitter, the accelerator's modules from
// rtl_templates/accel/ specialized with the geometry of AccelConfig, and one CollateralSpec
// for the whole design (its ports, the instruction-set timing of docs/accel.md).
#include "generator/accel_emitter.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/bits.h"
#include "generator/array_emitter.h"
#include "generator/collateral.h"
#include "generator/templates.h"

namespace fusegen {

namespace {

std::vector<CollateralPort> top_ports(const AccelConfig& c) {
  const int bw = c.bus_width;
  return {
      {"clk_i", "input", 1, "1", "clock, rising edge"},
      {"rst_ni", "input", 1, "1",
       std::string(c.array.reset == ArrayConfig::Reset::kAsync ? "asynchronous" : "synchronous") +
           " active-low reset of all control state"},
      {"s_axil_awaddr_i", "input", 20, "20", "AXI4-Lite write address (byte)"},
      {"s_axil_awvalid_i", "input", 1, "1", "AXI4-Lite AWVALID"},
      {"s_axil_awready_o", "output", 1, "1", "AXI4-Lite AWREADY"},
      {"s_axil_wdata_i", "input", 32, "32", "AXI4-Lite write data"},
      {"s_axil_wstrb_i", "input", 4, "4", "AXI4-Lite WSTRB (only 4'hf writes take effect)"},
      {"s_axil_wvalid_i", "input", 1, "1", "AXI4-Lite WVALID"},
      {"s_axil_wready_o", "output", 1, "1", "AXI4-Lite WREADY"},
      {"s_axil_bresp_o", "output", 2, "2", "AXI4-Lite BRESP (OKAY or SLVERR)"},
      {"s_axil_bvalid_o", "output", 1, "1", "AXI4-Lite BVALID"},
      {"s_axil_bready_i", "input", 1, "1", "AXI4-Lite BREADY"},
      {"s_axil_araddr_i", "input", 20, "20", "AXI4-Lite read address (byte)"},
      {"s_axil_arvalid_i", "input", 1, "1", "AXI4-Lite ARVALID"},
      {"s_axil_arready_o", "output", 1, "1", "AXI4-Lite ARREADY"},
      {"s_axil_rdata_o", "output", 32, "32", "AXI4-Lite read data"},
      {"s_axil_rresp_o", "output", 2, "2", "AXI4-Lite RRESP (OKAY or SLVERR)"},
      {"s_axil_rvalid_o", "output", 1, "1", "AXI4-Lite RVALID"},
      {"s_axil_rready_i", "input", 1, "1", "AXI4-Lite RREADY"},
      {"s_axis_tdata_i", "input", bw, "BusW", "AXI4-Stream slave TDATA (LOAD data)"},
      {"s_axis_tvalid_i", "input", 1, "1", "AXI4-Stream slave TVALID"},
      {"s_axis_tready_o", "output", 1, "1", "AXI4-Stream slave TREADY (high while a LOAD runs)"},
      {"m_axis_tdata_o", "output", bw, "BusW", "AXI4-Stream master TDATA (STORE data)"},
      {"m_axis_tvalid_o", "output", 1, "1", "AXI4-Stream master TVALID"},
      {"m_axis_tready_i", "input", 1, "1", "AXI4-Stream master TREADY"},
      {"m_axis_tlast_o", "output", 1, "1", "AXI4-Stream master TLAST: last beat of a STORE"},
      {"irq_o", "output", 1, "1", "interrupt: STATUS.DONE and CTRL.IRQ_EN"},
  };
}

TemplateContext template_context(const AccelConfig& c) {
  const ArrayConfig& a = c.array;
  TemplateContext ctx;
  auto num = [](int64_t v) { return std::to_string(v); };
  ctx.vars = {{"Name", c.name},
              {"Core", c.core().name},
              {"Rows", num(a.rows)},
              {"Cols", num(a.cols)},
              {"DataW", num(a.data_w)},
              {"AccW", num(a.acc_w)},
              {"RowW", num(a.row_index_w())},
              {"BusW", num(c.bus_width)},
              {"ActDepth", num(c.act_depth())},
              {"ActAW", num(index_width(c.act_depth()))},
              {"WgtDepth", num(c.wgt_depth())},
              {"WgtAW", num(index_width(c.wgt_depth()))},
              {"OutDepth", num(c.out_depth())},
              {"OutAW", num(index_width(c.out_depth()))},
              {"IbufDepth", num(c.ibuf_depth)},
              {"IbufAW", num(index_width(c.ibuf_depth))},
              {"BeatsD", num(c.beats_d())},
              {"BeatsA", num(c.beats_a())},
              {"BeatW", num(index_width(std::max(c.beats_d(), c.beats_a()) + 1))},
              {"LaneW", num(index_width(a.cols))},
              {"BankW", num(index_width(a.rows))},
              {"LastLane", num(a.cols - 1)},
              {"LastBank", num(a.rows - 1)},
              // CONV: the fold cycle before the first tap (Cols - 2; none when Cols == 1)
              {"TapFc", a.cols >= 2 ? "16'd" + num(a.cols - 2) : std::string("16'hffff")},
              {"IsaId", fmt::format("{:08x}", isa::kIsaId)},
              {"RstEvent", a.reset == ArrayConfig::Reset::kAsync ? " or negedge rst_ni" : ""}};
  if (c.beats_d() > 1) ctx.flags.insert("MULTIBEAT_D");
  if (c.im2col) ctx.flags.insert("WIN");
  ctx.vars["Features"] = fmt::format("{:08x}", c.im2col ? isa::kFeatureIm2col : 0u);
  return ctx;
}

CollateralSpec collateral_spec(const AccelConfig& c, const std::vector<std::string>& core_files) {
  const ArrayConfig& a = c.array;
  CollateralSpec s;
  s.kind = "accel";
  s.name = c.name;
  s.title = fmt::format("standalone ST-OS accelerator, {} x {} array, AXI4-Lite + AXI4-Stream",
                        a.rows, a.cols);
  s.header_params = c.params();
  s.parameters = {{"name", c.name},          {"rows", a.rows},
                  {"cols", a.cols},          {"data_w", a.data_w},
                  {"acc_w", a.acc_w},        {"mac_stages", a.mac_stages},
                  {"bcast_group", a.bcast_group},
                  {"reset", ArrayConfig::reset_name(a.reset)},
                  {"act_kb", c.act_kb},      {"wgt_kb", c.wgt_kb},
                  {"out_kb", c.out_kb},      {"bus_width", c.bus_width},
                  {"ibuf_depth", c.ibuf_depth},
                  {"im2col", c.im2col},
                  {"act_depth", c.act_depth()}, {"wgt_depth", c.wgt_depth()},
                  {"out_depth", c.out_depth()}, {"beats_d", c.beats_d()},
                  {"beats_a", c.beats_a()},  {"core", c.core().top()},
                  {"isa_id", fmt::format("0x{:08x}", isa::kIsaId)}};
  s.sub_files = core_files;
  const char* what[] = {"simple dual-port synchronous memory (scratchpads, instruction buffer)",
                        "requantizer on the result path (ReLU, round half up, clamp)",
                        "AXI4-Lite slave: control/status registers, instruction buffer writes",
                        "sequencer: fetch, decode, LOAD/STORE stream units (background with "
                        "ASYNC), GEMM and CONV address generators",
                        "top level (the ports below)"};
  for (size_t i = 0; i < accel_module_stems().size(); ++i)
    s.modules.push_back({accel_module_stems()[i], what[i]});
  s.ports = top_ports(c);
  s.latencies = {
      {"instruction_overhead", "2", 2, "fetch and decode cycles of every instruction"},
      {"load_cycles", "2 + count * BeatsD", c.beats_d(),
       "cycles of a LOAD of count words with the stream never stalling (value: BeatsD)"},
      {"store_cycles", "4 + count * Beats (Beats >= 2), 3 + 2 * count (Beats = 1)",
       std::max(2, c.beats_a()),
       "cycles of a STORE with TREADY always high (the next word is read while one is sent); "
       "Beats = BeatsD (activations, NARROW results) or BeatsA (results) (value: cycles per "
       "result word)"},
      {"sync_cycles", "2", 2,
       "cycles of a SYNC (or an ASYNC LOAD / STORE on the issue unit) that waits for nothing; "
       "background units overlap GEMM / CONV (docs/accel.md, background transfers)"},
      {"gemm_cycles_act", "(F - 1) * max(T, R) + T + FO + R + 7", c.gemm_tail(false),
       "cycles of a GEMM of F = npb * ncb folds writing activations (or NARROW results); FO = "
       "I + R + C + M "
       "(value: the constant FO + R + 7)"},
      {"gemm_cycles_raw", "(F - 1) * max(T, R) + T + FO + R + 5", c.gemm_tail(true),
       "the same writing raw results (value: FO + R + 5)"},
      {"conv_cycles_act", "(F - 1) * max(W, R) + W + FS + R + 7", c.conv_tail(false),
       "cycles of a CONV of F = G * NT * P folds writing activations; W = C + K - 1, FS = I + "
       "R + 1 + M (value: the constant FS + R + 7)"},
      {"conv_cycles_raw", "(F - 1) * max(W, R) + W + FS + R + 5", c.conv_tail(true),
       "the same writing raw results (value: FS + R + 5)"}};
  s.readme_intro = fmt::format(
      "Signed {}-bit data, {}-bit accumulators, a {}-bit AXI4-Stream. Scratchpads: activations\n"
      "{} lines x {} banks x {} bits ({} KiB), weights {} words x {} bits ({} KiB), results {}\n"
      "words x {} bits ({} KiB); instruction buffer {} x 128 bits. The register map, the\n"
      "instruction set, the memory layouts and the timing are in fusegen's docs/accel.md.\n",
      a.data_w, a.acc_w, c.bus_width, c.act_depth(), a.rows, c.act_word_bits(), c.act_kb,
      c.wgt_depth(), c.wgt_word_bits(), c.wgt_kb, c.out_depth(), c.out_word_bits(), c.out_kb,
      c.ibuf_depth);
  s.readme_protocol = fmt::format(
      "## Programming summary\n\n"
      "1. Write the program (128-bit instructions, word 0 first) at `0x{:05x} + 16 * i`.\n"
      "2. Write its first index to PC_START (0x08), then 1 to CTRL (0x00; bit 1 enables\n"
      "   the interrupt).\n"
      "3. Feed each LOAD's words on `s_axis` and take each STORE's words from `m_axis`\n"
      "   (a word of B bits takes ceil(B / BusW) beats, low bits first).\n"
      "   LOAD / STORE with ASYNC run in the background; SYNC waits for them.\n"
      "4. Poll STATUS (0x04) until DONE (bit 1); bits 11:8 hold the error code (0 = none),\n"
      "   ERR_PC (0x0c) the failing instruction, CYCLES (0x10, 0x14) the run's cycle count.\n\n",
      isa::kIbufBase);
  s.override_note = "All sizes are `localparam`s of the generated modules; regenerate with\n"
                    "`fusegen accel` for another configuration.";
  return s;
}

}  // namespace

const std::vector<std::string>& accel_module_stems() {
  static const std::vector<std::string> stems = {"mem", "requant", "axil", "seq", "top"};
  return stems;
}

std::vector<std::string> accel_rtl_files(const AccelConfig& cfg) {
  std::vector<std::string> v;
  for (const auto& stem : array_module_stems()) v.push_back(cfg.core().name + "_" + stem + ".v");
  for (const auto& stem : accel_module_stems()) v.push_back(cfg.name + "_" + stem + ".v");
  return v;
}

OutputSet emit_accel(const AccelConfig& cfg, const FlowOptions& flow) {
  cfg.validate();
  const OutputSet core = emit_array(cfg.core(), flow);
  std::vector<std::string> core_files;
  for (const auto& stem : array_module_stems()) core_files.push_back(cfg.core().name + "_" + stem + ".v");
  OutputSet out = emit_block(collateral_spec(cfg, core_files), template_context(cfg), flow);
  for (const auto& f : core_files) out.add(f, core.files().at(f));
  return out;
}

}  // namespace fusegen
