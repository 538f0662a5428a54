# Runs one command and checks what a CLI test claims (driven by fusegen_cli_test in
# tests/scripts/cli_helpers.cmake):
#   cmake -DCMD="a;b;c" -DRC=2 [-DMATCH=regex] [-DABSENT="p;q"] [-DPRESENT="p;q"]
#         [-DUNCHANGED="p;q"] [-DWORKDIR=dir] -P expect_cli.cmake
# - the exit code is RC (a crash or an abort is never RC: those are signal exits);
# - stdout+stderr match MATCH;
# - RC 2 (rejected input) prints exactly one line on stderr, "fusegen: error: ...";
# - ABSENT paths are removed first and must not exist afterwards (nothing written);
# - PRESENT paths exist afterwards; UNCHANGED files have the same bytes afterwards (inputs are
#   never overwritten).
if(WORKDIR)
  file(MAKE_DIRECTORY ${WORKDIR})
else()
  set(WORKDIR ${CMAKE_CURRENT_BINARY_DIR})
endif()
# Paths are relative to WORKDIR unless absolute.
foreach(kind ABSENT PRESENT UNCHANGED)
  set(resolved "")
  foreach(p ${${kind}})
    get_filename_component(p "${p}" ABSOLUTE BASE_DIR ${WORKDIR})
    list(APPEND resolved "${p}")
  endforeach()
  set(${kind} "${resolved}")
endforeach()
foreach(p ${ABSENT})
  file(REMOVE_RECURSE ${p})
endforeach()
set(before "")
foreach(p ${UNCHANGED})
  file(SHA256 ${p} hash)
  list(APPEND before ${hash})
endforeach()
execute_process(COMMAND ${CMD} WORKING_DIRECTORY ${WORKDIR}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
if(NOT "${rc}" STREQUAL "${RC}")
  message(FATAL_ERROR "exit code ${rc}, expected ${RC}\ncommand: ${CMD}\noutput:\n${all}")
endif()
if(MATCH AND NOT all MATCHES "${MATCH}")
  message(FATAL_ERROR "output does not match '${MATCH}'\ncommand: ${CMD}\noutput:\n${all}")
endif()
if("${RC}" STREQUAL "2" AND NOT err MATCHES "^fusegen: error: [^\n]*\n$")
  message(FATAL_ERROR "a rejection must print one line 'fusegen: error: ...' on stderr\n"
                      "command: ${CMD}\nstderr:\n${err}")
endif()
foreach(p ${ABSENT})
  if(EXISTS ${p})
    message(FATAL_ERROR "'${p}' exists but the command must not write it\ncommand: ${CMD}")
  endif()
endforeach()
foreach(p ${PRESENT})
  if(NOT EXISTS ${p})
    message(FATAL_ERROR "'${p}' was not written\ncommand: ${CMD}\noutput:\n${all}")
  endif()
endforeach()
foreach(p ${UNCHANGED})
  file(SHA256 ${p} after)
  list(POP_FRONT before expected)
  if(NOT after STREQUAL expected)
    message(FATAL_ERROR "'${p}' was changed but the command must not touch it\ncommand: ${CMD}")
  endif()
endforeach()
message(STATUS "ok: ${CMD}")
