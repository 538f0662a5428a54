# `fusegen net` from the command line: the default table (with the published 7.23x), JSON and
# per-layer CSV, SCALE-Sim topology input, byte-identical reruns, and bad input rejected with
# exit code 2 and one message naming the problem.
set(NET_DIR ${CMAKE_CURRENT_BINARY_DIR}/net_cli)
file(MAKE_DIRECTORY ${NET_DIR})

# Topology inputs (written at configure time; sizes are padded, as SCALE-Sim expects).
file(WRITE ${NET_DIR}/tiny.csv
  "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
  "Conv1, 226, 226, 3, 3, 3, 32, 2,\n"
  "Conv2_DP, 114, 114, 3, 3, 32, 1, 1,\n"
  "Conv2_PW, 112, 112, 1, 1, 32, 64, 1,\n")
file(WRITE ${NET_DIR}/bad.csv
  "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
  "Conv1, 226, 226, 3, 3, 3, 32, 2,\n"
  "Conv2, 112, 112, 1, 1, 32, 64, two,\n")
# Written as SCALE-Sim's own files are: header with spaces, `,#dw`, 9 fields, a blank line,
# CRLF, no final newline.
file(WRITE ${NET_DIR}/scalesim.csv
  "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\r\n"
  "\r\n"
  "Conv1, 224, 224, 3, 3, 3, 32, 2,\r\n"
  "Conv2_DP, 114, 114, 3, 3, 32, 1, 1,#dw\r\n"
  "Conv2_PW, 112, 112, 1, 1, 32, 64, 1, 1,")
file(WRITE ${NET_DIR}/mnk.csv "Layer, M, N, K,\r\nQK, 128, 64, 32,\r\n")

set(NET_CLI WORKDIR ${NET_DIR} LABELS cli net)

# Working runs.
fusegen_cli_test(net_cli.default_table 0
  "mobilenet_v2 +half +64 +64 +paper +411910 +286963328 +7\\.23x" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net)
fusegen_cli_test(net_cli.json 0
  "\"network\": \"mobilenet_v2\",[ \n]+\"variant\": \"half\",[ \n]+\"rows\": 64,[ \n]+\"cols\": 64,[ \n]+\"model\": \"paper\",[ \n]+\"cycles\": 411910,[ \n]+\"macs\": 286963328,[ \n]+\"speedup\": 7\\.23" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --network mobilenet_v2 --variant half --format json)
fusegen_cli_test(net_cli.layers_csv 0
  "mobilenet_v1,half,32,16,paper,b1.row,row,16x112x112,16x112x112,1x3,1," ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --network mobilenet_v1 --variant half --array 32x16 --layers --format csv)
fusegen_cli_test(net_cli.topology 0 "tiny +base +64 +64 +paper +[0-9]+ +" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --topology tiny.csv)
# SCALE-Sim conventions: ceil output size (Conv1 112x112), --output-size floor (111x111).
fusegen_cli_test(net_cli.topology_ceil 0 "Conv1 +conv +3x225x225 +32x112x112 +3x3 +2 +10838016" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --topology scalesim.csv --layers)
fusegen_cli_test(net_cli.topology_floor 0 "Conv1 +conv +3x224x224 +32x111x111 +3x3 +2 +10645344" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --topology scalesim.csv --layers --output-size floor)
# Variants of a topology: half (FuSe-Half depthwise), base-stos with the rtl model.
fusegen_cli_test(net_cli.topology_variants 0
  "scalesim +half +64 +64 +rtl .*\n.*scalesim +base-stos +64 +64 +rtl" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --topology scalesim.csv --model rtl)
fusegen_cli_test(net_cli.topology_half_layers 0 "Conv2_DP\\.row +row +16x112x112" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --topology scalesim.csv --variant half --layers)
fusegen_cli_test(net_cli.topology_stos_needs_rtl 2 "base-stos .*add --model rtl" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --topology scalesim.csv --variant base-stos)
fusegen_cli_test(net_cli.topology_bad_variant 2 "--variant 'full' is not allowed: choose all or one of base, half, base-stos" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --topology scalesim.csv --variant full)
# GEMM files, detected or forced.
fusegen_cli_test(net_cli.gemm 0 "QK +fc +32x1x1 +64x1x1 +1x1 +1 +262144" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --topology mnk.csv --layers --topology-format gemm)
fusegen_cli_test(net_cli.gemm_as_conv 2 "mnk\\.csv:2: expected 8 or 9 fields" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --topology mnk.csv --topology-format conv)
fusegen_cli_test(net_cli.output_size_without_topology 2 "--output-size describe a --topology file" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --output-size floor)
fusegen_cli_test(net_cli.bad_output_size 2 "--output-size 'round' is not allowed: choose ceil" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --topology scalesim.csv --output-size round)
# Folds / mapping efficiency / traffic columns (stem: 196 folds, 50 %, hand-worked in
# tests/unit/test_net_report.cpp).
fusegen_cli_test(net_cli.traffic_columns 0
  "stem +conv .* 196 +50\\.00 +338688 +169344 +401408" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --network mobilenet_v2 --variant base --layers)
fusegen_cli_test(net_cli.help 0 "--topology" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --help)

# Identical parameters give byte-identical output.
add_test(NAME net_cli.deterministic COMMAND sh -c
  "${FUSEGEN_BIN} net --layers --format json > a.json && \
   ${FUSEGEN_BIN} net --layers --format json > b.json && cmp a.json b.json"
  WORKING_DIRECTORY ${NET_DIR})
set_tests_properties(net_cli.deterministic PROPERTIES LABELS "cli;net")

# Rejected input: exit code 2, one clear line.
fusegen_cli_test(net_cli.unknown_network 2
  "fusegen: error: --network 'resnet50' is not allowed: choose all or one of mobilenet_v1" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --network resnet50)
fusegen_cli_test(net_cli.unknown_variant 2 "--variant 'quarter' is not allowed: .*half50" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --variant quarter)
fusegen_cli_test(net_cli.zero_array 2 "--array '0x64' is not an array size" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --array 0x64)
fusegen_cli_test(net_cli.negative_array 2 "--array '-8x8' is not an array size" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --array -8x8)
fusegen_cli_test(net_cli.unknown_model 2 "unknown latency model 'scalesim': choose one of paper" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --model scalesim)
fusegen_cli_test(net_cli.unknown_format 2 "--format 'xml' is not allowed" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --format xml)
fusegen_cli_test(net_cli.missing_topology 2 "fusegen: error: .*nope\\.csv" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --topology nope.csv)
fusegen_cli_test(net_cli.malformed_topology 2 "bad\\.csv:3: field 'Strides' of layer 'Conv2' is 'two'" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --topology bad.csv)
fusegen_cli_test(net_cli.topology_with_network 2 "cannot be combined with --network" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --topology tiny.csv --network mobilenet_v2)
fusegen_cli_test(net_cli.stray_argument 2 "unexpected argument 'mobilenet_v2'" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net mobilenet_v2)

# SCALE-Sim-like reports: two CSVs, byte-identical reruns; bad directory: nothing written.
add_test(NAME net_cli.report_dir COMMAND sh -c
  "rm -rf rep1 rep2 && ${FUSEGEN_BIN} net --topology scalesim.csv --model both --report-dir rep1 > /dev/null && \
   ${FUSEGEN_BIN} net --topology scalesim.csv --model both --report-dir rep2 > /dev/null && \
   cmp rep1/COMPUTE_REPORT.csv rep2/COMPUTE_REPORT.csv && cmp rep1/BANDWIDTH_REPORT.csv rep2/BANDWIDTH_REPORT.csv && \
   head -1 rep1/COMPUTE_REPORT.csv | grep -q 'LayerID, Layer name, Type, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %' && \
   grep -q '^scalesim, base, paper, 64, 64, 0, Conv1, conv, ' rep1/COMPUTE_REPORT.csv && \
   head -1 rep1/BANDWIDTH_REPORT.csv | grep -q 'Avg IFMAP SRAM BW, Avg FILTER SRAM BW, Avg OFMAP SRAM BW'"
  WORKING_DIRECTORY ${NET_DIR})
set_tests_properties(net_cli.report_dir PROPERTIES LABELS "cli;net")
fusegen_cli_test(net_cli.bad_topology_writes_nothing 2 "bad\\.csv:3" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --topology bad.csv --report-dir never_written)
add_test(NAME net_cli.bad_topology_no_dir COMMAND sh -c "test ! -e never_written"
  WORKING_DIRECTORY ${NET_DIR})
set_tests_properties(net_cli.bad_topology_no_dir PROPERTIES LABELS "cli;net"
  DEPENDS net_cli.bad_topology_writes_nothing)

# Plots (gnuplot SVG); without gnuplot in PATH a clean error naming the package.
fusegen_cli_test(net_cli.plot_without_gnuplot 2 "--plot needs gnuplot.*gnuplot-nox" ${NET_CLI}
  CMD env PATH=/nonexistent ${FUSEGEN_BIN} net --plot plots_none)
find_program(FUSEGEN_GNUPLOT gnuplot)
if(FUSEGEN_GNUPLOT)
  add_test(NAME net_cli.plot COMMAND sh -c
    "rm -rf plots1 plots2 && ${FUSEGEN_BIN} net --network mobilenet_v2 --plot plots1 > /dev/null && \
     ${FUSEGEN_BIN} net --network mobilenet_v2 --plot plots2 > /dev/null && \
     grep -q '<svg' plots1/speedup_vs_array.svg && grep -q '<svg' plots1/layer_cycles.svg && \
     grep -q 'mobilenet_v2 half (paper)' plots1/speedup_vs_array.svg && \
     grep -q '^256 ' plots1/speedup_vs_array.dat && cmp plots1/speedup_vs_array.svg plots2/speedup_vs_array.svg && \
     cmp plots1/layer_cycles.svg plots2/layer_cycles.svg"
    WORKING_DIRECTORY ${NET_DIR})
  set_tests_properties(net_cli.plot PROPERTIES LABELS "cli;net")
endif()
