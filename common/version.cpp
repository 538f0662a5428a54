// Version string, fixed at configure time from CMakeLists.txt's project(VERSION).
#include "common/error.h"

namespace fusegen {
const char* version() { return FUSEGEN_VERSION; }
}  // namespace fusegen
