// accel_regress: command-line driver of the accelerator regression (tests/accel.cmake). Builds
// (or reuses) the Verilated testbench of one accelerator configuration and runs, per seed, a
// random chain of GEMM layers (pointwise convolutions or fully-connected layers, channel and
// pixel counts rarely multiples of the array) through the compiler (odd seeds: the
// double-buffered program with background transfers), the instruction-set model and the RTL:
//   - golden: pointwise_conv / fully_connected + requantize between layers (golden/ops.h), and
//             after the last layer for a third of the chains (output requantized on chip);
//   - model:  decode(AccelModel output stream) must equal golden (compiler + model);
//   - rtl:    the output stream must equal the model's beat for beat, and CYCLES the model's
//             cycles, with no backpressure; with random backpressure (--stall) and AXI4-Lite
//             timing the output must still be bit-exact.
//   accel_regress --rows R --cols C [--data-width 8 --acc-width 32 --bus-width 64 --act-kb 1
//                 --wgt-kb 1 --out-kb 1 --ibuf-depth 64 --mac-stages 3 --bcast-group 8]
//                 [--seeds 1-3] [--stall 0.3] [--sim-seeds 1,2] [--layers 3] [--fc] [--large]
//                 [--build-only] [--errors] [--registers] [--inject-fault] [--dw] [--conv2d]
//                 [--fuzz]
//   --large      maps of up to 8 x 12 pixels and 4C+3 channels (1 KiB scratchpads tile them);
//   --dw         random depthwise layers instead (KxK, 1xK, Kx1; stride 1 or 2; zero padding)
//                through compile_depthwise (CONV instructions), golden conv2d with groups, half
//                of them requantized on chip (+ golden requantize);
//   --conv2d     random dense convolutions instead (Kh x Kw up to 5, stride 1 to 3, zero
//                padding, channels rarely multiples of the array) through compile_conv2d (GEMM
//                with WIN: im2col windows in the sequencer), golden conv2d, half of them
//                requantized on chip;
//   --errors     bad programs (every error code): the RTL reports the code and ERR_PC the model
//                and the hand-written table give, finishes (never hangs), and a good program run
//                afterwards is still bit-exact;
//   --registers  the AXI4-Lite register map: read-only values, SLVERR cases, DONE clearing;
//   --fuzz       random version-3 programs (background LOAD/STORE, SYNC, NARROW, every
//                destination) over small address windows: RTL == model beat and cycle exact;
//   --inject-fault  flips one weight bit of the RTL's input stream: the run must fail with the
//                report naming the first differing output beat.
// Prints one line per case; exit 0 when everything passed, 1 on a failure, 2 on a usage error.
#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <cxxopts.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/bits.h"
#include "common/error.h"
#include "common/text.h"
#include "golden/accel_compiler.h"
#include "golden/accel_config.h"
#include "golden/accel_model.h"
#include "golden/ops.h"
#include "sim/accel_rtl.h"
#include "tb/tb_args.h"

namespace {

using fusegen::AccelConfig;
using fusegen::Beat;
using fusegen::Tensor;
namespace isa = fusegen::isa;

// A random value in the DataW range, extremes mixed in.
int64_t draw(std::mt19937_64& rng, int bits) {
  const int64_t lo = fusegen::signed_min(bits), hi = fusegen::signed_max(bits);
  const int k = int(rng() % 10);
  if (k == 0) return lo;
  if (k == 1) return hi;
  return lo + int64_t(rng() % uint64_t(hi - lo + 1));
}

Tensor random_tensor(std::mt19937_64& rng, std::vector<int64_t> shape, int bits) {
  Tensor t(std::move(shape));
  for (auto& v : t.data) v = draw(rng, bits);
  return t;
}

// One random chain: input, layers and the golden result of the last layer (raw, or requantized
// on chip when requant).
struct Chain {
  Tensor x;
  std::vector<fusegen::AccelGemmLayer> layers;
  bool requant = false;
  Tensor golden;
  std::string describe;
};

// large: maps and channel counts big enough that 1 KiB scratchpads need tiling. may_requant:
// a third of the chains stream their output requantized.
Chain random_chain(const AccelConfig& c, uint64_t seed, int max_layers, bool fc,
                   bool large = false, bool may_requant = false) {
  std::mt19937_64 rng(seed * 0x9e3779b97f4a7c15ull + 7);
  const int R = c.array.rows, C = c.array.cols, D = c.array.data_w, A = c.array.acc_w;
  Chain ch;
  const uint64_t ch_max = uint64_t(large ? 4 * C + 3 : 2 * C + 3);
  const int64_t cin = 1 + int64_t(rng() % ch_max);
  if (fc) {
    ch.x = random_tensor(rng, {1 + int64_t(rng() % uint64_t(2 * R + 1)), cin}, D);
  } else {
    const int64_t h = 1 + int64_t(rng() % (large ? 8 : 3));
    const int64_t w = 1 + int64_t(rng() % uint64_t(large ? 12 : R + 2));
    ch.x = random_tensor(rng, {1, cin, h, w}, D);
  }
  const int n = max_layers <= 1 ? 1 : 1 + int(rng() % uint64_t(max_layers));
  Tensor cur = ch.x;
  ch.describe = fmt::format("seed {} x [{}]", seed, fmt::join(ch.x.shape, ","));
  int64_t in = cin;
  for (int k = 0; k < n; ++k) {
    const int64_t out = 1 + int64_t(rng() % ch_max);
    fusegen::AccelGemmLayer l;
    l.name = fmt::format("L{}", k);
    l.weights = fc ? random_tensor(rng, {out, in}, D) : random_tensor(rng, {out, in, 1, 1}, D);
    l.relu = rng() % 2 == 0;
    // Around D - 2 + log2(Cin) / 2, where outputs spread over the DataW range; sometimes 0.
    const int spread = D - 2 + fusegen::clog2(in) / 2 + int(rng() % 5) - 2;
    l.shift = rng() % 6 == 0 ? 0 : std::clamp(spread, 0, A - 1);
    Tensor acc = fc ? fusegen::fully_connected(cur, l.weights, A)
                    : fusegen::pointwise_conv(cur, l.weights, A);
    ch.describe += fmt::format(" -> {}{}", out, k + 1 < n ? fmt::format(
        "{}>>{}", l.relu ? " relu" : "", l.shift) : "");
    if (k + 1 < n) cur = fusegen::requantize(acc, l.shift, l.relu, D);
    else ch.golden = acc;
    ch.layers.push_back(std::move(l));
    in = out;
  }
  // Drawn last, so the chains of a seed are those of earlier versions.
  ch.requant = may_requant && rng() % 3 == 0;
  const fusegen::AccelGemmLayer& last = ch.layers.back();
  if (ch.requant) ch.golden = fusegen::requantize(ch.golden, last.shift, last.relu, D);
  ch.describe += ch.requant ? fmt::format("{}>>{} out", last.relu ? " relu" : "", last.shift)
                            : " raw";
  return ch;
}

// One random depthwise layer and its golden result (raw, or requantized on chip).
struct DwCase {
  Tensor x;
  fusegen::AccelDwLayer layer;
  Tensor golden;
  std::string describe;
};

DwCase random_dw(const AccelConfig& c, uint64_t seed, bool may_requant = false) {
  std::mt19937_64 rng(seed * 0x9e3779b97f4a7c15ull + 11);
  const int C = c.array.cols, D = c.array.data_w;
  DwCase d;
  const int kind = int(rng() % 3);  // 0 KxK, 1 1xK, 2 Kx1
  const int64_t k = kind == 0 ? 1 + 2 * int64_t(rng() % 3) : 2 + int64_t(rng() % 6);
  const int64_t kh = kind == 1 ? 1 : k, kw = kind == 2 ? 1 : k;
  d.layer.name = "dw";
  d.layer.stride = 1 + int64_t(rng() % 2);
  d.layer.pad_h = kh > 1 ? int64_t(rng() % uint64_t(kh / 2 + 1)) : 0;
  d.layer.pad_w = kw > 1 ? int64_t(rng() % uint64_t(kw / 2 + 1)) : 0;
  const int64_t n = rng() % 4 == 0 ? 2 : 1, ch = 1 + int64_t(rng() % uint64_t(2 * C + 3));
  const int64_t h = std::max(kh, 1 + int64_t(rng() % 6));
  const int64_t w = std::max(kw, 1 + int64_t(rng() % uint64_t(2 * C + 5)));
  d.x = random_tensor(rng, {n, ch, h, w}, D);
  d.layer.weights = random_tensor(rng, {ch, 1, kh, kw}, D);
  fusegen::Conv2dParams p;
  p.stride_h = p.stride_w = d.layer.stride;
  p.pad_h = d.layer.pad_h;
  p.pad_w = d.layer.pad_w;
  p.groups = ch;
  p.acc_w = c.array.acc_w;
  d.golden = fusegen::conv2d(d.x, d.layer.weights, p);
  d.describe = fmt::format("seed {} dw x [{}] {}x{} stride {} pad {},{}", seed,
                           fmt::join(d.x.shape, ","), kh, kw, d.layer.stride, d.layer.pad_h,
                           d.layer.pad_w);
  // Drawn last, so the layers of a seed are those of earlier versions.
  d.layer.requantize = may_requant && rng() % 2 == 0;
  if (d.layer.requantize) {
    d.layer.relu = rng() % 2 == 0;
    const int spread = D - 2 + fusegen::clog2(kh * kw) / 2 + int(rng() % 5) - 2;
    d.layer.shift = std::clamp(spread, 0, c.array.acc_w - 1);
    d.golden = fusegen::requantize(d.golden, d.layer.shift, d.layer.relu, D);
    d.describe += fmt::format("{}>>{} out", d.layer.relu ? " relu" : "", d.layer.shift);
  }
  return d;
}

// One random dense convolution and its golden result (raw, or requantized on chip).
DwCase random_conv2d(const AccelConfig& c, uint64_t seed, bool may_requant = false) {
  std::mt19937_64 rng(seed * 0x9e3779b97f4a7c15ull + 23);
  const int C = c.array.cols, R = c.array.rows, D = c.array.data_w;
  DwCase d;
  const int64_t kh = 1 + int64_t(rng() % 5), kw = rng() % 4 == 0 ? kh : 1 + int64_t(rng() % 5);
  d.layer.name = "conv";
  d.layer.stride = 1 + int64_t(rng() % 3);
  d.layer.pad_h = int64_t(rng() % uint64_t(kh / 2 + 1));
  d.layer.pad_w = int64_t(rng() % uint64_t(kw / 2 + 1));
  const int64_t n = rng() % 4 == 0 ? 2 : 1;
  const int64_t cout = 1 + int64_t(rng() % uint64_t(2 * C + 3));
  // Cin so that all weights fit WGT (ncb * Kh*Kw*Cin words).
  const int64_t most_cin = std::max<int64_t>(
      1, c.wgt_depth() / ((cout + C - 1) / C * kh * kw));
  const int64_t cin = 1 + int64_t(rng() % uint64_t(std::min<int64_t>(most_cin, 2 * C + 3)));
  const int64_t h = std::max(kh, 1 + int64_t(rng() % 7));
  const int64_t w = std::max(kw, 1 + int64_t(rng() % uint64_t(2 * R + 6)));
  d.x = random_tensor(rng, {n, cin, h, w}, D);
  d.layer.weights = random_tensor(rng, {cout, cin, kh, kw}, D);
  fusegen::Conv2dParams p;
  p.stride_h = p.stride_w = d.layer.stride;
  p.pad_h = d.layer.pad_h;
  p.pad_w = d.layer.pad_w;
  p.acc_w = c.array.acc_w;
  d.golden = fusegen::conv2d(d.x, d.layer.weights, p);
  d.describe = fmt::format("seed {} conv2d x [{}] -> {} {}x{} stride {} pad {},{}", seed,
                           fmt::join(d.x.shape, ","), cout, kh, kw, d.layer.stride,
                           d.layer.pad_h, d.layer.pad_w);
  d.layer.requantize = may_requant && rng() % 2 == 0;
  if (d.layer.requantize) {
    d.layer.relu = rng() % 2 == 0;
    const int spread = D - 2 + fusegen::clog2(kh * kw * cin) / 2 + int(rng() % 5) - 2;
    d.layer.shift = std::clamp(spread, 0, c.array.acc_w - 1);
    d.golden = fusegen::requantize(d.golden, d.layer.shift, d.layer.relu, D);
    d.describe += fmt::format("{}>>{} out", d.layer.relu ? " relu" : "", d.layer.shift);
  }
  return d;
}

class Regress {
 public:
  Regress(int argc, char** argv) : argc_(argc), argv_(argv) {}
  int run() {
    try {
      return run_checked();
    } catch (const std::exception& e) {
      fmt::print(stderr, "accel_regress: error: {}\n", e.what());
      return 2;
    }
  }

 private:
  int run_checked() {
    cxxopts::Options o("accel_regress", "random-program regression of one accelerator");
    auto int_opt = [](const char* d) { return cxxopts::value<int>()->default_value(d); };
    o.add_options()("rows", "R", cxxopts::value<int>())("cols", "C", cxxopts::value<int>())(
        "data-width", "", int_opt("8"))("acc-width", "", int_opt("32"))(
        "bus-width", "", int_opt("64"))("act-kb", "", int_opt("1"))("wgt-kb", "", int_opt("1"))(
        "out-kb", "", int_opt("1"))("ibuf-depth", "", int_opt("64"))(
        "mac-stages", "", int_opt("3"))("bcast-group", "", int_opt("8"))(
        "seeds", "", cxxopts::value<std::string>()->default_value("1"))(
        "sim-seeds", "", cxxopts::value<std::string>()->default_value(""))(
        "stall", "", cxxopts::value<double>()->default_value("0.3"))(
        "layers", "", int_opt("3"))("fc", "")("large", "")("build-only", "")("errors", "")("registers", "")(
        "inject-fault", "")("dw", "")("conv2d", "")("fuzz", "")(
        "im2col", "", cxxopts::value<std::string>()->default_value("on"));
    const auto r = fusegen::parse_tb_args(o, argc_, argv_);
    if (!r.count("rows") || !r.count("cols")) throw fusegen::Error("--rows and --cols are required");
    cfg_.array.rows = r["rows"].as<int>();
    cfg_.array.cols = r["cols"].as<int>();
    cfg_.array.data_w = r["data-width"].as<int>();
    cfg_.array.acc_w = r["acc-width"].as<int>();
    cfg_.array.mac_stages = r["mac-stages"].as<int>();
    cfg_.array.bcast_group = r["bcast-group"].as<int>();
    cfg_.bus_width = r["bus-width"].as<int>();
    cfg_.act_kb = r["act-kb"].as<int>();
    cfg_.wgt_kb = r["wgt-kb"].as<int>();
    cfg_.out_kb = r["out-kb"].as<int>();
    cfg_.ibuf_depth = r["ibuf-depth"].as<int>();
    if (r["im2col"].as<std::string>() != "on" && r["im2col"].as<std::string>() != "off")
      throw fusegen::Error("--im2col must be on or off");
    cfg_.im2col = r["im2col"].as<std::string>() == "on";
    cfg_.validate(fusegen::ArrayConfig::Naming::kOption);
    stall_ = r["stall"].as<double>();
    exe_ = fusegen::ensure_accel_tb(cfg_);
    fmt::print("testbench {}\n", exe_);
    if (r.count("build-only")) return 0;
    if (r.count("registers")) return registers() ? 0 : 1;
    if (r.count("errors")) return errors() ? 0 : 1;
    bool all = true;
    std::vector<uint64_t> sim_seeds =
        fusegen::parse_seed_list("sim-seeds", r["sim-seeds"].as<std::string>());
    if (sim_seeds.empty()) sim_seeds = {0};  // zero initial state
    const bool fault = r.count("inject-fault") > 0;
    for (uint64_t seed : fusegen::parse_seed_list("seeds", r["seeds"].as<std::string>()))
      for (uint64_t sim_seed : sim_seeds) {
        if (r.count("fuzz")) {
          all = fuzz_case(seed, sim_seed) && all;
          continue;
        }
        if (r.count("dw")) {
          const DwCase d = random_dw(cfg_, seed, !fault);
          // Odd seeds: the double-buffered program (background LOAD / STORE, NARROW).
          const fusegen::AccelProgram p =
              fusegen::compile_depthwise(cfg_, d.x, d.layer, seed % 2 == 1);
          all = program_case(p, d.golden, d.describe + overlap_note(p, seed % 2 == 1), seed,
                             sim_seed, fault) && all;
          continue;
        }
        if (r.count("conv2d")) {
          const DwCase d = random_conv2d(cfg_, seed, !fault);
          fusegen::AccelConv2dLayer l;
          l.name = d.layer.name;
          l.weights = d.layer.weights;
          l.stride = d.layer.stride;
          l.pad_h = d.layer.pad_h;
          l.pad_w = d.layer.pad_w;
          l.requantize = d.layer.requantize;
          l.shift = d.layer.shift;
          l.relu = d.layer.relu;
          const fusegen::AccelProgram p =
              fusegen::compile_conv2d(cfg_, d.x, l, seed % 2 == 1);
          // The layout the compiler chose: its window registers (Kw 1 and S 1 with Kw > 1:
          // column-expanded).
          std::string window;
          for (const isa::Instr& in : p.program)
            if ((in.w[0] & 0xf) == isa::kWin)
              window = fmt::format(" window Cin {} Kw {} S {}", in.w[1] & 0xffff,
                                   (in.w[1] >> 16) & 0xff, in.w[1] >> 24);
          all = program_case(p, d.golden,
                             d.describe + window + overlap_note(p, seed % 2 == 1), seed,
                             sim_seed, fault) && all;
          continue;
        }
        all = chain_case(seed, sim_seed, r["layers"].as<int>(), r.count("fc") > 0,
                         r.count("large") > 0, fault) && all;
      }
    return all ? 0 : 1;
  }

  bool report(bool ok, const std::string& what) {
    fmt::print("{} {}\n", ok ? "ok  " : "FAIL", what);
    std::fflush(stdout);
    return ok;
  }

  static std::string overlap_note(const fusegen::AccelProgram& p, bool asked) {
    return p.overlapped ? " overlapped" : asked ? " (overlap fell back)" : "";
  }

  // One random chain: golden vs model, then the RTL without and with backpressure.
  bool chain_case(uint64_t seed, uint64_t sim_seed, int layers, bool fc, bool large,
                  bool fault) {
    const Chain ch = random_chain(cfg_, seed, fault ? 1 : layers, fc, large, !fault);
    const bool overlap = seed % 2 == 1;  // odd seeds: the double-buffered program
    const fusegen::AccelProgram p =
        fusegen::compile_gemm_chain(cfg_, ch.x, ch.layers, ch.requant, overlap);
    return program_case(p, ch.golden, ch.describe + overlap_note(p, overlap), seed, sim_seed,
                        fault);
  }

  // A compiled program: its decoded model output against golden, then the RTL against the
  // model without and with backpressure.
  bool program_case(const fusegen::AccelProgram& p, const Tensor& golden,
                    const std::string& describe, uint64_t seed, uint64_t sim_seed, bool fault) {
    fusegen::AccelModel model(cfg_);
    const fusegen::AccelRun m = model.run(p.program, 0, p.input);
    const Tensor got = fusegen::decode_output(cfg_, p, m.output);
    const bool ok = report(m.err == 0 && got.shape == golden.shape && got.data == golden.data,
                           fmt::format("model == golden: {} ({} instructions, {} cycles)",
                                       describe, p.program.size(), m.cycles));
    return rtl_case(p.program, p.input, m, describe, seed, sim_seed, fault) && ok;
  }

  // The RTL against the model's run m of the program: output beats, TLAST, the interrupt, and
  // CYCLES without backpressure; then the same with backpressure (cycles not compared).
  bool rtl_case(const std::vector<isa::Instr>& program, const std::vector<Beat>& input,
                const fusegen::AccelRun& m, const std::string& describe, uint64_t seed,
                uint64_t sim_seed, bool fault) {
    bool ok = true;
    for (double stall : {0.0, stall_}) {
      fusegen::AccelTbJob job;
      job.ibuf = program;
      job.runs.push_back({0, input, true, m.output});
      job.seed = seed;
      job.stall = stall;
      job.irq = seed % 2 == 1;
      job.sim_seed = sim_seed;
      if (fault) {  // flip bit 0 of the first input beat: weight (0, 0) of the only layer
        job.fault_beat = 0;
        job.fault_bit = 0;
      }
      int rc = 0;
      const nlohmann::json res = fusegen::run_accel_tb(exe_, cfg_, job, &rc);
      const auto& run = res["runs"][0];
      std::string what = fmt::format("rtl == model (stall {:.2f}, sim seed {}): {}", stall,
                                     sim_seed, describe);
      bool case_ok = rc == 0 && run["err_code"] == 0;
      if (!run["mismatch"].is_null()) {
        fmt::print("MISMATCH output stream differs from the model at beat {}: expected {}, "
                   "actual {}\n", run["mismatch"]["beat"].get<uint64_t>(),
                   run["mismatch"]["expected"].get<std::string>(),
                   run["mismatch"]["actual"].get<std::string>());
        case_ok = false;
      }
      if (!run["protocol"].get<std::string>().empty()) {
        what += " protocol: " + run["protocol"].get<std::string>();
        case_ok = false;
      }
      const std::vector<uint64_t> last = run["last"];
      if (last != m.last) {
        what += " TLAST positions differ";
        case_ok = false;
      }
      if (job.irq && !run["irq_seen"].get<bool>()) {
        what += " irq_o never rose";
        case_ok = false;
      }
      const uint64_t cycles = run["cycles"];
      what += fmt::format(" cycles rtl {} model {}", cycles, m.cycles);
      if (stall == 0 && cycles != m.cycles) case_ok = false;
      ok = report(case_ok, what) && ok;
      if (fault) break;
    }
    return ok;
  }

  // A random version-4 program (--fuzz): LOADs and STOREs of both spaces (half of them
  // ASYNC, result STOREs half NARROW), GEMMs and CONVs writing ACT, raw or NARROW results,
  // WINs with GEMMs through random windows (rotations, phases, several lines per position),
  // and SYNCs, over small address windows so that instructions touch each other's words. The
  // model's race rule decides: an instruction the model rejects as a race gets a SYNC of both
  // units in front of it. The RTL must then match the model beat for beat and cycle for cycle
  // (interlocks and background timing included).
  bool fuzz_case(uint64_t seed, uint64_t sim_seed) {
    std::mt19937_64 rng(seed * 7919 + 17);
    const int R = cfg_.array.rows, C = cfg_.array.cols, D = cfg_.array.data_w;
    const uint32_t lines = uint32_t(std::min(cfg_.act_depth(), 8));
    const uint32_t words = uint32_t(std::min(cfg_.wgt_depth(), 24));
    const uint32_t outs = uint32_t(std::min(cfg_.out_depth(), 4 * R));
    auto pick = [&](uint32_t n) { return uint32_t(rng() % n); };
    std::vector<isa::Instr> prog;
    std::vector<Beat> input;
    auto load_words = [&](uint64_t n) {
      std::vector<std::vector<int64_t>> w(n, std::vector<int64_t>(size_t(C)));
      for (auto& word : w)
        for (auto& v : word) v = draw(rng, D);
      const auto beats = fusegen::pack_words(w, D, cfg_.bus_width);
      input.insert(input.end(), beats.begin(), beats.end());
    };
    // Every word the program may read starts defined.
    prog.push_back(isa::load(isa::kAct, 0, lines * uint32_t(R)));
    load_words(uint64_t(lines) * uint64_t(R));
    prog.push_back(isa::load(isa::kWgt, 0, words));
    load_words(words);
    prog.push_back(isa::gemm(true, false, 0, 0, 0, 0, 1, std::max(1u, outs / uint32_t(R)), 1));
    const int n = 10 + int(rng() % 12);
    int syncs = 0;
    for (int i = 0; i < n; ++i) {
      isa::Instr in;
      std::vector<isa::Instr> pre;  // instructions that go with it (WIN before a GEMM with WIN)
      uint64_t load_n = 0;
      bool dest_act_clash = false;
      const bool async = rng() % 2 == 0;
      switch (rng() % 8) {
        case 0: {  // LOAD activations
          const uint32_t base = pick(lines), cnt = 1 + pick((lines - base) * uint32_t(R));
          in = isa::load(isa::kAct, base, cnt);
          load_n = cnt;
          break;
        }
        case 1: {  // LOAD weights
          const uint32_t base = pick(words), cnt = 1 + pick(std::min(words - base, 6u));
          in = isa::load(isa::kWgt, base, cnt);
          load_n = cnt;
          break;
        }
        case 2: {  // STORE activations
          const uint32_t base = pick(lines), cnt = 1 + pick((lines - base) * uint32_t(R));
          in = isa::store(isa::kAct, base, cnt);
          break;
        }
        case 3: {  // STORE results, raw or NARROW
          const uint32_t base = pick(outs), cnt = 1 + pick(outs - base);
          in = isa::store(isa::kOut, base, cnt);
          if (rng() % 2) in = isa::narrow(in);
          break;
        }
        case 4: {  // GEMM
          const uint32_t t = 1 + pick(std::min(uint32_t(2 * C), words));
          const uint32_t lpb = (t + uint32_t(C) - 1) / uint32_t(C);  // lines per pixel block
          uint32_t npb = 1 + pick(std::max(1u, std::min(2u, lines / lpb)));
          uint32_t ncb = 1 + pick(std::max(1u, std::min(2u, words / t)));
          const int dest = int(rng() % 3);  // ACT, raw, NARROW
          if (npb * ncb * (dest == 0 ? 1u : uint32_t(R)) > (dest == 0 ? lines : outs))
            npb = ncb = 1;
          const uint32_t a = pick(lines - npb * lpb + 1), w = pick(words - ncb * t + 1);
          const uint32_t f = npb * ncb;
          // ACT results never overlap the lines read (the folds are pipelined: unspecified)
          uint32_t o = dest == 0 ? pick(lines - f + 1) : pick(outs - f * uint32_t(R) + 1);
          if (dest == 0 && o + f > a && o < a + npb * lpb) dest_act_clash = true;
          in = isa::gemm(dest != 0, rng() % 2 == 0, int(rng() % 12), a, o, w, t, npb, ncb);
          if (dest == 2) in = isa::narrow(in);
          break;
        }
        case 5: {  // CONV: one or two groups of one pass, windows of 1..3 taps
          isa::ConvFields c;
          c.k = 1 + pick(3);
          const uint32_t span = (uint32_t(C) + c.k - 2) / uint32_t(C) + 1;  // lines per window
          c.groups = 1 + pick(2);
          c.lw = span;
          if (c.groups * span > lines) c.groups = 1;
          c.tiles = 1;
          const int dest = int(rng() % 3);
          if (dest != 0 && c.groups * uint32_t(R) > outs) c.groups = 1;
          c.a_base = pick(lines - c.groups * span + 1);
          c.w_base = pick(words - c.groups * c.k + 1);
          c.o_base = dest == 0 ? pick(lines - c.groups + 1)
                               : pick(outs - c.groups * uint32_t(R) + 1);
          if (dest == 0 && c.o_base + c.groups > c.a_base &&
              c.o_base < c.a_base + c.groups * span)
            dest_act_clash = true;
          in = isa::conv(dest != 0, rng() % 2 == 0, int(rng() % 10), c);
          if (dest == 2) in = isa::narrow(in);
          break;
        }
        case 6: {  // WIN and a GEMM with WIN, small random window registers
          if (!cfg_.im2col) {  // no window generator: WIN is an unknown opcode
            dest_act_clash = true;
            break;
          }
          isa::WinFields f;
          f.cin = 1 + pick(uint32_t(C) + 1);
          f.kw = 1 + pick(3);
          f.s = 1 + pick(2);
          f.cpl = 1 + pick(2);
          f.lq = pick(3);
          f.lh = pick(3);
          f.bpr = 1 + pick(2);
          f.loy = pick(3);
          const uint32_t t = 1 + pick(std::min(uint32_t(3 * C), words));
          const uint32_t npb = 1 + pick(3), ncb = 1 + pick(std::max(1u, std::min(2u, words / t)));
          const int dest = int(rng() % 3);  // ACT, raw, NARROW
          const uint32_t f_all = npb * ncb;
          const uint32_t o = dest == 0 ? pick(lines - std::min(lines, f_all) + 1)
                                       : pick(outs - std::min(outs, f_all * uint32_t(R)) + 1);
          in = isa::windowed(isa::gemm(dest != 0, rng() % 2 == 0, int(rng() % 12), pick(lines),
                                       o, pick(words - std::min(words, ncb * t) + 1), t, npb,
                                       ncb));
          if (dest == 2) in = isa::narrow(in);
          pre.push_back(isa::win(f));
          // Redrawn unless it stays inside the memories and off the lines it reads (results on
          // them are unspecified): the model, after a SYNC, must run it without error.
          std::vector<isa::Instr> alone = prog;
          alone.push_back(isa::sync(true, true));
          alone.push_back(pre.back());
          alone.push_back(in);
          alone.push_back(isa::end());
          try {
            dest_act_clash = fusegen::AccelModel(cfg_).run(alone, 0, input).err != 0;
          } catch (const fusegen::Error&) {
            dest_act_clash = true;
          }
          break;
        }
        default:
          in = isa::sync(rng() % 2 == 0, rng() % 2 == 0);
      }
      if (dest_act_clash) {  // redraw
        --i;
        continue;
      }
      const uint32_t op = in.w[0] & 0xf;
      if (async && (op == isa::kLoad || op == isa::kStore)) in = isa::async(in);
      // Keep the instruction where it is if the model accepts the program so far.
      if (load_n) load_words(load_n);
      std::vector<isa::Instr> trial = prog;
      trial.insert(trial.end(), pre.begin(), pre.end());
      trial.push_back(in);
      trial.push_back(isa::end());
      bool accepted = true;
      try {
        fusegen::AccelModel(cfg_).run(trial, 0, input);
      } catch (const fusegen::Error&) {
        accepted = false;
      }
      if (!accepted) {
        prog.push_back(isa::sync(true, true));
        ++syncs;
      }
      prog.insert(prog.end(), pre.begin(), pre.end());
      prog.push_back(in);
    }
    prog.push_back(isa::end());
    if (prog.size() > size_t(cfg_.ibuf_depth))
      throw fusegen::Error("--ibuf-depth too small for --fuzz: needs " +
                           std::to_string(prog.size()));
    fusegen::AccelModel model(cfg_);
    const fusegen::AccelRun m = model.run(prog, 0, input);
    const auto wins = std::count_if(prog.begin(), prog.end(), [](const isa::Instr& in) {
      return (in.w[0] & 0xf) == isa::kWin;
    });
    const std::string describe = fmt::format(
        "fuzz seed {}: {} instructions ({} SYNCs added, {} WINs)", seed, prog.size(), syncs, wins);
    bool ok = report(m.err == 0, fmt::format("model runs {} ({} cycles, {} of them GEMM/CONV)",
                                             describe, m.cycles, m.gemm_cycles));
    ok = rtl_case(prog, input, m, describe, seed, sim_seed, false) && ok;
    if (!ok)  // the program, to reproduce the failure by hand
      for (size_t i = 0; i < prog.size(); ++i)
        fmt::print("  pc {:2}: {:08x} {:08x} {:08x} {:08x}\n", i, prog[i].w[0], prog[i].w[1],
                   prog[i].w[2], prog[i].w[3]);
    return ok;
  }

  // Scratchpad depths from docs/accel.md's geometry table, computed here from the parameters
  // (not by AccelConfig, whose values the register map reports): KiB * 8192 bits / word bits.
  struct Depths {
    int64_t act, wgt, out;  // activation lines, weight words, result words
  };
  Depths depths() const {
    const auto& a = cfg_.array;
    return {int64_t(cfg_.act_kb) * 8192 / (int64_t(a.rows) * a.cols * a.data_w),
            int64_t(cfg_.wgt_kb) * 8192 / (int64_t(a.cols) * a.data_w),
            int64_t(cfg_.out_kb) * 8192 / (int64_t(a.cols) * a.acc_w)};
  }

  // Bad programs, each with its hand-derived error code and failing instruction, then a good
  // program in the same job (the accelerator recovers after an error).
  // Window registers with CPL = S = 1, LQ = LH = 0 and the given Cin, Kw, BPR, LOY.
  static isa::WinFields win_fields(uint32_t cin, uint32_t kw, uint32_t bpr, uint32_t loy) {
    isa::WinFields f;
    f.cin = cin;
    f.kw = kw;
    f.bpr = bpr;
    f.loy = loy;
    return f;
  }
  // A raw GEMM with WIN of t slices and npb folds from ACT line a_base (weights 0.., OUT 0..).
  static isa::Instr win_gemm(uint32_t a_base, uint32_t t, uint32_t npb) {
    return isa::windowed(isa::gemm(true, false, 0, a_base, 0, 0, t, npb, 1));
  }

  bool errors() {
    const int R = cfg_.array.rows;
    const Depths d = depths();
    const uint32_t act_lines = uint32_t(d.act), wgt_words = uint32_t(d.wgt),
                   out_words = uint32_t(d.out);
    const uint32_t beats_d = uint32_t((cfg_.array.cols * cfg_.array.data_w + cfg_.bus_width - 1) /
                                      cfg_.bus_width);
    const Beat zero(size_t((cfg_.bus_width + 31) / 32), 0);
    isa::Instr bad_op;
    bad_op.w[0] = 7;
    // A WIN program's error: `err` at `pc`, or without the window generator error 1 at the WIN.
    const auto win_err = [&](int err) { return cfg_.im2col ? err : 1; };
    const auto win_pc = [&](uint32_t pc) { return cfg_.im2col ? pc : 0u; };
    struct Bad {
      std::string what;
      std::vector<isa::Instr> prog;
      uint64_t input_beats;
      int err;
      uint32_t err_pc;  // relative to the program's first instruction
    };
    std::vector<Bad> bad = {
        {"unknown opcode 7", {isa::load(1, 0, 1), bad_op}, beats_d, 1, 1},
        {"LOAD count 0", {isa::load(0, 0, 0)}, 0, 3, 0},
        {"GEMM T = 0", {isa::gemm(false, false, 0, 0, 1, 0, 0, 1, 1)}, 0, 3, 0},
        {"GEMM npb = 0", {isa::gemm(false, false, 0, 0, 1, 0, 1, 0, 1)}, 0, 3, 0},
        {"GEMM ncb = 0", {isa::gemm(true, false, 0, 0, 0, 0, 1, 1, 0)}, 0, 3, 0},
        {"GEMM shift = AccW", {isa::gemm(false, false, cfg_.array.acc_w, 0, 1, 0, 1, 1, 1)}, 0,
         3, 0},
        {"LOAD past the activation lines", {isa::load(0, act_lines - 1, uint32_t(2 * R))},
         uint64_t(R + 1) * beats_d, 2, 0},
        {"LOAD past the weight words", {isa::load(1, wgt_words, 1)}, beats_d, 2, 0},
        {"STORE past the result words", {isa::store(1, out_words, 1)}, 0, 2, 0},
        {"GEMM reading past the weights",
         {isa::gemm(true, false, 0, 0, 0, wgt_words - 1, 2, 1, 1)}, 0, 2, 0},
        {"GEMM writing past the results",
         {isa::gemm(true, false, 0, 0, out_words - uint32_t(R) + 1, 0, 1, 1, 1)}, 0, 2, 0},
        // Background transfers (ISA version 3): the unit's error names its instruction, and
        // what started before it runs to its end.
        {"ASYNC STORE count 0", {isa::async(isa::store(1, 0, 0))}, 0, 3, 0},
        {"ASYNC LOAD past the weight words, then SYNC",
         {isa::async(isa::load(1, wgt_words - 1, 2)), isa::sync(true, false)}, 2 * beats_d, 2,
         0},
        // the LOAD fails at its second word while a raw GEMM (reading weight word 0) runs
        {"ASYNC LOAD past the weight words during a GEMM",
         {isa::async(isa::load(1, wgt_words - 1, 2)), isa::gemm(true, false, 0, 0, 0, 0, 1, 1, 1)},
         2 * beats_d, 2, 0},
        // the STORE fails after its first word; the LOAD started before that runs to its end
        {"ASYNC STORE past the result words, a LOAD after it",
         {isa::async(isa::store(1, out_words - 1, 2)), isa::load(1, 0, 1), isa::end()}, beats_d,
         2, 0},
        // GEMM with WIN (ISA version 4): unusable window registers, reads past ACT. Without
        // the window generator (--im2col off) WIN is an unknown opcode.
        {"WIN with Cin 0, GEMM with WIN", {isa::win(win_fields(0, 1, 1, 0)), win_gemm(0, 1, 1)},
         0, win_err(3), win_pc(1)},
        {"WIN with BPR 0, GEMM with WIN", {isa::win(win_fields(1, 1, 0, 0)), win_gemm(0, 1, 1)},
         0, win_err(3), win_pc(1)},
        // slice 1 (kw 1, offset 1): bank 0 reads the line after a_base (the last line)
        {"GEMM with WIN: the rotated banks read past ACT",
         {isa::win(win_fields(1, 2, 1, 0)), win_gemm(act_lines - 1, 2, 1)}, 0, win_err(2),
         win_pc(1)},
        // the second fold is the next output row, LOY lines on
        {"GEMM with WIN: the next output row is past ACT",
         {isa::win(win_fields(1, 1, 1, act_lines)), win_gemm(0, 1, 2)}, 0, win_err(2),
         win_pc(1)},
        // after runs that set usable window registers: START cleared them
        {"GEMM with WIN before the run's first WIN", {win_gemm(0, 1, 1)}, 0, 3, 0},
    };
    // CONV: each field that must be non-zero, the shift, and each memory overrun.
    auto conv = [](bool raw, int shift, uint32_t a_base, uint32_t o_base, uint32_t w_base,
                   uint32_t lw, uint32_t k, uint32_t passes, uint32_t tiles, uint32_t groups) {
      isa::ConvFields f;
      f.a_base = a_base;
      f.o_base = o_base;
      f.w_base = w_base;
      f.lw = lw;
      f.k = k;
      f.passes = passes;
      f.tiles = tiles;
      f.groups = groups;
      return isa::conv(raw, false, shift, f);
    };
    const int C = cfg_.array.cols;
    const std::vector<Bad> bad_conv = {
        {"CONV K = 0", {conv(false, 0, 0, 1, 0, 1, 0, 1, 1, 1)}, 0, 3, 0},
        {"CONV passes = 0", {conv(false, 0, 0, 1, 0, 1, 3, 0, 1, 1)}, 0, 3, 0},
        {"CONV tiles = 0", {conv(true, 0, 0, 0, 0, 1, 3, 1, 0, 1)}, 0, 3, 0},
        {"CONV groups = 0", {conv(true, 0, 0, 0, 0, 1, 3, 1, 1, 0)}, 0, 3, 0},
        {"CONV shift = AccW", {conv(false, cfg_.array.acc_w, 0, 1, 0, 1, 1, 1, 1, 1)}, 0, 3, 0},
        // 2 passes of 3 taps from the last 5 words: the 6th tap is past the weights
        {"CONV reading past the weights", {conv(true, 0, 0, 0, wgt_words - 5, 2, 3, 2, 1, 1)}, 0,
         2, 0},
        // the second group's window starts LW = act_lines lines further
        {"CONV reading past the activation lines",
         {conv(true, 0, 0, 0, 0, act_lines, 1, 1, 1, 2)}, 0, 2, 0},
        // a window of C + K - 1 = 2C elements from the last line reaches the line after it
        {"CONV window past the activation lines",
         {conv(true, 0, act_lines - 1, 0, 0, 1, uint32_t(C + 1), 1, 1, 1)}, 0, 2, 0},
        {"CONV writing past the results",
         {conv(true, 0, 0, out_words - uint32_t(R), 0, 1, 1, 1, 2, 1)}, 0, 2, 0},
        {"CONV writing past the activation lines",
         {conv(false, 0, 0, act_lines - 1, 0, 1, 1, 1, 1, 2)}, 0, 2, 0},
    };
    bad.insert(bad.end(), bad_conv.begin(), bad_conv.end());
    // Good program after the bad ones: a 1-layer chain.
    const Chain ch = random_chain(cfg_, 99, 1, false);
    const fusegen::AccelProgram good = fusegen::compile_gemm_chain(cfg_, ch.x, ch.layers);
    fusegen::AccelTbJob job;
    job.seed = 5;
    job.stall = stall_;
    std::vector<uint32_t> starts;
    fusegen::AccelModel model(cfg_);
    std::vector<fusegen::AccelRun> expect;
    for (const auto& b : bad) {
      starts.push_back(uint32_t(job.ibuf.size()));
      job.ibuf.insert(job.ibuf.end(), b.prog.begin(), b.prog.end());
    }
    // A program running past the buffer: a LOAD in the last slot.
    const uint32_t last_pc = uint32_t(cfg_.ibuf_depth - 1);
    const uint32_t good_pc = uint32_t(job.ibuf.size());
    job.ibuf.insert(job.ibuf.end(), good.program.begin(), good.program.end());
    if (job.ibuf.size() > last_pc) throw fusegen::Error("--ibuf-depth too small for --errors");
    job.ibuf.resize(last_pc);
    job.ibuf.push_back(isa::load(1, 0, 1));
    bool ok = true;
    for (size_t i = 0; i < bad.size(); ++i) {
      const std::vector<Beat> in(bad[i].input_beats, zero);
      job.runs.push_back({starts[i], in, false, {}});
      const fusegen::AccelRun m = model.run(job.ibuf, starts[i], in);
      ok = report(m.err == bad[i].err && m.err_pc == starts[i] + bad[i].err_pc,
                  fmt::format("model: {} -> error {} at {} (expected {} at {})", bad[i].what,
                              m.err, m.err_pc, bad[i].err, starts[i] + bad[i].err_pc)) && ok;
      expect.push_back(m);
    }
    {
      const std::vector<Beat> in(beats_d, zero);
      job.runs.push_back({last_pc, in, false, {}});
      const fusegen::AccelRun m = model.run(job.ibuf, last_pc, in);
      ok = report(m.err == 4 && m.err_pc == uint32_t(cfg_.ibuf_depth),
                  fmt::format("model: running past the buffer -> error {} at {}", m.err,
                              m.err_pc)) && ok;
      expect.push_back(m);
    }
    const fusegen::AccelRun mg = model.run(job.ibuf, good_pc, good.input);
    job.runs.push_back({good_pc, good.input, true, mg.output});
    int rc = 0;
    const nlohmann::json res = fusegen::run_accel_tb(exe_, cfg_, job, &rc);
    for (size_t i = 0; i < expect.size(); ++i) {
      const auto& run = res["runs"][i];
      const std::string what = i < bad.size() ? bad[i].what : "running past the buffer";
      const int err = run["err_code"];
      const uint32_t pc = run["err_pc"];
      ok = report(err == expect[i].err && pc == expect[i].err_pc &&
                      run["input_used"].get<uint64_t>() == expect[i].input_beats,
                  fmt::format("rtl: {} -> error {} at {} after {} input beats (model {} at {} "
                              "after {})", what, err, pc, run["input_used"].get<uint64_t>(),
                              expect[i].err, expect[i].err_pc, expect[i].input_beats)) && ok;
    }
    const auto& gr = res["runs"][expect.size()];
    ok = report(gr["err_code"] == 0 && gr["mismatch"].is_null() &&
                    fusegen::decode_output(cfg_, good, mg.output).data == ch.golden.data,
                "rtl: a good program after the errors is bit-exact") && ok;
    return ok;
  }

  // The register map (docs/accel.md), values derived here from the parameters.
  bool registers() {
    const auto& a = cfg_.array;
    fusegen::AccelTbJob job;
    job.seed = 3;
    job.stall = stall_;
    job.reg_writes = {{0x08, 5, 0x3},   // partial write: SLVERR, PC_START unchanged
                      {0x08, 9, 0xf},   // PC_START = 9
                      {0x10, 1, 0xf},   // CYCLES is read-only
                      {0x40, 1, 0xf},   // unmapped
                      {0x80000 + 16 * uint32_t(cfg_.ibuf_depth), 1, 0xf}};  // past the buffer
    job.reg_reads = {0x00, 0x04, 0x08, 0x18, 0x1c, 0x20, 0x24, 0x28, 0x2c, 0x30, 0x34, 0x38,
                     0x80000};
    int rc = 0;
    const nlohmann::json res = fusegen::run_accel_tb(exe_, cfg_, job, &rc);
    const std::vector<int> wresp = {2, 0, 2, 2, 2};
    bool ok = true;
    for (size_t i = 0; i < wresp.size(); ++i)
      ok = report(res["writes"][i]["resp"] == wresp[i],
                  fmt::format("write {:#x}: BRESP {}", job.reg_writes[i][0],
                              res["writes"][i]["resp"].get<int>())) && ok;
    const Depths d = depths();
    const std::vector<std::pair<int64_t, int>> want = {
        {0, 0}, {0, 0}, {9, 0}, {(int64_t(a.cols) << 16) | a.rows, 0},
        {(int64_t(cfg_.bus_width) << 16) | (a.acc_w << 8) | a.data_w, 0}, {d.act, 0}, {d.wgt, 0},
        {d.out, 0}, {cfg_.ibuf_depth, 0}, {0xF5E00004, 0}, {cfg_.im2col ? 1 : 0, 0}, {0, 2},
        {0, 2}};
    for (size_t i = 0; i < want.size(); ++i) {
      const auto& rd = res["reads"][i];
      const bool good = rd["resp"] == want[i].second &&
                        (want[i].second != 0 || rd["data"].get<int64_t>() == want[i].first);
      ok = report(good, fmt::format("read {:#x}: {:#x} RRESP {} (expected {:#x} RRESP {})",
                                    job.reg_reads[i], rd["data"].get<int64_t>(),
                                    rd["resp"].get<int>(), want[i].first, want[i].second)) && ok;
    }
    return ok;
  }

  int argc_;
  char** argv_;
  AccelConfig cfg_;
  std::string exe_;  // the Verilated testbench of cfg_
  double stall_ = 0.3;
};

}  // namespace

int main(int argc, char** argv) { return Regress(argc, argv).run(); }
