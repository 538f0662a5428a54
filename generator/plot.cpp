// gnuplot runner: PATH lookup, scratch directory, script + data files, SVG read back.
#include "generator/plot.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "common/fileio.h"
#include "common/text.h"
#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

std::string find_gnuplot() {
  const char* path = std::getenv("PATH");
  if (!path) return "";
  std::string p = path;
  size_t a = 0;
  while (a <= p.size()) {
    size_t b = p.find(':', a);
    if (b == std::string::npos) b = p.size();
    const std::string dir = p.substr(a, b - a);
    if (!dir.empty()) {
      const std::string exe = dir + "/gnuplot";
      struct stat st {};
      if (::stat(exe.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(exe.c_str(), X_OK) == 0)
        return exe;
    }
    a = b + 1;
  }
  return "";
}

void require_gnuplot(const std::string& option) {
  if (find_gnuplot().empty())
    throw Error(fmt::format("--{} needs gnuplot, which is not in PATH: install the Debian "
                            "package gnuplot-nox (apt-get install gnuplot-nox, or "
                            "scripts/setup.sh)", option));
}

std::string gnuplot_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
  return q + "'";
}

std::string render_svg(const std::string& script, const std::map<std::string, std::string>& data,
                       const std::string& svg_name) {
  const std::string exe = find_gnuplot();
  if (exe.empty()) require_gnuplot("plot");
  namespace fs = std::filesystem;
  std::string tmpl = (fs::temp_directory_path() / "fusegen-plot-XXXXXX").string();
  if (!::mkdtemp(tmpl.data()))
    throw Error(fmt::format("cannot create a scratch directory for gnuplot in {}",
                            fs::temp_directory_path().string()));
  const fs::path dir = tmpl;
  struct Cleanup {
    fs::path d;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(d, ec);
    }
  } cleanup{dir};
  for (const auto& [name, text] : data) write_file_atomic((dir / name).string(), text);
  write_file_atomic((dir / "plot.gp").string(), script);
  const std::string cmd = fmt::format("cd '{}' && '{}' plot.gp > gnuplot.log 2>&1", dir.string(),
                                      exe);
  const int rc = std::system(cmd.c_str());
  std::string svg;
  if (fs::exists(dir / svg_name)) svg = read_file((dir / svg_name).string());
  if (rc != 0 || svg.empty()) {
    std::string log;
    if (fs::exists(dir / "gnuplot.log")) log = read_file((dir / "gnuplot.log").string());
    while (!log.empty() && (log.back() == '\n' || log.back() == ' ')) log.pop_back();
    size_t nl = log.rfind('\n');
    throw Error(fmt::format("gnuplot failed on {}: {}", svg_name,
                            log.empty() ? "no output" : log.substr(nl == std::string::npos ? 0 : nl + 1)));
  }
  return svg;
}

}  // namespace fusegen
