"""How far a document was taken up: coverage of jurisdictions, and the lag of each level."""
from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from cascade.errors import CascadeError
from cascade.vn.dates import day, period_end
from cascade.vocab import LEVELS

from .dates import _as_of, _on_or_before
from .lookup import _doc, _index
from .nodes import _descendants, _implemented
from .units import Denominator, _district_unit, _province_unit, denominator

if TYPE_CHECKING:
    import networkx as nx


def _reference_day(G: nx.MultiDiGraph, root: str, members: Iterable[str], cutoff: str | None) -> str | None:
    """The day the units are counted on: ``as_of``, else the latest date of the cascade's documents."""
    if cutoff is not None:
        return cutoff
    dates = [G.nodes[n].get("date") for n in (root, *members)]
    return max((period_end(d) for d in dates if isinstance(d, str) and d[:4].isdigit()), default=None)


def _denominator(G: nx.MultiDiGraph, root: str, members: list[str], level: str, cutoff: str | None,
                 province: str | None = None, era: str | None = None) -> Denominator:
    return denominator(level, G.nodes[root], day=_reference_day(G, root, members, cutoff),
                       day_is_as_of=cutoff is not None, province=province, era=era)


def _unit_of(d: dict[str, Any], level: str, era: str) -> tuple[str, str | None] | None:
    """The unit of the denominator a plan belongs to, or None when its place is unknown."""
    prov = d.get("province")
    if not prov:
        return None
    if level == "province":
        name = _province_unit(prov, era, d.get("date"))
        return (name, None) if name else None
    return _district_unit(prov, d["district"]) if d.get("district") else None


def coverage(G: nx.MultiDiGraph, doc: str, level: str = "province", as_of: str | dt.date | None = None,
             province: str | None = None, *, era: str | None = None) -> dict[str, Any]:
    """Which provinces (or districts) have a Party plan and a state plan implementing ``doc``.

    A plan counts when it implements ``doc`` transitively and sits at ``level``; with
    ``as_of``, a plan dated after that day is left out (listed in ``after_as_of``; a plan
    dated only "2021-06" counts from 30 June 2021). A plan with no date is counted: its
    jurisdiction acted, date unknown (``undated`` lists such plans, and a row whose plans
    are all undated has ``date_unknown``). Plans known only because other documents cite
    them count too (``in_corpus`` tells them apart in the rows).

    The denominator follows :mod:`cascade.query.units`: the units that existed on ``as_of``
    (or on the date of the cascade's latest document) inside the jurisdiction the
    document's level implies; ``era`` forces the map ("pre2025" or "2025"). ``denominator``
    says which, in a sentence to print beside the figure.

    Returns:
        ``{"doc", "level", "as_of", "era", "province", "denominator", "total", "with_party",
        "with_state", "with_both", "with_any", "date_unknown", "none", "missing_party",
        "missing_state", "rows", "unplaced", "undated", "after_as_of"}``; ``none`` lists the
        jurisdictions with no plan at all; each row has the jurisdiction, ``party`` and
        ``state`` plan ids, ``has_party``/``has_state``, the ``first`` date, the ``undated``
        plans and ``date_unknown``.

    Raises:
        CascadeError: an unknown level, province or era, or an unreadable ``as_of``.

    Examples:
        >>> import networkx as nx
        >>> G = nx.MultiDiGraph()
        >>> G.add_node("d", kind="document", level="central", date="2020-11-20")
        >>> G.add_node("p", kind="document", level="province", province="Gia Lai", branch="party")
        >>> _ = G.add_edge("p", "d", key="implements", relation="implements")
        >>> c = coverage(G, "d")
        >>> c["total"], c["with_party"], c["with_state"], len(c["none"]), c["date_unknown"]
        (63, 1, 0, 62, 1)
    """
    if level not in ("province", "district"):
        raise CascadeError(f"level must be 'province' or 'district', not {level!r}")
    root = _doc(G, doc)
    cutoff = _as_of(as_of)
    members = _descendants(G, root)
    den = _denominator(G, root, members, level, cutoff, province, era)
    rows: dict[tuple[str, str | None], dict[str, Any]] = {}
    for p, dname in den.units:
        rows[(p, dname)] = {"jurisdiction": f"{p}/{dname}" if dname else p, "province": p, "district": dname,
                            "party": [], "state": [], "other": [], "first": None, "undated": []}
    unplaced: list[str] = []
    undated: list[str] = []
    later: list[str] = []
    for n in members:
        d = G.nodes[n]
        if d.get("level") != level:
            continue
        date = d.get("date")
        if date and not _on_or_before(date, cutoff):
            later.append(n)
            continue
        key = _unit_of(d, level, den.era)
        if key is None:
            unplaced.append(n)
            continue
        row = rows.get(key)
        if row is None:                        # a real place outside the question (another province)
            continue
        branch = d.get("branch")
        row[branch if branch in ("party", "state") else "other"].append(n)
        if not date:
            row["undated"].append(n)
            undated.append(n)
        elif row["first"] is None or date < row["first"]:
            row["first"] = date
    out_rows = []
    for row in rows.values():
        row["has_party"] = bool(row["party"])
        row["has_state"] = bool(row["state"])
        for k in ("party", "state", "other", "undated"):
            row[k].sort()
        row["date_unknown"] = bool(row["undated"]) and row["first"] is None
        out_rows.append(row)
    names = [r["jurisdiction"] for r in out_rows]
    return {
        "doc": root, "level": level, "as_of": cutoff, "era": den.era, "province": province,
        "denominator": den.to_dict(),
        "total": len(out_rows), "with_party": sum(r["has_party"] for r in out_rows),
        "with_state": sum(r["has_state"] for r in out_rows),
        "with_both": sum(r["has_party"] and r["has_state"] for r in out_rows),
        "with_any": sum(bool(r["party"] or r["state"] or r["other"]) for r in out_rows),
        "date_unknown": sum(r["date_unknown"] for r in out_rows),
        "none": [j for j, r in zip(names, out_rows, strict=True)
                 if not (r["party"] or r["state"] or r["other"])],
        "missing_party": [j for j, r in zip(names, out_rows, strict=True) if not r["has_party"]],
        "missing_state": [j for j, r in zip(names, out_rows, strict=True) if not r["has_state"]],
        "rows": out_rows, "unplaced": sorted(unplaced), "undated": sorted(undated),
        "after_as_of": sorted(later),
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


def _curve(name: str, den: Denominator, starts: dict[Any, dt.date | None], acted: dict[Any, dt.date],
           undated: set[Any], end: dt.date | None, checkpoints: Iterable[int]) -> dict[str, Any]:
    """The Kaplan-Meier view of one level over the units of ``den``.

    A unit with a start date acted on its first dated plan (an event) or is censored at
    ``end``; a unit whose only plans by then are undated acted on a day unknown: counted in
    ``acted`` and ``acted_date_unknown``, never placed on the curve; a unit with no start
    (its level above never acted, or acted undated) is ``not_at_risk``. ``share_after`` is
    the curve's share among the ``timed`` units.
    """
    times: list[tuple[int, bool]] = []
    detail: list[dict[str, Any]] = []
    not_at_risk = unknown = 0
    for p, dname in den.units:
        unit: Any = p if dname is None else (p, dname)
        when = acted.get(unit)
        if when is not None and end is not None and when > end:
            when = None                                     # acted after the end of observation
        if when is None and unit in undated:
            unknown += 1
            continue
        start = starts.get(unit)
        if start is None:
            not_at_risk += 1
            continue
        if when is not None:
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
    dated = sum(e for _, e in times)
    return {"level": name, "units": den.total, "timed": len(times), "acted": dated + unknown,
            "acted_dated": dated, "acted_date_unknown": unknown, "censored": sum(not e for _, e in times),
            "not_at_risk": not_at_risk, "median_days": median,
            "share_after": {str(k): _share_after(steps, k) for k in checkpoints},
            "denominator": den.to_dict(), "steps": [list(s) for s in steps], "times": detail}


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
    ``days``. A unit whose plans are undated (or dated only to a month or a year) acted on a
    day unknown: counted in ``acted`` and ``acted_date_unknown``, not placed on the curve.
    The units are those of :mod:`cascade.query.units` (``denominator`` in each curve).

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
            a, b = day(pd.get("date")), day(cd.get("date"))
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
    end = day(end_text)
    root_d = G.nodes[root]
    root_level = root_d.get("level") or "central"
    curves: list[dict[str, Any]] = []
    below = {"central": "province", "province": "district"}.get(root_level)
    if below is None:
        return {"doc": root, "date": root_d.get("date"), "observed_until": end.isoformat() if end else None,
                "transitions": transitions, "curves": curves, "pairs": pairs}
    prov_den = _denominator(G, root, members, "province", cutoff) if below == "province" else None
    dist_den = _denominator(G, root, members, "district", cutoff)
    # the first dated plan of each unit among the descendants, and the units with undated plans
    first: dict[Any, dt.date] = {}
    undated: set[Any] = set()
    for n in members:
        d = G.nodes[n]
        level = d.get("level")
        if level not in ("province", "district"):
            continue
        when = day(d.get("date"))
        keys: list[Any] = []
        if level == "province":
            old = _unit_of(d, "province", "pre2025")
            keys = [old[0]] if old else []
            if prov_den is not None and prov_den.era != "pre2025":
                new = _unit_of(d, "province", prov_den.era)
                keys += [("era", new[0])] if new else []
        else:
            unit = _unit_of(d, "district", "pre2025")
            keys = [unit] if unit else []
        for k in keys:
            if d.get("date") is None or (when is None and _on_or_before(d.get("date"), end_text)):
                undated.add(k)
            elif when is not None and (k not in first or when < first[k]):
                first[k] = when
    start = day(root_d.get("date"))
    if prov_den is not None:
        tag = (lambda p: ("era", p)) if prov_den.era != "pre2025" else (lambda p: p)
        starts = {p: start for p, _ in prov_den.units}
        curves.append(_curve("province", prov_den, starts, {p: first[tag(p)] for p, _ in prov_den.units
                                                            if tag(p) in first},
                             {p for p, _ in prov_den.units if tag(p) in undated}, end, checkpoints))
        dstarts: dict[Any, dt.date | None] = {(p, dn): first.get(p) for p, dn in dist_den.units}
    else:
        dstarts = {(p, dn): start for p, dn in dist_den.units}
    curves.append(_curve("district", dist_den, dstarts, first, undated, end, checkpoints))
    return {"doc": root, "date": root_d.get("date"), "observed_until": end.isoformat() if end else None,
            "transitions": transitions, "curves": curves, "pairs": pairs}


def _transition_order(kind: str) -> tuple[int, int, str]:
    """Sort key: top levels first, level changes before same-level steps."""
    levels = {name: lv.tier for name, lv in LEVELS.items()}
    head = kind.split(" (")[0]
    if " (" in kind:
        return (levels.get(kind.split(" (")[1].rstrip(")"), 9), 1, kind)
    return (levels.get(head.split("->")[0], 9), 0, kind)

