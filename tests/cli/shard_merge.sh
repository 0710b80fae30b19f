#!/usr/bin/env bash
# shard_merge.sh DCSIM INPUT WORKDIR [sweep [OPTION...]] - `dcsim run` (or,
# with `sweep`, `dcsim sweep` with the OPTIONs that follow) split with
# --shard I/K into K parts, for K = 1, 2 and 3, and joined by `dcsim merge`
# (the parts given in reverse order) writes the same datasets, value for
# value and byte for byte, as the run without --shard: /summary, /stats
# (recomputed from the merged rows), the traces /events and /timeseries,
# for a sweep /sweep/points, and every other dataset of the whole run's file
# (/sensitivity for a scenario with uncertain inputs). Every attribute and
# storage property is the same too, but for created_utc and command. Each
# part holds only its share of the rows, so merge cannot have been handed
# the whole run.
set -eu
dcsim=$1 input=$2 work=$3
cmd=run datasets="/summary /stats /events /timeseries" n=10 trace=3 points=1
if [ "${4:-}" = sweep ]; then
  cmd=sweep datasets="$datasets /sweep/points" n=4 trace=1
  shift 4
else
  shift 3
fi
mkdir -p "$work"
rm -f "$work"/*.h5 "$work"/*.bin "$work"/*.txt
common=(-n $n --seed 2385 -j 2 -q --trace $trace "$@")
"$dcsim" $cmd "$input" "${common[@]}" -o "$work/whole.h5" >/dev/null
rows=$(h5dump -a /replications_done "$work/whole.h5" | sed -n 's/^ *(0): *//p' | head -1)
# Every dataset of the whole run's file, these and any other (/sensitivity).
for ds in $(h5ls -r "$work/whole.h5" | awk '$2 == "Dataset" { print $1 }'); do
  case " $datasets " in *" $ds "*) ;; *) datasets="$datasets $ds" ;; esac
done
# Attributes and storage properties (h5dump -A -p) without the provenance
# attributes created_utc and command, whose blocks are cut out whole.
header() {
  h5dump -A -p "$1" | tail -n +2 | awk '
    !skip && /ATTRIBUTE "(created_utc|command)" \{/ { ind = substr($0, 1, index($0, "A") - 1); skip = 1; next }
    skip && $0 == ind "}" { skip = 0; next }
    !skip'
}
header "$work/whole.h5" >"$work/whole.txt"
for ds in $datasets; do
  name=$(echo "${ds#/}" | tr / _)
  h5dump -d "$ds" -bLE -o "$work/$name.whole.bin" "$work/whole.h5" >/dev/null
  [ -s "$work/$name.whole.bin" ] || { echo "$ds: h5dump wrote no bytes"; exit 1; }
done
for k in 1 2 3; do
  parts=()
  for ((i = k - 1; i >= 0; i--)); do
    part="$work/part$i-of$k.h5"
    "$dcsim" $cmd "$input" "${common[@]}" --shard "$i/$k" -o "$part" >/dev/null
    got=$(h5dump -a /replications_done "$part" | sed -n 's/^ *(0): *//p' | head -1)
    want=$(( (rows - i + k - 1) / k ))
    [ "$got" = "$want" ] || { echo "$part holds $got rows, its share is $want of $rows"; exit 1; }
    # Its report says it is a part, and which.
    "$dcsim" report "$part" | grep -q "^part: *--shard $i/$k: the statistics of this share only" ||
      { echo "the report of $part does not say it is part $i/$k"; exit 1; }
    parts+=("$part")
  done
  out="$work/merged$k.h5"
  "$dcsim" merge "${parts[@]}" -q -o "$out" >/dev/null
  for ds in $datasets; do
    if ! h5diff -q "$work/whole.h5" "$out" "$ds" "$ds"; then
      echo "$ds differs between the whole run and $k merged parts"
      h5diff "$work/whole.h5" "$out" "$ds" "$ds" | head -20
      exit 1
    fi
    name=$(echo "${ds#/}" | tr / _)
    h5dump -d "$ds" -bLE -o "$work/$name.$k.bin" "$out" >/dev/null
    if ! cmp -s "$work/$name.whole.bin" "$work/$name.$k.bin"; then
      echo "$ds: the bytes differ between the whole run and $k merged parts"
      exit 1
    fi
  done
  if "$dcsim" report "$out" | grep -q "^part:"; then
    echo "the report of $out, merged from $k parts, says it is a part"; exit 1
  fi
  header "$out" >"$work/merged$k.txt"
  if ! diff "$work/whole.txt" "$work/merged$k.txt" >"$work/attrs$k.diff"; then
    echo "attributes or storage differ between the whole run and $k merged parts:"
    head -20 "$work/attrs$k.diff"
    exit 1
  fi
done
echo "$cmd: $k parts merged give the values, bytes and attributes of $datasets of the whole run (K = 1, 2, 3)"
