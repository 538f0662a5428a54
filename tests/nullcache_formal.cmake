# Formal check of the generated null cache with Yosys's SAT engine (scripts/formal_nc.sh,
# harness tb/formal/nc_props.v): P1 ("after a non-zero store to X, until X is inserted or filled
# with an all-zero line, no lookup of X reports zero") and I6 (coverage grows only by inserted
# lines) on a symbolic line address, plus the RTL's own assertions (I3: at most one entry
# matches), by bounded model checking from reset on 2- and 4-entry caches with 6-bit line
# addresses, both store policies, to depth 14 (invalidate) and 10-11 (split), a few seconds
# each; a mutant must be caught. Deeper runs and induction: label long.
if(YOSYS_BIN)
  set(NC_FORMAL ${PROJECT_SOURCE_DIR}/scripts/formal_nc.sh)
  set(NC_FORMAL_TMP ${CMAKE_CURRENT_BINARY_DIR}/nc_formal)
  # nc_formal(<name> <depth> <mode> <label> <fusegen nullcache options>)
  function(nc_formal name depth mode label)
    add_test(NAME nullcache_formal.${name}
             COMMAND bash ${NC_FORMAL} ${FUSEGEN_BIN} ${NC_FORMAL_TMP}/${name} ${depth} ${mode}
                     ${ARGN})
    set_tests_properties(nullcache_formal.${name} PROPERTIES LABELS "rtl;nullcache;${label}"
                         TIMEOUT 1800)
  endfunction()
  set(g2 --entries 2 --addr-width 8 --line-bytes 4)
  set(g4 --entries 4 --addr-width 8 --line-bytes 4)
  nc_formal(e2_invalidate 14 bmc formal ${g2})
  nc_formal(e2_split 11 bmc formal ${g2} --store-policy split)
  nc_formal(e4_invalidate 14 bmc formal ${g4})
  nc_formal(e4_split 10 bmc formal ${g4} --store-policy split)
  nc_formal(e2_mutant 12 mutant formal ${g2})
  nc_formal(e4_split_mutant 10 mutant formal ${g4} --store-policy split)
  # Deeper and inductive runs (opt-in).
  nc_formal(e2_invalidate_deep 16 bmc long ${g2})
  nc_formal(e2_split_deep 12 bmc long ${g2} --store-policy split)
  nc_formal(e2_induct 12 induct long ${g2})
  nc_formal(e4_induct 12 induct long ${g4} --store-policy split)
endif()
