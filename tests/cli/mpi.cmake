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
  set_tests_properties(cli_mpi_run_same_bytes_with_1_2_3_ranks
    cli_mpi_correlated_run_same_bytes_with_1_2_3_ranks
    cli_mpi_sweep_precision_same_bytes_with_1_2_3_ranks cli_mpi_bad_input_reported_once
    cli_mpi_sigint_sigterm_to_mpirun_keep_finished_replications cli_mpi_killed_rank_leaves_no_file
    PROPERTIES LABELS "cli;mpi" TIMEOUT 300 SKIP_RETURN_CODE 77)
endif()
