# Run CMD (a ;-list) and succeed only if it does not exit 0: an open finding
# must still reproduce, whether it reports, aborts or crashes.
execute_process(COMMAND ${CMD} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(rc EQUAL 0)
  message(FATAL_ERROR "the open finding no longer reproduces: ${CMD}")
endif()
message(STATUS "still reproduces (${rc})")
