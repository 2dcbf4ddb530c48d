"""Jurisdictions in identity keys: one spelling per province."""
from __future__ import annotations

from functools import lru_cache

from cascade.vn import places


@lru_cache(maxsize=4096)
def province_name(name: str) -> str:
    """One spelling per province for keys: the gazetteer's name for any of its names or former names.

    A document of 2020 is headed "Thừa Thiên Huế" while a later one cites it as of "Huế";
    "Dak Lak" and "Đắk Lắk" are one province. A name the gazetteer does not know is kept.

    >>> province_name("Thừa Thiên Huế"), province_name("Dak Lak")
    ('Huế', 'Đắk Lắk')
    """
    unit = places.find_province(name)
    return unit.name if unit is not None else name
