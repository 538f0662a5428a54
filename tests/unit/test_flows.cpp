// Flow collateral (generator/flows.h): the Liberty inverter search, option resolution and the
// values the scripts carry (clock period, library, driving cell, the harness's port map).
#include <gtest/gtest.h>

#include <string>

#include "common/error.h"
#include "generator/array_emitter.h"
#include "generator/flows.h"
#include "generator/nullcache_emitter.h"
#include "golden/array_config.h"
#include "golden/nullcache_config.h"

namespace fusegen {
namespace {

ArrayConfig arr(int r, int c) {
  ArrayConfig a;
  a.rows = r;
  a.cols = c;
  a.name = "fz";
  return a;
}

TEST(Flows, LibertyInverterIsTheSmallestSingleInputComplement) {
  const std::string lib = R"lib(library (x) {
    cell (BIG) { area : 5; pin (A) { direction : input; } pin (Y) { direction : output; function : "!A"; } }
    cell (NAND) { area : 1; pin (A) { direction : input; } pin (B) { direction : input; }
                  pin (Y) { direction : output; function : "!(A&B)"; } }
    cell (BUF) { area : 1; pin (A) { direction : input; } pin (Y) { direction : output; function : "A"; } }
    cell (SMALL) { area : 2; pin (I) { direction : input; } pin (ZN) { direction : output; function : "(I')"; } }
  })lib";
  EXPECT_EQ(liberty_inverter(lib), "SMALL");
  EXPECT_EQ(liberty_inverter("library (y) { cell (N) { area : 1; } }"), "");
}

TEST(Flows, DefaultsAndOptionErrors) {
  const FlowOptions d = resolve_flow_options("", 0);
  EXPECT_EQ(d.liberty, kDefaultLiberty);
  EXPECT_EQ(d.driving_cell, "INVX1");
  EXPECT_DOUBLE_EQ(default_clock_period_ns("array"), 3.0);
  EXPECT_DOUBLE_EQ(default_clock_period_ns("nullcache"), 4.0);
  EXPECT_THROW(resolve_flow_options("", 0.05), Error);
  EXPECT_THROW(resolve_flow_options("", 1001), Error);
  EXPECT_THROW(resolve_flow_options("/no/such/file.lib", 0), Error);
  EXPECT_THROW(resolve_flow_options(FUSEGEN_SOURCE_DIR "/tests/data/flows/no_inverter.lib", 0),
               Error);
  const FlowOptions u = resolve_flow_options(FUSEGEN_SOURCE_DIR "/tests/data/flows/tiny.lib", 2);
  EXPECT_EQ(u.driving_cell, "INV_SMALL");
  EXPECT_EQ(u.liberty, FUSEGEN_SOURCE_DIR "/tests/data/flows/tiny.lib");
}

TEST(Flows, ScriptsCarryPeriodLibraryAndDrivingCell) {
  FlowOptions f;
  f.clock_period_ns = 2.5;
  const auto files = emit_array(arr(2, 3), f).files();
  EXPECT_NE(files.at("fz.asic.ys").find("\nabc -D 2500 -liberty " + std::string(kDefaultLiberty) +
                                        " -constr fz.abc.constr -script +strash;scorr;"),
            std::string::npos);
  // qflow's delay-oriented mapping, then ABC's buffering and sizing against the period.
  EXPECT_NE(files.at("fz.asic.ys").find("map,-M,1,{D};buffer;upsize,{D};dnsize,{D};stime,-p\n"),
            std::string::npos);
  EXPECT_NE(files.at("fz.sdc").find("create_clock -name clk -period 2.500 [get_ports clk_i]"),
            std::string::npos);
  EXPECT_NE(files.at("fz.abc.constr").find("\nset_driving_cell INVX1\n"), std::string::npos);
  EXPECT_NE(files.at("fz.sta.tcl").find("\nlink_design fz_top\n"), std::string::npos);
  EXPECT_NE(files.at("fz.xc7.ys").find("\nsynth_xilinx -family xc7 -flatten -top fz_top\n"),
            std::string::npos);
  // Default period of the null cache.
  NullCacheConfig n;
  n.entries = 4;
  n.name = "nz";
  EXPECT_NE(emit_nullcache(n).files().at("nz.asic.ys").find("abc -D 4000 "), std::string::npos);
}

TEST(Flows, HarnessMapsEveryPortBitOnce) {
  // 2x3 ST-OS, DataW 8, AccW 32: inputs en, last, keep, mode (4) + a 16 + b 24 + w 16 = 60;
  // outputs valid 1 + row 1 + data 96 = 98.
  const std::string h = emit_array(arr(2, 3)).files().at("fz_ice40_harness.v");
  EXPECT_NE(h.find("localparam integer InW = 60;"), std::string::npos);
  EXPECT_NE(h.find("localparam integer OutW = 98;"), std::string::npos);
  EXPECT_NE(h.find(".in_en_i(in_q[0])"), std::string::npos);
  EXPECT_NE(h.find(".w_i(in_q[59:44])"), std::string::npos);
  EXPECT_NE(h.find(".out_data_o(out_d[97:2])"), std::string::npos);
  EXPECT_NE(h.find(".rst_ni(rst_q)"), std::string::npos);
}

}  // namespace
}  // namespace fusegen
