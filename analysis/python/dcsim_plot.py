#!/usr/bin/env python3
"""dcsim_plot: writes the figures that apply to a dcsim output file as PNGs.

    python3 analysis/python/dcsim_plot.py FILE.h5 [--out DIR] [--compare OTHER.h5]

Figures, each written only when the file holds what it needs:
cost-distribution.png and cost-components.png always; timeline.png when the
first replication of point 0 is traced (--trace); power-cooling.png when
/timeseries has power columns (a scenario with a power section);
price-paths.png when it has the accelerator price (a market); compare.png
with --compare. Prints the path of every file written. Exit status: 0 when
done, 2 for bad usage or a file that is missing or not a dcsim output.
"""

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

sys.path.insert(0, str(Path(__file__).resolve().parent))

import matplotlib.pyplot as plt  # noqa: E402

import dcsim_reader  # noqa: E402
from dcsim_reader import plots  # noqa: E402


def figures(r, other, point):
    """(file name, function drawing it) for every figure that applies."""
    out = [
        ("cost-distribution.png", lambda: plots.cost_distribution(r, point=point)),
    ]
    if r.cost_components():
        out.append(("cost-components.png", lambda: plots.cost_components(r)))
    first = r.traced(point)
    if first and r.timeseries is not None:
        rep = first[0]
        out.append(("timeline.png", lambda: plots.timeline(r, replication=rep, point=point)))
        cols = set(r.timeseries.columns)
        if {"it_power_kw", "cooling_kw", "outdoor_c"} <= cols:
            out.append(("power-cooling.png",
                        lambda: plots.power_cooling(r, replication=rep, point=point)))
        if plots.PRICE in cols:
            out.append(("price-paths.png", lambda: plots.price_paths(r, point=point)))
    if other is not None:
        out.append(("compare.png", lambda: plots.compare_costs(r, other)))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(prog="dcsim_plot",
                                 description="Write the figures of a dcsim output file as PNGs.")
    ap.add_argument("file", help="a dcsim output file (.h5)")
    ap.add_argument("--out", default=".",
                    help="folder for the PNGs (default: the current one; made if missing)")
    ap.add_argument("--compare", metavar="OTHER",
                    help="a second file, for a paired comparison of cost")
    ap.add_argument("--point", type=int, default=0, help="sweep point to plot (default 0)")
    ap.add_argument("--dpi", type=int, default=120, help="resolution of the PNGs (default 120)")
    args = ap.parse_args(argv)
    try:
        r = dcsim_reader.load(args.file)
        other = dcsim_reader.load(args.compare) if args.compare else None
    except (FileNotFoundError, dcsim_reader.NotADcsimFile) as e:
        print(f"dcsim_plot: {e}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, draw in figures(r, other, args.point):
        fig = draw()
        path = out / name
        fig.savefig(path, dpi=args.dpi)
        plt.close(fig)
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
