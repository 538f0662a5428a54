// Accelerated layers of `fusegen infer` (see accel_infer.h).
#include "sim/accel_infer.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/error.h"
#include "golden/accel_compiler.h"
#include "golden/accel_model.h"
#include "golden/ops.h"
#include "sim/accel_rtl.h"

namespace fusegen {

AccelLayerStats& AccelLayerStats::operator+=(const AccelLayerStats& o) {
  macs += o.macs;
  cycles += o.cycles;
  gemm_cycles += o.gemm_cycles;
  rtl_cycles += o.rtl_cycles;
  instructions += o.instructions;
  programs += o.programs;
  act_reads += o.act_reads;
  act_writes += o.act_writes;
  wgt_reads += o.wgt_reads;
  wgt_writes += o.wgt_writes;
  out_reads += o.out_reads;
  out_writes += o.out_writes;
  bytes_in += o.bytes_in;
  bytes_out += o.bytes_out;
  return *this;
}

AccelLayerEngine::AccelLayerEngine(const AccelConfig& c, bool rtl) : cfg_(c), rtl_(rtl) {
  cfg_.validate();
  if (rtl_) tb_exe_ = ensure_accel_tb(cfg_);
}

bool AccelLayerEngine::run(const GraphNode& n, const Tensor& x, const Tensor& w, Tensor* y) {
  if (n.op != NodeOp::Pw && n.op != NodeOp::Fc) return false;
  // One program streams a pixel block's results of every output channel through OUT; a layer
  // with more channels than OUT holds for one block runs as several programs, each on a slice
  // of the output channels (the host concatenates them).
  const int64_t R = cfg_.array.rows, C = cfg_.array.cols, cout = w.dim(0);
  const int64_t part = std::max<int64_t>(1, cfg_.out_depth() / R) * C;
  AccelLayerStats s;
  s.name = n.name;
  s.macs = uint64_t(n.layer.macs());
  std::vector<Tensor> parts;
  for (int64_t c0 = 0; c0 < cout; c0 += part) {
    const int64_t c1 = std::min(cout, c0 + part);
    Tensor wp = w;
    if (c0 > 0 || c1 < cout) {
      std::vector<int64_t> shape = w.shape;
      shape[0] = c1 - c0;
      wp = Tensor(shape);
      const size_t per = w.numel() / size_t(cout);
      std::copy(w.data.begin() + ptrdiff_t(size_t(c0) * per),
                w.data.begin() + ptrdiff_t(size_t(c1) * per), wp.data.begin());
    }
    parts.push_back(run_program(n, x, wp, s));
  }
  Tensor got = parts[0];
  for (size_t k = 1; k < parts.size(); ++k) {
    if (got.rank() == 4) {
      got = concat_channels(got, parts[k]);
    } else {  // [N, Cout]: append columns
      Tensor cat({got.dim(0), got.dim(1) + parts[k].dim(1)});
      for (int64_t i = 0; i < got.dim(0); ++i) {
        for (int64_t j = 0; j < got.dim(1); ++j) cat.at(i, j) = got.at(i, j);
        for (int64_t j = 0; j < parts[k].dim(1); ++j)
          cat.at(i, got.dim(1) + j) = parts[k].at(i, j);
      }
      got = std::move(cat);
    }
  }
  const Tensor want = n.op == NodeOp::Pw ? pointwise_conv(x, w, cfg_.array.acc_w)
                                         : fully_connected(x, w, cfg_.array.acc_w);
  if (got.shape != want.shape || got.data != want.data)
    throw AccelMismatch(fmt::format("accelerator: layer '{}': the model's result differs from "
                                    "the golden operator", n.name));
  stats_.push_back(s);
  *y = std::move(got);
  return true;
}

Tensor AccelLayerEngine::run_program(const GraphNode& n, const Tensor& x, const Tensor& w,
                                     AccelLayerStats& s) {
  AccelGemmLayer layer;
  layer.name = n.name;
  layer.weights = w;
  AccelProgram p;
  try {
    p = compile_gemm_chain(cfg_, x, {layer});
  } catch (const Error& e) {
    throw Error(fmt::format("accelerator: {}", e.what()));
  }
  AccelModel model(cfg_);  // fresh scratchpads: every program stands alone
  const AccelRun m = model.run(p.program, 0, p.input);
  if (m.err != isa::kOk)
    throw AccelMismatch(fmt::format("accelerator: layer '{}': the model stopped with error {} "
                                    "at instruction {}", n.name, m.err, m.err_pc));
  AccelLayerStats one;
  one.programs = 1;
  one.cycles = m.cycles;
  one.gemm_cycles = m.gemm_cycles;
  one.instructions = m.instructions;
  one.act_reads = m.act_reads;
  one.act_writes = m.act_writes;
  one.wgt_reads = m.wgt_reads;
  one.wgt_writes = m.wgt_writes;
  one.out_reads = m.out_reads;
  one.out_writes = m.out_writes;
  one.bytes_in = p.input.size() * uint64_t(cfg_.bus_width) / 8;
  one.bytes_out = m.output.size() * uint64_t(cfg_.bus_width) / 8;
  if (rtl_) {
    AccelTbJob job;
    job.ibuf = p.program;
    job.runs.push_back({0, p.input, true, m.output});
    int rc = 0;
    const nlohmann::json res = run_accel_tb(tb_exe_, cfg_, job, &rc);
    const auto& run = res["runs"][0];
    if (!run["mismatch"].is_null())
      throw AccelMismatch(fmt::format("accelerator RTL: layer '{}': output beat {} differs from "
                                      "the model: expected {}, actual {}", n.name,
                                      run["mismatch"]["beat"].get<uint64_t>(),
                                      run["mismatch"]["expected"].get<std::string>(),
                                      run["mismatch"]["actual"].get<std::string>()));
    if (run["err_code"].get<int>() != 0 || rc != 0)
      throw AccelMismatch(fmt::format("accelerator RTL: layer '{}': stopped with error {} at "
                                      "instruction {}{}", n.name, run["err_code"].get<int>(),
                                      run["err_pc"].get<uint32_t>(),
                                      run["protocol"].get<std::string>().empty()
                                          ? "" : " (" + run["protocol"].get<std::string>() + ")"));
    const uint64_t rtl_cycles = run["cycles"].get<uint64_t>();
    if (rtl_cycles != m.cycles)
      throw AccelMismatch(fmt::format("accelerator RTL: layer '{}': {} cycles, the model says "
                                      "{}", n.name, rtl_cycles, m.cycles));
    one.rtl_cycles = rtl_cycles;
  }
  s += one;
  return decode_output(cfg_, p, m.output);
}

}  // namespace fusegen
