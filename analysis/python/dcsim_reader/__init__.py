"""dcsim_reader: dcsim's HDF5 output as pandas DataFrames, and plots of it.

    import dcsim_reader
    r = dcsim_reader.load("llama.h5")
    r.summary["cost_usd"].describe()

The reader needs h5py, numpy and pandas; the plots module (imported on its
own, `from dcsim_reader import plots`) needs matplotlib too.
"""

from .reader import MissingData, NotADcsimFile, Replication, Results, load

__all__ = ["load", "Results", "Replication", "MissingData", "NotADcsimFile"]
