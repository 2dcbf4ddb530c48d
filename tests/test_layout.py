"""layout: the header's blocks whatever the printing (cells, one line, wrapped motto, site tables, none)."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from cascade.extract import layout
from cascade.extract.layout import read_layout
from cascade.text.normalize import clean
from cascade.vn import dates


def lay(text: str):
    return read_layout(clean(text).text)


def issuer_of(text: str) -> list[str]:
    return [c.text for c in lay(text).issuer]


# -- class 1: header layout -----------------------------------------------------------------------

def test_table_cells_with_the_motto_wrapped_over_three_lines():
    text = ("ỦY BAN NHÂN DÂN |\nCỘNG\nHÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM |\nHUYỆN ĐỨC CƠ |\n"
            "Số: 88/KH-UBND |\nĐức Cơ, ngày 02 tháng 3 năm 2022 |\nKẾ HOẠCH\nPhòng chống thiên tai\n"
            "Căn cứ Luật Phòng, chống thiên tai;")
    got = lay(text)
    assert [c.text for c in got.issuer] == ["ỦY BAN NHÂN DÂN", "HUYỆN ĐỨC CƠ"]
    assert got.branch_motto == "state"
    assert got.number is not None and "88/KH-UBND" in got.number.text
    assert (got.place_date.place, got.place_date.date) == ("Đức Cơ", "2022-03-02")
    assert got.type_name == "Kế hoạch" and got.title.text == "Phòng chống thiên tai"


def test_a_flattened_two_column_header_keeps_the_motto_out_of_the_issuer():
    text = ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "TỈNH BẾN TRE Độc lập - Tự do - Hạnh phúc\n\n"
            "Số: 15/KH-UBND Bến Tre, ngày 9 tháng 1 năm 2019\n\nKẾ HOẠCH\nTổng kết năm\n")
    got = lay(text)
    names = [c.text for c in got.issuer]
    assert names == ["ỦY BAN NHÂN DÂN", "TỈNH BẾN TRE"]
    assert not any("CỘNG" in n or "Độc" in n for n in names)
    assert got.place_date.place == "Bến Tre" and got.place_date.date == "2019-01-09"


def test_an_issuer_block_printed_twice_is_read_once():
    text = ("SỞ TÀI CHÍNH\nSỞ TÀI CHÍNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 4/HD-STC\n"
            "Vinh, ngày 1 tháng 2 năm 2020\nHƯỚNG DẪN\nQuyết toán\n")
    assert issuer_of(text) == ["SỞ TÀI CHÍNH"]


def test_a_party_header_with_the_number_before_the_heading():
    text = ("ĐẢNG BỘ TỈNH LÀO CAI\nHUYỆN ỦY BẢO THẮNG\n*\nSố 12-KH/HU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
            "Bảo Thắng, ngày 5 tháng 5 năm 2021\nKẾ HOẠCH\nhọc tập nghị quyết\n")
    got = lay(text)
    assert got.branch_motto == "party"
    assert [c.text for c in got.issuer] == ["ĐẢNG BỘ TỈNH LÀO CAI", "HUYỆN ỦY BẢO THẮNG"]
    assert "12-KH/HU" in got.number.text


def test_a_hosting_sites_metadata_table_stays_apart_from_the_header():
    text = ("Kế hoạch 31/KH-UBND về chuyển đổi số\nSố hiệu: | 31/KH-UBND | Loại văn bản: | Kế hoạch |\n"
            "Cơ quan ban hành: | Tỉnh Ninh Thuận | Người ký: | Trần Văn Bình |\n"
            "Ngày ban hành: | 04/02/2023 |\n"
            "ỦY BAN NHÂN DÂN |\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 31/KH-UBND |\n"
            "Ninh Thuận, ngày 4 tháng 2 năm 2023 |\nKẾ HOẠCH\nChuyển đổi số năm 2023\n")
    got = lay(text)
    assert got.site["number"][0] == "31/KH-UBND" and got.site["date"][0] == "04/02/2023"
    assert got.site["issuer"][0] == "Tỉnh Ninh Thuận"
    assert [c.text for c in got.issuer] == ["ỦY BAN NHÂN DÂN"]          # not the site's lines
    assert got.number.start > got.site_spans[-1][1]


def test_a_search_box_is_not_a_site_table():
    got = lay("Từ khoá: Số Hiệu, Tiêu đề hoặc Nội dung ngắn gọn của Văn Bản...\nThông báo về lịch họp\n")
    assert "number" not in got.site


def test_no_header_at_all():
    got = lay("Trang chủ\nTin tức\nThông báo về việc tạm dừng tiếp công dân\n"
              "Do dịch bệnh, lịch tiếp dân tạm dừng.\n")
    assert not got.has_header and got.issuer == [] and got.number is None
    assert got.page_type == "Thông báo"


def test_a_place_and_date_alone_at_the_top_of_a_page_is_no_header():
    got = lay("Đà Nẵng, ngày 3 tháng 4 năm 2019\nHôm nay UBND quận tổ chức hội nghị.\n")
    assert not got.has_header


# -- class 2: the title line ------------------------------------------------------------------------

def test_the_enacting_line_and_article_one_are_not_the_title():
    text = ("ỦY BAN NHÂN DÂN\nTỈNH PHÚ THỌ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 7/QĐ-UBND\n"
            "Phú Thọ, ngày 3 tháng 1 năm 2022\nQUYẾT ĐỊNH:\nĐiều 1. Phê duyệt kế hoạch.\n")
    got = lay(text)
    assert got.type_name is None and got.title is None


def test_without_a_title_the_preamble_still_starts_after_the_header():
    text = ("ỦY BAN NHÂN DÂN\nTỈNH PHÚ THỌ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 9/KH-UBND\n"
            "Phú Thọ, ngày 3 tháng 1 năm 2022\nCăn cứ Quyết định số 1/QĐ-TTg ngày 2/1/2021;\n")
    got = lay(text)
    preamble = clean(text).text.index("Căn cứ")
    assert got.title is None and got.header_end <= preamble and got.title_end <= preamble


def test_a_title_under_the_type_line_is_joined_and_the_authority_line_is_found():
    text = ("QUYẾT ĐỊNH\nVỀ VIỆC PHÊ DUYỆT ĐỀ ÁN\nPHÁT TRIỂN DU LỊCH\nỦY BAN NHÂN DÂN TỈNH HÀ GIANG\n"
            "Căn cứ Luật Du lịch;\n")
    got = lay(text)
    assert got.title.text == "VỀ VIỆC PHÊ DUYỆT ĐỀ ÁN PHÁT TRIỂN DU LỊCH"
    assert got.authority.text == "ỦY BAN NHÂN DÂN TỈNH HÀ GIANG"


def test_a_law_number_line_is_a_header_number():
    text = "QUỐC HỘI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nLuật số: 51/2024/QH15\nLUẬT\nSỬA ĐỔI MỘT SỐ ĐIỀU\n"
    got = lay(text)
    assert got.number is not None and got.number_kind == "Luật"


def test_a_sentence_naming_a_number_is_not_a_number_line():
    got = lay("Nghị quyết số 12/2020/NQ-HĐND về việc phân loại đơn vị hành chính do HĐND ban hành\n")
    assert got.number is None


# -- issue 16: linear patterns ------------------------------------------------------------------------

LINE_PIECES = st.sampled_from(["Đắk Lắk, ngày", " ", "\n", "|", "Số:", "CỘNG", "HÒA", "XÃ HỘI", "-", "_", "/",
                               "ngày", "tháng", "năm 2021", "12", "KẾ HOẠCH", "ỦY BAN NHÂN DÂN", "Hà Nội,",
                               "*", "CÔNG BÁO/Số 1 + 2/Ngày 1-1-2020", "CHỈ THỊ", "CỦA", "BỘ CHÍNH TRỊ",
                               "VỀ", "16/2001/CT-TTg", "thông qua ngày", "XÁC THỰC VĂN BẢN HỢP NHẤT",
                               "03/VBHN-VPQH", ",", "."])


@settings(max_examples=60, deadline=None)
@given(st.lists(LINE_PIECES, max_size=300))
def test_any_mix_of_header_pieces_is_read_without_error(pieces):
    text = "".join(pieces)
    got = lay(text)
    assert got.header_end <= len(clean(text).text)


def test_a_place_followed_by_many_spaces_or_newlines_is_handled():
    # these inputs once made the header patterns backtrack without end; now they finish at once
    for text in ("Đắk Lắk, ngày" + " " * 5000, "Đắk Lắk, ngày" + "\n" * 100_000,
                 "CỘNG" + " " * 3000 + "HÒA", "Số:" + " " * 5000 + "/", "|" * 50_000):
        got = read_layout(text)
        assert got.place_date is None and got.title is None


@settings(max_examples=40, deadline=None)
@given(st.lists(LINE_PIECES, max_size=400))
def test_the_header_stage_and_the_place_scan_take_any_mix_of_pieces(pieces):
    from cascade.extract.header import extract_metadata
    from cascade.vn.place_mentions import find_places

    text = "".join(pieces)
    ct = clean(text)
    meta, header_end, title_end, _ = extract_metadata(ct, "t.txt")
    assert 0 <= header_end <= len(ct.text) and 0 <= title_end <= len(ct.text)
    for field, ev in meta.evidence:                 # every span points into the text as read
        assert ct.raw[ev.start:ev.end] == ev.quote, field
    assert all(text[h.start:h.end] == h.text for h in find_places(text))


def test_the_header_stage_on_long_runs_of_white_space():
    from cascade.extract.header import extract_metadata

    for text in ("Đắk Lắk, ngày" + " " * 5000, "Đắk Lắk, ngày" + "\n" * 100_000,
                 "ỦY BAN NHÂN DÂN\n" + "\n" * 50_000 + "Số: 1/KH-UBND",
                 "KẾT LUẬN 1-KL/TW CỦA" + " " * 5000 + "BỘ", "CHỈ THỊ SỐ 1/CT-TTg NGÀY" + " " * 5000,
                 "thông qua" + " " * 5000 + "ngày", "XÁC THỰC VĂN BẢN HỢP NHẤT" + "\n" * 50_000 + "Số:"):
        meta, *_ = extract_metadata(clean(text), "t.txt")
        assert meta.date is None


_PLACE_NOISE = st.sampled_from(["Thực hiện Kế hoạch số 24-KH/TU ", "x" * 25, "Ủy ban nhân dân", ", ", " ",
                                "\n", "ngày", "-", "/", "Hà Nội, ", "|"])
_PLACE_WORDS = st.lists(st.sampled_from(["Hà", "Nội", "Kon", "Tum", "TP.", "Bà", "Rịa", "- Vũng", "Tàu",
                                         "Đắk", "Thành", "phố", "X" * 26, "(cũ)", "Krông"]),
                        min_size=1, max_size=8)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PLACE_NOISE, max_size=12), _PLACE_WORDS, st.sampled_from([" ", "  ", "\n", " \n "]),
       st.sampled_from([",", " , ", ",  ", " ", ""]),
       st.sampled_from(["ngày 03 tháng 10 năm 2014", "Ngày 02/6/2025", "NGÀY 2.6.2025", "ngay ... thang"]),
       st.lists(_PLACE_NOISE, max_size=6), st.integers(min_value=0, max_value=30))
def test_a_place_and_date_is_found_where_a_scan_of_the_cell_finds_it(before, words, gap, comma, date, after,
                                                                      skip):
    text = "".join(before) + gap.join(words) + comma + date + "".join(after)
    start = min(skip, len(text))
    found = layout._place_date_in(layout.Cell(start, len(text), text[start:]), text)
    m = layout._PLACE_DATE.search(text, start, len(text))
    seg = text[start:]
    if m is None or "," not in seg or not ("gày" in seg or "GÀY" in seg or "gay" in seg):
        assert found is None
    else:
        assert found is not None and (found.start, found.end) == m.span()


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="aAbBđĐẾếxX ./1|", max_size=30))
def test_a_line_is_in_capitals_by_its_count_of_letters(text):
    words = " ".join(w for w in text.split() if "/" not in w) if "/" in text else text
    lower = sum(c in "abđếx" for c in words)
    upper = sum(c in "ABĐẾX" for c in words)
    assert layout.is_upper(text) == (lower <= 1 and upper >= 2
                                     and (lower == 0 or (upper >= 9 and words[:1].islower())))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=" \t\n|\u00a0\x1cAbĐ1-", max_size=40), st.integers(min_value=0, max_value=45),
       st.integers(min_value=0, max_value=45))
def test_cells_are_the_stripped_pieces_between_line_breaks_and_bars(text, start, end):
    end = min(end, len(text))
    want = []
    pos = start
    for piece in re.split(r"[\n|]", text[start:end]):
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            want.append((pos + lead, pos + lead + len(piece.strip()), piece.strip()))
        pos += len(piece) + 1
    assert [tuple(c) for c in layout.cells(text, start, end)] == want


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["số hiệu", "số", "hiệu", "loại văn bản", "văn bản", "ngày ban hành", "ngày",
                                 "ban hành", "cơ quan", "nơi", " ", "x", "ban", "hành"]), max_size=20),
       st.integers(min_value=0, max_value=200))
def test_the_site_table_hint_is_seen_as_a_search_for_each_hint_sees_it(pieces, end):
    low = " ".join(pieces[: len(pieces) // 2]) + "".join(pieces[len(pieces) // 2:])
    assert layout._names_a_site_key(low, end) == any(low.find(k, 0, end) >= 0 for k in layout._SITE_HINTS)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Kon", "Tum", "Hà Nội", ",", ", ", "ngày 05 tháng 02 năm 2021",
                                 "Ngày 02/6/2025", "NGÀY 2.6.2025", "ngay 3/4/2020", "x", "|", "\n", " \n  ",
                                 "Số: 12/KH", "gày"]),
                max_size=10), st.integers(min_value=0, max_value=6))
def test_a_place_and_date_wrapped_over_two_cells_is_found_as_both_cells_are_read(pieces, i):
    # the cheap reject of _place_date_from looks at a comma and a "ngày" in the cell or the next one: a
    # place and date split between them ("Kon Tum,\nngày ...", "Kon\nTum, ngày ...") must still be read
    text = "".join(pieces)
    all_cells = layout.cells(text)
    if i >= len(all_cells):
        return
    c = all_cells[i]
    want: tuple[layout.PlaceDate | None, int] = (None, 0)
    pd = layout._place_date_in(c, text)
    if pd and pd.start - c.start < 5:
        want = (pd, 1)
    elif i + 1 < len(all_cells) and text[c.end:all_cells[i + 1].start].strip(" \n") == "":
        pd = layout._place_date_in(layout.Cell(c.start, all_cells[i + 1].end, ""), text)
        if pd and pd.start == c.start:
            want = (pd, 2)
    assert layout._place_date_from(all_cells, i, text) == want


def test_a_place_and_date_whose_comma_and_day_are_on_two_lines_is_read():
    for header in ("Kon Tum,\nngày 05 tháng 02 năm 2021", "Kon\nTum, ngày 05 tháng 02 năm 2021"):
        got = lay("UBND TỈNH KON TUM\nSỞ Y TẾ\nSố: 12/KH-SYT\n" + header + "\nKẾ HOẠCH\nPhòng, chống dịch")
        pd = got.place_date
        assert pd is not None and (" ".join(pd.place.split()), pd.date) == ("Kon Tum", "2021-02-05")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=" \t\n\u3000-_=─–—.*•~aĐ1", max_size=12))
def test_a_rule_is_what_the_rule_pattern_matches_whole(text):
    assert layout.is_rule(text) == (layout._RULE.fullmatch(text) is not None)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["Hà Nội", "Kon Tum", "TP. Hồ Chí Minh"]), st.sampled_from([",", " , "]),
       st.sampled_from(["ngày", "Ngày", "NGÀY", "ngay"]), st.sampled_from([" ", "  ", " : "]),
       st.sampled_from(["03 tháng 10 năm 2014", "3/10/2014", "03 - 10 - 2014", "12.6.2025",
                        "... tháng 5 năm 2021", "tháng năm 2020", "__ tháng __ năm 2019",
                        "15 THÁNG 7 NĂM 2022", "31/12/19999"]),
       st.sampled_from(["", " ", "\nKẾ HOẠCH", "5"]))
def test_the_date_of_a_place_and_date_is_the_date_read_alone(place, comma, day, gap, date, after):
    # the date is read from the groups of the place-and-date match: the same as matching its date alone
    text = place + comma + day + gap + date + after
    found = layout._place_date_in(layout.Cell(0, len(text), text), text)
    m = layout._PLACE_DATE.search(text)
    if m is None:
        assert found is None
        return
    alone = re.compile(layout._HEADER_DATE).match(m.group("date"))
    assert alone is not None and alone.group(0) == m.group("date")
    assert found is not None and found.date == dates.from_match(alone)
