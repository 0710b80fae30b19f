"""Shared by the Python tests: where things are, making dcsim files.

CMake passes the paths in the environment: DCSIM (the dcsim binary),
DCSIM_SOURCE_DIR (the repository) and DCSIM_TEST_WORKDIR (a scratch folder
of the test's own). The reader is imported from analysis/python, as the
notebooks do, without installing anything.
"""

import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np

SOURCE = Path(os.environ["DCSIM_SOURCE_DIR"])
DCSIM = os.environ["DCSIM"]
WORK = Path(os.environ["DCSIM_TEST_WORKDIR"])
LIB = SOURCE / "scenarios" / "lib"
DATA = Path(__file__).resolve().parent / "data"
PYTHON_DIR = SOURCE / "analysis" / "python"
NOTEBOOKS = SOURCE / "analysis" / "notebooks"

sys.path.insert(0, str(PYTHON_DIR))


def dcsim(*args) -> subprocess.CompletedProcess:
    """Runs dcsim with args; fails the test on a non-zero exit status."""
    return subprocess.run([DCSIM, *map(str, args)], check=True, capture_output=True, text=True)


def make(name, scenario, *args) -> Path:
    """WORK/name made by `dcsim run scenario -q args` (made anew every time)."""
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / name
    out.unlink(missing_ok=True)
    dcsim("run", scenario, "-q", *args, "-o", out)
    return out


def add_market_column(src, dst, shock=True) -> Path:
    """A copy of a traced dcsim file with a made-up accelerator_price_usd_per_hour
    column appended to /timeseries, as dcsim's planned accelerator market
    will write it: a price path per replication that doubles during a shock
    over the middle third of the run (when shock is true), plus noise."""
    dst = Path(dst)
    dst.unlink(missing_ok=True)
    with h5py.File(src, "r") as f, h5py.File(dst, "w") as g:
        for k, v in f.attrs.items():
            g.attrs[k] = v
        for name in f:
            if name != "timeseries":
                f.copy(name, g)
        ts = f["timeseries"]
        old = ts[()]
        dtype = np.dtype(old.dtype.descr + [("accelerator_price_usd_per_hour", "<f8")])
        new = np.empty(len(old), dtype=dtype)
        for c in old.dtype.names:
            new[c] = old[c]
        t = old["t_h"]
        end = t.max()
        rng = np.random.default_rng(1)
        bump = ((t > end / 3) & (t < 2 * end / 3)) if shock else np.zeros(len(t), bool)
        noise = 1 + 0.05 * rng.standard_normal(len(t)) + 0.03 * old["replication"]
        new["accelerator_price_usd_per_hour"] = 2.99 * noise * np.where(bump, 2.0, 1.0)
        out = g.create_dataset("timeseries", data=new, maxshape=(None,), chunks=True)
        extra = {"units": "USD/accelerator-h",
                 "column_descriptions": "accelerator price (synthetic)"}
        for k, v in ts.attrs.items():
            out.attrs[k] = list(v) + [extra[k]] if k in extra else v
    return dst


def make_sweep(dst, parts) -> Path:
    """A file laid out as `dcsim sweep` will write it, from single runs:
    parts is a list of (file, label, {varied key: value}); point p's rows
    are the rows of parts[p] with point = p, and /sweep/points has one row
    per point (point, label, one column per varied key)."""
    dst = Path(dst)
    dst.unlink(missing_ok=True)
    with h5py.File(dst, "w") as g:
        with h5py.File(parts[0][0], "r") as f:
            for k, v in f.attrs.items():
                g.attrs[k] = v
            tables = [n for n in ("summary", "stats", "events", "timeseries") if n in f]
        for name in tables:
            rows = []
            for p, (src, _, _) in enumerate(parts):
                with h5py.File(src, "r") as f:
                    data = f[name][()]
                    attrs = dict(f[name].attrs)
                data["point"] = p
                rows.append(data)
            out = g.create_dataset(name, data=np.concatenate(rows), maxshape=(None,), chunks=True)
            for k, v in attrs.items():
                out.attrs[k] = v
        keys = list(parts[0][2])
        dtype = [("point", "<i8"), ("label", "S64")] + [(k, "<f8") for k in keys]
        points = np.array([(p, label.encode(), *(values[k] for k in keys))
                           for p, (_, label, values) in enumerate(parts)], dtype=dtype)
        ds = g.create_dataset("sweep/points", data=points)
        ds.attrs["units"] = ["", ""] + ["h"] * len(keys)
    return dst
