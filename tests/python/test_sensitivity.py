#!/usr/bin/env python3
"""Sobol' indices from a Saltelli design: the layout dcsim's saltelli block
writes (groups A, AB^(1..d), B) is recognised from the points' values, and
the estimators recover the known indices of a test function put in place
of the simulated means; the figure draws for a real run.

The test function is additive, f = 4 u1 + 2 u2 + 0 u3 on the ranges scaled
to [0, 1], whose indices are exact: S_i = ST_i = a_i^2 / sum a^2 =
16/20, 4/20, 0. With N = 256 base samples of a Sobol' sequence the error of
the estimators is far below 0.05 (Saltelli et al. 2010 report errors near
1e-2 at N = 256 for additive functions); the tolerance is that, fixed in
advance. The bootstrap interval must hold the exact value."""

import unittest

import h5py
import numpy as np

import dcsim_reader
from dcsim_reader import sensitivity
from helpers import DATA, WORK, make_sweep_file


def setUpModule():
    global REAL, BIG
    REAL = make_sweep_file("saltelli.h5", DATA / "saltelli.yaml", "-n", "8")
    # 256 base samples x 5 = 1,280 points of two replications each.
    BIG = make_sweep_file("saltelli-256.h5", DATA / "saltelli-256.yaml", "-n", "2")


class Layout(unittest.TestCase):
    def test_the_real_design_is_recognised(self):
        r = dcsim_reader.load(REAL)
        self.assertTrue(sensitivity.is_saltelli(r))
        self.assertEqual(len(r.points), 16 * (3 + 2))
        keys, groups = sensitivity._groups(r)
        self.assertEqual(keys, ["job.mfu", "failures[1].mtbf", "checkpoint.write_bandwidth"])
        self.assertEqual(groups.shape, (16, 5))

    def test_other_sweeps_are_not_saltelli(self):
        from helpers import SWEEPS
        lhs = make_sweep_file("lhs.h5", SWEEPS / "llama3-sensitivity-lhs.yaml", "-n", "2")
        self.assertFalse(sensitivity.is_saltelli(dcsim_reader.load(lhs)))


class KnownIndices(unittest.TestCase):
    def test_an_additive_function(self):
        src = dcsim_reader.load(BIG)
        self.assertEqual(len(src.points), 256 * 5)
        # The design's values scaled to [0, 1] on each range.
        ranges = {"job.mfu": (0.25, 0.55), "failures[1].mtbf": (20 * 3600, 200 * 3600),
                  "checkpoint.write_bandwidth": (5e9, 20e9)}
        u = {k: (src.points[k].to_numpy() - lo) / (hi - lo) for k, (lo, hi) in ranges.items()}
        a = {"job.mfu": 4.0, "failures[1].mtbf": 2.0, "checkpoint.write_bandwidth": 0.0}
        f = sum(a[k] * u[k] for k in a)
        path = WORK / "additive.h5"
        path.unlink(missing_ok=True)
        with h5py.File(BIG) as g, h5py.File(path, "w") as h:
            for k, v in g.attrs.items():
                h.attrs[k] = v
            g.copy("sweep", h)
            g.copy("summary", h)
            stats = g["stats"][()]
            pts = g["sweep/points"]["point"][()]
            value = dict(zip(pts, f))
            for i in range(len(stats)):
                if stats["metric"][i] == b"cost_usd":
                    stats["mean"][i] = value[stats["point"][i]]
                    stats["sd"][i] = 0.0
            h.create_dataset("stats", data=stats)
            summ = h["summary"][()]
            summ["cost_usd"] = [value[p] for p in summ["point"]]
            del h["summary"]
            h.create_dataset("summary", data=summ)
        t = sensitivity.indices(dcsim_reader.load(path), "cost_usd")
        exact = {"job.mfu": 0.8, "failures[1].mtbf": 0.2, "checkpoint.write_bandwidth": 0.0}
        for k, want in exact.items():
            # 0.05: the error of these estimators at N = 256 (see the docstring).
            self.assertAlmostEqual(t.loc[k, "S1"], want, delta=0.05, msg=k)
            self.assertAlmostEqual(t.loc[k, "ST"], want, delta=0.05, msg=k)
            self.assertLessEqual(t.loc[k, "ST_low"], want + 1e-9, k)
            self.assertGreaterEqual(t.loc[k, "ST_high"], want - 1e-9, k)
        self.assertEqual(t.attrs["noise_share"], 0.0)

    def test_the_real_run_puts_mfu_first(self):
        # The job's MFU (0.25 to 0.55) sets its speed, so cost and makespan;
        # the software MTBF and the write bandwidth move them far less.
        t = sensitivity.indices(dcsim_reader.load(REAL), "makespan_h")
        self.assertEqual(t["ST"].idxmax(), "job.mfu")
        self.assertGreater(t.loc["job.mfu", "ST_low"], t.drop("job.mfu")["ST_high"].max())


if __name__ == "__main__":
    unittest.main(verbosity=2)
