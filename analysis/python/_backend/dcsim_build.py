"""A PEP 517 build backend for the dcsim Python package, with no build requirements.

`pip install ./analysis/python` builds a wheel in an isolated environment,
installing the backend's requirements first. This machine, like many that
run dcsim, reaches no Python package index, so the usual backend
(setuptools, which pip would download) cannot be used there: this one needs
nothing but the standard library. It builds a plain wheel of the
dcsim_reader package and writes into it `dcsim_reader/_version.py`, holding
dcsim's version and output format version as the top-level CMakeLists.txt
states them (`project(dcsim VERSION x.y.z)` and `DCSIM_FORMAT_VERSION`): the
one source of both numbers for the C program and the Python package.

The wheel declares no Requires-Dist: its modules need h5py, numpy, pandas
and matplotlib (xarray and scipy for some functions), which are installed as
Debian packages (python3-h5py, ...), and Debian's h5py registers itself as
`h5py._debian_h5py_serial`, so pip would not see the requirement as met and
would try to download h5py. The package checks its imports instead, with a
message that names the Debian packages.
"""

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile
from pathlib import Path

NAME = "dcsim"
HERE = Path(__file__).resolve().parent.parent  # analysis/python
PACKAGE = "dcsim_reader"
SCRIPTS = {"dcsim-plot": "dcsim_reader.plotcmd:main"}
SUMMARY = "Read, plot and report dcsim's HDF5 output (pandas, xarray, matplotlib, HTML)"


def versions():
    """(version, format_version) from the repository's CMakeLists.txt, or from
    the _version.py that an sdist carries."""
    cmake = HERE.parent.parent / "CMakeLists.txt"
    if cmake.is_file():
        text = cmake.read_text()
        v = re.search(r"project\(\s*dcsim\s+VERSION\s+([0-9][0-9.]*)", text)
        f = re.search(r"set\(\s*DCSIM_FORMAT_VERSION\s+([0-9]+)\s*\)", text)
        if v and f:
            return v.group(1), int(f.group(1))
    carried = HERE / PACKAGE / "_version.py"
    if carried.is_file():
        ns = {}
        exec(carried.read_text(), ns)
        return ns["__version__"], ns["FORMAT_VERSION"]
    raise RuntimeError(f"cannot find dcsim's version: no {cmake} and no {carried}")


def _version_py():
    version, fmt = versions()
    return (f'"""Written by the build (analysis/python/_backend): from CMakeLists.txt."""\n'
            f'__version__ = "{version}"\nFORMAT_VERSION = {fmt}\n')


def _metadata():
    version, _ = versions()
    readme = (HERE / "README.md").read_text()
    return (f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {version}\nSummary: {SUMMARY}\n"
            f"Requires-Python: >=3.9\nDescription-Content-Type: text/markdown\n\n{readme}")


def _sources():
    """(path in the wheel, bytes) of the package's modules."""
    out = []
    for p in sorted((HERE / PACKAGE).rglob("*.py")):
        if p.name == "_version.py" or "__pycache__" in p.parts:
            continue
        out.append((p.relative_to(HERE).as_posix(), p.read_bytes()))
    out.append((f"{PACKAGE}/_version.py", _version_py().encode()))
    return out


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    version, _ = versions()
    dist_info = f"{NAME}-{version}.dist-info"
    files = _sources()
    entry = "[console_scripts]\n" + "".join(f"{k} = {v}\n" for k, v in SCRIPTS.items())
    files += [
        (f"{dist_info}/METADATA", _metadata().encode()),
        (f"{dist_info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: dcsim_build\n"
                               b"Root-Is-Purelib: true\nTag: py3-none-any\n"),
        (f"{dist_info}/entry_points.txt", entry.encode()),
    ]
    record = [_record_line(n, d) for n, d in files] + [f"{dist_info}/RECORD,,"]
    files.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))
    name = f"{NAME}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in files:
            info = zipfile.ZipInfo(n, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            z.writestr(info, d, zipfile.ZIP_DEFLATED)
    return name


def build_sdist(sdist_directory, config_settings=None):
    version, _ = versions()
    base = f"{NAME}-{version}"
    name = f"{base}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as tar:
        def add(arcname, data):
            info = tarfile.TarInfo(f"{base}/{arcname}")
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
        for n, d in _sources():
            add(n, d)
        for extra in ("pyproject.toml", "README.md", "_backend/dcsim_build.py"):
            add(extra, (HERE / extra).read_bytes())
        add("PKG-INFO", _metadata().encode())
    return name
