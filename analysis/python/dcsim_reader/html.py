"""The HTML report of a dcsim output file: one self-contained page.

    dcsim report OUT.h5 --html report.html        (the C command runs this)
    dcsim-plot OUT.h5 --html report.html

Sections, each an element with its id: `scenario` (the resolved YAML and its
sources; a sweep's own file too), `cost-report` (the /stats table of the run,
or of each point's cost and makespan), `figures` (every figure that applies,
as PNGs inside the page), `ranking` (a sweep's points ranked by the --best
metric under the --subject-to constraints, from `dcsim report --format
json`), `risk` (budget and deadline risk, the cost's tail), `sensitivity`
(Sobol' indices of a Saltelli design; otherwise a sentence saying what gives
them) and `provenance` (versions, seed, replications, when, the command line).

The page has no script and loads nothing: images are data: URIs and the
style sheet is inline, so it opens offline and can be mailed as one file.
"""

import base64
import html
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np

from .reader import MissingData
from .version import __version__

SECTIONS = ("scenario", "cost-report", "figures", "ranking", "risk", "sensitivity", "provenance")

STYLE = """
body { font-family: sans-serif; margin: 2em auto; max-width: 72em; color: #222; line-height: 1.4 }
h1 { font-size: 1.5em } h2 { border-bottom: 1px solid #ccc; margin-top: 2em }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0 }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right }
th { background: #f2f2f2 } td.t, th.t { text-align: left }
tr.best td { background: #e6f4e6; font-weight: bold } tr.contender td { background: #f4f9e6 }
tr.out td { color: #999 }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.85em; max-height: 30em }
figure { margin: 1.2em 0 } img { max-width: 100%; border: 1px solid #eee }
figcaption { font-size: 0.9em; color: #555 } .note { color: #555; font-size: 0.92em }
"""


def _money(v):
    from .plots import money

    return money(v)


def _num(v, unit=""):
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return "–"
    if unit == "USD":
        return _money(v)
    if unit == "1" and 0 <= abs(v) <= 1:
        return f"{v:.4g}"
    return f"{v:,.4g}" if abs(v) < 1e5 else f"{v:,.0f}"


def _table(head, rows, classes=None, text_cols=()):
    out = ["<table><tr>"]
    out += [f'<th class="{"t" if i in text_cols else ""}">{html.escape(h)}</th>'
            for i, h in enumerate(head)]
    out.append("</tr>")
    for k, row in enumerate(rows):
        cls = f' class="{classes[k]}"' if classes and classes[k] else ""
        out.append(f"<tr{cls}>" + "".join(
            f'<td class="{"t" if i in text_cols else ""}">{html.escape(str(c))}</td>'
            for i, c in enumerate(row)) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _sources(scenario_text):
    """The `sources:` list of a resolved scenario, as strings."""
    m = re.search(r"^sources:\n((?:\s+-.*\n?)*)", scenario_text, re.M)
    if not m:
        return []
    return [re.sub(r'^\s*-\s*"?(.*?)"?\s*$', r"\1", line) for line in m.group(1).splitlines()
            if line.strip().startswith("-")]


def _png(fig, dpi=100):
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def report_json(path, best="cost_usd", subject_to=(), dcsim=None):
    """`dcsim report PATH --format json` with --best and --subject-to, as a
    dict, from the dcsim binary named by dcsim, the DCSIM environment
    variable, or `dcsim` on PATH. Raises ValueError for a constraint dcsim
    refuses, FileNotFoundError when there is no dcsim."""
    exe = dcsim or os.environ.get("DCSIM") or shutil.which("dcsim")
    if not exe:
        raise FileNotFoundError("the dcsim command is not on PATH (set DCSIM to it)")
    cmd = [exe, "report", str(path), "--format", "json", "--best", best]
    for c in subject_to:
        cmd += ["--subject-to", c]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise ValueError(p.stderr.strip())
    return json.loads(p.stdout)


def _cost_report(r):
    stats = r.require("stats")
    if r.is_sweep:
        tab = r.sweep_table(("cost_usd", "makespan_h"))
        head = ["point", "label", "cost mean", "cost 95% CI", "cost p5", "cost p95",
                "makespan mean (h)", "makespan p95 (h)"]
        rows = [[int(t.point), t.label, _money(t.cost_usd_mean),
                 f"{_money(t.cost_usd_ci95_low)} to {_money(t.cost_usd_ci95_high)}",
                 _money(t.cost_usd_p5), _money(t.cost_usd_p95), _num(t.makespan_h_mean),
                 _num(t.makespan_h_p95)] for t in tab.itertuples()]
        return _table(head, rows, text_cols=(1,))
    s = stats[stats["point"] == 0]
    first = ["makespan_h", "cost_usd", "goodput"]
    order = [m for m in first if m in set(s["metric"])] + \
        [m for m in s["metric"] if m not in first]
    rows = []
    for m in order:
        row = s[s["metric"] == m].iloc[0]
        u = row["units"]
        half = row["ci95_high"] - row["mean"]
        rows.append([m, u, _num(row["mean"], u), "±" + _num(half, u) if np.isfinite(half) else "–",
                     _num(row["p5"], u), _num(row["p50"], u), _num(row["p95"], u)])
    return _table(["metric", "units", "mean", "95% CI", "p5", "p50", "p95"], rows,
                  text_cols=(0, 1))


def _ranking(r, ranking, why_none):
    if not r.is_sweep:
        return '<p class="note">A single run: nothing to rank (a sweep\'s file has points).</p>'
    if ranking is None:
        return f'<p class="note">No ranking: {html.escape(why_none)}.</p>'
    b = ranking.get("best", {})
    pts = ranking["points"]
    rows, classes = [], []
    pts = sorted(pts, key=lambda p: (p.get("feasible", 1) != 1,
                                     p["best_mean"] if p["best_mean"] is not None else np.inf))
    for p in pts:
        status = "best" if p["best"] else "cannot be told apart" if p.get("contender") == 1 \
            else "excluded by a constraint" if p.get("feasible") == 0 else ""
        rows.append([p["point"], p["label"], _num(p["best_mean"], b.get("units", "")),
                     f"{_num(p['best_ci95_low'], b.get('units', ''))} to "
                     f"{_num(p['best_ci95_high'], b.get('units', ''))}", p["replications"], status])
        classes.append("best" if p["best"] else "contender" if p.get("contender") == 1
                       else "out" if p.get("feasible") == 0 else "")
    text = [f"<p>Best: the lowest mean {html.escape(b.get('metric', ''))}" if
            b.get("direction") != "highest" else
            f"<p>Best: the highest mean {html.escape(b.get('metric', ''))}"]
    cons = ranking.get("subject_to") or []
    if cons:
        text.append(" among the points that meet " + " and ".join(
            f"<code>{html.escape(c)}</code>" for c in cons) + " with 95% confidence")
    if b.get("point") is not None:
        text.append(f": point {b['point']} ({html.escape(str(b.get('label', '')))}).")
    else:
        text.append(": no point qualifies.")
    text.append("</p>")
    if ranking.get("selection"):
        text.append(f'<p class="note">{html.escape(ranking["selection"])}</p>')
    return "".join(text) + _table(["point", "label", "mean", "95% CI", "replications", ""], rows,
                                  classes, text_cols=(1, 5))


def _risk(r):
    stats = r.require("stats")
    out = []
    rows = []
    for p in sorted(stats["point"].unique()):
        s = stats[stats["point"] == p].set_index("metric")
        if "cost_usd" not in s.index:
            continue
        c = s.loc["cost_usd"]
        row = [int(p), r.point_label(p), _money(c["mean"]), _money(c["p95"]), _money(c["es95"])]
        for m in ("cost_usd", "makespan_h"):
            t = s.loc[m] if m in s.index else None
            row.append(f"{t['p_over_target']:.3g} (target {_num(t['target'], t['units'])})"
                       if t is not None and np.isfinite(t["target"]) else "no target")
        rows.append(row)
    out.append(_table(["point", "label", "cost mean", "cost p95 (VaR 95%)",
                       "cost es95 (mean of worst 5%)", "P(cost > budget)",
                       "P(makespan > deadline)"], rows, text_cols=(1,)))
    if not (stats["target"].notna()).any():
        out.append('<p class="note">The scenario sets no targets (targets.budget_usd, '
                   'targets.deadline): no probability of missing them.</p>')
    return "".join(out)


def _sensitivity(r):
    from . import sensitivity as sens

    if r.is_sweep and sens.is_saltelli(r):
        parts = []
        for m in ("cost_usd", "makespan_h"):
            t = sens.indices(r, m)
            rows = [[k, f"{v.S1:.3f} [{v.S1_low:.3f}, {v.S1_high:.3f}]",
                     f"{v.ST:.3f} [{v.ST_low:.3f}, {v.ST_high:.3f}]"] for k, v in t.iterrows()]
            parts.append(f"<h3>{m}</h3>" + _table(["key", "first order S1 [95% CI]",
                                                   "total ST [95% CI]"], rows, text_cols=(0,)))
            parts.append(f'<p class="note">N = {t.attrs["N"]} base samples; Monte Carlo noise '
                         f'was {t.attrs["noise_share"]:.1%} of the variance of the point means '
                         f'and is removed.</p>')
        return "".join(parts)
    if "sensitivity" in getattr(r, "extra", {}):
        return '<p class="note">See the file\'s /sensitivity table.</p>'
    return ('<p class="note">No sensitivity indices: they come from a sweep whose design is a '
            '<code>saltelli</code> block (docs/sweeps.md).</p>')


def _provenance(r, command):
    a = r.attrs
    rows = [["file", str(r.path)],
            ["dcsim version", f"{a.get('dcsim_version', '?')} (revision "
                              f"{a.get('dcsim_revision', 'not recorded')})"],
            ["format version", a.get("format_version", "?")],
            ["written", a.get("created_utc", "?")],
            ["seed", a.get("seed", "?")],
            ["replications", f"{a.get('replications_done', '?')} written of "
                             f"{a.get('replications', '?')} asked per point"],
            ["complete", "yes" if r.complete else "NO: interrupted"],
            ["command line", a.get("command", "not recorded (written by an older dcsim)")],
            ["page made by", command or f"dcsim-plot {__version__}"]]
    return _table(["", ""], rows, text_cols=(0, 1))


def page(r, best="cost_usd", subject_to=(), other=None, ranking=None, command=None, dpi=90):
    """The HTML text of r's report."""
    from .plotcmd import figures

    why_none = ""
    if r.is_sweep and ranking is None:
        try:
            ranking = report_json(r.path, best, subject_to)
        except FileNotFoundError as e:
            why_none = str(e)
    figs = []
    for name, draw in figures(r, other):
        try:
            figs.append((name, _png(draw(), dpi)))
        except MissingData as e:
            figs.append((name, str(e)))
    kind = "sweep" if r.is_sweep else "run"
    title = f"dcsim report: {r.path.name} ({kind} of {r.name})"
    sec = {}
    src = _sources(r.scenario)
    sec["scenario"] = (
        ("<h3>Sources</h3><ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in src) + "</ul>"
         if src else '<p class="note">The scenario names no sources.</p>')
        + (f"<h3>Sweep file</h3><pre>{html.escape(str(r.attrs.get('sweep', '')))}</pre>"
           if r.is_sweep else "")
        + f"<h3>Resolved scenario{' (the base)' if r.is_sweep else ''}</h3>"
          f"<pre>{html.escape(r.scenario)}</pre>")
    sec["cost-report"] = _cost_report(r)
    sec["figures"] = "".join(
        f'<figure><img alt="{html.escape(n)}" src="data:image/png;base64,{d}">'
        f"<figcaption>{html.escape(n)}</figcaption></figure>" if not d.startswith("/") and
        " " not in d else f'<p class="note">{html.escape(n)}: {html.escape(d)}</p>'
        for n, d in figs)
    sec["ranking"] = _ranking(r, ranking, why_none)
    sec["risk"] = _risk(r)
    sec["sensitivity"] = _sensitivity(r)
    sec["provenance"] = _provenance(r, command)
    names = {"scenario": "Scenario", "cost-report": "Cost report", "figures": "Figures",
             "ranking": "Sweep ranking", "risk": "Risk", "sensitivity": "Sensitivity",
             "provenance": "Provenance"}
    body = "".join(f'<section id="{k}"><h2>{names[k]}</h2>{sec[k]}</section>' for k in SECTIONS)
    nav = " · ".join(f'<a href="#{k}">{names[k]}</a>' for k in SECTIONS)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
            f"<body><h1>{html.escape(title)}</h1><p>{nav}</p>{body}</body></html>\n")


def write(r, path, best="cost_usd", subject_to=(), other=None, ranking=None, command=None):
    """Writes r's report to path (a temporary file renamed into place)."""
    text = page(r, best, subject_to, other, ranking, command)
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
