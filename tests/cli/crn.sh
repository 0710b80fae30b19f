#!/usr/bin/env bash
# crn.sh DCSIM H5TABLE SWEEP WORKDIR - common random numbers across sweep
# points. SWEEP has two points that differ only in the checkpoint interval.
#
# 1. In every replication r, the two points see the same failures: the
#    `failure` records of /events (t_h, unit = failure class, value) are
#    identical up to the earlier of the two makespans (after it, one of the
#    runs is over).
# 2. The paired difference of makespan (point 1 - point 0, replication by
#    replication) has a smaller standard error than the difference of
#    independent runs (point 1 of a second sweep with another seed, minus
#    point 0). Tolerance: with n = 200 pairs an estimated standard error is
#    within about 1/sqrt(2n) = 5% of its value (1 SE), so for independent
#    samples the two estimates would agree within ~15% (3 SE); the test asks
#    for a paired SE below half the independent one, which only a positive
#    correlation above ~0.7 between the points gives. (Seen: 0.147 h against
#    0.801 h, a ratio of 0.18.)
set -eu
dcsim=$1 h5table=$2 sweep=$3 work=$4
n=200
mkdir -p "$work"
"$dcsim" sweep "$sweep" -n $n --seed 2385 --trace $n -q -f -o "$work/a.h5" >/dev/null
"$dcsim" sweep "$sweep" -n $n --seed 4771 -q -f -o "$work/b.h5" >/dev/null
"$h5table" "$work/a.h5" /summary point replication makespan_h >"$work/mk_a.tsv"
"$h5table" "$work/b.h5" /summary point replication makespan_h >"$work/mk_b.tsv"
"$h5table" "$work/a.h5" /events point replication t_h kind unit value |
  awk -F'\t' '$4 == "failure"' >"$work/failures.tsv"

awk -F'\t' -v n=$n '
  FNR == NR { mk[$1 " " $2] = $3; next }
  {
    lim = mk["0 " $2] < mk["1 " $2] ? mk["0 " $2] : mk["1 " $2]
    if ($3 + 0 < lim + 0) { f[$1 " " $2] = f[$1 " " $2] $3 "/" $5 "/" $6 ";"; total++ }
  }
  END {
    bad = 0
    for (r = 0; r < n; r++)
      if (f["0 " r] != f["1 " r]) {
        if (++bad <= 3) printf "replication %d: point 0 %s\n                point 1 %s\n", r, f["0 " r], f["1 " r]
      }
    if (bad > 0) { printf "%d of %d replications see other failures at the two points\n", bad, n; exit 1 }
    if (total < n) { printf "only %d failures in %d replications: too few to compare\n", total, n; exit 1 }
    printf "the same %d failures (time, class, value) at both points in all %d replications\n", total / 2, n
  }' "$work/mk_a.tsv" "$work/failures.tsv"

awk -F'\t' -v n=$n '
  FNR == NR { a[$1 " " $2] = $3; next }
  { b[$1 " " $2] = $3 }
  END {
    for (r = 0; r < n; r++) {
      d = a["1 " r] - a["0 " r]; sd += d; sdd += d * d
      e = b["1 " r] - a["0 " r]; se += e; see += e * e
    }
    paired = sqrt((sdd - sd * sd / n) / (n - 1) / n)
    indep = sqrt((see - se * se / n) / (n - 1) / n)
    printf "standard error of the makespan difference: paired %.4g h, independent %.4g h\n", paired, indep
    if (!(paired < 0.5 * indep)) { print "the paired standard error is not below half the independent one"; exit 1 }
  }' "$work/mk_a.tsv" "$work/mk_b.tsv"
