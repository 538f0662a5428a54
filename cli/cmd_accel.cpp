// `fusegen accel`: generates the standalone accelerator (array core, scratchpads, sequencer,
// AXI4-Lite and AXI4-Stream interfaces) and its collateral into a directory. All options are
// checked before anything is written.
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/command.h"
#include "cli/options.h"
#include "common/error.h"
#include "common/fileio.h"
#include "generator/accel_emitter.h"
#include "golden/accel_config.h"

namespace fusegen::cli {
namespace {

int cmd_accel(int argc, char** argv) {
  cxxopts::Options opts("fusegen accel",
                        "Generate the standalone ST-OS accelerator RTL (array core, scratchpads, "
                        "sequencer, AXI4-Lite control, AXI4-Stream data) and its collateral");
  using A = ArrayConfig;
  using X = AccelConfig;
  const AccelConfig d;
  const std::string dims = fmt::format("{}..{}", A::kMinDim, A::kMaxDim);
  const std::string kb = fmt::format("{}..{}", X::kMinKb, X::kMaxKb);
  opts.add_options()
    ("rows", "PE rows R (" + dims + ")", cxxopts::value<int>())
    ("cols", "PE columns C (" + dims + ")", cxxopts::value<int>())
    ("data-width", fmt::format("signed data width ({}..{})", A::kMinDataW, A::kMaxDataW),
     cxxopts::value<int>()->default_value(std::to_string(d.array.data_w)))
    ("acc-width", fmt::format("signed accumulator width ({}..{}, >= 2 x data width)",
                              A::kMinAccW, A::kMaxAccW),
     cxxopts::value<int>()->default_value(std::to_string(d.array.acc_w)))
    ("act-kb", "activation scratchpad KiB (" + kb + ")",
     cxxopts::value<int>()->default_value(std::to_string(d.act_kb)))
    ("wgt-kb", "weight scratchpad KiB (" + kb + ")",
     cxxopts::value<int>()->default_value(std::to_string(d.wgt_kb)))
    ("out-kb", "result scratchpad KiB (" + kb + ")",
     cxxopts::value<int>()->default_value(std::to_string(d.out_kb)))
    ("bus-width", fmt::format("AXI4-Stream data width in bits ({})", fmt::join(X::kBusWidths, ", ")),
     cxxopts::value<int>()->default_value(std::to_string(d.bus_width)))
    ("ibuf-depth", fmt::format("instruction buffer, 128-bit instructions ({}..{})", X::kMinIbuf,
                               X::kMaxIbuf),
     cxxopts::value<int>()->default_value(std::to_string(d.ibuf_depth)))
    ("mac-stages", fmt::format("MAC pipeline stages per PE ({}..{})", A::kMinMacStages,
                               A::kMaxMacStages),
     cxxopts::value<int>()->default_value(std::to_string(d.array.mac_stages)))
    ("bcast-group", fmt::format("array input stage and broadcast fan-out (0..{})",
                                A::kMaxBcastGroup),
     cxxopts::value<int>()->default_value(std::to_string(d.array.bcast_group)))
    ("im2col", "the im2col window address generator (WIN, GEMM with WIN): on or off",
     cxxopts::value<std::string>()->default_value("on"))
    ("reset", "reset of the control registers: async or sync",
     cxxopts::value<std::string>()->default_value("async"))
    ("name", "module prefix (a Verilog identifier)",
     cxxopts::value<std::string>()->default_value(d.name))
    ("out", "output directory", cxxopts::value<std::string>());
  add_flow_options(opts, "accel");
  cxxopts::ParseResult r;
  if (!parse_or_help(opts, argc, argv, r)) return 0;
  require(r, "rows");
  require(r, "cols");
  require(r, "out");
  AccelConfig cfg;
  cfg.array.rows = r["rows"].as<int>();
  cfg.array.cols = r["cols"].as<int>();
  cfg.array.data_w = r["data-width"].as<int>();
  cfg.array.acc_w = r["acc-width"].as<int>();
  cfg.array.mac_stages = r["mac-stages"].as<int>();
  cfg.array.bcast_group = r["bcast-group"].as<int>();
  cfg.array.reset = A::parse_reset(r["reset"].as<std::string>());
  cfg.act_kb = r["act-kb"].as<int>();
  cfg.wgt_kb = r["wgt-kb"].as<int>();
  cfg.out_kb = r["out-kb"].as<int>();
  cfg.bus_width = r["bus-width"].as<int>();
  cfg.ibuf_depth = r["ibuf-depth"].as<int>();
  cfg.im2col = check_choice("im2col", r["im2col"].as<std::string>(), {"on", "off"}) == "on";
  cfg.name = r["name"].as<std::string>();
  cfg.validate(ArrayConfig::Naming::kOption);
  const std::string out_dir = r["out"].as<std::string>();
  const FlowOptions flow = read_flow_options(r);
  OutputSet files = emit_accel(cfg, flow);
  check_output_path("out", out_dir, OutputKind::Directory);
  files.write_to(out_dir);
  return 0;
}

}  // namespace

FUSEGEN_COMMAND("accel", "generate the standalone ST-OS accelerator (AXI4-Lite + AXI4-Stream)",
                cmd_accel);

}  // namespace fusegen::cli
