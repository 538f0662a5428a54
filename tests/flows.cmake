# Implementation flows of the generated configurations (label "flow"; docs/flows.md): the flow
# files and their headers, --liberty/--clock-period errors, and each flow run from another
# directory on small designs (a 2x2 array, an 8-entry null cache): the ASIC flow (Yosys + OpenSTA,
# seconds), iCE40 synthesis and, on the 2x2, place and route (seconds), Xilinx counts. Larger
# place and route runs are "long". Driver: tests/scripts/check_flows.sh.
set(FLOWS_CHECK ${CMAKE_CURRENT_SOURCE_DIR}/scripts/check_flows.sh)
set(FLOWS_TMP ${CMAKE_CURRENT_BINARY_DIR}/flows)
file(MAKE_DIRECTORY ${FLOWS_TMP})

function(flow_test name fixture)
  add_test(NAME flow.${name} COMMAND bash ${FLOWS_CHECK} ${ARGN})
  set_tests_properties(flow.${name} PROPERTIES LABELS "flow;rtl" TIMEOUT 300
                       FIXTURES_REQUIRED "${fixture}")
endfunction()

# Generation (fixture setups): array 2x2, null cache 8 entries with a shorter clock.
add_test(NAME flow.gen_array_2x2
         COMMAND bash ${FLOWS_CHECK} gen ${FUSEGEN_BIN} ${FLOWS_TMP}/a2 array --rows 2 --cols 2)
add_test(NAME flow.gen_nullcache_8
         COMMAND bash ${FLOWS_CHECK} gen ${FUSEGEN_BIN} ${FLOWS_TMP}/nc8 nullcache --entries 8
                 --addr-width 16 --clock-period 3.5)
set_tests_properties(flow.gen_array_2x2 PROPERTIES LABELS "flow;rtl;array"
                     FIXTURES_SETUP flow_a2)
set_tests_properties(flow.gen_nullcache_8 PROPERTIES LABELS "flow;rtl;nullcache"
                     FIXTURES_SETUP flow_nc8)

flow_test(asic_array_2x2 flow_a2 asic ${FLOWS_TMP}/a2)
flow_test(asic_nullcache_8 flow_nc8 asic ${FLOWS_TMP}/nc8)
flow_test(ice40_synth_array_2x2 flow_a2 ice40 ${FLOWS_TMP}/a2 up5k --synth-only)
flow_test(ice40_pnr_array_2x2 flow_a2 ice40 ${FLOWS_TMP}/a2 up5k)
flow_test(ice40_synth_nullcache_8 flow_nc8 ice40 ${FLOWS_TMP}/nc8 hx8k --synth-only)
flow_test(xc7_array_2x2 flow_a2 xc7 ${FLOWS_TMP}/a2)
flow_test(xc7_nullcache_8 flow_nc8 xc7 ${FLOWS_TMP}/nc8)
# (The flows of one directory write distinct files, so they may run in parallel.)

# Long: place and route of larger designs (about a minute each).
add_test(NAME flow.ice40_pnr_nullcache_8_hx8k
         COMMAND bash ${FLOWS_CHECK} ice40 ${FLOWS_TMP}/nc8 hx8k)
set_tests_properties(flow.ice40_pnr_nullcache_8_hx8k PROPERTIES LABELS "flow;rtl;long"
                     TIMEOUT 1200 FIXTURES_REQUIRED flow_nc8)
add_test(NAME flow.gen_array_4x4_long
         COMMAND bash ${FLOWS_CHECK} gen ${FUSEGEN_BIN} ${FLOWS_TMP}/a4 array --rows 4 --cols 4)
set_tests_properties(flow.gen_array_4x4_long PROPERTIES LABELS "flow;rtl;long"
                     FIXTURES_SETUP flow_a4)
add_test(NAME flow.ice40_pnr_array_4x4_hx8k
         COMMAND bash ${FLOWS_CHECK} ice40 ${FLOWS_TMP}/a4 hx8k)
set_tests_properties(flow.ice40_pnr_array_4x4_hx8k PROPERTIES LABELS "flow;rtl;long"
                     TIMEOUT 1800 FIXTURES_REQUIRED flow_a4)
# The small accelerator of docs/accel.md "Measured": 2x2, 1 KiB scratchpads, 64 instructions;
# without the window generator it fits the UP5K, with it the HX8K.
add_test(NAME flow.gen_accel_2x2_long
         COMMAND bash ${FLOWS_CHECK} gen ${FUSEGEN_BIN} ${FLOWS_TMP}/acc2 accel --rows 2 --cols 2
                 --act-kb 1 --wgt-kb 1 --out-kb 1 --ibuf-depth 64)
add_test(NAME flow.gen_accel_2x2_noim2col_long
         COMMAND bash ${FLOWS_CHECK} gen ${FUSEGEN_BIN} ${FLOWS_TMP}/acc2n accel --rows 2 --cols 2
                 --act-kb 1 --wgt-kb 1 --out-kb 1 --ibuf-depth 64 --im2col off)
set_tests_properties(flow.gen_accel_2x2_long PROPERTIES LABELS "flow;rtl;accel;long"
                     FIXTURES_SETUP flow_acc2)
set_tests_properties(flow.gen_accel_2x2_noim2col_long PROPERTIES LABELS "flow;rtl;accel;long"
                     FIXTURES_SETUP flow_acc2n)
add_test(NAME flow.ice40_pnr_accel_2x2_noim2col_up5k
         COMMAND bash ${FLOWS_CHECK} ice40 ${FLOWS_TMP}/acc2n up5k)
set_tests_properties(flow.ice40_pnr_accel_2x2_noim2col_up5k PROPERTIES
                     LABELS "flow;rtl;accel;long" TIMEOUT 1800 FIXTURES_REQUIRED flow_acc2n)
add_test(NAME flow.ice40_pnr_accel_2x2_hx8k
         COMMAND bash ${FLOWS_CHECK} ice40 ${FLOWS_TMP}/acc2 hx8k)
set_tests_properties(flow.ice40_pnr_accel_2x2_hx8k PROPERTIES
                     LABELS "flow;rtl;accel;long" TIMEOUT 1800 FIXTURES_REQUIRED flow_acc2)

# Option errors: exit 2, one line naming the option, nothing written.
function(flow_cli_error name regex)
  fusegen_cli_test(flow.cli_${name} 2 "^fusegen: error: .*${regex}" WORKDIR ${FLOWS_TMP}
    LABELS cli flow CMD ${FUSEGEN_BIN} ${ARGN} --out cli_${name} ABSENT cli_${name})
endfunction()
flow_cli_error(liberty_missing "--liberty 'no_such.lib' is not a readable file"
               array --rows 2 --cols 2 --liberty no_such.lib)
flow_cli_error(liberty_directory "--liberty '/tmp' is not a readable file"
               nullcache --entries 8 --liberty /tmp)
flow_cli_error(liberty_not_liberty "is not a Liberty library"
               array --rows 2 --cols 2 --liberty ${PROJECT_SOURCE_DIR}/README.md)
flow_cli_error(liberty_no_inverter "has no inverter cell"
               nullcache --entries 8 --liberty ${CMAKE_CURRENT_SOURCE_DIR}/data/flows/no_inverter.lib)
flow_cli_error(period_zero "--clock-period '0' is not a period in ns: allowed 0.1..1000"
               array --rows 2 --cols 2 --clock-period 0)
flow_cli_error(period_big "--clock-period '2000' is not a period in ns: allowed 0.1..1000"
               nullcache --entries 8 --clock-period 2000)
flow_cli_error(period_text "--clock-period 'fast' is not a period in ns"
               array --rows 2 --cols 2 --clock-period fast)
flow_cli_error(period_nan "--clock-period 'nan' is not a period in ns"
               nullcache --entries 8 --clock-period nan)
# A user library (here a copy of a small valid one) is accepted: its path and inverter are used.
fusegen_cli_test(flow.cli_liberty_user 0 "" WORKDIR ${FLOWS_TMP} LABELS cli flow
  CMD ${FUSEGEN_BIN} array --rows 1 --cols 1 --out cli_user_lib
      --liberty ${CMAKE_CURRENT_SOURCE_DIR}/data/flows/tiny.lib --clock-period 7.25
  PRESENT cli_user_lib/fusegen.asic.ys cli_user_lib/fusegen.sdc)
add_test(NAME flow.liberty_user_written
         COMMAND bash -c "grep -q 'abc -D 7250 -liberty ${CMAKE_CURRENT_SOURCE_DIR}/data/flows/tiny.lib' fusegen.asic.ys && grep -q '^set_driving_cell INV_SMALL$' fusegen.abc.constr && grep -q 'period 7.250' fusegen.sdc"
         WORKING_DIRECTORY ${FLOWS_TMP}/cli_user_lib)
set_tests_properties(flow.cli_liberty_user PROPERTIES FIXTURES_SETUP flow_userlib)
set_tests_properties(flow.liberty_user_written PROPERTIES LABELS "cli;flow"
                     FIXTURES_REQUIRED flow_userlib)
