"""Where the units are: regions, neighbours and outlines of provinces and districts.

* Regions are the six socio-economic regions of the statistics office (``regions.csv``);
  a 2025 province takes the region of the pre-2025 province whose code it kept.
* Provinces are neighbours when their outlines touch (``province_adjacency.csv``, made
  from Natural Earth's outlines by ``scripts/build_polygons.py``), for each era.
* Districts have no outlines in the resources: two districts are neighbours when either is
  among the other's :data:`DISTRICT_K` nearest districts by the gazetteer's coordinates
  (great-circle distance), across province lines.
"""

from __future__ import annotations

import csv
import json
import math
from functools import lru_cache
from importlib import resources
from typing import Any

from cascade.vn import places

#: how many nearest districts count as neighbours of a district (symmetrised)
DISTRICT_K = 5


def _rows(name: str) -> list[dict[str, str]]:
    with resources.files("cascade.resources").joinpath(name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=2)
def regions(era: str = "pre2025") -> dict[str, str]:
    """Province name -> region name for ``era``.

    >>> regions()["Đắk Lắk"], regions("2025")["Hà Nội"]
    ('Tây Nguyên', 'Đồng bằng sông Hồng')
    """
    return {r["name"]: r["region"] for r in _rows("regions.csv") if r["era"] == era}


@lru_cache(maxsize=2)
def _province_pairs(era: str) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {u.name: set() for u in places.provinces(era)}
    for r in _rows("province_adjacency.csv"):
        if r["era"] == era:
            out[r["a"]].add(r["b"])
            out[r["b"]].add(r["a"])
    return {k: frozenset(v) for k, v in out.items()}


def _km(a: places.Unit, b: places.Unit) -> float:
    """Great-circle distance in km between two units' points."""
    la1, lo1, la2, lo2 = map(math.radians, (a.lat or 0.0, a.lon or 0.0, b.lat or 0.0, b.lon or 0.0))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@lru_cache(maxsize=1)
def _district_pairs() -> dict[tuple[str, str], frozenset[tuple[str, str]]]:
    units = [d for p in places.provinces("pre2025") for d in places.districts(p.name) if d.lat is not None]
    keyed = [((d.province or "", d.name), d) for d in units]
    out: dict[tuple[str, str], set[tuple[str, str]]] = {k: set() for k, _ in keyed}
    for k, d in keyed:
        near = sorted((_km(d, e), j) for j, e in keyed if j != k)[:DISTRICT_K]
        for _, j in near:
            out[k].add(j)
            out[j].add(k)
    return {k: frozenset(v) for k, v in out.items()}


def neighbours(province: str, district: str | None = None, era: str = "pre2025") -> frozenset[Any]:
    """The neighbouring provinces (names) of ``province`` in ``era``, or, with ``district``, the
    neighbouring districts ((province, district) pairs, pre-2025 map) of that district.

    >>> sorted(neighbours("Hà Nam"))
    ['Hà Nội', 'Hòa Bình', 'Hưng Yên', 'Nam Định', 'Ninh Bình', 'Thái Bình']
    """
    if district is None:
        return _province_pairs(era).get(province, frozenset())
    return _district_pairs().get((province, district), frozenset())


@lru_cache(maxsize=1)
def outlines() -> dict[str, Any]:
    """The simplified province outlines of both eras (GeoJSON FeatureCollection)."""
    text = resources.files("cascade.resources").joinpath("provinces.geojson").read_text(encoding="utf-8")
    return json.loads(text)


def identity(province: str, era: str) -> dict[str, str | None]:
    """A province's pre- and post-2025 names: the 2025 province a pre-2025 one became part of,
    or the pre-2025 provinces (joined with "; ") a 2025 one was made of.

    >>> identity("Hà Giang", "pre2025")
    {'pre2025': 'Hà Giang', '2025': 'Tuyên Quang'}
    """
    if era == "pre2025":
        s = places.successor(province)
        return {"pre2025": province, "2025": s.name if s else None}
    return {"pre2025": "; ".join(u.name for u in places.predecessors(province)) or None, "2025": province}
