"""Title and preamble clauses: which trigger governs each mention of another document.

A trigger word ("Thực hiện", "Triển khai", "Căn cứ", "Trên cơ sở", "Theo đề nghị", "Xét",
"sửa đổi, bổ sung", "thay thế"...) that opens a clause states how the document relates to
every document listed after it: the list runs over ``;``, ``,``, ``và``, wrapped lines and
dashed or numbered lines, until the next trigger, the end of the sentence, a blank line or
the main clause ("..., UBND tỉnh ban hành Kế hoạch ..."). Under a heading such as
"I. CĂN CỨ XÂY DỰNG KẾ HOẠCH" the whole section is one "Căn cứ" clause.

A trigger counts only where a clause starts. Written after a mention in the same list item
("Nghị quyết số 71/NQ-CP ... thực hiện Nghị quyết số 57-NQ/TW") it describes the cited
document, not the citing one. After a retrospective opening ("Trong những năm qua, ... thực
hiện ...", "kết quả thực hiện ...") it states no claim. "Thực hiện" and the like count in
the title and preamble only: in the body they are instructions, not the plan's basis.

>>> text = "Căn cứ Luật A;\\nThực hiện Kế hoạch số 1/KH-UBND; Công văn số 2/UBND-VX.\\nTheo đề nghị X"
>>> found = find_clauses(text, [], len(text))
>>> [(c.relation, text[c.start:c.end]) for c in found]  # doctest: +NORMALIZE_WHITESPACE
[('based_on', 'Căn cứ Luật A;\\n'),
 ('implements', 'Thực hiện Kế hoạch số 1/KH-UBND; Công văn số 2/UBND-VX'), ('cites', 'Theo đề nghị X')]
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import NamedTuple

from cascade.text.normalize import UPPER
from cascade.text.phrases import lowered, phrase_alternation, phrase_pattern, word_offsets
from cascade.vn.cues import BASED_ON, FRONT, LEGAL, MAIN_VERBS, RETROSPECTIVE, TRIGGERS

_LOOK_BACK = 160        # how far before a trigger a retrospective opening is looked for
_RELATION = {phrase: (relation, where) for phrase, relation, where in TRIGGERS}
_RELATION_WHERE = {relation: where for _, relation, where in TRIGGERS}


# the triggers, longest first, on lowered text (cascade.text.phrases: far faster than re.IGNORECASE)
_TRIGGER = re.compile(phrase_alternation(
    [(f"t{i}", p) for i, (p, _, _) in sorted(enumerate(TRIGGERS), key=lambda x: -len(x[1][0]))]))
_GROUP_PHRASE = {f"t{i}": p for i, (p, _, _) in enumerate(TRIGGERS)}
# the triggers that count anywhere, for the body. Reading the body with them alone finds what reading it with
# all triggers finds, less the front-only ones, when no trigger of one kind starts with a word of a trigger
# of the other kind (then no match of one kind starts at or inside a match of the other): checked here
_ANYWHERE = [(f"t{i}", p) for i, (p, _, where) in sorted(enumerate(TRIGGERS), key=lambda x: -len(x[1][0]))
             if where != FRONT]
_BODY_TRIGGER = re.compile(phrase_alternation(_ANYWHERE))
# the first words of those triggers, as lowered text holds them: every match of _BODY_TRIGGER starts with one
_BODY_FIRST_WORDS = tuple(sorted({phrase_pattern(p).split("\\")[0] for _, p in _ANYWHERE}))
assert all(re.escape(w) == w for w in _BODY_FIRST_WORDS), "the first word of a trigger is not plain letters"
_FRONT_WORDS = {w for p, _, where in TRIGGERS if where == FRONT for w in p.replace(",", " ").split()}
_ANYWHERE_WORDS = {w for p, _, where in TRIGGERS if where != FRONT for w in p.replace(",", " ").split()}
_BODY_APART = not ({p.split()[0] for p, _, where in TRIGGERS if where == FRONT} & _ANYWHERE_WORDS
                   or {p.split()[0] for p, _, where in TRIGGERS if where != FRONT} & _FRONT_WORDS)
_RETRO = re.compile(phrase_alternation([(None, w) for w in RETROSPECTIVE], spaced=False))    # on lowered text

# where a list item starts: after ";", a sentence end, a blank line, ":" at a line end, or a new line
# opened by a list marker (-, +, •, a), 1., 1.1., I.); what ends a clause: a sentence end, a blank line.
# A sentence end is a dot before a line break or before a capital or digit (_SENTENCE_END); the other
# places are found apart (_ITEM_BREAK, _BLANK_LINE), which finds what one pattern with all of them as
# alternatives finds: a dot is matched alone, and no other match holds a dot
_SENTENCE_END = re.compile(rf"\.(?=[ \t\u00a0]*\n)|\.(?=[ \t\u00a0]+[{UPPER}\d])")
# a line opened by a list marker: "-", "+", "•", "a)", "1.", "1.1.", "I." and a space
_MARKED_LINE = r"(?=[ \t\u00a0]*(?:[-+•*–]|[a-zđ]\)|\d+(?:\.\d+)*[ \t]*[.)/]|[IVX]+[ \t]*[.\-])[ \t\u00a0])"
_ITEM_BREAK = re.compile(rf";|\n[ \t\u00a0]*\n|:[ \t\u00a0]*\n|\n{_MARKED_LINE}")
# _ITEM_BREAK's alternatives by their first character (see _item_breaks): the line-break ones, in their
# order, and the colon one
_LINE_BREAK = re.compile(rf"\n(?:[ \t\u00a0]*\n|{_MARKED_LINE})")
_COLON_BREAK = re.compile(r":[ \t\u00a0]*\n")
_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
_MAIN_CLAUSE = re.compile(
    rf",[ \t\u00a0]*+(?=[{UPPER}])(?:[^\s,;.:]++[ \t\u00a0]++){{0,10}}?(?:"
    + "|".join(phrase_pattern(v) for v in MAIN_VERBS) + r")(?!\w)")
_ENACTING = re.compile(r"^[ \t\u00a0]*(?:QUYẾT[ \t]+ĐỊNH|QUYẾT[ \t]+NGHỊ)[ \t\u00a0]*:", re.MULTILINE)
_BASIS_HEADING = re.compile(
    r"^[ \t\u00a0]*(?:[IVX]+|\d+)[ \t]*[.\-/)][ \t\u00a0]*(?:CĂN[ \t]+CỨ|Căn[ \t]+cứ)(?!\w)", re.MULTILINE)
_ROMAN_HEADING = re.compile(r"^[ \t\u00a0]*[IVX]+[ \t]*[.\-][ \t\u00a0]*\S", re.MULTILINE)
# "... thay thế Quyết định số 12 và bãi bỏ Quyết định số 5": a second verb of the same subject
_COORDINATED = re.compile(r"(?:\s(?:và|đồng thời)|,)\s+\Z")
# a type word right before a verb of law makes it part of a document's name ("Luật sửa đổi, bổ sung ...")
_NAMED = re.compile(r"(?:luật|nghị định|quyết định|thông tư|nghị quyết|pháp lệnh)[ \t]+\Z", re.IGNORECASE)
_LINE_START = re.compile(r"\n[ \t\u00a0]*(?:[-+•*–][ \t\u00a0]*)?\Z")
# "TP.", "Tp.", "Q." end no sentence: what the four characters before a dot hold when it ends an abbreviation
# (the definition; _SENTENCE_END_PLAIN applies it inside its scan)
_ABBREVIATION = re.compile(r"(?:^|(?<=\s))[A-ZĐ][A-Za-zđ]{0,2}\Z")


class Clause(NamedTuple):
    """A trigger and the stretch of text it governs: ``[start, end)`` from the trigger word on (a named
    tuple: made several times faster than a frozen dataclass, and a text has many)."""

    relation: str           # implements | continues | based_on | amends | replaces | repeals | guides | cites
    start: int
    end: int
    trigger: str            # the trigger as printed
    opens_line: bool = False  # the trigger is the first word of its line (a preamble line, not page chrome)


# _SENTENCE_END less the dots that end an abbreviation, in one scan: a dot at ``s`` ends one when
# ``_ABBREVIATION`` finds one word of one to three letters ending at ``s`` (a capital, then letters) with a
# space or the text's start before it. Each length is a look-behind of its own width, read after the dot
# (so that the pattern still starts with the dot, which re searches for fast); "(?<!\S)" is "^ or a
# space before". Each match is one dot, so dropping some matches leaves the others as they were.
_NOT_ABBREVIATED = "".join(rf"(?<!(?<!\S)[A-ZĐ][A-Za-zđ]{{{n}}}\.)" for n in range(3))
_SENTENCE_END_PLAIN = re.compile(rf"\.{_NOT_ABBREVIATED}(?:(?=[ \t\u00a0]*\n)|(?=[ \t\u00a0]+[{UPPER}\d]))")


def _sentence_ends(text: str, bound: int, past: int | None = None) -> list[int]:
    """Offsets before ``bound`` of the dots that end a sentence, skipping dots that end an abbreviation
    ("TP. Hồ Chí Minh"): the dots of ``_SENTENCE_END`` for which ``_ABBREVIATION`` finds nothing in the
    four characters before them, found in one scan. With ``past``, none after the first at or after it
    (see :func:`_starts_before`)."""
    return _starts_before(_SENTENCE_END_PLAIN, text, bound, past)


def _starts_before(pattern: re.Pattern[str], text: str, bound: int, past: int | None = None) -> list[int]:
    """Where the matches of ``pattern.finditer(text)`` that start before ``bound`` start (the text after
    them is not read; a match may still look past ``bound``).

    With ``past``, the scan stops after the first match that starts at or after ``past``: a caller that
    wants, after each offset up to ``past``, the first match at or after it, needs no later one.
    """
    if bound >= len(text) and past is None:
        return [m.start() for m in pattern.finditer(text)]
    out = []
    for m in pattern.finditer(text):
        if m.start() >= bound:
            break
        out.append(m.start())
        if past is not None and m.start() >= past:
            break
    return out


def _item_breaks(text: str, bound: int) -> list[int]:
    """``_starts_before(_ITEM_BREAK, text, bound)``, in no particular order, found faster.

    A pattern that may start with one of several characters is searched for several times slower
    than one that starts with one character, so each first character is looked for apart: ";",
    ":" (_COLON_BREAK) and a line break (_LINE_BREAK). Each ";" is a match of its own, and so is each
    match of _COLON_BREAK: no other match holds a ";" or a ":". A match of _LINE_BREAK holds only
    line breaks and spaces, so none holds the start of another; but a colon match takes the line
    break it ends with, and a scan of the whole pattern goes on after it: a line break match
    starting there is not one, and the line breaks are looked for again from the next character.
    """
    out = []
    i = text.find(";", 0, bound)
    while i >= 0:
        out.append(i)
        i = text.find(";", i + 1, bound)
    taken = set()                                   # the line breaks colon matches end with
    if ":" in text:
        for m in _COLON_BREAK.finditer(text):
            if m.start() >= bound:
                break
            out.append(m.start())
            taken.add(m.end() - 1)
    pos = 0
    while pos >= 0:
        resume = -1
        for m in _LINE_BREAK.finditer(text, pos):
            start = m.start()
            if start >= bound:
                break
            if start in taken:
                resume = start + 1
                break
            out.append(start)
        pos = resume
    return out


# how far past ``until`` find_clauses reads first: a clause mostly ends at the end of its sentence
_REACH = 300


def find_clauses(text: str, mention_starts: Sequence[int], front_end: int,
                 block_starts: Sequence[int] = (), until: int | None = None) -> list[Clause]:
    """Every clause of ``text`` a trigger opens, in order.

    Args:
        text: the cleaned text.
        mention_starts: sorted offsets where mentions of other documents start (a trigger after a
            mention in the same list item describes that document instead of opening a clause).
        front_end: where the body starts; triggers that count in the front only are ignored after it.
        block_starts: where the header's blocks (title, preamble) start: list items start there too.
        until: only the clauses that start before it are wanted (those a search of the whole text
            finds, with the same ends); the text is read up to ``_REACH`` past it, and whole only
            when the end of the last of them lies further.
    """
    n = len(text)
    bound = n if until is None else min(n, until + _REACH)
    ordinary = _ordinary_clauses(text, mention_starts, front_end, block_starts, bound)
    if until is not None:
        ordinary = [c for c in ordinary if c.start < until]
        # a clause's end is the first of a hard end, the next clause and the front's end; each one
        # before ``bound`` was seen, so an end before ``bound`` is the end a whole search gives
        if bound < n and ordinary and ordinary[-1].end >= bound:
            ordinary = [c for c in _ordinary_clauses(text, mention_starts, front_end, block_starts, n)
                        if c.start < until]
    clauses = ordinary
    for m in _basis_headings(text):                     # "I. CĂN CỨ XÂY DỰNG KẾ HOẠCH": the whole section
        if until is not None and m.start() >= until:
            break
        line_end = text.find("\n", m.end())
        nxt = _ROMAN_HEADING.search(text, line_end + 1) if line_end >= 0 else None
        end = nxt.start() if nxt else len(text)
        clauses.append(Clause(BASED_ON, m.start(), end, m.group(0).strip(), True))
    clauses.sort(key=lambda c: c.start)
    return clauses


def _ordinary_clauses(text: str, mention_starts: Sequence[int], front_end: int, block_starts: Sequence[int],
                      bound: int) -> list[Clause]:
    """The clauses opened by a trigger that starts before ``bound``, their ends found among the places
    before ``bound`` (``len(text)`` when none is)."""
    low = lowered(text)
    triggers = _triggers(low, front_end, bound)
    if not triggers:
        return []
    # a trigger reads the item starts before it, and a clause the first hard end after its trigger: the
    # text after the last trigger is read up to the first place of each kind there, not up to ``bound``
    last_start, last_end = triggers[-1].start(), max(m.end() for m in triggers)
    sentence_ends = _sentence_ends(text, bound, last_end)
    item_starts = sorted({*sentence_ends, *_item_breaks(text, min(bound, last_start)),
                          *[b - 1 for b in block_starts if b > 0]})
    hard_ends = sentence_ends + _starts_before(_BLANK_LINE, text, bound, last_end)
    hard_ends += _starts_before(_MAIN_CLAUSE, text, bound, last_end)
    hard_ends += [m.start() for m in _line_matches(_ENACTING, text, ("QUYẾT",)) if m.start() < bound]
    hard_ends.sort()
    # (start, end of the trigger, relation, printed, opens a line)
    heads: list[tuple[int, int, str, str, bool]] = []
    for m in triggers:
        start, trigger_end = m.span()
        relation, where = _RELATION[_GROUP_PHRASE[m.lastgroup or ""]]
        if where == FRONT and start >= front_end:
            continue
        printed = text[start:trigger_end]
        k = bisect_right(item_starts, start - 1) - 1
        item_start = item_starts[k] + 1 if k >= 0 else 0
        near = max(0, start - 8)
        # a line break (and a list marker) right before the trigger, in the 8 characters before it; and the
        # same after the start of its item (one search when the item starts before those 8 characters)
        line_start = _LINE_START.search(text, near, start) is not None
        line_opened = (line_start if item_start <= near
                       else _LINE_START.search(text, item_start, start) is not None)
        if relation not in LEGAL and printed[:1].isupper() and line_opened:
            item_start = start                          # a capitalised trigger opening a line opens an item
        j = bisect_left(mention_starts, item_start)
        if j < len(mention_starts) and mention_starts[j] < start and not (
                relation in LEGAL and _COORDINATED.search(text, max(0, start - 16), start)):
            continue                                    # it describes the document mentioned before it
        if relation in LEGAL and _NAMED.search(text, max(0, start - 16), start):
            continue                                    # "Luật sửa đổi, bổ sung ...": the name of a cited law
        if relation not in LEGAL and _RETRO.search(low, max(item_start, start - _LOOK_BACK), start):
            continue                                    # a look back, not a claim
        heads.append((start, trigger_end, relation, printed, start == 0 or line_start))
    clauses: list[Clause] = []
    for n, (start, trigger_end, relation, printed, opens) in enumerate(heads):
        h = bisect_left(hard_ends, trigger_end)
        end = hard_ends[h] if h < len(hard_ends) else len(text)
        if n + 1 < len(heads):
            end = min(end, heads[n + 1][0])
        if _RELATION_WHERE[relation] == FRONT:
            end = min(end, max(front_end, start))
        clauses.append(Clause(relation, start, end, printed, opens))
    return clauses


def _triggers(low: str, front_end: int, bound: int) -> list[re.Match[str]]:
    """The matches of ``_TRIGGER`` in lowered text that start before ``bound``, less (some) front-only ones
    after ``front_end``."""
    found: list[re.Match[str]] = []
    for m in _TRIGGER.finditer(low):
        if m.start() >= bound:
            return found
        if m.start() >= front_end and _BODY_APART:
            found += _body_triggers(low, m.start(), bound)       # the body: the triggers that count there
            break
        found.append(m)
    return found


def _body_triggers(low: str, start: int, bound: int) -> list[re.Match[str]]:
    """The matches of ``_BODY_TRIGGER.finditer(low, start)`` that start before ``bound``.

    A match starts with one of ``_BODY_FIRST_WORDS``: the pattern is tried only where one of them
    starts, in order, skipping those inside a match found (as a scan does); the text after ``bound``
    is not read, where a scan would go on to the next match (the body holds few triggers).
    """
    places: list[int] = []
    for w in _BODY_FIRST_WORDS:
        last = bound + len(w) - 1                   # a word starting before ``bound`` ends by then
        i = low.find(w, start, last)
        while i >= 0:
            places.append(i)
            i = low.find(w, i + 1, last)
    found: list[re.Match[str]] = []
    end = 0
    for i in sorted(places):
        if i >= end:
            m = _BODY_TRIGGER.match(low, i)
            if m is not None:
                found.append(m)
                end = m.end()
    return found


def _basis_headings(text: str) -> list[re.Match[str]]:
    """``list(_BASIS_HEADING.finditer(text))``, tried only at the start of a line that holds its word."""
    return _line_matches(_BASIS_HEADING, text, ("CĂN", "Căn"))


def _line_matches(pattern: re.Pattern[str], text: str, words: tuple[str, ...]) -> list[re.Match[str]]:
    """``list(pattern.finditer(text))`` for a pattern whose matches start a line (``^``, multi-line), end on
    it and hold one of ``words``: tried only at the start of the lines that hold one of them.

    A match starts a line and ends on it, so each line holds at most one, found by matching at its start.
    """
    line_starts = {text.rfind("\n", 0, i) + 1 for i in word_offsets(text, words)}
    return [m for start in sorted(line_starts) if (m := pattern.match(text, start))]


class ClauseIndex:
    """Answers which clause governs an offset: the latest-opening clause whose stretch holds it."""

    def __init__(self, clauses: Sequence[Clause]) -> None:
        self.ordinary: list[Clause] = []
        self.headings: list[Clause] = []
        for c in clauses:
            (self.headings if _BASIS_HEADING.match(c.trigger) else self.ordinary).append(c)
        self._starts = [c.start for c in self.ordinary]
        self._heading_starts = [c.start for c in self.headings]

    def at(self, offset: int) -> Clause | None:
        """The clause governing ``offset``, or None (ordinary clauses never overlap: one look suffices)."""
        k = bisect_right(self._starts, offset - 1) - 1
        if k >= 0 and self.ordinary[k].end > offset:
            return self.ordinary[k]
        h = bisect_right(self._heading_starts, offset - 1) - 1   # headings do not overlap: the last one
        if h >= 0 and self.headings[h].end > offset:
            return self.headings[h]
        return None
