"""The shortcuts of the metadata and references stages find what the plain way finds.

Each fast path is checked against the slower code it replaces, on texts built here from the pieces
that matter to it (lines, cells, spaces, blank lines) in random order.
"""
from hypothesis import given, settings
from hypothesis import strategies as st

from cascade.extract import clauses, issuers, layout, signature
from cascade.vn import places

# -- the signature block: read from the bottom up -------------------------------------------------

_SIGNATURE_LINES = ["CHỦ TỊCH", "PHÓ CHỦ TỊCH", "  BÍ THƯ  ", "Bí thư", "KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN",
                    "CHỦ TỊCH QUỐC HỘI", "BỘ TRƯỞNG BỘ TÀI CHÍNH", "BỘ TRƯỞNG Bộ Tài chính", "CHỦ TỊCH 2",
                    "** PHÓ BÍ THƯ **", "_THỦ TƯỚNG_", "CHỦ TỊCH, GIÁM ĐỐC", "Chủ tịch", "CHỦ TỊCh",
                    "T/M BAN THƯỜNG VỤ", "TL. GIÁM ĐỐC", "Nguyễn Văn An", "TRẦN THỊ BÌNH", "Lê Hoa",
                    "- Như trên;", "Nơi nhận:", "Lưu: VT.", "", " ", "\t", "*", "(Đã ký)", "x" * 120,
                    "Báo cáo kết quả thực hiện về Sở trước ngày 15/12."]


def _plain_signature(text: str, start: int):
    """The signature block as all lines of ``text[start:]`` give it, each line tried with the pattern."""
    lines = signature.text_lines(text, start)
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i][2]
        m = signature._POSITION_LINE.match(line.upper() if line.isupper() else line)
        if m:
            return signature._signer_at(lines, i, m)
    return None, None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_SIGNATURE_LINES), max_size=40), st.integers(min_value=0, max_value=200),
       st.sampled_from(["", "\n", "\n\n", "  \n"]))
def test_last_signature_reads_what_all_lines_give(lines: list[str], start: int, tail: str):
    """Read from the last lines first, skipping lines not in capitals, it finds the block all lines give."""
    text = "\n".join(lines) + tail
    start = min(start, len(text))
    assert signature.last_signature(text, start) == _plain_signature(text, start)


# -- clauses: where list items start ---------------------------------------------------------------

_ITEM_PIECES = [";", ":", ": \n", ":\n", "\n", "\n\n", "\n \n", " \n", "\n- ", "\n+ ", "\n1. ", "\n1.2) ",
                "\nII- ", "\na) ", "\n\t• ", "\u00a0", " ", "\t", "như sau", "Căn cứ Luật A", "x", "1.", "I.",
                "-"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_ITEM_PIECES), max_size=50), st.integers(min_value=0, max_value=120))
def test_item_breaks_are_those_one_pattern_finds(pieces: list[str], bound: int):
    """Looked for by their first character apart, the item breaks are those _ITEM_BREAK finds."""
    text = "".join(pieces)
    for b in (bound, len(text)):
        assert sorted(clauses._item_breaks(text, b)) == clauses._starts_before(clauses._ITEM_BREAK, text, b)


# -- issuer blocks: kept only when found without the rest of the text ---------------------------------

_ISSUER_BLOCKS = [["UBND TỈNH KON TUM", "SỞ Y TẾ"], ["HUYỆN ỦY ÂN THI"], ["ĐẢNG BỘ TỈNH HƯNG YÊN",
                                                                      "HUYỆN ỦY ÂN THI"],
                  ["ỦY BAN NHÂN DÂN", "HUYỆN CHÂU THÀNH"], ["ỦY BAN NHÂN DÂN"], ["BAN THƯỜNG VỤ TỈNH ỦY"],
                  ["ĐẢNG ỦY XÃ TÂN PHÚ"], ["UBND XÃ TÂN PHÚ"], ["HỘI ĐỒNG NHÂN DÂN", "QUẬN 8"], ["CÔNG TY X"]]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_ISSUER_BLOCKS),
       st.lists(st.sampled_from(["Tiền Giang", "Long An", "Bến Tre", "Hà Nội", "Đồng Nai"]), max_size=3),
       st.sampled_from([None, ("Châu Thành", "2021-02-05"), ("Tân Phú", "2025-08-01"), ("Hà Nội", None)]))
def test_issuer_fields_kept_are_those_found_again(lines: list[str], context: list[str], seat):
    """The fields given for an issuer block are those found anew, whatever the text's other places."""
    lay = layout.Layout()
    if seat is not None:
        lay.place_date = layout.PlaceDate(0, 1, seat[0], (0, 1), seat[1], (0, 1))
    era = places.era_of(seat[1] if seat is not None else None)
    fresh = issuers._issuer_from_lines(lines, context, era, seat[0] if seat is not None else None)
    assert issuers.issuer_from_lines(lines, context, lay) == fresh
    assert issuers.issuer_from_lines(lines, context, lay) == fresh         # read again, maybe kept


# -- a hosting site's metadata table: the pattern tried where a key name starts ----------------------

_SITE_PIECES = ["Số hiệu", "SỐ HIỆU", "số hiệu", "Loại văn bản", "Ngày ban hành", "ngày Ban Hành", "Người ký",
                "Tình trạng", "Ngày có hiệu lực", "Ngày hiệu lực", ":", " ", "  ", "|", " | ", "\n",
                "41/2006/NQ-HĐND", "Nghị quyết", "02/06/2025", "Còn hiệu lực", "x", "ſố hiệu", "KẾ HOẠCH"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_SITE_PIECES), max_size=40), st.integers(min_value=0, max_value=400))
def test_site_matches_are_those_a_scan_finds(pieces: list[str], end: int):
    """Tried only where a key name starts, the site table's pattern matches where a scan matches."""
    text = "".join(pieces)
    for e in (min(end, len(text)), len(text)):
        assert ([m.span() for m in layout._site_matches(text, e)]
                == [m.span() for m in layout._SITE.finditer(text, 0, e)])


# -- clauses: patterns that start a line, tried at the start of the lines that hold their word ---------

_LINE_PIECES = ["QUYẾT ĐỊNH:", "QUYẾT NGHỊ :", "QUYẾT  ĐỊNH", "  QUYẾT\tĐỊNH:", "I. CĂN CỨ",
                "1. Căn cứ pháp lý", "II- CĂN CỨ", "Căn cứ", "\n", "\n\n", " ", "\t", "x", "QUYẾT", ":",
                "CĂN CỨ"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_LINE_PIECES), max_size=30))
def test_line_matches_are_those_a_scan_finds(pieces: list[str]):
    """Tried at the start of the lines holding their word, line patterns match where a scan matches."""
    text = "".join(pieces)
    for pattern, words in ((clauses._ENACTING, ("QUYẾT",)), (clauses._BASIS_HEADING, ("CĂN", "Căn"))):
        assert ([m.span() for m in clauses._line_matches(pattern, text, words)]
                == [m.span() for m in pattern.finditer(text)])
