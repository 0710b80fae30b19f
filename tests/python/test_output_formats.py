#!/usr/bin/env python3
"""One writer and one money format: the CSV and JSON of `dcsim report`
(a run and a sweep), `dcsim compare` and `dcsim catalog` parse with
Python's csv and json modules and agree with each other and with the file;
numbers are exact in the fewest digits (the catalog's 2.29 reads "2.29");
and money reads the same in every table as the figures write it
(dcsim_reader.plots.money)."""

import csv
import io
import json
import math
import unittest

import dcsim_reader
from dcsim_reader.plots import money
from helpers import DATA, LIB, dcsim, make, make_sweep_file


def setUpModule():
    global RUN, CALM, SWEEP
    RUN = make("run.h5", LIB / "sft-small.yaml", "-n", "12")
    CALM = make("calm.h5", LIB / "sft-small.yaml", "-n", "12", "--set", "job.mfu=0.5")
    SWEEP = make_sweep_file("sweep.h5", DATA / "saltelli.yaml", "-n", "4")


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


class OneWriter(unittest.TestCase):
    def test_report_compare_and_catalog_parse_and_agree(self):
        run = dcsim_reader.load(RUN)
        j = json.loads(dcsim("report", RUN, "--format", "json").stdout)
        c = rows(dcsim("report", RUN, "--format", "csv").stdout)
        self.assertEqual(len(j["metrics"]), len(c))
        for m, row in zip(j["metrics"], c):
            self.assertEqual(m["metric"], row["metric"])
            for k in ("mean", "p95"):
                want = float(run.stat(m["metric"])[k])
                got_c = float(row[k])
                got_j = m[k] if m[k] is not None else math.nan
                self.assertTrue(got_c == want or (math.isnan(want) and math.isnan(got_c)))
                self.assertTrue(got_j == want or (math.isnan(want) and math.isnan(got_j)))
        s = json.loads(dcsim("report", SWEEP, "--format", "json").stdout)
        sc = rows(dcsim("report", SWEEP, "--format", "csv").stdout)
        self.assertEqual([p["point"] for p in s["points"]], [int(r["point"]) for r in sc])
        for p, r in zip(s["points"], sc):
            for key in s["keys"]:
                self.assertEqual(p["values"][key], float(r[key]), key)
        cj = json.loads(dcsim("compare", RUN, CALM, "--format", "json").stdout)
        cc = rows(dcsim("compare", RUN, CALM, "--format", "csv").stdout)
        self.assertEqual([m["metric"] for m in cj["metrics"]], [r["metric"] for r in cc])
        self.assertEqual(cj["metrics"][0]["mean_diff"], float(cc[0]["mean_diff"]))
        cat = json.loads(dcsim("catalog", "--format", "json").stdout)
        catc = rows(dcsim("catalog", "--format", "csv").stdout)
        self.assertEqual([a["key"] for a in cat], [r["key"] for r in catc])
        v100 = next(r for r in catc if r["key"].startswith("V100"))
        self.assertEqual(v100["rental_usd_per_hour"], "2.29")  # the fewest exact digits

    def test_money_reads_the_same_everywhere(self):
        run = dcsim_reader.load(RUN)
        table = dcsim("report", RUN).stdout
        line = next(l for l in table.splitlines() if l.startswith("cost_usd "))
        self.assertIn(money(run.stat("cost_usd")["mean"]), line)
        cmp = dcsim("compare", RUN, CALM).stdout
        mean_a = run.summary["cost_usd"].mean()
        self.assertIn(f"mean A {money(mean_a)}", cmp)
        cat = dcsim("catalog").stdout
        j = json.loads(dcsim("catalog", "--format", "json").stdout)
        for a in j:
            line = next(l for l in cat.splitlines() if l.startswith(a["key"] + " "))
            for k in ("purchase_usd", "rental_usd_per_hour"):
                self.assertIn(money(a[k]) if a[k] is not None else "n/a", line, a["key"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
