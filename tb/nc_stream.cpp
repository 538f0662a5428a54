// Random null-cache transactions (see nc_stream.h). Every choice comes from one seeded
// mt19937_64, so a seed replays the same stream.
#include "tb/nc_stream.h"

#include <algorithm>

namespace nctb {

TxnStream::TxnStream(const fusegen::NullCacheConfig& c, uint64_t seed, int window_bits)
    : cfg_(c), rng_(seed) {
  full_ = c.la_mask();
  const int wb = std::min(window_bits, c.la_w());
  window_ = uint64_t{1} << wb;
  const int sb = std::min(wb + 6, c.la_w());
  scatter_ = sb >= 64 ? ~uint64_t{0} : (uint64_t{1} << sb);
  base_ = (rng_() & full_) & ~(window_ - 1);
}

uint64_t TxnStream::pick_la() {
  const uint64_t r = rng_() % 100;
  if (r < 75) return (base_ + rng_() % window_) & full_;   // dense: merges and cascades
  if (r < 85) return (base_ + (rng_() % window_) * 2) & full_;  // strided by two
  if (r < 97) return (base_ + (scatter_ == ~uint64_t{0} ? rng_() : rng_() % scatter_)) & full_;
  return rng_() & full_;  // anywhere
}

void TxnStream::near_zero_line(std::vector<uint8_t>& line) {
  const fusegen::ZdaConfig& z = cfg_.zda;
  const int eb = z.elem_w / 8;
  std::fill(line.begin(), line.end(), 0);
  for (size_t off = 0; off + eb <= line.size(); off += eb) {
    uint64_t u = 0;
    if (z.mode == fusegen::ApproxMode::kInt) {
      // Magnitudes around the threshold: mostly inside, sometimes just outside.
      const int64_t t = z.thresh;
      int64_t mag = static_cast<int64_t>(rng_() % static_cast<uint64_t>(t + 1));
      if (rng_() % 16 == 0) mag = t + 1 + static_cast<int64_t>(rng_() % 2);
      const int64_t lim = int64_t{1} << (z.elem_w - 1);
      if (mag > lim) mag = lim;
      const int64_t v = (rng_() & 1) ? -mag : mag;
      u = static_cast<uint64_t>(v);
    } else if (z.mode == fusegen::ApproxMode::kFloat) {
      // Exponents around the threshold, random sign and mantissa.
      const int64_t et = z.thresh;
      int64_t e = static_cast<int64_t>(rng_() % static_cast<uint64_t>(std::max<int64_t>(et, 1)));
      if (rng_() % 16 == 0) e = std::min<int64_t>(255, et + static_cast<int64_t>(rng_() % 2));
      u = ((rng_() & 1) << 31) | (static_cast<uint64_t>(e) << 23) | (rng_() & 0x7fffff);
    } else {
      if (rng_() % 8 == 0) u = uint64_t{1} << (rng_() % z.elem_w);  // a stray set bit
    }
    for (int b = 0; b < eb; ++b) line[off + b] = static_cast<uint8_t>(u >> (8 * b));
  }
}

fusegen::NcTxn TxnStream::next() {
  fusegen::NcTxn t;
  const uint64_t r = rng_() % 1000;
  t.la = pick_la();
  if (r < 250) {
    t.op = fusegen::NcTxn::kLookup;
    t.touch = rng_() % 4 != 0;
  } else if (r < 550) {
    t.op = fusegen::NcTxn::kInsert;
  } else if (r < 800) {
    t.op = fusegen::NcTxn::kFill;
    t.line.assign(cfg_.line_bytes, 0);
    const uint64_t k = rng_() % 10;
    if (k >= 5 && k < 8) {
      near_zero_line(t.line);
    } else if (k >= 8) {
      for (auto& b : t.line) b = static_cast<uint8_t>(rng_());
      t.line[rng_() % t.line.size()] |= 0x80;  // surely non-zero
    }
  } else if (r < 997) {
    t.op = fusegen::NcTxn::kStore;
    t.nonzero = rng_() % 2 == 0;
  } else {
    t.op = fusegen::NcTxn::kFlush;
    t.la = 0;
  }
  return t;
}

}  // namespace nctb
