// SCALE-Sim topology CSV reading: header, trailing commas, whitespace, the text after the last
// comma dropped, 9-field strides, SCALE-Sim's ceil output size (and the floor option), depthwise
// rows as SCALE-Sim expands them, GEMM files, the FuSe-Half form, and errors that name file,
// line and field. Inputs are written as SCALE-Sim's own files are (header with spaces, trailing
// commas, blank lines, CRLF, no final newline).
#include <gtest/gtest.h>

#include <string>

#include "common/bits.h"
#include "common/error.h"
#include "golden/paper_model.h"
#include "golden/topology.h"

using namespace fusegen;

namespace {

const char* kHeader =
    "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
    "Strides,\n";

// Expects parse_topology(text) to throw an Error whose message contains every `parts`.
void expect_error(const std::string& text, std::initializer_list<const char*> parts) {
  try {
    parse_topology(text, "net.csv");
    FAIL() << "no error for:\n" << text;
  } catch (const Error& e) {
    for (const char* p : parts)
      EXPECT_NE(std::string(e.what()).find(p), std::string::npos)
          << "message '" << e.what() << "' lacks '" << p << "'";
  }
}

}  // namespace

TEST(Topology, ParsesRowsWithTrailingCommasAndWhitespace) {
  std::string text = std::string(kHeader) +
                     "Conv1, 226, 226, 3, 3, 3, 32, 2,\r\n"
                     "\n"
                     "  CONV2_DP ,114,114,3,3,32,1,1\n"
                     "Conv2_PW, 112, 112, 1, 1, 32, 64, 1,,\n"
                     "Row_DP, 56, 58, 1, 3, 16, 1, 2,\n"
                     "Col_DP, 58, 56, 3, 1, 16, 1, 2,";  // no final newline
  auto l = parse_topology(text, "net.csv");
  ASSERT_EQ(l.size(), 5u);
  EXPECT_EQ(l[0].name, "Conv1");
  EXPECT_EQ(l[0].op, OpKind::Conv);
  EXPECT_EQ(l[0].cin, 3);
  EXPECT_EQ(l[0].cout, 32);
  EXPECT_EQ(l[0].stride, 2);
  EXPECT_EQ(l[0].pad_h, 0);
  EXPECT_EQ(l[0].pad_w, 0);
  EXPECT_EQ(l[0].ho(), 113);  // SCALE-Sim: ceil((226 - 3 + 2) / 2) = ceil(112.5)
  EXPECT_EQ(l[0].h, 227);     // (113 - 1) * 2 + 3: the last window's extra zero row
  EXPECT_EQ(l[1].name, "CONV2_DP");  // no trailing comma: the last number is the stride
  EXPECT_EQ(l[1].op, OpKind::Depthwise);
  EXPECT_EQ(l[1].cin, 32);
  EXPECT_EQ(l[1].cout, 32);
  EXPECT_EQ(l[1].ho(), 112);
  EXPECT_EQ(l[2].op, OpKind::Pointwise);
  EXPECT_EQ(l[2].cout, 64);
  EXPECT_EQ(l[3].op, OpKind::Row);
  EXPECT_EQ(l[3].cout, 16);
  EXPECT_EQ(l[3].ho(), 29);  // ceil((56 - 1 + 2) / 2) = ceil(28.5)
  EXPECT_EQ(l[3].wo(), 29);  // ceil((58 - 3 + 2) / 2) = ceil(28.5)
  EXPECT_EQ(l[4].op, OpKind::Col);
}

// Item 1: the text after the last comma is dropped (`,#dw`), 9-field rows (Stride Height,
// Stride Width, as SCALE-Sim's writer emits them) are read, CRLF everywhere.
TEST(Topology, DropsTextAfterLastCommaAndReadsNineFields) {
  const std::string text =
      "Layer name,IFMAP height,IFMAP width,Filter height,Filter width,Channels,Num filter,"
      "Stride height,Stride width,\r\n"
      "Conv2_dw, 112, 112, 3, 3, 1, 1, 1,#dw\r\n"
      "\r\n"
      "Conv3,112,112,1,1,32,64,2,2,\r\n";
  auto l = parse_topology(text, "w.csv");
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].name, "Conv2_dw");  // not "DP": a one-channel conv, as in SCALE-Sim
  EXPECT_EQ(l[0].op, OpKind::Conv);
  EXPECT_EQ(l[0].macs(), 110 * 110 * 9);
  EXPECT_EQ(l[1].stride, 2);
  EXPECT_EQ(l[1].ho(), 57);  // ceil((112 - 1 + 2) / 2) = ceil(56.5)
}
// With --output-size floor a padded topology row costs what the zoo's padded layer costs: the
// V2 stem given as 226x226 with no padding is 24140 cycles on 64x64 (test_paper_model.cpp).
TEST(Topology, PaddedRowCostsLikeTheZooLayer) {
  TopologyOptions floor;
  floor.output_size = OutputSize::Floor;
  auto l = parse_topology(std::string(kHeader) + "Conv1, 226, 226, 3, 3, 3, 32, 2,\n", "t.csv",
                          floor);
  EXPECT_EQ(l[0].ho(), 112);
  EXPECT_EQ(PaperModel(64, 64).layer_cycles(l[0]), 24140);
}

TEST(Topology, Errors) {
  const std::string h = kHeader;
  expect_error(h + "Conv1, 226, 226, 3, 3, 3, 32\n",
               {"net.csv:2:", "expected 8 or 9 fields", "found 6", "'32'", "ignored"});
  expect_error(h + "Conv1, 226, 226, 3, 3, 3, 32, 2,\nConv2, 112, x, 1, 1, 32, 64, 1,\n",
               {"net.csv:3:", "'IFMAP Width'", "'Conv2'", "'x'", "positive integer"});
  expect_error(h + "Conv1, 226, 226, 3, 3, 3, 32, 0,\n", {"net.csv:2:", "'Strides'"});
  expect_error(h + "Conv1, 226, 226, 3, -3, 3, 32, 1,\n", {"'Filter Width'", "'-3'"});
  expect_error(h + " , 226, 226, 3, 3, 3, 32, 1,\n", {"net.csv:2:", "'Layer name' is empty"});
  expect_error(h + "Conv1, 2, 226, 3, 3, 3, 32, 1,\n", {"'Filter Height'", "larger than"});
  expect_error(h + "A, 10, 10, 3, 3, 8, 4, 1, 2,\n",
               {"net.csv:2:", "Stride Height 1 and Stride Width 2", "one stride"});
  expect_error(h + "A\t10\t10\t3\t3\t8\t4\t1\n", {"net.csv:2:", "no comma"});
  expect_error(h + "A, 10, 10, 3, 3, 8, 4, 1, 1, x,\n", {"field 10", "'x'", "integers"});
  expect_error("Layer, M, N, K,\nG1, 4, 0, 2,\n", {"net.csv:2:", "'N'", "'G1'", "'0'"});
  expect_error("Layer, M, N, K,\nG1, 4, 3\n", {"net.csv:2:", "expected 4 fields", "found 3"});
  expect_error("Conv1, 226, 226, 3, 3, 3, 32, 2,\n", {"net.csv:1:", "header row"});
  expect_error(h, {"net.csv", "no layer rows"});
  expect_error("", {"net.csv", "no layer rows"});
}

TEST(Topology, UnreadableFileAndName) {
  EXPECT_THROW(read_topology("/nonexistent/dir/none.csv"), Error);
  EXPECT_EQ(topology_name("/a/b/MobileNetV2.csv"), "MobileNetV2");
  EXPECT_EQ(topology_name("net"), "net");
}

// Item 2: SCALE-Sim's ceil((H - K + S) / S) by default, floor((H - K) / S) + 1 on request; they
// differ exactly when (H - K) % S != 0 (MobileNet's unpadded 224 stem: 112 vs 111).
TEST(Topology, OutputSizeConventions) {
  const std::string text = std::string(kHeader) + "Conv1, 224, 224, 3, 3, 3, 32, 2,\n"
                                                  "Conv2, 225, 225, 3, 3, 3, 32, 2,\n";
  auto c = parse_topology(text, "t.csv");
  EXPECT_EQ(c[0].ho(), 112);
  EXPECT_EQ(c[0].wo(), 112);
  EXPECT_EQ(c[0].macs(), 112 * 112 * 27 * 32);
  EXPECT_EQ(c[1].ho(), 112);  // (225 - 3) % 2 == 0: both conventions agree
  TopologyOptions f;
  f.output_size = OutputSize::Floor;
  auto l = parse_topology(text, "t.csv", f);
  EXPECT_EQ(l[0].ho(), 111);
  EXPECT_EQ(l[0].h, 224);
  EXPECT_EQ(l[0].macs(), 111 * 111 * 27 * 32);
  EXPECT_EQ(l[1].ho(), 112);
  EXPECT_EQ(parse_output_size("floor"), OutputSize::Floor);
  EXPECT_THROW(parse_output_size("round"), Error);
}

// Item 3: a DP row with Num Filter F > 1 is what SCALE-Sim makes of it: one layer per channel,
// "<name>Channel_<i>", 1 channel, F filters (Num Filter = C gives C times the MACs of a
// depthwise layer, a multiplier of 4 four times).
TEST(Topology, DepthwiseRowsAsSCALESimExpandsThem) {
  const std::string text = std::string(kHeader) +
                           "A_DP, 10, 10, 3, 3, 32, 1, 1,\n"
                           "B_DP, 10, 10, 3, 3, 32, 32, 1,\n"
                           "C_DP, 10, 10, 3, 3, 8, 4, 1,\n";
  auto l = parse_topology(text, "t.csv");
  ASSERT_EQ(l.size(), 1u + 32u + 8u);
  EXPECT_EQ(l[0].op, OpKind::Depthwise);
  EXPECT_EQ(l[0].macs(), 8 * 8 * 9 * 32);
  EXPECT_EQ(l[1].name, "B_DPChannel_0");
  EXPECT_EQ(l[32].name, "B_DPChannel_31");
  EXPECT_EQ(l[1].op, OpKind::Conv);
  EXPECT_EQ(l[1].cin, 1);
  EXPECT_EQ(l[1].cout, 32);
  int64_t b = 0, c = 0;
  for (size_t i = 1; i <= 32; ++i) b += l[i].macs();
  for (size_t i = 33; i < l.size(); ++i) c += l[i].macs();
  EXPECT_EQ(b, 32 * (8 * 8 * 9 * 32));  // 32x the depthwise layer
  EXPECT_EQ(c, 8 * 8 * 9 * 8 * 4);
  EXPECT_EQ(l[33].name, "C_DPChannel_0");
  EXPECT_EQ(l[33].cout, 4);
}

// Item 4: GEMM files, detected from a 4-field header or forced; a row is an fc of batch M.
TEST(Topology, GemmRows) {
  const std::string text = "Layer Name, M, N, K,\r\n\r\nQK, 128, 64, 32,\r\nV,16,8,4";
  auto l = parse_topology(text, "g.csv");
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].name, "QK");
  EXPECT_EQ(l[0].op, OpKind::FC);
  EXPECT_EQ(l[0].n, 128);
  EXPECT_EQ(l[0].cin, 32);
  EXPECT_EQ(l[0].cout, 64);
  EXPECT_EQ(l[0].macs(), 128 * 64 * 32);
  EXPECT_EQ(l[1].macs(), 16 * 8 * 4);
  TopologyOptions conv;
  conv.format = TopologyFormat::Conv;
  EXPECT_THROW(parse_topology(text, "g.csv", conv), Error);
  EXPECT_EQ(parse_topology_format("gemm"), TopologyFormat::Gemm);
  EXPECT_THROW(parse_topology_format("onnx"), Error);
}

// Item 5: the FuSe-Half form replaces each KxK depthwise (odd K, even C) by a 1xK on C/2 and a
// Kx1 on C/2 with the same output size; 2x2 depthwise and other layers are kept.
TEST(Topology, FuseHalfForm) {
  const std::string text = std::string(kHeader) + "Conv1, 226, 226, 3, 3, 3, 32, 2,\n"
                                                  "D_DP, 114, 114, 3, 3, 32, 1, 2,\n"
                                                  "E_DP, 10, 10, 2, 2, 32, 1, 1,\n";
  auto base = parse_topology(text, "t.csv");
  auto h = fuse_half_topology(base);
  ASSERT_EQ(h.size(), 4u);
  EXPECT_EQ(h[1].name, "D_DP.row");
  EXPECT_EQ(h[1].op, OpKind::Row);
  EXPECT_EQ(h[1].cin, 16);
  EXPECT_EQ(h[2].name, "D_DP.col");
  EXPECT_EQ(h[2].op, OpKind::Col);
  EXPECT_EQ(h[2].cin, 16);
  EXPECT_EQ(base[1].ho(), 57);  // ceil((114 - 3 + 2) / 2) = ceil(56.5)
  EXPECT_EQ(h[1].ho(), 57);
  EXPECT_EQ(h[1].wo(), 57);
  EXPECT_EQ(h[2].ho(), 57);
  EXPECT_EQ(h[2].wo(), 57);
  EXPECT_EQ(h[1].macs() + h[2].macs(), 2 * 16 * 57 * 57 * 3);
  EXPECT_EQ(h[3].op, OpKind::Depthwise);  // even K: kept
}
