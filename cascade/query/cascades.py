"""The cascade under a document (tree) and the paths above it (chain)."""
from __future__ import annotations

from collections import Counter, defaultdict, deque
from typing import TYPE_CHECKING, Any

from cascade.graph import (
    LABEL,
)
from cascade.vocab import CASCADE

from .lookup import _doc
from .nodes import _descendants, _implemented, _row

if TYPE_CHECKING:
    import networkx as nx


def tree(G: nx.MultiDiGraph, doc: str) -> dict[str, Any]:
    """Everything that implements ``doc`` transitively, as a tree in depth-first order.

    A document that implements several documents of the tree appears once, under the
    deepest of them (a district plan citing both its province's plan and the directive
    goes under the province's plan); the others are listed in ``also``.

    Returns:
        ``{"root", "count", "levels", "nodes"}``: ``nodes`` start with the root (depth 0),
        each with its level, date, jurisdiction, branch, ``depth``, ``parent`` and the
        ``relation`` to it; ``levels`` counts the descendants by level.

    Examples:
        >>> import networkx as nx
        >>> G = nx.MultiDiGraph()
        >>> _ = G.add_edges_from([("p", "d"), ("x", "p"), ("x", "d")], relation="implements")
        >>> nx.set_node_attributes(G, "document", "kind")
        >>> [(n["id"], n["depth"], n["parent"]) for n in tree(G, "d")["nodes"]]
        [('d', 0, None), ('p', 1, 'd'), ('x', 2, 'p')]
    """
    root = _doc(G, doc)
    members = _descendants(G, root)
    inside = set(members) | {root}
    ups: dict[str, list[tuple[str, str]]] = {
        n: [(p, r) for p, r in _implemented(G, n) if p in inside and p != n] for n in members}
    # longest-path depth over the sub-DAG (Kahn); documents on a cycle keep their breadth-first parent
    depth = {root: 0}
    waiting = {n: len(ps) for n, ps in ups.items()}
    kids: dict[str, list[str]] = defaultdict(list)
    for n, ps in ups.items():
        for p, _ in ps:
            kids[p].append(n)
    ready = deque([root])
    while ready:
        p = ready.popleft()
        for c in kids.get(p, ()):
            if c == root:
                continue
            depth[c] = max(depth.get(c, 0), depth[p] + 1)
            waiting[c] -= 1
            if waiting[c] == 0:
                ready.append(c)
    parent: dict[str, tuple[str, str]] = {}
    for n in members:
        choices = [(p, r) for p, r in ups[n] if p in depth and (n not in depth or depth[p] < depth[n])]
        if n not in depth or waiting.get(n, 0) > 0:               # on a cycle: any parent reached earlier
            choices = [(p, r) for p, r in ups[n] if p in parent or p == root] or ups[n]
        best = max(choices, key=lambda pr: (depth.get(pr[0], -1), pr[1] == CASCADE[0], pr[0]))
        parent[n] = best
    children: dict[str, list[str]] = defaultdict(list)
    for n, (p, _) in parent.items():
        children[p].append(n)

    def order(n: str) -> tuple[str, str, str]:
        d = G.nodes[n]
        return (str(d.get("date") or "9999"), str(d.get(LABEL, n)), n)

    rows: list[dict[str, Any]] = []
    stack: list[tuple[str, int]] = [(root, 0)]
    placed: set[str] = set()
    while stack:
        n, k = stack.pop()
        if n in placed:
            continue
        placed.add(n)
        row = _row(G, n)
        link: tuple[str | None, str | None] = parent.get(n, (None, None))
        up, rel = link
        row.update(depth=k, parent=up, relation=rel, also=sorted(q for q, _ in ups.get(n, ()) if q != up))
        rows.append(row)
        stack.extend((c, k + 1) for c in sorted(children.get(n, ()), key=order, reverse=True))
    for n in members:                                   # unreachable through the chosen parents (cycles)
        if n not in placed:
            row = _row(G, n)
            p, rel = parent[n]
            row.update(depth=1, parent=p, relation=rel, also=sorted(q for q, _ in ups[n] if q != p))
            rows.append(row)
    levels = Counter(G.nodes[n].get("level") or "unknown" for n in members)
    return {"root": root, "count": len(members), "levels": dict(sorted(levels.items())), "nodes": rows}


def chain(G: nx.MultiDiGraph, doc: str, *, limit: int = 100) -> dict[str, Any]:
    """The paths from ``doc`` up to the root directives it carries out (documents implementing nothing).

    Each path is a list of steps from ``doc`` upwards; a step's ``relation`` says how it
    relates to the next step (None on the root). At most ``limit`` paths are returned,
    longest first (``truncated`` says when more exist).

    Examples:
        >>> import networkx as nx
        >>> G = nx.MultiDiGraph()
        >>> _ = G.add_edges_from([("x", "p"), ("p", "d"), ("x", "d")], relation="implements")
        >>> nx.set_node_attributes(G, "document", "kind")
        >>> c = chain(G, "x")
        >>> c["roots"], [[s["id"] for s in p] for p in c["paths"]]
        (['d'], [['x', 'p', 'd'], ['x', 'd']])
    """
    start = _doc(G, doc)
    paths: list[list[tuple[str, str | None]]] = []
    truncated = False
    stack: list[list[tuple[str, str | None]]] = [[(start, None)]]
    while stack:
        path = stack.pop()
        n = path[-1][0]
        on_path = {p for p, _ in path}
        ups = sorted(((p, r) for p, r in _implemented(G, n) if p not in on_path), reverse=True)
        if not ups:
            if len(paths) >= limit:
                truncated = True
                break
            paths.append(path)
            continue
        for p, r in ups:
            stack.append(path[:-1] + [(n, r), (p, None)])
    paths.sort(key=lambda p: (-len(p), [s for s, _ in p]))

    def step(n: str, rel: str | None) -> dict[str, Any]:
        row = _row(G, n)
        row["relation"] = rel
        return row

    return {"doc": start, "roots": sorted({p[-1][0] for p in paths}), "truncated": truncated,
            "paths": [[step(n, r) for n, r in p] for p in paths]}

