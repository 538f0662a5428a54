#!/usr/bin/env bash
# fusegen setup: installs the Debian packages the project needs, if any are missing.
# As root it runs apt-get; otherwise it prints the exact command to run and fails.
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++ make gnuplot-nox
  verilator yosys iverilog zlib1g-dev ccache qflow-tech-osu018
  qflow opensta nextpnr-ice40 fpga-icestorm
  libgtest-dev libfmt-dev libcxxopts-dev nlohmann-json3-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "fusegen setup: missing Debian packages: ${missing[*]}" >&2
  echo "fusegen setup: run as root:  apt-get update && $cmd" >&2
  exit 1
fi

echo "fusegen setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
$cmd >/dev/null
