"""Tasks and agencies: who must do what by when, and each agency's workload.

Task nodes hang off their plan by a has_task edge and point at agency nodes by lead /
cooperating / focal / requested edges, and at the bodies they report to by reports_to
edges (attribute names in cascade.graph). An agency node is one body within one
jurisdiction ("Sở Nội vụ" of Đắk Lắk); its ``name`` is the canonical name.
"""
from __future__ import annotations

import datetime as dt
import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from cascade.errors import CascadeError, ResolutionError
from cascade.graph import EVIDENCE_SOURCE, EVIDENCE_SPAN, KIND, LABEL
from cascade.text.normalize import key
from cascade.vn import places
from cascade.vn.dates import period_end
from cascade.vocab import ROLES

from .dates import _date_arg
from .lookup import _doc, _loose
from .nodes import _jurisdiction, _span
from .units import find_province

if TYPE_CHECKING:
    import networkx as nx

_RECURRING = frozenset({"annual", "semiannual", "quarterly", "monthly", "periodic"})


class UnknownAgency(ResolutionError):
    """A phrase names no agency of the graph; ``candidates`` holds the nearest names."""

    default = "no agency matches"

    def __init__(self, message: str | None = None, candidates: Iterable[str] = ()):
        super().__init__(message)
        self.candidates = list(candidates)


@dataclass(slots=True)
class _Agencies:
    """Agency nodes by the key of their canonical name, built once per graph."""

    signature: int
    by_key: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    loose: dict[str, str] = field(default_factory=dict)        # id -> loose name, for near matches


_AGENCY_INDEXES: weakref.WeakKeyDictionary[nx.MultiDiGraph, _Agencies] = weakref.WeakKeyDictionary()


def _agency_index(G: nx.MultiDiGraph) -> _Agencies:
    sig = G.number_of_nodes()
    idx = _AGENCY_INDEXES.get(G)
    if idx is not None and idx.signature == sig:
        return idx
    idx = _Agencies(sig)
    for n, d in G.nodes(data=True):
        if d.get(KIND) == "agency" and isinstance(n, str):
            name = str(d.get("name") or d.get(LABEL) or n)
            idx.by_key[key(name)].append(n)
            idx.loose[n] = _loose(name)
    _AGENCY_INDEXES[G] = idx
    return idx


@lru_cache(maxsize=4096)
def _place_key(value: str) -> str:
    """The loose key of the province a node names, one per province whatever its spelling."""
    unit = places.find_province(value)
    return _loose(unit.name if unit is not None else value)


def _same_place(value: Any, want: str | None) -> bool:
    return want is None or (bool(value) and _place_key(str(value)) == want)


def _province_key(province: str | None) -> str | None:
    """The loose key of a province a user names ("Dak Lak", "tỉnh Đắk Lắk"), None for none.

    Raises:
        UnknownPlace: the gazetteer knows no such province (as coverage says).
    """
    if not province:
        return None
    return _loose(find_province(province).name)


def find_agencies(G: nx.MultiDiGraph, text: str, *, province: str | None = None,
                  follow_mergers: bool = True) -> dict[str, dict[str, Any]]:
    """The agency nodes a user's phrase names, with how each was matched.

    The phrase is read as an agency name in any spelling the extraction accepts ("Sở
    KH&CN", "sở khoa học và công nghệ", "UBND huyện"); a phrase that names no agency
    exactly matches the names that contain it ("khoa học"). With ``follow_mergers`` the
    2025 mergers are followed both ways (:func:`cascade.extract.agencies.lineage`): asking for
    "Sở Thông tin và Truyền thông" also finds "Sở Khoa học và Công nghệ", which carries on
    its work from 1 March 2025, and asking for the latter also finds the former.

    Returns:
        ``{node id: {"name", "province", "district", "as": "named" | "successor" |
        "predecessor", "since": ISO date of the merger or None}}``.

    Raises:
        UnknownAgency: nothing matches; ``candidates`` gives near names.

    Examples:
        >>> import networkx as nx
        >>> G = nx.MultiDiGraph()
        >>> G.add_node("agency:a", kind="agency", name="Sở Thông tin và Truyền thông", province="Gia Lai")
        >>> G.add_node("agency:b", kind="agency", name="Sở Khoa học và Công nghệ", province="Gia Lai")
        >>> {k: v["as"] for k, v in find_agencies(G, "Sở TT&TT").items()}
        {'agency:a': 'named', 'agency:b': 'successor'}
        >>> list(find_agencies(G, "Sở KH&CN", follow_mergers=False))
        ['agency:b']
    """
    from cascade.identity import agencies as A  # deferred: costly to import at start-up
    phrase = (text or "").strip()
    if not phrase:
        raise UnknownAgency("an empty phrase names no agency")
    idx = _agency_index(G)
    want = _province_key(province)
    canon = A.canonical(phrase)
    targets: list[tuple[str, str, dt.date | None]] = [(canon, "named", None)]
    if follow_mergers:
        targets += A.lineage(canon)
    out: dict[str, dict[str, Any]] = {}

    def add(n: str, how: str, since: dt.date | None) -> None:
        d = G.nodes[n]
        if n not in out and _same_place(d.get("province"), want):
            out[n] = {"name": d.get("name") or d.get(LABEL) or n, "province": d.get("province"),
                      "district": d.get("district"), "as": how, "since": since.isoformat() if since else None}

    for name, how, since in targets:
        for n in idx.by_key.get(key(name), ()):
            add(n, how, since)
    if not any(v["as"] == "named" for v in out.values()):
        loose = {_loose(phrase), _loose(canon)} - {""}
        for n, name in idx.loose.items():
            if any(w in name for w in loose):
                add(n, "named", None)
    if out:
        return out
    from rapidfuzz import fuzz, process  # deferred: costly to import at start-up

    names = sorted({str(G.nodes[n].get("name") or n) for n in idx.loose})
    near = [m for m, _, _ in process.extract(canon, names, scorer=fuzz.WRatio, limit=5, score_cutoff=60)]
    where = f" in {province}" if province else ""
    hint = f"; near: {', '.join(near)}" if near else ""
    raise UnknownAgency(f"no agency matches {phrase!r}{where}{hint}", near)


def task_due(attrs: dict[str, Any]) -> str | None:
    """The day a one-off task is due (ISO), from a task node's deadline attributes.

    A stated day ("trước ngày 30/6/2022") or the last day of the period it must be done
    in ("Quý III/2021": 2021-09-30); None for recurring duties, open-ended ("từ quý III")
    and undated tasks.

    >>> task_due({"due": "2022-06-30"}), task_due({"start": "2021-07", "end": "2021-09"})
    ('2022-06-30', '2021-09-30')
    >>> task_due({"due": "12-05", "recurrence": "annual"}) is None
    True
    """
    if attrs.get("recurrence") in _RECURRING:
        return None
    due = attrs.get("due")
    if isinstance(due, str) and len(due) == 10:
        return due
    end = attrs.get("end")
    return period_end(end) if isinstance(end, str) and end[:4].isdigit() else None


def _task_plan(G: nx.MultiDiGraph, t: str) -> str | None:
    for u, edges in G.pred[t].items():
        if "has_task" in edges:
            return u
    return None


def _task_row(G: nx.MultiDiGraph, t: str, plan: str | None) -> dict[str, Any]:
    a = G.nodes[t]
    p = G.nodes[plan] if plan is not None else {}
    names: dict[str, list[str]] = {r: [] for r in ROLES}
    reporting = []
    for other, edges in G.succ[t].items():
        o = G.nodes[other]
        for k, e in edges.items():
            if k in names:
                names[k].append(str(o.get("name") or o.get(LABEL) or other))
            elif k == "reports_to":
                reporting.append({"to": o.get("name") or o.get(LABEL) or other,
                                  "text": e.get("deadline_text"),
                                  "due": e.get("due"), "recurrence": e.get("recurrence")})
    return {
        "plan": plan, "plan_label": p.get(LABEL, plan), "plan_date": p.get("date"),
        "jurisdiction": _jurisdiction(p) if p else None, "id": t, "label": a.get(LABEL),
        "text": a.get("text"),
        "section": a.get("section"), **names,
        "deadline": {"text": a.get("deadline_text"), "start": a.get("start"), "end": a.get("end"),
                     "due": a.get("due"), "recurrence": a.get("recurrence")},
        "due": task_due(a), "deliverable": a.get("deliverable"), "reporting": reporting,
        "evidence": {"file": a.get(EVIDENCE_SOURCE), "span": _span(a.get(EVIDENCE_SPAN))},
    }


def tasks(G: nx.MultiDiGraph, agency: str | None = None, province: str | None = None,
          due_before: str | dt.date | None = None, overdue_as_of: str | dt.date | None = None,
          doc: str | None = None, *, follow_mergers: bool = False) -> list[dict[str, Any]]:
    """The tasks of the corpus's plans, filtered: who must do what by when, with the evidence.

    Args:
        agency: only tasks that name this agency (lead, cooperating, focal or requested), a
            phrase :func:`find_agencies` reads ("Sở KH&CN"). Across the 2025 mergers, a task
            of a plan dated on or after the merger counts for the body that carries the work
            on: the successor's tasks for the old body, the predecessor's (named after the
            merger) for the new one. With ``follow_mergers`` a predecessor's tasks of any date
            count too (a successor's older tasks never do: it did other work then). Every
            task matched through another body says so in ``agency["as"]``.
        province: only plans of this province.
        due_before: only one-off tasks due before this day ("2022" means before 2022-01-01).
        overdue_as_of: only one-off tasks whose day had passed on this day, with
            ``overdue_days`` (the corpus does not say what was done: a deadline passed).
        doc: only the tasks of this plan (anything :func:`find` understands).

    Returns:
        Rows in plan and document order: ``plan`` (id), ``plan_label``, ``plan_date``,
        ``jurisdiction``, ``id``, ``label``, ``text``, ``lead``, ``cooperating``, ``focal``,
        ``requested`` (names), ``deadline`` (``text``, ``start``, ``end``, ``due``,
        ``recurrence``), ``due`` (see :func:`task_due`), ``deliverable``, ``reporting``
        (``to``, ``text``, ``due``, ``recurrence``), ``evidence`` (``file``, ``span``); with
        ``agency``, ``agency`` (``name``, ``role``, ``as``, ``since``) says how it matched.

    Raises:
        UnknownAgency: ``agency`` names no agency.
        UnknownDocument, AmbiguousDocument: ``doc`` names no document, or several.
        CascadeError: a date is not ISO.

    Examples:
        >>> import networkx as nx
        >>> G = nx.MultiDiGraph()
        >>> G.add_node("p", kind="document", label="07-KH/UBND", date="2021-06-30", level="province",
        ...            province="Gia Lai")
        >>> G.add_node("t", kind="task", label="II.1", text="Rà soát", due="2022-06-30")
        >>> G.add_node("a", kind="agency", name="Sở Nội vụ", province="Gia Lai")
        >>> _ = G.add_edge("p", "t", key="has_task", relation="has_task")
        >>> _ = G.add_edge("t", "a", key="lead", relation="lead")
        >>> [(r["label"], r["lead"], r["due"]) for r in tasks(G, agency="Sở NV")]
        [('II.1', ['Sở Nội vụ'], '2022-06-30')]
        >>> tasks(G, overdue_as_of="2022-07-10")[0]["overdue_days"]
        10
    """
    before = _date_arg(due_before, "due_before", end=False)
    as_of = _date_arg(overdue_as_of, "overdue_as_of", end=True)
    want = _province_key(province)
    matched = find_agencies(G, agency, province=province) if agency else {}
    if doc is not None:
        the_plan = _doc(G, doc)
        candidates = [t for t, edges in G.succ[the_plan].items() if "has_task" in edges]
    elif matched:
        candidates = list(dict.fromkeys(t for a in matched for t, edges in G.pred[a].items()
                                        if any(k in ROLES for k in edges)))
    else:
        candidates = [n for n, k in G.nodes(data=KIND) if k == "task"]
    rows = []
    for t in candidates:
        plan = _task_plan(G, t)
        p = G.nodes[plan] if plan is not None else {}
        if not _same_place(p.get("province"), want):
            continue
        hit = None
        if matched:
            hit = _agency_hit(G, t, matched, p.get("date"), follow_mergers)
            if hit is None:
                continue
        row = _task_row(G, t, plan)
        if before is not None and not (row["due"] and row["due"] < before):
            continue
        if as_of is not None:
            if not (row["due"] and row["due"] < as_of):
                continue
            row["overdue_days"] = (dt.date.fromisoformat(as_of) - dt.date.fromisoformat(row["due"])).days
        if hit is not None:
            row["agency"] = hit
        rows.append(row)
    rows.sort(key=lambda r: (r["plan_date"] or "", r["plan"] or "", (r["evidence"]["span"] or [0])[0],
                             r["id"]))
    return rows


def _agency_hit(G: nx.MultiDiGraph, t: str, matched: dict[str, dict[str, Any]],
                plan_date: str | None, follow_mergers: bool = False) -> dict[str, Any] | None:
    """How task ``t`` names one of the ``matched`` agencies (the strongest role), or None."""
    best = None
    for a, edges in G.succ[t].items():
        m = matched.get(a)
        if m is None:
            continue
        after = bool(plan_date) and period_end(str(plan_date)) >= str(m["since"])
        if m["as"] == "successor" and not after:
            continue                            # before the merger the successor did other work
        if m["as"] == "predecessor" and not (after or follow_mergers):
            continue                            # the old body's own work, unless asked for
        for k in edges:
            if k in ROLES and (best is None or ROLES.index(k) < ROLES.index(best["role"])):
                best = {"name": m["name"], "role": k, "as": m["as"], "since": m["since"]}
    return best


def agencies(G: nx.MultiDiGraph, province: str | None = None, role: str | None = None, *,
             agency: str | None = None, follow_mergers: bool = False) -> list[dict[str, Any]]:
    """The workload of each agency: how many tasks it leads or cooperates on, in how many plans.

    One row per agency node (one body within one jurisdiction): ``id``, ``agency`` (the
    name), ``province``, ``district``, ``group`` (a collective such as "các sở, ban,
    ngành"), the task counts by role (``lead``, ``cooperating``, ``focal``, ``requested``),
    ``tasks`` (distinct), ``reports_in`` (reporting duties addressed to it), ``plans`` (how
    many) and ``plan_ids``, and the 2025 reform: ``successor`` / ``successor_since`` (the
    body that carries on its work) and ``predecessors`` (bodies whose work it carries on).

    ``role`` keeps the agencies that hold it and ranks them by it; otherwise rows come by
    lead, then cooperating count. ``agency`` keeps the agencies :func:`find_agencies`
    finds for the phrase (with ``follow_mergers``, its predecessors and successors too;
    ``matched_as`` says which).

    Examples:
        >>> import networkx as nx
        >>> G = nx.MultiDiGraph()
        >>> G.add_node("p", kind="document", date="2021-06-30")
        >>> G.add_node("a", kind="agency", name="Sở Thông tin và Truyền thông", province="Gia Lai")
        >>> for t in ("t1", "t2"):
        ...     G.add_node(t, kind="task")
        ...     _ = G.add_edge("p", t, key="has_task", relation="has_task")
        ...     _ = G.add_edge(t, "a", key="lead", relation="lead")
        >>> r = agencies(G)[0]
        >>> r["agency"], r["lead"], r["plans"], r["successor"], r["successor_since"]
        ('Sở Thông tin và Truyền thông', 2, 1, 'Sở Khoa học và Công nghệ', '2025-03-01')
    """
    from cascade.identity import agencies as A  # deferred: costly to import at start-up

    if role is not None and role not in ROLES:
        raise CascadeError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    want = _province_key(province)
    if agency:
        found = find_agencies(G, agency, province=province, follow_mergers=follow_mergers)
        ids = list(found)
    else:
        found = {}
        ids = [n for n, d in G.nodes(data=True)
               if d.get(KIND) == "agency" and _same_place(d.get("province"), want)]
    rows = []
    lineages: dict[str, list[tuple[str, str, dt.date]]] = {}
    for a in ids:
        d = G.nodes[a]
        name = str(d.get("name") or d.get(LABEL) or a)
        counts = dict.fromkeys(ROLES, 0)
        task_ids: set[str] = set()
        plans: set[str] = set()
        reports_in = 0
        for t, edges in G.pred[a].items():
            for k in edges:
                if k in counts:
                    counts[k] += 1
                    task_ids.add(t)
                elif k == "reports_to":
                    reports_in += 1
        for t in task_ids:
            plan = _task_plan(G, t)
            if plan is not None:
                plans.add(plan)
        if role is not None and not counts[role]:
            continue
        if name not in lineages:
            lineages[name] = A.lineage(name) if not d.get("group") else []
        succ = next(((n, s) for n, how, s in lineages[name] if how == "successor"), None)
        row: dict[str, Any] = {
            "id": a, "agency": name, "province": d.get("province"), "district": d.get("district"),
            "group": bool(d.get("group")), **counts, "tasks": len(task_ids), "reports_in": reports_in,
            "plans": len(plans), "plan_ids": sorted(plans),
            "successor": succ[0] if succ else None, "successor_since": succ[1].isoformat() if succ else None,
            "predecessors": [n for n, how, _ in lineages[name] if how == "predecessor"]}
        if agency:
            row["matched_as"] = found[a]["as"]
        rows.append(row)
    order = (role,) if role else ("lead", "cooperating")
    rows.sort(key=lambda r: (*(-r[k] for k in order), -r["tasks"], r["agency"], r["id"]))
    return rows
