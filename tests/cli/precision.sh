#!/usr/bin/env bash
# precision.sh DCSIM H5TABLE SWEEP WORKDIR - precision targets of dcsim sweep.
#
# 1. --precision 4% adds batches of 10 replications until the 95% CI of the
#    mean cost of every point is within 4% of the mean: /sweep/points says
#    precision_reached = 1 at every point, its ci95_rel_halfwidth is <= 0.04
#    and equals /stats' (ci95_high - mean) / |mean| of cost_usd (to 1e-12,
#    the rounding of the two subtractions), its replications count the
#    point's rows of /summary, each replication 0..n-1 once, and the first
#    batch's rows come first, point-major. The first batch (-n 20) is too
#    small for 4% (the small scenario's cost has a relative sd near 0.2, with
#    a long tail of replications that wait for repairs, so 4% takes about
#    (2.0 x 0.2 / 0.04)^2 = 100 replications): batches are added.
# 2. With a cap of 30 replications and a target of 0.1% no point gets
#    there: precision_reached = 0, 30 replications each, and the report says
#    "0 of 2 points reached it".
set -eu
dcsim=$1 h5table=$2 sweep=$3 work=$4
mkdir -p "$work"
out="$work/p.h5"
"$dcsim" sweep "$sweep" -n 20 --precision 4% --batch 10 --max-replications 400 -q -f -o "$out" \
  >/dev/null
"$h5table" "$out" /sweep/points point replications ci95_rel_halfwidth precision_reached \
  >"$work/points.tsv"
"$h5table" "$out" /summary point replication >"$work/rows.tsv"
"$h5table" "$out" /stats point metric mean ci95_high | awk -F'\t' '$2 == "cost_usd"' \
  >"$work/stats.tsv"
awk -F'\t' '
  FILENAME ~ /\/points\.tsv$/ { reps[$1] = $2; rel[$1] = $3; ok[$1] = $4; np++; next }
  FILENAME ~ /\/stats\.tsv$/ { hw[$1] = ($4 - $3) / ($3 < 0 ? -$3 : $3); next }
  {
    rows[$1]++; seen[$1 " " $2]++
    if (FNR <= 40 && ($1 != int((FNR - 1) / 20) || $2 != (FNR - 1) % 20)) {
      printf "row %d is (%s, %s): the first batch is not first, point-major\n", FNR, $1, $2; bad = 1
    }
  }
  END {
    added = 0
    for (p = 0; p < np; p++) {
      if (ok[p] != 1 || rel[p] > 0.04) { printf "point %d: reached %s, half-width %s\n", p, ok[p], rel[p]; bad = 1 }
      d = rel[p] - hw[p]; if (d < 0) d = -d
      if (d > 1e-12) { printf "point %d: /sweep/points %s, /stats %s\n", p, rel[p], hw[p]; bad = 1 }
      if (rows[p] != reps[p]) { printf "point %d: %d rows, replications %s\n", p, rows[p], reps[p]; bad = 1 }
      for (r = 0; r < reps[p]; r++)
        if (seen[p " " r] != 1) { printf "point %d replication %d: %d rows\n", p, r, seen[p " " r]; bad = 1 }
      if (reps[p] > 20) added = 1
      printf "point %d: %d replications, half-width %.4g of the mean\n", p, reps[p], rel[p]
    }
    if (!added) { print "no batch was added: the test does not test stopping"; bad = 1 }
    exit bad
  }' "$work/points.tsv" "$work/stats.tsv" "$work/rows.tsv"

"$dcsim" sweep "$sweep" -n 20 --precision 0.1% --batch 10 --max-replications 30 -q -f \
  -o "$work/cap.h5" >"$work/cap.txt"
"$h5table" "$work/cap.h5" /sweep/points replications precision_reached |
  awk -F'\t' '$1 != 30 || $2 != 0 { print "capped point: " $0; bad = 1 } END { exit bad }'
grep -q "0 of 2 points reached it" "$work/cap.txt" ||
  { echo "the report does not say that no point reached the target"; cat "$work/cap.txt"; exit 1; }
echo "every point reached 4%; with a cap of 30, none reached 0.1% and the report says so"
