# Limits and runnability checked before anything runs (issue 16, items 4, 5
# and 8), included by CMakeLists.txt. Each scenario is small.yaml with a
# line changed (sed), so that the refusal names its file, line and column:
# exit status 2, nothing written, and `validate` refuses what `run` does.
set(SMALL ${DATA}/small.yaml)

# What the model holds: a node count above the engine's limit is refused at
# the key, before a byte is allocated (it used to validate, then spend 800 MB
# and fail with "cannot allocate 80000001 failure clocks").
foreach(cmd "run n.yaml -q -o out.h5" "validate n.yaml")
  string(REGEX MATCH "^[a-z]+" verb "${cmd}")
  cli_test(${verb}_nodes_above_the_model_limit --status 2 --absent out.h5
    --stderr "^n.yaml:7:10: cluster.nodes: must be <= 4194303 \\(the most the model holds: each node may have four events pending and the engine holds 2\\^24 - 1\\), got 10000000$"
    -- sh -c "sed 's/^  nodes: 4$/  nodes: 10000000/' ${SMALL} > n.yaml && exec ${DCSIM} ${cmd}")
endforeach()
# With a failure clock per accelerator (engine reference), 3 million nodes
# are 24 million clocks: more events than the engine's queue holds.
cli_test(nodes_beyond_the_engine_queue --status 2 --absent out.h5
  --stderr "^n.yaml:7:10: cluster.nodes: a replication may have [0-9]+ events pending at once .*more than the engine's queue holds \\(16777215\\)$"
  -- sh -c "sed -e 's/^  nodes: 4$/  nodes: 3000000/' -e 's/^  replications: 50$/  replications: 50\\n  engine: reference/' ${SMALL} > n.yaml && exec ${DCSIM} run n.yaml -q -o out.h5")
cli_test(accelerators_per_node_above_the_model_limit --status 2
  --stderr "^n.yaml:8:26: cluster.accelerators_per_node: must be <= 65536 \\(far above any server\\), got 100000$"
  -- sh -c "sed 's/^  nodes: 4$/  nodes: 4\\n  accelerators_per_node: 100000/' ${SMALL} > n.yaml && exec ${DCSIM} validate n.yaml")
cli_test(accelerators_above_the_model_limit --status 2 --absent out.h5
  --stderr "^n.yaml:8:26: cluster.accelerators_per_node: 6000000000 accelerators \\(cluster.nodes x accelerators_per_node\\): the model holds at most 2147483647$"
  -- sh -c "sed 's/^  nodes: 4$/  nodes: 100000\\n  accelerators_per_node: 60000/' ${SMALL} > n.yaml && exec ${DCSIM} run n.yaml -q -o out.h5")
cli_test(repair_capacity_above_32_bits --status 2
  --stderr "^n.yaml:9:20: cluster.repair_capacity: must be <= 4294967295 \\(a 32-bit count\\), got 5000000000$"
  -- sh -c "sed 's/^  spare_nodes: 1$/  spare_nodes: 1\\n  repair_capacity: 5000000000/' ${SMALL} > n.yaml && exec ${DCSIM} validate n.yaml")

# Memory: one replication of 4 million nodes needs about 2.9 GB; under a
# 2 GB address-space limit it is refused with the figures, before running.
# Not under the sanitizers, whose shadow memory needs the address space.
if(NOT DCSIM_SANITIZE)
  foreach(cmd "run n.yaml -q -o out.h5" "validate n.yaml")
    string(REGEX MATCH "^[a-z]+" verb "${cmd}")
    cli_test(${verb}_one_replication_above_memory --status 2 --absent out.h5
      --stderr "^n.yaml:7:10: cluster.nodes: one replication of 4000000 nodes x 8 accelerators needs about [0-9.]+ GB .*more than the [0-9.]+ GB this process may use$"
      -- sh -c "sed 's/^  nodes: 4$/  nodes: 4000000/' ${SMALL} > n.yaml && ulimit -v 2000000 && exec ${DCSIM} ${cmd}")
  endforeach()
endif()

# A job that can never progress (item 8): a checkpoint write, or a restart,
# as long as the MTTI (27.8 h here) is refused with the figures, unless the
# scenario says it means it.
foreach(cmd "run n.yaml -q -o out.h5" "validate n.yaml")
  string(REGEX MATCH "^[a-z]+" verb "${cmd}")
  cli_test(${verb}_checkpoint_write_above_the_mtti --status 2 --absent out.h5
    --stderr "^n.yaml:16:13: checkpoint.overhead: the write time 30 h >= the MTTI 27.8 h: almost no checkpoint completes before the next interruption, so the job can never finish. give simulation.allow_no_progress: true to run it anyway$"
    -- sh -c "sed 's/^  write_bandwidth: 10GB.s$/&\\n  overhead: 30h/' ${SMALL} > n.yaml && exec ${DCSIM} ${cmd}")
endforeach()
cli_test(validate_restart_above_the_mtti --status 2
  --stderr "^n.yaml:17:13: restart.overhead: the restart time 30 h \\(overhead, warm-up, checkpoint read\\) >= the MTTI 27.8 h"
  -- sh -c "sed 's/^failures:$/restart:\\n  overhead: 30h\\nfailures:/' ${SMALL} > n.yaml && exec ${DCSIM} validate n.yaml")
cli_test(no_progress_allowed_when_the_scenario_says_so --stdout "^n.yaml: ok \\(small\\)$"
  -- sh -c "sed -e 's/^  write_bandwidth: 10GB.s$/&\\n  overhead: 30h/' -e 's/^  replications: 50$/&\\n  allow_no_progress: true/' ${SMALL} > n.yaml && exec ${DCSIM} validate n.yaml")
cli_test(allow_no_progress_is_kept_in_the_resolved_scenario --stdout "^  allow_no_progress: true$"
  -- sh -c "sed -e 's/^  write_bandwidth: 10GB.s$/&\\n  overhead: 30h/' -e 's/^  replications: 50$/&\\n  allow_no_progress: true/' ${SMALL} > n.yaml && ${DCSIM} validate n.yaml --resolved > r.yaml && exec ${DCSIM} validate r.yaml --resolved")
# Absurd failure rates: a mean time to failure below 1 s, in any form.
cli_test(mtbf_below_a_second --status 2 --absent out.h5
  --stderr "^n.yaml:19:11: failures\\[0\\].mtbf: gives a mean time to failure of 1e-300 s per unit, below 1 s, the least dcsim takes \\(no unit fails that often: check the unit\\)$"
  -- sh -c "sed 's/^    mtbf: 2000h$/    mtbf: 1e-300s/' ${SMALL} > n.yaml && exec ${DCSIM} run n.yaml -q -o out.h5")
cli_test(annual_failure_rate_above_one_a_second --status 2
  --stderr "^n.yaml:19:26: failures\\[0\\].annual_failure_rate: gives a mean time to failure of 0.0316 s per unit, below 1 s"
  -- sh -c "sed 's/^    mtbf: 2000h$/    annual_failure_rate: 1e9/' ${SMALL} > n.yaml && exec ${DCSIM} validate n.yaml")

# A sweep's points are checked by the same loader: a point above the limit,
# or one that cannot progress, is refused at its value in the sweep file.
cli_test(sweep_point_above_the_model_limit --status 2
  --stderr "^sw.yaml:5:26: cluster.nodes: must be <= 4194303 .*got 10000000 \\(point 1\\)$"
  -- sh -c "cp ${SMALL} small.yaml && printf 'name: s\\nbase: small.yaml\\ndesign:\\n  - grid:\\n      cluster.nodes: [4, 10000000]\\n' > sw.yaml && exec ${DCSIM} validate sw.yaml")
cli_test(sweep_point_that_cannot_progress --status 2 --absent out.h5
  --stderr "^sw.yaml:5:35: checkpoint.overhead: the write time 30 h >= the MTTI 27.8 h"
  -- sh -c "cp ${SMALL} small.yaml && printf 'name: s\\nbase: small.yaml\\ndesign:\\n  - grid:\\n      checkpoint.overhead: [1min, 30h]\\n' > sw.yaml && exec ${DCSIM} sweep sw.yaml -q -o out.h5")

# validate runs every check sweep runs: points that do not share their
# /summary columns or their targets, a design that varies the replication
# count (refused by the loader at its key, like the seed), while the sweep's
# own set may give them.
cli_test(validate_sweep_points_must_share_their_columns --status 2
  --stderr "(^|/)bad-sweep-columns.yaml: point 1 has other output columns than point 0"
  -- ${DCSIM} validate ${DATA}/bad-sweep-columns.yaml)
cli_test(validate_sweep_points_must_share_their_targets --status 2
  --stderr "^sw.yaml: targets: point 1 has other targets than point 0"
  -- sh -c "cp ${SMALL} small.yaml && printf 'name: s\\nbase: small.yaml\\ndesign:\\n  - grid:\\n      targets.budget_usd: [1000, 2000]\\n' > sw.yaml && exec ${DCSIM} validate sw.yaml")
# The points' agreement is checked on the worlds the loader's own check
# makes, but the loader's errors, at any point, still come first: point 2
# cannot progress, point 1 has other columns than point 0.
foreach(cmd validate "sweep -q -o out.h5")
  string(REGEX REPLACE " .*" "" name ${cmd})
  cli_test(${name}_loader_error_before_the_points_disagree --status 2 --absent out.h5
    --stderr "^sw.yaml:7:49: checkpoint.overhead: the write time 30 h >= the MTTI 27.8 h.*\\(point 2\\)$"
    -- sh -c "cp ${SMALL} small.yaml && printf 'name: s\\nbase: small.yaml\\ndesign:\\n  - variants:\\n      - {label: plain}\\n      - {label: power, set: {power.server_to_chip_ratio: 1.8}}\\n      - {label: bad, set: {checkpoint.overhead: 30h}}\\n' > sw.yaml && exec ${DCSIM} ${cmd} sw.yaml")
endforeach()
cli_test(sweep_design_varies_the_replications --status 2 --absent out.h5
  --stderr "^sw.yaml:7:11: simulation.replications: the points of a sweep share one seed and one replication count.*\\(or give -n\\), not in the design$"
  -- sh -c "cp ${SMALL} small.yaml && printf 'name: s\\nbase: small.yaml\\ndesign:\\n  - variants:\\n      - label: a\\n        set:\\n          simulation.replications: 5\\n' > sw.yaml && exec ${DCSIM} sweep sw.yaml -q -o out.h5")
cli_test(sweep_set_may_give_the_seed --stdout "ok \\(s, 2 points\\)"
  -- sh -c "cp ${SMALL} small.yaml && printf 'name: s\\nbase: small.yaml\\nset:\\n  simulation.seed: 9\\ndesign:\\n  - grid:\\n      job.mfu: [0.3, 0.4]\\n' > sw.yaml && exec ${DCSIM} validate sw.yaml")

# The time series a --sample-every implies: a step of a nanosecond is
# refused at once (it took 4.1 GB and 36 s before "cannot record a sample").
cli_test(sample_every_a_nanosecond_is_refused_at_once --status 2 --absent out.h5
  --stderr "^dcsim: --sample-every 1e-09 s: the failure-free run alone \\([0-9.]+ h\\) takes [0-9.e+]+ samples per traced replication, more than 10000000, the most dcsim records. give a step of at least [0-9.]+ ms|^dcsim: --sample-every 1e-09 s: the failure-free run alone"
  -- ${DCSIM} run ${SMALL} --sample-every 1e-9s -q -o out.h5)
set_tests_properties(cli_sample_every_a_nanosecond_is_refused_at_once PROPERTIES TIMEOUT 10)
cli_test(sweep_sample_every_a_nanosecond_is_refused_at_once --status 2 --absent out.h5
  --stderr "^dcsim: --sample-every 1e-09 s: the failure-free run alone"
  -- ${DCSIM} sweep ${DATA}/crn-sweep.yaml --sample-every 1e-9s -q -o out.h5)

# Threads x one replication's memory: -j beyond what fits is refused with
# the figures; without -j, only the threads that fit start. (20,000 nodes:
# about 15 MB a replication, under a 1.5 GB address-space limit.)
if(NOT DCSIM_SANITIZE)
  cli_test(threads_above_memory_are_refused --status 2 --absent out.h5
    --stderr "^dcsim: -j: 4000 threads x [0-9.]+ MB \\(a replication each\\) \\+ 0 kB of traces in flight \\(--trace, --sample-every\\) need [0-9.]+ GB, more than the [0-9.]+ GB this process may use$"
    -- sh -c "sed -e 's/^  nodes: 4$/  nodes: 20000/' -e 's/^    mtbf: 2000h$/    mtbf: 2000000h/' ${SMALL} > n.yaml && ulimit -v 1500000 && exec ${DCSIM} run n.yaml -j 4000 -q -o out.h5")
  # A sweep counts every thread at its largest point (point 1 here).
  cli_test(sweep_threads_above_memory_count_the_largest_point --status 2 --absent out.h5
    --stderr "^dcsim: -j: 4000 threads x 1[0-9.]+ MB \\(a replication each\\)"
    -- sh -c "sed -e 's/^    mtbf: 2000h$/    mtbf: 2000000h/' ${SMALL} > small.yaml && printf 'name: s\\nbase: small.yaml\\ndesign:\\n  - grid:\\n      cluster.nodes: [4, 20000]\\n' > sw.yaml && ulimit -v 1500000 && exec ${DCSIM} sweep sw.yaml -j 4000 -q -o out.h5")
  cli_test(default_threads_shrink_to_fit_memory --exists out.h5
    --stderr "^dcsim: [0-9]+ threads, not 400: more would not fit in the [0-9.]+ GB this process may use \\([0-9.]+ MB a replication\\)$"
    -- sh -c "sed -e 's/^  nodes: 4$/  nodes: 20000/' -e 's/^    mtbf: 2000h$/    mtbf: 2000000h/' ${SMALL} > n.yaml && ulimit -v 1500000 && OMP_NUM_THREADS=400 exec ${DCSIM} run n.yaml -n 4 -o out.h5")
endif()
