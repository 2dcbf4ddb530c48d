"""Document numbers and symbols (số và ký hiệu): find, parse, canonical form, who issued.

State numbers put the number first and the type after a slash (``2629/KH-UBND``,
``28/2016/QĐ-UBND``, Công văn ``327/BNV-TCPCP``); Party numbers are
``number-TYPE/ISSUER`` (``07-KH/TU``). Codes are matched case-insensitively and written
in their canonical case (``CTr``, ``TTg``, ``QĐ``).

>>> n = parse_number("07 - KH/TU")
>>> n.text, n.family, n.type, n.issuer_code, n.local
('07-KH/TU', 'party', 'Kế hoạch', 'TU', True)
>>> n = parse_number("28/2016/QĐ-UBND")
>>> n.text, n.family, n.type, n.year, n.local
('28/2016/QĐ-UBND', 'state', 'Quyết định', 2016, True)
>>> parse_number("327/BNV-TCPCP").type
'Công văn'
>>> parse_number("2667/QĐ-BKH-CN").text      # a split ministry code is joined
'2667/QĐ-BKHCN'
>>> parse_number("2021-2025") is None           # a period, not a document
True

Conversions damage numbers; what can be repaired without guessing is repaired, and
``DocNumber.repair`` says what was done (the caller warns):

>>> n = parse_number("30c/NQCP")                 # the hyphen lost in PDF text
>>> n.text, n.repair
('30c/NQ-CP', 'hyphen restored')
>>> parse_number("19/CT-TW").text               # a Party number printed in state order
'19-CT/TW'
>>> parse_number("05-TT/TU").type               # a Party Thông tri, not a state Thông tư
'Thông tri'
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from cascade import vocab
from cascade.text.normalize import nfc

_UP = "A-ZĐÐĂÂÊÔƠƯ"
#: one group of a symbol: QĐ, QĐi, CTr, UBND, QH13, KH&CN; a dotted unit suffix as in PGD.Q8
SEG = rf"[{_UP}][{_UP}0-9a-zđ&]*(?:\.[{_UP}]{{1,3}}\d{{1,2}})?"
_NUM = r"\d{1,5}(?:\.\d{1,3})?[a-z]?"
#: a Party number: 07-KH/TU, 01 - NQ/ĐUK, 858CV/ĐUK, 01-HD/BTCTU-UBKTTU
PARTY = rf"(?P<pnum>{_NUM})\s?-?\s?(?P<ptype>{SEG})\s?/\s?(?P<pissuer>{SEG}(?:\s?-\s?{SEG})*)"
#: a state number: 2629/KH-UBND, 28/2016/QĐ-UBND, 327/BNV-TCPCP, 80/2015/QH13
STATE = rf"(?P<snum>{_NUM})\s?/\s?(?:(?P<syear>(?:19|20)\d\d)\s?/\s?)?(?P<ssym>{SEG}(?:\s?-\s?{SEG})*)"
#: a blank number in a draft: "Số:      /KH-UBND"
BLANK = rf"(?P<bsym>/\s?{SEG}(?:-{SEG})*)"
# a number ends before a space or punctuation, or runs into the next word ("70-TB/TWngày": the glued
# lower-case word is cut off again by _from_match)
NUMBER = rf"(?<![\w/.-])(?:{PARTY}|{STATE})(?![\d/_])"
NUMBER_RE = re.compile(NUMBER)
_GROUP_NAMES = tuple(sorted(NUMBER_RE.groupindex, key=NUMBER_RE.groupindex.__getitem__))
# where a number may start: a digit that does not continue a word, a number or a date (NUMBER's look-behind)
_NUMBER_START = re.compile(r"\d(?<![\w/.-]\d)")
# what follows a slash inside a number: a code ("/KH-UBND", "/ TU") or a year and a slash ("/2016/QĐ-UBND");
# the other slashes (dates "23/12/2020", "V/v") are not looked at
_AFTER_SLASH = re.compile(rf"\s?(?:[{_UP}]|(?:19|20)\d\d\s?/)")


@dataclass(frozen=True, slots=True)
class Issuer:
    code: str
    family: str      # party | state
    level: str       # central | province | district | commune | local
    name: str


@dataclass(frozen=True, slots=True)
class DocNumber:
    """A parsed number/symbol. ``text`` is the canonical printed form."""

    text: str
    number: str
    family: str                 # "party" | "state"
    type_code: str | None       # KH, QĐ, ... (None for a state Công văn)
    type: str | None            # the Vietnamese type name the code stands for
    issuer_code: str            # TU, UBND, TTg, BNV...
    year: int | None
    level: str                  # central | province | district | commune | local (UBND/HĐND: from context)
    repair: str | None = None   # what was repaired in a damaged printed form ("hyphen restored", ...)
    trimmed: int = 0            # characters of a glued next word the match took and the number gave back

    @property
    def local(self) -> bool:
        """True when the same number repeats in every province or district."""
        return self.level != "central"


@cache
def _table(name: str) -> list[dict[str, str]]:
    with resources.files("cascade").joinpath("resources", name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def doc_types() -> dict[str, tuple[str, str]]:
    """Upper-cased type code -> (canonical code, type name); the state's reading where the branches differ."""
    out: dict[str, tuple[str, str]] = {}
    for (_, code), t in sorted(vocab.doc_types().items(), key=lambda kv: kv[0][0] == "party"):
        out.setdefault(code.upper(), (t.code or code, t.name))
    return out


@cache
def _types_by_branch() -> dict[tuple[str, str], tuple[str, str]]:
    """(branch, upper-cased code) -> (canonical code, type name), from the vocabulary: ``TT`` is a Thông tư
    of the state and a Thông tri of the Party."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for (branch, code), t in vocab.doc_types().items():
        for b in ((branch,) if branch else ("party", "state")):
            out.setdefault((b, code.upper()), (t.code or code, t.name))
    return out


@cache
def type_slugs() -> dict[str, str]:
    """Type name -> ASCII slug (kế hoạch -> ke-hoach)."""
    return {t.name: t.slug for t in vocab.doc_types().values()}


def doc_type(code: str, branch: str) -> tuple[str, str] | None:
    """(canonical code, type name) of a type code in a branch's numbers ("party" or "state").

    >>> doc_type("TT", "party"), doc_type("TT", "state")
    (('TT', 'Thông tri'), ('TT', 'Thông tư'))
    """
    up = code.upper()
    return _types_by_branch().get((branch, up)) or doc_types().get(up)


@cache
def issuers() -> dict[str, Issuer]:
    """Upper-cased issuer code -> :class:`Issuer`."""
    return {row["code"].upper(): Issuer(row["code"], row["family"], row["level"], row["name"])
            for row in _table("issuers.csv")}


_TERM_CODE = re.compile(r"^(QH|UBTVQH)(\d{2})$")
_CANON_CASE = {"TTG": "TTg", "CTR": "CTr", "QYĐ": "QyĐ", "QĐI": "QĐi", "SNGV": "SNgV", "TTR": "TTr"}
#: OCR and font-conversion misreadings of issuer codes, read back ("TƯ" for "TU")
_MISREAD = {"TƯ": "TU", "HƯ": "HU", "QƯ": "QU"}


def _canon_code(code: str) -> str:
    up = code.upper().replace("Ð", "Đ")
    up = _MISREAD.get(up, up)
    if up in _CANON_CASE:
        return _CANON_CASE[up]
    if up in issuers():
        return issuers()[up].code
    return up


def _issuer(code: str) -> Issuer | None:
    up = code.upper()
    if up in issuers():
        return issuers()[up]
    m = _TERM_CODE.match(up)
    if m:
        return issuers()[m.group(1)]
    return None


def _join_split_codes(parts: list[str]) -> list[str]:
    """``BKH-CN`` -> ``BKHCN`` when the joined form is a known issuer and the second part is not.

    (The first part alone may be a known code too: ``BKH`` is an older short form.)"""
    out: list[str] = []
    i = 0
    while i < len(parts):
        if (i + 1 < len(parts) and _issuer(parts[i + 1]) is None
                and _issuer(parts[i] + parts[i + 1]) is not None):
            out.append(parts[i] + parts[i + 1])
            i += 2
        else:
            out.append(parts[i])
            i += 1
    return out


def _level(issuer: Issuer | None, code: str, family: str) -> str:
    if issuer is not None:
        return issuer.level
    up = code.upper()
    if up.endswith("TW"):
        return "central"
    if up.endswith("TU"):
        return "province"
    if up.endswith("HU"):
        return "district"
    if family == "state" and up.startswith("B") and len(up) <= 8:
        return "central"                      # a ministry we do not list
    if family == "state" and up.startswith("S"):
        return "province"
    return "local"


def _from_match(m: re.Match[str]) -> DocNumber | None:
    """The number a match of :data:`NUMBER_RE` stands for; None when the match runs into a capitalised
    word (a glued lower-case word is given back: see :func:`_glued_tail`)."""
    nxt = m.string[m.end():m.end() + 1]
    if nxt.isalpha() and not nxt.islower():
        return None
    return _from_groups(m.groups(), nxt.isalpha())


def _known_code(code: str) -> bool:
    up = code.upper().replace("Ð", "Đ")
    return up in _CANON_CASE or up in doc_types() or _issuer(up) is not None


def _glued_tail(segment: str) -> int:
    """How many trailing lower-case letters of the last code group belong to the next word.

    "TWng" (from "TWngày") gives 2; "TTg" keeps its "g" because TTg is a code; "UBND" gives 0.
    """
    stem = segment.rstrip("abcdefghijklmnopqrstuvwxyzđ")
    tail = segment[len(stem):]
    if not tail or not stem:
        return 0
    for k in range(len(tail), -1, -1):           # the longest reading that is a known code wins
        if _known_code(stem + tail[:k]):
            return len(tail) - k
    return len(tail)


def _split_glued_type(code: str, branch: str) -> tuple[str, str] | None:
    """("NQ", "CP") for "NQCP": a type code and an issuer code whose hyphen was lost, when exactly one
    split gives a known type and a known issuer."""
    splits = [(code[:i], code[i:]) for i in range(1, len(code))
              if doc_type(code[:i], branch) is not None and _issuer(_canon_code(code[i:])) is not None]
    return splits[0] if len(splits) == 1 else None


@lru_cache(maxsize=16384)
def _from_groups(groups: tuple[str | None, ...], glued: bool = False) -> DocNumber | None:
    """The number a match of :data:`NUMBER_RE` stands for, from its groups (numbers repeat: cached).

    ``glued``: the match runs straight into a lower-case word, whose first letters the last code group
    may have taken.
    """
    g = dict(zip(_GROUP_NAMES, groups, strict=True))
    if g["pnum"]:
        return _party(g["pnum"], g["ptype"] or "", g["pissuer"] or "", glued)
    return _state(g["snum"] or "", g["syear"], g["ssym"] or "", glued)


def _parts(symbol: str, glued: bool) -> tuple[list[str], int]:
    """The code groups of a symbol, canonical, and the characters of a glued next word to give back."""
    raw = [p.strip() for p in symbol.split("-")]
    trimmed = _glued_tail(raw[-1]) if glued else 0
    if trimmed:
        raw[-1] = raw[-1][:-trimmed]
    return [_canon_code(p) for p in _join_split_codes(raw)], trimmed


def _party(pnum: str, ptype: str, pissuer: str, glued: bool) -> DocNumber | None:
    type_code = _canon_code(ptype)
    known = doc_type(type_code, "party")
    if known is None:
        return None
    type_code = known[0] if known[0].upper() == type_code.upper() else type_code
    parts, trimmed = _parts(pissuer, glued)
    if not parts[0]:
        return None
    issuer = _issuer(parts[0])
    if issuer is not None and issuer.family == "state" and parts[0] not in ("TW",):
        return None                       # "12-KH/UBND" is not a Party number
    misread = any(p.upper() in _MISREAD for p in pissuer.split("-"))
    text = f"{pnum}-{type_code}/{'-'.join(parts)}"
    return DocNumber(text, pnum, "party", type_code, known[1], parts[0], None,
                     _level(issuer, parts[0], "party"), "misread issuer code read back" if misread else None,
                     trimmed)


def _state(snum: str, syear: str | None, ssym: str, glued: bool) -> DocNumber | None:
    parts, trimmed = _parts(ssym, glued)
    if not parts[-1]:
        return None
    year = int(syear) if syear else None
    repair = None
    first = parts[0]
    if len(parts) == 1 and doc_type(first, "state") is None and _issuer(first) is None:
        split = _split_glued_type(first, "state")
        if split is not None:                                  # 30c/NQCP, 5556/QĐBYT
            parts = [_canon_code(split[0]), _canon_code(split[1])]
            first, repair = parts[0], "hyphen restored"
    if len(parts) >= 2 and doc_type(first, "state") is not None:
        issuer = _issuer(parts[1])
        if issuer is not None and issuer.family == "party" and year is None:
            # a Party number printed in state order ("19/CT-TW"): the Party form, number-TYPE/ISSUER
            known = doc_type(first, "party")
            if known is None:
                return None
            text = f"{snum}-{known[0]}/{'-'.join(parts[1:])}"
            return DocNumber(text, snum, "party", known[0], known[1], parts[1], None,
                             _level(issuer, parts[1], "party"), "Party order restored", trimmed)
        if issuer is not None and issuer.family == "party":
            return None
        qh = parts[1].startswith("QH") and _TERM_CODE.match(parts[1].upper())
        if first.upper() == "NQ" and year and qh:
            parts, repair = parts[1:], "NQ dropped from a National Assembly resolution"  # 26/2008/NQ-QH12
            first = parts[0]
    if first.upper() in doc_types() and len(parts) >= 2:
        type_code, issuer_code = first, parts[1]
        type_name = doc_type(first, "state")[1]                # type: ignore[index]
    elif _TERM_CODE.match(first.upper()) and year:            # Luật số 80/2015/QH13
        type_code, issuer_code, type_name = None, first, "Luật"
    else:                                                      # Công văn: 327/BNV-TCPCP, 12942/SXD
        if _issuer(first) is None and not re.fullmatch(r"[BS][A-ZĐ]{1,7}", first):
            return None
        type_code, issuer_code, type_name = None, first, "Công văn"
    issuer = _issuer(issuer_code)
    if issuer is not None and issuer.family == "party":
        return None
    if issuer is None and type_code is None and not re.fullmatch(r"[BS][A-ZĐ]{1,7}", issuer_code):
        return None
    if issuer is None and type_code is not None and not re.fullmatch(
            rf"[{_UP}][{_UP}0-9a-zđ&]{{1,12}}(?:\.[{_UP}]{{1,3}}\d{{1,2}})?", issuer_code):
        return None
    year_part = f"{year}/" if year else ""
    text = f"{snum}/{year_part}{'-'.join(parts)}"
    return DocNumber(text, snum, "state", type_code, type_name, issuer_code, year,
                     _level(issuer, issuer_code, "state"), repair, trimmed)


def parse_number(text: str) -> DocNumber | None:
    """Parse a number/symbol written alone (spaces and dash variants tolerated)."""
    m = NUMBER_RE.fullmatch(nfc(text).strip().strip(".,;"))
    return _from_match(m) if m else None


def find_numbers(text: str) -> list[tuple[DocNumber, int, int]]:
    """Every number/symbol in ``text`` with its span.

    >>> [(n.text, a, b) for n, a, b in find_numbers("theo Kế hoạch số 07-KH/TU và 569/QĐ-TTg.")]
    [('07-KH/TU', 17, 25), ('569/QĐ-TTg', 29, 39)]
    """
    out: list[tuple[DocNumber, int, int]] = []
    end = -1
    slash = text.find("/")
    while slash >= 0:
        # every number has a slash, followed by a code or a year: look for one in a small window around
        # each such slash (much faster than a full scan). The first match in the window starts at a place
        # where a number may start, so trying those places in turn finds what searching the window would find.
        if slash >= end and _AFTER_SLASH.match(text, slash + 1):
            window_end = min(len(text), slash + 48)
            m = None
            start = _NUMBER_START.search(text, max(end, 0, slash - 24), slash + 1)
            while start is not None:
                m = NUMBER_RE.match(text, start.start(), window_end)
                if m is not None:
                    break
                start = _NUMBER_START.search(text, start.end(), slash + 1)
            if m is not None and slash < m.end():
                n = _from_match(m)
                if n is not None:
                    out.append((n, m.start(), m.end() - n.trimmed))
                end = m.end() - (n.trimmed if n is not None else 0)
        slash = text.find("/", slash + 1)
    return out


# a number a type word in front vouches for ("Công văn số 3444/LĐTBXH-VPQ"), although its codes are in no
# table, printed with extra slashes ("06/HĐND/BCTT-PC", "01/2003/TTLT/BKH-BTC"), or with its slash lost
# ("Tờ trình số 353TT-KHĐT")
_VOUCHED = re.compile(
    rf"(?P<num>{_NUM}) ?/ ?(?:(?P<year>(?:19|20)\d\d) ?/ ?)?(?P<sym>{SEG}(?:[-/]{SEG}){{0,3}})(?![\d/_])"
    rf"|(?P<gnum>\d{{1,5}})(?P<gtype>[{_UP}][{_UP}a-z]{{0,3}})-(?P<gsym>{SEG}(?:-{SEG}){{0,3}})(?![\d/_])")


def parse_vouched(text: str, pos: int) -> tuple[DocNumber, int] | None:
    """The number at ``pos`` when a type word right before it ("Công văn số") vouches that one is there.

    Returns (number, end) or None. Codes no table holds are kept as printed; a lost slash is restored
    ("353TT-KHĐT" -> "353/TT-KHĐT", with ``repair`` saying so).

    >>> n, end = parse_vouched("Công văn số 3444/LĐTBXH-VPQ ngày", 12)
    >>> n.text, n.type, end
    ('3444/LĐTBXH-VPQ', 'Công văn', 27)
    >>> parse_vouched("Tờ trình số 353TT-KHĐT ngày", 12)[0].text
    '353/TT-KHĐT'
    """
    m = NUMBER_RE.match(text, pos)
    if m is not None:
        n = _from_match(m)
        if n is not None:
            return n, m.end() - n.trimmed
    m = _VOUCHED.match(text, pos)
    if m is None or (m.end() < len(text) and text[m.end()].isalpha() and not text[m.end()].islower()):
        return None
    if m.group("gnum"):
        known = doc_type(m.group("gtype"), "state")
        if known is None:
            return None
        parts, trimmed = _parts(m.group("gsym"), text[m.end():m.end() + 1].isalpha())
        text_ = f"{m.group('gnum')}/{known[0]}-{'-'.join(parts)}"
        return (DocNumber(text_, m.group("gnum"), "state", known[0], known[1], parts[0], None, "local",
                          "slash restored", trimmed), m.end() - trimmed)
    sym = m.group("sym").replace(" ", "")
    pieces = re.split(r"[-/]", sym)
    known = doc_type(pieces[0], "state") if len(pieces) > 1 else None
    issuer_code = pieces[1] if known else pieces[0]
    year = m.group("year")
    printed = f"{m.group('num')}/{year + '/' if year else ''}{sym}"
    issuer = _issuer(issuer_code)
    return (DocNumber(printed, m.group("num"), "state", known[0] if known else None,
                      known[1] if known else "Công văn", issuer_code, int(year) if year else None,
                      _level(issuer, issuer_code, "state")), m.end())


def complete_symbol(number: DocNumber, issuer_name: str | None) -> DocNumber | None:
    """A number printed without its issuer code ("117/2008/QĐ"), completed from the issuer the citation
    names when that name is exactly a central body's ("của Thủ tướng Chính phủ" -> 117/2008/QĐ-TTg)."""
    if not issuer_name or number.family != "state" or number.type != "Công văn":
        return None
    known = doc_type(number.issuer_code, "state")
    code = _central_codes().get(nfc(issuer_name).strip(" .,").casefold())
    if known is None or code is None:
        return None
    year = f"{number.year}/" if number.year else ""
    return DocNumber(f"{number.number}/{year}{known[0]}-{code}", number.number, "state", known[0], known[1],
                     code, number.year, "central", f"issuer code {code} completed from '{issuer_name}'")


@cache
def _central_codes() -> dict[str, str]:
    """Full name (case-folded) -> code of each central state issuer."""
    return {i.name.casefold(): i.code for i in issuers().values()
            if i.level == "central" and i.family == "state"}


def with_type_code(number: DocNumber, type_code: str) -> str:
    """The same number with another type code: used to correct ``93-NQ/TW`` to ``93-KL/TW``."""
    if number.family == "party":
        return re.sub(r"^([^-]+)-[^/]+/", rf"\g<1>-{type_code}/", number.text)
    return number.text.replace(f"/{number.type_code}-", f"/{type_code}-", 1)


@cache
def code_of_type(type_name: str | None) -> frozenset[str]:
    """The codes a type name may be written with (Quy định: QĐ, QĐi, QyĐ)."""
    codes = {abbr for abbr, (_, name) in doc_types().items() if name == type_name}
    if type_name == "Quy định":
        codes.add("QĐ")
    return frozenset(c.upper() for c in codes)


def blank_symbol(text: str) -> str | None:
    """The symbol of a blank draft number ("Số: /KH-UBND" -> "KH-UBND")."""
    m = re.search(BLANK, text)
    return m.group("bsym").lstrip("/ ") if m else None
