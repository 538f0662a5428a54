#!/bin/sh
# Writes a 128-byte .npy file (format 1.0) whose header claims DESCR and SHAPE but that holds no
# data, for tests of corrupt or hostile headers:
#   npy_header_only.sh OUT DESCR SHAPE     e.g. npy_header_only.sh huge.npy '|i1' '(1, 1, 2, 2)'
set -e
header="{'descr': '$2', 'fortran_order': False, 'shape': $3, }"
printf '\223NUMPY\001\000\166\000%-117s\n' "$header" >"$1"
