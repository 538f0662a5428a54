// Shared by the accelerator's compilers (golden/accel_compiler.cpp, the GEMM chains, and
// golden/accel_conv_compiler.cpp, the depthwise layers): checks of operand values in the DataW
// range and of requantization shifts the instruction format takes, and the scheduler of
// overlapped (double-buffered) programs. Internal to golden/.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"
#include "golden/accel_compiler.h"
#include "golden/accel_config.h"
#include "golden/accel_model.h"

namespace fusegen {

// Throws "<what> V (element i) is outside the D-bit data range lo..hi" for the first value
// outside the signed data_w range.
inline void check_data_range(const std::vector<int64_t>& values, int data_w,
                             const std::string& what) {
  for (size_t i = 0; i < values.size(); ++i)
    if (values[i] < signed_min(data_w) || values[i] > signed_max(data_w))
      throw Error(fmt::format("{} {} (element {}) is outside the {}-bit data range {}..{}", what,
                              values[i], i, data_w, signed_min(data_w), signed_max(data_w)));
}

// Throws "<label>: shift S is out of range: allowed 0..A-1 (accumulator width A)".
inline void check_shift(const AccelConfig& c, int shift, const std::string& label) {
  if (shift < 0 || shift >= c.array.acc_w)
    throw Error(fmt::format("{}: shift {} is out of range: allowed 0..{} (accumulator width {})",
                            label, shift, c.array.acc_w - 1, c.array.acc_w));
}

// The checks a convolution's compiler makes after its weight shape: the shift (when it
// requantizes), stride >= 1, padding >= 0, and every input and weight value within DataW.
inline void check_conv_values(const AccelConfig& c, const Tensor& x, const Tensor& weights,
                              bool requantize, int shift, int64_t stride, int64_t pad_h,
                              int64_t pad_w, const std::string& label) {
  if (requantize) check_shift(c, shift, label);
  if (stride < 1 || pad_h < 0 || pad_w < 0)
    throw Error(fmt::format("{}: stride {} / padding {},{}: allowed stride >= 1, padding >= 0",
                            label, stride, pad_h, pad_w));
  check_data_range(x.data, c.array.data_w, label + ": input value");
  check_data_range(weights.data, c.array.data_w, label + ": weight");
}

// ---- Overlapped programs (docs/accel.md, "Background transfers (version 3)") ----
//
// A compiler describes an overlapped program as *steps* (the GEMM / CONV instructions of one
// chunk, then an ASYNC STORE of its results) and the LOADs that feed them, each LOAD with the
// window of steps in which it may run. schedule_overlap() turns that into the instruction order:
// the LOADs that step s + 1 needs run in the background (ASYNC) while step s computes, a SYNC
// (loads) before a step waits for the LOAD it needs, and END waits for the last STOREs. The
// compilers guarantee the rule of the page by construction: a LOAD writes a buffer half that no
// step from its `ready` step up to its `need` step touches, and consecutive steps write their
// results to alternating OUT halves (a STORE is outstanding until the next STORE starts, which is
// after it is done).

// One LOAD of an overlapped program.
struct OvLoad {
  int space = 0;             // isa::kAct or isa::kWgt
  int64_t base = 0, count = 0;
  int64_t ready = 0;         // the first step during which it may run (its buffer is free)
  int64_t need = 0;          // the first step that reads it
  // Its words in stream order (called only when the program is emitted).
  std::function<std::vector<std::vector<int64_t>>()> words;
};

// One step: compute instructions (GEMM / CONV, without ASYNC), then an optional STORE.
struct OvStep {
  std::vector<isa::Instr> compute;
  size_t load_slot = 0;      // LOADs for later steps are issued before compute[load_slot]
  bool has_store = false;
  isa::Instr store;          // the STORE (the scheduler adds ASYNC)
  uint64_t store_beats = 0;  // output-stream beats of the STORE
};

// Gives st its STORE of `count` OUT words from o_base: NARROW (DataW lanes) when the step's
// results were requantized into OUT, else the raw accumulators.
inline void set_result_store(const AccelConfig& c, OvStep& st, int64_t o_base, int64_t count,
                             bool narrow) {
  const isa::Instr sto =
      isa::store(isa::kOut, static_cast<uint32_t>(o_base), static_cast<uint32_t>(count));
  st.has_store = true;
  st.store = narrow ? isa::narrow(sto) : sto;
  st.store_beats = static_cast<uint64_t>(count * (narrow ? c.beats_d() : c.beats_a()));
}

// Steps and loads of an overlapped program, before scheduling.
struct OvPlan {
  std::vector<OvStep> steps;
  std::vector<OvLoad> loads;
};

// One instruction of a scheduled program.
struct OvOp {
  enum Kind { kLoad, kSync, kCompute, kStore, kEnd } kind = kEnd;
  size_t a = 0, b = 0;       // kLoad: load index; kCompute: step, instruction; kStore: step
};

// The instruction order of an overlapped program. LOADs are issued in order of `need` (ties in
// the order given), which is also the order of the input stream. Per step s: the LOADs it needs
// that could not run earlier (the prologue, or a buffer freed only by step s - 1), a SYNC when
// the last LOAD issued is one it needs, compute[0 .. load_slot), then the LOADs step s + 1
// needs (all of them; a second one waits in decode until the first is done) or, when there are
// none, the next LOAD if its buffer is already free (run early, to spread large loads over the
// steps that have no LOAD of their own), the rest of compute, the ASYNC STORE; at the end, END.
inline std::vector<OvOp> schedule_overlap(const std::vector<OvStep>& steps,
                                          const std::vector<OvLoad>& loads) {
  std::vector<size_t> order(loads.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return loads[a].need < loads[b].need; });
  std::vector<OvOp> ops;
  size_t next = 0;         // order[next] is the next LOAD to issue
  int64_t unsynced = -1;   // the last LOAD issued and not yet waited for (index), or -1
  auto issue = [&] {
    ops.push_back({OvOp::kLoad, order[next], 0});
    unsynced = static_cast<int64_t>(order[next++]);
  };
  for (size_t s = 0; s < steps.size(); ++s) {
    const int64_t si = static_cast<int64_t>(s);
    while (next < order.size() && loads[order[next]].need <= si) issue();
    const OvStep& st = steps[s];
    const size_t slot = std::min(st.load_slot, st.compute.size());
    // The LOADs of this step for later steps: those step s + 1 needs, else the next one if
    // its buffer is free already.
    size_t ahead = next;
    while (ahead < order.size() && loads[order[ahead]].need == si + 1 &&
           loads[order[ahead]].ready <= si)
      ++ahead;
    if (ahead == next && ahead < order.size() && loads[order[ahead]].ready <= si &&
        loads[order[ahead]].need > si + 1)
      ++ahead;
    if (unsynced >= 0 && loads[static_cast<size_t>(unsynced)].need <= si) {
      ops.push_back({OvOp::kSync, 0, 0});
      unsynced = -1;
    }
    for (size_t k = 0; k < slot; ++k) ops.push_back({OvOp::kCompute, s, k});
    while (next < ahead) issue();
    for (size_t k = slot; k < st.compute.size(); ++k) ops.push_back({OvOp::kCompute, s, k});
    if (st.has_store) ops.push_back({OvOp::kStore, s, 0});
  }
  ops.push_back({OvOp::kEnd, 0, 0});
  return ops;
}

// The instructions of a scheduled program (LOADs and STOREs with ASYNC), without the streams.
inline std::vector<isa::Instr> overlap_instructions(const std::vector<OvStep>& steps,
                                                    const std::vector<OvLoad>& loads,
                                                    const std::vector<OvOp>& ops) {
  std::vector<isa::Instr> v;
  v.reserve(ops.size());
  for (const OvOp& op : ops) switch (op.kind) {
      case OvOp::kLoad: {
        const OvLoad& l = loads[op.a];
        v.push_back(isa::async(isa::load(l.space, static_cast<uint32_t>(l.base),
                                         static_cast<uint32_t>(l.count))));
        break;
      }
      case OvOp::kSync: v.push_back(isa::sync(true, false)); break;
      case OvOp::kCompute: v.push_back(steps[op.a].compute[op.b]); break;
      case OvOp::kStore: v.push_back(isa::async(steps[op.a].store)); break;
      case OvOp::kEnd: v.push_back(isa::end()); break;
    }
  return v;
}

// Of candidate plans (build(i) fills an OvPlan and returns false when candidate i is
// impossible), the index of the one whose scheduled program fits ibuf_depth in the fewest
// program_cycles (the first on ties), or -1 when none does.
template <typename Build>
int best_overlap_candidate(const AccelConfig& c, int candidates, Build build) {
  int best = -1;
  uint64_t best_cycles = 0;
  for (int i = 0; i < candidates; ++i) {
    OvPlan ov;
    if (!build(i, ov)) continue;
    const std::vector<OvOp> ops = schedule_overlap(ov.steps, ov.loads);
    if (static_cast<int64_t>(ops.size()) > c.ibuf_depth) continue;
    const uint64_t cycles = program_cycles(c, overlap_instructions(ov.steps, ov.loads, ops));
    if (best < 0 || cycles < best_cycles) {
      best = i;
      best_cycles = cycles;
    }
  }
  return best;
}

// Candidate chunk sizes (pixel blocks or line groups per chunk) up to `most` (at least 1), for
// `total` units: most, most / 2, most / 4, ... down to 1, and total / 2, / 4, / 8, / 16 when
// smaller than most (smaller chunks: a shorter prologue and epilogue, more instructions and
// GEMM / CONV tails), each once, largest first.
inline std::vector<int64_t> chunk_candidates(int64_t most, int64_t total) {
  most = std::max<int64_t>(1, most);
  std::vector<int64_t> v;
  for (int64_t q = most;; q /= 2) {
    v.push_back(q);
    if (q == 1) break;
  }
  for (int64_t d = 2; d <= 16; d *= 2)
    if (total / d >= 1 && total / d < most) v.push_back(total / d);
  std::sort(v.begin(), v.end(), std::greater<int64_t>());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// Appends the scheduled program to p: its instructions (LOADs and STOREs with ASYNC), the input
// stream in LOAD order and the output beats; marks p as overlapped.
inline void emit_overlap(const AccelConfig& c, const std::vector<OvStep>& steps,
                         const std::vector<OvLoad>& loads, const std::vector<OvOp>& ops,
                         AccelProgram& p) {
  const std::vector<isa::Instr> v = overlap_instructions(steps, loads, ops);
  p.program.insert(p.program.end(), v.begin(), v.end());
  for (const OvOp& op : ops) {
    if (op.kind == OvOp::kLoad) {
      const OvLoad& l = loads[op.a];
      const auto words = l.words();
      if (static_cast<int64_t>(words.size()) != l.count)
        throw std::logic_error("emit_overlap: a LOAD's words differ from its count");
      const std::vector<Beat> beats = pack_words(words, c.array.data_w, c.bus_width);
      p.input.insert(p.input.end(), beats.begin(), beats.end());
    } else if (op.kind == OvOp::kStore) {
      p.output_beats += steps[op.a].store_beats;
    }
  }
  p.overlapped = true;
}

}  // namespace fusegen
