# MPI (issue 15): `mpirun -n K dcsim run|sweep` writes the same datasets as
# one process, bad input is reported once, faults end a run cleanly.
# Registered when dcsim is built with MPI; skipped (exit status 77) when
# mpirun is missing at test time.
if(DCSIM_HAVE_MPI)
  if(MPIEXEC_EXECUTABLE)
    set(MPIEXEC ${MPIEXEC_EXECUTABLE})
  else()
    set(MPIEXEC mpirun)
  endif()
  add_test(NAME cli_mpi_run_same_bytes_with_1_2_3_ranks
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/mpi_same_bytes.sh ${DCSIM} ${MPIEXEC}
      ${LIB}/llama3-405b.yaml ${WORK}/mpi-run)
  add_test(NAME cli_mpi_sweep_precision_same_bytes_with_1_2_3_ranks
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/mpi_same_bytes.sh ${DCSIM} ${MPIEXEC}
      ${SWEEPS}/llama3-ckpt-x-bandwidth.yaml ${WORK}/mpi-sweep sweep
      --precision 2% --batch 4 --max-replications 40)
  add_test(NAME cli_mpi_correlated_run_same_bytes_with_1_2_3_ranks
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/mpi_same_bytes.sh ${DCSIM} ${MPIEXEC}
      ${DATA}/uncertain-corr.yaml ${WORK}/mpi-corr)
  add_test(NAME cli_mpi_bad_input_reported_once
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/mpi_bad_input.sh ${DCSIM} ${MPIEXEC} ${WORK}/mpi-bad)
  # Faults: SIGINT and SIGTERM to mpirun stop cleanly; kill -9 of a rank
  # leaves no file at the target path.
  add_test(NAME cli_mpi_sigint_sigterm_to_mpirun_keep_finished_replications
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/mpi_interrupt.sh ${DCSIM} ${MPIEXEC}
      ${LIB}/llama3-405b.yaml ${WORK}/mpi-interrupt)
  add_test(NAME cli_mpi_killed_rank_leaves_no_file
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/mpi_kill_rank.sh ${DCSIM} ${MPIEXEC}
      ${LIB}/llama3-405b.yaml ${WORK}/mpi-kill)
  # Needs no mpirun: a launcher's environment is enough to ask for the module.
  add_test(NAME cli_mpi_plain_run_loads_no_mpi_missing_module_named
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/mpi_module.sh ${DCSIM} ${WORK}/mpi-module)
  set_tests_properties(cli_mpi_plain_run_loads_no_mpi_missing_module_named
    PROPERTIES LABELS "cli;mpi" TIMEOUT 120)
  set_tests_properties(cli_mpi_run_same_bytes_with_1_2_3_ranks
    cli_mpi_correlated_run_same_bytes_with_1_2_3_ranks
    cli_mpi_sweep_precision_same_bytes_with_1_2_3_ranks cli_mpi_bad_input_reported_once
    cli_mpi_sigint_sigterm_to_mpirun_keep_finished_replications cli_mpi_killed_rank_leaves_no_file
    PROPERTIES LABELS "cli;mpi" TIMEOUT 300 SKIP_RETURN_CODE 77)
  # Each test's mpirun keeps its session directory under a folder of its
  # own: with one shared /tmp/ompi.HOST.UID, an mpirun ending (it removes
  # that folder when it looks empty) races one starting in a parallel test
  # ("A call to mkdir was unable to create the desired directory").
  foreach(t run_same_bytes_with_1_2_3_ranks correlated_run_same_bytes_with_1_2_3_ranks
      sweep_precision_same_bytes_with_1_2_3_ranks bad_input_reported_once
      sigint_sigterm_to_mpirun_keep_finished_replications killed_rank_leaves_no_file)
    file(MAKE_DIRECTORY ${WORK}/ompi-${t})
    set_tests_properties(cli_mpi_${t} PROPERTIES
      ENVIRONMENT "OMPI_MCA_orte_tmpdir_base=${WORK}/ompi-${t}")
  endforeach()
endif()
