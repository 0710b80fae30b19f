#!/usr/bin/env python3
"""The package as pip installs it: the import comes from the installed
copy, not the source tree; its version is dcsim's (CMake's project
version), and its format version is the one dcsim writes into its files
(both from the one line of CMakeLists.txt); the console script dcsim-plot
is installed and says the version; and the README's one-liner works:
`dcsim_reader.load(path).stats[... == "cost_usd"]` finds rows, with str
metrics, and the load gives no warning (-W error)."""

import os
import subprocess
import unittest
from pathlib import Path

import h5py

import dcsim_reader
from helpers import LIB, SITE, dcsim, make


class Installed(unittest.TestCase):
    def test_imported_from_the_installed_copy(self):
        self.assertEqual(Path(dcsim_reader.__file__).resolve().parent,
                         (SITE / "dcsim_reader").resolve())
        self.assertTrue((SITE / "dcsim_reader" / "_version.py").is_file())
        self.assertTrue(any(p.name.startswith("dcsim-") and p.name.endswith(".dist-info")
                            for p in SITE.iterdir()))

    def test_versions_are_cmakes_and_the_writers(self):
        self.assertEqual(dcsim_reader.__version__, os.environ["DCSIM_VERSION"])
        self.assertEqual(dcsim_reader.FORMAT_VERSION, int(os.environ["DCSIM_FORMAT_VERSION"]))
        out = dcsim("--version").stdout
        self.assertTrue(out.startswith(f"dcsim {dcsim_reader.__version__} "), out)
        path = make("v.h5", LIB / "sft-small.yaml", "-n", "2")
        with h5py.File(path) as f:
            self.assertEqual(int(f.attrs["format_version"]), dcsim_reader.FORMAT_VERSION)
            self.assertEqual(f.attrs["dcsim_version"].decode() if isinstance(
                f.attrs["dcsim_version"], bytes) else f.attrs["dcsim_version"],
                dcsim_reader.__version__)

    def test_the_console_script(self):
        p = subprocess.run([str(SITE / "bin" / "dcsim-plot"), "--version"], capture_output=True,
                           text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.strip(), f"dcsim-plot {dcsim_reader.__version__}")
        p = subprocess.run([str(SITE / "bin" / "dcsim-plot"), "--help"], capture_output=True,
                           text=True)
        for option in ("--out", "--compare", "--point", "--dpi", "--html", "--best",
                       "--subject-to", "--force"):
            self.assertIn(option, p.stdout)
        self.assertIn("default", p.stdout)

    def test_the_readme_one_liner(self):
        path = make("one.h5", LIB / "sft-small.yaml", "-n", "3")
        r = dcsim_reader.load(path)
        rows = r.stats[r.stats.metric == "cost_usd"]
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.iloc[0]["units"], "USD")
        self.assertEqual(r.summary.attrs["units"]["cost_usd"], "USD")
        self.assertEqual(r.stats.attrs["units"]["mean"], r.units["stats"]["mean"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
