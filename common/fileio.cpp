// Output-path checks, all-or-nothing file output (stage, then rename into place), cleanup of
// temporary files on signals.
#include "common/fileio.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "common/error.h"

namespace fs = std::filesystem;

namespace fusegen {

namespace {

const char kSetList[] = ".fusegen-output";  // names the files of a generated directory

// `path` without trailing separators ("out/" -> "out"), absolute and normalized.
fs::path normalized(const std::string& path) {
  fs::path p = fs::absolute(path).lexically_normal();
  if (!p.has_filename() && p.has_parent_path() && p != p.root_path()) p = p.parent_path();
  return p;
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec1, ec2;
  if (fs::exists(a, ec1) && fs::exists(b, ec2)) return fs::equivalent(a, b, ec1) && !ec1;
  const fs::path ca = fs::weakly_canonical(fs::absolute(a), ec1);
  const fs::path cb = fs::weakly_canonical(fs::absolute(b), ec2);
  return !ec1 && !ec2 && ca == cb;
}

// Creates and removes one file in `dir`; returns the error message if that fails, else "".
std::string probe_writable(const fs::path& dir) {
  const fs::path probe = dir / fmt::format(".fusegen-probe-{}", static_cast<long>(::getpid()));
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return std::strerror(errno);
  ::close(fd);
  ::unlink(probe.c_str());
  return "";
}

// The signal handler's table of temporary files (async-signal-safe: plain arrays, unlink).
constexpr int kSignalSlots = 16;
char g_signal_paths[kSignalSlots][4096];
volatile std::sig_atomic_t g_signal_used[kSignalSlots];

extern "C" void remove_temporaries_and_die(int sig) {
  for (int i = 0; i < kSignalSlots; ++i)
    if (g_signal_used[i]) ::unlink(g_signal_paths[i]);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void install_signal_cleanup() {
  static const bool installed = [] {
    struct sigaction sa {};
    sa.sa_handler = remove_temporaries_and_die;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old {};
      ::sigaction(sig, nullptr, &old);
      if (old.sa_handler != SIG_IGN) ::sigaction(sig, &sa, nullptr);  // keep nohup's SIG_IGN
    }
    return true;
  }();
  (void)installed;
}

}  // namespace

RemoveOnSignal::RemoveOnSignal(const std::string& path) {
  install_signal_cleanup();
  if (path.size() >= sizeof g_signal_paths[0]) return;
  for (int i = 0; i < kSignalSlots; ++i) {
    if (g_signal_used[i]) continue;
    std::memcpy(g_signal_paths[i], path.c_str(), path.size() + 1);
    g_signal_used[i] = 1;
    slot_ = i;
    return;
  }
}

RemoveOnSignal::~RemoveOnSignal() {
  if (slot_ >= 0) g_signal_used[slot_] = 0;
}

void check_output_path(const std::string& option, const std::string& path, OutputKind kind,
                       const std::vector<NamedPath>& others) {
  const bool dir = kind == OutputKind::Directory;
  if (path.empty())
    throw Error(fmt::format("--{} is empty: give the output {}", option,
                            dir ? "directory" : "file"));
  if (!dir && path.back() == '/')
    throw Error(fmt::format("--{} '{}' names a directory: give a file path", option, path));
  const fs::path p = normalized(path);
  std::error_code ec;
  const fs::file_status st = fs::status(p, ec);
  if (!dir && fs::is_directory(st))
    throw Error(fmt::format("--{} '{}' is a directory: give a file path", option, path));
  if (!dir && fs::exists(st) && !fs::is_regular_file(st))
    throw Error(fmt::format("--{} '{}' exists and is not a regular file: give a file path", option,
                            path));
  if (dir && fs::exists(st) && !fs::is_directory(st))
    throw Error(fmt::format("--{} '{}' exists and is not a directory: give a directory path",
                            option, path));
  const fs::path parent = p.parent_path();
  if (fs::exists(parent, ec) && !fs::is_directory(parent, ec))
    throw Error(fmt::format("--{} '{}': '{}' is not a directory", option, path, parent.string()));
  if (!fs::is_directory(parent, ec))
    throw Error(fmt::format("--{} '{}': directory '{}' does not exist (fusegen creates no missing "
                            "directories): create it first", option, path, parent.string()));
  if (const std::string why = probe_writable(parent); !why.empty())
    throw Error(fmt::format("--{} '{}': cannot create files in directory '{}': {}", option, path,
                            parent.string(), why));
  for (const auto& [other_option, other] : others)
    if (!other.empty() && same_file(path, other))
      throw Error(fmt::format("--{} '{}' is the same file as --{} '{}': give another output path "
                              "(fusegen never overwrites its inputs)", option, path, other_option,
                              other));
  if (dir) OutputSet::check_replaceable(path);
}

uint64_t free_disk_bytes(const std::string& path) {
  fs::path p = normalized(path);
  std::error_code ec;
  if (!fs::is_directory(p, ec)) p = p.parent_path();
  struct statvfs sv {};
  if (::statvfs(p.c_str(), &sv) != 0)
    throw Error(fmt::format("cannot query the free space of '{}': {}", p.string(),
                            std::strerror(errno)));
  return static_cast<uint64_t>(sv.f_bavail) * static_cast<uint64_t>(sv.f_frsize);
}

void OutputSet::add(const std::string& relpath, std::string contents) {
  files_[relpath] = std::move(contents);
}

void write_file_atomic(const std::string& path, const std::string& contents) {
  fs::path p(path);
  std::error_code ec;
  if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
  if (ec) throw Error(fmt::format("cannot create directory '{}': {}", p.parent_path().string(), ec.message()));
  const std::string tmp = fmt::format("{}.tmp-fusegen-{}", path, static_cast<long>(::getpid()));
  RemoveOnSignal guard(tmp);
  // The reason is taken (errno, ec) before the temporary file is removed.
  auto failed = [&](const std::string& why) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    return Error(fmt::format("cannot write '{}': {}", path, why));
  };
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw failed(std::strerror(errno));
  const bool wrote = std::fwrite(contents.data(), 1, contents.size(), f) == contents.size();
  const int write_errno = errno;
  if (std::fclose(f) != 0 || !wrote) throw failed(std::strerror(wrote ? errno : write_errno));
  fs::rename(tmp, p, ec);
  if (ec) throw failed(ec.message());
}

void OutputSet::check_replaceable(const std::string& dir) {
  const fs::path target = normalized(dir);
  std::error_code ec;
  const fs::file_status st = fs::status(target, ec);
  if (!fs::exists(st)) return;
  if (!fs::is_directory(st))
    throw Error(fmt::format("output path '{}' exists and is not a directory", dir));
  std::set<std::string> listed;
  std::ifstream list(target / kSetList);
  for (std::string line; std::getline(list, line);)
    if (!line.empty() && line[0] != '#') listed.insert(line);
  for (const auto& e : fs::directory_iterator(target, ec)) {
    const std::string name = e.path().filename().string();
    if (name != kSetList && !listed.count(name))
      throw Error(fmt::format("output directory '{}' holds '{}', which fusegen did not write: move "
                              "it away or choose another directory (fusegen replaces a directory "
                              "it wrote as a whole)", dir, name));
  }
  if (ec) throw Error(fmt::format("cannot read output directory '{}': {}", dir, ec.message()));
}

void OutputSet::write_to(const std::string& dir) const {
  check_replaceable(dir);
  const fs::path target = normalized(dir);
  const fs::path parent = target.parent_path();
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) throw Error(fmt::format("cannot create directory '{}': {}", parent.string(), ec.message()));
  // Stage the whole set (and its list) beside the target, then swap it in.
  const std::string tag = fmt::format(".{}.fusegen-{}", target.filename().string(),
                                      static_cast<long>(::getpid()));
  const fs::path stage = parent / (tag + "-stage"), old = parent / (tag + "-old");
  std::set<std::string> top;
  for (const auto& [rel, contents] : files_) top.insert(fs::path(rel).begin()->string());
  std::string list = fmt::format("# Files fusegen {} generated into this directory. fusegen "
                                 "replaces the directory as a whole when it regenerates it.\n",
                                 version());
  for (const auto& name : top) list += name + "\n";
  fs::remove_all(stage, ec);
  try {
    auto stage_file = [&](const std::string& rel, const std::string& contents) {
      const fs::path p = stage / rel;
      fs::create_directories(p.parent_path());
      std::ofstream out(p, std::ios::binary | std::ios::trunc);
      out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
      out.close();
      if (!out)
        throw Error(fmt::format("cannot write '{}': {}", (target / rel).string(),
                                std::strerror(errno)));
    };
    for (const auto& [rel, contents] : files_) stage_file(rel, contents);
    stage_file(kSetList, list);
    const bool replace = fs::exists(target);
    if (replace) fs::rename(target, old);
    fs::rename(stage, target, ec);
    if (ec) {
      std::error_code ignored;
      if (replace) fs::rename(old, target, ignored);
      throw fs::filesystem_error("rename", stage, target, ec);
    }
    if (replace) fs::remove_all(old, ec);
  } catch (const fs::filesystem_error& e) {
    fs::remove_all(stage, ec);
    throw Error(fmt::format("cannot write output directory '{}': {}", dir, e.code().message()));
  } catch (...) {
    fs::remove_all(stage, ec);
    throw;
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot read '{}': no such file or not readable", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace fusegen
