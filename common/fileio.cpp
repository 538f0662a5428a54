// All-or-nothing file output: stage in a temporary directory, then rename into place.
#include "common/fileio.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "common/error.h"

namespace fs = std::filesystem;

namespace fusegen {

void OutputSet::add(const std::string& relpath, std::string contents) {
  files_[relpath] = std::move(contents);
}

void write_file_atomic(const std::string& path, const std::string& contents) {
  fs::path p(path);
  std::error_code ec;
  if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
  if (ec) throw Error(fmt::format("cannot create directory '{}': {}", p.parent_path().string(), ec.message()));
  std::string tmp = path + ".tmp-fusegen";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(fmt::format("cannot write '{}'", path));
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    out.close();
    if (!out) {
      fs::remove(tmp, ec);
      throw Error(fmt::format("cannot write '{}'", path));
    }
  }
  fs::rename(tmp, p, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error(fmt::format("cannot write '{}': {}", path, ec.message()));
  }
}

void OutputSet::write_to(const std::string& dir) const {
  fs::path target(dir);
  std::error_code ec;
  if (fs::exists(target) && !fs::is_directory(target))
    throw Error(fmt::format("output path '{}' exists and is not a directory", dir));
  fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec) throw Error(fmt::format("cannot create directory '{}': {}", parent.string(), ec.message()));
  // Stage everything beside the target.
  fs::path stage = parent / fmt::format(".{}.fusegen-stage", target.filename().string());
  fs::remove_all(stage, ec);
  try {
    for (const auto& [rel, contents] : files_) {
      fs::path p = stage / rel;
      fs::create_directories(p.parent_path());
      std::ofstream out(p, std::ios::binary | std::ios::trunc);
      out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
      out.close();
      if (!out) throw Error(fmt::format("cannot write '{}'", (target / rel).string()));
    }
    fs::create_directories(target);
    for (const auto& [rel, contents] : files_) {
      fs::path dst = target / rel;
      fs::create_directories(dst.parent_path());
      fs::rename(stage / rel, dst);
    }
  } catch (const fs::filesystem_error& e) {
    fs::remove_all(stage, ec);
    throw Error(fmt::format("cannot write output directory '{}': {}", dir, e.code().message()));
  } catch (...) {
    fs::remove_all(stage, ec);
    throw;
  }
  fs::remove_all(stage, ec);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot read '{}': no such file or not readable", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace fusegen
