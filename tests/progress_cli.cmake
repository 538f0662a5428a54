# Progress lines of long commands: shown on a terminal (script(1) gives the command a pty),
# absent when stderr is not a terminal and with --quiet.
set(PROGRESS_DIR ${CMAKE_CURRENT_BINARY_DIR}/progress_cli)
file(MAKE_DIRECTORY ${PROGRESS_DIR})
set(PROGRESS_TRACE "trace --network alexnet --layers conv2 --max-records 1000")
find_program(FUSEGEN_SCRIPT script)
if(FUSEGEN_SCRIPT)
  fusegen_cli_test(progress_cli.terminal 0 "fusegen: trace alexnet 1/1 layer conv2 \\([0-9]+ s\\)"
    WORKDIR ${PROGRESS_DIR}
    CMD ${FUSEGEN_SCRIPT} -qec "${FUSEGEN_BIN} ${PROGRESS_TRACE} --out tty.din" /dev/null)
  # --quiet on a terminal: the command's report, and no progress line.
  add_test(NAME progress_cli.quiet COMMAND sh -c
    "${FUSEGEN_SCRIPT} -qec '${FUSEGEN_BIN} ${PROGRESS_TRACE} --out quiet.din --quiet' /dev/null > quiet.log && \
     grep -q 'total accesses 1000' quiet.log && ! grep -q 'fusegen: trace' quiet.log"
    WORKING_DIRECTORY ${PROGRESS_DIR})
  set_tests_properties(progress_cli.quiet PROPERTIES LABELS "cli;cache")
endif()
# Not a terminal: stderr stays empty.
add_test(NAME progress_cli.pipe COMMAND sh -c
  "${FUSEGEN_BIN} ${PROGRESS_TRACE} --out pipe.din 2> pipe.err > /dev/null && test ! -s pipe.err"
  WORKING_DIRECTORY ${PROGRESS_DIR})
set_tests_properties(progress_cli.pipe PROPERTIES LABELS "cli;cache")
