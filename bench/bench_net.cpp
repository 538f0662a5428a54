// Benchmark: time to build and cost every zoo network x variant with the paper model on
// square arrays of 32, 64, 128 and 256, plus the resulting speedups over the base variant.
// Prints tables; asserts nothing.
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "golden/latency.h"
#include "golden/zoo.h"

using namespace fusegen;
using Clock = std::chrono::steady_clock;

int main() {
  const std::vector<int64_t> sizes = {32, 64, 128, 256};
  const int repeats = 20;  // whole sweep repeated to get a measurable time
  std::map<std::pair<std::string, std::string>, std::map<int64_t, double>> speedup;
  std::map<int64_t, double> us_per_size;
  int64_t layers_costed = 0, checksum = 0;

  const auto t0 = Clock::now();
  for (int rep = 0; rep < repeats; ++rep) {
    for (int64_t n : sizes) {
      const auto ts = Clock::now();
      for (const auto& net : zoo_networks()) {
        auto base_model = make_latency_model("paper", n, n, "base");
        const int64_t base = evaluate_network(*base_model, build_network(net, "base")).cycles;
        for (const auto& var : zoo_variants()) {
          auto model = make_latency_model("paper", n, n, var.name);
          NetworkCost c = evaluate_network(*model, build_network(net, var.name));
          layers_costed += static_cast<int64_t>(c.layers.size());
          checksum += c.cycles;
          if (rep == 0)
            speedup[{net, var.name}][n] =
                static_cast<double>(base) / static_cast<double>(c.cycles);
        }
      }
      us_per_size[n] +=
          std::chrono::duration<double, std::micro>(Clock::now() - ts).count() / repeats;
    }
  }
  const double total_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();

  // Per array size: every network x variant, plus each network's base again as the reference.
  const size_t evals = zoo_networks().size() * (zoo_variants().size() + 1);
  fmt::print("paper model: {} networks x {} variants (+1 base reference) per array size\n\n",
             zoo_networks().size(), zoo_variants().size());
  fmt::print("{:>7}  {:>11}  {:>12}\n", "array", "evaluations", "time_us");
  for (int64_t n : sizes)
    fmt::print("{:>7}  {:>11}  {:>12.1f}\n", fmt::format("{}x{}", n, n), evals, us_per_size[n]);
  fmt::print("\none sweep (4 sizes): {:.3f} ms; {} sweeps: {:.1f} ms; {} layers costed "
             "(checksum {})\n\n",
             total_ms / repeats, repeats, total_ms, layers_costed, checksum);

  fmt::print("{:<20} {:<7}", "network", "variant");
  for (int64_t n : sizes) fmt::print(" {:>8}", fmt::format("{}x{}", n, n));
  fmt::print("\n");
  for (const auto& net : zoo_networks())
    for (const auto& var : zoo_variants()) {
      fmt::print("{:<20} {:<7}", net, var.name);
      for (int64_t n : sizes) fmt::print(" {:>7.2f}x", speedup[{net, var.name}][n]);
      fmt::print("\n");
    }
  return 0;
}
