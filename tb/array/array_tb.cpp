// Verilator testbench of one generated array configuration (model class Vdut; the
// configuration comes from the job, the ST-OS ports are detected at compile time). Usage:
//   V<top>_tb JOB.json [+verilator+rand+reset+2 +verilator+seed+N]
// The job (tb/array_runner.h: ArrayJob) names the op and its tensors or random cases, the
// depthwise mapping, and where to write the output .npy, the FST trace and the JSON result.
// Exit status: 0 every case matches golden and the cycle model, 1 mismatch, 2 error.
#include <cstdio>
#include <exception>
#include <string>

#include <fmt/format.h>

#include "Vdut.h"
#include "common/fileio.h"
#include "common/text.h"
#include "tb/array_runner.h"
#include "tb/array/array_env.h"

namespace {

class ArrayTb {
 public:
  ArrayTb(int argc, char** argv) : argc_(argc), argv_(argv) {}

  int run() {
    try {
      std::string job_path;
      uint64_t sim_seed = 0;
      for (int i = 1; i < argc_; ++i) {
        const std::string a = argv_[i];
        if (a.rfind("+verilator+seed+", 0) == 0) sim_seed = std::stoull(a.substr(16));
        if (a[0] != '+') job_path = a;
      }
      if (job_path.empty()) throw std::runtime_error("usage: array_tb JOB.json [+verilator+...]");
      const fusegen::ArrayJob job = fusegen::parse_array_job(fusegen::read_file(job_path));
      tb::ArrayEnv<Vdut> env(argc_, argv_, job.cfg, job.trace, job.inject_fault);
      bool all = false;
      const std::string result = fusegen::run_array_job(job, env, sim_seed, all);
      if (job.result.empty())
        fmt::print("{}", result);
      else
        fusegen::write_file_atomic(job.result, result);
      return all ? 0 : 1;
    } catch (const std::exception& e) {
      fmt::print(stderr, "array_tb: error: {}\n", e.what());
      return 2;
    }
  }

 private:
  int argc_;     // command line (plusargs go to Verilator)
  char** argv_;  // ...
};

}  // namespace

int main(int argc, char** argv) {
  ArrayTb tb(argc, argv);
  return tb.run();
}
