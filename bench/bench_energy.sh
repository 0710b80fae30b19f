#!/usr/bin/env bash
# bench_energy.sh BUILD_DIR - the cost of the energy model on the
# Llama-3-scale scenario: replications per second on one thread with and
# without a power section whose weather (seasonal and daily cycles plus
# Ornstein-Uhlenbeck noise) and stochastic electricity price step every
# hour, ~1,800 steps per replication of ~75 days. The "with energy" run is
# the same file with --set overrides, so the two differ only in the energy
# model. The file is the rented Llama 3 run (no power section: the default,
# owned, has one). Each figure is the median of REPEATS runs (default 5) of
# N_RATE replications (default 1000); the two kinds of run alternate, so
# that a change in the machine's load falls on both.
# Requirement checked: the slowdown is at most 25 %.
set -euo pipefail
build=${1:-build}
repeats=${REPEATS:-5}
n_rate=${N_RATE:-1000}
dcsim="$build/cli/dcsim"
scenario="$(dirname "$0")/../scenarios/lib/llama3-405b-rented.yaml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || { echo "bench_energy.sh needs GNU time (apt-get install time)"; exit 2; }

# An illustrative temperate site, not a calibrated one: a chiller
# (cooling.model cop, so the weather matters), 15 C mean, 10 K seasonal and
# 5 K daily amplitude, 2 K of noise; a price 10 % dearer in summer with a
# log-sd of 0.2. Every other energy key keeps its default (docs/scenarios.md).
energy=(--set power.step=1h --set cooling.model=cop --set weather.mean=15C
  --set weather.seasonal_amplitude=10 --set weather.daily_amplitude=5 --set weather.noise_sd=2
  --set electricity.model=stochastic --set electricity.seasonal_amplitude=0.1
  --set electricity.noise_sd=0.2)

# run_once [ARGS...] -> prints the wall-clock seconds of one run
run_once() {
  /usr/bin/time -f "%e" -o "$work/time" \
    "$dcsim" run "$scenario" -n "$n_rate" -j 1 -q -f -o "$work/out.h5" "$@" >/dev/null
  cat "$work/time"
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

"$dcsim" validate "$scenario" "${energy[@]}" >/dev/null
echo "Llama-3-scale scenario, 1 thread, $n_rate replications per run: $scenario"
base=() with=()
for _ in $(seq "$repeats"); do
  base+=("$(run_once)")
  with+=("$(run_once "${energy[@]}")")
done
printf "%-22s %-10s %-10s %s\n" run "median s" "reps/s" "runs (s)"
mb=$(printf "%s\n" "${base[@]}" | median)
mw=$(printf "%s\n" "${with[@]}" | median)
rb=$(awk -v n="$n_rate" -v t="$mb" 'BEGIN {printf "%.1f", n / t}')
rw=$(awk -v n="$n_rate" -v t="$mw" 'BEGIN {printf "%.1f", n / t}')
printf "%-22s %-10s %-10s %s\n" "without power section" "$mb" "$rb" "${base[*]}"
printf "%-22s %-10s %-10s %s\n" "with energy model" "$mw" "$rw" "${with[*]}"
ratio=$(awk -v a="$rb" -v b="$rw" 'BEGIN {printf "%.3f", b / a}')
slow=$(awk -v a="$rb" -v b="$rw" 'BEGIN {printf "%.1f", 100 * (a / b - 1)}')
echo "with / without: ${ratio} of the rate; slowdown ${slow}% (requirement <= 25%)"
if awk -v s="$slow" 'BEGIN {exit !(s <= 25)}'; then
  echo "PASS: energy benchmark requirement met"
else
  echo "FAIL: the energy model slows the run by more than 25%"
  exit 1
fi
