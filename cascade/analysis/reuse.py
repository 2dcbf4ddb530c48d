"""How much of a plan is copied from its parent: shingled word n-gram overlap.

For each plan under a directive whose parent (the document it implements or continues) is in
the corpus, the text share is the fraction of the plan's word n-grams (``n`` words, after
:func:`cascade.text.normalize.key`, which folds case, tone-mark placement and punctuation)
that also occur in the parent's text; a task counts as reused when at least ``task_share``
of its own n-grams occur in the parent. Results are summarised by level and by province:
the "copy-paste implementation" measure.
"""

from __future__ import annotations

import statistics
from functools import lru_cache
from typing import Any

import networkx as nx

from cascade import query
from cascade.analysis.lateness import resolve
from cascade.text.normalize import key
from cascade.vocab import CASCADE


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    """The set of ``n``-word shingles of ``text`` (words compared by their normalised key:
    case, tone-mark placement and punctuation folded).

    >>> for s in sorted(shingles("Tăng cường công tác, TUYÊN TRUYỀN", 3)):
    ...     print(*s)
    công tác tuyên
    cường công tác
    tác tuyên truyền
    tăng cường công
    """
    words = key(text).split()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@lru_cache(maxsize=256)
def _text(path: str) -> str | None:
    from cascade.errors import CascadeError
    from cascade.read import read_file

    try:
        return read_file(path, {}).text
    except (CascadeError, OSError):
        return None


def overlap(child: set[tuple[str, ...]], parent: set[tuple[str, ...]]) -> float:
    """The share of ``child``'s shingles found in ``parent`` (0.0 for an empty child)."""
    return len(child & parent) / len(child) if child else 0.0


def reuse(G: nx.MultiDiGraph, doc: str, *, n: int = 5, task_share: float = 0.5) -> dict[str, Any]:
    """Text and task reuse of every plan under ``doc`` from its parent(s) in the corpus.

    Returns ``{"doc", "n", "rows", "by_level", "by_province", "skipped"}``; a row per (plan,
    parent) pair with ``text_share``, ``tasks``, ``tasks_reused``, ``task_share`` and both files;
    ``skipped`` lists plans whose text or whose parent's text could not be read.
    """
    root = resolve(G, doc)
    members = [x["id"] for x in query.tree(G, root)["nodes"] if x["id"] != root]
    rows: list[dict[str, Any]] = []
    skipped: list[str] = []
    for c in members:
        cd = G.nodes[c]
        if not cd.get("source"):
            continue
        for _, p, k in G.out_edges(c, keys=True):
            if k not in CASCADE or not G.nodes[p].get("source"):
                continue
            ctext, ptext = _text(cd["source"]), _text(G.nodes[p]["source"])
            if ctext is None or ptext is None:
                skipped.append(c)
                continue
            ps = shingles(ptext, n)
            tasks = [
                str(G.nodes[t].get("text") or "")
                for _, t, tk in G.out_edges(c, keys=True)
                if tk == "has_task"
            ]
            tasks = [t for t in tasks if len(t.split()) >= n]
            reused = sum(overlap(shingles(t, n), ps) >= task_share for t in tasks)
            rows.append(
                {
                    "plan": c,
                    "parent": p,
                    "relation": k,
                    "level": cd.get("level"),
                    "province": cd.get("province"),
                    "district": cd.get("district"),
                    "branch": cd.get("branch"),
                    "text_share": round(overlap(shingles(ctext, n), ps), 4),
                    "tasks": len(tasks),
                    "tasks_reused": reused,
                    "task_share": round(reused / len(tasks), 4) if tasks else None,
                    "file": cd["source"],
                    "parent_file": G.nodes[p]["source"],
                }
            )
    return {
        "doc": root,
        "n": n,
        "rows": rows,
        "by_level": _summary(rows, "level"),
        "by_province": _summary(rows, "province"),
        "skipped": sorted(set(skipped)),
    }


def _summary(rows: list[dict[str, Any]], field: str) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(str(r[field] or "?"), []).append(r)
    out = {}
    for g, rs in sorted(groups.items()):
        shares = [r["text_share"] for r in rs]
        tasks = sum(r["tasks"] for r in rs)
        out[g] = {
            "plans": len(rs),
            "text_share_mean": round(statistics.fmean(shares), 4),
            "text_share_median": round(statistics.median(shares), 4),
            "tasks": tasks,
            "task_share": round(sum(r["tasks_reused"] for r in rs) / tasks, 4) if tasks else None,
        }
    return out
