#!/usr/bin/env python3
"""Executes a notebook top to bottom, as the notebook tests do.

    run_notebook.py NOTEBOOK [--set NAME=VALUE]... [--timeout S]
                    [--expect-error REGEX]

The kernel (python3, the interpreter running this script) starts in the
notebook's own folder, whatever the current directory, and inherits the
environment with each --set NAME=VALUE added (DCSIM_H5, DCSIM, ...). The
executed notebook is not written back: the stored one stays without
outputs. Exit status 0 when every cell ran; 1 with the failing cell's error
otherwise, or when a cell that draws a figure shows no image. With
--expect-error the run must instead fail, in a cell whose error matches
the regular expression (a notebook that must fail clearly).
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


# A cell that calls one of these draws a figure, and must show it.
DRAWS = re.compile(r"\bplots\.(cost_distribution|cost_components|timeline|power_cooling|"
                   r"price_paths|compare_costs|sweep_metric|sweep_heatmap|sweep_risk|"
                   r"sensitivity)\(|\bplt\.subplots\(")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebook", type=Path)
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--timeout", type=int, default=120, help="seconds per cell (default 120)")
    ap.add_argument("--expect-error", metavar="REGEX")
    args = ap.parse_args()
    for item in args.set:
        name, _, value = item.partition("=")
        os.environ[name] = value
    # ipykernel's debugger warns on stderr about frozen modules at every start.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nb = nbformat.read(args.notebook, as_version=4)
    client = NotebookClient(nb, timeout=args.timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(args.notebook.resolve().parent)}})
    start = time.monotonic()
    try:
        client.execute()
    except CellExecutionError as e:
        text = re.sub(r"\x1b\[[0-9;]*m", "", str(e))  # the traceback's colours
        if args.expect_error and re.search(args.expect_error, text):
            print(f"{args.notebook.name}: failed as expected ({time.monotonic() - start:.1f} s)")
            return 0
        print(f"{args.notebook.name}: a cell failed\n{text}", file=sys.stderr)
        return 1
    if args.expect_error:
        print(f"{args.notebook.name}: ran to the end, but an error matching "
              f"{args.expect_error!r} was expected", file=sys.stderr)
        return 1
    blank = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and DRAWS.search(c.source)
             and not any("image/png" in o.get("data", {}) for o in c.outputs)]
    if blank:
        print(f"{args.notebook.name}: cells {blank} draw a figure but show no image",
              file=sys.stderr)
        return 1
    # A warning printed by a cell (pandas, matplotlib, the reader) fails the
    # run, as -W error fails the other Python tests.
    warned = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
              for o in c.outputs if o.get("name") == "stderr" and "Warning" in o.get("text", "")]
    if warned:
        print(f"{args.notebook.name}: cells {sorted(set(warned))} printed a warning",
              file=sys.stderr)
        return 1
    cells = sum(c.cell_type == "code" for c in nb.cells)
    print(f"{args.notebook.name}: {cells} code cells ran in {time.monotonic() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
