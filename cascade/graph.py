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
import json.encoder as _json_encoder
import os
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

import orjson

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
    The graph is the one :class:`GraphParts` streams, added to a networkx graph.
    """
    parts = GraphParts(corpus, task_layers)
    G = parts.core
    G.add_nodes_from(parts.plan_nodes())
    G.add_edges_from(parts.plan_edges())
    return G


def build_time() -> str:
    """Now in UTC to the second, or the time ``SOURCE_DATE_EPOCH`` gives (reproducible builds).

    >>> import os; os.environ["SOURCE_DATE_EPOCH"] = "1609459200"; build_time()
    '2021-01-01T00:00:00+00:00'
    >>> del os.environ["SOURCE_DATE_EPOCH"]
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    now = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch.isdigit() else dt.datetime.now(dt.UTC)
    return now.isoformat(timespec="seconds")


def _core_graph(corpus: Corpus) -> nx.MultiDiGraph:
    """The documents, their issuers and places, and the links between documents."""
    import networkx as nx

    G = nx.MultiDiGraph(cascade_version=__version__, built=build_time(), documents=len(corpus.records))
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
    """The node id of an agency within a jurisdiction (see :func:`cascade.identity.agencies.agency_key`)."""
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
#: a task's agencies in each role of :data:`ROLES`, in one call (as :class:`cascade.models.Task` has them)
_roles = attrgetter(*ROLES)


@lru_cache(maxsize=65536)
def _agency_node(name: str, province: str | None, district: str | None) -> tuple[str, dict[str, object]]:
    """The id and attributes of the node of agency ``name`` within a jurisdiction (one dictionary for
    every plan that names it: read it, do not change it)."""
    return agency_id(name, province, district), _clean({KIND: AGENCY, LABEL: name, "name": name,
                                                        "province": province, "district": district,
                                                        "group": _is_group(name)})


def task_layer(rec: Record) -> TaskLayer:
    """The :class:`TaskLayer` of one plan: task ids relative to the plan ("#II.3.b", a
    repeated label gets "~2"), task attributes, and edges to agencies (groups stay groups)."""
    prov, dist = scope = _task_scope(rec)
    agencies: dict[str, dict[str, object]] = {}
    node = _agency_node
    seen: dict[str, int] = {}
    tasks = []
    for t in rec.tasks:
        label = t.label
        n = seen[label] = seen.get(label, 0) + 1
        edges: list[tuple[str, str, dict[str, object]]] = []
        for role, names in zip(ROLES, _roles(t), strict=True):
            if names:
                role_attrs = _ROLE_EDGES[role]
                for name in names:
                    aid, d = node(name, prov, dist)
                    if aid not in agencies:             # the first name of an agency names its node
                        agencies[aid] = d
                    edges.append((role, aid, role_attrs))
        for r in t.reporting:
            aid, d = node(r.to, prov, dist)
            if aid not in agencies:
                agencies[aid] = d
            dl = r.deadline
            attrs: dict[str, object] = {RELATION: "reports_to"}
            if dl is not None:
                attrs.update(_clean({"due": dl.due, "recurrence": dl.recurrence, "deadline_text": dl.text}))
            edges.append(("reports_to", aid, attrs))
        tasks.append((f"#{label}" if n == 1 else f"#{label}~{n}", task_attrs(t), tuple(edges)))
    return TaskLayer(scope, tuple(tasks), agencies)


def rescoped(layer: TaskLayer, scope: tuple[str | None, str | None]) -> TaskLayer | None:
    """The layer :func:`task_layer` makes for jurisdiction ``scope`` (a plan that resolution moved),
    made from ``layer``, the plan's layer for another jurisdiction, without reading the agencies'
    names again (which loads the index of known names): each agency id keeps its name's key, and
    its scope (:func:`cascade.identity.agencies.agency_scope`) tells its level ("VN" a central body;
    with a district, a provincial body has no district in it).

    None when the ids do not tell: the layer was made without a district and ``scope`` has one,
    or two agencies would become one.
    """
    from cascade.identity.agencies import agency_scope

    prov, dist = scope
    had_district = bool(layer.jurisdiction[1])
    ids: dict[str, str] = {}
    for aid in layer.agencies:
        name_key, at, where = aid.removeprefix("agency:").rpartition("@")
        if not at:
            return None
        if where == "VN":
            level: str | None = "central"
        elif had_district:
            level = None if "/" in where else "province"
        elif dist:
            return None
        else:
            level = "province"                      # below the central level, scoped to the province alone
        ids[aid] = f"agency:{name_key}@{agency_scope(level, prov, dist)}"
    if len(set(ids.values())) < len(ids):
        return None
    agencies = {ids[aid]: _clean({KIND: AGENCY, LABEL: d.get(LABEL), "name": d.get("name"), "province": prov,
                                  "district": dist, "group": d.get("group")})
                for aid, d in layer.agencies.items()}
    tasks = tuple((suffix, attrs, tuple((role, ids[aid], ea) for role, aid, ea in edges))
                  for suffix, attrs, edges in layer.tasks)
    return TaskLayer(scope, tasks, agencies)


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
    if d is not None:                       # its fields that have a value (as _clean keeps them)
        for k, v in zip(_DEADLINE_ATTRS, _deadline_fields(d), strict=True):
            if v is not None and v != "":
                attrs[k] = v
    e = t.evidence
    if e is not None:
        attrs["evidence_source"] = e.source
        attrs["evidence_span"] = f"{e.start}-{e.end}"
    return attrs


#: a deadline's fields as task attributes, in this order
_DEADLINE_ATTRS = ("deadline_text", "start", "end", "due", "recurrence")
_deadline_fields = attrgetter("text", "start", "end", "due", "recurrence")


# -- the graph streamed: the core in memory, the plans made again from their task layers --------------------

Attrs = dict[str, object]
#: the attributes of a document's edge to one of its tasks; :class:`SpooledWalk` gives these edges with
#: this very dictionary (see :class:`GraphWalk`)
TASK_LINK: Attrs = {RELATION: "has_task"}


class _PlanPart(NamedTuple):
    """What the input files of one document add to the graph: signers, tasks and the tasks' agencies."""

    document: str
    links: dict[str, dict[str, Attrs]]                 # the document's edges: target -> key -> attributes
    targets: dict[str, Attrs]                          # signer or task -> attributes
    task_edges: dict[str, dict[str, dict[str, Attrs]]]  # task -> agency -> role -> attributes
    agencies: dict[str, Attrs]                         # agency -> attributes (as the first file names it)
    added: list[list[tuple[str, Attrs | None]]]        # per file: the nodes it adds, in order (None: a task)


def _link(links: dict[str, dict[str, Attrs]], v: str, key: str, attrs: Attrs) -> None:
    """Add an edge as networkx does: a second edge with the same key updates the first one's attributes."""
    keys = links.get(v)
    if keys is None:
        links[v] = {key: attrs}
    else:
        old = keys.get(key)
        keys[key] = attrs if old is None else {**old, **attrs}


class GraphParts:
    """The graph of a resolved corpus, node by node and edge by edge in the order of :func:`build_graph`,
    holding only its core in memory.

    The core (``core``: documents, issuing bodies, places and the links between documents) is a
    networkx graph; the signers, tasks and agencies that each input file adds are made again
    from its task layer at each walk, so a build writes the graph of a national corpus without
    holding every task at once. ``task_layers`` is read once per walk for each file (a file
    whose layer is missing, or was made for another jurisdiction, gets its layer from its record).
    Attribute dictionaries are shared with the core and the layers: read them, do not change them.
    """

    def __init__(self, corpus: Corpus, task_layers: Mapping[str, TaskLayer] | None = None) -> None:
        self.core = _core_graph(corpus)
        self.graph: dict[str, Any] = self.core.graph
        self.layers = task_layers
        self.records = {r.source: r for r in corpus.records}
        self.order = corpus.record_nodes               # input file -> its document, in the order of adding
        files: dict[str, list[str]] = {}
        for source, k in self.order.items():
            files.setdefault(k, []).append(source)
        self.files = files

    def nodes(self) -> Iterator[tuple[str, Attrs]]:
        """Every node and its attributes, in the graph's order."""
        yield from self.core.nodes(data=True)
        yield from self.plan_nodes()

    def edges(self) -> Iterator[tuple[str, str, str, Attrs]]:
        """Every edge ``(source, target, key, attributes)`` in the graph's order."""
        for u, nbrs in self.core._adj.items():
            for v, keys in nbrs.items():
                for key, d in keys.items():
                    yield u, v, key, d
            if u in self.files:
                yield from self._document_edges(u, self._part(u))
        yield from self._task_edges()

    def plan_nodes(self) -> Iterator[tuple[str, Attrs]]:
        """The signers, tasks and agencies, in the order the input files add them."""
        for n, d, _ in self._plan_nodes():
            yield n, d

    def _plan_nodes(self) -> Iterator[tuple[str, Attrs, _PlanPart]]:
        seen: set[str] = set()                         # signers and agencies (a document's tasks are its own)
        for part, i in self._walk():
            for n, d in part.added[i]:
                if d is None:
                    yield n, part.targets[n], part
                elif n not in seen:
                    seen.add(n)
                    yield n, d, part

    def plan_edges(self) -> Iterator[tuple[str, str, str, Attrs]]:
        """The edges to signers, tasks and agencies, as :meth:`edges` gives them."""
        for u in self.core:
            if u in self.files:
                yield from self._document_edges(u, self._part(u))
        yield from self._task_edges()

    @staticmethod
    def _document_edges(k: str, part: _PlanPart) -> Iterator[tuple[str, str, str, Attrs]]:
        for v, keys in part.links.items():
            for key, d in keys.items():
                yield k, v, key, d

    def _task_edges(self) -> Iterator[tuple[str, str, str, Attrs]]:
        for part, i in self._walk():
            for n, d in part.added[i]:
                if d is None:
                    for aid, roles in part.task_edges[n].items():
                        for role, ed in roles.items():
                            yield n, aid, role, ed

    def walk(self, folder: str | Path | None = None) -> SpooledWalk:
        """The graph walked once for writing (:class:`GraphWalk`), each file's task layer read once;
        ``folder`` holds its temporary file (default: the system's temporary folder)."""
        return SpooledWalk(self, folder)

    def _walk(self) -> Iterator[tuple[_PlanPart, int]]:
        """(the document's part, the file's place among its files) for each input file, in order."""
        pending: dict[str, _PlanPart] = {}             # documents read from several files, until their last
        for source, k in self.order.items():
            files = self.files[k]
            if len(files) == 1:
                yield self._part(k), 0
                continue
            part = pending.get(k)
            if part is None:
                part = pending[k] = self._part(k)
            i = files.index(source)
            if i == len(files) - 1:
                del pending[k]
            yield part, i

    def _part(self, k: str) -> _PlanPart:
        """What the files of document ``k`` add, merged as networkx merges a node or edge added twice."""
        part = _PlanPart(k, {}, {}, {}, {}, [])
        links, targets, task_edges, agencies = part.links, part.targets, part.task_edges, part.agencies
        for source in self.files[k]:
            rec = self.records[source]
            added: list[tuple[str, Attrs | None]] = []
            s = rec.meta.signer
            if s is not None and s.name:
                pid = f"person:{s.name}@{rec.meta.issuer or k}"
                attrs = _clean({KIND: PERSON, LABEL: s.name, "name": s.name})
                added.append((pid, attrs))
                targets.setdefault(pid, attrs)
                _link(links, pid, "signed_by", _clean({RELATION: "signed_by", "title": s.title,
                                                       "capacity": s.capacity}))
            layer = self.layers.get(source) if self.layers is not None else None
            scope = _task_scope(rec)
            if layer is not None and layer.jurisdiction != scope:
                layer = rescoped(layer, scope)
            if layer is None:
                layer = task_layer(rec)
            named = layer.agencies
            for aid, d in named.items():
                agencies.setdefault(aid, d)
            prefix = f"task:{k}"
            add = added.append
            for suffix, attrs, edges in layer.tasks:
                tid = prefix + suffix
                old = targets.get(tid)
                if old is None:                 # a new task (a document's tasks are its own): new links too
                    targets[tid] = attrs
                    add((tid, None))
                    links[tid] = {"has_task": TASK_LINK}
                    mine = task_edges[tid] = {}
                else:
                    targets[tid] = {**old, **attrs}
                    _link(links, tid, "has_task", TASK_LINK)
                    mine = task_edges.setdefault(tid, {})
                for role, aid, edge_attrs in edges:
                    add((aid, named[aid]))
                    keys = mine.get(aid)
                    if keys is None:
                        mine[aid] = {role: edge_attrs}
                    else:
                        _link(mine, aid, role, edge_attrs)
            part.added.append(added)
        return part


class StreamedGraph:
    """The whole graph, read-only, for a writer that walks its nodes in order and reads the out-edges
    of the node at hand (the Turtle writer): ``graph``, ``nodes(data=True)``, ``_node`` and ``_succ``
    as a networkx ``MultiDiGraph`` has them, over :class:`GraphParts`.

    A document's out-edges are its core edges and then the edges to its signers and tasks (its
    part, made from its task layers when asked for); a task's are those of the part of the plan
    being walked. Signers and agencies have none. Only the core and the few parts asked for last
    are held at a time.
    """

    def __init__(self, parts: GraphParts) -> None:
        self.parts = parts
        self.graph: dict[str, Any] = parts.graph
        self._recent: dict[str, _PlanPart] = {}       # document -> its part, the last few asked for
        self._walked: _PlanPart | None = None          # the part of the plan node being walked
        self._node = _Nodes(self)
        self._succ = _Successors(self)

    def nodes(self, data: bool = False) -> Iterator[Any]:
        core = self.parts.core
        for n, d in core.nodes(data=True):
            yield (n, d) if data else n
        for n, d, part in self.parts._plan_nodes():
            self._walked = part
            yield (n, d) if data else n
        self._walked = None

    def _part(self, doc: str) -> _PlanPart:
        part = self._recent.get(doc)
        if part is None:
            if len(self._recent) >= 8:
                del self._recent[next(iter(self._recent))]
            part = self._recent[doc] = self.parts._part(doc)
        return part

    def _parts(self) -> Iterator[_PlanPart]:
        if self._walked is not None:
            yield self._walked
        yield from reversed(self._recent.values())


class _Nodes(Mapping[str, Attrs]):
    def __init__(self, g: StreamedGraph) -> None:
        self.g = g

    def __getitem__(self, n: str) -> Attrs:
        d = self.g.parts.core._node.get(n)
        if d is not None:
            return d
        for part in self.g._parts():
            d = part.targets.get(n) or part.agencies.get(n)
            if d is not None:
                return d
        raise KeyError(n)

    def __iter__(self) -> Iterator[str]:
        return (n for n in self.g.nodes())

    def __len__(self) -> int:
        return sum(1 for _ in self.g.nodes())


class _Successors(Mapping[str, dict[str, dict[str, Attrs]]]):
    def __init__(self, g: StreamedGraph) -> None:
        self.g = g

    def __getitem__(self, n: str) -> dict[str, dict[str, Attrs]]:
        g = self.g
        core = g.parts.core._succ.get(n)
        if core is not None:
            return {**core, **g._part(n).links} if n in g.parts.files else core
        for part in g._parts():
            edges = part.task_edges.get(n)
            if edges is not None:
                return edges
        if n in g._node:
            return {}
        raise KeyError(n)

    def __iter__(self) -> Iterator[str]:
        return (n for n in self.g.nodes())

    def __len__(self) -> int:
        return sum(1 for _ in self.g.nodes())


class TaskEdges(NamedTuple):
    """What a writer takes with a task node: its document and its out-edges."""

    document: str | None                            # the source of its first has_task edge
    edges: Mapping[str, Mapping[str, Attrs]]        # target -> key -> attributes, in the graph's order
    targets: Mapping[str, Attrs]                    # node -> attributes, for those targets at least


class GraphWalk(Protocol):
    """What the graph writers walk: graph attributes; every node in the graph's order, a task with its
    :class:`TaskEdges` (None for any other kind); then, in the graph's order, every edge whose source
    is not a task.

    An edge whose attributes are :data:`TASK_LINK` itself (that object, not an equal dictionary)
    goes from a task's document (:attr:`TaskEdges.document`) to the task, keyed ``has_task``, and
    a document with one such edge has one to each of its tasks, in the order of its tasks: a
    writer may keep those edges as the tasks' documents alone. :class:`SpooledWalk` gives every
    document's edges to its tasks so; :class:`WholeGraph` none.
    """

    graph: dict[str, Any]

    def nodes(self) -> Iterator[tuple[str, Attrs, TaskEdges | None]]: ...

    def edges(self) -> Iterator[tuple[str, str, str, Attrs]]: ...


class SpooledWalk:
    """:class:`GraphParts` walked as :class:`GraphWalk` with each input file's task layer read once.

    The node pass makes each document's part (its signers, tasks and agencies) once, gives every
    task with its edges, and keeps the document's edges to its signers and tasks in a temporary
    file until the edge pass, which walks the documents in another order, reads them back. Call
    :meth:`nodes` to its end before :meth:`edges`; :meth:`edges` closes the file.
    """

    def __init__(self, parts: GraphParts, folder: str | Path | None = None) -> None:
        self.parts = parts
        self.graph: dict[str, Any] = parts.graph
        self._folder = folder
        self._spool: Any = None
        self._where: dict[str, tuple[int, int]] = {}      # document -> (offset, length) in the spool

    def nodes(self) -> Iterator[tuple[str, Attrs, TaskEdges | None]]:
        for n, d in self.parts.core.nodes(data=True):
            yield n, d, None
        import tempfile

        spool = self._spool = tempfile.TemporaryFile(dir=self._folder)  # noqa: SIM115 - edges() closes it
        dumps, where = orjson.dumps, self._where
        offset = 0
        seen: set[str] = set()               # signers and agencies (a document's tasks are its own)
        for part, i in self.parts._walk():
            k = part.document
            if i == 0:
                # an edge to one of the document's tasks (the same for every task) as the task alone
                line = dumps([v if d is TASK_LINK else (v, key, d) for v, key, d in self._links(part)])
                spool.write(line)
                where[k] = (offset, len(line))
                offset += len(line)
            targets, task_edges, agencies = part.targets, part.task_edges, part.agencies
            for n, d in part.added[i]:
                if d is None:
                    yield n, targets[n], TaskEdges(k, task_edges[n], agencies)
                elif n not in seen:
                    seen.add(n)
                    yield n, d, None

    @staticmethod
    def _links(part: _PlanPart) -> Iterator[tuple[str, str, Attrs]]:
        """The document's edges to its signers and tasks, each to one of its tasks with :data:`TASK_LINK`."""
        own = part.task_edges
        for v, keys in part.links.items():
            for key, d in keys.items():
                yield v, key, TASK_LINK if key == "has_task" and v in own and d == TASK_LINK else d

    def edges(self) -> Iterator[tuple[str, str, str, Attrs]]:
        loads = orjson.loads
        spool, where, parts = self._spool, self._where, self.parts
        try:
            if spool is not None:
                spool.flush()
            for u, nbrs in parts.core._adj.items():
                for v, keys in nbrs.items():
                    for key, d in keys.items():
                        yield u, v, key, d
                at = where.get(u)
                if at is not None:
                    for e in loads(os.pread(spool.fileno(), at[1], at[0])):
                        if type(e) is str:
                            yield u, e, "has_task", TASK_LINK
                        else:
                            yield u, *e
                elif u in parts.files:                  # the node pass did not run
                    for v, key, d in self._links(parts._part(u)):
                        yield u, v, key, d
        finally:
            if spool is not None:
                spool.close()
            self._spool = None
            where.clear()


class WholeGraph:
    """A networkx graph walked as :class:`GraphWalk` (for the writers that take it or :class:`GraphParts`)."""

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.G = G
        self.graph: dict[str, Any] = G.graph

    def nodes(self) -> Iterator[tuple[str, Attrs, TaskEdges | None]]:
        nodes, succ, pred = self.G._node, self.G._succ, self.G._pred
        for n, d in nodes.items():
            if d.get(KIND) == TASK:
                doc = next((u for u, keys in pred[n].items() if "has_task" in keys), None)
                yield n, d, TaskEdges(doc, succ[n], nodes)
            else:
                yield n, d, None

    def edges(self) -> Iterator[tuple[str, str, str, Attrs]]:
        nodes = self.G._node
        for u, nbrs in self.G._adj.items():
            if nodes[u].get(KIND) != TASK:
                for v, keys in nbrs.items():
                    for key, d in keys.items():
                        yield u, v, key, d


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
    """:data:`STATEMENTS_FILE` line by line: one JSON object per relation, its evidence as a list.

    Each line is what ``json.dumps(..., ensure_ascii=False)`` writes, put together from its strings
    and offsets (an edge whose values are not plain strings and integers goes through ``json.dumps``).
    """
    q = _json_str
    for e in corpus.edges:
        try:
            evidence = ", ".join([f'{{"source": {q(ev.source)}, "span": [{_json_int(ev.start)}, '
                                  f'{_json_int(ev.end)}], "quote": {q(ev.quote)}}}' for ev in e.evidence])
            line = (f'{{"from": {q(e.source)}, "relation": {q(e.type)}, "to": {q(e.target)}, "asserted_by": '
                    f'[{", ".join([q(a) for a in e.asserted_by])}], "evidence": [{evidence}]}}\n')
        except TypeError:
            line = json.dumps({"from": e.source, "relation": e.type, "to": e.target,
                               "asserted_by": list(e.asserted_by),
                               "evidence": [ev.to_dict() for ev in e.evidence]}, ensure_ascii=False) + "\n"
        yield line


#: a str as a JSON string, as ``json.dumps(..., ensure_ascii=False)`` writes it (TypeError for anything else)
_json_str: Any = _json_encoder.encode_basestring


def _json_int(value: object) -> str:
    """An int as JSON writes it; TypeError for any other value (a bool or a float goes the slow way)."""
    if type(value) is not int:
        raise TypeError(value)
    return int.__repr__(value)


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
