"""Survival analysis of a directive's panel: Kaplan-Meier curves, log-rank test, Cox model.

Durations are the days from the directive to a unit's first plan (the event), or to the end
of observation (censored), as in :mod:`cascade.analysis.panel`. The Kaplan-Meier estimate and
its Greenwood confidence band (on the log(-log) scale, as lifelines draws it) are computed
here; the log-rank test and the Cox model (time-varying covariates, on the panel's rows) use
lifelines, the optional extra ``cascade[stats]``.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import networkx as nx

from cascade.analysis.panel import panel
from cascade.errors import CascadeError
from cascade.outputs.plots import save_png_and_svg

GROUPS = ("region", "level", "branch")
Z95 = 1.959963984540054


def _lifelines() -> Any:
    try:
        import lifelines
    except ImportError as e:
        raise CascadeError("survival models need lifelines: pip install 'cascade[stats]'") from e
    return lifelines


def kaplan_meier(durations: list[float], events: list[int]) -> list[dict[str, float]]:
    """Kaplan-Meier steps: at each distinct time, survival (share not yet acted) and a 95%
    Greenwood band on the log(-log) scale.

    >>> [(s["time"], round(s["survival"], 4)) for s in kaplan_meier([10, 20, 30, 30], [1, 1, 0, 0])]
    [(0, 1.0), (10, 0.75), (20, 0.5), (30, 0.5)]
    """
    pairs = sorted(zip(durations, events, strict=True))
    at_risk = len(pairs)
    s, green = 1.0, 0.0
    out = [{"time": 0, "survival": 1.0, "lower": 1.0, "upper": 1.0, "at_risk": at_risk, "events": 0}]
    i = 0
    while i < len(pairs):
        t = pairs[i][0]
        d = n = 0
        while i < len(pairs) and pairs[i][0] == t:
            d += pairs[i][1]
            n += 1
            i += 1
        if d:
            s *= 1 - d / at_risk
            if at_risk > d:
                green += d / (at_risk * (at_risk - d))
        lo = hi = s
        if 0 < s < 1 and green > 0:
            v = green / math.log(s) ** 2
            lo = s ** math.exp(Z95 * math.sqrt(v))
            hi = s ** math.exp(-Z95 * math.sqrt(v))
        if t == 0 and out and out[0]["time"] == 0:
            out[0] = {"time": 0, "survival": s, "lower": lo, "upper": hi, "at_risk": at_risk, "events": d}
        else:
            out.append({"time": t, "survival": s, "lower": lo, "upper": hi, "at_risk": at_risk, "events": d})
        at_risk -= n
    return out


def durations(p: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per unit of a panel: days at risk, event, and the unit's fixed attributes."""
    start = dt.date.fromisoformat(p["start"])
    end = dt.date.fromisoformat(p["end"])
    last: dict[str, dict[str, Any]] = {}
    for r in p["rows"]:
        last[r["unit"]] = r
    out = []
    for unit, r in last.items():
        when = dt.date.fromisoformat(r["acted"]) if r["event"] else None
        out.append(
            {
                "unit": unit,
                "region": r["region"],
                "level": r["level"],
                "branch": r["branch"] or "none",
                "event": r["event"],
                "days": max(0, ((when or end) - start).days),
                "deadline": int(bool(r["deadline"])),
            }
        )
    return out


def survival(
    G: nx.MultiDiGraph,
    doc: str,
    *,
    by: str = "region",
    level: str = "province",
    as_of: str | dt.date | None = None,
    cox: bool = True,
) -> dict[str, Any]:
    """Kaplan-Meier curves of ``doc`` by ``by`` (region | level | branch), a log-rank test
    between the groups, and a Cox model on the panel's covariates.

    ``level`` "both" puts provinces and districts in one analysis (for ``by="level"``).
    """
    if by not in GROUPS:
        raise CascadeError(f"--by must be one of {', '.join(GROUPS)}, not {by!r}")
    levels = ("province", "district") if level == "both" or by == "level" else (level,)
    units: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    root = None
    for lv in levels:
        p = panel(G, doc, period="month", level=lv, as_of=as_of)
        root = p["doc"]
        units += durations(p)
        rows += p["rows"]
    groups: dict[str, list[dict[str, Any]]] = {}
    if by == "branch":
        units = _branch_units(G, root or doc, levels[0], as_of)
    for u in units:
        groups.setdefault(str(u[by]) or "?", []).append(u)
    curves = {
        g: kaplan_meier([u["days"] for u in us], [u["event"] for u in us]) for g, us in sorted(groups.items())
    }
    result: dict[str, Any] = {
        "doc": root,
        "by": by,
        "levels": list(levels),
        "units": len(units),
        "events": sum(u["event"] for u in units),
        "groups": {g: len(v) for g, v in groups.items()},
        "curves": curves,
        "logrank": None,
        "cox": None,
    }
    if len(groups) > 1:
        from lifelines.statistics import multivariate_logrank_test

        _lifelines()
        t = multivariate_logrank_test(
            [u["days"] for u in units], [u[by] for u in units], [u["event"] for u in units]
        )
        result["logrank"] = {
            "statistic": float(t.test_statistic),
            "df": int(t.degrees_of_freedom),
            "p": float(t.p_value),
        }
    if cox:
        result["cox"] = cox_model(rows)
    return result


def _branch_units(
    G: nx.MultiDiGraph, doc: str, level: str, as_of: str | dt.date | None
) -> list[dict[str, Any]]:
    """Each unit twice: days to its first Party plan, and days to its first state plan (each censored
    at the end of observation when it has none): the two branches as two curves."""
    from cascade import query
    from cascade.analysis.lateness import latest_date
    from cascade.vn.dates import day

    root = G.nodes[doc]
    cov = query.coverage(G, doc, level=level, as_of=str(as_of) if as_of else None,
                         province=root.get("province") if root.get("level") == "province" else None)
    start = day(G.nodes[cov["doc"]].get("date"))
    end = day(cov["as_of"] or latest_date(G))
    if start is None or end is None:
        raise CascadeError(f"{cov['doc']} has no full date")
    out = []
    for r in cov["rows"]:
        for branch in ("party", "state"):
            dates = [d for d in (day(G.nodes[p].get("date")) for p in r[branch]) if d]
            if r[branch] and not dates:
                continue  # acted on an unknown day: not placed in time
            when = min(dates) if dates else None
            out.append(
                {
                    "unit": r["jurisdiction"],
                    "branch": branch,
                    "event": int(when is not None),
                    "days": max(0, ((when or end) - start).days),
                }
            )
    return out


def cox_model(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A Cox model with time-varying covariates on the panel's rows (months at risk): exposure share, past the
    deadline, and region (first region is the reference). Covariates that do not vary, or vary with
    time alone, are left out and listed in ``dropped``. None when there are no events."""
    lifelines = _lifelines()
    import pandas as pd

    if not any(r["event"] for r in rows):
        return None
    df = pd.DataFrame(
        {
            "id": [r["unit"] for r in rows],
            "start": [r["t"] - 1 for r in rows],
            "stop": [r["t"] for r in rows],
            "event": [r["event"] for r in rows],
            "exposed_share": [r["exposed_share"] for r in rows],
            "past_deadline": [r["past_deadline"] for r in rows],
            "region": [r["region"] or "?" for r in rows],
        }
    )
    df = pd.get_dummies(df, columns=["region"], drop_first=True, dtype=float)
    keys = ["id", "start", "stop", "event"]
    # a covariate equal for every unit at risk at each time (a deadline shared by all) is a function
    # of time alone: the baseline hazard absorbs it and its coefficient is not identified
    covariates = [c for c in df.columns if c not in keys and df[c].nunique() > 1
                  and df.groupby("stop")[c].nunique().max() > 1]
    dropped = [c for c in df.columns if c not in keys and c not in covariates]
    if not covariates:
        return None
    df = df[keys + covariates]
    m = lifelines.CoxTimeVaryingFitter(penalizer=0.01)
    m.fit(df, id_col="id", start_col="start", stop_col="stop", event_col="event")
    s = m.summary
    return {
        "n_rows": len(df),
        "dropped": dropped,
        "covariates": {
            str(k): {
                "coef": float(v["coef"]),
                "hazard_ratio": float(v["exp(coef)"]),
                "se": float(v["se(coef)"]),
                "p": float(v["p"]),
            }
            for k, v in s.iterrows()
        },
    }


def plot(result: dict[str, Any], out: str | Path) -> list[Path]:
    """Draw the Kaplan-Meier curves (share acted = 1 - survival) with their bands, in line
    styles that stay apart in greyscale; write ``out``.png and ``out``.svg."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    styles = ["-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3))]
    greys = ["0.0", "0.35", "0.55", "0.2", "0.45", "0.65"]
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    for i, (g, steps) in enumerate(result["curves"].items()):
        xs = [s["time"] for s in steps]
        ax.step(
            xs,
            [1 - s["survival"] for s in steps],
            where="post",
            linestyle=styles[i % len(styles)],
            color=greys[i % len(greys)],
            linewidth=1.6,
            label=f"{g} (n={result['groups'][g]})",
        )
        ax.fill_between(
            xs,
            [1 - s["upper"] for s in steps],
            [1 - s["lower"] for s in steps],
            step="post",
            color=greys[i % len(greys)],
            alpha=0.12,
            linewidth=0,
        )
    ax.set_xlabel("days since the directive")
    ax.set_ylabel("share of units that had acted")
    ax.set_ylim(0, 1)
    title = f"{result['doc']}: Kaplan-Meier by {result['by']}"
    if result.get("logrank"):
        title += f" (log-rank p = {result['logrank']['p']:.3g})"
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, frameon=False)
    fig.tight_layout()
    paths = save_png_and_svg(fig, out)
    plt.close(fig)
    return paths
