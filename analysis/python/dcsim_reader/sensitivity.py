"""Sobol' sensitivity indices of a sweep run on a Saltelli design.

A sweep whose design is one `saltelli` block (docs/sweeps.md) runs N groups
of d + 2 points, d being the number of ranges: A_j, AB_j^(1) ... AB_j^(d)
(A_j with key i taken from B_j), B_j. For a metric (the mean cost of a
point, say) f, with V the variance of f over the 2N points A and B:

* first-order index of key i (Saltelli et al. 2010, Table 2 (b)):
  S_i = mean_j f(B_j) (f(AB_j^(i)) - f(A_j)) / V, the share of V that key i
  explains alone;
* total index (Jansen 1999, Saltelli et al. 2010 Table 2 (f)):
  ST_i = mean_j (f(A_j) - f(AB_j^(i)))^2 / (2 V), its share with all its
  interactions.

f is a point's mean over its replications, so it carries Monte Carlo
noise, which would inflate V and ST. Values are centred on the mean of
A and B first, which leaves the expectations alone and cuts the variance
of S_i when the mean is large against the spread. Both are corrected: V loses the mean
noise variance of a point mean (sd^2 / n from /stats), and each squared
difference loses the variance of the mean paired difference, computed from
the replications the two points share (the common random numbers make it
small). The 95 % intervals are percentiles of a bootstrap over the N groups
(1,000 resamples from a fixed seed). The layout is checked from the values
themselves: A_j and AB_j^(i) must differ in key i only, which B_j shares.
"""

import re

import numpy as np
import pandas as pd

from .reader import MissingData

# Bootstrap resamples, and their seed (fixed, so that a figure is reproducible).
BOOTSTRAP = 1000
BOOTSTRAP_SEED = 20240517


def is_saltelli(results) -> bool:
    """True when the file is a sweep whose design is one saltelli block."""
    text = str(results.attrs.get("sweep", ""))
    if results.points is None or not re.search(r"^\s*-\s*saltelli\s*:", text, re.M):
        return False
    try:
        _groups(results)
    except MissingData:
        return False
    return True


def _groups(results):
    """(keys, index array [N, d + 2] of points) of a Saltelli layout."""
    pts = results.require("points").sort_values("point").reset_index(drop=True)
    keys = results.varied_keys()
    d = len(keys)
    n = len(pts) // (d + 2) if d else 0
    if d == 0 or n < 2 or n * (d + 2) != len(pts):
        raise MissingData(f"{results.path}: not a Saltelli design of one saltelli block: "
                          f"{len(pts)} points for {d} varied keys (need N x (keys + 2))")
    x = pts[keys].to_numpy(dtype=float)
    idx = np.arange(n * (d + 2)).reshape(n, d + 2)
    for j in range(n):
        a, b = x[idx[j, 0]], x[idx[j, d + 1]]
        for i in range(d):
            ab = x[idx[j, i + 1]]
            want = a.copy()
            want[i] = b[i]
            if not np.array_equal(ab, want):
                raise MissingData(f"{results.path}: point {idx[j, i + 1]} is not A with key "
                                  f"{keys[i]} from B: the saltelli block must be the sweep's "
                                  f"only design block")
    return keys, pts["point"].to_numpy()[idx]


def indices(results, metric="cost_usd") -> pd.DataFrame:
    """First-order (S1) and total (ST) indices of each varied key for a
    metric, with bootstrap 95 % intervals: a DataFrame indexed by key with
    S1, S1_low, S1_high, ST, ST_low, ST_high; its attrs hold N, the metric,
    the variance V and the share of the raw variance that is Monte Carlo
    noise (noise_share)."""
    keys, groups = _groups(results)
    n, d2 = groups.shape
    d = d2 - 2
    stats = results.require("stats")
    st = stats[stats["metric"] == metric].set_index("point")
    if st.empty:
        raise MissingData(f"{results.path}: /stats has no metric {metric!r}")
    f = st["mean"].reindex(groups.ravel()).to_numpy().reshape(n, d2)
    noise = (st["sd"] ** 2 / st["n"]).reindex(groups.ravel()).to_numpy().reshape(n, d2)
    # Variance of the mean paired difference of A_j and AB_j^(i), per group.
    s = results.require("summary", metric)
    wide = s.pivot_table(index="replication", columns="point", values=metric)
    dnoise = np.zeros((n, d))
    for j in range(n):
        a = wide[groups[j, 0]]
        for i in range(d):
            diff = (wide[groups[j, i + 1]] - a).dropna()
            dnoise[j, i] = diff.var(ddof=1) / len(diff) if len(diff) > 1 else 0.0
    if not np.isfinite(f).all():
        raise MissingData(f"{results.path}: a point of the design has no finite mean {metric}")

    def estimate(rows):
        # Centred on the mean of A and B: the same expectation, far less
        # variance when the mean is large against the spread (Saltelli
        # et al. 2010, section 3).
        centre = np.mean(np.r_[f[rows, 0], f[rows, d + 1]])
        fa, fb, fab = f[rows, 0] - centre, f[rows, d + 1] - centre, f[rows, 1:d + 1] - centre
        raw = np.var(np.r_[fa, fb], ddof=1)
        v = raw - np.mean(np.r_[noise[rows, 0], noise[rows, d + 1]])
        v = v if v > 0 else raw
        s1 = np.mean(fb[:, None] * (fab - fa[:, None]), axis=0) / v
        sq = (fa[:, None] - fab) ** 2 - dnoise[rows]
        st_ = np.mean(sq, axis=0) / (2 * v)
        return s1, st_, v, raw

    s1, stot, v, raw = estimate(np.arange(n))
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    boot = [estimate(rng.integers(0, n, n))[:2] for _ in range(BOOTSTRAP)]
    b1 = np.array([b[0] for b in boot])
    bt = np.array([b[1] for b in boot])
    out = pd.DataFrame({
        "S1": s1, "S1_low": np.percentile(b1, 2.5, axis=0), "S1_high": np.percentile(b1, 97.5, axis=0),
        "ST": stot, "ST_low": np.percentile(bt, 2.5, axis=0), "ST_high": np.percentile(bt, 97.5, axis=0),
    }, index=pd.Index(keys, name="key"))
    out.attrs.update({"N": n, "metric": metric, "variance": v,
                      "noise_share": float(1 - v / raw) if raw > 0 else 0.0})
    return out
