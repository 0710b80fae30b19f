"""dcsim_reader: dcsim's HDF5 output as pandas DataFrames and xarray
Datasets, figures of it, and a self-contained HTML report.

    import dcsim_reader
    r = dcsim_reader.load("llama.h5")
    r.stats[r.stats.metric == "cost_usd"]

The reader needs h5py, numpy and pandas; the figures (`from dcsim_reader
import plots`) matplotlib; Results.to_xarray() xarray; the sensitivity
indices numpy only. On Debian: python3-h5py python3-numpy python3-pandas
python3-matplotlib python3-xarray. `dcsim-plot FILE.h5` writes every figure
that applies to a file, and `dcsim-plot FILE.h5 --html PAGE.html` the report.
"""

from .reader import MissingData, NotADcsimFile, Replication, Results, load
from .version import FORMAT_VERSION, __version__

__all__ = ["load", "Results", "Replication", "MissingData", "NotADcsimFile", "FORMAT_VERSION",
           "__version__"]
