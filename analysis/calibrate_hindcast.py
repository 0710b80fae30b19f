#!/usr/bin/env python3
"""Calibrates the hindcast scenario's market to the observed price series.

    calibrate_hindcast.py [--dcsim PATH] [--scenario FILE] [-n N] [--seed S] [--iterations K]

Runs `dcsim hindcast` (the market's paths against market.observed, analysis/hindcast.h) with
fixed seeds and searches five market parameters by Nelder-Mead, in log space:

    elasticity, demand_noise_sd, lead_time (weeks), the demand shock's factor - 1 and its
    ramp (days)

The objective is the mean absolute log error of the median path over the published months,
plus half the shortfall of the 90 % band's coverage below 0.9 (a band that misses the record
is penalised; one that holds it is not rewarded further). The search starts from the
scenario's own values; every evaluation uses the same seed and replications (common random
numbers), so the objective is a deterministic function of the parameters. It prints the best
values and their figures of fit; the shipped values of scenarios/lib/hindcast-2023.yaml were
set from its output (their comments say "[CAL]").

Standard library only: no SciPy on the project's machines.
"""

import argparse
import csv
import math
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# name, --set key, start value, to the key's text
PARAMS = [
    ("elasticity", "market.elasticity", 0.5, lambda v: f"{v:.4g}"),
    ("demand_noise_sd", "market.demand_noise_sd", 0.05, lambda v: f"{v:.4g}"),
    ("lead_time_weeks", "market.lead_time", 28.0, lambda v: f"{v:.4g}w"),
    ("shock_factor_minus_1", "market.shocks[0].factor", 0.5, lambda v: f"{1 + v:.4g}"),
    ("shock_ramp_days", "market.shocks[0].ramp", 150.0, lambda v: f"{v:.4g}d"),
]


def evaluate(args, values, out):
    """The figures of fit at values: (objective, mean abs log error, median abs log error,
    coverage)."""
    cmd = [args.dcsim, "hindcast", str(args.scenario), "-n", str(args.n), "--seed",
           str(args.seed), "-o", str(out), "--force"]
    for (_, key, _, text), v in zip(PARAMS, values):
        cmd += ["--set", f"{key}={text(v)}"]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        return math.inf, math.nan, math.nan, math.nan
    errs, inside = [], 0
    with open(out, newline="") as f:
        for row in csv.DictReader(f):
            if row["published"] != "1":
                continue
            obs, med = float(row["observed_usd_per_hour"]), float(row["median"])
            errs.append(abs(math.log(obs / med)))
            inside += float(row["p05"]) <= obs <= float(row["p95"])
    mean = sum(errs) / len(errs)
    s = sorted(errs)
    median = (s[(len(s) - 1) // 2] + s[len(s) // 2]) / 2
    coverage = inside / len(errs)
    return mean + 0.5 * max(0.0, 0.9 - coverage), mean, median, coverage


def nelder_mead(f, x0, step=0.2, iterations=60):
    """Minimizes f over log-parameters from x0 (standard coefficients 1, 2, 0.5, 0.5)."""
    n = len(x0)
    simplex = [list(x0)] + [[x + (step if i == j else 0.0) for j, x in enumerate(x0)]
                            for i in range(n)]
    values = [f(p) for p in simplex]
    for _ in range(iterations):
        order = sorted(range(n + 1), key=lambda i: values[i])
        simplex = [simplex[i] for i in order]
        values = [values[i] for i in order]
        centroid = [sum(p[j] for p in simplex[:-1]) / n for j in range(n)]
        worst = simplex[-1]
        reflect = [c + (c - w) for c, w in zip(centroid, worst)]
        fr = f(reflect)
        if fr < values[0]:
            expand = [c + 2 * (c - w) for c, w in zip(centroid, worst)]
            fe = f(expand)
            simplex[-1], values[-1] = (expand, fe) if fe < fr else (reflect, fr)
        elif fr < values[-2]:
            simplex[-1], values[-1] = reflect, fr
        else:
            contract = [c + 0.5 * (w - c) for c, w in zip(centroid, worst)]
            fc = f(contract)
            if fc < values[-1]:
                simplex[-1], values[-1] = contract, fc
            else:
                best = simplex[0]
                simplex = [best] + [[b + 0.5 * (x - b) for b, x in zip(best, p)]
                                    for p in simplex[1:]]
                values = [values[0]] + [f(p) for p in simplex[1:]]
    i = min(range(n + 1), key=lambda k: values[k])
    return simplex[i], values[i]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dcsim", default=str(ROOT / "build/cli/dcsim"))
    ap.add_argument("--scenario", type=Path, default=ROOT / "scenarios/lib/hindcast-2023.yaml")
    ap.add_argument("-n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--iterations", type=int, default=60)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "fit.csv"
        x0 = [math.log(p[2]) for p in PARAMS]
        start = evaluate(args, [p[2] for p in PARAMS], out)
        print(f"start: objective {start[0]:.4f}, mean abs log error {start[1]:.4f}, "
              f"median {start[2]:.4f}, coverage {start[3]:.2f}")
        best, _ = nelder_mead(lambda x: evaluate(args, [math.exp(v) for v in x], out)[0], x0,
                              iterations=args.iterations)
        values = [math.exp(v) for v in best]
        fit = evaluate(args, values, out)
    print(f"best:  objective {fit[0]:.4f}, mean abs log error {fit[1]:.4f}, "
          f"median {fit[2]:.4f}, coverage {fit[3]:.2f}")
    for (name, key, _, text), v in zip(PARAMS, values):
        print(f"  {key} = {text(v)}    ({name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
