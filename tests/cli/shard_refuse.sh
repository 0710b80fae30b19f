#!/usr/bin/env bash
# shard_refuse.sh DCSIM H5SETATTR LIBDIR WORKDIR - `dcsim merge` refuses,
# with exit status 2, a message naming the offending part and no output
# file, parts that do not make one run: a part of another seed, of another
# scenario, of another sweep, of another dcsim version, of another K, an
# interrupted part, a missing part (named by its index), a part given twice,
# a file that is no part; and an output path that is one of the parts, or
# an existing file without --force. `--shard` with `--precision` is refused
# too. The same parts, complete and once each, merge (exit status 0): the
# refusals are the checks', not a broken merge.
set -eu
dcsim=$1 setattr=$2 lib=$3 work=$4
mkdir -p "$work"
rm -f "$work"/*.h5 "$work"/*.err
run() { "$dcsim" run "$lib/$1" -n 5 --seed 11 -j 1 -q "${@:2}" >/dev/null; }
for i in 0 1 2; do run llama3-405b.yaml --shard $i/3 -o "$work/p$i.h5"; done
run llama3-405b.yaml --shard 1/3 --seed 12 -o "$work/seed12.h5"
run sft-small.yaml --shard 1/3 -o "$work/other.h5"
run llama3-405b.yaml --shard 1/2 -o "$work/k2.h5"
run llama3-405b.yaml -o "$work/whole.h5"
# Two sweeps: the same sweep file with another base (--set): parts of
# different sweeps.
sweep=$(dirname "$0")/data/crn-sweep.yaml
"$dcsim" sweep "$sweep" -n 3 --seed 11 -j 1 -q --shard 0/2 -o "$work/sw0.h5" >/dev/null
"$dcsim" sweep "$sweep" -n 3 --seed 11 -j 1 -q --shard 1/2 --set checkpoint.size=200GB \
  -o "$work/sw1.h5" >/dev/null
cp "$work/p1.h5" "$work/version.h5"
"$setattr" "$work/version.h5" dcsim_version 0.0.1-other
cp "$work/p1.h5" "$work/cut.h5"
"$setattr" "$work/cut.h5" complete 0
"$setattr" "$work/cut.h5" replications_done 1

# refuse NAME STDERR-REGEX PART... : merge exits 2, says it, writes nothing.
refuse() {
  local name=$1 want=$2
  shift 2
  local out="$work/out-$name.h5" status=0
  "$dcsim" merge "$@" -o "$out" >/dev/null 2>"$work/$name.err" || status=$?
  if [ "$status" != 2 ]; then
    echo "$name: exit status $status, expected 2"; cat "$work/$name.err"; exit 1
  fi
  if ! grep -Eq -- "$want" "$work/$name.err"; then
    echo "$name: the message does not match '$want':"; cat "$work/$name.err"; exit 1
  fi
  if ls "$work"/out-"$name".h5* >/dev/null 2>&1; then
    echo "$name: merge left a file behind:"; ls "$work"/out-"$name".h5*; exit 1
  fi
}
w=$work
refuse seed "^$w/seed12.h5: seed: has seed 12, $w/p0.h5 has seed 11" "$w/p0.h5" "$w/seed12.h5" "$w/p2.h5"
refuse scenario "^$w/other.h5: part_digest: comes from another run than $w/p0.h5" \
  "$w/p0.h5" "$w/other.h5" "$w/p2.h5"
refuse sweep "^$w/sw1.h5: part_digest: comes from another run than $w/sw0.h5" "$w/sw0.h5" "$w/sw1.h5"
refuse version "^$w/version.h5: dcsim_version: made by dcsim 0.0.1-other .*one dcsim build" \
  "$w/p0.h5" "$w/version.h5" "$w/p2.h5"
refuse k "^$w/k2.h5: part_count: is one of 2 parts, $w/p0.h5 one of 3" "$w/p0.h5" "$w/k2.h5" "$w/p2.h5"
refuse interrupted "^$w/cut.h5: complete: is incomplete .*--shard 1/3 again" "$w/p0.h5" "$w/cut.h5" "$w/p2.h5"
refuse missing "part 1 of 3 \(--shard 1/3\) is missing" "$w/p2.h5" "$w/p0.h5"
refuse twice "^$w/p1.h5: part_index: is part 1 of 3, and so is $w/p1.h5" \
  "$w/p0.h5" "$w/p1.h5" "$w/p1.h5" "$w/p2.h5"
refuse whole "^$w/whole.h5: not a part of a sharded run" "$w/p0.h5" "$w/whole.h5"
refuse absent "cannot open $w/absent.h5" "$w/p0.h5" "$w/absent.h5"

status=0
"$dcsim" merge "$w/p0.h5" "$w/p1.h5" "$w/p2.h5" -o "$w/p1.h5" >/dev/null 2>"$w/self.err" || status=$?
[ "$status" = 2 ] && grep -q "an input of this command" "$w/self.err" ||
  { echo "merge onto one of its parts: status $status"; cat "$w/self.err"; exit 1; }
"$dcsim" merge "$w/p2.h5" "$w/p0.h5" "$w/p1.h5" -q -o "$w/merged.h5" >/dev/null
[ -f "$w/merged.h5" ] || { echo "the complete parts did not merge"; exit 1; }
status=0
"$dcsim" merge "$w/p2.h5" "$w/p0.h5" "$w/p1.h5" -q -o "$w/merged.h5" >/dev/null 2>"$w/exists.err" ||
  status=$?
[ "$status" = 2 ] && grep -q "give --force" "$w/exists.err" ||
  { echo "merge over an existing file without --force: status $status"; exit 1; }
"$dcsim" merge "$w/p2.h5" "$w/p0.h5" "$w/p1.h5" -q -f -o "$w/merged.h5" >/dev/null
status=0
"$dcsim" sweep "$lib/../sweeps/llama3-ckpt-x-bandwidth.yaml" --shard 0/2 --precision 1% \
  -o "$w/prec.h5" 2>"$w/prec.err" || status=$?
[ "$status" = 2 ] && grep -q "shard cannot go with --precision" "$w/prec.err" && [ ! -e "$w/prec.h5" ] ||
  { echo "--shard with --precision: status $status"; cat "$w/prec.err"; exit 1; }
echo "merge refused other seeds, scenarios, sweeps, versions, K, an interrupted, a missing and a doubled part"
