#!/usr/bin/env bash
# determinism.sh DCSIM INPUT WORKDIR [sweep [OPTION...]] - the same seed
# with 1 and 2 threads must give identical datasets: /summary, /stats, the
# traces /events and /timeseries of traced replications, and for a sweep
# /sweep/points. INPUT is a scenario (dcsim run) or, with `sweep`, a sweep
# file (dcsim sweep, with the OPTIONs that follow, e.g. a precision target).
# h5diff compares every value exactly; then each dataset's raw bytes
# (h5dump -bLE; h5dump 1.10 takes the byte order only attached to -b: with
# "-b LE" it writes an empty file) are compared too, and must not be empty.
# The files differ only in the created_utc attribute.
set -eu
dcsim=$1 input=$2 work=$3
cmd=run datasets="/summary /stats /events /timeseries" n=24 trace=3
if [ "${4:-}" = sweep ]; then
  cmd=sweep datasets="$datasets /sweep/points" n=4 trace=1
  shift 4
else
  shift 3
fi
mkdir -p "$work"
"$dcsim" $cmd "$input" -n $n --seed 2385 -j 1 -q -f --trace $trace "$@" -o "$work/j1.h5" >/dev/null
"$dcsim" $cmd "$input" -n $n --seed 2385 -j 2 -q -f --trace $trace "$@" -o "$work/j2.h5" >/dev/null
for ds in $datasets; do
  if ! h5diff -q "$work/j1.h5" "$work/j2.h5" "$ds" "$ds"; then
    echo "$ds differs between 1 and 2 threads"
    h5diff "$work/j1.h5" "$work/j2.h5" "$ds" "$ds" | head -20
    exit 1
  fi
  name=$(echo "${ds#/}" | tr / _)
  h5dump -d "$ds" -bLE -o "$work/$name.1.bin" "$work/j1.h5" >/dev/null
  h5dump -d "$ds" -bLE -o "$work/$name.2.bin" "$work/j2.h5" >/dev/null
  if [ ! -s "$work/$name.1.bin" ]; then
    echo "$ds: h5dump wrote no bytes"
    exit 1
  fi
  if ! cmp -s "$work/$name.1.bin" "$work/$name.2.bin"; then
    echo "$ds: the bytes differ between 1 and 2 threads"
    exit 1
  fi
done
"$dcsim" $cmd "$input" -n $n --seed 2386 -j 2 -q -f "$@" -o "$work/other.h5" >/dev/null
# h5diff calls tables of different lengths "not comparable" and exits 0:
# compare bytes.
h5dump -d /summary -bLE -o "$work/summary.other.bin" "$work/other.h5" >/dev/null
if cmp -s "$work/summary.1.bin" "$work/summary.other.bin"; then
  echo "a different seed gave the same /summary"
  exit 1
fi
echo "identical values and bytes of $datasets with 1 and 2 threads; a different seed differs"
