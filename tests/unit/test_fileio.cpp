// common/fileio.h: the output-path rule every command applies, all-or-nothing directory output
// with stale and foreign files, atomic single files, and the errors naming what went wrong.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/error.h"
#include "common/fileio.h"
#include "tests/unit/error_of.h"

using namespace fusegen;
namespace fs = std::filesystem;

namespace {

// A fresh scratch directory per test.
std::string scratch(const std::string& name) {
  const std::string dir = std::string(FUSEGEN_TEST_TMP) + "/fileio_" + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

OutputSet set_of(std::initializer_list<std::pair<const char*, const char*>> files) {
  OutputSet s;
  for (const auto& [name, text] : files) s.add(name, text);
  return s;
}

}  // namespace

TEST(FileIo, AtomicWriteOntoADirectoryNamesTheReason) {
  const std::string dir = scratch("atomic");
  const std::string msg = error_of([&] { write_file_atomic(dir, "x"); });
  EXPECT_NE(msg.find("Is a directory"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("Success"), std::string::npos) << msg;
  for (const auto& e : fs::directory_iterator(fs::path(dir).parent_path()))
    EXPECT_EQ(e.path().string().find("fileio_atomic.tmp"), std::string::npos) << e.path();
}

TEST(FileIo, RegeneratedDirectoryHoldsOnlyTheNewSet) {
  const std::string dir = scratch("regen") + "/out";
  set_of({{"a.v", "old a"}, {"a.f", "a.v\n"}}).write_to(dir);
  set_of({{"b.v", "new b"}}).write_to(dir);
  EXPECT_FALSE(fs::exists(dir + "/a.v"));
  EXPECT_FALSE(fs::exists(dir + "/a.f"));
  EXPECT_EQ(read_file(dir + "/b.v"), "new b");
  EXPECT_TRUE(fs::exists(dir + "/.fusegen-output"));
}

TEST(FileIo, ForeignFilesAreNeverReplaced) {
  const std::string dir = scratch("foreign");
  write_file_atomic(dir + "/notes.txt", "mine");
  const std::string msg = error_of([&] { set_of({{"b.v", "b"}}).write_to(dir); });
  EXPECT_NE(msg.find("holds 'notes.txt', which fusegen did not write"), std::string::npos) << msg;
  EXPECT_EQ(read_file(dir + "/notes.txt"), "mine");
  EXPECT_FALSE(fs::exists(dir + "/b.v"));
  // A generated directory the user added a file to is refused the same way.
  const std::string gen = scratch("foreign_gen") + "/out";
  set_of({{"a.v", "a"}}).write_to(gen);
  write_file_atomic(gen + "/synth.log", "yosys");
  EXPECT_NE(error_of([&] { set_of({{"a.v", "a2"}}).write_to(gen); }).find("'synth.log'"),
            std::string::npos);
  EXPECT_EQ(read_file(gen + "/a.v"), "a");
}

TEST(FileIo, OutputPathRule) {
  const std::string dir = scratch("rule");
  write_file_atomic(dir + "/in.npy", "input");
  fs::create_symlink(dir + "/in.npy", dir + "/link.npy");
  const std::vector<NamedPath> inputs = {{"input", dir + "/in.npy"}};
  EXPECT_EQ(error_of([&] { check_output_path("output", dir + "/new.npy", OutputKind::File, inputs); }), "");
  EXPECT_NE(error_of([&] { check_output_path("output", dir + "/no/x.npy", OutputKind::File); })
                .find("directory '" + dir + "/no' does not exist"), std::string::npos);
  EXPECT_NE(error_of([&] { check_output_path("output", dir, OutputKind::File); }).find("is a directory"),
            std::string::npos);
  EXPECT_NE(error_of([&] { check_output_path("output", dir + "/./in.npy", OutputKind::File, inputs); })
                .find("is the same file as --input"), std::string::npos);
  EXPECT_NE(error_of([&] { check_output_path("output", dir + "/link.npy", OutputKind::File, inputs); })
                .find("is the same file as --input"), std::string::npos);
  EXPECT_NE(error_of([&] { check_output_path("out", dir + "/in.npy", OutputKind::Directory); })
                .find("is not a directory"), std::string::npos);
  EXPECT_NE(error_of([&] { check_output_path("out", "", OutputKind::Directory); }).find("--out is empty"),
            std::string::npos);
  EXPECT_EQ(read_file(dir + "/in.npy"), "input");
}
