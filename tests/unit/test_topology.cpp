// SCALE-Sim topology CSV reading: header, trailing commas, whitespace, depthwise detection by
// "DP" in the name, and errors that name file, line and field.
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
                     "Row_DP, 56, 58, 1, 3, 16, 16, 2,\n"
                     "Col_DP, 58, 56, 3, 1, 16, 1, 2,\n";
  auto l = parse_topology(text, "net.csv");
  ASSERT_EQ(l.size(), 5u);
  EXPECT_EQ(l[0].name, "Conv1");
  EXPECT_EQ(l[0].op, OpKind::Conv);
  EXPECT_EQ(l[0].h, 226);
  EXPECT_EQ(l[0].cin, 3);
  EXPECT_EQ(l[0].cout, 32);
  EXPECT_EQ(l[0].stride, 2);
  EXPECT_EQ(l[0].pad_h, 0);
  EXPECT_EQ(l[0].pad_w, 0);
  EXPECT_EQ(l[0].ho(), 112);  // (226 - 3)/2 + 1
  EXPECT_EQ(l[1].name, "CONV2_DP");
  EXPECT_EQ(l[1].op, OpKind::Depthwise);
  EXPECT_EQ(l[1].cin, 32);
  EXPECT_EQ(l[1].cout, 32);
  EXPECT_EQ(l[1].ho(), 112);
  EXPECT_EQ(l[2].op, OpKind::Pointwise);
  EXPECT_EQ(l[2].cout, 64);
  EXPECT_EQ(l[3].op, OpKind::Row);
  EXPECT_EQ(l[3].cout, 16);
  EXPECT_EQ(l[3].wo(), 28);  // (58 - 3)/2 + 1
  EXPECT_EQ(l[4].op, OpKind::Col);
  EXPECT_EQ(l[4].ho(), 28);
}

// A padded topology row costs what the zoo's padded layer costs: the V2 stem given as
// 226x226 with no padding is 24140 cycles on 64x64 (worked in test_paper_model.cpp).
TEST(Topology, PaddedRowCostsLikeTheZooLayer) {
  auto l = parse_topology(std::string(kHeader) + "Conv1, 226, 226, 3, 3, 3, 32, 2,\n", "t.csv");
  EXPECT_EQ(PaperModel(64, 64).layer_cycles(l[0]), 24140);
}

TEST(Topology, Errors) {
  const std::string h = kHeader;
  expect_error(h + "Conv1, 226, 226, 3, 3, 3, 32\n", {"net.csv:2:", "expected 8 fields", "found 7"});
  expect_error(h + "Conv1, 226, 226, 3, 3, 3, 32, 2,\nConv2, 112, x, 1, 1, 32, 64, 1,\n",
               {"net.csv:3:", "'IFMAP Width'", "'Conv2'", "'x'", "positive integer"});
  expect_error(h + "Conv1, 226, 226, 3, 3, 3, 32, 0,\n", {"net.csv:2:", "'Strides'"});
  expect_error(h + "Conv1, 226, 226, 3, -3, 3, 32, 1,\n", {"'Filter Width'", "'-3'"});
  expect_error(h + " , 226, 226, 3, 3, 3, 32, 1,\n", {"net.csv:2:", "'Layer name' is empty"});
  expect_error(h + "Conv1, 2, 226, 3, 3, 3, 32, 1,\n", {"'Filter Height'", "larger than"});
  expect_error(h + "A_DP, 10, 10, 3, 3, 8, 4, 1,\n", {"'Num Filter'", "depthwise", "8"});
  expect_error("Conv1, 226, 226, 3, 3, 3, 32, 2,\n", {"net.csv:1:", "header row"});
  expect_error(h, {"net.csv", "no layer rows"});
  expect_error("", {"net.csv", "no layer rows"});
}

TEST(Topology, UnreadableFileAndName) {
  EXPECT_THROW(read_topology("/nonexistent/dir/none.csv"), Error);
  EXPECT_EQ(topology_name("/a/b/MobileNetV2.csv"), "MobileNetV2");
  EXPECT_EQ(topology_name("net"), "net");
}
