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
_CLOSING_RE = re.compile(
    r"[*_\s]*(?:Trên\s+đây\s+là|Nơi\s+nhận|NƠI\s+NHẬN|Nơi\s+gửi|T/M\b|TM\.|KT\.|K/T\b|TL\.|TUQ\.)")
_CLOSING_LINE_RE = re.compile(
    r"^[*_ \t]*(?:Trên\s+đây\s+là|Nơi\s+nhận|NƠI\s+NHẬN|Nơi\s+gửi|T/M\b|TM\.|KT\.|K/T\b|TL\.|TUQ\.)",
    re.MULTILINE)
_ROMAN_LINE_RE = re.compile(r"^[*_ \t]*(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})\s*[.\-–)]\s*[*_]*\s*[A-ZĐÀ-Ỹ]",
                            re.MULTILINE)
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

@dataclass(eq=False, slots=True)
class Item:
    """A numbered or bulleted item (or a labelled field line) of a document."""

    label: str                 # numbering path: "II.3.b"; bullets and fields share their parent's
    marker: str                # "II", "3", "1.2", "b", "-", "+" ("" for an unmarked field line)
    style: str                 # roman | upper | num | letter | bullet | field
    heading: str               # the first line's text after the marker, emphasis removed
    start: int                 # span in the clean text: the marker line to the end of the item
    end: int
    head_end: int              # end of the first line
    depth: int
    text_start: int = -1       # where the heading text starts (after the marker and emphasis)
    section: str = "other"
    field: str | None = None   # lead | cooperating | deadline | deliverable | funding (labelled lines)
    children: list[Item] = _field(default_factory=list)
    parent: Item | None = _field(default=None, repr=False)

    @property
    def numbered(self) -> bool:
        """Numbered items make a level of the label path; bullets and fields do not."""
        return self.style in ("roman", "upper", "num", "letter")

    def walk(self) -> Iterator[Item]:
        """This item and every item below it, in document order."""
        yield self
        for c in self.children:
            yield from c.walk()

    def ancestors(self) -> Iterator[Item]:
        p = self.parent
        while p is not None:
            yield p
            p = p.parent


def walk(items: Iterable[Item]) -> Iterator[Item]:
    """Every item of a parsed structure in document order (pre-order)."""
    for it in items:
        yield from it.walk()


def field_of(line: str) -> tuple[str, str, int] | None:
    """``(kind, value, value offset)`` when ``line`` is a labelled field ("Thời hạn: Quý III/2021").

    >>> field_of("* *Đơn vị thực hiện:* Phòng Y tế chủ trì")[:2]
    ('lead', 'Phòng Y tế chủ trì')
    """
    colon = line.find(":", 0, 60)                       # every label is short and ends with a colon
    if colon < 0:
        return None
    label = " ".join(line[:colon].replace("*", " ").replace("_", " ").casefold().split())
    kind = FIELD_LABELS.get(label)
    if kind is None:
        return None
    start = colon + 1
    while start < len(line) and line[start] in " *_\t":
        start += 1
    return kind, line[start:].rstrip(), start


def body_end(text: str, start: int = 0) -> int:
    """Where the body of a plan ends: the closing, the recipients or the signature."""
    m = _CLOSING_LINE_RE.search(text, start)
    return m.start() if m else len(text)


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
        m = _EMPHASIS.match(s)
        lead += m.end()
        s = s[m.end():]
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


_CAPS_SECTION = re.compile(r"[*_\s]*(?P<h>[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ,\-–]{4,})[*_\s:]*$")


def _is_caps_section(line: str) -> bool:
    m = _CAPS_SECTION.match(line)
    if not m or m["h"].upper() != m["h"]:
        return False
    return section_kind(m["h"]) != "other"


def _label(parent: Item | None, style: str, marker: str) -> str:
    if style in ("bullet", "field"):
        return parent.label if parent else ""
    base = parent.label if parent else ""
    if style == "num" and "." in marker:
        parts = marker.split(".")
        # "1.2" under "II.1": the label is "II.1.2", not "II.1.1.2"
        if base.split(".")[-len(parts) + 1:] == parts[:-1]:
            return f"{base}.{parts[-1]}" if base else marker
    return f"{base}.{marker}" if base else marker


def parse_structure(text: str) -> list[Item]:
    """The top-level items of ``text`` (sections, or numbered items when there are none).

    Items before the first section of a document that has sections are kept with the
    section kind "preamble". Nothing after the closing ("Trên đây là", "Nơi nhận") is read.
    """
    end_of_body = body_end(text)
    lines: list[tuple[int, int, str]] = []
    pos = 0
    for ln in text[:end_of_body].split("\n"):
        lines.append((pos, pos + len(ln), ln))
        pos += len(ln) + 1
    has_roman = _ROMAN_LINE_RE.search(text, 0, end_of_body) is not None

    top: list[Item] = []
    stack: list[Item] = []

    def close(item: Item, at: int) -> None:
        item.end = max(item.head_end, _trim(text, item.start, at))

    def pop_to(n: int, at: int) -> None:
        while len(stack) > n:
            close(stack.pop(), at)

    def attach(item: Item) -> None:
        parent = stack[-1] if stack else None
        item.parent = parent
        item.depth = len(stack)
        item.label = _label(parent, item.style, item.marker)
        (parent.children if parent else top).append(item)

    for a, b, line in lines:
        if not line or line.isspace():
            continue
        fld = field_of(line)
        cls = _classify(line)
        if cls and cls[0] == "bullet" and fld is None:
            inner = field_of(line[cls[2]:])
            if inner:                                   # "- Thời gian thực hiện: ..." is a field
                fld, cls = inner, None
        if fld is not None and (cls is None or cls[0] == "bullet"):
            # a field belongs to the nearest numbered item: close bullets and fields above it
            while stack and not stack[-1].numbered:
                close(stack.pop(), a)
            kind, value, _ = fld
            item = Item("", "", "field", _strip_emphasis(line), a, b, b, 0, a, field=kind)
            attach(item)
            if not value.strip(" .:*_"):
                stack.append(item)                      # its value is in the lines below it
            continue
        if cls is None:
            if not has_roman and _is_caps_section(line):
                pop_to(0, a)
                item = Item("", "", "upper", _strip_emphasis(line), a, b, b, 0, a)
                attach(item)
                item.label = ""
                stack.append(item)
            continue                                   # a paragraph of the current item
        style, marker, off = cls
        heading = _strip_emphasis(line[off:])
        if style == "roman":
            pop_to(0, a)
        elif style == "upper" and has_roman:
            continue
        else:
            if style != "bullet":
                while stack and not stack[-1].numbered:
                    close(stack.pop(), a)
            key = _style_key(style, marker)
            for i, open_item in enumerate(stack):
                if _style_key(open_item.style, open_item.marker) == key:
                    pop_to(i, a)
                    break
        item = Item("", marker, style, heading, a, b, b, 0, a + off + _lead_emphasis(line[off:]))
        if style == "letter" or style == "num":
            f = field_of(heading)
            if f:
                item.field = f[0]
        attach(item)
        stack.append(item)
    pop_to(0, end_of_body)
    _assign_sections(top, has_roman)
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


def _trim(text: str, start: int, at: int) -> int:
    while at > start and text[at - 1].isspace():
        at -= 1
    return at


def _assign_sections(top: list[Item], has_roman: bool) -> None:
    seen_section = False
    for it in top:
        if it.style in ("roman", "upper"):
            kind = section_kind(it.heading)
            seen_section = True
        elif has_roman and not seen_section:
            kind = "preamble"
        elif has_roman:
            kind = "other"
        else:                                          # no sections: numbered items are the content
            kind = section_kind(it.heading)
            if kind not in ("purpose", "targets", "organisation", "funding"):
                kind = "tasks"
        for sub in it.walk():
            sub.section = kind


def iter_items(text: str) -> Iterator[Item]:
    """Every item of ``text`` in document order (shorthand for ``walk(parse_structure(text))``)."""
    return walk(parse_structure(text))
