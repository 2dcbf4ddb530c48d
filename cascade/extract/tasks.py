"""Tasks of a plan: who must do what, with whom, by when, and to whom they report.

One task per actionable numbered item of the task and organisation sections (not of the
purpose or target sections; other sections such as funding only give tasks that name a
lead). An item is actionable when it is a leaf of the numbering, or when it carries its
own assignment (a labelled field, an agency heading, "Giao X chủ trì ..." in its
introduction). Bullets never make tasks of their own: they belong to their numbered item,
so several "+ X chủ trì ..." bullets give one task with several leads. A section without
numbered items is one task. Rows of a table of tasks ("| STT | Nhiệm vụ | Cơ quan chủ trì |
...") are tasks too, labelled by their STT under the enclosing item, or under "PL"
("PLII.3") in an appendix after the signature.

Who leads, in order of precedence:

1. a labelled field: "Đơn vị thực hiện: X chủ trì, phối hợp với Y", "Cơ quan chủ trì: X";
2. an agency heading: "2. Sở Nội vụ" followed by its duties, or "a) Sở Tài chính: ...";
3. cues in the item's own text: "Giao (cho) X chủ trì / phối hợp với / làm đầu mối ...",
   "X chủ trì, phối hợp với ...", a line that starts with an agency ("a) Sở Tài chính tham mưu");
4. the agency heading of a numbered ancestor (sub-items inherit it).

"Đề nghị X ..." makes X a requested body, not a lead. Groups ("các sở, ban, ngành") stay
groups. The deadline is the item's own "Thời gian thực hiện: / Thời hạn: / Tiến độ:" (also
as a sub-item "c) Thời gian thực hiện: ...", which dates its parent), a time phrase before
a colon opening the item ("Quý III/2021: ..."), or "hoàn thành trước ..." in its text; sub-items
without one take their parent's. Reporting duties ("định kỳ ... báo cáo kết quả về X trước
ngày 05/12 hằng năm") become :class:`~cascade.models.Reporting` (the reporter is the task's
lead unless the clause names one). Every task keeps an evidence span into the raw text.

The names, cues and line starts of the task sections are read piece by piece: the text is
cut at the line breaks nothing read goes over (:func:`_cut_after`) and each piece is read
once per process (:func:`_facts`, cached), since plans down a cascade copy each other's
sentences. The answers are those of reading the sections whole (a property the tests check).

>>> from cascade.text.normalize import clean
>>> ct = clean("II. NHIỆM VỤ\\n1. Rà soát cơ chế\\n"
...            "Giao Sở KH&CN chủ trì, phối hợp với Sở Nội vụ thực hiện.\\n"
...            "Thời gian thực hiện: Quý III/2021.\\n")
>>> t = extract_tasks(ct, "x.txt")[0]
>>> t.label, t.lead, t.cooperating, t.deadline.start
('II.1', ('Sở Khoa học và Công nghệ',), ('Sở Nội vụ',), '2021-07')
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from cascade.extract.agencies import (
    FREE,
    NO_TRIGGER,
    OPEN,
    SENTENCE,
    Found,
    cut_after,
    line_end,
    scan,
    scan_pieces,
)
from cascade.extract.structure import FIELD_LABELS, NUMBERED, Item, body_end, field_of, parse_structure, walk
from cascade.models import Deadline, Evidence, Reporting, Task
from cascade.text.normalize import CleanText
from cascade.vn.dates import parse_deadline

_FULL_SECTIONS = frozenset({"tasks", "organisation"})
_SKIP_SECTIONS = frozenset({"purpose", "targets", "preamble"})

# -- cue patterns (each is searched once per document) -------------------------------------------

# Each cue is found by its first word with str.find (much faster than a regex scan of the whole
# text), then checked with its pattern at that place.
_CUES: dict[str, tuple[tuple[str, ...], re.Pattern[str]]] = {
    "giao": (("Giao", "giao"), re.compile(r"[Gg]iao(?:\s+cho)?\s+")),
    "chu_tri": (("chủ", "Chủ", "CHỦ"), re.compile(r"(?:[Cc]hủ|CHỦ)\s+(?:trì|TRÌ)(?![^\W_])")),
    "phoi_hop": (("phối", "Phối"), re.compile(
        r"[Pp]hối\s+hợp(?:\s+(?:chặt\s+chẽ|đồng\s+bộ|tốt|thường\s+xuyên))?(?:\s+(?:với|cùng))?\s+")),
    "de_nghi": (("đề", "Đề", "ĐỀ"), re.compile(r"(?:[Đđ]ề\s+nghị|ĐỀ\s+NGHỊ)\s+(?!của\b)")),
    "dau_moi": (("làm", "là"), re.compile(r"(?:làm|là)\s+(?:cơ\s+quan\s+|đơn\s+vị\s+)?đầu\s+mối")),
    "report": (("báo", "Báo"), re.compile(r"[Bb]áo\s+cáo(?![^\W_])")),
    "deadline": (("Thời", "thời", "Tiến", "tiến"), re.compile(
        r"(?:[Tt]hời\s+gian\s+(?:thực\s+hiện|hoàn\s+thành)|[Tt]hời\s+hạn(?:\s+hoàn\s+thành)?|"
        r"[Tt]iến\s+độ(?:\s+thực\s+hiện)?)\s*[*_]*\s*:\s*[*_]*\s*(?P<v>[^;\n]+)")),
    "finish": (("hoàn", "xong"), re.compile(
        r"(?:hoàn\s+thành|xong)\s+(?P<v>(?:trong|trước|vào|chậm\s+nhất)[^;.\n]{3,60})")),
}
_DE_NGHI = _CUES["de_nghi"][1]
_WHO_CUES = ("giao", "chu_tri", "phoi_hop", "de_nghi", "dau_moi")
_FOCAL = re.compile(r"\s*(?:,\s*)?(?:làm|là)\s+(?:cơ\s+quan\s+|đơn\s+vị\s+)?(?:đầu\s+mối|thường\s+trực)")
_REPORT_CUE = re.compile(r"định\s+kỳ|hằng\s|hàng\s|trước\s+ngày|kết\s+quả|tình\s+hình|sơ\s+kết|tổng\s+kết|"
                         r"đột\s+xuất|6\s+tháng|quý|gửi\s+báo\s+cáo|báo\s+cáo\s+định\s+kỳ", re.IGNORECASE)
_TO_WORDS = frozenset({"về", "đến", "lên", "cho", "tới", "gửi", "với"})
_NOT_REPORTERS = frozenset({"với", "của", "về", "đến", "cho", "qua", "tới", "tại", "và"})
# what may stand between two names of one list: "A, B và C", "A; Chủ tịch B"
_LIST_GAP = re.compile(r"\s*(?:[,;/]|và|cùng|hoặc)?\s*(?:,\s*)?(?:và\s+)?"
                       r"(?:(?:chủ\s+tịch|giám\s+đốc|thủ\s+trưởng|lãnh\s+đạo|trưởng)\s+)?$", re.IGNORECASE)
_BEFORE_VERB = re.compile(r"\s*,?\s*(?:là\s+(?:cơ\s+quan|đơn\s+vị)\s+|làm\s+|được\s+giao\s+)?$",
                          re.IGNORECASE)
_LINE_MARK = re.compile(r"[ \t*_]*(?:(?:[IVX]{1,5}\s*[.\-)]|\d{1,2}(?:\.\d{1,2})*\s*[.)\-]?|[a-zđ]\s*[).]|"
                        r"[-+•·*])[ \t*_]*)?")
_MARKER_ONLY = re.compile(r"(?:[-+•·]|\d{1,2}(?:\.\d{1,2})*[.)\-]?|[a-zđ][).\-]|[IVX]{1,5}[.\-])")
# an agency heading may be worded "Đối với Sở X:", "Trách nhiệm của Sở X", "Sở X có trách nhiệm:"
_HEADING_PREFIX = re.compile(r"(?:đối\s+với|trách\s+nhiệm\s+của|nhiệm\s+vụ\s+của|giao(?:\s+cho)?)\s+",
                             re.IGNORECASE)
_HEADING_SUFFIX = re.compile(r"(?:có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|có\s+nhiệm\s+vụ|"
                             r"thực\s+hiện(?:\s+các)?(?:\s+nhiệm\s+vụ)?(?:\s+sau)?)?\s*(?::.*)?$",
                             re.IGNORECASE)
# a field label right before a colon, anywhere in a line ("...; Cơ quan phối hợp: Sở Tài chính")
_LABEL_BEFORE_COLON = re.compile(
    r"(?:^|(?<=[\s(;.,*_]))(?P<label>"
    + "|".join(sorted((re.escape(k).replace(r"\ ", r"\s+") for k in FIELD_LABELS), key=len, reverse=True))
    + r")\s*[*_]*\s*$", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _list_gap(gap: str) -> bool:
    """Whether ``gap`` may stand between two names of one list ("A, B và C"; cached)."""
    return len(gap) <= 40 and _LIST_GAP.match(gap) is not None


@lru_cache(maxsize=4096)
def _before_verb(gap: str) -> bool:
    """Whether ``gap`` may stand between a list of names and "chủ trì" ("A, là cơ quan chủ trì")."""
    return _BEFORE_VERB.match(gap) is not None


class _Hits:
    """Positions of one cue in the document, for picking those inside a span."""

    __slots__ = ("spans", "starts")

    def __init__(self, spans: list[tuple[int, int, str | None]]) -> None:
        self.spans = spans
        self.starts = [s for s, _, _ in spans]

    def within(self, a: int, b: int) -> list[tuple[int, int, str | None]]:
        i = bisect_left(self.starts, a)
        j = bisect_left(self.starts, b, i)
        return self.spans[i:j]

    def any(self, a: int, b: int) -> bool:
        """Whether one starts in ``[a, b)``."""
        i = bisect_left(self.starts, a)
        return i < len(self.starts) and self.starts[i] < b

    def starts_within(self, a: int, b: int) -> list[int]:
        """The starts of those that start in ``[a, b)``."""
        starts = self.starts
        i = bisect_left(starts, a)
        return starts[i:bisect_left(starts, b, i)]


@dataclass(slots=True)
class _Ctx:
    """What the items of one document share: the text, the names found in it, the cues."""

    ct: CleanText
    text: str
    found: list[Found]
    starts: list[int]
    source: str
    year: int | None
    hits: dict[str, _Hits]
    who_hits: _Hits              # the cues that name bodies, all kinds together: (start, end, kind)
    lines: _Hits                 # (start of the line's text after its marker, line start, None)
    index_at: dict[int, int]     # where a name starts -> its index in ``found`` (the first there)

    def within(self, a: int, b: int) -> list[Found]:
        i = bisect_left(self.starts, a)
        out = []
        while i < len(self.found) and self.found[i].start < b:
            if self.found[i].end <= b:
                out.append(self.found[i])
            i += 1
        return out

    def first_at(self, pos: int, limit: int) -> int | None:
        """Index of the name that starts at ``pos`` (after spaces and emphasis), if any."""
        text = self.text
        while pos < limit and text[pos] in " *_\t":
            pos += 1
        return self.index_at.get(pos)

    def run_from(self, i: int, limit: int) -> list[Found]:
        """The list of names that starts with ``found[i]``: "A, B và C" (up to ``limit``)."""
        found, text = self.found, self.text
        run = [found[i]]
        j = i + 1
        while j < len(found) and found[j].end <= limit:
            if not _list_gap(text[run[-1].end:found[j].start]):
                break
            run.append(found[j])
            j += 1
        return run

    def run_before(self, pos: int, floor: int) -> list[Found]:
        """The list of names that ends right before ``pos`` ("A và B chủ trì")."""
        found, text = self.found, self.text
        i = bisect_left(self.starts, pos) - 1
        if i < 0 or found[i].end > pos or found[i].start < floor or pos - found[i].end > 30:
            return []
        if not _before_verb(text[found[i].end:pos]):
            return []
        run = [found[i]]
        while i > 0 and found[i - 1].start >= floor:
            if not _list_gap(text[found[i - 1].end:run[0].start]):
                break
            i -= 1
            run.insert(0, found[i])
        return run

    def line_start(self, pos: int) -> int:
        return self.text.rfind("\n", 0, pos) + 1


class _Who(NamedTuple):
    """Bodies named in one piece of text, by role (lists filled in place)."""

    lead: list[str]
    cooperating: list[str]
    focal: list[str]
    requested: list[str]


def _no_one() -> _Who:
    """A :class:`_Who` with empty lists."""
    return _Who([], [], [], [])


def _add(dst: list[str], names: list[str]) -> None:
    for name in names:
        if name not in dst:
            dst.append(name)


def _add_found(dst: list[str], found: list[Found]) -> None:
    """:func:`_add` for names as found."""
    for f in found:
        name = f.name
        if name not in dst:
            dst.append(name)


def _clause_initial(text: str, pos: int) -> bool:
    """Whether ``pos`` starts a clause: the line start (after a marker) or after . ; :"""
    k = pos - 1
    while k >= 0 and text[k] in " \t*_":
        k -= 1
    if k < 0 or text[k] in "\n.;:!?":
        return True
    line_start = text.rfind("\n", 0, pos) + 1
    return bool(_MARKER_ONLY.fullmatch(text[line_start:pos].strip(" *_\t")))


def _cues(ctx: _Ctx, a: int, b: int, who: _Who, line_starts: list[int]) -> None:
    """Read the lead, cooperating, focal and requested bodies named in ``text[a:b]``."""
    if not ctx.found:
        return
    text = ctx.text
    for s, e, kind in ctx.who_hits.within(a, b):
        if kind == "giao":
            if not _clause_initial(text, s):
                continue
            i = ctx.first_at(e, b)
            if i is None:
                continue
            run = ctx.run_from(i, b)
            _add_found(who.lead, run)
            if _FOCAL.match(text, run[-1].end, b):
                _add_found(who.focal, run)
        elif kind == "chu_tri":
            _add_found(who.lead, ctx.run_before(s, max(a, text.rfind("\n", 0, s) + 1)))
        elif kind == "phoi_hop":
            i = ctx.first_at(e, b)
            if i is not None:
                _add_found(who.cooperating, ctx.run_from(i, b))
            run = ctx.run_before(s, max(a, text.rfind("\n", 0, s) + 1))   # "X phối hợp với Y": X leads
            if run and _clause_initial(text, run[0].start):
                _add_found(who.lead, run)
        elif kind == "de_nghi":
            if _clause_initial(text, s):
                i = ctx.first_at(e, b)
                if i is not None:
                    _add_found(who.requested, ctx.run_from(i, b))
        else:                                                       # "làm đầu mối"
            _add_found(who.focal, ctx.run_before(s, text.rfind("\n", 0, s) + 1))
    index_at = ctx.index_at
    for pos in line_starts:
        while pos < b and text[pos] in " *_\t":                   # ctx.first_at, inline
            pos += 1
        i = index_at.get(pos)
        if i is None:
            continue
        run = ctx.run_from(i, b)
        if _FOCAL.match(text, run[-1].end, min(b, run[-1].end + 30)):
            _add_found(who.focal, run)
        _add_found(who.lead, run)


@lru_cache(maxsize=8192)
def _line_info(line: str) -> tuple[int, bool, bool, int, bool]:
    """What :func:`_document_lines` needs of one line (cached: plans repeat their lines).

    ``(where its words start after the marker, whether it has a marker, whether it is a
    labelled field, where the words after an early colon start or -1, whether it stays open:
    a long line cut without punctuation)``.
    """
    m = _LINE_MARK.match(line)                          # always matches: every part is optional
    words = m.end() if m else 0
    colon = line.find(":", words, words + 40)          # "Quý III/2021: Sở Nội vụ hoàn thành ..."
    tail = line.rstrip(" \t*_")
    return (words, bool(line[:words].strip(" \t*_")), field_of(line) is not None,
            _skip_space(line, colon + 1, len(line)) if colon > 0 else -1,
            len(tail) >= 50 and tail[-1] not in ".:;!?)")


def _document_lines(text: str, a: int, b: int, open_before: bool = False) -> tuple[_Hits, bool]:
    """Where the words of each line of ``text[a:b]`` start, for lines that begin a clause.

    Labelled fields are read on their own. A line that merely continues a long line cut
    without punctuation (text from PDF keeps the page's line breaks: "... phối hợp với\nSở
    Nội vụ ...") does not begin a clause, so an agency at its start is not a subject.
    ``open_before``: the line before ``a`` is such a line. Also returns whether the last line is.
    """
    spans: list[tuple[int, int, str | None]] = []
    open_line = open_before
    pos = a
    for line in text[a:b].split("\n"):
        if line and not line.isspace():
            words, marked, is_field, after_colon, stays_open = _line_info(line)
            if not is_field and (marked or not open_line):
                spans.append((pos + words, pos, None))
                if after_colon >= 0:
                    spans.append((pos + after_colon, pos, None))
            open_line = stays_open
        pos += len(line) + 1
    return _Hits(spans), open_line


# -- items as tasks -----------------------------------------------------------------------------------

def _own_segments(item: Item) -> list[tuple[int, int]]:
    """The item's span without the spans of its numbered sub-items (they are tasks of their own)."""
    segs = []
    pos = item.start
    for c in item.children:
        if c.numbered and c.field is None:
            if c.start > pos:
                segs.append((pos, c.start))
            pos = max(pos, c.end)
    if item.end > pos:
        segs.append((pos, item.end))
    return segs


def _own_fields(item: Item) -> list[Item]:
    """Field items that belong to ``item`` itself (not to a numbered sub-item)."""
    out = []
    todo = list(item.children)
    while todo:
        c = todo.pop(0)
        if c.field is not None:
            out.append(c)
        elif not c.numbered:
            todo[:0] = c.children
    return out


class _Field(NamedTuple):
    """A labelled value: "Cơ quan chủ trì: Sở Y tế", its kind and the span of its value."""

    kind: str
    start: int
    end: int
    starts: list[int]            # where each line of the value begins (the value, then its bullets)


@lru_cache(maxsize=8192)
def _label_before(window: str, at_start: bool) -> tuple[int, str] | None:
    """The field label that ends ``window`` (the words before a colon): its start and kind.

    ``window`` begins with the character before the words looked at, unless they start the
    text (``at_start``): a label must follow a space or punctuation.
    """
    m = _LABEL_BEFORE_COLON.search(window, 0 if at_start else 1)
    if m is None:
        return None
    return m.start() - (0 if at_start else 1), FIELD_LABELS[" ".join(m["label"].casefold().split())]


def _labels(ctx: _Ctx, a: int, b: int) -> list[tuple[int, int, str]]:
    """``(label start, colon, kind)`` of every field label in ``text[a:b]``."""
    text = ctx.text
    out = []
    colon = text.find(":", a, b)
    while colon >= 0:
        ws = max(a, text.rfind("\n", 0, colon) + 1, colon - 48)
        hit = _label_before(text[ws - 1:colon] if ws else text[:colon], ws == 0)
        if hit:
            out.append((ws + hit[0], colon, hit[1]))
        colon = text.find(":", colon + 1, b)
    return out


def _fields(ctx: _Ctx, items: list[Item], plain: list[tuple[int, int]]) -> list[_Field]:
    """The fields of an item: its field lines (with the bullets under an empty one) and labels
    written inside its lines ("...; Thời gian: Quý II/2022; Sản phẩm: ..."); ``plain``: the
    item's own text without its field lines (see :func:`_plain_segments`)."""
    text = ctx.text
    out: list[_Field] = []
    for f in items:
        labels = _labels(ctx, f.start, f.head_end)
        first_colon = labels[0][1] if labels else text.find(":", f.start, f.head_end)
        start = first_colon + 1 if first_colon >= 0 else f.text_start
        while start < f.end and text[start] in " *_\t":
            start += 1
        end = labels[1][0] if len(labels) > 1 else f.end
        below = [c.text_start for c in walk(f.children)] if f.children else []
        out.append(_Field(f.field or "", start, end, [start, *below]))
        for i, (_, colon, kind) in enumerate(labels[1:], 1):
            vend = labels[i + 1][0] if i + 1 < len(labels) else f.head_end
            out.append(_Field(kind, colon + 1, vend, [_skip_space(text, colon + 1, vend)]))
    for a, b in plain:
        if text.find(":", a, b) < 0:
            continue
        labels = _labels(ctx, a, b)
        for i, (_, colon, kind) in enumerate(labels):
            line_end = text.find("\n", colon, b)
            line_end = b if line_end < 0 else line_end
            vend = labels[i + 1][0] if i + 1 < len(labels) and labels[i + 1][0] < line_end else line_end
            out.append(_Field(kind, colon + 1, vend, [_skip_space(text, colon + 1, vend)]))
    return out


def _skip_space(text: str, a: int, b: int) -> int:
    while a < b and text[a] in " *_\t":
        a += 1
    return a


def _value(ctx: _Ctx, f: _Field) -> str:
    return " ".join(ctx.text[f.start:f.end].split()).strip(" .;,*_")


def _heading_bodies(ctx: _Ctx, item: Item) -> tuple[str, list[str]] | None:
    """("lead"|"requested", names) when the heading is a list of bodies: "2. Sở Nội vụ",
    "4. Các tổ chức chính trị - xã hội: Theo chức năng ...", "9. Đề nghị Ủy ban MTTQ ..."."""
    text = ctx.text
    pos, end = item.text_start, item.head_end
    role = "lead"
    m = _DE_NGHI.match(text, pos, end)
    if m:
        role, pos = "requested", m.end()
    else:
        m = _HEADING_PREFIX.match(text, pos, end)
        if m:
            pos = m.end()
    i = ctx.first_at(pos, end)
    if i is None:
        return None
    run = ctx.run_from(i, end)
    rest = text[run[-1].end:end].strip(" .;*_")
    if rest and not _HEADING_SUFFIX.match(rest):
        return None
    return role, [f.name for f in run]


def _deadline_of(ctx: _Ctx, fields: list[_Field], segments: list[tuple[int, int]],
                 item: Item | None = None) -> Deadline | None:
    for f in fields:
        if f.kind == "deadline":
            value = _value(ctx, f)
            if value:
                return parse_deadline(value, year=ctx.year) or Deadline(text=value)
    if item is not None:                              # "1. Quý III/2021: Sở X hoàn thành ..."
        colon = ctx.text.find(":", item.text_start, min(item.head_end, item.text_start + 40))
        if colon > 0:
            d = parse_deadline(ctx.text[item.text_start:colon].strip(" *_"), year=ctx.year)
            if d and (d.start or d.end or d.due or d.recurrence):
                return d
    for kind in ("deadline", "finish"):
        for a, b in segments:
            for _, e, v in ctx.hits[kind].within(a, b):
                if e > b:
                    continue
                d = parse_deadline(v.strip(" .;*_"), year=ctx.year) if v else None
                if d and (kind == "deadline" or d.start or d.end or d.due):
                    return d
    return None


_CLAUSE_END = re.compile(r"[;\n.]")


def _sentence(text: str, a: int, b: int, pos: int, end: int) -> tuple[int, int]:
    """The clause around ``text[pos:end]`` within ``[a, b)``: from the last . ; or line break to the next
    (a full stop before a digit, as in "1.000", ends nothing)."""
    s = max(text.rfind(".", a, pos), text.rfind(";", a, pos), text.rfind("\n", a, pos), a - 1) + 1
    m = _CLAUSE_END.search(text, end, b)
    while m is not None and m.group() == "." and m.end() < b and text[m.end()].isdigit():
        m = _CLAUSE_END.search(text, m.end(), b)
    return s, m.start() if m is not None else b


def _reporting(ctx: _Ctx, segments: list[tuple[int, int]], lead: tuple[str, ...],
               skip: list[tuple[int, int]]) -> list[Reporting]:
    """Reporting duties: "báo cáo kết quả về X trước ngày 05/12 hằng năm", one per clause."""
    text = ctx.text
    out: list[Reporting] = []
    seen: set[tuple[str, str | None]] = set()
    done: set[int] = set()
    for a, b in segments:
        for ms, me, _ in ctx.hits["report"].within(a, b):
            if skip and any(x <= ms < y for x, y in skip):
                continue                                # "Sản phẩm: Báo cáo ..." is a deliverable
            s, e = _sentence(text, a, b, ms, me)
            if s in done or not _REPORT_CUE.search(text, s, e):
                continue
            to = _recipients(ctx, me, e)
            if not to:
                continue
            done.add(s)
            reporters = [f.name for f in ctx.within(s, ms)
                         if text[max(0, f.start - 8):f.start].split()[-1:] == []
                         or text[max(0, f.start - 8):f.start].split()[-1].casefold() not in _NOT_REPORTERS]
            dl = parse_deadline(text[s:e], year=ctx.year)
            ev = _evidence(ctx, s, e)
            for name in to:
                k = (name, dl.text if dl else None)
                if k not in seen:
                    seen.add(k)
                    out.append(Reporting(to=name, reporter=tuple(reporters) or lead, deadline=dl,
                                         evidence=ev))
    return out


def _recipients(ctx: _Ctx, pos: int, end: int) -> list[str]:
    """Who a report goes to: the first body right after "báo cáo" or after về/đến/lên/cho."""
    text = ctx.text
    for f in ctx.within(pos, end):
        if f.group:
            continue
        gap = text[pos:f.start].split()
        if not gap or gap[-1].casefold() in _TO_WORDS:
            i = bisect_left(ctx.starts, f.start)
            return [g.name for g in ctx.run_from(i, end) if not g.group]
    return []


def _item_evidence(ctx: _Ctx, it: Item) -> Evidence:
    """The evidence of an item's task: its span in the raw text, quoting its first line."""
    ct = ctx.ct
    raw = ct.raw
    if ct.omap.stages:
        ra, rb = ct.original(it.start, it.end)
        qa, qb = (ra, rb) if it.head_end == it.end else ct.original(it.start, it.head_end)
    else:                                              # the text was not rewritten: offsets agree
        ra, rb, qa, qb = it.start, it.end, it.start, it.head_end
    ra = max(0, min(ra, len(raw)))
    rb = max(ra, min(rb, len(raw)))
    return Evidence(ctx.source, ra, rb, raw[qa:qb].strip())


def _evidence(ctx: _Ctx, a: int, b: int, quote: str | None = None) -> Evidence:
    ra, rb = ctx.ct.original(a, b)
    raw = ctx.ct.raw
    ra = max(0, min(ra, len(raw)))
    rb = max(ra, min(rb, len(raw)))
    return Evidence(ctx.source, ra, rb, raw[ra:rb] if quote is None else quote)


def _who_of(ctx: _Ctx, fields: list[_Field], plain: list[tuple[int, int]]) -> tuple[_Who, _Who]:
    """(bodies named in labelled fields, bodies named in the rest of the item's own text)."""
    by_field = _no_one()
    for f in fields:
        if f.kind != "lead" and f.kind != "cooperating":
            continue
        sub = _no_one()
        _cues(ctx, f.start, f.end, sub, f.starts)
        if f.kind == "lead":
            _add(by_field.lead, sub.lead)
            _add(by_field.cooperating, sub.cooperating)
        else:
            _add(by_field.cooperating, sub.lead + sub.cooperating)
        _add(by_field.requested, sub.requested)
        _add(by_field.focal, sub.focal)
    rest = _no_one()
    lines = ctx.lines
    for a, b in plain:
        _cues(ctx, a, b, rest, lines.starts_within(a, b))
    return by_field, rest


def _plain_segments(segments: list[tuple[int, int]], fields: list[Item]) -> list[tuple[int, int]]:
    """Own segments without the spans of labelled fields (read on their own)."""
    return _minus(segments, sorted([(f.start, f.end) for f in fields])) if fields else segments


def _find_cue(text: str, a: int, b: int, words: tuple[str, ...],
              pattern: re.Pattern[str]) -> list[tuple[int, int, str | None]]:
    """``(start, end, value)`` of each match of a cue in ``text[a:b]``, found by its first words."""
    has_value = "v" in pattern.groupindex
    spans = []
    for w in words:
        pos = text.find(w, a, b)
        while pos >= 0:
            if pos == 0 or not text[pos - 1].isalnum():
                m = pattern.match(text, pos, b)
                if m:
                    spans.append((pos, m.end(), m.group("v") if has_value else None))
            pos = text.find(w, pos + 1, b)
    spans.sort()
    return spans


def _pattern_words(pattern: str) -> frozenset[str]:
    """The words a pattern is written with, in lower case ("[Gg]iao" gives "giao"; the letters
    of escapes come along: no harm)."""
    src = re.sub(r"\[(\w)(\w)\]", lambda m: m[1] if m[1].casefold() == m[2].casefold() else m[0], pattern)
    return frozenset(w.casefold() for w in re.findall(r"[^\W\d_]+", src))


# the words a cue may be cut after by a line break ("phối hợp với\nSở Nội vụ")
_CUE_WORDS = frozenset().union(*(_pattern_words(p.pattern) for _, p in _CUES.values()))


@lru_cache(maxsize=4096)
def _cue_end(line: str) -> int:
    """How a cue may go on from ``line`` into the next line ("phối hợp với\\nSở Nội vụ"):
    SENTENCE (the line ends a sentence), FREE (its last word is none a cue is made of),
    NO_TRIGGER (no cue starts in it) or OPEN (the constants of :mod:`cascade.extract.agencies`)."""
    t = line.rstrip()
    if not t:
        return OPEN
    if t[-1] in ".;!?)":
        return SENTENCE
    if t[-1].isalnum():
        k = len(t)
        while k and t[k - 1].isalnum():
            k -= 1
        if t[k:].casefold() not in _CUE_WORDS:
            return FREE
    for words, _ in _CUES.values():
        for w in words:
            i = line.find(w)
            while i >= 0:
                if i == 0 or not line[i - 1].isalnum():
                    return OPEN
                i = line.find(w, i + 1)
    return NO_TRIGGER


_CUT, _NEVER, _LOOK = range(3)


@lru_cache(maxsize=8192)
def _line_cut(line: str) -> int:
    """Whether the text may be cut after ``line`` whatever comes before and after it (_CUT),
    never (_NEVER: something read may go on past it), or whether to look closer (_LOOK)."""
    names, cues = line_end(line), _cue_end(line)
    if names <= FREE and cues <= FREE:
        return _CUT
    return _NEVER if OPEN in (names, cues) else _LOOK


def _cut_after(text: str, piece: int, line: int, nl: int, end: int) -> bool:
    """Whether the text may be read up to the line break at ``nl`` and after it separately:
    nothing read (a name, a group, a cue) goes over the break (``piece``: where the text
    read with this line starts; ``line``: where this line starts)."""
    s = text[line:nl]
    code = _line_cut(s)
    if code != _LOOK:
        return code == _CUT
    kind = _cue_end(s)                                  # the cached test first, the group matching last
    if not (kind <= FREE or (kind == NO_TRIGGER and piece == line)):
        return False
    return cut_after(text, piece, line, nl, end)


_Span = tuple[int, int, str | None]
# what _facts reads in a piece: names, the cues that name bodies (start, end, kind), the
# report / deadline / finish cues (start, end, value), the clause-initial line starts, and
# whether its last line is a long one left open
_Facts = tuple[tuple[Found, ...], tuple[_Span, ...], tuple[_Span, ...], tuple[_Span, ...], tuple[_Span, ...],
               tuple[_Span, ...], bool]


@lru_cache(maxsize=8192)
def _facts(piece: str, open_before: bool) -> _Facts:
    """What a piece of text (see :func:`_cut_after`) holds, offsets relative to the piece (see
    :data:`_Facts`); ``open_before``: the line before the piece is a long one left open.

    A pure function of its arguments, cached: plans down a cascade copy each other's wording.
    """
    end = len(piece)
    hits = {kind: _find_cue(piece, 0, end, words, pattern) for kind, (words, pattern) in _CUES.items()}
    who = sorted((a, b, kind) for kind in _WHO_CUES for a, b, _ in hits[kind])
    lines, open_after = _document_lines(piece, 0, end, open_before)
    return (tuple(scan_pieces(piece)), tuple(who), tuple(hits["report"]), tuple(hits["deadline"]),
            tuple(hits["finish"]), tuple(lines.spans), open_after)


def _context(ct: CleanText, items: list[Item], source: str, year: int | None) -> _Ctx:
    """Names, cues and line starts of the part of the text that holds tasks, read piece by piece
    (see :func:`_cut_after` and :func:`_facts`): the same as reading the whole part at once."""
    text = ct.text
    first = min((it.start for it in items if it.section not in _SKIP_SECTIONS), default=len(text))
    last = max((it.end for it in items), default=0)
    found: list[Found] = []
    who: list[_Span] = []
    report: list[_Span] = []
    deadline: list[_Span] = []
    finish: list[_Span] = []
    lines: list[_Span] = []
    piece = line = first
    open_before = False                          # the line before the piece is a long one left open
    while piece < last:
        nl = text.find("\n", line, last)
        if nl >= 0:
            if nl == line:
                line = nl + 1
                continue
            s = text[line:nl]
            code = _line_cut(s)                          # _cut_after, its common answers inline
            if code != _CUT and (code == _NEVER or not _cut_after(text, piece, line, nl, last)):
                line = nl + 1
                continue
            end = nl
            if piece != line:                            # a piece of several lines
                s = text[piece:nl]
        else:
            end = last
            s = text[piece:last]
        names, w, r, d, f, starts, open_before = _facts(s, open_before)
        if names:
            found.extend([Found(x[0], x[1] + piece, x[2] + piece, x[3]) for x in names])
        if w:
            who.extend([(x + piece, y + piece, v) for x, y, v in w])
        if starts:
            lines.extend([(x + piece, y + piece, v) for x, y, v in starts])
        if r:
            report.extend([(x + piece, y + piece, v) for x, y, v in r])
        if d:
            deadline.extend([(x + piece, y + piece, v) for x, y, v in d])
        if f:
            finish.extend([(x + piece, y + piece, v) for x, y, v in f])
        piece = line = end + 1
    hits = {"report": _Hits(report), "deadline": _Hits(deadline), "finish": _Hits(finish)}
    name_starts = [x[1] for x in found]
    index_at: dict[int, int] = {}
    for i, pos in enumerate(name_starts):
        index_at.setdefault(pos, i)
    return _Ctx(ct, text, found, name_starts, source, year, hits, _Hits(who), _Hits(lines), index_at)

# -- tables ("| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |") ----------

_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.MULTILINE)
_RULE_CELL = re.compile(r"^\s*:?-{2,}:?\s*$")
_ROMAN_STT = re.compile(r"^(?:[IVX]{1,5}|[A-HK-UY])\.?$")
_NUM_STT = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
_APPENDIX = re.compile(r"(?:PHỤ\s+LỤC|Phụ\s+lục)(?:\s+(?:số\s+)?(?P<n>[IVX]{1,5}|\d{1,2})\b)?")


def _column_role(header: str) -> str | None:
    h = " ".join(header.casefold().replace("*", " ").split())
    if "phối hợp" in h:
        return "cooperating"
    if "chủ trì" in h or "đầu mối" in h or "trách nhiệm" in h or (
            ("cơ quan" in h or "đơn vị" in h) and "thực hiện" in h):
        return "lead"
    if any(w in h for w in ("thời gian", "thời hạn", "tiến độ", "hoàn thành", "thời điểm")):
        return "deadline"
    if "sản phẩm" in h or "kết quả" in h:
        return "deliverable"
    if h in ("stt", "tt", "số tt", "số thứ tự", "thứ tự"):
        return "stt"
    if any(w in h for w in ("nhiệm vụ", "nội dung", "công việc", "hoạt động", "tên", "giải pháp")):
        return "task"
    return None


def _cells(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Spans of the cells of a table row ``text[a:b]`` (without the outer bars)."""
    bars = [i for i in range(a, b) if text[i] == "|"]
    return [(bars[k] + 1, bars[k + 1]) for k in range(len(bars) - 1)]


def _cell_text(text: str, span: tuple[int, int] | None) -> str:
    if span is None:
        return ""
    t = text[span[0]:span[1]].replace("<br>", " ").replace("<br/>", " ").replace("*", " ")
    return " ".join(t.split()).strip(" .;")


def _tables(text: str) -> list[list[tuple[int, int]]]:
    """Blocks of consecutive table rows: each a list of row spans."""
    blocks: list[list[tuple[int, int]]] = []
    last_end = -2
    for m in _TABLE_ROW.finditer(text):
        if blocks and text[last_end:m.start()].strip() == "":
            blocks[-1].append(m.span())
        else:
            blocks.append([m.span()])
        last_end = m.end()
    return blocks


def _table_tasks(ctx: _Ctx, items: list[Item], body_end: int) -> tuple[list[Task], list[tuple[int, int]]]:
    """Tasks from tables of tasks, in the body or in an appendix; also the spans the tables cover."""
    text = ctx.text
    out: list[Task] = []
    spans: list[tuple[int, int]] = []
    for rows in _tables(text):
        header = _cells(text, *rows[0])
        roles = [_column_role(text[a:b]) for a, b in header]
        if "task" not in roles or "lead" not in roles:
            continue
        spans.append((rows[0][0], rows[-1][1]))
        col = {r: i for i, r in reversed(list(enumerate(roles))) if r}
        if rows[0][0] >= body_end:
            found = [m for m in _APPENDIX.finditer(text, body_end, rows[0][0])]
            prefix = "PL" + (found[-1]["n"] or "" if found else "")
            section = "appendix"
        else:
            host = None
            for it in walk(items):
                if it.numbered and it.start <= rows[0][0] < it.end:
                    host = it
            prefix, section = (host.label, host.section) if host else ("", "tasks")
        group = ""
        last: Task | None = None
        for ra, rb in rows[1:]:
            cells = _cells(text, ra, rb)
            if not cells or all(_RULE_CELL.match(text[a:b]) or not text[a:b].strip() for a, b in cells):
                continue
            cell = _cell_of(cells, col)
            stt = _cell_text(text, cell("stt")) if "stt" in col else ""
            names = scan(text, *cell("lead")) if cell("lead") else []
            coop_cell = cell("cooperating")
            coop = scan(text, *coop_cell) if coop_cell else []
            split = text.find("phối hợp", *cell("lead")) if cell("lead") else -1
            lead = [f.name for f in names if split < 0 or f.start < split]
            cooperating = [f.name for f in names if split >= 0 and f.start > split] + [f.name for f in coop]
            if _ROMAN_STT.match(stt) and not lead:
                group = stt.rstrip(".")
                continue
            if not stt and last is not None and lead:          # a row continued on the next line
                out[-1] = last = Task(**{**{f: getattr(last, f) for f in Task.__slots__},
                                         "lead": tuple(dict.fromkeys(last.lead + tuple(lead)))})
                continue
            if not stt:
                continue
            label = ".".join(x for x in (prefix, group, stt.rstrip(".")) if x)
            dl_text = _cell_text(text, cell("deadline"))
            deadline = (parse_deadline(dl_text, year=ctx.year) or Deadline(text=dl_text)) if dl_text else None
            ev = _evidence(ctx, ra, rb, ctx.ct.raw_slice(ra, rb).strip())
            last = Task(label=label, text=_cell_text(text, cell("task")), lead=tuple(dict.fromkeys(lead)),
                        cooperating=tuple(n for n in dict.fromkeys(cooperating) if n not in lead),
                        deadline=deadline, deliverable=_cell_text(text, cell("deliverable")) or None,
                        section=section, evidence=ev)
            out.append(last)
    return out, spans


def _cell_of(cells: list[tuple[int, int]], col: dict[str, int]):
    """A lookup of a row's cell by column role (None when the row is short)."""
    def cell(role: str) -> tuple[int, int] | None:
        i = col.get(role)
        return cells[i] if i is not None and i < len(cells) else None
    return cell


def _minus(segments: list[tuple[int, int]], cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``segments`` less the spans in ``cuts`` (sorted by start)."""
    if not cuts:
        return segments
    out = []
    for a, b in segments:
        pos = a
        for c, d in cuts:
            if d <= pos or c >= b:
                continue
            if c > pos:
                out.append((pos, c))
            pos = max(pos, d)
        if pos < b:
            out.append((pos, b))
    return out



def extract_tasks(ct: CleanText, source: str, *, province: str | None = None, district: str | None = None,
                  level: str | None = None, year: int | None = None) -> tuple[Task, ...]:
    """The tasks a plan assigns, in document order.

    Names are canonical agency names without a jurisdiction (see :mod:`cascade.extract.agencies`);
    ``province``, ``district`` and ``level`` are accepted for callers that key agencies with
    :func:`cascade.extract.agencies.agency_key` and do not change the names. ``year`` completes
    deadline phrases that give none ("Quý III", "trước ngày 30/6").
    """
    del province, district, level
    text = ct.text
    items = parse_structure(text)
    has_table = text.count("|") >= 6
    if not items and not has_table:
        return ()
    has_task_sections = any(it.section in _FULL_SECTIONS for it in items)
    ctx = _context(ct, items, source, year)
    table_tasks, table_spans = _table_tasks(ctx, items, body_end(text)) if has_table else ([], [])

    headings: dict[int, tuple[str, list[str]] | None] = {}

    def heading(it: Item) -> tuple[str, list[str]] | None:
        if id(it) not in headings:
            headings[id(it)] = _heading_bodies(ctx, it) if it.style != "roman" else None
        return headings[id(it)]

    deadlines: dict[int, Deadline | None] = {}
    leads_of: dict[int, list[str]] = {}
    tasks: list[Task] = []
    for it in walk(items):
        if it.field is not None or it.style not in NUMBERED or it.section in _SKIP_SECTIONS:
            continue
        numbered_children = False
        for c in it.children:
            if c.field is None and c.style in NUMBERED:
                numbered_children = True
                break
        if numbered_children and it.style == "roman":
            continue                                    # a section is a task only without numbered items
        lead_only = it.section not in _FULL_SECTIONS and has_task_sections
        segments = _minus(_own_segments(it), table_spans)
        field_items = _own_fields(it)
        plain = _plain_segments(segments, field_items)
        fields = _fields(ctx, field_items, plain)
        by_field, rest = _who_of(ctx, fields, plain)
        own_heading = heading(it)
        if it.style == "roman":                        # a section without numbered items: its text
            if sum(len(text[max(a, it.head_end):b].split()) for a, b in segments if b > it.head_end) < 3:
                continue
        elif numbered_children and not (fields or by_field.lead or rest.lead or rest.requested):
            continue                                    # a heading over sub-items that are the tasks
        lead: list[str] = []
        requested = list(by_field.requested)
        _add(requested, rest.requested)
        if by_field.lead:
            lead = by_field.lead
        elif own_heading and own_heading[0] == "lead":
            lead = own_heading[1]
        elif rest.lead:
            lead = rest.lead
        elif not (own_heading and own_heading[0] == "requested"):
            for anc in it.ancestors():                   # sub-items inherit an agency heading,
                if not anc.numbered or anc.style == "roman":  # or "Giao X thực hiện các nội dung sau:"
                    break
                h = heading(anc)
                if h:
                    if h[0] == "lead":
                        lead = h[1]
                    else:
                        _add(requested, h[1])
                    break
                if leads_of.get(id(anc)):
                    lead = list(leads_of[id(anc)])
                    break
        if own_heading and own_heading[0] == "requested":
            _add(requested, own_heading[1])
        lead = [n for n in lead if n not in requested]
        leads_of[id(it)] = lead
        if lead_only and not lead:
            continue
        cooperating = [n for n in dict.fromkeys(by_field.cooperating + rest.cooperating) if n not in lead]
        focal = list(dict.fromkeys(by_field.focal + rest.focal))

        deadline = deadlines[id(it)] = _deadline_of(ctx, fields, segments, it)
        if deadline is None:
            for anc in it.ancestors():                   # "c) Thời gian thực hiện" of the parent
                if anc.style == "roman" or not anc.numbered:
                    break
                if id(anc) not in deadlines:
                    anc_segments = _own_segments(anc)
                    anc_fields = _own_fields(anc)
                    anc_plain = _plain_segments(anc_segments, anc_fields)
                    deadlines[id(anc)] = _deadline_of(ctx, _fields(ctx, anc_fields, anc_plain), anc_segments)
                if deadlines[id(anc)]:
                    deadline = deadlines[id(anc)]
                    break
        deliverable = None
        skip = []
        for f in fields:
            if f.kind == "deliverable":
                skip.append((f.start, f.end))
                if deliverable is None:
                    deliverable = _value(ctx, f) or None
        reporting = (_reporting(ctx, segments, tuple(lead), skip)
                     if ctx.hits["report"].any(it.start, it.end) else [])
        ev = _item_evidence(ctx, it)
        tasks.append(Task(label=it.label, text=it.heading, lead=tuple(lead), cooperating=tuple(cooperating),
                          focal=tuple(focal), requested=tuple(requested), deadline=deadline,
                          reporting=tuple(reporting), deliverable=deliverable, section=it.section,
                          evidence=ev))
    if table_tasks:
        tasks.extend(table_tasks)
        tasks.sort(key=lambda t: t.evidence.start if t.evidence else 0)
    return tuple(tasks)


# -- instructions to the units below the issuer --------------------------------------------------

_UY = r"(?:ủy|uỷ)"
_SUB_PARTY = re.compile(
    rf"\b(?:(?P<p>tỉnh\s+{_UY}|thành\s+{_UY}\s+trực\s+thuộc\s+trung\s+ương)"
    rf"|(?P<d>huyện\s+{_UY}|quận\s+{_UY}|thị\s+{_UY}|đảng\s+{_UY}\s+(?:cơ\s+sở\s+)?trực\s+thuộc)"
    rf"|(?P<c>đảng\s+{_UY}\s+(?:các\s+)?(?:xã|phường|thị\s+trấn))"
    rf"|(?P<x>thành\s+{_UY}|cấp\s+{_UY}))", re.IGNORECASE)
_SUB_STATE = re.compile(r"\b(?:ủy|uỷ)\s+ban\s+nhân\s+dân|\bubnd\b", re.IGNORECASE)
_STATE_LEVEL = re.compile(
    r"\s+(?P<many>(?:các\s+)?(?:cấp\s+)?)(?:(?P<p>tỉnh)|(?P<d>huyện|quận|thị\s+xã)|(?P<c>xã|phường|thị\s+trấn))",
    re.IGNORECASE)
_LOCALITIES = re.compile(r"\bcác\s+(?:(?P<p>tỉnh)|(?P<d>huyện|địa\s+phương)|(?P<c>xã|phường))\b",
                         re.IGNORECASE)
_LIST_BEFORE = re.compile(r"\b(?:các|cấp)\s+(?:[^\W\d_][^,;.:\n]{0,29}?(?:\s*,\s*|\s+và\s+))*$",
                          re.IGNORECASE)
_SUBORDINATE_OF = re.compile(
    rf"\btrực\s+thuộc\s+(?P<parent>(?:ban\s+thường\s+vụ\s+)?(?:tỉnh|thành|huyện)\s+{_UY})", re.IGNORECASE)
_CAC = re.compile(r"các\s+$", re.IGNORECASE)
_PLAN_ACT = re.compile(r"\b(?:xây\s+dựng|ban\s+hành|cụ\s+thể\s+h(?:óa|oá))\s+(?:\S+\s+){0,3}?"
                       r"(?:kế\s+hoạch|chương\s+trình|đề\s+án)", re.IGNORECASE)
_REPORT_ACT = re.compile(r"\bbáo\s+cáo\b", re.IGNORECASE)


#: regex group -> level of the addressees
_LEVEL_GROUPS = {"p": "province", "d": "district", "c": "commune"}


def _plural(head: str, start: int) -> bool:
    """Whether the bodies named at ``start`` close a list that opens with "các" or "cấp":
    "Các huyện ủy, thị ủy, | đảng ủy trực thuộc" (items of at most 30 characters, joined by
    commas or "và"), so "tổ chức các hoạt động ..., UBND thị xã" is no list."""
    return bool(_LIST_BEFORE.search(head[max(0, start - 120):start]))


@dataclass(frozen=True, slots=True)
class Order:
    """An instruction a plan gives to the jurisdictions below its issuer.

    ``kind`` is "plan" (build or issue their own plan: "các huyện ủy ... xây dựng kế hoạch
    thực hiện") or "report" ("báo cáo kết quả về ..."); ``branch`` is "party" (huyện ủy,
    thị ủy, đảng ủy trực thuộc...), "state" (UBND các huyện...) or None when both or neither
    are named ("các địa phương"); ``level`` is "province", "district" or "commune" (các đảng ủy
    xã, UBND các xã, phường, thị trấn) when the words say it and None when only the issuer's
    level tells (a "thành ủy" is either). A single body ("UBND huyện", "Ban Tuyên giáo Tỉnh ủy")
    is the issuer's own, not a subordinate: the list must open with "các" or "cấp". ``start``/``end`` is
    the span of the addressees' words in the text read.
    """

    kind: str
    branch: str | None
    level: str | None
    start: int
    end: int


def read_order(text: str) -> Order | None:
    """The instruction to subordinate jurisdictions in one task's text, or None.

    Only the words before the action count as addressees, so the body reported to ("về Ban
    Thường vụ Tỉnh ủy") is not one; "trực thuộc Tỉnh ủy" names the parent, not an addressee.

    >>> o = read_order("Các huyện ủy, thị ủy, đảng ủy trực thuộc Tỉnh ủy xây dựng kế hoạch thực hiện, "
    ...                "hoàn thành trước ngày 30/6/2021.")
    >>> o.kind, o.branch, o.level
    ('plan', 'party', 'district')
    >>> o = read_order("UBND các huyện, thị xã, thành phố báo cáo kết quả về Sở Nội vụ "
    ...                "trước ngày 15/12 hằng năm.")
    >>> o.kind, o.branch, o.level
    ('report', 'state', 'district')
    >>> read_order("Sở Nội vụ báo cáo kết quả về Ban Thường vụ Tỉnh ủy trước ngày 15/12.") is None
    True
    """
    plan, report = _PLAN_ACT.search(text), _REPORT_ACT.search(text)
    acts = [m for m in (plan, report) if m is not None]
    if not acts:
        return None
    act = min(acts, key=lambda m: m.start())
    kind = "plan" if act is plan else "report"
    def blank_parent(m: re.Match[str]) -> str:
        return m.group()[:m.start("parent") - m.start()] + " " * len(m.group("parent"))

    head = _SUBORDINATE_OF.sub(blank_parent, text[:act.start()])
    branches: set[str] = set()
    levels: set[str] = set()
    spans: list[tuple[int, int]] = []
    for m in _SUB_PARTY.finditer(head):
        if not (_plural(head, m.start()) or "trực" in m.group().lower()):
            continue                          # "Ban Tuyên giáo Tỉnh ủy": a body of the committee itself
        branches.add("party")
        spans.append(m.span())
        levels.update(lvl for k, lvl in _LEVEL_GROUPS.items() if m.group(k))
    for m in _SUB_STATE.finditer(head):
        lv = _STATE_LEVEL.match(head, m.end())
        if lv is None or not (lv.group("many") or _plural(head, m.start())):
            continue                          # "UBND huyện", "Văn phòng HĐND&UBND quận": the issuer's own
        branches.add("state")
        spans.append((m.start(), lv.end()))
        levels.update(lvl for k, lvl in _LEVEL_GROUPS.items() if lv.group(k))
    if not spans:
        for m in _LOCALITIES.finditer(head):
            spans.append(m.span())
            levels.update(lvl for k, lvl in _LEVEL_GROUPS.items() if m.group(k))
    if not spans:
        return None
    start = min(a for a, _ in spans)
    cac = _CAC.search(head, max(0, start - 6), start)
    return Order(kind=kind, branch=branches.pop() if len(branches) == 1 else None,
                 level=levels.pop() if len(levels) == 1 else None,
                 start=cac.start() if cac else start, end=max(b for _, b in spans))
