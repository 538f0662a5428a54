// Subcommand registry of the fusegen command line. Each subcommand lives in its own
// cli/cmd_<name>.cpp and registers itself with FUSEGEN_COMMAND, so adding a
// command touches no shared file.
//
// Conventions every command follows: parse with cxxopts; reject bad input by throwing
// fusegen::Error with a message naming what is wrong and what is allowed (main prints
// "fusegen: error: <message>" and exits 2); write outputs only after all checks passed.
#pragma once

#include <functional>
#include <map>
#include <string>

namespace fusegen::cli {

using CommandFn = std::function<int(int argc, char** argv)>;

struct Command {
  std::string summary;  // one line for `fusegen --help`
  CommandFn fn;         // argv[0] is "fusegen <name>"
};

std::map<std::string, Command>& command_registry();

struct Registrar {
  Registrar(const char* name, const char* summary, CommandFn fn) {
    command_registry()[name] = Command{summary, std::move(fn)};
  }
};

}  // namespace fusegen::cli

#define FUSEGEN_COMMAND(name, summary, fn) \
  static ::fusegen::cli::Registrar fusegen_registrar_##fn(name, summary, fn)
