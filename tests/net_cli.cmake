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
fusegen_cli_test(net_cli.topology 0 "tiny +topology +64 +64 +paper +[0-9]+ +" ${NET_CLI}
  CMD ${FUSEGEN_BIN} net --topology tiny.csv)
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
