"""Place names in running text: "UBND huyện Phú Thiện, tỉnh Gia Lai", "Tỉnh ủy Đắk Lắk", "TP. Huế".

A type word (tỉnh, thành phố, huyện, quận, thị xã) or a Party committee named after its unit
("Tỉnh ủy", "Thành ủy") starts a candidate; the words after it are looked up in the gazetteer of
:mod:`cascade.vn.places`. Spans are exact in the text as given, whatever its Unicode form.

>>> [(h.text, h.unit.level) for h in find_places("UBND huyện Phú Thiện, tỉnh Gia Lai")]
[('huyện Phú Thiện', 'district'), ('tỉnh Gia Lai', 'province')]
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

from cascade.vn.places import NO_UNITS, NameScan, PlaceHit, Unit, gazetteer, word_forms

_SP = r"[ \t\u00a0]"
_UY = "(?:ủy|uỷ)"
# Both patterns run on the lower-cased text: a literal-only search finds candidates fast,
# then the full pattern is tried there (one case-blind regex is several times slower).
_TRIGGER_START = re.compile(r"t(?:ỉnh|hành|hị|p|x|\.p)|huyện|quận")
# a type word, or a Party committee named after its unit ("Tỉnh ủy", "Thành ủy", "Thị ủy" ...)
_TRIGGER = re.compile(
    rf"(?:(?P<province>tỉnh(?:\s+{_UY})?)"
    rf"|(?P<city>thành\s+phố|thành\s+{_UY}|t\.p\.|tp\.|tp(?={_SP}))"
    rf"|(?P<huyen>huyện(?:\s+{_UY})?)"
    rf"|(?P<quan>quận(?:\s+{_UY})?)"
    rf"|(?P<thixa>thị\s+xã|thị\s+{_UY}|tx\.|tx(?={_SP}))"
    rf")(?P<gap>{_SP}*(?:\r?\n{_SP}*)?)")            # the name may start the next line, not a later one
# one word of a name and the separator after it: spaces, or one of - ' ’ ( with spaces around
_NAME_WORD = re.compile(rf"([^\W_]+)((?:{_SP}*[-–'’‘ʼ`(]{_SP}*)|{_SP}+)?")
_KINDS = ("province", "city", "huyen", "quan", "thixa")
_KIND_TYPE = {"huyen": "huyện", "quan": "quận", "thixa": "thị xã"}


def _accept(kind: str, provs: list[Unit], dists: list[Unit]) -> list[Unit]:
    """The units a type word of ``kind`` allows among the namesakes found."""
    if kind == "province":
        return provs
    if kind == "city":
        return ([u for u in provs if u.type == "thành phố"]
                or [u for u in dists if u.type == "thành phố"] or dists)
    want = _KIND_TYPE[kind]
    return [u for u in dists if u.type == want] or dists


def _match_name(text: str, pos: int, kind: str, scan: NameScan) -> tuple[int, list[Unit]] | None:
    """The longest known name at ``pos`` that a type word of ``kind`` accepts: (end, units).

    A match with diacritics as written beats one without, whatever their lengths.
    """
    exact = loose = ""
    best: tuple[int, list[Unit]] | None = None
    best_exact = paren = False
    for _ in range(scan.max_words):
        m = _NAME_WORD.match(text, pos)
        if not m:
            break
        e, lo = word_forms(m.group(1))
        exact += e
        loose += lo
        in_exact, in_loose = exact in scan.exact_prefixes, loose in scan.loose_prefixes
        if not (in_exact or in_loose):
            break
        units = _accept(kind, *scan.exact.get(exact, NO_UNITS)) if in_exact else []
        found_exact = bool(units)
        if not units and in_loose and not best_exact:
            units = _accept(kind, *scan.loose.get(loose, NO_UNITS))
        if units:
            end = m.end(1) + (1 if paren and text.startswith(")", m.end(1)) else 0)
            best, best_exact = (end, units), found_exact
        sep = m.group(2)
        if not sep:
            break
        if "(" in sep:
            exact += "("
            loose += "("
            paren = True
        pos = m.end()
    return best


_MARKS = re.compile("[\u0300-\u036f]+")
_MARK = re.compile("[\u0300-\u036f]")


class _Decomposed:
    """Positions in the NFC form of a decomposed text, mapped back to the text.

    Usual case: every run of combining marks joins the letter before it, so NFC position
    ``i`` is the ``i``-th letter that is not a mark. Spans are asked in increasing order, so
    each part of the text is counted once; each span is checked, and a text where marks do
    not compose that way falls back to a map of every cluster.

    >>> d = _Decomposed(unicodedata.normalize("NFD", "Hà Nội"))
    >>> d.nfc, d.span(0, 2), d.span(3, 6)
    ('Hà Nội', (0, 3), (4, 9))
    """

    __slots__ = ("text", "nfc", "_lead", "_at", "_after", "_before")

    def __init__(self, text: str) -> None:
        self.text = text
        self.nfc = unicodedata.normalize("NFC", text)
        m = _MARKS.match(text)                       # marks with no letter before them stay alone
        self._lead = m.end() if m else 0
        self._at = (self._lead, self._lead)          # last (NFC position, position in text)
        self._after: list[int] | None = None
        self._before: list[int] = []

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span in the text of ``nfc[start:end]``."""
        if self._after is None:
            a, b = self._counted(start), self._counted(end)
            if unicodedata.normalize("NFC", self.text[a:b]) == self.nfc[start:end]:
                return a, b
            self._map_clusters()
        return self._mapped(start), self._mapped(end)

    def _counted(self, i: int) -> int:
        if i <= self._lead:
            return i
        pi, pj = self._at if i >= self._at[0] else (self._lead, self._lead)
        lo, j = pj, pj + (i - pi)
        while lo < j:                                # each mark in the stretch pushes j on
            lo, j = j, j + len(_MARK.findall(self.text, lo, j))
        m = _MARKS.match(self.text, j)               # marks of the letter before belong to it
        if m:
            j = m.end()
        self._at = (i, j)
        return j

    def _map_clusters(self) -> None:
        after: list[int] = []
        n = pos = 0
        for m in re.finditer(r".[\u0300-\u036f]+", self.text, re.DOTALL):
            n += m.start() - pos
            after.append(n)
            self._before.append(m.start())
            n += len(unicodedata.normalize("NFC", m.group()))
            after.append(n)
            self._before.append(m.end())
            pos = m.end()
        self._after = after

    def _mapped(self, i: int) -> int:
        assert self._after is not None
        k = bisect_right(self._after, i) - 1
        return i if k < 0 else self._before[k] + (i - self._after[k])


def find_places(text: str) -> list[PlaceHit]:
    """Places named in running text as a type word followed by a name, in text order.

    Type words: tỉnh, thành phố (TP.), huyện, quận, thị xã (TX.), and the Party committees
    named after a unit (Tỉnh ủy, Thành ủy, Huyện ủy, Quận ủy, Thị ủy), in any case. The name
    must start with a capital letter or a digit. "thành phố X" is the centrally-run city X
    when there is one, else the district-level city. A district name shared by several
    provinces takes the province of the nearest unambiguous place in the text; when there is
    none, ``alternatives`` lists the other candidates.

    >>> [(h.text, h.unit.name) for h in find_places("ĐẢNG BỘ HUYỆN IA H’DRAI; Thành ủy Kon Tum")]
    [('HUYỆN IA H’DRAI', "Ia H'Drai"), ('Thành ủy Kon Tum', 'Kon Tum')]
    """
    g = gazetteer()
    scanned = text
    decomposed: _Decomposed | None = None
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        decomposed = _Decomposed(text)
        scanned = decomposed.nfc

    low = scanned.lower()
    if len(low) != len(scanned):                  # a rare letter whose lower case is longer
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in scanned)
    found: list[tuple[int, int, list[Unit]]] = []
    last_end = 0
    for cand in _TRIGGER_START.finditer(low):
        start = cand.start()
        if start < last_end or (start and (low[start - 1].isalnum() or low[start - 1] == "_")):
            continue
        m = _TRIGGER.match(low, start)
        if m is None:
            continue
        pos = m.end()
        if pos >= len(scanned) or not (m.group("gap") or low[pos - 1] == "."):
            continue
        first = scanned[pos]
        if not (first.isupper() or first.isdigit()):
            continue
        kind = next(k for k in _KINDS if m.group(k))
        match = _match_name(scanned, pos, kind, g.scan)
        if match is None:
            continue
        end, units = match
        found.append((start, end, units))
        last_end = end

    hits: list[PlaceHit] = []
    for i, (start, end, units) in enumerate(found):
        units = _disambiguate(units, i, found) if len(units) > 1 else units
        a, b = decomposed.span(start, end) if decomposed else (start, end)
        hits.append(PlaceHit(units[0], a, b, text[a:b], tuple(units[1:])))
    return hits


def _disambiguate(units: list[Unit], i: int, found: list[tuple[int, int, list[Unit]]]) -> list[Unit]:
    """Keep the candidates in the province of the nearest unambiguous hit, if any are there."""
    here = found[i][0]
    best: tuple[int, list[Unit]] | None = None
    for j, (start, _, other) in enumerate(found):
        if j == i or len(other) != 1:
            continue
        o = other[0]
        prov = o.name if o.level == "province" else o.province
        inside = [u for u in units if u.province == prov]
        if inside and (best is None or abs(start - here) < best[0]):
            best = (abs(start - here), inside)
    return best[1] if best else units
