"""The header of a document as blocks: issuer, motto, number, place-date, type, title, preamble.

A state header (NĐ 30/2020, Phụ lục I) and a Party header (HD 36/2018) are two columns:
issuer over number on the left, motto over place and date on the right. Real copies print
them as table cells separated by ``|``, as one flattened line, with the motto wrapped over
two or three lines ("CỘNG\\nHÒA XÃ HỘI ..."), between the lines of a hosting site (menus,
a "Số hiệu | 458/KH-UBND" metadata table), or not at all. This module finds the blocks
whatever the wrapping; ``header.py`` reads the fields out of them.

Every pattern here is linear: quantifiers are bounded and never nested, so a header line
followed by thousands of spaces or newlines costs no more than its length.

>>> lay = read_layout("UBND TỈNH KON TUM | CỘNG HÒA XÃ HỘI\\nCHỦ NGHĨA VIỆT NAM |\\nSỞ Y TẾ |\\n"
...                   "Số: 12/KH-SYT | Kon Tum, ngày 05 tháng 02 năm 2021 |\\nKẾ HOẠCH\\nPhòng, chống dịch\\n"
...                   "Căn cứ Luật Y tế;")
>>> [c.text for c in lay.issuer], lay.number.text, lay.place_date.place, lay.place_date.date
(['UBND TỈNH KON TUM', 'SỞ Y TẾ'], 'Số: 12/KH-SYT', 'Kon Tum', '2021-02-05')
>>> lay.type_name, lay.title.text if lay.title else None
('Kế hoạch', 'Phòng, chống dịch')
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from cascade.text.normalize import LOWER, UPPER
from cascade.text.phrases import lower_case, lowered
from cascade.vn import dates
from cascade.vn.cues import (
    HEADER_TYPE_WORDS,
    PARTY_MOTTO_WORDS,
    SITE_FIELDS,
    SITE_KEY_NAMES,
    STATE_MOTTO_WORDS,
    word_forms,
)

#: how far into a text the header is looked for (hosting sites put menus before it)
HEAD_LIMIT = 6000

_GAP = r"[\s|*_]{1,40}"                       # what may separate the words of a wrapped motto
_SM = [word_forms(w) for w in STATE_MOTTO_WORDS]       # "CỘNG HÒA XÃ HỘI" [+ "CHỦ NGHĨA" [+ "VIỆT NAM"]]
STATE_MOTTO = re.compile(_GAP.join(_SM[:4])
                         + f"(?:{_GAP}{_GAP.join(_SM[4:6])}(?:{_GAP}{_GAP.join(_SM[6:])})?)?")
PARTY_MOTTO = re.compile(_GAP.join(word_forms(w) for w in PARTY_MOTTO_WORDS))
# "Độc lập - Tự do - Hạnh phúc" in any case, on lowered text (cascade.text.phrases)
_SLOGAN = re.compile(rf"độc{_GAP}lập[\s|*_-]{{1,40}}tự{_GAP}do(?:[\s|*_-]{{1,40}}hạnh{_GAP}phúc)?")
_RULE = re.compile(r"[\s\-_=─–—.*•~]{1,200}")
#: the running header the official gazette prints on every page: "CÔNG BÁO/Số 1234 + 1235/Ngày 15-12-2023",
#: with the page number before or after it; it is page chrome, never part of an issuer or a title
GAZETTE_LINE = re.compile(r"[ \d]{0,80}C[ÔO]NG[ ]{1,3}B[ÁA]O[ ]{0,3}/[ ]{0,3}(?:Số|SỐ|số)[ ]{0,3}\d{1,5}"
                          r"(?:[ ]{0,3}\+[ ]{0,3}\d{1,5}){0,3}[ ]{0,3}/[ ]{0,3}(?:Ngày|NGÀY|ngày)[ ]{0,3}"
                          r"\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d\d[ \d]{0,80}")
_AFTER_MOTTO = 1500                  # how far after the motto the number, date, type and title are looked for
_NO_MOTTO_REACH = 3500               # ... and from the start when there is no motto
_NO_HEADER_REACH = 80                # without a header, the type line is looked for in the first 80 cells
_ISSUER_WIDTH = 200                  # longer capital lines are titles, not issuer names

# "Số: 2629/KH-UBND", "Số 07-KH/TU", "SỐ: 12/QĐ", "Luật số: 51/2024/QH15", "Nghị quyết số: 11-NQ/TW"
_NUMBER_CELL = re.compile(
    r"[ *_]{0,5}(?:(?P<kind>[" + UPPER + r"][" + LOWER + UPPER + r"]{0,12}"
    r"(?: [" + LOWER + UPPER + r"]{1,12}){0,3}) )?"
    r"(?:Số|SỐ|số)(?![" + LOWER + r"])[ ]{0,5}:?[ ]{0,5}"
    r"(?:[ ]{0,3}[\n|][ \n|]{0,5}(?=\d))?(?P<rest>[^\n|]{0,80})")
# a place and a date: "Kon Tum, ngày 03 tháng 10 năm 2014", "Hà Nội, ngày 02/6/2025"
_HEADER_DATE = (r"(?:ngày|ngay|Ngày|NGÀY)[ \n]{0,3}:?[ \n]{0,3}"
                r"(?:(?P<d>\d{1,2})[ ]{0,2}[/.-][ ]{0,2}(?P<m>\d{1,2})[ ]{0,2}[/.-][ ]{0,2}"
                r"(?P<y>(?:19|20)\d\d)"
                r"|(?P<wd>\d{1,2})?[ .…_]{0,20}(?:tháng|THÁNG)[ ]{0,3}(?P<wm>\d{1,2})?[ .…_]{0,20}"
                r"(?:năm|NĂM)[ ]{0,3}(?P<wy>(?:19|20)\d\d))")
_PLACE_DATE = re.compile(r"(?<![\w/-])(?P<place>[" + UPPER + r"][\w'’.()]{0,20}"
                         r"(?:[ \n]{1,3}(?:-[ ]{1,2})?[\w'’.()]{1,20}){0,5})"
                         r"[ ]{0,3},[ ]{0,3}(?P<date>" + _HEADER_DATE + ")")
# where the date of a _PLACE_DATE match starts, and how far before its comma the match may start at most
# (the place's words and the spaces before the comma): searching from there finds the same first match
_PLACE_DATE_COMMA = re.compile(r",[ ]{0,3}(?:ngày|ngay|Ngày|NGÀY)")
_PLACE_DATE_REACH = 1 + 20 + 5 * (3 + 3 + 20) + 3

TYPE_WORDS = HEADER_TYPE_WORDS
_TYPE_ALTERNATIVES = "|".join(sorted(map(re.escape, TYPE_WORDS), key=len, reverse=True))
_TYPE_CELL = re.compile(r"[ *#_]{0,5}(?P<type>" + _TYPE_ALTERNATIVES
                        + r")(?![" + UPPER + LOWER + r"])[ *_.]{0,5}(?P<colon>:)?(?P<rest>[^\n|]{0,600})")
# what opens the preamble or the body: the title ends before it
_PREAMBLE = re.compile(
    r"[ *_\-•+]{0,5}(?:(?:Căn|CĂN) (?:cứ|CỨ)|(?:Thực|THỰC) (?:hiện|HIỆN)\b|Xét "
    r"|(?:Theo|THEO) (?:đề|ĐỀ) (?:nghị|NGHỊ)"
    r"|(?:Trên|TRÊN) (?:cơ|CƠ) (?:sở|SỞ)|Kính gửi|Điều \d|Chương [IVXLC\d]|Phần [IVXLC\d]|PHẦN [IVXLC\d]"
    r"|[IVX]{1,4}\.\s|\d{1,2}\.\s|QUYẾT ĐỊNH\s{0,3}:|QUYẾT NGHỊ\s{0,3}:|KẾT LUẬN\s{0,3}:|Sau khi|Ngày \d)")
# what cannot be the first line of a title either (a title may start "Thực hiện Nghị quyết ...")
_NOT_TITLE = re.compile(r"[ *_\-•+]{0,5}(?:(?:Căn|CĂN) (?:cứ|CỨ)|Kính gửi|Điều \d|Chương [IVXLC\d]"
                        r"|[IVX]{1,4}\.\s"
                        r"|QUYẾT ĐỊNH\s{0,3}:|QUYẾT NGHỊ\s{0,3}:|Sau khi|Ngày \d)")
# an authority line under the title of a Quyết định or Nghị quyết ("ỦY BAN NHÂN DÂN TỈNH ...", "CHỦ TỊCH ...")
_AUTHORITY = re.compile(r"(?:ỦY BAN|UỶ BAN|HỘI ĐỒNG|CHỦ TỊCH|THỦ TƯỚNG|BỘ TRƯỞNG|CHÍNH PHỦ|QUỐC HỘI|"
                        r"BAN THƯỜNG VỤ|"
                        r"ĐẢNG ỦY|ĐẢNG UỶ|"
                        r"BAN CHẤP HÀNH|BỘ CHÍNH TRỊ|BAN BÍ THƯ|GIÁM ĐỐC|TRƯỞNG BAN)\b")
# "V/v ...": the summary of a Công văn, under its number
_VV = re.compile(r"[ *_]{0,5}(?:V/v|V/V|v/v|Về việc)\b")

#: a hosting site's metadata table ("Số hiệu: | 41/2006/NQ-HĐND | Loại văn bản: | Nghị quyết |")
SITE_KEYS = SITE_FIELDS
_SITE_KEY_NAMES = "(?:" + "|".join(SITE_KEY_NAMES) + ")"
_SITE = re.compile(r"(?<![^\s|])(?i:(?P<key>" + _SITE_KEY_NAMES + r"))"
                   r"[ ]{0,3}:?[ ]{0,3}\|?[ ]{0,3}\n?[ ]{0,3}"
                   r"(?P<value>[^|\n]{1,150}?)(?=[ ]{0,3}(?:\||\n|$|" + _SITE_KEY_NAMES + r"))")


class Cell(NamedTuple):
    """A stripped piece of a line between ``|`` separators: ``text`` is ``clean_text[start:end]``.

    (A named tuple: a header has dozens of cells, and a tuple is made several times faster than a
    frozen dataclass.)
    """

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class PlaceDate:
    start: int
    end: int
    place: str
    place_span: tuple[int, int]
    date: str | None
    date_span: tuple[int, int]


@dataclass(slots=True)
class Layout:
    """Where each block of the header is (offsets into the clean text); None when absent."""

    issuer: list[Cell] = field(default_factory=list)
    motto: tuple[int, int] | None = None
    branch_motto: str | None = None          # "state" (CỘNG HÒA ...) or "party" (ĐẢNG CỘNG SẢN ...)
    number: Cell | None = None               # the "Số: ..." cell
    number_rest: tuple[int, int] | None = None   # where the number itself may be, after "Số:"
    number_kind: str | None = None           # "Luật" in "Luật số: 51/2024/QH15"
    place_date: PlaceDate | None = None
    type_cell: Cell | None = None
    type_name: str | None = None
    page_type: str | None = None             # the type a page title gives when no type line exists
    title: Cell | None = None
    authority: Cell | None = None            # "ỦY BAN NHÂN DÂN TỈNH X" under the title: who enacts
    header_end: int = 0                      # the type line's start, or where the header block ends
    title_end: int = 0                       # where the title ends (the preamble follows)
    site: dict[str, tuple[str, tuple[int, int]]] = field(default_factory=dict)
    site_spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def has_header(self) -> bool:
        return bool(self.motto or self.number or self.place_date)


def cells(text: str, start: int = 0, end: int | None = None) -> list[Cell]:
    """The non-blank cells of ``text[start:end]``, split at line breaks and ``|``, without the spaces
    around them (str.split and str.strip: faster than a pattern, which tests each character)."""
    end = len(text) if end is None else end
    out = []
    pos = start
    for line in text[start:end].split("\n"):
        if not line:                                              # a blank line between paragraphs
            pos += 1
            continue
        if "|" in line:
            for piece in line.split("|"):
                stripped = piece.strip()
                if stripped:
                    a = pos + len(piece) - len(piece.lstrip())    # its first character that is not a space
                    out.append(_new_cell(Cell, (a, a + len(stripped), stripped)))
                pos += len(piece) + 1
        else:                                                     # the usual line: one cell at most
            stripped = line.strip()
            if stripped:
                # no space before it when it starts as the line does (a space is never its first character)
                a = pos if stripped[0] == line[0] else pos + len(line) - len(line.lstrip())
                out.append(_new_cell(Cell, (a, a + len(stripped), stripped)))
            pos += len(line) + 1
    return out


#: ``_new_cell(Cell, (start, end, text))`` makes a cell without the Python-level ``Cell.__new__``
_new_cell = tuple.__new__


_LOWER_LETTER = re.compile(r"[" + LOWER + r"]")
_UPPER_LETTER = re.compile(r"[" + UPPER + r"]")


@lru_cache(maxsize=8192)
def is_upper(text: str) -> bool:
    """True for a header line in capitals: two capital letters at least, no lower-case letter.

    (Cached: header lines repeat from one document to the next.)
    """
    if "/" in text:                     # a document number inside ("SỐ 16/2001/CT-TTg") keeps its own case
        text = " ".join([w for w in text.split() if "/" not in w])
    lower = _LOWER_LETTER.search(text)
    if lower is None:
        upper = _UPPER_LETTER.search(text)
        return upper is not None and _UPPER_LETTER.search(text, upper.end()) is not None
    if _LOWER_LETTER.search(text, lower.end()) is not None:
        return False                                    # two lower-case letters
    # one stray lower-case letter among many capitals is conversion noise ("cBAN CHẤP HÀNH ...")
    return text[:1].islower() and len(_UPPER_LETTER.findall(text)) >= 9


def is_rule(text: str) -> bool:
    """A line of dashes, dots, stars... (white space between): the rule under a header block."""
    first = text[:1]
    if first not in _RULE_FIRST and not first.isspace():       # cheap reject: no rule starts so
        return False
    return _RULE.fullmatch(text) is not None


#: what a rule (:data:`_RULE`) may start with besides white space
_RULE_FIRST = "-_=─–—.*•~"


def _site_table(text: str, end: int) -> tuple[dict[str, tuple[str, tuple[int, int]]], list[tuple[int, int]]]:
    """Fields of a hosting site's metadata table and the spans of its lines."""
    found: dict[str, tuple[str, tuple[int, int]]] = {}
    spans: list[tuple[int, int]] = []
    low = lower_case(text)
    if not _names_a_site_key(low, end):                    # the usual case: no site table at all
        return found, spans
    for m in _site_matches(text, end):
        value = m.group("value").strip(" :")
        k = SITE_KEYS.get(m.group("key").lower())
        if not value or not _site_value_ok(k, value):
            continue
        spans.append(m.span())
        if k and k not in found:
            found[k] = (value, m.span("value"))
    return found, spans


_SITE_HINTS = tuple(k for k, f in SITE_FIELDS.items() if f != "signer")


def _by_shared_tail(hints: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Tail -> the words before it, for hints that share their last two words with another ("ngày ban hành",
    "nơi ban hành": "ban hành" -> ("ngày ", "nơi ")); each other hint is its own tail, with nothing before."""
    def tail(hint: str) -> str:
        return " ".join(hint.split(" ")[-2:])

    shared = {t for t in map(tail, hints) if sum(tail(h) == t for h in hints) > 1}
    out: dict[str, tuple[str, ...]] = {}
    for hint in hints:
        t = tail(hint) if tail(hint) in shared else hint
        out[t] = (*out.get(t, ()), hint[:len(hint) - len(t)])
    return out


_SITE_HINT_TAILS = _by_shared_tail(_SITE_HINTS)


def _names_a_site_key(low: str, end: int) -> bool:
    """``any(low.find(k, 0, end) >= 0 for k in _SITE_HINTS)`` on the lower-cased text, with fewer scans:
    each tail of the hints is looked for once, and a hint is there when what precedes the tail is the
    rest of it."""
    for tail, heads in _SITE_HINT_TAILS.items():
        i = low.find(tail, 0, end)
        while i >= 0:
            if low.endswith(heads, 0, i):
                return True
            i = low.find(tail, i + 1, end)
    return False


_SITE_KEYS_LOWERED = tuple(dict.fromkeys(lowered(k) for k in SITE_KEY_NAMES))


def _site_matches(text: str, end: int) -> list[re.Match[str]]:
    """``list(_SITE.finditer(text, 0, end))``, the pattern tried only where a key name starts.

    A match starts with a key name in any case; they are looked for with str.find on the text
    lowered as re.IGNORECASE reads it (:func:`lowered`), which is much faster than a scan of the
    pattern, whose look-behind comes first. A place inside a match is not tried, as in a scan.
    """
    low = lowered(text)
    starts = set()
    for k in _SITE_KEYS_LOWERED:
        i = low.find(k, 0, end)
        while i >= 0:
            starts.add(i)
            i = low.find(k, i + 1, end)
    out = []
    after = 0
    for i in sorted(starts):
        if i >= after and (m := _SITE.match(text, i, end)) is not None:
            out.append(m)
            after = m.end()
    return out
_SITE_DATE = re.compile(r"\d{1,2}/\d{1,2}/(?:19|20)\d\d")


def _site_value_ok(k: str | None, value: str) -> bool:
    """A site field's value has the shape of its field (a search box's "Số hiệu, Tiêu đề..." does not)."""
    if k == "number":
        return value[:1].isdigit() and "/" in value
    if k == "date":
        return _SITE_DATE.match(value) is not None
    if k == "type":
        return value.upper() in TYPE_WORDS
    return value[:1].isupper()


def _inside(a: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= a < e for s, e in spans)


def _number_at(c: Cell, text: str) -> re.Match[str] | None:
    """The "Số: ..." of a header cell: the number (or a blank one) must follow within a few characters."""
    head = c.text[:30]
    if "ố" not in head and "Ố" not in head:                    # no "Số", "SỐ", "số": not a number line
        return None
    m = _NUMBER_CELL.match(text, c.start, min(len(text), c.end + 60))   # "Số:" may end its line
    if m is None:
        return None
    rest = m.group("rest")
    if not rest[:12].strip(" .…_") or not (rest[:1].isdigit() or rest.lstrip(" .…_")[:1] == "/"):
        return None
    kind = m.group("kind")
    if kind and kind.upper() not in TYPE_WORDS:
        return None
    if kind and len(rest) > 40 and not _PLACE_DATE.search(rest):     # "Nghị quyết số 41/... về việc ..."
        return None
    return m


def _place_date_in(c: Cell, text: str) -> PlaceDate | None:
    seg = text[c.start:c.end]
    if "," not in seg or not ("gày" in seg or "GÀY" in seg or "gay" in seg):   # cheap reject
        return None
    comma = _PLACE_DATE_COMMA.search(text, c.start, c.end)
    if comma is None:
        return None
    m = _PLACE_DATE.search(text, max(c.start, comma.start() - _PLACE_DATE_REACH), c.end)
    if m is None:
        return None
    place = m.group("place")
    # the date's groups of the match (the date ends the pattern, so matched again alone it reads the same)
    date = dates.from_match(m)
    return PlaceDate(m.start(), m.end(), place.strip(" *"), m.span("place"), date, m.span("date"))


def _place_date_from(all_cells: list[Cell], i: int, text: str) -> tuple[PlaceDate | None, int]:
    """A place and date starting cell ``i``, alone or wrapped onto the next cell: (found, cells used)."""
    c = all_cells[i]
    # cheap reject (most cells): neither this cell nor the next holds a comma (the line break between two
    # cells joined below is only spaces, so the comma of a place and date is in one of them)
    if "," not in c.text and (i + 1 >= len(all_cells) or "," not in all_cells[i + 1].text):
        return None, 0
    pd = _place_date_in(c, text)
    if pd and pd.start - c.start < 5:
        return pd, 1
    if i + 1 < len(all_cells) and text[c.end:all_cells[i + 1].start].strip(" \n") == "":
        pd = _place_date_in(_new_cell(Cell, (c.start, all_cells[i + 1].end, "")), text)
        if pd and pd.start == c.start:
            return pd, 2
    return None, 0


def read_layout(text: str) -> Layout:
    """Find the header blocks of ``text`` (a clean text)."""
    head = min(len(text), HEAD_LIMIT)
    lay = Layout()
    lay.site, lay.site_spans = _site_table(text, head)
    mottos = []
    for pattern, kind in ((STATE_MOTTO, "state"), (PARTY_MOTTO, "party")):
        pos = 0
        while (m := pattern.search(text, pos, head)) is not None:       # the first one outside a site table
            if not _inside(m.start(), lay.site_spans):
                mottos.append((m.start(), m.end(), kind))
                break
            pos = m.end()
    mottos.sort()
    # the blocks sit around the motto: cells are cut a little after it (or early on when there is none)
    end = min(head, mottos[0][1] + _AFTER_MOTTO) if mottos else min(head, _NO_MOTTO_REACH)
    slogans = [m.span() for m in _SLOGAN.finditer(lowered(text), max(0, mottos[0][0] - 300) if mottos else 0,
                                                  end)]
    all_cells = cells(text, 0, end)
    site_cells = {i for i, c in enumerate(all_cells) if _inside(c.start, lay.site_spans)
                  or any(c.start <= a < c.end for a, _ in lay.site_spans)} if lay.site_spans else set()
    if not all_cells:
        return lay

    marked = [(a, b) for a, b, _ in mottos] + slogans

    def motto_part(c: Cell) -> bool:
        for a, b in marked:    # noqa: SIM110 - a loop: cheaper than any() over a generator
            if a < c.end and c.start < b:
                return True
        return False

    anchor: int | None = None
    if mottos:
        a, b, kind = mottos[0]
        lay.motto, lay.branch_motto = (a, b), kind
        anchor = next(i for i, c in enumerate(all_cells) if c.end > a)
    else:
        for i, c in enumerate(all_cells):
            if i in site_cells:
                continue
            if _number_at(c, text):
                anchor = i
                break
            if _place_date_from(all_cells, i, text)[0] is not None:
                # a place and date alone (a page's print line) is no header: it needs an issuer line above
                # (or the type line right under it)
                before = [x for x in all_cells[max(0, i - 3):i] if not is_rule(x.text)]
                after = [x for x in all_cells[i + 1:i + 4] if not is_rule(x.text)][:1]
                m = _TYPE_CELL.match(after[0].text) if after else None
                typed = m is not None and not m.group("rest").strip()
                if (before and is_upper(before[-1].text) and (i - 1) not in site_cells) or typed:
                    anchor = i
                    break
    if anchor is None:
        _type_and_title(text, all_cells, 0, lay)
        if lay.type_name is None and lay.page_type is None:
            lay.page_type = _page_type(all_cells)
        return lay

    # the issuer block: capital lines just above the anchor (through a number line in between) ...
    issuer: list[Cell] = []
    first = all_cells[anchor]
    if mottos and first.start < mottos[0][0]:           # flattened: "UBND TỈNH X CỘNG HÒA XÃ HỘI ..."
        flat = text[first.start:mottos[0][0]].strip(" |*_")
        if flat and is_upper(flat):
            issuer.append(Cell(first.start, first.start + len(flat), flat))
    i = anchor - 1
    above: list[Cell] = []
    while i >= 0 and len(above) < 4:
        c = all_cells[i]
        if i in site_cells or GAZETTE_LINE.fullmatch(c.text):
            break
        if is_rule(c.text) or motto_part(c):
            i -= 1
            continue
        if len(c.text) <= 40 and (number := _number_at(c, text)):
            _set_number(lay, c, number)
            i -= 1
            continue
        if len(c.text) <= _ISSUER_WIDTH and is_upper(c.text) and not _TYPE_CELL.fullmatch(c.text):
            above.append(c)
            i -= 1
            continue
        break
    issuer = above[::-1] + issuer
    # ... and the cells of the left column printed between the motto, the number and the date
    j = anchor
    scanned = 0
    while j < len(all_cells) and scanned < 14:
        c = all_cells[j]
        j += 1
        scanned += 1
        if j - 1 in site_cells or (lay.number_rest is not None and lay.number is not None
                                   and lay.number.start <= c.start < lay.number_rest[1]):
            continue
        if motto_part(c):
            rest = _outside_mottos(c, mottos, slogans, text)
            if rest is not None and is_upper(rest.text) and not (lay.number and lay.place_date) \
                    and all(x.start != rest.start for x in issuer):
                issuer.append(rest)
            continue
        if is_rule(c.text):
            continue
        if lay.number is None and (number := _number_at(c, text)):
            _set_number(lay, c, number)
            pd = _place_date_in(c, text)
            if pd and lay.place_date is None:
                lay.place_date = pd
            continue
        if lay.place_date is None:
            pd, used = _place_date_from(all_cells, j - 1, text)     # "Kiên\nGiang, ngày", "X, ngày\n27"
            if pd is not None:
                lay.place_date = pd
                j += used - 1
                continue
        if _TYPE_CELL.match(c.text) or _VV.match(c.text):
            j -= 1
            break
        if not (lay.number and lay.place_date) and len(c.text) <= _ISSUER_WIDTH and is_upper(c.text) \
                and c.text not in ("*",):
            issuer.append(c)
            continue
        j -= 1
        break
    lay.issuer = _dedupe(issuer)
    header_cells_end = all_cells[j - 1].end if j else 0         # cells come in order: the last ends last
    lay.header_end = header_cells_end
    _type_and_title(text, all_cells, j, lay)
    if lay.type_cell is None:
        lay.header_end = header_cells_end
    return lay


_PAGE_TITLE = re.compile(r"(?P<type>" + "|".join(sorted(set(TYPE_WORDS.values()), key=len, reverse=True))
                         + r")\s")


def _page_type(all_cells: list[Cell]) -> str | None:
    """The type a page title names ("Thông báo về việc ...") when nothing else does."""
    for c in all_cells[:40]:
        m = _PAGE_TITLE.match(c.text)
        if m and len(c.text) <= 300 and not c.text.rstrip().endswith((".", ":", ";")):
            return m.group("type")
    return None


def _outside_mottos(c: Cell, mottos: list[tuple[int, int, str]], slogans: list[tuple[int, int]],
                    text: str) -> Cell | None:
    """The part of a cell after the motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM TỈNH X" -> "TỈNH X")."""
    pieces = [(c.start, c.end)]
    for a, b in [*((m[0], m[1]) for m in mottos), *slogans]:
        pieces = [p for s, e in pieces for p in ((s, min(e, a)), (max(s, b), e)) if p[1] > p[0]]
    for s, e in pieces:
        rest = text[s:e].strip(" *_-")
        if rest and any(ch.isalpha() for ch in rest):
            a = text.index(rest, s)
            return Cell(a, a + len(rest), rest)
    return None


def _set_number(lay: Layout, c: Cell, m: re.Match[str]) -> None:
    """The number cell ``c``, whose :func:`_number_at` is ``m`` (the first one found counts)."""
    if lay.number is not None:
        return
    lay.number = c
    lay.number_rest = m.span("rest")
    lay.number_kind = m.group("kind")


def _dedupe(issuer: list[Cell]) -> list[Cell]:
    """Drop an issuer block printed twice (the same lines again, or the lines once joined)."""
    if len(issuer) < 2:
        return issuer
    keys = [" ".join(c.text.split()).upper() for c in issuer]
    n = len(keys)
    for half in range(1, n // 2 + 1):
        if keys[:half] == keys[half:2 * half] and 2 * half == n:
            return issuer[:half]
    if n >= 2:
        joined = " ".join(keys[1:])
        if keys[0] == joined:
            return issuer[:1]
        joined = " ".join(keys[:-1])
        if keys[-1] == joined:
            return issuer[:-1]
    return issuer


def _type_and_title(text: str, all_cells: list[Cell], j: int, lay: Layout) -> None:
    """The type line from cell ``j`` on, and the title under it (or the V/v summary of a Công văn)."""
    start_search = j
    limit = min(len(all_cells), j + (12 if lay.has_header else _NO_HEADER_REACH))
    k = None
    for i in range(start_search, limit):
        c = all_cells[i]
        m = _TYPE_CELL.match(c.text)
        if m and not m.group("colon") and (is_upper(m.group("type") + m.group("rest"))
                                           or not m.group("rest").strip()
                                           or (lay.has_header and i == start_search)):
            if not lay.has_header and m.group("rest").strip() and not _OF.match(m.group("rest").strip()):
                # a page title "KẾ HOẠCH Thông tin ...": not the type line, but it says the type
                lay.page_type = lay.page_type or TYPE_WORDS[m.group("type")]
                continue
            lay.type_cell = c
            lay.type_name = TYPE_WORDS[m.group("type")]
            lay.header_end = c.start
            k = i
            rest = m.group("rest").strip(" *_")
            if rest:
                a = c.start + m.start("rest") + (len(m.group("rest")) - len(m.group("rest").lstrip(" *_")))
                first_title = Cell(a, a + len(rest), rest)
            else:
                first_title = None
            _title(text, all_cells, i + 1, lay, first_title)
            return
        if _VV.match(c.text) and lay.has_header:
            lay.header_end = c.start
            _title(text, all_cells, i, lay, None, strip_vv=True)
            if lay.place_date is None:                   # a Công văn: the place and date after the summary
                for d in all_cells[i + 1:i + 6]:
                    pd = _place_date_in(d, text)
                    if pd and pd.start == d.start:
                        lay.place_date = pd
                        break
            return
        if lay.has_header and _PREAMBLE.match(c.text):
            break
    if k is None and lay.has_header and start_search < len(all_cells):
        # no type line: an upper-case title right under the header ("VỀ KẾ HOẠCH ...") is still the title
        c = all_cells[start_search]
        if not _AUTHORITY.match(c.text) and not _PREAMBLE.match(c.text) and is_upper(c.text):
            _title(text, all_cells, start_search, lay, None)
        else:
            lay.title_end = lay.header_end


_OF = re.compile(r"CỦA[ ]{1,3}")
# a title never ends with a full stop; a line that opens with a capital and ends with one is a sentence
_ABOUT = re.compile(r"[ ,]{1,3}(?=VỀ )")          # "CỦA ĐẢNG ỦY XÃ X VỀ MỤC TIÊU ...": the subject starts
_BODY_SENTENCE = re.compile(r"[^.]\.[ *_]{0,5}$")
# "CỦA BAN THƯỜNG VỤ TỈNH ỦY về ...": the capitals after "CỦA" name the body
_OF_BODY = re.compile(r"CỦA[ ]{1,3}(?P<body>[" + UPPER + r"][" + UPPER + r" ]{2,150})(?![" + LOWER + r"])")


def _authority(all_cells: list[Cell], i: int, lay: Layout, parts: list[Cell]) -> None:
    """The body that enacts, named under the title ("ỦY BAN NHÂN DÂN TỈNH X", "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ")
    or in a title line of its own ("NGHỊ QUYẾT / CỦA BAN CHẤP HÀNH ĐẢNG BỘ XÃ X")."""
    if parts:
        m = _OF_BODY.match(parts[0].text)
        if m and _AUTHORITY.match(m.group("body")):
            c, body = parts[0], _ABOUT.split(m.group("body"), maxsplit=1)[0].rstrip()
            lay.authority = Cell(c.start + m.start("body"), c.start + m.start("body") + len(body), body)
            return
    while i < len(all_cells) and is_rule(all_cells[i].text):
        i += 1
    if i < len(all_cells):
        c = all_cells[i]
        if len(c.text) <= 200 and _AUTHORITY.match(c.text) and is_upper(c.text):   # the cheap tests first
            lay.authority = c


def _title(text: str, all_cells: list[Cell], i: int, lay: Layout, first: Cell | None,
           strip_vv: bool = False) -> None:
    """Join the title's lines from cell ``i`` on, until the preamble, an authority line or a rule."""
    parts: list[Cell] = [first] if first else []
    upper = first is not None and is_upper(first.text)
    while i < len(all_cells) and len(parts) < 8:
        c = all_cells[i]
        if is_rule(c.text):
            if parts:
                i += 1
                break
            i += 1
            continue
        pd = _place_date_in(c, text)
        if pd and pd.start == c.start:
            break
        if (_PREAMBLE if parts else _NOT_TITLE).match(c.text) or (parts and _AUTHORITY.match(c.text)) \
                or c.text.endswith(":"):
            break
        if parts and upper != is_upper(c.text) and not (strip_vv or c.text[:1].islower()):
            break
        if parts and not upper and c.text[:1].isupper() and _BODY_SENTENCE.search(c.text):
            break               # "Trong thời gian qua, ... đã đạt kết quả.": the body's first sentence
        if not parts:
            upper = is_upper(c.text)
        parts.append(c)
        i += 1
        if sum(len(p.text) for p in parts) > 600:
            break
    _authority(all_cells, i, lay, parts)
    auth = lay.authority
    if parts and auth is not None and parts[0].start < auth.start < parts[0].end and _OF.match(parts[0].text):
        # "CHỈ THỊ / CỦA BỘ CHÍNH TRỊ / về ...": the body that issues is not part of the title
        c = parts[0]
        rest = text[auth.end:c.end]
        lead = len(rest) - len(rest.lstrip(" ,:"))
        parts = ([Cell(auth.end + lead, c.end, rest[lead:])] if rest[lead:] else []) + parts[1:]
    if not parts:
        lay.title_end = lay.type_cell.end if lay.type_cell else lay.header_end
        return
    a, b = parts[0].start, parts[-1].end
    words = " ".join(p.text for p in parts).split()
    if strip_vv:
        vv = _VV.match(words[0] + " ") if words else None
        if vv:
            words = " ".join(words).split(None, 1)[1:] if words[0] in ("V/v", "V/V", "v/v") else words
            words = " ".join(words).split()
    lay.title = Cell(a, b, " ".join(words))
    lay.title_end = b
