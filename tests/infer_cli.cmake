# `fusegen infer` from the command line: whole networks at small input sizes, byte-identical
# reruns, --save-weights read back by --weights, the independent recomputation of the output from
# network.json + the .npy files (tests/recompute/recompute_network.cpp, which uses nothing of
# golden/), and bad input rejected with exit code 2, one message and nothing written.
set(INFER_DIR ${CMAKE_CURRENT_BINARY_DIR}/infer_cli)
file(MAKE_DIRECTORY ${INFER_DIR})
set(INFER_CLI WORKDIR ${INFER_DIR} LABELS cli net FIXTURES infer_cli_inputs)
set(INFER ${FUSEGEN_BIN} infer --rows 8 --cols 8 --engine golden)
set(INFER_V1 ${INFER} --network mobilenet_v1 --input-size 16x16)
# The same as one string, for `sh -c` command lines.
string(JOIN " " INFER_SH ${INFER})
string(JOIN " " INFER_V1_SH ${INFER_V1})

# The independent recomputation: its own executable, only nlohmann_json.
add_executable(recompute_network ${CMAKE_CURRENT_SOURCE_DIR}/recompute/recompute_network.cpp)
target_link_libraries(recompute_network PRIVATE nlohmann_json::nlohmann_json)

# Inputs shared by the tests below: images, and MobileNet-V1 16x16 weight directories (complete,
# one file missing, one file of the wrong shape).
add_test(NAME infer_cli.make_inputs COMMAND ${CMAKE_COMMAND} -E chdir ${INFER_DIR} sh -c
  "rm -rf w_v1 w_missing w_badshape foreign && \
   ${FUSEGEN_BIN} tensor --shape 1,3,16,16 --seed 5 --out x16.npy && \
   ${FUSEGEN_BIN} tensor --shape 1,4,16,16 --seed 5 --out x4ch.npy && \
   ${FUSEGEN_BIN} tensor --shape 1,3,16,16 --data-width 12 --seed 5 --out x12.npy && \
   ${FUSEGEN_BIN} infer --network mobilenet_v1 --input-size 16x16 --rows 8 --cols 8 --engine golden \
     --shift 8 --output ref_v1.npy --save-weights w_v1 >/dev/null && \
   cp -r w_v1 w_missing && rm w_missing/b3.dw.npy && \
   cp -r w_v1 w_badshape && ${FUSEGEN_BIN} tensor --shape 64,1,1,3 --out w_badshape/b2.dw.npy && \
   mkdir foreign && echo keep > foreign/notes.txt")
set_tests_properties(infer_cli.make_inputs PROPERTIES LABELS "cli;net"
  FIXTURES_SETUP infer_cli_inputs)

# ---- Working runs.
# MobileNet-V2 half at 16x16: block 3 (24 channels at 4x4) ends in a residual add.
fusegen_cli_test(infer_cli.table 0
  "b2\\.row\\.in +slice +1x48x8x8 +0\n.*b3\\.add +add +1x24x4x4 +0\n.*fc +fc +1x1000 +1280000\n-+.*\ntotal +[0-9]+\nwritten y_table\\.npy"
  ${INFER_CLI} CMD ${INFER} --network mobilenet_v2 --variant half --input-size 16x16
  --output y_table.npy PRESENT y_table.npy)
fusegen_cli_test(infer_cli.json 0
  "\"network\": \"mnasnet_b1\",[ \n]+\"variant\": \"full50\",[ \n]+\"engine\": \"golden\",.*\"name\": \"pool\",[ \n]+\"op\": \"avgpool\""
  ${INFER_CLI} CMD ${INFER} --network mnasnet_b1 --variant full50 --input-size 16x16
  --format json --output y_json.npy PRESENT y_json.npy)
fusegen_cli_test(infer_cli.help 0 "--save-weights" ${INFER_CLI} CMD ${FUSEGEN_BIN} infer --help)

# Same seed, same bytes; another seed, other bytes; --save-weights read back by --weights and
# --input gives the same output.
add_test(NAME infer_cli.deterministic COMMAND sh -c
  "${INFER_V1_SH} --shift 8 --seed 9 --output d1.npy >/dev/null && \
   ${INFER_V1_SH} --shift 8 --seed 9 --output d2.npy >/dev/null && cmp d1.npy d2.npy && \
   ${INFER_V1_SH} --shift 8 --seed 10 --output d3.npy >/dev/null && ! cmp -s d1.npy d3.npy"
  WORKING_DIRECTORY ${INFER_DIR})
add_test(NAME infer_cli.weights_roundtrip COMMAND sh -c
  "rm -rf rt && ${INFER_SH} --network mobilenet_v2 --variant half50 --input-size 16x12 --seed 4 \
     --shift 8 --output rt_a.npy --save-weights rt >/dev/null && \
   ${INFER_SH} --network mobilenet_v2 --variant half50 --weights rt --input rt/input.npy \
     --shift 8 --output rt_b.npy >/dev/null && cmp rt_a.npy rt_b.npy && \
   ${INFER_V1_SH} --weights w_v1 --input w_v1/input.npy --shift 8 --output rt_v1.npy >/dev/null && \
   cmp rt_v1.npy ref_v1.npy"
  WORKING_DIRECTORY ${INFER_DIR})
set_tests_properties(infer_cli.deterministic infer_cli.weights_roundtrip PROPERTIES
  LABELS "cli;net" FIXTURES_REQUIRED infer_cli_inputs)

# ---- The independent recomputation (network.json + .npy files only) matches Y.npy bit for bit,
# on outputs with at least 100 distinct values. Mostly with one shift (8) for every layer; the
# *_auto runs take the per-layer auto shift from network.json.
function(infer_recompute name)
  string(JOIN " " args ${ARGN})
  add_test(NAME infer_cli.recompute_${name} COMMAND sh -c
    "rm -rf rc_${name} && ${INFER_SH} ${args} --output rc_${name}.npy --save-weights rc_${name} >/dev/null && \
     $<TARGET_FILE:recompute_network> rc_${name} rc_${name}.npy"
    WORKING_DIRECTORY ${INFER_DIR})
  set_tests_properties(infer_cli.recompute_${name} PROPERTIES LABELS "cli;net"
    PASS_REGULAR_EXPRESSION "match: 1000 values \\(([1-9][0-9][0-9]+) distinct\\)")
endfunction()
infer_recompute(v1_half --network mobilenet_v1 --variant half --input-size 32x32 --shift 8 --seed 11)
infer_recompute(v2_base --network mobilenet_v2 --variant base --input-size 32x32 --shift 8 --seed 12)
infer_recompute(mnas_full50 --network mnasnet_b1 --variant full50 --input-size 32x32 --shift 8 --seed 13)
infer_recompute(v1_base_auto --network mobilenet_v1 --variant base --input-size 32x32 --seed 15)
infer_recompute(v2_half_auto --network mobilenet_v2 --variant half --input-size 32x32 --seed 16)
# Narrow widths: 6-bit data, 16-bit accumulators that wrap, a fixed shift, a non-square input.
infer_recompute(v2_half50_narrow --network mobilenet_v2 --variant half50 --input-size 24x20
  --data-width 6 --acc-width 16 --shift 4 --seed 14)

# ---- Rejected input: exit 2, one line, nothing written, no input touched.
fusegen_cli_test(infer_cli.unknown_network 2
  "--network 'resnet50' is not allowed: choose one of mobilenet_v1, mobilenet_v2, mnasnet_b1"
  ${INFER_CLI} CMD ${INFER} --network resnet50 --output bad.npy ABSENT bad.npy)
fusegen_cli_test(infer_cli.mobilenet_v3 2
  "network 'mobilenet_v3_small' cannot be run by infer: .*h-swish.*; allowed networks: mobilenet_v1, mobilenet_v2, mnasnet_b1"
  ${INFER_CLI} CMD ${INFER} --network mobilenet_v3_small --input-size 16x16 --output bad.npy
  ABSENT bad.npy)
fusegen_cli_test(infer_cli.unknown_variant 2 "--variant 'quarter' is not allowed: choose one of base, full, half, full50, half50"
  ${INFER_CLI} CMD ${INFER} --network mobilenet_v1 --variant quarter --output bad.npy ABSENT bad.npy)
fusegen_cli_test(infer_cli.bad_input_size 2 "--input-size '0x16' is not a size: expected HxW with H and W in 1\\.\\.1024"
  ${INFER_CLI} CMD ${INFER} --network mobilenet_v1 --input-size 0x16 --output bad.npy ABSENT bad.npy)
fusegen_cli_test(infer_cli.input_size_not_hxw 2 "--input-size '16' is not a size"
  ${INFER_CLI} CMD ${INFER} --network mobilenet_v1 --input-size 16 --output bad.npy ABSENT bad.npy)
fusegen_cli_test(infer_cli.input_wrong_shape 2
  "--input 'x4ch\\.npy' has shape \\[1, 4, 16, 16\\]: expected \\[1, 3, H, W\\]"
  ${INFER_CLI} CMD ${INFER_V1} --input x4ch.npy --output bad.npy ABSENT bad.npy)
fusegen_cli_test(infer_cli.input_size_disagrees 2
  "--input 'x16\\.npy' has shape \\[1, 3, 16, 16\\] but --input-size is 32x32"
  ${INFER_CLI} CMD ${INFER} --network mobilenet_v1 --input x16.npy --input-size 32x32
  --output bad.npy ABSENT bad.npy)
fusegen_cli_test(infer_cli.input_out_of_range 2
  "--input 'x12\\.npy': value -?[0-9]+ at flat index [0-9]+ is outside the 8-bit range -128\\.\\.127"
  ${INFER_CLI} CMD ${INFER} --network mobilenet_v1 --input x12.npy --output bad.npy ABSENT bad.npy)
fusegen_cli_test(infer_cli.weights_missing_file 2
  "--weights 'w_missing': layer 'b3\\.dw' needs 'w_missing/b3\\.dw\\.npy' with shape \\[128, 1, 3, 3\\]: the file does not exist"
  ${INFER_CLI} CMD ${INFER_V1} --weights w_missing --output bad.npy ABSENT bad.npy)
fusegen_cli_test(infer_cli.weights_wrong_shape 2
  "--weights: layer 'b2\\.dw' file 'w_badshape/b2\\.dw\\.npy' has shape \\[64, 1, 1, 3\\]: expected \\[64, 1, 3, 3\\]"
  ${INFER_CLI} CMD ${INFER_V1} --weights w_badshape --output bad.npy --save-weights sw_bad
  ABSENT bad.npy sw_bad)
fusegen_cli_test(infer_cli.weights_not_dir 2 "--weights 'nodir' is not a directory"
  ${INFER_CLI} CMD ${INFER_V1} --weights nodir --output bad.npy ABSENT bad.npy)
# --engine model / rtl: every layer on the accelerator (sim/accel_infer.h); the
# output file must be byte-identical to --engine golden's (the CLI checks it too).
foreach(net mobilenet_v1 mobilenet_v2 mnasnet_b1)
  foreach(variant base half)
    add_test(NAME infer_cli.model_${net}_${variant} COMMAND ${CMAKE_COMMAND} -E chdir ${INFER_DIR}
      sh -c "${FUSEGEN_BIN} infer --network ${net} --variant ${variant} --input-size 16x16 --rows 4 --cols 4 --engine golden --output m_${net}_${variant}_g.npy >/dev/null && \
             ${FUSEGEN_BIN} infer --network ${net} --variant ${variant} --input-size 16x16 --rows 4 --cols 4 --engine model --output m_${net}_${variant}_m.npy | grep -q 'output == --engine golden: yes' && \
             cmp m_${net}_${variant}_g.npy m_${net}_${variant}_m.npy")
    set_tests_properties(infer_cli.model_${net}_${variant} PROPERTIES LABELS "cli;net;accel")
  endforeach()
endforeach()
# Full-size (224x224) networks on a 16x16 accelerator's model (about 4 s each): every layer on
# the accelerator, byte-identical to golden.
foreach(net mobilenet_v1 mobilenet_v2 mnasnet_b1)
  add_test(NAME infer_cli.model_${net}_half_224 COMMAND ${CMAKE_COMMAND} -E chdir ${INFER_DIR}
    sh -c "${FUSEGEN_BIN} infer --network ${net} --variant half --rows 16 --cols 16 --engine golden --output l_${net}_g.npy >/dev/null && \
           ${FUSEGEN_BIN} infer --network ${net} --variant half --rows 16 --cols 16 --engine model --ibuf-depth 4096 --output l_${net}_m.npy | grep -q 'MACs (100.0 %)' && \
           cmp l_${net}_g.npy l_${net}_m.npy")
  set_tests_properties(infer_cli.model_${net}_half_224 PROPERTIES LABELS "cli;net;accel"
    TIMEOUT 600)
endforeach()
# Requantization left to the host: still byte-identical, and the Requant nodes show as host.
add_test(NAME infer_cli.model_host_requant COMMAND ${CMAKE_COMMAND} -E chdir ${INFER_DIR}
  sh -c "${FUSEGEN_BIN} infer --network mobilenet_v1 --variant half --input-size 16x16 --rows 4 --cols 4 --engine golden --output hq_g.npy >/dev/null && \
         ${FUSEGEN_BIN} infer --network mobilenet_v1 --variant half --input-size 16x16 --rows 4 --cols 4 --engine model --host-requant --output hq_m.npy | grep -Eq '^b1[.]pw[.]q +requant +[0-9x]+ +0 +host' && \
         ${FUSEGEN_BIN} infer --network mobilenet_v1 --variant half --input-size 16x16 --rows 4 --cols 4 --engine model --output hq_c.npy | grep -Eq '^b1[.]pw[.]q +requant +[0-9x]+ +0 +accel' && \
         cmp hq_g.npy hq_m.npy && cmp hq_g.npy hq_c.npy")
set_tests_properties(infer_cli.model_host_requant PROPERTIES LABELS "cli;net;accel")
fusegen_cli_test(infer_cli.host_requant_golden 2
  "--host-requant applies to the accelerator: use it with --engine model or rtl"
  ${INFER_CLI} CMD ${INFER_V1} --host-requant --output bad.npy ABSENT bad.npy)
# Overlapped (default) and one-at-a-time programs: both byte-identical to golden; the JSON
# says which ran (every program double-buffered here, none with --no-overlap).
add_test(NAME infer_cli.model_overlap COMMAND ${CMAKE_COMMAND} -E chdir ${INFER_DIR}
  sh -c "${FUSEGEN_BIN} infer --network mobilenet_v1 --variant half --input-size 16x16 --rows 4 --cols 4 --engine golden --output ov_g.npy >/dev/null && \
         ${FUSEGEN_BIN} infer --network mobilenet_v1 --variant half --input-size 16x16 --rows 4 --cols 4 --engine model --format json --output ov_m.npy > ov_m.json && \
         ${FUSEGEN_BIN} infer --network mobilenet_v1 --variant half --input-size 16x16 --rows 4 --cols 4 --engine model --no-overlap --format json --output ov_n.npy > ov_n.json && \
         grep -q 'overlap.: true' ov_m.json && grep -q 'overlapped_programs.: 57,' ov_m.json && \
         grep -q 'overlap.: false' ov_n.json && grep -q 'overlapped_programs.: 0,' ov_n.json && \
         cmp ov_g.npy ov_m.npy && cmp ov_g.npy ov_n.npy")
set_tests_properties(infer_cli.model_overlap PROPERTIES LABELS "cli;net;accel")
# With the window generator the stem runs as GEMMs with WIN or over a host im2col map,
# whichever takes fewer cycles: on 4x4 the map (its 27 values pad to 28 lanes in 7 words, the
# windows' 3 channels to 4 lanes in each of 9 taps), so the same programs as with --im2col off.
# One instruction at a time (--no-overlap) the stream is not hidden and the windows, sending
# fewer bytes, win. All byte-identical to golden. (Also AccelInfer.DenseConvolution*.)
add_test(NAME infer_cli.model_im2col COMMAND ${CMAKE_COMMAND} -E chdir ${INFER_DIR}
  sh -c "${FUSEGEN_BIN} infer --network mobilenet_v1 --variant half --input-size 16x16 --rows 4 --cols 4 --engine golden --output w_g.npy >/dev/null && \
         ${FUSEGEN_BIN} infer --network mobilenet_v1 --variant half --input-size 16x16 --rows 4 --cols 4 --engine model --format json --output w_m.npy > w_m.json && \
         ${FUSEGEN_BIN} infer --network mobilenet_v1 --variant half --input-size 16x16 --rows 4 --cols 4 --engine model --im2col off --format json --output w_n.npy > w_n.json && \
         grep -q 'im2col.: true' w_m.json && grep -q 'windowed_programs.: 0,' w_m.json && \
         grep -q 'im2col.: false' w_n.json && grep -q 'windowed_programs.: 0,' w_n.json && \
         grep -A2 'accel.: ' w_m.json > w_m.txt && grep -A2 'accel.: ' w_n.json > w_n.txt && \
         grep -q 'cycles.: [1-9]' w_m.txt && cmp w_m.txt w_n.txt && \
         ${FUSEGEN_BIN} infer --network mobilenet_v1 --variant half --input-size 16x16 --rows 4 --cols 4 --engine model --no-overlap --format json --output w_o.npy > w_o.json && \
         grep -q 'windowed_programs.: 1,' w_o.json && \
         cmp w_g.npy w_m.npy && cmp w_g.npy w_n.npy && cmp w_g.npy w_o.npy")
set_tests_properties(infer_cli.model_im2col PROPERTIES LABELS "cli;net;accel")
fusegen_cli_test(infer_cli.im2col_golden 2
  "--im2col applies to the accelerator: use it with --engine model or rtl"
  ${INFER_CLI} CMD ${INFER_V1} --im2col off --output bad.npy ABSENT bad.npy)
fusegen_cli_test(infer_cli.im2col_bad 2
  "--im2col 'maybe' is not allowed: choose one of on, off"
  ${INFER_CLI} CMD ${INFER_V1} --im2col maybe --output bad.npy ABSENT bad.npy)
fusegen_cli_test(infer_cli.no_overlap_golden 2
  "--no-overlap applies to the accelerator: use it with --engine model or rtl"
  ${INFER_CLI} CMD ${INFER_V1} --no-overlap --output bad.npy ABSENT bad.npy)
# MobileNet-V1 Half at 32x32 on the Verilated accelerator: every layer (stem, rows, columns,
# pointwise, fc), each
# output stream beat-exact and CYCLES equal to the model, the network output equal to golden's;
# then one instruction at a time, where the stem runs as GEMMs with WIN (im2col windows).
add_test(NAME infer_cli.rtl_mobilenet_v1_half COMMAND ${CMAKE_COMMAND} -E chdir ${INFER_DIR}
  sh -c "${FUSEGEN_BIN} infer --network mobilenet_v1 --variant half --input-size 32x32 --rows 4 --cols 4 --engine golden --output r_v1_g.npy >/dev/null && \
         ${FUSEGEN_BIN} infer --network mobilenet_v1 --variant half --input-size 32x32 --rows 4 --cols 4 --act-kb 8 --wgt-kb 16 --out-kb 16 --engine rtl --output r_v1_r.npy | grep -q 'RTL == model: every output beat and CYCLES of every layer' && \
         ${FUSEGEN_BIN} infer --network mobilenet_v1 --variant half --input-size 32x32 --rows 4 --cols 4 --act-kb 8 --wgt-kb 16 --out-kb 16 --engine rtl --no-overlap --format json --output r_v1o_r.npy > r_v1o.json && \
         grep -q 'windowed_programs.: 1,' r_v1o.json && grep -q 'rtl_cycles.: [1-9]' r_v1o.json && \
         cmp r_v1_g.npy r_v1_r.npy && cmp r_v1_g.npy r_v1o_r.npy")
set_tests_properties(infer_cli.rtl_mobilenet_v1_half PROPERTIES LABELS "cli;net;accel;rtl"
  TIMEOUT 1200 ENVIRONMENT "FUSEGEN_CACHE=${CMAKE_CURRENT_BINARY_DIR}/rtl_cache")
# MobileNet-V1 Half on the iCE40-sized accelerator (2x2, ACT/WGT 2 KiB, OUT 1 KiB, ibuf 64,
# without the im2col window generator: the configuration docs/accel.md places on a UP5K; the
# stem then runs over a host im2col map): layers split into many small programs.
add_test(NAME infer_cli.rtl_mobilenet_v1_half_ice40_size COMMAND ${CMAKE_COMMAND} -E chdir ${INFER_DIR}
  sh -c "${FUSEGEN_BIN} infer --network mobilenet_v1 --variant half --input-size 32x32 --rows 2 --cols 2 --engine golden --output r_v1s_g.npy >/dev/null && \
         ${FUSEGEN_BIN} infer --network mobilenet_v1 --variant half --input-size 32x32 --rows 2 --cols 2 --act-kb 2 --wgt-kb 2 --out-kb 1 --ibuf-depth 64 --im2col off --engine rtl --output r_v1s_r.npy | grep -q 'RTL == model: every output beat and CYCLES of every layer' && \
         cmp r_v1s_g.npy r_v1s_r.npy")
set_tests_properties(infer_cli.rtl_mobilenet_v1_half_ice40_size PROPERTIES LABELS "cli;net;accel;rtl"
  TIMEOUT 1200 ENVIRONMENT "FUSEGEN_CACHE=${CMAKE_CURRENT_BINARY_DIR}/rtl_cache")
# The same for MobileNet-V2 and MnasNet-B1 FuSe-Half (expansion layers, residual adds, 5x5
# FuSe rows/columns), on the same accelerator build.
foreach(net mobilenet_v2 mnasnet_b1)
  add_test(NAME infer_cli.rtl_${net}_half COMMAND ${CMAKE_COMMAND} -E chdir ${INFER_DIR}
    sh -c "${FUSEGEN_BIN} infer --network ${net} --variant half --input-size 32x32 --rows 4 --cols 4 --engine golden --output r_${net}_g.npy >/dev/null && \
           ${FUSEGEN_BIN} infer --network ${net} --variant half --input-size 32x32 --rows 4 --cols 4 --act-kb 8 --wgt-kb 16 --out-kb 16 --engine rtl --output r_${net}_r.npy | grep -q 'RTL == model: every output beat and CYCLES of every layer' && \
           cmp r_${net}_g.npy r_${net}_r.npy")
  set_tests_properties(infer_cli.rtl_${net}_half PROPERTIES LABELS "cli;net;accel;rtl"
    TIMEOUT 1200 ENVIRONMENT "FUSEGEN_CACHE=${CMAKE_CURRENT_BINARY_DIR}/rtl_cache")
endforeach()
# Long (opt-in, ctest -L long): the full-size 224x224 networks, base and FuSe-Half, on the
# Verilated 16x16 accelerator with its default scratchpads (double-buffered programs): every
# layer beat- and cycle-exact against the model, the output byte-identical to golden.
foreach(net mobilenet_v1 mobilenet_v2 mnasnet_b1)
  foreach(variant base half)
    add_test(NAME infer_cli.rtl_${net}_${variant}_224 COMMAND ${CMAKE_COMMAND} -E chdir ${INFER_DIR}
      sh -c "${FUSEGEN_BIN} infer --network ${net} --variant ${variant} --rows 16 --cols 16 --engine golden --output f_${net}_${variant}_g.npy >/dev/null && \
             ${FUSEGEN_BIN} infer --network ${net} --variant ${variant} --rows 16 --cols 16 --engine rtl --output f_${net}_${variant}_r.npy | grep -q 'RTL == model: every output beat and CYCLES of every layer' && \
             cmp f_${net}_${variant}_g.npy f_${net}_${variant}_r.npy")
    set_tests_properties(infer_cli.rtl_${net}_${variant}_224 PROPERTIES
      LABELS "cli;net;accel;rtl;long" TIMEOUT 3600
      ENVIRONMENT "FUSEGEN_CACHE=${CMAKE_CURRENT_BINARY_DIR}/rtl_cache")
  endforeach()
endforeach()
# A layer the scratchpads cannot hold: one line naming the layer and the limit, nothing written.
fusegen_cli_test(infer_cli.model_layer_too_big 2
  "accelerator: layer 'b1\\.row': one group of lines needs 8 activation lines \\(1 passes x 8\\), the activation scratchpad holds 4"
  ${INFER_CLI} CMD ${FUSEGEN_BIN} infer --network mobilenet_v1 --variant half
  --rows 16 --cols 16 --act-kb 1 --engine model --output bad.npy ABSENT bad.npy)
fusegen_cli_test(infer_cli.model_bus_width 2 "--bus-width 24 is not a stream width"
  ${INFER_CLI} CMD ${FUSEGEN_BIN} infer --network mobilenet_v1 --rows 4 --cols 4 --bus-width 24
  --engine model --output bad.npy ABSENT bad.npy)
fusegen_cli_test(infer_cli.engine_missing 2 "--engine"
  ${INFER_CLI} CMD ${FUSEGEN_BIN} infer --network mobilenet_v1 --rows 8 --cols 8 --output bad.npy
  ABSENT bad.npy)
fusegen_cli_test(infer_cli.rows_missing 2 "--rows"
  ${INFER_CLI} CMD ${FUSEGEN_BIN} infer --network mobilenet_v1 --cols 8 --engine golden
  --output bad.npy ABSENT bad.npy)
fusegen_cli_test(infer_cli.rows_range 2 "--rows 0 is out of range: allowed 1\\.\\.256"
  ${INFER_CLI} CMD ${FUSEGEN_BIN} infer --network mobilenet_v1 --rows 0 --cols 8 --engine golden
  --output bad.npy ABSENT bad.npy)
fusegen_cli_test(infer_cli.acc_width 2 "--acc-width"
  ${INFER_CLI} CMD ${INFER_V1} --data-width 12 --acc-width 16 --output bad.npy ABSENT bad.npy)
fusegen_cli_test(infer_cli.bad_shift 2 "--shift '32' is not allowed: give auto or an integer 0\\.\\.31"
  ${INFER_CLI} CMD ${INFER_V1} --shift 32 --output bad.npy ABSENT bad.npy)
fusegen_cli_test(infer_cli.output_is_input 2 "--output '\\./x16\\.npy' is the same file as --input 'x16\\.npy'"
  ${INFER_CLI} CMD ${INFER} --network mobilenet_v1 --input x16.npy --output ./x16.npy
  UNCHANGED x16.npy)
fusegen_cli_test(infer_cli.output_is_weight 2 "--output 'w_v1/fc\\.npy' is the same file as --weights 'w_v1/fc\\.npy'"
  ${INFER_CLI} CMD ${INFER_V1} --weights w_v1 --output w_v1/fc.npy UNCHANGED w_v1/fc.npy)
fusegen_cli_test(infer_cli.save_is_weights 2 "--save-weights 'w_v1' is the same file as --weights 'w_v1'"
  ${INFER_CLI} CMD ${INFER_V1} --weights w_v1 --output bad.npy --save-weights w_v1
  ABSENT bad.npy UNCHANGED w_v1/fc.npy w_v1/network.json)
fusegen_cli_test(infer_cli.output_in_save_dir 2 "--output 'sw_out/y\\.npy' lies in --save-weights 'sw_out'"
  ${INFER_CLI} CMD sh -c "rm -rf sw_out && mkdir sw_out && ${INFER_V1_SH} --output sw_out/y.npy --save-weights sw_out"
  ABSENT sw_out/y.npy)
fusegen_cli_test(infer_cli.save_foreign_dir 2 "output directory 'foreign' holds 'notes\\.txt', which fusegen did not write"
  ${INFER_CLI} CMD ${INFER_V1} --output bad.npy --save-weights foreign
  ABSENT bad.npy foreign/network.json UNCHANGED foreign/notes.txt)
