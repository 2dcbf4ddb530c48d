"""The denominator: the jurisdictions a question about a document counts."""
from __future__ import annotations

from functools import lru_cache

from cascade.errors import CascadeError
from cascade.vn import places

#: the day the 2025 reform took effect: 34 provinces and no districts from then on
REFORM_DATE = "2025-07-01"


@lru_cache(maxsize=4096)
def _province_unit(name: str, era: str, date: str | None) -> str | None:
    """The gazetteer name, in ``era``, of the province a document names; None if unknown."""
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
    units = places.find_district(district, province)
    if not units:
        return None
    return units[0].province or province, units[0].name


def _era_of(as_of: str | None, root_date: str | None) -> str:
    ref = as_of or root_date
    return "2025" if ref and ref >= REFORM_DATE else "pre2025"


def _units(level: str, era: str, province: str | None) -> list[tuple[str, str | None]]:
    """The jurisdictions of a coverage question: (province, None) or (province, district)."""
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

