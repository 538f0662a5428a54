// RTL engine: emit, build (cached), run the array testbench (see rtl_engine.h).
#include "sim/rtl_engine.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>

#include <fmt/format.h>

#include "generator/array_emitter.h"
#include "common/fileio.h"
#include "common/json.h"
#include "common/text.h"
#include "common/bits.h"
#include "common/error.h"
#include "sim/verilator_build.h"

namespace fs = std::filesystem;

namespace fusegen {

namespace {

// A per-process scratch directory under the cache, removed when the guard goes.
struct ScratchDir {
  std::string path;  // absolute path
  explicit ScratchDir(const std::string& tag) {
    static std::atomic<int> counter{0};
    path = fmt::format("{}/tmp/{}-{}-{}", rtl_cache_dir(), tag, ::getpid(), counter++);
    std::error_code ec;
    fs::remove_all(path, ec);
    fs::create_directories(path, ec);
    if (ec) throw Error(fmt::format("cannot create '{}': {}", path, ec.message()));
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

std::string array_tb_name(const ArrayConfig& cfg) {
  return fmt::format("array_{}x{}_d{}_a{}{}_m{}_g{}{}", cfg.rows, cfg.cols, cfg.data_w, cfg.acc_w,
                     cfg.stos ? "" : "_nostos", cfg.mac_stages, cfg.bcast_group,
                     cfg.reset == ArrayConfig::Reset::kSync ? "_sync" : "");
}

std::string ensure_array_tb(const ArrayConfig& cfg) {
  cfg.validate();
  ArrayConfig c = cfg;
  c.name = "fusegen";  // one module prefix for every testbench build
  ScratchDir dir("rtl");
  OutputSet files = emit_array(c);
  files.write_to(dir.path);
  VerilatorBuild b;
  b.name = array_tb_name(c);
  b.top = c.top();
  for (const auto& [rel, text] : files.files())
    if (rel.size() > 2 && rel.compare(rel.size() - 2, 2, ".v") == 0)
      b.rtl_files.push_back(dir.path + "/" + rel);
  const std::string src = FUSEGEN_SOURCE_DIR;
  b.tb_sources = {src + "/tb/array/array_tb.cpp"};
  b.verilator_flags = {"--prefix", "Vdut"};
  return build_verilated(b);
}

TbRun run_array_tb(const std::string& exe, const ArrayConfig& cfg, nlohmann::json job,
                   const std::vector<std::string>& plusargs) {
  ScratchDir dir("job");
  const std::string job_path = dir.path + "/job.json", result_path = dir.path + "/result.json";
  job["result"] = result_path;
  job["array"] = {{"rows", cfg.rows}, {"cols", cfg.cols}, {"data_w", cfg.data_w},
                  {"acc_w", cfg.acc_w}, {"stos", cfg.stos}, {"mac_stages", cfg.mac_stages},
                  {"bcast_group", cfg.bcast_group},
                  {"reset", ArrayConfig::reset_name(cfg.reset)}};
  write_file_atomic(job_path, json_dump(job, 2) + "\n");
  std::string cmd = shell_quote(exe) + " " + shell_quote(job_path);
  for (const auto& a : plusargs) cmd += " " + shell_quote(a);
  cmd += " >" + shell_quote(dir.path + "/stdout.txt") + " 2>" + shell_quote(dir.path + "/stderr.txt");
  TbRun r;
  r.exit_code = run_shell(cmd);
  std::error_code ec;
  if (!fs::exists(result_path, ec)) {
    std::string err;
    try {
      err = read_file(dir.path + "/stderr.txt");
    } catch (const Error&) {
    }
    const std::string what = fmt::format("the array testbench '{}' failed (exit {}) without a "
                                         "result: {}", exe, r.exit_code,
                                         err.empty() ? "(no message)" : err);
    if (r.exit_code < 0 || r.exit_code > 128) throw TbCrash(what);  // shell: 128 + signal
    throw Error(what);
  }
  r.result = nlohmann::json::parse(read_file(result_path));
  return r;
}

TbRun run_array_job(const ArrayConfig& cfg, const nlohmann::json& job) {
  std::string exe = ensure_array_tb(cfg);
  try {
    return run_array_tb(exe, cfg, job);
  } catch (const TbCrash& e) {
    const std::string entry = fs::path(exe).parent_path().string();
    fmt::print(stderr, "fusegen: note: {}; rebuilding the cached testbench '{}'\n", e.what(),
               entry);
    std::error_code ec;
    fs::remove_all(entry, ec);
    exe = ensure_array_tb(cfg);
    try {
      return run_array_tb(exe, cfg, job);
    } catch (const TbCrash& again) {
      throw Error(fmt::format("{} (also after a rebuild): remove the cache entry '{}' and report "
                              "the problem", again.what(), fs::path(exe).parent_path().string()));
    }
  }
}

}  // namespace fusegen
