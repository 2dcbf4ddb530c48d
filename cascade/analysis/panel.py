"""The discrete-time event-history panel of a directive: one row per jurisdiction per period.

Every jurisdiction of ``level`` (from :func:`cascade.query.coverage`) is at risk from the
period holding the directive's date until the period in which its first plan is dated (the
event, ``event`` = 1 on that row) or, if it never acts, the period holding the end of
observation (``as_of``, else the latest date in the corpus): the standard layout for a
discrete-time logit or a Cox model with time-varying covariates. Periods are calendar
months, quarters or days; ``t`` counts them from 1.

Columns: ``unit``, ``province``, ``district``, ``level``, ``period``, ``period_start``,
``period_end``, ``t``, ``event``, ``acted`` (the day of the first plan, on the event row),
``branch`` (of the plan(s) dated on the event day:
party, state, both, other; empty before the event), ``region``, ``neighbours`` (how many
units border it, see :mod:`cascade.analysis.geography`), ``exposed`` and ``exposed_share``
(how many, and what share, of them had acted before the period started), ``province_acted``
(district panels: its province had a plan before the period started), ``deadline`` (the day
the parent set, if any, :mod:`cascade.analysis.lateness`), ``past_deadline``,
``unit_pre2025`` and ``unit_2025`` (the province's name on each side of the 2025 reform).

Jurisdictions whose plans are all undated cannot be placed in time; they are left out of
the rows and listed in ``undated``.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import networkx as nx

from cascade.analysis import geography
from cascade.analysis.lateness import lateness, latest_date, resolve
from cascade.errors import CascadeError
from cascade.outputs.export import atomic_open
from cascade.vn.dates import day

PERIODS = ("month", "quarter", "day")
COLUMNS = (
    "unit",
    "province",
    "district",
    "level",
    "period",
    "period_start",
    "period_end",
    "t",
    "event",
    "acted",
    "branch",
    "region",
    "neighbours",
    "exposed",
    "exposed_share",
    "province_acted",
    "deadline",
    "past_deadline",
    "unit_pre2025",
    "unit_2025",
)


def period_bounds(d: dt.date, period: str) -> tuple[dt.date, dt.date, str]:
    """The first and last day of the calendar period holding ``d``, and its label.

    >>> period_bounds(dt.date(2021, 5, 17), "quarter")
    (datetime.date(2021, 4, 1), datetime.date(2021, 6, 30), '2021Q2')
    """
    if period == "day":
        return d, d, d.isoformat()
    if period == "month":
        first = d.replace(day=1)
        label = f"{d.year}-{d.month:02d}"
        months = 1
    else:
        q = (d.month - 1) // 3
        first = dt.date(d.year, 3 * q + 1, 1)
        label = f"{d.year}Q{q + 1}"
        months = 3
    y, m = divmod(first.month - 1 + months, 12)
    return first, dt.date(first.year + y, m + 1, 1) - dt.timedelta(days=1), label


def _periods(start: dt.date, end: dt.date, period: str) -> list[tuple[dt.date, dt.date, str]]:
    out = []
    d = start
    while d <= end:
        a, b, label = period_bounds(d, period)
        out.append((a, b, label))
        d = b + dt.timedelta(days=1)
    return out


def _branch(G: nx.MultiDiGraph, plans: list[str], first: str) -> str:
    kinds = {G.nodes[p].get("branch") for p in plans if G.nodes[p].get("date") == first}
    kinds = {k if k in ("party", "state") else "other" for k in kinds}
    return "both" if {"party", "state"} <= kinds else (kinds.pop() if len(kinds) == 1 else "other")


def panel(
    G: nx.MultiDiGraph,
    doc: str,
    *,
    period: str = "month",
    level: str = "province",
    as_of: str | dt.date | None = None,
) -> dict[str, Any]:
    """The panel of ``doc`` (see the module doc). Returns ``{"doc", "level", "period", "start", "end",
    "units", "events", "undated", "columns", "rows"}``.

    Raises:
        CascadeError: an unknown period, or a directive without a full date.
    """
    if period not in PERIODS:
        raise CascadeError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    root = resolve(G, doc)
    start = day(G.nodes[root].get("date"))
    if start is None:
        raise CascadeError(f"{root} has no full date: the panel cannot start")
    late = lateness(G, root, level=level, as_of=as_of)
    end = day(late["as_of"] or latest_date(G)) or start
    era = late["era"]
    prov_first: dict[str, dt.date] = {}
    if level == "district":
        provs = (
            lateness(G, root, level="province", as_of=as_of)
            if G.nodes[root].get("level") == "central"
            else None
        )
        for r in provs["rows"] if provs else []:
            if r["acted"]:
                prov_first[r["province"]] = dt.date.fromisoformat(r["acted"])
        if G.nodes[root].get("level") == "province":
            prov_first[G.nodes[root].get("province") or ""] = start
    acted: dict[Any, dt.date] = {}
    undated: list[str] = []
    for r in late["rows"]:
        key = (r["province"], r["district"]) if level == "district" else r["province"]
        first = min((G.nodes[p]["date"] for p in r["all_plans"] if day(G.nodes[p].get("date"))), default=None)
        if first is not None:
            acted[key] = dt.date.fromisoformat(first)
        elif r["all_plans"]:
            undated.append(r["jurisdiction"])
    regions = geography.regions(era if level == "province" else "pre2025")
    periods = _periods(start, end, period)
    rows: list[dict[str, Any]] = []
    for r in late["rows"]:
        if r["jurisdiction"] in undated:
            continue
        key = (r["province"], r["district"]) if level == "district" else r["province"]
        near = geography.neighbours(r["province"], r["district"], era if level == "province" else "pre2025")
        ident = geography.identity(r["province"], era if level == "province" else "pre2025")
        when = acted.get(key)
        deadline = day(r["deadline"])
        for t, (a, b, label) in enumerate(periods, start=1):
            event = when is not None and when <= b
            exposed = sum(1 for n in near if n in acted and acted[n] < a)
            rows.append(
                {
                    "unit": r["jurisdiction"],
                    "province": r["province"],
                    "district": r["district"] or "",
                    "level": level,
                    "period": label,
                    "period_start": a.isoformat(),
                    "period_end": b.isoformat(),
                    "t": t,
                    "event": int(event),
                    "acted": when.isoformat() if event and when else "",
                    "branch": _branch(G, r["all_plans"], when.isoformat()) if event and when else "",
                    "region": regions.get(r["province"], ""),
                    "neighbours": len(near),
                    "exposed": exposed,
                    "exposed_share": round(exposed / len(near), 4) if near else 0.0,
                    "province_acted": (
                        int(r["province"] in prov_first and prov_first[r["province"]] < a)
                        if level == "district"
                        else ""
                    ),
                    "deadline": r["deadline"] or "",
                    "past_deadline": int(deadline is not None and a > deadline),
                    "unit_pre2025": ident["pre2025"] or "",
                    "unit_2025": ident["2025"] or "",
                }
            )
            if event:
                break
    return {
        "doc": root,
        "level": level,
        "period": period,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "units": len(late["rows"]) - len(undated),
        "events": sum(r["event"] for r in rows),
        "undated": sorted(undated),
        "columns": list(COLUMNS),
        "rows": rows,
    }


def write(result: dict[str, Any], path: str | Path) -> Path:
    """Write a panel as CSV, or as Parquet when ``path`` ends in ``.parquet`` (needs pyarrow)."""
    path = Path(path)
    if path.suffix == ".parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError as e:
            raise CascadeError("Parquet output needs pyarrow: pip install 'cascade[stats]'") from e
        cols = {c: [r[c] for r in result["rows"]] for c in result["columns"]}
        cols["province_acted"] = [None if v == "" else v for v in cols["province_acted"]]
        with atomic_open(path, "wb", None) as fh:
            pq.write_table(pa.table(cols), fh)
    else:
        with atomic_open(path) as fh:
            w = csv.DictWriter(fh, fieldnames=result["columns"], lineterminator="\n")
            w.writeheader()
            w.writerows(result["rows"])
    return path
