"""From a user's phrase to document ids: ids in any spelling, numbers, "Kết luận 93", file names."""
from __future__ import annotations

import os
import re
import unicodedata
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from cascade.errors import ResolutionError
from cascade.graph import (
    DOCUMENT,
    KIND,
    SEP,
)
from cascade.text.normalize import ascii_fold, key
from cascade.vn import places

from .nodes import _is_doc, _jurisdiction

if TYPE_CHECKING:
    import networkx as nx


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


_LOOSE_DROP = re.compile(r"[^a-z0-9@#]")
_DIGITS = re.compile(r"\d+")
_NOT_DIGIT = re.compile(r"[^0-9]")


def _loose(text: str) -> str:
    """A compact key without case, diacritics, spaces or punctuation (``@`` and ``#`` kept).

    >>> _loose("07-KH/TU@Đắk Lắk") == _loose("07-kh/tu @ dak lak")
    True
    """
    return _LOOSE_DROP.sub("", ascii_fold(text))


def _id_keys(n: str) -> tuple[str, ...]:
    """The loose keys that find a document by its id: the id's, and for a year-split id ("...@Đắk Lắk#2020")
    the id's without the year."""
    loose = _loose(n)
    return (loose, loose.split("#", 1)[0]) if "#" in loose else (loose,)


def _spelled(hit: list[str], text: str) -> list[str]:
    """Among several ids with the same loose key, those spelled exactly as ``text`` (all if none is)."""
    if len(hit) > 1:
        exact = [n for n in hit if key(n) == key(text)]
        return exact or hit
    return hit


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
        keys = _id_keys(n)
        for k in keys:
            idx.by_id[k].append(n)
        idx.choices[n] = keys[0]
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


@lru_cache(maxsize=1)
def _type_codes() -> dict[str, str]:
    """Loose type names -> type codes ("ketluan" -> "KL")."""
    from cascade.extract.numbers import doc_types  # deferred: costly to import at start-up

    names = {_loose(code): code for code, _ in doc_types().values()}
    names.update({_loose(name): code for code, name in doc_types().values()})
    return names


def _place_filter(G: nx.MultiDiGraph, ids: list[str], place: str) -> list[str] | None:
    """The ``ids`` whose jurisdiction matches ``place``; None when ``place`` names no place at all."""
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
        codes = re.sub(r"[^a-z0-9/-]", "", ascii_fold(tail))
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


#: the longest phrase :func:`find` reads as it is (a file path may be long; a document phrase is short)
MAX_PHRASE = 1000


def _shortened(text: str) -> str:
    """A phrase longer than :data:`MAX_PHRASE` with runs of blanks shortened and what is left cut.

    No id, file name or phrase is this long: so no pattern of :func:`find` ever scans a huge input.
    """
    return " ".join(text.split())[:MAX_PHRASE] if len(text) > MAX_PHRASE else text


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
    text = _shortened(text)
    if _is_doc(G, text):
        return [text]
    if text.startswith("file:") and _is_doc(G, "file:" + os.path.normpath(text[5:])):
        return ["file:" + os.path.normpath(text[5:])]
    idx = _index(G)
    loose = _loose(unicodedata.normalize("NFC", text))

    def done(ids: list[str]) -> list[str]:
        return _rank(G, ids)[:limit]

    if loose and (hit := idx.by_id.get(loose)):
        return done(_spelled(hit, text))               # prefer an exact spelling among homographs
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
    from rapidfuzz import fuzz, process  # deferred: costly to import at start-up

    found = process.extract(loose, idx.choices, scorer=fuzz.ratio, limit=8, score_cutoff=55)
    return [(k, round(score, 1)) for _, score, k in found]


def _suggest(idx: _Index, loose: str) -> list[str]:
    """Looser suggestions for an unknown phrase: ids that contain it or share most of it."""
    if not loose:
        return []
    from rapidfuzz import fuzz, process  # deferred: costly to import at start-up

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


def find_by_id(text: str, has: Callable[[str], bool], ids_with_digits: Callable[[str], Iterable[str]]
               ) -> str | None:
    """The document :func:`find_one` gives for ``text`` when it is an id in some spelling, without the graph.

    For a large build read from its database: ``has(id)`` says whether a document has
    that id; ``ids_with_digits(digits)`` gives the ids of the documents whose ASCII digits
    include ``digits`` in that order (it may give more, never fewer). None when the phrase
    is not one document's id ("07-KH/TU" of several provinces, "Kết luận 93", a file name,
    a typo): then only :func:`find_one` on the graph can answer, with its suggestions.

    Examples:
        >>> ids = ["93-KL/TW", "07-KH/TU@Đắk Lắk", "07-KH/TU@Gia Lai#2021"]
        >>> def near(digits):
        ...     return [n for n in ids if digits in "".join(c for c in n if c.isdigit())]
        >>> [find_by_id(t, ids.__contains__, near) for t in ("93-kl/tw", "07-KH/TU@Dak Lak", "07-KH/TU")]
        ['93-KL/TW', '07-KH/TU@Đắk Lắk', None]
        >>> find_by_id("07-kh/tu @ gia lai", ids.__contains__, near)
        '07-KH/TU@Gia Lai#2021'
    """
    if has(text):
        return text
    text = _shortened((text or "").strip())
    if not text:
        return None
    if has(text):
        return text
    if text.startswith("file:") and has("file:" + os.path.normpath(text[5:])):
        return "file:" + os.path.normpath(text[5:])
    loose = _loose(unicodedata.normalize("NFC", text))
    if not loose:
        return None
    # the ASCII digits of an id are those of its loose key (no folding makes or drops one), so an id
    # found by its key, or by its key without the year, has digits that start with the phrase's
    digits = _NOT_DIGIT.sub("", loose)
    hit = [n for n in dict.fromkeys(ids_with_digits(digits))
           if _NOT_DIGIT.sub("", n).startswith(digits) and loose in _id_keys(n)]
    hit = _spelled(hit, text)
    return hit[0] if len(hit) == 1 else None


def _doc(G: nx.MultiDiGraph, doc: str) -> str:
    return doc if _is_doc(G, doc) else find_one(G, doc)

