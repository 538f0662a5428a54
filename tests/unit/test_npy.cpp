// .npy reading and writing: round trips for every supported dtype, byte-exact headers against
// what NumPy writes, and every malformed-file error.
#include <gtest/gtest.h>

#include <cstring>

#include "common/bits.h"
#include "common/error.h"
#include "golden/npy.h"

using namespace fusegen;

namespace {
// A .npy file as NumPy 1.x writes it: magic, version 1.0, little-endian header length, the
// dict padded with spaces to a 64-byte boundary, '\n', then the data.
std::string npy_bytes(const std::string& dict, const std::string& data) {
  std::string header = dict;
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  return out + header + data;
}
std::string le(int64_t v, int bytes) {
  std::string s;
  for (int i = 0; i < bytes; ++i) s += static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xff);
  return s;
}
void expect_error(const std::string& bytes, const std::string& fragment) {
  try {
    parse_npy(bytes, "t.npy");
    FAIL() << "expected an error containing '" << fragment << "'";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("t.npy"), std::string::npos) << e.what();
  }
}
}  // namespace

TEST(Npy, ReadsWhatNumpyWrites) {
  // np.array([[1, -2, 3], [-4, 5, -6]], dtype='<i2')
  std::string data;
  for (int64_t v : {1, -2, 3, -4, 5, -6}) data += le(v, 2);
  NpyArray a = parse_npy(npy_bytes("{'descr': '<i2', 'fortran_order': False, 'shape': (2, 3), }", data), "t");
  EXPECT_EQ(a.dtype, NpyDtype::I16);
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(a.to_tensor("t").data, (std::vector<int64_t>{1, -2, 3, -4, 5, -6}));
}

TEST(Npy, AllDtypesAndOneDimensionalShape) {
  struct Case { const char* descr; int bytes; NpyDtype dt; };
  for (Case c : {Case{"|i1", 1, NpyDtype::I8}, Case{"<i4", 4, NpyDtype::I32}, Case{"<i8", 8, NpyDtype::I64}}) {
    std::string data = le(-1, c.bytes) + le(7, c.bytes);
    NpyArray a = parse_npy(npy_bytes(std::string("{'descr': '") + c.descr +
                                     "', 'fortran_order': False, 'shape': (2,), }", data), "t");
    EXPECT_EQ(a.dtype, c.dt);
    EXPECT_EQ(a.to_tensor("t").data, (std::vector<int64_t>{-1, 7}));
  }
  float f[2] = {3.0f, -2.0f};
  std::string fd(reinterpret_cast<const char*>(f), 8);
  NpyArray a = parse_npy(npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", fd), "t");
  EXPECT_EQ(a.dtype, NpyDtype::F32);
  EXPECT_EQ(a.to_tensor("t").data, (std::vector<int64_t>{3, -2}));
  EXPECT_DOUBLE_EQ(a.value(1), -2.0);
}

TEST(Npy, FloatThatIsNotAnIntegerIsRejected) {
  float f[1] = {0.5f};
  std::string fd(reinterpret_cast<const char*>(f), 4);
  NpyArray a = parse_npy(npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", fd), "t");
  EXPECT_THROW(a.to_tensor("t"), Error);
}

TEST(Npy, WriterProducesNumpyBytesAndRoundTrips) {
  Tensor t({2, 2});
  t.data = {1, -1, 300, -300};
  std::string expect_data;
  for (int64_t v : t.data) expect_data += le(v, 4);
  EXPECT_EQ(serialize_npy(t, NpyDtype::I32),
            npy_bytes("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }", expect_data));
  for (NpyDtype dt : {NpyDtype::I16, NpyDtype::I32, NpyDtype::I64}) {
    NpyArray back = parse_npy(serialize_npy(t, dt), "rt");
    EXPECT_EQ(back.shape, t.shape);
    EXPECT_EQ(back.to_tensor("rt"), t);
  }
  Tensor v({3});
  v.data = {-128, 0, 127};
  EXPECT_EQ(parse_npy(serialize_npy(v, NpyDtype::I8), "rt").to_tensor("rt"), v);
  EXPECT_EQ(serialize_npy(v, NpyDtype::I8).size() % 64, 3u);  // header padded to 64 bytes
}

TEST(Npy, WriterRejectsValuesThatDoNotFit) {
  Tensor t({1});
  t.data = {128};
  EXPECT_THROW(serialize_npy(t, NpyDtype::I8), Error);
  t.data = {int64_t{1} << 31};
  EXPECT_THROW(serialize_npy(t, NpyDtype::I32), Error);
}

TEST(Npy, MalformedFilesGiveClearErrors) {
  const std::string ok_dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }";
  const std::string data = le(1, 4) + le(2, 4);
  expect_error("not numpy at all", "bad magic");
  expect_error(npy_bytes(ok_dict, data).substr(0, 30), "truncated");
  expect_error(npy_bytes("{'descr': '<i4', 'fortran_order': True, 'shape': (2,), }", data), "Fortran");
  expect_error(npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", data), "unsupported .npy dtype '<f8'");
  expect_error(npy_bytes("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", data), "unsupported .npy dtype '>i4'");
  expect_error(npy_bytes("{'descr': '<u1', 'fortran_order': False, 'shape': (2,), }", data), "unsupported");
  expect_error(npy_bytes("{'fortran_order': False, 'shape': (2,), }", data), "no 'descr'");
  expect_error(npy_bytes("{'descr': '<i4', 'fortran_order': False, 'shape': (2,x), }", data), "bad shape");
  expect_error(npy_bytes("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", data), "truncated .npy data");
  expect_error(npy_bytes(ok_dict, data + "xx"), "trailing bytes");
  std::string v9 = npy_bytes(ok_dict, data);
  v9[6] = 9;
  expect_error(v9, "format version 9");
}

TEST(Npy, HeaderIsCheckedAgainstTheFileWithoutOverflow) {
  // 2^32 x 2^32 int8 elements wrap a 64-bit count to 0: refused, not read as an empty array.
  expect_error(npy_bytes("{'descr': '|i1', 'fortran_order': False, 'shape': (1, 1, 4294967296, "
                         "4294967296), }", ""), "element count overflows");
  // 2^32 bytes claimed, none present.
  expect_error(npy_bytes("{'descr': '|i1', 'fortran_order': False, 'shape': (65536, 65536), }", ""),
               "needs 4294967296 x 1 bytes, file has 0");
  // 1e19 int64 elements: the count fits 64 bits, the byte count would not; still "truncated".
  expect_error(npy_bytes("{'descr': '<i8', 'fortran_order': False, 'shape': (1000000000000, "
                         "10000000), }", le(1, 8)), "truncated .npy data");
}

TEST(Npy, MissingFileNamesThePath) {
  try {
    read_npy("/nonexistent/dir/x.npy");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/x.npy"), std::string::npos);
  }
}
