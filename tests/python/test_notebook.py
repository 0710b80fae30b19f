#!/usr/bin/env python3
"""Runs one notebook of analysis/notebooks against files this test makes
with small dcsim runs (see CASES), through run_notebook.py.

    test_notebook.py CASE

Each case names the notebook, the dcsim runs that make its input files
(one per environment variable the notebook reads) and, for a notebook that
must fail, the error it must fail with.
"""

import subprocess
import sys
from pathlib import Path

from helpers import DATA, DCSIM, LIB, NOTEBOOKS, SOURCE, SWEEPS, WORK, make, make_sweep_file

RUNNER = Path(__file__).resolve().parent / "run_notebook.py"
LLAMA = LIB / "llama3-405b.yaml"
SMALL = SOURCE / "tests/cli/data/small.yaml"
SHOCK = LIB / "supply-shock.yaml"


def hindcast_table(name):
    """WORK/name made by `dcsim hindcast` on the shipped hindcast scenario."""
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / name
    out.unlink(missing_ok=True)
    subprocess.run([DCSIM, "hindcast", str(LIB / "hindcast-2023.yaml"), "-n", "50", "-o",
                    str(out)], check=True, capture_output=True)
    return out


def missing(name):
    """A path with no file: the notebook's second cell makes it with dcsim."""
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / name
    path.unlink(missing_ok=True)
    return path


# case -> (notebook, function returning {environment variable: file}, error regex or None)
CASES = {
    "cost-distribution": ("cost-distribution", lambda: {
        "DCSIM_H5": make("cost.h5", LLAMA, "-n", "30", "--set", "targets.budget_usd=89.5e6")},
        None),
    "cost-distribution-makes-its-file": ("cost-distribution", lambda: {
        "DCSIM_H5": missing("made.h5")}, None),
    "timeline": ("timeline", lambda: {
        "DCSIM_H5": make("timeline.h5", LLAMA, "-n", "2", "--trace", "1",
                         "--sample-every", "10min")},
        None),
    "power-cooling": ("power-cooling", lambda: {
        "DCSIM_H5": make("power.h5", NOTEBOOKS / "power-cooling.yaml", "-n", "10", "--trace", "2")},
        None),
    "power-cooling-other-scenario": ("power-cooling", lambda: {
        "DCSIM_H5": make("inv.h5", DATA / "invariants.yaml", "-n", "10", "--trace", "2")}, None),
    "price-shock": ("price-shock", lambda: {
        "DCSIM_H5": make("shock.h5", SHOCK, "-n", "20", "--trace", "5"),
        "DCSIM_H5_NO_SHOCK": make("no-shock.h5", SHOCK, "-n", "20", "--trace", "5",
                                  "--set", "market.shocks[0].factor=1")}, None),
    "sweep": ("sweep", lambda: {
        "DCSIM_H5": make_sweep_file("sweep.h5", SWEEPS / "supply-shock-x-lead-time.yaml", "-n", "6")},
        None),
    "hindcast": ("hindcast", lambda: {"DCSIM_HINDCAST_CSV": hindcast_table("hindcast.csv")}, None),
    "hindcast-makes-its-table": ("hindcast", lambda: {
        "DCSIM_HINDCAST_CSV": missing("made-hindcast.csv")}, None),
    "price-shock-fails-clearly-without-market": ("price-shock", lambda: {
        "DCSIM_H5": make("shock.h5", SMALL, "-n", "10", "--trace", "2"),
        "DCSIM_H5_NO_SHOCK": make("no-shock.h5", SMALL, "-n", "10", "--trace", "2")},
        r"MissingData: .*/timeseries has no column accelerator_price_usd_per_hour "
        r"\(it is written by dcsim's accelerator market"),
}


def main():
    notebook, files, error = CASES[sys.argv[1]]
    cmd = [sys.executable, str(RUNNER), str(NOTEBOOKS / f"{notebook}.ipynb"),
           "--set", f"DCSIM={DCSIM}"]
    for name, path in files().items():
        cmd += ["--set", f"{name}={path}"]
    if error:
        cmd += ["--expect-error", error]
    return subprocess.run(cmd).returncode


if __name__ == "__main__":
    sys.exit(main())
