// Terminal progress line (see progress.h). The line is drawn with "\r" and padded to the width
// of the previous one; it is cleared on destruction so later output starts on a clean line.
#include "common/progress.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

namespace fusegen {

namespace {
std::atomic<bool> g_quiet{false};  // --quiet given
size_t g_width = 0;                // width of the line on screen
}  // namespace

void set_progress_quiet(bool quiet) { g_quiet = quiet; }

bool progress_enabled() {
  if (g_quiet) return false;
  if (const char* q = std::getenv("FUSEGEN_QUIET"); q && *q) return false;
  return ::isatty(STDERR_FILENO) == 1;
}

Progress::Progress(std::string what, long total)
    : what_(std::move(what)), total_(total), start_(std::chrono::steady_clock::now()),
      last_(start_) {
  draw(true);
}

Progress::~Progress() {
  if (!shown_) return;
  std::fprintf(stderr, "\r%*s\r", static_cast<int>(g_width), "");
  std::fflush(stderr);
  g_width = 0;
}

void Progress::step(const std::string& detail, long done) {
  detail_ = detail;
  done_ = done;
  draw(true);
}

void Progress::draw(bool force) {
  if (!progress_enabled()) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_ < std::chrono::milliseconds(250)) return;
  last_ = now;
  const double secs = std::chrono::duration<double>(now - start_).count();
  std::string line = "fusegen: " + what_;
  if (total_ > 0) line += fmt::format(" {}/{}", done_, total_);
  if (!detail_.empty()) line += " " + detail_;
  line += fmt::format(" ({:.0f} s)", secs);
  const size_t w = line.size();
  if (line.size() < g_width) line.append(g_width - line.size(), ' ');
  std::fprintf(stderr, "\r%s", line.c_str());
  std::fflush(stderr);
  g_width = w;
  shown_ = true;
}

}  // namespace fusegen
