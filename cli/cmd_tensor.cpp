// `fusegen tensor`: writes a seeded random signed integer tensor as .npy, so layers can be tried
// (and tests and the demo can run) without NumPy. Deterministic for a seed.
#include <algorithm>
#include <random>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/options.h"
#include "common/bits.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/text.h"
#include "golden/npy.h"

namespace fusegen::cli {
namespace {

std::vector<int64_t> parse_shape(const std::string& s) {
  std::vector<int64_t> shape;
  size_t numel = 1;
  for (const auto& item : split_list(s)) {
    if (item.empty() || item.size() > 9 || item.find_first_not_of("0123456789") != std::string::npos ||
        std::stoll(item) < 1)
      throw Error(fmt::format("--shape '{}' is not a shape: expected positive integers separated by "
                              "commas, e.g. 1,8,16,16", s));
    shape.push_back(std::stoll(item));
    numel = std::min(numel * static_cast<size_t>(shape.back()), kMaxTensorElements + 1);
  }
  if (shape.size() > 6) throw Error(fmt::format("--shape '{}' must have 1 to 6 dimensions", s));
  if (numel > kMaxTensorElements)
    throw Error(fmt::format("--shape '{}' has more than {} elements", s, kMaxTensorElements));
  return shape;
}

int cmd_tensor(int argc, char** argv) {
  cxxopts::Options opts("fusegen tensor", "Write a seeded random signed integer tensor (.npy)");
  opts.add_options()
    ("shape", "dimensions, e.g. 1,8,16,16", cxxopts::value<std::string>())
    ("data-width", "values are uniform in the signed range of this width (2..16)",
     cxxopts::value<int>()->default_value("8"))
    ("seed", "random seed", cxxopts::value<uint64_t>()->default_value("1"))
    ("out", "output .npy (int8 for widths <= 8, else int16)", cxxopts::value<std::string>());
  cxxopts::ParseResult r;
  if (!parse_or_help(opts, argc, argv, r)) return 0;
  require(r, "shape");
  require(r, "out");
  const int dw = static_cast<int>(check_range("data-width", r["data-width"].as<int>(), 2, 16));
  std::vector<int64_t> shape = parse_shape(r["shape"].as<std::string>());
  check_output_path("out", r["out"].as<std::string>(), OutputKind::File);
  Tensor t(std::move(shape));
  std::mt19937_64 rng(r["seed"].as<uint64_t>());
  std::uniform_int_distribution<int64_t> dist(signed_min(dw), signed_max(dw));
  for (auto& v : t.data) v = dist(rng);
  write_npy(r["out"].as<std::string>(), t, dw <= 8 ? NpyDtype::I8 : NpyDtype::I16);
  return 0;
}

}  // namespace

FUSEGEN_COMMAND("tensor", "write a seeded random integer tensor as .npy", cmd_tensor);

}  // namespace fusegen::cli
