// The error type every part of fusegen throws for user-facing problems (the command line turns
// it into "fusegen: error: ..." and exit code 2), and the generator version.
#pragma once

#include <stdexcept>
#include <string>

namespace fusegen {

// A user-facing error: bad parameters, malformed files, impossible configurations.
// The message names what is wrong and what is allowed.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

// The generator version written into every generated file's header.
const char* version();

}  // namespace fusegen
