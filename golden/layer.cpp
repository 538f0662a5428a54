// LayerDesc constructors and MAC counts.
#include "golden/layer.h"

namespace fusegen {

const char* op_name(OpKind op) {
  switch (op) {
    case OpKind::Conv: return "conv";
    case OpKind::Depthwise: return "dw";
    case OpKind::Row: return "row";
    case OpKind::Col: return "col";
    case OpKind::Pointwise: return "pw";
    case OpKind::FC: return "fc";
  }
  return "?";
}

int64_t LayerDesc::macs() const {
  const int64_t out_px = n * ho() * wo();
  switch (op) {
    case OpKind::Conv:
    case OpKind::Pointwise: return out_px * cout * cin * kh * kw;
    case OpKind::FC: return n * cin * cout;
    case OpKind::Depthwise:
    case OpKind::Row:
    case OpKind::Col: return out_px * cin * kh * kw;
  }
  return 0;
}

static LayerDesc make(std::string name, OpKind op, int64_t n, int64_t cin, int64_t h, int64_t w,
                      int64_t cout, int64_t kh, int64_t kw, int64_t stride) {
  LayerDesc d;
  d.name = std::move(name);
  d.op = op;
  d.n = n;
  d.cin = cin;
  d.h = h;
  d.w = w;
  d.cout = cout;
  d.kh = kh;
  d.kw = kw;
  d.stride = stride;
  d.pad_h = kh / 2;
  d.pad_w = kw / 2;
  return d;
}

LayerDesc conv_layer(std::string name, int64_t cin, int64_t h, int64_t w, int64_t cout, int64_t k,
                     int64_t stride, int64_t n) {
  return make(std::move(name), OpKind::Conv, n, cin, h, w, cout, k, k, stride);
}
LayerDesc dw_layer(std::string name, int64_t c, int64_t h, int64_t w, int64_t k, int64_t stride,
                   int64_t n) {
  return make(std::move(name), OpKind::Depthwise, n, c, h, w, c, k, k, stride);
}
LayerDesc row_layer(std::string name, int64_t c, int64_t h, int64_t w, int64_t k, int64_t stride,
                    int64_t n) {
  return make(std::move(name), OpKind::Row, n, c, h, w, c, 1, k, stride);
}
LayerDesc col_layer(std::string name, int64_t c, int64_t h, int64_t w, int64_t k, int64_t stride,
                    int64_t n) {
  return make(std::move(name), OpKind::Col, n, c, h, w, c, k, 1, stride);
}
LayerDesc pw_layer(std::string name, int64_t cin, int64_t h, int64_t w, int64_t cout, int64_t n) {
  return make(std::move(name), OpKind::Pointwise, n, cin, h, w, cout, 1, 1, 1);
}
LayerDesc fc_layer(std::string name, int64_t in, int64_t out, int64_t n) {
  return make(std::move(name), OpKind::FC, n, in, 1, 1, out, 1, 1, 1);
}

}  // namespace fusegen
