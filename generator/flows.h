// Implementation flows shipped with every generated configuration (part of the shared
// collateral, see collateral.h): an ASIC flow (Yosys onto a Liberty library with ABC's buffering
// and gate sizing, then OpenSTA: worst slack, Fmax, power; area from the Liberty cell areas), an
// iCE40 flow (Yosys synth_ice40 and nextpnr-ice40 on a serial measurement harness around the
// top) and a Xilinx 7-series resource count (Yosys synth_xilinx). Each flow has a one-command
// driver `bash DIR/NAME.<flow>.sh` that works from any directory and prints one summary line.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fusegen {

struct CollateralSpec;

// The Liberty library of the qflow OSU 0.18 um standard cells (Debian qflow-tech-osu018).
inline constexpr const char* kDefaultLiberty =
    "/usr/share/qflow/tech/osu018/osu018_stdcells.lib";
inline constexpr double kMinClockPeriodNs = 0.1;
inline constexpr double kMaxClockPeriodNs = 1000.0;

// Options of the ASIC flow. Equal options give byte-identical scripts.
struct FlowOptions {
  std::string liberty = kDefaultLiberty;  // absolute path of the Liberty library
  std::string driving_cell = "INVX1";     // its smallest inverter: drives inputs (ABC, STA)
  double clock_period_ns = 0;             // 0: the block's default (default_clock_period_ns)
};

// Default clock period of the ASIC flow for a generator ("array" 3.0 ns, "nullcache" 4.0 ns).
double default_clock_period_ns(const std::string& kind);

// FlowOptions from the command-line values: `liberty` empty for the default library (not read:
// generating needs no installed tools), else a readable Liberty file, resolved to an absolute
// path, whose smallest single-input inverter becomes the driving cell; `period_ns` 0 for the
// default, else within [kMinClockPeriodNs, kMaxClockPeriodNs]. Throws fusegen::Error naming the
// option on bad input.
FlowOptions resolve_flow_options(const std::string& liberty, double period_ns);

// The smallest-area cell of a Liberty text with one input pin and one output pin whose function
// is the input's complement ("!A", "A'", "(!A)"); empty if there is none.
std::string liberty_inverter(const std::string& liberty_text);

// One flow file: its name in the output directory, a line for the README/manifest, contents
// (starting with the generated-file header, which adds Liberty and ClockPeriodNs).
struct FlowFile {
  std::string path;
  std::string description;
  std::string contents;
};

// The flow files of one configuration (used by emit_block; see collateral.h).
std::vector<FlowFile> flow_files(const CollateralSpec& spec, const FlowOptions& flow);
// The manifest's "flows" object: library, period, each flow's command and files.
nlohmann::ordered_json flow_manifest(const CollateralSpec& spec, const FlowOptions& flow);
// The README section "Implementation flows": the exact commands, what they do and report.
std::string flow_readme(const CollateralSpec& spec, const FlowOptions& flow);

}  // namespace fusegen
