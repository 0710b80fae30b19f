#!/usr/bin/env bash
# fuzz.sh TARGET SECONDS [libFuzzer options...] - fuzzes one loader for a
# given time: TARGET is scenario, sweep, set or report (tests/fuzz). Builds
# the clang build ./build-fuzz (DCSIM_FUZZ, ASan and UBSan) when needed, then
# runs the target in one process on one core, under nice, with the
# dictionary made from the key table, seeded from its corpus (tests/fuzz/
# corpus/TARGET and the shipped files). New inputs go to
# build-fuzz/fuzz-work/TARGET, crashes to build-fuzz/fuzz-artifacts/TARGET.
# Prints the executions and the coverage (cov: edges, ft: features) at the end;
# exits non-zero when the fuzzer found a crash, leak or hang. Options after
# SECONDS go to libFuzzer: e.g. -fork=1 -ignore_crashes=1 -ignore_timeouts=1
# keeps going after a finding (one worker process at a time), and report
# takes -timeout=10 (a corrupt global heap can make HDF5 1.10 loop forever:
# tests/fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
  echo "usage: tools/fuzz.sh scenario|sweep|set|report SECONDS [libFuzzer options...]" >&2
  exit 2
fi
target=$1 seconds=$2
shift 2
case $target in
  scenario) seeds=(tests/fuzz/corpus/scenario scenarios/lib tests/cli/data) ;;
  sweep) seeds=(tests/fuzz/corpus/sweep scenarios/sweeps) ;;
  set) seeds=(tests/fuzz/corpus/set) ;;
  report) seeds=(tests/fuzz/corpus/report) ;;
  *) echo "fuzz.sh: unknown target $target (scenario, sweep, set or report)" >&2; exit 2 ;;
esac
build=build-fuzz
if [ ! -f $build/CMakeCache.txt ]; then
  CC=${CC:-clang-14} cmake -S . -B $build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDCSIM_FUZZ=ON \
    -DDCSIM_WERROR=ON \
    -DDCSIM_SANITIZE=address,undefined -DDCSIM_PYTHON_TESTS=OFF -DDCSIM_MPI=OFF >/dev/null
fi
if ! cmake --build $build -j 2 --target fuzz_$target >$build/fuzz-build.log 2>&1; then
  cat $build/fuzz-build.log >&2
  exit 1
fi
work=$build/fuzz-work/$target
art=$build/fuzz-artifacts/$target
mkdir -p "$work" "$art"
log=$build/fuzz-$target.log
# report: HDF5 asks malloc for what a corrupt header says (100 TB) and copes
# with NULL, as from a real malloc; ASan would abort (tests/fuzz/README.md).
asan=detect_leaks=1
[ "$target" = report ] && asan=$asan:allocator_may_return_null=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-$asan}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/fuzz/lsan-hdf5.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
set +e
nice "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 \
  -dict="$build/tests/fuzz/dcsim.dict" -timeout=60 -rss_limit_mb=4096 \
  -artifact_prefix="$art/" "$@" "$work" "${seeds[@]}" >"$log" 2>&1
rc=$?
set -e
# The status lines after the seeds and at the end (with -fork=N: the first
# and the last "#execs: cov: ... time: ...").
grep -E '^#[0-9]+.*(INITED|DONE|cov:.*time:)' "$log" | sed -n '1p;$p' || true
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" || true
if [ $rc -ne 0 ]; then
  echo "fuzz.sh: $target stopped with status $rc: see $log and $art" >&2
  grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5 >&2 || true
fi
exit $rc
