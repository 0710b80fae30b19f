#!/usr/bin/env bash
# interrupt.sh DCSIM INPUT WORKDIR [sweep H5TABLE] - SIGINT stops a run
# (or, with `sweep`, a sweep) cleanly: exit status 1, the file is in place
# and readable, marked complete = 0, and /summary holds exactly
# replications_done rows; for a sweep, /sweep/points' replications add up
# to them too.
set -eu
dcsim=$1 input=$2 work=$3 cmd=${4:-run} h5table=${5:-}
mkdir -p "$work"
out="$work/interrupted-$cmd.h5"
rm -f "$out"
"$dcsim" $cmd "$input" -n 1000000 -j 2 -q -o "$out" >/dev/null 2>"$work/interrupt.err" &
pid=$!
# Ready when the temporary file holds a flushed chunk of /summary rows
# (the handlers are installed before the file is made, and replications
# have finished by then): no fixed sleep that a slow machine could race.
. "$(dirname "$0")/ready.sh"
wait_ready "$out.tmp.$pid" "$pid"
kill -INT "$pid"
set +e
wait "$pid"
status=$?
set -e
[ "$status" -eq 1 ] || { echo "exit status $status, expected 1"; cat "$work/interrupt.err"; exit 1; }
grep -q "interrupted" "$work/interrupt.err" || { echo "no 'interrupted' message"; exit 1; }
[ -f "$out" ] || { echo "no output file after the interrupt"; exit 1; }
attr() { h5dump -a "/$1" "$out" | sed -n 's/^ *(0): *//p' | head -1; }
complete=$(attr complete)
done_reps=$(attr replications_done)
rows=$(h5dump -H -d /summary "$out" | sed -n 's/.*DATASPACE *SIMPLE *{ *( *\([0-9]*\) *).*/\1/p' | head -1)
[ "$complete" = "0" ] || { echo "complete = '$complete', expected 0"; exit 1; }
[ -n "$done_reps" ] && [ "$done_reps" -gt 0 ] || { echo "replications_done = '$done_reps'"; exit 1; }
[ "$rows" = "$done_reps" ] || { echo "/summary has $rows rows, replications_done = $done_reps"; exit 1; }
if [ "$cmd" = sweep ]; then
  sum=$("$h5table" "$out" /sweep/points replications | awk '{ s += $1 } END { print s }')
  [ "$sum" = "$done_reps" ] || { echo "/sweep/points counts $sum replications, replications_done = $done_reps"; exit 1; }
fi
echo "interrupted after $done_reps replications; file complete = 0 and readable"
