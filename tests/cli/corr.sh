#!/usr/bin/env bash
# corr.sh DCSIM H5TABLE DATA WORKDIR - rank-correlated uncertain inputs
# end to end (data/uncertain-corr.yaml: failures[0].mtbf, its repair time
# and job.mfu with Spearman correlations 0.6, -0.3 and 0).
#
# 1. The input columns of /summary have the requested Spearman correlation:
#    n = 1024 replications (seed 2385); atanh of each pair's sample Spearman
#    correlation within 4 of its standard errors under independent sampling
#    from a normal copula, sqrt(1.06 / (n - 3)) (Fieller, Hartley and
#    Pearson 1957; Iman and Conover's method only narrows it). The
#    uncorrelated pair with the write bandwidth likewise around 0.
# 2. An identity matrix gives the same bytes in every /summary column as
#    no correlation at all.
# 3. Common random numbers: a file that sets one correlated key to a plain
#    value, or changes another one's distribution, draws the same values of
#    the other keys in every replication.
# 4. Bad input (a matrix that is not positive semi-definite) is refused by
#    run, sweep and validate, and a key that is not uncertain by run: exit
#    status 2, file:line:column, no output.
set -eu
dcsim=$1 h5table=$2 data=$3 work=$4
mkdir -p "$work"
fail=0
scen=$data/uncertain-corr.yaml
cols="input.failures[0].mtbf input.failures[0].repair_time input.job.mfu input.checkpoint.write_bandwidth"

# 1. Spearman correlation of the drawn values
n=1024
"$dcsim" run "$scen" -n $n --seed 2385 -q -f -o "$work/corr.h5" >/dev/null
"$h5table" "$work/corr.h5" /summary $cols >"$work/corr.tsv"
# the rank of each value in its column (ties do not occur: continuous draws)
for c in 1 2 3 4; do
  awk -F'\t' -v c=$c '{ print NR "\t" $c }' "$work/corr.tsv" | sort -t"$(printf '\t')" -k2,2g |
    awk -F'\t' '{ print $1 "\t" NR }' | sort -n | cut -f2 >"$work/rank$c"
done
paste "$work/rank1" "$work/rank2" "$work/rank3" "$work/rank4" | awk -F'\t' -v n=$n '
  function atanh(x) { return 0.5 * log((1 + x) / (1 - x)) }
  { for (i = 1; i <= 4; i++) { s[i] += $i; for (j = i; j <= 4; j++) p[i, j] += $i * $j } }
  END {
    want[1, 2] = 0.6; want[1, 3] = -0.3; want[2, 3] = 0; want[1, 4] = 0; want[2, 4] = 0; want[3, 4] = 0
    band = 4 * sqrt(1.06 / (n - 3)); bad = 0
    for (i = 1; i <= 4; i++) for (j = i + 1; j <= 4; j++) {
      cov = p[i, j] - s[i] * s[j] / n
      r = cov / sqrt((p[i, i] - s[i] ^ 2 / n) * (p[j, j] - s[j] ^ 2 / n))
      d = atanh(r) - atanh(want[i, j]); if (d < 0) d = -d
      printf "inputs %d and %d: Spearman %.4f, asked %.2f (|atanh difference| %.4f, 4 SE %.4f)\n", i, j, r, want[i, j], d, band
      if (d > band) bad = 1
    }
    exit bad
  }' || { echo "the Spearman correlation of the inputs is not the one asked for"; fail=1; }

# 2. an identity matrix is no correlation
sed '/^uncertain:/,/^targets:/{/^targets:/!d}' "$scen" >"$work/none.yaml"
awk '/^      - \[/ { n++; printf "      - [%s, %s, %s]\n", n == 1 ? 1 : 0, n == 2 ? 1 : 0, n == 3 ? 1 : 0; next }
     { print }' "$scen" >"$work/identity.yaml"
grep -q '^uncertain:' "$work/none.yaml" && { echo "none.yaml still has the matrix"; fail=1; }
grep -q -- '- \[0, 1, 0\]' "$work/identity.yaml" || { echo "identity.yaml is not the identity"; fail=1; }
"$dcsim" run "$work/none.yaml" -n 40 -q -f -o "$work/none.h5" >/dev/null
"$dcsim" run "$work/identity.yaml" -n 40 -q -f -o "$work/identity.h5" >/dev/null
all=$("$h5table" "$work/none.h5" /summary --names)
"$h5table" "$work/none.h5" /summary $all >"$work/none.tsv"
"$h5table" "$work/identity.h5" /summary $all >"$work/identity.tsv"
if cmp -s "$work/none.tsv" "$work/identity.tsv"; then
  echo "identity: the same $(echo $all | wc -w) /summary columns as no correlation, byte for byte"
else
  echo "identity: /summary differs from no correlation"; fail=1
fi

# 3. common random numbers with correlated keys
n=300 # more than one block of 256
"$dcsim" run "$scen" -n $n -q -f -o "$work/a.h5" >/dev/null
"$dcsim" run "$scen" -n $n -q -f -o "$work/b.h5" --set 'failures[0].repair_time=1d' >/dev/null
"$dcsim" run "$scen" -n $n -q -f -o "$work/c.h5" --set job.mfu.max=0.45 >/dev/null
crn() { # FILE1 FILE2 COLUMN...: the same values in both
  local f1=$1 f2=$2; shift 2
  "$h5table" "$f1" /summary "$@" >"$work/x1.tsv"
  "$h5table" "$f2" /summary "$@" >"$work/x2.tsv"
  cmp -s "$work/x1.tsv" "$work/x2.tsv"
}
crn "$work/a.h5" "$work/b.h5" 'input.failures[0].mtbf' input.job.mfu input.checkpoint.write_bandwidth &&
  echo "a correlated key set to a plain value: the others draw the same $n values" ||
  { echo "setting failures[0].repair_time moved the other inputs"; fail=1; }
crn "$work/a.h5" "$work/c.h5" 'input.failures[0].mtbf' 'input.failures[0].repair_time' &&
  echo "a correlated key's distribution changed: the others draw the same $n values" ||
  { echo "changing job.mfu's distribution moved the other inputs"; fail=1; }
crn "$work/a.h5" "$work/c.h5" input.job.mfu &&
  { echo "job.mfu.max=0.45 did not change the MFU"; fail=1; }

# 4. not positive semi-definite: refused before anything runs
awk '/^      - \[/ { n++; print n == 1 ? "      - [1, 0.9, -0.9]" : n == 2 ? "      - [0.9, 1, 0]" : "      - [-0.9, 0, 1]"; next }
     { print }' "$scen" >"$work/bad.yaml"
printf 'name: bad-sweep\nbase: bad.yaml\ndesign:\n  - grid:\n      job.flops: [2e21, 3e21]\n' >"$work/bad-sweep.yaml"
want="bad.yaml:[0-9]+:[0-9]+: uncertain.correlation.matrix: is not positive semi-definite"
for cmd in "run $work/bad.yaml -o $work/bad.h5" "sweep $work/bad-sweep.yaml -o $work/bad.h5" \
           "validate $work/bad.yaml"; do
  set +e
  $dcsim $cmd >"$work/out" 2>"$work/err"
  rc=$?
  set -e
  if [ $rc -ne 2 ] || ! grep -Eq "$want" "$work/err" || [ -e "$work/bad.h5" ]; then
    echo "dcsim $cmd: status $rc, $(cat "$work/err")"; fail=1
  fi
done
[ $fail = 0 ] && echo "a matrix that is not positive semi-definite: refused by run, sweep and validate"
# a key that is not uncertain
sed 's/keys: \["failures\[0\].mtbf"/keys: ["failures[1].mtbf"/' "$scen" >"$work/plain-key.yaml"
set +e
"$dcsim" run "$work/plain-key.yaml" -o "$work/bad.h5" 2>"$work/err"
rc=$?
set -e
if [ $rc -ne 2 ] || [ -e "$work/bad.h5" ] || ! grep -Eq \
  'plain-key.yaml:[0-9]+:[0-9]+: uncertain.correlation.keys.0.: failures.1..mtbf is not an uncertain input' "$work/err"; then
  echo "a key that is not uncertain: status $rc, $(cat "$work/err")"; fail=1
fi
exit $fail
