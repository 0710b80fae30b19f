#!/usr/bin/env python3
"""The HTML report in a real browser: `dcsim report OUT.h5 --html PAGE`
(the C command, which runs the package) for a run and for a sweep with a
constraint, and `dcsim-plot --html`, each rendered by headless Chromium to
a screenshot with no console message; the page has every section, each
with content; it loads nothing from outside (no http, no script); and a
page with a script error is caught, so that the console check can fail.
Without the package, `dcsim report --html` fails clearly and writes
nothing."""

import os
import re
import shutil
import subprocess
import tempfile
import unittest

import matplotlib.pyplot as plt
import numpy as np

from dcsim_reader import html as page
from helpers import DCSIM, LIB, SITE, SWEEPS, WORK, make, make_sweep_file

CHROMIUM = os.environ["DCSIM_CHROMIUM"]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]


def chromium(url, *args):
    """Runs Chromium on url with a new empty profile; returns (stdout, the
    console messages it logged)."""
    with tempfile.TemporaryDirectory(dir=WORK) as profile:
        p = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args, url],
                           capture_output=True, text=True, timeout=240)
    console = [line for line in p.stderr.splitlines() if ":CONSOLE" in line]
    return p.stdout, console


def setUpModule():
    global RUN, SWEEP
    RUN = make("run.h5", LIB / "supply-shock.yaml", "-n", "6", "--trace", "2")
    SWEEP = make_sweep_file("sweep.h5", SWEEPS / "supply-shock-x-lead-time.yaml", "-n", "4")


class Page(unittest.TestCase):
    def render(self, html_path, name):
        """Screenshot and DOM of the page; checks no console message."""
        shot = WORK / f"{name}.png"
        shot.unlink(missing_ok=True)
        _, console = chromium(html_path.as_uri(), f"--screenshot={shot}",
                              "--window-size=1280,2400")
        self.assertEqual(console, [], f"{name}: console messages")
        img = plt.imread(shot)
        self.assertGreater(img.shape[0], 1000)
        self.assertGreater(float(np.std(img[..., :3])), 0.05, f"{name}: a blank screenshot")
        dom, console = chromium(html_path.as_uri(), "--dump-dom")
        self.assertEqual(console, [])
        return dom

    def check_sections(self, dom, name):
        for sec in page.SECTIONS:
            m = re.search(rf'<section id="{sec}"><h2>[^<]+</h2>(.*?)</section>', dom, re.S)
            self.assertIsNotNone(m, f"{name}: no section {sec}")
            self.assertGreater(len(re.sub(r"<[^>]+>", "", m.group(1)).strip()), 20,
                               f"{name}: section {sec} is empty")
        self.assertFalse("<script" in dom, f"{name}: a script")
        self.assertIsNone(re.search(r'(src|href)="https?:', dom), f"{name}: loads from outside")
        self.assertTrue('src="data:image/png;base64,' in dom, f"{name}: no figure")

    def test_a_run_through_dcsim_report(self):
        out = WORK / "run.html"
        out.unlink(missing_ok=True)
        p = subprocess.run([DCSIM, "report", RUN, "--html", out], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("cost_usd", p.stdout)  # the report still prints
        dom = self.render(out, "run")
        self.check_sections(dom, "run")
        # (assertTrue, not assertIn: a failure would print the whole page)
        self.assertTrue("[P61] H100 rental prices" in dom, "a source of the scenario")
        self.assertTrue(f"dcsim report {RUN} --html {out}" in dom, "the page's command line")
        self.assertTrue(f"dcsim run {LIB / 'supply-shock.yaml'}" in dom, "the run's command line")

    def test_a_sweep_with_a_constraint(self):
        out = WORK / "sweep.html"
        out.unlink(missing_ok=True)
        p = subprocess.run([DCSIM, "report", SWEEP, "--html", out, "--subject-to",
                            "cost_usd_mean <= 8e6"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        dom = self.render(out, "sweep")
        self.check_sections(dom, "sweep")
        for text in ("cost_usd_mean &lt;= 8e6", "excluded by a constraint", "sweep-heatmap.png",
                     "cannot be told apart"):
            self.assertTrue(text in dom, text)

    def test_an_existing_page_is_kept_unless_force(self):
        out = WORK / "kept.html"
        out.write_text("mine\n")
        plot = str(SITE / "bin" / "dcsim-plot")
        env = {**os.environ, "DCSIM": DCSIM}
        for cmd in ([DCSIM, "report", RUN, "--html", out], [plot, str(RUN), "--html", str(out)]):
            p = subprocess.run(cmd, capture_output=True, text=True, env=env)
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn("kept.html exists; dcsim keeps an existing page: give --force", p.stderr)
            self.assertEqual(out.read_text(), "mine\n")
        for cmd in ([DCSIM, "report", RUN, "--html", out, "--force"],
                    [plot, str(RUN), "--html", str(out), "--force"]):
            out.write_text("mine\n")
            p = subprocess.run(cmd, capture_output=True, text=True, env=env)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.check_sections(out.read_text(), "forced")
        p = subprocess.run([plot, str(RUN), "--html", str(RUN), "--force"], capture_output=True,
                           text=True, env=env)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("is the file reported on", p.stderr)

    def test_the_plot_command_writes_the_same_page(self):
        out = WORK / "plot.html"
        out.unlink(missing_ok=True)
        p = subprocess.run([str(SITE / "bin" / "dcsim-plot"), str(RUN), "--html", str(out)],
                           capture_output=True, text=True, env={**os.environ, "DCSIM": DCSIM})
        self.assertEqual(p.returncode, 0, p.stderr)
        self.check_sections(out.read_text(), "plot")

    def test_a_script_error_is_caught(self):
        bad = WORK / "bad.html"
        bad.write_text("<!DOCTYPE html><html><body><script>console.error('x');"
                       "undefinedFunction();</script>page</body></html>")
        _, console = chromium(bad.as_uri(), "--dump-dom")
        self.assertTrue(any("undefinedFunction" in c for c in console), console)

    def test_without_the_package_it_fails_clearly(self):
        out = WORK / "none.html"
        out.unlink(missing_ok=True)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env["PYTHONNOUSERSITE"] = "1"
        bare = WORK / "bare"
        bare.mkdir(exist_ok=True)
        # An interpreter that finds no dcsim_reader: python3 -I (isolated) from an empty folder.
        wrapper = bare / "python3"
        wrapper.write_text(f"#!/bin/sh\nexec {os.environ['DCSIM_PYTHON']} -I -S \"$@\"\n")
        wrapper.chmod(0o755)
        env["DCSIM_PYTHON"] = str(wrapper)
        p = subprocess.run([DCSIM, "report", RUN, "--html", out], capture_output=True,
                           text=True, env=env)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("--html needs dcsim's Python package", p.stderr)
        self.assertIn("pip install ./analysis/python", p.stderr)
        self.assertFalse(out.exists())


if __name__ == "__main__":
    shutil.rmtree(WORK / "profiles", ignore_errors=True)
    WORK.mkdir(parents=True, exist_ok=True)
    unittest.main(verbosity=2)
