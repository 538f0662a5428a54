// SCALE-Sim topology CSV reader: splits lines on commas, trims each field, drops the empty
// fields a trailing comma leaves, and checks every value before building the LayerDesc.
#include "golden/topology.h"

#include <array>
#include <cctype>

#include <fmt/format.h>

#include "common/fileio.h"
#include "common/text.h"
#include "common/bits.h"
#include "common/error.h"

namespace fusegen {

namespace {

constexpr std::array<const char*, 8> kFields = {
    "Layer name",   "IFMAP Height", "IFMAP Width", "Filter Height",
    "Filter Width", "Channels",     "Num Filter",  "Strides"};

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// Fields of one line, trimmed; trailing empty fields (from trailing commas) removed.
std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> f;
  size_t start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    f.push_back(trim(line.substr(start, comma == std::string::npos ? std::string::npos
                                                                     : comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  while (!f.empty() && f.back().empty()) f.pop_back();
  return f;
}

bool is_uint(const std::string& s) {
  return !s.empty() && s.size() <= 9 &&
         s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

std::vector<LayerDesc> parse_topology(const std::string& text, const std::string& file) {
  std::vector<LayerDesc> layers;
  bool header_seen = false;
  size_t lineno = 0, pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    ++lineno;
    if (trim(line).empty()) continue;
    const auto f = split(line);
    auto fail = [&](const std::string& what) {
      return Error(fmt::format("{}:{}: {}", file, lineno, what));
    };
    if (!header_seen) {
      // SCALE-Sim skips the first row; insist it is a header so a data row is not lost.
      if (f.size() >= 2 && is_uint(f[1]))
        throw fail(fmt::format("expected the header row ({}, ...), found a layer row",
                               kFields[0]));
      header_seen = true;
      continue;
    }
    if (f.size() != kFields.size())
      throw fail(fmt::format("expected {} fields ({}), found {}", kFields.size(),
                             "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                             "Channels, Num Filter, Strides",
                             f.size()));
    if (f[0].empty()) throw fail(fmt::format("field '{}' is empty", kFields[0]));
    std::array<int64_t, 8> v{};
    for (size_t i = 1; i < f.size(); ++i) {
      if (!is_uint(f[i]) || std::stoll(f[i]) < 1)
        throw fail(fmt::format("field '{}' of layer '{}' is '{}': expected a positive integer",
                               kFields[i], f[0], f[i]));
      v[i] = std::stoll(f[i]);
    }
    const int64_t h = v[1], w = v[2], kh = v[3], kw = v[4], c = v[5], m = v[6], s = v[7];
    if (kh > h)
      throw fail(fmt::format("field 'Filter Height' of layer '{}' is {}: larger than the IFMAP "
                             "height {} (give padded sizes)", f[0], kh, h));
    if (kw > w)
      throw fail(fmt::format("field 'Filter Width' of layer '{}' is {}: larger than the IFMAP "
                             "width {} (give padded sizes)", f[0], kw, w));
    LayerDesc d;
    d.name = f[0];
    d.n = 1;
    d.cin = c;
    d.h = h;
    d.w = w;
    d.kh = kh;
    d.kw = kw;
    d.stride = s;
    d.pad_h = d.pad_w = 0;
    if (f[0].find("DP") != std::string::npos) {
      if (m != 1 && m != c)
        throw fail(fmt::format("field 'Num Filter' of depthwise layer '{}' is {}: expected 1 or "
                               "the channel count {}", f[0], m, c));
      d.cout = c;
      d.op = (kh == 1 && kw > 1) ? OpKind::Row
             : (kw == 1 && kh > 1) ? OpKind::Col
                                   : OpKind::Depthwise;
    } else {
      d.cout = m;
      d.op = (kh == 1 && kw == 1) ? OpKind::Pointwise : OpKind::Conv;
    }
    layers.push_back(std::move(d));
  }
  if (layers.empty()) throw Error(fmt::format("{}: no layer rows (after the header row)", file));
  return layers;
}

std::vector<LayerDesc> read_topology(const std::string& path) {
  return parse_topology(read_file(path), path);
}

std::string topology_name(const std::string& path) {
  size_t slash = path.find_last_of("/\\");
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  size_t dot = base.rfind('.');
  if (dot != std::string::npos && dot > 0) base = base.substr(0, dot);
  return base;
}

}  // namespace fusegen
