# The standalone accelerator (`fusegen accel`, docs/accel.md), labels "rtl;accel":
#  - generated RTL: Verilator -Wall lint and Icarus compile over shapes, widths, stream widths
#    and MAC depths; Yosys synthesis with the latch check on small memories; determinism;
#  - the Verilated testbench (tb/accel) driven by accel_regress: random GEMM chains and random
#    depthwise layers (CONV: KxK, 1xK, Kx1, strides, padding) compiled and run through the
#    instruction-set model and the RTL (bit-exact, CYCLES == model without
#    backpressure, bit-exact with random stream backpressure and AXI4-Lite timing), every
#    error code, the register map, and a fault injection that must be reported;
#  - the command line: bad parameters (exit 2, one line, nothing written).
add_executable(accel_regress ${PROJECT_SOURCE_DIR}/tests/regress/accel_regress.cpp)
target_link_libraries(accel_regress PRIVATE fusegen_sim cxxopts::cxxopts)
target_include_directories(accel_regress PRIVATE ${PROJECT_SOURCE_DIR})
set(ACCEL_CACHE ${CMAKE_CURRENT_BINARY_DIR}/rtl_cache)
set(ACCEL_TMP ${CMAKE_CURRENT_BINARY_DIR}/accel)

# ---- Generated RTL: lint + Icarus, Yosys latch check, determinism (scripts/check_rtl.sh).
function(accel_rtl_test name)
  add_test(NAME accel_rtl.${name} COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/check_rtl.sh ${ARGN})
  set_tests_properties(accel_rtl.${name} PROPERTIES LABELS "rtl;accel" TIMEOUT 600
                       ENVIRONMENT "FUSEGEN_BLOCK=accel")
endfunction()
set(ACCEL_SMALL --act-kb 1 --wgt-kb 1 --out-kb 1 --ibuf-depth 16)
accel_rtl_test(lint_1x1_bus8_d4a16 lint ${FUSEGEN_BIN} ${ACCEL_TMP}/lint_1x1 --rows 1 --cols 1
               --data-width 4 --acc-width 16 --bus-width 8 ${ACCEL_SMALL})
accel_rtl_test(lint_2x2 lint ${FUSEGEN_BIN} ${ACCEL_TMP}/lint_2x2 --rows 2 --cols 2)
accel_rtl_test(lint_3x5_bus32_m1_g0 lint ${FUSEGEN_BIN} ${ACCEL_TMP}/lint_3x5 --rows 3 --cols 5
               --bus-width 32 --mac-stages 1 --bcast-group 0 ${ACCEL_SMALL})
accel_rtl_test(lint_4x4_bus16_m2_sync lint ${FUSEGEN_BIN} ${ACCEL_TMP}/lint_4x4 --rows 4 --cols 4
               --bus-width 16 --mac-stages 2 --reset sync --name acc4)
accel_rtl_test(lint_8x8_bus128 lint ${FUSEGEN_BIN} ${ACCEL_TMP}/lint_8x8 --rows 8 --cols 8
               --bus-width 128 --ibuf-depth 32768)
accel_rtl_test(lint_2x16_bus512_a64 lint ${FUSEGEN_BIN} ${ACCEL_TMP}/lint_2x16 --rows 2 --cols 16
               --acc-width 64 --bus-width 512)
accel_rtl_test(lint_16x16 lint ${FUSEGEN_BIN} ${ACCEL_TMP}/lint_16x16 --rows 16 --cols 16)
# Without the im2col window generator (the //#else branches of the sequencer).
accel_rtl_test(lint_2x2_noim2col lint ${FUSEGEN_BIN} ${ACCEL_TMP}/lint_2x2n --rows 2 --cols 2
               --im2col off)
accel_rtl_test(synth_2x2_noim2col synth ${FUSEGEN_BIN} ${ACCEL_TMP}/synth_2x2n --rows 2 --cols 2
               --data-width 4 --acc-width 16 --im2col off ${ACCEL_SMALL})
accel_rtl_test(synth_2x2 synth ${FUSEGEN_BIN} ${ACCEL_TMP}/synth_2x2 --rows 2 --cols 2
               --data-width 4 --acc-width 16 ${ACCEL_SMALL})
accel_rtl_test(synth_3x5_sync synth ${FUSEGEN_BIN} ${ACCEL_TMP}/synth_3x5 --rows 3 --cols 5
               --data-width 4 --acc-width 16 --bus-width 16 --reset sync --mac-stages 1
               ${ACCEL_SMALL})
accel_rtl_test(determ_3x5 determ ${FUSEGEN_BIN} ${ACCEL_TMP}/determ --rows 3 --cols 5
               --bus-width 32)

# ---- Verilated testbench: one build fixture per configuration, then cases on it.
function(accel_config id)
  add_test(NAME accel_build_${id} COMMAND accel_regress ${ARGN} --build-only)
  set_tests_properties(accel_build_${id} PROPERTIES FIXTURES_SETUP accel_${id}
    LABELS "rtl;accel" TIMEOUT 3000 ENVIRONMENT "FUSEGEN_CACHE=${ACCEL_CACHE}")
endfunction()
function(accel_case name id)
  add_test(NAME accel_${name} COMMAND accel_regress ${ARGN})
  set_tests_properties(accel_${name} PROPERTIES FIXTURES_REQUIRED accel_${id}
    LABELS "rtl;accel" TIMEOUT 1200 ENVIRONMENT "FUSEGEN_CACHE=${ACCEL_CACHE}")
endfunction()

# Stream words of 1 beat (2x2), several beats (3x5 on 32 bits: 40-bit data, 160-bit result
# words; 4x4 on 16 bits), less than a beat (1x1 DataW 4 on 8 bits), 8x8 on 128 bits; every
# MAC depth, with and without the input stage, both resets.
set(ACCEL_2x2 --rows 2 --cols 2)
set(ACCEL_3x5 --rows 3 --cols 5 --bus-width 32 --mac-stages 1 --bcast-group 0)
set(ACCEL_4x4 --rows 4 --cols 4 --bus-width 16 --mac-stages 2 --act-kb 2 --wgt-kb 2)
set(ACCEL_1x1 --rows 1 --cols 1 --data-width 4 --acc-width 16 --bus-width 8)
set(ACCEL_8x8 --rows 8 --cols 8 --bus-width 128 --act-kb 4 --wgt-kb 4 --out-kb 4)
# More rows than columns: CONV rows r and r + C share tap lanes (the compiler uses C rows).
set(ACCEL_5x3 --rows 5 --cols 3 --bus-width 32)
foreach(id 2x2 3x5 4x4 1x1 8x8 5x3)
  accel_config(${id} ${ACCEL_${id}})
  accel_case(${id}_pw ${id} ${ACCEL_${id}} --seeds 1-4)
  accel_case(${id}_dw ${id} ${ACCEL_${id}} --seeds 21-28 --dw)
  # Dense convolutions through GEMM with WIN (im2col windows in the sequencer).
  accel_case(${id}_conv2d ${id} ${ACCEL_${id}} --seeds 51-58 --conv2d)
  # Random version-3 programs: background transfers, SYNC, NARROW, interlocks.
  accel_case(${id}_fuzz ${id} ${ACCEL_${id}} --seeds 31-42 --fuzz)
  if(NOT id STREQUAL "5x3")
    accel_case(${id}_fc ${id} ${ACCEL_${id}} --seeds 5-6 --fc)
    accel_case(${id}_errors ${id} ${ACCEL_${id}} --errors)
  endif()
endforeach()
# Maps the 1 KiB scratchpads cannot hold at once: the compiler tiles them into pixel chunks.
accel_case(2x2_large 2x2 ${ACCEL_2x2} --seeds 11-13 --large)
accel_case(3x5_large 3x5 ${ACCEL_3x5} --seeds 14-15 --large)
accel_case(2x2_registers 2x2 ${ACCEL_2x2} --registers)
# Without the im2col window generator: WIN is an unknown opcode (errors, registers: FEATURES 0),
# GEMM chains, depthwise layers and the fuzzer's programs as with it.
set(ACCEL_2x2n --rows 2 --cols 2 --im2col off)
accel_config(2x2n ${ACCEL_2x2n})
accel_case(2x2n_pw 2x2n ${ACCEL_2x2n} --seeds 1-2)
accel_case(2x2n_dw 2x2n ${ACCEL_2x2n} --seeds 21-22 --dw)
accel_case(2x2n_fuzz 2x2n ${ACCEL_2x2n} --seeds 31-36 --fuzz)
accel_case(2x2n_errors 2x2n ${ACCEL_2x2n} --errors)
accel_case(2x2n_registers 2x2n ${ACCEL_2x2n} --registers)
accel_case(3x5_registers 3x5 ${ACCEL_3x5} --registers)
# Random initial state of the data registers and memories (they are not reset).
accel_case(3x5_randreset 3x5 ${ACCEL_3x5} --seeds 7 --sim-seeds 1-2)
# The checking itself: a flipped weight bit on the input stream must be reported as an output
# mismatch naming the beat (exit 1); a crash, a usage error or a pass fails this test.
fusegen_cli_test(accel_2x2_fault_detected 1
  "MISMATCH output stream differs from the model at beat [0-9]+: expected [0-9a-f]+, actual [0-9a-f]+"
  CMD $<TARGET_FILE:accel_regress> ${ACCEL_2x2} --seeds 2 --inject-fault
  LABELS rtl accel FIXTURES accel_2x2 ENVIRONMENT "FUSEGEN_CACHE=${ACCEL_CACHE}" TIMEOUT 1200)
# The same on a CONV program: the flipped bit is tap 0 of the first group's line 0.
fusegen_cli_test(accel_2x2_dw_fault_detected 1
  "MISMATCH output stream differs from the model at beat [0-9]+: expected [0-9a-f]+, actual [0-9a-f]+"
  CMD $<TARGET_FILE:accel_regress> ${ACCEL_2x2} --seeds 22 --dw --inject-fault
  LABELS rtl accel FIXTURES accel_2x2 ENVIRONMENT "FUSEGEN_CACHE=${ACCEL_CACHE}" TIMEOUT 1200)

# ---- Command line: bad parameters are one error line, exit 2, and no output directory.
set(ACCEL_CLI_DIR ${CMAKE_CURRENT_BINARY_DIR}/accel_cli)
file(MAKE_DIRECTORY ${ACCEL_CLI_DIR})
function(accel_cli_error name match)
  fusegen_cli_test(accel_cli.${name} 2 "${match}" CMD ${FUSEGEN_BIN} accel ${ARGN} --out never
                   WORKDIR ${ACCEL_CLI_DIR} ABSENT never LABELS cli accel)
endfunction()
accel_cli_error(rows_zero "--rows 0 .*1\\.\\.256" --rows 0 --cols 2)
accel_cli_error(bus_width "--bus-width 48 is not a stream width: allowed 8, 16, 32, 64, 128, 256, 512"
                --rows 2 --cols 2 --bus-width 48)
accel_cli_error(ibuf_depth "--ibuf-depth 8 is out of range: allowed 16\\.\\.32768"
                --rows 2 --cols 2 --ibuf-depth 8)
accel_cli_error(act_kb_zero "--act-kb 0" --rows 2 --cols 2 --act-kb 0)
accel_cli_error(act_too_deep "--act-kb 16384 gives 2097152 lines of 64 bits: allowed 1\\.\\.65536 lines"
                --rows 2 --cols 4 --act-kb 16384)
accel_cli_error(acc_width "--acc-width" --rows 2 --cols 2 --data-width 8 --acc-width 12)
accel_cli_error(name "name '9bad' is not a Verilog identifier" --rows 2 --cols 2 --name 9bad)
accel_cli_error(im2col "--im2col 'yes' is not allowed: choose one of on, off"
                --rows 2 --cols 2 --im2col yes)
fusegen_cli_test(accel_cli.ok 0 "" CMD ${FUSEGEN_BIN} accel --rows 2 --cols 2 --out ok
                 WORKDIR ${ACCEL_CLI_DIR} PRESENT ok/fusegen_top.v ok/fusegen_seq.v
                 ok/fusegen_core_array.v LABELS cli accel)
