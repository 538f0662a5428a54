// Scoreboard of one program: knows from the placed fold list in which cycles the port must be
// valid, with which row, and which output tensor element each column holds; compares with the
// golden stage output, collects the array's results and the measured cycle count, and keeps
// the first mismatch (cycle, row, column, expected, actual).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "tb/array_runner.h"
#include "golden/schedule.h"
#include "tb/array/array_monitor.h"

namespace tb {

class ArrayScoreboard {
 public:
  ArrayScoreboard(const fusegen::Program& p, const fusegen::Tensor& expected)
      : p_(p), expected_(expected), out_(p.out_shape) {}

  // Checks the beat observed in user cycle u (cycles ascending from 0).
  void check(int64_t u, const OutBeat& b) {
    const int R = p_.cfg.rows;
    while (next_ < p_.folds.size() &&
           (p_.folds[next_].keep || fusegen::first_out_cycle(p_.cfg, p_.folds[next_]) + R - 1 < u))
      ++next_;
    const fusegen::Fold* f = nullptr;
    int exp_row = -1;
    if (next_ < p_.folds.size()) {
      const int64_t first = fusegen::first_out_cycle(p_.cfg, p_.folds[next_]);
      if (u >= first) {
        f = &p_.folds[next_];
        exp_row = R - 1 - static_cast<int>(u - first);
      }
    }
    if (b.valid) last_valid_ = u;
    if (!f) {
      if (b.valid) fail(u, b.row, -1, 0, 1, "out_valid_o is high but no result is due");
      return;
    }
    if (!b.valid) {
      fail(u, exp_row, -1, 1, 0, fmt::format("out_valid_o is low but row {} of the hand-off at "
                                             "cycle {} is due", exp_row, f->hand));
      return;
    }
    if (b.row != exp_row) {
      fail(u, exp_row, -1, exp_row, b.row, "out_row_o is not the row due");
      return;
    }
    for (int c = 0; c < p_.cfg.cols; ++c) {
      const int64_t idx = fusegen::out_index(p_, *f, exp_row, c);
      if (idx < 0) continue;
      out_.data[static_cast<size_t>(idx)] = b.data[c];
      const int64_t e = expected_.data[static_cast<size_t>(idx)];
      if (b.data[c] != e) fail(u, exp_row, c, e, b.data[c], "result differs from the golden model");
    }
  }

  int64_t measured_cycles() const { return last_valid_ + 1; }
  const std::optional<fusegen::Mismatch>& mismatch() const { return mismatch_; }
  fusegen::Tensor& out() { return out_; }

 private:
  void fail(int64_t u, int row, int col, int64_t e, int64_t a, const std::string& what) {
    if (mismatch_) return;
    fusegen::Mismatch m;
    m.cycle = u;
    m.row = row;
    m.col = col;
    m.expected = e;
    m.actual = a;
    m.what = what;
    mismatch_ = m;
  }
  const fusegen::Program& p_;             // the placed program
  const fusegen::Tensor& expected_;       // golden stage output
  fusegen::Tensor out_;                   // results seen on the port
  size_t next_ = 0;                       // next hand-off fold whose rows are due
  int64_t last_valid_ = -1;               // last cycle with out_valid_o
  std::optional<fusegen::Mismatch> mismatch_;  // first problem
};

}  // namespace tb
