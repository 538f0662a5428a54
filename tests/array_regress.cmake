# Array regression (ST-OS systolic array RTL vs golden model and cycle model), via Verilator.
# One build fixture per array configuration (the Verilated testbench is built once, cached in
# the build tree); then random cases of every op kind on it, each asserting bit-exact output
# AND RTL cycles == cycle-model cycles. Default suite: label "array"; larger arrays and more
# seeds: label "long" (make regress-long).
add_executable(array_regress ${PROJECT_SOURCE_DIR}/tb/array/regress_main.cpp)
target_link_libraries(array_regress PRIVATE fusegen_core cxxopts::cxxopts)
set(FUSEGEN_ARRAY_CACHE ${CMAKE_CURRENT_BINARY_DIR}/rtl_cache)
set(FUSEGEN_ALL_OPS conv,dw,row,col,pw,fc,dsc,fuse-full,fuse-half)

# array_config(<id> <label> <args...>): build fixture for one configuration.
function(array_config id label)
  add_test(NAME array_build_${id} COMMAND array_regress ${ARGN} --build-only)
  set_tests_properties(array_build_${id} PROPERTIES FIXTURES_SETUP array_${id} LABELS "${label}"
    TIMEOUT 1200 ENVIRONMENT "FUSEGEN_CACHE=${FUSEGEN_ARRAY_CACHE}")
endfunction()

# array_case(<name> <config id> <label> <args...>): random cases on a built configuration.
function(array_case name id label)
  add_test(NAME array_${name} COMMAND array_regress ${ARGN})
  set_tests_properties(array_${name} PROPERTIES FIXTURES_REQUIRED array_${id} LABELS "${label}"
    TIMEOUT 1200 ENVIRONMENT "FUSEGEN_CACHE=${FUSEGEN_ARRAY_CACHE}")
endfunction()

# ---- Default suite: degenerate and odd shapes, square 4/8/16, --no-stos, narrow widths.
foreach(shape 1x1 1x8 8x1 3x5 5x3 4x4 8x8 16x16)
  string(REPLACE "x" ";" rc ${shape})
  list(GET rc 0 r)
  list(GET rc 1 c)
  set(cfg --rows ${r} --cols ${c})
  array_config(${shape} "array" ${cfg})
  array_case(${shape}_os ${shape} "array" ${cfg} --ops ${FUSEGEN_ALL_OPS} --seeds 1-3 --dw-mapping os)
  array_case(${shape}_stos ${shape} "array" ${cfg} --ops dw,dsc,fuse-half --seeds 4-6 --dw-mapping stos)
endforeach()
array_case(4x4_extreme 4x4 "array" --rows 4 --cols 4 --ops ${FUSEGEN_ALL_OPS} --seeds 7-8 --mix extreme --dw-mapping stos)
# Random initial register state (data registers are not reset): several Verilator seeds.
array_case(4x4_randreset 4x4 "array" --rows 4 --cols 4 --ops ${FUSEGEN_ALL_OPS} --seeds 9 --dw-mapping stos --sim-seeds 1-3)
array_case(3x5_randreset 3x5 "array" --rows 3 --cols 5 --ops conv,dw,fuse-full --seeds 10 --dw-mapping stos --sim-seeds 4-5)
# The checking itself: a corrupted operand must be reported (the run must fail).
array_case(4x4_fault_detected 4x4 "array" --rows 4 --cols 4 --ops conv,dsc --seeds 1 --inject-fault)
set_tests_properties(array_4x4_fault_detected PROPERTIES WILL_FAIL TRUE)

array_config(4x4_nostos "array" --rows 4 --cols 4 --no-stos)
array_case(4x4_nostos 4x4_nostos "array" --rows 4 --cols 4 --no-stos --ops ${FUSEGEN_ALL_OPS} --seeds 1-3)

# Narrow operands and accumulators: products wrap in 10 bits.
array_config(3x3_d4_a10 "array" --rows 3 --cols 3 --data-width 4 --acc-width 10)
array_case(3x3_d4_a10 3x3_d4_a10 "array" --rows 3 --cols 3 --data-width 4 --acc-width 10 --ops ${FUSEGEN_ALL_OPS} --seeds 1-3 --dw-mapping stos)
array_case(3x3_d4_a10_extreme 3x3_d4_a10 "array" --rows 3 --cols 3 --data-width 4 --acc-width 10 --ops ${FUSEGEN_ALL_OPS} --seeds 4-5 --mix extreme)

# ---- Long sweeps (make regress-long).
foreach(shape 32x32 64x16 16x64 7x13)
  string(REPLACE "x" ";" rc ${shape})
  list(GET rc 0 r)
  list(GET rc 1 c)
  set(cfg --rows ${r} --cols ${c})
  array_config(${shape} "long" ${cfg})
  array_case(${shape}_os ${shape} "long" ${cfg} --ops ${FUSEGEN_ALL_OPS} --seeds 1-6 --dw-mapping os)
  array_case(${shape}_stos ${shape} "long" ${cfg} --ops ${FUSEGEN_ALL_OPS} --seeds 7-12 --dw-mapping stos --sim-seeds 1-2)
endforeach()
array_case(8x8_many_seeds 8x8 "long" --rows 8 --cols 8 --ops ${FUSEGEN_ALL_OPS} --seeds 11-40 --dw-mapping stos --sim-seeds 11-14)
array_config(6x10_d16_a64 "long" --rows 6 --cols 10 --data-width 16 --acc-width 64)
array_case(6x10_d16_a64 6x10_d16_a64 "long" --rows 6 --cols 10 --data-width 16 --acc-width 64 --ops ${FUSEGEN_ALL_OPS} --seeds 1-6 --dw-mapping stos --mix extreme)
array_config(8x8_d6_a12_nostos "long" --rows 8 --cols 8 --data-width 6 --acc-width 12 --no-stos)
array_case(8x8_d6_a12_nostos 8x8_d6_a12_nostos "long" --rows 8 --cols 8 --data-width 6 --acc-width 12 --no-stos --ops ${FUSEGEN_ALL_OPS} --seeds 1-10)
