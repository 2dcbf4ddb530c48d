"""Sections and numbered items (cascade.extract.structure)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cascade.extract.structure import (
    LETTERS,
    body_end,
    field_of,
    iter_items,
    parse_structure,
    section_kind,
    walk,
)
from cascade.text.normalize import clean


def labels(text: str, *, bullets: bool = False) -> list[str]:
    return [i.label for i in iter_items(clean(text).text) if bullets or i.style not in ("bullet", "field")]


def test_levels_and_labels() -> None:
    text = (
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n- Nâng cao nhận thức\nII. NHIỆM VỤ, GIẢI PHÁP\n"
        "1. Tuyên truyền\n1.1. Quán triệt\n1.2. Phổ biến\n2. Thể chế\na) Rà soát\nb) Ban hành\n"
        "- ý một\n+ ý nhỏ\nIII. TỔ CHỨC THỰC HIỆN\n1. Sở Nội vụ\n"
    )
    assert labels(text) == [
        "I",
        "I.1",
        "II",
        "II.1",
        "II.1.1",
        "II.1.2",
        "II.2",
        "II.2.a",
        "II.2.b",
        "III",
        "III.1",
    ]


def test_vietnamese_letter_order() -> None:
    text = "II. NHIỆM VỤ\n6. Lĩnh vực\n" + "".join(f"{c}) Mục {c}\n" for c in "abcdđeghik")
    assert labels(text)[2:] == [f"II.6.{c}" for c in "abcdđeghik"]
    assert LETTERS.index("đ") == LETTERS.index("d") + 1 and not set("fjwz") & set(LETTERS)


def test_party_style_markers() -> None:
    text = "I- MỤC ĐÍCH, YÊU CẦU\n1- Quán triệt\nII - NHIỆM VỤ VÀ GIẢI PHÁP\n1- Tuyên truyền\n2- Kiểm tra\n"
    assert labels(text) == ["I", "I.1", "II", "II.1", "II.2"]


def test_dotted_numbers_without_a_parent() -> None:
    assert labels("II. NỘI DUNG\n1.1 Một\n1.2 Hai\n") == ["II", "II.1.1", "II.1.2"]


def test_bullets_add_no_level() -> None:
    items = list(iter_items("II. NHIỆM VỤ\n1. Việc\n- gạch đầu dòng\n+ ý con\n* sao\n• chấm\n"))
    bullets = [i for i in items if i.style == "bullet"]
    assert {i.label for i in bullets} == {"II.1"} and [i.marker for i in bullets] == ["-", "+", "*", "•"]
    assert bullets[1].parent is bullets[0]  # "+" under "-"


def test_markdown_emphasis_does_not_break_it() -> None:
    text = (
        "III. NHIỆM VỤ, GIẢI PHÁP\n1. Hoàn thiện\n- Tập trung\n* *Đơn vị thực hiện:* Phòng Y tế chủ trì.\n"
        "** Thời gian thực hiện:* Thường xuyên.\nc) **Củng cố hội**\n**2. Phát triển**\n"
    )
    items = list(iter_items(clean(text).text))
    fields = [(i.field, i.label) for i in items if i.style == "field"]
    assert fields == [("lead", "III.1"), ("deadline", "III.1")]
    assert [i.label for i in items if i.numbered] == ["III", "III.1", "III.1.c", "III.2"]
    assert items[-2].heading == "Củng cố hội"


def test_empty_field_collects_the_bullets_under_it() -> None:
    text = (
        "II. NHIỆM VỤ\nb) Lĩnh vực nông nghiệp\n- Nghiên cứu\n* *Đơn vị thực hiện:*\n+ Phòng A chủ trì\n"
        "+ Phòng B chủ trì\n* *Thời gian thực hiện:* Thường xuyên.\n"
    )
    b = [i for i in iter_items(text) if i.label == "II.b" and i.style == "letter"][0]
    field = [c for c in b.children if c.field == "lead"][0]
    assert [c.marker for c in field.children] == ["+", "+"]
    assert [c.field for c in b.children if c.style == "field"] == ["lead", "deadline"]


def test_section_kinds() -> None:
    text = (
        "I. MỤC ĐÍCH, YÊU CẦU\nII. MỤC TIÊU\nIII. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU\nIV. KINH PHÍ THỰC HIỆN\n"
        "V. TỔ CHỨC THỰC HIỆN\nVI. Điều khoản chung\n"
    )
    assert [i.section for i in parse_structure(text)] == [
        "purpose",
        "targets",
        "tasks",
        "funding",
        "organisation",
        "other",
    ]
    assert section_kind("II. Nhiệm vụ và giải pháp") == "tasks"
    assert section_kind("IV. PHÂN CÔNG THỰC HIỆN") == "organisation"
    assert section_kind("II. NỘI DUNG RÀ SOÁT") == "tasks"


def test_sub_items_carry_their_section() -> None:
    items = parse_structure("I. MỤC ĐÍCH\n1. Một\nII. TỔ CHỨC THỰC HIỆN\n1. Sở Nội vụ\na) Hai\n")
    assert [(i.label, i.section) for i in walk(items)][-1] == ("II.1.a", "organisation")


def test_stops_at_the_closing() -> None:
    text = "II. NHIỆM VỤ\n1. Việc\nTrên đây là Kế hoạch ...\n2. Không phải\nNơi nhận:\n- Như trên;\n"
    assert labels(text) == ["II", "II.1"]
    assert body_end("a\nNơi nhận:\n- b") == 2


def test_no_sections() -> None:
    items = parse_structure(
        "1. Mục đích, yêu cầu\n- Một\n2. Nhiệm vụ\na) Giao Sở Y tế\n3. Tổ chức thực hiện\n"
    )
    assert [(i.label, i.section) for i in items] == [("1", "purpose"), ("2", "tasks"), ("3", "organisation")]


def test_unnumbered_caps_sections() -> None:
    items = parse_structure("MỤC ĐÍCH, YÊU CẦU\n1. Một\nNHIỆM VỤ, GIẢI PHÁP\n1. Hai\n")
    assert [(i.section, [c.label for c in i.children]) for i in items] == [
        ("purpose", ["1"]),
        ("tasks", ["1"]),
    ]


def test_spans_and_headings() -> None:
    text = "II. NHIỆM VỤ\n1. Tuyên truyền\nđoạn văn\n2. Kiểm tra\n"
    one, two = parse_structure(text)[0].children
    assert text[one.start : one.end] == "1. Tuyên truyền\nđoạn văn"
    assert one.heading == "Tuyên truyền" and text[one.text_start : one.head_end] == "Tuyên truyền"
    assert text[two.start : two.end] == "2. Kiểm tra"


def test_rules_and_numbers_are_not_items() -> None:
    assert labels("II. NHIỆM VỤ\n-------\n*\n2021. Năm\n1.000 người\n15/12 là hạn\n", bullets=True) == ["II"]


def test_field_of() -> None:
    assert field_of("Thời gian thực hiện: Năm 2021.")[:2] == ("deadline", "Năm 2021.")
    assert field_of("** Thời gian thực hiện:* Thường xuyên.")[:2] == ("deadline", "Thường xuyên.")
    assert field_of("Cơ quan chủ trì: Sở Y tế")[0] == "lead"
    assert field_of("Sản phẩm: Báo cáo")[0] == "deliverable"
    assert field_of("Lĩnh vực Y - Dược: Ứng dụng") is None


@given(st.text(alphabet=st.sampled_from(list("IVX1.2a)đ-+* \n:ĐơnvịthựchiệnSởNộivụ")), max_size=300))
def test_spans_nest(text: str) -> None:
    for it in iter_items(text):
        assert 0 <= it.start <= it.head_end <= it.end <= len(text)
        for c in it.children:
            assert it.start <= c.start and c.end <= it.end and c.parent is it


def test_no_span_ends_in_the_spaces_that_end_its_line() -> None:
    """A field line or a last child whose line ends in spaces ends before them, as its parent does."""
    text = "1. Việc một  \nThời hạn: 2021  \n2. Việc hai\na) Mục  \nb) Mục cuối   \n"
    items = list(iter_items(text))
    for it in items:
        assert not text[it.start:it.end][-1:].isspace() and not text[it.start:it.head_end][-1:].isspace()
        for c in it.children:
            assert it.start <= c.start and c.end <= it.end
    assert [text[it.start:it.end] for it in items] == [
        "1. Việc một  \nThời hạn: 2021", "Thời hạn: 2021", "2. Việc hai\na) Mục  \nb) Mục cuối", "a) Mục",
        "b) Mục cuối"]


def test_party_style_letter_items() -> None:
    text = (
        "II- NHIỆM VỤ\n1- Tuyên truyền\na- Ban Tuyên giáo chủ trì\nb- Đề nghị Ủy ban MTTQ\n"
        "c. Sở Nội vụ rà soát\n"
    )
    assert labels(clean(text).text) == ["II", "II.1", "II.1.a", "II.1.b", "II.1.c"]
    assert [i.marker for i in iter_items(text) if i.style == "letter"] == ["a", "b", "c"]


_LINES = [
    "I. MỤC ĐÍCH",
    "II - NHIỆM VỤ",
    "1. Việc",
    "1.2 Ý",
    "a) Mục",
    "b- Mục",
    "c. Mục",
    "đ) Mục",
    "- gạch",
    "+ cộng",
    "* sao",
    "** Thời gian thực hiện:* Quý III",
    "Thời gian thực hiện: Năm 2021.",
    "Đơn vị thực hiện:",
    "   - thụt",
    "NHIỆM VỤ, GIẢI PHÁP",
    "A. Phần",
    "Giao Sở Y tế chủ trì.",
    "đoạn văn: có hai chấm",
    "",
    "  ",
    "\u00a0- nbsp",
    "Trên đây là Kế hoạch",
    "Nơi nhận:",
    "TM. ỦY BAN",
    "2021. Năm",
    "-------",
    "*",
    "_Nhấn_",
    "V. KINH PHÍ",
]


@given(st.lists(st.sampled_from(_LINES), max_size=25).map("\n".join))
def test_no_line_that_can_hold_an_item_is_skipped(text: str) -> None:
    """The lines the parser looks at include every line a marker, a label or a heading may start."""
    from cascade.extract.structure import _classify, _has_roman, _is_caps_section, _line_starts

    end = body_end(text)
    caps = not _has_roman(text, end)
    looked = set(_line_starts(text, end, caps))
    pos = 0
    for line in text[:end].split("\n"):
        if line.strip() and (field_of(line) or _classify(line) or (caps and _is_caps_section(line))):
            assert pos in looked, line
        pos += len(line) + 1


@given(st.lists(st.sampled_from(_LINES), max_size=25).map("\n".join), st.integers(0, 40))
def test_body_end_is_the_first_closing_line(text: str, start: int) -> None:
    import re

    closing = re.compile(
        r"^[*_ \t]*(?:Trên\s+đây\s+là|Nơi\s+nhận|NƠI\s+NHẬN|Nơi\s+gửi|T/M\b|TM\.|KT\.|K/T\b|TL\.|TUQ\.)", re.M
    )
    start = min(start, len(text))
    m = closing.search(text, start)
    assert body_end(text, start) == (m.start() if m else len(text))


# -- the tree read from the lines' skeletons (cached by parse_structure) -----------------------------

def _tree(text: str) -> list[tuple]:
    """Everything parse_structure says of ``text``, parents by their place in document order."""
    items = list(iter_items(text))
    place = {id(it): k for k, it in enumerate(items)}
    return [(it.label, it.marker, it.style, it.heading, it.start, it.end, it.head_end, it.depth,
             it.text_start, it.section, it.field, [place[id(c)] for c in it.children],
             place[id(it.parent)] if it.parent is not None else None) for it in items]


def _fresh_tree(text: str) -> list[tuple]:
    """:func:`_tree` with no layout cached."""
    from cascade.extract import structure

    structure._PLANS.clear()
    return _tree(text)


def test_same_layout_different_words_gives_each_text_its_own_items() -> None:
    """Two plans with the same markers in the same order share a cached layout, not their words,
    spans or section kinds."""
    from cascade.extract import structure

    a = "I. MỤC ĐÍCH\n1. Quán triệt\n- Nội dung\nThời hạn: Quý I\nII. NHIỆM VỤ\n1. Rà soát\na) Sở Y tế\n"
    b = ("I. NHIỆM VỤ TRỌNG TÂM\n\n1. Tuyên truyền sâu rộng  \n-   Ý khác hẳn\n  Thời hạn: Năm 2022.\n"
         "II. TỔ CHỨC THỰC HIỆN\n1. Kiểm tra\na) Sở Tài chính chủ trì\n")
    structure._PLANS.clear()
    first = _tree(a)
    assert len(structure._PLANS) == 1
    second = _tree(b)
    assert len(structure._PLANS) == 1                   # the same layout: read once
    assert second == _fresh_tree(b) and first == _fresh_tree(a)
    assert [t[9] for t in first if t[2] == "roman"] == ["purpose", "tasks"]
    assert [t[9] for t in second if t[2] == "roman"] == ["tasks", "organisation"]
    assert [t[3] for t in second if t[2] == "letter"] == ["Sở Tài chính chủ trì"]
    assert [b[t[4]:t[5]] for t in second if t[2] == "num"] == [
        "1. Tuyên truyền sâu rộng  \n-   Ý khác hẳn\n  Thời hạn: Năm 2022.",
        "1. Kiểm tra\na) Sở Tài chính chủ trì"]


def test_a_different_layout_is_read_on_its_own() -> None:
    """Swapping an open field for one with its value changes what the field holds."""
    open_field = "1. Việc\nĐơn vị thực hiện:\n- Sở Nội vụ\n2. Việc khác\n"
    closed = "1. Việc\nĐơn vị thực hiện: Sở\n- Sở Nội vụ\n2. Việc khác\n"
    a, b = _tree(open_field), _tree(closed)
    assert a == _fresh_tree(open_field) and b == _fresh_tree(closed)
    assert a[1][2] == "field" and a[1][11] == [2]        # the bullet belongs to the open field
    assert b[1][2] == "field" and b[1][11] == [] and b[2][12] == 0


_WORDS = ["Việc", "NHIỆM VỤ", "MỤC ĐÍCH", "TỔ CHỨC THỰC HIỆN", "Sở Y tế chủ trì", "Thời hạn: Quý II",
          "Đơn vị thực hiện:", "Quý III/2021: xong", "KINH PHÍ", "x"]
_MARKERS = ["I. ", "II - ", "III. ", "1. ", "2. ", "1.2 ", "a) ", "b- ", "đ) ", "- ", "+ ", "* ", "A. ", "",
            "   - "]


@given(st.lists(st.tuples(st.sampled_from(_MARKERS), st.sampled_from(_WORDS), st.sampled_from(_WORDS),
                          st.sampled_from(["", " ", "\n", "  \n"])), max_size=20))
def test_a_cached_layout_gives_what_reading_the_text_alone_gives(lines: list[tuple[str, ...]]) -> None:
    """Read after a text with the same markers and other words (so with its layout cached), a
    text gives what it gives read first."""
    a = "\n".join(m + w + pad for m, w, _, pad in lines)
    b = "\n".join(m + w + " " * len(pad) for m, _, w, pad in lines)
    want = _fresh_tree(b)
    _fresh_tree(a)
    assert _tree(b) == want


@given(st.lists(st.sampled_from(_LINES), max_size=25).map("\n".join))
def test_every_item_is_given_in_document_order(text: str) -> None:
    """parse_items lists the items as walk gives them from the top-level ones: the same objects,
    in the same order (a parent before its children, each child's items before the next child)."""
    from cascade.extract.structure import parse_items, walk

    top, every = parse_items(text)
    assert [id(it) for it in every] == [id(it) for it in walk(top)]
    assert [(i.label, i.start, i.end) for i in top] == [
        (i.label, i.start, i.end) for i in parse_structure(text)]
