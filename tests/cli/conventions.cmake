# The command line's conventions (issue 17), included by CMakeLists.txt:
# every option explained with its default, -V, a scenario or sweep read from
# standard input ("-"), compare's refusal of runs that are not comparable
# (and --pair-anyway), and --subject-to on a sweep's report.

add_test(NAME cli_help_explains_every_option_with_its_default
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/help.sh ${DCSIM})
set_tests_properties(cli_help_explains_every_option_with_its_default PROPERTIES LABELS cli
  TIMEOUT 60)
cli_test(version_short --stdout
  "^dcsim [0-9]+\\.[0-9]+\\.[0-9]+ \\(revision ([0-9a-f]+(-dirty)?|unknown), [A-Za-z]+ build, output format [0-9]+\\)$"
  -- ${DCSIM} -V)

# Standard input: a run writes its file under the scenario's name; errors name <stdin>.
cli_test(run_reads_the_scenario_from_stdin --stdout "cost_usd" --exists small.h5
  -- sh -c "${DCSIM} run - -n 4 -q < ${DATA}/small.yaml")
cli_test(validate_reads_stdin_and_names_it_in_errors --status 2 --absent out.h5
  --stderr "^<stdin>:4:3: cluster.nodez: unknown key"
  -- sh -c "${DCSIM} validate - < ${DATA}/unknown-key.yaml")
cli_test(sweep_reads_the_sweep_from_stdin --stdout "best \\(\\* lowest mean cost_usd\\)"
  --exists crn-interval.h5
  -- sh -c "sed 's|^base: .*|base: ${DATA}/small.yaml|' ${DATA}/crn-sweep.yaml | ${DCSIM} sweep - -n 3 -q")

# compare refuses runs of another seed, replication count or set of points.
cli_test(compare_refuses_other_seeds_and_counts --status 2
  --stderr "a.h5 and b.h5 are not from comparable runs \\(seed 1 against 2. 4 replications against 5\\).*--pair-anyway"
  -- sh -c "${DCSIM} run ${DATA}/small.yaml -n 4 -q -f -o a.h5 >/dev/null &&
             ${DCSIM} run ${DATA}/small.yaml -n 5 --seed 2 -q -f -o b.h5 >/dev/null &&
             ${DCSIM} compare a.h5 b.h5")
cli_test(compare_refuses_other_points --status 2
  --stderr "not from comparable runs \\(1 point against 2"
  -- sh -c "${DCSIM} run ${DATA}/small.yaml -n 3 -q -f -o a.h5 >/dev/null &&
             ${DCSIM} sweep ${DATA}/crn-sweep.yaml -n 3 -q -f -o b.h5 >/dev/null &&
             ${DCSIM} compare a.h5 b.h5")
cli_test(compare_pairs_anyway_when_told --stdout "paired by \\(point, replication\\): 4 pairs"
  -- sh -c "${DCSIM} run ${DATA}/small.yaml -n 4 -q -f -o a.h5 >/dev/null &&
             ${DCSIM} run ${DATA}/small.yaml -n 5 --seed 2 -q -f -o b.h5 >/dev/null &&
             ${DCSIM} compare a.h5 b.h5 --pair-anyway")

# --subject-to: a bad constraint is bad input; one no point can meet says why.
cli_test(report_refuses_a_malformed_constraint --status 2
  --stderr "--subject-to 'p_late < often': 'often' is not a number"
  -- sh -c "${DCSIM} sweep ${DATA}/crn-sweep.yaml -n 3 -q -f -o s.h5 >/dev/null &&
             ${DCSIM} report s.h5 --subject-to 'p_late < often'")
cli_test(report_names_why_no_point_meets_a_constraint
  --stdout "best: none \\(no point meets p_late <= 0.05 with 95% confidence\\)"
  -- sh -c "${DCSIM} sweep ${DATA}/crn-sweep.yaml -n 3 -q -f -o s.h5 >/dev/null &&
             ${DCSIM} report s.h5 --subject-to 'p_late <= 0.05'")

# --precision-for contenders: replications go only to the points that paired
# comparisons cannot yet tell apart from the best. The two points of
# crn-sweep.yaml differ by more than their paired margin after the first
# batch, so both stop there; with `all` both run to --max-replications (a
# 0.5 % half-width is out of reach at 400 replications).
add_test(NAME cli_precision_for_contenders_spends_less COMMAND sh -c
  "${DCSIM} sweep ${DATA}/crn-sweep.yaml -n 20 --precision 0.5% --max-replications 400 --batch 20 -q -f -o all.h5 >/dev/null &&
   ${DCSIM} sweep ${DATA}/crn-sweep.yaml -n 20 --precision 0.5% --max-replications 400 --batch 20 --precision-for contenders -q -f -o cont.h5 >/dev/null &&
   a=$(${DCSIM} report all.h5 --format csv | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == \"replications\") c = i; next } { n += $c } END { print n }') &&
   c=$(${DCSIM} report cont.h5 --format csv | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == \"replications\") c = i; next } { n += $c } END { print n }') &&
   test \"$a\" -eq 800 && test \"$c\" -lt \"$a\""
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(cli_precision_for_contenders_spends_less PROPERTIES LABELS cli TIMEOUT 300)
cli_test(precision_for_takes_all_or_contenders --status 2 --absent out.h5
  --stderr "--precision-for takes all or contenders, got 'some'"
  -- ${DCSIM} sweep ${DATA}/crn-sweep.yaml --precision 1% --precision-for some -o out.h5)
