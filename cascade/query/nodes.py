"""Document nodes and the cascade edges between them: answer rows and the walk down."""
from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from cascade.graph import DOCUMENT, KIND, LABEL, RELATION
from cascade.vocab import CASCADE

if TYPE_CHECKING:
    import networkx as nx

#: the node attributes every row describing a document carries
_ROW_FIELDS = ("label", "type", "number", "date", "level", "branch", "province", "district", "issuer")


def _is_doc(G: nx.MultiDiGraph, n: object) -> bool:
    return isinstance(n, str) and n in G and G.nodes[n].get(KIND) == DOCUMENT


def _jurisdiction(d: dict[str, Any]) -> str | None:
    """"Đắk Lắk", "Gia Lai/Phú Thiện", or None for central documents."""
    level, prov = d.get("level"), d.get("province")
    if level in (None, "central") or not prov:
        return None
    if level in ("district", "commune") and d.get("district"):
        return f"{prov}/{d['district']}"
    return prov


def _row(G: nx.MultiDiGraph, n: str) -> dict[str, Any]:
    """The attributes of document ``n`` that every answer shows."""
    d = G.nodes[n]
    row: dict[str, Any] = {"id": n}
    for f in _ROW_FIELDS:
        row[f] = d.get(f)
    row["label"] = d.get(LABEL, n)
    row["jurisdiction"] = _jurisdiction(d)
    row["in_corpus"] = bool(d.get("in_corpus"))
    return row


def _cascade_rel(edges: dict[Any, dict[str, Any]]) -> str | None:
    """The cascade relation among the parallel edges of one pair (the first of ``vocab.CASCADE``)."""
    rels = {d.get(RELATION) for d in edges.values()}
    return next((r for r in CASCADE if r in rels), None)


def _cascade_links(G: nx.MultiDiGraph, n: str, adjacency: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(document, relation) on one side of ``n`` (``G.pred[n]`` or ``G.succ[n]``), cascade edges only."""
    if G.is_multigraph():
        for other, edges in adjacency.items():
            rel = _cascade_rel(edges)
            if rel is not None and other != n:
                yield other, rel
    else:
        for other, d in adjacency.items():
            rel = d.get(RELATION)
            if rel in CASCADE and other != n:
                yield other, rel


def _implementers(G: nx.MultiDiGraph, n: str) -> Iterator[tuple[str, str]]:
    """(document, relation) for each document that implements or continues ``n``."""
    return _cascade_links(G, n, G.pred[n])


def _implemented(G: nx.MultiDiGraph, n: str) -> Iterator[tuple[str, str]]:
    """(document, relation) for each document ``n`` implements or continues."""
    return _cascade_links(G, n, G.succ[n])


def _descendants(G: nx.MultiDiGraph, root: str) -> list[str]:
    """Everything that implements ``root`` transitively, breadth first (``root`` excluded)."""
    seen = {root}
    order: list[str] = []
    queue = deque([root])
    while queue:
        n = queue.popleft()
        for child, _ in _implementers(G, n):
            if child not in seen:
                seen.add(child)
                order.append(child)
                queue.append(child)
    return order


def _span(value: object) -> list[int] | None:
    if not isinstance(value, str) or "-" not in value:
        return None
    a, _, b = value.partition("-")
    return [int(a), int(b)] if a.isdigit() and b.isdigit() else None

