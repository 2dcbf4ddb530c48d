"""How far a document was taken up: coverage of jurisdictions, and the lag of each level."""
from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import networkx as nx

from cascade.errors import CascadeError
from cascade.vn import places

from .dates import _as_of, _day, _on_or_before
from .lookup import _doc, _index
from .nodes import LEVELS, _descendants, _implemented
from .units import _district_unit, _era_of, _province_unit, _units


def coverage(G: nx.MultiDiGraph, doc: str, level: str = "province", as_of: str | dt.date | None = None,
             province: str | None = None, *, era: str | None = None) -> dict[str, Any]:
    """Which provinces (or districts) have a Party plan and a state plan implementing ``doc``.

    A plan counts when it implements ``doc`` transitively, sits at ``level`` and, with
    ``as_of``, is dated on or before that day (a plan dated only "2021-06" counts from
    30 June 2021; undated plans are then listed in ``undated``). Plans known only because
    other documents cite them count too (``in_corpus`` tells them apart in the rows).

    The gazetteer is the denominator: the 63 provinces before 1 July 2025 or the 34 after
    it, chosen by ``as_of`` or else by the date of ``doc`` (``era`` forces "pre2025" or
    "2025"); districts are always those of the pre-2025 map, of ``province`` or of every
    province.

    Returns:
        ``{"doc", "level", "as_of", "era", "total", "with_party", "with_state", "with_both",
        "with_any", "none", "missing_party", "missing_state", "rows", "unplaced", "undated"}``;
        ``none`` lists the jurisdictions with no plan at all; each row has the jurisdiction,
        ``party`` and ``state`` plan ids, ``has_party``/``has_state`` and the ``first`` date.

    Raises:
        CascadeError: an unknown level, province or era, or an unreadable ``as_of``.

    Examples:
        >>> import networkx as nx
        >>> G = nx.MultiDiGraph()
        >>> G.add_node("d", kind="document", level="central", date="2020-11-20")
        >>> G.add_node("p", kind="document", level="province", province="Gia Lai", branch="party")
        >>> _ = G.add_edge("p", "d", key="implements", relation="implements")
        >>> c = coverage(G, "d")
        >>> c["total"], c["with_party"], c["with_state"], len(c["none"])
        (63, 1, 0, 62)
    """
    if level not in ("province", "district"):
        raise CascadeError(f"level must be 'province' or 'district', not {level!r}")
    if era is not None and era not in places.ERAS:
        raise CascadeError(f"era must be one of {', '.join(places.ERAS)}, not {era!r}")
    root = _doc(G, doc)
    cutoff = _as_of(as_of)
    era = era or ("pre2025" if level == "district" else _era_of(cutoff, G.nodes[root].get("date")))
    units = _units(level, era, province)
    rows: dict[tuple[str, str | None], dict[str, Any]] = {}
    for p, dname in units:
        rows[(p, dname)] = {"jurisdiction": f"{p}/{dname}" if dname else p, "province": p, "district": dname,
                            "party": [], "state": [], "other": [], "first": None}
    unplaced: list[str] = []
    undated: list[str] = []
    for n in _descendants(G, root):
        d = G.nodes[n]
        if d.get("level") != level:
            continue
        date = d.get("date")
        if not _on_or_before(date, cutoff):
            if not date:
                undated.append(n)
            continue
        prov = d.get("province")
        if level == "province":
            name = _province_unit(prov, era, date) if prov else None
            key: tuple[str, str | None] | None = (name, None) if name else None
        else:
            key = _district_unit(prov, d["district"]) if prov and d.get("district") else None
        if key is None:
            unplaced.append(n)
            continue
        row = rows.get(key)
        if row is None:                        # a real place outside the question (another province)
            continue
        branch = d.get("branch")
        row[branch if branch in ("party", "state") else "other"].append(n)
        if date and (row["first"] is None or date < row["first"]):
            row["first"] = date
    out_rows = []
    for row in rows.values():
        row["has_party"] = bool(row["party"])
        row["has_state"] = bool(row["state"])
        for k in ("party", "state", "other"):
            row[k].sort()
        out_rows.append(row)
    names = [r["jurisdiction"] for r in out_rows]
    return {
        "doc": root, "level": level, "as_of": cutoff, "era": era, "province": province,
        "total": len(out_rows), "with_party": sum(r["has_party"] for r in out_rows),
        "with_state": sum(r["has_state"] for r in out_rows),
        "with_both": sum(r["has_party"] and r["has_state"] for r in out_rows),
        "with_any": sum(bool(r["party"] or r["state"] or r["other"]) for r in out_rows),
        "none": [j for j, r in zip(names, out_rows, strict=True)
                 if not (r["party"] or r["state"] or r["other"])],
        "missing_party": [j for j, r in zip(names, out_rows, strict=True) if not r["has_party"]],
        "missing_state": [j for j, r in zip(names, out_rows, strict=True) if not r["has_state"]],
        "rows": out_rows, "unplaced": sorted(unplaced), "undated": sorted(undated),
    }


def _transition(parent: dict[str, Any], child: dict[str, Any]) -> str:
    """"central->province", "province->district", "party->state (province)"..."""
    pl, cl = parent.get("level") or "?", child.get("level") or "?"
    if pl != cl:
        return f"{pl}->{cl}"
    return f"{parent.get('branch') or '?'}->{child.get('branch') or '?'} ({cl})"


def _summary(days: list[int]) -> dict[str, Any]:
    """n, median, quartiles (inclusive method), min, max of a list of day counts.

    >>> _summary([10, 20, 30, 40])
    {'n': 4, 'median': 25.0, 'q1': 17.5, 'q3': 32.5, 'min': 10, 'max': 40}
    """
    if not days:
        return {"n": 0, "median": None, "q1": None, "q3": None, "min": None, "max": None}
    xs = sorted(days)
    q1, _, q3 = statistics.quantiles(xs, n=4, method="inclusive") if len(xs) > 1 else (xs[0], 0, xs[0])
    return {"n": len(xs), "median": statistics.median(xs), "q1": q1, "q3": q3, "min": xs[0], "max": xs[-1]}


def _kaplan_meier(times: list[tuple[int, bool]]) -> list[tuple[int, float]]:
    """Steps (day, share that had acted by then) from (time, acted) pairs; False = censored then.

    >>> _kaplan_meier([(10, True), (20, True), (30, False), (30, False)])
    [(10, 0.25), (20, 0.5)]
    >>> _kaplan_meier([(5, True), (8, False), (12, True)])
    [(5, 0.3333), (12, 1.0)]
    """
    at_risk = len(times)
    events: Counter[int] = Counter(t for t, e in times if e)
    leaving: Counter[int] = Counter(t for t, _ in times)
    surviving = 1.0
    steps = []
    for t in sorted(leaving):
        if events[t] and at_risk:
            surviving *= 1 - events[t] / at_risk
            steps.append((t, round(1 - surviving, 4)))
        at_risk -= leaving[t]
    return steps


def _share_after(steps: list[tuple[int, float]], n: int) -> float:
    share = 0.0
    for t, s in steps:
        if t > n:
            break
        share = s
    return share


def _curve(name: str, starts: dict[Any, dt.date | None], acted: dict[Any, dt.date | None],
           end: dt.date | None, undated: int, checkpoints: Iterable[int]) -> dict[str, Any]:
    """The Kaplan-Meier view of one level: units with a start date, acted (event) or censored at ``end``."""
    times: list[tuple[int, bool]] = []
    detail: list[dict[str, Any]] = []
    not_at_risk = 0
    for unit, start in starts.items():
        if start is None:
            not_at_risk += 1
            continue
        when = acted.get(unit)
        if when is not None and (end is None or when <= end):
            times.append((max(0, (when - start).days), True))
        elif end is not None:
            times.append((max(0, (end - start).days), False))
        else:
            not_at_risk += 1
            continue
        detail.append({"unit": "/".join(unit) if isinstance(unit, tuple) else unit, "days": times[-1][0],
                       "acted": times[-1][1]})
    steps = _kaplan_meier(times)
    median = next((t for t, s in steps if s >= 0.5), None)
    return {"level": name, "units": len(times), "acted": sum(e for _, e in times),
            "censored": sum(not e for _, e in times), "not_at_risk": not_at_risk, "undated": undated,
            "median_days": median, "share_after": {str(k): _share_after(steps, k) for k in checkpoints},
            "steps": [list(s) for s in steps], "times": detail}


def lag(G: nx.MultiDiGraph, doc: str, *, as_of: str | dt.date | None = None,
        days: Iterable[int] = (30, 60, 90, 180, 365)) -> dict[str, Any]:
    """How long each level took to act on ``doc``.

    ``transitions`` summarise the days from each parent to each child along the cascade
    edges under ``doc`` (both dated to the day), by kind: "central->province",
    "province->district", "party->state (province)" and so on: n, median, quartiles,
    min, max. ``pairs`` lists every measured edge.

    ``curves`` answer "what share of jurisdictions had acted N days later?" with a
    Kaplan-Meier estimate per level below ``doc``: provinces are counted from the date of
    ``doc``; districts from their province's first plan (districts of provinces that never
    acted are ``not_at_risk``). A jurisdiction that never acted is censored at ``as_of`` (or
    the latest date in the corpus), not dropped; ``share_after`` reads the curve at
    ``days``. A unit whose plans are all undated is counted in ``undated`` and left out.

    Examples:
        >>> import networkx as nx
        >>> G = nx.MultiDiGraph()
        >>> G.add_node("d", kind="document", level="central", date="2021-01-01")
        >>> G.add_node("p", kind="document", level="province", province="Gia Lai", branch="party",
        ...            date="2021-01-31")
        >>> _ = G.add_edge("p", "d", key="implements", relation="implements")
        >>> r = lag(G, "d", as_of="2021-12-31")
        >>> r["transitions"]["central->province"]["median"], r["curves"][0]["share_after"]["30"]
        (30, 0.0159)
    """
    root = _doc(G, doc)
    members = _descendants(G, root)
    inside = set(members) | {root}
    checkpoints = sorted(set(days))
    cutoff = _as_of(as_of)
    pairs: list[dict[str, Any]] = []
    groups: dict[str, list[int]] = defaultdict(list)
    undated_pairs: Counter[str] = Counter()
    for c in members:
        cd = G.nodes[c]
        for p, rel in _implemented(G, c):
            if p not in inside:
                continue
            pd = G.nodes[p]
            kind = _transition(pd, cd)
            a, b = _day(pd.get("date")), _day(cd.get("date"))
            if cutoff is not None and b is not None and b.isoformat() > cutoff:
                continue                                           # not yet issued on as_of
            if a is None or b is None:
                undated_pairs[kind] += 1
                continue
            between = (b - a).days
            groups[kind].append(between)
            pairs.append({"parent": p, "child": c, "relation": rel, "transition": kind, "days": between,
                          "parent_date": pd.get("date"), "child_date": cd.get("date")})
    transitions = {}
    for kind in sorted(set(groups) | set(undated_pairs), key=_transition_order):
        transitions[kind] = _summary(groups.get(kind, [])) | {"undated": undated_pairs.get(kind, 0)}
    pairs.sort(key=lambda r: (_transition_order(r["transition"]), r["days"], r["child"]))

    end_text = cutoff or _index(G).latest
    end = _day(end_text)
    root_d = G.nodes[root]
    root_level = root_d.get("level") or "central"
    curves = []
    # first dated plan per province and per district, among the descendants
    first_prov: dict[str, dt.date] = {}
    first_dist: dict[tuple[str, str], dt.date] = {}
    undated_prov: set[str] = set()
    undated_dist: set[tuple[str, str]] = set()
    era = _era_of(None, root_d.get("date"))
    for n in members:
        d = G.nodes[n]
        prov, when = d.get("province"), _day(d.get("date"))
        if not prov:
            continue
        if d.get("level") == "province":
            name = _province_unit(prov, era, d.get("date"))
            if name is None:
                continue
            if when is None:
                undated_prov.add(name)
            elif name not in first_prov or when < first_prov[name]:
                first_prov[name] = when
        elif d.get("level") == "district" and d.get("district"):
            key = _district_unit(prov, d["district"])
            if key is None:
                continue
            if when is None:
                undated_dist.add(key)
            elif key not in first_dist or when < first_dist[key]:
                first_dist[key] = when
    start = _day(root_d.get("date"))
    if root_level == "central":
        provs = [u.name for u in places.provinces(era)]
        starts = {p: start for p in provs if p not in undated_prov or p in first_prov}
        curves.append(_curve("province", starts, dict(first_prov), end,
                             len([p for p in undated_prov if p not in first_prov]), checkpoints))
        if era == "pre2025":
            dstarts: dict[Any, dt.date | None] = {}
            for p, dname in _units("district", "pre2025", None):
                k = (p, dname)
                if k in undated_dist and k not in first_dist:
                    continue
                dstarts[k] = first_prov.get(p)
            curves.append(_curve("district", dstarts, dict(first_dist), end,
                                 len([k for k in undated_dist if k not in first_dist]), checkpoints))
    elif root_level == "province" and root_d.get("province"):
        dstarts = {}
        for p, dname in _units("district", "pre2025", root_d["province"]):
            k = (p, dname)
            if k in undated_dist and k not in first_dist:
                continue
            dstarts[k] = start
        curves.append(_curve("district", dstarts, dict(first_dist), end,
                             len([k for k in undated_dist if k not in first_dist]), checkpoints))
    return {"doc": root, "date": root_d.get("date"), "observed_until": end.isoformat() if end else None,
            "transitions": transitions, "curves": curves, "pairs": pairs}


def _transition_order(kind: str) -> tuple[int, int, str]:
    """Sort key: top levels first, level changes before same-level steps."""
    levels = {lv: i for i, lv in enumerate(LEVELS)}
    head = kind.split(" (")[0]
    if " (" in kind:
        return (levels.get(kind.split(" (")[1].rstrip(")"), 9), 1, kind)
    return (levels.get(head.split("->")[0], 9), 0, kind)

