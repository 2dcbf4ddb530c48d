"""Sections and numbered items of a plan: ``I.`` > ``1.`` > ``1.1.`` > ``a)`` > ``-`` > ``+``.

Vietnamese documents number their parts with Roman numerals (``I.``, ``II -``), Arabic
numbers (``1.``, ``1-`` in older Party texts, ``1.1.``), letters in Vietnamese order
(``a)`` ... ``d)``, ``đ)``, ``e)`` ...: no f, j, w, z) and bullets (``-``, ``+``, ``*``, ``•``).
Nesting is read from the order markers first appear in, the way a reader does: a marker
style already open closes what was opened after it; a new style opens a level below.

Every item carries a label path built from its numbered ancestors ("II.3.b"; bullets add
no level), its heading, its span in the clean text, its children and the kind of its
top-level section (purpose | targets | tasks | organisation | funding | other). Lines such
as "Thời gian thực hiện: ..." or "* *Đơn vị thực hiện:* ..." are *field* items: they belong
to the nearest numbered item above them. Parsing stops at the closing ("Trên đây là Kế
hoạch...", "Nơi nhận:").

>>> items = parse_structure("I. NHIỆM VỤ\\n1. Tuyên truyền\\na) Sở Tư pháp chủ trì\\nđ) Khác\\n"
...                         "II. TỔ CHỨC THỰC HIỆN\\n1. Sở Nội vụ\\n- theo dõi\\nNơi nhận:\\n- Lưu: VT.")
>>> [(i.label, i.section) for i in walk(items) if i.style != "bullet"]  # doctest: +NORMALIZE_WHITESPACE
[('I', 'tasks'), ('I.1', 'tasks'), ('I.1.a', 'tasks'), ('I.1.đ', 'tasks'),
 ('II', 'organisation'), ('II.1', 'organisation')]
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as _field
from functools import lru_cache
from typing import Any

#: Vietnamese letter order for sub-items (no f, j, w, z; đ after d)
LETTERS = "abcdđeghiklmnopqrstuvxy"
_ROMAN = {r: i for i, r in enumerate(("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI",
                                      "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX"), 1)}
SECTION_KINDS = ("purpose", "targets", "tasks", "organisation", "funding", "other")

# -- line shapes ------------------------------------------------------------------------------------

# labelled fields of a task; the label must be followed by a colon (possibly inside emphasis)
FIELD_LABELS: dict[str, str] = {
    "đơn vị thực hiện": "lead", "đơn vị chủ trì": "lead", "cơ quan chủ trì": "lead",
    "cơ quan thực hiện": "lead", "cơ quan, đơn vị thực hiện": "lead", "cơ quan, đơn vị chủ trì": "lead",
    "đơn vị chủ trì thực hiện": "lead", "cơ quan chủ trì thực hiện": "lead", "đơn vị đầu mối": "lead",
    "cơ quan đầu mối": "lead", "trách nhiệm thực hiện": "lead", "đơn vị thực hiện chính": "lead",
    "chủ trì": "lead", "cơ quan tham mưu": "lead", "đơn vị tham mưu": "lead", "phân công thực hiện": "lead",
    "đơn vị phối hợp": "cooperating", "cơ quan phối hợp": "cooperating",
    "cơ quan, đơn vị phối hợp": "cooperating", "đơn vị phối hợp thực hiện": "cooperating",
    "cơ quan phối hợp thực hiện": "cooperating", "phối hợp": "cooperating",
    "phối hợp thực hiện": "cooperating",
    "thời gian thực hiện": "deadline", "thời gian hoàn thành": "deadline", "thời hạn": "deadline",
    "thời hạn hoàn thành": "deadline", "thời hạn thực hiện": "deadline", "tiến độ": "deadline",
    "tiến độ thực hiện": "deadline", "tiến độ hoàn thành": "deadline", "thời gian": "deadline",
    "thời điểm hoàn thành": "deadline", "thời gian triển khai": "deadline",
    "sản phẩm": "deliverable", "sản phẩm đầu ra": "deliverable", "kết quả": "deliverable",
    "kết quả đầu ra": "deliverable", "sản phẩm hoàn thành": "deliverable",
    "hình thức sản phẩm": "deliverable",
    "kinh phí": "funding", "kinh phí thực hiện": "funding", "nguồn kinh phí": "funding",
}
# a numbered or bulleted line: the marker, then the text
_MARKER_RE = re.compile(
    r"(?P<roman>[IVX]{1,5})\s*[.\-–)]\s*(?=\S)(?!\d)"
    r"|(?P<num>\d{1,2}(?:\.\d{1,2}){1,3})\.?\s*(?=[^\d\s.])"          # 1.1. / 1.1 / 1.2.3.
    r"|(?P<num1>\d{1,2})\s*[.)\-]\s*(?=[^\d\s.\-/])"                    # 1. / 1) / 1-
    r"|(?P<letter>[abcdđeghiklmnopqrstuvxy])\s*\)\s*(?=\S)"                 # a) ... đ) ... y)
    r"|(?P<letter2>[abcdđeghiklmnopqrstuvxy])[.\-]\s+(?=\S)"                # a. / a-
    r"|(?P<upper>[A-HK-UYĐ])\s*[.)]\s+(?=[A-ZĐÀ-Ỹ])"                     # A. / B) sections
    r"|(?P<bullet>[-+•*·▪◦●■□➢➤✓►])\s*(?=\S)"
)
_MARKER_FIRST = frozenset("IVX-+•*·▪◦●■□➢➤✓►_")
_EMPHASIS = re.compile(r"[*_]+\s*")
# the closing of the body ("Trên đây là...", "Nơi nhận:", the signature's "TM.", "KT."...) at a line
# start; searched from a newline, which the regex engine finds far faster than a multi-line "^"
_CLOSING = r"[*_ \t]*(?:Trên\s+đây\s+là|Nơi\s+nhận|NƠI\s+NHẬN|Nơi\s+gửi|T/M\b|TM\.|KT\.|K/T\b|TL\.|TUQ\.)"
_CLOSING_AT = re.compile(_CLOSING)
_CLOSING_NL = re.compile("\n" + _CLOSING)
# a Roman-numbered section heading at a line start ("II. NHIỆM VỤ"), searched the same way
_ROMAN_LINE = r"[*_ \t]*(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})\s*[.\-–)]\s*[*_]*\s*[A-ZĐÀ-Ỹ]"
_ROMAN_AT = re.compile(_ROMAN_LINE)
_ROMAN_NL = re.compile("\n" + _ROMAN_LINE)
_SECTION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("organisation", ("tổ chức thực hiện", "phân công", "trách nhiệm thực hiện", "trách nhiệm của",
                      "tổ chức triển khai", "điều khoản thi hành", "chế độ báo cáo", "chế độ thông tin",
                      "thông tin, báo cáo", "thông tin báo cáo")),
    ("tasks", ("nhiệm vụ", "giải pháp", "nội dung", "kế hoạch kiểm tra", "hoạt động", "tiến độ",
               "phương hướng", "công việc", "lộ trình", "chương trình")),
    ("funding", ("kinh phí", "nguồn lực tài chính", "nguồn vốn")),
    ("targets", ("mục tiêu", "chỉ tiêu")),
    ("purpose", ("mục đích", "yêu cầu", "quan điểm")),
)


@lru_cache(maxsize=4096)
def section_kind(heading: str) -> str:
    """Classify a section heading by its keywords.

    >>> section_kind("NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU"), section_kind("IV. TỔ CHỨC THỰC HIỆN")
    ('tasks', 'organisation')
    >>> section_kind("MỤC ĐÍCH, YÊU CẦU"), section_kind("KINH PHÍ THỰC HIỆN")
    ('purpose', 'funding')
    """
    h = " ".join(heading.casefold().replace("*", " ").split())
    for kind, words in _SECTION_WORDS:
        if any(w in h for w in words):
            return kind
    return "other"


# -- items ----------------------------------------------------------------------------------------

#: the marker styles that make a level of the label path (bullets and fields do not)
NUMBERED = frozenset({"roman", "upper", "num", "letter"})


@dataclass(eq=False, slots=True)
class Item:
    """A numbered or bulleted item (or a labelled field line) of a document."""

    label: str                 # numbering path: "II.3.b"; bullets and fields share their parent's
    marker: str                # "II", "3", "1.2", "b", "-", "+" ("" for an unmarked field line)
    style: str                 # roman | upper | num | letter | bullet | field
    heading: str               # the first line's text after the marker, emphasis removed
    start: int                 # span in the clean text: the marker line to the end of the item,
    end: int
    head_end: int              # end of the first line (both ends before the spaces that end a line)
    depth: int
    text_start: int = -1       # where the heading text starts (after the marker and emphasis)
    section: str = "other"
    field: str | None = None   # lead | cooperating | deadline | deliverable | funding (labelled lines)
    children: list[Item] = _field(default_factory=list)
    parent: Item | None = _field(default=None, repr=False)

    @property
    def numbered(self) -> bool:
        """Numbered items make a level of the label path; bullets and fields do not."""
        return self.style in NUMBERED

    def walk(self) -> Iterator[Item]:
        """This item and every item below it, in document order."""
        return walk((self,))

    def ancestors(self) -> Iterator[Item]:
        p = self.parent
        while p is not None:
            yield p
            p = p.parent


def walk(items: Iterable[Item]) -> Iterator[Item]:
    """Every item of a parsed structure in document order (pre-order).

    An explicit stack rather than nested generators: a deep tree costs one generator, not
    one per level.
    """
    stack = list(items)
    stack.reverse()
    while stack:
        it = stack.pop()
        yield it
        if it.children:
            stack.extend(reversed(it.children))


@lru_cache(maxsize=4096)
def _label_kind(label: str) -> str | None:
    """The field kind of the words before a colon ("** Thời gian thực hiện" -> "deadline")."""
    return FIELD_LABELS.get(" ".join(label.replace("*", " ").replace("_", " ").casefold().split()))


def field_of(line: str) -> tuple[str, str, int] | None:
    """``(kind, value, value offset)`` when ``line`` is a labelled field ("Thời hạn: Quý III/2021").

    >>> field_of("* *Đơn vị thực hiện:* Phòng Y tế chủ trì")[:2]
    ('lead', 'Phòng Y tế chủ trì')
    """
    colon = line.find(":", 0, 60)                       # every label is short and ends with a colon
    if colon < 0:
        return None
    kind = _label_kind(line[:colon])
    if kind is None:
        return None
    start = colon + 1
    while start < len(line) and line[start] in " *_\t":
        start += 1
    return kind, line[start:].rstrip(), start


def body_end(text: str, start: int = 0) -> int:
    """Where the body of a plan ends: the closing, the recipients or the signature.

    >>> body_end("1. Việc\\nTrên đây là Kế hoạch"), body_end("TM. UBND")
    (8, 0)
    """
    if (start == 0 or text[start - 1] == "\n") and _CLOSING_AT.match(text, start):
        return start
    m = _CLOSING_NL.search(text, start - 1 if start else 0)
    return m.start() + 1 if m else len(text)


def _has_roman(text: str, end: int) -> bool:
    """Whether ``text[:end]`` has a line that opens a Roman-numbered section."""
    return _ROMAN_AT.match(text, 0, end) is not None or _ROMAN_NL.search(text, 0, end) is not None


def _roman_value(s: str) -> int | None:
    return _ROMAN.get(s)


def _classify(line: str) -> tuple[str, str, int] | None:
    """``(style, marker, text offset)`` for a marked line, after markdown emphasis."""
    lead = len(line) - len(line.lstrip())
    s = line[lead:]
    # "* *Đơn vị:*", "** Thời gian:*", "**Heading**": emphasis, not a bullet, unless "* text"
    if not s:
        return None
    if s[0] in "*_":
        if s.startswith(("* ", "*\t")) and field_of(s) is None:
            return "bullet", "*", lead + 2
        m = _EMPHASIS.match(s)                          # always matches: s starts with * or _
        skip = m.end() if m else 0
        lead += skip
        s = s[skip:]
        if not s:
            return None
    c = s[0]
    if not (c.isdigit() or c in _MARKER_FIRST or (c in LETTERS and s[1:2] in (")", ".", "-", " "))
            or (c.isupper() and s[1:2] in (".", ")", " ", "-"))):
        return None                                     # a paragraph: most lines stop here
    m = _MARKER_RE.match(s)
    if not m:
        return None
    kind = m.lastgroup
    if kind == "roman":
        if _roman_value(m["roman"]) is None or not (s[m.end():].lstrip("*_ ")[:1].isupper()):
            return None
        return "roman", m["roman"], lead + m.end()
    if kind in ("num", "num1"):
        return "num", m[kind], lead + m.end()
    if kind in ("letter", "letter2"):
        return "letter", m[kind], lead + m.end()
    if kind == "upper":
        return "upper", m["upper"], lead + m.end()
    rest = s[m.end():].strip(" *_-.")
    if not rest or not any(c.isalnum() for c in rest):
        return None                                    # "-------", "*", "- - -": rules, not items
    return "bullet", m["bullet"], lead + m.end()


# The lines worth a look: a marker may start them (the first character after spaces is a
# marker character, a digit, or a letter followed by ")", ".", "-" or a space), or a field label
# may (a colon among the first 60 characters), or, in a document without Roman-numbered
# sections, they may be a heading in capitals. A superset of what the parser takes: the regex
# engine skips the paragraphs between them far faster than a loop over every line. Lines with
# an early colon are found from the colons (str.find), not by a regex counting each line's
# first 60 characters.
_LOOK = r"[^\S\n]*(?:[-+•*·▪◦●■□➢➤✓►_IVX\d]|[^\W\d_][).\- ])"
_LOOK_CAPS = _LOOK + r"|(?:[*_]|[^\S\n])*[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ,\-–]{4}"
_LOOK_AT = (re.compile(f"(?={_LOOK})"), re.compile(f"(?={_LOOK_CAPS})"))
_LOOK_NL = (re.compile(f"\\n(?={_LOOK})"), re.compile(f"\\n(?={_LOOK_CAPS})"))


def _line_starts(text: str, end: int, caps: bool) -> list[int]:
    """Starts of the lines of ``text[:end]`` that may be items, fields or (``caps``) capital headings."""
    starts = [m.end() for m in _LOOK_NL[caps].finditer(text, 0, end)]
    if _LOOK_AT[caps].match(text, 0, end):
        starts.insert(0, 0)
    labelled = []                                       # lines with a colon among their first 60 characters
    colon = text.find(":", 0, end)
    while colon >= 0:
        line = text.rfind("\n", 0, colon) + 1
        if colon - line < 60:
            labelled.append(line)
        nl = text.find("\n", colon, end)               # the first colon of a line decides
        colon = text.find(":", nl, end) if nl >= 0 else -1
    if labelled:
        starts = sorted(set(starts).union(labelled))
    return starts


_CAPS_SECTION = re.compile(r"[*_\s]*(?P<h>[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ,\-–]{4,})[*_\s:]*$")


def _is_caps_section(line: str) -> bool:
    m = _CAPS_SECTION.match(line)
    if not m or m["h"].upper() != m["h"]:
        return False
    return section_kind(m["h"]) != "other"


def _label(base: str, style: str, marker: str) -> str:
    """The label of an item under a parent labelled ``base`` ("" at the top)."""
    if style in ("bullet", "field"):
        return base
    if style == "num" and "." in marker:
        parts = marker.split(".")
        # "1.2" under "II.1": the label is "II.1.2", not "II.1.1.2"
        if base.split(".")[-len(parts) + 1:] == parts[:-1]:
            return f"{base}.{parts[-1]}" if base else marker
    return f"{base}.{marker}" if base else marker


#: what the nesting of a line depends on: its style, its marker, whether it is a field left open
_Skeleton = tuple[str, str, bool]
_Shape = tuple[str, str, str, int, str | None, _Skeleton, int]


@lru_cache(maxsize=8192)
def _shape(line: str) -> _Shape | None:
    """What a line is: ``(style, marker, heading, text offset, field kind, skeleton, length without
    the spaces that end it)``.

    ``style`` is "field" for a labelled field, "caps" for a paragraph that would be a section
    heading in a document without Roman numerals, or a marker style; None for a plain
    paragraph. The skeleton is ``(style, marker, open field)``, all the nesting depends on (see
    :func:`_plan`); a field is open when its value is on the lines below it. A pure
    function of the line, cached: plans repeat their headings and field lines ("Thời gian thực
    hiện: Thường xuyên.") from one document to the next.
    """
    fld = field_of(line)
    cls = _classify(line)
    if cls and cls[0] == "bullet" and fld is None:
        inner = field_of(line[cls[2]:])
        if inner:                                       # "- Thời gian thực hiện: ..." is a field
            fld, cls = inner, None
    if fld is not None and (cls is None or cls[0] == "bullet"):
        open_field = not fld[1].strip(" .:*_")
        return "field", "", _strip_emphasis(line), 0, fld[0], ("field", "", open_field), len(line.rstrip())
    if cls is None:
        if _is_caps_section(line):
            return "caps", "", _strip_emphasis(line), 0, None, ("caps", "", False), len(line.rstrip())
        return None
    style, marker, off = cls
    rest = line[off:]
    heading = _strip_emphasis(rest)
    kind = None
    if style == "letter" or style == "num":
        f = field_of(heading)
        kind = f[0] if f else None
    return (style, marker, heading, off + _lead_emphasis(rest), kind, (style, marker, False),
            len(line.rstrip()))


# how an item's section is found (see _plan): its parent's, the kind of its heading, that kind
# with "tasks" for the kinds that are not purpose, targets, organisation or funding, or given
_INHERIT, _KIND, _KIND_OR_TASKS = range(3)
#: one line's place in the tree: (its parent's line or -1, label, style, depth, section rule, the line
#: whose start closes it, -1 for the end of the body, -2 for a field that holds only its own line)
_Step = tuple[int, str, str, int, int | str, int]


def _plan(has_roman: bool, skeletons: tuple[_Skeleton, ...]) -> tuple[_Step | None, ...]:
    """The tree the marked lines of a document make, from their skeletons alone (None for a line
    that makes no item): nesting is read from the order markers first appear in, the way a
    reader does; a marker style already open closes what was opened after it; a new style opens
    a level below. Cached by :func:`parse_structure`: plans share a handful of layouts."""
    steps: list[list[Any]] = []                # per line: its step as a list (its closer set later)
    stack: list[int] = []                       # the open lines, outermost first
    keys: list[tuple[str, int | str]] = []      # their style keys
    labels: list[str] = []
    seen_section = False

    def pop_to(n: int, at: int) -> None:
        while len(stack) > n:
            steps[stack.pop()][5] = at
            keys.pop()

    for idx, (style, marker, open_field) in enumerate(skeletons):
        labels.append("")
        if style == "field" or (style == "caps" and not has_roman):
            if style == "field":                        # it belongs to the nearest numbered item
                while stack and steps[stack[-1]][2] not in NUMBERED:
                    pop_to(len(stack) - 1, idx)
            else:                                       # a heading in capitals opens a section
                style = "upper"
                pop_to(0, idx)
            label = labels[stack[-1]] if stack and style == "field" else ""
        elif style == "caps" or (style == "upper" and has_roman):
            steps.append([])
            continue
        else:
            if style == "roman":
                pop_to(0, idx)
            else:
                if style != "bullet":
                    while stack and steps[stack[-1]][2] not in NUMBERED:
                        pop_to(len(stack) - 1, idx)
                key = _style_key(style, marker)
                if key in keys:
                    pop_to(keys.index(key), idx)
            label = _label(labels[stack[-1]] if stack else "", style, marker)
        labels[idx] = label
        parent = stack[-1] if stack else -1
        rule: int | str
        if parent >= 0:
            rule = _INHERIT
        elif style in ("roman", "upper"):
            rule = _KIND
            seen_section = True
        elif has_roman:
            rule = "other" if seen_section else "preamble"
        else:                                           # no sections: numbered items are the content
            rule = _KIND_OR_TASKS
        steps.append([parent, label, style, len(stack), rule, -2])
        if style != "field" or open_field:              # a field with its value on its line holds nothing
            stack.append(idx)
            keys.append(_style_key(style, marker))
    pop_to(0, -1)
    return tuple(tuple(s) if s else None for s in steps)


# the layouts read (see _plan), cleared when full: a few hundred cover the layouts plans share, and a
# long plan's layout takes tens of kilobytes
_PLANS: dict[tuple[bool, tuple[_Skeleton, ...]], tuple[_Step | None, ...]] = {}
_PLANS_MAX = 256


def parse_structure(text: str) -> list[Item]:
    """The top-level items of ``text`` (sections, or numbered items when there are none).

    Items before the first section of a document that has sections are kept with the
    section kind "preamble". Nothing after the closing ("Trên đây là", "Nơi nhận") is read.
    The tree is read from the lines' skeletons (see :func:`_plan`, cached by skeletons: the
    answer depends on nothing else); the spans, headings and sections are this text's.
    """
    end_of_body = body_end(text)
    has_roman = _has_roman(text, end_of_body)
    lines: list[tuple[int, _Shape]] = []        # the marked lines: where each starts, its shape
    skeletons: list[_Skeleton] = []
    for a in _line_starts(text, end_of_body, not has_roman):
        b = text.find("\n", a, end_of_body)
        if b < 0:
            b = end_of_body
        shape = _shape(text[a:b])
        if shape is not None:
            lines.append((a, shape))
            skeletons.append(shape[5])
    if not lines:
        return []
    key = (has_roman, tuple(skeletons))
    plan = _PLANS.get(key)
    if plan is None:
        if len(_PLANS) >= _PLANS_MAX:
            _PLANS.clear()
        plan = _PLANS[key] = _plan(*key)
    top: list[Item] = []
    made: list[Item | None] = []
    for (a, shape), step in zip(lines, plan, strict=True):
        if step is None:
            made.append(None)
            continue
        parent_at, label, style, depth, rule, closed_by = step
        heading = shape[2]
        e = a + shape[6]                                # the line without the spaces that end it
        if closed_by != -2:                             # it ends before the spaces before what closes it
            end = lines[closed_by][0] if closed_by >= 0 else end_of_body
            while end > a and text[end - 1].isspace():
                end -= 1
            if end < e:
                end = e
        else:
            end = e
        if parent_at >= 0:
            parent = made[parent_at]
            item = Item(label, shape[1], style, heading, a, end, e, depth, a + shape[3],
                        parent.section, shape[4], [], parent)   # type: ignore[union-attr]
            parent.children.append(item)                # type: ignore[union-attr]
        else:
            if rule == _KIND:
                section = section_kind(heading)
            elif rule == _KIND_OR_TASKS:
                section = section_kind(heading)
                if section not in ("purpose", "targets", "organisation", "funding"):
                    section = "tasks"
            else:
                section = rule                          # type: ignore[assignment]
            item = Item(label, shape[1], style, heading, a, end, e, depth, a + shape[3], section, shape[4],
                        [], None)
            top.append(item)
        made.append(item)
    return top


def _style_key(style: str, marker: str) -> tuple[str, int | str]:
    if style == "num":
        return ("num", marker.count(".") + 1)
    if style == "bullet":
        return ("bullet", marker)
    return (style, 0)


def _lead_emphasis(s: str) -> int:
    n = 0
    while n < len(s) and s[n] in "*_ ":
        n += 1
    return n


def _strip_emphasis(s: str) -> str:
    return " ".join(s.replace("*", " ").split()).strip()


def iter_items(text: str) -> Iterator[Item]:
    """Every item of ``text`` in document order (shorthand for ``walk(parse_structure(text))``)."""
    return walk(parse_structure(text))
