// The accelerator's timing rules (docs/accel.md, "Timing" and "Background transfers"), in one
// place: the cycles of each instruction running alone, and the timeline of the three units
// (issue, stream-in, stream-out) that decides when each instruction starts. Used by the
// instruction-set model (golden/accel_model.h, with the data) and by the compilers' cost
// estimate (program_cycles).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "golden/accel_config.h"

namespace fusegen {

// Cycles of an instruction that starts at once and runs alone, fetch and decode included.
uint64_t load_cycles(const AccelConfig& c, uint64_t count);
// wide: result words (C x AccW bits, space 1 without NARROW); else C x DataW-bit words.
uint64_t store_cycles(const AccelConfig& c, uint64_t count, bool wide);
// folds = npb * ncb; raw: results to OUT without requantization (space 1 without NARROW).
uint64_t gemm_cycles(const AccelConfig& c, uint64_t t, uint64_t folds, bool raw);
// folds = G * NT * P folds of a window of C + k - 1 elements.
uint64_t conv_cycles(const AccelConfig& c, uint64_t k, uint64_t folds, bool raw);

// The timeline: the fetch cycle of the next instruction and the last active cycle of each
// stream unit. An instruction fetched in f = next_fetch() is decoded from f + 1 and starts in
// the cycle *_start() returns (a unit is done in the cycle after its last active one); the
// caller then records what it did.
class AccelTimeline {
 public:
  uint64_t next_fetch() const { return next_fetch_; }

  uint64_t load_start() const;   // waits for the stream-in unit
  uint64_t store_start() const;  // waits for the stream-out unit
  // A GEMM / CONV waits while a STORE of activations runs (both read ACT) and, when it writes
  // ACT, while a LOAD of activations runs (both write ACT).
  uint64_t array_start(bool writes_act) const;
  uint64_t sync_start(bool loads, bool stores) const;
  uint64_t end_start() const;  // waits for both units

  // A transfer started in d whose unit is active until `last` (act: it moves activation words);
  // the next instruction is fetched in d + 1 with ASYNC, else in last + 1.
  void loaded(uint64_t d, uint64_t last, bool act, bool async);
  void stored(uint64_t d, uint64_t last, bool act, bool async);
  // A GEMM / CONV of `cycles` (its fetch and decode included) started in d.
  void computed(uint64_t d, uint64_t cycles) { next_fetch_ = d - 1 + cycles; }
  void synced(uint64_t d) { next_fetch_ = d + 1; }

 private:
  static uint64_t done(const std::optional<uint64_t>& last) { return last ? *last + 1 : 0; }
  uint64_t decode() const { return next_fetch_ + 1; }

  uint64_t next_fetch_ = 0;
  std::optional<uint64_t> ld_last_, st_last_;
  bool ld_act_ = false, st_act_ = false;
};

// The CYCLES a program takes with streams that never stall (what AccelModel::run reports for a
// program that runs without error), from the instructions alone. Instructions the compilers do
// not produce (unknown opcodes) end the count.
uint64_t program_cycles(const AccelConfig& c, const std::vector<isa::Instr>& program);

}  // namespace fusegen
