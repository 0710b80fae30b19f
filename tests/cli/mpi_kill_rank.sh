#!/usr/bin/env bash
# mpi_kill_rank.sh DCSIM MPIEXEC SCENARIO WORKDIR - kill -9 of one rank that
# does not write (of 3) ends the run: a non-zero exit status, a message that
# names the rank and the signal, and no file at the target path. Exit status
# 77 (skipped) when MPIEXEC is not there.
#
# The temporary file of rank 0 may remain: mpirun sends rank 0 SIGTERM and
# then SIGKILL, and rank 0 cannot tell a dead rank from a slow one in that
# time (Open MPI 4.1 reports no failed process to the others), so it is
# killed while it waits for the dead rank's last results. The test says so
# when it finds one; the next run names it (dcsim keeps an existing file,
# and says that a leftover temporary file is stale).
set -eu
dcsim=$1 mpiexec=$2 input=$3 work=$4
command -v "$mpiexec" >/dev/null 2>&1 || { echo "no $mpiexec: skipped"; exit 77; }
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
mkdir -p "$work"
cd "$work"
out=killed.h5
rm -f "$out" "$out".tmp.*
"$mpiexec" --oversubscribe --allow-run-as-root -n 3 \
  "$dcsim" run "$input" -n 1000000 -j 1 -q -o "$out" >kill.out 2>kill.err &
mp=$!
# Ready when rank 0 has made its temporary file (OUT.tmp.PID: its process
# id) and the three ranks, mpirun's children, run.
i=0 tmp=
while :; do
  kill -0 "$mp" 2>/dev/null || { echo "mpirun ended before the run started"; cat kill.err; exit 1; }
  tmp=$(ls "$out".tmp.* 2>/dev/null | head -1 || true)
  [ -n "$tmp" ] && [ "$(pgrep -P "$mp" | wc -l)" -ge 3 ] && break
  [ "$i" -lt 1200 ] || { echo "not started after 120 s"; kill -KILL "$mp"; exit 1; }
  sleep 0.1
  i=$((i + 1))
done
writer=${tmp##*.}
victim=$(pgrep -P "$mp" | grep -vx "$writer" | head -1)
[ -n "$victim" ] || { echo "no rank other than the writer ($writer) found"; exit 1; }
kill -KILL "$victim"
status=0
wait "$mp" || status=$?
[ "$status" -ne 0 ] || { echo "exit status 0 after a rank was killed"; exit 1; }
grep -Eq "rank [12] .*exited on signal 9" kill.err ||
  { echo "no message naming the killed rank:"; cat kill.err; exit 1; }
[ ! -e "$out" ] || { echo "$out was written although a rank died"; exit 1; }
left=$(ls "$out".tmp.* 2>/dev/null || true)
if [ -n "$left" ]; then
  # The next run at that path names what was left, once rank 0's process
  # is gone (mpirun may return before it has been reaped).
  i=0
  while kill -0 "$writer" 2>/dev/null && [ "$i" -lt 300 ]; do
    sleep 0.1
    i=$((i + 1))
  done
  "$dcsim" run "$input" -n 2 -j 1 -q -o "$out" >/dev/null 2>rerun.err
  grep -q "is left from a run that did not finish" rerun.err ||
    { echo "the next run did not mention $left"; cat rerun.err; exit 1; }
fi
echo "a killed rank ended the run: exit status $status, no $out${left:+ (left: $left)}"
