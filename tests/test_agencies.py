"""Agency names, groups, identities and mergers (cascade.extract.agencies)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cascade.extract.agencies import canonical, find_agencies, is_group
from cascade.identity.agencies import agency_key, level_of, mergers, successor


@pytest.mark.parametrize(
    "name,want",
    [
        ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
        ("Sở KHCN", "Sở Khoa học và Công nghệ"),
        ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở LĐTBXH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở VH-TT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở Nông nghiệp và PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở GTVT", "Sở Giao thông vận tải"),
        ("Sở Công thương", "Sở Công Thương"),
        ("Phòng TC-KH", "Phòng Tài chính - Kế hoạch"),
        ("Phòng Kinh tế - Hạ tầng", "Phòng Kinh tế và Hạ tầng"),
        ("phòng Kinh tế Hạ tầng", "Phòng Kinh tế và Hạ tầng"),
        ("Phòng KT&HT", "Phòng Kinh tế và Hạ tầng"),
        ("phòng Kinh tế và Hạ tầng", "Phòng Kinh tế và Hạ tầng"),
        ("Phòng Lao động TBXH", "Phòng Lao động - Thương binh và Xã hội"),
        ("Liên hiệp các Hội Khoa học - Kỹ thuật tỉnh", "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh"),
        ("Liên hiệp các Hội KH&KT tỉnh", "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh"),
        ("UBND huyện", "Ủy ban nhân dân huyện"),
        ("Ủy ban nhân dân huyện Phú Thiện", "Ủy ban nhân dân huyện"),
        ("Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        ("UBMTTQVN tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        ("Trung tâm Y tế huyện", "Trung tâm Y tế huyện"),
        ("Trung tâm Y tế huyện Ia H'Drai", "Trung tâm Y tế huyện"),
        ("Ban Tuyên giáo Huyện ủy", "Ban Tuyên giáo Huyện ủy"),
        ("Ban Tuyên giáo Huyện uỷ", "Ban Tuyên giáo Huyện ủy"),
        ("Ủy ban Kiểm tra Thị ủy", "Ủy ban Kiểm tra Thị ủy"),
        ("Sở Nội vụ tỉnh Đắk Lắk", "Sở Nội vụ"),
        ("Công an tỉnh", "Công an tỉnh"),
        ("Tỉnh Đoàn", "Tỉnh đoàn"),
        ("Đài Phát thanh - Truyền hình tỉnh", "Đài Phát thanh và Truyền hình tỉnh"),
        ("Hội LHPN tỉnh", "Hội Liên hiệp Phụ nữ tỉnh"),
        ("Chủ tịch UBND các huyện, thị xã, thành phố", "Ủy ban nhân dân các huyện, thị xã, thành phố"),
    ],
)
def test_canonical(name: str, want: str) -> None:
    assert canonical(name) == want


def test_canonical_is_stable_and_tolerant() -> None:
    for name in ("Sở Khoa học và Công nghệ", "Phòng Kinh tế và Hạ tầng", "Ủy ban nhân dân huyện"):
        assert canonical(canonical(name)) == canonical(name)
    assert canonical(unicodedata.normalize("NFD", "Sở Tài chính")) == "Sở Tài chính"
    assert canonical("**Sở Tài chính:**") == "Sở Tài chính"
    assert (
        canonical("Hội đồng Khoa học công nghệ tỉnh") == "Hội đồng Khoa học công nghệ tỉnh"
    )  # unknown: tidied


@pytest.mark.parametrize(
    "name",
    [
        "Các sở, ban, ngành",
        "các cơ quan, đơn vị liên quan",
        "UBND các huyện, thị xã, thành phố",
        "Ủy ban nhân dân các xã",
        "Thủ trưởng các Sở, ban, ngành, đoàn thể",
        "Các tổ chức chính trị - xã hội",
        "Cấp ủy các tổ chức cơ sở đảng trực thuộc",
        "Những cơ quan, đơn vị được giao nhiệm vụ",
    ],
)
def test_groups(name: str) -> None:
    assert is_group(name)


@pytest.mark.parametrize(
    "name",
    [
        "Sở Nội vụ",
        "Ủy ban nhân dân huyện",
        "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",
        "Ban Tuyên giáo Tỉnh ủy",
    ],
)
def test_not_groups(name: str) -> None:
    assert not is_group(name)


def names(text: str) -> list[str]:
    return [n for n, _, _ in find_agencies(text)]


def test_find_lists_and_spans() -> None:
    text = "Giao Sở Giáo dục và Đào tạo, Tỉnh đoàn phối hợp với Sở VH-TT&DL"
    found = find_agencies(text)
    assert [n for n, _, _ in found] == [
        "Sở Giáo dục và Đào tạo",
        "Tỉnh đoàn",
        "Sở Văn hóa, Thể thao và Du lịch",
    ]
    assert [text[s:e] for _, s, e in found] == ["Sở Giáo dục và Đào tạo", "Tỉnh đoàn", "Sở VH-TT&DL"]


def test_distributive_list_and_inner_hyphens() -> None:
    assert names(
        "Các Sở: Lao động - Thương binh và Xã hội, Nông nghiệp và Phát triển nông thôn, "
        "Tài nguyên và Môi trường"
    ) == [
        "Sở Lao động - Thương binh và Xã hội",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở Tài nguyên và Môi trường",
    ]
    assert names("các Sở: KH&ĐT, TC, TN&MT") == [
        "Sở Kế hoạch và Đầu tư",
        "Sở Tài chính",
        "Sở Tài nguyên và Môi trường",
    ]


def test_groups_stay_groups_in_text() -> None:
    assert names("Các sở, ban, ngành, đoàn thể tỉnh và UBND các huyện, thị xã, thành phố") == [
        "Các sở, ban, ngành, đoàn thể tỉnh",
        "Ủy ban nhân dân các huyện, thị xã, thành phố",
    ]
    assert names("Các cơ quan, ban ngành; Ủy ban nhân dân các xã và các cơ quan, đơn vị có liên quan") == [
        "Các cơ quan, ban ngành",
        "Ủy ban nhân dân các xã",
        "Các cơ quan, đơn vị có liên quan",
    ]


def test_every_unit_of_a_level_is_a_group() -> None:
    got = names("Ủy ban nhân dân cấp xã; UBND các cấp")
    assert got == ["Ủy ban nhân dân cấp xã", "Ủy ban nhân dân các cấp"]
    assert is_group("Ủy ban nhân dân cấp xã") and not is_group("Ủy ban nhân dân xã")


def test_a_name_that_contains_cac_is_not_a_group() -> None:
    assert names("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh và các hội thành viên") == [
        "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",
        "Các hội thành viên",
    ]


def test_no_agencies_in_ordinary_words() -> None:
    assert names("ban hành kế hoạch phòng, chống thiên tai; hội nghị; Hội thi sáng tạo; Bộ Tiêu chí") == []
    assert names("Quyết định số 28/2016/QĐ-UBND ngày 01/7/2016") == []


def test_place_names_do_not_run_into_the_next_line() -> None:
    assert names("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh\n\nGiao Sở Y tế") == [
        "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",
        "Sở Y tế",
    ]


def test_identity_within_a_jurisdiction() -> None:
    assert agency_key("Sở Nội vụ", "Đắk Lắk") == agency_key("Sở NV", "Đắk Lắk")
    assert agency_key("Sở Nội vụ", "Đắk Lắk") != agency_key("Sở Nội vụ", "Bình Thuận")
    assert agency_key("Phòng Y tế", "Kon Tum", "Ia H'Drai") != agency_key("Phòng Y tế", "Kon Tum", "Đăk Hà")
    assert agency_key("Bộ Nội vụ", "Đắk Lắk") == agency_key("Bộ Nội vụ", "Bình Thuận")  # central: one body
    assert level_of("Phòng Kinh tế và Hạ tầng") == "district" and level_of("Sở Y tế") == "province"


def test_mergers() -> None:
    after = dt.date(2025, 7, 1)
    assert successor("Sở Kế hoạch và Đầu tư", after) == "Sở Tài chính"
    assert successor("Sở TT&TT", after) == "Sở Khoa học và Công nghệ"
    assert successor("Sở Giao thông vận tải", after) == "Sở Xây dựng"
    assert successor("Sở Tài nguyên và Môi trường", after) == "Sở Nông nghiệp và Môi trường"
    assert successor("Sở NN&PTNT", after) == "Sở Nông nghiệp và Môi trường"
    assert successor("Sở LĐ-TB&XH", after) == "Sở Nội vụ"
    assert successor("Sở Kế hoạch và Đầu tư", dt.date(2024, 12, 31)) is None
    assert successor("Sở Tài chính", after) is None
    assert all(m.date.year == 2025 for m in mergers())


@given(st.text(max_size=200))
def test_find_never_crashes(text: str) -> None:
    for name, s, e in find_agencies(text):
        assert 0 <= s < e <= len(text) and name


@given(st.text(max_size=80))
def test_canonical_never_crashes(text: str) -> None:
    assert isinstance(canonical(text), str)
    is_group(text)


# -- the 2025 mergers both ways ----------------------------------------------------------------------


def test_lineage_follows_mergers_both_ways() -> None:
    from cascade.identity.agencies import lineage

    march = dt.date(2025, 3, 1)
    assert lineage("Sở TT&TT") == [("Sở Khoa học và Công nghệ", "successor", march)]
    assert lineage("Sở KH&CN") == [("Sở Thông tin và Truyền thông", "predecessor", march)]
    assert {n for n, how, _ in lineage("Sở Nông nghiệp và Môi trường")} == {
        "Sở Tài nguyên và Môi trường",
        "Sở Nông nghiệp và Phát triển nông thôn",
    }
    # not the siblings: the Sở TN&MT's work is not the Sở NN&PTNT's
    assert [n for n, _, _ in lineage("Sở Tài nguyên và Môi trường")] == ["Sở Nông nghiệp và Môi trường"]
    assert lineage("Ban Tuyên giáo Huyện ủy")[0][:2] == ("Ban Tuyên giáo và Dân vận Huyện ủy", "successor")
    assert lineage("Sở Y tế") == []


# -- reading piece by piece --------------------------------------------------------------------------

_LINES = [
    "Giao Sở Nội vụ chủ trì",
    "phối hợp với các sở,",
    "ban,",
    "ngành liên quan.",
    "Các Sở:",
    "Tài chính, Nội vụ",
    "UBND",
    "Tỉnh Gia Lai",
    "các",
    "những",
    "cơ quan",
    "Sở KH&CN và",
    "UBND các huyện, thị xã,",
    "thành phố",
    "",
    "Thực hiện các nhiệm vụ của Kế hoạch",
    "Đảng đoàn HĐND tỉnh",
    "- Phòng Tư pháp;",
    "Sở Y tế)",
    "mọi",
]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_LINES), min_size=1, max_size=12).map("\n".join))
@example("phối hợp với các sở,\nban,\nngành liên quan.")
@example("Các Sở:\nTài chính, Nội vụ")
def test_scan_pieces_is_scan(text: str) -> None:
    from cascade.extract.agencies import scan, scan_pieces

    assert scan_pieces(text) == scan(text)


def test_cut_after_a_line_nothing_goes_over() -> None:
    from cascade.extract.agency_groups import cut_after

    def cut(text: str, line: int = 0) -> bool:
        nl = text.index("\n", line)
        return cut_after(text, 0, line, nl, len(text))

    assert cut("Giao Sở Nội vụ chủ trì thực hiện.\nCác sở")  # a sentence ends
    assert cut("Thực hiện các nhiệm vụ của Kế hoạch\nGiao Sở Y tế")  # "các nhiệm vụ" is no group
    assert not cut("phối hợp với các sở,\nban, ngành")  # a group goes on
    assert not cut("Các Sở:\nTài chính, Nội vụ")  # so does a list after "Các Sở:"
    assert not cut("phối hợp với các sở,\nban,\nngành", line=21)  # ... through a line with no "các"
    assert not cut("Sở Y tế và UBND\nTỉnh Gia Lai")  # "UBND" before a capital
