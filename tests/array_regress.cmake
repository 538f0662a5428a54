# Array regression (ST-OS systolic array RTL vs golden model and cycle model), via Verilator.
# One build fixture per array configuration (the Verilated testbench is built once, cached in
# the build tree); then random cases of every op kind on it, each asserting bit-exact output
# AND RTL cycles == cycle-model cycles. Labels "rtl;array"; larger arrays and more seeds add
# "long" (make regress-long).
add_executable(array_regress ${PROJECT_SOURCE_DIR}/tests/regress/array_regress.cpp)
target_link_libraries(array_regress PRIVATE fusegen_sim cxxopts::cxxopts)
target_include_directories(array_regress PRIVATE ${PROJECT_SOURCE_DIR})
set(FUSEGEN_ARRAY_CACHE ${CMAKE_CURRENT_BINARY_DIR}/rtl_cache)
set(FUSEGEN_ALL_OPS conv,dw,row,col,pw,fc,dsc,fuse-full,fuse-half)

# Labels of a suite: "array" (default) or "long" (opt-in).
function(array_labels var suite)
  if(suite STREQUAL "long")
    set(${var} "rtl;array;long" PARENT_SCOPE)
  else()
    set(${var} "rtl;array" PARENT_SCOPE)
  endif()
endfunction()

# array_config(<id> <suite> <args...>): build fixture for one configuration.
function(array_config id suite)
  array_labels(labels ${suite})
  add_test(NAME array_build_${id} COMMAND array_regress ${ARGN} --build-only)
  set_tests_properties(array_build_${id} PROPERTIES FIXTURES_SETUP array_${id} LABELS "${labels}"
    TIMEOUT 3000 ENVIRONMENT "FUSEGEN_CACHE=${FUSEGEN_ARRAY_CACHE}")
endfunction()

# array_case(<name> <config id> <suite> <args...>): random cases on a built configuration.
function(array_case name id suite)
  array_labels(labels ${suite})
  add_test(NAME array_${name} COMMAND array_regress ${ARGN})
  set_tests_properties(array_${name} PROPERTIES FIXTURES_REQUIRED array_${id} LABELS "${labels}"
    TIMEOUT 1200 ENVIRONMENT "FUSEGEN_CACHE=${FUSEGEN_ARRAY_CACHE}")
endfunction()

# ---- Default suite: degenerate and odd shapes, square 4/8/16, --no-stos, narrow widths.
foreach(shape 1x1 1x8 8x1 3x5 5x3 4x4 8x8 16x16)
  string(REPLACE "x" ";" rc ${shape})
  list(GET rc 0 r)
  list(GET rc 1 c)
  set(cfg --rows ${r} --cols ${c})
  array_config(${shape} "array" ${cfg})
  array_case(${shape}_os ${shape} "array" ${cfg} --ops ${FUSEGEN_ALL_OPS} --seeds 1-3 --dw-mapping os)
  array_case(${shape}_stos ${shape} "array" ${cfg} --ops dw,dsc,fuse-half --seeds 4-6 --dw-mapping stos)
endforeach()
array_case(4x4_extreme 4x4 "array" --rows 4 --cols 4 --ops ${FUSEGEN_ALL_OPS} --seeds 7-8 --mix extreme --dw-mapping stos)
# Random initial register state (data registers are not reset): several Verilator seeds.
array_case(4x4_randreset 4x4 "array" --rows 4 --cols 4 --ops ${FUSEGEN_ALL_OPS} --seeds 9 --dw-mapping stos --sim-seeds 1-3)
array_case(3x5_randreset 3x5 "array" --rows 3 --cols 5 --ops conv,dw,fuse-full --seeds 10 --dw-mapping stos --sim-seeds 4-5)
# The checking itself: a corrupted operand must be reported as a mismatch (exit 1 with the
# report naming the differing element); a crash or a usage error fails this test.
fusegen_cli_test(array_4x4_fault_detected 1
  "MISMATCH\n.*FAIL: {\"actual\":-?[0-9]+,\"case\":\"[^\"]+\",\"col\":[0-9]+,\"cycle\":[0-9]+,.*\"expected\":-?[0-9]+,\"row\":[0-9]+,.*\"what\":\"result differs from the golden model\""
  CMD $<TARGET_FILE:array_regress> --rows 4 --cols 4 --ops conv,dsc --seeds 1 --inject-fault
  LABELS rtl array FIXTURES array_4x4 ENVIRONMENT "FUSEGEN_CACHE=${FUSEGEN_ARRAY_CACHE}"
  TIMEOUT 1200)

array_config(4x4_nostos "array" --rows 4 --cols 4 --no-stos)
array_case(4x4_nostos 4x4_nostos "array" --rows 4 --cols 4 --no-stos --ops ${FUSEGEN_ALL_OPS} --seeds 1-3)

# Narrow operands and accumulators: products wrap in 10 bits.
array_config(3x3_d4_a10 "array" --rows 3 --cols 3 --data-width 4 --acc-width 10)
array_case(3x3_d4_a10 3x3_d4_a10 "array" --rows 3 --cols 3 --data-width 4 --acc-width 10 --ops ${FUSEGEN_ALL_OPS} --seeds 1-3 --dw-mapping stos)
array_case(3x3_d4_a10_extreme 3x3_d4_a10 "array" --rows 3 --cols 3 --data-width 4 --acc-width 10 --ops ${FUSEGEN_ALL_OPS} --seeds 4-5 --mix extreme)

# Build options (the shapes above use the defaults: --mac-stages 3 --bcast-group 8 --reset
# async): every MAC depth, no input stage, broadcast copies (3x5 with G = 2: 3 copies per row,
# the last one driving one column), synchronous reset; bit-exact and cycles equal to the model.
foreach(v "m1_g0;--mac-stages;1;--bcast-group;0" "m2_sync;--mac-stages;2;--reset;sync"
          "m3_g2;--bcast-group;2" "m1_g1_sync;--mac-stages;1;--bcast-group;1;--reset;sync")
  list(GET v 0 vid)
  list(REMOVE_AT v 0)
  array_config(3x5_${vid} "array" --rows 3 --cols 5 ${v})
  array_case(3x5_${vid}_os 3x5_${vid} "array" --rows 3 --cols 5 ${v} --ops ${FUSEGEN_ALL_OPS} --seeds 21-22 --dw-mapping os)
  array_case(3x5_${vid}_stos 3x5_${vid} "array" --rows 3 --cols 5 ${v} --ops dw,dsc,fuse-full,fuse-half --seeds 23-24 --dw-mapping stos --sim-seeds 1-2)
endforeach()
array_config(4x4_nostos_m1_g0 "array" --rows 4 --cols 4 --no-stos --mac-stages 1 --bcast-group 0)
array_case(4x4_nostos_m1_g0 4x4_nostos_m1_g0 "array" --rows 4 --cols 4 --no-stos --mac-stages 1 --bcast-group 0 --ops ${FUSEGEN_ALL_OPS} --seeds 1-2)

# ---- Long sweeps (make regress-long).
foreach(shape 32x32 64x16 16x64 7x13)
  string(REPLACE "x" ";" rc ${shape})
  list(GET rc 0 r)
  list(GET rc 1 c)
  set(cfg --rows ${r} --cols ${c})
  array_config(${shape} "long" ${cfg})
  array_case(${shape}_os ${shape} "long" ${cfg} --ops ${FUSEGEN_ALL_OPS} --seeds 1-6 --dw-mapping os)
  array_case(${shape}_stos ${shape} "long" ${cfg} --ops ${FUSEGEN_ALL_OPS} --seeds 7-12 --dw-mapping stos --sim-seeds 1-2)
endforeach()
array_case(8x8_many_seeds 8x8 "long" --rows 8 --cols 8 --ops ${FUSEGEN_ALL_OPS} --seeds 11-40 --dw-mapping stos --sim-seeds 11-14)
array_config(6x10_d16_a64 "long" --rows 6 --cols 10 --data-width 16 --acc-width 64)
array_case(6x10_d16_a64 6x10_d16_a64 "long" --rows 6 --cols 10 --data-width 16 --acc-width 64 --ops ${FUSEGEN_ALL_OPS} --seeds 1-6 --dw-mapping stos --mix extreme)
array_config(8x8_d6_a12_nostos "long" --rows 8 --cols 8 --data-width 6 --acc-width 12 --no-stos)
array_case(8x8_d6_a12_nostos 8x8_d6_a12_nostos "long" --rows 8 --cols 8 --data-width 6 --acc-width 12 --no-stos --ops ${FUSEGEN_ALL_OPS} --seeds 1-10)

# ---- `fusegen run --engine rtl|model` from the command line (uses the 4x4 build fixture).
set(ARRAY_RUN_DIR ${CMAKE_CURRENT_BINARY_DIR}/array_run_cli)
file(MAKE_DIRECTORY ${ARRAY_RUN_DIR})
add_test(NAME array_run.make_inputs COMMAND ${CMAKE_COMMAND} -E chdir ${ARRAY_RUN_DIR} sh -c
  "${FUSEGEN_BIN} tensor --shape 2,4,7,5 --seed 11 --out x.npy && \
   ${FUSEGEN_BIN} tensor --shape 4,1,3,3 --seed 12 --out wdw.npy && \
   ${FUSEGEN_BIN} tensor --shape 2,1,1,3 --seed 13 --out wrow.npy && \
   ${FUSEGEN_BIN} tensor --shape 2,1,3,1 --seed 14 --out wcol.npy && \
   ${FUSEGEN_BIN} tensor --shape 6,4,1,1 --seed 15 --out wpw.npy")
set_tests_properties(array_run.make_inputs PROPERTIES LABELS "cli;array" FIXTURES_SETUP array_run_inputs)
# Runs on the Verilated 4x4 array (labels cli, rtl, array) and checks without RTL (cli, array).
set(ARRAY_RUN_RTL WORKDIR ${ARRAY_RUN_DIR} LABELS cli rtl array FIXTURES array_run_inputs array_4x4
    ENVIRONMENT "FUSEGEN_CACHE=${FUSEGEN_ARRAY_CACHE}" TIMEOUT 1200)
set(ARRAY_RUN_CLI WORKDIR ${ARRAY_RUN_DIR} LABELS cli array FIXTURES array_run_inputs)

# RTL output is byte-identical to the golden engine's, and the JSON reports a match.
fusegen_cli_test(array_run.fuse_half_rtl_equals_golden 0 "rtl cycles.*model cycles.*match +yes" ${ARRAY_RUN_RTL}
  CMD sh -c "${FUSEGEN_BIN} run --op fuse-half --input x.npy --w-row wrow.npy --w-col wcol.npy \
     --w-pw wpw.npy --shift 3 --relu --output g.npy && \
     ${FUSEGEN_BIN} run --op fuse-half --input x.npy --w-row wrow.npy --w-col wcol.npy \
     --w-pw wpw.npy --shift 3 --relu --output r.npy --engine rtl --rows 4 --cols 4 && \
     cmp g.npy r.npy")
fusegen_cli_test(array_run.dsc_stos_json 0 "\"match\": true" ${ARRAY_RUN_RTL}
  CMD ${FUSEGEN_BIN} run --op dsc --input x.npy --w-dw wdw.npy --w-pw wpw.npy --stride 2
      --engine rtl --rows 4 --cols 4 --dw-mapping stos --format json --output d.npy
  PRESENT d.npy)
fusegen_cli_test(array_run.trace_written 0 "trace +t\\.fst" ${ARRAY_RUN_RTL}
  CMD ${FUSEGEN_BIN} run --op dsc --input x.npy --w-dw wdw.npy --w-pw wpw.npy --engine rtl
      --rows 4 --cols 4 --output f.npy --trace t.fst
  PRESENT t.fst)
fusegen_cli_test(array_run.model_only 0 "model cycles +[0-9]+" ${ARRAY_RUN_CLI}
  CMD ${FUSEGEN_BIN} run --op dw --input x.npy --w wdw.npy --engine model --rows 16 --cols 16)
fusegen_cli_test(array_run.stos_mapping_needs_stos 2 "needs an ST-OS array.*--dw-mapping os" ${ARRAY_RUN_CLI}
  CMD ${FUSEGEN_BIN} run --op dw --input x.npy --w wdw.npy --engine rtl --rows 4 --cols 4
      --no-stos --dw-mapping stos --output bad.npy ABSENT bad.npy)
fusegen_cli_test(array_run.rtl_needs_rows 2 "missing required option --rows" ${ARRAY_RUN_CLI}
  CMD ${FUSEGEN_BIN} run --op dw --input x.npy --w wdw.npy --engine rtl --output bad.npy
  ABSENT bad.npy)
fusegen_cli_test(array_run.bad_mapping 2 "--dw-mapping 'diag' is not allowed" ${ARRAY_RUN_CLI}
  CMD ${FUSEGEN_BIN} run --op dw --input x.npy --w wdw.npy --engine model --rows 4 --cols 4
      --dw-mapping diag)

# ---- Icarus: the same RTL replays scheduler + golden vectors in Icarus Verilog.
if(IVERILOG_BIN)
  # replay(<id> <rows> <cols> <dw-mapping> [array options]): every op kind, one seed.
  function(array_icarus_replay id rows cols map)
    add_test(NAME array_icarus_replay_${id}
             COMMAND bash ${PROJECT_SOURCE_DIR}/tb/icarus/run_replay.sh ${FUSEGEN_BIN}
                     $<TARGET_FILE:array_regress> ${CMAKE_CURRENT_BINARY_DIR}/array_icarus_${id}
                     ${rows} ${cols} ${FUSEGEN_ALL_OPS} 1 ${map} ${ARGN})
    set_tests_properties(array_icarus_replay_${id} PROPERTIES LABELS "rtl;array" TIMEOUT 600)
  endfunction()
  # The same configurations the Verilator regression covers (16x16: about 6 s of vvp).
  array_icarus_replay(3x4 3 4 stos)
  foreach(shape 1x1 1x8 8x1 3x5 5x3 4x4 8x8 16x16)
    string(REPLACE "x" ";" rc ${shape})
    list(GET rc 0 r)
    list(GET rc 1 c)
    array_icarus_replay(${shape} ${r} ${c} stos)
  endforeach()
  array_icarus_replay(4x4_nostos 4 4 os --no-stos)
  array_icarus_replay(3x3_d4_a10 3 3 stos --data-width 4 --acc-width 10)

  # Gate level: the netlist Yosys maps onto the OSU 0.18 um cells qflow ships (Debian
  # qflow-tech-osu018, installed by scripts/setup.sh), simulated with the cells' Verilog models,
  # replays the same vectors; a netlist with one XOR2X1 swapped for XNOR2X1 must be caught.
  set(OSU018 /usr/share/qflow/tech/osu018)
  if(EXISTS ${OSU018}/osu018_stdcells.lib)
    function(array_gate_replay id label rows cols)
      add_test(NAME array_gate_replay_${id}
               COMMAND bash ${PROJECT_SOURCE_DIR}/tb/icarus/run_replay.sh ${FUSEGEN_BIN}
                       $<TARGET_FILE:array_regress> ${CMAKE_CURRENT_BINARY_DIR}/array_gate_${id}
                       ${rows} ${cols} ${FUSEGEN_ALL_OPS} 1 stos ${ARGN})
      set_tests_properties(array_gate_replay_${id} PROPERTIES LABELS "rtl;array;gate;${label}"
        TIMEOUT 1800 ENVIRONMENT
        "REPLAY_LIBERTY=${OSU018}/osu018_stdcells.lib;REPLAY_CELLS=${OSU018}/osu018_stdcells.v")
    endfunction()
    array_gate_replay(2x2 gate 2 2)
    array_gate_replay(4x4 long 4 4)
    array_gate_replay(3x3_d4_a10 long 3 3 --data-width 4 --acc-width 10)
    add_test(NAME array_gate_replay_2x2_mutant
             COMMAND bash ${PROJECT_SOURCE_DIR}/tb/icarus/run_replay.sh ${FUSEGEN_BIN}
                     $<TARGET_FILE:array_regress> ${CMAKE_CURRENT_BINARY_DIR}/array_gate_mutant
                     2 2 conv,pw 1 stos)
    set_tests_properties(array_gate_replay_2x2_mutant PROPERTIES LABELS "rtl;array;gate"
      TIMEOUT 1800 PASS_REGULAR_EXPRESSION "MISMATCH cycle [0-9]+"
      ENVIRONMENT "REPLAY_MUTATE=1;REPLAY_LIBERTY=${OSU018}/osu018_stdcells.lib;REPLAY_CELLS=${OSU018}/osu018_stdcells.v")
  endif()
endif()

# ---- `fusegen net --model rtl` (cycle model of the generated array) and the base-stos variant.
fusegen_cli_test(array_net.both_side_by_side 0
  "cycles\\(paper\\) +speedup\\(paper\\) +cycles\\(rtl\\) +speedup\\(rtl\\).*mobilenet_v2 +base-stos +16 +16 +[0-9]+ +- +- +[0-9]+ +[0-9.]+x"
  ${ARRAY_RUN_CLI} CMD ${FUSEGEN_BIN} net --model both --array 16x16 --network mobilenet_v2)
fusegen_cli_test(array_net.base_stos_needs_rtl 2 "only the rtl model costs: add --model rtl" ${ARRAY_RUN_CLI}
  CMD ${FUSEGEN_BIN} net --variant base-stos)
fusegen_cli_test(array_net.rtl_array_limit 2 "the rtl model covers the arrays fusegen generates .rows 512 is out of range: allowed 1..256" ${ARRAY_RUN_CLI}
  CMD ${FUSEGEN_BIN} net --model rtl --array 512x512)

# ---- The Verilator build cache contract (failure leaves no entry, reuse, flock, rehash).
add_test(NAME array_build_cache_selftest COMMAND array_regress --selftest-cache)
set_tests_properties(array_build_cache_selftest PROPERTIES LABELS "rtl;array" TIMEOUT 900
  ENVIRONMENT "FUSEGEN_CACHE=${FUSEGEN_ARRAY_CACHE}")
