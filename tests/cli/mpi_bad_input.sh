#!/usr/bin/env bash
# mpi_bad_input.sh DCSIM MPIEXEC WORKDIR - under mpirun with 3 ranks, bad
# input is reported once (by rank 0), as file:line:column: key: message,
# the exit status is 2 and no file is written; standard input, which
# reaches rank 0 only, is refused with exit status 2. Exit status 77
# (skipped) when MPIEXEC is not there.
set -eu
dcsim=$1 mpiexec=$2 work=$3
command -v "$mpiexec" >/dev/null 2>&1 || { echo "no $mpiexec: skipped"; exit 77; }
# In a sanitizer build, LeakSanitizer reports Open MPI's own allocations
# (libmpi and its plugins, unloaded at MPI_Finalize, so no suppression can
# name them) and fails every rank; dcsim's leaks are caught by the
# one-process tests. ASan and UBSan errors still end a rank, and the test.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
mkdir -p "$work"
cd "$work"
rm -f bad.h5 stdin.h5
printf 'name: bad\nclusterr: {}\n' > bad.yaml
set +e
"$mpiexec" --oversubscribe --allow-run-as-root -n 3 "$dcsim" run bad.yaml -o bad.h5 \
  >out.txt 2>err.txt
status=$?
set -e
[ "$status" -eq 2 ] || { echo "exit status $status, expected 2"; cat err.txt; exit 1; }
count=$(grep -c '^bad.yaml:2:1: clusterr: ' err.txt || true)
[ "$count" = 1 ] || { echo "the error was printed $count times, expected once"; cat err.txt; exit 1; }
[ ! -e bad.h5 ] || { echo "bad.h5 was written"; exit 1; }
if ls bad.h5.* >/dev/null 2>&1; then echo "a temporary file was left"; exit 1; fi
set +e
"$mpiexec" --oversubscribe --allow-run-as-root -n 2 "$dcsim" run - -o stdin.h5 \
  <bad.yaml >out.txt 2>err.txt
status=$?
set -e
[ "$status" -eq 2 ] || { echo "standard input: exit status $status, expected 2"; exit 1; }
grep -q 'standard input' err.txt || { echo "no message about standard input"; cat err.txt; exit 1; }
[ ! -e stdin.h5 ] || { echo "stdin.h5 was written"; exit 1; }
echo "bad input: one message, exit status 2, nothing written"
