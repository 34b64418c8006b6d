# Regression check for one reference scenario (run by CTest):
#   cmake -DCLI=... -DCASE_DIR=... -DWORK_DIR=... -DTHREADS=N -P check.cmake
# CASE_DIR holds `case.cmake` (SCENARIO relative to the source tree, SEED,
# TRIALS) and `expected/` with the files a run must reproduce byte for byte.
# Set CREDSIM_UPDATE_REGRESSION=1 to rewrite `expected/` from this run.
include(${CASE_DIR}/case.cmake)
get_filename_component(SOURCE_DIR "${CASE_DIR}/../../.." ABSOLUTE)
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(
  COMMAND ${CLI} run ${SOURCE_DIR}/${SCENARIO} --seed ${SEED} --trials ${TRIALS}
          --threads ${THREADS} --out ${WORK_DIR} --quiet
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "credsim run failed (${rc}):\n${out}\n${err}")
endif()
set(FILES summary.json summary.csv survival.csv)
if(DEFINED ENV{CREDSIM_UPDATE_REGRESSION})
  file(MAKE_DIRECTORY ${CASE_DIR}/expected)
  foreach(f ${FILES})
    file(COPY_FILE ${WORK_DIR}/${f} ${CASE_DIR}/expected/${f})
  endforeach()
  message(STATUS "updated ${CASE_DIR}/expected")
  return()
endif()
foreach(f ${FILES})
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK_DIR}/${f} ${CASE_DIR}/expected/${f}
                  RESULT_VARIABLE differ)
  if(NOT differ EQUAL 0)
    message(FATAL_ERROR "${f} differs from ${CASE_DIR}/expected/${f} (threads=${THREADS}).\n"
                        "If the change is intended, rerun with CREDSIM_UPDATE_REGRESSION=1 and review the diff.")
  endif()
endforeach()
