# `fusegen run` (golden engine) and `fusegen tensor` from the command line: a working block
# run, and bad input rejected with exit code 2, a message naming the problem, and no output.
set(RUN_DIR ${CMAKE_CURRENT_BINARY_DIR}/run_cli)
set(RUN_CLI WORKDIR ${RUN_DIR} FIXTURES run_cli_inputs)

# Inputs shared by the tests below.
add_test(NAME run_cli.make_inputs COMMAND ${CMAKE_COMMAND} -E chdir ${RUN_DIR} sh -c
  "${FUSEGEN_BIN} tensor --shape 2,4,7,5 --seed 1 --out x.npy && \
   ${FUSEGEN_BIN} tensor --shape 4,1,3,3 --seed 2 --out wdw.npy && \
   ${FUSEGEN_BIN} tensor --shape 2,1,1,3 --seed 3 --out wrow.npy && \
   ${FUSEGEN_BIN} tensor --shape 2,1,3,1 --seed 4 --out wcol.npy && \
   ${FUSEGEN_BIN} tensor --shape 6,4,1,1 --seed 5 --out wpw.npy && \
   ${FUSEGEN_BIN} tensor --shape 2,4,7,5 --data-width 12 --seed 6 --out x12.npy && \
   ${FUSEGEN_BIN} tensor --shape 4,1,1,4 --seed 7 --out wrow4.npy && \
   ${FUSEGEN_BIN} tensor --shape 4,1,4,1 --seed 8 --out wcol4.npy && \
   ${FUSEGEN_BIN} tensor --shape 6,8,1,1 --seed 9 --out wpw8.npy && \
   ${FUSEGEN_BIN} tensor --shape 1,1,1,1 --seed 10 --out x1.npy && \
   ${FUSEGEN_BIN} tensor --shape 100000,1,1,1 --seed 11 --out w100k.npy && \
   ${FUSEGEN_BIN} tensor --shape 3,8 --seed 12 --out wfc.npy && \
   ln -sf x.npy xlink.npy && mkdir -p adir && \
   sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/npy_header_only.sh huge.npy '|i1' '(1, 1, 4294967296, 4294967296)' && \
   sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/npy_header_only.sh big.npy '|i1' '(1, 1, 65536, 65536)' && \
   sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/npy_header_only.sh batch0.npy '|i1' '(0, 8)'")
file(MAKE_DIRECTORY ${RUN_DIR})
set_tests_properties(run_cli.make_inputs PROPERTIES LABELS "cli" FIXTURES_SETUP run_cli_inputs)

fusegen_cli_test(run_cli.fuse_half_ok 0 "output +\\[2, 6, 7, 5\\]" ${RUN_CLI}
  CMD ${FUSEGEN_BIN} run --op fuse-half --input x.npy --w-row wrow.npy --w-col wcol.npy
      --w-pw wpw.npy --shift 3 --relu --output y_half.npy PRESENT y_half.npy)
# MACs by hand: dw N2 C4 Ho4 Wo3 K9 = 864, pw N2 Ho4 Wo3 Cin4 Cout6 = 576 -> 1440.
fusegen_cli_test(run_cli.dsc_json 0 "\"macs\": 1440" ${RUN_CLI}
  CMD ${FUSEGEN_BIN} run --op dsc --input x.npy --w-dw wdw.npy --w-pw wpw.npy --stride 2
      --format json --output y_dsc.npy PRESENT y_dsc.npy)
fusegen_cli_test(run_cli.unknown_op 2 "unknown op 'dws'.*fuse-half" ${RUN_CLI}
  CMD ${FUSEGEN_BIN} run --op dws --input x.npy --w wdw.npy --output bad.npy ABSENT bad.npy)
fusegen_cli_test(run_cli.wrong_weight_option 2 "does not take --w; it takes --w-dw, --w-pw" ${RUN_CLI}
  CMD ${FUSEGEN_BIN} run --op dsc --input x.npy --w wdw.npy --output bad.npy ABSENT bad.npy)
fusegen_cli_test(run_cli.weight_shape 2 "--w has shape \\[6, 4, 1, 1\\]" ${RUN_CLI}
  CMD ${FUSEGEN_BIN} run --op dw --input x.npy --w wpw.npy --output bad.npy ABSENT bad.npy)
fusegen_cli_test(run_cli.value_range 2 "does not fit a signed 8-bit value" ${RUN_CLI}
  CMD ${FUSEGEN_BIN} run --op dw --input x12.npy --w wdw.npy --output bad.npy ABSENT bad.npy)
fusegen_cli_test(run_cli.acc_width 2 "at least 2 x --data-width" ${RUN_CLI}
  CMD ${FUSEGEN_BIN} run --op dw --input x12.npy --w wdw.npy --data-width 12 --acc-width 16
      --output bad.npy ABSENT bad.npy)
fusegen_cli_test(run_cli.missing_file 2 "cannot read 'nope.npy'" ${RUN_CLI}
  CMD ${FUSEGEN_BIN} run --op dw --input nope.npy --w wdw.npy --output bad.npy ABSENT bad.npy)
fusegen_cli_test(run_cli.corrupt_file 2 "not a .npy file" ${RUN_CLI}
  CMD ${FUSEGEN_BIN} run --op dw --input ${CMAKE_CURRENT_SOURCE_DIR}/CMakeLists.txt --w wdw.npy
      --output bad.npy ABSENT bad.npy)
fusegen_cli_test(run_cli.shift_on_single_op 2 "single operator" ${RUN_CLI}
  CMD ${FUSEGEN_BIN} run --op dw --input x.npy --w wdw.npy --shift 2 --output bad.npy ABSENT bad.npy)
fusegen_cli_test(run_cli.half_needs_even 2 "C must be even" ${RUN_CLI}
  CMD ${FUSEGEN_BIN} run --op fuse-half --input wdw.npy --w-row wrow.npy --w-col wcol.npy
      --w-pw wpw.npy --output bad.npy ABSENT bad.npy)
fusegen_cli_test(run_cli.unknown_command 2 "unknown command 'frobnicate'" ${RUN_CLI}
  CMD ${FUSEGEN_BIN} frobnicate)
fusegen_cli_test(tensor_cli.bad_shape 2 "--shape '1,0,3' is not a shape" ${RUN_CLI}
  CMD ${FUSEGEN_BIN} tensor --shape 1,0,3 --out bad.npy ABSENT bad.npy)

# ---- Hard edges: each is rejected with one line, exit 2, nothing written, no input touched.
set(RUN_DW ${FUSEGEN_BIN} run --op dw --input x.npy --w wdw.npy)
set(RUN_RTL ${FUSEGEN_BIN} run --op dw --input x.npy --w wdw.npy --engine rtl --rows 4 --cols 4)
# A header whose element count wraps around (2^64 elements in 128 bytes), on every engine.
fusegen_cli_test(run_cli.npy_count_overflow 2 "huge.npy: corrupt .npy header: .*element count overflows"
  ${RUN_CLI} CMD ${FUSEGEN_BIN} run --op conv --input huge.npy --w wdw.npy --output bad.npy
  ABSENT bad.npy)
fusegen_cli_test(run_cli.npy_count_overflow_model 2 "huge.npy: corrupt .npy header"
  ${RUN_CLI} CMD ${FUSEGEN_BIN} run --op conv --input huge.npy --w wdw.npy --engine model --rows 4 --cols 4)
# A header claiming 4 GiB that the file does not hold.
fusegen_cli_test(run_cli.npy_header_vs_size 2 "big.npy: truncated .npy data: shape \\[1, 1, 65536, 65536\\] of int8 needs 4294967296 x 1 bytes, file has 0"
  ${RUN_CLI} CMD ${FUSEGEN_BIN} run --op dw --input big.npy --w wdw.npy --output bad.npy ABSENT bad.npy)
# 100000 output channels on a 129x129 padded plane: 1.66e9 elements (13 GB) are refused.
fusegen_cli_test(run_cli.output_too_large 2
  "conv: the output of stage 'conv' would be \\[1, 100000, 129, 129\\], more than the 268435456 elements"
  ${RUN_CLI} CMD ${FUSEGEN_BIN} run --op conv --input x1.npy --w w100k.npy --padding 64 --output bad.npy
  ABSENT bad.npy)
# Non-UTF-8 file names: JSON output replaces the bad bytes; the RTL engine refuses them (before
# any build) because its testbench job is JSON.
fusegen_cli_test(run_cli.non_utf8_output_json 0 "\"output\": \"y.*\\.npy\""
  ${RUN_CLI} CMD sh -c "${FUSEGEN_BIN} run --op dw --input x.npy --w wdw.npy --format json --output \"$(printf 'y\\377.npy')\" && test -f \"$(printf 'y\\377.npy')\"")
fusegen_cli_test(run_cli.non_utf8_rtl 2 "--output '.*' is not valid UTF-8: --engine rtl"
  ${RUN_CLI} CMD sh -c "${FUSEGEN_BIN} run --op dw --input x.npy --w wdw.npy --engine rtl --rows 4 --cols 4 --output \"$(printf 'r\\377.npy')\"")
# Output paths are checked before any simulation: a missing directory, /proc, a directory.
fusegen_cli_test(run_cli.trace_missing_dir 2 "--trace 'nodir/t.fst': directory '.*nodir' does not exist"
  ${RUN_CLI} CMD ${RUN_RTL} --output bad.npy --trace nodir/t.fst ABSENT bad.npy nodir)
fusegen_cli_test(run_cli.trace_proc 2 "--trace '/proc/t.fst': cannot create files in directory '/proc'"
  ${RUN_CLI} CMD ${RUN_RTL} --output bad.npy --trace /proc/t.fst ABSENT bad.npy)
fusegen_cli_test(run_cli.trace_is_dir 2 "--trace 'adir' is a directory: give a file path"
  ${RUN_CLI} CMD ${RUN_RTL} --output bad.npy --trace adir ABSENT bad.npy)
fusegen_cli_test(run_cli.output_is_dir 2 "--output 'adir' is a directory: give a file path"
  ${RUN_CLI} CMD ${RUN_DW} --output adir)
# One rule for missing directories: refused, naming the directory (run, tensor, trace, array).
fusegen_cli_test(run_cli.output_missing_dir 2 "--output 'nodir/y.npy': directory '.*nodir' does not exist"
  ${RUN_CLI} CMD ${RUN_DW} --output nodir/y.npy ABSENT nodir)
fusegen_cli_test(tensor_cli.out_missing_dir 2 "--out 'nodir/t.npy': directory '.*nodir' does not exist"
  ${RUN_CLI} CMD ${FUSEGEN_BIN} tensor --shape 2,2 --out nodir/t.npy ABSENT nodir)
# The output is never an input, however it is spelled.
fusegen_cli_test(run_cli.output_is_input 2 "--output './x.npy' is the same file as --input 'x.npy'"
  ${RUN_CLI} CMD ${RUN_DW} --output ./x.npy UNCHANGED x.npy)
fusegen_cli_test(run_cli.output_is_weight_symlink 2 "--output 'xlink.npy' is the same file as --input 'x.npy'"
  ${RUN_CLI} CMD ${RUN_DW} --output xlink.npy UNCHANGED x.npy)
fusegen_cli_test(run_cli.output_is_weight_path 2 "--output '../run_cli/wdw.npy' is the same file as --weights 'wdw.npy'"
  ${RUN_CLI} CMD ${RUN_DW} --output ../run_cli/wdw.npy UNCHANGED wdw.npy)
fusegen_cli_test(run_cli.trace_is_output 2 "--trace 'y.npy' is the same file as --output 'y.npy'"
  ${RUN_CLI} CMD ${RUN_RTL} --output y.npy --trace y.npy ABSENT y.npy)
# fc: one batch rule on every engine; padding and stride do not apply to pw/fc.
fusegen_cli_test(run_cli.fc_batch0 2 "input has shape \\[0, 8\\]: every dimension must be positive"
  ${RUN_CLI} CMD ${FUSEGEN_BIN} run --op fc --input batch0.npy --w wfc.npy --output bad.npy ABSENT bad.npy)
fusegen_cli_test(run_cli.fc_batch0_model 2 "input has shape \\[0, 8\\]: every dimension must be positive"
  ${RUN_CLI} CMD ${FUSEGEN_BIN} run --op fc --input batch0.npy --w wfc.npy --engine model --rows 4 --cols 4)
fusegen_cli_test(run_cli.pw_padding 2 "--padding does not apply to pw"
  ${RUN_CLI} CMD ${FUSEGEN_BIN} run --op pw --input x.npy --w wpw.npy --padding 1 --output bad.npy ABSENT bad.npy)
# An even K for a FuSe block: K must be odd.
fusegen_cli_test(run_cli.fuse_even_k 2 "fuse: the 1xK and Kx1 filters have K = 4: K must be odd"
  ${RUN_CLI} CMD ${FUSEGEN_BIN} run --op fuse-full --input x.npy --w-row wrow4.npy --w-col wcol4.npy
  --w-pw wpw8.npy --output bad.npy ABSENT bad.npy)
# Integer options name the option and what it allows.
fusegen_cli_test(run_cli.int_not_number 2 "--rows 'four' is not an integer: allowed 1..256"
  ${RUN_CLI} CMD ${FUSEGEN_BIN} run --op dw --input x.npy --w wdw.npy --engine model --rows four --cols 4)
fusegen_cli_test(tensor_cli.seed_negative 2 "--seed '-1' is not a non-negative integer: random seed"
  ${RUN_CLI} CMD ${FUSEGEN_BIN} tensor --shape 2 --seed -1 --out bad.npy ABSENT bad.npy)
fusegen_cli_test(tensor_cli.empty_shape_item 2 "--shape '2,,3' is not a shape"
  ${RUN_CLI} CMD ${FUSEGEN_BIN} tensor --shape 2,,3 --out bad.npy ABSENT bad.npy)
# A topology layer name that is not UTF-8: the JSON output replaces the bad bytes (no abort).
fusegen_cli_test(run_cli.net_non_utf8_layer_json 0 "onv1" ${RUN_CLI}
  CMD sh -c "printf 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\\nC\\377onv1, 226, 226, 3, 3, 3, 32, 2,\\n' >bad_utf8.csv && ${FUSEGEN_BIN} net --topology bad_utf8.csv --layers --format json")
