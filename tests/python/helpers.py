"""Shared by the Python tests: where things are, making dcsim files.

CMake passes the paths in the environment: DCSIM (the dcsim binary),
DCSIM_SOURCE_DIR (the repository), DCSIM_TEST_WORKDIR (a scratch folder
of the test's own) and DCSIM_SITE, where the python_package_installs test
pip-installed the package: PYTHONPATH puts it first, so the tests import
dcsim_reader as a user who installed it does, not from the source tree.
"""

import os
import subprocess
from pathlib import Path


SOURCE = Path(os.environ["DCSIM_SOURCE_DIR"])
DCSIM = os.environ["DCSIM"]
WORK = Path(os.environ["DCSIM_TEST_WORKDIR"])
LIB = SOURCE / "scenarios" / "lib"
DATA = Path(__file__).resolve().parent / "data"
PYTHON_DIR = SOURCE / "analysis" / "python"
NOTEBOOKS = SOURCE / "analysis" / "notebooks"
SWEEPS = SOURCE / "scenarios" / "sweeps"
SITE = Path(os.environ["DCSIM_SITE"])


def dcsim(*args) -> subprocess.CompletedProcess:
    """Runs dcsim with args; fails the test on a non-zero exit status."""
    return subprocess.run([DCSIM, *map(str, args)], check=True, capture_output=True, text=True)


def make(name, scenario, *args, command="run") -> Path:
    """WORK/name made by `dcsim run scenario -q args` (made anew every time;
    command="sweep" for a sweep file)."""
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / name
    out.unlink(missing_ok=True)
    dcsim(command, scenario, "-q", *args, "-o", out)
    return out


def make_sweep_file(name, sweep, *args) -> Path:
    """WORK/name made by `dcsim sweep sweep -q args`."""
    return make(name, sweep, *args, command="sweep")
