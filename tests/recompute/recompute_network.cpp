// Independent recomputation of a `fusegen infer` run (docs/infer.md): reads only network.json,
// input.npy and the weight files of a --save-weights directory, recomputes the network from the
// definitions (its own loops, requantization, add, pool and .npy reader; nothing of golden/) and
// compares the result with the Y.npy that `fusegen infer` wrote.
//   recompute_network <save-dir> <Y.npy>     exit 0: identical; 1: different; 2: bad input
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

struct Arr {
  std::vector<int64_t> shape;  // dimensions
  std::vector<int64_t> v;      // C-order values
  int64_t& at(int64_t a, int64_t b, int64_t c, int64_t d) {
    return v[static_cast<size_t>(((a * shape[1] + b) * shape[2] + c) * shape[3] + d)];
  }
  int64_t at(int64_t a, int64_t b, int64_t c, int64_t d) const {
    return v[static_cast<size_t>(((a * shape[1] + b) * shape[2] + c) * shape[3] + d)];
  }
};

size_t count(const std::vector<int64_t>& s) {
  size_t n = 1;
  for (int64_t d : s) n *= static_cast<size_t>(d);
  return n;
}

Arr make(std::vector<int64_t> s) {
  Arr a;
  a.shape = std::move(s);
  a.v.assign(count(a.shape), 0);
  return a;
}

// A minimal .npy reader: little-endian signed integers (i1, i2, i4, i8), C order.
Arr read_npy(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::string b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (b.size() < 10 || b.compare(0, 6, "\x93NUMPY") != 0)
    throw std::runtime_error(path + ": not .npy");
  const int major = static_cast<unsigned char>(b[6]);
  size_t hlen, off;
  if (major == 1) {
    hlen = static_cast<unsigned char>(b[8]) | static_cast<unsigned char>(b[9]) << 8;
    off = 10;
  } else {
    hlen = 0;
    for (int i = 0; i < 4; ++i)
      hlen |= static_cast<size_t>(static_cast<unsigned char>(b[8 + i])) << (8 * i);
    off = 12;
  }
  const std::string h = b.substr(off, hlen);
  const size_t d = h.find("'descr'");
  const size_t q1 = h.find('\'', h.find(':', d)), q2 = h.find('\'', q1 + 1);
  const std::string descr = h.substr(q1 + 1, q2 - q1 - 1);
  if (h.find("'fortran_order': False") == std::string::npos)
    throw std::runtime_error(path + ": Fortran order");
  int size;
  if (descr == "|i1" || descr == "<i1") size = 1;
  else if (descr == "<i2") size = 2;
  else if (descr == "<i4") size = 4;
  else if (descr == "<i8") size = 8;
  else throw std::runtime_error(path + ": dtype " + descr);
  Arr a;
  const size_t p1 = h.find('(', h.find("'shape'")), p2 = h.find(')', p1);
  std::stringstream ss(h.substr(p1 + 1, p2 - p1 - 1));
  for (std::string item; std::getline(ss, item, ',');)
    if (item.find_first_of("0123456789") != std::string::npos) a.shape.push_back(std::stoll(item));
  const size_t n = count(a.shape);
  const size_t data = off + hlen;
  if (b.size() < data + n * static_cast<size_t>(size))
    throw std::runtime_error(path + ": truncated");
  a.v.resize(n);
  for (size_t i = 0; i < n; ++i) {
    uint64_t u = 0;
    for (int k = 0; k < size; ++k)
      u |= static_cast<uint64_t>(static_cast<unsigned char>(b[data + i * size + k])) << (8 * k);
    if (size < 8 && (u >> (8 * size - 1)) & 1) u |= ~uint64_t{0} << (8 * size);  // sign-extend
    a.v[i] = static_cast<int64_t>(u);
  }
  return a;
}

// The value an acc_w-bit two's complement register holds for the sum `u` (mod 2^64).
int64_t wrap(uint64_t u, int acc_w) {
  if (acc_w < 64) {
    u &= (uint64_t{1} << acc_w) - 1;
    if ((u >> (acc_w - 1)) & 1) u |= ~uint64_t{0} << acc_w;
  }
  return static_cast<int64_t>(u);
}

int64_t clamp_w(int64_t v, int data_w) {
  const int64_t lo = -(int64_t{1} << (data_w - 1)), hi = (int64_t{1} << (data_w - 1)) - 1;
  return v < lo ? lo : v > hi ? hi : v;
}

// conv / dw / row / col / pw: y[co][oh][ow] = sum over the group's channels and the kernel of
// x[ci][oh*s + i - ph][ow*s + j - pw] * w[co][ci'][i][j]; depthwise kinds have one channel per
// group (w dim 1 == 1 and Cout == Cin), conv and pw one group.
Arr conv(const Arr& x, const Arr& w, bool depthwise, int64_t s, int64_t ph, int64_t pw, int acc_w) {
  const int64_t C = x.shape[1], H = x.shape[2], W = x.shape[3];
  const int64_t Co = w.shape[0], Cg = w.shape[1], Kh = w.shape[2], Kw = w.shape[3];
  const int64_t Ho = (H + 2 * ph - Kh) / s + 1, Wo = (W + 2 * pw - Kw) / s + 1;
  if (depthwise ? (Cg != 1 || Co != C) : Cg != C)
    throw std::runtime_error("conv: channel mismatch");
  Arr y = make({1, Co, Ho, Wo});
  for (int64_t co = 0; co < Co; ++co)
    for (int64_t oh = 0; oh < Ho; ++oh)
      for (int64_t ow = 0; ow < Wo; ++ow) {
        uint64_t acc = 0;
        for (int64_t g = 0; g < Cg; ++g) {
          const int64_t ci = depthwise ? co : g;
          for (int64_t i = 0; i < Kh; ++i)
            for (int64_t j = 0; j < Kw; ++j) {
              const int64_t ih = oh * s + i - ph, iw = ow * s + j - pw;
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              acc += static_cast<uint64_t>(x.at(0, ci, ih, iw) * w.at(co, g, i, j));
            }
        }
        y.at(0, co, oh, ow) = wrap(acc, acc_w);
      }
  return y;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: recompute_network <save-dir> <Y.npy>\n");
    return 2;
  }
  try {
    const std::string dir = argv[1];
    std::ifstream jf(dir + "/network.json");
    if (!jf) throw std::runtime_error("cannot read " + dir + "/network.json");
    const nlohmann::json net = nlohmann::json::parse(jf);
    const int data_w = net.at("data_w"), acc_w = net.at("acc_w");
    std::map<std::string, Arr> t;
    t["input"] = read_npy(dir + "/" + net.at("input").at("file").get<std::string>());
    if (t["input"].shape != net.at("input").at("shape").get<std::vector<int64_t>>())
      throw std::runtime_error("input.npy shape differs from network.json");
    for (const auto& n : net.at("nodes")) {
      const std::string name = n.at("name"), op = n.at("op");
      const auto& p = n.at("params");
      const Arr& x = t.at(n.at("inputs").at(0).get<std::string>());
      Arr y;
      if (op == "conv" || op == "dw" || op == "row" || op == "col" || op == "pw") {
        const Arr w = read_npy(dir + "/" + n.at("weight").get<std::string>());
        y = conv(x, w, op == "dw" || op == "row" || op == "col", p.at("stride"), p.at("pad_h"),
                 p.at("pad_w"), acc_w);
      } else if (op == "fc") {
        const Arr w = read_npy(dir + "/" + n.at("weight").get<std::string>());
        const int64_t in = w.shape[1], out = w.shape[0];
        if (static_cast<int64_t>(x.v.size()) != in)
          throw std::runtime_error(name + ": fc input size");
        y = make({1, out});
        for (int64_t o = 0; o < out; ++o) {
          uint64_t acc = 0;
          for (int64_t i = 0; i < in; ++i)
            acc += static_cast<uint64_t>(x.v[static_cast<size_t>(i)] *
                                         w.v[static_cast<size_t>(o * in + i)]);
          y.v[static_cast<size_t>(o)] = wrap(acc, acc_w);
        }
      } else if (op == "requant") {
        // ReLU, then floor((v + 2^(sh-1)) / 2^sh), then clamp to DataW.
        const int sh = p.at("shift");
        const bool relu = p.at("relu");
        y = x;
        for (auto& v : y.v) {
          __int128 a = v;
          if (relu && a < 0) a = 0;
          if (sh > 0) {
            const __int128 d = static_cast<__int128>(1) << sh;
            a += d / 2;
            a = a >= 0 ? a / d : -((-a + d - 1) / d);  // floor division
          }
          const __int128 lo = INT64_MIN, hi = INT64_MAX;
          v = clamp_w(static_cast<int64_t>(a < lo ? lo : a > hi ? hi : a), data_w);
        }
      } else if (op == "add") {
        const Arr& b = t.at(n.at("inputs").at(1).get<std::string>());
        y = x;
        for (size_t i = 0; i < y.v.size(); ++i) y.v[i] = clamp_w(x.v[i] + b.v[i], data_w);
      } else if (op == "avgpool") {
        // Per channel: floor((sum + N/2) / N), N = H*W.
        const int64_t C = x.shape[1], N = x.shape[2] * x.shape[3];
        y = make({1, C});
        for (int64_t c = 0; c < C; ++c) {
          int64_t sum = 0;
          for (int64_t k = 0; k < N; ++k) sum += x.v[static_cast<size_t>(c * N + k)];
          const int64_t a = sum + N / 2;
          const int64_t q = a >= 0 ? a / N : -((-a + N - 1) / N);
          y.v[static_cast<size_t>(c)] = clamp_w(q, data_w);
        }
      } else if (op == "concat") {
        const Arr& b = t.at(n.at("inputs").at(1).get<std::string>());
        y = x;  // NCHW with N = 1: the channels of b follow those of x in memory
        y.shape[1] += b.shape[1];
        y.v.insert(y.v.end(), b.v.begin(), b.v.end());
      } else if (op == "slice") {
        const int64_t c0 = p.at("c0"), c1 = p.at("c1"), plane = x.shape[2] * x.shape[3];
        y = x;
        y.shape[1] = c1 - c0;
        y.v.assign(x.v.begin() + c0 * plane, x.v.begin() + c1 * plane);
      } else {
        throw std::runtime_error("unknown op '" + op + "' in node " + name);
      }
      if (y.shape != n.at("shape").get<std::vector<int64_t>>())
        throw std::runtime_error(name + ": recomputed shape differs from network.json");
      t[name] = std::move(y);
    }
    const Arr& mine = t.at(net.at("output").get<std::string>());
    const Arr theirs = read_npy(argv[2]);
    if (mine.shape != theirs.shape) {
      std::printf("MISMATCH: shapes differ\n");
      return 1;
    }
    for (size_t i = 0; i < mine.v.size(); ++i)
      if (mine.v[i] != theirs.v[i]) {
        std::printf("MISMATCH at %zu: recomputed %lld, fusegen %lld\n", i,
                    static_cast<long long>(mine.v[i]), static_cast<long long>(theirs.v[i]));
        return 1;
      }
    std::map<int64_t, int> distinct;
    for (int64_t v : mine.v) ++distinct[v];
    std::printf("match: %zu values (%zu distinct), %zu nodes recomputed\n", mine.v.size(),
                distinct.size(), net.at("nodes").size());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "recompute_network: %s\n", e.what());
    return 2;
  }
}
