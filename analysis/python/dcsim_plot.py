#!/usr/bin/env python3
"""dcsim_plot.py: the dcsim-plot command, run from a checkout without
installing the package (`pip install ./analysis/python` installs it as
`dcsim-plot`). See dcsim_reader/plotcmd.py."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dcsim_reader.plotcmd import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
