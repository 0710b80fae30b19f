"""Figures of dcsim results, one function per figure.

Every function takes a Results (from load()) and returns a matplotlib
Figure drawn with pyplot, so that it shows in a notebook and can be saved
with fig.savefig(); close it with plt.close(fig) when drawing many. Axis
labels carry the units that the file's `units` attributes give, money is
written as $1.2M, and the layout is constrained so that labels do not
overlap.

Dense events stay readable at the scale of a long run: the timeline draws
its events as a raster below the progress line, one row per kind, each row
thinned to at most RUG_MAX ticks (its label says how many it drew).
"""

import functools
import math
import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import ticker

from .reader import MissingData

# Most ticks a rug draws; beyond this, every k-th event is drawn. A rug of
# tens of thousands of lines is a solid band that hides the plot.
RUG_MAX = 300

# At most this many failures are also marked on the progress line of a
# timeline; more would hide the line (they stay in the event raster).
LINE_MARKERS_MAX = 60

# Colours of failure classes in a timeline: the default cycle without the
# colours of the progress line (C0), waits (C1), checkpoints (C2, C3),
# maintenance (C4) and restarts (C5).
CLASS_COLOURS = ("C6", "C7", "C8", "C9", "k", "navy")

# Runs longer than this are plotted in days rather than hours.
DAYS_ABOVE_H = 72.0

# Most bins in a histogram: more make a comb of a few replications each.
MAX_BINS = 60

# Labels from column_descriptions longer than this fall back to the
# column name (a long description makes an unreadable axis label).
LABEL_MAX = 42

_MONEY_SCALES = ((1e9, "B"), (1e6, "M"), (1e3, "k"), (1.0, ""))

# Text is never typeset as a formula: "$1.2M to $3.4M" holds two dollar
# signs, and matplotlib's mathtext parser (pyparsing) also warns on
# Debian 12's versions. Every figure function draws under these settings.
PLAIN_TEXT = {"text.parse_math": False, "axes.formatter.use_mathtext": False}


def _plain(draw):
    """Draws the figure with PLAIN_TEXT in effect. (Not plt.rc_context: on
    leaving, it also restores the backend setting as it was before pyplot
    chose one, and pyplot then closes the figures of the new backend, so
    that a notebook's first figure would never show.)"""
    @functools.wraps(draw)
    def wrapped(*args, **kwargs):
        old = {k: plt.rcParams[k] for k in PLAIN_TEXT}
        plt.rcParams.update(PLAIN_TEXT)
        try:
            return draw(*args, **kwargs)
        finally:
            plt.rcParams.update(old)
    return wrapped


def money(x) -> str:
    """A dollar amount as dcsim writes money everywhere (analysis/writer.h,
    dcs_money): $1.23T, $1.23B, $87.81M, $43.9k, $47.29; n/a for NaN."""
    if x is None or not np.isfinite(x):
        return "n/a"
    sign = "-" if x < 0 else ""
    a = abs(x)
    # Each threshold is where the smaller unit would round up to 1000.
    for above, scale, suffix, digits in ((999.995e9, 1e12, "T", 2), (999.995e6, 1e9, "B", 2),
                                         (999.95e3, 1e6, "M", 2), (999.995, 1e3, "k", 1)):
        if a >= above:
            return f"{sign}${a / scale:.{digits}f}{suffix}"
    return f"{sign}${a:.2f}"


class MoneyFormatter(ticker.Formatter):
    """Axis ticks in dollars with one scale for the whole axis ($88.25M,
    $88.50M, ...) and as many decimals as the tick step needs."""

    def __call__(self, x, pos=None):
        if x == 0:
            return "$0"
        locs = [v for v in self.locs if np.isfinite(v)] or [x]
        top = max(abs(v) for v in locs)
        scale, suffix = next(((s, u) for s, u in _MONEY_SCALES if top >= s), (1.0, ""))
        steps = np.diff(sorted(locs))
        step = steps[steps > 0].min() / scale if (steps > 0).any() else 1.0
        decimals = 0
        while decimals < 3 and abs(round(step, decimals) - step) > 1e-9 * step:
            decimals += 1
        sign = "-" if x < 0 else ""
        return f"{sign}${abs(x) / scale:,.{decimals}f}{suffix}"


def _format_axis(axis, unit):
    """Money as dollars; large plain numbers with thousands separators."""
    if unit == "USD":
        axis.set_major_formatter(MoneyFormatter())
    else:
        axis.set_major_formatter(ticker.FuncFormatter(lambda v, pos: f"{v:,.10g}"))


def unit_text(unit) -> str:
    """A unit as an axis label prints it: C as °C, nothing for 1 (a ratio)."""
    return {"C": "°C", "1": ""}.get(unit, unit)


def label(results, column, table="summary") -> str:
    """An axis label for a column: its description from the file (or its
    name, when the description is long) and its unit, e.g. "total cost (USD)"."""
    text = results.descriptions.get(table, {}).get(column, "") or column
    if len(text) > LABEL_MAX:
        text = column
    unit = unit_text(results.unit(column, table))
    return f"{text} ({unit})" if unit else text


def _value_format(unit):
    """A function that writes a value of this unit for a legend."""
    if unit == "USD":
        return money
    return lambda v: f"{v:,.4g} {unit_text(unit)}".strip()


def _time_scale(span_h):
    """(factor, axis label) that show a span of hours in days when it is long."""
    if span_h > DAYS_ABOVE_H:
        return 1 / 24, "time since start (d)"
    return 1.0, "time since start (h)"


def _thin(times, limit=RUG_MAX):
    """At most limit of the times, evenly spread, and the step used."""
    times = np.asarray(times)
    if len(times) <= limit:
        return times, 1
    step = math.ceil(len(times) / limit)
    return times[::step], step


def _spans(starts, ends):
    """Pairs each start with the first end at or after it."""
    ends = np.sort(np.asarray(ends, dtype=float))
    out = []
    for s in np.sort(np.asarray(starts, dtype=float)):
        i = np.searchsorted(ends, s)
        out.append((s, ends[i] if i < len(ends) else np.nan))
    return out


def _bins(x, beside=None):
    """Histogram bin edges: numpy's automatic choice, at most MAX_BINS; when
    every value is the same, one bar 2 % of the axis wide (the axis reaching
    to `beside`, a target line, when given) so that it stays visible."""
    lo, hi = float(np.min(x)), float(np.max(x))
    if hi > lo:
        bins = np.histogram_bin_edges(x, bins="auto")
        return bins if len(bins) <= MAX_BINS + 1 else np.linspace(lo, hi, MAX_BINS + 1)
    span = abs(beside - lo) if beside is not None and beside != lo else abs(lo)
    width = 0.02 * span or 1.0
    return np.array([lo - width / 2, lo + width / 2])


def _legend(ax, *args, **kwargs):
    """ax.legend(), with its texts read literally: a label with two dollar
    amounts would otherwise be typeset as a formula between the $ signs."""
    legend = ax.legend(*args, **kwargs)
    for text in legend.get_texts():
        text.set_parse_math(False)
    return legend


def _count(n, noun):
    """A count with its noun: 1 period, 3 periods."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _traced(results, replication, point):
    """The Replication, which must have been traced."""
    rep = results.replication(replication, point)
    if not rep.traced:
        raise MissingData(f"{results.path}: replication {replication} at point {point} was not "
                          f"traced; traced: {results.traced(point)}")
    return rep


def _point_rows(df, point):
    return df[df["point"] == point]


@_plain
def cost_distribution(results, column="cost_usd", point=0):
    """Histogram and empirical CDF of a /summary column over the replications
    of a point (total cost by default), with the p5, p50 and p95 lines and,
    when the scenario sets a target (targets.budget_usd), the budget line
    and P(cost > budget)."""
    s = _point_rows(results.require("summary", column), point)
    x = s[column].dropna().to_numpy(dtype=float)
    if len(x) == 0:
        raise MissingData(f"{results.path}: no finite {column} at point {point}")
    unit = results.unit(column)
    try:
        row = results.stat(column, point)
        pct = {p: float(row[p]) for p in ("p5", "p50", "p95")}
        p_over = float(row["p_over_target"])
    except MissingData:
        pct = {p: float(np.percentile(x, int(p[1:]))) for p in ("p5", "p50", "p95")}
        p_over = np.nan
    target = results.target(column, point)

    fig, (ax_h, ax_c) = plt.subplots(1, 2, figsize=(11, 4.3), layout="constrained")
    lo, hi = float(x.min()), float(x.max())
    bins = _bins(x, target)
    same = " (all equal)" if hi == lo else ""
    ax_h.hist(x, bins=bins, color="C0", alpha=0.75, label=f"{len(x):,} replications{same}")
    xs = np.sort(x)
    ys = np.arange(1, len(xs) + 1) / len(xs)
    ax_c.step(np.r_[xs[0], xs], np.r_[0.0, ys], where="post", color="C0", label="empirical CDF")

    fmt = _value_format(unit)
    styles = {"p5": ":", "p50": "-", "p95": "--"}
    for p, v in pct.items():
        for ax in (ax_h, ax_c):
            ax.axvline(v, color="0.25", linestyle=styles[p], linewidth=1.2,
                       label=f"{p}: {fmt(v)}" if ax is ax_c else None)
    if target is not None:
        if np.isnan(p_over):
            p_over = float((x > target).mean())
        for ax in (ax_h, ax_c):
            text = f"target {fmt(target)}: P(above) = {p_over:.1%}"
            ax.axvline(target, color="C3", linewidth=2, label=text if ax is ax_c else None)
        ax_c.axhline(1 - p_over, color="C3", linewidth=0.8, linestyle=":")
    for ax in (ax_h, ax_c):
        ax.set_xlabel(label(results, column))
        _format_axis(ax.xaxis, unit)
        ax.xaxis.set_major_locator(ticker.MaxNLocator(nbins=6))
    ax_h.set_ylabel("replications")
    ax_h.yaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    ax_c.set_ylabel("P(value ≤ x)")
    ax_c.yaxis.set_major_formatter(ticker.PercentFormatter(1.0))
    ax_c.set_ylim(0, 1.02)
    ax_h.set_title("histogram")
    ax_c.set_title("empirical CDF")
    # One legend, on the CDF, where it covers no bar of the histogram.
    bars, what = ax_h.get_legend_handles_labels()
    lines, names = ax_c.get_legend_handles_labels()
    _legend(ax_c, bars + lines, what + names, fontsize="small", loc="best", framealpha=0.9)
    what = f"Distribution of {column}"
    if results.is_sweep:
        what += f", point {point}: {results.point_label(point)}"
    fig.suptitle(results.title(what))
    return fig


@_plain
def cost_components(results):
    """The mean of each cost component (the cost_*_usd columns other than
    cost_usd), components in order of size: on top as a stacked bar, one
    per point, with the mean total cost marked; below (for a single point)
    as one bar per component, labelled with its mean and share, so that the
    small components are readable too."""
    comps = results.cost_components()
    if not comps:
        raise MissingData(f"{results.path}: /summary has no cost_*_usd component columns")
    s = results.require("summary", "cost_usd", *comps)
    means = s.groupby("point")[comps].mean()
    total_points = len(means)
    if total_points > RISK_MAX:  # the points of lowest mean cost, as the risk figure
        keep = s.groupby("point")["cost_usd"].mean().nsmallest(RISK_MAX).index
        means = means.loc[sorted(keep)]
        s = s[s["point"].isin(keep)]
    # A component that is $0 at every point (no energy bill when the rent
    # includes it, no data cost) is left out and named in the axis label.
    zero = [c for c in comps if not (means[c].abs() > 0).any()]
    comps = [c for c in comps if c not in zero] or comps[:1]
    means = means[comps]
    order = list(means.mean().sort_values(ascending=False).index)
    total = s.groupby("point")["cost_usd"].mean()
    points = list(means.index)
    names = {c: c[len("cost_") : -len("_usd")] for c in order}
    colours = {c: f"C{i % 10}" for i, c in enumerate(order)}
    single = len(points) == 1 and len(order) > 1
    heights = [0.9 + 0.45 * len(points)] + ([0.5 + 0.4 * len(order)] if single else [])
    fig, axes = plt.subplots(len(heights), 1, figsize=(10 if len(points) == 1 else 12,
                                                       1.4 + sum(heights)),
                             layout="constrained", gridspec_kw={"height_ratios": heights},
                             squeeze=False)
    ax = axes[0, 0]
    y = np.arange(len(points))
    left = np.zeros(len(points))
    for c in order:
        v = means[c].to_numpy()
        ax.barh(y, v, left=left, color=colours[c], height=0.6, label=names[c])
        left += v
    ax.plot(total.to_numpy(), y, "kD", markersize=6, label="total (cost_usd)")
    ax.set_yticks(y, [results.point_label(p) if single or len(points) == 1 else
                      f"{p}: {_short(results.point_label(p), 40)}" for p in points],
                  fontsize="small" if len(points) > 1 else None)
    ax.set_ylim(-0.6, len(points) - 0.4)
    ax.invert_yaxis()
    ax.set_xlim(0, max(float(left.max()), float(total.max())) * 1.02 or 1.0)
    _legend(ax, loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small", frameon=False)
    what = "Mean cost per replication by component"
    if total_points > RISK_MAX:
        what += f": the {RISK_MAX} of {total_points:,} points with the lowest mean cost"
    fig.suptitle(results.title(what))
    unit = results.unit("cost_usd")
    none = ", ".join(c[len("cost_"):-len("_usd")] for c in zero)
    none = f"; $0, not shown: {none}" if none else ""
    if single:
        ax_b = axes[1, 0]
        v = means.iloc[0][order].to_numpy(dtype=float)
        yb = np.arange(len(order))
        ax_b.barh(yb, v, color=[colours[c] for c in order], height=0.6)
        grand = float(total.iloc[0])
        for yi, w in zip(yb, v):
            share = f" ({w / grand:.1%})" if grand > 0 else ""
            ax_b.text(w, yi, f" {money(w)}{share}", va="center", ha="left", fontsize="small")
        ax_b.set_yticks(yb, [names[c] for c in order])
        ax_b.invert_yaxis()
        ax_b.set_xlim(0, float(v.max()) * 1.25 or 1.0)
        ax_b.set_xlabel(f"mean cost per replication ({unit}{none})")
        for axis in (ax, ax_b):
            _format_axis(axis.xaxis, "USD")
            axis.xaxis.set_major_locator(ticker.MaxNLocator(nbins=6))
    else:
        _format_axis(ax.xaxis, "USD")
    ax.set_xlabel(f"mean cost per replication, stacked ({unit}{'' if single else none})")
    return fig


def tornado(results, metric="cost_usd", point=0):
    """What drives the spread: each uncertain input's first-order index of
    `metric` (its share of the variance, from /sensitivity) as a horizontal
    bar with its 95 % interval, largest on top, and the rest (the
    simulation's own noise and interactions between inputs) below them."""
    sens = results.require("sensitivity", "metric", "input", "first_order", "ci95_low",
                           "ci95_high")
    rows = sens[(sens["point"] == point) & (sens["metric"] == metric)]
    if rows.empty:
        raise MissingData(f"{results.path}: /sensitivity has no rows for {metric} at point "
                          f"{point}")
    rest = rows[rows["input"] == "(rest)"]
    rows = rows[rows["input"] != "(rest)"].sort_values("first_order", ascending=False)
    rows = pd.concat([rows, rest])
    names = [("rest: noise and interactions" if i == "(rest)" else i) for i in rows["input"]]
    s = rows["first_order"].to_numpy(dtype=float)
    lo = rows["ci95_low"].to_numpy(dtype=float)
    hi = rows["ci95_high"].to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(10, 1.6 + 0.38 * len(rows)), layout="constrained")
    y = np.arange(len(rows))
    colours = ["0.6" if n.startswith("rest:") else "C0" for n in names]
    ax.barh(y, np.clip(s, 0, None), color=colours, height=0.6)
    ax.errorbar(s, y, xerr=[np.clip(s - lo, 0, None), np.clip(hi - s, 0, None)], fmt="none",
                ecolor="k", capsize=3, linewidth=1)
    for yi, v in zip(y, s):
        ax.text(max(v, 0) + 0.01, yi - 0.3, f"{v:.1%}", va="center", ha="left",
                fontsize="small")
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.axvline(0, color="k", linewidth=0.8)
    ax.set_xlim(min(0.0, float(np.nanmin(lo)) - 0.02), max(1.0, float(np.nanmax(hi)) + 0.05))
    ax.xaxis.set_major_formatter(ticker.PercentFormatter(1.0))
    n = int(rows["n"].iloc[0]) if "n" in rows.columns and len(rows) else 0
    ax.set_xlabel(f"first-order sensitivity index of {metric}: share of its variance "
                  f"(95 % interval; {n:,} replications)")
    fig.suptitle(results.title(f"What drives the spread of {metric}"))
    return fig


def _merge(spans):
    """Overlapping (start, end) spans merged into one, in time order."""
    out = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


@_plain
def timeline(results, replication=0, point=0, t_range=None):
    """One replication's progress against time (top) above a raster of its
    events (bottom): one row per failure class, maintenance windows,
    checkpoints done and lost, restarts done. Waits for a repaired node and maintenance windows
    are shaded. When there are at most LINE_MARKERS_MAX failures they are
    also marked on the progress line, where the work they throw away shows.
    Rows of more than RUG_MAX events are thinned to every k-th (the row's
    label says so). t_range = (t0_h, t1_h) zooms into a window."""
    results.require("timeseries", "t_h", "progress")
    rep = _traced(results, replication, point)
    ts, ev = rep.timeseries, rep.events
    if ev is None:
        ev = pd.DataFrame({"t_h": [], "kind": pd.Categorical([]), "unit": [], "value": []})
    if t_range is not None:
        t0, t1 = t_range
        ts = ts[(ts["t_h"] >= t0) & (ts["t_h"] <= t1)]
        ev = ev[(ev["t_h"] >= t0) & (ev["t_h"] <= t1)]
    t_h = ts["t_h"].to_numpy()
    k, tlabel = _time_scale(t_h[-1] - t_h[0] if len(t_h) else 0.0)
    t = t_h * k
    prog = ts["progress"].to_numpy()

    def times(kind):
        return ev.loc[ev["kind"] == kind, "t_h"].to_numpy() * k

    fig, (ax, ax_e) = plt.subplots(2, 1, figsize=(11, 6.8), sharex=True, layout="constrained",
                                   gridspec_kw={"height_ratios": [3, 1.6]})
    ax.plot(t, prog, color="C0", linewidth=1.4, label="progress: work done / work of the job")

    fails, windows_rows = [], []  # (label, times, colour)
    for i, c in results.failure_classes().iterrows():
        ft = ev.loc[(ev["kind"] == c["event_kind"]) & (ev["unit"] == i), "t_h"].to_numpy() * k
        if c["scope"] == "maintenance":
            windows_rows.append((f"maintenance: {c['name']}", ft, "C4"))
        else:
            fails.append((c["name"], ft, CLASS_COLOURS[len(fails) % len(CLASS_COLOURS)]))
    nfail = sum(len(ft) for _, ft, _ in fails)
    for name, ft, colour in fails:
        if 0 < nfail <= LINE_MARKERS_MAX and len(ft):
            ax.plot(ft, np.interp(ft, t, prog), linestyle="none", marker="x", color=colour,
                    markersize=7, markeredgewidth=1.5, label=f"failure, class {name} ({len(ft)})")
    rows = [(f"failure: {name}", ft, colour) for name, ft, colour in fails] + windows_rows
    rows.append(("checkpoint done", times("checkpoint_done"), "C2"))
    rows.append(("checkpoint lost", times("checkpoint_lost"), "C3"))
    rows.append(("restart done", times("restart_done"), "C5"))

    # A wait ends when the job restarts (or, cut short by the end, finishes).
    ends = np.r_[times("restart_started"), times("job_done")]
    spans = _spans(times("waiting_for_node"), ends)
    waits = _merge((a, b if np.isfinite(b) else t[-1]) for a, b in spans)
    maint = ev[ev["kind"] == "maintenance_started"]
    windows = _merge(zip(maint["t_h"] * k, (maint["t_h"] + maint["value"]) * k))
    throttled = [(a * k, b * k) for a, b in _throttled_periods(ev, ts)]
    shaded = (
        (waits, "C1", "waiting for a repaired node"),
        (windows, "C4", "maintenance window"),
        (throttled, "C3", "throttled (cooling capacity short)"),
    )
    for spans, colour, what in shaded:
        for j, (a, b) in enumerate(spans):
            for axis in (ax, ax_e):
                axis.axvspan(a, b, color=colour, alpha=0.2, linewidth=0,
                             label=f"{what} ({len(spans)})" if j == 0 and axis is ax else None)

    labels = []
    for y, (label, et, colour) in enumerate(reversed(rows)):
        drawn, step = _thin(et)
        ax_e.vlines(drawn, y - 0.35, y + 0.35, color=colour, linewidth=0.8 if step == 1 else 0.5)
        note = f"{len(et):,}" if step == 1 else f"{len(et):,}, 1 in {step} drawn"
        labels.append(f"{label} ({note})")
    ax_e.set_yticks(range(len(rows)), labels, fontsize="small")
    ax_e.set_ylim(-0.6, len(rows) - 0.4)
    if t_range is not None:
        tlabel += f", window {t_range[0]:,.1f} to {t_range[1]:,.1f} h"
    ax_e.set_xlabel(tlabel)
    ax_e.set_title("events", fontsize="medium", loc="left")

    ax.set_ylabel("progress (share of the job's work)")
    ax.yaxis.set_major_formatter(ticker.PercentFormatter(1.0))
    if t_range is None:
        ax.set_ylim(-0.02, 1.04)
    if len(t) > 1:
        # A little room on the right, so that events at the end clear the frame.
        ax.set_xlim(t[0], t[-1] + 0.01 * (t[-1] - t[0]))
    _format_axis(ax_e.xaxis, "h")
    s = rep.summary
    info = f"makespan {s['makespan_h']:,.1f} h, {int(s['n_interruptions']):,} interruptions"
    if "goodput" in s:
        info += f", goodput {s['goodput']:.1%}"
    if "cost_usd" in s:
        info += f", cost {money(s['cost_usd'])}"
    what = f"Replication {replication}"
    if results.is_sweep:
        what += f" of point {point} ({results.point_label(point)})"
    ax.set_title(f"{results.title(what)}\n{info}", fontsize="medium")
    _legend(ax, loc="upper left", fontsize="small", framealpha=0.9)
    return fig


def _throttled_periods(ev, ts):
    """(start_h, end_h) of each throttled period: from the throttle events
    when there are any, else from runs of the throttle column below 1."""
    if ev is not None and len(ev):
        starts = ev.loc[ev["kind"] == "throttle_started", "t_h"].to_numpy()
        if len(starts):
            ends = ev.loc[ev["kind"] == "throttle_ended", "t_h"].to_numpy()
            last = ts["t_h"].iloc[-1]
            return [(a, b if np.isfinite(b) else last) for a, b in _spans(starts, ends)]
    if "throttle" not in ts:
        return []
    low = (ts["throttle"] < 1.0).to_numpy()
    t = ts["t_h"].to_numpy()
    edges = np.flatnonzero(np.diff(np.r_[0, low.astype(int), 0]))
    return [(t[a], t[min(b, len(t) - 1)]) for a, b in zip(edges[::2], edges[1::2])]


@_plain
def power_cooling(results, replication=0, point=0):
    """IT and cooling power of one replication against time, with the outdoor
    temperature on a second axis and the throttled periods shaded; a lower
    panel shows the throttle factor (the speed the cooling capacity allows)
    when it ever fell below 1, and is left out otherwise (the title says that
    the run never throttled)."""
    results.require("timeseries", "t_h", "it_power_kw", "cooling_kw", "outdoor_c")
    rep = _traced(results, replication, point)
    ts, ev = rep.timeseries, rep.events
    k, tlabel = _time_scale(float(ts["t_h"].iloc[-1]))
    t = ts["t_h"].to_numpy() * k
    periods = _throttled_periods(ev, ts)
    throttled = "throttle" in ts and (bool(periods) or bool((ts["throttle"] < 1.0).any()))

    if throttled:
        fig, (ax, ax_t) = plt.subplots(2, 1, figsize=(11, 6.2), sharex=True, layout="constrained",
                                       gridspec_kw={"height_ratios": [3, 1]})
    else:
        fig, ax = plt.subplots(figsize=(11, 5.0), layout="constrained")
        ax_t = None
    ax.plot(t, ts["it_power_kw"], color="C0", linewidth=1.2, label="IT power")
    ax.plot(t, ts["cooling_kw"], color="C1", linewidth=1.2, label="cooling and facility power")
    ax.set_ylabel(f"power ({results.unit('it_power_kw', 'timeseries')})")
    ax.set_ylim(bottom=0)
    _format_axis(ax.yaxis, "kW")
    ax2 = ax.twinx()
    ax2.plot(t, ts["outdoor_c"], color="C3", linewidth=0.9, linestyle="--", alpha=0.8,
             label="outdoor temperature")
    ax2.set_ylabel(label(results, "outdoor_c", "timeseries"))

    hours = sum(b - a for a, b in periods)
    panels = (ax, ax_t) if throttled else (ax,)
    for j, (a, b) in enumerate(periods):
        for axis in panels:
            axis.axvspan(a * k, b * k, color="C3", alpha=0.15, linewidth=0,
                         label=f"throttled ({_count(len(periods), 'period')}, {hours:,.1f} h)"
                         if j == 0 and axis is ax else None)
    marks = (("cooling_unit_failure", "v", "cooling unit failure"),
             ("cooling_unit_repaired", "^", "cooling unit repaired"))
    for kind, marker, what in marks if ev is not None else ():
        when = ev.loc[ev["kind"] == kind, "t_h"].to_numpy() * k
        if len(when):
            ax.plot(when, np.full(len(when), 0.96), transform=ax.get_xaxis_transform(),
                    linestyle="none", marker=marker, color="k", markersize=6,
                    label=f"{what} ({len(when)})")
    bottom = ax
    if throttled:
        ax_t.plot(t, ts["throttle"], color="C3", linewidth=1.0, label="throttle factor")
        ax_t.set_ylim(min(0.0, float(ts["throttle"].min())) - 0.02, 1.05)
        ax_t.set_ylabel("throttle factor")
        ax_t.yaxis.set_major_formatter(ticker.PercentFormatter(1.0))
        bottom = ax_t
    bottom.set_xlabel(tlabel)
    _format_axis(bottom.xaxis, "h")
    handles, labels = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    _legend(bottom, handles + h2, labels + l2, loc="upper center",
            bbox_to_anchor=(0.5, -0.42 if throttled else -0.12), ncol=3, fontsize="small",
            frameon=False)
    bottom.set_xlim(t[0], t[-1])
    s = rep.summary
    info = f"makespan {s['makespan_h']:,.1f} h"
    if "energy_mwh" in s:
        info += f", facility energy {s['energy_mwh']:,.1f} MWh"
    if "pue" in s:
        info += f", PUE {s['pue']:.3f}"
    if not throttled:
        info += "; never throttled"
    what = f"Power and cooling, replication {replication}"
    if results.is_sweep:
        what += f" of point {point} ({results.point_label(point)})"
    ax.set_title(f"{results.title(what)}\n{info}", fontsize="medium")
    return fig


def _mean_path(ts, column, step_h):
    """The mean of a column over the replications still running, on a
    common grid of times (a replication contributes until its last sample).
    The mean stops where fewer than half of the replications are still
    running: past that, it would be the path of a few long runs, not a
    mean, and would jump each time one of them ends."""
    end = ts.groupby("replication")["t_h"].max()
    grid = np.arange(0.0, float(end.max()) + step_h / 2, step_h)
    paths = []
    for r, g in ts.groupby("replication"):
        y = np.interp(grid, g["t_h"], g[column])
        y[grid > end[r]] = np.nan
        paths.append(y)
    paths = np.vstack(paths)
    running = np.sum(~np.isnan(paths), axis=0)
    keep = running >= max(1, (len(end) + 1) // 2)
    with np.errstate(invalid="ignore"):
        mean = np.nanmean(paths[:, keep], axis=0) if keep.any() else np.array([])
    return grid[keep], mean


PRICE = "accelerator_price_usd_per_hour"


def shocks(results) -> list:
    """The market shocks of the file's resolved scenario, as dicts with
    target, types (the market types it hits; [] for all), factor, start_h,
    ramp_h and duration_h (inf when it lasts), in scenario order ([]
    without a market or shocks)."""
    text = results.scenario
    m = re.search(r"^market:\n((?:[ \t].*\n?)*)", text, re.M)
    if m is None:
        return []
    sh = re.search(r"^  shocks:\n((?:    .*\n?)*)", m.group(1), re.M)
    if sh is None:
        return []
    out = []
    for item in re.split(r"^    - ", sh.group(1), flags=re.M)[1:]:
        def num(key, default=np.nan):
            v = re.search(rf"(?:^|\n)\s*{key}:\s*([-+0-9.eE]+)s?\b", item)
            return float(v.group(1)) if v else default
        target = re.search(r"target:\s*(\w+)", item)
        hit = re.search(r"types:\n((?:\s+- .*\n?)*)", item)
        hit = re.findall(r'- "?([^"\n]+?)"?\s*$', hit.group(1), re.M) if hit else []
        out.append({"target": target.group(1) if target else "?", "types": hit,
                    "factor": num("factor"),
                    "start_h": num("start", 0.0) / 3600, "ramp_h": num("ramp", 0.0) / 3600,
                    "duration_h": num("duration", np.inf) / 3600})
    return out


def market_types(results) -> list:
    """The accelerator types of the file's market, in the order of
    market.types in the resolved scenario (the `unit` of its market_price
    events); [] for a market of one type (no market.types) or none."""
    m = re.search(r"^market:\n((?:[ \t].*\n?)*)", results.scenario, re.M)
    if m is None:
        return []
    t = re.search(r"^  types:\n((?:    .*\n?)*)", m.group(1), re.M)
    if t is None:
        return []
    return re.findall(r'^    - accelerator: "?([^"\n]+?)"?$', t.group(1), re.M)


def _type_prices(results, point):
    """The market_price events of a point, as a DataFrame with replication,
    t_h, unit and value (empty without events)."""
    ev = results.events
    if ev is None:
        return pd.DataFrame(columns=["replication", "t_h", "unit", "value"])
    ev = _point_rows(ev, point)
    return ev[ev["kind"].astype(str) == "market_price"]


def _mark_shocks(ax, results, k, t_end_h):
    """Shades each market shock of the scenario on a time axis (scale k):
    the ramp lighter, the span where it holds darker, labelled with its
    target and factor."""
    for i, sh in enumerate(shocks(results)):
        a = sh["start_h"]
        if not np.isfinite(a) or a > t_end_h or sh["factor"] == 1:
            continue  # a factor of 1 changes nothing
        ramp_end = a + sh["ramp_h"]
        end = min(a + sh["duration_h"], t_end_h)
        lasting = "" if np.isfinite(sh["duration_h"]) else ", lasting"
        start_d = f"day {a / 24:,.0f}" if a >= 48 else f"{a:,.1f} h"
        on = f" on {', '.join(sh['types'])}" if sh.get("types") else ""
        text = (f"{sh['target']} shock{on} x{sh['factor']:g} from {start_d}"
                f" (ramp {sh['ramp_h'] / 24:,.0f} d{lasting})")
        ax.axvspan(a * k, min(ramp_end, end) * k, color="0.5", alpha=0.12, linewidth=0)
        ax.axvspan(min(ramp_end, end) * k, end * k, color="0.5", alpha=0.25, linewidth=0,
                   label=text if i < 3 else None)
        ax.axvline(a * k, color="0.3", linestyle=":", linewidth=1.2)


@_plain
def price_paths(results, other=None, labels=None, point=0):
    """The accelerator price of every traced replication against time (thin
    lines) and their mean path (bold), with the scenario's market shocks
    shaded (from the resolved scenario in the file). With other (a second
    Results, e.g. the same scenario without its shock), its paths are drawn
    over in a second colour; labels names the two."""
    types = market_types(results) if other is None else []
    if len(types) > 1 and not _type_prices(results, point).empty:
        return _price_paths_by_type(results, types, point)
    runs = [results] if other is None else [results, other]
    labels = labels or [f"{r.attrs.get('scenario_name', '')} ({r.path.name})" for r in runs]
    for r in runs:
        r.require("timeseries", "t_h", PRICE)
    t_end = max(float(r.timeseries["t_h"].max()) for r in runs)
    k, tlabel = _time_scale(t_end)
    fig, ax = plt.subplots(figsize=(11, 5.2), layout="constrained")
    for i, (r, name) in enumerate(zip(runs, labels)):
        ts = _point_rows(r.timeseries, point)
        if ts.empty:
            raise MissingData(f"{r.path}: no samples at point {point}")
        reps = ts.groupby("replication")
        for j, (_, g) in enumerate(reps):
            ax.plot(g["t_h"] * k, g[PRICE], color=f"C{i}", linewidth=0.6, alpha=0.3,
                    label=f"{name}: each of {reps.ngroups} traced replications" if j == 0 else None)
        times = np.sort(ts["t_h"].unique())
        step = float(np.median(np.diff(times))) if len(times) > 1 else 1.0
        grid, mean = _mean_path(ts, PRICE, step)
        ax.plot(grid * k, mean, color=f"C{i}", linewidth=2.4,
                label=f"{name}: mean path (while half the runs go on)")
    _mark_shocks(ax, results, k, t_end)
    unit = results.unit(PRICE, "timeseries") or "USD per accelerator-hour"
    ax.set_ylabel(f"accelerator price ({unit})")
    ax.yaxis.set_major_formatter(MoneyFormatter())
    ax.set_xlabel(tlabel)
    _format_axis(ax.xaxis, "h")
    _legend(ax, fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2,
            frameon=False)
    what = "Accelerator price paths"
    if other is not None:
        what += f" against {other.path.name} ({other.attrs.get('scenario_name', '')})"
    ax.set_title(results.title(what), fontsize="medium")
    return fig


def _price_paths_by_type(results, types, point):
    """price_paths for a market of several types: each type's price in every
    traced replication (thin) and its mean path (bold), one colour a type,
    from the market_price events (unit: the type's index in market.types)."""
    ev = _type_prices(results, point)
    t_end = float(ev["t_h"].max())
    k, tlabel = _time_scale(t_end)
    fig, ax = plt.subplots(figsize=(11, 5.6), layout="constrained")
    for u, name in enumerate(types):
        rows = ev[ev["unit"] == u]
        if rows.empty:
            continue
        reps = rows.groupby("replication")
        for _, g in reps:
            ax.plot(g["t_h"] * k, g["value"], color=f"C{u}", linewidth=0.5, alpha=0.2)
        times = np.sort(rows["t_h"].unique())
        step = float(np.median(np.diff(times))) if len(times) > 1 else 1.0
        grid, mean = _mean_path(rows, "value", step)
        ax.plot(grid * k, mean, color=f"C{u}", linewidth=2.4,
                label=f"{name}: mean of {reps.ngroups} traced replications")
    _mark_shocks(ax, results, k, t_end)
    ax.set_ylabel("accelerator price (USD per accelerator-hour)")
    ax.yaxis.set_major_formatter(MoneyFormatter())
    ax.set_xlabel(tlabel)
    _format_axis(ax.xaxis, "h")
    _legend(ax, fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2,
            frameon=False)
    ax.set_title(results.title("Accelerator price paths by type (thin: each traced replication)"),
                 fontsize="medium")
    return fig


@_plain
def compare_costs(a, b, labels=None, column="cost_usd"):
    """Paired comparison of a /summary column (total cost by default) in two
    files: histograms of both, and of the paired difference b - a over the
    (point, replication) pairs that both files hold. Paired differences of
    runs with common random numbers (the same seed) are far less noisy than
    the difference of two independent samples."""
    labels = labels or [f"{r.attrs.get('scenario_name', '')} ({r.path.name})" for r in (a, b)]
    keys = ["point", "replication"]
    pa = a.require("summary", column)[keys + [column]]
    pb = b.require("summary", column)[keys + [column]]
    both = pa.merge(pb, on=keys, suffixes=("_a", "_b")).dropna()
    if both.empty:
        raise MissingData(f"{a.path} and {b.path} have no (point, replication) in common")
    xa, xb = both[f"{column}_a"].to_numpy(), both[f"{column}_b"].to_numpy()
    d = xb - xa
    unit = a.unit(column)
    fmt = _value_format(unit)

    fig, (ax, ax_d) = plt.subplots(1, 2, figsize=(11.5, 4.4), layout="constrained")
    bins = _bins(np.r_[xa, xb])
    for i, (x, name) in enumerate(((xa, labels[0]), (xb, labels[1]))):
        ax.hist(x, bins=bins, histtype="stepfilled", alpha=0.35, color=f"C{i}")
        ax.hist(x, bins=bins, histtype="step", linewidth=1.5, color=f"C{i}",
                label=f"{name}: mean {fmt(x.mean())}")
        ax.axvline(x.mean(), color=f"C{i}", linestyle="--", linewidth=1)
    ax.set_xlabel(label(a, column))
    ax.set_ylabel("replications")
    ax.set_title("both runs")
    # Legends below the axes, where they cover no bar.
    _legend(ax, fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.16),
            frameon=False)

    se = d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else np.nan
    same = " (all equal)" if d.min() == d.max() else ""
    # All pairs equal (the same run twice): one bar, its width a share of the mean.
    ax_d.hist(d, bins=_bins(d, beside=0.05 * float(np.mean(np.abs(xa)))), color="C2", alpha=0.75,
              label=f"{len(d):,} pairs{same}")
    ax_d.axvline(0.0, color="0.3", linewidth=1)
    ci = f" ± {fmt(1.96 * se)} (95% CI)" if np.isfinite(se) else ""
    ax_d.axvline(d.mean(), color="k", linestyle="--", linewidth=1.4,
                 label=f"mean difference {fmt(d.mean())}{ci}")
    ax_d.set_xlabel(f"{labels[1]} − {labels[0]}" + (f" ({unit_text(unit)})" if unit else ""))
    ax_d.set_ylabel("pairs")
    ax_d.plot([], [], " ", label=f"second higher in {(d > 0).mean():.1%} of pairs")
    ax_d.set_title("paired difference: second − first")
    _legend(ax_d, fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.16),
            frameon=False)
    for axis in (ax, ax_d):
        _format_axis(axis.xaxis, unit)
        axis.xaxis.set_major_locator(ticker.MaxNLocator(nbins=5))
        axis.yaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    fig.suptitle(f"Paired comparison of {column}: {b.path.name} − {a.path.name}\n"
                 f"scenarios {b.attrs.get('scenario_name', '')} and "
                 f"{a.attrs.get('scenario_name', '')}, {len(d):,} pairs (point, replication)")
    return fig


# ---- Sweeps ----

# At most this many points in the risk figure (those of lowest mean cost).
RISK_MAX = 40

# At most this many lines (combinations of the other keys) in a figure of a
# metric against one key; beyond, the points are drawn as dots only.
MAX_LINES = 8


def key_scale(results, key):
    """(factor, unit) that show a varied key's SI values (as /sweep/points
    holds them) readably: seconds as min, h or d; bytes per second as GB/s or
    TB/s; watts as kW or MW. (1.0, unit) otherwise."""
    unit = results.unit(key, "points")
    if not results.key_is_numeric(key):
        return 1.0, ""
    v = results.points[key].to_numpy(dtype=float)
    top = float(np.nanmax(np.abs(v))) if np.isfinite(v).any() else 0.0
    scales = {
        "s": ((2 * 86400, 86400, "d"), (2 * 3600, 3600, "h"), (120, 60, "min"), (0, 1, "s")),
        "B/s": ((1e12, 1e12, "TB/s"), (1e9, 1e9, "GB/s"), (1e6, 1e6, "MB/s"), (0, 1, "B/s")),
        "B": ((1e12, 1e12, "TB"), (1e9, 1e9, "GB"), (1e6, 1e6, "MB"), (0, 1, "B")),
        "W": ((1e6, 1e6, "MW"), (1e3, 1e3, "kW"), (0, 1, "W")),
    }
    for above, div, name in scales.get(unit, ()):
        if top >= above:
            return 1.0 / div, name
    return 1.0, unit_text(unit)


def key_label(results, key):
    """An axis label for a varied key: its path and readable unit."""
    _, unit = key_scale(results, key)
    return f"{key} ({unit})" if unit else key


def _sweep_stats(results, metrics):
    """sweep_table() with the metrics' statistics, sorted by point."""
    return results.sweep_table(metrics).sort_values("point").reset_index(drop=True)


@_plain
def sweep_metric(results, key, metrics=("cost_usd", "makespan_h")):
    """A sweep's metrics against one varied key: per metric a panel with the
    mean and its 95 % confidence interval (error bars) and the p5-p95 range
    (a band, or thin bars for dots). In a grid, one line per combination of
    the other varied keys (at most MAX_LINES); in a sampled design, or with
    more combinations, one dot per point."""
    results.require("points")
    if key not in results.varied_keys():
        raise MissingData(f"{results.path}: {key!r} is not a varied key of this sweep "
                          f"(they are {', '.join(results.varied_keys())})")
    tab = _sweep_stats(results, metrics)
    numeric = results.key_is_numeric(key)
    k, _ = key_scale(results, key)
    if numeric:
        x_all = tab[key].to_numpy(dtype=float) * k
    else:
        names = list(dict.fromkeys(tab[key]))
        x_all = np.array([names.index(v) for v in tab[key]], dtype=float)
    others = [o for o in results.dims() if o != key]
    grid = results.design() == "grid" and key in results.dims()
    by = others[0] if len(others) == 1 else others
    groups = tab.groupby(by, sort=True) if (grid and others) else [((), tab)]
    lines = grid and (not others or len(groups) <= MAX_LINES)
    fig, axes = plt.subplots(1, len(metrics), figsize=(5.6 * len(metrics), 4.6),
                             layout="constrained", squeeze=False)
    for ax, m in zip(axes[0], metrics):
        unit = results.unit(m)
        for i, (gkey, g) in enumerate(groups if lines else [((), tab)]):
            g = g.sort_values(key)
            x = x_all[g.index]
            mean = g[f"{m}_mean"].to_numpy()
            lo, hi = g[f"{m}_ci95_low"].to_numpy(), g[f"{m}_ci95_high"].to_numpy()
            p5, p95 = g[f"{m}_p5"].to_numpy(), g[f"{m}_p95"].to_numpy()
            colour = f"C{i % 10}"
            gkey = gkey if isinstance(gkey, tuple) else (gkey,)
            name = ", ".join(f"{o}={_key_value(results, o, v)}" for o, v in zip(others, gkey))
            if lines:
                ax.fill_between(x, p5, p95, color=colour, alpha=0.12, linewidth=0,
                                label="p5 to p95" if i == 0 else None)
                ax.errorbar(x, mean, yerr=[mean - lo, hi - mean], color=colour, marker="o",
                            markersize=4, capsize=3, linewidth=1.4,
                            label=(name or "mean") + (" (mean, 95% CI)" if i == 0 else ""))
            else:
                ax.vlines(x, p5, p95, color="0.6", linewidth=1.0, alpha=0.6,
                          label="p5 to p95")
                ax.errorbar(x, mean, yerr=[mean - lo, hi - mean], color="C0", marker="o",
                            markersize=4, capsize=2, linestyle="none",
                            label="mean of a point, 95% CI")
        ax.set_xlabel(key_label(results, key))
        ax.set_ylabel(label(results, m, "stats"))
        _format_axis(ax.yaxis, unit)
        if not numeric:
            ax.set_xticks(range(len(names)), names, rotation=20, ha="right")
        elif results.unit(key, "points") in ("B/s", "B") and x_all.max() / max(x_all.min(), 1e-300) > 20:
            ax.set_xscale("log")
            ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, pos: f"{v:,.6g}"))
            ax.xaxis.set_minor_formatter(ticker.NullFormatter())
        ax.set_title(m, fontsize="medium")
        _legend(ax, fontsize="x-small", loc="upper center", bbox_to_anchor=(0.5, -0.16),
                ncol=2, frameon=False)
    how = "one line per combination of the other keys" if lines and others else \
        "one dot per point" if not lines else "mean with 95% CI, p5 to p95 shaded"
    fig.suptitle(results.title(f"{', '.join(metrics)} against {key} ({how})"))
    return fig


def _key_value(results, key, v):
    """A varied key's value as text in its readable unit: 2 h, 1.5 TB/s."""
    if not results.key_is_numeric(key):
        return str(v)
    k, unit = key_scale(results, key)
    return f"{float(v) * k:,.4g} {unit}".strip()


@_plain
def sweep_heatmap(results, metric="cost_usd", stat="mean", keys=None):
    """A two-key grid as a heat map of a metric's statistic (the mean by
    default), each cell annotated with its value; the best cell (lowest) is
    outlined. keys = (rows, columns) picks and orders the two keys."""
    results.require("points")
    keys = list(keys or results.dims())
    if results.design() != "grid" or len(results.dims()) != 2 or len(keys) != 2:
        raise MissingData(f"{results.path}: a heat map needs a grid of exactly two varied keys; "
                          f"this sweep is a {results.design()} design of "
                          f"{len(results.dims())} key(s)")
    tab = _sweep_stats(results, (metric,))
    ky, kx = keys
    table = tab.pivot(index=ky, columns=kx, values=f"{metric}_{stat}")
    z = table.to_numpy(dtype=float)
    unit = results.unit(metric)
    fmt = _value_format(unit)
    fig, ax = plt.subplots(figsize=(1.6 + 1.25 * z.shape[1], 1.9 + 0.6 * z.shape[0]),
                           layout="constrained")
    im = ax.imshow(z, cmap="viridis_r", aspect="auto")
    bar = fig.colorbar(im, ax=ax, shrink=0.9)
    bar.set_label(f"{metric} {stat}" + (f" ({unit_text(unit)})" if unit else ""))
    _format_axis(bar.ax.yaxis, unit)
    finite = np.isfinite(z)
    mid = np.nanmean(z) if finite.any() else 0
    for (i, j), v in np.ndenumerate(z):
        if np.isfinite(v):
            ax.text(j, i, fmt(v), ha="center", va="center", fontsize="x-small",
                    color="white" if v > mid else "black")
    if finite.any():
        i, j = np.unravel_index(np.nanargmin(z), z.shape)
        ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="red",
                                   linewidth=2.2, label=f"lowest {stat}"))
        _legend(ax, loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize="small",
                frameon=False)
    ax.set_xticks(range(z.shape[1]), [_key_value(results, kx, v) for v in table.columns],
                  rotation=30, ha="right")
    ax.set_yticks(range(z.shape[0]), [_key_value(results, ky, v) for v in table.index])
    ax.set_xlabel(key_label(results, kx))
    ax.set_ylabel(key_label(results, ky))
    ax.set_title(results.title(f"{metric} {stat} over the grid"), fontsize="medium")
    return fig


def _short(text, most=56):
    """A point's label cut to at most `most` characters, for an axis."""
    return text if len(text) <= most else text[: most - 3] + "..."


def wilson(p, n, z=1.959964):
    """Wilson's 95 % interval (low, high) of a proportion p seen in n trials:
    sound near 0 and 1, where p +- z sqrt(p(1-p)/n) leaves [0, 1]."""
    p, n = np.asarray(p, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


@_plain
def sweep_risk(results):
    """The risk figures of every point of a sweep: P(cost > budget) and
    P(makespan > deadline) with Wilson 95 % intervals where the scenario sets
    targets, and the cost's tail (mean, 95 % value at risk p95, expected
    shortfall es95) per point. One row per point, labelled."""
    results.require("points")
    stats = results.require("stats")
    tab = _sweep_stats(results, ("cost_usd", "makespan_h"))
    es = stats[stats["metric"] == "cost_usd"].set_index("point")["es95"]
    n = stats[stats["metric"] == "cost_usd"].set_index("point")["n"]
    tab["cost_usd_es95"] = es.reindex(tab["point"]).to_numpy()
    tab["n"] = n.reindex(tab["point"]).to_numpy()
    total = len(tab)
    if total > RISK_MAX:  # a readable figure: the points of lowest mean cost
        tab = tab.nsmallest(RISK_MAX, "cost_usd_mean").sort_values("point").reset_index(drop=True)
    probs = [c for c in ("cost_usd_p_over_target", "makespan_h_p_over_target") if c in tab]
    npanels = 1 + bool(probs)
    y = np.arange(len(tab))
    fig, axes = plt.subplots(1, npanels, figsize=(7.5 + 4.5 * (npanels - 1),
                                                   2.4 + 0.3 * len(tab)),
                             layout="constrained", sharey=True, squeeze=False)
    names = [f"{p}: {_short(lab)}" for p, lab in zip(tab["point"], tab["label"])]
    ax = axes[0, 0]
    ax.hlines(y, tab["cost_usd_mean"], tab["cost_usd_es95"], color="0.7", linewidth=2)
    ax.plot(tab["cost_usd_mean"], y, "o", color="C0", label="mean")
    ax.plot(tab["cost_usd_p95"], y, "|", color="C1", markersize=12, markeredgewidth=2,
            label="p95 (95% value at risk)")
    ax.plot(tab["cost_usd_es95"], y, "D", color="C3", markersize=5,
            label="es95 (mean of the worst 5%)")
    ax.set_yticks(y, names, fontsize="small")
    ax.invert_yaxis()
    ax.set_xlabel(label(results, "cost_usd", "stats"))
    _format_axis(ax.xaxis, "USD")
    ax.set_title("cost and its tail", fontsize="medium")
    _legend(ax, fontsize="small", loc="best", framealpha=0.9)
    if probs:
        ax_p = axes[0, 1]
        what = {"cost_usd_p_over_target": "P(cost > budget)",
                "makespan_h_p_over_target": "P(makespan > deadline)"}
        for i, c in enumerate(probs):
            p = tab[c].to_numpy(dtype=float)
            lo, hi = wilson(p, tab["n"].to_numpy(dtype=float))
            off = (i - (len(probs) - 1) / 2) * 0.22
            ax_p.errorbar(p, y + off, xerr=[p - lo, hi - p], fmt="o", color=f"C{2 + i}",
                          capsize=2, markersize=4, label=f"{what[c]}, Wilson 95% CI")
        ax_p.set_xlim(-0.02, 1.02)
        ax_p.xaxis.set_major_formatter(ticker.PercentFormatter(1.0))
        ax_p.set_xlabel("probability over the replications")
        ax_p.set_title("risk of missing the targets", fontsize="medium")
        _legend(ax_p, fontsize="small", loc="best", framealpha=0.9)
    what = "Risk per point"
    if total > RISK_MAX:
        what += f": the {RISK_MAX} of {total:,} points with the lowest mean cost"
    fig.suptitle(results.title(what))
    return fig


@_plain
def sensitivity(results, metrics=("cost_usd", "makespan_h")):
    """First-order and total Sobol' indices of every varied key of a Saltelli
    design (dcsim_reader.sensitivity), one panel per metric, with bootstrap
    95 % intervals; the panel's title gives N and the share of the variance
    that was Monte Carlo noise of the point means (removed)."""
    from . import sensitivity as sens

    tables = [sens.indices(results, m) for m in metrics]
    keys = list(tables[0].index)
    fig, axes = plt.subplots(1, len(metrics), figsize=(5.8 * len(metrics), 1.9 + 0.55 * len(keys)),
                             layout="constrained", sharey=True, squeeze=False)
    y = np.arange(len(keys))
    for ax, m, t in zip(axes[0], metrics, tables):
        for off, col, colour, what in ((-0.18, "S1", "C0", "first order S1"),
                                       (0.18, "ST", "C3", "total ST")):
            v = t[col].to_numpy()
            ax.barh(y + off, v, height=0.34, color=colour, alpha=0.8, label=what)
            ax.errorbar(v, y + off, xerr=[v - t[f"{col}_low"], t[f"{col}_high"] - v],
                        fmt="none", ecolor="k", capsize=2, linewidth=0.9)
        ax.axvline(0, color="0.3", linewidth=0.8)
        ax.set_yticks(y, keys)
        if ax is axes[0, 0]:
            ax.invert_yaxis()  # once: the panels share their y axis
        ax.set_xlabel("share of the variance of the point means")
        ax.set_title(f"{m}: N = {t.attrs['N']}, noise {t.attrs['noise_share']:.1%} of the "
                     f"variance (removed)", fontsize="small")
        _legend(ax, fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2,
                frameon=False)
    fig.suptitle(results.title("Sobol' sensitivity indices (Saltelli design), 95% bootstrap CI"))
    return fig
