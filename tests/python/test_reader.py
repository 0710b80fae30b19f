#!/usr/bin/env python3
"""The reader: /stats as `dcsim report --format csv` prints it, decoded
strings, event kinds, units, helpers, and errors for files that are not
dcsim's."""

import csv
import io
import math
import unittest

import h5py
import numpy as np
import pandas as pd

from helpers import DATA, LIB, NOTEBOOKS, SOURCE, WORK, dcsim, make

import dcsim_reader
from dcsim_reader import MissingData, NotADcsimFile


def setUpModule():
    global FILES
    FILES = {
        # Budget and deadline targets; a metric with no finite value (NaN).
        "sft": make("sft.h5", LIB / "sft-small.yaml", "-n", "30", "--trace", "2"),
        # Failures of two classes; ten traced replications.
        "small": make("small.h5", SOURCE / "tests/cli/data/small.yaml", "-n", "40",
                      "--trace", "10"),
        # A power section: energy columns and cost components.
        "power": make("power.h5", NOTEBOOKS / "power-cooling.yaml", "-n", "12", "--trace", "3"),
        # A staged job (three stages, one in GPU-hours): the stage_* columns.
        "stages": make("stages.h5", LIB / "deepseek-v3.yaml", "-n", "6", "--trace", "1"),
        # Maintenance, cooling and fail-slow classes; an in-memory level.
        "inv": make("inv.h5", DATA / "invariants.yaml", "-n", "12", "--trace", "4",
                    "--set", "checkpoint.memory.interval=15min"),
        # A job of two accelerator types that switches: n_switches and type_* columns.
        "switch": make("switch.h5", SOURCE / "tests/cli/data/switch.yaml", "-n", "12",
                       "--trace", "2"),
    }


def report_csv(path):
    """The rows of `dcsim report --format csv`, as dicts of strings."""
    return list(csv.DictReader(io.StringIO(dcsim("report", path, "--format", "csv").stdout)))


def same_float(got, text):
    """got equals the CSV's %.17g text: NaN equals NaN, else 1e-12 relative."""
    want = float(text)
    if math.isnan(want):
        return math.isnan(got)
    return got == want or abs(got - want) <= 1e-12 * max(abs(got), abs(want))


class StatsMatchReport(unittest.TestCase):
    def test_every_metric_and_column_equals_the_report_csv(self):
        for name, path in FILES.items():
            stats = dcsim_reader.load(path).stats
            rows = report_csv(path)
            self.assertEqual(list(rows[0].keys()), list(stats.columns), name)
            self.assertEqual(len(rows), len(stats), name)
            nan_seen = False
            for (_, got), want in zip(stats.iterrows(), rows):
                where = f"{name}: {want['metric']}"
                self.assertEqual(got["point"], int(want["point"]), where)
                self.assertEqual(got["metric"], want["metric"], where)
                self.assertEqual(got["units"], want["units"], where)
                self.assertEqual(got["n"], int(want["n"]), where)
                for col in stats.columns[4:]:
                    self.assertTrue(same_float(float(got[col]), want[col]),
                                    f"{where}.{col}: reader {got[col]!r}, report {want[col]!r}")
                    nan_seen |= math.isnan(float(got[col]))
            self.assertTrue(nan_seen, f"{name}: no NaN compared (targets, empty metrics)")

    def test_the_budget_is_the_cost_target(self):
        r = dcsim_reader.load(FILES["sft"])
        # The targets as the resolved scenario in the file states them.
        targets = r.scenario.split("targets:\n", 1)[1]
        budget = float(targets.split("budget_usd: ", 1)[1].split()[0])
        deadline_s = float(targets.split("deadline: ", 1)[1].split("s")[0])
        self.assertEqual(r.target("cost_usd"), budget)
        self.assertEqual(r.target("makespan_h"), deadline_s / 3600.0)
        self.assertIsNone(r.target("goodput"))
        self.assertIsNone(dcsim_reader.load(FILES["power"]).target("makespan_h"))


class Decoding(unittest.TestCase):
    def test_no_bytes_anywhere(self):
        for name, path in FILES.items():
            r = dcsim_reader.load(path)
            for table in ("summary", "stats", "events", "timeseries"):
                df = getattr(r, table)
                for col in df.columns:
                    if df[col].dtype == object:
                        kinds = set(map(type, df[col]))
                        self.assertEqual(kinds, {str}, f"{name} /{table}.{col}")
            for k, v in r.attrs.items():
                self.assertIsInstance(v, (str, int, float, list), f"{name} attribute {k}")
            self.assertIsInstance(r.attrs["format_version"], int)
            self.assertIn("failures:", r.scenario)
            for per_table in (r.units, r.descriptions):
                for table, cols in per_table.items():
                    texts = all(isinstance(u, str) for u in cols.values())
                    self.assertTrue(texts, f"{name} {table}")

    def test_the_event_kind_is_categorical_with_the_enum_names(self):
        path = FILES["inv"]
        r = dcsim_reader.load(path)
        with h5py.File(path) as f:
            enum = h5py.check_enum_dtype(f["events"].dtype["kind"])
            raw = f["events"]["kind"]
        self.assertIsInstance(r.events["kind"].dtype, pd.CategoricalDtype)
        self.assertEqual(list(r.events["kind"].cat.categories), sorted(enum, key=enum.get))
        self.assertFalse(r.events["kind"].isna().any())
        names = {v: k for k, v in enum.items()}
        self.assertEqual(list(r.events["kind"]), [names[v] for v in raw])
        self.assertEqual(set(r.kind_descriptions), set(enum))
        self.assertIn("failure class", r.kind_descriptions["failure"])

    def test_the_summary_is_what_h5py_and_pandas_read(self):
        path = FILES["small"]
        with h5py.File(path) as f:
            raw = pd.DataFrame(f["summary"][:])
        pd.testing.assert_frame_equal(dcsim_reader.load(path).summary, raw)


class Helpers(unittest.TestCase):
    def test_units_come_from_the_file(self):
        r = dcsim_reader.load(FILES["power"])
        self.assertEqual(r.unit("cost_usd"), "USD")
        self.assertEqual(r.unit("makespan_h"), "h")
        self.assertEqual(r.unit("energy_mwh"), "MWh")
        self.assertEqual(r.unit("makespan_h", "stats"), "h")
        self.assertEqual(r.unit("it_power_kw", "timeseries"), "kW")
        self.assertEqual(r.unit("outdoor_c", "timeseries"), "C")
        self.assertEqual(r.unit("no_such_column"), "")
        for table in ("summary", "stats", "events", "timeseries"):
            self.assertEqual(list(r.units[table]), list(getattr(r, table).columns), table)

    def test_failure_classes_in_scenario_order_with_scopes(self):
        fc = dcsim_reader.load(FILES["inv"]).failure_classes()
        self.assertEqual(list(fc["name"]), ["gpu", "slow_node", "software", "window", "crah"])
        self.assertEqual(list(fc["scope"]),
                         ["accelerator", "node", "job", "maintenance", "cooling"])
        self.assertEqual(list(fc["event_kind"]), ["failure", "failure", "failure",
                                                  "maintenance_started", "cooling_unit_failure"])

    def test_cost_components_exclude_the_total_and_add_up_to_it(self):
        ledger = ["cost_compute_usd", "cost_energy_usd", "cost_cooling_usd", "cost_storage_usd",
                  "cost_data_usd", "cost_processing_usd", "cost_staff_usd", "cost_licences_usd",
                  "cost_other_usd"]
        for name in ("sft", "power"):
            run = dcsim_reader.load(FILES[name])
            self.assertEqual(run.cost_components(), ledger)
            s = run.summary
            total = s[ledger[0]].copy()
            for c in ledger[1:]:
                total = total + s[c]
            self.assertTrue((total == s["cost_usd"]).all(), name)

    def test_types_are_read_in_list_order_and_add_up_to_the_totals(self):
        r = dcsim_reader.load(FILES["switch"])
        ty = r.types()
        self.assertEqual(list(ty["type"].cat.categories), ["H100-SXM-80GB", "B200"])
        self.assertEqual(len(ty), 2 * len(r.summary))
        self.assertEqual(r.unit("type_accelerator_hours_B200"), "accelerator-h")
        self.assertGreater(r.summary["n_switches"].sum(), 0)
        sums = ty.groupby(["point", "replication"], observed=True)[
            ["hours", "accelerator_hours", "cost_usd"]].sum()
        s = r.summary.set_index(["point", "replication"])
        held = s["makespan_h"] - s["acquisition_wait_h"]
        for col, total in (("hours", held), ("accelerator_hours", s["accelerator_hours_held"]),
                           ("cost_usd", s["cost_compute_usd"])):
            np.testing.assert_allclose(sums[col], total, rtol=1e-9, err_msg=col)
        self.assertTrue(dcsim_reader.load(FILES["small"]).types().empty)

    def test_stages_are_read_in_scenario_order_and_add_up_to_the_totals(self):
        r = dcsim_reader.load(FILES["stages"])
        st = r.stages()
        names = ["pretraining", "context_extension", "post_training"]
        self.assertEqual(list(st["stage"].cat.categories), names)
        self.assertEqual(len(st), 3 * len(r.summary))
        self.assertEqual(r.unit("stage_h_pretraining"), "h")
        self.assertEqual(r.unit("stage_accelerator_hours_context_extension"), "accelerator-h")
        self.assertEqual(r.unit("stage_cost_usd_post_training"), "USD")
        sums = st.groupby(["point", "replication"], observed=True)[
            ["hours", "accelerator_hours", "cost_usd"]].sum()
        s = r.summary.set_index(["point", "replication"])
        for col, total in (("hours", "makespan_h"), ("accelerator_hours", "accelerator_hours_held"),
                           ("cost_usd", "cost_usd")):
            np.testing.assert_allclose(sums[col], s[total], rtol=1e-9, err_msg=col)
        # Pre-training is most of the run (about 2,664K of 2,788K GPU-hours in the report).
        pre = st[st["stage"] == "pretraining"]["accelerator_hours"].to_numpy()
        self.assertTrue((pre > 0.9 * s["accelerator_hours_held"].to_numpy()).all())
        self.assertTrue(dcsim_reader.load(FILES["small"]).stages().empty)

    def test_replication_selects_one_run(self):
        r = dcsim_reader.load(FILES["small"])
        self.assertEqual(r.traced(), list(range(10)))
        rep = r.replication(3)
        self.assertTrue(rep.traced)
        self.assertEqual(set(rep.events["replication"]), {3})
        self.assertEqual(set(rep.timeseries["replication"]), {3})
        self.assertEqual(rep.summary["replication"], 3)
        mine = r.events.loc[r.events["replication"] == 3, "t_h"]
        self.assertTrue(np.array_equal(rep.events["t_h"], mine))
        untraced = r.replication(25)
        self.assertFalse(untraced.traced)
        self.assertEqual(len(untraced.events), 0)
        with self.assertRaises(MissingData):
            r.replication(40)

    def test_require_names_what_is_missing_and_why(self):
        r = dcsim_reader.load(FILES["sft"])
        with self.assertRaisesRegex(MissingData, "accelerator_price_usd_per_hour.*market"):
            r.require("timeseries", "accelerator_price_usd_per_hour")
        with self.assertRaisesRegex(MissingData, "it_power_kw.*power section"):
            r.require("timeseries", "progress", "it_power_kw")
        with self.assertRaisesRegex(MissingData, "sweep/points.*dcsim sweep"):
            r.require("points")
        self.assertIsNone(r.points)
        self.assertEqual(r.point_label(), "sft-small")


class Errors(unittest.TestCase):
    def test_a_missing_file(self):
        with self.assertRaises(FileNotFoundError):
            dcsim_reader.load(WORK / "no-such.h5")

    def test_a_file_that_is_not_hdf5(self):
        path = WORK / "not.h5"
        path.write_text("name: not an HDF5 file\n")
        with self.assertRaisesRegex(NotADcsimFile, "not an HDF5 file"):
            dcsim_reader.load(path)

    def test_an_hdf5_file_without_the_layout(self):
        path = WORK / "other.h5"
        with h5py.File(path, "w") as f:
            f["x"] = np.arange(3)
        with self.assertRaisesRegex(NotADcsimFile, "not a dcsim output"):
            dcsim_reader.load(path)


if __name__ == "__main__":
    unittest.main(verbosity=2)
