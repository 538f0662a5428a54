// The layers of a network that the accelerator executes, on the instruction-set model or on the
// Verilated RTL (`fusegen infer --engine model|rtl`, docs/accel.md). Every layer runs there:
// pointwise (1x1) and fully-connected layers as GEMM programs (golden/accel_compiler.h; several,
// on slices of the output channels, when one pixel block's results do not fit the result
// scratchpad), the stem convolution as GEMMs with WIN whose im2col windows the sequencer
// generates over the input map (a GEMM on a map the host builds by im2col when that program
// does not fit), and depthwise
// layers (KxK, 1xK, Kx1) as CONV programs (several, on channel slices, when one does not fit the
// instruction buffer). Weights and input lines are streamed in; a layer whose output only a
// Requant node reads is requantized on the accelerator's result path and streamed out as DataW
// activations (unless requantization is left to the host), the others' raw accumulators; the
// host runtime does the rest (adds, pool, concat, slices) with the golden operators. Every
// accelerated layer is checked against the golden operator bit for bit; on the RTL, its output
// stream against the model's beat for beat and its CYCLES against the model's. With overlap
// (`fusegen infer`'s default), the programs are double-buffered: loads and stores run in the
// background while the array computes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "golden/accel_compiler.h"
#include "golden/accel_config.h"
#include "golden/graph.h"
#include "golden/infer.h"
#include "golden/tensor.h"

namespace fusegen {

// The accelerator's result of a layer differed (model vs golden operator, RTL vs model).
class AccelMismatch : public Error {
 public:
  using Error::Error;
};

// What one accelerated layer cost.
struct AccelLayerStats {
  std::string name;
  uint64_t macs = 0;              // the layer's multiply-accumulates
  uint64_t cycles = 0;            // model CYCLES of its program (loads, GEMMs, stores)
  uint64_t gemm_cycles = 0;       // of which GEMM instructions
  uint64_t rtl_cycles = 0;        // RTL CYCLES (rtl engine; equal to cycles, or an error)
  uint64_t instructions = 0;
  uint64_t programs = 0;          // programs run (several when Cout exceeds what OUT holds)
  uint64_t overlapped = 0;        // of which double-buffered (AccelProgram::overlapped)
  uint64_t windowed = 0;          // of which GEMMs with WIN (im2col windows, a dense conv)
  uint64_t act_reads = 0, act_writes = 0, wgt_reads = 0, wgt_writes = 0, out_reads = 0,
           out_writes = 0;        // scratchpad words
  uint64_t bytes_in = 0, bytes_out = 0;  // stream bytes (beats x bus width / 8)
  std::string requant;            // the Requant node applied on chip ("" if none)

  // Adds o's counts (not its name): a layer's programs, or the layers of a network.
  AccelLayerStats& operator+=(const AccelLayerStats& o);
};

// Cycles of the array alone on g's layers (`fusegen net --model rtl`, KxK depthwise on the
// ST-OS rows as the accelerator runs it): what the accelerator's data movement is measured
// against.
int64_t array_alone_cycles(const NetGraph& g, const ArrayConfig& array);

// The compiler's description of a dense convolution node n (op Conv) with weights w;
// rq: requantize its output with these parameters on chip (nullptr: raw accumulators).
AccelConv2dLayer conv2d_layer(const GraphNode& n, const Tensor& w, const NodeParams* rq);

class AccelLayerEngine {
 public:
  // rtl: run every program on the Verilated accelerator as well (built on first use).
  // host_requant: stream every layer's raw accumulators out and leave requantization to the
  // host (the Requant nodes), instead of applying a layer's Requant node on chip.
  // overlap: compile overlapped (double-buffered) programs (golden/accel_compiler.h), and of
  // the slicings of a layer run the one with the fewest program_cycles (rather than the fewest
  // stream beats: with overlap a program costs about max(compute, stream), not their sum).
  AccelLayerEngine(const AccelConfig& c, bool rtl, bool host_requant = false,
                   bool overlap = false);

  // The LayerHook of run_graph: takes every layer node (Pw, Fc, Conv as GEMM with WIN, or a
  // host im2col map + GEMM, Dw / Row / Col as CONV) and returns Requantized when it applied call.requant, else
  // Raw; NotTaken for the others. Throws
  // fusegen::Error naming the layer if it cannot be compiled (a scratchpad limit), if the
  // model's result differs from the golden operator, or if the RTL differs from the model
  // (first differing output beat, or the cycle counts).
  HookResult run(const LayerCall& call, Tensor* y);

  const std::vector<AccelLayerStats>& stats() const { return stats_; }
  const AccelConfig& config() const { return cfg_; }

 private:
  // A GEMM layer's programs: pieces of the map (rows along `axis`), each a list of programs
  // over slices of the output channels.
  struct GemmPlan {
    std::vector<std::vector<AccelProgram>> pieces;
    size_t axis = 0;
  };
  // The cheapest GEMM programs for x and w (see run_gemm); std::nullopt when not even one map
  // row fits (the reduction must be split: run_gemm does that with raw results); throws
  // fusegen::Error when that is impossible too (requantized results).
  std::optional<GemmPlan> plan_gemm(const std::string& name, const Tensor& x, const Tensor& w,
                                    const NodeParams* rq) const;
  Tensor run_plan(const std::string& name, const GemmPlan& plan, AccelLayerStats& s);
  // Pointwise / fully-connected (or the stem as an im2col map) as GEMM programs, sliced over
  // output channels, map rows or input channels as the scratchpads and ibuf require.
  // rq: requantize the output with these parameters on chip (nullptr: raw accumulators).
  Tensor run_gemm(const std::string& name, const Tensor& x, const Tensor& w,
                  const NodeParams* rq, AccelLayerStats& s);
  // Dw / Row / Col as CONV programs, one per channel slice that fits the instruction buffer.
  Tensor run_depthwise(const GraphNode& n, const Tensor& x, const Tensor& w,
                       const NodeParams* rq, AccelLayerStats& s);
  // A dense convolution (Conv): one program of GEMMs with WIN (compile_conv2d) or GEMMs over
  // the host's im2col map, whichever takes fewer program_cycles (the windows on ties; the one
  // that compiles when only one does); throws fusegen::Error when neither does.
  Tensor run_conv2d(const GraphNode& n, const Tensor& x, const Tensor& w, const NodeParams* rq,
                    AccelLayerStats& s);
  // Runs one compiled program (model; RTL too when rtl_), adds its costs to s, returns the
  // decoded raw accumulators.
  Tensor run_program(const std::string& name, const AccelProgram& p, AccelLayerStats& s);

  AccelConfig cfg_;
  bool rtl_;
  bool host_requant_;
  bool overlap_;
  std::string tb_exe_;  // rtl: the Verilated testbench, built once in the constructor
  std::vector<AccelLayerStats> stats_;
};

}  // namespace fusegen
