// Accelerator RTL glue: testbench build and job runner (see accel_rtl.h).
#include "sim/accel_rtl.h"

#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>

#include "common/error.h"
#include "common/fileio.h"
#include "generator/accel_emitter.h"
#include "sim/verilator_build.h"
#include "tb/beat_hex.h"

namespace fs = std::filesystem;

namespace fusegen {

namespace {

// Cache entry name of one configuration (all parameters that shape the RTL).
std::string tb_name(const AccelConfig& c) {
  const ArrayConfig& a = c.array;
  return fmt::format("accel_{}x{}_d{}_a{}_m{}_g{}_{}_act{}_wgt{}_out{}_bus{}_ib{}{}", a.rows,
                     a.cols, a.data_w, a.acc_w, a.mac_stages, a.bcast_group,
                     ArrayConfig::reset_name(a.reset), c.act_kb, c.wgt_kb, c.out_kb,
                     c.bus_width, c.ibuf_depth, c.im2col ? "" : "_noim2col");
}

}  // namespace

std::string ensure_accel_tb(const AccelConfig& cfg) {
  AccelConfig g = cfg;
  g.name = "acc";  // one module prefix for every testbench build
  g.validate();
  VerilatorBuild b;
  b.name = tb_name(g);
  b.top = g.top();
  b.tb_sources = {std::string(FUSEGEN_SOURCE_DIR) + "/tb/accel/accel_tb.cpp"};
  b.verilator_flags = {"--prefix", "Vacc"};
  return build_generated(emit_accel(g), accel_rtl_files(g), b);
}

nlohmann::json run_accel_tb(const std::string& exe, const AccelConfig& c, const AccelTbJob& job,
                            int* rc) {
  using json = nlohmann::json;
  json j;
  j["bus_width"] = c.bus_width;
  j["seed"] = job.seed;
  j["stall"] = job.stall;
  j["irq"] = job.irq;
  uint64_t beats = 0;
  for (const auto& r : job.runs) beats += r.input.size() + r.expect.size();
  // Generous: every beat may wait on stalls, and the compute of a GEMM-heavy job is bounded by
  // what the caller passes; 0 derives a bound from the job size.
  j["timeout"] = job.timeout ? job.timeout : 200000 + 50 * beats + 40 * job.ibuf.size();
  json ib = json::array();
  for (const auto& i : job.ibuf) ib.push_back({i.w[0], i.w[1], i.w[2], i.w[3]});
  j["ibuf"] = ib;
  for (const auto& w : job.reg_writes) j["reg_writes"].push_back({w[0], w[1], w[2]});
  for (auto a : job.reg_reads) j["reg_reads"].push_back(a);
  if (job.fault_beat >= 0) j["fault"] = {{"beat", job.fault_beat}, {"bit", job.fault_bit}};
  if (!job.trace.empty()) j["trace"] = job.trace;
  for (const auto& r : job.runs) {
    json jr = {{"pc_start", r.pc_start}, {"input", json::array()}};
    for (const auto& b : r.input) jr["input"].push_back(beat_hex(b, c.bus_width));
    if (r.check) {
      jr["expect"] = json::array();
      for (const auto& b : r.expect) jr["expect"].push_back(beat_hex(b, c.bus_width));
    }
    j["runs"].push_back(jr);
  }
  const std::string dir = fmt::format("{}/tmp/accel-job-{}", rtl_cache_dir(), ::getpid());
  fs::create_directories(dir);
  const std::string job_path = dir + "/job.json", res_path = dir + "/result.json";
  j["result"] = res_path;
  write_file_atomic(job_path, j.dump());
  std::error_code ec;
  fs::remove(res_path, ec);
  std::string cmd = shell_quote(exe) + " " + shell_quote(job_path);
  if (job.sim_seed)
    cmd += fmt::format(" +verilator+rand+reset+2 +verilator+seed+{}", job.sim_seed);
  const int status = run_shell(cmd + " >" + shell_quote(dir + "/log.txt") + " 2>&1");
  if ((status != 0 && status != 1) || !fs::exists(res_path)) {
    const std::string log = fs::exists(dir + "/log.txt") ? read_file(dir + "/log.txt") : "";
    fs::remove_all(dir, ec);
    throw Error(fmt::format("the accelerator testbench failed (exit {}): {}", status,
                            log.substr(0, 2000)));
  }
  json out = json::parse(read_file(res_path));
  fs::remove_all(dir, ec);
  if (rc) *rc = status;
  return out;
}

}  // namespace fusegen
