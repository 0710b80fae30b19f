#!/usr/bin/env bash
# harness.sh TOUCHMEM HARNESS [ARG...] - checks the benchmarks' timing
# harness (bench/cputime; HARNESS [ARG...] OUT CMD [ARG...] is how it is
# called) on what it must report of a child:
#   - its own peak memory, not the harness's: /bin/true under 4 MiB (it is
#     ~1 MiB alone; under the old Python harness it read Python's ~14 MiB);
#   - peak memory that grows with what the child touches: touchmem 64 peaks
#     64 MiB above touchmem 0, within 1 MiB (the two runs differ only by the
#     64 MiB of written pages; the rest, a few pages of malloc's mapping and
#     of the stack, is measured at well under 1 MiB: a harness whose own
#     floor is above 64 MiB, or that adds its own memory, fails);
#   - the child's exit status (sh -c 'exit 3': 3), 128 + N for a child ended
#     by signal N, and 127 with a message naming a command that cannot start;
#   - three numbers in OUT: CPU seconds, wall seconds, peak kB.
set -euo pipefail
touchmem=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# peak CMD... -> the peak kB the harness wrote for CMD
peak() {
  "$@" >/dev/null
  awk '{print $3}' "$work/out"
}

"${@}" "$work/out" /bin/true || fail "/bin/true: status $?"
awk 'NF == 3 && $1 ~ /^[0-9.]+$/ && $2 ~ /^[0-9.]+$/ && $3 ~ /^[0-9]+$/ {ok = 1}
     END {exit !ok}' "$work/out" || fail "OUT is not 'cpu_s wall_s max_rss_kB': $(cat "$work/out")"
kb=$(awk '{print $3}' "$work/out")
[ "$kb" -lt 4096 ] || fail "/bin/true peaked at $kb kB (>= 4096): the harness's memory, not the child's"
echo "/bin/true: $(cat "$work/out")"

rc=0
"${@}" "$work/out" sh -c 'exit 3' || rc=$?
[ "$rc" -eq 3 ] || fail "sh -c 'exit 3': status $rc, not 3"
rc=0
"${@}" "$work/out" sh -c 'kill -TERM $$' || rc=$?
[ "$rc" -eq 143 ] || fail "a child ended by SIGTERM: status $rc, not 143"
rc=0
"${@}" "$work/out" "$work/no-such-command" 2>"$work/err" || rc=$?
[ "$rc" -eq 127 ] || fail "a command that cannot start: status $rc, not 127"
grep -q "no-such-command" "$work/err" || fail "no message names the command: $(cat "$work/err")"

k0=$(peak "$@" "$work/out" "$touchmem" 0)
k64=$(peak "$@" "$work/out" "$touchmem" 64)
grow=$((k64 - k0))
echo "touchmem 0: $k0 kB, touchmem 64: $k64 kB, growth $grow kB (want 65536 +- 1024)"
if [ "$grow" -lt $((65536 - 1024)) ] || [ "$grow" -gt $((65536 + 1024)) ]; then
  fail "64 MiB touched, but the peak grew by $grow kB"
fi
echo "PASS: the harness reports the child's status and its own peak memory"
