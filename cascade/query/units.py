"""The denominator: which jurisdictions a figure about a document counts.

One rule for coverage, lag, the plots and the report: the units that existed on the
reference day, inside the jurisdiction the document's level implies.

* the reference day is ``as_of`` when given, else the date of the latest document of the
  cascade (the document and what implements it): the question is about that cascade;
* provinces: the 63 of the map before 1 July 2025, or the 34 after it, by the reference
  day; plans of a province that was merged count for the province that carries it on;
* districts: those of the pre-2025 map (districts were abolished on 1 July 2025, so a
  later reference day still counts the districts that existed before it);
* inside: the whole country for a central document; the document's own province for a
  provincial one; its own district for a district one; ``province`` narrows a central
  document's question to one province.

:class:`Denominator` carries the units and :meth:`Denominator.text`, the sentence printed
beside every figure ("63 provinces of the map before 1 July 2025, as of 2021-06-30").
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cascade.errors import CascadeError
from cascade.vn import places

_MAP_NAME = {"pre2025": "the map before 1 July 2025", "2025": "the map from 1 July 2025"}


class UnknownPlace(CascadeError):
    """A province the gazetteer does not know."""

    default = "unknown province"


def find_province(name: str, era: str | None = None) -> places.Unit:
    """The gazetteer's province for a name a user gives ("Dak Lak", "tỉnh Gia Lai").

    Raises:
        UnknownPlace: no province has that name (the message suggests near names).
    """
    unit = places.find_province(name.strip(), era) if era else None
    unit = unit or places.find_province(name.strip())
    if unit is None:
        unit = places.find_province(name.strip(), "2025")
    if unit is None:
        from rapidfuzz import fuzz, process  # deferred: costly to import at start-up

        names = sorted({u.name for e in places.ERAS for u in places.provinces(e)})
        near = [m for m, _, _ in process.extract(name, names, scorer=fuzz.WRatio, limit=3, score_cutoff=70)]
        raise UnknownPlace(f"unknown province {name!r}" + (f"; near: {', '.join(near)}" if near else ""))
    return unit


@lru_cache(maxsize=4096)
def _province_unit(name: str, era: str, date: str | None) -> str | None:
    """The gazetteer name, in ``era``, of the province a document names; None if unknown."""
    if era == "pre2025":
        u = places.find_province(name, "pre2025")
        return u.name if u else None
    old = places.find_province(name, "pre2025")
    new = places.find_province(name, "2025")
    if new is not None and (old is None or (date or "") >= places.REFORM_DATE):
        return new.name
    if old is not None:
        s = places.successor(old.name)
        return s.name if s else None
    return None


@lru_cache(maxsize=16384)
def _district_unit(province: str, district: str) -> tuple[str, str] | None:
    """(province, district) gazetteer names (pre-2025) of a district a document names."""
    units = places.find_district(district, province)
    if not units:
        return None
    return units[0].province or province, units[0].name


def era_on(day: str | None) -> str:
    """The map in force on ``day`` (ISO, possibly partial): "pre2025" or "2025"."""
    return "2025" if day and day >= places.REFORM_DATE else "pre2025"


@dataclass(frozen=True, slots=True)
class Denominator:
    """The jurisdictions a figure counts, and how they were chosen."""

    level: str                                   # "province" | "district"
    era: str                                     # the map: "pre2025" | "2025"
    day: str | None                              # the reference day
    day_is_as_of: bool                           # the user's as_of, or the cascade's latest document
    within: str | None                           # "Gia Lai", "Gia Lai/Phú Thiện", or None: the whole country
    units: tuple[tuple[str, str | None], ...]    # (province, None) or (province, district)

    @property
    def total(self) -> int:
        return len(self.units)

    def text(self) -> str:
        """The sentence printed beside a figure.

        >>> Denominator("district", "pre2025", "2021-06-30", True, "Gia Lai",
        ...             (("Gia Lai", "Pleiku"), ("Gia Lai", "An Khê"))).text()
        '2 districts of Gia Lai (the map before 1 July 2025), as of 2021-06-30'
        """
        what = ("province" if self.level == "province" else "district") + ("s" if self.total != 1 else "")
        where = f" of {self.within}" if self.within else " of Việt Nam"
        if self.level == "district" and self.era == "2025":
            where += " (districts as they were until 30 June 2025)"
            era = "pre2025"
        else:
            era = self.era
        when = ""
        if self.day:
            when = f", as of {self.day}" if self.day_is_as_of else f", as of {self.day} (the latest document)"
        return f"{self.total} {what}{where} ({_MAP_NAME[era]}){when}"

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "era": self.era, "day": self.day, "day_is_as_of": self.day_is_as_of,
                "within": self.within, "total": self.total, "text": self.text()}


def denominator(level: str, root: dict[str, Any], *, day: str | None, day_is_as_of: bool,
                province: str | None = None, era: str | None = None) -> Denominator:
    """The units of ``level`` a question about the document ``root`` (its node attributes) counts.

    Raises:
        CascadeError: an unknown level or era, or a province outside the document's own.
        UnknownPlace: an unknown province.
    """
    if level not in ("province", "district"):
        raise CascadeError(f"level must be 'province' or 'district', not {level!r}")
    if era is not None and era not in places.ERAS:
        raise CascadeError(f"era must be one of {', '.join(places.ERAS)}, not {era!r}")
    era = era or era_on(day)
    own_level = root.get("level") or "central"
    own_prov = root.get("province") if own_level != "central" else None
    if own_prov:
        own_unit = find_province(own_prov)
        if province is not None and find_province(province).name != own_unit.name:
            raise CascadeError(f"{root.get('number') or 'this document'} is a document of {own_prov}: "
                               f"its jurisdiction does not include {province}")
        province = own_prov
    own_district = root.get("district") if own_level in ("district", "commune") else None

    if level == "province":
        if province is None:
            return Denominator(level, era, day, day_is_as_of, None,
                               tuple((u.name, None) for u in places.provinces(era)))
        u = find_province(province, era)
        name = u.name if u.era == era else (_province_unit(u.name, era, None) or u.name)
        return Denominator(level, era, day, day_is_as_of, name, ((name, None),))

    if province is None:
        provs = [u.name for u in places.provinces("pre2025")]
    else:
        u = find_province(province, "pre2025")
        provs = [u.name] if u.era == "pre2025" else [p.name for p in places.predecessors(u.name)]
    units = [(p, d.name) for p in provs for d in places.districts(p)]
    within = None if province is None else (provs[0] if len(provs) == 1 else find_province(province).name)
    if own_district and provs:
        found = _district_unit(provs[0], own_district)
        if found is not None:
            units = [found]
            within = "/".join(found)
    return Denominator(level, era, day, day_is_as_of, within, tuple(units))
