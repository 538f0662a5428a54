// File I/O every part of fusegen uses: a set of files written into a directory all-or-nothing,
// single files written atomically (temporary file + rename), whole files read.
#pragma once

#include <map>
#include <string>

namespace fusegen {

// Collects files in memory, then writes them into a directory. Files are staged in a
// temporary sibling directory first and renamed into place only when all were written, so
// a failure leaves no partial output (existing unrelated files in the directory are kept).
class OutputSet {
 public:
  void add(const std::string& relpath, std::string contents);
  const std::map<std::string, std::string>& files() const { return files_; }
  // Throws fusegen::Error naming the path if the directory cannot be created or written.
  void write_to(const std::string& dir) const;

 private:
  std::map<std::string, std::string> files_;  // relative path -> contents
};

// Writes one file atomically (temporary file + rename). Throws fusegen::Error on failure.
void write_file_atomic(const std::string& path, const std::string& contents);

// Reads a whole file. Throws fusegen::Error naming the path if it cannot be read.
std::string read_file(const std::string& path);

}  // namespace fusegen
