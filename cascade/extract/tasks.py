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

The names, cues and line starts of the task sections are read by
:mod:`cascade.extract.assignments` (piece by piece, cached: the answers are those of reading the
sections whole, a property the tests check); rows of tables of tasks by
:mod:`cascade.extract.task_tables`; orders to the levels below by :mod:`cascade.extract.orders`.
A field line that holds its value is read once per line and a reporting clause once per piece
(cached; plans repeat them), each then placed in the plan at hand.

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
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import NamedTuple

from cascade.extract.assignments import (
    DE_NGHI,
    SKIP_SECTIONS,
    TaskContext,
    Who,
    add_new,
    item_evidence,
    no_one,
    read_context,
    read_cues,
    read_segment,
    skip_space,
    span_evidence,
)
from cascade.extract.structure import FIELD_LABELS, NUMBERED, Item, body_end, parse_structure, walk
from cascade.extract.task_tables import read_table_tasks
from cascade.models import Deadline, Reporting, Task
from cascade.text.normalize import CleanText
from cascade.vn.dates import parse_deadline

_FULL_SECTIONS = frozenset({"tasks", "organisation"})

# -- reporting clauses and agency headings ---------------------------------------------------------

_REPORT_CUE = re.compile(r"định\s+kỳ|hằng\s|hàng\s|trước\s+ngày|kết\s+quả|tình\s+hình|sơ\s+kết|tổng\s+kết|"
                         r"đột\s+xuất|6\s+tháng|quý|gửi\s+báo\s+cáo|báo\s+cáo\s+định\s+kỳ", re.IGNORECASE)
_TO_WORDS = frozenset({"về", "đến", "lên", "cho", "tới", "gửi", "với"})
_NOT_REPORTERS = frozenset({"với", "của", "về", "đến", "cho", "qua", "tới", "tại", "và"})
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


# -- items as tasks -----------------------------------------------------------------------------------

def _own_parts(item: Item, cuts: list[tuple[int, int]]) -> tuple[bool, list[tuple[int, int]], list[Item],
                                                                list[tuple[int, int]]]:
    """What of ``item`` is its own, read in one pass over its children: whether it has numbered
    sub-items (field lines aside); its segments, the spans of its text less those of its numbered
    sub-items (tasks of their own) and less ``cuts`` (tables of tasks); its field items, those
    that belong to it rather than to a numbered sub-item (found under its bullets too); and its
    plain segments, the segments less the spans of those fields (read on their own)."""
    numbered = False
    segs = []
    fields: list[Item] = []
    pos = item.start
    for c in item.children:
        if c.field is not None:
            fields.append(c)
        elif c.style in NUMBERED:
            numbered = True
            if c.start > pos:
                segs.append((pos, c.start))
            if c.end > pos:
                pos = c.end
        elif c.children:
            _fields_below(c, fields)
    if item.end > pos:
        segs.append((pos, item.end))
    if cuts:
        segs = _minus(segs, cuts)
    plain = _minus(segs, sorted([(f.start, f.end) for f in fields])) if fields else segs
    return numbered, segs, fields, plain


def _fields_below(item: Item, out: list[Item]) -> None:
    """The field items under a bullet, in document order, not those under a numbered item."""
    for c in item.children:
        if c.field is not None:
            out.append(c)
        elif c.style not in NUMBERED and c.children:
            _fields_below(c, out)


class _Field(NamedTuple):
    """A labelled value: "Cơ quan chủ trì: Sở Y tế", its kind and the span of its value."""

    kind: str
    start: int
    end: int
    starts: list[int]            # where each line of the value begins (the value, then its bullets)
    value: str | None = None     # the value as :func:`_value` reads it, when read already


_new_field = tuple.__new__                       # _Field(...) without its Python-level __new__


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


def _labels(text: str, a: int, b: int) -> list[tuple[int, int, str]]:
    """``(label start, colon, kind)`` of every field label in ``text[a:b]``, which starts a line
    or the text (a label is read in its line from ``a`` on)."""
    out = []
    colon = text.find(":", a, b)
    while colon >= 0:
        ws = max(a, text.rfind("\n", 0, colon) + 1, colon - 48)
        hit = _label_before(text[ws - 1:colon] if ws else text[:colon], ws == 0)
        if hit:
            out.append((ws + hit[0], colon, hit[1]))
        colon = text.find(":", colon + 1, b)
    return out


def _field_item(text: str, f: Item | None, start: int, end: int, head_end: int, text_start: int,
                below: list[int]) -> list[_Field]:
    """The fields of a field item of ``text`` spanning ``[start, end)``: its own (kind "" here
    when ``f`` is None) and those of the labels later in its line ("...; Sản phẩm: ...")."""
    labels = _labels(text, start, head_end)
    first_colon = labels[0][1] if labels else text.find(":", start, head_end)
    vstart = first_colon + 1 if first_colon >= 0 else text_start
    while vstart < end and text[vstart] in " *_\t":
        vstart += 1
    vend = labels[1][0] if len(labels) > 1 else end
    out = [_new_field(_Field, ((f.field or "") if f else "", vstart, vend, [vstart, *below], None))]
    for i in range(1, len(labels)):
        colon, kind = labels[i][1], labels[i][2]
        vend = labels[i + 1][0] if i + 1 < len(labels) else head_end
        out.append(_new_field(_Field, (kind, colon + 1, vend, [skip_space(text, colon + 1, vend)], None)))
    return out


@lru_cache(maxsize=4096)
def _line_fields(line: str, text_start: int) -> tuple[tuple[str, int, int, int, str], ...]:
    """:func:`_field_item` of a field item that is one line, ``line`` (its words at ``text_start``),
    read in the line alone: ``(kind, value start, value end, where its words start, value)`` for
    each field, offsets in the line; its own field's kind is "" (its item's). Plans repeat their
    field lines ("Thời gian thực hiện: Năm 2021"), so this is cached: a label is read in its line
    only, from the line's start (see :func:`_labels`), so the answer is the line's alone.
    """
    return tuple([(f.kind, f.start, f.end, f.starts[0], _read_value(line, f.start, f.end))
                  for f in _field_item(line, None, 0, len(line), len(line), text_start, [])])


def _fields(ctx: TaskContext, items: list[Item], plain: list[tuple[int, int]]) -> list[_Field]:
    """The fields of an item: its field lines (with the bullets under an empty one) and labels
    written inside its lines ("...; Thời gian: Quý II/2022; Sản phẩm: ..."); ``plain``: the
    item's own text without its field lines (see :func:`_own_parts`)."""
    text = ctx.text
    out: list[_Field] = []
    for f in items:
        if f.end == f.head_end and not f.children:    # a field line holding its value: read once per line
            p = f.start
            for kind, vs, ve, w, value in _line_fields(text[p:f.end], f.text_start - p):
                out.append(_new_field(_Field, (kind or f.field or "", vs + p, ve + p, [w + p], value)))
            continue
        below = [c.text_start for c in walk(f.children)] if f.children else []
        out.extend(_field_item(text, f, f.start, f.end, f.head_end, f.text_start, below))
    for a, b in plain:
        if text.find(":", a, b) < 0:
            continue
        labels = _labels(text, a, b)
        for i, (_, colon, kind) in enumerate(labels):
            line_end = text.find("\n", colon, b)
            line_end = b if line_end < 0 else line_end
            vend = labels[i + 1][0] if i + 1 < len(labels) and labels[i + 1][0] < line_end else line_end
            out.append(_new_field(_Field, (kind, colon + 1, vend, [skip_space(text, colon + 1, vend)], None)))
    return out


def _read_value(text: str, start: int, end: int) -> str:
    """The value of a field in ``text[start:end]``: its words, without the punctuation around them."""
    return " ".join(text[start:end].split()).strip(" .;,*_")


def _value(ctx: TaskContext, f: _Field) -> str:
    return f.value if f.value is not None else _read_value(ctx.text, f.start, f.end)


def _heading_bodies(ctx: TaskContext, item: Item) -> tuple[str, list[str]] | None:
    """("lead"|"requested", names) when the heading is a list of bodies: "2. Sở Nội vụ",
    "4. Các tổ chức chính trị - xã hội: Theo chức năng ...", "9. Đề nghị Ủy ban MTTQ ..."."""
    text = ctx.text
    pos, end = item.text_start, item.head_end
    role = "lead"
    m = DE_NGHI.match(text, pos, end)
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


def _deadline_of(ctx: TaskContext, fields: list[_Field], segments: list[tuple[int, int]],
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
    nl = text.rfind("\n", a, pos)                  # the others are looked for in the line only
    lo = nl + 1 if nl >= 0 else a
    s = max(text.rfind(".", lo, pos), text.rfind(";", lo, pos), nl, a - 1) + 1
    m = _CLAUSE_END.search(text, end, b)
    while m is not None and m.group() == "." and m.end() < b and text[m.end()].isdigit():
        m = _CLAUSE_END.search(text, m.end(), b)
    return s, m.start() if m is not None else b


def _reporting(ctx: TaskContext, segments: list[tuple[int, int]], lead: tuple[str, ...],
               skip: list[tuple[int, int]]) -> list[Reporting]:
    """Reporting duties: "báo cáo kết quả về X trước ngày 05/12 hằng năm", one per clause."""
    out: list[Reporting] = []
    seen: set[tuple[str, str | None]] = set()
    done: set[int] = set()
    for a, b in segments:
        for ms, me, _ in ctx.hits["report"].within(a, b):
            if skip and any(x <= ms < y for x, y in skip):
                continue                                # "Sản phẩm: Báo cáo ..." is a deliverable
            clause = _clause(ctx, a, b, ms, me)
            if clause is None or clause[0] in done:
                continue
            s, e, to, reporters, dl = clause
            done.add(s)
            ev = span_evidence(ctx, s, e)
            for name in to:
                k = (name, dl.text if dl else None)
                if k not in seen:
                    seen.add(k)
                    out.append(Reporting(to=name, reporter=reporters or lead, deadline=dl, evidence=ev))
    return out


#: what a reporting clause says: (its start, its end, to whom, who reports, by when); None when the
#: clause is no reporting duty or names no one to report to
_Clause = tuple[int, int, tuple[str, ...], tuple[str, ...], Deadline | None] | None


def _read_clause(ctx: TaskContext, a: int, b: int, ms: int, me: int) -> _Clause:
    """The reporting clause around "báo cáo" at ``text[ms:me]``, within ``[a, b)``."""
    text = ctx.text
    s, e = _sentence(text, a, b, ms, me)
    if not _REPORT_CUE.search(text, s, e):
        return None
    to = _recipients(ctx, me, e)
    if not to:
        return None
    reporters = [f.name for f in ctx.within(s, ms)
                 if text[max(0, f.start - 8):f.start].split()[-1:] == []
                 or text[max(0, f.start - 8):f.start].split()[-1].casefold() not in _NOT_REPORTERS]
    return s, e, tuple(to), tuple(reporters), parse_deadline(text[s:e], year=ctx.year)


# the clauses read in pieces lying whole in their segment, offsets from the piece's start, by (the piece
# with the 8 characters before it, where the piece starts in that, where its cue is in the piece, the
# year); cleared when full
_CLAUSES: dict[tuple[str, int, int, int, int | None], _Clause] = {}


def _clause(ctx: TaskContext, a: int, b: int, ms: int, me: int) -> _Clause:
    """:func:`_read_clause`, read once per piece of the text (see
    :func:`~cascade.extract.assignments.read_context`) when the piece lies whole in ``[a, b)``.

    A clause does not go over a line break, and a piece starts after one and ends before one or
    at the end of the text read: the clause, the names in it (a piece's names are its own) and
    what it says are then the piece's alone, wherever the piece is, but for the word before a
    name that starts the piece (it decides whether the name reports), read in the 8 characters
    before the name: the key holds those before the piece.
    """
    k = bisect_right(ctx.piece_starts, ms) - 1
    if k < 0:
        return _read_clause(ctx, a, b, ms, me)
    p0, pend, _ = ctx.pieces[k]
    if p0 < a or pend > b:
        return _read_clause(ctx, a, b, ms, me)
    lo = p0 - 8 if p0 > 8 else 0
    key = (ctx.text[lo:pend], p0 - lo, ms - p0, me - p0, ctx.year)
    if key in _CLAUSES:
        known = _CLAUSES[key]
        return None if known is None else (known[0] + p0, known[1] + p0, known[2], known[3], known[4])
    clause = _read_clause(ctx, a, b, ms, me)
    if clause is not None and (clause[0] < p0 or clause[1] > pend):
        return clause                             # past the piece (never, by the above): not kept
    if len(_CLAUSES) >= 4096:
        _CLAUSES.clear()
    _CLAUSES[key] = None if clause is None else (clause[0] - p0, clause[1] - p0, *clause[2:])
    return clause


def _recipients(ctx: TaskContext, pos: int, end: int) -> list[str]:
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


def _who_of(ctx: TaskContext, fields: list[_Field], plain: list[tuple[int, int]]) -> tuple[Who | None, Who]:
    """(bodies named in labelled fields, None without a field that names any; bodies named in the
    rest of the item's own text)."""
    by_field = None
    for f in fields:
        if f.kind != "lead" and f.kind != "cooperating":
            continue
        if by_field is None:
            by_field = no_one()
        sub = no_one()
        read_cues(ctx, f.start, f.end, sub, f.starts)
        if f.kind == "lead":
            add_new(by_field.lead, sub.lead)
            add_new(by_field.cooperating, sub.cooperating)
        else:
            add_new(by_field.cooperating, sub.lead + sub.cooperating)
        add_new(by_field.requested, sub.requested)
        add_new(by_field.focal, sub.focal)
    rest = no_one()
    for a, b in plain:
        read_segment(ctx, a, b, rest)
    return by_field, rest


def _has_words(text: str, segments: list[tuple[int, int]], start: int, n: int) -> bool:
    """Whether the parts of ``segments`` from ``start`` on hold ``n`` words or more (each split
    into ``n`` words at most: no more are needed)."""
    count = 0
    for a, b in segments:
        if b > start:
            count += len(text[max(a, start):b].split(None, n))
            if count >= n:
                return True
    return False


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
            if d > pos:
                pos = d
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
    has_table = "|" in text and text.count("|") >= 6
    if not items and not has_table:
        return ()
    has_task_sections = any(it.section in _FULL_SECTIONS for it in items)
    ctx = read_context(ct, items, source, year)
    table_tasks, table_spans = read_table_tasks(ctx, items, body_end(text)) if has_table else ([], [])

    headings: dict[int, tuple[str, list[str]] | None] = {}

    def heading(it: Item) -> tuple[str, list[str]] | None:
        if id(it) not in headings:
            headings[id(it)] = _heading_bodies(ctx, it) if it.style != "roman" else None
        return headings[id(it)]

    deadlines: dict[int, Deadline | None] = {}
    leads_of: dict[int, list[str]] = {}
    tasks: list[Task] = []
    every = list(walk(items))
    for it in every:
        if it.field is not None or it.style not in NUMBERED or it.section in SKIP_SECTIONS:
            continue
        numbered_children, segments, field_items, plain = _own_parts(it, table_spans)
        if numbered_children and it.style == "roman":
            continue                                    # a section is a task only without numbered items
        lead_only = it.section not in _FULL_SECTIONS and has_task_sections
        fields = _fields(ctx, field_items, plain)
        by_field, rest = _who_of(ctx, fields, plain)
        own_heading = heading(it)
        if it.style == "roman":                        # a section without numbered items: its text
            if not _has_words(text, segments, it.head_end, 3):
                continue
        elif numbered_children and not (fields or rest.lead or rest.requested):
            continue                                    # a heading over sub-items that are the tasks
        lead: list[str] = []
        if by_field is None:
            requested = list(rest.requested)
        else:
            requested = list(by_field.requested)
            add_new(requested, rest.requested)
        if by_field is not None and by_field.lead:
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
                        add_new(requested, h[1])
                    break
                if leads_of.get(id(anc)):
                    lead = list(leads_of[id(anc)])
                    break
        if own_heading and own_heading[0] == "requested":
            add_new(requested, own_heading[1])
        if requested:
            lead = [n for n in lead if n not in requested]
        leads_of[id(it)] = lead
        if lead_only and not lead:
            continue
        if by_field is None:                            # each list holds a name once already
            cooperating, focal = rest.cooperating, rest.focal
            if cooperating and lead:
                cooperating = [n for n in cooperating if n not in lead]
        else:
            cooperating = by_field.cooperating + rest.cooperating
            if cooperating:
                cooperating = [n for n in dict.fromkeys(cooperating) if n not in lead]
            focal = by_field.focal + rest.focal
            if by_field.focal and rest.focal:
                focal = list(dict.fromkeys(focal))

        deadline = deadlines[id(it)] = _deadline_of(ctx, fields, segments, it)
        if deadline is None:
            for anc in it.ancestors():                   # "c) Thời gian thực hiện" of the parent
                if anc.style == "roman" or not anc.numbered:
                    break
                if id(anc) not in deadlines:
                    _, anc_segments, anc_fields, anc_plain = _own_parts(anc, [])
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
        ev = item_evidence(ctx, it)
        tasks.append(Task(it.label, it.heading, tuple(lead), tuple(cooperating), tuple(focal),
                          tuple(requested), deadline, tuple(reporting), deliverable, it.section, ev))
    # an item and its parent refer to each other: unlinked, the items are freed at once, not left to the
    # cyclic garbage collector (walking them took a sixth of this stage's time)
    for it in every:
        it.parent = None
    if table_tasks:
        tasks.extend(table_tasks)
        tasks.sort(key=lambda t: t.evidence.start if t.evidence else 0)
    return tuple(tasks)
