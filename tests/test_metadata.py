"""metadata: header, type line, title, signature, recipients, and what is inferred from the body."""
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cascade.extract import title
from cascade.extract.header import extract_metadata
from cascade.extract.signature import recipients_start
from cascade.text.normalize import clean, fold_letters

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"


def meta_of(text: str):
    meta, _, _, warnings = extract_metadata(clean(text), "t.txt")
    return meta, warnings


STATE = """ỦY BAN NHÂN DÂN
TỈNH KON TUM
-------
Số: 2629/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Kon Tum, ngày 15 tháng 8 năm 2023

KẾ HOẠCH
Triển khai thực hiện Chiến lược phát triển khoa học, công nghệ và đổi mới sáng tạo đến năm 2030

Nơi nhận:
- Bộ Khoa học và Công nghệ (b/c);
- Lưu: VT, KGVX.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn An
"""

PARTY = """ĐẢNG BỘ HUYỆN IA H'DRAI
HUYỆN ỦY IA H'DRAI
*
Số 12-KH/HU
ĐẢNG CỘNG SẢN VIỆT NAM
Ia H'Drai, ngày 03 tháng 10 năm 2023

KẾ HOẠCH
Thực hiện Kế hoạch số 57-KH/TU của Ban Thường vụ Tỉnh ủy

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ

TRẦN THỊ LAN
"""


def test_state_header():
    m, _ = meta_of(STATE)
    assert (m.type, m.number, m.date, m.place) == ("Kế hoạch", "2629/KH-UBND", "2023-08-15", "Kon Tum")
    assert (m.issuer, m.branch, m.level, m.province, m.district) == (
        "Ủy ban nhân dân tỉnh Kon Tum", "state", "province", "Kon Tum", None)
    assert m.signer.name == "Nguyễn Văn An" and m.signer.title == "Phó Chủ tịch"
    assert m.signer.capacity == "KT."
    assert m.recipients == ("Bộ Khoa học và Công nghệ (b/c)", "Lưu: VT, KGVX")
    assert m.title.startswith("Triển khai thực hiện Chiến lược")
    assert "issuer" not in m.inferred


def test_party_header_signed_for_the_standing_committee():
    m, _ = meta_of(PARTY)
    assert (m.number, m.branch, m.level, m.province, m.district) == (
        "12-KH/HU", "party", "district", "Kon Tum", "Ia H'Drai")
    assert m.issuer == "Ban Thường vụ Huyện ủy Ia H'Drai"
    assert (m.signer.name, m.signer.title, m.signer.capacity) == ("Trần Thị Lan", "Phó Bí thư", "T/M")


def test_blank_number_and_partial_date_of_a_draft():
    m, warnings = meta_of("Số: /KH-UBND\n\nĐắk Lắk, ngày tháng 6 năm 2021\n\nKẾ HOẠCH\n\nVề việc\n")
    assert m.number is None and m.date == "2021-06" and m.type == "Kế hoạch"
    assert any("blank" in w for w in warnings)


def test_issuer_inferred_from_the_body_is_marked():
    m, _ = meta_of("KẾ HOẠCH\n\nThực hiện Kế hoạch số 15-KH/TU, UBND tỉnh ban hành Kế hoạch như sau:\n\n"
                   "I. NỘI DUNG\n\n- Báo Bình Thuận đưa tin.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n"
                   "Nguyễn Đức Hòa\n")
    assert (m.issuer, m.province, m.level, m.branch) == ("Ủy ban nhân dân tỉnh Bình Thuận", "Bình Thuận",
                                                          "province", "state")
    assert {"issuer", "province"} <= set(m.inferred)


def test_ambiguous_district_keeps_its_candidates():
    m, _ = meta_of("ĐẢNG BỘ HUYỆN CHÂU THÀNH\nHUYỆN ỦY CHÂU THÀNH\n*\nSố 03-KH/HU\n\nKẾ HOẠCH\n\nNội dung\n")
    assert m.district == "Châu Thành" and len(m.candidates) >= 5


def test_manifest_wins_and_disagreements_are_reported():
    meta, _, _, warnings = extract_metadata(clean(STATE), "t.txt", {"number": "2630/KH-UBND", "url": "http://x"})
    assert meta.number == "2630/KH-UBND"
    assert any("manifest says number" in w for w in warnings)


@pytest.mark.parametrize("name, want", [
    ("000_319b8b36a4c16e47.txt", ("Ủy ban nhân dân tỉnh Đắk Lắk", "2021-06", "Nguyễn Tuấn Hà")),
    ("002_174a28dc88bcd672.txt", ("Ban Thường vụ Huyện ủy Phú Thiện", "2021-06-30", "Vũ Hồng Duy")),
    ("004_5f6ac51fd7d22cf5.txt", ("Ủy ban nhân dân huyện Ia H'Drai", None, "Nguyễn Tiến Dũng")),
])
def test_sample_plans(name, want):
    m, _ = meta_of((SEEDS / name).read_text(encoding="utf-8"))
    assert (m.issuer, m.date, m.signer.name) == want


# -- issue 10: real layouts ------------------------------------------------------------------------

def test_class1_the_motto_never_enters_the_issuer_and_the_province_is_kept():
    text = ("ỦY BAN NHÂN DÂN |\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM |\nTỈNH ĐIỆN BIÊN |\nĐộc lập -\n"
            "Tự do - Hạnh phúc |\n"
            "Số: 301/KH-UBND |\nĐiện Biên, ngày 8 tháng 2 năm 2023 |\nKẾ HOẠCH\n"
            "Cải cách hành chính năm 2023\n"
            "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ;\n")
    meta, _ = meta_of(text)
    assert meta.issuer == "Ủy ban nhân dân tỉnh Điện Biên"
    assert (meta.level, meta.province) == ("province", "Điện Biên")
    assert (meta.number, meta.date, meta.type) == ("301/KH-UBND", "2023-02-08", "Kế hoạch")


def test_class1_own_number_is_not_a_mention():
    from cascade.extract.pipeline import extract_text

    text = ("ỦY BAN NHÂN DÂN\nTỈNH ĐIỆN BIÊN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Số: 301/KH-UBND Điện Biên, ngày 8 "
            "tháng 2 năm 2023\nKẾ HOẠCH\nCải cách hành chính\n"
            "Thực hiện Kế hoạch số 12/KH-UBND ngày 2/1/2023 của "
            "UBND tỉnh, UBND tỉnh ban hành Kế hoạch như sau:\n")
    rec = extract_text(text, "t.txt")
    assert rec.meta.number == "301/KH-UBND"
    assert [m.number for m in rec.mentions] == ["12/KH-UBND"]


def test_class1_a_site_table_fills_only_what_the_document_leaves_empty():
    text = ("Số hiệu: | 55/KH-UBND | Loại văn bản: | Kế hoạch |\nNgày ban hành: | 01/03/2024 |\n"
            "Bài viết liên quan\nCác cơ quan triển khai kế hoạch trong tháng.\n")
    meta, _ = meta_of(text)
    assert (meta.number, meta.type, meta.date) == ("55/KH-UBND", "Kế hoạch", "2024-03-01")
    assert {"number", "type", "date"} <= set(meta.inferred)
    own = ("Số hiệu: | 55/KH-UBND |\nỦY BAN NHÂN DÂN\nTỈNH AN GIANG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
           "Số: 56/KH-UBND\nAn Giang, ngày 2 tháng 3 năm 2024\nKẾ HOẠCH\nThi đua\n")
    meta, _ = meta_of(own)
    assert meta.number == "56/KH-UBND" and "number" not in meta.inferred


def test_class1_a_page_that_reports_the_document():
    text = ("Tin tức\n"
            "Ngày 12/3/2019, Ban Thường vụ Tỉnh ủy Lạng Sơn đã ban hành Chỉ thị số 21-CT/TU về tăng cường "
            "công tác dân vận.\nNội dung như sau:\n")
    meta, _ = meta_of(text)
    assert (meta.number, meta.date, meta.type) == ("21-CT/TU", "2019-03-12", "Chỉ thị")
    assert meta.branch == "party"


def test_class2_the_enacting_line_is_not_the_title_and_the_authority_line_names_the_issuer():
    text = ("QUYẾT ĐỊNH\nVề việc công nhận danh hiệu\nỦY BAN NHÂN DÂN HUYỆN PHÚ THIỆN\n"
            "Căn cứ Luật Thi đua, khen "
            "thưởng;\nQUYẾT ĐỊNH:\nĐiều 1. Công nhận.\n")
    meta, _ = meta_of(text)
    assert meta.title == "Về việc công nhận danh hiệu"
    assert meta.issuer == "Ủy ban nhân dân huyện Phú Thiện"
    assert (meta.level, meta.province) == ("district", "Gia Lai")


def test_class2_a_number_printed_only_in_the_title_line():
    text = ("CHỈ THỊ CỦA THỦ TƯỚNG CHÍNH PHỦ SỐ 16/2001/CT-TTg NGÀY 5 THÁNG 9 NĂM 2001\n"
            "Về công tác phòng cháy\n")
    meta, _ = meta_of(text)
    assert meta.number == "16/2001/CT-TTg" and meta.type == "Chỉ thị"
    cited = "KẾ HOẠCH THỰC HIỆN CHỈ THỊ SỐ 16/2001/CT-TTg\nVề công tác phòng cháy\n"
    assert meta_of(cited)[0].number is None              # a number after "thực hiện" is another document


@pytest.mark.parametrize("header, issuer", [
    ("CHÍNH PHỦ\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/2024/NĐ-CP\n", "Chính phủ"),
    ("THỦ TƯỚNG CHÍNH PHỦ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 150/QĐ-TTg\n", "Thủ tướng Chính phủ"),
    ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 77/LĐTBXH-BTXH\n",
     "Bộ Lao động - Thương binh và Xã hội"),
    ("BỘ CHÍNH TRỊ\nĐẢNG CỘNG SẢN VIỆT NAM\nSố 45-KL/TW\n", "Bộ Chính trị"),
])
def test_class3_a_central_document_is_not_of_the_place_in_its_date_line(header, issuer):
    meta, _ = meta_of(header + "Hà Nội, ngày 4 tháng 5 năm 2024\nQUYẾT ĐỊNH\nVề việc thí điểm\n")
    assert (meta.issuer, meta.level, meta.province, meta.district) == (issuer, "central", None, None)


def test_class3_the_symbols_issuer_code_is_evidence_when_the_header_lost_its_lines():
    meta, _ = meta_of("Số: 4512/BLĐTBXH-BTXH\nHà Nội, ngày 4 tháng 5 năm 2024\nV/v hướng dẫn rà soát\n")
    assert (meta.level, meta.province) == ("central", None)
    assert meta.issuer == "Bộ Lao động - Thương binh và Xã hội"


def test_class6_a_commune_issuer_gets_its_district_and_province_as_on_the_date():
    text = ("ỦY BAN NHÂN DÂN\nXÃ CÁT VÂN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 15/KH-UBND\n"
            "Cát Vân, ngày 3 tháng 3 năm 2021\nKẾ HOẠCH\nPhòng chống dịch\n")
    meta, _ = meta_of(text)
    assert (meta.level, meta.province, meta.district) == ("commune", "Thanh Hóa", "Như Xuân")
    assert meta.issuer == "Ủy ban nhân dân xã Cát Vân"


def test_class6_a_province_is_named_as_it_was_on_the_date():
    header = ("TỈNH ỦY THỪA THIÊN HUẾ\n*\nSố 05-KH/TU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
              "{place}, ngày 2 tháng 3 năm {year}\n"
              "KẾ HOẠCH\nHọc tập\n")
    old, _ = meta_of(header.format(place="Thừa Thiên Huế", year=2021))
    assert (old.province, old.issuer) == ("Thừa Thiên Huế", "Tỉnh ủy Thừa Thiên Huế")
    new, _ = meta_of(header.replace("TỈNH ỦY THỪA THIÊN HUẾ", "THÀNH ỦY HUẾ").format(place="Huế", year=2025))
    assert new.province == "Huế"


def test_class3_the_party_central_header_and_the_body_that_issued_under_it():
    text = ("BAN CHẤP HÀNH TRUNG ƯƠNG\n*\nSố 12-QĐ/TW\nĐẢNG CỘNG SẢN VIỆT NAM\n"
            "Hà Nội, ngày 2 tháng 3 năm 2022\nQUY ĐỊNH\nvề công tác kiểm tra\n"
            "Quy định số 12-QĐ/TW ngày 2/3/2022 của Ban Bí thư thay thế quy định cũ.\n")
    meta, _ = meta_of(text)
    assert (meta.issuer, meta.level, meta.province) == ("Ban Bí thư", "central", None)


def test_class2_a_party_number_reported_without_its_symbol_is_completed():
    meta, _ = meta_of("Ngày 4/5/2019, Ban Thường vụ Huyện ủy Krông Búk đã ban hành Kế hoạch số 9 về "
                      "công tác dân vận.\n")
    assert meta.number == "9-KH/HU" and "number" in meta.inferred


# -- jurisdiction by date: districts merged between 2021 and 2025 -----------------------------------------

COMMUNE_PLAN = """UỶ BAN NHÂN DÂN
XÃ ĐÔNG NINH
Số: 15/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Đông Ninh, ngày 10 tháng 3 năm {y}

KẾ HOẠCH
Phòng chống thiên tai năm {y}

Thực hiện Kế hoạch số 20/KH-UBND ngày 01/3/{y} của UBND tỉnh Thanh Hóa, UBND xã Đông Ninh xây dựng kế hoạch:
"""


@pytest.mark.parametrize("year, district", [(2021, "Đông Sơn"), (2025, "Thanh Hóa")])
def test_a_commune_names_the_district_it_had_on_the_documents_date(year, district):
    """Đông Sơn was merged into the city of Thanh Hóa before the 2025 list: a 2021 plan is of Đông Sơn."""
    meta, _ = meta_of(COMMUNE_PLAN.format(y=year))
    assert (meta.level, meta.province, meta.district) == ("commune", "Thanh Hóa", district)


def test_a_district_merged_before_2025_is_still_a_district_of_its_province():
    meta, _ = meta_of("""ỦY BAN NHÂN DÂN
THỊ XÃ CỬA LÒ
Số: 88/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Cửa Lò, ngày 05 tháng 6 năm 2022

KẾ HOẠCH
Phát triển du lịch biển năm 2022
""")
    assert (meta.issuer, meta.level, meta.province, meta.district) == (
        "Ủy ban nhân dân thị xã Cửa Lò", "district", "Nghệ An", "Cửa Lò")


DISTRICT_9_PLAN = """ỦY BAN NHÂN DÂN
QUẬN 9
Số: 112/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Quận 9, ngày 14 tháng 4 năm 2015

KẾ HOẠCH
Chỉnh trang đô thị trên địa bàn quận năm 2015
"""


def test_a_district_merged_into_thu_duc_in_2021_places_its_older_documents():
    """Quận 9 of Hồ Chí Minh (merged into the city of Thủ Đức on 1 January 2021) in a 2015 plan."""
    meta, _ = meta_of(DISTRICT_9_PLAN)
    assert (meta.level, meta.province, meta.district) == ("district", "Hồ Chí Minh", "Quận 9")
    meta, _ = meta_of("""HỘI ĐỒNG NHÂN DÂN
QUẬN 2
Số: 07/NQ-HĐND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Quận 2, ngày 20 tháng 12 năm 2009

NGHỊ QUYẾT
Về dự toán ngân sách năm 2010
""")
    assert (meta.level, meta.province, meta.district) == ("district", "Hồ Chí Minh", "Quận 2")


def test_a_document_dated_after_its_districts_merger_is_kept_as_written_and_flagged():
    meta, warnings = meta_of(DISTRICT_9_PLAN)
    assert not [w for w in warnings if "merged" in w]
    meta, warnings = meta_of(DISTRICT_9_PLAN.replace("2015", "2022"))
    assert (meta.province, meta.district, meta.date) == ("Hồ Chí Minh", "Quận 9", "2022-04-14")
    assert [w for w in warnings if "merged" in w] == [
        "t.txt: Quận 9 was merged into Thủ Đức after 2020-12-31, but the document is dated 2022-04-14; "
        "check the date"]


def test_the_body_under_the_type_line_is_not_the_title():
    meta, _ = meta_of("""ĐẢNG BỘ HUYỆN QUẢNG XƯƠNG
ĐẢNG ỦY XÃ QUẢNG HẢI
*
Số 05-NQ/ĐU
ĐẢNG CỘNG SẢN VIỆT NAM
Quảng Hải, ngày 10 tháng 01 năm 2023

NGHỊ QUYẾT
CỦA ĐẢNG ỦY XÃ QUẢNG HẢI VỀ MỤC TIÊU, NHIỆM VỤ NĂM 2023

Căn cứ Điều lệ Đảng;
""")
    assert meta.title == "VỀ MỤC TIÊU, NHIỆM VỤ NĂM 2023"


_LEAD_NOISE = st.sampled_from(["x" * 30, "UBND ", "ban hành ", ", ", "\n", "Thường trực ", "xây dựng "])
_LONGEST_LEAD = ("Ngày   12 tháng 10 năm 2019   ,   " + "Hội đồng nhân dân" + "a" * 60
                 + "   vừa   ký ban hành   Chương trình   số   1" + "2" * 30 + "   ,   ngày   12/10/2019")


@settings(max_examples=400, deadline=None)
@given(st.lists(_LEAD_NOISE, max_size=8),
       st.sampled_from(["", "Ngày 23/8/2017, ", "ngày 2 tháng 10 năm 2019 ,  ", "Ngày 1-2 "]),
       st.sampled_from(["Tỉnh ủy", "UBND", "Hội đồng nhân dân", "Ban Thường vụ", "Ủy ban nhân dân"]),
       st.text(alphabet="ab Đ", max_size=64), st.sampled_from(["", "đã ", "vừa   "]),
       st.sampled_from(["ký ban hành", "ban hành", "xây dựng"]),
       st.sampled_from(["Kế hoạch", "KẾ HOẠCH", "x"]), st.lists(_LEAD_NOISE, max_size=4),
       st.integers(min_value=0, max_value=600))
def test_a_lead_sentence_is_found_where_a_scan_from_the_start_finds_it(before, date, who, name, done, verb,
                                                                       kind, after, end):
    text = "".join(before) + date + who + name + " " + done + verb + " " + kind + " số 27-CTr/TU"
    for t, e in ((text + "".join(after), end), ("x " * 100 + _LONGEST_LEAD, 1000)):
        e = min(e, len(t))
        found = title._lead_issued(t, e)
        plain = title._LEAD_ISSUED.search(t, 0, e)
        assert (found and found.span()) == (plain and plain.span())
    assert title._lead_issued(_LONGEST_LEAD, len(_LONGEST_LEAD)).span() == (0, len(_LONGEST_LEAD))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" *#_x", max_size=7),
       st.sampled_from(["CHỈ THỊ", "Kết luận", "QUYẾT ĐỊNH", "NGHỊ QUYẾT", "KẾ HOẠCH HÀNH ĐỘNG", "x", ""]),
       st.text(alphabet=" ", max_size=4), st.sampled_from(["", "SỐ ", "số: ", "CỦA THỦ TƯỚNG "]),
       st.sampled_from(["05-CT/TW", "16/2001/CT-TTg", "x", ""]))
def test_a_line_whose_start_is_no_type_word_is_no_title_sentence(lead, word, spaces, so, number):
    # title_sentence folds only the first characters of a line to reject it: whenever that rejects a line,
    # the whole pattern on the whole folded line finds nothing either
    line = lead + word + spaces + so + number
    if title._FOLDED_TYPE_HEAD.match(fold_letters(line[:title._FOLDED_TYPE_HEAD_READS])) is None:
        assert title._FOLDED_TYPE.match(fold_letters(line)) is None


_LAW_HEAD = ("LUẬT\nPHÒNG, CHỐNG THIÊN TAI\n\nĐiều 1. Phạm vi điều chỉnh\n"
             "Luật này quy định việc phòng, chống thiên tai.\n\n")


@pytest.mark.parametrize("passed", ["thông qua", "THÔNG QUA", "Thông Qua", "tHÔNG qua"])
def test_a_law_without_a_date_line_is_dated_the_day_it_was_passed_however_the_words_are_cased(passed):
    # the closing sentence is looked for on the lower-cased text first: any case of "thông qua" must count
    text = _LAW_HEAD + f"Luật này được Quốc hội khóa XV, kỳ họp thứ 8 {passed} ngày 29 tháng 11 năm 2024.\n"
    m, _ = meta_of(text)
    assert m.date == "2024-11-29"


def test_without_thong_qua_a_law_keeps_no_date():
    text = _LAW_HEAD + "Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2025.\n"
    m, _ = meta_of(text)
    assert m.date is None


def test_the_recipients_list_opens_at_a_line_that_starts_with_the_marker():
    # "Nơi nhận" inside a sentence first: str.find meets it before the marker line, which must still be found
    text = STATE.replace("Nơi nhận:\n", "Gửi báo cáo về Nơi nhận theo quy định.\n\n  Nơi nhận:\n")
    m, _ = meta_of(text)
    assert m.recipients == ("Bộ Khoa học và Công nghệ (b/c)", "Lưu: VT, KGVX")
    line = text.index("  Nơi nhận:")
    assert recipients_start(text, 0) == text.index(":", line) + 1
    assert recipients_start(text, line + 3) is None          # no marker starts after line + 3
    assert recipients_start("Nơi nhận: - A", 0) == len("Nơi nhận:")


def test_each_tm_line_names_its_own_body_document_after_document():
    # the body a "TM." line names is cached by the line's text: bodies that share words stay apart
    signed = {}
    for line in ("TM. ỦY BAN NHÂN DÂN", "T/M BAN THƯỜNG VỤ", "T/M BAN THƯỜNG VỤ HUYỆN ỦY",
                 "TM. ỦY BAN NHÂN DÂN", "TM. HỘI ĐỒNG NHÂN DÂN"):
        m, _ = meta_of(STATE.replace("TM. ỦY BAN NHÂN DÂN", line))
        signed[line] = m.signer.on_behalf_of
    assert signed == {"TM. ỦY BAN NHÂN DÂN": "Ủy ban nhân dân", "T/M BAN THƯỜNG VỤ": "Ban Thường vụ",
                      "T/M BAN THƯỜNG VỤ HUYỆN ỦY": "Ban Thường vụ huyện ủy",
                      "TM. HỘI ĐỒNG NHÂN DÂN": "Hội đồng nhân dân"}
