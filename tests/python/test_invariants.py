#!/usr/bin/env python3
"""Trace invariants, checked from Python on real files: what /events and
/timeseries say about a traced replication agrees with its /summary row.

For every traced replication of every file: events are in time order;
the failures of each class (kind `failure` with unit = class index,
`maintenance_started` for a maintenance class, `cooling_unit_failure` for
a cooling class) number n_failures_<class>; every checkpoint begun is done
or lost, and the counts by level are the summary's; restarts and
interruptions are counted alike; the run ends with job_done at the
makespan, where the last sample has progress 1 and the final cost. And in
every /summary row, the accelerator-hour categories add up to the hours
held and the cost components to the total."""

import unittest

import numpy as np

from helpers import DATA, LIB, NOTEBOOKS, SOURCE, make

import dcsim_reader

# Checkpoint levels of the checkpoint_* events' unit: 0 persistent,
# 1 memory, 2 async (persistent), 3 maintenance save (persistent), 4 the
# save before a switch of accelerator type (persistent).
PERSISTENT_LEVELS = (0, 2, 3, 4)
MEMORY_LEVEL = 1

# The accelerator-hour categories that add up to accelerator_hours_held.
CATEGORIES = ("productive", "lost", "checkpointing", "restarting", "waiting", "slowed",
              "maintenance", "throttled", "spare")


def setUpModule():
    global FILES
    inv = DATA / "invariants.yaml"
    FILES = [
        make("llama.h5", LIB / "llama3-405b.yaml", "-n", "3", "--trace", "2"),
        make("small.h5", SOURCE / "tests/cli/data/small.yaml", "-n", "30", "--trace", "10"),
        make("power.h5", NOTEBOOKS / "power-cooling.yaml", "-n", "10", "--trace", "5"),
        make("inv.h5", inv, "-n", "20", "--trace", "20"),
        make("inv-memory.h5", inv, "-n", "20", "--trace", "20",
             "--set", "checkpoint.memory.interval=15min"),
        make("inv-async.h5", inv, "-n", "20", "--trace", "20", "--set", "checkpoint.mode=async",
             "--set", "checkpoint.snapshot_time=20s"),
        # A job that switches accelerator types: saves, waits and restarts of its own.
        make("switch.h5", SOURCE / "tests/cli/data/switch.yaml", "-n", "12", "--trace", "12"),
    ]


def traced_runs():
    """(file name, Results, Replication) for every traced replication."""
    for path in FILES:
        r = dcsim_reader.load(path)
        for point in sorted(r.summary["point"].unique()):
            for i in r.traced(point):
                yield path.name, r, r.replication(i, point)


class TraceInvariants(unittest.TestCase):
    def test_every_file_has_traced_replications(self):
        for path in FILES:
            self.assertGreater(len(dcsim_reader.load(path).traced()), 0, path.name)

    def test_events_are_in_time_order(self):
        for name, r, rep in traced_runs():
            where = f"{name} replication {rep.replication}"
            self.assertTrue((np.diff(rep.events["t_h"]) >= 0).all(), where)
        for path in FILES:
            ev = dcsim_reader.load(path).events
            keys = ev["point"] * 10**9 + ev["replication"]
            self.assertTrue((np.diff(keys) >= 0).all(), f"{path.name}: replications interleave")

    def test_failure_events_per_class_are_the_summary_counts(self):
        seen = set()
        for name, r, rep in traced_runs():
            ev = rep.events
            for i, c in r.failure_classes().iterrows():
                n = int(((ev["kind"] == c["event_kind"]) & (ev["unit"] == i)).sum())
                self.assertEqual(n, rep.summary[f"n_failures_{c['name']}"],
                                 f"{name} replication {rep.replication} class {c['name']}")
                if n:
                    seen.add(c["scope"])
        self.assertTrue({"accelerator", "node", "job", "maintenance", "cooling"} <= seen, seen)

    def test_every_checkpoint_begun_is_done_or_lost(self):
        levels = set()
        for name, r, rep in traced_runs():
            ev, s = rep.events, rep.summary
            where = f"{name} replication {rep.replication}"
            done = ev.loc[ev["kind"] == "checkpoint_done", "unit"]
            lost = ev.loc[ev["kind"] == "checkpoint_lost", "unit"]
            started = ev.loc[ev["kind"] == "checkpoint_started", "unit"]
            self.assertEqual(len(started), len(done) + len(lost), where)
            for level in set(started):
                ended = (done == level).sum() + (lost == level).sum()
                self.assertEqual((started == level).sum(), ended, f"{where} level {level}")
            self.assertEqual(done.isin(PERSISTENT_LEVELS).sum(), s["n_checkpoints"], where)
            self.assertEqual((done == MEMORY_LEVEL).sum(), s["n_memory_checkpoints"], where)
            self.assertEqual(len(lost), s["n_checkpoints_lost"], where)
            levels |= set(done)
        self.assertEqual(levels, {0, 1, 2, 3, 4})

    def test_restarts_and_interruptions_are_the_summary_counts(self):
        for name, r, rep in traced_runs():
            ev, s = rep.events, rep.summary
            where = f"{name} replication {rep.replication}"
            restarts = ev.loc[ev["kind"] == "restart_started", "unit"]
            self.assertEqual(len(restarts), s["n_restarts"], where)
            self.assertEqual((restarts == 1).sum(), s["n_memory_restores"], where)
            # A maintenance window that stops a restarting job is not an interruption.
            fc = r.failure_classes()
            maintenance = fc.index[fc["scope"] == "maintenance"]
            stops = ev.loc[ev["kind"] == "job_stopped", "unit"]
            self.assertEqual((~stops.isin(maintenance)).sum(), s["n_interruptions"], where)

    def test_a_completed_run_ends_at_its_makespan_with_all_work_done(self):
        completed = 0
        for name, r, rep in traced_runs():
            s, ts, ev = rep.summary, rep.timeseries, rep.events
            where = f"{name} replication {rep.replication}"
            if s["completed"] != 1:
                continue
            completed += 1
            self.assertEqual(ts["progress"].iloc[-1], 1.0, where)
            self.assertEqual(ts["t_h"].iloc[-1], s["makespan_h"], where)
            last = ts["cost_usd"].iloc[-1]
            self.assertTrue(np.isclose(last, s["cost_usd"], rtol=1e-12, atol=0), where)
            self.assertTrue((np.diff(ts["cost_usd"]) >= 0).all(), f"{where}: the cost falls")
            done = ev[ev["kind"] == "job_done"]
            self.assertEqual(len(done), 1, where)
            self.assertEqual(done["t_h"].iloc[0], s["makespan_h"], where)
        self.assertGreater(completed, 0)

    def test_accelerator_hours_and_costs_add_up_in_every_row(self):
        for path in FILES:
            r = dcsim_reader.load(path)
            s = r.summary
            parts = s[[f"accelerator_hours_{c}" for c in CATEGORIES]].sum(axis=1)
            held = s["accelerator_hours_held"]
            self.assertTrue(np.allclose(parts, held, rtol=1e-12, atol=0), path.name)
            costs = s[r.cost_components()].sum(axis=1)
            self.assertTrue(np.allclose(costs, s["cost_usd"], rtol=1e-12, atol=1e-9), path.name)


if __name__ == "__main__":
    unittest.main(verbosity=2)
