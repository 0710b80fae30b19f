#!/usr/bin/env bash
# mpi_module.sh DCSIM WORKDIR - Open MPI is loaded only under a launcher:
# (1) a plain `dcsim run` loads no MPI library (the dynamic loader's own
# record of the objects it opens, LD_DEBUG=files); (2) under a launcher's
# environment with more than one rank, a dcsim whose MPI module is missing
# (the executable copied alone to another directory) fails with exit
# status 1 and an error naming the module's path, and writes no file.
set -eu
dcsim=$1 work=$2
mkdir -p "$work"
rm -rf "$work"/*
in=$(dirname "$0")/../../bench/daly-1024.yaml
LD_DEBUG=files "$dcsim" run "$in" -n 2 -q -o "$work/plain.h5" >/dev/null 2>"$work/ld.txt"
[ -s "$work/plain.h5" ] || { echo "the plain run wrote no file"; exit 1; }
grep -q "file=libc.so" "$work/ld.txt" || { echo "LD_DEBUG=files recorded nothing"; exit 1; }
if grep -Eq "file=.*(libmpi|open-rte|open-pal|dcsim-mpi)" "$work/ld.txt"; then
  echo "a plain run loaded MPI:"
  grep -E "file=.*(libmpi|open-rte|open-pal|dcsim-mpi)" "$work/ld.txt" | head
  exit 1
fi
mkdir -p "$work/alone"
cp "$dcsim" "$work/alone/dcsim"
alone=$(cd "$work/alone" && pwd -P) # as /proc/self/exe names it
rc=0
OMPI_COMM_WORLD_SIZE=2 OMPI_COMM_WORLD_RANK=0 "$work/alone/dcsim" run "$in" -n 2 -q \
  -o "$work/alone.h5" >/dev/null 2>"$work/err.txt" || rc=$?
[ "$rc" = 1 ] || { echo "exit status $rc without the module, expected 1"; exit 1; }
grep -Fq "cannot load the MPI module $alone/dcsim-mpi.so" "$work/err.txt" || {
  echo "the error does not name the module's path:"
  cat "$work/err.txt"
  exit 1
}
[ ! -e "$work/alone.h5" ] || { echo "a file was written without the module"; exit 1; }
echo "no MPI library in a plain run; a missing module is named: $(head -1 "$work/err.txt")"
