#!/usr/bin/env bash
# `make demo`: the main job on the default configuration.
set -euo pipefail
build=${1:-build}
fusegen="$build/fusegen"
echo "== Network latency study (paper's analytical model, 64x64 array)"
"$fusegen" net --network all --variant all --array 64x64 --model paper
