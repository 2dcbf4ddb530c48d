# ruff: noqa: E501  (the documents' lines are as long as printed lines)
"""Central documents as the official gazette (Công báo) prints them: a running header on every page,
Luật and Nghị quyết of Quốc hội dated by the day they were passed, joint Thông tư, Party central
documents, numbers printed only in the title sentence, consolidated texts numbered at the end.

Every text here is written for these tests (vn-conventions.md §1-§3, §9), none is copied from a real file.
"""
import pytest

from cascade.extract.pipeline import extract_text

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n________________________\n"


def page(issue: str, header: str, body: str) -> str:
    """A gazette page: the running header with its page number, then the document."""
    return f"CÔNG BÁO/Số {issue}                                         17\n\n{header}\n{body}"


def state(issuer: str, number_line: str, date_line: str) -> str:
    return f"{issuer}\n_______\n{number_line}\n{MOTTO}{date_line}\n"


LAW = page("1301 + 1302/Ngày 20-12-2024", state("QUỐC HỘI", "Luật số: 47/2024/QH15", ""), """
LUẬT
ĐƯỜNG SẮT ĐÔ THỊ

Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;
Quốc hội ban hành Luật Đường sắt đô thị.

Điều 1. Phạm vi điều chỉnh
Luật này quy định về đường sắt đô thị.

CÔNG BÁO/Số 1301 + 1302/Ngày 20-12-2024                                          4

Điều 2. Hiệu lực thi hành
Luật này được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XV, kỳ họp thứ 8 thông qua ngày 27 tháng 11 năm 2024.

CHỦ TỊCH QUỐC HỘI
Lê Văn Bình
""")

DECREE = page("215 + 216/Ngày 10-02-2025",
              state("CHÍNH PHỦ", "Số: 27/2025/NĐ-CP", "Hà Nội, ngày 04 tháng 02 năm 2025"), """
NGHỊ ĐỊNH
Quy định chi tiết một số điều của Luật Đường sắt đô thị

Căn cứ Luật Đường sắt đô thị số 47/2024/QH15 ngày 27 tháng 11 năm 2024;
Theo đề nghị của Bộ trưởng Bộ Xây dựng;
Chính phủ ban hành Nghị định quy định chi tiết một số điều của Luật Đường sắt đô thị.

Điều 1. Phạm vi điều chỉnh
Nghị định này quy định chi tiết Điều 5 của Luật.

Điều 2. Hiệu lực thi hành
Nghị định này thay thế Nghị định số 08/2021/NĐ-CP ngày 28 tháng 01 năm 2021 của Chính phủ.

TM. CHÍNH PHỦ
KT. THỦ TƯỚNG
PHÓ THỦ TƯỚNG
Đỗ Minh Khôi
""")

CIRCULAR = page("301 + 302/Ngày 05-3-2025",
                state("BỘ XÂY DỰNG", "Số: 12/2025/TT-BXD", "Hà Nội, ngày 20 tháng 02 năm 2025"), """
THÔNG TƯ
Hướng dẫn thi hành Nghị định số 27/2025/NĐ-CP ngày 04 tháng 02 năm 2025 của Chính phủ

Căn cứ Nghị định số 52/2022/NĐ-CP ngày 08 tháng 8 năm 2022 của Chính phủ quy định chức năng, nhiệm vụ của Bộ Xây dựng;
Bộ trưởng Bộ Xây dựng ban hành Thông tư hướng dẫn thi hành Nghị định số 27/2025/NĐ-CP.

Điều 1. Hiệu lực thi hành
Thông tư này có hiệu lực từ ngày 01 tháng 4 năm 2025 và bãi bỏ Thông tư số 40/2019/TT-BXD ngày 15 tháng 10 năm 2019 của Bộ trưởng Bộ Xây dựng.

BỘ TRƯỞNG
Phan Thị Hạnh
""")

JOINT = page("45 + 46/Ngày 12-01-2016",
             state("BỘ TÀI CHÍNH - BỘ NỘI VỤ", "Số: 02/2016/TTLT-BTC-BNV", "Hà Nội, ngày 05 tháng 01 năm 2016"), """
THÔNG TƯ LIÊN TỊCH
Sửa đổi, bổ sung một số điều của Thông tư liên tịch số 07/2013/TTLT-BTC-BNV ngày 10 tháng 01 năm 2013

Căn cứ Nghị định số 215/2013/NĐ-CP ngày 23 tháng 12 năm 2013 của Chính phủ;
Bộ trưởng Bộ Tài chính và Bộ trưởng Bộ Nội vụ ban hành Thông tư liên tịch sửa đổi, bổ sung.

Điều 1. Sửa đổi khoản 2 Điều 3.
""")

STANDING = page("1071 + 1072/Ngày 20-11-2025",
                state("ỦY BAN THƯỜNG VỤ QUỐC HỘI", "Nghị quyết số: 1656/NQ-UBTVQH15",
                      "Hà Nội, ngày 30 tháng 10 năm 2025"), """
NGHỊ QUYẾT
Về việc thành lập phường thuộc tỉnh

ỦY BAN THƯỜNG VỤ QUỐC HỘI
Căn cứ Nghị quyết số 76/2025/UBTVQH15 ngày 14 tháng 4 năm 2025 của Ủy ban Thường vụ Quốc hội;
QUYẾT NGHỊ:
Điều 1. Thành lập phường.

TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI
CHỦ TỊCH
Lê Văn Bình
""")

TITLE_NUMBER = """CÔNG BÁO/Số 12/Ngày 15-5-2001                                         703

CHỈ THỊ CỦA THỦ TƯỚNG CHÍNH PHỦ SỐ 16/2001/CT-TTg NGÀY 10 THÁNG 5 NĂM 2001 VỀ VIỆC TĂNG CƯỜNG QUẢN LÝ RỪNG

Trong những năm qua, công tác quản lý rừng đã có nhiều chuyển biến.
Thủ tướng Chính phủ chỉ thị:
1. Các Bộ, ngành thực hiện tốt công tác quản lý.

THỦ TƯỚNG CHÍNH PHỦ
Hoàng Văn Sơn
"""

CONSOLIDATED = page("601 + 602/Ngày 10-5-2024", "VĂN PHÒNG QUỐC HỘI\n_______\n" + MOTTO, """
LUẬT
ĐƯỜNG SẮT ĐÔ THỊ

Luật Đường sắt đô thị số 47/2024/QH15 ngày 27 tháng 11 năm 2024 của Quốc hội, được sửa đổi, bổ sung bởi:
Luật số 43/2025/QH15 ngày 29 tháng 6 năm 2025 của Quốc hội.

Điều 1. Phạm vi điều chỉnh.
Luật này được Quốc hội khóa XV, kỳ họp thứ 8 thông qua ngày 27 tháng 11 năm 2024.

XÁC THỰC VĂN BẢN HỢP NHẤT
Hà Nội, ngày 05 tháng 8 năm 2025
CHỦ NHIỆM
Trịnh Văn Long

Số: 03/VBHN-VPQH
""")

PARTY_UNIT = """BAN CHẤP HÀNH TRUNG ƯƠNG
BAN TỔ CHỨC
*
Số 42-HD/BTCTW
ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nội, ngày 15 tháng 02 năm 2024

HƯỚNG DẪN
về công tác tổ chức đại hội

Căn cứ Quy định số 24-QĐ/TW ngày 30 tháng 7 năm 2021 của Ban Chấp hành Trung ương thi hành Điều lệ Đảng,
Ban Tổ chức Trung ương hướng dẫn như sau:
"""

POLITBURO = """BAN CHẤP HÀNH TRUNG ƯƠNG
*
Số 45-CT/TW
ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nội, ngày 14 tháng 4 năm 2025

CHỈ THỊ
CỦA BỘ CHÍNH TRỊ
về đại hội đảng bộ các cấp

Thực hiện Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị, Bộ Chính trị chỉ thị:
"""

CASES = {
    "law": (LAW, "Luật", "47/2024/QH15", "2024-11-27", "Quốc hội", "state", "ĐƯỜNG SẮT ĐÔ THỊ"),
    "decree": (DECREE, "Nghị định", "27/2025/NĐ-CP", "2025-02-04", "Chính phủ", "state",
               "Quy định chi tiết một số điều của Luật Đường sắt đô thị"),
    "circular": (CIRCULAR, "Thông tư", "12/2025/TT-BXD", "2025-02-20", "Bộ Xây dựng", "state", None),
    "joint": (JOINT, "Thông tư liên tịch", "02/2016/TTLT-BTC-BNV", "2016-01-05", "Bộ Tài chính - Bộ Nội vụ",
              "state", None),
    "standing": (STANDING, "Nghị quyết", "1656/NQ-UBTVQH15", "2025-10-30", "Ủy ban Thường vụ Quốc hội", "state",
                 "Về việc thành lập phường thuộc tỉnh"),
    "title_number": (TITLE_NUMBER, "Chỉ thị", "16/2001/CT-TTg", "2001-05-10", "Thủ tướng Chính phủ", "state",
                     "VỀ VIỆC TĂNG CƯỜNG QUẢN LÝ RỪNG"),
    "consolidated": (CONSOLIDATED, "Văn bản hợp nhất", "03/VBHN-VPQH", "2025-08-05", "Văn phòng Quốc hội", "state",
                     None),
    "party_unit": (PARTY_UNIT, "Hướng dẫn", "42-HD/BTCTW", "2024-02-15", "Ban Tổ chức Trung ương", "party",
                   "về công tác tổ chức đại hội"),
    "politburo": (POLITBURO, "Chỉ thị", "45-CT/TW", "2025-04-14", "Bộ Chính trị", "party",
                  "về đại hội đảng bộ các cấp"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_central_document_as_the_gazette_prints_it(name):
    text, typ, number, date, issuer, branch, title = CASES[name]
    meta = extract_text(text, f"{name}.txt").meta
    assert (meta.type, meta.number, meta.date, meta.issuer, meta.branch) == (typ, number, date, issuer, branch)
    assert (meta.level, meta.province, meta.district) == ("central", None, None)
    if title is not None:
        assert meta.title == title
    for field, ev in meta.evidence:                  # evidence spans stay exact
        assert text[ev.start:ev.end] == ev.quote, field
        assert "CÔNG BÁO" not in ev.quote, field     # the running header is in no field


@pytest.mark.parametrize("text, name", [(LAW, "Lê Văn Bình"), (DECREE, "Đỗ Minh Khôi"), (TITLE_NUMBER, "Hoàng Văn Sơn"),
                                        (STANDING, "Lê Văn Bình")])
def test_the_signer_of_a_central_document(text, name):
    assert extract_text(text, "t.txt").meta.signer.name == name


def relations(text: str) -> dict[str, str]:
    rec = extract_text(text, "t.txt")
    by_id = {m.id: m.number for m in rec.mentions}
    return {by_id[r.target]: r.type for r in rec.relations if by_id.get(r.target)}


def test_what_a_gazette_document_does_to_the_documents_it_names():
    assert relations(DECREE) == {"47/2024/QH15": "based_on", "08/2021/NĐ-CP": "replaces"}
    assert relations(CIRCULAR) == {"27/2025/NĐ-CP": "guides", "52/2022/NĐ-CP": "based_on",
                                   "40/2019/TT-BXD": "repeals"}
    assert relations(JOINT)["07/2013/TTLT-BTC-BNV"] == "amends"
    assert relations(PARTY_UNIT) == {"24-QĐ/TW": "based_on"}
    assert relations(POLITBURO) == {"57-NQ/TW": "implements"}


@pytest.mark.parametrize("line", [
    "KẾT LUẬN 209-KL/TW CỦA BỘ CHÍNH TRỊ, BAN BÍ THƯ VỀ SẮP XẾP ĐƠN VỊ SỰ NGHIỆP CÔNG LẬP",
    # a copy that scrambles the tone marks keeps the letters: the sentence is read without them
    "KẾT LŨẬN 209-KL/TW CỦẢ BỘ CHÍNH TRỊ, BÁN BÍ THƯ VỀ SẮP XẾP ĐƠN VỊ SỰ NGHIỆP CÔNG LẬP",
])
def test_a_page_that_opens_with_the_title_sentence(line):
    text = line + "\nTại phiên họp ngày 14/3/2025, Bộ Chính trị, Ban Bí thư có ý kiến như sau:\n1. Đồng ý.\n"
    meta = extract_text(text, "t.txt").meta
    assert (meta.type, meta.number, meta.issuer, meta.branch, meta.level) == (
        "Kết luận", "209-KL/TW", "Bộ Chính trị, Ban Bí thư", "party", "central")
    assert meta.date is None                       # the meeting's date is not the document's
    assert meta.title.startswith("V") and meta.title.endswith("CÔNG LẬP")
    for field, ev in meta.evidence:
        assert text[ev.start:ev.end] == ev.quote, field


def test_a_number_line_that_is_a_title_sentence():
    meta = extract_text("CHỈ THỊ SỐ 08-CT/TW CỦA BAN BÍ THƯ VỀ CÔNG TÁC THANH NIÊN\nNội dung chỉ thị.\n", "t.txt").meta
    assert (meta.type, meta.number, meta.issuer, meta.title) == (
        "Chỉ thị", "08-CT/TW", "Ban Bí thư", "VỀ CÔNG TÁC THANH NIÊN")


DETAILS = page("45 + 46/Ngày 12-01-2016",
               state("BỘ LAO ĐỘNG - THƯƠNG BINH\nVÀ XÃ HỘI", "Số: 01/2016/TT-BLĐTBXH", "Hà Nội, ngày 05 tháng 01 năm 2016"), """
THÔNG TƯ
Quy định chi tiết thi hành một số điều của Nghị định số 61/2015/NĐ-CP ngày 09 tháng 7 năm 2015 của Chính phủ

Căn cứ Nghị định số 14/2017/NĐ-CP ngày 17 tháng 02 năm 2017 của Chính phủ quy định chi tiết một số điều của Nghị định số 120/2016/NĐ-CP;
Bộ trưởng Bộ Lao động - Thương binh và Xã hội ban hành Thông tư.

Điều 1. Thông tư này quy định chi tiết khoản 3 Điều 5 của Nghị định số 14/2017/NĐ-CP.
""")

DIRECTIVE = page("55 + 56/Ngày 20-01-2020",
                 state("THỦ TƯỚNG CHÍNH PHỦ", "Số: 02/CT-TTg", "Hà Nội, ngày 10 tháng 01 năm 2020"), """
CHỈ THỊ
Về tăng cường phòng chống dịch bệnh
Trong thời gian qua, công tác phòng chống dịch đã đạt kết quả.
Để triển khai Nghị quyết số 01/NQ-CP ngày 01 tháng 01 năm 2020 của Chính phủ, Thủ tướng Chính phủ chỉ thị:
1. Các bộ thực hiện.

THỦ TƯỚNG

CÔNG BÁO/Số 55 + 56/Ngày 20-01-2020                                         10

Nguyễn Văn Phong
""")


def test_a_text_that_details_another_guides_it_and_a_cited_texts_detail_stays_with_it():
    rec = extract_text(DETAILS, "t.txt")
    assert rec.meta.issuer == "Bộ Lao động - Thương binh và Xã hội"
    by_id = {m.id: m.number for m in rec.mentions}
    rels = {(by_id.get(r.source, r.source), r.type, by_id[r.target]) for r in rec.relations}
    assert ("self", "guides", "61/2015/NĐ-CP") in rels
    assert ("self", "based_on", "14/2017/NĐ-CP") in rels
    assert ("14/2017/NĐ-CP", "guides", "120/2016/NĐ-CP") in rels          # said of the cited decree
    assert not any(s == "self" and t == "120/2016/NĐ-CP" and r == "guides" for s, r, t in rels)


def test_a_directive_without_preamble_keeps_its_first_sentence_out_of_the_title():
    meta = extract_text(DIRECTIVE, "t.txt").meta
    assert meta.title == "Về tăng cường phòng chống dịch bệnh"
    assert meta.signer.name == "Nguyễn Văn Phong"             # the page's running header is skipped
