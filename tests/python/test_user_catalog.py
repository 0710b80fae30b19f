"""A catalog of one's own (issue 17), end to end through the command line.

A scenario on an accelerator of a catalog file beside it runs; the resolved
scenario stored in its output holds the catalog's entries inline, so that,
copied to a folder without the catalog file, it runs again to the same
/summary (same seed); `dcsim catalog --catalog FILE` lists the built-in
entries and the file's, in every format; a bad catalog file is refused with
its file:line:column and exit status 2, writing nothing.
"""

import csv
import io
import json
import subprocess
import unittest

import h5py
import numpy as np

from helpers import DCSIM, SOURCE, WORK, dcsim, make

CATALOG = SOURCE / "tests" / "scenarios" / "data" / "catalog"


class UserCatalog(unittest.TestCase):
    def test_a_run_is_reproduced_from_its_output_alone(self):
        first = make("first.h5", CATALOG / "uses-file.yaml", "-n", "3")
        with h5py.File(first, "r") as f:
            text = f.attrs["scenario"]
            text = text.decode() if isinstance(text, bytes) else text
            a = f["summary"][()]
        self.assertIn('- key: "L40S-48GB-TEST"', text)
        self.assertNotIn("my-accelerators.yaml", text)
        alone = WORK / "alone"
        alone.mkdir(parents=True, exist_ok=True)
        (alone / "resolved.yaml").write_text(text)
        self.assertFalse((alone / "my-accelerators.yaml").exists())
        again = make("again.h5", alone / "resolved.yaml", "-n", "3")
        with h5py.File(again, "r") as f:
            b = f["summary"][()]
        self.assertEqual(a.dtype, b.dtype)
        for name in a.dtype.names:
            np.testing.assert_array_equal(a[name], b[name], err_msg=name)
        self.assertGreater(a["cost_usd"].min(), 0.0)

    def test_the_catalog_command_lists_the_files_entries(self):
        path = CATALOG / "my-accelerators.yaml"
        table = dcsim("catalog", "--catalog", path).stdout
        line = next(l for l in table.splitlines() if l.startswith("L40S-48GB-TEST "))
        self.assertIn("assumption: a placeholder for the tests", line)
        self.assertIn("H100-SXM-80GB", table)
        rows = list(csv.DictReader(io.StringIO(dcsim("catalog", "--format", "csv",
                                                     "--catalog", path).stdout)))
        mine = [r for r in rows if r["origin"] != "built-in"]
        self.assertEqual([r["key"] for r in mine], ["L40S-48GB-TEST"])
        self.assertEqual(mine[0]["peak_flops"], "362050000000000")
        self.assertEqual(mine[0]["rental_usd_per_hour"], "")
        entries = json.loads(dcsim("catalog", "--format", "json", "--catalog", path).stdout)
        self.assertEqual(len(entries), len(rows))
        self.assertEqual(entries[-1]["key"], "L40S-48GB-TEST")
        self.assertIsNone(entries[-1]["rental_usd_per_hour"])
        self.assertEqual(entries[-1]["memory_bytes"], 48e9)

    def test_a_bad_catalog_file_is_refused_with_its_position(self):
        WORK.mkdir(parents=True, exist_ok=True)
        bad = WORK / "bad-catalog.yaml"
        good = (CATALOG / "my-accelerators.yaml").read_text()
        bad.write_text(good.replace("tdp: 350W", "tdp: 350kW"))
        scen = WORK / "uses-bad.yaml"
        scen.write_text((CATALOG / "uses-file.yaml").read_text()
                        .replace("my-accelerators.yaml", "bad-catalog.yaml"))
        out = WORK / "never.h5"
        out.unlink(missing_ok=True)
        for args in (["catalog", "--catalog", bad], ["run", scen, "-o", out]):
            p = subprocess.run([DCSIM, *map(str, args)], capture_output=True, text=True)
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertRegex(p.stderr, r"bad-catalog\.yaml:10:10: accelerators\[0\]\.tdp: "
                                       r"must be > 0W and <= 100000W")
        self.assertFalse(out.exists())


if __name__ == "__main__":
    unittest.main(verbosity=2)
