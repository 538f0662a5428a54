# SparseCache command line (`fusegen trace`, `cache`, `cache-study`): working runs with known
# counters, deterministic traces, value-less traces, and bad input rejected with exit code 2,
# one message naming the problem (and the record's line), and no partial trace file.
# Labels "cli;cache"; the million-access golden run and the full default study add "long".
set(CACHE_DIR ${CMAKE_CURRENT_BINARY_DIR}/cache_cli)
file(MAKE_DIRECTORY ${CACHE_DIR})

# Hand-written traces (configure time). hand.din: la 8 non-zero; lines 0 and 1 zero (merge);
# a null-cache hit; a zero store into a covered line; a non-zero store into it (invalidation).
file(WRITE ${CACHE_DIR}/hand.din
  "# hand-worked SparseCache trace\n"
  "5 100 4 07000000\n"
  "0 100 4 07000000\n"
  "0 0 4 00000000\n"
  "0 20 4\n"
  "0 4 4 00000000\n"
  "1 24 4 00000000\n"
  "1 28 4 01000000\n"
  "2 400000 40\n")
file(WRITE ${CACHE_DIR}/plain.din "0 0\n0 40 4\n1 80 8\n0 1000\n")
# A value-less trace plus a memory image: la 0 is zero (memory is zero where the image says
# nothing), la 2 holds 1. Reads: la 0 misses and goes to the null cache, la 2 misses into the
# L1, the second read of la 0 hits the null cache.
file(WRITE ${CACHE_DIR}/plain_mem.din "0 0\n0 40 4\n0 8\n")
file(WRITE ${CACHE_DIR}/image.din "5 40 4 01000000\n")
file(WRITE ${CACHE_DIR}/image_bad.din "5 40 4 01000000\n0 40 4\n")
file(WRITE ${CACHE_DIR}/bad_label.din "0 0\n0 40 4\n7 80\n")
file(WRITE ${CACHE_DIR}/bad_data.din "5 0 4 0000\n")
file(WRITE ${CACHE_DIR}/wide.din "0 0\n0 10000 4\n")

set(CACHE_CLI WORKDIR ${CACHE_DIR} LABELS cli cache)

# (Baseline: the same trace with the L1 alone has 3 load misses and 3 L1 hits.)
# --- fusegen cache on the hand-worked trace: counters of docs/cache.md (worked out by hand):
# 4 loads (1 L1 fill, 2 zero fills merged into one entry, 1 null-cache hit), 2 stores into
# the covered line (one zero: forwarded only; one non-zero: invalidation + write-allocate).
fusegen_cli_test(cache_cli.hand_json 0
  "\"loads\": 4,[ \n]+\"stores\": 2,[ \n]+\"instructions\": 10,[ \n]+\"l1_hits\": 0,[ \n]+\"l1_misses\": 6,[ \n]+\"nc_load_hits\": 1,[ \n]+\"nc_store_hits\": 2,[ \n]+\"load_misses\": 3,[ \n]+\"store_misses\": 1,[ \n]+\"mem_reads\": 4,[ \n]+\"mem_writes\": 2,[ \n]+\"merges_first\": 1,[ \n]+\"merges_higher\": 0,[ \n]+\"merges\": 1,[ \n]+\"store_invalidations\": 1,[ \n]+\"splits\": 0" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache --trace hand.din --addr-width 32 --format json)
fusegen_cli_test(cache_cli.hand_table_split 0 "splits +1\n.*read_mismatches +0\n" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache --trace hand.din --store-policy split --null-cache 8)
fusegen_cli_test(cache_cli.hand_baseline 0 "null cache  off\n.*l1_hits +3\n.*load_misses +3\n.*store_misses +0\n" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache --trace hand.din --null-cache off --l1 1K,2,32)
# A trace without values: null cache off by default, an error when asked for explicitly.
fusegen_cli_test(cache_cli.plain_auto_off 0 "off \\(the trace carries no data values\\).*loads +3\n" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache --trace plain.din)
fusegen_cli_test(cache_cli.plain_explicit_nc 2 "fusegen: error: trace 'plain.din' carries no data values" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache --trace plain.din --null-cache 128)

# --- errors of `fusegen cache`.
fusegen_cli_test(cache_cli.missing_trace 2 "fusegen: error: missing required option --trace" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache)
fusegen_cli_test(cache_cli.no_such_file 2 "fusegen: error: cannot open trace 'nope.din'" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache --trace nope.din)
fusegen_cli_test(cache_cli.bad_label 2 "fusegen: error: bad_label.din:3: label '7' is not supported" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache --trace bad_label.din --null-cache off)
fusegen_cli_test(cache_cli.bad_data 2 "fusegen: error: bad_data.din:1: data has 4 hex digits but size 4 needs 8" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache --trace bad_data.din)
fusegen_cli_test(cache_cli.addr_width 2 "fusegen: error: wide.din:2: address 10000 \\+ 4 bytes does not fit in the 16-bit" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache --trace wide.din --addr-width 16 --null-cache off)
fusegen_cli_test(cache_cli.bad_l1 2 "fusegen: error: L1 of 24576 B, 4 ways, 32 B lines has 192 sets" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache --trace hand.din --l1 24K,4,32)
fusegen_cli_test(cache_cli.bad_approx 2 "fusegen: error: exponent threshold 300 is out of range: allowed 0..255" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache --trace hand.din --approx float:300)
fusegen_cli_test(cache_cli.bad_float_width 2 "fusegen: error: float approximation needs 32-bit elements" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache --trace hand.din --approx float:100 --elem-width 16)
fusegen_cli_test(cache_cli.bad_entries 2 "fusegen: error: entries 2000 is out of range: allowed 1..1024" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache --trace hand.din --null-cache 2000)
fusegen_cli_test(cache_cli.bad_policy 2 "fusegen: error: --store-policy 'keep' is not allowed" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache --trace hand.din --store-policy keep)
fusegen_cli_test(cache_cli.bad_engine 2 "fusegen: error: --engine 'nonsense' is not available: choose one of .*golden" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache --trace hand.din --engine nonsense)

# --- fusegen trace: a small trace, twice with one seed (identical files), then simulated.
fusegen_cli_test(cache_cli.trace_fc2_a 0 "fc2 +5000 +10010" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} trace --network lenet5 --layers fc2 --out fc2_a.din PRESENT fc2_a.din)
fusegen_cli_test(cache_cli.trace_fc2_b 0 "fc2 +5000 +10010" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} trace --network lenet5 --layers fc2 --out fc2_b.din PRESENT fc2_b.din)
set_tests_properties(cache_cli.trace_fc2_a cache_cli.trace_fc2_b PROPERTIES FIXTURES_SETUP cache_fc2)
add_test(NAME cache_cli.trace_deterministic
         COMMAND ${CMAKE_COMMAND} -E compare_files ${CACHE_DIR}/fc2_a.din ${CACHE_DIR}/fc2_b.din)
set_tests_properties(cache_cli.trace_deterministic PROPERTIES LABELS "cli;cache" FIXTURES_REQUIRED cache_fc2)
fusegen_cli_test(cache_cli.cache_on_generated 0 "loads +10000\n.*read_mismatches +0\n" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache --trace fc2_a.din --addr-width 32)
set_tests_properties(cache_cli.cache_on_generated PROPERTIES FIXTURES_REQUIRED cache_fc2)
fusegen_cli_test(cache_cli.cache_options_checked 0 "entries, split, approx float:100, singleton-first\n.*read_mismatches +0\n" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache --trace fc2_a.din --null-cache 4 --store-policy split --approx float:100
      --singleton-first --zero-first-victim --check-invariants 1 --addr-width 32)
set_tests_properties(cache_cli.cache_options_checked PROPERTIES FIXTURES_REQUIRED cache_fc2)
fusegen_cli_test(cache_cli.trace_i8_granularity 0 "conv1 .*conv2 .*\\* " ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} trace --network alexnet --layers conv1,conv2 --dtype i8 --granularity 8
      --scale 0.125 --spatial 0.25 --max-records 20000 --seed 7 --out i8.din PRESENT i8.din)

# --- errors of `fusegen trace`: nothing is written.
fusegen_cli_test(cache_cli.trace_bad_network 2 "fusegen: error: network 'resnet50' is not known: choose one of lenet5, alexnet, vgg16, squeezenet" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} trace --network resnet50 --out x.din ABSENT x.din)
fusegen_cli_test(cache_cli.trace_bad_layer 2 "fusegen: error: --layers: 'conv9' is not a layer of alexnet" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} trace --network alexnet --layers conv1,conv9 --out x.din ABSENT x.din)
fusegen_cli_test(cache_cli.trace_bad_keep 2 "fusegen: error: --keep '1.5' is out of range" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} trace --network lenet5 --keep 1.5 --out x.din ABSENT x.din)
fusegen_cli_test(cache_cli.trace_bad_scale 2 "fusegen: error: --scale 2 is out of range" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} trace --network lenet5 --scale 2 --out x.din ABSENT x.din)
fusegen_cli_test(cache_cli.trace_bad_dtype 2 "fusegen: error: --dtype 'f16' is not allowed: choose one of f32, i8" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} trace --network lenet5 --dtype f16 --out x.din ABSENT x.din)
fusegen_cli_test(cache_cli.trace_too_big 2 "fusegen: error: the trace would hold [0-9]+ accesses \\(more than --limit 1000000000\\)" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} trace --network vgg16 --out x.din ABSENT x.din)
fusegen_cli_test(cache_cli.trace_missing_out 2 "fusegen: error: missing required option --out" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} trace --network lenet5)
fusegen_cli_test(cache_cli.trace_bad_weights 2 "fusegen: error: --weights 'nodir' is not a directory" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} trace --network lenet5 --weights nodir --out x.din ABSENT x.din)
fusegen_cli_test(cache_cli.trace_unwritable 2 "fusegen: error: --out 'nodir/t.din': directory '.*nodir' does not exist" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} trace --network lenet5 --layers fc2 --out nodir/t.din ABSENT nodir)
# An empty list item is an error, never "all layers"/"all networks".
fusegen_cli_test(cache_cli.trace_empty_layers 2 "fusegen: error: --layers '' has an empty item: give a comma-separated list" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} trace --network lenet5 --layers= --out x.din ABSENT x.din)
fusegen_cli_test(cache_cli.study_empty_networks 2 "fusegen: error: --networks 'lenet5,' has an empty item" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache-study --networks lenet5,)
# A trace that cannot fit the free disk space is refused before anything is written.
fusegen_cli_test(cache_cli.trace_no_space 2 "fusegen: error: the trace would take about [0-9]+ MB \\([0-9]+ accesses\\) but the file system of --out 'x.din' has [0-9]+ MB free"
  ${CACHE_CLI} CMD ${FUSEGEN_BIN} trace --network vgg16 --limit 0 --out x.din ABSENT x.din)
# Interrupted (SIGTERM) while writing: no trace and no temporary file is left behind.
fusegen_cli_test(cache_cli.trace_interrupted 0 "interrupted, nothing left" ${CACHE_CLI}
  CMD sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/trace_interrupt.sh ${FUSEGEN_BIN})

# --- fusegen cache-study: one small network by default; the full default study is long.
fusegen_cli_test(cache_cli.study_small 0 "lenet5 .*thesis" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache-study --networks lenet5 --custom-size --max-records 20000)
fusegen_cli_test(cache_cli.study_bad_network 2 "fusegen: error: network 'lenet' is not known" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache-study --networks lenet)
fusegen_cli_test(cache_long.study_default 0 "squeezenet .*thesis" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache-study)
set_tests_properties(cache_long.study_default PROPERTIES LABELS "cli;cache;long")

# Golden SparseCache over >= 1M random accesses with no false zero (DISABLED_ in the default
# unit run; enabled here).
add_test(NAME cache_long.million_accesses
         COMMAND fusegen_tests --gtest_also_run_disabled_tests
                 --gtest_filter=SparseCacheLong.DISABLED_MillionAccessesNoFalseZero)
set_tests_properties(cache_long.million_accesses PROPERTIES LABELS "unit;cache;long")

# Memory image for a trace without values (--memory).
fusegen_cli_test(cache_cli.memory_image 0 "\"nc_load_hits\": 1,.*\"load_misses\": 2," ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache --trace plain_mem.din --memory image.din --format json)
fusegen_cli_test(cache_cli.memory_image_not_init 2 "memory image 'image_bad.din': record 2 is not a memory initialization" ${CACHE_CLI}
  CMD ${FUSEGEN_BIN} cache --trace plain_mem.din --memory image_bad.din)
