"""The corpus as blocks of triples ``(named graph or None, triples)``, in a fixed order.

Two shapes of output:

* the merged graph: every fact once;
* the dataset: one named graph per input file, holding what that file states, and the
  evidence of each statement between documents (a ``cas:Evidence``: file, span, quoted
  sentence); the graph is ``prov:wasDerivedFrom`` the document the file is. Shared facts
  (cited documents, bodies, agencies, places, code lists) sit in the default graph.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from cascade.graph import Statements, sources, span, split
from cascade.rdf.iri import _tag
from cascade.rdf.mapping import Block, Triple, _Maker, _Source

if TYPE_CHECKING:
    import networkx as nx

    from cascade.graph import Attrs, StreamedGraph, TaskEdges


def corpus_blocks(src: _Source, terms: Any, base: str | None, *, named: bool) -> Iterator[Block]:
    """The corpus as blocks of triples: the merged graph (``named=False``) or the dataset.

    In the dataset a document read from a file, its tasks and the relations the file states
    (with their evidence) go to the file's named graph; everything else to the default graph.
    """
    mk = _Maker(src, terms, base)
    yield None, mk.dataset()
    yield from _node_blocks(mk, mk.G.nodes(data=True), named=named)
    if named:
        yield from _named_blocks(mk)
    yield None, mk.unit_blocks()
    yield None, mk.vocabulary_blocks()


def _node_blocks(mk: _Maker, items: Iterable[tuple[str, dict[str, Any]]], *, named: bool) -> Iterator[Block]:
    """The default-graph blocks of some nodes (in the merged graph: everything about them).

    Each node's block is made as the walk reaches it and nothing is kept of a task, so a
    graph streamed plan by plan is written in the memory of its documents, bodies and agencies.
    """
    for n, d in items:
        kind = d.get("kind")
        if kind == "document":
            if named and d.get("in_corpus"):
                continue
            yield None, mk.document(n, d, relations=not named)
        elif kind in ("organization", "agency"):
            yield None, mk.body(n, d)
        elif kind == "person":
            yield None, mk.person(n, d)
        elif kind == "task" and not named:
            yield None, mk.task(n, d, mk.plan(n))


def _named_blocks(mk: _Maker) -> Iterator[Block]:
    """One named graph per input file: its document, its tasks, the relations it states and their evidence."""
    G, V = mk.G, mk.V
    by_source: dict[str, list[tuple[str, str, str, dict[str, Any]]]] = defaultdict(list)
    own: dict[str, str] = {}                      # source -> the document it is
    tasks_of: dict[str, list[tuple[str, str]]] = defaultdict(list)   # source -> (task, its plan)
    plans: list[tuple[str, dict[str, Any]]] = []
    for n, d in G.nodes(data=True):
        if d.get("kind") != "document":
            continue
        for src in sources(d):
            own.setdefault(src, n)
        for rel, other, e in mk.relations(n):
            for src in split(e.get("asserted_by")):
                by_source[src].append((n, rel, other, e))
        plans.append((n, d))
    for n, d in plans:                            # each task with its plan, in the order of the plans
        for t, edges in G._succ[n].items():
            if "has_task" in edges and mk.plan(t) == n:
                src = G.nodes[t].get("evidence_source") or d.get("source") or ""
                tasks_of[src].append((t, n))
    evidence = mk.statements or {}
    run = mk.run_term()
    files = list(dict.fromkeys([*own, *by_source, *tasks_of]))
    for src in files:
        g = mk.mint.graph(src)
        gt = mk.t.iri(g)
        meta: list[Triple] = [(gt, V.RDF_type, V.CAS_SourceGraph), (gt, V.RDF_type, V.PROV_Entity),
                              (gt, V.CAS_sourceFile, mk.lit(src))]
        this = own.get(src)
        if this is not None:
            meta.append((gt, V.PROV_wasDerivedFrom, mk.node(this)))
        if run is not None:
            meta.append((gt, V.PROV_wasGeneratedBy, run))
        yield None, meta
        triples: list[Triple] = []
        if this is not None and G.nodes[this].get("source", src) == src:
            triples += mk.document(this, G.nodes[this])
        for t, plan in tasks_of.get(src, ()):
            triples += mk.task(t, G.nodes[t], plan)
        for a, rel, b, e in by_source.get(src, ()):
            stated = mk.relation_triples(a, rel, b)
            triples += stated
            s, p, o = stated[0]
            for ev in _evidence_for(evidence, a, rel, b, src, e):
                x = mk.t.iri(f"{g}#ev-{_tag(f'{a}|{rel}|{b}|{ev[0]}', 8)}")
                triples += [(x, V.RDF_type, V.CAS_Evidence), (x, V.RDF_type, V.RDF_Statement),
                            (x, V.RDF_subject, s), (x, V.RDF_predicate, p), (x, V.RDF_object, o),
                            (x, V.CAS_sourceFile, mk.lit(src)), (x, V.CAS_span, mk.lit(ev[0]))]
                if ev[1]:
                    triples.append((x, V.CAS_quote, mk.lit(ev[1], lang="vi")))
                if this is not None:
                    triples.append((x, V.PROV_wasDerivedFrom, mk.node(this)))
        yield g, triples


def _evidence_for(index: Statements, a: str, rel: str, b: str, src: str,
                  e: dict[str, Any]) -> list[tuple[str, str]]:
    """(span, quote) of each statement of edge ``a -rel-> b`` in file ``src``: every statement the
    build kept, else the first statement the graph carries."""
    found: dict[str, str] = {}
    for ev in index.get((a, rel, b), ()):
        if ev.source == src:
            found.setdefault(f"{ev.start}-{ev.end}", ev.quote)
    first = span(e.get("evidence_span"))
    if not found and e.get("evidence_source") == src and first is not None:
        found[f"{first[0]}-{first[1]}"] = str(e.get("evidence") or "")
    return list(found.items())


# -- a build's graph in two passes ----------------------------------------------------------------------

class WalkedGraph:
    """What the maker reads of a build's :class:`cascade.graph.StreamedGraph` while a writer walks it
    in two passes (:func:`plan_items`, then :func:`core_items`): the out-edges of the node at hand and
    the kind of the signers met so far (all the maker asks of a node it is not writing) come from the
    walk; anything else (rarely asked) from the streamed graph, which makes a plan's part again."""

    def __init__(self, streamed: StreamedGraph) -> None:
        self.streamed = streamed
        self.graph: dict[str, Any] = streamed.graph
        self.current: tuple[str, Mapping[str, Mapping[str, Attrs]]] | None = None   # node, its out-edges
        self.targets: Mapping[str, Attrs] = {}        # the attributes of the current task's agencies
        self.signers: dict[str, Attrs] = {}            # signer -> {"kind": "person"}, one dict for all
        self._node = _WalkedNodes(self)
        self._succ = _WalkedSuccessors(self)

    def nodes(self, data: bool = False) -> Iterator[Any]:
        return self.streamed.nodes(data)


class _WalkedNodes:
    def __init__(self, g: WalkedGraph) -> None:
        self.g = g
        self.core: dict[str, Attrs] = g.streamed.parts.core._node

    def get(self, n: str, default: Any = None) -> Any:
        d = self.core.get(n)
        if d is None:
            d = self.g.signers.get(n)
            if d is None:
                d = self.g.targets.get(n)
                if d is None:
                    return self.g.streamed._node.get(n, default)
        return d

    def __getitem__(self, n: str) -> Attrs:
        d = self.get(n)
        if d is None:
            raise KeyError(n)
        return d


class _WalkedSuccessors:
    def __init__(self, g: WalkedGraph) -> None:
        self.g = g

    def __getitem__(self, n: str) -> Mapping[str, Mapping[str, Attrs]]:
        current = self.g.current
        if current is not None and current[0] == n:
            return current[1]
        return self.g.streamed._succ[n]


def plan_items(nodes: Iterable[tuple[str, Attrs, TaskEdges | None]],
               view: WalkedGraph) -> Iterator[tuple[str, Attrs]]:
    """The first pass: the signers, tasks and agencies of a :class:`cascade.graph.SpooledWalk`'s
    node pass (after its core nodes), each task's edges and agencies given to ``view`` as it comes."""
    person: Attrs = {"kind": "person"}
    for n, d, te in nodes:
        if te is not None:
            view.current, view.targets = (n, te.edges), te.targets
        elif d.get("kind") == "person":
            view.signers[n] = person
        yield n, d


def core_items(core: nx.MultiDiGraph, edges: Iterable[tuple[str, str, str, Attrs]],
               view: WalkedGraph) -> Iterator[tuple[str, Attrs]]:
    """The second pass: the core nodes (documents, bodies, places) in order, each node's out-edges
    gathered from a :class:`cascade.graph.SpooledWalk`'s edge pass (which gives them node by node,
    in the same order) and given to ``view`` as it comes."""
    view.targets = {}                                 # no task is at hand
    it = iter(edges)
    edge = next(it, None)
    for n, d in core.nodes(data=True):
        out: dict[str, dict[str, Attrs]] = {}
        while edge is not None and edge[0] == n:
            _, v, key, e = edge
            keys = out.get(v)
            if keys is None:
                out[v] = {key: e}
            else:
                keys[key] = e
            edge = next(it, None)
        view.current = (n, out)
        yield n, d
    if edge is not None:
        raise RuntimeError(f"an edge from {edge[0]!r} comes out of the order of the graph's nodes")
