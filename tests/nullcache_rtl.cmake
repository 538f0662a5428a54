# Null-cache RTL regression (tests of the SparseCache null-cache generator and RTL):
#  - nc_regress: Verilated RTL vs NullCacheModel in lockstep, random transaction streams,
#    every result, latency and the entry table compared after every transaction;
#  - lint (Verilator -Wall), Yosys (no latches) and Icarus compile of generated RTL;
#  - `fusegen nullcache` errors and deterministic output.
# Labels: "rtl;nullcache" for what runs Verilator, Icarus or Yosys, "cli;nullcache" for the
# command line; the million-transaction runs add "long".
add_executable(nc_regress ${PROJECT_SOURCE_DIR}/tests/regress/nc_regress.cpp)
target_link_libraries(nc_regress PRIVATE fusegen_sim)
target_include_directories(nc_regress PRIVATE ${PROJECT_SOURCE_DIR})
set(FUSEGEN_NC_CACHE ${CMAKE_CURRENT_BINARY_DIR}/rtl_cache)
set(NC_CLI_DIR ${CMAKE_CURRENT_BINARY_DIR}/nullcache_cli)
file(MAKE_DIRECTORY ${NC_CLI_DIR})
set(NC_VERILATOR_LINT "${VERILATOR_BIN} --lint-only -Wall --default-language 1364-2005")

# ---- RTL vs golden model, lockstep.
# nc_config(<id> <label> <args...>): build fixture for one configuration (Verilated once,
# cached in the build tree).
function(nc_config id label)
  set(labels rtl nullcache ${label})
  list(REMOVE_DUPLICATES labels)
  add_test(NAME nullcache_rtl.build_${id} COMMAND nc_regress ${ARGN} --build-only)
  set_tests_properties(nullcache_rtl.build_${id} PROPERTIES FIXTURES_SETUP nc_${id}
    LABELS "${labels}" TIMEOUT 1200 ENVIRONMENT "FUSEGEN_CACHE=${FUSEGEN_NC_CACHE}")
endfunction()
# nc_case(<name> <config id> <label> <config args...> -- <tb args...>): one random run.
function(nc_case name id label)
  set(labels rtl nullcache ${label})
  list(REMOVE_DUPLICATES labels)
  add_test(NAME nullcache_rtl.${name} COMMAND nc_regress ${ARGN})
  set_tests_properties(nullcache_rtl.${name} PROPERTIES FIXTURES_REQUIRED nc_${id}
    LABELS "${labels}" TIMEOUT 1800 ENVIRONMENT "FUSEGEN_CACHE=${FUSEGEN_NC_CACHE}")
endfunction()

# Degenerate sizes (1, 2 entries), small tables that evict all the time (8, 5 entries: not a
# power of two), a 128-entry table; address widths 12..48; both store policies; every ZDA
# mode; singleton-first replacement.
set(NC_E1 --entries 1 --addr-width 12 --store-policy split)
set(NC_E2 --entries 2 --addr-width 48)
set(NC_E8 --entries 8 --addr-width 12)
set(NC_E8S --entries 8 --addr-width 32 --store-policy split --singleton-first --approx int:3 --elem-width 8)
set(NC_E5F --entries 5 --addr-width 16 --line-bytes 4 --approx float:100 --store-policy split)
set(NC_E128 --entries 128 --addr-width 32)
set(NC_E128S --entries 128 --addr-width 48 --store-policy split --singleton-first)
nc_config(e1 "nullcache" ${NC_E1})
nc_case(e1 e1 "nullcache" ${NC_E1} -- --seeds 1-4 --txns 4000)
nc_config(e2 "nullcache" ${NC_E2})
nc_case(e2 e2 "nullcache" ${NC_E2} -- --seeds 1-4 --txns 4000)
nc_config(e8 "nullcache" ${NC_E8})
nc_case(e8 e8 "nullcache" ${NC_E8} -- --seeds 1-4 --txns 5000)
# The scoreboard itself: one corrupted address fed to the RTL must be reported as a mismatch
# (exit 1, the report naming the transaction); a crash or a usage error fails this test.
fusegen_cli_test(nullcache_rtl.e8_fault_detected 1 "MISMATCH seed=1 txn=[0-9]+ op="
  CMD $<TARGET_FILE:nc_regress> ${NC_E8} -- --seeds 1 --txns 3000 --inject-fault
  LABELS rtl nullcache FIXTURES nc_e8 ENVIRONMENT "FUSEGEN_CACHE=${FUSEGEN_NC_CACHE}" TIMEOUT 1800)
# Random power-up values in every register without reset (val/care, response, cascade copy).
nc_case(e8_randreset e8 "nullcache" ${NC_E8} -- --seeds 5-6 --txns 3000 +verilator+rand+reset+2 +verilator+seed+7)
nc_config(e8s "nullcache" ${NC_E8S})
nc_case(e8s e8s "nullcache" ${NC_E8S} -- --seeds 1-4 --txns 5000)
nc_config(e5f "nullcache" ${NC_E5F})
nc_case(e5f e5f "nullcache" ${NC_E5F} -- --seeds 1-3 --txns 5000)
# The integer threshold at its maximum: |most negative 8-bit value| = 128 counts as zero.
set(NC_E4I --entries 4 --addr-width 12 --approx int:128 --elem-width 8)
nc_config(e4i "nullcache" ${NC_E4I})
nc_case(e4i e4i "nullcache" ${NC_E4I} -- --seeds 1-2 --txns 3000)
nc_config(e128 "nullcache" ${NC_E128})
nc_case(e128 e128 "nullcache" ${NC_E128} -- --seeds 1-2 --txns 10000)
# A dense window of 64 lines: more merges and cascades per entry.
nc_case(e128_dense e128 "nullcache" ${NC_E128} -- --seeds 3 --txns 10000 --window 6)
nc_config(e128s "nullcache" ${NC_E128S})
nc_case(e128s e128s "nullcache" ${NC_E128S} -- --seeds 1-2 --txns 10000)

# Long: a million transactions on 128 entries, 1024 entries, wide lines.
nc_case(e128_1m e128 "long" ${NC_E128} -- --seeds 100-101 --txns 500000)
nc_case(e128s_1m e128s "long" ${NC_E128S} -- --seeds 100-101 --txns 500000)
set(NC_E1024 --entries 1024 --addr-width 64 --store-policy split)
nc_config(e1024 "long" ${NC_E1024})
nc_case(e1024 e1024 "long" ${NC_E1024} -- --seeds 1 --txns 100000)
set(NC_E64W --entries 64 --addr-width 24 --line-bytes 256 --approx int:7 --elem-width 16)
nc_config(e64w "long" ${NC_E64W})
nc_case(e64w e64w "long" ${NC_E64W} -- --seeds 1-4 --txns 100000)

# ---- Generated RTL: Verilator -Wall lint, Icarus compile, Yosys synthesis without latches.
# nc_gen_check(<name> <label> <shell command run in the output dir> <fusegen args...>)
function(nc_gen_check name label check)
  set(labels rtl nullcache ${label})
  list(REMOVE_DUPLICATES labels)
  set(dir ${NC_CLI_DIR}/${name})
  string(JOIN " " args ${ARGN})
  add_test(NAME nullcache_rtl.${name}
           COMMAND sh -c "rm -rf '${dir}' && '$<TARGET_FILE:fusegen>' nullcache ${args} --out '${dir}' >/dev/null && cd '${dir}' && ${check}")
  set_tests_properties(nullcache_rtl.${name} PROPERTIES LABELS "${labels}" TIMEOUT 1200)
endfunction()
set(NC_LINT "${NC_VERILATOR_LINT} -F nc.f --top-module nc_top")
set(NC_IVL "${IVERILOG_BIN} -g2005 -Wall -c nc.f -s nc_top -o nc.vvp 2>&1 | tee ivl.log && ! grep -q . ivl.log")
set(NC_YOSYS "${YOSYS_BIN} -q -s nc.ys && grep -q 'Estimated number of transistors' nc_cmos.txt && grep -q 'Number of cells' nc_area.txt")
foreach(cfg "1;12;invalidate" "2;8;split" "5;16;invalidate" "8;32;split" "128;32;invalidate" "128;64;split")
  list(GET cfg 0 e)
  list(GET cfg 1 a)
  list(GET cfg 2 p)
  set(args --entries ${e} --addr-width ${a} --store-policy ${p})
  nc_gen_check(lint_e${e}_a${a}_${p} "nullcache" "${NC_LINT}" ${args})
  nc_gen_check(lint_e${e}_a${a}_${p}_sf_int "nullcache" "${NC_LINT}" ${args} --singleton-first --approx int:5 --elem-width 16)
  nc_gen_check(iverilog_e${e}_a${a}_${p} "nullcache" "${NC_IVL}" ${args} --approx float:90)
endforeach()
nc_gen_check(lint_float "nullcache" "${NC_LINT}" --entries 4 --addr-width 20 --approx float:100 --line-bytes 4)
nc_gen_check(lint_e1024 "long" "${NC_LINT}" --entries 1024 --addr-width 64 --store-policy split --singleton-first)
foreach(cfg "1;12;split" "2;16;invalidate" "8;20;split")
  list(GET cfg 0 e)
  list(GET cfg 1 a)
  list(GET cfg 2 p)
  nc_gen_check(yosys_e${e}_a${a}_${p} "nullcache" "${NC_YOSYS}" --entries ${e} --addr-width ${a} --store-policy ${p} --singleton-first --approx int:3 --elem-width 8)
endforeach()
nc_gen_check(yosys_e32 "long" "${NC_YOSYS}" --entries 32 --store-policy split)

# Deterministic output: two runs give byte-identical directories; the CLI names what it wrote.
add_test(NAME nullcache_rtl.deterministic
         COMMAND sh -c "rm -rf '${NC_CLI_DIR}/det_a' '${NC_CLI_DIR}/det_b' && '$<TARGET_FILE:fusegen>' nullcache --entries 6 --addr-width 20 --store-policy split --approx int:9 --elem-width 16 --singleton-first --name cfg_a --out '${NC_CLI_DIR}/det_a' && '$<TARGET_FILE:fusegen>' nullcache --entries 6 --addr-width 20 --store-policy split --approx int:9 --elem-width 16 --singleton-first --name cfg_a --out '${NC_CLI_DIR}/det_b' && diff -r '${NC_CLI_DIR}/det_a' '${NC_CLI_DIR}/det_b' && test -f '${NC_CLI_DIR}/det_a/cfg_a_top.v' && test -f '${NC_CLI_DIR}/det_a/cfg_a.json'")
set_tests_properties(nullcache_rtl.deterministic PROPERTIES LABELS "cli;nullcache")

# ---- Bad input: exit code 2, one line naming the problem, no output directory.
function(nc_cli_error name match)
  fusegen_cli_test(nullcache_cli.${name} 2 "${match}" WORKDIR ${NC_CLI_DIR} LABELS cli nullcache
    CMD ${FUSEGEN_BIN} nullcache ${ARGN} --out err_${name} ABSENT err_${name})
endfunction()
nc_cli_error(entries_0 "fusegen: error: entries 0 is out of range: allowed 1..1024" --entries 0)
nc_cli_error(entries_big "entries 1025 is out of range: allowed 1..1024" --entries 1025)
nc_cli_error(line_3 "line bytes 3 is not allowed: use a power of two in 4..256" --entries 8 --line-bytes 3)
nc_cli_error(line_48 "line bytes 48 is not allowed: use a power of two in 4..256" --entries 8 --line-bytes 48)
nc_cli_error(addr_7 "address width 7 is out of range: allowed 8..64" --entries 8 --addr-width 7)
nc_cli_error(addr_65 "address width 65 is out of range: allowed 8..64" --entries 8 --addr-width 65)
nc_cli_error(no_la "address width 8 leaves no line-address bits with 256-byte lines" --entries 8 --addr-width 8 --line-bytes 256)
nc_cli_error(policy "--store-policy 'keep' is not allowed: choose one of invalidate, split" --entries 8 --store-policy keep)
nc_cli_error(elem "element width 12 is not allowed: choose 8, 16 or 32" --entries 8 --elem-width 12)
nc_cli_error(approx "--approx 'fuzzy' is not allowed" --entries 8 --approx fuzzy)
nc_cli_error(float16 "float approximation needs 32-bit elements" --entries 8 --approx float:10 --elem-width 16)
nc_cli_error(float_exp "exponent threshold 300 is out of range: allowed 0..255" --entries 8 --approx float:300)
nc_cli_error(int_thresh "integer threshold 200 is out of range for 8-bit elements: allowed 0..128" --entries 8 --approx int:200 --elem-width 8)
nc_cli_error(name "name '9x' is not a Verilog identifier" --entries 8 --name 9x)
nc_cli_error(no_entries "missing required option --entries" --addr-width 32)
nc_cli_error(stray "unexpected argument 'extra'" --entries 8 extra)
nc_cli_error(entries_not_number "fusegen: error: --entries 'abc' is not an integer: allowed 1..1024" --entries abc)
nc_cli_error(sf_value "unexpected argument '1'" --entries 8 --singleton-first 1)

# ---- `fusegen cache --engine rtl`: a whole trace with the Verilated null cache in lockstep;
# the statistics must equal the golden engine's (only the engine name differs).
set(NC_TRACE ${NC_CLI_DIR}/fc2.din)
set(NC_CACHE_ARGS "--null-cache 8 --l1 1K,2,32 --addr-width 32 --store-policy split --format json")
add_test(NAME nullcache_rtl.cache_engine_rtl
         COMMAND bash -c "'$<TARGET_FILE:fusegen>' trace --network lenet5 --layers fc2 --out '${NC_TRACE}' >/dev/null && '$<TARGET_FILE:fusegen>' cache --trace '${NC_TRACE}' ${NC_CACHE_ARGS} --engine rtl > '${NC_CLI_DIR}/rtl.json' && '$<TARGET_FILE:fusegen>' cache --trace '${NC_TRACE}' ${NC_CACHE_ARGS} > '${NC_CLI_DIR}/golden.json' && grep -q '\"engine\": \"rtl\"' '${NC_CLI_DIR}/rtl.json' && grep -q '\"merges\": [1-9]' '${NC_CLI_DIR}/rtl.json' && diff <(grep -v engine '${NC_CLI_DIR}/rtl.json') <(grep -v engine '${NC_CLI_DIR}/golden.json')")
set_tests_properties(nullcache_rtl.cache_engine_rtl PROPERTIES LABELS "cli;rtl;nullcache;cache" TIMEOUT 1200
  ENVIRONMENT "FUSEGEN_CACHE=${FUSEGEN_NC_CACHE}")

# ---- Icarus simulation of a hand-worked directed sequence (tb/nullcache/nc_smoke_tb.v):
# merge, cascade, lookup, invalidating store, fills, flush, with latencies and the table.
nc_gen_check(icarus_smoke "nullcache"
  "${IVERILOG_BIN} -g2005 -Wall -o smoke.vvp -c nc.f '${PROJECT_SOURCE_DIR}/tb/nullcache/nc_smoke_tb.v' -s nc_smoke_tb && ${VVP_BIN} -n smoke.vvp > smoke.log && cat smoke.log && grep -q '^PASS nc_smoke' smoke.log && ! grep -q FAIL smoke.log"
  --entries 8 --addr-width 12)

# ---- Icarus replay (tb/icarus/run_nc_replay.sh): golden vectors (golden model + NcTiming
# latencies, `nc_regress --dump-icarus`) replayed on the RTL, and on the gate-level netlist Yosys
# maps onto the OSU 0.18 um cells qflow ships (label gate); a netlist with its first XOR2X1
# swapped for an XNOR2X1 must be reported as a mismatch.
set(NC_REPLAY ${PROJECT_SOURCE_DIR}/tb/icarus/run_nc_replay.sh)
set(NC_OSU018 /usr/share/qflow/tech/osu018)
# nc_replay(<name> <labels> <seed> <txns> <config options...>)
function(nc_replay name labels seed txns)
  add_test(NAME nullcache_replay.${name}
           COMMAND bash ${NC_REPLAY} ${FUSEGEN_BIN} $<TARGET_FILE:nc_regress>
                   ${CMAKE_CURRENT_BINARY_DIR}/nc_replay_${name} ${seed} ${txns} ${ARGN})
  set_tests_properties(nullcache_replay.${name} PROPERTIES LABELS "${labels}" TIMEOUT 1800)
endfunction()
set(NC_GATE_ENV "REPLAY_LIBERTY=${NC_OSU018}/osu018_stdcells.lib;REPLAY_CELLS=${NC_OSU018}/osu018_stdcells.v")
set(NC_G8 --entries 8 --addr-width 12 --line-bytes 4)
set(NC_G8S --entries 8 --addr-width 16 --line-bytes 4 --store-policy split --singleton-first --approx int:3 --elem-width 8)
nc_replay(rtl_e8s "rtl;nullcache" 2 3000 ${NC_G8S})
if(EXISTS ${NC_OSU018}/osu018_stdcells.lib)
  nc_replay(gate_e8 "rtl;nullcache;gate" 1 3000 ${NC_G8})
  set_tests_properties(nullcache_replay.gate_e8 PROPERTIES ENVIRONMENT "${NC_GATE_ENV}")
  nc_replay(gate_e8_mutant "rtl;nullcache;gate" 1 3000 ${NC_G8})
  set_tests_properties(nullcache_replay.gate_e8_mutant PROPERTIES ENVIRONMENT
    "REPLAY_MUTATE=1;${NC_GATE_ENV}" PASS_REGULAR_EXPRESSION "MISMATCH txn [0-9]+ op [0-7]")
  nc_replay(gate_e8s "rtl;nullcache;gate;long" 3 10000 ${NC_G8S})
  set_tests_properties(nullcache_replay.gate_e8s PROPERTIES ENVIRONMENT "${NC_GATE_ENV}")
  nc_replay(gate_e32_split "rtl;nullcache;gate;long" 4 10000 --entries 32 --addr-width 20 --line-bytes 8 --store-policy split)
  set_tests_properties(nullcache_replay.gate_e32_split PROPERTIES ENVIRONMENT "${NC_GATE_ENV}")
endif()
