# Runs one command and checks its exit code, a regular expression on its stderr+stdout, and
# that a path does (or does not) exist afterwards. Used by tests/*.cmake for CLI behaviour.
#   cmake -DCMD="a;b;c" -DRC=2 [-DMATCH=regex] [-DABSENT=path] [-DPRESENT=path] [-DWORKDIR=dir]
#         -P expect_cli.cmake
if(WORKDIR)
  file(MAKE_DIRECTORY ${WORKDIR})
else()
  set(WORKDIR ${CMAKE_CURRENT_BINARY_DIR})
endif()
if(ABSENT)
  file(REMOVE_RECURSE ${ABSENT})
endif()
execute_process(COMMAND ${CMD} WORKING_DIRECTORY ${WORKDIR}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
if(NOT "${rc}" STREQUAL "${RC}")
  message(FATAL_ERROR "exit code ${rc}, expected ${RC}\ncommand: ${CMD}\noutput:\n${all}")
endif()
if(MATCH AND NOT all MATCHES "${MATCH}")
  message(FATAL_ERROR "output does not match '${MATCH}'\ncommand: ${CMD}\noutput:\n${all}")
endif()
if(ABSENT AND EXISTS ${ABSENT})
  message(FATAL_ERROR "'${ABSENT}' exists but the command must not write it\ncommand: ${CMD}")
endif()
if(PRESENT AND NOT EXISTS ${PRESENT})
  message(FATAL_ERROR "'${PRESENT}' was not written\ncommand: ${CMD}\noutput:\n${all}")
endif()
message(STATUS "ok: ${CMD}")
