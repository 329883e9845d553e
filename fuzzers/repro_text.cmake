# A repro entry's program.txt must be what its input.bin decodes to (the
# replay runs input.bin, readers read program.txt), and input.bin must be
# the canonical encoding of it: a byte out of its field's range would decode
# differently once an op or action is appended to the tables (prog.h).
#   cmake -DBINDRACE=<bindrace> -DDIR=<repro/id> -P repro_text.cmake
execute_process(COMMAND ${BINDRACE} decode ${DIR}/input.bin
                OUTPUT_VARIABLE decoded RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "bindrace decode ${DIR}/input.bin failed (${rc})")
endif()
file(READ ${DIR}/program.txt text)
if(NOT decoded STREQUAL text)
  message(FATAL_ERROR "${DIR}/program.txt is not what input.bin decodes to; "
          "refresh it: bindrace decode ${DIR}/input.bin > ${DIR}/program.txt")
endif()

set(canon ${CMAKE_CURRENT_BINARY_DIR}/repro-text-canon-${NAME}.bin)
execute_process(COMMAND ${BINDRACE} encode ${DIR}/program.txt -o ${canon}
                OUTPUT_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "bindrace encode ${DIR}/program.txt failed (${rc})")
endif()
file(SHA256 ${canon} want)
file(SHA256 ${DIR}/input.bin have)
file(REMOVE ${canon})
if(NOT want STREQUAL have)
  message(FATAL_ERROR "${DIR}/input.bin is not in canonical form; rewrite it: "
          "bindrace encode ${DIR}/program.txt -o ${DIR}/input.bin")
endif()
