#!/usr/bin/env bash
# interrupt_twice.sh DCSIM INPUT WORKDIR - a second interrupt ends a run at
# once (exit status 1, "interrupted again"), leaving its temporary file with
# what was written and nothing at the output's name; the next run to that
# output mentions the stale temporary file (its process is gone).
set -eu
dcsim=$1 input=$2 work=$3
mkdir -p "$work"
out="$work/twice.h5"
rm -f "$out" "$out".tmp.*
"$dcsim" run "$input" -n 1000000 -j 2 -q -o "$out" >/dev/null 2>"$work/twice.err" &
pid=$!
. "$(dirname "$0")/ready.sh"
wait_ready "$out.tmp.$pid" "$pid"
# Two SIGINTs sent back to back can be merged by the kernel into one
# pending signal; SIGTERM (the same handler) then SIGINT cannot, and the
# kernel runs the first handler to its end before it delivers the second.
kill -TERM "$pid"
kill -INT "$pid"
set +e
wait "$pid"
status=$?
set -e
[ "$status" -eq 1 ] || { echo "exit status $status, expected 1"; cat "$work/twice.err"; exit 1; }
grep -q "interrupted again: stopped at once; what was written is left in $out.tmp.$pid" \
  "$work/twice.err" || { echo "no 'interrupted again' message:"; cat "$work/twice.err"; exit 1; }
[ ! -e "$out" ] || { echo "$out was written"; exit 1; }
[ -f "$out.tmp.$pid" ] || { echo "the temporary file is gone"; exit 1; }
"$dcsim" run "$input" -n 2 -q -o "$out" >/dev/null 2>"$work/next.err"
grep -q "note: $out.tmp.$pid is left from a run that did not finish (process $pid is gone)" \
  "$work/next.err" || { echo "the next run does not mention it:"; cat "$work/next.err"; exit 1; }
rm -f "$out" "$out.tmp.$pid"
echo "second interrupt: stopped at once, temporary file left and mentioned"
