# Null-cache RTL regression (tests of the SparseCache null-cache generator and RTL):
#  - nc_regress: Verilated RTL vs NullCacheModel in lockstep, random transaction streams,
#    every result, latency and the entry table compared after every transaction;
#  - lint (Verilator -Wall), Yosys (no latches) and Icarus compile of generated RTL;
#  - `fusegen nullcache` errors and deterministic output.
# Default suite label "nullcache"; the million-transaction run is label "long".
add_executable(nc_regress ${PROJECT_SOURCE_DIR}/tb/nullcache/nc_regress_main.cpp)
target_link_libraries(nc_regress PRIVATE fusegen_core)
set(FUSEGEN_NC_CACHE ${CMAKE_CURRENT_BINARY_DIR}/rtl_cache)
