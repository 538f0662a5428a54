// File I/O every part of fusegen uses: output paths checked before any work starts, a set of
// files written into a directory all-or-nothing, single files written atomically (temporary file
// + rename, removed if the process is interrupted), whole files read, free disk space.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace fusegen {

// (option, path) of a file a command reads or writes, for messages: {"input", "x.npy"}.
using NamedPath = std::pair<std::string, std::string>;

enum class OutputKind { File, Directory };

// The one output rule of every command, checked before any work starts. `path`, the value of
// --`option`, must be non-empty; its parent directory must exist (missing directories are never
// created: the message names the missing one) and accept new files; a File output must not be an
// existing directory or non-regular file; a Directory output must not be an existing file. The
// path must not be the same file as any of `others` (inputs, other outputs), compared by file
// identity, so "./x", "../d/x" and symlinks count. Throws fusegen::Error naming the option.
void check_output_path(const std::string& option, const std::string& path, OutputKind kind,
                       const std::vector<NamedPath>& others = {});

// Bytes available to an unprivileged user on the file system holding `path` (its parent
// directory if it does not exist yet).
uint64_t free_disk_bytes(const std::string& path);

// Collects files in memory, then writes them into a directory as one set. The whole set is staged
// in a temporary sibling directory and only then put in place, so a failure leaves the directory
// as it was. The directory is the generated set: a directory written before by fusegen (it holds
// the list `.fusegen-output`) is replaced as a whole, so stale files of an earlier generation do
// not survive; an empty directory is used; a directory holding anything fusegen did not write is
// refused (nothing is deleted or overwritten).
class OutputSet {
 public:
  void add(const std::string& relpath, std::string contents);
  const std::map<std::string, std::string>& files() const { return files_; }
  // Throws fusegen::Error naming `dir` if it may not be replaced (see above).
  static void check_replaceable(const std::string& dir);
  // Throws fusegen::Error naming the path if the directory cannot be created or written.
  void write_to(const std::string& dir) const;

 private:
  std::map<std::string, std::string> files_;  // relative path -> contents
};

// Writes one file atomically (temporary file + rename). Throws fusegen::Error on failure.
void write_file_atomic(const std::string& path, const std::string& contents);

// Reads a whole file. Throws fusegen::Error naming the path if it cannot be read.
std::string read_file(const std::string& path);

// Removes a temporary file if the process is stopped by SIGINT, SIGTERM or SIGHUP while the guard
// lives (the signal then takes its default action), so an interrupted command leaves no
// temporary files. Up to 16 guards at a time; more are ignored.
class RemoveOnSignal {
 public:
  explicit RemoveOnSignal(const std::string& path);
  ~RemoveOnSignal();
  RemoveOnSignal(const RemoveOnSignal&) = delete;
  RemoveOnSignal& operator=(const RemoveOnSignal&) = delete;

 private:
  int slot_ = -1;  // index in the signal handler's table, -1 if none was free
};

}  // namespace fusegen
