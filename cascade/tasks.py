"""Tasks of a plan: who must do what, with whom, by when, and to whom they report.

One task per actionable numbered item of the task and organisation sections (not of the
purpose or target sections). An item is actionable when it is a leaf of the numbering, or
when it carries its own assignment (a labelled field, "Giao X chủ trì ..." in its
introduction). Bullets never make tasks of their own: they belong to their numbered item,
so several "+ X chủ trì ..." bullets give one task with several leads.

Who leads, in order of precedence:

1. a labelled field: "Đơn vị thực hiện: X chủ trì, phối hợp với Y", "Cơ quan chủ trì: X";
2. an agency heading: "2. Sở Nội vụ" followed by its duties, or "a) Sở Tài chính: ...";
3. cues in the item's own text: "Giao (cho) X chủ trì / phối hợp với / làm đầu mối ...",
   "X chủ trì, phối hợp với ...", a line that starts with an agency ("a) Sở Tài chính tham mưu");
4. the agency heading of a numbered ancestor (sub-items inherit it).

"Đề nghị X ..." makes X a requested body, not a lead. Groups ("các sở, ban, ngành") stay
groups. Every task keeps an evidence span into the raw text.

>>> from cascade.normalize import clean
>>> ct = clean("II. NHIỆM VỤ\\n1. Rà soát cơ chế\\nGiao Sở KH&CN chủ trì, phối hợp với Sở Nội vụ thực hiện.\\n"
...            "Thời gian thực hiện: Quý III/2021.\\n")
>>> t = extract_tasks(ct, "x.txt")[0]
>>> t.label, t.lead, t.cooperating, t.deadline.start
('II.1', ('Sở Khoa học và Công nghệ',), ('Sở Nội vụ',), '2021-07')
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from .agencies import Found, scan
from .dates import parse_deadline
from .models import Deadline, Evidence, Reporting, Task
from .normalize import CleanText
from .structure import Item, field_of, parse_structure, walk

_FULL_SECTIONS = frozenset({"tasks", "organisation"})
_SKIP_SECTIONS = frozenset({"purpose", "targets", "preamble"})

# -- cue patterns ---------------------------------------------------------------------------------

_GIAO = re.compile(r"(?<![^\W_])[Gg]iao(?:\s+cho)?\s+")
_CHU_TRI = re.compile(r"(?<![^\W_])(?:[Cc]hủ\s+trì|CHỦ\s+TRÌ)(?![^\W_])")
_PHOI_HOP = re.compile(r"(?<![^\W_])[Pp]hối\s+hợp(?:\s+(?:chặt\s+chẽ|đồng\s+bộ|tốt|thường\s+xuyên))?"
                       r"(?:\s+(?:với|cùng))?\s+")
_DE_NGHI = re.compile(r"(?<![^\W_])(?:[Đđ]ề\s+nghị|ĐỀ\s+NGHỊ)\s+(?!của\b)")
_FOCAL = re.compile(r"\s*(?:,\s*)?(?:làm|là)\s+(?:cơ\s+quan\s+|đơn\s+vị\s+)?(?:đầu\s+mối|thường\s+trực)")
_REPORT = re.compile(r"(?<![^\W_])(?:gửi\s+)?[Bb]áo\s+cáo(?![^\W_])")
_REPORT_CUE = re.compile(r"định\s+kỳ|hằng\s|hàng\s|trước\s+ngày|kết\s+quả|tình\s+hình|sơ\s+kết|tổng\s+kết|"
                         r"đột\s+xuất|6\s+tháng|quý|gửi\s+báo\s+cáo|báo\s+cáo\s+định\s+kỳ", re.IGNORECASE)
_TO_WORDS = ("về", "đến", "lên", "cho", "tới", "gửi", "với")
_INLINE_DEADLINE = re.compile(
    r"(?:thời\s+gian\s+(?:thực\s+hiện|hoàn\s+thành)|thời\s+hạn(?:\s+hoàn\s+thành)?|tiến\s+độ(?:\s+thực\s+hiện)?)"
    r"\s*[*_]*\s*:\s*[*_]*\s*(?P<v>[^;\n]+)", re.IGNORECASE)
_FINISH = re.compile(r"(?:hoàn\s+thành|xong)\s+(?P<v>(?:trong|trước|vào|chậm\s+nhất)[^;.\n]{3,60})",
                     re.IGNORECASE)
# what may stand between two names of one list: "A, B và C", "A; Chủ tịch B"
_LIST_GAP = re.compile(r"\s*(?:[,;/]|và|cùng|hoặc)?\s*(?:,\s*)?(?:và\s+)?"
                       r"(?:(?:chủ\s+tịch|giám\s+đốc|thủ\s+trưởng|lãnh\s+đạo|trưởng)\s+)?$", re.IGNORECASE)
_BEFORE_CHU_TRI = re.compile(r"\s*,?\s*(?:là\s+(?:cơ\s+quan|đơn\s+vị)\s+|làm\s+|được\s+giao\s+)?$", re.IGNORECASE)
_SKIP_LINE_START = re.compile(r"[\s*_+\-•·]*")


@dataclass(slots=True)
class _Ctx:
    """What every item of one document shares: the clean text and the agencies found in it."""

    ct: CleanText
    text: str
    found: list[Found]
    starts: list[int]
    source: str
    year: int | None

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
        while pos < limit and self.text[pos] in " *_\t":
            pos += 1
        i = bisect_left(self.starts, pos)
        return i if i < len(self.found) and self.found[i].start == pos else None

    def run_from(self, i: int, limit: int) -> list[Found]:
        """The list of names that starts with ``found[i]``: "A, B và C" (up to ``limit``)."""
        run = [self.found[i]]
        j = i + 1
        while j < len(self.found) and self.found[j].end <= limit:
            gap = self.text[run[-1].end:self.found[j].start]
            if len(gap) > 40 or not _LIST_GAP.match(gap):
                break
            run.append(self.found[j])
            j += 1
        return run

    def run_before(self, pos: int, floor: int) -> list[Found]:
        """The list of names that ends right before ``pos`` ("A và B chủ trì")."""
        i = bisect_left(self.starts, pos) - 1
        if i < 0 or self.found[i].end > pos or self.found[i].start < floor:
            return []
        if not _BEFORE_CHU_TRI.match(self.text, self.found[i].end, pos):
            return []
        run = [self.found[i]]
        while i > 0 and self.found[i - 1].start >= floor:
            gap = self.text[self.found[i - 1].end:run[0].start]
            if len(gap) > 40 or not _LIST_GAP.match(gap):
                break
            i -= 1
            run.insert(0, self.found[i])
        return run


@dataclass(slots=True)
class _Who:
    """Bodies named in one piece of text, by role."""

    lead: list[str]
    cooperating: list[str]
    focal: list[str]
    requested: list[str]

    @classmethod
    def empty(cls) -> _Who:
        return cls([], [], [], [])


def _add(dst: list[str], names: list[Found] | list[str]) -> None:
    for n in names:
        name = n if isinstance(n, str) else n.name
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
    head = text[line_start:pos].strip(" *_\t")
    return bool(re.fullmatch(r"(?:[-+•·]|\d{1,2}(?:\.\d{1,2})*[.)\-]?|[a-zđ][).]|[IVX]{1,5}[.\-])", head))


def _cues(ctx: _Ctx, a: int, b: int, who: _Who, *, line_starts: list[int]) -> None:
    """Read the lead, cooperating, focal and requested bodies named in ``text[a:b]``."""
    text = ctx.text
    for m in _GIAO.finditer(text, a, b):
        if not _clause_initial(text, m.start()):
            continue
        i = ctx.first_at(m.end(), b)
        if i is None:
            continue
        run = ctx.run_from(i, b)
        _add(who.lead, run)
        if _FOCAL.match(text, run[-1].end, b):
            _add(who.focal, run)
    for m in _CHU_TRI.finditer(text, a, b):
        line_start = text.rfind("\n", 0, m.start()) + 1
        run = ctx.run_before(m.start(), max(a, line_start))
        _add(who.lead, run)
    for m in _DE_NGHI.finditer(text, a, b):
        if not _clause_initial(text, m.start()):
            continue
        i = ctx.first_at(m.end(), b)
        if i is not None:
            _add(who.requested, ctx.run_from(i, b))
    for m in _PHOI_HOP.finditer(text, a, b):
        i = ctx.first_at(m.end(), b)
        if i is not None:
            _add(who.cooperating, ctx.run_from(i, b))
        line_start = text.rfind("\n", 0, m.start()) + 1
        run = ctx.run_before(m.start(), max(a, line_start))    # "X phối hợp với Y": X leads
        if run and _clause_initial(text, run[0].start):
            _add(who.lead, run)
    for pos in line_starts:
        i = ctx.first_at(pos, b)
        if i is None:
            continue
        run = ctx.run_from(i, b)
        rest = text[run[-1].end:run[-1].end + 12]
        if _FOCAL.match(rest):
            _add(who.focal, run)
        _add(who.lead, run)
    for m in re.finditer(r"(?:làm|là)\s+(?:cơ\s+quan\s+|đơn\s+vị\s+)?đầu\s+mối", text[a:b]):
        run = ctx.run_before(a + m.start(), text.rfind("\n", 0, a + m.start()) + 1)
        _add(who.focal, run)


def _line_starts(ctx: _Ctx, segments: list[tuple[int, int]], skip: set[int]) -> list[int]:
    """Where the text of each line begins (after its marker), for lines that are not fields."""
    text = ctx.text
    out = []
    for a, b in segments:
        pos = a
        while pos < b:
            nl = text.find("\n", pos, b)
            stop = b if nl < 0 else nl
            if pos not in skip and stop > pos:
                line = text[pos:stop]
                m = _MARK.match(line)
                start = pos + (m.end() if m else 0)
                start += len(_SKIP_LINE_START.match(text, start, stop).group(0))
                if not field_of(line):
                    out.append(start)
            pos = stop + 1
    return out


_MARK = re.compile(r"\s*[*_]*\s*(?:[IVX]{1,5}\s*[.\-)]|\d{1,2}(?:\.\d{1,2})*\s*[.)\-]?|[a-zđ]\s*[).]|"
                   r"[-+•·*])\s*")


# -- items as tasks -----------------------------------------------------------------------------------

def _own_segments(item: Item) -> list[tuple[int, int]]:
    """The item's span without the spans of its numbered sub-items (they are tasks of their own)."""
    cuts = [(c.start, c.end) for c in item.children if c.numbered and c.field is None]
    segs = []
    pos = item.start
    for a, b in cuts:
        if a > pos:
            segs.append((pos, a))
        pos = max(pos, b)
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


def _field_value(ctx: _Ctx, f: Item) -> tuple[int, int]:
    """The span of a field's value: after its colon, to the end of the field (bullets included)."""
    line = ctx.text[f.start:f.head_end]
    colon = line.find(":")
    start = f.start + colon + 1 if colon >= 0 else f.text_start
    while start < f.end and ctx.text[start] in " *_\t":
        start += 1
    return start, f.end


def _heading_bodies(ctx: _Ctx, item: Item) -> tuple[str, list[str]] | None:
    """("lead"|"requested", names) when the heading is a list of bodies: "2. Sở Nội vụ",
    "4. Các tổ chức chính trị - xã hội: Theo chức năng ...", "9. Đề nghị Ủy ban MTTQ ..."."""
    text = ctx.text
    pos, end = item.text_start, item.head_end
    role = "lead"
    m = _DE_NGHI.match(text, pos, end)
    if m:
        role, pos = "requested", m.end()
    i = ctx.first_at(pos, end)
    if i is None:
        return None
    run = ctx.run_from(i, end)
    rest = text[run[-1].end:end].strip(" .;*_")
    if rest and not rest.startswith(":"):
        return None
    return role, [f.name for f in run]


def _deadline_of(ctx: _Ctx, item: Item, fields: list[Item], segments: list[tuple[int, int]]) -> Deadline | None:
    for f in fields:
        if f.field == "deadline":
            a, b = _field_value(ctx, f)
            value = ctx.text[a:b].strip(" .;*_")
            if value:
                return parse_deadline(value, year=ctx.year) or Deadline(text=value)
    for a, b in segments:
        for m in _INLINE_DEADLINE.finditer(ctx.text, a, b):
            d = parse_deadline(m["v"].strip(" .;*_"), year=ctx.year)
            if d:
                return d
        for m in _FINISH.finditer(ctx.text, a, b):
            d = parse_deadline(m["v"], year=ctx.year)
            if d and (d.start or d.end or d.due):
                return d
    return None


def _reporting(ctx: _Ctx, segments: list[tuple[int, int]], lead: tuple[str, ...]) -> list[Reporting]:
    text = ctx.text
    out: list[Reporting] = []
    seen: set[tuple[str, str | None]] = set()
    done_sentences: set[int] = set()
    for a, b in segments:
        for m in _REPORT.finditer(text, a, b):
            s = max(text.rfind(".", a, m.start()), text.rfind(";", a, m.start()), text.rfind("\n", a, m.start()),
                    a - 1) + 1
            if s in done_sentences:
                continue
            e_candidates = [x for x in (text.find(".", m.end(), b), text.find(";", m.end(), b),
                                        text.find("\n", m.end(), b)) if x >= 0]
            e = min(e_candidates) if e_candidates else b
            while e < b and text[e] == "." and e + 1 < b and text[e + 1].isdigit():   # "05.12"
                nxt = [x for x in (text.find(".", e + 1, b), text.find(";", e + 1, b), text.find("\n", e + 1, b))
                       if x >= 0]
                e = min(nxt) if nxt else b
            sentence = text[s:e]
            line = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
            if field_of(line + "x") and field_of(line + "x")[0] == "deliverable":
                continue
            if not _REPORT_CUE.search(sentence):
                continue
            to = _recipients(ctx, m.end(), e)
            if not to:
                continue
            done_sentences.add(s)
            reporters = [f.name for f in ctx.within(s, m.start()) if not _after_preposition(text, f.start)]
            dl = parse_deadline(sentence, year=ctx.year)
            ev = _evidence(ctx, s, e)
            for name in to:
                k = (name, dl.text if dl else None)
                if k in seen:
                    continue
                seen.add(k)
                out.append(Reporting(to=name, reporter=tuple(reporters) or lead, deadline=dl, evidence=ev))
    return out


def _after_preposition(text: str, pos: int) -> bool:
    before = text[max(0, pos - 8):pos].split()
    return bool(before) and before[-1].casefold() in ("với", "của", "về", "đến", "cho", "qua", "tới", "tại", "và")


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


def _evidence(ctx: _Ctx, a: int, b: int) -> Evidence:
    ra, rb = ctx.ct.original(a, b)
    ra = max(0, min(ra, len(ctx.ct.raw)))
    rb = max(ra, min(rb, len(ctx.ct.raw)))
    return Evidence(ctx.source, ra, rb, ctx.ct.raw[ra:rb])


def _who_of(ctx: _Ctx, item: Item, fields: list[Item], segments: list[tuple[int, int]]) -> tuple[_Who, _Who]:
    """(from labelled fields, from the rest of the item's own text)."""
    by_field = _Who.empty()
    field_lines: set[int] = set()
    for f in fields:
        field_lines.add(f.start)
        if f.field not in ("lead", "cooperating"):
            continue
        a, b = _field_value(ctx, f)
        sub = _Who.empty()
        starts = [a] + [c.text_start for c in f.walk() if c is not f]
        _cues(ctx, a, b, sub, line_starts=starts)
        if f.field == "lead":
            _add(by_field.lead, sub.lead)
            _add(by_field.cooperating, sub.cooperating)
        else:
            _add(by_field.cooperating, sub.lead + sub.cooperating)
        _add(by_field.requested, sub.requested)
        _add(by_field.focal, sub.focal)
        for c in f.walk():
            field_lines.add(c.start)
    rest = _Who.empty()
    plain = _plain_segments(segments, fields)
    starts = _line_starts(ctx, plain, field_lines)
    for a, b in plain:
        _cues(ctx, a, b, rest, line_starts=[p for p in starts if a <= p < b])
    return by_field, rest


def _plain_segments(segments: list[tuple[int, int]], fields: list[Item]) -> list[tuple[int, int]]:
    """Own segments without the spans of lead/cooperating fields (read on their own)."""
    cuts = sorted((f.start, f.end) for f in fields if f.field in ("lead", "cooperating"))
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


def _actionable(item: Item) -> bool:
    return item.numbered and item.field is None


def extract_tasks(ct: CleanText, source: str, *, province: str | None = None, district: str | None = None,
                  level: str | None = None, year: int | None = None) -> tuple[Task, ...]:
    """The tasks a plan assigns, in document order.

    ``province``/``district``/``level`` describe the issuing jurisdiction (kept for callers
    that key agencies with :func:`cascade.agencies.agency_key`); ``year`` completes deadline
    phrases that give no year ("Quý III", "trước ngày 30/6").
    """
    del province, district, level                     # names are kept as written; identity is the caller's
    text = ct.text
    items = parse_structure(text)
    if not items:
        return ()
    kinds = {it.section for it in items}
    has_task_sections = bool(kinds & _FULL_SECTIONS)
    first = min((it.start for it in items if it.section not in _SKIP_SECTIONS), default=len(text))
    last = max((it.end for it in items), default=0)
    found = scan(text, first, last) if first < last else []
    ctx = _Ctx(ct, text, found, [f.start for f in found], source, year)

    heading_cache: dict[int, tuple[str, list[str]] | None] = {}

    def heading(it: Item) -> tuple[str, list[str]] | None:
        if id(it) not in heading_cache:
            heading_cache[id(it)] = _heading_bodies(ctx, it) if it.style != "roman" else None
        return heading_cache[id(it)]

    deadline_cache: dict[int, Deadline | None] = {}
    tasks: list[Task] = []
    for it in walk(items):
        if not _actionable(it) or it.section in _SKIP_SECTIONS:
            continue
        lead_only = it.section not in _FULL_SECTIONS and has_task_sections
        numbered_children = [c for c in it.children if _actionable(c)]
        segments = _own_segments(it)
        fields = _own_fields(it)
        by_field, rest = _who_of(ctx, it, fields, segments)
        own_heading = heading(it)
        body = sum(len(text[max(a, it.head_end):b].split()) for a, b in segments if b > it.head_end)
        if it.style == "roman":
            if numbered_children or body < 3:
                continue
        elif numbered_children and not (fields or by_field.lead or rest.lead or rest.requested):
            continue
        if numbered_children and own_heading and not fields and body < 3:
            continue
        lead: list[str] = []
        requested = list(by_field.requested)
        _add(requested, rest.requested)
        if by_field.lead:
            lead = by_field.lead
        elif own_heading and own_heading[0] == "lead":
            lead = own_heading[1]
        elif rest.lead:
            lead = rest.lead
        elif own_heading and own_heading[0] == "requested":
            _add(requested, own_heading[1])
        else:
            for anc in it.ancestors():
                if not anc.numbered or anc.style == "roman":
                    break
                h = heading(anc)
                if h:
                    if h[0] == "lead":
                        lead = h[1]
                    else:
                        _add(requested, h[1])
                    break
        if own_heading and own_heading[0] == "requested":
            _add(requested, own_heading[1])
        if lead_only and not lead:
            continue
        lead = [n for n in lead if n not in requested]
        cooperating = [n for n in by_field.cooperating + rest.cooperating if n not in lead]
        cooperating = list(dict.fromkeys(cooperating))
        focal = list(dict.fromkeys(by_field.focal + rest.focal))

        deadline = _deadline_of(ctx, it, fields, segments)
        deadline_cache[id(it)] = deadline
        if deadline is None:
            for anc in it.ancestors():
                if anc.style == "roman" or not anc.numbered:
                    break
                if id(anc) not in deadline_cache:
                    deadline_cache[id(anc)] = _deadline_of(ctx, anc, _own_fields(anc), _own_segments(anc))
                if deadline_cache[id(anc)]:
                    deadline = deadline_cache[id(anc)]
                    break
        deliverable = None
        for f in fields:
            if f.field == "deliverable":
                a, b = _field_value(ctx, f)
                deliverable = " ".join(text[a:b].split()).strip(" .;") or None
                break
        reporting = _reporting(ctx, segments, tuple(lead))
        ev = _evidence(ctx, it.start, it.end)
        ev = Evidence(source, ev.start, ev.end, ct.raw_slice(it.start, it.head_end).strip())
        tasks.append(Task(label=it.label, text=it.heading, lead=tuple(lead), cooperating=tuple(cooperating),
                          focal=tuple(focal), requested=tuple(requested), deadline=deadline,
                          reporting=tuple(reporting), deliverable=deliverable, section=it.section, evidence=ev))
    return tuple(tasks)
