# Hardened edges (issue 16), included by CMakeLists.txt.
#
# Output paths, checked before the first replication: only a regular file
# that is not an input is ever replaced, and only with --force; a missing or
# unwritable folder is the user's to fix. Each refusal is exit status 2 and
# leaves what was at the path as it was (the `test` after dcsim checks that,
# and its failure is exit status 9, not the 2 the test wants).
cli_test(output_fifo_is_refused --status 2 --stderr "^dcsim: fifo is a FIFO. dcsim replaces only regular files"
  -- sh -c "rm -f fifo && mkfifo fifo && ${DCSIM} run ${DATA}/small.yaml -n 2 -q -o fifo\n s=$?\n test -p fifo || exit 9\n exit $s")
cli_test(output_symlink_to_a_fifo_is_refused --status 2
  --stderr "^dcsim: link is a symbolic link \\(to a FIFO\\). dcsim replaces only regular files"
  -- sh -c "rm -f fifo link && mkfifo fifo && ln -s fifo link && ${DCSIM} run ${DATA}/small.yaml -n 2 -q -o link\n s=$?\n test -L link && test -p fifo || exit 9\n exit $s")
cli_test(output_symlink_to_a_file_is_refused --status 2
  --stderr "^dcsim: link is a symbolic link \\(to a regular file\\)"
  -- sh -c "rm -f file link && echo mine > file && ln -s file link && ${DCSIM} run ${DATA}/small.yaml -n 2 -q -f -o link\n s=$?\n test -L link && grep -qx mine file || exit 9\n exit $s")
cli_test(output_device_is_refused --status 2
  --stderr "^dcsim: /dev/null is a character device. dcsim replaces only regular files"
  -- sh -c "${DCSIM} run ${DATA}/small.yaml -n 2 -q -f -o /dev/null\n s=$?\n test -c /dev/null || exit 9\n exit $s")
cli_test(output_directory_is_refused_before_running --status 2
  --stderr "^dcsim: dir is a directory. -o names the output file"
  -- sh -c "mkdir -p dir && ${DCSIM} run ${DATA}/small.yaml -n 2 -f -o dir\n s=$?\n test -d dir || exit 9\n exit $s")
cli_test(output_is_the_scenario --status 2
  --stderr "^dcsim: x.yaml is the scenario \\(x.yaml\\), an input of this command: give another -o"
  -- sh -c "cp ${DATA}/small.yaml x.yaml && ${DCSIM} run x.yaml -n 2 -q -f -o x.yaml\n s=$?\n cmp -s x.yaml ${DATA}/small.yaml || exit 9\n exit $s")
cli_test(output_is_a_hard_link_to_the_scenario --status 2
  --stderr "^dcsim: y.yaml is the scenario \\(x.yaml\\), an input"
  -- sh -c "rm -f y.yaml && cp ${DATA}/small.yaml x.yaml && ln x.yaml y.yaml && ${DCSIM} run x.yaml -n 2 -q -f -o y.yaml\n s=$?\n cmp -s y.yaml ${DATA}/small.yaml || exit 9\n exit $s")
cli_test(output_is_the_sweeps_base --status 2
  --stderr "^dcsim: small.yaml is the sweep's base \\(./small.yaml\\), an input of this command"
  -- sh -c "cp ${DATA}/small.yaml ${DATA}/crn-sweep.yaml . && ${DCSIM} sweep ./crn-sweep.yaml -n 2 -q -f -o small.yaml\n s=$?\n cmp -s small.yaml ${DATA}/small.yaml || exit 9\n exit $s")
cli_test(output_is_the_sweep --status 2
  --stderr "^dcsim: crn-sweep.yaml is the sweep \\(crn-sweep.yaml\\), an input"
  -- sh -c "cp ${DATA}/small.yaml ${DATA}/crn-sweep.yaml . && ${DCSIM} sweep crn-sweep.yaml -n 2 -q -f -o crn-sweep.yaml\n s=$?\n cmp -s crn-sweep.yaml ${DATA}/crn-sweep.yaml || exit 9\n exit $s")
cli_test(output_is_the_weather_csv --status 2
  --stderr "^dcsim: w.csv is weather.csv \\(./w.csv\\), an input of this command"
  -- sh -c "printf 'hour,temperature_c\\n0,20\\n1,21\\n' > w.csv && sed -e 's/bad-weather-row.csv/w.csv/' ${DATA}/bad-weather-row.yaml > w.yaml && cp w.csv w.orig && ${DCSIM} run ./w.yaml -n 2 -q -f -o w.csv\n s=$?\n cmp -s w.csv w.orig || exit 9\n exit $s")
cli_test(existing_result_is_kept_without_force --status 2
  --stderr "^dcsim: out.h5 exists. dcsim keeps an existing result: give --force to replace it, or another -o$"
  -- sh -c "echo mine > out.h5 && ${DCSIM} run ${DATA}/small.yaml -n 2 -q -o out.h5\n s=$?\n grep -qx mine out.h5 || exit 9\n exit $s")
cli_test(existing_result_is_replaced_with_force --stdout "cost_usd"
  -- sh -c "echo mine > out.h5 && ${DCSIM} run ${DATA}/small.yaml -n 2 -q --force -o out.h5 && ! grep -qx mine out.h5")
cli_test(sweep_keeps_an_existing_result --status 2 --stderr "^dcsim: out.h5 exists. dcsim keeps"
  -- sh -c "echo mine > out.h5 && ${DCSIM} sweep ${DATA}/crn-sweep.yaml -n 2 -q -o out.h5\n s=$?\n grep -qx mine out.h5 || exit 9\n exit $s")
cli_test(output_folder_missing --status 2 --absent nonexistent-dir/out.h5
  --stderr "^dcsim: cannot write nonexistent-dir/out.h5: folder nonexistent-dir: No such file or directory$"
  -- ${DCSIM} run ${DATA}/small.yaml -n 2 -q -o nonexistent-dir/out.h5)
cli_test(output_folder_is_a_file --status 2
  --stderr "^dcsim: cannot write afile/out.h5: afile is not a folder$"
  -- sh -c "echo x > afile && ${DCSIM} run ${DATA}/small.yaml -n 2 -q -o afile/out.h5")
# A read-only folder: root writes anywhere, so the test is skipped as root.
add_test(NAME cli_output_folder_read_only COMMAND sh -c
  "[ \"$(id -u)\" = 0 ] && exit 77\n mkdir -p ro && chmod 555 ro && ${DCSIM} run ${DATA}/small.yaml -n 2 -q -o ro/out.h5 2>err\n s=$?\n chmod 755 ro\n [ $s = 2 ] && grep -q 'cannot write ro/out.h5: folder ro: Permission denied' err && ! ls ro | grep -q ."
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(cli_output_folder_read_only PROPERTIES LABELS cli TIMEOUT 60
  SKIP_RETURN_CODE 77)
