# Runs a small sweep (or, with -DSTUDY=sensitivity, a small sensitivity
# analysis) with 1 process and with `mpirun -n 2`, and compares the result
# files byte for byte. Arguments: CLI, MPIRUN, SOURCE_DIR, WORK_DIR[, STUDY].
if(NOT DEFINED STUDY)
  set(STUDY sweep)
endif()
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
file(WRITE ${WORK_DIR}/sweep.yaml
"credsim_sweep: 1
scenario: ${SOURCE_DIR}/scenarios/ukraine.yaml
trials: 600
options: [budapest, art5_style, israel_style]
metrics: [p_no_armed_attack_all, p_deal]
factors:
  - {path: guarantors.usa.resolve, range: [0.2, 1.4], steps: 5}
  - path: options.art5_style.commitments[0].ambiguity
    levels: [0, 0.5]
design: {type: grid}
robustness: [{metric: p_no_armed_attack_all, threshold: 0.3}]
sensitivity: {methods: [sobol, morris], samples: 8, bootstrap: 50, trajectories: 4, levels: 4}
")
execute_process(COMMAND ${CLI} ${STUDY} ${WORK_DIR}/sweep.yaml -q -t 1 -o ${WORK_DIR}/one RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "1-process sweep failed: ${rc}")
endif()
execute_process(COMMAND ${MPIRUN} --oversubscribe --allow-run-as-root -n 2 ${CLI} ${STUDY} ${WORK_DIR}/sweep.yaml -q -t 1
                        -o ${WORK_DIR}/two
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mpirun -n 2 sweep failed: ${rc}")
endif()
if(STUDY STREQUAL "sensitivity")
  set(FILES sobol.csv morris.csv)
else()
  set(FILES sweep.csv robustness.csv)
endif()
foreach(f ${FILES})
  file(READ ${WORK_DIR}/one/${f} a)
  file(READ ${WORK_DIR}/two/${f} b)
  if(NOT a STREQUAL b)
    message(FATAL_ERROR "${f} differs between 1 process and 2 MPI ranks")
  endif()
endforeach()
file(READ ${WORK_DIR}/two/sweep_run.json stats)
string(FIND "${stats}" "\"ranks\": 2" found)
if(found EQUAL -1)
  message(FATAL_ERROR "the MPI run did not use 2 ranks: ${stats}")
endif()
message(STATUS "${STUDY}: 1 process and 2 MPI ranks give identical bytes")
