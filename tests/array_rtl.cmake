# Checks of the generated ST-OS array RTL (labels "rtl;array"): lint (verilator -Wall) and Icarus
# compile over a handful of small shapes, Yosys with the latch check on 4x4 and smaller, a 2x3
# known-answer run in Icarus, CLI errors and determinism. Driven by scripts/check_rtl.sh.
set(ARRAY_RTL_CHECK ${PROJECT_SOURCE_DIR}/scripts/check_rtl.sh)
set(ARRAY_RTL_TMP ${CMAKE_CURRENT_BINARY_DIR}/array_rtl)

function(array_rtl_test name)
  add_test(NAME array_rtl_${name}
           COMMAND bash ${ARRAY_RTL_CHECK} ${ARGN})
  set_tests_properties(array_rtl_${name} PROPERTIES LABELS "rtl;array" TIMEOUT 300)
endfunction()

# Lint + Icarus: shapes x (ST-OS, --no-stos) x data/acc widths.
foreach(shape 1x1 1x5 5x1 3x7 4x4 8x8)
  string(REPLACE "x" ";" rc ${shape})
  list(GET rc 0 r)
  list(GET rc 1 c)
  array_rtl_test(lint_${shape}_stos_d8a32 lint ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/lint_${shape}_stos
                 --rows ${r} --cols ${c})
  array_rtl_test(lint_${shape}_nostos_d4a16 lint ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/lint_${shape}_os
                 --rows ${r} --cols ${c} --no-stos --data-width 4 --acc-width 16)
endforeach()
array_rtl_test(lint_3x7_stos_d4a16 lint ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/lint_3x7_d4a16
               --rows 3 --cols 7 --data-width 4 --acc-width 16)
array_rtl_test(lint_4x4_stos_d8a16 lint ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/lint_4x4_d8a16
               --rows 4 --cols 4 --data-width 8 --acc-width 16)
array_rtl_test(lint_5x1_stos_d8a64_named lint ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/lint_5x1_d8a64
               --rows 5 --cols 1 --acc-width 64 --name acc64)
array_rtl_test(lint_1x5_nostos_d8a64 lint ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/lint_1x5_os_d8a64
               --rows 1 --cols 5 --no-stos --acc-width 64)

# Yosys: the generated .ys (synthesis, latch check, stat, netlist) on small shapes only.
array_rtl_test(synth_1x1_stos synth ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/synth_1x1 --rows 1 --cols 1)
array_rtl_test(synth_1x5_stos synth ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/synth_1x5 --rows 1 --cols 5)
array_rtl_test(synth_5x1_nostos synth ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/synth_5x1
               --rows 5 --cols 1 --no-stos --data-width 4 --acc-width 16)
array_rtl_test(synth_4x4_stos synth ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/synth_4x4 --rows 4 --cols 4
               --data-width 4 --acc-width 16)

# Known-answer smoke run (hand-computed values at the protocol's output cycles).
# Every MAC pipeline depth and both reset styles.
foreach(m 1 2 3)
  array_rtl_test(smoke_2x3_stos_m${m} smoke ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/smoke_stos_m${m} stos ${m})
  array_rtl_test(smoke_2x3_nostos_m${m} smoke ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/smoke_os_m${m} nostos ${m})
endforeach()
array_rtl_test(smoke_2x3_stos_m3_sync smoke ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/smoke_stos_sync stos 3 sync)
# The input stage and broadcast register copies: 3, 2 and 1 copies per row of 3 columns.
foreach(g 1 2 8)
  array_rtl_test(smoke_2x3_stos_m3_g${g} smoke ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/smoke_stos_g${g} stos 3 async ${g})
endforeach()
array_rtl_test(smoke_2x3_nostos_m3_g8 smoke ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/smoke_os_g8 nostos 3 async 8)

# Lint, Icarus and the Yosys latch check for every MAC depth and reset style, with and
# without the input stage (G = 0; G = 1: 4 broadcast copies per row; the default G = 8 in
# the shape tests above).
foreach(g 0 1)
  foreach(m 1 2 3)
    foreach(rs async sync)
      array_rtl_test(lint_3x4_m${m}_${rs}_g${g} lint ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/lint_3x4_m${m}_${rs}_g${g}
                     --rows 3 --cols 4 --mac-stages ${m} --reset ${rs} --bcast-group ${g})
      array_rtl_test(synth_2x3_m${m}_${rs}_g${g} synth ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/synth_2x3_m${m}_${rs}_g${g}
                     --rows 2 --cols 3 --mac-stages ${m} --reset ${rs} --bcast-group ${g}
                     --data-width 4 --acc-width 16)
    endforeach()
  endforeach()
endforeach()
array_rtl_test(lint_3x4_nostos_g1 lint ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/lint_3x4_nostos_g1
               --rows 3 --cols 4 --no-stos --bcast-group 1)

# Determinism: two runs, identical bytes.
array_rtl_test(determinism_stos determ ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/determ_stos
               --rows 3 --cols 7 --data-width 4 --acc-width 16 --name det)
array_rtl_test(determinism_nostos determ ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/determ_os
               --rows 8 --cols 8 --no-stos)
set_tests_properties(array_rtl_determinism_stos array_rtl_determinism_nostos PROPERTIES LABELS "cli;array")

# CLI errors: exit 2, one line naming the problem, no output directory.
function(array_cli_error name regex)
  fusegen_cli_test(array_rtl_cli_${name} 2 "^fusegen: error: .*${regex}" WORKDIR ${ARRAY_RTL_TMP}
    LABELS cli array CMD ${FUSEGEN_BIN} array ${ARGN} --out cli_${name} ABSENT cli_${name})
endfunction()
array_cli_error(rows_zero "--rows 0 is out of range: allowed 1..256" --rows 0 --cols 4)
array_cli_error(rows_big "--rows 257 is out of range: allowed 1..256" --rows 257 --cols 4)
array_cli_error(cols_big "--cols 300 is out of range: allowed 1..256" --rows 4 --cols 300)
array_cli_error(cols_missing "--cols" --rows 4)
array_cli_error(data_small "--data-width 1 is out of range: allowed 2..16"
                --rows 4 --cols 4 --data-width 1)
array_cli_error(data_big "--data-width 17 is out of range: allowed 2..16"
                --rows 4 --cols 4 --data-width 17)
array_cli_error(acc_small "--acc-width 7 is out of range: allowed 8..64"
                --rows 4 --cols 4 --acc-width 7)
array_cli_error(acc_big "--acc-width 65 is out of range: allowed 8..64"
                --rows 4 --cols 4 --acc-width 65)
array_cli_error(acc_vs_data "--acc-width 16 is too small for --data-width 9"
                --rows 4 --cols 4 --data-width 9 --acc-width 16)
array_cli_error(bad_name "name '1x' is not a Verilog identifier" --rows 4 --cols 4 --name 1x)
array_cli_error(rows_not_number "--rows 'four' is not an integer: allowed 1..256"
                --rows four --cols 4)
array_cli_error(unknown_option "no-such" --rows 4 --cols 4 --no-such)
array_cli_error(bcast_group_negative "--bcast-group -1 is out of range: allowed 0..256"
                --rows 4 --cols 4 --bcast-group -1)
array_cli_error(bcast_group_big "--bcast-group 257 is out of range: allowed 0..256"
                --rows 4 --cols 4 --bcast-group 257)
array_cli_error(mac_stages_zero "--mac-stages 0 is out of range: allowed 1..3"
                --rows 4 --cols 4 --mac-stages 0)
array_cli_error(mac_stages_big "--mac-stages 4 is out of range: allowed 1..3"
                --rows 4 --cols 4 --mac-stages 4)
array_cli_error(mac_stages_word "--mac-stages 'two' is not an integer: allowed 1..3"
                --rows 4 --cols 4 --mac-stages two)
array_cli_error(reset_bad "--reset 'none' is not a reset style: allowed async, sync"
                --rows 4 --cols 4 --reset none)
fusegen_cli_test(array_rtl_cli_out_missing_dir 2 "--out 'nodir/sub': directory '.*nodir' does not exist"
  WORKDIR ${ARRAY_RTL_TMP} LABELS cli array
  CMD ${FUSEGEN_BIN} array --rows 4 --cols 4 --out nodir/sub ABSENT nodir)

# Every configuration the Verilator regression (tests/array_regress.cmake) simulates is also
# lint-clean, compiled by Icarus and synthesized by Yosys without latches.
foreach(shape 1x8 8x1 3x5 5x3 16x16)
  string(REPLACE "x" ";" rc ${shape})
  list(GET rc 0 r)
  list(GET rc 1 c)
  array_rtl_test(lint_${shape}_regress lint ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/lint_${shape}_regress
                 --rows ${r} --cols ${c})
endforeach()
array_rtl_test(lint_3x3_d4a10_regress lint ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/lint_3x3_d4a10
               --rows 3 --cols 3 --data-width 4 --acc-width 10)
foreach(shape 1x8 8x1 3x5 5x3 8x8 16x16)
  string(REPLACE "x" ";" rc ${shape})
  list(GET rc 0 r)
  list(GET rc 1 c)
  array_rtl_test(synth_${shape}_regress synth ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/synth_${shape}_regress
                 --rows ${r} --cols ${c})
endforeach()
array_rtl_test(synth_4x4_nostos_regress synth ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/synth_4x4_nostos
               --rows 4 --cols 4 --no-stos)
array_rtl_test(synth_3x3_d4a10_regress synth ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/synth_3x3_d4a10
               --rows 3 --cols 3 --data-width 4 --acc-width 10)

# The output directory is one generated set: regenerating replaces it as a whole (no stale file
# of the earlier generation survives); a directory holding files fusegen did not write is
# refused and left untouched.
fusegen_cli_test(array_rtl_cli_regenerate_replaces 0 "" WORKDIR ${ARRAY_RTL_TMP} LABELS cli array
  CMD sh -c "rm -rf regen && ${FUSEGEN_BIN} array --rows 2 --cols 2 --name a --out regen && \
     ${FUSEGEN_BIN} array --rows 2 --cols 2 --name b --out regen && test ! -e regen/a_pe.v && \
     test ! -e regen/a.f && test -f regen/b_pe.v && test -f regen/b.f")
file(MAKE_DIRECTORY ${ARRAY_RTL_TMP}/mine)
file(WRITE ${ARRAY_RTL_TMP}/mine/notes.txt "user notes\n")
fusegen_cli_test(array_rtl_cli_foreign_dir 2 "output directory 'mine' holds 'notes.txt', which fusegen did not write"
  WORKDIR ${ARRAY_RTL_TMP} LABELS cli array
  CMD ${FUSEGEN_BIN} array --rows 2 --cols 2 --out mine UNCHANGED mine/notes.txt ABSENT mine/fusegen.f)

# Collateral of both generators: the README's Verilator (-F), Icarus (-y) and Yosys commands
# work from another directory, and a size override (-G) is rejected.
array_rtl_test(anydir_array anydir ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/anydir_array array Rows
               --rows 4 --cols 4)
array_rtl_test(anydir_array_nostos anydir ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/anydir_array_os array
               Cols --rows 3 --cols 2 --no-stos)
array_rtl_test(anydir_nullcache anydir ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/anydir_nc nullcache Entries
               --entries 8 --addr-width 12)

# Protocol violations are fatal in both blocks, with the specific report (Icarus).
array_rtl_test(violation_array violate ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/violate_array array)
array_rtl_test(violation_nullcache violate ${FUSEGEN_BIN} ${ARRAY_RTL_TMP}/violate_nc nullcache)
