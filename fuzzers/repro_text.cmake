# A repro entry's program.txt must be what its input.bin decodes to: the
# replay runs input.bin, readers read program.txt.
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
