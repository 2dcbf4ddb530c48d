"""Documents cited but not collected, and claims the sources disagree on."""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
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


#: a link between documents into a document, as :func:`orphans` counts it:
#: (source, relation, asserted_by, target)
Link = tuple[str, Any, Any, str]


def orphans(G: nx.MultiDiGraph, links: Iterable[Link] | None = None, *,
            cited_by: int = 10) -> list[dict[str, Any]]:
    """Documents cited but not in the corpus: what to collect next, most wanted first.

    Ranked by the number of input files that cite them (``files``), then by the number of
    mentions (``cited``); ``implemented_by`` counts the documents that implement them,
    ``relations`` how they are cited, and ``cited_by`` names the first ``cited_by`` files.

    ``links``, when given, are the edges into the documents of ``G`` that are counted, as
    ``(source, relation, asserted_by, target)``, in place of ``G``'s own edges: what
    :func:`cascade.corpus.store.read_uncollected` reads from a build, with those documents alone.

    Examples:
        >>> import networkx as nx
        >>> G = nx.MultiDiGraph()
        >>> G.add_node("a", kind="document", in_corpus=True); G.add_node("x", kind="document", cited=2)
        >>> _ = G.add_edge("a", "x", key="cites", relation="cites", asserted_by="a.txt")
        >>> [(r["id"], r["files"], r["implemented_by"]) for r in orphans(G)]
        [('x', 1, 0)]
        >>> [(r["id"], r["files"]) for r in orphans(G, [("a", "cites", "a.txt; b.txt", "x")])]
        [('x', 2)]
    """
    tallies = _tally(links) if links is not None else None
    rows = []
    for n, d in G.nodes(data=True):
        if d.get(KIND) != DOCUMENT or d.get("in_corpus"):
            continue
        if tallies is None:
            t = _tally((u, e.get(RELATION), e.get(ASSERTED_BY), n)
                       for u, edges in G.pred[n].items() for e in edges.values()).get(n)
        else:
            t = tallies.get(n)
        files, relations, implementers = t if t is not None else (set(), {}, set())
        row = _row(G, n)
        del row["in_corpus"]
        row.update(cited=int(d.get("cited") or 0), files=len(files), implemented_by=len(implementers),
                   relations=dict(sorted(relations.items())), cited_by=sorted(files)[:cited_by])
        rows.append(row)
    rows.sort(key=lambda r: (-r["files"], -r["cited"], -r["implemented_by"], r["id"]))
    return rows


def _tally(links: Iterable[Link]) -> dict[str, tuple[set[str], dict[str, int], set[str]]]:
    """For each target of ``links``: the input files that state them, how many there are of each
    relation between documents, and the documents that implement or continue it (links of other
    relations are left out)."""
    out: dict[str, tuple[set[str], dict[str, int], set[str]]] = {}
    for u, rel, by, v in links:
        if rel not in DOCUMENT_RELATIONS:
            continue
        t = out.get(v)
        if t is None:
            t = out[v] = (set(), {}, set())
        files, relations, implementers = t
        relations[rel] = relations.get(rel, 0) + 1
        if by:
            by = str(by)
            if SEP in by:
                files.update(s for s in by.split(SEP) if s)
            else:                                   # stated by one file (most links)
                files.add(by)
        if rel in CASCADE:
            implementers.add(u)
    return out


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
