# The one helper every CLI test uses (included by tests/CMakeLists.txt before tests/*.cmake):
#   fusegen_cli_test(<name> <rc> <match> CMD <command...>
#                    [WORKDIR <dir>] [ABSENT <path...>] [PRESENT <path...>] [UNCHANGED <path...>]
#                    [LABELS <label...>] [FIXTURES <fixture...>] [ENVIRONMENT <VAR=value...>]
#                    [TIMEOUT <seconds>])
# runs the command in WORKDIR and checks its exit code <rc>, <match> (a regex on stdout+stderr),
# one "fusegen: error: ..." line for rc 2, and the files (paths relative to WORKDIR; see
# tests/scripts/expect_cli.cmake). LABELS default to "cli".
set(FUSEGEN_EXPECT_CLI ${CMAKE_CURRENT_LIST_DIR}/expect_cli.cmake)

function(fusegen_cli_test name rc match)
  cmake_parse_arguments(A "" "WORKDIR;TIMEOUT"
                        "CMD;ABSENT;PRESENT;UNCHANGED;LABELS;FIXTURES;ENVIRONMENT" ${ARGN})
  if(NOT A_LABELS)
    set(A_LABELS cli)
  endif()
  add_test(NAME ${name}
           COMMAND ${CMAKE_COMMAND} "-DCMD=${A_CMD}" -DRC=${rc} "-DMATCH=${match}"
                   "-DABSENT=${A_ABSENT}" "-DPRESENT=${A_PRESENT}" "-DUNCHANGED=${A_UNCHANGED}"
                   "-DWORKDIR=${A_WORKDIR}" -P ${FUSEGEN_EXPECT_CLI})
  set_tests_properties(${name} PROPERTIES LABELS "${A_LABELS}")
  if(A_FIXTURES)
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED "${A_FIXTURES}")
  endif()
  if(A_ENVIRONMENT)
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "${A_ENVIRONMENT}")
  endif()
  if(A_TIMEOUT)
    set_tests_properties(${name} PROPERTIES TIMEOUT ${A_TIMEOUT})
  endif()
endfunction()
