# Array regression (ST-OS systolic array RTL vs golden model and cycle model), via Verilator.
# One build fixture per array configuration (the Verilated testbench is built once, cached in
# the build tree); then random cases of every op kind on it: bit-exact output AND RTL cycles
# == cycle-model cycles. Label "array" (default suite) and "long" (make regress-long).
add_executable(array_regress ${PROJECT_SOURCE_DIR}/tb/array/regress_main.cpp)
target_link_libraries(array_regress PRIVATE fusegen_core cxxopts::cxxopts)
set(FUSEGEN_ARRAY_CACHE ${CMAKE_CURRENT_BINARY_DIR}/rtl_cache)
