"""Reading a dcsim output file into pandas.

A dcsim file is an HDF5 file with root attributes (the run's version, seed,
replication counts and the resolved scenario text) and up to five compound
tables: /summary (one row per point and replication), /stats (one row per
point and metric), /events and /timeseries (traced replications only) and
/sweep/points (sweeps only). load() reads all of them into memory, decodes
every string to str and the event kind to a pandas Categorical, and keeps
each table's `units` and `column_descriptions` attributes beside it.

Each DataFrame carries its columns' units in df.attrs["units"] (column ->
unit, "" for none), and /sweep/points' varied keys are columns in SI units
(seconds, bytes per second, a fraction), their unit attached the same way.
A sweep is also a table (sweep_table(): one row per point, one column per
varied key, then the statistics of the chosen metrics) and an
xarray.Dataset (to_xarray(): dimensions the varied keys of a grid, or point
for a sampled design, and replication).

Tables or columns that a file lacks are None or absent rather than errors:
the columns depend on the scenario (energy columns need a power section, the
accelerator price needs a market) and on the dcsim version that wrote it.
A caller that needs something absent asks require(), which fails with a
message naming what is missing and why it may be.
"""

import dataclasses
import re
import warnings
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

from .version import FORMAT_VERSION

# FORMAT_VERSION (from version.py) is the layout the C writer writes, from the
# same line of CMakeLists.txt: a newer file than that warns, and is read as far
# as its layout allows.

# Table names as attributes of Results, and their HDF5 paths.
TABLES = {
    "summary": "summary",
    "stats": "stats",
    "events": "events",
    "timeseries": "timeseries",
    "points": "sweep/points",
    "sensitivity": "sensitivity",
}

# The columns of /sweep/points that are not varied keys.
POINT_COLUMNS = ("point", "label", "replications", "ci95_halfwidth", "ci95_rel_halfwidth",
                 "precision_reached")

# The event kind that records one occurrence of a failure class, by scope:
# a maintenance window and a cooling unit failure have kinds of their own.
FAILURE_EVENT_KIND = {"maintenance": "maintenance_started", "cooling": "cooling_unit_failure"}

# Why a table may be missing, for require()'s message.
WHY_ABSENT = {
    "events": "only traced replications have events: run dcsim with --trace K",
    "timeseries": "only traced replications are sampled: run dcsim with --trace K",
    "points": "only `dcsim sweep` writes /sweep/points",
    "sensitivity": "only a scenario with uncertain inputs (keys given as distributions) "
    "has /sensitivity",
}

# Why a column may be missing, for require()'s message.
WHY_COLUMN_ABSENT = {
    "accelerator_price_usd_per_hour": "it is written by dcsim's accelerator market, "
    "for a scenario with a market section",
    "it_power_kw": "energy columns need a scenario with a power section",
    "cooling_kw": "energy columns need a scenario with a power section",
    "outdoor_c": "energy columns need a scenario with a power section",
    "throttle": "energy columns need a scenario with a power section",
}


class NotADcsimFile(ValueError):
    """The file exists but is not a dcsim output (not HDF5, or no dcsim layout)."""


class MissingData(LookupError):
    """A table or column that an analysis needs is not in the file."""


@dataclasses.dataclass
class Replication:
    """One replication of one point: its /summary row, events and samples.

    events and timeseries are empty DataFrames (with the file's columns)
    when the replication was not traced, and None when the file has no
    such table at all.
    """

    point: int
    replication: int
    summary: pd.Series
    events: pd.DataFrame | None
    timeseries: pd.DataFrame | None

    @property
    def traced(self) -> bool:
        """True when the file holds this replication's samples."""
        return self.timeseries is not None and len(self.timeseries) > 0


class Results:
    """The contents of one dcsim output file, read by load().

    Attributes: path; attrs (root attributes, str and int); scenario (the
    resolved YAML text); summary, stats, events, timeseries, points and
    sensitivity (DataFrames, None when the file has no such table); units and
    descriptions (table name -> column -> the column's unit or description,
    from the tables' attributes); kind_descriptions (event kind -> what
    its unit and value mean).
    """

    def __init__(self, path, attrs, tables, units, descriptions, kind_descriptions):
        self.path = Path(path)
        self.attrs = attrs
        self.scenario = attrs.get("scenario", "")
        self.summary = tables.get("summary")
        self.stats = tables.get("stats")
        self.events = tables.get("events")
        self.timeseries = tables.get("timeseries")
        self.points = tables.get("points")
        self.sensitivity = tables.get("sensitivity")
        self.units = units
        self.descriptions = descriptions
        self.kind_descriptions = kind_descriptions
        for name, df in self._tables().items():
            df.attrs["units"] = dict(units.get(name, {}))
            df.attrs["descriptions"] = dict(descriptions.get(name, {}))

    def __repr__(self):
        parts = [f"{name}={len(df)} rows" for name, df in self._tables().items()]
        name = self.attrs.get("scenario_name", "?")
        return f"<dcsim Results {self.path.name!r}: scenario {name!r}, {', '.join(parts)}>"

    def _tables(self):
        return {name: getattr(self, name) for name in TABLES if getattr(self, name) is not None}

    @property
    def complete(self) -> bool:
        """True unless the run was interrupted (the file's `complete` attribute is 0)."""
        return bool(self.attrs.get("complete", 1))

    def unit(self, column, table="summary") -> str:
        """The unit of a column of a table ("" when dimensionless or unknown).

        For /stats metrics, the unit of the metric itself: the `units`
        column of its row, which is also the /summary column's unit.
        """
        if table == "stats" and self.stats is not None and column in set(self.stats["metric"]):
            return self.stats.loc[self.stats["metric"] == column, "units"].iloc[0]
        return self.units.get(table, {}).get(column, "")

    def require(self, table, *columns) -> pd.DataFrame:
        """The table, after checking that it exists and has every column named.

        Raises MissingData naming the file, the table or column, and the
        likely reason, so that a notebook cell fails with a clear message.
        """
        df = getattr(self, table, None)
        if df is None:
            why = WHY_ABSENT.get(table, "this dcsim version does not write it")
            raise MissingData(f"{self.path}: no /{TABLES[table]} table ({why})")
        missing = [c for c in columns if c not in df.columns]
        if missing:
            reasons = sorted({WHY_COLUMN_ABSENT[c] for c in missing if c in WHY_COLUMN_ABSENT})
            why = f" ({'; '.join(reasons)})" if reasons else ""
            raise MissingData(
                f"{self.path}: /{TABLES[table]} has no column {', '.join(missing)}{why}; "
                f"its columns are {', '.join(df.columns)}"
            )
        return df

    def failure_classes(self) -> pd.DataFrame:
        """The failure classes in scenario order (index: the class index that
        events carry as `unit`), with columns name, scope and event_kind
        (the event kind that records one failure of the class).

        Names come from the /summary columns n_failures_<name>, which dcsim
        writes in scenario order; scopes from the scenario text (None where
        it cannot be read).
        """
        prefix = "n_failures_"
        names = [c[len(prefix) :] for c in self.summary.columns if c.startswith(prefix)]
        scopes = _failure_scopes(self.scenario)
        if len(scopes) != len(names):
            scopes = [None] * len(names)
        kinds = [FAILURE_EVENT_KIND.get(s, "failure") for s in scopes]
        return pd.DataFrame({"name": names, "scope": scopes, "event_kind": kinds})

    def stages(self) -> pd.DataFrame:
        """A staged job's /summary columns by stage (job.stages, in scenario
        order), one row per (point, replication, stage): columns point,
        replication, stage (a categorical in scenario order), hours,
        accelerator_hours and cost_usd, read from stage_h_<name>,
        stage_accelerator_hours_<name> and stage_cost_usd_<name>. Empty for a
        job without stages. Each (point, replication)'s stages add up to its
        makespan_h, accelerator_hours_held and cost_usd."""
        return self._long_by("stage")

    def types(self) -> pd.DataFrame:
        """A job of several accelerator types (job.accelerators, two or
        more), one row per (point, replication, type): columns point,
        replication, type (a categorical in list order), hours,
        accelerator_hours and cost_usd, read from type_h_<key>,
        type_accelerator_hours_<key> and type_cost_usd_<key>; n_switches
        stays in /summary. Empty for a job of one type. Each (point,
        replication)'s types add up to makespan_h - acquisition_wait_h,
        accelerator_hours_held and cost_compute_usd."""
        return self._long_by("type")

    def _long_by(self, what: str) -> pd.DataFrame:
        """The /summary columns <what>_h_<name>, <what>_accelerator_hours_<name>
        and <what>_cost_usd_<name>, one row per (point, replication, name):
        columns point, replication, <what> (a categorical in column order),
        hours, accelerator_hours and cost_usd."""
        prefix = what + "_h_"
        names = [c[len(prefix) :] for c in self.summary.columns if c.startswith(prefix)]
        parts = []
        for name in names:
            part = self.summary[["point", "replication"]].copy()
            part[what] = name
            part["hours"] = self.summary[prefix + name]
            part["accelerator_hours"] = self.summary[what + "_accelerator_hours_" + name]
            part["cost_usd"] = self.summary[what + "_cost_usd_" + name]
            parts.append(part)
        cols = ["point", "replication", what, "hours", "accelerator_hours", "cost_usd"]
        if not parts:
            return pd.DataFrame({c: [] for c in cols})
        out = pd.concat(parts, ignore_index=True)
        out[what] = pd.Categorical(out[what], categories=names, ordered=True)
        return out.sort_values(["point", "replication", what], kind="stable").reset_index(
            drop=True)[cols]

    def inputs(self) -> list:
        """The uncertain inputs' key paths (keys given as distributions), in
        scenario order: their /summary columns are input.<key path>, the
        value each replication drew."""
        return [c[len("input."):] for c in self.summary.columns if c.startswith("input.")]

    def cost_components(self) -> list:
        """The /summary cost columns other than the total, in file order
        (cost_compute_usd, cost_energy_usd, ...)."""
        return [c for c in self.summary.columns if re.fullmatch(r"cost_.+_usd", c)]

    def stat(self, metric, point=0) -> pd.Series:
        """The /stats row of a metric at a point (mean, sd, p5, ..., target)."""
        stats = self.require("stats")
        row = stats[(stats["point"] == point) & (stats["metric"] == metric)]
        if row.empty:
            raise MissingData(f"{self.path}: /stats has no metric {metric!r} at point {point}")
        return row.iloc[0]

    def target(self, metric="cost_usd", point=0) -> float | None:
        """The scenario's target for a metric (budget for cost_usd, deadline for
        makespan_h), or None when the scenario sets none."""
        try:
            value = float(self.stat(metric, point)["target"])
        except MissingData:
            return None
        return None if np.isnan(value) else value

    # ---- sweeps ----

    @property
    def name(self) -> str:
        """The scenario's name (a sweep: the sweep's name, else its base's)."""
        return str(self.attrs.get("sweep_name") or self.attrs.get("scenario_name") or "")

    def title(self, what) -> str:
        """A figure title: what it shows, then the file and the scenario it is from."""
        scen = self.attrs.get("scenario_name", "")
        sweep = self.attrs.get("sweep_name", "")
        where = f"sweep {sweep} (base {scen})" if sweep else f"scenario {scen}"
        return f"{what}\n{self.path.name}: {where}"

    @property
    def is_sweep(self) -> bool:
        """True for a file of `dcsim sweep` (it has /sweep/points)."""
        return self.points is not None

    def varied_keys(self) -> list:
        """The varied key paths of a sweep, in the file's order ([] for a run)."""
        if self.points is None:
            return []
        return [c for c in self.points.columns if c not in POINT_COLUMNS]

    def key_is_numeric(self, key) -> bool:
        """True when a varied key's column holds numbers (not names)."""
        return self.points is not None and np.issubdtype(self.points[key].dtype, np.number)

    def dims(self) -> list:
        """The keys that span a sweep's design: its varied keys less those
        that hold one value at every point (a sweep's `set`) and less those
        that move in step with an earlier key (a zip: each value of one
        goes with one value of the other); their values are then given by
        the dims'. [] for a run."""
        if self.points is None:
            return []
        pts = self.points
        out = []
        for k in self.varied_keys():
            col = pts[k]
            if col.nunique(dropna=False) <= 1:
                continue
            if any(_in_step(pts, d, k) for d in out):
                continue
            out.append(k)
        return out

    def design(self) -> str:
        """How the points are laid out: "run" (a single scenario), "grid" (every
        combination of the values of dims(), each once: a Cartesian product,
        zipped keys moving with their dim), or "point" (anything else: a
        sampled design, variants that leave keys unset)."""
        if self.points is None:
            return "run"
        keys = self.dims()
        if not keys:
            return "point"
        pts = self.points[keys]
        if pts.isna().any().any() or pts.duplicated().any():
            return "point"
        sizes = [pts[k].nunique() for k in keys]
        return "grid" if int(np.prod(sizes)) == len(pts) else "point"

    def sweep_table(self, metrics=("cost_usd", "makespan_h"),
                    columns=("mean", "ci95_low", "ci95_high", "p5", "p50", "p95")) -> pd.DataFrame:
        """The sweep in tidy form: one row per point with point, label, one
        column per varied key (SI units, as /sweep/points holds them) and the
        replications, then `<metric>_<column>` from /stats for each metric
        (p_over_target too where the scenario sets a target). Units in
        df.attrs["units"]."""
        pts = self.require("points")
        stats = self.require("stats")
        out = pts[["point", "label", *self.varied_keys()]].copy()
        if "replications" in pts:
            out["replications"] = pts["replications"].to_numpy()
        units = {k: self.unit(k, "points") for k in self.varied_keys()}
        for m in metrics:
            rows = stats[stats["metric"] == m].set_index("point")
            if rows.empty:
                raise MissingData(f"{self.path}: /stats has no metric {m!r}")
            cols = list(columns)
            if rows["target"].notna().any():
                cols.append("p_over_target")
            for c in cols:
                out[f"{m}_{c}"] = rows[c].reindex(out["point"]).to_numpy()
                units[f"{m}_{c}"] = "1" if c == "p_over_target" else self.unit(m)
        out.attrs["units"] = units
        return out

    def to_xarray(self, columns=None):
        """The /summary columns (all numeric ones, or those named) as an
        xarray.Dataset with dimensions the varied keys of a grid (coordinates:
        their values, SI units in each coordinate's `units` attribute), or
        `point` for any other sweep or a run (the keys then are coordinates
        along point), and `replication`. Cells a point lacks (fewer
        replications under a precision target) are NaN. Needs python3-xarray."""
        try:
            import xarray as xr
        except ImportError as e:
            raise ImportError("to_xarray needs xarray (Debian: apt-get install "
                              "python3-xarray)") from e
        s = self.summary
        names = [c for c in s.columns if c not in ("point", "replication")
                 and np.issubdtype(s[c].dtype, np.number)] if columns is None else list(columns)
        self.require("summary", *names)
        if self.points is not None:
            points = self.points["point"].to_numpy()
        else:
            points = np.unique(s["point"].to_numpy())
        reps = np.unique(s["replication"].to_numpy())
        pi = pd.Index(points).get_indexer(s["point"])
        ri = pd.Index(reps).get_indexer(s["replication"])
        keys = self.dims() if self.design() == "grid" else self.varied_keys()
        grid = self.design() == "grid"
        if grid:
            levels = [np.sort(self.points[k].unique()) for k in keys]
            idx = [pd.Index(lv).get_indexer(self.points[k]) for k, lv in zip(keys, levels)]
            shape = tuple(len(lv) for lv in levels) + (len(reps),)
            dims = tuple(keys) + ("replication",)
            cell = tuple(i[pi] for i in idx) + (ri,)
            coords = {k: (k, lv, {"units": self.unit(k, "points")}) for k, lv in zip(keys, levels)}
            where = tuple(idx)
            coords["point"] = (tuple(keys), _scatter(points, where, shape[:-1], -1))
            coords["label"] = (tuple(keys), _scatter(self.points["label"].to_numpy(), where,
                                                     shape[:-1], ""))
            for k in self.varied_keys():
                if k not in keys:  # a constant or zipped key: its value in each cell
                    coords[k] = (tuple(keys), _scatter(self.points[k].to_numpy(), where,
                                                       shape[:-1], np.nan if
                                                       self.key_is_numeric(k) else ""),
                                 {"units": self.unit(k, "points")})
        else:
            shape = (len(points), len(reps))
            dims = ("point", "replication")
            cell = (pi, ri)
            coords = {"point": points}
            for k in keys:
                coords[k] = ("point", self.points[k].to_numpy(), {"units": self.unit(k, "points")})
            if self.points is not None:
                coords["label"] = ("point", self.points["label"].to_numpy())
        coords["replication"] = reps
        data = {}
        for c in names:
            a = np.full(shape, np.nan)
            a[cell] = s[c].to_numpy(dtype=float)
            data[c] = (dims, a, {"units": self.unit(c),
                                 "description": self.descriptions.get("summary", {}).get(c, "")})
        attrs = {k: v for k, v in self.attrs.items() if isinstance(v, (str, int, float))}
        attrs["design"] = self.design()
        return xr.Dataset(data, coords=coords, attrs=attrs)

    def point_label(self, point=0) -> str:
        """A readable name of a sweep point: its /sweep/points label, or the
        scenario name for a single run."""
        if self.points is not None and "label" in self.points.columns:
            row = self.points[self.points["point"] == point]
            if not row.empty:
                return str(row["label"].iloc[0])
        name = self.attrs.get("scenario_name", "")
        return name if point == 0 else f"{name} point {point}"

    def traced(self, point=0) -> list:
        """The replications of a point that have samples in /timeseries
        (or events in /events when the file has no samples), in order."""
        df = self.timeseries if self.timeseries is not None else self.events
        if df is None:
            return []
        return sorted(int(r) for r in df.loc[df["point"] == point, "replication"].unique())

    def replication(self, i, point=0) -> Replication:
        """One replication's /summary row, events and samples (see Replication)."""
        s = self.summary
        row = s[(s["point"] == point) & (s["replication"] == i)]
        if row.empty:
            raise MissingData(f"{self.path}: /summary has no replication {i} at point {point}")

        def pick(df):
            if df is None:
                return None
            return df[(df["point"] == point) & (df["replication"] == i)].reset_index(drop=True)

        return Replication(point, i, row.iloc[0], pick(self.events), pick(self.timeseries))


def load(path) -> Results:
    """Reads a dcsim output file.

    Raises FileNotFoundError when there is no such file and NotADcsimFile
    when it is not HDF5 or has no dcsim layout (a format_version attribute
    and a /summary table). A file marked incomplete (an interrupted run) is
    read as it is: check Results.complete.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise NotADcsimFile(f"{path}: not an HDF5 file ({e})") from None
    with f:
        if "format_version" not in f.attrs or "summary" not in f:
            raise NotADcsimFile(
                f"{path}: not a dcsim output (no format_version attribute or /summary)")
        attrs = {k: _decode_attr(v) for k, v in f.attrs.items()}
        if attrs["format_version"] > FORMAT_VERSION:
            warnings.warn(
                f"{path}: format_version {attrs['format_version']} is newer than this reader "
                f"({FORMAT_VERSION}); reading what it recognises",
                stacklevel=2,
            )
        tables, units, descriptions = {}, {}, {}
        for name, where in TABLES.items():
            if where not in f:
                continue
            ds = f[where]
            tables[name] = _read_table(ds)
            cols = list(tables[name].columns)
            units[name] = _column_attr(ds, "units", cols)
            descriptions[name] = _column_attr(ds, "column_descriptions", cols)
        kind_descriptions = {}
        if "events" in f and "kinds" in f["events"].attrs:
            ev = f["events"].attrs
            kinds = _decode_attr(ev["kinds"])
            docs = _decode_attr(ev.get("kind_descriptions", [""] * len(kinds)))
            kind_descriptions = dict(zip(kinds, docs))
    return Results(path, attrs, tables, units, descriptions, kind_descriptions)


def _in_step(pts, a, b) -> bool:
    """True when columns a and b of a table determine each other (a zip) and
    repeat values: keys of a sampled design, whose values are all distinct,
    determine each other too, but vary independently."""
    if pts[a].nunique(dropna=False) == len(pts):
        return False
    return bool((pts.groupby(a, dropna=False)[b].nunique(dropna=False) <= 1).all()
                and (pts.groupby(b, dropna=False)[a].nunique(dropna=False) <= 1).all())


def _scatter(values, where, shape, fill):
    """An array of `shape` holding values[i] at the index tuple of where[..][i]."""
    out = np.full(shape, fill, dtype=np.asarray(values).dtype if fill != "" else object)
    out[tuple(where)] = values
    return out


def _failure_scopes(text) -> list:
    """The scope of every item of the resolved scenario's `failures` list.

    The text is dcsim's own resolved YAML, whose layout is fixed: a top-level
    `failures:` key, items opening with `  - name:`, a `    scope:` line in
    each. Reading just that keeps the reader free of a YAML dependency.
    """
    m = re.search(r"^failures:\n((?:[ \t].*\n?)*)", text, re.M)
    if m is None:
        return []
    items = re.split(r"^  - ", m.group(1), flags=re.M)[1:]
    scopes = []
    for item in items:
        s = re.search(r"(?:^|\n)\s*scope:\s*\"?(\w+)", item)
        scopes.append(s.group(1) if s else None)
    return scopes


def _read_table(ds) -> pd.DataFrame:
    """A compound dataset as a DataFrame: strings decoded, enums categorical."""
    data = ds[()]
    names = data.dtype.names
    return pd.DataFrame({name: _decode_column(data[name], ds.dtype[name]) for name in names})


def _decode_column(values, dtype):
    enum = h5py.check_enum_dtype(dtype)
    if enum is not None:
        names = sorted(enum, key=enum.get)
        codes = np.array([enum[n] for n in names])
        index = np.searchsorted(codes, values)
        index[(index >= len(codes)) | (codes[np.minimum(index, len(codes) - 1)] != values)] = -1
        return pd.Categorical.from_codes(index, categories=names)
    if dtype.kind == "S":
        return np.char.decode(values, "utf-8")
    if h5py.check_string_dtype(dtype) is not None:
        decoded = [v.decode("utf-8") if isinstance(v, bytes) else v for v in values]
        return np.array(decoded, dtype=object)
    return values


def _decode_attr(value):
    """An attribute value as plain Python: str, int, float or a list of them."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return _decode_attr(value[()])
        return [_decode_attr(v) for v in value.tolist()]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _column_attr(ds, name, columns) -> dict:
    """A per-column attribute (units, column_descriptions) as column -> text."""
    if name not in ds.attrs:
        return {}
    values = _decode_attr(ds.attrs[name])
    return dict(zip(columns, values))
