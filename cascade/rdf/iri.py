"""IRIs: documents, bodies, people, agencies, tasks and places under one base.

IRIs are derived from the identity keys of :mod:`cascade.identity.documents` under a base
(:data:`DEFAULT_BASE` unless ``--base``/``base=`` or ``$CASCADE_BASE`` says otherwise), so
the same corpus always yields the same IRIs. Documents follow ELI's path style::

    {base}eli/vn/tw/93-KL/TW                        central: 93-KL/TW
    {base}eli/vn/tinh/dak-lak/07-KH/TU              provincial: 07-KH/TU@Đắk Lắk
    {base}eli/vn/huyen/gia-lai/phu-thien/12-KH/HU   district: 12-KH/HU@Gia Lai/Phú Thiện
    {base}eli/vn/tinh/dak-lak/07-KH/TU~2020         one number, two years: 07-KH/TU@Đắk Lắk#2020
    {base}eli/vn/nqtw/X/7                           Nghị quyết Trung ương 7 (khóa X): NQTW7@X
    {base}eli/vn/file/data/seeds/000.txt            an unnumbered input file: file:data/seeds/000.txt

Places are slugs of their gazetteer names; numbers stay as printed, percent-encoded
(``QĐ`` -> ``Q%C4%90``). Bodies, people and agencies get ``{base}org/``, ``{base}person/``
and ``{base}agency/`` plus a readable slug and six hex digits of a hash of the exact key,
so two names that differ only by a diacritic never share an IRI.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import urllib.parse
from functools import lru_cache
from typing import Any

from cascade.errors import ExportError
from cascade.rdf.namespace import ADMINUNIT
from cascade.text.normalize import ascii_fold
from cascade.vn import places

#: the base IRI of minted IRIs unless told otherwise: a placeholder to replace before publishing
DEFAULT_BASE = "https://example.org/cascade/"


_SLUG_DROP = re.compile(r"[^a-z0-9]+")


_YEAR_SPLIT = re.compile(r"^(?P<key>.+)#(?P<year>\d{4})$")


_PLENUM = re.compile(r"^NQTW(?P<plenum>\d+)@(?P<term>.+)$")


@lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """An ASCII slug: no diacritics, lower case, words joined by hyphens.

    >>> slug("Đắk Lắk"), slug("Kỳ Anh (Thị xã)"), slug("?")
    ('dak-lak', 'ky-anh-thi-xa', 'x')
    """
    return _SLUG_DROP.sub("-", ascii_fold(text)).strip("-") or "x"


@lru_cache(maxsize=1 << 14)
def _tag(text: str, n: int = 6) -> str:
    """The first ``n`` hex digits of the SHA-1 of ``text``: tells apart keys whose slugs agree."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


@lru_cache(maxsize=1 << 16)
def _segment(text: str) -> str:
    """One path segment, percent-encoded; ``~`` (the year marker) and dot segments escaped too."""
    out = urllib.parse.quote(text, safe="-._").replace("~", "%7E")
    return out.replace(".", "%2E") if out in (".", "..") else out


def _path(text: str) -> str:
    """A slash-separated text (a number, a file path), each segment percent-encoded."""
    if "/" not in text:
        return _segment(text)
    if text.startswith("/"):                         # an absolute path: its leading slash as a segment
        return "%2F/" + "/".join(_segment(p) for p in text[1:].split("/"))
    return "/".join(_segment(p) for p in text.split("/"))


@lru_cache(maxsize=4096)
def _province_slug(name: str) -> str:
    """The slug of a gazetteer province; a name the gazetteer does not spell so gets a hashed slug."""
    u = places.find_province(name, "pre2025") or places.find_province(name, "2025")
    if u is not None and u.name == name:
        return slug(name)
    return f"x-{slug(name)}-{_tag(name)}"


@lru_cache(maxsize=16384)
def _district_slug(province: str, name: str) -> str:
    if any(u.name == name for u in places.find_district(name, province)):
        return slug(name)
    return f"x-{slug(name)}-{_tag(province + '/' + name)}"


class Minter:
    """IRIs from identity keys and node ids, under one base.

    >>> m = Minter("https://example.org/cascade/")
    >>> m.doc("07-KH/TU@Đắk Lắk")
    'https://example.org/cascade/eli/vn/tinh/dak-lak/07-KH/TU'
    >>> m.doc("569/QĐ-TTg")
    'https://example.org/cascade/eli/vn/tw/569/Q%C4%90-TTg'
    """

    def __init__(self, base: str | None = None):
        self.base = check_base(base or DEFAULT_BASE)

    def doc(self, key: str) -> str:
        """The IRI of a document from its identity key (see the module docstring)."""
        b = self.base
        if key.startswith("file:"):
            return f"{b}eli/vn/file/{_path(key[5:])}"
        m = _PLENUM.match(key)
        if m:
            return f"{b}eli/vn/nqtw/{_segment(m['term'])}/{m['plenum']}"
        suffix = ""
        m = _YEAR_SPLIT.match(key)
        if m:
            key, suffix = m["key"], "~" + m["year"]
        if "@" in key:
            number, place = key.split("@", 1)
            province, _, district = place.partition("/")
            if district:
                scope = f"huyen/{_province_slug(province)}/{_district_slug(province, district)}"
            else:
                scope = f"tinh/{_province_slug(province)}"
            return f"{b}eli/vn/{scope}/{_path(number)}{suffix}"
        if key[:1].isdigit():
            return f"{b}eli/vn/tw/{_path(key)}{suffix}"
        return f"{b}eli/vn/ten/{slug(key)}-{_tag(key)}{suffix}"

    def org(self, name: str) -> str:
        return f"{self.base}org/{slug(name)}-{_tag(name)}"

    def person(self, node: str) -> str:
        name = node[len("person:"):].split("@", 1)[0]
        return f"{self.base}person/{slug(name)}-{_tag(node)}"

    def agency(self, node: str) -> str:
        key = node[len("agency:"):]
        name, _, scope = key.partition("@")
        return f"{self.base}agency/{slug(scope)}/{slug(name)}-{_tag(key)}"

    def place(self, name: str) -> str:
        """A jurisdiction the gazetteer does not know (``cas:UnlistedAdminUnits``)."""
        return f"{self.base}place/{slug(name)}-{_tag(name)}"

    def graph(self, source: str) -> str:
        """The named graph of one input file."""
        return f"{self.base}graph/{_path(source)}"

    def run(self, built: str) -> str:
        return f"{self.base}run/{_segment(built)}"


def check_base(base: str) -> str:
    """``base`` if it is a usable base IRI (absolute, ending in ``/`` or ``#``); ExportError otherwise."""
    parts = urllib.parse.urlsplit(base)
    if not parts.scheme or not (parts.netloc or parts.scheme in ("urn", "tag")) or base[-1] not in "/#:" \
            or re.search(r"[\s<>\"{}|\\^`]", base):
        raise ExportError(f"base IRI {base!r} must be absolute and end with '/' (e.g. {DEFAULT_BASE})")
    return base


def doc_iri(key: str, base: str | None = None) -> str:
    """The IRI of the document with identity key ``key``.

    >>> doc_iri("12-KH/HU@Gia Lai/Phú Thiện")
    'https://example.org/cascade/eli/vn/huyen/gia-lai/phu-thien/12-KH/HU'
    """
    return Minter(base).doc(key)


#: validity of the two gazetteer eras (as in resources/gazetteer.csv: valid_from / valid_to)
_LAST_PRE2025 = (dt.date.fromisoformat(places.REFORM_DATE) - dt.timedelta(days=1)).isoformat()
ERA_VALIDITY = {"pre2025": (None, _LAST_PRE2025), "2025": (places.REFORM_DATE, None)}


#: the day the 2025 map of provinces took effect
_REFORM = places.REFORM_DATE


#: the first word of the local names of units, by era
_ERA_NAMES = {"pre2025": "pre2025", "2025": "from2025"}


def unit_iri(unit: Any) -> str:
    """The concept IRI of a gazetteer unit: ``pre2025-66``, ``pre2025-66-643``, ``from2025-66``.

    A former district whose code now names another unit has none (Quận 2 of Hồ Chí Minh, whose
    769 is Thủ Đức's): its name's slug stands in, ``pre2025-79-quan-2``.
    """
    era = _ERA_NAMES[unit.era]
    if unit.level == "district":
        return f"{ADMINUNIT}{era}-{unit.province_code}-{unit.code or slug(unit.name)}"
    return f"{ADMINUNIT}{era}-{unit.code}"


def _unit_for(province: str | None, district: str | None, date: str | None) -> Any:
    """The gazetteer unit of a jurisdiction: the 2025 province for documents dated after the reform."""
    if not province:
        return None
    return _unit_lookup(province, district, bool(date and date >= _REFORM and not district))


@lru_cache(maxsize=65536)
def _unit_lookup(province: str, district: str | None, after_reform: bool) -> Any:
    if district:
        units = places.find_district(district, province)
        exact = [u for u in units if u.name == district]
        found = exact or units
        return found[0] if found else None
    if after_reform:
        u = places.find_province(province, "2025")
        if u is not None:
            return u
    return places.find_province(province, "pre2025") or places.find_province(province, "2025")
