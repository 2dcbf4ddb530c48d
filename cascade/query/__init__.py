"""The research questions, as pure functions of the corpus graph.

Every function takes the graph of :func:`cascade.graph.build_graph` first, leaves it
alone, and returns plain values (dicts, lists, numbers, strings) that ``json.dumps``
accepts. A document argument is a node id (``"93-KL/TW"``, ``"07-KH/TU@Đắk Lắk"``,
``"file:<path>"``) or anything :func:`find` understands ("Kết luận 93", a file name).

* :func:`find`, :func:`find_one`: a user's phrase -> document ids;
* :func:`show`: one document with what it implements and what implements it, with evidence;
* :func:`tree`: everything that implements a document, transitively;
* :func:`chain`: the paths from a document up to the directives it ultimately carries out;
* :func:`coverage`: which provinces or districts have (not) issued a Party and a state plan;
* :func:`lag`: how long each level took, and the share of jurisdictions that had acted;
* :func:`orphans`: documents cited but not collected, most cited first;
* :func:`conflicts`: claims the sources disagree on.

``implements`` and ``continues`` edges point from the implementing document to the
implemented one, so "what implements X" walks edges backwards.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("93-KL/TW", kind="document", level="central", date="2020-11-20", number="93-KL/TW")
>>> G.add_node("07-KH/TU@Đắk Lắk", kind="document", level="province", province="Đắk Lắk",
...            branch="party", date="2020-12-23", number="07-KH/TU")
>>> _ = G.add_edge("07-KH/TU@Đắk Lắk", "93-KL/TW", key="implements", relation="implements")
>>> [n["id"] for n in tree(G, "93-KL/TW")["nodes"]]
['93-KL/TW', '07-KH/TU@Đắk Lắk']
>>> find(G, "07-KH/TU@Dak Lak"), find(G, "kết luận số 93")
(['07-KH/TU@Đắk Lắk'], ['93-KL/TW'])
>>> lag(G, "93-KL/TW")["transitions"]["central->province"]["median"]
33
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import statistics
import unicodedata
import weakref
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx

from cascade.errors import BuildError, CascadeError, ResolutionError
from cascade.graph import (
    ASSERTED_BY,
    DOC_RELATIONS,
    DOCUMENT,
    EVIDENCE,
    EVIDENCE_SOURCE,
    EVIDENCE_SPAN,
    KIND,
    LABEL,
    RELATION,
    SEP,
)
from cascade.identity.documents import CASCADE

__all__ = [
    "AmbiguousDocument", "UnknownDocument", "find", "find_one", "show", "tree", "chain", "coverage", "lag",
    "orphans", "conflicts", "LEVELS", "REFORM_DATE",
]

#: administrative levels, top down
LEVELS = ("central", "province", "district", "commune")
#: the day the 2025 reform took effect: 34 provinces and no districts from then on
REFORM_DATE = "2025-07-01"
#: the node attributes every row describing a document carries
_ROW_FIELDS = ("label", "type", "number", "date", "level", "branch", "province", "district", "issuer")


class AmbiguousDocument(ResolutionError):
    """A phrase names several documents; ``candidates`` holds their ids, best first."""

    default = "several documents match"

    def __init__(self, message: str | None = None, candidates: Iterable[str] = ()):
        super().__init__(message)
        self.candidates = list(candidates)


class UnknownDocument(ResolutionError):
    """A phrase names no document; ``candidates`` holds the nearest ids, best first."""

    default = "no document matches"

    def __init__(self, message: str | None = None, candidates: Iterable[str] = ()):
        super().__init__(message)
        self.candidates = list(candidates)


# -- node attributes -------------------------------------------------------------------------------

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
    """The cascade relation among the parallel edges of one pair (implements before continues)."""
    found = None
    for d in edges.values():
        rel = d.get(RELATION)
        if rel == "implements":
            return rel
        if rel == "continues":
            found = rel
    return found


def _cascade_links(G: nx.MultiDiGraph, n: str, adjacency: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(document, relation) over one side of ``n``'s adjacency, cascade edges only.

    Reads the adjacency dicts directly: the views networkx hands out cost more than the
    walk itself on large graphs.
    """
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
    return _cascade_links(G, n, G._pred[n])


def _implemented(G: nx.MultiDiGraph, n: str) -> Iterator[tuple[str, str]]:
    """(document, relation) for each document ``n`` implements or continues."""
    return _cascade_links(G, n, G._succ[n])


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


# -- dates ------------------------------------------------------------------------------------------

def _day(value: str | None) -> dt.date | None:
    """A full ISO date, or None for partial or missing ones."""
    if not value or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _period_end(value: str) -> str:
    """The last day a partial ISO date can mean: "2021" -> "2021-12-31", "2021-02" -> "2021-02-28".

    >>> _period_end("2021"), _period_end("2024-02"), _period_end("2021-06-30")
    ('2021-12-31', '2024-02-29', '2021-06-30')
    """
    if len(value) == 4:
        return f"{value}-12-31"
    if len(value) == 7:
        y, m = int(value[:4]), int(value[5:7])
        nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
        return (nxt - dt.timedelta(days=1)).isoformat()
    return value


def _as_of(value: str | dt.date | None) -> str | None:
    """``as_of`` as an ISO day ("2021" means its last day); CascadeError when unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        raise CascadeError(f"as_of must be an ISO date such as 2021-06-30, not {value!r}")
    end = _period_end(text)
    try:
        dt.date.fromisoformat(end)
    except ValueError:
        raise CascadeError(f"as_of must be an ISO date such as 2021-06-30, not {value!r}") from None
    return end


def _on_or_before(date: str | None, as_of: str | None) -> bool:
    """True when a document dated ``date`` surely existed on ``as_of`` (a whole partial period must fit)."""
    if as_of is None:
        return True
    return bool(date) and _period_end(date) <= as_of  # type: ignore[arg-type]


# -- the cached index ---------------------------------------------------------------------------------

_LOOSE_DROP = re.compile(r"[^a-z0-9@#]")
_DIGITS = re.compile(r"\d+")


def _loose(text: str) -> str:
    """A compact key without case, diacritics, spaces or punctuation (``@`` and ``#`` kept).

    >>> _loose("07-KH/TU@Đắk Lắk") == _loose("07-kh/tu @ dak lak")
    True
    """
    t = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D").replace("Ð", "D")).lower()
    return _LOOSE_DROP.sub("", t)


@dataclass(slots=True)
class _Index:
    """Lookups over the documents of one graph, built once per graph (see :func:`_index`)."""

    signature: int
    docs: list[str] = field(default_factory=list)
    by_id: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_number: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_digits: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    choices: dict[str, str] = field(default_factory=dict)      # id -> loose key, for fuzzy matching
    latest: str | None = None                                   # the latest full date of any document
    files: dict[str, list[str]] | None = None                   # path, name, stem -> ids (built on demand)


_INDEXES: weakref.WeakKeyDictionary[nx.MultiDiGraph, _Index] = weakref.WeakKeyDictionary()


def _index(G: nx.MultiDiGraph) -> _Index:
    """The lookup index of ``G``, cached while ``G`` lives and keeps its number of nodes.

    Queries never change ``G``; a caller who adds or removes nodes gets a fresh index.
    """
    sig = G.number_of_nodes()
    idx = _INDEXES.get(G)
    if idx is not None and idx.signature == sig:
        return idx
    idx = _Index(sig)
    latest = ""
    for n, d in G.nodes(data=True):
        if d.get(KIND) != DOCUMENT or not isinstance(n, str):
            continue
        idx.docs.append(n)
        loose = _loose(n)
        idx.by_id[loose].append(n)
        if "#" in loose:                                         # year-split keys: "...@Đắk Lắk#2020"
            idx.by_id[loose.split("#", 1)[0]].append(n)
        idx.choices[n] = loose
        number = d.get("number")
        if number:
            idx.by_number[_loose(number)].append(n)
            m = _DIGITS.match(number)
            if m:
                idx.by_digits[m.group().lstrip("0") or "0"].append(n)
        date = d.get("date")
        if isinstance(date, str) and len(date) == 10 and date > latest:
            latest = date
    idx.latest = latest or None
    _INDEXES[G] = idx
    return idx


def _files(G: nx.MultiDiGraph, idx: _Index) -> dict[str, list[str]]:
    """Input file path, normalised path, name and stem -> the documents read from it."""
    if idx.files is None:
        files: dict[str, list[str]] = defaultdict(list)
        for n in idx.docs:
            d = G.nodes[n]
            for src in (d.get("source"), *str(d.get("sources") or "").split(SEP)):
                if src:
                    name = os.path.basename(src)
                    for k in {src, os.path.normpath(src), name, os.path.splitext(name)[0]}:
                        if n not in files[k]:
                            files[k].append(n)
        idx.files = files
    return idx.files


# -- find -----------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _type_codes() -> dict[str, str]:
    """Loose type names -> type codes ("ketluan" -> "KL")."""
    from cascade.extract.numbers import doc_types

    names = {_loose(code): code for code, _ in doc_types().values()}
    names.update({_loose(name): code for code, name in doc_types().values()})
    return names


def _place_filter(G: nx.MultiDiGraph, ids: list[str], place: str) -> list[str] | None:
    """The ``ids`` whose jurisdiction matches ``place``; None when ``place`` names no place at all."""
    from cascade.vn import places

    p = _loose(re.sub(r"^\W*(?:của|cua|tại|tai|ở|o)\b", "", place.strip(), flags=re.IGNORECASE))
    if not p:
        return None
    out = []
    for n in ids:
        d = G.nodes[n]
        prov, dist = _loose(d.get("province") or ""), _loose(d.get("district") or "")
        words = {prov, dist, f"{prov}{dist}", f"{dist}{prov}", _loose(_jurisdiction(d) or "")}
        if p in words or any(w and p in (_loose(f"tinh{w}"), _loose(f"thanhpho{w}"), _loose(f"huyen{w}"))
                              for w in (prov, dist)):
            out.append(n)
    if out:
        return out
    unit = places.find_province(place.strip())
    if unit is None and not places.find_district(place.strip()):
        return None                                         # not a place: ignore it
    if unit is not None:
        out = [n for n in ids if _loose(G.nodes[n].get("province") or "") == _loose(unit.name)]
    return out


def _phrase(G: nx.MultiDiGraph, idx: _Index, text: str) -> list[str] | None:
    """Documents a phrase names: "Kết luận 93", "kết luận số 93 Gia Lai", "Nghị quyết Trung ương 7 khóa X"."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D")).lower()
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    m = re.search(r"(?:trung\s*uong|tw)\s*(\d+)(?:\D*?khoa\s*([ivxlc]+)\b)?", folded)
    if m and re.match(r"\s*(nghi\s*quyet|nq)", folded):
        term = m.group(2)
        prefix = f"nqtw{m.group(1)}@" + (term or "")

        def fits(k: str) -> bool:
            return k == prefix or k.startswith(prefix + "#") if term else k.startswith(prefix)

        return sorted({n for k, ns in idx.by_id.items() if fits(k) for n in ns})
    m = re.fullmatch(r"\s*([^\d]+?)\s*(?:so\s*)?(\d+)\s*([a-z]?)\b(.*)", folded)
    if not m:
        return None
    code = _type_codes().get(_loose(m.group(1)))
    if code is None:
        return None
    digits = m.group(2).lstrip("0") or "0"
    want_type = _loose(m.group(1))
    code_re = re.compile(rf"(^|[-/]){re.escape(_loose(code))}([-/]|$)")
    found = []
    for n in idx.by_digits.get(digits, ()):
        d = G.nodes[n]
        number = d.get("number") or ""
        lead = _DIGITS.match(number)
        tail = number[lead.end():] if lead else ""
        if m.group(3) and not tail.lower().startswith(m.group(3)):
            continue
        codes = unicodedata.normalize("NFD", tail.replace("Đ", "D").replace("đ", "d")).lower()
        codes = re.sub(r"[^a-z0-9/-]", "", codes)
        if _loose(d.get("type") or "") == want_type or code_re.search(codes):
            found.append(n)
    rest = text[len(text) - len(m.group(4)):] if m.group(4) else ""
    if found and rest.strip():
        narrowed = _place_filter(G, found, rest)
        if narrowed is not None:
            return narrowed
    central = [n for n in found if G.nodes[n].get("level") in (None, "central")]
    return central if len(central) == 1 else found


def _rank(G: nx.MultiDiGraph, ids: Iterable[str]) -> list[str]:
    """Unique ids, documents in the corpus and the most cited first."""
    uniq = dict.fromkeys(ids)
    nodes = G.nodes
    return sorted(uniq, key=lambda n: (not nodes[n].get("in_corpus"), -int(nodes[n].get("cited") or 0), n))


def find(G: nx.MultiDiGraph, text: str, *, limit: int = 20) -> list[str]:
    """The ids of the documents a user's phrase names, best first.

    Accepts a node id in any case or spelling ("93-kl/tw", "07-KH/TU@Dak Lak"), a bare
    number ("07-KH/TU": every province's), a number and a place ("07-KH/TU Đắk Lắk"), a
    type and number ("Kết luận 93", "kết luận số 93"), a plenum ("Nghị quyết Trung ương 7
    khóa X"), or an input file's path, name or stem. Several ids mean the phrase is
    ambiguous; a near miss of a single id (one typo) is accepted.

    Raises:
        UnknownDocument: nothing matches; the message and ``candidates`` give near matches.

    Examples:
        >>> import networkx as nx
        >>> G = nx.MultiDiGraph()
        >>> for k in ("07-KH/TU@Đắk Lắk", "07-KH/TU@Gia Lai"):
        ...     G.add_node(k, kind="document", number="07-KH/TU", level="province", province=k[9:])
        >>> find(G, "07-KH/TU")
        ['07-KH/TU@Gia Lai', '07-KH/TU@Đắk Lắk']
        >>> find(G, "07-kh/tu gia lai")
        ['07-KH/TU@Gia Lai']
    """
    text = (text or "").strip()
    if not text:
        raise UnknownDocument("an empty phrase names no document")
    if _is_doc(G, text):
        return [text]
    if text.startswith("file:") and _is_doc(G, "file:" + os.path.normpath(text[5:])):
        return ["file:" + os.path.normpath(text[5:])]
    idx = _index(G)
    loose = _loose(unicodedata.normalize("NFC", text))

    def done(ids: list[str]) -> list[str]:
        return _rank(G, ids)[:limit]

    if loose and (hit := idx.by_id.get(loose)):
        if len(hit) > 1:                                      # prefer an exact spelling among homographs
            from cascade.text.normalize import key

            exact = [n for n in hit if key(n) == key(text)]
            hit = exact or hit
        return done(hit)
    files = _files(G, idx)
    for k in (text, os.path.normpath(text), Path(text).name, Path(text).stem):
        if hit := files.get(k):
            return done(hit)
    if "@" in text:
        number, place = text.split("@", 1)
        hits = idx.by_number.get(_loose(number), [])
        narrowed = _place_filter(G, hits, place) if hits else None
        if narrowed:
            return done(narrowed)
    if hit := idx.by_number.get(loose):
        return done(hit)
    if text.isdigit() and (hit := idx.by_digits.get(text.lstrip("0") or "0")):
        return done(hit)
    m = re.match(r"\s*(\S+?)[\s,;]+(.+)$", text)
    if m and (same_number := idx.by_number.get(_loose(m.group(1)))):
        narrowed = _place_filter(G, same_number, m.group(2))
        if narrowed:
            return done(narrowed)
    if hit := _phrase(G, idx, text):
        return done(hit)
    near = _near(idx, loose)
    if near and near[0][1] >= 95 and (len(near) == 1 or near[1][1] < near[0][1] - 3):
        return [near[0][0]]
    names = [n for n, _ in near[:5]] or _suggest(idx, loose)
    raise UnknownDocument(f"no document matches {text!r}" + (f"; near: {', '.join(names)}" if names else ""),
                          names)


def _near(idx: _Index, loose: str) -> list[tuple[str, float]]:
    """Ids whose loose key resembles ``loose``, best first, with a 0-100 score."""
    if not loose:
        return []
    from rapidfuzz import fuzz, process

    found = process.extract(loose, idx.choices, scorer=fuzz.ratio, limit=8, score_cutoff=55)
    return [(k, round(score, 1)) for _, score, k in found]


def _suggest(idx: _Index, loose: str) -> list[str]:
    """Looser suggestions for an unknown phrase: ids that contain it or share most of it."""
    if not loose:
        return []
    from rapidfuzz import fuzz, process

    found = process.extract(loose, idx.choices, scorer=fuzz.WRatio, limit=5, score_cutoff=70)
    return [k for _, _, k in found]


def find_one(G: nx.MultiDiGraph, text: str) -> str:
    """The one document a phrase names.

    Raises:
        AmbiguousDocument: several match (``candidates`` lists them, the message too).
        UnknownDocument: none matches (near matches in the message).

    Examples:
        >>> import networkx as nx
        >>> G = nx.MultiDiGraph()
        >>> G.add_node("93-KL/TW", kind="document", number="93-KL/TW", level="central")
        >>> find_one(G, "Kết luận 93")
        '93-KL/TW'
    """
    if _is_doc(G, text):
        return text
    ids = find(G, text, limit=1000)
    if len(ids) == 1:
        return ids[0]
    shown = ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
    raise AmbiguousDocument(f"{text!r} names {len(ids)} documents: {shown}; say which (e.g. {ids[0]!r})", ids)


def _doc(G: nx.MultiDiGraph, doc: str) -> str:
    return doc if _is_doc(G, doc) else find_one(G, doc)


# -- show ----------------------------------------------------------------------------------------------

def _span(value: object) -> list[int] | None:
    if not isinstance(value, str) or "-" not in value:
        return None
    a, _, b = value.partition("-")
    return [int(a), int(b)] if a.isdigit() and b.isdigit() else None


def _link(G: nx.MultiDiGraph, other: str, d: dict[str, Any]) -> dict[str, Any]:
    """One edge to or from another document, with its evidence."""
    o = G.nodes[other]
    return {"relation": d.get(RELATION), "id": other, "label": o.get(LABEL, other), "date": o.get("date"),
            "level": o.get("level"), "jurisdiction": _jurisdiction(o), "in_corpus": bool(o.get("in_corpus")),
            "quote": d.get(EVIDENCE), "file": d.get(EVIDENCE_SOURCE), "span": _span(d.get(EVIDENCE_SPAN)),
            "asserted_by": [s for s in str(d.get(ASSERTED_BY) or "").split(SEP) if s]}


def show(G: nx.MultiDiGraph, doc: str) -> dict[str, Any]:
    """One document: its attributes, what it implements and cites, what implements and cites it.

    Each link carries its evidence: the sentence (``quote``), the ``file`` it was read
    from and the character ``span`` in that file, and every input file that states it.

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
    for other, edges in G.succ[n].items():
        for e in edges.values():
            rel = e.get(RELATION)
            if rel in DOC_RELATIONS and _is_doc(G, other):
                out["implements" if rel in CASCADE else "cites"].append(_link(G, other, e))
    for other, edges in G.pred[n].items():
        for e in edges.values():
            rel = e.get(RELATION)
            if rel in DOC_RELATIONS and _is_doc(G, other):
                out["implemented_by" if rel in CASCADE else "cited_by"].append(_link(G, other, e))
    for k in ("implements", "cites", "implemented_by", "cited_by"):
        out[k].sort(key=lambda r: (r["relation"] or "", r["date"] or "9999", r["id"]))
    out["tasks"] = sum(1 for _, e in G.succ[n].items() for x in e.values() if x.get(RELATION) == "has_task")
    return out


# -- tree and chain -------------------------------------------------------------------------------------

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
        best = max(choices, key=lambda pr: (depth.get(pr[0], -1), pr[1] == "implements", pr[0]))
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


# -- coverage -----------------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def _province_unit(name: str, era: str, date: str | None) -> str | None:
    """The gazetteer name, in ``era``, of the province a document names; None if unknown."""
    from cascade.vn import places

    if era == "pre2025":
        u = places.find_province(name, "pre2025")
        return u.name if u else None
    old = places.find_province(name, "pre2025")
    new = places.find_province(name, "2025")
    if new is not None and (old is None or (date or "") >= REFORM_DATE):
        return new.name
    if old is not None:
        s = places.successor(old.name)
        return s.name if s else None
    return None


@lru_cache(maxsize=16384)
def _district_unit(province: str, district: str) -> tuple[str, str] | None:
    """(province, district) gazetteer names (pre-2025) of a district a document names."""
    from cascade.vn import places

    units = places.find_district(district, province)
    if not units:
        return None
    return units[0].province or province, units[0].name


def _era_of(as_of: str | None, root_date: str | None) -> str:
    ref = as_of or root_date
    return "2025" if ref and ref >= REFORM_DATE else "pre2025"


def _units(level: str, era: str, province: str | None) -> list[tuple[str, str | None]]:
    """The jurisdictions of a coverage question: (province, None) or (province, district)."""
    from cascade.vn import places

    if level == "province":
        provs = [u.name for u in places.provinces(era)]
        if province is not None:
            u = places.find_province(province, era) or places.find_province(province)
            if u is None:
                raise CascadeError(f"unknown province {province!r}")
            name = u.name if u.era == era else (_province_unit(u.name, era, None) or u.name)
            provs = [name]
        return [(p, None) for p in provs]
    if province is None:
        provs = [u.name for u in places.provinces("pre2025")]
    else:
        u = places.find_province(province, "pre2025")
        if u is not None:
            provs = [u.name]
        else:
            new = places.find_province(province, "2025")
            if new is None:
                raise CascadeError(f"unknown province {province!r}")
            provs = [p.name for p in places.predecessors(new.name)]
    return [(p, d.name) for p in provs for d in places.districts(p)]


def coverage(G: nx.MultiDiGraph, doc: str, level: str = "province", as_of: str | dt.date | None = None,
             province: str | None = None, *, era: str | None = None) -> dict[str, Any]:
    """Which provinces (or districts) have a Party plan and a state plan implementing ``doc``.

    A plan counts when it implements ``doc`` transitively, sits at ``level`` and, with
    ``as_of``, is dated on or before that day (a plan dated only "2021-06" counts from
    30 June 2021; undated plans are then listed in ``undated``). Plans known only because
    other documents cite them count too (``in_corpus`` tells them apart in the rows).

    The gazetteer is the denominator: the 63 provinces before 1 July 2025 or the 34 after
    it, chosen by ``as_of`` or else by the date of ``doc`` (``era`` forces "pre2025" or
    "2025"); districts are always those of the pre-2025 map, of ``province`` or of every
    province.

    Returns:
        ``{"doc", "level", "as_of", "era", "total", "with_party", "with_state", "with_both",
        "with_any", "none", "missing_party", "missing_state", "rows", "unplaced", "undated"}``;
        ``none`` lists the jurisdictions with no plan at all; each row has the jurisdiction,
        ``party`` and ``state`` plan ids, ``has_party``/``has_state`` and the ``first`` date.

    Raises:
        CascadeError: an unknown level, province or era, or an unreadable ``as_of``.

    Examples:
        >>> import networkx as nx
        >>> G = nx.MultiDiGraph()
        >>> G.add_node("d", kind="document", level="central", date="2020-11-20")
        >>> G.add_node("p", kind="document", level="province", province="Gia Lai", branch="party")
        >>> _ = G.add_edge("p", "d", key="implements", relation="implements")
        >>> c = coverage(G, "d")
        >>> c["total"], c["with_party"], c["with_state"], len(c["none"])
        (63, 1, 0, 62)
    """
    from cascade.vn.places import ERAS

    if level not in ("province", "district"):
        raise CascadeError(f"level must be 'province' or 'district', not {level!r}")
    if era is not None and era not in ERAS:
        raise CascadeError(f"era must be one of {', '.join(ERAS)}, not {era!r}")
    root = _doc(G, doc)
    cutoff = _as_of(as_of)
    era = era or ("pre2025" if level == "district" else _era_of(cutoff, G.nodes[root].get("date")))
    units = _units(level, era, province)
    rows: dict[tuple[str, str | None], dict[str, Any]] = {}
    for p, dname in units:
        rows[(p, dname)] = {"jurisdiction": f"{p}/{dname}" if dname else p, "province": p, "district": dname,
                            "party": [], "state": [], "other": [], "first": None}
    unplaced: list[str] = []
    undated: list[str] = []
    for n in _descendants(G, root):
        d = G.nodes[n]
        if d.get("level") != level:
            continue
        date = d.get("date")
        if not _on_or_before(date, cutoff):
            if not date:
                undated.append(n)
            continue
        prov = d.get("province")
        if level == "province":
            name = _province_unit(prov, era, date) if prov else None
            key: tuple[str, str | None] | None = (name, None) if name else None
        else:
            key = _district_unit(prov, d["district"]) if prov and d.get("district") else None
        if key is None:
            unplaced.append(n)
            continue
        row = rows.get(key)
        if row is None:                        # a real place outside the question (another province)
            continue
        branch = d.get("branch")
        row[branch if branch in ("party", "state") else "other"].append(n)
        if date and (row["first"] is None or date < row["first"]):
            row["first"] = date
    out_rows = []
    for row in rows.values():
        row["has_party"] = bool(row["party"])
        row["has_state"] = bool(row["state"])
        for k in ("party", "state", "other"):
            row[k].sort()
        out_rows.append(row)
    names = [r["jurisdiction"] for r in out_rows]
    return {
        "doc": root, "level": level, "as_of": cutoff, "era": era, "province": province,
        "total": len(out_rows), "with_party": sum(r["has_party"] for r in out_rows),
        "with_state": sum(r["has_state"] for r in out_rows),
        "with_both": sum(r["has_party"] and r["has_state"] for r in out_rows),
        "with_any": sum(bool(r["party"] or r["state"] or r["other"]) for r in out_rows),
        "none": [j for j, r in zip(names, out_rows, strict=True)
                 if not (r["party"] or r["state"] or r["other"])],
        "missing_party": [j for j, r in zip(names, out_rows, strict=True) if not r["has_party"]],
        "missing_state": [j for j, r in zip(names, out_rows, strict=True) if not r["has_state"]],
        "rows": out_rows, "unplaced": sorted(unplaced), "undated": sorted(undated),
    }


# -- lag ---------------------------------------------------------------------------------------------

def _transition(parent: dict[str, Any], child: dict[str, Any]) -> str:
    """"central->province", "province->district", "party->state (province)"..."""
    pl, cl = parent.get("level") or "?", child.get("level") or "?"
    if pl != cl:
        return f"{pl}->{cl}"
    return f"{parent.get('branch') or '?'}->{child.get('branch') or '?'} ({cl})"


def _summary(days: list[int]) -> dict[str, Any]:
    """n, median, quartiles (inclusive method), min, max of a list of day counts.

    >>> _summary([10, 20, 30, 40])
    {'n': 4, 'median': 25.0, 'q1': 17.5, 'q3': 32.5, 'min': 10, 'max': 40}
    """
    if not days:
        return {"n": 0, "median": None, "q1": None, "q3": None, "min": None, "max": None}
    xs = sorted(days)
    q1, _, q3 = statistics.quantiles(xs, n=4, method="inclusive") if len(xs) > 1 else (xs[0], 0, xs[0])
    return {"n": len(xs), "median": statistics.median(xs), "q1": q1, "q3": q3, "min": xs[0], "max": xs[-1]}


def _kaplan_meier(times: list[tuple[int, bool]]) -> list[tuple[int, float]]:
    """Steps (day, share that had acted by then) from (time, acted) pairs; False = censored then.

    >>> _kaplan_meier([(10, True), (20, True), (30, False), (30, False)])
    [(10, 0.25), (20, 0.5)]
    >>> _kaplan_meier([(5, True), (8, False), (12, True)])
    [(5, 0.3333), (12, 1.0)]
    """
    at_risk = len(times)
    events: Counter[int] = Counter(t for t, e in times if e)
    leaving: Counter[int] = Counter(t for t, _ in times)
    surviving = 1.0
    steps = []
    for t in sorted(leaving):
        if events[t] and at_risk:
            surviving *= 1 - events[t] / at_risk
            steps.append((t, round(1 - surviving, 4)))
        at_risk -= leaving[t]
    return steps


def _share_after(steps: list[tuple[int, float]], n: int) -> float:
    share = 0.0
    for t, s in steps:
        if t > n:
            break
        share = s
    return share


def _curve(name: str, starts: dict[Any, dt.date | None], acted: dict[Any, dt.date | None],
           end: dt.date | None, undated: int, checkpoints: Iterable[int]) -> dict[str, Any]:
    """The Kaplan-Meier view of one level: units with a start date, acted (event) or censored at ``end``."""
    times: list[tuple[int, bool]] = []
    detail: list[dict[str, Any]] = []
    not_at_risk = 0
    for unit, start in starts.items():
        if start is None:
            not_at_risk += 1
            continue
        when = acted.get(unit)
        if when is not None and (end is None or when <= end):
            times.append((max(0, (when - start).days), True))
        elif end is not None:
            times.append((max(0, (end - start).days), False))
        else:
            not_at_risk += 1
            continue
        detail.append({"unit": "/".join(unit) if isinstance(unit, tuple) else unit, "days": times[-1][0],
                       "acted": times[-1][1]})
    steps = _kaplan_meier(times)
    median = next((t for t, s in steps if s >= 0.5), None)
    return {"level": name, "units": len(times), "acted": sum(e for _, e in times),
            "censored": sum(not e for _, e in times), "not_at_risk": not_at_risk, "undated": undated,
            "median_days": median, "share_after": {str(k): _share_after(steps, k) for k in checkpoints},
            "steps": [list(s) for s in steps], "times": detail}


def lag(G: nx.MultiDiGraph, doc: str, *, as_of: str | dt.date | None = None,
        days: Iterable[int] = (30, 60, 90, 180, 365)) -> dict[str, Any]:
    """How long each level took to act on ``doc``.

    ``transitions`` summarise the days from each parent to each child along the cascade
    edges under ``doc`` (both dated to the day), by kind: "central->province",
    "province->district", "party->state (province)" and so on: n, median, quartiles,
    min, max. ``pairs`` lists every measured edge.

    ``curves`` answer "what share of jurisdictions had acted N days later?" with a
    Kaplan-Meier estimate per level below ``doc``: provinces are counted from the date of
    ``doc``; districts from their province's first plan (districts of provinces that never
    acted are ``not_at_risk``). A jurisdiction that never acted is censored at ``as_of`` (or
    the latest date in the corpus), not dropped; ``share_after`` reads the curve at
    ``days``. A unit whose plans are all undated is counted in ``undated`` and left out.

    Examples:
        >>> import networkx as nx
        >>> G = nx.MultiDiGraph()
        >>> G.add_node("d", kind="document", level="central", date="2021-01-01")
        >>> G.add_node("p", kind="document", level="province", province="Gia Lai", branch="party",
        ...            date="2021-01-31")
        >>> _ = G.add_edge("p", "d", key="implements", relation="implements")
        >>> r = lag(G, "d", as_of="2021-12-31")
        >>> r["transitions"]["central->province"]["median"], r["curves"][0]["share_after"]["30"]
        (30, 0.0159)
    """
    root = _doc(G, doc)
    members = _descendants(G, root)
    inside = set(members) | {root}
    checkpoints = sorted(set(days))
    cutoff = _as_of(as_of)
    pairs: list[dict[str, Any]] = []
    groups: dict[str, list[int]] = defaultdict(list)
    undated_pairs: Counter[str] = Counter()
    for c in members:
        cd = G.nodes[c]
        for p, rel in _implemented(G, c):
            if p not in inside:
                continue
            pd = G.nodes[p]
            kind = _transition(pd, cd)
            a, b = _day(pd.get("date")), _day(cd.get("date"))
            if cutoff is not None and b is not None and b.isoformat() > cutoff:
                continue                                           # not yet issued on as_of
            if a is None or b is None:
                undated_pairs[kind] += 1
                continue
            between = (b - a).days
            groups[kind].append(between)
            pairs.append({"parent": p, "child": c, "relation": rel, "transition": kind, "days": between,
                          "parent_date": pd.get("date"), "child_date": cd.get("date")})
    transitions = {}
    for kind in sorted(set(groups) | set(undated_pairs), key=_transition_order):
        transitions[kind] = _summary(groups.get(kind, [])) | {"undated": undated_pairs.get(kind, 0)}
    pairs.sort(key=lambda r: (_transition_order(r["transition"]), r["days"], r["child"]))

    end_text = cutoff or _index(G).latest
    end = _day(end_text)
    root_d = G.nodes[root]
    root_level = root_d.get("level") or "central"
    curves = []
    # first dated plan per province and per district, among the descendants
    first_prov: dict[str, dt.date] = {}
    first_dist: dict[tuple[str, str], dt.date] = {}
    undated_prov: set[str] = set()
    undated_dist: set[tuple[str, str]] = set()
    era = _era_of(None, root_d.get("date"))
    for n in members:
        d = G.nodes[n]
        prov, when = d.get("province"), _day(d.get("date"))
        if not prov:
            continue
        if d.get("level") == "province":
            name = _province_unit(prov, era, d.get("date"))
            if name is None:
                continue
            if when is None:
                undated_prov.add(name)
            elif name not in first_prov or when < first_prov[name]:
                first_prov[name] = when
        elif d.get("level") == "district" and d.get("district"):
            key = _district_unit(prov, d["district"])
            if key is None:
                continue
            if when is None:
                undated_dist.add(key)
            elif key not in first_dist or when < first_dist[key]:
                first_dist[key] = when
    start = _day(root_d.get("date"))
    if root_level == "central":
        from cascade.vn import places

        provs = [u.name for u in places.provinces(era)]
        starts = {p: start for p in provs if p not in undated_prov or p in first_prov}
        curves.append(_curve("province", starts, dict(first_prov), end,
                             len([p for p in undated_prov if p not in first_prov]), checkpoints))
        if era == "pre2025":
            dstarts: dict[Any, dt.date | None] = {}
            for p, dname in _units("district", "pre2025", None):
                k = (p, dname)
                if k in undated_dist and k not in first_dist:
                    continue
                dstarts[k] = first_prov.get(p)
            curves.append(_curve("district", dstarts, dict(first_dist), end,
                                 len([k for k in undated_dist if k not in first_dist]), checkpoints))
    elif root_level == "province" and root_d.get("province"):
        dstarts = {}
        for p, dname in _units("district", "pre2025", root_d["province"]):
            k = (p, dname)
            if k in undated_dist and k not in first_dist:
                continue
            dstarts[k] = start
        curves.append(_curve("district", dstarts, dict(first_dist), end,
                             len([k for k in undated_dist if k not in first_dist]), checkpoints))
    return {"doc": root, "date": root_d.get("date"), "observed_until": end.isoformat() if end else None,
            "transitions": transitions, "curves": curves, "pairs": pairs}


def _transition_order(kind: str) -> tuple[int, int, str]:
    """Sort key: top levels first, level changes before same-level steps."""
    levels = {lv: i for i, lv in enumerate(LEVELS)}
    head = kind.split(" (")[0]
    if " (" in kind:
        return (levels.get(kind.split(" (")[1].rstrip(")"), 9), 1, kind)
    return (levels.get(head.split("->")[0], 9), 0, kind)


# -- orphans and conflicts --------------------------------------------------------------------------------

def orphans(G: nx.MultiDiGraph, *, cited_by: int = 10) -> list[dict[str, Any]]:
    """Documents cited but not in the corpus: what to collect next, most wanted first.

    Ranked by the number of input files that cite them (``files``), then by the number of
    mentions (``cited``); ``implemented_by`` counts the documents that implement them,
    ``relations`` how they are cited, and ``cited_by`` names the first ``cited_by`` files.

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
        files: set[str] = set()
        relations: Counter[str] = Counter()
        implementers = 0
        for edges in G._pred[n].values():
            cascade_edge = False
            for e in edges.values():
                rel = e.get(RELATION)
                if rel in DOC_RELATIONS:
                    relations[rel] += 1
                    files.update(s for s in str(e.get(ASSERTED_BY) or "").split(SEP) if s)
                    cascade_edge = cascade_edge or rel in CASCADE
            implementers += cascade_edge
        row = _row(G, n)
        del row["in_corpus"]
        row.update(cited=int(d.get("cited") or 0), files=len(files), implemented_by=implementers,
                   relations=dict(sorted(relations.items())), cited_by=sorted(files)[:cited_by])
        rows.append(row)
    rows.sort(key=lambda r: (-r["files"], -r["cited"], -r["implemented_by"], r["id"]))
    return rows


def conflicts(source: Any) -> list[dict[str, Any]]:
    """Disagreeing claims about documents, each value with the input files that state it.

    ``source`` is a :class:`cascade.corpus.build.Build` (from ``build`` or ``load``), a build
    folder, its ``conflicts.json``, the list read from it, or a graph carrying
    ``G.graph["conflicts"]``. When a graph is at hand the rows also give the document's
    label and the value it kept.

    Raises:
        BuildError: ``source`` holds no conflicts list (a bare graph, a folder without a build).

    Examples:
        >>> rows = conflicts([{"node": "52-KL/TW", "field": "date",
        ...                    "values": [{"value": "2012", "sources": ["a.txt"]}]}])
        >>> rows[0]["node"], rows[0]["values"]
        ('52-KL/TW', [{'value': '2012', 'sources': ['a.txt']}])
    """
    G: nx.MultiDiGraph | None = None
    items: list[dict[str, Any]] | None = None
    if isinstance(source, list):
        items = source
    elif isinstance(source, nx.Graph):
        G = source
        items = G.graph.get("conflicts")
        if items is None:
            raise BuildError("this graph carries no conflicts: pass the build (cascade.load()) or its folder")
    elif isinstance(source, (str, os.PathLike)):
        p = Path(source)
        p = p / "conflicts.json" if p.is_dir() else p
        items = _read_conflicts(p)
    else:
        G = getattr(source, "graph", None)
        corpus = getattr(source, "corpus", None)
        if corpus is not None:
            items = [c.to_dict() for c in corpus.conflicts]
        elif getattr(source, "out", None) is not None:
            items = _read_conflicts(Path(source.out) / "conflicts.json")
        else:
            raise BuildError(f"cannot read conflicts from {type(source).__name__}")
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
        raise BuildError(f"no conflicts.json in {path.parent}/ (run: cascade build PATH --out {path.parent})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as e:
        raise BuildError(f"{path}: unreadable ({e})") from None
    if not isinstance(data, list):
        raise BuildError(f"{path}: not a list of conflicts")
    return data


# == tasks and agencies (issue 5) =====================================================================
#
# Task nodes hang off their plan by a has_task edge and point at agency nodes by lead /
# cooperating / focal / requested edges, and at the bodies they report to by reports_to
# edges (attribute names in cascade.graph). An agency node is one body within one
# jurisdiction ("Sở Nội vụ" of Đắk Lắk); its ``name`` is the canonical name.

__all__ += ["UnknownAgency", "find_agencies", "tasks", "agencies", "task_due", "TASK_ROLES"]

#: the ways a task names an agency, strongest first
TASK_ROLES = ("lead", "cooperating", "focal", "requested")
_RECURRING = frozenset({"annual", "semiannual", "quarterly", "monthly", "periodic"})


class UnknownAgency(ResolutionError):
    """A phrase names no agency of the graph; ``candidates`` holds the nearest names."""

    default = "no agency matches"

    def __init__(self, message: str | None = None, candidates: Iterable[str] = ()):
        super().__init__(message)
        self.candidates = list(candidates)


@dataclass(slots=True)
class _Agencies:
    """Agency nodes by the key of their canonical name, built once per graph."""

    signature: int
    by_key: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    loose: dict[str, str] = field(default_factory=dict)        # id -> loose name, for near matches


_AGENCY_INDEXES: weakref.WeakKeyDictionary[nx.MultiDiGraph, _Agencies] = weakref.WeakKeyDictionary()


def _agency_index(G: nx.MultiDiGraph) -> _Agencies:
    from cascade.text.normalize import key

    sig = G.number_of_nodes()
    idx = _AGENCY_INDEXES.get(G)
    if idx is not None and idx.signature == sig:
        return idx
    idx = _Agencies(sig)
    for n, d in G.nodes(data=True):
        if d.get(KIND) == "agency" and isinstance(n, str):
            name = str(d.get("name") or d.get(LABEL) or n)
            idx.by_key[key(name)].append(n)
            idx.loose[n] = _loose(name)
    _AGENCY_INDEXES[G] = idx
    return idx


def _same_place(value: Any, want: str | None) -> bool:
    return want is None or _loose(str(value or "")) == want


def _province_key(province: str | None) -> str | None:
    """The loose key of a province a user names ("Dak Lak", "tỉnh Đắk Lắk"), None for none."""
    if not province:
        return None
    from cascade.vn import places

    unit = places.find_province(province.strip())
    return _loose(unit.name if unit is not None else province)


def find_agencies(G: nx.MultiDiGraph, text: str, *, province: str | None = None,
                  follow_reform: bool = True) -> dict[str, dict[str, Any]]:
    """The agency nodes a user's phrase names, with how each was matched.

    The phrase is read as an agency name in any spelling the extraction accepts ("Sở
    KH&CN", "sở khoa học và công nghệ", "UBND huyện"); a phrase that names no agency
    exactly matches the names that contain it ("khoa học"). With ``follow_reform`` the
    2025 mergers are followed both ways (:func:`cascade.extract.agencies.lineage`): asking for
    "Sở Thông tin và Truyền thông" also finds "Sở Khoa học và Công nghệ", which carries on
    its work from 1 March 2025, and asking for the latter also finds the former.

    Returns:
        ``{node id: {"name", "province", "district", "as": "named" | "successor" |
        "predecessor", "since": ISO date of the merger or None}}``.

    Raises:
        UnknownAgency: nothing matches; ``candidates`` gives near names.

    Examples:
        >>> import networkx as nx
        >>> G = nx.MultiDiGraph()
        >>> G.add_node("agency:a", kind="agency", name="Sở Thông tin và Truyền thông", province="Gia Lai")
        >>> G.add_node("agency:b", kind="agency", name="Sở Khoa học và Công nghệ", province="Gia Lai")
        >>> {k: v["as"] for k, v in find_agencies(G, "Sở TT&TT").items()}
        {'agency:a': 'named', 'agency:b': 'successor'}
        >>> list(find_agencies(G, "Sở KH&CN", follow_reform=False))
        ['agency:b']
    """
    from cascade.extract import agencies as A
    from cascade.text.normalize import key

    phrase = (text or "").strip()
    if not phrase:
        raise UnknownAgency("an empty phrase names no agency")
    idx = _agency_index(G)
    want = _province_key(province)
    canon = A.canonical(phrase)
    targets: list[tuple[str, str, dt.date | None]] = [(canon, "named", None)]
    if follow_reform:
        targets += A.lineage(canon)
    out: dict[str, dict[str, Any]] = {}

    def add(n: str, how: str, since: dt.date | None) -> None:
        d = G.nodes[n]
        if n not in out and _same_place(d.get("province"), want):
            out[n] = {"name": d.get("name") or d.get(LABEL) or n, "province": d.get("province"),
                      "district": d.get("district"), "as": how, "since": since.isoformat() if since else None}

    for name, how, since in targets:
        for n in idx.by_key.get(key(name), ()):
            add(n, how, since)
    if not any(v["as"] == "named" for v in out.values()):
        loose = {_loose(phrase), _loose(canon)} - {""}
        for n, name in idx.loose.items():
            if any(w in name for w in loose):
                add(n, "named", None)
    if out:
        return out
    from rapidfuzz import fuzz, process

    names = sorted({str(G.nodes[n].get("name") or n) for n in idx.loose})
    near = [m for m, _, _ in process.extract(canon, names, scorer=fuzz.WRatio, limit=5, score_cutoff=60)]
    where = f" in {province}" if province else ""
    hint = f"; near: {', '.join(near)}" if near else ""
    raise UnknownAgency(f"no agency matches {phrase!r}{where}{hint}", near)


def _period_start(value: str) -> str:
    """The first day a partial ISO date can mean: "2021" -> "2021-01-01"."""
    return value + "-01-01" if len(value) == 4 else value + "-01" if len(value) == 7 else value


def _date_arg(value: str | dt.date | None, what: str, end: bool) -> str | None:
    """A user's date as an ISO day: the period's last day (``end``) or first day."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        day = _period_end(text) if end else _period_start(text)
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
            raise ValueError
        dt.date.fromisoformat(day)
    except ValueError:
        raise CascadeError(f"{what} must be an ISO date such as 2021-06-30, not {value!r}") from None
    return day


def task_due(attrs: dict[str, Any]) -> str | None:
    """The day a one-off task is due (ISO), from a task node's deadline attributes.

    A stated day ("trước ngày 30/6/2022") or the last day of the period it must be done
    in ("Quý III/2021": 2021-09-30); None for recurring duties, open-ended ("từ quý III")
    and undated tasks.

    >>> task_due({"due": "2022-06-30"}), task_due({"start": "2021-07", "end": "2021-09"})
    ('2022-06-30', '2021-09-30')
    >>> task_due({"due": "12-05", "recurrence": "annual"}) is None
    True
    """
    if attrs.get("recurrence") in _RECURRING:
        return None
    due = attrs.get("due")
    if isinstance(due, str) and len(due) == 10:
        return due
    end = attrs.get("end")
    return _period_end(end) if isinstance(end, str) and end[:4].isdigit() else None


def _task_plan(G: nx.MultiDiGraph, t: str) -> str | None:
    for u, edges in G._pred[t].items():
        if "has_task" in edges:
            return u
    return None


def _task_row(G: nx.MultiDiGraph, t: str, plan: str | None) -> dict[str, Any]:
    a = G.nodes[t]
    p = G.nodes[plan] if plan is not None else {}
    names: dict[str, list[str]] = {r: [] for r in TASK_ROLES}
    reporting = []
    for other, edges in G._succ[t].items():
        o = G.nodes[other]
        for k, e in edges.items():
            if k in names:
                names[k].append(str(o.get("name") or o.get(LABEL) or other))
            elif k == "reports_to":
                reporting.append({"to": o.get("name") or o.get(LABEL) or other,
                                  "text": e.get("deadline_text"),
                                  "due": e.get("due"), "recurrence": e.get("recurrence")})
    return {
        "plan": plan, "plan_label": p.get(LABEL, plan), "plan_date": p.get("date"),
        "jurisdiction": _jurisdiction(p) if p else None, "id": t, "label": a.get(LABEL),
        "text": a.get("text"),
        "section": a.get("section"), **names,
        "deadline": {"text": a.get("deadline_text"), "start": a.get("start"), "end": a.get("end"),
                     "due": a.get("due"), "recurrence": a.get("recurrence")},
        "due": task_due(a), "deliverable": a.get("deliverable"), "reporting": reporting,
        "evidence": {"file": a.get(EVIDENCE_SOURCE), "span": _span(a.get(EVIDENCE_SPAN))},
    }


def tasks(G: nx.MultiDiGraph, agency: str | None = None, province: str | None = None,
          due_before: str | dt.date | None = None, overdue_as_of: str | dt.date | None = None,
          doc: str | None = None, *, follow_reform: bool = True) -> list[dict[str, Any]]:
    """The tasks of the corpus's plans, filtered: who must do what by when, with the evidence.

    Args:
        agency: only tasks that name this agency (lead, cooperating, focal or requested), a
            phrase :func:`find_agencies` reads ("Sở KH&CN"). With ``follow_reform`` a task
            of a body's successor counts when its plan is dated on or after the merger (the
            successor then carries on the work); a predecessor's tasks always count.
        province: only plans of this province.
        due_before: only one-off tasks due before this day ("2022" means before 2022-01-01).
        overdue_as_of: only one-off tasks whose day had passed on this day, with
            ``overdue_days`` (the corpus does not say what was done: a deadline passed).
        doc: only the tasks of this plan (anything :func:`find` understands).

    Returns:
        Rows in plan and document order: ``plan`` (id), ``plan_label``, ``plan_date``,
        ``jurisdiction``, ``id``, ``label``, ``text``, ``lead``, ``cooperating``, ``focal``,
        ``requested`` (names), ``deadline`` (``text``, ``start``, ``end``, ``due``,
        ``recurrence``), ``due`` (see :func:`task_due`), ``deliverable``, ``reporting``
        (``to``, ``text``, ``due``, ``recurrence``), ``evidence`` (``file``, ``span``); with
        ``agency``, ``agency`` (``name``, ``role``, ``as``, ``since``) says how it matched.

    Raises:
        UnknownAgency: ``agency`` names no agency.
        UnknownDocument, AmbiguousDocument: ``doc`` names no document, or several.
        CascadeError: a date is not ISO.

    Examples:
        >>> import networkx as nx
        >>> G = nx.MultiDiGraph()
        >>> G.add_node("p", kind="document", label="07-KH/UBND", date="2021-06-30", level="province",
        ...            province="Gia Lai")
        >>> G.add_node("t", kind="task", label="II.1", text="Rà soát", due="2022-06-30")
        >>> G.add_node("a", kind="agency", name="Sở Nội vụ", province="Gia Lai")
        >>> _ = G.add_edge("p", "t", key="has_task", relation="has_task")
        >>> _ = G.add_edge("t", "a", key="lead", relation="lead")
        >>> [(r["label"], r["lead"], r["due"]) for r in tasks(G, agency="Sở NV")]
        [('II.1', ['Sở Nội vụ'], '2022-06-30')]
        >>> tasks(G, overdue_as_of="2022-07-10")[0]["overdue_days"]
        10
    """
    before = _date_arg(due_before, "due_before", end=False)
    as_of = _date_arg(overdue_as_of, "overdue_as_of", end=True)
    want = _province_key(province)
    matched = find_agencies(G, agency, province=province, follow_reform=follow_reform) if agency else {}
    if doc is not None:
        the_plan = _doc(G, doc)
        candidates = [t for t, edges in G._succ[the_plan].items() if "has_task" in edges]
    elif matched:
        candidates = list(dict.fromkeys(t for a in matched for t, edges in G._pred[a].items()
                                        if any(k in TASK_ROLES for k in edges)))
    else:
        candidates = [n for n, k in G.nodes(data=KIND) if k == "task"]
    rows = []
    for t in candidates:
        plan = _task_plan(G, t)
        p = G.nodes[plan] if plan is not None else {}
        if not _same_place(p.get("province"), want):
            continue
        hit = None
        if matched:
            hit = _agency_hit(G, t, matched, p.get("date"))
            if hit is None:
                continue
        row = _task_row(G, t, plan)
        if before is not None and not (row["due"] and row["due"] < before):
            continue
        if as_of is not None:
            if not (row["due"] and row["due"] < as_of):
                continue
            row["overdue_days"] = (dt.date.fromisoformat(as_of) - dt.date.fromisoformat(row["due"])).days
        if hit is not None:
            row["agency"] = hit
        rows.append(row)
    rows.sort(key=lambda r: (r["plan_date"] or "", r["plan"] or "", (r["evidence"]["span"] or [0])[0],
                             r["id"]))
    return rows


def _agency_hit(G: nx.MultiDiGraph, t: str, matched: dict[str, dict[str, Any]],
                plan_date: str | None) -> dict[str, Any] | None:
    """How task ``t`` names one of the ``matched`` agencies (the strongest role), or None."""
    best = None
    for a, edges in G._succ[t].items():
        m = matched.get(a)
        if m is None:
            continue
        if m["as"] == "successor" and not (plan_date and _period_end(plan_date) >= m["since"]):
            continue                            # before the merger the successor did other work
        for k in edges:
            if k in TASK_ROLES and (best is None or TASK_ROLES.index(k) < TASK_ROLES.index(best["role"])):
                best = {"name": m["name"], "role": k, "as": m["as"], "since": m["since"]}
    return best


def agencies(G: nx.MultiDiGraph, province: str | None = None, role: str | None = None, *,
             agency: str | None = None, follow_reform: bool = True) -> list[dict[str, Any]]:
    """The workload of each agency: how many tasks it leads or cooperates on, in how many plans.

    One row per agency node (one body within one jurisdiction): ``id``, ``agency`` (the
    name), ``province``, ``district``, ``group`` (a collective such as "các sở, ban,
    ngành"), the task counts by role (``lead``, ``cooperating``, ``focal``, ``requested``),
    ``tasks`` (distinct), ``reports_in`` (reporting duties addressed to it), ``plans`` (how
    many) and ``plan_ids``, and the 2025 reform: ``successor`` / ``successor_since`` (the
    body that carries on its work) and ``predecessors`` (bodies whose work it carries on).

    ``role`` keeps the agencies that hold it and ranks them by it; otherwise rows come by
    lead, then cooperating count. ``agency`` keeps the agencies :func:`find_agencies`
    finds for the phrase (with ``follow_reform``, its predecessors and successors too;
    ``matched_as`` says which).

    Examples:
        >>> import networkx as nx
        >>> G = nx.MultiDiGraph()
        >>> G.add_node("p", kind="document", date="2021-06-30")
        >>> G.add_node("a", kind="agency", name="Sở Thông tin và Truyền thông", province="Gia Lai")
        >>> for t in ("t1", "t2"):
        ...     G.add_node(t, kind="task")
        ...     _ = G.add_edge("p", t, key="has_task", relation="has_task")
        ...     _ = G.add_edge(t, "a", key="lead", relation="lead")
        >>> r = agencies(G)[0]
        >>> r["agency"], r["lead"], r["plans"], r["successor"], r["successor_since"]
        ('Sở Thông tin và Truyền thông', 2, 1, 'Sở Khoa học và Công nghệ', '2025-03-01')
    """
    from cascade.extract import agencies as A

    if role is not None and role not in TASK_ROLES:
        raise CascadeError(f"role must be one of {', '.join(TASK_ROLES)}, not {role!r}")
    want = _province_key(province)
    if agency:
        found = find_agencies(G, agency, province=province, follow_reform=follow_reform)
        ids = list(found)
    else:
        found = {}
        ids = [n for n, d in G.nodes(data=True)
               if d.get(KIND) == "agency" and _same_place(d.get("province"), want)]
    rows = []
    lineages: dict[str, list[tuple[str, str, dt.date]]] = {}
    for a in ids:
        d = G.nodes[a]
        name = str(d.get("name") or d.get(LABEL) or a)
        counts = dict.fromkeys(TASK_ROLES, 0)
        task_ids: set[str] = set()
        plans: set[str] = set()
        reports_in = 0
        for t, edges in G._pred[a].items():
            for k in edges:
                if k in counts:
                    counts[k] += 1
                    task_ids.add(t)
                elif k == "reports_to":
                    reports_in += 1
        for t in task_ids:
            plan = _task_plan(G, t)
            if plan is not None:
                plans.add(plan)
        if role is not None and not counts[role]:
            continue
        if name not in lineages:
            lineages[name] = A.lineage(name) if not d.get("group") else []
        succ = next(((n, s) for n, how, s in lineages[name] if how == "successor"), None)
        row: dict[str, Any] = {
            "id": a, "agency": name, "province": d.get("province"), "district": d.get("district"),
            "group": bool(d.get("group")), **counts, "tasks": len(task_ids), "reports_in": reports_in,
            "plans": len(plans), "plan_ids": sorted(plans),
            "successor": succ[0] if succ else None, "successor_since": succ[1].isoformat() if succ else None,
            "predecessors": [n for n, how, _ in lineages[name] if how == "predecessor"]}
        if agency:
            row["matched_as"] = found[a]["as"]
        rows.append(row)
    order = (role,) if role else ("lead", "cooperating")
    rows.sort(key=lambda r: (*(-r[k] for k in order), -r["tasks"], r["agency"], r["id"]))
    return rows
