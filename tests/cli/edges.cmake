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
# A device: a node of our own (mknod of /dev/null's numbers in the test's
# folder), never the machine's /dev/null, which a failing dcsim running as
# root would replace. Without the right to make a node the test is skipped.
add_test(NAME cli_output_device_is_refused COMMAND sh -c
  "mkdir -p ${WORK}/output_device_is_refused && cd ${WORK}/output_device_is_refused || exit 1\n rm -f null && mknod null c 1 3 2>/dev/null || exit 77\n ${DCSIM} run ${DATA}/small.yaml -n 2 -q -f -o null 2>err\n s=$?\n test -c null || exit 9\n [ $s = 2 ] && grep -q '^dcsim: null is a character device. dcsim replaces only regular files' err")
set_tests_properties(cli_output_device_is_refused PROPERTIES LABELS cli TIMEOUT 60
  SKIP_RETURN_CODE 77)
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
# report --html: the page is an output too (issue 17): kept unless --force, and never
# written over the file reported on, even with --force; refused before the report prints.
cli_test(report_keeps_an_existing_page --status 2
  --stderr "^dcsim report: page.html exists. dcsim keeps an existing page: give --force to replace it, or another --html$"
  -- sh -c "${DCSIM} run ${DATA}/small.yaml -n 2 -q -f -o r.h5 >/dev/null && echo mine > page.html && ${DCSIM} report r.h5 --html page.html > out.txt
 s=$?
 grep -qx mine page.html && ! test -s out.txt || exit 9
 exit $s")
cli_test(report_never_writes_its_page_over_the_result --status 2
  --stderr "^dcsim report: --html r.h5 is the file reported on. give another page$"
  -- sh -c "${DCSIM} run ${DATA}/small.yaml -n 2 -q -f -o r.h5 >/dev/null && cp r.h5 r.orig && ${DCSIM} report r.h5 --html r.h5 --force
 s=$?
 cmp -s r.h5 r.orig || exit 9
 exit $s")
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

# A full disk (here a file size limit: SIGXFSZ ignored, so a write that
# passes it fails with EFBIG, as one on a full disk fails with ENOSPC):
# exit status 1, the reason in one line, no HDF5 dump, no crash, nothing at
# the target name and no temporary file; an existing result stays as it was.
cli_test(full_disk_is_one_line_and_leaves_nothing --status 1 --absent out.h5
  --stderr "^dcsim: cannot write out.h5: File too large$"
  -- sh -c "trap '' XFSZ\n ulimit -f 4\n ${DCSIM} run ${DATA}/small.yaml -n 50 -q -o out.h5 2>err\n s=$?\n cat err >&2\n [ $(wc -l < err) = 1 ] || exit 9\n exit $s")
cli_test(full_disk_keeps_the_existing_result --status 1
  --stderr "^dcsim: cannot write out.h5: File too large$"
  -- sh -c "echo mine > out.h5 && rm -f out.h5.tmp.*\n trap '' XFSZ\n ulimit -f 4\n ${DCSIM} run ${DATA}/small.yaml -n 50 -q --force --trace 2 -o out.h5\n s=$?\n grep -qx mine out.h5 && ! ls out.h5.tmp.* 2>/dev/null || exit 9\n exit $s")
cli_test(full_disk_in_a_sweep --status 1 --absent out.h5
  --stderr "^dcsim: cannot write out.h5: File too large$"
  -- sh -c "trap '' XFSZ\n ulimit -f 4\n exec ${DCSIM} sweep ${DATA}/crn-sweep.yaml -n 30 -q -o out.h5")

# One rule for exit statuses: 2 for anything the user gave that is wrong or
# unusable (files, paths, options, values), 1 for the machine's failures.
cli_test(input_is_a_directory --status 2 --absent out.h5
  --stderr "^dcsim: dir is a directory. give a scenario file$"
  -- sh -c "mkdir -p dir && exec ${DCSIM} run dir -q -o out.h5")
cli_test(validate_a_directory --status 2 --stderr "^dcsim: dir is a directory. give a scenario file$"
  -- sh -c "mkdir -p dir && exec ${DCSIM} validate dir")
cli_test(validate_a_device --status 2 --stderr "^dcsim: /dev/zero is a character device. give a scenario file$"
  -- ${DCSIM} validate /dev/zero)
cli_test(sweep_base_is_a_directory --status 2 --absent out.h5
  --stderr "^sw.yaml:2:7: base: dir is a directory. give a scenario file$"
  -- sh -c "mkdir -p dir && printf 'name: s\\nbase: dir\\ndesign:\\n  - grid:\\n      job.mfu: [0.3, 0.4]\\n' > sw.yaml && exec ${DCSIM} sweep sw.yaml -q -o out.h5")
cli_test(sweep_base_is_a_device --status 2 --absent out.h5
  --stderr "^sw.yaml:2:7: base: /dev/zero is a character device"
  -- sh -c "printf 'name: s\\nbase: /dev/zero\\ndesign:\\n  - grid:\\n      job.mfu: [0.3, 0.4]\\n' > sw.yaml && exec ${DCSIM} sweep sw.yaml -q -o out.h5")
cli_test(input_above_the_size_cap --status 2 --absent out.h5
  --stderr "^dcsim: big.yaml holds more than 16 MiB, the most dcsim reads$"
  -- sh -c "head -c 17000000 /dev/zero | tr '\\0' ' ' > big.yaml && exec ${DCSIM} run big.yaml -q -o out.h5")
cli_test(stdin_above_the_size_cap --status 2
  --stderr "^dcsim: <stdin> holds more than 16 MiB, the most dcsim reads$"
  -- sh -c "head -c 17000000 /dev/zero | ${DCSIM} validate -")
cli_test(report_of_a_truncated_file --status 2 --stderr "H5Fopen failed on cut.h5: truncated file"
  -- sh -c "${DCSIM} run ${DATA}/small.yaml -n 3 -q -f -o whole.h5 >/dev/null && head -c 3000 whole.h5 > cut.h5 && exec ${DCSIM} report cut.h5")
cli_test(compare_of_a_truncated_file --status 2 --stderr "H5Fopen failed on cut.h5: truncated file"
  -- sh -c "${DCSIM} run ${DATA}/small.yaml -n 3 -q -f -o whole.h5 >/dev/null && head -c 3000 whole.h5 > cut.h5 && exec ${DCSIM} compare whole.h5 cut.h5")
cli_test(too_many_threads_says_so --status 2 --absent out.h5
  --stderr "^dcsim run: -j 10000 is above 4096, the most threads dcsim starts$"
  -- ${DCSIM} run ${DATA}/small.yaml -j 10000 -o out.h5)
cli_test(yaml_tags_are_refused --status 2 --absent out.h5
  --stderr "^t.yaml:3:7: YAML tags are not supported, got \"tag:yaml.org,2002:binary\""
  -- sh -c "sed 's/^name: /name: !!binary /' ${DATA}/small.yaml > t.yaml && exec ${DCSIM} run t.yaml -q -o out.h5")
cli_test(local_yaml_tags_are_refused --status 2
  --stderr "^t.yaml:[0-9]+:[0-9]+: YAML tags are not supported, got \"!foo\""
  -- sh -c "sed 's/^  nodes: /  nodes: !foo /' ${DATA}/small.yaml > t.yaml && exec ${DCSIM} validate t.yaml")
cli_test(yaml_tags_in_a_sweep_are_refused --status 2
  --stderr "^s.yaml:5:7: YAML tags are not supported"
  -- sh -c "cp ${DATA}/small.yaml . && sed 's/^base: /base: !!str /' ${DATA}/crn-sweep.yaml > s.yaml && exec ${DCSIM} validate s.yaml")
# 100,000 levels (200 KB) took libyaml more than a minute; the depth check
# stops at the 65th. The test's timeout is what fails without it.
cli_test(deep_nesting_is_refused_at_once --status 2
  --stderr "^deep.yaml:1:65: nested more than 64 levels deep, the most dcsim reads$"
  -- sh -c "head -c 100000 /dev/zero | tr '\\0' '[' > deep.yaml && exec ${DCSIM} validate deep.yaml")
set_tests_properties(cli_deep_nesting_is_refused_at_once PROPERTIES TIMEOUT 10)
cli_test(top_level_list_blames_the_file --status 2
  --stderr "^list.yaml:1:1: expected a mapping of scenario keys, got a list$"
  -- sh -c "echo '- a' > list.yaml && exec ${DCSIM} run list.yaml -n 2 --seed 3 -q -o out.h5")
# A thread that cannot start (address space limited below OMP_STACKSIZE x
# threads): OpenMP's runtime exits; exit status 1 and no temporary file.
# Not under the sanitizers, whose shadow memory needs the address space.
if(NOT DCSIM_SANITIZE)
  cli_test(failed_thread_start_leaves_no_temporary_file --status 1 --absent out.h5
    --stderr "Thread creation failed"
    -- sh -c "ulimit -v 4000000 && OMP_STACKSIZE=1G exec ${DCSIM} run ${DATA}/small.yaml -n 50 -q -j 8 -o out.h5")
endif()

# A second SIGINT ends the run at once; the next run mentions what it left.
add_test(NAME cli_second_sigint_ends_at_once
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/interrupt_twice.sh ${DCSIM} ${DATA}/small.yaml ${WORK}/int2)
set_tests_properties(cli_second_sigint_ends_at_once PROPERTIES LABELS cli TIMEOUT 300)
