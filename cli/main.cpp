// fusegen entry point: dispatches to the registered subcommand and turns every exception into
// one line on stderr: "fusegen: error: ..." and exit code 2 for bad input and file-system
// problems, "fusegen: internal error: ..." and exit code 3 for a fusegen bug. Never an abort.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <new>
#include <string>
#include <vector>

#include <cxxopts.hpp>
#include <fmt/format.h>

#include "cli/command.h"
#include "common/bits.h"
#include "common/error.h"
#include "common/progress.h"

namespace fusegen::cli {
std::map<std::string, Command>& command_registry() {
  static std::map<std::string, Command> r;
  return r;
}
}  // namespace fusegen::cli

namespace {
void usage(FILE* f) {
  fmt::print(f, "fusegen {} - ST-OS systolic array and SparseCache RTL generator\n\n", fusegen::version());
  fmt::print(f, "usage: fusegen <command> [options] [--quiet]   (fusegen <command> --help for its "
                "options; --quiet: no progress lines on a terminal)\n\ncommands:\n");
  for (const auto& [name, c] : fusegen::cli::command_registry())
    fmt::print(f, "  {:<12} {}\n", name, c.summary);
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    usage(stdout);
    return 0;
  }
  if (cmd == "--version") {
    fmt::print("fusegen {}\n", fusegen::version());
    return 0;
  }
  auto& reg = fusegen::cli::command_registry();
  auto it = reg.find(cmd);
  if (it == reg.end()) {
    std::string names;
    for (const auto& [n, c] : reg) names += (names.empty() ? "" : ", ") + n;
    fmt::print(stderr, "fusegen: error: unknown command '{}' (commands: {})\n", cmd, names);
    return 2;
  }
  std::string prog = "fusegen " + cmd;
  std::vector<char*> args;
  args.push_back(prog.data());
  // --quiet (any command, anywhere after it): no progress lines on the terminal.
  for (int i = 2; i < argc; ++i) {
    if (std::string(argv[i]) == "--quiet")
      fusegen::set_progress_quiet(true);
    else
      args.push_back(argv[i]);
  }
  try {
    return it->second.fn(static_cast<int>(args.size()), args.data());
  } catch (const fusegen::Error& e) {
    fmt::print(stderr, "fusegen: error: {}\n", e.what());
  } catch (const cxxopts::exceptions::exception& e) {
    fmt::print(stderr, "fusegen: error: {} (see 'fusegen {} --help')\n", e.what(), cmd);
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "fusegen: error: out of memory: the inputs or parameters need more memory "
                       "than this machine has; use smaller tensors, layers or traces\n");
  } catch (const std::filesystem::filesystem_error& e) {
    fmt::print(stderr, "fusegen: error: '{}': {}\n", e.path1().string(), e.code().message());
  } catch (const std::exception& e) {
    fmt::print(stderr, "fusegen: internal error: {} (please report it with the command line)\n",
               e.what());
    return 3;
  } catch (...) {
    fmt::print(stderr, "fusegen: internal error: unknown exception (please report it with the "
                       "command line)\n");
    return 3;
  }
  return 2;
}
