"""dcsim's version and output format version, from their one source.

An installed package carries them in _version.py, which the build
(analysis/python/_backend) writes from the top-level CMakeLists.txt; the
package used from a checkout, without installing, reads that file itself.
"""

import re
from pathlib import Path

try:
    from ._version import FORMAT_VERSION, __version__
except ImportError:  # a checkout: analysis/python/dcsim_reader/ -> the repository root
    _cmake = Path(__file__).resolve().parents[3] / "CMakeLists.txt"
    _text = _cmake.read_text()
    __version__ = re.search(r"project\(\s*dcsim\s+VERSION\s+([0-9][0-9.]*)", _text).group(1)
    FORMAT_VERSION = int(re.search(r"set\(\s*DCSIM_FORMAT_VERSION\s+([0-9]+)\s*\)",
                                   _text).group(1))

__all__ = ["__version__", "FORMAT_VERSION"]
