"""Who is named in the task sections of a plan, and in which role: the agency names and the role cues.

Agency names (:mod:`cascade.extract.agencies`) and the cues that give them a role ("Giao X
chủ trì", "phối hợp với", "làm đầu mối", "Đề nghị X") are found once per document and kept in a
:class:`TaskContext`; the task stage asks it for the names and cues inside each item. The text is cut
at the line breaks nothing read goes over (:func:`_cut_after`) and each piece is read once per
process (:func:`_facts`, cached), since plans down a cascade copy each other's sentences.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from cascade.extract.agencies import Found, scan_pieces
from cascade.extract.agency_groups import FREE, NO_TRIGGER, OPEN, SENTENCE, cut_after, line_end
from cascade.extract.structure import Item, field_of
from cascade.models import Evidence
from cascade.text.normalize import CleanText

#: sections whose items are never tasks
SKIP_SECTIONS = frozenset({"purpose", "targets", "preamble"})

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
DE_NGHI = _CUES["de_nghi"][1]
_WHO_CUES = ("giao", "chu_tri", "phoi_hop", "de_nghi", "dau_moi")
_FOCAL = re.compile(r"\s*(?:,\s*)?(?:làm|là)\s+(?:cơ\s+quan\s+|đơn\s+vị\s+)?(?:đầu\s+mối|thường\s+trực)")
# what may stand between two names of one list: "A, B và C", "A; Chủ tịch B"
_LIST_GAP = re.compile(r"\s*(?:[,;/]|và|cùng|hoặc)?\s*(?:,\s*)?(?:và\s+)?"
                       r"(?:(?:chủ\s+tịch|giám\s+đốc|thủ\s+trưởng|lãnh\s+đạo|trưởng)\s+)?$", re.IGNORECASE)
_BEFORE_VERB = re.compile(r"\s*,?\s*(?:là\s+(?:cơ\s+quan|đơn\s+vị)\s+|làm\s+|được\s+giao\s+)?$",
                          re.IGNORECASE)
_LINE_MARK = re.compile(r"[ \t*_]*(?:(?:[IVX]{1,5}\s*[.\-)]|\d{1,2}(?:\.\d{1,2})*\s*[.)\-]?|[a-zđ]\s*[).]|"
                        r"[-+•·*])[ \t*_]*)?")
_MARKER_ONLY = re.compile(r"(?:[-+•·]|\d{1,2}(?:\.\d{1,2})*[.)\-]?|[a-zđ][).\-]|[IVX]{1,5}[.\-])")


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
class TaskContext:
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


class Who(NamedTuple):
    """Bodies named in one piece of text, by role (lists filled in place)."""

    lead: list[str]
    cooperating: list[str]
    focal: list[str]
    requested: list[str]


def no_one() -> Who:
    """A :class:`Who` with empty lists."""
    return _new_who(Who, ([], [], [], []))


_new_who = tuple.__new__                          # Who(...) without its Python-level __new__


def add_new(dst: list[str], names: list[str]) -> None:
    for name in names:
        if name not in dst:
            dst.append(name)


def _add_found(dst: list[str], found: list[Found]) -> None:
    """:func:`add_new` for names as found."""
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


def read_cues(ctx: TaskContext, a: int, b: int, who: Who, line_starts: list[int]) -> None:
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
            skip_space(line, colon + 1, len(line)) if colon > 0 else -1,
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


def skip_space(text: str, a: int, b: int) -> int:
    while a < b and text[a] in " *_\t":
        a += 1
    return a


def item_evidence(ctx: TaskContext, it: Item) -> Evidence:
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


def span_evidence(ctx: TaskContext, a: int, b: int, quote: str | None = None) -> Evidence:
    ra, rb = ctx.ct.original(a, b)
    raw = ctx.ct.raw
    ra = max(0, min(ra, len(raw)))
    rb = max(ra, min(rb, len(raw)))
    return Evidence(ctx.source, ra, rb, raw[ra:rb] if quote is None else quote)


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
_new_found = tuple.__new__                       # Found(...) without its Python-level __new__
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


def read_context(ct: CleanText, items: list[Item], source: str, year: int | None) -> TaskContext:
    """Names, cues and line starts of the part of the text that holds tasks, read piece by piece
    (see :func:`_cut_after` and :func:`_facts`): the same as reading the whole part at once.

    The part is split into lines in one go and every line's :func:`_line_cut` looked up in one
    pass; only the lines that may end a piece are then visited one by one.
    """
    text = ct.text
    first = min((it.start for it in items if it.section not in SKIP_SECTIONS), default=len(text))
    last = max((it.end for it in items), default=0)
    ends = []                                    # where each piece ends (a line break, or ``last``)
    if first < last:
        part = text[first:last].split("\n")
        part.pop()                               # the last line, not followed by a line break
        codes = list(map(_line_cut, part))       # a blank line gives _NEVER: a piece goes on over it
        # where line k starts: ``first``, the lengths of the lines before it, and their k line breaks
        at = list(accumulate(map(len, part), initial=first))
        piece = first
        for k in [k for k, code in enumerate(codes) if code != _NEVER]:
            line = at[k] + k
            nl = line + len(part[k])
            if codes[k] == _CUT or _cut_after(text, piece, line, nl, last):
                ends.append(nl)
                piece = nl + 1
        if piece < last:
            ends.append(last)
    read = []                                    # (where a piece starts, what it holds)
    piece = first
    open_before = False                          # the line before the piece is a long one left open
    for end in ends:
        facts = _facts(text[piece:end], open_before)
        read.append((piece, facts))
        open_before = facts[6]
        piece = end + 1
    # the facts with their offsets moved from the pieces to the text, one list of each kind
    found = [_new_found(Found, (x[0], x[1] + p, x[2] + p, x[3])) for p, facts in read for x in facts[0]]
    who, report, deadline, finish, lines = (
        [(x + p, y + p, v) for p, facts in read for x, y, v in facts[k]] for k in (1, 2, 3, 4, 5))
    hits = {"report": _Hits(report), "deadline": _Hits(deadline), "finish": _Hits(finish)}
    name_starts = [x[1] for x in found]
    # the first index of each start: later ones written first, so the first is written last
    index_at = dict(zip(reversed(name_starts), range(len(name_starts) - 1, -1, -1), strict=True))
    return TaskContext(ct, text, found, name_starts, source, year, hits, _Hits(who), _Hits(lines), index_at)
