// Verilator build cache (see verilator_build.h).
#include "sim/verilator_build.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include <fmt/format.h>

#include "common/fileio.h"
#include "common/text.h"
#include "common/bits.h"
#include "common/error.h"
#include "common/progress.h"

namespace fs = std::filesystem;

namespace fusegen {

namespace {

// Two independent 64-bit FNV-1a streams: a 128-bit content hash (not cryptographic; it only
// has to tell builds apart).
struct Hasher {
  uint64_t h1 = 1469598103934665603ull;         // FNV-1a offset basis
  uint64_t h2 = 1469598103934665603ull ^ 0x9e3779b97f4a7c15ull;  // second stream
  void add(const std::string& s) {
    for (unsigned char c : s) {
      h1 = (h1 ^ c) * 1099511628211ull;
      h2 = (h2 ^ c) * 1099511628211ull + 0x2545f4914f6cdd1dull;
    }
    // Length-delimit so ("ab","c") != ("a","bc").
    const std::string len = fmt::format("|{}|", s.size());
    for (unsigned char c : len) h1 = (h1 ^ c) * 1099511628211ull;
  }
  std::string hex() const { return fmt::format("{:016x}{:016x}", h1, h2).substr(0, 20); }
};

std::string read_or_empty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string log_tail(const std::string& log, size_t lines) {
  size_t pos = log.size();
  for (size_t n = 0; n <= lines && pos > 0; ++n) {
    pos = log.rfind('\n', pos - 1);
    if (pos == std::string::npos) {
      pos = 0;
      break;
    }
  }
  return log.substr(pos);
}

// Holds an exclusive flock on a file for its lifetime.
class FileLock {
 public:
  explicit FileLock(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
      throw Error(fmt::format("cannot open lock file '{}': {}", path, std::strerror(errno)));
    while (::flock(fd_, LOCK_EX) != 0) {  // retry only when a signal interrupted the wait
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd_);
      throw Error(fmt::format("cannot lock '{}': {}", path, std::strerror(err)));
    }
  }
  ~FileLock() {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;  // locked file descriptor
};

bool has_ccache() { return run_shell("command -v ccache >/dev/null 2>&1") == 0; }

}  // namespace

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'')
      q += "'\\''";
    else
      q += c;
  }
  return q + "'";
}

int run_shell(const std::string& cmd) {
  const int st = std::system(cmd.c_str());
  if (st == -1 || !WIFEXITED(st)) return -1;
  return WEXITSTATUS(st);
}

std::string rtl_cache_dir() {
  std::string d;
  if (const char* c = std::getenv("FUSEGEN_CACHE"); c && *c)
    d = c;
  else if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x)
    d = std::string(x) + "/fusegen";
  else if (const char* h = std::getenv("HOME"); h && *h)
    d = std::string(h) + "/.cache/fusegen";
  else
    d = (fs::temp_directory_path() / "fusegen-cache").string();
  std::error_code ec;
  const fs::path abs = fs::absolute(d, ec);  // builds run in other directories
  return ec ? d : abs.lexically_normal().string();
}

std::string verilator_path() {
  std::string v = FUSEGEN_VERILATOR;
  if (v.empty() || v.find("NOTFOUND") != std::string::npos)
    throw Error("verilator was not found when fusegen was configured: install it "
                "(scripts/setup.sh) and reconfigure");
  return v;
}

std::string verilator_version() {
  static std::once_flag once;
  static std::string version;
  std::call_once(once, [] {
    std::string cmd = shell_quote(verilator_path()) + " --version 2>&1";
    FILE* f = ::popen(cmd.c_str(), "r");
    if (!f) return;
    char buf[256];
    if (std::fgets(buf, sizeof buf, f)) version = buf;
    ::pclose(f);
    while (!version.empty() && (version.back() == '\n' || version.back() == '\r')) version.pop_back();
  });
  if (version.empty()) throw Error(fmt::format("'{} --version' failed", verilator_path()));
  return version;
}

std::string build_verilated(const VerilatorBuild& b) {
  const std::string verilator = verilator_path();
  const std::string src_dir = FUSEGEN_SOURCE_DIR;
  // The libraries a testbench links (tb and what it may use), space-separated.
  std::vector<std::string> libs;
  {
    std::istringstream ls(FUSEGEN_TB_LIBS);
    for (std::string l; ls >> l;) libs.push_back(l);
  }

  // Everything that affects the binary.
  Hasher h;
  h.add(b.top);
  h.add(verilator_version());
  h.add(FUSEGEN_CXX_COMPILER);
  for (const auto& f : b.rtl_files) h.add(read_file(f));
  std::vector<std::string> tb_dirs;
  for (const auto& f : b.tb_sources) {
    h.add(read_file(f));
    const std::string d = fs::path(f).parent_path().string();
    if (std::find(tb_dirs.begin(), tb_dirs.end(), d) == tb_dirs.end()) tb_dirs.push_back(d);
  }
  // Headers next to the sources and in tb/common (the testbench framework).
  tb_dirs.push_back(src_dir + "/tb/common");
  std::vector<std::string> headers;
  for (const auto& d : tb_dirs) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(d, ec))
      if (e.path().extension() == ".h") headers.push_back(e.path().string());
  }
  std::sort(headers.begin(), headers.end());
  headers.erase(std::unique(headers.begin(), headers.end()), headers.end());
  for (const auto& f : headers) h.add(f + read_or_empty(f));
  for (const auto& f : b.cflags) h.add("c" + f);
  for (const auto& f : b.verilator_flags) h.add("v" + f);
  for (const auto& l : libs) {
    const std::string lib = read_or_empty(l);
    if (lib.empty()) throw Error(fmt::format("fusegen library '{}' is missing: build it first", l));
    h.add(lib);
  }

  const std::string cache = rtl_cache_dir();
  std::error_code ec;
  fs::create_directories(cache, ec);
  if (ec) throw Error(fmt::format("cannot create the RTL cache directory '{}': {}", cache, ec.message()));
  const std::string entry = fmt::format("{}/{}-{}", cache, b.name, h.hex());
  const std::string exe = entry + "/V" + b.top + "_tb";
  const std::string stamp = entry + "/.complete";
  if (fs::exists(stamp)) return exe;

  FileLock lock(entry + ".lock");
  if (fs::exists(stamp)) return exe;  // built by someone else while we waited

  const std::string tmp = fmt::format("{}.tmp-{}", entry, ::getpid());
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp + "/obj", ec);
  if (ec) throw Error(fmt::format("cannot create '{}': {}", tmp, ec.message()));
  const std::string log_path = tmp + "/build.log";

  std::string cmd;
  if (has_ccache())
    cmd += fmt::format("OBJCACHE=ccache CCACHE_DIR={} ", shell_quote(cache + "/ccache"));
  cmd += shell_quote(verilator);
  cmd += " --cc --exe --build -j 2 --trace-fst --x-assign unique --x-initial unique";
  cmd += " -Wno-fatal --top-module " + shell_quote(b.top);
  cmd += " -Mdir " + shell_quote(tmp + "/obj") + " -o " + shell_quote(tmp + "/V" + b.top + "_tb");
  cmd += " -MAKEFLAGS " + shell_quote("OPT_FAST=-O1 OPT_SLOW=-O1 OPT_GLOBAL=-O1");
  std::string cflags = std::string("-std=c++17 -I") + FUSEGEN_TB_INCLUDE;
  for (const auto& f : b.cflags) cflags += " " + f;
  cmd += " -CFLAGS " + shell_quote(cflags);
  std::string ldflags;
  for (const auto& l : libs) ldflags += l + " ";
  cmd += " -LDFLAGS " + shell_quote(ldflags + "-lfmt");
  for (const auto& f : b.verilator_flags) cmd += " " + shell_quote(f);
  for (const auto& f : b.rtl_files) cmd += " " + shell_quote(f);
  for (const auto& f : b.tb_sources) cmd += " " + shell_quote(f);
  cmd += " >" + shell_quote(log_path) + " 2>&1";

  int rc = 0;
  {
    Progress progress(fmt::format("building the Verilated testbench '{}' (first use of this "
                                  "configuration, cached in {})", b.name, cache), 0);
    rc = run_shell(cmd);
  }
  if (rc != 0 || !fs::exists(tmp + "/V" + b.top + "_tb")) {
    const std::string log = read_or_empty(log_path);
    fs::remove_all(tmp, ec);
    throw Error(fmt::format("Verilator build of '{}' failed (exit {}); last lines of the log:\n{}",
                            b.name, rc, log_tail(log, 30)));
  }
  // Keep the executable and the log; drop the object directory to save space.
  fs::remove_all(tmp + "/obj", ec);
  write_file_atomic(tmp + "/.complete", cmd + "\n");
  fs::remove_all(entry, ec);
  fs::rename(tmp, entry, ec);
  if (ec) {
    fs::remove_all(tmp, ec);
    throw Error(fmt::format("cannot move the Verilator build into '{}'", entry));
  }
  return exe;
}

std::string build_generated(const OutputSet& files, const std::vector<std::string>& rtl_names,
                            VerilatorBuild b) {
  const std::string dir = fmt::format("{}/tmp/{}-{}", rtl_cache_dir(), b.name, ::getpid());
  std::error_code ec;
  fs::remove_all(dir, ec);
  files.write_to(dir);
  std::vector<std::string> rtl;
  for (const auto& f : rtl_names) rtl.push_back(dir + "/" + f);
  rtl.insert(rtl.end(), b.rtl_files.begin(), b.rtl_files.end());
  b.rtl_files = rtl;
  std::string exe;
  try {
    exe = build_verilated(b);
  } catch (...) {
    fs::remove_all(dir, ec);
    throw;
  }
  fs::remove_all(dir, ec);
  return exe;
}

}  // namespace fusegen
