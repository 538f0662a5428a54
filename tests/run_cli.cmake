# `fusegen run` (golden engine) and `fusegen tensor` from the command line: a working block
# run, and bad input rejected with exit code 2, a message naming the problem, and no output.
set(RUN_DIR ${CMAKE_CURRENT_BINARY_DIR}/run_cli)
set(EXPECT_CLI ${CMAKE_CURRENT_SOURCE_DIR}/scripts/expect_cli.cmake)

function(fusegen_cli_test name rc match)
  cmake_parse_arguments(A "" "ABSENT;PRESENT" "CMD" ${ARGN})
  add_test(NAME ${name}
           COMMAND ${CMAKE_COMMAND} "-DCMD=${A_CMD}" -DRC=${rc} "-DMATCH=${match}"
                   -DABSENT=${A_ABSENT} -DPRESENT=${A_PRESENT} -DWORKDIR=${RUN_DIR}
                   -P ${EXPECT_CLI})
  set_tests_properties(${name} PROPERTIES LABELS "cli" FIXTURES_REQUIRED run_cli_inputs)
endfunction()

# Inputs shared by the tests below.
add_test(NAME run_cli.make_inputs COMMAND ${CMAKE_COMMAND} -E chdir ${RUN_DIR} sh -c
  "${FUSEGEN_BIN} tensor --shape 2,4,7,5 --seed 1 --out x.npy && \
   ${FUSEGEN_BIN} tensor --shape 4,1,3,3 --seed 2 --out wdw.npy && \
   ${FUSEGEN_BIN} tensor --shape 2,1,1,3 --seed 3 --out wrow.npy && \
   ${FUSEGEN_BIN} tensor --shape 2,1,3,1 --seed 4 --out wcol.npy && \
   ${FUSEGEN_BIN} tensor --shape 6,4,1,1 --seed 5 --out wpw.npy && \
   ${FUSEGEN_BIN} tensor --shape 2,4,7,5 --data-width 12 --seed 6 --out x12.npy")
file(MAKE_DIRECTORY ${RUN_DIR})
set_tests_properties(run_cli.make_inputs PROPERTIES LABELS "cli" FIXTURES_SETUP run_cli_inputs)

fusegen_cli_test(run_cli.fuse_half_ok 0 "output +\\[2, 6, 7, 5\\]"
  CMD ${FUSEGEN_BIN} run --op fuse-half --input x.npy --w-row wrow.npy --w-col wcol.npy
      --w-pw wpw.npy --shift 3 --relu --output y_half.npy PRESENT ${RUN_DIR}/y_half.npy)
# MACs by hand: dw N2 C4 Ho4 Wo3 K9 = 864, pw N2 Ho4 Wo3 Cin4 Cout6 = 576 -> 1440.
fusegen_cli_test(run_cli.dsc_json 0 "\"macs\": 1440"
  CMD ${FUSEGEN_BIN} run --op dsc --input x.npy --w-dw wdw.npy --w-pw wpw.npy --stride 2
      --format json --output y_dsc.npy PRESENT ${RUN_DIR}/y_dsc.npy)
fusegen_cli_test(run_cli.unknown_op 2 "unknown op 'dws'.*fuse-half"
  CMD ${FUSEGEN_BIN} run --op dws --input x.npy --w wdw.npy --output bad.npy ABSENT ${RUN_DIR}/bad.npy)
fusegen_cli_test(run_cli.wrong_weight_option 2 "does not take --w; it takes --w-dw, --w-pw"
  CMD ${FUSEGEN_BIN} run --op dsc --input x.npy --w wdw.npy --output bad.npy ABSENT ${RUN_DIR}/bad.npy)
fusegen_cli_test(run_cli.weight_shape 2 "--w has shape \\[6, 4, 1, 1\\]"
  CMD ${FUSEGEN_BIN} run --op dw --input x.npy --w wpw.npy --output bad.npy ABSENT ${RUN_DIR}/bad.npy)
fusegen_cli_test(run_cli.value_range 2 "does not fit a signed 8-bit value"
  CMD ${FUSEGEN_BIN} run --op dw --input x12.npy --w wdw.npy --output bad.npy ABSENT ${RUN_DIR}/bad.npy)
fusegen_cli_test(run_cli.acc_width 2 "at least 2 x --data-width"
  CMD ${FUSEGEN_BIN} run --op dw --input x12.npy --w wdw.npy --data-width 12 --acc-width 16
      --output bad.npy ABSENT ${RUN_DIR}/bad.npy)
fusegen_cli_test(run_cli.missing_file 2 "cannot read 'nope.npy'"
  CMD ${FUSEGEN_BIN} run --op dw --input nope.npy --w wdw.npy --output bad.npy ABSENT ${RUN_DIR}/bad.npy)
fusegen_cli_test(run_cli.corrupt_file 2 "not a .npy file"
  CMD ${FUSEGEN_BIN} run --op dw --input ${CMAKE_CURRENT_SOURCE_DIR}/CMakeLists.txt --w wdw.npy
      --output bad.npy ABSENT ${RUN_DIR}/bad.npy)
fusegen_cli_test(run_cli.shift_on_single_op 2 "single operator"
  CMD ${FUSEGEN_BIN} run --op dw --input x.npy --w wdw.npy --shift 2 --output bad.npy ABSENT ${RUN_DIR}/bad.npy)
fusegen_cli_test(run_cli.half_needs_even 2 "C must be even"
  CMD ${FUSEGEN_BIN} run --op fuse-half --input wdw.npy --w-row wrow.npy --w-col wcol.npy
      --w-pw wpw.npy --output bad.npy ABSENT ${RUN_DIR}/bad.npy)
fusegen_cli_test(run_cli.unknown_command 2 "unknown command 'frobnicate'"
  CMD ${FUSEGEN_BIN} frobnicate)
fusegen_cli_test(tensor_cli.bad_shape 2 "--shape '1,0,3' is not a shape"
  CMD ${FUSEGEN_BIN} tensor --shape 1,0,3 --out bad.npy ABSENT ${RUN_DIR}/bad.npy)
