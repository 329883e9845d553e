# Replay INPUT with BINDRACE (bindrace run) and require the signature in
# SIGFILE's first line: a kept kernel race must still happen in the model,
# or its suppression in known.supp would hide that it no longer does.
file(STRINGS ${SIGFILE} sig LIMIT_COUNT 1)
set(log ${LOG})
execute_process(COMMAND ${BINDRACE} run ${INPUT} RESULT_VARIABLE rc
                OUTPUT_FILE ${log} ERROR_FILE ${log})
execute_process(COMMAND ${BINDRACE} signature --expect ${sig} ${log}
                RESULT_VARIABLE match OUTPUT_VARIABLE got OUTPUT_STRIP_TRAILING_WHITESPACE
                ERROR_QUIET)
if(NOT match EQUAL 0)
  message(FATAL_ERROR "${INPUT} no longer gives '${sig}' (exit ${rc}; got '${got}', log ${log})")
endif()
message(STATUS "still gives: ${got}")
