"""One document and its links to others, each with its evidence."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cascade.graph import (
    ASSERTED_BY,
    EVIDENCE,
    EVIDENCE_SOURCE,
    EVIDENCE_SPAN,
    KIND,
    LABEL,
    RELATION,
    SEP,
    Statements,
)
from cascade.vocab import CASCADE, DOCUMENT_RELATIONS

from .lookup import _doc
from .nodes import _is_doc, _jurisdiction, _span

if TYPE_CHECKING:
    import networkx as nx


def _link(G: nx.MultiDiGraph, other: str, d: dict[str, Any]) -> dict[str, Any]:
    """One edge to or from another document, with its evidence."""
    o = G.nodes[other]
    return {"relation": d.get(RELATION), "id": other, "label": o.get(LABEL, other), "date": o.get("date"),
            "level": o.get("level"), "jurisdiction": _jurisdiction(o), "in_corpus": bool(o.get("in_corpus")),
            "quote": d.get(EVIDENCE), "file": d.get(EVIDENCE_SOURCE), "span": _span(d.get(EVIDENCE_SPAN)),
            "asserted_by": [s for s in str(d.get(ASSERTED_BY) or "").split(SEP) if s]}


def show(G: nx.MultiDiGraph, doc: str, statements: Statements | None = None) -> dict[str, Any]:
    """One document: its attributes, what it implements and cites, what implements and cites it.

    Each link carries its evidence: the sentence (``quote``), the ``file`` it was read
    from and the character ``span`` in that file, and every input file that states it.
    With ``statements`` (:func:`cascade.graph.read_statements` of the build folder) each link
    also lists every statement of it (``statements``: file, span, quote), the same evidence
    the TriG export carries.

    Examples:
        >>> import networkx as nx
        >>> G = nx.MultiDiGraph()
        >>> G.add_node("a", kind="document"); G.add_node("b", kind="document")
        >>> _ = G.add_edge("a", "b", key="implements", relation="implements", evidence="Thực hiện b",
        ...                evidence_source="a.txt", evidence_span="10-21")
        >>> s = show(G, "a")["implements"][0]
        >>> s["id"], s["quote"], s["file"], s["span"]
        ('b', 'Thực hiện b', 'a.txt', [10, 21])
    """
    n = _doc(G, doc)
    d = G.nodes[n]
    out: dict[str, Any] = {"id": n, "attributes": {k: v for k, v in d.items() if k != KIND},
                           "jurisdiction": _jurisdiction(d),
                           "implements": [], "cites": [], "implemented_by": [], "cited_by": []}
    def link(a: str, b: str, other: str, e: dict[str, Any]) -> dict[str, Any]:
        found = _link(G, other, e)
        if statements is not None:
            found["statements"] = [{"file": ev.source, "span": [ev.start, ev.end], "quote": ev.quote}
                                   for ev in statements.get((a, e.get(RELATION) or "", b), ())]
        return found

    for other, edges in G.succ[n].items():
        for e in edges.values():
            rel = e.get(RELATION)
            if rel in DOCUMENT_RELATIONS and _is_doc(G, other):
                out["implements" if rel in CASCADE else "cites"].append(link(n, other, other, e))
    for other, edges in G.pred[n].items():
        for e in edges.values():
            rel = e.get(RELATION)
            if rel in DOCUMENT_RELATIONS and _is_doc(G, other):
                out["implemented_by" if rel in CASCADE else "cited_by"].append(link(other, n, other, e))
    for k in ("implements", "cites", "implemented_by", "cited_by"):
        out[k].sort(key=lambda r: (r["relation"] or "", r["date"] or "9999", r["id"]))
    out["tasks"] = sum(1 for _, e in G.succ[n].items() for x in e.values() if x.get(RELATION) == "has_task")
    return out

