// NullCacheGenConfig validation, derived values and the --approx syntax.
#include "golden/nullcache_config.h"


#include <fmt/format.h>

#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

void NullCacheGenConfig::validate() const {
  if (entries < 1 || entries > 1024)
    throw Error(fmt::format("entries {} is out of range: allowed 1..1024", entries));
  if (line_bytes < 4 || line_bytes > 256 || (line_bytes & (line_bytes - 1)) != 0)
    throw Error(fmt::format("line bytes {} is not allowed: use a power of two in 4..256",
                            line_bytes));
  if (addr_w < 8 || addr_w > 64)
    throw Error(fmt::format("address width {} is out of range: allowed 8..64", addr_w));
  if (la_w() < 1)
    throw Error(fmt::format("address width {} leaves no line-address bits with {}-byte lines: "
                            "it must be at least {}", addr_w, line_bytes, line_shift() + 1));
  if (elem_w != 8 && elem_w != 16 && elem_w != 32)
    throw Error(fmt::format("element width {} is not allowed: choose 8, 16 or 32", elem_w));
  if (line_w() % elem_w != 0)
    throw Error(fmt::format("element width {} does not divide the {}-bit line", elem_w, line_w()));
  if (approx == NcApprox::kInt) {
    const int64_t max_t = int64_t{1} << (elem_w - 1);
    if (int_thresh < 0 || int_thresh > max_t)
      throw Error(fmt::format("integer threshold {} is out of range for {}-bit elements: "
                              "allowed 0..{}", int_thresh, elem_w, max_t));
  }
  if (approx == NcApprox::kFloat) {
    if (elem_w != 32)
      throw Error(fmt::format("float approximation needs 32-bit elements (IEEE float32), not {}",
                              elem_w));
    if (exp_thresh < 0 || exp_thresh > 255)
      throw Error(fmt::format("exponent threshold {} is out of range: allowed 0..255",
                              exp_thresh));
  }
  require_verilog_identifier(name);
}

ParamList NullCacheGenConfig::params() const {
  return {{"Name", name},
          {"Entries", std::to_string(entries)},
          {"AddrW", std::to_string(addr_w)},
          {"LineBytes", std::to_string(line_bytes)},
          {"LaW", std::to_string(la_w())},
          {"StorePolicy", policy_string()},
          {"Approx", approx_string()},
          {"ElemW", std::to_string(elem_w)},
          {"SingletonFirst", singleton_first ? "1" : "0"}};
}

int NullCacheGenConfig::line_shift() const { return clog2(line_bytes); }

int NullCacheGenConfig::idx_w() const { return index_width(entries); }

std::string NullCacheGenConfig::approx_string() const {
  switch (approx) {
    case NcApprox::kInt: return fmt::format("int:{}", int_thresh);
    case NcApprox::kFloat: return fmt::format("float:{}", exp_thresh);
    default: return "off";
  }
}

const char* NullCacheGenConfig::policy_string() const {
  return policy == NcStorePolicy::kSplit ? "split" : "invalidate";
}

void NullCacheGenConfig::parse_approx(const std::string& text) {
  auto bad = [&] {
    return Error(fmt::format("--approx '{}' is not allowed: use off, int:T (|x| <= T counts as "
                             "zero) or float:E (biased exponent < E counts as zero)", text));
  };
  if (text == "off") {
    approx = NcApprox::kOff;
    return;
  }
  size_t colon = text.find(':');
  if (colon == std::string::npos) throw bad();
  std::string kind = text.substr(0, colon), num = text.substr(colon + 1);
  if (num.empty() || num.size() > 12 || num.find_first_not_of("0123456789") != std::string::npos)
    throw bad();
  int64_t v = std::stoll(num);
  if (kind == "int") {
    approx = NcApprox::kInt;
    int_thresh = v;
  } else if (kind == "float") {
    approx = NcApprox::kFloat;
    exp_thresh = v > 1000 ? 1000 : static_cast<int>(v);
  } else {
    throw bad();
  }
}

}  // namespace fusegen
