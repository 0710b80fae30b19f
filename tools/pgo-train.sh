#!/usr/bin/env bash
# pgo-train.sh DCSIM - the training runs of the profile-guided build
# (tools/build.sh, cmake/DcsimWarnings.cmake): DCSIM, built with
# DCSIM_PGO=generate, runs what users run (a few seconds): the shipped
# scenarios on 1 and 2 threads (the default Llama-3 run, a rented one,
# energy and markets, uncertain inputs, a fine-tuning run), the reference
# engine (so that the fast engine's lead over it is not the profile's), a
# sweep, validation, a report, with outputs in a temporary folder. The benchmark's
# own Daly-style job (bench/daly-1024.yaml) is not among them, so that the
# speed it measures is what a scenario it was not trained on gets.
set -euo pipefail
dcsim=$(realpath "$1")
cd "$(dirname "$0")/.."
lib=scenarios/lib
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() { "$dcsim" "$@" >/dev/null; }
run run "$lib/llama3-405b.yaml" -n 200 -j 2 -q -o "$work/a.h5"
run run "$lib/llama3-405b.yaml" -n 100 -j 1 -q -o "$work/b.h5"
run run "$lib/llama3-405b.yaml" -n 1 -q -o "$work/c.h5"
run run "$lib/llama3-405b-rented.yaml" -n 40 -j 2 -q -o "$work/d.h5"
run run "$lib/llama3-405b-uncertain.yaml" -n 40 -j 2 -q -o "$work/e.h5"
run run "$lib/deepseek-v3.yaml" -n 20 -q -o "$work/f.h5"
run run "$lib/gpt3-v100.yaml" -n 200 -q -o "$work/g.h5"
run run "$lib/hot-climate.yaml" -n 20 -q -o "$work/h.h5"
run run "$lib/supply-shock.yaml" -n 20 -q -o "$work/i.h5"
run run "$lib/sft-small.yaml" -n 500 -q -o "$work/j.h5"
run run "$lib/lora-small.yaml" -n 500 -q -o "$work/k.h5"
run run "$lib/llama3-405b.yaml" -n 4 --trace 2 -q -o "$work/l.h5"
run run "$lib/llama3-405b.yaml" -n 10 --set simulation.engine=reference -q -o "$work/n.h5"
run sweep scenarios/sweeps/llama3-spares-x-repair.yaml -n 20 -j 2 -q -o "$work/m.h5"
run validate "$lib/llama3-405b.yaml"
run report "$work/a.h5"
