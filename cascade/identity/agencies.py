"""Agency identity: one node per agency and jurisdiction, and the 2025 mergers that join names.

:func:`agency_key` is the identity of a named agency in a province or district (the canonical
name of :mod:`cascade.extract.agencies`, at its level); :func:`lineage` and :func:`successor`
follow the mergers of ``resources/agency_mergers.csv`` both ways.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache, lru_cache

from cascade.extract.agencies import canonical, info
from cascade.extract.agency_data import known_index, resource_rows
from cascade.text.normalize import key


@dataclass(frozen=True, slots=True)
class Merger:
    """``old`` became (part of) ``new`` on ``date``."""

    old: str
    new: str
    date: dt.date
    basis: str
    note: str


@cache
def mergers() -> tuple[Merger, ...]:
    """The agency mergers of ``resources/agency_mergers.csv``, oldest first."""
    out = [Merger(canonical(r["old"]), canonical(r["new"]), dt.date.fromisoformat(r["date"].strip()),
                  r.get("basis", "").strip(), (r.get("note") or "").strip())
           for r in resource_rows("agency_mergers.csv")]
    return tuple(sorted(out, key=lambda m: m.date))


@lru_cache(maxsize=4096)
def level_of(name: str) -> str | None:
    """The administrative level an agency name implies: central, province, district or commune."""
    c = canonical(name)
    words = c.split()
    for w, lvl in (("xã", "commune"), ("phường", "commune"), ("huyện", "district"), ("quận", "district"),
                   ("tỉnh", "province")):
        if w in words[-2:]:
            return lvl
    for party, lvl in (("Huyện ủy", "district"), ("Quận ủy", "district"), ("Thị ủy", "district"),
                       ("Tỉnh ủy", "province"), ("Trung ương", "central")):
        if c.endswith(party):
            return lvl
    i = info(c)
    if i and i.level != "any":
        return i.level
    return None


def agency_key(name: str, province: str | None = None, district: str | None = None) -> str:
    """An identity key: the same name in another province or district is another agency.

    >>> agency_key("Sở Nội vụ", "Đắk Lắk") == agency_key("Sở NV", "Đắk Lắk")
    True
    >>> agency_key("Sở Nội vụ", "Đắk Lắk") == agency_key("Sở Nội vụ", "Bình Thuận")
    False
    """
    c = canonical(name)
    return f"{key(c)}@{agency_scope(level_of(c), province, district)}"


def agency_scope(level: str | None, province: str | None, district: str | None) -> str:
    """The jurisdiction part of :func:`agency_key` for an agency of ``level`` (:func:`level_of`):
    "VN" for a central body, the province for a provincial one or when there is no district, else
    the province and the district.

    >>> agency_scope("province", "Đắk Lắk", "Krông Pắc"), agency_scope(None, "Đắk Lắk", "Krông Pắc")
    ('đắk lắk', 'đắk lắk/krông pắc')
    """
    if level == "central":
        return "VN"
    if level == "province" or not district:
        return key(province) if province else "?"
    return f"{key(province) if province else '?'}/{key(district)}"


def successor(name: str, on: dt.date) -> str | None:
    """The body that carries on ``name``'s work on date ``on``, if it was merged by then.

    Follows chains of mergers; None when the agency still existed on that date (or is unknown).

    >>> successor("Sở Kế hoạch và Đầu tư", dt.date(2025, 6, 1))
    'Sở Tài chính'
    >>> successor("Sở KH&ĐT", dt.date(2024, 6, 1)) is None
    True
    """
    current = canonical(name)
    suffix = ""
    base = known_index().infos.get(key(current))
    if base is None:                                    # "Ban Tuyên giáo Tỉnh ủy": merge on the known part
        for m in mergers():
            if key(current).startswith(key(m.old) + " "):
                suffix = current[len(m.old):]
                current = m.old
                break
    result = None
    seen = set()
    while current not in seen:
        seen.add(current)
        nxt = next((m for m in mergers() if key(m.old) == key(current) and m.date <= on), None)
        if nxt is None:
            break
        current = result = nxt.new
    return result + suffix if result else None


def _split_known(name: str, names: set[str]) -> tuple[str, str]:
    """``(known part, suffix)``: "Ban Tuyên giáo Tỉnh ủy" -> ("Ban Tuyên giáo", " Tỉnh ủy") when
    "Ban Tuyên giáo" is one of ``names`` (canonical), else ``(name, "")``."""
    k = key(name)
    if k in {key(n) for n in names}:
        return name, ""
    for n in sorted(names, key=len, reverse=True):
        if k.startswith(key(n) + " "):
            return name[:len(n)], name[len(n):]
    return name, ""


def lineage(name: str) -> list[tuple[str, str, dt.date]]:
    """The bodies that carry on ``name``'s work after a merger, and those whose work it carries on.

    ``(name, "successor" | "predecessor", date of the merger)``, nearest first, following chains
    of mergers; empty for a body no merger touched. A successor takes over on the merger's
    date; a predecessor's work, before or after it, is now the body's.

    >>> lineage("Sở TT&TT")
    [('Sở Khoa học và Công nghệ', 'successor', datetime.date(2025, 3, 1))]
    >>> lineage("Sở Khoa học và Công nghệ")
    [('Sở Thông tin và Truyền thông', 'predecessor', datetime.date(2025, 3, 1))]
    >>> [n for n, _, _ in lineage("Ban Tuyên giáo Tỉnh ủy")]
    ['Ban Tuyên giáo và Dân vận Tỉnh ủy']
    """
    all_mergers = mergers()
    out: list[tuple[str, str, dt.date]] = []
    known = {m.old for m in all_mergers} | {m.new for m in all_mergers}
    current, suffix = _split_known(canonical(name), known)
    seen = {key(current)}
    todo = [current]                                    # successors: follow old -> new
    while todo:
        k = key(todo.pop())
        for m in all_mergers:
            if key(m.old) == k and key(m.new) not in seen:
                seen.add(key(m.new))
                out.append((m.new + suffix, "successor", m.date))
                todo.append(m.new)
    todo = [current]                                    # predecessors: follow new -> old
    while todo:
        k = key(todo.pop())
        for m in all_mergers:
            if key(m.new) == k and key(m.old) not in seen:
                seen.add(key(m.old))
                out.append((m.old + suffix, "predecessor", m.date))
                todo.append(m.old)
    return out
