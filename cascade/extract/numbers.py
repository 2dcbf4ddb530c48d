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
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from cascade.text.normalize import nfc

_UP = "A-ZĐÐĂÂÊÔƠƯ"
SEG = rf"[{_UP}][{_UP}0-9a-zđ&]*"
_NUM = r"\d{1,5}(?:\.\d{1,3})?[a-z]?"
#: a Party number: 07-KH/TU, 01 - NQ/ĐUK, 858CV/ĐUK, 01-HD/BTCTU-UBKTTU
PARTY = rf"(?P<pnum>{_NUM})\s?-?\s?(?P<ptype>{SEG})\s?/\s?(?P<pissuer>{SEG}(?:\s?-\s?{SEG})*)"
#: a state number: 2629/KH-UBND, 28/2016/QĐ-UBND, 327/BNV-TCPCP, 80/2015/QH13
STATE = rf"(?P<snum>{_NUM})\s?/\s?(?:(?P<syear>(?:19|20)\d\d)\s?/\s?)?(?P<ssym>{SEG}(?:\s?-\s?{SEG})*)"
#: a blank number in a draft: "Số:      /KH-UBND"
BLANK = rf"(?P<bsym>/\s?{SEG}(?:-{SEG})*)"
NUMBER = rf"(?<![\w/.-])(?:{PARTY}|{STATE})(?![\w/])"
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
    """Upper-cased type code -> (canonical code, type name)."""
    out: dict[str, tuple[str, str]] = {}
    for row in _table("doctypes.csv"):
        out.setdefault(row["abbr"].upper(), (row["abbr"], row["type"]))
    return out


@cache
def type_slugs() -> dict[str, str]:
    """Type name -> ASCII slug (kế hoạch -> ke-hoach)."""
    return {row["type"]: row["slug"] for row in _table("doctypes.csv")}


@cache
def issuers() -> dict[str, Issuer]:
    """Upper-cased issuer code -> :class:`Issuer`."""
    return {row["code"].upper(): Issuer(row["code"], row["family"], row["level"], row["name"])
            for row in _table("issuers.csv")}


_TERM_CODE = re.compile(r"^(QH|UBTVQH)(\d{2})$")
_CANON_CASE = {"TTG": "TTg", "CTR": "CTr", "QYĐ": "QyĐ", "QĐI": "QĐi", "SNGV": "SNgV"}


def _canon_code(code: str) -> str:
    up = code.upper().replace("Ð", "Đ")
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
    return _from_groups(m.groups())


@lru_cache(maxsize=16384)
def _from_groups(groups: tuple[str | None, ...]) -> DocNumber | None:
    """The number a match of :data:`NUMBER_RE` stands for, from its groups (numbers repeat: cached)."""
    g = dict(zip(_GROUP_NAMES, groups))
    pnum, ptype, pissuer = g["pnum"], g["ptype"], g["pissuer"]
    type_code: str | None
    if pnum:
        assert ptype is not None and pissuer is not None      # the Party alternative matched
        type_code = _canon_code(ptype)
        if type_code.upper() not in doc_types():
            return None
        parts = _join_split_codes([p.strip() for p in pissuer.split("-")])
        parts = [_canon_code(p) for p in parts]
        issuer = _issuer(parts[0])
        if issuer is not None and issuer.family == "state" and parts[0] not in ("TW",):
            return None                       # "12-KH/UBND" is not a Party number
        text = f"{pnum}-{type_code}/{'-'.join(parts)}"
        return DocNumber(text, pnum, "party", type_code, doc_types()[type_code.upper()][1], parts[0], None,
                         _level(issuer, parts[0], "party"))
    snum, syear, ssym = g["snum"], g["syear"], g["ssym"]
    assert snum is not None and ssym is not None             # the state alternative matched
    parts = _join_split_codes([p.strip() for p in ssym.split("-")])
    parts = [_canon_code(p) for p in parts]
    year = int(syear) if syear else None
    first = parts[0]
    if first.upper() in doc_types() and len(parts) >= 2:
        type_code, issuer_code = first, parts[1]
        type_name = doc_types()[first.upper()][1]
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
    if issuer is None and type_code is not None and not re.fullmatch(rf"[{_UP}][{_UP}0-9a-zđ&]{{1,12}}", issuer_code):
        return None
    year_part = f"{year}/" if year else ""
    text = f"{snum}/{year_part}{'-'.join(parts)}"
    return DocNumber(text, snum, "state", type_code, type_name, issuer_code, year,
                     _level(issuer, issuer_code, "state"))


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
                    out.append((n, m.start(), m.end()))
                end = m.end()
        slash = text.find("/", slash + 1)
    return out


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
