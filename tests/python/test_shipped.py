#!/usr/bin/env python3
"""Every shipped scenario and sweep, run small, read by the reader with no
warning (-W error): every dataset the writer produces, strings decoded,
event kinds categorical, units on every table; a sweep's points in tidy
form equal the sweep file's values in their units (read from the sweep file
itself), and its xarray view has the dimensions of its design and the
/summary values in its cells."""

import math
import re
import unittest

import h5py
import numpy as np
import pandas as pd
import yaml

import dcsim_reader
from helpers import LIB, SWEEPS, make, make_sweep_file

# Units of the sweep files' values, to SI (seconds, bytes per second, a fraction).
UNITS = {"s": 1, "min": 60, "h": 3600, "d": 86400, "w": 604800, "y": 365 * 86400,
         "B/s": 1, "kB/s": 1e3, "MB/s": 1e6, "GB/s": 1e9, "TB/s": 1e12,
         "B": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "%": 0.01,
         "W": 1, "kW": 1e3, "MW": 1e6}


def si(text):
    """A value as a sweep file writes it ("30min", "2TB/s", "0.41", "5%") in
    SI units, or the text itself when it is not a number."""
    m = re.fullmatch(r"\s*([-+0-9.eE]+)\s*([A-Za-z/%]*)\s*", str(text))
    if not m:
        return str(text)
    try:
        v = float(m.group(1))
    except ValueError:
        return str(text)
    return v * UNITS[m.group(2)] if m.group(2) else v


def setUpModule():
    global RUNS, SWEEP_FILES
    RUNS = {}
    for path in sorted(LIB.rglob("*.yaml")):
        name = str(path.relative_to(LIB)).replace("/", "_")[:-5]
        RUNS[name] = make(f"{name}.h5", path, "-n", "2", "--trace", "1")
    # Traces of every point of a Llama-scale sweep are large and slow to read:
    # only the market grid is traced (its /events and /timeseries hold every point).
    SWEEP_FILES = {p.stem: (p, make_sweep_file(f"sweep-{p.stem}.h5", p, "-n", "2",
                                               *(["--trace", "1"] if "supply" in p.stem else [])))
                   for p in sorted(SWEEPS.glob("*.yaml"))}


class EveryShippedFile(unittest.TestCase):
    def check_file(self, path):
        r = dcsim_reader.load(path)
        with h5py.File(path) as f:
            datasets = []
            f.visititems(lambda n, o: datasets.append(n) if isinstance(o, h5py.Dataset) else None)
        names = {"summary": "summary", "stats": "stats", "events": "events",
                 "timeseries": "timeseries", "sweep/points": "points",
                 "sensitivity": "sensitivity"}
        self.assertEqual(set(datasets) - set(names), set(), f"{path}: datasets the reader skips")
        for where, attr in names.items():
            if where not in datasets:
                continue
            df = getattr(r, attr)
            self.assertIsInstance(df, pd.DataFrame, f"{path} /{where}")
            with h5py.File(path) as f:
                self.assertEqual(len(df), len(f[where]), f"{path} /{where}")
            self.assertEqual(list(df.attrs["units"]), list(df.columns), f"{path} /{where}")
            for col in df.columns:
                if df[col].dtype == object:
                    self.assertEqual(set(map(type, df[col])), {str}, f"{path} /{where}.{col}")
                self.assertNotEqual(df[col].dtype.kind, "S", f"{path} /{where}.{col}: bytes")
        if r.events is not None:
            self.assertIsInstance(r.events["kind"].dtype, pd.CategoricalDtype)
        for k, v in r.attrs.items():
            self.assertNotIsInstance(v, bytes, f"{path}: attribute {k}")
        self.assertEqual(r.attrs["format_version"], dcsim_reader.FORMAT_VERSION)
        return r

    def test_every_scenario(self):
        self.assertGreaterEqual(len(RUNS), 15)
        for name, path in RUNS.items():
            with self.subTest(name):
                r = self.check_file(path)
                self.assertFalse(r.is_sweep)
                self.assertIsNotNone(r.events, name)

    def test_every_sweep(self):
        self.assertGreaterEqual(len(SWEEP_FILES), 4)
        for name, (src, path) in SWEEP_FILES.items():
            with self.subTest(name):
                r = self.check_file(path)
                self.assertTrue(r.is_sweep)
                self.check_points(src, r)
                self.check_xarray(r)

    def check_points(self, src, r):
        """Each point's value of each varied key, as its label writes it
        (key=value, the text of the sweep file or the sampled value), equals
        the points table's column in SI units; and a grid's or zip's lists
        in the sweep file are exactly the values the column takes."""
        pts = r.points
        for _, row in pts.iterrows():
            for part in row["label"].split(" "):
                key, _, text = part.partition("=")
                if key not in pts.columns:
                    continue
                got = row[key]
                want = text if isinstance(got, str) else si(text)
                if isinstance(want, str):
                    self.assertEqual(got, want, f"{r.path.name} point {row['point']} {key}")
                else:  # sampled values are shortened in labels: 4 significant digits
                    self.assertTrue(math.isclose(got, want, rel_tol=1e-3),
                                    f"{r.path.name} point {row['point']} {key}: {got} != {want}")
        design = yaml.safe_load(src.read_text())["design"]
        for block in design:
            (kind, body), = block.items()
            if kind in ("grid", "zip"):
                for key, values in body.items():
                    if not r.key_is_numeric(key):  # a text column: the values as written
                        self.assertEqual(set(pts[key]), {str(v) for v in values}, key)
                        continue
                    want = sorted(si(v) for v in values)
                    got = sorted(pts[key].unique())
                    self.assertEqual(len(got), len(set(want)), key)
                    for a, b in zip(got, sorted(set(want))):
                        self.assertTrue(math.isclose(a, b, rel_tol=1e-12), f"{key}: {a} != {b}")
            if kind in ("lhs", "sobol", "saltelli"):
                for key, (lo, hi) in body["ranges"].items():
                    col = pts[key].to_numpy(dtype=float)
                    self.assertTrue((col >= si(lo) * (1 - 1e-12)).all(), key)
                    self.assertTrue((col <= si(hi) * (1 + 1e-12)).all(), key)
        for key in r.varied_keys():
            self.assertIn(key, r.points.attrs["units"])
        table = r.sweep_table()
        self.assertEqual(list(table[r.varied_keys()].columns), r.varied_keys())
        self.assertTrue(np.isfinite(table["cost_usd_mean"]).all())

    def check_xarray(self, r):
        ds = r.to_xarray(["cost_usd", "makespan_h"])
        dims = tuple(r.dims()) if r.design() == "grid" else ("point",)
        self.assertEqual(ds["cost_usd"].dims, dims + ("replication",))
        # Every /summary row is in its cell of the Dataset.
        s = r.summary
        for _, row in s.sample(min(len(s), 20), random_state=1).iterrows():
            if r.design() == "grid":
                p = r.points[r.points["point"] == row["point"]].iloc[0]
                sel = {k: p[k] for k in r.dims()}
            else:
                sel = {"point": row["point"]}
            got = float(ds["cost_usd"].sel(**sel, replication=row["replication"]))
            self.assertEqual(got, row["cost_usd"])
        self.assertEqual(ds["cost_usd"].attrs["units"], "USD")


if __name__ == "__main__":
    unittest.main(verbosity=2)
