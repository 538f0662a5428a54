// The accelerator's timing rules, written from docs/accel.md ("Timing", "Background
// transfers").
#include "golden/accel_timing.h"

#include <algorithm>

namespace fusegen {

uint64_t load_cycles(const AccelConfig& c, uint64_t count) {
  return 2 + count * static_cast<uint64_t>(c.beats_d());
}

uint64_t store_cycles(const AccelConfig& c, uint64_t count, bool wide) {
  // Fetch + decode, the first word's read and capture, the beats; the next word is read while
  // a word is sent, except with one beat per word (one capture cycle between words).
  const uint64_t n = static_cast<uint64_t>(wide ? c.beats_a() : c.beats_d());
  return n == 1 ? 3 + 2 * count : 4 + count * n;
}

uint64_t gemm_cycles(const AccelConfig& c, uint64_t t, uint64_t folds, bool raw) {
  // (F - 1) * max(T, R) + T + FO + R + 7 requantized (space 0, NARROW), + 5 raw; the constant
  // part is AccelConfig::gemm_tail.
  const uint64_t R = static_cast<uint64_t>(c.array.rows);
  return (folds - 1) * std::max(t, R) + t + static_cast<uint64_t>(c.gemm_tail(raw));
}

uint64_t conv_cycles(const AccelConfig& c, uint64_t k, uint64_t folds, bool raw) {
  // (F - 1) * max(W, R) + W + FS + R + 7 / + 5 with W = C + K - 1 (AccelConfig::conv_tail).
  const uint64_t R = static_cast<uint64_t>(c.array.rows);
  const uint64_t w = static_cast<uint64_t>(c.array.cols) + k - 1;
  return (folds - 1) * std::max(w, R) + w + static_cast<uint64_t>(c.conv_tail(raw));
}

uint64_t AccelTimeline::load_start() const { return std::max(decode(), done(ld_last_)); }

uint64_t AccelTimeline::store_start() const { return std::max(decode(), done(st_last_)); }

uint64_t AccelTimeline::array_start(bool writes_act) const {
  uint64_t d = decode();
  if (st_act_) d = std::max(d, done(st_last_));
  if (writes_act && ld_act_) d = std::max(d, done(ld_last_));
  return d;
}

uint64_t AccelTimeline::sync_start(bool loads, bool stores) const {
  uint64_t d = decode();
  if (loads) d = std::max(d, done(ld_last_));
  if (stores) d = std::max(d, done(st_last_));
  return d;
}

uint64_t AccelTimeline::end_start() const { return sync_start(true, true); }

void AccelTimeline::loaded(uint64_t d, uint64_t last, bool act, bool async) {
  ld_last_ = last;
  ld_act_ = act;
  next_fetch_ = async ? d + 1 : last + 1;
}

void AccelTimeline::stored(uint64_t d, uint64_t last, bool act, bool async) {
  st_last_ = last;
  st_act_ = act;
  next_fetch_ = async ? d + 1 : last + 1;
}

uint64_t program_cycles(const AccelConfig& c, const std::vector<isa::Instr>& program) {
  c.validate();
  AccelTimeline tl;
  for (const isa::Instr& in : program) {
    const uint32_t op = in.w[0] & 0xf;
    const bool space = (in.w[0] >> 4) & 1, async = in.w[0] & isa::kAsyncBit,
               narrow = in.w[0] & isa::kNarrowBit;
    switch (op) {
      case isa::kEnd: return tl.end_start() + 1;
      case isa::kSync:
        tl.synced(tl.sync_start(in.w[1] & isa::kSyncLoads, in.w[1] & isa::kSyncStores));
        break;
      case isa::kWin: tl.synced(tl.sync_start(false, false)); break;
      case isa::kLoad: {
        const uint64_t d = tl.load_start();
        tl.loaded(d, d + load_cycles(c, in.w[2]) - 2, !space, async);
        break;
      }
      case isa::kStore: {
        const uint64_t d = tl.store_start();
        tl.stored(d, d + store_cycles(c, in.w[2], space && !narrow) - 2, !space, async);
        break;
      }
      case isa::kGemm: {
        const uint64_t folds = uint64_t{in.w[3] & 0xffff} * (in.w[3] >> 16);
        tl.computed(tl.array_start(!space), gemm_cycles(c, in.w[2] >> 16, folds, space && !narrow));
        break;
      }
      case isa::kConv: {
        const uint64_t folds = uint64_t{in.w[3] >> 16} * (in.w[3] & 0xffff) * (in.w[0] >> 24);
        tl.computed(tl.array_start(!space),
                    conv_cycles(c, (in.w[0] >> 16) & 0xff, folds, space && !narrow));
        break;
      }
      default: return tl.next_fetch();  // not produced by the compilers
    }
  }
  return tl.next_fetch();
}

}  // namespace fusegen
