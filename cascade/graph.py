"""The resolved corpus as a NetworkX ``MultiDiGraph``.

Attribute names live here and nowhere else. Every attribute is a plain scalar (str, int,
float, bool), so the GraphML and GEXF writers accept the graph as it is; a value that is
not known is left out rather than set to None.

Nodes (``kind``):

* ``document``: one per real document (key from :mod:`cascade.identity.documents`);
* ``organization``: an issuing body; ``jurisdiction``: a province or district;
* ``person``: a signer; ``task``: an item of a plan; ``agency``: a body that must act.

Edges (``relation``), each keyed by its relation so a pair can carry several:

* document -> document: implements, continues, based_on, cites, amends, replaces,
  repeals, guides; from the implementing document to the implemented one, with
  ``asserted_by`` (the input files that state it) and the evidence of the first statement
  (every statement's evidence is in :data:`STATEMENTS_FILE`, see :func:`write_statements`);
* issued_by (document -> organization), signed_by (document -> person),
  in_jurisdiction (document -> jurisdiction), part_of (district -> province),
  has_task (document -> task), lead / cooperating / requested / reports_to (task -> agency).
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from cascade import __version__
from cascade.vocab import CASCADE, ROLES

if TYPE_CHECKING:       # the queries read this module's names without networkx and the extraction's models
    import networkx as nx

    from cascade.identity.documents import Corpus

    from .models import DocNode, Evidence, Record, Task

# -- attribute names, in one place ---------------------------------------------------------------
KIND = "kind"
RELATION = "relation"
LABEL = "label"
DOCUMENT, ORGANIZATION, JURISDICTION, PERSON, TASK, AGENCY = (
    "document", "organization", "jurisdiction", "person", "task", "agency")
DOC_FIELDS = ("type", "number", "date", "issuer", "branch", "level", "province", "district", "plenum", "term",
              "title", "source", "confidence")
ASSERTED_BY = "asserted_by"          # "; "-joined input files
EVIDENCE = "evidence"                # the sentence of the first statement
EVIDENCE_SOURCE = "evidence_source"
EVIDENCE_SPAN = "evidence_span"      # "start-end" into the source as read
SEP = "; "


def _clean(attrs: dict[str, object]) -> dict[str, object]:
    """The attributes that have a value."""
    return {k: v for k, v in attrs.items() if v is not None and v != ""}


def doc_label(n: DocNode) -> str:
    if n.number:
        return n.number
    if n.plenum is not None:
        return f"Nghị quyết Trung ương {n.plenum} (khóa {n.term})"
    if n.key.startswith("file:"):
        t = (n.title or n.key[5:])
        return (n.type + ": " if n.type else "") + (t if len(t) <= 60 else t[:57] + "...")
    return n.key


def place_id(province: str | None, district: str | None = None) -> str | None:
    if not province:
        return None
    return f"place:{province}" + (f"/{district}" if district else "")


def build_graph(corpus: Corpus, task_layers: Mapping[str, TaskLayer] | None = None) -> nx.MultiDiGraph:
    """The graph of a resolved corpus (see the module docstring for its conventions).

    ``task_layers`` (input file -> :class:`TaskLayer`) are the task layers made already.
    """
    import networkx as nx

    G = nx.MultiDiGraph(cascade_version=__version__, built=dt.datetime.now(dt.UTC).isoformat(
        timespec="seconds"), documents=len(corpus.records))
    by_source = {r.source: r for r in corpus.records}
    for k, n in corpus.nodes.items():
        attrs = {f: getattr(n, f) for f in DOC_FIELDS}
        attrs["confidence"] = round(n.confidence, 3)
        attrs.update({KIND: DOCUMENT, LABEL: doc_label(n), "in_corpus": n.source is not None,
                      "cited": n.cited})
        if len(n.sources) > 1:
            attrs["sources"] = SEP.join(n.sources)
        G.add_node(k, **_clean(attrs))
        if n.level and n.level != "central":
            _jurisdiction(G, k, n.province, n.district if n.level in ("district", "commune") else None)
        if n.issuer:
            org = f"org:{n.issuer}"
            if org not in G:
                G.add_node(org, **_clean({KIND: ORGANIZATION, LABEL: n.issuer, "branch": n.branch,
                                          "level": n.level, "province": n.province}))
            G.add_edge(k, org, key="issued_by", **{RELATION: "issued_by"})
    for e in corpus.edges:
        first = e.evidence[0] if e.evidence else None
        G.add_edge(e.source, e.target, key=e.type, **_clean({
            RELATION: e.type, ASSERTED_BY: SEP.join(e.asserted_by), "statements": len(e.asserted_by),
            EVIDENCE: first.quote[:600] if first else None, EVIDENCE_SOURCE: first.source if first else None,
            EVIDENCE_SPAN: f"{first.start}-{first.end}" if first else None}))
    for source, k in corpus.record_nodes.items():
        rec = by_source[source]
        s = rec.meta.signer
        if s is not None and s.name:
            pid = f"person:{s.name}@{rec.meta.issuer or k}"
            if pid not in G:
                G.add_node(pid, **_clean({KIND: PERSON, LABEL: s.name, "name": s.name}))
            G.add_edge(k, pid, key="signed_by", **_clean({RELATION: "signed_by", "title": s.title,
                                                          "capacity": s.capacity}))
        add_tasks(G, k, rec, task_layers.get(source) if task_layers else None)
    return G


def _jurisdiction(G: nx.MultiDiGraph, doc: str, province: str | None, district: str | None) -> None:
    pid = place_id(province)
    if pid is None:
        return
    if pid not in G:
        G.add_node(pid, **{KIND: JURISDICTION, LABEL: province, "level": "province", "province": province})
    target = pid
    did = place_id(province, district) if district else None
    if did is not None:
        if did not in G:
            G.add_node(did, **{KIND: JURISDICTION, LABEL: district, "level": "district", "province": province,
                               "district": district})
            G.add_edge(did, pid, key="part_of", **{RELATION: "part_of"})
        target = did
    G.add_edge(doc, target, key="in_jurisdiction", **{RELATION: "in_jurisdiction"})


@lru_cache(maxsize=65536)
def agency_id(name: str, province: str | None, district: str | None) -> str:
    """The node id of an agency within a jurisdiction (see :func:`cascade.extract.agencies.agency_key`)."""
    from cascade.identity import agencies

    return "agency:" + agencies.agency_key(name, province, district)


@lru_cache(maxsize=65536)
def _is_group(name: str) -> bool:
    from cascade.extract import agencies

    return agencies.is_group(name)


class TaskLayer(NamedTuple):
    """A plan's task nodes and their edges to agencies, made from its record alone.

    Worker processes make it while they extract, so the main process only adds it to the
    graph (:func:`add_tasks`). It holds for the jurisdiction it was made for: a record that
    resolution moves to another province gets a new one.
    """

    jurisdiction: tuple[str | None, str | None]        # (province, district) of the agencies
    tasks: tuple[tuple[str, dict[str, object], tuple[tuple[str, str, dict[str, object]], ...]], ...]
    agencies: dict[str, dict[str, object]]             # agency node id -> attributes


def _task_scope(rec: Record) -> tuple[str | None, str | None]:
    """Where a plan's agencies are: its province, and its district for district plans."""
    return rec.meta.province, rec.meta.district if rec.meta.level in ("district", "commune") else None


_ROLE_EDGES: dict[str, dict[str, object]] = {role: {RELATION: role} for role in ROLES}


def task_layer(rec: Record) -> TaskLayer:
    """The :class:`TaskLayer` of one plan: task ids relative to the plan ("#II.3.b", a
    repeated label gets "~2"), task attributes, and edges to agencies (groups stay groups)."""
    prov, dist = scope = _task_scope(rec)
    agencies: dict[str, dict[str, object]] = {}

    def agency(name: str) -> str:
        aid = agency_id(name, prov, dist)
        if aid not in agencies:
            agencies[aid] = _clean({KIND: AGENCY, LABEL: name, "name": name, "province": prov,
                                    "district": dist, "group": _is_group(name)})
        return aid

    seen: dict[str, int] = {}
    tasks = []
    for t in rec.tasks:
        n = seen[t.label] = seen.get(t.label, 0) + 1
        edges = [(role, agency(name), _ROLE_EDGES[role]) for role in ROLES for name in getattr(t, role)]
        for r in t.reporting:
            d = r.deadline
            attrs: dict[str, object] = {RELATION: "reports_to"}
            if d is not None:
                attrs.update(_clean({"due": d.due, "recurrence": d.recurrence, "deadline_text": d.text}))
            edges.append(("reports_to", agency(r.to), attrs))
        tasks.append((f"#{t.label}" if n == 1 else f"#{t.label}~{n}", task_attrs(t), tuple(edges)))
    return TaskLayer(scope, tuple(tasks), agencies)


def add_tasks(G: nx.MultiDiGraph, doc: str, rec: Record, layer: TaskLayer | None = None) -> None:
    """Add the task nodes of plan ``doc`` and their agencies (from ``layer`` when it still holds)."""
    if layer is None or layer.jurisdiction != _task_scope(rec):
        layer = task_layer(rec)
    add_node, add_edge, agencies = G.add_node, G.add_edge, layer.agencies
    for suffix, attrs, edges in layer.tasks:
        tid = f"task:{doc}{suffix}"
        add_node(tid, **attrs)
        add_edge(doc, tid, "has_task", relation="has_task")
        for role, aid, edge_attrs in edges:
            if aid not in G:
                add_node(aid, **agencies[aid])
            add_edge(tid, aid, role, **edge_attrs)


def task_attrs(t: Task) -> dict[str, object]:
    """The attributes of a task node (only those with a value)."""
    attrs: dict[str, object] = {KIND: TASK, LABEL: t.label}
    if t.text:
        attrs["text"] = t.text[:500]
    if t.section:
        attrs["section"] = t.section
    if t.deliverable:
        attrs["deliverable"] = t.deliverable
    d = t.deadline
    if d is not None:
        attrs.update(_clean({"deadline_text": d.text, "start": d.start, "end": d.end, "due": d.due,
                             "recurrence": d.recurrence}))
    if t.evidence is not None:
        attrs["evidence_source"] = t.evidence.source
        attrs["evidence_span"] = f"{t.evidence.start}-{t.evidence.end}"
    return attrs


def documents(G: nx.MultiDiGraph) -> list[str]:
    """Ids of the document nodes."""
    return [n for n, k in G.nodes(data=KIND) if k == DOCUMENT]


def cascade_view(G: nx.MultiDiGraph) -> nx.DiGraph:
    """Documents and their implements/continues edges only, as a simple DiGraph."""
    import networkx as nx

    H = nx.DiGraph()
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if d.get(KIND) == DOCUMENT)
    H.add_edges_from((a, b, d) for a, b, d in G.edges(data=True) if d.get(RELATION) in CASCADE)
    return H


# -- typed views of the joined attributes --------------------------------------------------------------------

def split(value: object) -> list[str]:
    """A ``"; "``-joined attribute (``asserted_by``, ``sources``) as a list.

    >>> split("a.txt; b.txt"), split(None)
    (['a.txt', 'b.txt'], [])
    """
    return [x for x in str(value).split(SEP) if x] if value else []


def span(value: object) -> tuple[int, int] | None:
    """An ``evidence_span`` attribute (``"start-end"``) as a pair of offsets; None when absent or malformed.

    >>> span("120-164"), span("x")
    ((120, 164), None)
    """
    start, sep, end = str(value or "").partition("-")
    return (int(start), int(end)) if sep and start.isdigit() and end.isdigit() else None


def sources(d: Mapping[str, Any]) -> list[str]:
    """The input files a document node was read from, its own ``source`` first."""
    out = split(d.get("sources"))
    if d.get("source") and d["source"] not in out:
        out.insert(0, d["source"])
    return out


# -- every statement of every relation -------------------------------------------------------------------

#: the file of a build folder that keeps every statement of every relation between documents
STATEMENTS_FILE = "statements.jsonl"
#: (document, relation, document) -> the evidence of each statement of it
Statements = dict[tuple[str, str, str], tuple["Evidence", ...]]


def statements(corpus: Corpus) -> Statements:
    """Every statement of every resolved relation, from the corpus."""
    return {(e.source, e.type, e.target): e.evidence for e in corpus.edges}


def statement_lines(corpus: Corpus) -> Iterable[str]:
    """:data:`STATEMENTS_FILE` line by line: one JSON object per relation, its evidence as a list."""
    for e in corpus.edges:
        yield json.dumps({"from": e.source, "relation": e.type, "to": e.target,
                          "asserted_by": list(e.asserted_by),
                          "evidence": [ev.to_dict() for ev in e.evidence]}, ensure_ascii=False) + "\n"


def read_statements(folder: str | Path) -> Statements | None:
    """The statements a build folder keeps; None when it keeps none (a line that does not read is skipped)."""
    from .models import Evidence

    out: Statements = {}
    try:
        with (Path(folder) / STATEMENTS_FILE).open(encoding="utf-8") as f:
            for line in f:
                try:
                    d = json.loads(line)
                    evidence = tuple(Evidence(x["source"], int(x["span"][0]), int(x["span"][1]),
                                              x.get("quote", "")) for x in d["evidence"])
                    out[(d["from"], d["relation"], d["to"])] = evidence
                except (ValueError, KeyError, TypeError, IndexError):
                    continue
    except (OSError, UnicodeDecodeError):
        return None
    return out
