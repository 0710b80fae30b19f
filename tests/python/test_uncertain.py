#!/usr/bin/env python3
"""Uncertain inputs in the reader: the input.<key path> columns of /summary,
Results.inputs(), the /sensitivity table, and the tornado chart of the plot
command, for the shipped scenario with distributions (200 replications)."""

import unittest

import matplotlib

matplotlib.use("Agg")

import dcsim_reader
from dcsim_reader import plotcmd, plots
from helpers import LIB, make


def setUpModule():
    global R
    R = dcsim_reader.load(make("uncertain.h5", LIB / "llama3-405b-uncertain.yaml", "-n", "200"))


class Inputs(unittest.TestCase):
    def test_inputs_are_listed_in_scenario_order_with_their_units(self):
        ins = R.inputs()
        self.assertEqual(ins[0], "job.mfu")
        self.assertIn("failures[0].mtbf", ins)
        self.assertIn("electricity.usd_per_kwh", ins)
        self.assertEqual(R.unit("input.failures[0].mtbf"), "s")
        mfu = R.summary["input.job.mfu"]
        self.assertTrue(((mfu >= 0.38) & (mfu <= 0.43)).all())
        self.assertGreater(mfu.nunique(), 150)


class Sensitivity(unittest.TestCase):
    def test_one_row_per_metric_and_input_and_the_rest(self):
        s = R.require("sensitivity")
        n_in = len(R.inputs())
        for m in ("cost_usd", "makespan_h"):
            rows = s[s["metric"] == m]
            self.assertEqual(len(rows), n_in + 1)
            self.assertEqual(list(rows["input"])[-1], "(rest)")
            self.assertTrue((rows["ci95_low"] <= rows["first_order"]).all())
            self.assertTrue((rows["first_order"] <= rows["ci95_high"]).all())
            # the indices and the rest add up to 1
            self.assertAlmostEqual(float(rows["first_order"].sum()), 1.0, places=9)
        # MFU drives most of the cost's spread: its failure-free time is 1 / MFU
        cost = s[(s["metric"] == "cost_usd")].set_index("input")
        self.assertGreater(cost.loc["job.mfu", "ci95_low"], 0.5)

    def test_tornado_chart_draws_and_the_plot_command_lists_it(self):
        fig = plots.tornado(R, "cost_usd")
        labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        self.assertEqual(labels[0], "job.mfu")
        self.assertEqual(labels[-1], "rest: noise and interactions")
        names = [n for n, _ in plotcmd.figures(R)]
        self.assertIn("tornado-cost_usd.png", names)
        self.assertIn("tornado-makespan_h.png", names)


if __name__ == "__main__":
    unittest.main()
