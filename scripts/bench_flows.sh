#!/usr/bin/env bash
# Implementation-flow benchmark (called by scripts/bench.sh; a measurement, no assertions):
# generates each configuration with `fusegen array` / `fusegen nullcache` and runs its own flow
# scripts (see docs/flows.md): the ASIC flow on the default library (OSU018: area, cells, Fmax,
# power), the Xilinx 7-series counts and, on small configurations, iCE40 place and route.
#   bench_flows.sh [BUILD_DIR]
# FUSEGEN_BENCH_FLOWS=quick runs a small subset (array 4x4 with and without ST-OS, null cache
# 32); any other value is an extended regular expression selecting configurations by their
# label (e.g. 'nullcache (128|512)'); FUSEGEN_BENCH_FLOWS_DIR keeps the generated directories and logs (default: a temporary
# directory, removed at the end). A configuration whose flow fails prints "failed" in its cells
# and the rest continue. Each tool run is limited to FUSEGEN_BENCH_TIMEOUT seconds (default
# 3600).
set -uo pipefail
build=${1:-build}
fusegen=$(cd "$build" && pwd)/fusegen
[ -x "$fusegen" ] || { echo "bench_flows: missing $fusegen" >&2; exit 1; }
for tool in yosys sta nextpnr-ice40; do
  command -v $tool >/dev/null || { echo "bench_flows: '$tool' not found (scripts/setup.sh)" >&2; exit 1; }
done
limit=${FUSEGEN_BENCH_TIMEOUT:-3600}
if [ -n "${FUSEGEN_BENCH_FLOWS_DIR:-}" ]; then
  work=$FUSEGEN_BENCH_FLOWS_DIR; mkdir -p "$work"
else
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fi

# label | generator arguments | iCE40 device for place and route ("-": none)
if [ "${FUSEGEN_BENCH_FLOWS:-}" = quick ]; then
  configs=(
    "array 4x4 OS|array --rows 4 --cols 4 --no-stos|-"
    "array 4x4 ST-OS|array --rows 4 --cols 4|-"
    "nullcache 32|nullcache --entries 32|-"
  )
else
  configs=(
    "array 2x2 ST-OS|array --rows 2 --cols 2|up5k"
    "array 4x4 OS|array --rows 4 --cols 4 --no-stos|hx8k"
    "array 4x4 ST-OS|array --rows 4 --cols 4|hx8k"
    "array 8x8 OS|array --rows 8 --cols 8 --no-stos|-"
    "array 8x8 ST-OS|array --rows 8 --cols 8|-"
    "array 16x16 OS|array --rows 16 --cols 16 --no-stos|-"
    "array 16x16 ST-OS|array --rows 16 --cols 16|-"
    "nullcache 8|nullcache --entries 8|hx8k"
    "nullcache 16|nullcache --entries 16|hx8k"
    "nullcache 32|nullcache --entries 32|hx8k"
    "nullcache 128|nullcache --entries 128|-"
    "nullcache 512|nullcache --entries 512|-"
  )
fi

if [ -n "${FUSEGEN_BENCH_FLOWS:-}" ] && [ "$FUSEGEN_BENCH_FLOWS" != quick ]; then
  selected=()
  for c in "${configs[@]}"; do
    grep -qE -- "$FUSEGEN_BENCH_FLOWS" <<<"${c%%|*}" && selected+=("$c")
  done
  configs=("${selected[@]}")
fi

# Value of key=... in a summary line ("" if absent).
val() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p" | head -1; }

# run <dir> <log> <command...>: the summary line of a flow, or "failed" (reason in <log>).
run() {
  local dir=$1 log=$2; shift 2
  local out
  if out=$(cd "$dir" && nice timeout "$limit" "$@" 2>"$log"); then
    tail -1 <<<"$out"
  else
    echo failed
  fi
}

printf '| configuration | OSU018 area um2 | cells | Fmax MHz | power mW | iCE40 | LCs | DSPs | Fmax MHz | XC7 LUT | FF | DSP48E1 | CARRY4 | s |\n'
printf '| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
declare -A area power
for c in "${configs[@]}"; do
  IFS='|' read -r label args device <<<"$c"
  dir="$work/$(tr ' ' '_' <<<"$label")"
  t0=$(date +%s)
  rm -rf "$dir"
  # shellcheck disable=SC2086
  if ! "$fusegen" $args --out "$dir" >/dev/null 2>"$work/gen.err"; then
    printf '| %s | failed (generate: %s) |\n' "$label" "$(head -1 "$work/gen.err")"
    continue
  fi
  name=$(sed -n 's/.*"top": "\(.*\)_top".*/\1/p' "$dir"/*.json | head -1)
  asic=$(run "$dir" "$dir/asic.err" bash "$name.asic.sh")
  xc7=$(run "$dir" "$dir/xc7.err" bash "$name.xc7.sh")
  if [ "$device" != - ]; then
    ice=$(run "$dir" "$dir/ice40.err" bash "$name.ice40.sh" "$device")
  else
    ice="-"
  fi
  cell() {  # cell <summary> <key>: the value, "failed" or "-"
    case $1 in failed) echo failed ;; -) echo - ;; *) local v; v=$(val "$2" "$1"); echo "${v:--}" ;; esac
  }
  area[$label]=$(cell "$asic" area_um2); power[$label]=$(cell "$asic" power_mw)
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" \
    "${area[$label]}" "$(cell "$asic" cells)" "$(cell "$asic" fmax_mhz)" "${power[$label]}" \
    "$([ "$device" = - ] && echo - || echo "$device")" "$(cell "$ice" lc)" "$(cell "$ice" dsp)" \
    "$(cell "$ice" fmax_mhz)" "$(cell "$xc7" lut)" "$(cell "$xc7" ff)" "$(cell "$xc7" dsp48e1)" \
    "$(cell "$xc7" carry4)" "$(( $(date +%s) - t0 ))"
done

# ST-OS overhead in real cells beside the thesis' figures.
for size in 16x16 4x4; do
  os="array $size OS"; st="array $size ST-OS"
  [ -n "${area[$st]:-}" ] && [ -n "${area[$os]:-}" ] || continue
  pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f %%", 100 * (b - a) / a; else printf "n/a" }'; }
  echo
  echo "ST-OS overhead at $size (OSU018, whole generated design): area $(pct "${area[$os]}" "${area[$st]}")" \
       "(thesis: 4.35 %), power $(pct "${power[$os]}" "${power[$st]}") (thesis: 2.25 %)"
  break
done
