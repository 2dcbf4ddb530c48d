"""metadata: header, type line, title, signature, recipients, and what is inferred from the body."""
from pathlib import Path

import pytest

from cascade.extract.header import extract_metadata
from cascade.text.normalize import clean

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
    assert m.signer.name == "Nguyễn Văn An" and m.signer.title == "Phó Chủ tịch" and m.signer.capacity == "KT."
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
                   "I. NỘI DUNG\n\n- Báo Bình Thuận đưa tin.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Đức Hòa\n")
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
