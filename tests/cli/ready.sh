# ready.sh - sourced by the interrupt tests. wait_ready TMPFILE PID waits
# (at most 120 s) until TMPFILE, the temporary output of process PID, is
# larger than 100 kB: the writer has flushed at least one chunk of rows, so
# replications have finished and the signal handlers are in place. Fails
# when PID ends first or the time is up.
wait_ready() {
  local i=0 size
  while [ "$i" -lt 1200 ]; do
    kill -0 "$2" 2>/dev/null || { echo "dcsim ended before it was ready"; return 1; }
    size=$(stat -c %s "$1" 2>/dev/null || echo 0)
    [ "$size" -gt 100000 ] && return 0
    sleep 0.1
    i=$((i + 1))
  done
  echo "not ready after 120 s: $1 has $size bytes"
  return 1
}
