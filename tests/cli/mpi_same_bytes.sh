#!/usr/bin/env bash
# mpi_same_bytes.sh DCSIM MPIEXEC INPUT WORKDIR [sweep [OPTION...]] - under
# mpirun with 1, 2 and 3 ranks of one thread, and 2 ranks of 2 threads,
# `dcsim run` (or, with `sweep`, `dcsim sweep` with the OPTIONs that follow,
# e.g. a precision target) writes the same datasets, value for value and
# byte for byte, as one process with one thread: /summary, /stats, the
# traces /events and /timeseries, and for a sweep /sweep/points. The root
# attribute `ranks` says how many ranks wrote the file. Exit status 77
# (skipped) when MPIEXEC is not there.
set -eu
dcsim=$1 mpiexec=$2 input=$3 work=$4
command -v "$mpiexec" >/dev/null 2>&1 || { echo "no $mpiexec: skipped"; exit 77; }
# In a sanitizer build, LeakSanitizer reports Open MPI's own allocations
# (libmpi and its plugins, unloaded at MPI_Finalize, so no suppression can
# name them) and fails every rank; dcsim's leaks are caught by the
# one-process tests. ASan and UBSan errors still end a rank, and the test.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
cmd=run datasets="/summary /stats /events /timeseries" n=24 trace=3
if [ "${5:-}" = sweep ]; then
  cmd=sweep datasets="$datasets /sweep/points" n=4 trace=1
  shift 5
else
  shift 4
fi
mkdir -p "$work"
rm -f "$work"/*.h5 "$work"/*.bin
"$dcsim" $cmd "$input" -n $n --seed 2385 -j 1 -q --trace $trace "$@" -o "$work/one.h5" >/dev/null
for ds in $datasets; do
  name=$(echo "${ds#/}" | tr / _)
  h5dump -d "$ds" -bLE -o "$work/$name.one.bin" "$work/one.h5" >/dev/null
  [ -s "$work/$name.one.bin" ] || { echo "$ds: h5dump wrote no bytes"; exit 1; }
done
for kt in 1x1 2x1 3x1 2x2; do
  k=${kt%x*} t=${kt#*x}
  out="$work/ranks$k-threads$t.h5"
  "$mpiexec" --oversubscribe --allow-run-as-root -n "$k" \
    "$dcsim" $cmd "$input" -n $n --seed 2385 -j "$t" -q --trace $trace "$@" -o "$out" >/dev/null
  for ds in $datasets; do
    if ! h5diff -q "$work/one.h5" "$out" "$ds" "$ds"; then
      echo "$ds differs between one process and $k ranks x $t threads"
      h5diff "$work/one.h5" "$out" "$ds" "$ds" | head -20
      exit 1
    fi
    name=$(echo "${ds#/}" | tr / _)
    h5dump -d "$ds" -bLE -o "$work/$name.$kt.bin" "$out" >/dev/null
    if ! cmp -s "$work/$name.one.bin" "$work/$name.$kt.bin"; then
      echo "$ds: the bytes differ between one process and $k ranks x $t threads"
      exit 1
    fi
  done
  ranks=$(h5dump -a /ranks "$out" | sed -n 's/^ *(0): *//p' | head -1)
  [ "$ranks" = "$k" ] || { echo "$out: ranks = '$ranks', expected $k"; exit 1; }
done
echo "identical values and bytes of $datasets with 1 process and 1, 2, 3 ranks x 1 thread, 2 x 2"
