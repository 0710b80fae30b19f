#!/usr/bin/env python3
"""The plot command: the PNGs it writes for a traced file, a file with a
power section, a file with the planned market column and a comparison;
exit status 2 for a missing file or one that is not a dcsim output."""

import subprocess
import sys
import unittest

import h5py

from helpers import LIB, NOTEBOOKS, PYTHON_DIR, WORK, add_market_column, make

PLOT = PYTHON_DIR / "dcsim_plot.py"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def setUpModule():
    global TRACED, POWER, UNTRACED
    TRACED = make("llama.h5", LIB / "llama3-405b-rented.yaml", "-n", "8", "--trace", "1")
    POWER = make("power.h5", NOTEBOOKS / "power-cooling.yaml", "-n", "8", "--trace", "2")
    UNTRACED = make("sft.h5", LIB / "sft-small.yaml", "-n", "8")


def plot(*args):
    return subprocess.run([sys.executable, str(PLOT), *map(str, args)], capture_output=True,
                          text=True)


class PlotCommand(unittest.TestCase):
    def written(self, out, *args):
        """Runs the command into folder out; checks that it printed exactly
        the PNGs it wrote, and returns their names."""
        p = plot(*args, "--out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        printed = sorted(p.stdout.split())
        self.assertEqual(printed, sorted(str(f) for f in out.glob("*.png")))
        for f in printed:
            with open(f, "rb") as png:
                self.assertEqual(png.read(8), PNG_MAGIC, f)
        return sorted(f.rsplit("/", 1)[-1] for f in printed)

    def test_a_traced_file(self):
        self.assertEqual(self.written(WORK / "traced", TRACED),
                         ["cost-components.png", "cost-distribution.png", "timeline.png"])

    def test_a_file_with_a_power_section(self):
        self.assertEqual(self.written(WORK / "power", POWER),
                         ["cost-components.png", "cost-distribution.png", "power-cooling.png",
                          "timeline.png"])

    def test_an_untraced_file_and_a_comparison(self):
        self.assertEqual(self.written(WORK / "compare", UNTRACED, "--compare", UNTRACED),
                         ["compare.png", "cost-components.png", "cost-distribution.png"])

    def test_a_file_with_the_planned_market_column(self):
        market = add_market_column(POWER, WORK / "market.h5")
        self.assertIn("price-paths.png", self.written(WORK / "market", market))

    def test_a_missing_file_is_exit_status_2(self):
        p = plot(WORK / "no-such.h5", "--out", WORK / "none")
        self.assertEqual(p.returncode, 2)
        self.assertRegex(p.stderr, r"dcsim_plot: .*no-such\.h5: no such file")
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
        p = plot(TRACED, "--compare", other, "--out", WORK / "none")
        self.assertEqual(p.returncode, 2)
        self.assertFalse((WORK / "none").exists())

    def test_bad_usage_is_exit_status_2(self):
        self.assertEqual(plot().returncode, 2)
        self.assertEqual(plot(TRACED, "--frob").returncode, 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
