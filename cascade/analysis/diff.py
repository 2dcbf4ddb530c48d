"""What changed between two builds: documents, links, and each directive's coverage and lag.

Researchers rebuild as they collect documents; :func:`diff` tells what the new build adds or
loses. Documents are the graph's documents that are in the corpus (a file is one of them);
one that stays only as cited by others is listed as removed with ``still_cited``; a file read as
another node (its number was known only from a document that is gone) is "renamed", and its
links are compared under the new id. Links are
the relations between documents (implements, continues, based_on, ...), keyed by their two
ends: a pair in both builds whose relation types differ is "retyped". Directives are the
central-level documents of either build; for each, the share of provinces with a plan
(:func:`cascade.query.coverage`) and the median days from the directive to the provinces'
plans (:func:`cascade.query.lag`) in both builds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from cascade import query
from cascade.graph import DOCUMENT, KIND
from cascade.vocab import DOCUMENT_RELATIONS

#: document attributes compared between builds
FIELDS = ("type", "number", "date", "issuer", "branch", "level", "province", "district")


def _docs(G: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    return {n: d for n, d in G.nodes(data=True) if d.get(KIND) == DOCUMENT}


def _links(G: nx.MultiDiGraph) -> dict[tuple[str, str], frozenset[str]]:
    out: dict[tuple[str, str], set[str]] = {}
    for a, b, d in G.edges(data=True):
        rel = d.get("relation")
        if rel in DOCUMENT_RELATIONS and G.nodes[a].get(KIND) == G.nodes[b].get(KIND) == DOCUMENT:
            out.setdefault((a, b), set()).add(rel)
    return {k: frozenset(v) for k, v in out.items()}


def _directive(G: nx.MultiDiGraph, doc: str) -> dict[str, Any] | None:
    if doc not in G:
        return None
    cov = query.coverage(G, doc, level="province")
    lag = query.lag(G, doc)
    t = lag["transitions"].get("central->province", {})
    return {
        "total": cov["total"],
        "with_any": cov["with_any"],
        "with_party": cov["with_party"],
        "with_state": cov["with_state"],
        "median_days": t.get("median"),
    }


def diff(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> dict[str, Any]:
    """Differences from graph ``old`` to graph ``new`` (see the module doc)."""
    d_old, d_new = _docs(old), _docs(new)
    in_old = {n for n, d in d_old.items() if d.get("in_corpus")}
    in_new = {n for n, d in d_new.items() if d.get("in_corpus")}
    # the same file read as another node: its number came from a document that is gone, say
    new_by_source = {d_new[n].get("source"): n for n in in_new - in_old if d_new[n].get("source")}
    renames = {
        n: new_by_source[d_old[n].get("source")]
        for n in sorted(in_old - in_new)
        if d_old[n].get("source") in new_by_source
    }
    renamed = [
        {
            "old": a,
            "new": b,
            "source": d_old[a].get("source"),
            "fields": {
                f: [d_old[a].get(f), d_new[b].get(f)] for f in FIELDS if d_old[a].get(f) != d_new[b].get(f)
            },
        }
        for a, b in renames.items()
    ]
    in_old = {renames.get(n, n) for n in in_old}
    d_old = {renames.get(n, n): d for n, d in d_old.items()}
    added = [
        {"id": n, "source": d_new[n].get("source"), "was_cited": n in d_old} for n in sorted(in_new - in_old)
    ]
    removed = [
        {"id": n, "source": d_old[n].get("source"), "still_cited": n in d_new}
        for n in sorted(in_old - in_new)
    ]
    changed = []
    for n in sorted((in_old & in_new) - set(renames.values())):
        delta = {f: [d_old[n].get(f), d_new[n].get(f)] for f in FIELDS if d_old[n].get(f) != d_new[n].get(f)}
        if delta:
            changed.append({"id": n, "fields": delta})
    l_old = {(renames.get(a, a), renames.get(b, b)): r for (a, b), r in _links(old).items()}
    l_new = _links(new)
    links_added = [
        {"from": a, "to": b, "relations": sorted(l_new[(a, b)])} for a, b in sorted(set(l_new) - set(l_old))
    ]
    links_removed = [
        {"from": a, "to": b, "relations": sorted(l_old[(a, b)])} for a, b in sorted(set(l_old) - set(l_new))
    ]
    retyped = [
        {"from": a, "to": b, "old": sorted(l_old[(a, b)]), "new": sorted(l_new[(a, b)])}
        for a, b in sorted(set(l_old) & set(l_new))
        if l_old[(a, b)] != l_new[(a, b)]
    ]
    directives = []
    central = sorted(
        {n for n, d in d_old.items() if d.get("level") == "central"}
        | {n for n, d in d_new.items() if d.get("level") == "central"}
    )
    for n in central:
        a, b = _directive(old, n), _directive(new, n)
        if a == b:
            continue
        directives.append({"id": n, "old": a, "new": b})
    return {
        "documents": {
            "renamed": renamed,
            "added": added,
            "removed": removed,
            "changed": changed,
            "old": len(in_old),
            "new": len(in_new),
        },
        "links": {
            "added": links_added,
            "removed": links_removed,
            "retyped": retyped,
            "old": len(l_old),
            "new": len(l_new),
        },
        "directives": directives,
    }


def diff_builds(old: str | Path, new: str | Path) -> dict[str, Any]:
    """:func:`diff` of two build folders, loaded with :func:`cascade.load`."""
    from cascade.corpus.build import load

    result = diff(load(old).graph, load(new).graph)
    return {"old": str(old), "new": str(new)} | result


def table(result: dict[str, Any]) -> str:
    """A readable summary of :func:`diff`'s result."""
    d, lk = result["documents"], result["links"]
    lines = [
        f"documents: {d['old']} -> {d['new']} (+{len(d['added'])} -{len(d['removed'])}, "
        f"{len(d['changed'])} changed, {len(d['renamed'])} renamed)",
        f"links:     {lk['old']} -> {lk['new']} (+{len(lk['added'])} -{len(lk['removed'])}, "
        f"{len(lk['retyped'])} retyped)",
    ]
    for x in d["renamed"]:
        lines.append(f"  ~ {x['old']} is now {x['new']}  {x['source'] or ''}")
    for x in d["added"]:
        lines.append(f"  + {x['id']}  {x['source'] or ''}")
    for x in d["removed"]:
        lines.append(f"  - {x['id']}  {x['source'] or ''}{'  (still cited)' if x['still_cited'] else ''}")
    for x in d["changed"]:
        lines.append(f"  ~ {x['id']}  " + "; ".join(f"{k}: {a} -> {b}" for k, (a, b) in x["fields"].items()))
    for sign, part in (("+", "added"), ("-", "removed")):
        lines.extend(f"  {sign} {x['from']} --{'/'.join(x['relations'])}--> {x['to']}" for x in lk[part])
    for x in lk["retyped"]:
        lines.append(f"  ~ {x['from']} --{'/'.join(x['old'])} => {'/'.join(x['new'])}--> {x['to']}")
    if result["directives"]:
        lines.append(f"{'directive':<20} {'provinces with a plan':>24} {'median days':>16}")
        for x in result["directives"]:
            a, b = x["old"] or {}, x["new"] or {}
            lines.append(
                f"{x['id']:<20} {str(a.get('with_any', '-')) + ' -> ' + str(b.get('with_any', '-')):>24} "
                f"{str(a.get('median_days', '-')) + ' -> ' + str(b.get('median_days', '-')):>16}"
            )
    return "\n".join(lines)
