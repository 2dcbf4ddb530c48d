"""Dates in Vietnamese documents -> ISO strings with their precision.

>>> parse_date("ngày 23/12/2020")
'2020-12-23'
>>> parse_date("ngày 03 tháng 10 năm 2014")
'2014-10-03'
>>> parse_date("ngày tháng 6 năm 2021")     # a draft: the day is blank
'2021-06'
>>> parse_date("ngày 01-10-1997")
'1997-10-01'
"""
from __future__ import annotations

import datetime as dt
import re

# "ngày 23/12/2020", "ngày 1-7-2016", "ngày 23.12.2020"
DATE_NUMERIC = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>(?:19|20)\d\d)"
# "ngày 03 tháng 10 năm 2014", with day or month possibly blank in drafts
DATE_WORDS = (r"(?P<wd>\d{1,2})?\s*(?:[.…_ ]*\s*)tháng\s*(?P<wm>\d{1,2})?\s*[.…_ ]*\s*năm\s*(?P<wy>(?:19|20)\d\d)")
DATE = rf"(?:ngày|ngay)\s*[:]?\s*(?:{DATE_NUMERIC}|{DATE_WORDS})"
DATE_RE = re.compile(DATE, re.IGNORECASE)


def iso(year: int | str | None, month: int | str | None = None, day: int | str | None = None) -> str | None:
    """An ISO date with as much precision as is known; None when the parts do not make a date.

    >>> iso(2021, 6), iso(2021, 2, 30), iso(2021)
    ('2021-06', None, '2021')
    """
    if not year:
        return None
    y = int(year)
    if not month:
        return f"{y:04d}"
    m = int(month)
    if not 1 <= m <= 12:
        return None
    if not day:
        return f"{y:04d}-{m:02d}"
    try:
        return dt.date(y, m, int(day)).isoformat()
    except ValueError:
        return None


def from_match(m: re.Match[str]) -> str | None:
    """The ISO date of a match of :data:`DATE_RE` (or of a pattern that embeds its groups)."""
    g = m.groupdict()
    if g.get("y"):
        return iso(g["y"], g["m"], g["d"])
    if g.get("wy"):
        return iso(g["wy"], g.get("wm"), g.get("wd") if g.get("wm") else None)
    return None


def parse_date(text: str) -> str | None:
    """The first date in ``text`` ("ngày ..."), as ISO with its precision, or None."""
    m = DATE_RE.search(text)
    return from_match(m) if m else None


def year_of(date: str | None) -> int | None:
    """The year of an ISO (partial) date."""
    return int(date[:4]) if date and date[:4].isdigit() else None
