#!/usr/bin/env bash
# dist.sh DCSIM H5TABLE DATA WORKDIR - uncertain inputs end to end.
#
# 1. Zero width: a scenario whose distributions all have zero width gives
#    the same bytes as the plain scenario in every /summary column the plain
#    one has (h5table prints doubles with %.17g, which reads back exactly).
# 2. Common random numbers: two sweep points that differ in one key (the
#    upper end of the MFU's distribution) draw identical values of the other
#    uncertain inputs in every replication, and the two files of a compare
#    (the same scenario, one with that key set by --set) likewise; a point
#    or file that sets the key to a plain value has it in its input column.
# 3. MFU uniform on [a, b] = [0.3, 0.5] with failures off and no
#    checkpoints: the compute time is C / MFU (C = W / (N peak), the same in
#    every replication), so mean compute time = C E[1/MFU] with
#    E[1/MFU] = ln(b/a) / (b - a). Tolerance: 4 standard errors of the
#    sample mean (sample sd / sqrt(n), n = 400 replications, seed 2385).
# 4. What drives the spread, on a cost additive in two inputs with known
#    shares (data/uncertain-additive.yaml): other_usd uniform on
#    [0, 200,000] and the staff cost k x loaded_usd_per_year, the rate
#    uniform on [200,000, 400,000] and k (team x makespan / year) the same in
#    every replication (checked): their first-order indices are
#    Var_i / (Var_other + Var_staff), Var of a uniform (b - a)^2 / 12, and
#    the rest is 0. Each must lie in its 95 % interval of /sensitivity
#    (n = 400 replications, seed 2385; the bootstrap's seed is fixed).
set -eu
dcsim=$1 h5table=$2 data=$3 work=$4
mkdir -p "$work"
fail=0

# 1. zero width
"$dcsim" run "$data/small.yaml" -n 30 -q -f -o "$work/plain.h5" >/dev/null
"$dcsim" run "$data/uncertain-zero.yaml" -n 30 -q -f -o "$work/zero.h5" >/dev/null
cols=$("$h5table" "$work/plain.h5" /summary --names)
"$h5table" "$work/plain.h5" /summary $cols >"$work/plain.tsv"
"$h5table" "$work/zero.h5" /summary $cols >"$work/zero.tsv"
if cmp -s "$work/plain.tsv" "$work/zero.tsv"; then
  echo "zero width: the same $(echo $cols | wc -w) columns, byte for byte"
else
  echo "zero width: the /summary columns differ from the plain scenario's"; fail=1
fi
"$h5table" "$work/zero.h5" /summary input.job.mfu | sort -u | grep -qx 0.40000000000000002 ||
  { echo "zero width: input.job.mfu is not 0.4 throughout"; fail=1; }

# 2. common random numbers, across sweep points and across files
n=40
"$dcsim" sweep "$data/uncertain-sweep.yaml" -n $n -q -f -o "$work/sweep.h5" >/dev/null
"$h5table" "$work/sweep.h5" /summary point replication input.job.mfu \
  'input.checkpoint.write_bandwidth' 'input.failures[0].mtbf' >"$work/sweep.tsv"
awk -F'\t' -v n=$n '
  { k = $2; if ($1 == 0) { m0[k] = $3; o0[k] = $4 " " $5 } else { m1[k] = $3; o1[k] = $4 " " $5 } }
  END {
    bad = 0; moved = 0
    for (r = 0; r < n; r++) {
      if (o0[r] != o1[r]) { bad++; if (bad <= 3) printf "replication %d: %s vs %s\n", r, o0[r], o1[r] }
      if (m0[r] != m1[r]) moved++
    }
    if (bad > 0) { printf "%d of %d replications draw other values at the two points\n", bad, n; exit 1 }
    if (moved < n / 2) { printf "the MFU moved in only %d of %d replications\n", moved, n; exit 1 }
    printf "sweep: the same write bandwidth and GPU MTBF at both points in all %d replications\n", n
  }' "$work/sweep.tsv" || fail=1
"$dcsim" run "$data/uncertain-small.yaml" -n $n -q -f -o "$work/a.h5" >/dev/null
"$dcsim" run "$data/uncertain-small.yaml" -n $n -q -f -o "$work/b.h5" --set job.mfu=0.45 >/dev/null
"$h5table" "$work/a.h5" /summary 'input.failures[0].mtbf' input.checkpoint.write_bandwidth >"$work/a.tsv"
"$h5table" "$work/b.h5" /summary 'input.failures[0].mtbf' input.checkpoint.write_bandwidth >"$work/b.tsv"
if cmp -s "$work/a.tsv" "$work/b.tsv"; then
  echo "compare: the same draws in both files"
else
  echo "compare: the two files draw other values"; fail=1
fi
[ "$("$h5table" "$work/b.h5" /summary input.job.mfu | sort -u)" = 0.45000000000000001 ] ||
  { echo "a key set by --set does not hold its value in its input column"; fail=1; }

# 3. E[1/MFU]
"$dcsim" run "$data/uncertain-mfu.yaml" -n 400 --seed 2385 -q -f -o "$work/mfu.h5" >/dev/null
"$h5table" "$work/mfu.h5" /summary accelerator_hours_productive input.job.mfu >"$work/mfu.tsv"
awk -F'\t' '
  { t = $1 / 32; c = t * $2; if (NR == 1) c0 = c
    if (c / c0 - 1 > 1e-12 || c0 / c - 1 > 1e-12) { printf "row %d: compute time x MFU = %.17g, not %.17g\n", NR, c, c0; bad = 1 }
    s += t; ss += t * t; n++ }
  END {
    if (bad) exit 1
    a = 0.3; b = 0.5; want = c0 * log(b / a) / (b - a)
    mean = s / n; se = sqrt((ss - s * s / n) / (n - 1) / n)
    printf "mean compute time %.6g h, analytic C E[1/MFU] = %.6g h (4 SE = %.3g h)\n", mean, want, 4 * se
    d = mean - want; if (d < 0) d = -d
    if (d > 4 * se) { print "outside 4 standard errors"; exit 1 }
  }' "$work/mfu.tsv" || fail=1
# 4. sensitivity indices with known shares
"$dcsim" run "$data/uncertain-additive.yaml" -n 400 --seed 2385 -q -f -o "$work/add.h5" >/dev/null
"$h5table" "$work/add.h5" /summary cost_staff_usd input.costs.staff.loaded_usd_per_year >"$work/add.tsv"
"$h5table" "$work/add.h5" /sensitivity metric input first_order ci95_low ci95_high |
  awk -F'\t' '$1 == "cost_usd"' >"$work/sens.tsv"
awk -F'\t' '
  FNR == NR { k = $1 / $2; if (NR == 1) k0 = k
              if (k / k0 - 1 > 1e-9 || k0 / k - 1 > 1e-9) { print "staff cost / rate is not constant"; bad = 1 }
              next }
  { want[$2] = 1; s[$2] = $3; lo[$2] = $4; hi[$2] = $5 }
  END {
    if (bad) exit 1
    vo = 200000 ^ 2 / 12; vs = k0 ^ 2 * 200000 ^ 2 / 12
    t["costs.other_usd"] = vo / (vo + vs); t["costs.staff.loaded_usd_per_year"] = vs / (vo + vs); t["(rest)"] = 0
    for (i in t) {
      if (!(i in want)) { printf "/sensitivity has no row for %s\n", i; exit 1 }
      printf "%s: true %.4f, estimate %.4f, interval [%.4f, %.4f]\n", i, t[i], s[i], lo[i], hi[i]
      if (!(lo[i] <= t[i] && t[i] <= hi[i])) { print "outside the interval"; bad = 1 }
    }
    exit bad
  }' "$work/add.tsv" "$work/sens.tsv" || fail=1
exit $fail
