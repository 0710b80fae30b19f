#!/usr/bin/env python3
"""Figures: every figure kind, drawn for shipped run, sweep and comparison
files, is a non-empty PNG whose title names its file (and the scenario);
the dcsim-plot command that pip installed writes exactly the figures that
apply to each file and prints them; exit status 2 for a missing file or one
that is not a dcsim output."""

import shutil
import subprocess
import unittest

import h5py
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import dcsim_reader  # noqa: E402
from dcsim_reader import plotcmd, plots  # noqa: E402
from helpers import DATA, LIB, NOTEBOOKS, SITE, SWEEPS, WORK, make, make_sweep_file  # noqa: E402

PLOT = SITE / "bin" / "dcsim-plot"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def setUpModule():
    global FILES
    FILES = {
        "llama": make("llama.h5", LIB / "llama3-405b-rented.yaml", "-n", "2", "--trace", "1"),
        "power": make("power.h5", NOTEBOOKS / "power-cooling.yaml", "-n", "8", "--trace", "2"),
        "sft": make("sft.h5", LIB / "sft-small.yaml", "-n", "8"),
        "shock": make("shock.h5", LIB / "supply-shock.yaml", "-n", "8", "--trace", "3"),
        "calm": make("calm.h5", LIB / "supply-shock.yaml", "-n", "8", "--trace", "3",
                     "--set", "market.shocks[0].factor=1"),
        "squeeze": make("squeeze.h5", LIB / "market-squeeze.yaml", "-n", "4", "--trace", "3"),
        "grid": make_sweep_file("grid.h5", SWEEPS / "supply-shock-x-lead-time.yaml", "-n", "6"),
        "lhs": make_sweep_file("lhs.h5", SWEEPS / "llama3-sensitivity-lhs.yaml", "-n", "2"),
        "saltelli": make_sweep_file("saltelli.h5", DATA / "saltelli.yaml", "-n", "6"),
    }


def plot(*args):
    return subprocess.run([str(PLOT), *map(str, args)], capture_output=True, text=True)


def titles(fig):
    """Every title of a figure: its suptitle and each axes' title."""
    out = [fig._suptitle.get_text()] if fig._suptitle is not None else []
    return out + [ax.get_title() for ax in fig.axes]


class EveryFigureKind(unittest.TestCase):
    def check(self, r, name, draw):
        fig = draw()
        where = f"{r.path.name}: {name}"
        text = "\n".join(titles(fig))
        self.assertIn(r.path.name, text, f"{where}: no title names the file")
        self.assertIn(str(r.attrs["scenario_name"]), text, f"{where}: no title names the scenario")
        path = WORK / "kinds" / f"{r.path.stem}-{name}"
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=40)
        plt.close(fig)
        data = path.read_bytes()
        self.assertEqual(data[:8], PNG_MAGIC, where)
        img = plt.imread(path)
        # Non-empty: the picture is not one flat colour (a blank figure).
        self.assertGreater(float(np.std(img[..., :3])), 0.05, f"{where}: a blank picture")
        return name

    def test_every_kind_is_drawn_for_the_shipped_files(self):
        drawn = set()
        # One file per kind (the command tests below draw the rest): a power
        # section (timeline, power), a market (price paths), a grid (sweep
        # figures, heat map), a Saltelli design (sensitivity).
        for key in ("power", "shock", "grid", "saltelli"):
            r = dcsim_reader.load(FILES[key])
            for name, draw in plotcmd.figures(r):
                drawn.add(self.check(r, name, draw).split("-")[0].replace(".png", ""))
        shock, calm = dcsim_reader.load(FILES["shock"]), dcsim_reader.load(FILES["calm"])
        for name, draw in plotcmd.figures(shock, calm):
            drawn.add(self.check(shock, name, draw).split("-")[0].replace(".png", ""))
        kinds = {"cost", "timeline", "power", "price", "sweep", "sensitivity", "compare"}
        self.assertEqual(kinds - drawn, set(), "figure kinds never drawn")

    def test_sweep_figures_of_each_design(self):
        grid = dcsim_reader.load(FILES["grid"])
        names = [n for n, _ in plotcmd.figures(grid)]
        self.assertIn("sweep-heatmap.png", names)
        for key in grid.dims():
            self.assertIn(f"sweep-{plotcmd._safe(key)}.png", names)
        lhs = dcsim_reader.load(FILES["lhs"])
        self.assertEqual(lhs.design(), "point")
        self.assertNotIn("sweep-heatmap.png", [n for n, _ in plotcmd.figures(lhs)])
        self.assertIn("sensitivity.png", [n for n, _ in plotcmd.figures(
            dcsim_reader.load(FILES["saltelli"]))])


class FigureDefects(unittest.TestCase):
    """The defects issue 17 lists, each checked where it showed."""

    def test_no_zero_cost_components(self):
        r = dcsim_reader.load(FILES["shock"])  # rent includes energy: several $0 components
        means = r.summary[r.cost_components()].mean()
        zero = [c[len("cost_"):-len("_usd")] for c in means.index if means[c] == 0]
        self.assertTrue(zero, "the file has no $0 component to leave out")
        fig = plots.cost_components(r)
        bars = set()
        for ax in fig.axes:
            bars |= {t.get_text() for t in ax.get_yticklabels()}
            bars |= set(ax.get_legend_handles_labels()[1])
        self.assertFalse(set(zero) & bars, f"$0 components drawn: {set(zero) & bars}")
        plt.close(fig)

    def test_no_empty_throttle_panel_when_it_never_throttled(self):
        r = dcsim_reader.load(FILES["power"])
        ts = r.replication(0).timeseries
        fig = plots.power_cooling(r, 0)
        panels = [ax for ax in fig.axes if ax.get_ylabel() == "throttle factor"]
        self.assertEqual(len(panels), 1 if (ts["throttle"] < 1).any() else 0)
        plt.close(fig)

    def test_price_paths_mark_the_shock_and_titles_differ(self):
        shock, calm = dcsim_reader.load(FILES["shock"]), dcsim_reader.load(FILES["calm"])
        a, b = plots.price_paths(shock), plots.price_paths(calm)
        labels = a.axes[0].get_legend_handles_labels()[1]
        self.assertTrue(any("supply shock x0.6" in t for t in labels), labels)
        # A factor of 1 changes nothing: the calm run's figure marks no shock.
        self.assertFalse(any("shock x" in t for t in b.axes[0].get_legend_handles_labels()[1]))
        self.assertNotEqual(titles(a), titles(b))
        plt.close(a)
        plt.close(b)

    def test_price_paths_of_several_types_draw_each_type(self):
        r = dcsim_reader.load(FILES["squeeze"])
        types = plots.market_types(r)
        self.assertEqual(types, ["H100-SXM-80GB", "H200-SXM-141GB", "A100-SXM-80GB", "B200",
                                 "MI300X"])
        fig = plots.price_paths(r)
        labels = fig.axes[0].get_legend_handles_labels()[1]
        for t in types:
            self.assertTrue(any(lab.startswith(f"{t}: mean") for lab in labels), (t, labels))
        # Each type's mean path is its own: five different lines.
        means = [ln for ln in fig.axes[0].lines if ln.get_linewidth() > 2]
        self.assertEqual(len(means), 5)
        ends = {round(float(ln.get_ydata()[-1]), 6) for ln in means}
        self.assertEqual(len(ends), 5, ends)
        self.assertTrue(any("supply shock on B200 x0.9" in lab for lab in labels), labels)
        plt.close(fig)

    def test_compare_legends_sit_outside_the_bars(self):
        shock, calm = dcsim_reader.load(FILES["shock"]), dcsim_reader.load(FILES["calm"])
        fig = plots.compare_costs(calm, shock)
        fig.canvas.draw()
        for ax in fig.axes:
            leg = ax.get_legend()
            box = leg.get_window_extent()
            frame = ax.get_window_extent()
            self.assertLessEqual(box.y1, frame.y0 + 1, f"{ax.get_title()}: legend over the axes")
        plt.close(fig)


class PlotCommand(unittest.TestCase):
    def written(self, out, *args):
        """Runs the command into folder out; checks that it printed exactly
        the PNGs it wrote, and returns their names. The folder is emptied
        first, so that figures of an earlier run of the suite do not count."""
        shutil.rmtree(out, ignore_errors=True)
        p = plot(*args, "--out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, "")
        printed = sorted(p.stdout.split())
        self.assertEqual(printed, sorted(str(f) for f in out.glob("*.png")))
        for f in printed:
            with open(f, "rb") as png:
                self.assertEqual(png.read(8), PNG_MAGIC, f)
        return sorted(f.rsplit("/", 1)[-1] for f in printed)

    def test_a_traced_file(self):
        self.assertEqual(self.written(WORK / "traced", FILES["llama"]),
                         ["cost-components.png", "cost-distribution.png", "timeline.png"])

    def test_a_file_with_a_power_section(self):
        self.assertEqual(self.written(WORK / "power", FILES["power"]),
                         ["cost-components.png", "cost-distribution.png", "power-cooling.png",
                          "timeline.png"])

    def test_an_untraced_file_and_a_comparison(self):
        self.assertEqual(self.written(WORK / "compare", FILES["sft"], "--compare", FILES["sft"]),
                         ["compare.png", "cost-components.png", "cost-distribution.png"])

    def test_a_market_and_a_grid(self):
        self.assertIn("price-paths.png", self.written(WORK / "market", FILES["shock"]))
        names = self.written(WORK / "grid", FILES["grid"])
        self.assertTrue({"sweep-heatmap.png", "sweep-risk.png"} <= set(names), names)

    def test_a_missing_file_is_exit_status_2(self):
        p = plot(WORK / "no-such.h5", "--out", WORK / "none")
        self.assertEqual(p.returncode, 2)
        self.assertRegex(p.stderr, r"dcsim-plot: .*no-such\.h5: no such file")
        self.assertFalse((WORK / "none").exists())

    def test_a_file_that_is_not_a_dcsim_output_is_exit_status_2(self):
        text = WORK / "text.h5"
        text.write_text("not HDF5\n")
        other = WORK / "other.h5"
        with h5py.File(other, "w") as f:
            f["x"] = [1, 2, 3]
        for path, why in ((text, "not an HDF5 file"), (other, "not a dcsim output")):
            p = plot(path, "--out", WORK / "none")
            self.assertEqual(p.returncode, 2, path)
            self.assertIn(why, p.stderr)
        p = plot(FILES["llama"], "--compare", other, "--out", WORK / "none")
        self.assertEqual(p.returncode, 2)
        self.assertFalse((WORK / "none").exists())

    def test_bad_usage_is_exit_status_2(self):
        self.assertEqual(plot().returncode, 2)
        self.assertEqual(plot(FILES["llama"], "--frob").returncode, 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
