"""Who issued a document: the issuing body named in the header lines, central issuers by name and by code.

A local body ("ỦY BAN NHÂN DÂN TỈNH X", "HUYỆN ỦY Y") is read with the unit it governs, placed
in the gazetteer as it was on the document's date; a central body (Chính phủ, a ministry, the
Party's central organs) is read from its name or from its issuer code (NĐ-CP, TT-BTC), from
``resources/issuers.csv``.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache, lru_cache
from importlib import resources

from cascade.extract import layout, numbers
from cascade.text.normalize import fold_letters, key
from cascade.vn import places
from cascade.vn.cues import PARTY_COMMITTEES, UNIT_LEVELS

_COMMITTEE = re.compile(r"^(?:ban thường vụ\s+|ban chấp hành đảng bộ\s+)?(?P<kind>tỉnh|thành|huyện|quận"
                        r"|thị)\s+ủy\s*(?P<place>.*)$")
_PEOPLE = re.compile(r"^(?P<body>ủy ban nhân dân|ubnd|hội đồng nhân dân|hđnd)\s*(?P<unit>tỉnh|thành phố"
                     r"|tp\.?|huyện|quận|"
                     r"thị xã|xã|phường|thị trấn)?\s*(?P<place>.*)$")
_PARTY_BODY = re.compile(r"^(?P<lead>ban chấp hành|ban thường vụ)?\s{0,3}(?P<body>đảng bộ|đảng ủy)\s{1,3}"
                         r"(?P<unit>tỉnh|thành phố|huyện|quận|thị xã|xã|phường"
                         r"|thị trấn)\s{1,3}(?P<place>.*)$")
UNIT_LEVEL = UNIT_LEVELS
COMMITTEE_NAME = PARTY_COMMITTEES
_PARENT_BODY = re.compile(r"(?i)đảng bộ|ubnd\b|ủy ban nhân dân \w")
_BARE_BODY = re.compile(r"(?i)ủy ban nhân dân|hội đồng nhân dân")


def sentence_case(upper: str) -> str:
    """A name printed in capitals, in sentence case ("BỘ TÀI CHÍNH" -> "Bộ tài chính")."""
    words = upper.lower().split()
    return " ".join([words[0].capitalize(), *words[1:]]) if words else upper


_TYPE_SUFFIX = re.compile(r"^(.*?)\s*\((huyện|thị xã|thành phố|quận|Huyện|Thị xã|Thành phố|Quận|HUYỆN|THỊ XÃ|"
                          r"THÀNH PHỐ|QUẬN)\)$")


def _commune_units(name: str, province: str | None, unit_type: str | None, context: Iterable[str],
                   era: str) -> list[places.Unit]:
    """Communes a name may be, best first: in the province given, else in the provinces the text names
    (most named first), else anywhere when the name is unique in the country."""
    if province:
        return places.find_commune(name, province, era, unit_type)
    found = places.find_commune(name, None, era, unit_type)
    if not found:
        return found
    for prov in context:
        p = places.find_province(prov, era) or places.find_province(prov)
        near = [u for u in found if p is not None and u.province_code == p.code and u.era == p.era] or \
            [u for u in found if key(u.province) == key(prov)]
        if near:
            return near
    return found if len(found) == 1 and not any(True for _ in context) else (found if len(found) > 1 else [])


def place_units(name: str, level_hint: str | None = None, province: str | None = None,
                 unit_type: str | None = None, context: Iterable[str] = (),
                 era: str = "pre2025") -> list[places.Unit]:
    """Gazetteer units a bare place name may be, best first; more than one means ambiguous.

    District names repeat across provinces (Hoàng Mai is a quận of Hà Nội and a thị xã of
    Nghệ An): the unit type and the provinces the text names (``context``, most named
    first) break the tie when they can. "Thành phố Bắc Kạn" is the provincial city, not
    the province, because the province of that name is a tỉnh.
    """
    name = name.strip(" .,*")
    if level_hint == "commune" or unit_type in places.COMMUNE_TYPES:
        return _commune_units(name, province, unit_type, context, era)
    m = _TYPE_SUFFIX.match(name)              # "Kỳ Anh (Huyện)": a list's way of telling two units apart
    if m:
        name, unit_type = m.group(1), unit_type or m.group(2).lower()
        typed = f"{name} ({m.group(2).capitalize()})"
        name = typed if places.find_district(typed) else name
    if not name:
        return []
    p = places.find_province(name) if level_hint != "district" else None
    if p is not None and (unit_type is None or unit_type == p.type or unit_type == "tỉnh"):
        return [p]
    ds = places.find_district(name, province)
    if len(ds) > 1 and unit_type:
        ds = [d for d in ds if d.type == unit_type] or ds
    if len(ds) > 1:
        for prov in context:
            near = [d for d in ds if d.province and key(d.province) == key(prov)]
            if len(near) == 1:
                return near
    if ds:
        return ds
    if level_hint == "district" or p is not None:
        q = places.find_province(name)
        return [q] if q is not None else []
    return []


def central_issuer(lines: list[str], nm: numbers.DocNumber | None) -> numbers.Issuer | None:
    """The central body a header names (CHÍNH PHỦ, BỘ NỘI VỤ, BỘ CHÍNH TRỊ ...) or the number's code names."""
    return _central_issuer(tuple(lines), (nm.level, nm.issuer_code, nm.family) if nm is not None else None)


@lru_cache(maxsize=4096)
def _central_issuer(lines: tuple[str, ...], code: tuple[str, str, str] | None) -> numbers.Issuer | None:
    """:func:`central_issuer` from what it reads of the number, ``code``: (level, issuer code, family).
    Cached: issuer blocks repeat from one document to the next."""
    names = central_names()
    # a name wrapped over lines: "BỘ LAO ĐỘNG - THƯƠNG BINH / VÀ XÃ HỘI"
    for i in range(len(lines) - 1):
        for j in range(len(lines), i + 1, -1):
            wrapped = names.get(key(" ".join(lines[i:j])))
            if wrapped is not None:
                return wrapped
    for k in range(len(lines) - 1, -1, -1):
        found = names.get(key(lines[k]))
        if found is not None:
            own = _code_issuer(code)
            # "BAN CHẤP HÀNH TRUNG ƯƠNG / BAN TỔ CHỨC" over 42-HD/BTCTW: the unit below, named by its code
            if k < len(lines) - 1 and own is not None and own.code != found.code \
                    and own.family == found.family:
                return own
            return found
    if len(lines) == 1 and _JOINT.search(lines[0]):
        # "BỘ TÀI CHÍNH - BỘ NỘI VỤ" over a TTLT: every issuer of a joint text, in the header's order
        looked = [names.get(key(x)) for x in _JOINT.split(lines[0])]
        parts = [x for x in looked if x is not None]
        if len(parts) == len(looked):
            first = parts[0]
            return numbers.Issuer(first.code, first.family, "central", " - ".join(x.name for x in parts))
    if lines and len(lines) > 1 and any(key(x) in names for x in lines[:1]):
        parent = names[key(lines[0])]
        return numbers.Issuer(parent.code, parent.family, "central", sentence_case(lines[-1]))
    if code is not None and code[0] == "central" and not any(_LOCAL_LINE.search(x) for x in lines):
        if lines:                                    # a central body the table lacks: its header names it
            return numbers.Issuer(code[1], code[2], "central", sentence_case(" ".join(lines)))
        issuer = _code_issuer(code)
        if issuer is not None:
            return issuer
    return None


_JOINT = re.compile(r"[ ]{1,3}[-–][ ]{1,3}")


def _code_issuer(code: tuple[str, str, str] | None) -> numbers.Issuer | None:
    """The central body the number's issuer code names (QH15 -> Quốc hội, BTCTW -> Ban Tổ chức Trung ương);
    ``code`` is the number's (level, issuer code, family)."""
    if code is None or code[0] != "central" or not code[1]:
        return None
    table = numbers.issuers()
    return table.get(code[1].upper()) or table.get(code[1].upper().rstrip("0123456789"))


_LOCAL_LINE = re.compile(r"(?i)tỉnh|thành phố|huyện|quận|thị xã|xã|phường|ủy ban nhân dân|uỷ ban nhân dân|"
                         r"hội đồng nhân dân|ubnd|hđnd|\bsở\b|tỉnh ủy|đảng bộ")


def _issuer_rows() -> list[dict[str, str]]:
    with resources.files("cascade").joinpath("resources", "issuers.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def central_names() -> dict[str, numbers.Issuer]:
    """Key of a central body's name (and of the other names its header prints) -> its issuer row."""
    out: dict[str, numbers.Issuer] = {}
    for row in _issuer_rows():
        if row["level"] != "central":
            continue
        issuer = numbers.issuers()[row["code"].upper()]
        for name in [row["name"], *filter(None, (row.get("header_names") or "").split("|"))]:
            shown = numbers.Issuer(issuer.code, issuer.family, "central", name)
            out.setdefault(key(name), shown)
    return out


@cache
def folded_names() -> dict[str, numbers.Issuer]:
    """Central body names (and the other names their headers print), folded by :func:`_fold`."""
    return {fold_letters(" ".join(k.split())): i for k, i in central_names().items()}


def issuer_from_lines(lines: list[str], context: Iterable[str] = (), lay: layout.Layout | None = None,
                       nm: numbers.DocNumber | None = None) -> dict[str, object] | None:
    """Issuer, branch, level, province, district from upper-case header lines.

    Of the layout only the era of its date and its place line count. The fields found are kept for
    those and the lines (issuer blocks repeat from one document to the next) when the provinces the
    rest of the text names (``context``) were not read to find them.
    """
    pd = lay.place_date if lay is not None else None
    era = places.era_of(pd.date if pd is not None else None)
    seat = pd.place if pd is not None else None
    k = (tuple(lines), era, seat)
    if k in _FOUND:
        kept = _FOUND[k]
        return dict(kept) if kept is not None else None
    watched = _Watched(context)
    found = _issuer_from_lines(lines, watched, era, seat)
    if not watched.read:
        if len(_FOUND) >= _FOUND_LIMIT:
            _FOUND.clear()
        _FOUND[k] = dict(found) if found is not None else None
    return found


#: issuer fields by (lines, era, place line), for those found without reading the text's other places
_FOUND: dict[tuple[tuple[str, ...], str, str | None], dict[str, object] | None] = {}
_FOUND_LIMIT = 4096


class _Watched:
    """An iterable that notes whether it was read."""

    __slots__ = ("inner", "read")

    def __init__(self, inner: Iterable[str]) -> None:
        self.inner, self.read = inner, False

    def __iter__(self) -> Iterator[str]:
        self.read = True
        return iter(self.inner)


def _issuer_from_lines(lines: list[str], context: Iterable[str], era: str, seat: str | None
                       ) -> dict[str, object] | None:
    """:func:`issuer_from_lines` from the era of the document's date and its place line (``seat``)."""
    if not lines:
        return None
    # a parent body on the first line (ĐẢNG BỘ TỈNH X, UBND TỈNH X) when more lines follow
    parent = lines[0] if len(lines) > 1 and _PARENT_BODY.match(lines[0]) else None
    own = lines[1:] if parent else lines
    if parent is None and len(lines) > 1 and _BARE_BODY.fullmatch(lines[0].strip()):
        own = [" ".join(lines)]
    joined = " ".join(own)
    suffix = _TYPE_SUFFIX.match(joined.strip())
    text = key(suffix.group(1) if suffix else joined)
    tail = f" ({suffix.group(2).lower()})" if suffix else ""
    m = _COMMITTEE.match(text)
    if m:
        kind = m.group("kind")
        place = m.group("place").strip() + tail
        name = COMMITTEE_NAME[kind]
        level = {"tỉnh": "province", "huyện": "district", "quận": "district", "thị": "district"}.get(kind)
        utype = {"thành": "thành phố", "thị": "thị xã", "huyện": "huyện", "quận": "quận"}.get(kind)
        units = place_units(place, level, None, utype, context) if place else []
        if not place and kind == "tỉnh":
            # "BAN THƯỜNG VỤ TỈNH ỦY" without its province: the province the text names most
            top = next(iter(context), None)
            units = [u for u in [places.find_province(top)] if u is not None] if top else []
        unit = units[0] if units else None
        if kind == "thành" and unit is not None:
            level = unit.level
        if text.startswith("ban thường vụ"):
            name = "Ban Thường vụ " + name
        return _unit_fields(name, "party", level or "province", unit, place, units[1:], context)
    m = _PARTY_BODY.match(text)
    if m:
        leads = {"ban chấp hành": "Ban Chấp hành ", "ban thường vụ": "Ban Thường vụ "}
        lead = leads.get(m.group("lead") or "", "")
        body = "Đảng ủy" if m.group("body").startswith("đảng ủy") else "Đảng bộ"
        unit_word = m.group("unit")
        level = UNIT_LEVEL.get(unit_word) or ("province" if unit_word == "thành phố" else None)
        place = m.group("place").strip() + tail
        units = place_units(place, level, None, unit_word, context, era) if place else []
        unit = units[0] if units else None
        if unit is not None and unit_word == "thành phố":
            level = unit.level
        return _unit_fields(f"{lead}{body} {unit_word}", "party", level or "province", unit, place, units[1:],
                            context)
    m = _PEOPLE.match(text)
    if m:
        body = "Ủy ban nhân dân" if m.group("body") in ("ủy ban nhân dân", "ubnd") else "Hội đồng nhân dân"
        unit_word = (m.group("unit") or "").replace("tp.", "thành phố").replace("tp", "thành phố")
        place = m.group("place").strip() + tail
        level = UNIT_LEVEL.get(unit_word)
        units = place_units(place, level, None, unit_word or None, context, era) if place else []
        unit = units[0] if units else None
        if not place and not unit_word and seat is not None:
            # "ỦY BAN NHÂN DÂN" alone: the place line names the seat, which is the unit itself
            place = seat
            units = place_units(place, None, None, None, context, era)
            unit = units[0] if units else None
            if unit is None and not places.find_district(place):
                units = _commune_units(place, None, None, context, era)   # not a province nor a district
                unit = units[0] if units else None
            if unit is not None:
                unit_word, level = unit.type, unit.level
        if unit is not None and unit.level == "district" and unit_word and unit_word != unit.type \
                and unit_word in ("huyện", "quận", "thị xã"):
            level = "district"
        if unit_word == "thành phố" and unit is not None:
            level = unit.level
        if unit is not None and len(units) > 1 and unit.level == "commune" and \
                len({(u.province, u.district) for u in units}) > 1:
            unit = places.Unit(unit.code, unit.name, unit.type, "commune", unit.era, None)   # where: unknown
        return _unit_fields(f"{body} {unit_word}".strip(), "state", level or "province", unit, place,
                            units[1:], context)
    if parent:                                  # SỞ X under UBND TỈNH Y; BAN X under TỈNH ỦY Y
        outer = _issuer_from_lines([parent.replace("ĐẢNG BỘ", "").strip()], context, era, seat) or {}
        return dict(outer, issuer=body_under(" ".join(own), outer), level=outer.get("level"))
    return None


def body_under(name: str, outer: Mapping[str, object]) -> str:
    """"SỞ Y TẾ" under "UBND TỈNH X" -> "Sở Y tế tỉnh X": the data table's spelling, the parent's unit."""
    known = _body_names().get(key(name))
    shown = known or sentence_case(name)
    parent = str(outer.get("issuer") or "")
    unit = _PARENT_UNIT.search(parent)
    where = unit.group(0) if unit else str(outer.get("province") or "")
    return f"{shown} {where}".strip()


_PARENT_UNIT = re.compile(r"(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn) .+$"
                          r"|(?<=Ủy ban nhân dân )Quận .+$")


@cache
def _body_names() -> dict[str, str]:
    """Key -> spelling of the bodies the issuer table names (Sở Lao động - Thương binh và Xã hội ...)."""
    return {key(row["name"]): row["name"] for row in _issuer_rows()}


def province_district(unit: places.Unit | None) -> tuple[str | None, str | None]:
    """(province, district) of a gazetteer unit."""
    if unit is None:
        return None, None
    if unit.level == "province":
        return unit.name, None
    if unit.level == "commune":
        return unit.province, unit.district
    return unit.province, unit.name


def unit_where(u: places.Unit) -> str:
    if u.level == "commune":
        return f"{u.province}/{u.district}" if u.district else str(u.province)
    return u.name if u.level == "province" else f"{u.province}/{u.name}"


def _unit_fields(name: str, branch: str, level: str, unit: places.Unit | None, place: str,
                 others: Sequence[places.Unit] = (), context: Iterable[str] = ()) -> dict[str, object]:
    province, district = province_district(unit)
    if unit is None and level == "commune" and place:
        # a commune the gazetteer does not place: its province is the one the text names most
        province = next(iter(context), None)
    shown = (unit.base_name if unit is not None else place.title()) if (unit or place) else ""
    for word in ("quận", "phường", "huyện", "xã"):          # "Quận 8", "Phường 3": the name says its type
        if name.endswith(" " + word) and key(shown).startswith(word + " "):
            name = name[: -len(word) - 1]
    issuer = f"{name} {shown}".strip()
    return {"issuer": issuer, "branch": branch, "level": level, "province": province, "district": district,
            "candidates": tuple(unit_where(u) for u in others)}
