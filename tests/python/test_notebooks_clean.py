#!/usr/bin/env python3
"""The notebooks are stored without outputs: no outputs, no execution
counts, no execution timings. (Clear them before committing: in Jupyter,
Edit > Clear All Outputs; or `jupyter nbconvert --clear-output --inplace`.)
They are valid nbformat 4, and each starts with the cell that sets H5 from
DCSIM_H5 (hindcast.ipynb: CSV from DCSIM_HINDCAST_CSV, the table `dcsim hindcast`
writes), followed by the one that makes the file with dcsim."""

import unittest

import nbformat

from helpers import NOTEBOOKS

EXPECTED = {"cost-distribution.ipynb", "timeline.ipynb", "power-cooling.ipynb", "price-shock.ipynb",
            "sweep.ipynb", "hindcast.ipynb"}


class StoredWithoutOutputs(unittest.TestCase):
    def test_the_notebooks_are_there(self):
        self.assertTrue(EXPECTED <= {p.name for p in NOTEBOOKS.glob("*.ipynb")})

    def test_no_outputs_and_no_execution_counts(self):
        for path in sorted(NOTEBOOKS.glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            nbformat.validate(nb)
            for i, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                where = f"{path.name} cell {i}"
                self.assertEqual(cell.outputs, [], f"{where} has outputs")
                self.assertIsNone(cell.execution_count, f"{where} has an execution count")
                self.assertNotIn("execution", cell.metadata, f"{where} has execution timings")

    def test_each_starts_by_setting_h5_then_making_the_file(self):
        for path in sorted(NOTEBOOKS.glob("*.ipynb")):
            cells = nbformat.read(path, as_version=4).cells
            code = [c.source for c in cells if c.cell_type == "code"]
            self.assertRegex(code[0], r'(H5 = os\.environ\.get\("DCSIM_H5"|'
                             r'CSV = os\.environ\.get\("DCSIM_HINDCAST_CSV")', path.name)
            self.assertIn('os.environ.get("DCSIM"', code[1], path.name)
            self.assertRegex(code[1], r'subprocess\.run\(\[DCSIM, "(run|sweep|hindcast)"',
                             path.name)
            # The package as installed, the checkout's source only as a fallback (a
            # notebook that reads an output file).
            if "DCSIM_H5" in code[0]:
                self.assertRegex(code[0], r"try:\n    import dcsim_reader\nexcept ImportError:",
                                 path.name)


if __name__ == "__main__":
    unittest.main(verbosity=2)
