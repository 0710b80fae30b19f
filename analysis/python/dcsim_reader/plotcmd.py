"""dcsim-plot: writes the figures that apply to a dcsim output file as PNGs,
or the file's HTML report.

    dcsim-plot FILE.h5 [--out DIR] [--compare OTHER.h5] [--point P] [--dpi D]
    dcsim-plot FILE.h5 --html PAGE.html [--best METRIC] [--subject-to EXPR]... [--force]

Figures, each written only when the file holds what it needs:

* a run: cost-distribution.png, cost-components.png (components that are $0
  everywhere left out); with --trace, timeline.png, power-cooling.png (a
  power section) and price-paths.png (a market, shocks marked);
* a sweep: the same for --point (default 0), and sweep-<key>.png (cost and
  makespan against each varied key: mean with its 95 % CI, p5 to p95),
  sweep-heatmap.png (a grid of two keys), sweep-risk.png (every point's
  tail and risk), sensitivity.png (a Saltelli design: first-order and total
  indices);
* with --compare OTHER: compare.png, the paired difference OTHER - FILE.

Every title names the file and the scenario. Prints the path of every file
written. An existing HTML page is kept unless --force (as dcsim keeps an
existing result); figures in --out are replaced, being drawn again from the
file. Exit status: 0 when done, 2 for bad usage, a file that is missing or
not a dcsim output, or an existing page without --force.
"""

import argparse
import re
import sys
from pathlib import Path

from . import reader
from .reader import MissingData, NotADcsimFile, load
from .version import __version__


def _safe(name):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def figures(r, other=None, point=0):
    """(file name, function drawing it) for every figure that applies to r
    (and the comparison with other)."""
    from . import plots, sensitivity

    out = [("cost-distribution.png", lambda: plots.cost_distribution(r, point=point))]
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
    if r.sensitivity is not None and len(r.sensitivity):
        for m in ("cost_usd", "makespan_h"):
            if ((r.sensitivity["metric"] == m) & (r.sensitivity["point"] == point)).any():
                out.append((f"tornado-{_safe(m)}.png",
                            lambda m=m: plots.tornado(r, metric=m, point=point)))
    if r.is_sweep:
        if sensitivity.is_saltelli(r):
            out.append(("sensitivity.png", lambda: plots.sensitivity(r)))
        else:
            for key in r.dims():
                out.append((f"sweep-{_safe(key)}.png",
                            lambda key=key: plots.sweep_metric(r, key)))
            if r.design() == "grid" and len(r.dims()) == 2:
                out.append(("sweep-heatmap.png", lambda: plots.sweep_heatmap(r)))
        out.append(("sweep-risk.png", lambda: plots.sweep_risk(r)))
    if other is not None:
        out.append(("compare.png", lambda: plots.compare_costs(r, other)))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="dcsim-plot",
        description="Write the figures of a dcsim output file as PNGs, or its HTML report.")
    ap.add_argument("file", help="a dcsim output file (.h5) from dcsim run or dcsim sweep")
    ap.add_argument("--out", default=".",
                    help="folder for the PNGs (default: the current one; made if missing)")
    ap.add_argument("--compare", metavar="OTHER",
                    help="a second file: adds compare.png, the paired difference OTHER - FILE "
                         "(default: none)")
    ap.add_argument("--point", type=int, default=0,
                    help="the sweep point whose run figures are drawn (default 0)")
    ap.add_argument("--dpi", type=int, default=120, help="resolution of the PNGs (default 120)")
    ap.add_argument("--html", metavar="PAGE",
                    help="write the self-contained HTML report to PAGE instead of PNGs "
                         "(default: none)")
    ap.add_argument("--best", default="cost_usd", metavar="METRIC",
                    help="with --html: the metric whose lowest mean is best in a sweep's "
                         "ranking, '-' first for the highest (default cost_usd)")
    ap.add_argument("--subject-to", action="append", default=[], metavar="EXPR",
                    help="with --html: a constraint on a sweep's points, e.g. 'p_late <= 0.05' "
                         "(as dcsim report takes it; default: none)")
    ap.add_argument("--force", action="store_true",
                    help="with --html: replace an existing PAGE (default: an existing page is "
                         "kept and the command refuses)")
    ap.add_argument("--command", default=None, help=argparse.SUPPRESS)
    ap.add_argument("-V", "--version", action="version", version=f"dcsim-plot {__version__}")
    args = ap.parse_args(argv)
    if args.html:
        page = Path(args.html)
        if page.exists() or page.is_symlink():
            same = Path(args.file).exists() and page.exists() and page.samefile(args.file)
            why = ("is the file reported on; give another page" if same
                   else "is not a regular file; give another page" if not page.is_file()
                   or page.is_symlink()
                   else None if args.force
                   else "exists; dcsim keeps an existing page: give --force to replace it, "
                        "or another --html")
            if why is not None:
                print(f"dcsim-plot: {args.html} {why}", file=sys.stderr)
                return 2
    try:
        r = load(args.file)
        other = load(args.compare) if args.compare else None
    except (FileNotFoundError, NotADcsimFile) as e:
        print(f"dcsim-plot: {e}", file=sys.stderr)
        return 2
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if args.html:
        from . import html

        try:
            html.write(r, args.html, best=args.best, subject_to=args.subject_to, other=other,
                       command=args.command)
        except ValueError as e:
            print(f"dcsim-plot: {e}", file=sys.stderr)
            return 2
        print(args.html)
        return 0
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
