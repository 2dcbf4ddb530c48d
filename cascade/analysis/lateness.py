"""Deadlines a plan sets for the jurisdictions below it, and who met them.

A plan's tasks are read with :func:`cascade.extract.tasks.read_order`: "Các huyện ủy, đảng
ủy trực thuộc xây dựng kế hoạch thực hiện, hoàn thành trước ngày 30/6/2021" is an order to
the districts' Party committees to issue a plan by 30 June 2021; "báo cáo kết quả về Ban
Thường vụ Tỉnh ủy trước ngày 15/12 hằng năm" is a reporting order. The deadline of a plan
order is the task's one-off due day (:func:`cascade.query.task_due`).

:func:`lateness` compares, for every jurisdiction one level below, the first plan it issued
(from :func:`cascade.query.coverage`) with the earliest plan deadline its parent set: the
directive itself for the level directly below it, or the province's own plans for districts
under a central directive.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx

from cascade import query
from cascade.errors import CascadeError
from cascade.extract.orders import read_order
from cascade.vn.dates import day, period_end

#: the level directly below each level
BELOW = {"central": "province", "province": "district"}

STATUSES = ("on_time", "late", "not_yet", "date_unknown", "no_deadline")


def resolve(G: nx.MultiDiGraph, doc: str) -> str:
    """The node id of a document argument (an id, or anything :func:`cascade.query.find_one` reads)."""
    if doc in G and G.nodes[doc].get("kind") == "document":
        return doc
    return query.find_one(G, doc)


def latest_date(G: nx.MultiDiGraph) -> str | None:
    """The latest full date of any document in the corpus (the default end of observation)."""
    dates = [d for _, d in G.nodes(data="date") if isinstance(d, str) and len(d) == 10]
    return max(dates) if dates else None


def orders(G: nx.MultiDiGraph, doc: str) -> list[dict[str, Any]]:
    """The orders plan ``doc`` gives to the jurisdictions below its issuer, in task order.

    Each: ``kind`` ("plan" | "report"), ``level`` (the addressees' level: as the words say,
    else one below ``doc``'s), ``branch``, ``addressees`` (their words in the task), ``due``
    (one-off ISO day or None), ``recurrence``
    and ``deadline_text`` (for reports, from the reporting duty), ``task`` id, and
    ``evidence`` (file, span of the task, the task's text).
    """
    root = resolve(G, doc)
    below = BELOW.get(G.nodes[root].get("level") or "central")
    out = []
    for _, t, k in G.out_edges(root, keys=True):
        if k != "has_task":
            continue
        a = G.nodes[t]
        task_text = str(a.get("text") or "")
        o = read_order(task_text)
        if o is None:
            continue
        due, rec, text = query.task_due(a), a.get("recurrence"), a.get("deadline_text")
        if o.kind == "report":
            for _, _, rk, e in G.out_edges(t, keys=True, data=True):
                if rk == "reports_to" and e.get("deadline_text"):
                    rec, text = e.get("recurrence"), e.get("deadline_text")
                    due = e.get("due") if not rec else None
                    break
        span = a.get("evidence_span")
        out.append(
            {
                "task": t,
                "label": a.get("label"),
                "kind": o.kind,
                "level": o.level or below,
                "branch": o.branch,
                "addressees": task_text[o.start : o.end],
                "due": due,
                "recurrence": rec,
                "deadline_text": text,
                "evidence": {
                    "file": a.get("evidence_source"),
                    "span": [int(x) for x in span.split("-")] if span else None,
                    "text": a.get("text"),
                },
            }
        )
    out.sort(key=lambda r: str(r["label"]))
    return out


def _deadline(orders_: list[dict[str, Any]], level: str, parent: str) -> dict[str, Any] | None:
    """The earliest one-off plan deadline among ``orders_`` addressed to ``level``."""
    best = None
    for o in orders_:
        if o["kind"] != "plan" or o["level"] != level or not o["due"]:
            continue
        if best is None or o["due"] < best["due"]:
            best = o | {"parent": parent}
    return best


def _bounds(date: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a partial ISO date ("2021-08", "2021") can stand for."""
    if len(date) not in (4, 7):
        return None
    try:
        first = dt.date.fromisoformat(date + ("-01-01" if len(date) == 4 else "-01"))
        return first, dt.date.fromisoformat(period_end(date))
    except ValueError:
        return None


def _partial_verdict(G: nx.MultiDiGraph, plans: list[str], due: str) -> dict[str, Any] | None:
    """What partial dates settle anyway: a plan of "tháng 8 năm 2021" against 30 June 2021 is
    late by 32 to 62 days; None when no plan has a partial date or they straddle the deadline."""
    spans = [b for b in (_bounds(str(G.nodes[p].get("date") or "")) for p in plans) if b]
    if not spans:
        return None
    lo = min(a for a, _ in spans)
    hi = min(b for _, b in spans)             # the first plan was issued by the earliest "last day"
    d = dt.date.fromisoformat(due)
    if lo > d:
        return {"status": "late", "days_min": (lo - d).days, "days_max": (hi - d).days}
    if hi <= d:
        return {"status": "on_time", "days_min": (lo - d).days, "days_max": (hi - d).days}
    return None


def _acted(G: nx.MultiDiGraph, row: dict[str, Any], branch: str | None) -> tuple[list[str], str | None]:
    """The plans of a coverage row that answer an order to ``branch`` and the first full date among them."""
    plans = row["party"] + row["state"] + row["other"] if branch is None else row[branch]
    dates = [G.nodes[p].get("date") for p in plans if day(G.nodes[p].get("date"))]
    return plans, min(dates) if dates else None


def lateness(
    G: nx.MultiDiGraph, doc: str, *, level: str | None = None, as_of: str | dt.date | None = None
) -> dict[str, Any]:
    """Who acted on ``doc`` on time, late, not yet, or on an unknown date.

    ``level`` defaults to the level below ``doc``. For each jurisdiction the deadline is the
    earliest one-off plan deadline that its parent set for that level (for a branch-specific
    order, only plans of that branch answer it). Status: ``on_time`` (first plan on or before
    the deadline), ``late`` (``days`` after it), ``not_yet`` (no plan by ``as_of``, or by the
    latest date in the corpus: censored; ``days`` then counts how far past the deadline the
    observation ends, negative while it is still ahead), ``date_unknown`` (a plan, none dated
    to the day; ``verdict`` then says whether the partial dates still settle it, e.g. late by 32 to 62
    days for a plan of "tháng 8 năm 2021"), ``no_deadline`` (the parent set none; ``acted`` still
    tells).

    Returns ``{"doc", "level", "as_of", "orders", "counts", "rows"}``.

    Raises:
        CascadeError: a level that is not below ``doc``.
    """
    root = resolve(G, doc)
    root_level = G.nodes[root].get("level") or "central"
    level = level or BELOW.get(root_level)
    if (
        level not in ("province", "district")
        or level == root_level
        or (root_level, level) == ("district", "province")
    ):
        raise CascadeError(f"level {level!r} is not below {root} ({root_level})")
    cutoff = str(as_of) if as_of else None
    cov = query.coverage(
        G,
        root,
        level=level,
        as_of=cutoff,
        province=G.nodes[root].get("province") if root_level == "province" else None,
    )
    end = cov["as_of"] or latest_date(G)
    own = orders(G, root)
    parents: dict[str, dict[str, Any] | None] = {}
    if root_level == "central" and level == "district":
        prov = query.coverage(G, root, level="province", as_of=cutoff, era="pre2025")
        for r in prov["rows"]:
            best = None
            for p in r["party"] + r["state"] + r["other"]:
                d = _deadline(orders(G, p), "district", p)
                if d is not None and (best is None or d["due"] < best["due"]):
                    best = d
            parents[r["province"]] = best
    rows = []
    for r in cov["rows"]:
        dl = parents.get(r["province"]) if parents else _deadline(own, level, root)
        plans, first = _acted(G, r, dl["branch"] if dl else None)
        row = {
            "jurisdiction": r["jurisdiction"],
            "province": r["province"],
            "district": r["district"],
            "deadline": dl["due"] if dl else None,
            "acted": first,
            "plans": plans,
            "all_plans": r["party"] + r["state"] + r["other"],
            "days": None,
            "deadline_evidence": ({"parent": dl["parent"], **dl["evidence"]} if dl else None),
        }
        if dl is None:
            row["status"] = "no_deadline"
        elif first is not None:
            delta = (dt.date.fromisoformat(first) - dt.date.fromisoformat(dl["due"])).days
            row["status"], row["days"] = ("late", delta) if delta > 0 else ("on_time", delta)
        elif plans:
            row["status"] = "date_unknown"
            row["verdict"] = _partial_verdict(G, plans, dl["due"])
        else:
            row["status"] = "not_yet"
            e = day(end)
            row["days"] = (e - dt.date.fromisoformat(dl["due"])).days if e else None
            row["censored_at"] = end
        rows.append(row)
    counts = {s: sum(r["status"] == s for r in rows) for s in STATUSES}
    return {
        "doc": root,
        "level": level,
        "as_of": end,
        "era": cov["era"],
        "orders": own,
        "counts": counts,
        "rows": rows,
    }
