"""Gazetteer lookups: provinces and districts before the 2025 reform, provinces after it.

The data is ``resources/gazetteer.csv`` (see ``resources/SOURCES.md``), read once on first
use. Names keep the source spelling and carry no type word ("Đắk Lắk", "Ia H'Drai");
lookups tolerate case, tone-mark placement, a leading type word, apostrophe and dash
variants, missing diacritics and the aliases of the CSV ("Đắc Lắc", "TP. HCM").

>>> find_province("TỈNH ĐẮK LẮK").full_name
'tỉnh Đắk Lắk'
>>> [d.full_name for d in find_district("Châu Thành", "An Giang")]
['huyện Châu Thành']
>>> successor("Kon Tum").name
'Quảng Ngãi'
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files

from cascade.text.normalize import ascii_fold, key

#: "pre2025": 63 provinces and 696 districts until 30 June 2025; "2025": 34 provinces from 1 July 2025
ERAS = ("pre2025", "2025")
#: the last day of the pre-2025 era (districts abolished, 63 provinces merged into 34 on 1 July 2025)
PRE2025_LAST_DAY = "2025-06-30"


@dataclass(frozen=True, slots=True)
class Unit:
    """One administrative unit of one era.

    ``code`` is the GSO code, unique within an era and level only (legacy 52 is Bình Định,
    2025's 52 is Gia Lai). ``province`` is the parent province of a district;
    ``successor`` the 2025 province a pre-2025 province became part of.
    """

    code: str
    name: str
    type: str
    level: str                      # "province" | "district"
    era: str                        # "pre2025" | "2025"
    province: str | None
    aliases: tuple[str, ...] = ()
    successor: str | None = None
    province_code: str | None = None
    lat: float | None = field(default=None, compare=False, repr=False)
    lon: float | None = field(default=None, compare=False, repr=False)
    district: str | None = None     # for a pre-2025 commune, its district's name
    valid_to: str | None = field(default=None, compare=False, repr=False)   # last day in force (ISO)
    former_district: str | None = field(default=None, compare=False, repr=False)  # a commune's district
    # before a merger of 2021-2025 the early-2025 list already shows (Đông Ninh: Đông Sơn, now Thanh Hóa)

    @property
    def former(self) -> bool:
        """True for a district merged before the 2025 snapshot (Cửa Lò, Đông Sơn), named by older texts."""
        return self.valid_to is not None and self.valid_to < PRE2025_LAST_DAY

    @property
    def base_name(self) -> str:
        """The name without the source's disambiguating suffix ("Kỳ Anh (Huyện)" -> "Kỳ Anh")."""
        return _PAREN_TAIL.sub("", self.name)

    @property
    def full_name(self) -> str:
        """Type word and name, as running text writes them.

        >>> find_province("Hà Nội").full_name, find_district("Ia H'Drai")[0].full_name
        ('thành phố Hà Nội', "huyện Ia H'Drai")
        >>> find_district("quận 1")[0].full_name, find_district("thị xã Kỳ Anh")[0].full_name
        ('Quận 1', 'thị xã Kỳ Anh')
        """
        base = self.base_name
        if key(base).startswith(key(self.type) + " "):          # "Quận 1" already says it
            return base
        return f"{self.type} {base}"


@dataclass(frozen=True, slots=True)
class PlaceHit:
    """A place named in a text: ``text`` is ``scanned[start:end]``, type word included.

    ``alternatives`` holds the other units the words could name when nothing in the text
    decided between them (a "huyện Châu Thành" with no province around it).
    """

    unit: Unit
    start: int
    end: int
    text: str
    alternatives: tuple[Unit, ...] = ()


# -- tokens and keys ----------------------------------------------------------------------------

_PAREN_TAIL = re.compile(r"\s*\([^()]*\)\s*$")
_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1 << 14)
def word_forms(token: str) -> tuple[str, str]:
    """(exact, loose) forms of one word: canonical tones and casefolded; also without diacritics."""
    return key(token), ascii_fold(token)


def _keys(text: str) -> tuple[str, str]:
    """Compact (exact, loose) keys of a name: words joined without separators, "(" kept.

    >>> _keys("Ia H’ Drai") == _keys("ia HDrai") == ("iahdrai", "iahdrai")
    True
    >>> _keys("Kỳ Anh (Huyện)")
    ('kỳanh(huyện', 'kyanh(huyen')
    """
    text = unicodedata.normalize("NFC", text)
    exact: list[str] = []
    loose: list[str] = []
    pos = 0
    for m in _WORD.finditer(text):
        if exact and "(" in text[pos:m.start()]:
            exact.append("(")
            loose.append("(")
        e, lo = word_forms(m.group())
        exact.append(e)
        loose.append(lo)
        pos = m.end()
    return "".join(exact), "".join(loose)


def _prefixes(text: str) -> Iterator[tuple[str, str]]:
    """The keys of every leading run of words of ``text`` (used to stop scans early)."""
    text = unicodedata.normalize("NFC", text)
    for m in _WORD.finditer(text):
        yield _keys(text[: m.end()])


# a type word in front of a name given to find_province / find_district; the forms without
# diacritics apply only to names written without them ("tinh Dak Lak", but not "Quan Hóa")
_PROVINCE_WORD = re.compile(r"^\s*(?:tỉnh|thành\s+phố|t\.?\s*p\.?)(?:\s+|(?<=\.))", re.IGNORECASE)
_PROVINCE_WORD_ASCII = re.compile(r"^\s*(?:tinh|thanh\s+pho|t\.?\s*p\.?)(?:\s+|(?<=\.))", re.IGNORECASE)
_DISTRICT_WORD = re.compile(
    r"^\s*(?:(?P<huyen>huyện|h\.)|(?P<quan>quận|q\.)|(?P<thixa>thị\s+xã|t\.?\s*x\.?)"
    r"|(?P<thanhpho>thành\s+phố|t\.?\s*p\.?))(?:\s+|(?<=\.))", re.IGNORECASE)
_DISTRICT_WORD_ASCII = re.compile(
    r"^\s*(?:(?P<huyen>huyen|h\.)|(?P<quan>quan|q\.)|(?P<thixa>thi\s+xa|t\.?\s*x\.?)"
    r"|(?P<thanhpho>thanh\s+pho|t\.?\s*p\.?))(?:\s+|(?<=\.))", re.IGNORECASE)


# -- the loaded gazetteer ---------------------------------------------------------------------------

@dataclass(slots=True)
class _Index:
    """Units by compact key, exact first and without diacritics as a fallback."""

    exact: dict[str, list[Unit]] = field(default_factory=dict)
    loose: dict[str, list[Unit]] = field(default_factory=dict)
    exact_prefixes: set[str] = field(default_factory=set)
    loose_prefixes: set[str] = field(default_factory=set)

    def add(self, unit: Unit, names: Iterable[str]) -> None:
        for name in names:
            e, lo = _keys(name)
            if not e:
                continue
            for table, k in ((self.exact, e), (self.loose, lo)):
                bucket = table.setdefault(k, [])
                if unit not in bucket:
                    bucket.append(unit)
            for pe, pl in _prefixes(name):
                self.exact_prefixes.add(pe)
                self.loose_prefixes.add(pl)

    def get(self, name: str) -> list[Unit]:
        e, lo = _keys(name)
        return list(self.exact.get(e) or self.loose.get(lo) or ())


NO_UNITS: tuple[list[Unit], list[Unit]] = ([], [])


@dataclass(slots=True)
class NameScan:
    """What find_places looks names up in: key -> (pre-2025 provinces, districts), two tiers."""

    exact: dict[str, tuple[list[Unit], ...]]
    loose: dict[str, tuple[list[Unit], ...]]
    exact_prefixes: set[str]
    loose_prefixes: set[str]
    max_words: int

    @classmethod
    def of(cls, provinces: _Index, districts: _Index, max_words: int) -> NameScan:
        def merged(p: dict[str, list[Unit]], d: dict[str, list[Unit]]) -> dict[str, tuple[list[Unit], ...]]:
            return {k: (p.get(k, []), d.get(k, [])) for k in p.keys() | d.keys()}

        return cls(merged(provinces.exact, districts.exact), merged(provinces.loose, districts.loose),
                   provinces.exact_prefixes | districts.exact_prefixes,
                   provinces.loose_prefixes | districts.loose_prefixes, max_words)


@dataclass(slots=True)
class _Gazetteer:
    units: list[Unit]
    provinces: dict[str, list[Unit]]                 # era -> provinces by code
    districts: dict[str, list[Unit]]                 # pre-2025 province code -> districts by code
    province_index: dict[str, _Index]                # era -> index
    district_index: _Index
    scan: NameScan


def _lookup_names(unit: Unit) -> list[str]:
    """Every string that should find ``unit``: name, name without suffix or type word, aliases."""
    names = [unit.name, *unit.aliases]
    out: list[str] = []
    for n in names:
        for v in (n, _PAREN_TAIL.sub("", n), _strip_type(n, unit.level)[0]):
            if v and v not in out:
                out.append(v)
    return out


def _float(x: str) -> float | None:
    return float(x) if x else None


def _read_rows() -> list[dict[str, str]]:
    text = (files("cascade") / "resources" / "gazetteer.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def gazetteer() -> _Gazetteer:
    units = [Unit(code=r["code"], name=r["name"], type=r["type"], level=r["level"], era=r["era"],
                  province=r["province"] or None, aliases=tuple(a for a in r["aliases"].split("|") if a),
                  successor=r["successor"] or None, province_code=r["province_code"] or None,
                  lat=_float(r["lat"]), lon=_float(r["lon"]), valid_to=r["valid_to"] or None)
             for r in _read_rows()]
    provinces: dict[str, list[Unit]] = {era: [] for era in ERAS}
    districts: dict[str, list[Unit]] = {}
    province_index = {era: _Index() for era in ERAS}
    district_index = _Index()
    for u in units:
        if u.level == "province":
            provinces[u.era].append(u)
            province_index[u.era].add(u, _lookup_names(u))
        else:
            districts.setdefault(u.province_code or "", []).append(u)
            district_index.add(u, _lookup_names(u))
    for lst in (*provinces.values(), *districts.values()):
        lst.sort(key=lambda u: u.code)
    max_words = max(len(_WORD.findall(n)) for u in units for n in _lookup_names(u))
    scan = NameScan.of(province_index["pre2025"], district_index, max_words)
    return _Gazetteer(units, provinces, districts, province_index, district_index, scan)


def _strip_type(name: str, level: str) -> tuple[str, str | None]:
    """(name without a leading type word, the type it named or None)."""
    if level == "province":
        m = (_PROVINCE_WORD_ASCII if name.isascii() else _PROVINCE_WORD).match(name)
        return (name[m.end():], None) if m and name[m.end():].strip() else (name, None)
    m = (_DISTRICT_WORD_ASCII if name.isascii() else _DISTRICT_WORD).match(name)
    if not m or not name[m.end():].strip():
        return name, None
    kind = {"huyen": "huyện", "quan": "quận", "thixa": "thị xã", "thanhpho": "thành phố"}[m.lastgroup or ""]
    return name[m.end():], kind


def _check_era(era: str) -> None:
    if era not in ERAS:
        raise ValueError(f"era must be one of {ERAS}, not {era!r}")


# -- public lookups ----------------------------------------------------------------------------------

def provinces(era: str = "pre2025") -> list[Unit]:
    """The provinces of an era, by code: 63 before the 2025 reform, 34 after.

    >>> len(provinces()), len(provinces("2025"))
    (63, 34)
    """
    _check_era(era)
    return list(gazetteer().provinces[era])


@lru_cache(maxsize=4096)
def find_province(name: str, era: str | None = None) -> Unit | None:
    """The province ``name`` names, in any accepted spelling; pre-2025 first when ``era`` is None.

    A leading "tỉnh", "thành phố" or "TP." is ignored.

    >>> find_province("Đắc Lắc").name, find_province("TP. HCM").name, find_province("Thừa Thiên - Huế").name
    ('Đắk Lắk', 'Hồ Chí Minh', 'Huế')
    >>> find_province("Gia Lai", era="2025").code
    '52'
    """
    if era is not None:
        _check_era(era)
    if not name or not name.strip():
        return None
    g = gazetteer()
    stripped, _ = _strip_type(name, "province")
    for e in (era,) if era else ERAS:
        idx = g.province_index[e]
        hits = idx.get(stripped) or idx.get(name)
        if hits:
            return hits[0]
    return None


def districts(province: str) -> list[Unit]:
    """The pre-2025 districts of ``province`` (any accepted spelling), by code; [] if unknown.

    >>> len(districts("Kon Tum")), districts("tỉnh Kon Tum")[0].name
    (10, 'Kon Tum')
    """
    p = find_province(province, "pre2025")
    return [u for u in gazetteer().districts.get(p.code, ()) if not u.former] if p else []


def find_district(name: str, province: str | None = None) -> list[Unit]:
    """The pre-2025 districts named ``name``, by code.

    Names repeat across provinces ("Châu Thành"), so give ``province`` to narrow to one. A
    leading type word ("huyện", "quận", "thị xã", "thành phố", "H.", "TX.", "TP.") picks
    among namesakes of different types; the few provinces with a huyện and a thị xã or
    thành phố of one name (Kỳ Anh, Cai Lậy, Cao Lãnh, Hồng Ngự, Long Mỹ, Duyên Hải) give
    both when no type word decides.

    >>> len(find_district("Châu Thành")) > 1
    True
    >>> [u.name for u in find_district("TX. Buôn Hồ")], [u.type for u in find_district("Kon Tum", "Kon Tum")]
    (['Buôn Hồ'], ['thành phố'])
    """
    return list(_find_district(name, province))


@lru_cache(maxsize=4096)
def _find_district(name: str, province: str | None) -> tuple[Unit, ...]:
    """:func:`find_district`, remembered (the gazetteer does not change once read)."""
    if not name or not name.strip():
        return ()
    g = gazetteer()
    stripped, kind = _strip_type(name, "district")
    units = g.district_index.get(stripped) or (g.district_index.get(name) if stripped != name else [])
    if province is not None:
        p = find_province(province, "pre2025")
        if p is None:
            return ()
        units = [u for u in units if u.province_code == p.code]
    if kind:
        typed = [u for u in units if u.type == kind]
        units = typed or units
    return tuple(sorted(units, key=lambda u: u.code))


def successor(province: str) -> Unit | None:
    """The 2025 province that the pre-2025 ``province`` became part of.

    >>> successor("Bà Rịa-Vũng Tàu").name, successor("Hà Nội").name
    ('Hồ Chí Minh', 'Hà Nội')
    """
    p = find_province(province, "pre2025")
    if p is None or p.successor is None:
        return None
    return find_province(p.successor, "2025")


def predecessors(province: str) -> list[Unit]:
    """The pre-2025 provinces that make up the 2025 ``province``, by code.

    >>> [p.name for p in predecessors("Gia Lai")]
    ['Bình Định', 'Gia Lai']
    """
    p = find_province(province, "2025")
    if p is None:
        return []
    return [u for u in gazetteer().provinces["pre2025"] if u.successor == p.name]


# -- names by date --------------------------------------------------------------------------------

#: provinces renamed within an era, by their gazetteer name: (former name, former type, last day of it).
#: Thừa Thiên Huế became the centrally-run city of Huế on 1 January 2025 (Nghị quyết 175/2024/QH15).
FORMER_NAMES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "Huế": (("Thừa Thiên Huế", "tỉnh", "2024-12-31"),),
}


def province_name_on(name: str, date: str | None) -> tuple[str, str | None]:
    """(name, type) of a province as documents of ``date`` write it; the type is None when unchanged.

    >>> province_name_on("Huế", "2022-05-04"), province_name_on("Huế", "2025-03-01")
    (('Thừa Thiên Huế', 'tỉnh'), ('Huế', None))
    """
    if date:
        for former, kind, last in FORMER_NAMES.get(name, ()):
            if date[:10] <= last:
                return former, kind
    return name, None


# -- communes ------------------------------------------------------------------------------------------

#: the commune-level types and the words a text writes them with
COMMUNE_TYPES = ("xã", "phường", "thị trấn", "đặc khu")


@cache
def _communes() -> dict[str, _Index]:
    """Era -> index of the commune-level units (``resources/gazetteer_communes.csv``), read on first use."""
    text = (files("cascade") / "resources" / "gazetteer_communes.csv").read_text(encoding="utf-8")
    out = {era: _Index() for era in ERAS}
    for r in csv.DictReader(io.StringIO(text)):
        u = Unit(code=r["code"], name=r["name"], type=r["type"], level="commune", era=r["era"],
                 province=r["province"] or None, province_code=r["province_code"] or None,
                 district=r["district"] or None, former_district=r.get("former_district") or None)
        idx = out[r["era"]]
        e, lo = _keys(u.name)                 # names only: no prefix sets, communes are never scanned for
        idx.exact.setdefault(e, []).append(u)
        idx.loose.setdefault(lo, []).append(u)
    return out


def era_of(date: str | None) -> str:
    """The gazetteer era in force on an ISO date: "2025" from 1 July 2025, else "pre2025".

    >>> era_of("2025-07-01"), era_of("2021-02-18"), era_of(None)
    ('2025', 'pre2025', 'pre2025')
    """
    return "2025" if date and date >= "2025-07" else "pre2025"


def find_commune(name: str, province: str | None = None, era: str = "pre2025",
                 unit_type: str | None = None) -> list[Unit]:
    """The communes (xã, phường, thị trấn; đặc khu from 2025) named ``name`` in one era, by code.

    Commune names repeat across the country ("Xuân Phú" is in six provinces): give the
    ``province`` to narrow them, and the type word when the text has one. A pre-2025 commune
    carries its district (as of the source's early-2025 list: a commune whose district was
    merged before then sits under the merged district).

    >>> [(u.district, u.province) for u in find_commune("Dân Lực")]
    [('Triệu Sơn', 'Thanh Hóa')]
    >>> len(find_commune("Xuân Phú")) > 1, [u.district for u in find_commune("xã Xuân Phú", "Đồng Nai")]
    (True, ['Xuân Lộc'])
    """
    _check_era(era)
    if not name or not name.strip():
        return []
    m = _COMMUNE_WORD.match(name)
    if m and name[m.end():].strip():
        unit_type = unit_type or " ".join(m.group(1).lower().split())
        name = name[m.end():]
    units = _communes()[era].get(name)
    if province is not None:
        p = find_province(province, era) or find_province(province)
        units = [u for u in units if p is not None and u.province_code == p.code and
                 (era == p.era or key(u.province) == key(p.name))]
    if unit_type:
        units = [u for u in units if u.type == unit_type] or units
    return sorted(units, key=lambda u: u.code)


def district_on(commune: Unit, date: str | None) -> str | None:
    """The district a pre-2025 commune belonged to on ``date``: the former one before its merger.

    >>> [district_on(u, "2021-03-01") for u in find_commune("Đông Ninh", "Thanh Hóa")]
    ['Đông Sơn']
    >>> [district_on(u, "2025-03-01") for u in find_commune("Đông Ninh", "Thanh Hóa")]
    ['Thanh Hóa']
    """
    if commune.former_district and date:
        former = find_district(commune.former_district, commune.province)
        last = next((u.valid_to for u in former if u.former), None)
        if last is not None and date <= last:
            return commune.former_district
    return commune.district


_COMMUNE_WORD = re.compile(r"^\s*(xã|phường|thị\s+trấn|đặc\s+khu)\s+", re.IGNORECASE)


#: the first day of the "2025" era: the reorganisation into 34 provinces without districts took effect
REFORM_DATE = "2025-07-01"
