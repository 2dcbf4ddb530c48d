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
from functools import lru_cache

from cascade.models import Deadline

# "ngày 23/12/2020", "ngày 1-7-2016", "ngày 23.12.2020"
DATE_NUMERIC = r"(?P<d>\d{1,2})\s*+[/.-]\s*+(?P<m>\d{1,2})\s*+[/.-]\s*+(?P<y>(?:19|20)\d\d)(?!\d{3})"
# "ngày 03 tháng 10 năm 2014", with day or month possibly blank in drafts
# ("năm 20241": a footnote mark glued to the year is not part of it)
DATE_WORDS = (r"(?P<wd>\d{1,2})?[\s.…_]*+tháng\s*+(?P<wm>\d{1,2})?[\s.…_]*+"
              r"năm\s*+(?P<wy>(?:19|20)\d\d)(?!\d{3})")
DATE = rf"(?:ngày|ngay)\s*+(?::\s*+)?(?:{DATE_NUMERIC}|{DATE_WORDS})"
DATE_RE = re.compile(DATE, re.IGNORECASE)


@lru_cache(maxsize=4096)
def iso(year: int | str | None, month: int | str | None = None, day: int | str | None = None) -> str | None:
    """An ISO date with as much precision as is known; None when the parts do not make a date
    (documents cite the same dates over and over: cached).

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


# -- deadlines -------------------------------------------------------------------------------------
#
# A deadline phrase is read as a set of pieces: a period (start/end), a point deadline (due) and a
# recurrence. Each piece has its own pattern; patterns are tried in order and a later one may not
# reuse characters an earlier one claimed, so "năm 2021 và năm 2022" is one range, not two years.

_Y = r"(?:19|20)\d\d"
_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_SEP_MY = r"(?:\s*+[/.-]\s*+|\s++(?:năm\s++)?)"        # between month and year: "6/2021", "6 năm 2021"
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})


def day(value: str | None) -> dt.date | None:
    """A full ISO date as a date; None for partial ("2021", "2021-06"), missing or impossible ones.

    >>> day("2021-06-30"), day("2021-06"), day("2021-02-30")
    (datetime.date(2021, 6, 30), None, None)
    """
    if not value or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def period_end(value: str) -> str:
    """The last day a partial ISO date can mean: "2021" -> "2021-12-31", "2024-02" -> "2024-02-29".

    >>> period_end("2021"), period_end("2024-02"), period_end("2021-06-30")
    ('2021-12-31', '2024-02-29', '2021-06-30')
    """
    if len(value) == 4:
        return f"{value}-12-31"
    if len(value) == 7:
        y, m = int(value[:4]), int(value[5:7])
        return (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)).isoformat()
    return value


def period_start(value: str) -> str:
    """The first day a partial ISO date can mean: "2021" -> "2021-01-01", "2021-06" -> "2021-06-01".

    >>> period_start("2021"), period_start("2021-06"), period_start("2021-06-30")
    ('2021-01-01', '2021-06-01', '2021-06-30')
    """
    return value + "-01-01" if len(value) == 4 else value + "-01" if len(value) == 7 else value


def _pattern(body: str) -> re.Pattern[str]:
    return re.compile(body, re.IGNORECASE)


# what may come before a month or a quarter: "từ", "(hoàn thành) trước", "(hoàn thành) trong", ...
_PRE = r"(?:bắt\s+đầu\s+)?từ\s+|(?:hoàn\s+thành\s+)?trước\s+|(?:hoàn\s+thành\s+)?trong\s+|cuối\s+|đầu\s+"
_SCHOOL_YEAR = _pattern(rf"(?:trong\s+)?năm\s+học\s+(?P<a>{_Y})\s*-\s*(?P<b>{_Y})")
_RANGE = _pattern(
    rf"(?:(?:trong\s+)?(?:giai\s+đoạn|thời\s+kỳ|từ)\s+)?(?:năm\s+)?(?P<a>{_Y})"
    rf"\s*(?:-|đến(?:\s+hết)?|tới)\s*(?:năm\s+)?(?P<b>{_Y})(?![\d/])")
_ONWARD = _pattern(
    rf"(?:(?:trong|từ)\s+)?năm\s+(?P<a>{_Y})\s*(?:và|,)\s*(?:những|các)\s+năm\s+(?:tiếp\s+theo|sau|tiếp)")
_YEARS = _pattern(rf"(?:trong\s+)?(?:các\s+)?năm\s+(?P<a>{_Y})\s*(?:và|,)\s*(?:năm\s+)?(?P<b>{_Y})(?![\d/-])")
_HALF = _pattern(rf"(?P<n>6|sáu)\s+tháng\s+(?P<w>đầu|cuối)\s+năm(?:\s+(?P<y>{_Y}))?")
_QUARTER = _pattern(
    rf"(?P<pre>{_PRE})?"
    rf"quý\s+(?P<q>IV|III|II|I|[1-4])(?![\w])(?:{_SEP_MY}(?P<y>{_Y}))?")
_MONTH = _pattern(
    rf"(?P<pre>{_PRE})?"
    rf"(?<!\d )(?<!\d)tháng\s+(?P<m>\d{{1,2}})(?:{_SEP_MY}(?P<y>{_Y}))(?![\d/])")     # not "15 tháng 3"
_DUE = _pattern(
    rf"(?P<pre>(?:hoàn\s+thành\s+|xong\s+|gửi\s+)?(?:trước|chậm\s+nhất(?:\s+(?:là|vào))?|hạn\s+chót|"
    rf"không\s+quá|trong\s+ngày|vào)\s+)?"
    rf"(?:(?:ngày|ngay)\s*+)?(?P<d>\d{{1,2}})(?:\s*+[/.-]\s*+|\s++tháng\s++)(?P<m>\d{{1,2}})"
    rf"(?:(?:\s*+[/.-]\s*+|\s++năm\s++)(?P<y>{_Y}))?(?![\d/])")
_FROM_YEAR = _pattern(rf"(?:bắt\s+đầu\s+)?từ\s+(?:năm\s+)?(?P<a>{_Y})(?:\s+trở\s+đi)?")
_UNTIL_YEAR = _pattern(rf"(?:đến|tới|trước)(?:\s+hết)?\s+(?:năm\s+)?(?P<b>{_Y})")
_YEAR = _pattern(rf"(?:(?:trong|cả|hết|cuối|đầu)\s+)?năm\s+(?P<a>{_Y})(?![\d/-])")
_BARE_YEAR = _pattern(rf"(?<![\d/.-])(?P<a>{_Y})(?![\d/.-])")
_RECURRENCES: tuple[tuple[re.Pattern[str], str], ...] = (
    (_pattern(r"thường\s+xuyên|liên\s+tục"), "ongoing"),
    (_pattern(r"(?:định\s+kỳ\s+)?(?:hằng|hàng|mỗi)\s+tháng"), "monthly"),
    (_pattern(r"(?:định\s+kỳ\s+)?(?:(?:hằng|hàng|mỗi)\s+quý|theo\s+quý)|định\s+kỳ\s+quý"), "quarterly"),
    (_pattern(r"(?:định\s+kỳ\s+)?(?:6|sáu)\s+tháng(?:\s+(?:một|1)\s+lần)?(?!\s+(?:đầu|cuối))"), "semiannual"),
    (_pattern(r"(?:định\s+kỳ\s+)?(?:hằng|hàng|mỗi)\s+năm|định\s+kỳ\s+năm"), "annual"),
    (_pattern(r"định\s+kỳ"), "periodic"),
)


# the day of a monthly or quarterly duty: "trước ngày 20 hằng tháng", "ngày 15 của tháng cuối quý"
_DAY_OF_PERIOD = _pattern(
    r"(?:(?:hoàn\s+thành\s+|gửi\s+)?(?:trước|chậm\s+nhất(?:\s+(?:là|vào))?|hạn\s+chót|vào)\s+)?"
    r"ngày\s+(?P<d>\d{1,2})(?![\d/.-]|\s*tháng\s+\d)"
    r"(?:\s+(?:của\s+)?tháng\s+(?P<w>cuối|đầu)\s+(?:của\s+)?(?:mỗi\s+|hằng\s+|hàng\s+)?quý)?")


def _last_day_before(year: int, month: int) -> str:
    """The day before the first of ``month``: "before June 2021" is due 2021-05-31."""
    return period_end(f"{year - (month == 1)}-{(month - 2) % 12 + 1:02d}")


class _Pieces:
    """Collects the pieces of a deadline phrase and the spans they were read from."""

    __slots__ = ("text", "taken", "start", "end", "due", "recurrence", "has_period")

    def __init__(self, text: str) -> None:
        self.text = text
        self.taken: list[tuple[int, int]] = []
        self.start: str | None = None
        self.end: str | None = None
        self.due: str | None = None
        self.recurrence: str | None = None
        self.has_period = False

    def free(self, m: re.Match[str]) -> bool:
        a, b = m.span()
        return all(b <= s or a >= e for s, e in self.taken)

    def claim(self, m: re.Match[str]) -> None:
        self.taken.append(m.span())

    def period(self, m: re.Match[str], start: str | None, end: str | None) -> None:
        self.claim(m)
        if not self.has_period:
            self.has_period = True
            self.start, self.end = start, end


def _read_periods(p: _Pieces, year: int | None) -> None:
    text = p.text
    for m in _SCHOOL_YEAR.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        if b == a + 1:
            p.period(m, f"{a}-09", f"{b}-05")
    for m in _RANGE.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        if p.free(m) and a < b <= a + 30:
            p.period(m, str(a), str(b))
    for m in _ONWARD.finditer(text):
        if p.free(m):
            p.period(m, m["a"], None)
    for m in _YEARS.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        if p.free(m) and a < b <= a + 10:
            p.period(m, str(a), str(b))
    for m in _HALF.finditer(text):
        y = m["y"] or (str(year) if year else None)
        if p.free(m) and y:
            first = m["w"].lower() == "đầu"
            p.period(m, f"{y}-{'01' if first else '07'}", f"{y}-{'06' if first else '12'}")
    for m in _QUARTER.finditer(text):
        y = int(m["y"]) if m["y"] else year
        if not p.free(m) or not y:
            continue
        q = _ROMAN_Q[m["q"].lower()]
        pre = (m["pre"] or "").lower()
        first, last = f"{y}-{3 * q - 2:02d}", f"{y}-{3 * q:02d}"
        if "từ" in pre:
            p.period(m, first, None)
        elif "trước" in pre:
            p.claim(m)
            p.due = p.due or _last_day_before(y, 3 * q - 2)
        else:
            p.period(m, first, last)
    for m in _MONTH.finditer(text):
        mo, y = int(m["m"]), int(m["y"])
        if not p.free(m) or not 1 <= mo <= 12:
            continue
        pre = (m["pre"] or "").lower()
        if "từ" in pre:
            p.period(m, f"{y}-{mo:02d}", None)
        elif "trước" in pre:
            p.claim(m)
            p.due = p.due or _last_day_before(y, mo)
        else:
            p.period(m, f"{y}-{mo:02d}", f"{y}-{mo:02d}")


def _read_due(p: _Pieces, year: int | None) -> None:
    for m in _DUE.finditer(p.text):
        if not p.free(m) or p.due:
            continue
        if not m["pre"] and not m["y"] and not m.group(0).lower().startswith(("ngày", "ngay")):
            continue                                     # "6/2021" alone is a month, "15.5" a number
        d, mo = int(m["d"]), int(m["m"])
        if m["y"]:
            due = iso(m["y"], mo, d)
        elif 1 <= mo <= 12 and 1 <= d <= 31:
            due = f"{mo:02d}-{d:02d}"                    # completed below if the phrase is not recurring
        else:
            due = None
        if due:
            p.claim(m)
            p.due = due


def _read_years(p: _Pieces) -> None:
    text = p.text
    for m in _FROM_YEAR.finditer(text):
        if p.free(m):
            p.period(m, m["a"], None)
    for m in _UNTIL_YEAR.finditer(text):
        if p.free(m):
            p.period(m, None, m["b"])
    for m in _YEAR.finditer(text):
        if p.free(m):
            p.period(m, m["a"], m["a"])
    if not p.taken:
        for m in _BARE_YEAR.finditer(text):
            p.period(m, m["a"], m["a"])
            break


def _read_recurrence(p: _Pieces) -> None:
    found: list[tuple[int, str, re.Match[str]]] = []
    for pattern, kind in _RECURRENCES:
        for m in pattern.finditer(p.text):
            if p.free(m):
                found.append((m.start(), kind, m))
                p.claim(m)
    if found:
        found.sort(key=lambda f: f[0])
        kinds = [k for _, k, _ in found]
        # "định kỳ 6 tháng, hằng năm": the shortest stated period binds; "thường xuyên" first wins
        specific = [k for k in ("monthly", "quarterly", "semiannual", "annual") if k in kinds]
        p.recurrence = specific[0] if specific and kinds[0] != "ongoing" else kinds[0]


def _read_day_of_period(p: _Pieces) -> None:
    """The day a monthly duty falls due ("trước ngày 20 hằng tháng"), or a quarterly one when
    the text says which month of the quarter ("ngày 15 tháng cuối quý"). Written as the first
    such day of a calendar year: "01-20" monthly, "03-15" quarterly (the recurrence repeats it)."""
    for m in _DAY_OF_PERIOD.finditer(p.text):
        d = int(m["d"])
        if not p.free(m) or not 1 <= d <= 31:
            continue
        if p.recurrence == "monthly":
            month = 1
        elif p.recurrence == "quarterly" and m["w"]:
            month = 3 if m["w"].lower() == "cuối" else 1
        else:
            continue
        p.claim(m)
        p.due = f"{month:02d}-{d:02d}"
        return


def _phrase(p: _Pieces, original: str) -> str:
    """The words the pieces were read from (as written): one span when they touch, else the pieces joined."""
    spans = sorted(p.taken)
    parts: list[str] = []
    cur_a, cur_b = spans[0]
    for a, b in spans[1:]:
        if p.text[cur_b:a].strip(" ,;") == "":
            cur_b = max(cur_b, b)
        else:
            parts.append(original[cur_a:cur_b])
            cur_a, cur_b = a, b
    parts.append(original[cur_a:cur_b])
    return ", ".join(s.strip(" ,;.") for s in parts)


def parse_deadline(text: str, *, year: int | None = None) -> Deadline | None:
    """Read a time phrase of a plan ("Thời gian thực hiện: ...") as a :class:`Deadline`.

    ``year`` completes phrases without a year ("Quý III", "trước ngày 30/6") when the
    phrase is not recurring. Returns None when the text holds no time expression.

    >>> parse_deadline("Trong năm 2021 và năm 2022.")
    Deadline(text='Trong năm 2021 và năm 2022', start='2021', end='2022', due=None, recurrence=None)
    >>> parse_deadline("Từ quý III năm 2021").start
    '2021-07'
    >>> d = parse_deadline("Định kỳ trước ngày 05 tháng 12 hằng năm")
    >>> d.due, d.recurrence
    ('12-05', 'annual')
    >>> parse_deadline("Thường xuyên").recurrence
    'ongoing'
    >>> parse_deadline("giai đoạn 2021-2025").end
    '2025'
    """
    return _parse_deadline(text, year) if text else None


_HAS_DIGIT = re.compile(r"\d")
_RECURRENCE_WORDS = ("thường", "liên tục", "hằng", "hàng", "mỗi", "định kỳ", "tháng", "quý")


@lru_cache(maxsize=8192)
def _parse_deadline(text: str, year: int | None) -> Deadline | None:
    """:func:`parse_deadline` proper; plans repeat their phrases, so results are cached."""
    t = text.translate(_DASHES)
    low = t.casefold()
    p = _Pieces(t)
    if _HAS_DIGIT.search(t) or ("quý" in low and year):
        _read_periods(p, year)
        _read_due(p, year)
        _read_years(p)
    if any(w in low for w in _RECURRENCE_WORDS):
        _read_recurrence(p)
        if p.recurrence in ("monthly", "quarterly") and not p.due and "ngày" in low:
            _read_day_of_period(p)
    if not p.taken:
        return None
    due = p.due
    if due and len(due) == 5 and p.recurrence in (None, "ongoing", "periodic") and year:
        due = iso(year, due[:2], due[3:]) or due
    return Deadline(text=_phrase(p, text), start=p.start, end=p.end, due=due, recurrence=p.recurrence)
