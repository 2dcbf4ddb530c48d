"""Who is named in the task sections of a plan, and in which role: the agency names and the role cues.

Agency names (:mod:`cascade.extract.agencies`) and the cues that give them a role ("Giao X
chủ trì", "phối hợp với", "làm đầu mối", "Đề nghị X") are found once per document and kept in a
:class:`TaskContext`; the task stage asks it for the names and cues inside each item. The text is cut
at the line breaks nothing read goes over (:func:`_line_cut`) and each piece is read once per
process (:func:`_facts`, cached), since plans down a cascade copy each other's sentences. A piece
also reads what its own cues and clause-initial line starts say (who leads, cooperates, ...), so
that :func:`read_segment` replays it for every item that holds the piece whole.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress
from typing import Any, NamedTuple, Protocol

from cascade.extract.agencies import Found, scan_pieces
from cascade.extract.agency_groups import ASK, FREE, NO_TRIGGER, OPEN, SENTENCE, group_goes_on, line_end
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
    """What the items of one document share: the text, the names found in it, the cues.

    The names of the whole text (``found``, ``starts``, ``index_at``) are gathered from the pieces
    when first asked: most items are answered from their pieces' own readings alone.
    """

    ct: CleanText
    text: str
    source: str
    year: int | None
    hits: dict[str, _Hits]
    pieces: list[_Piece]         # the pieces the text was read in (see read_context), in order
    piece_starts: list[int]
    named: bool                  # whether a piece holds a name
    _found: list[Found] | None = None
    _starts: list[int] | None = None
    _index_at: dict[int, int] | None = None
    _who_hits: _Hits | None = None
    _lines: _Hits | None = None

    @property
    def found(self) -> list[Found]:
        """The names of the text read, in order, offsets in the text."""
        if self._found is None:
            self._gather_names()
        return self._found                       # type: ignore[return-value]

    @property
    def starts(self) -> list[int]:
        """Where each name of :attr:`found` starts."""
        if self._starts is None:
            self._gather_names()
        return self._starts                      # type: ignore[return-value]

    @property
    def index_at(self) -> dict[int, int]:
        """Where a name starts -> its index in :attr:`found` (the first there)."""
        if self._index_at is None:
            self._gather_names()
        return self._index_at                    # type: ignore[return-value]

    def _gather_names(self) -> None:
        """The names of the pieces, their offsets moved from the pieces to the text."""
        found = [_new_found(Found, (x[0], x[1] + p, x[2] + p, x[3]))
                 for p, _, facts in self.pieces for x in facts.found]
        starts = [x[1] for x in found]
        self._found, self._starts = found, starts
        # the first index of each start: later ones written first, so the first is written last
        self._index_at = dict(zip(reversed(starts), range(len(starts) - 1, -1, -1), strict=True))

    @property
    def who_hits(self) -> _Hits:
        """The cues that name bodies, all kinds together: ``(start, end, kind)`` (gathered from the
        pieces when first asked: :func:`read_segment` mostly needs only each piece's own)."""
        if self._who_hits is None:
            self._who_hits = _Hits([(x + p, y + p, v) for p, _, facts in self.pieces
                                    for x, y, v in facts.who])
        return self._who_hits

    @property
    def lines(self) -> _Hits:
        """The line starts that begin clauses: ``(start of the line's text after its marker, line
        start, None)`` (gathered from the pieces when first asked)."""
        if self._lines is None:
            self._lines = _Hits([(x + p, y + p, v) for p, _, facts in self.pieces for x, y, v in facts.lines])
        return self._lines

    def within(self, a: int, b: int) -> list[Found]:
        i = bisect_left(self.starts, a)
        out = []
        while i < len(self.found) and self.found[i].start < b:
            if self.found[i].end <= b:
                out.append(self.found[i])
            i += 1
        return out

    def first_at(self, pos: int, limit: int) -> int | None:
        """Index of the name that starts at ``pos`` (after spaces and emphasis), if any: found in
        the piece that holds ``pos`` while the names of the whole text are not gathered."""
        if self._index_at is not None:
            return _first_at(self, pos, limit)
        text = self.text
        while pos < limit and text[pos] in " *_\t":
            pos += 1
        k = bisect_right(self.piece_starts, pos) - 1
        if k < 0:
            return None
        p0, _, facts = self.pieces[k]
        i = facts.found_at.get(pos - p0)
        if i is None:
            return None
        for j in range(k):                       # the names of the pieces before come first
            i += len(self.pieces[j][2].found)
        return i

    def run_from(self, i: int, limit: int) -> list[Found]:
        """The list of names that starts with ``found[i]``: "A, B và C" (up to ``limit``)."""
        return self.found[i:_run_end(self, i, limit)]

    def line_start(self, pos: int) -> int:
        return self.text.rfind("\n", 0, pos) + 1


class _Names(Protocol):
    """The names of a text as :func:`_cue_steps` reads them (a :class:`TaskContext`, or one piece's)."""

    @property
    def text(self) -> str: ...
    @property
    def found(self) -> list[Found]: ...
    @property
    def starts(self) -> list[int]: ...
    @property
    def index_at(self) -> dict[int, int]: ...


def _first_at(names: _Names, pos: int, limit: int) -> int | None:
    """Index of the name that starts at ``pos`` (after spaces and emphasis), if any."""
    text = names.text
    while pos < limit and text[pos] in " *_\t":
        pos += 1
    return names.index_at.get(pos)


def _run_end(names: _Names, i: int, limit: int) -> int:
    """Where the list of names that starts with ``found[i]`` ends: "A, B và C" (up to ``limit``):
    the index after its last name."""
    found, text = names.found, names.text
    end = found[i].end
    j = i + 1
    while j < len(found) and found[j].end <= limit:
        if not _list_gap(text[end:found[j].start]):
            break
        end = found[j].end
        j += 1
    return j


def _run_before(names: _Names, pos: int, floor: int) -> tuple[int, int]:
    """``(i, j)``: ``found[i:j]`` is the list of names that ends right before ``pos`` ("A và B chủ
    trì"), none of them starting before ``floor`` (``i == j`` when there is none)."""
    found, text = names.found, names.text
    i = bisect_left(names.starts, pos) - 1
    if i < 0 or found[i].end > pos or found[i].start < floor or pos - found[i].end > 30:
        return 0, 0
    if not _before_verb(text[found[i].end:pos]):
        return 0, 0
    j = i + 1
    while i > 0 and found[i - 1].start >= floor:
        if not _list_gap(text[found[i - 1].end:found[i].start]):
            break
        i -= 1
    return i, j


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


def add_new(dst: list[str], names: Iterable[str]) -> None:
    """Append to ``dst`` each of ``names`` it does not hold yet, in order."""
    for name in names:
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


# the roles of a Who, by position
_LEAD, _COOPERATING, _FOCAL_ROLE, _REQUESTED = range(4)
# whether a step holds only if "làm đầu mối" follows its last name: always (_ALWAYS), up to the end of
# the text read (_TO_LIMIT) or within 30 characters (_NEAR)
_ALWAYS, _TO_LIMIT, _NEAR = range(3)
# a step of reading a cue: ``found[i:j]`` take ``role`` if ``check`` holds
_Step = tuple[int, int, int, int]                 # (role, i, j, check)


def _cue_steps(names: _Names, s: int, e: int, kind: str | None, a: int, b: int) -> tuple[list[_Step], bool]:
    """What the cue ``text[s:e]`` of ``kind`` says about the names of ``text[a:b]``, as steps; and
    whether a list of names read forward from it takes the last name there is (in a piece of the
    text, such a list may go on in the next piece)."""
    text = names.text
    if kind == "giao" or kind == "de_nghi":       # "giao X chủ trì", "đề nghị X": the names after the cue
        if not _clause_initial(text, s):
            return [], False
        i = _first_at(names, e, b)
        if i is None:
            return [], False
        j = _run_end(names, i, b)
        steps = ([(_LEAD, i, j, _ALWAYS), (_FOCAL_ROLE, i, j, _TO_LIMIT)] if kind == "giao"
                 else [(_REQUESTED, i, j, _ALWAYS)])
        return steps, j == len(names.found)
    if kind == "chu_tri":
        i, j = _run_before(names, s, max(a, text.rfind("\n", 0, s) + 1))
        return ([(_LEAD, i, j, _ALWAYS)] if i < j else []), False
    if kind == "phoi_hop":
        steps = []
        last = False
        i = _first_at(names, e, b)
        if i is not None:
            j = _run_end(names, i, b)
            steps.append((_COOPERATING, i, j, _ALWAYS))
            last = j == len(names.found)
        i, j = _run_before(names, s, max(a, text.rfind("\n", 0, s) + 1))   # "X phối hợp với Y": X leads
        if i < j and _clause_initial(text, names.found[i].start):
            steps.append((_LEAD, i, j, _ALWAYS))
        return steps, last
    i, j = _run_before(names, s, text.rfind("\n", 0, s) + 1)             # "làm đầu mối"
    return ([(_FOCAL_ROLE, i, j, _ALWAYS)] if i < j else []), False


def _line_steps(names: _Names, pos: int, b: int) -> tuple[list[_Step], bool]:
    """What a line that begins a clause says when it starts with names ("Sở Y tế chủ trì ..."):
    they lead (and are the focal point if "làm đầu mối" follows); as :func:`_cue_steps`."""
    i = _first_at(names, pos, b)
    if i is None:
        return [], False
    j = _run_end(names, i, b)
    return [(_FOCAL_ROLE, i, j, _NEAR), (_LEAD, i, j, _ALWAYS)], j == len(names.found)


def _give(text: str, who: Who, role: int, names: Iterable[str], check: int, end: int, b: int) -> None:
    """Add ``names`` to their ``role`` in ``who`` if ``check`` holds after the last of them, at ``end``."""
    if check and not _FOCAL.match(text, end, b if check == _TO_LIMIT else min(b, end + 30)):
        return
    add_new(who[role], names)


def _gives(text: str, who: Who, reads: _Steps, p0: int, b: int) -> None:
    """:func:`_give` each read a piece kept (its offsets from the piece's start ``p0``)."""
    for role, names, check, end in reads:
        _give(text, who, role, names, check, end + p0, b)


def _add_given(who: Who, given: _Given) -> None:
    """Add the names a piece read whole gives (by role: see :func:`_replay`) to ``who``."""
    for role, names in given:
        add_new(who[role], names)


def _apply(ctx: TaskContext, steps: list[_Step], who: Who, b: int) -> None:
    """Add the names of each step whose check holds to their role in ``who``."""
    found, text = ctx.found, ctx.text
    for role, i, j, check in steps:
        _give(text, who, role, [f.name for f in found[i:j]], check, found[j - 1].end, b)


def read_cues(ctx: TaskContext, a: int, b: int, who: Who, line_starts: list[int]) -> None:
    """Read the lead, cooperating, focal and requested bodies named in ``text[a:b]`` (cues first,
    then the names that start the lines at ``line_starts``)."""
    if not ctx.named:
        return
    for s, e, kind in ctx.who_hits.within(a, b):
        _apply(ctx, _cue_steps(ctx, s, e, kind, a, b)[0], who, b)
    for pos in line_starts:
        _apply(ctx, _line_steps(ctx, pos, b)[0], who, b)


# What a piece read of itself (see _facts), for each cue or line start: the steps with the names they
# give, ``(role, names, check, where the last name ends)``; None when the piece alone cannot say.
_Steps = tuple[tuple[int, tuple[str, ...], int, int], ...]
_Read = _Steps | None
# names by role, in the order given: ``((role, names), ...)``
_Given = tuple[tuple[int, tuple[str, ...]], ...]


def _recorded(names: _PieceNames, steps: list[_Step], takes_last: bool) -> _Read:
    """The steps of a cue or line start of a piece with the names they give; None when a list of
    names they read may go on in the next piece."""
    if takes_last and names.open_end:
        return None
    found = names.found
    return tuple([(role, tuple([f.name for f in found[i:j]]), check, found[j - 1].end)
                  for role, i, j, check in steps])


def read_segment(ctx: TaskContext, a: int, b: int, who: Who) -> None:
    """:func:`read_cues` of ``text[a:b]`` with the line starts that begin clauses there.

    A piece the text was read in (see :func:`read_context`) whose content (less blank lines before
    and space after) lies whole in ``[a, b)`` has read its own cues and line starts already
    (:func:`_facts`): the names they give are added, gathered by role when the piece decides
    every check on "làm đầu mối" (see :func:`_replay`), else step by step, the checks made
    here, since they may look past the piece. The rest is read here: a piece that ``a`` or
    ``b`` cut, and a list of names that may go on in the next piece. The answers are those of
    reading ``text[a:b]`` whole (the tests check it).
    """
    if not ctx.named:
        return
    text, pieces, piece_starts = ctx.text, ctx.pieces, ctx.piece_starts
    k0 = bisect_right(piece_starts, a) - 1
    if k0 < 0:
        k0 = 0
    # the cues, then the line starts (read_cues' order): the pieces whose line starts give names or are
    # read here are kept for after the cues, with where they start and whether they lie whole in [a, b)
    later = []
    for k in range(k0, bisect_left(piece_starts, b, k0)):
        p0, _, facts = pieces[k]
        whole = p0 + facts.content_start >= a and p0 + facts.content_end <= b
        if not (whole and facts.line_replay == ()):
            later.append((p0, facts, whole))
        if whole and facts.cue_replay is not None:
            _add_given(who, facts.cue_replay)
            continue
        for s, e, kind, read in facts.cue_reads:
            if whole and read is not None:
                _gives(text, who, read, p0, b)
            elif a <= s + p0 < b:
                _apply(ctx, _cue_steps(ctx, s + p0, e + p0, kind, a, b)[0], who, b)
    for p0, facts, whole in later:
        if whole and facts.line_replay is not None:
            _add_given(who, facts.line_replay)
            continue
        for pos, read in facts.line_reads:
            if whole and read is not None:
                _gives(text, who, read, p0, b)
            elif a <= pos + p0 < b:
                _apply(ctx, _line_steps(ctx, pos + p0, b)[0], who, b)


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
    if not 0 <= ra <= rb <= len(raw):
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


# every character a gap between two names of one list may hold (see _LIST_GAP; a few more come along
# with the letters of its escapes: no harm)
_GAP_CHARS = re.compile(r"[\s,;/" + "".join(sorted(set("".join(_pattern_words(_LIST_GAP.pattern))))) + "]*",
                        re.IGNORECASE)

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


_NEVER, _CUT, _LOOK, _LOOK_IF_ALONE, _ALONE, _ALONE_OR_LOOK = range(6)    # _NEVER first: compress() skips it


def _line_cut(line: str) -> int:
    """Whether the text may be read up to the end of ``line`` and after it separately, nothing
    read (a name, a group, a cue) going over the line break: always (_CUT); never (_NEVER:
    something read may go on past it); when no group begun in the piece the line ends goes on
    past it (_LOOK, see :func:`~cascade.extract.agency_groups.group_goes_on`). For a line in
    which no cue starts (one begun before it may go on): only when that piece holds no other
    line than blank ones, and then always (_ALONE: no name or group goes on past it) or as
    _LOOK (_LOOK_IF_ALONE: a group may). For a line after which no cue goes on and in which no
    group starts: when the piece holds only blank lines before it, else as _LOOK
    (_ALONE_OR_LOOK: a group begun before it may go on)."""
    names, cues = line_end(line), _cue_end(line)
    if names <= FREE and cues <= FREE:
        return _CUT
    if OPEN in (names, cues):
        return _NEVER
    if names == ASK:
        return _LOOK if cues <= FREE else _LOOK_IF_ALONE
    # names: FREE or less, or NO_TRIGGER; cues: the same, not both FREE or less
    return _ALONE if cues == NO_TRIGGER else _ALONE_OR_LOOK


_Span = tuple[int, int, str | None]
_new_found = tuple.__new__                       # Found(...) without its Python-level __new__


class _Facts(NamedTuple):
    """What :func:`_facts` reads in a piece, offsets relative to the piece."""

    found: tuple[Found, ...]                     # the names of bodies
    found_at: dict[int, int]                     # where a name starts -> its index in found (the first)
    who: tuple[_Span, ...]                       # the cues that name bodies (start, end, kind)
    report: tuple[_Span, ...]                    # report / deadline / finish cues (start, end, value)
    deadline: tuple[_Span, ...]
    finish: tuple[_Span, ...]
    lines: tuple[_Span, ...]                     # the clause-initial line starts
    open_after: bool                             # its last line is a long one left open
    cue_reads: tuple[tuple[int, int, str, _Read], ...]   # what it says of itself at each cue
    line_reads: tuple[tuple[int, _Read], ...]    # ... and at each line start
    content_start: int                           # where its content starts (after blank lines)
    content_end: int                             # ... and ends (before trailing space)
    cue_replay: _Given | None                    # the names all its cue reads give, by role (None when
    line_replay: _Given | None                   # it cannot say); the same of its line reads (see _replay)


def _focal_held(piece: str, end: int, limit: int, closed: bool) -> bool | None:
    """Whether "làm đầu mối" follows at ``end`` in ``piece[:limit]`` (see :func:`_give`), the
    text read at ``limit`` or beyond it (unless ``closed``: it ends at ``limit``) being
    unknown: None when that text could decide. Its first character other than spaces (after
    a comma) must be an "l", and one the piece holds that is not rules it out."""
    if _FOCAL.match(piece, end, limit):
        return True                              # more text after limit still has the match
    if closed:
        return False
    k = end
    while k < limit and piece[k].isspace():
        k += 1
    if k < limit and piece[k] == ",":
        k += 1
        while k < limit and piece[k].isspace():
            k += 1
    return False if k < limit and piece[k] != "l" else None


def _replay(piece: str, reads: Iterable[tuple[Any, ...]], content_end: int) -> _Given | None:
    """The names ``reads`` (cue or line reads of a piece, each ending with its :data:`_Read`) give,
    one after the other, gathered by role: what :func:`read_segment` adds for them when the
    piece's content lies whole in the segment read, which then ends at ``content_end`` or after
    it. None when a read is None or a check on "làm đầu mối" may look past the piece."""
    by_role: dict[int, list[str]] = {}
    for r in reads:
        steps = r[-1]
        if steps is None:
            return None
        for role, names, check, end in steps:
            if check:
                if check == _TO_LIMIT:
                    held = _focal_held(piece, end, content_end, False)
                else:
                    held = _focal_held(piece, end, min(content_end, end + 30), content_end >= end + 30)
                if held is None:
                    return None
                if not held:
                    continue
            add_new(by_role.setdefault(role, []), names)
    return tuple([(role, tuple(names)) for role, names in by_role.items()])


_Piece = tuple[int, int, _Facts]                 # where a piece starts and ends in the text, its facts


class _PieceNames:
    """The names of one piece, offsets relative to it (a :class:`_Names`); ``open_end``: a list
    of names that takes its last name may go on in the next piece (what follows that name could
    begin the gap between two names of a list, see :data:`_GAP_CHARS`)."""

    __slots__ = ("found", "index_at", "open_end", "starts", "text")

    def __init__(self, text: str, found: tuple[Found, ...]) -> None:
        self.text = text
        self.found = list(found)
        self.starts = [f.start for f in found]
        self.index_at: dict[int, int] = {}
        for i, pos in enumerate(self.starts):
            self.index_at.setdefault(pos, i)
        tail = text[found[-1].end:] if found else ""
        self.open_end = bool(found) and len(tail) <= 40 and _GAP_CHARS.fullmatch(tail) is not None


def _facts(piece: str, open_before: bool) -> _Facts:
    """What a piece of text (see :func:`_line_cut`) holds, offsets relative to the piece (see
    :data:`_Facts`); ``open_before``: the line before the piece is a long one left open.

    A pure function of its arguments, cached: plans down a cascade copy each other's wording.
    """
    end = len(piece)
    hits = {kind: _find_cue(piece, 0, end, words, pattern) for kind, (words, pattern) in _CUES.items()}
    who = sorted((a, b, kind) for kind in _WHO_CUES for a, b, _ in hits[kind])
    lines, open_after = _document_lines(piece, 0, end, open_before)
    content_end = len(piece.rstrip())
    found = tuple(scan_pieces(piece))
    if found:
        names = _PieceNames(piece, found)
        found_at = names.index_at
        cue_reads = tuple([(s, e, kind, _recorded(names, *_cue_steps(names, s, e, kind, 0, end)))
                           for s, e, kind in who])
        line_reads = tuple([(pos, _recorded(names, *_line_steps(names, pos, end)))
                            for pos, _, _ in lines.spans])
    else:                                        # no names: no cue or line start gives any
        found_at = {}
        cue_reads = tuple([(s, e, kind, ()) for s, e, kind in who])
        line_reads = tuple([(pos, ()) for pos, _, _ in lines.spans])
    return _Facts(found, found_at, tuple(who), tuple(hits["report"]), tuple(hits["deadline"]),
                  tuple(hits["finish"]), tuple(lines.spans), open_after, cue_reads, line_reads,
                  end - len(piece.lstrip("\n")), content_end, _replay(piece, cue_reads, content_end),
                  _replay(piece, line_reads, content_end))


# The cut codes of the lines and the facts of the pieces read (see _line_cut and _facts), by their text (the
# facts in one table for pieces after a long line left open, one for the others): pure functions of it,
# kept since plans repeat their lines, in plain tables looked up where read_context asks (cheaper than a
# function's cache, for some sixty lines and pieces a plan); each cleared when full.
_CUTS: dict[str, int] = {}
_FACTS: tuple[dict[str, _Facts], dict[str, _Facts]] = ({}, {})
_KEPT_MAX = 8192


def _cut_read(line: str) -> int:
    """:func:`_line_cut` of ``line``, kept in ``_CUTS``."""
    if len(_CUTS) >= _KEPT_MAX:
        _CUTS.clear()
    code = _CUTS[line] = _line_cut(line)
    return code


def _facts_read(piece: str, open_before: bool) -> _Facts:
    """:func:`_facts` of ``piece``, kept in ``_FACTS``."""
    kept = _FACTS[open_before]
    if len(kept) >= _KEPT_MAX:
        kept.clear()
    facts = kept[piece] = _facts(piece, open_before)
    return facts


def read_context(ct: CleanText, items: list[Item], source: str, year: int | None) -> TaskContext:
    """Names, cues and line starts of the part of the text that holds tasks, read piece by piece
    (see :func:`_line_cut` and :func:`_facts`): the same as reading the whole part at once.

    The part is split into lines in one go and every line's :func:`_line_cut` looked up in one
    pass; only the lines that may end a piece are then visited one by one.
    """
    text = ct.text
    first = min((it.start for it in items if it.section not in SKIP_SECTIONS), default=len(text))
    last = max((it.end for it in items), default=0)
    read: list[_Piece] = []                      # (where a piece starts and ends, what it holds)
    piece = first
    open_before = False                          # the line before the piece is a long one left open
    if first < last:
        part = text[first:last].split("\n")
        part.pop()                               # the last line, not followed by a line break
        codes = list(map(_CUTS.get, part))       # a blank line gives _NEVER: a piece goes on over it
        if None in codes:
            codes = [_cut_read(line) if c is None else c for line, c in zip(part, codes, strict=True)]
        # where line k starts: ``first``, the lengths of the lines before it, and their k line breaks
        at = list(accumulate(map(len, part), initial=first))
        for k in compress(range(len(codes)), codes):     # the lines whose code is not _NEVER (0)
            line = at[k] + k
            nl = line + len(part[k])
            code = codes[k]
            if code == _CUT:
                cut = True
            elif code == _LOOK:
                cut = not group_goes_on(text, piece, nl, last)
            else:
                cut = piece == line or text[piece:line].isspace()
                if cut:
                    if code == _LOOK_IF_ALONE:
                        cut = not group_goes_on(text, piece, nl, last)
                elif code == _ALONE_OR_LOOK:
                    cut = not group_goes_on(text, piece, nl, last)
            if cut:
                s = text[piece:nl]
                facts = _FACTS[open_before].get(s) or _facts_read(s, open_before)
                read.append((piece, nl, facts))
                open_before = facts.open_after
                piece = nl + 1
        if piece < last:
            s = text[piece:last]
            read.append((piece, last, _FACTS[open_before].get(s) or _facts_read(s, open_before)))
    # the cues' facts with their offsets moved from the pieces to the text, one list of each kind
    report: list[_Span] = []
    deadline: list[_Span] = []
    finish: list[_Span] = []
    for p, _, facts in read:
        if facts.report:
            report.extend([(x + p, y + p, v) for x, y, v in facts.report])
        if facts.deadline:
            deadline.extend([(x + p, y + p, v) for x, y, v in facts.deadline])
        if facts.finish:
            finish.extend([(x + p, y + p, v) for x, y, v in facts.finish])
    hits = {"report": _Hits(report), "deadline": _Hits(deadline), "finish": _Hits(finish)}
    return TaskContext(ct, text, source, year, hits, read, [p for p, _, _ in read],
                       any(facts.found for _, _, facts in read))
