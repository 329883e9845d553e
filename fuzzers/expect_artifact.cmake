# Run TARGET on INPUT with libFuzzer's crash handler off (-handle_abrt=0:
# under TSan it can deadlock) and require that the harness itself wrote
# DIR/crash-<sha1 of INPUT> with INPUT's bytes (fuzzers/artifact/).
file(REMOVE_RECURSE ${DIR})
file(MAKE_DIRECTORY ${DIR})
execute_process(COMMAND ${TARGET} -handle_abrt=0 -artifact_prefix=${DIR}/ ${INPUT}
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "${INPUT} did not make ${TARGET} report:\n${err}")
endif()
file(SHA1 ${INPUT} sha)
if(NOT EXISTS ${DIR}/crash-${sha})
  file(GLOB got ${DIR}/*)
  message(FATAL_ERROR "no ${DIR}/crash-${sha} (found: ${got}):\n${err}")
endif()
file(READ ${INPUT} want HEX)
file(READ ${DIR}/crash-${sha} have HEX)
if(NOT want STREQUAL have)
  message(FATAL_ERROR "${DIR}/crash-${sha} does not hold ${INPUT}")
endif()
message(STATUS "crash-${sha} written by the harness")
