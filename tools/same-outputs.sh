#!/usr/bin/env bash
# same-outputs.sh A B - two builds of dcsim (A, B: paths of the program) give
# the same data sets and reports: every shipped scenario (6 replications on
# 2 threads, 2 of them traced) and sweep (4 replications a point), compared
# as h5dump prints /summary, /stats, /events, /timeseries and a sweep's
# whole file (less the command line, the creation time and the revision),
# and the report's text. tools/test.sh runs it on the plain build against
# the profile-guided Release one (tools/build.sh): the profile may move and
# inline code, never change a result.
set -euo pipefail
a=$(realpath "$1")
b=$(realpath "$2")
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/a" "$work/b" # the same file name in each: the report names it
n=0
bad=0
# A run's data sets.
dump_run() {
  h5dump -d /summary -d /stats "$1" | tail -n +2
  h5dump -d /events -d /timeseries "$1" 2>/dev/null | tail -n +2 || true
}
# The whole file, less the attributes that name the run rather than its results.
dump_sweep() {
  h5dump "$1" | tail -n +2 | awk '
    /ATTRIBUTE "(command|created_utc|dcsim_revision)"/ { skip = 1; depth = 0 }
    skip { depth += gsub(/{/, "{") - gsub(/}/, "}"); if (depth <= 0) skip = 0; next }
    { print }'
}
# compare DUMP FILE ARGS...: both programs run the command ARGS on FILE;
# their reports and DUMPs of out.h5 must be the same.
compare() {
  local dump=$1 file=$2 v exe
  shift 2
  for v in a b; do
    exe=$a
    [ "$v" = b ] && exe=$b
    (cd "$work/$v" && "$exe" "$1" "$OLDPWD/$file" "${@:2}" -q -f -o out.h5 >report)
    "$dump" "$work/$v/out.h5" >"$work/$v/dump"
  done
  n=$((n + 1))
  if ! cmp -s "$work/a/dump" "$work/b/dump" || ! cmp -s "$work/a/report" "$work/b/report"; then
    echo "differ: $file"
    bad=$((bad + 1))
  fi
}
for s in scenarios/lib/*.yaml scenarios/lib/patterson/*.yaml; do
  compare dump_run "$s" run -n 6 -j 2 --trace 2
done
for s in scenarios/sweeps/*.yaml; do
  compare dump_sweep "$s" sweep -n 4 -j 2
done
if [ "$bad" -gt 0 ]; then
  echo "FAIL: $bad of $n scenarios and sweeps give other outputs"
  exit 1
fi
echo "same outputs: $n scenarios and sweeps"
