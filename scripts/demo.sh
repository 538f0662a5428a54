#!/usr/bin/env bash
# `make demo`: the main job on the default configuration.
set -euo pipefail
build=${1:-build}
fusegen="$build/fusegen"
echo "== Network latency study (paper's analytical model, 64x64 array)"
"$fusegen" net --network all --variant all --array 64x64 --model paper

# The generated array itself: RTL for 16x16, then a FuSe-Half block and the DSC block it
# replaces run on the Verilated RTL, each checked bit-exact against the golden model and
# cycle-exact against the cycle model (docs/mapping.md).
rows=16; cols=16
demo="$build/demo"
rtl="$demo/array_${rows}x${cols}"
mkdir -p "$demo"
echo
echo "== ST-OS array RTL, ${rows}x${cols}: generated into $rtl"
"$fusegen" array --rows "$rows" --cols "$cols" --out "$rtl"
ls "$rtl"
echo
echo "== Blocks on the RTL (N=1, C=32, 28x28, K=3, Cout=64; seeded random int8 tensors)"
echo "   (the first run builds the Verilated ${rows}x${cols} testbench; it is cached afterwards)"
"$fusegen" tensor --shape 1,32,28,28 --seed 101 --out "$demo/x.npy"
"$fusegen" tensor --shape 32,1,3,3 --seed 102 --out "$demo/w_dw.npy"
"$fusegen" tensor --shape 16,1,1,3 --seed 103 --out "$demo/w_row.npy"
"$fusegen" tensor --shape 16,1,3,1 --seed 104 --out "$demo/w_col.npy"
"$fusegen" tensor --shape 64,32,1,1 --seed 105 --out "$demo/w_pw.npy"
run_block() {  # name, then fusegen run options; prints one line, returns the RTL cycles
  local name=$1; shift
  local out
  out=$("$fusegen" run --input "$demo/x.npy" --w-pw "$demo/w_pw.npy" --shift 6 --relu \
        --engine rtl --rows "$rows" --cols "$cols" "$@") || { echo "$name: RTL run failed" >&2; exit 1; }
  local cyc model macs util match
  cyc=$(awk '/^rtl cycles/ {print $3}' <<<"$out")
  model=$(awk '/^model cycles/ {print $3}' <<<"$out")
  macs=$(awk '/^macs/ {print $2}' <<<"$out")
  util=$(awk '/^utilization/ {print $2}' <<<"$out")
  match=$(awk '/^match/ {print $2}' <<<"$out")
  printf '%-30s %10s %12s %12s %8s %6s\n' "$name" "$macs" "$cyc" "$model" "$util" "$match" >&2
  echo "$cyc"
}
printf '%-30s %10s %12s %12s %8s %6s\n' "block" "MACs" "RTL cycles" "model cycles" "util" "match" >&2
dsc_os=$(run_block "DSC (dw on OS, baseline)" --op dsc --w-dw "$demo/w_dw.npy" --dw-mapping os \
         --output "$demo/y_dsc.npy")
dsc_st=$(run_block "DSC (dw by ST-OS rows)" --op dsc --w-dw "$demo/w_dw.npy" --dw-mapping stos \
         --output "$demo/y_dsc_stos.npy")
fuse=$(run_block "FuSe-Half" --op fuse-half --w-row "$demo/w_row.npy" --w-col "$demo/w_col.npy" \
       --output "$demo/y_fuse_half.npy" --trace "$demo/fuse_half.fst")
echo
awk -v a="$dsc_os" -v b="$fuse" -v c="$dsc_st" 'BEGIN {
  printf "FuSe-Half speedup on the RTL: %.2fx over the DSC baseline, %.2fx over DSC with ST-OS depthwise\n", a / b, c / b }'
echo "RTL: $rtl   outputs and FST trace: $demo"
echo
echo "== Network latency, paper model vs RTL-exact cycle model (${rows}x${cols}, MobileNet-V2)"
"$fusegen" net --network mobilenet_v2 --variant all --array "${rows}x${cols}" --model paper,rtl

# The standalone accelerator around the array: a FuSe-Half network (MobileNet-V1 Half, 32x32
# image, seeded random int8 weights) with every layer on the Verilated accelerator (AXI4-Lite
# program, AXI4-Stream data; FuSe rows/columns as CONV, pointwise and fc as GEMM, the stem as a
# GEMM on a host im2col map), requantization, concat and pool on the host;
# every layer checked beat- and cycle-exact against the accelerator model, the output against
# the golden network (docs/accel.md, docs/infer.md).
acc="$demo/accel_4x4"
echo
echo "== Standalone accelerator RTL, 4x4: generated into $acc"
"$fusegen" accel --rows 4 --cols 4 --act-kb 8 --wgt-kb 16 --out-kb 16 --out "$acc" >/dev/null
ls "$acc"
echo
echo "== MobileNet-V1 Half (32x32) through the accelerator RTL (first run builds its testbench)"
"$fusegen" infer --network mobilenet_v1 --variant half --input-size 32x32 --rows 4 --cols 4 \
  --act-kb 8 --wgt-kb 16 --out-kb 16 --engine rtl --output "$demo/y_mobilenet_v1_half.npy"
