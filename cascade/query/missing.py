"""Documents cited but not collected, and claims the sources disagree on."""
from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cascade.errors import BuildError
from cascade.graph import (
    ASSERTED_BY,
    DOCUMENT,
    KIND,
    LABEL,
    RELATION,
    SEP,
)
from cascade.vocab import CASCADE, DOCUMENT_RELATIONS

from .nodes import _row

if TYPE_CHECKING:
    import networkx as nx


#: what :func:`orphans` counts of the links between documents into a document: the input files that
#: state them, how many links there are of each relation, how many documents implement or continue it
Cited = tuple[set[str], dict[str, int], int]


def orphans(G: nx.MultiDiGraph, cited: Mapping[str, Cited] | None = None, *,
            cited_by: int = 10) -> list[dict[str, Any]]:
    """Documents cited but not in the corpus: what to collect next, most wanted first.

    Ranked by the number of input files that cite them (``files``), then by the number of
    mentions (``cited``); ``implemented_by`` counts the documents that implement them,
    ``relations`` how they are cited, and ``cited_by`` names the first ``cited_by`` files.

    ``cited``, when given, is what the links into each document of ``G`` count (:data:`Cited`),
    in place of ``G``'s own edges: what :func:`cascade.corpus.store.read_uncollected` counts
    in a build, with the documents alone.

    Examples:
        >>> import networkx as nx
        >>> G = nx.MultiDiGraph()
        >>> G.add_node("a", kind="document", in_corpus=True); G.add_node("x", kind="document", cited=2)
        >>> _ = G.add_edge("a", "x", key="cites", relation="cites", asserted_by="a.txt")
        >>> [(r["id"], r["files"], r["cited"]) for r in orphans(G)]
        [('x', 1, 2)]
    """
    rows = []
    for n, d in G.nodes(data=True):
        if d.get(KIND) != DOCUMENT or d.get("in_corpus"):
            continue
        c = _cited(G, n) if cited is None else cited.get(n)
        files, relations, implementers = c if c is not None else (set(), {}, 0)
        row = _row(G, n)
        del row["in_corpus"]
        row.update(cited=int(d.get("cited") or 0), files=len(files), implemented_by=implementers,
                   relations=dict(sorted(relations.items())), cited_by=sorted(files)[:cited_by])
        rows.append(row)
    rows.sort(key=lambda r: (-r["files"], -r["cited"], -r["implemented_by"], r["id"]))
    return rows


def _cited(G: nx.MultiDiGraph, n: str) -> Cited:
    """:data:`Cited` of ``n``'s in-edges in ``G`` (those of the relations between documents)."""
    files: set[str] = set()
    relations: Counter[str] = Counter()
    implementers = 0
    for edges in G.pred[n].values():
        cascade_edge = False
        for e in edges.values():
            rel = e.get(RELATION)
            if rel in DOCUMENT_RELATIONS:
                relations[rel] += 1
                files.update(s for s in str(e.get(ASSERTED_BY) or "").split(SEP) if s)
                cascade_edge = cascade_edge or rel in CASCADE
        implementers += cascade_edge
    return files, relations, implementers


def conflicts(source: Any, graph: Any = None) -> list[dict[str, Any]]:
    """Disagreeing claims about documents, each value with the input files that state it.

    ``source`` is a :class:`cascade.corpus.build.Build` (from ``build`` or ``load``), a build
    folder, its ``conflicts.json``, the list read from it, or a graph carrying
    ``G.graph["conflicts"]``. When a graph is at hand (``source``'s own, or ``graph``: any
    graph holding those documents) the rows also give the document's label and the value it
    kept.

    Raises:
        BuildError: ``source`` holds no conflicts list (a bare graph, a folder without a build).

    Examples:
        >>> rows = conflicts([{"node": "52-KL/TW", "field": "date",
        ...                    "values": [{"value": "2012", "sources": ["a.txt"]}]}])
        >>> rows[0]["node"], rows[0]["values"]
        ('52-KL/TW', [{'value': '2012', 'sources': ['a.txt']}])
    """
    nx = sys.modules.get("networkx")       # a networkx graph means networkx is imported: not imported here
    G: Any = None
    items: list[dict[str, Any]] | None = None
    if isinstance(source, list):
        items = source
    elif nx is not None and isinstance(source, nx.Graph):
        G = source
        items = G.graph.get("conflicts")
        if items is None:
            raise BuildError("this graph carries no conflicts: pass the build (cascade.load()) or its folder")
    elif isinstance(source, (str, os.PathLike)):
        p = Path(source)
        p = p / "conflicts.json" if p.is_dir() else p
        items = _read_conflicts(p)
    else:
        G = getattr(source, "graph", None) if graph is None else graph
        corpus = getattr(source, "corpus", None)
        if corpus is not None:
            items = [c.to_dict() for c in corpus.conflicts]
        elif getattr(source, "out", None) is not None:
            items = _read_conflicts(Path(source.out) / "conflicts.json")
        else:
            raise BuildError(f"cannot read conflicts from {type(source).__name__}")
    G = graph if graph is not None else G
    rows = []
    nodes: Any = G.nodes if G is not None else {}
    for c in items or []:
        node, fld = c.get("node"), c.get("field")
        attrs = nodes[node] if isinstance(node, str) and node in nodes else {}
        rows.append({"node": node, "label": attrs.get(LABEL, node), "field": fld, "kept": attrs.get(fld),
                     "values": [{"value": v.get("value"), "sources": list(v.get("sources") or [])}
                                for v in c.get("values", [])]})
    return rows


def _read_conflicts(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        raise BuildError(f"no conflicts.json in {path.parent}/ "
                         f"(run: cascade build PATH --build-dir {path.parent})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as e:
        raise BuildError(f"{path}: unreadable ({e})") from None
    if not isinstance(data, list):
        raise BuildError(f"{path}: not a list of conflicts")
    return data
