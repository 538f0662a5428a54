// Progress of long commands on a terminal: one status line on stderr, rewritten in place and
// cleared when the work ends. Shown only when stderr is a terminal and progress is not turned
// off (`fusegen --quiet`, or FUSEGEN_QUIET set in the environment), so pipes, logs and CI
// output stay clean.
#pragma once

#include <chrono>
#include <string>

namespace fusegen {

// Turns progress off (or on again) for the whole process.
void set_progress_quiet(bool quiet);
// True when progress lines are shown: stderr is a terminal and progress is not turned off.
bool progress_enabled();

// One unit of long work: `Progress p("cache-study", 4); p.step("alexnet", 1);` shows
// "cache-study: 1/4 alexnet" and refreshes the elapsed time at most a few times a second.
class Progress {
 public:
  // total 0: the number of steps is not known.
  Progress(std::string what, long total);
  ~Progress();  // clears the line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  // Step `done` of the total is running, described by `detail`.
  void step(const std::string& detail, long done);

 private:
  void draw(bool force);

  std::string what_;                                   // the work, e.g. "cache-study"
  std::string detail_;                                 // what runs now
  long total_ = 0;                                     // steps in all (0: unknown)
  long done_ = 0;                                      // current step
  bool shown_ = false;                                 // a line was drawn
  std::chrono::steady_clock::time_point start_, last_; // start and last redraw
};

}  // namespace fusegen
