// Every conv and GEMM topology file shipped with SCALE-Sim v2 (tests/data/scalesim, copied
// unchanged): fusegen reads each one with the MAC count SCALE-Sim's reader gives. The
// expected totals were computed outside fusegen from SCALE-Sim's definition
// (topology_utils.py: rows split on ',' with the last piece dropped, a DP row expanded into
// C one-channel layers, ofmap = ceil((H - K + S) / S), MACs = Ho*Wo*Kh*Kw*C*M; GEMM M*N*K).
// Worked example, alexnet.csv: Conv1 ceil((224-11+4)/4) = 55, 55*55*11*11*3*96 = 105,415,200;
// Conv2 23*23*5*5*96*256 = 325,017,600; Conv3 11*11*3*3*256*384 = 107,053,056;
// Conv4 11*11*3*3*384*384 = 160,579,584; Conv5 = Conv3; total 805,118,496.
#include <gtest/gtest.h>

#include <string>

#include "common/bits.h"
#include "common/error.h"
#include "golden/topology.h"

using namespace fusegen;

namespace {

std::string data(const std::string& rel) {
  return std::string(FUSEGEN_SOURCE_DIR) + "/tests/data/scalesim/" + rel;
}

int64_t total_macs(const std::vector<LayerDesc>& layers) {
  int64_t s = 0;
  for (const auto& l : layers) s += l.macs();
  return s;
}

struct Case {
  const char* file;  // under tests/data/scalesim
  int64_t macs;      // SCALE-Sim's total
  size_t layers;     // rows (SCALE-Sim's layer count)
};

}  // namespace

// Files SCALE-Sim parses: same MAC total and layer count.
TEST(ScaleSimFiles, ConvFilesSCALESimParsesGiveItsMacs) {
  const Case cases[] = {
      {"conv_nets/alexnet.csv", 805118496, 5},
      {"conv_nets/alexnet_part.csv", 105415200, 1},
      {"conv_nets/test.csv", 16588800, 1},
      {"conv_nets/yolo_tiny.csv", 1753649072, 9},
      {"conv_nets/yolo_tiny_layer1.csv", 74043072, 1},
      {"conv_nets/UNet_2d.csv", 2608061360384, 19},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    const auto l = read_topology(data(c.file));
    EXPECT_EQ(l.size(), c.layers);
    EXPECT_EQ(total_macs(l), c.macs);
  }
}

// Files whose rows lack the trailing comma (SCALE-Sim's reader drops the Strides there and
// fails with an IndexError): fusegen takes the last number as the Strides. Expected totals
// are SCALE-Sim's formula with that stride.
TEST(ScaleSimFiles, RowsWithoutTrailingCommaReadLeniently) {
  const Case cases[] = {
      {"conv_nets/mobilnet_paper.csv", 551539642, 28},
      {"conv_nets/mobilnet_4k.csv", 96972382342, 28},
      {"conv_nets/MobileNet_4k_non_dw.csv", 96938205184, 15},
      {"conv_nets/mobilnet_reduce_run.csv", 60699418624, 11},
      {"conv_nets/Resnet_test.csv", 227673600, 2},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    const auto l = read_topology(data(c.file));
    EXPECT_EQ(l.size(), c.layers);
    EXPECT_EQ(total_macs(l), c.macs);
  }
}

// Files SCALE-Sim cannot parse either: refused with the line and the reason.
TEST(ScaleSimFiles, FilesSCALESimRejectsAreRejected) {
  auto msg = [](const std::string& f) {
    try {
      read_topology(data(f));
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  // Resnet50.csv: a row of empty fields (SCALE-Sim: int('') ValueError).
  EXPECT_NE(msg("conv_nets/Resnet50.csv").find("Resnet50.csv:2: expected 8 or 9 fields"),
            std::string::npos);
  // UNet_maestro.csv: tab-separated.
  EXPECT_NE(msg("conv_nets/UNet_maestro.csv").find("UNet_maestro.csv:2: no comma in the row"),
            std::string::npos);
}

TEST(ScaleSimFiles, GemmFilesGiveMNK) {
  const Case cases[] = {
      {"GEMM_mnk/NCF.csv", 655097856, 12},
      {"GEMM_mnk/gnmt.csv", 189608886272, 17},
      {"GEMM_mnk/gpt2.csv", 20686307328, 6},
      {"GEMM_mnk/test_mnk_input.csv", 8388608, 1},
      {"GEMM_mnk/transformer_partial.csv", 807403520, 6},
      {"GEMM_mnk/unet2d.csv", 2608061360384, 19},
      {"GEMM_mnk/vit_l.csv", 1761378304, 5},
      {"GEMM_mnk/vit_l_last.csv", 822083584, 1},
      {"GEMM_mnk/vit_s.csv", 275165184, 5},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    const auto l = read_topology(data(c.file));  // detected from the 4-field header
    EXPECT_EQ(l.size(), c.layers);
    EXPECT_EQ(total_macs(l), c.macs);
    TopologyOptions gemm;
    gemm.format = TopologyFormat::Gemm;
    EXPECT_EQ(total_macs(read_topology(data(c.file), gemm)), c.macs);
  }
  // gpt2 QKT: M = 1024 rows of K = 64 times N = 1024 filters: an fc of batch 1024.
  const auto g = read_topology(data("GEMM_mnk/gpt2.csv"));
  EXPECT_EQ(g[0].name, "QKT");
  EXPECT_EQ(g[0].op, OpKind::FC);
  EXPECT_EQ(g[0].n, 1024);
  EXPECT_EQ(g[0].cin, 64);
  EXPECT_EQ(g[0].cout, 1024);
}

// The other folders of SCALE-Sim v2's topologies/ (mlperf/ and its div*q subfolders, resnet/,
// sparsity/, dlrm/, transformer/, translation/, llama/, unit_tests/, test.csv), copied
// unchanged. The expected totals and layer counts were computed by a throw-away python3
// script written from SCALE-Sim's definition above (rows split on ',' with the last piece
// dropped, ofmap = ceil((H - K + S) / S), MACs = Ho*Wo*Kh*Kw*C*M; GEMM M*N*K), not by
// fusegen. A 9th field other than DP (llama3b's Batch Size, transformer_fwd's header) is not
// part of the MACs. Files with CRLF line ends: test.csv, dlrm/DLRM.csv.
TEST(ScaleSimFiles, OtherFoldersConvFilesGiveItsMacs) {
  const Case cases[] = {
      {"test.csv", 341332480, 1},
      {"dlrm/DLRM.csv", 305020928, 10},
      // 9th field an N:M sparsity ratio (stride width = stride height, dense MACs).
      {"sparsity/alexnet_full.csv", 25798910496, 5},
      {"sparsity/alexnet_part.csv", 105415200, 1},
      {"sparsity/conv.csv", 972, 1},
      {"sparsity/lenet_conv.csv", 187800, 2},
      {"dlrm/dlrm_fwd.csv", 204324864, 8},
      {"dlrm/dlrm_inp_grad.csv", 204324864, 8},
      {"dlrm/dlrm_weight_grad.csv", 204324864, 8},
      {"llama/llama3b.csv", 431424096174080, 51},
      {"mlperf/DeepSpeech2.csv", 1755361152, 6},
      {"mlperf/div16q/DeepSpeech2.csv", 120831192, 6},
      {"mlperf/div16q/FasterRCNN.csv", 222710832, 46},
      {"mlperf/div256q/DeepSpeech2.csv", 67829356, 6},
      {"mlperf/div256q/FasterRCNN.csv", 22823948, 46},
      {"mlperf/div4q/AlphaGoZero.csv", 88425044, 8},
      {"mlperf/div4q/DeepSpeech2.csv", 438842208, 6},
      {"mlperf/div4q/FasterRCNN.csv", 890241216, 46},
      {"mlperf/div64q/FasterRCNN.csv", 55752972, 46},
      {"resnet/resnet_fwd.csv", 5826038528, 54},
      {"resnet/resnet_input_grad.csv", 4089184256, 54},
      {"resnet/resnet_weight_grad.csv", 4089184256, 54},
      {"sparsity/Resnet18.csv", 1471181568, 21},
      {"transformer/transformer_fwd.csv", 5826038528, 54},
      {"transformer/transformer_weightgrad.csv", 1733462130688, 11},
      {"translation/gpt2.csv", 20686307328, 6},
      {"translation/gpt2_multihead_layers_old.csv", 134217728, 2},
      {"translation/gpt2_new.csv", 213504000000, 6},
      {"translation/gpt2_old.csv", 20686307328, 6},
      {"translation/gpt2_sans_mulithead.csv", 200704000000, 4},
      {"unit_tests/test_gemm1.csv", 40960, 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    const auto l = read_topology(data(c.file));
    EXPECT_EQ(l.size(), c.layers);
    EXPECT_EQ(total_macs(l), c.macs);
  }
}

// sparsity/gemm*.csv: "Layer Name, M, N, K, Sparsity," (5 fields, so not detected as GEMM):
// read as GEMM, the Sparsity column is not part of the (dense) MACs.
TEST(ScaleSimFiles, OtherFoldersGemmFilesWithSparsityColumn) {
  const Case cases[] = {
      {"sparsity/gemm.csv", 320, 2},
      {"sparsity/gemm_mix.csv", 80, 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    TopologyOptions gemm;
    gemm.format = TopologyFormat::Gemm;
    const auto l = read_topology(data(c.file), gemm);
    EXPECT_EQ(l.size(), c.layers);
    EXPECT_EQ(total_macs(l), c.macs);
  }
}

// mlperf files whose second row is all empty fields (",,,,,,,," or ",,,,,,,"): SCALE-Sim's
// reader fails there (int('') ValueError); fusegen refuses them at line 2.
TEST(ScaleSimFiles, OtherFoldersRowOfEmptyFieldsRejected) {
  const char* files[] = {
      "mlperf/NCF_recommendation_short.csv",
      "mlperf/Sentimental_seqCNN.csv",
      "mlperf/Transformer_short.csv",
      "mlperf/div256q/AlphaGoZero.csv",
      "mlperf/div256q/NCF_recommendation_short.csv",
      "mlperf/div256q/Resnet50.csv",
      "mlperf/div256q/Sentimental_seqCNN.csv",
      "mlperf/div256q/Sentimental_seqLSTM_short.csv",
      "mlperf/div256q/Transformer_short.csv",
      "mlperf/div64q/AlphaGoZero.csv",
      "mlperf/div64q/Resnet50.csv",
      "mlperf/div64q/Sentimental_seqCNN.csv",
      "mlperf/div64q/Sentimental_seqLSTM_short.csv",
      "mlperf/div64q/Transformer_short.csv",
  };
  for (const char* f : files) {
    SCOPED_TRACE(f);
    std::string what = "no error";
    try {
      read_topology(data(f));
    } catch (const Error& e) {
      what = e.what();
    }
    const std::string name = std::string(f).substr(std::string(f).rfind('/') + 1);
    EXPECT_NE(what.find(name + ":2: expected 8 or 9 fields"), std::string::npos) << what;
  }
}
