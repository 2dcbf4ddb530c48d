"""Behaviour of cascade.vn.places: spellings, aliases, ambiguity, scanning running text."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from cascade.vn import places
from cascade.vn.place_mentions import find_places
from cascade.vn.places import (
    PlaceHit,
    Unit,
    districts,
    find_district,
    find_province,
    predecessors,
    provinces,
    successor,
)

UNITS_2024 = Path(__file__).resolve().parents[2] / "shared" / "synth" / "units-2024.json"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


# -- provinces -------------------------------------------------------------------------------------

@pytest.mark.parametrize("spelling,name", [
    ("Đắk Lắk", "Đắk Lắk"), ("tỉnh Đắk Lắk", "Đắk Lắk"), ("TỈNH ĐẮK LẮK", "Đắk Lắk"), ("Dak Lak", "Đắk Lắk"),
    ("Đắc Lắc", "Đắk Lắk"), ("Đăk Lăk", "Đắk Lắk"), ("  đắk   lắk. ", "Đắk Lắk"), ("tinh Dak Lak", "Đắk Lắk"),
    ("thành phố Hà Nội", "Hà Nội"), ("Thành phố Hà Nội", "Hà Nội"), ("TP. HCM", "Hồ Chí Minh"),
    ("TP.HCM", "Hồ Chí Minh"), ("TPHCM", "Hồ Chí Minh"), ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
    ("Sài Gòn", "Hồ Chí Minh"), ("Thừa Thiên Huế", "Huế"), ("Thừa Thiên - Huế", "Huế"),
    ("tỉnh Thừa Thiên Huế", "Huế"), ("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"),
    ("Bà Rịa – Vũng Tàu", "Bà Rịa - Vũng Tàu"), ("Hoà Bình", "Hòa Bình"), ("Thanh Hoá", "Thanh Hóa"),
    ("Khánh Hoà", "Khánh Hòa"), (unicodedata.normalize("NFD", "Kon Tum"), "Kon Tum"),
    (unicodedata.normalize("NFD", "Quảng Ngãi"), "Quảng Ngãi"),
])
def test_find_province_spellings(spelling, name):
    unit = find_province(spelling)
    assert unit is not None and unit.name == name and unit.era == "pre2025" and unit.level == "province"


@pytest.mark.parametrize("text", ["", "   ", "Tỉnh", "thành phố", "Phú Thiện", "Buôn Ma Thuột", "Việt Nam",
                                  "xyz"])
def test_find_province_rejects(text):
    assert find_province(text) is None


def test_find_province_era():
    assert find_province("Gia Lai").code == "64"
    assert find_province("Gia Lai", era="2025").code == "52"
    assert find_province("Bình Định", era="2025") is None           # absorbed by Gia Lai
    assert find_province("Bình Định").era == "pre2025"
    with pytest.raises(ValueError):
        find_province("Gia Lai", era="2024")
    with pytest.raises(ValueError):
        provinces("post2025")


def test_provinces():
    old, new = provinces(), provinces("2025")
    assert (len(old), len(new)) == (63, 34)
    assert [u.code for u in old] == sorted(u.code for u in old)
    assert old[0].full_name == "thành phố Hà Nội"
    assert all(u.era == "2025" for u in new)
    provinces().clear()                                               # callers get copies
    assert len(provinces()) == 63


def test_full_names():
    assert find_province("Đắk Lắk").full_name == "tỉnh Đắk Lắk"
    assert find_province("HCM").full_name == "thành phố Hồ Chí Minh"
    assert find_district("Ia H'Drai")[0].full_name == "huyện Ia H'Drai"
    assert find_district("Buôn Hồ")[0].full_name == "thị xã Buôn Hồ"
    assert find_district("Quận 3")[0].full_name == "Quận 3"
    assert find_district("huyện Kỳ Anh")[0].full_name == "huyện Kỳ Anh"


def test_units_are_frozen_and_hashable():
    u = find_province("Kon Tum")
    assert isinstance(u, Unit) and {u: 1}[find_province("kon tum")] == 1
    with pytest.raises(AttributeError):
        u.name = "x"                                                   # type: ignore[misc]


def test_successor_and_predecessors():
    assert successor("Kon Tum").name == "Quảng Ngãi"
    assert successor("Kon Tum").era == "2025"
    assert successor("Thừa Thiên Huế").name == "Huế"
    assert successor("Bình Định").name == "Gia Lai" and successor("Bình Định").code == "52"
    assert successor("Hà Nội").name == "Hà Nội"
    assert successor("Đắc Nông").name == "Lâm Đồng"
    assert successor("Atlantis") is None
    assert {p.name for p in predecessors("Hồ Chí Minh")} == {"Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"}
    assert [p.name for p in predecessors("Cao Bằng")] == ["Cao Bằng"]
    assert predecessors("Atlantis") == []


# -- districts ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("spelling,name,province", [
    ("Phú Thiện", "Phú Thiện", "Gia Lai"), ("huyện Phú Thiện", "Phú Thiện", "Gia Lai"),
    ("HUYỆN PHÚ THIỆN", "Phú Thiện", "Gia Lai"), ("thị xã Buôn Hồ", "Buôn Hồ", "Đắk Lắk"),
    ("TX. Buôn Hồ", "Buôn Hồ", "Đắk Lắk"), ("TX Buôn Hồ", "Buôn Hồ", "Đắk Lắk"),
    ("H. Ia H'Drai", "Ia H'Drai", "Kon Tum"), ("Ia H' Drai", "Ia H'Drai", "Kon Tum"),
    ("Ia H’Drai", "Ia H'Drai", "Kon Tum"), ("Ia HDrai", "Ia H'Drai", "Kon Tum"),
    ("IA H'DRAI", "Ia H'Drai", "Kon Tum"),
    ("KBang", "KBang", "Gia Lai"), ("Kbang", "KBang", "Gia Lai"), ("K'Bang", "KBang", "Gia Lai"),
    ("Đắk Hà", "Đăk Hà", "Kon Tum"), ("Dak Ha", "Đăk Hà", "Kon Tum"), ("Đắc Hà", "Đăk Hà", "Kon Tum"),
    ("Ea H'leo", "Ea H'leo", "Đắk Lắk"), ("Cư M’gar", "Cư M'gar", "Đắk Lắk"),
    ("thành phố Buôn Ma Thuột", "Buôn Ma Thuột", "Đắk Lắk"), ("Ban Mê Thuột", "Buôn Ma Thuột", "Đắk Lắk"),
    ("TP. Thủ Đức", "Thủ Đức", "Hồ Chí Minh"), ("Quận 1", "Quận 1", "Hồ Chí Minh"),
    ("quận 1", "Quận 1", "Hồ Chí Minh"), ("Phan Rang-Tháp Chàm", "Phan Rang - Tháp Chàm", "Ninh Thuận"),
    ("Lắk", "Lắk", "Đắk Lắk"), ("huyện Lắc", "Lắk", "Đắk Lắk"),
])
def test_find_district_spellings(spelling, name, province):
    found = find_district(spelling)
    assert [(u.name, u.province) for u in found] == [(name, province)]
    assert found[0].level == "district" and found[0].era == "pre2025"


def test_find_district_repeated_names():
    everywhere = find_district("Châu Thành")
    assert len(everywhere) >= 8 and len({u.province for u in everywhere}) == len(everywhere)
    (one,) = find_district("Châu Thành", "Tiền Giang")
    assert one.province == "Tiền Giang"
    assert find_district("huyện Châu Thành", "tỉnh An Giang")[0].province == "An Giang"
    assert find_district("Châu Thành", "Gia Lai") == []
    assert find_district("Phú Thiện", "Atlantis") == []
    assert find_district("Nowhere") == [] and find_district("") == [] and find_district("huyện") == []


def test_find_district_named_like_its_province():
    (city,) = find_district("Kon Tum", "Kon Tum")
    assert (city.type, city.level, city.province) == ("thành phố", "district", "Kon Tum")
    assert find_district("thành phố Kon Tum") == [city]
    assert find_district("Hà Tĩnh", "Hà Tĩnh")[0].type == "thành phố"


def test_find_district_namesakes_of_different_types():
    both = find_district("Kỳ Anh", "Hà Tĩnh")
    assert [u.type for u in both] == ["huyện", "thị xã"]
    assert [u.name for u in find_district("thị xã Kỳ Anh")] == ["Kỳ Anh (Thị xã)"]
    assert [u.name for u in find_district("huyện Kỳ Anh", "Hà Tĩnh")] == ["Kỳ Anh (Huyện)"]
    assert [u.name for u in find_district("Kỳ Anh (Huyện)")] == ["Kỳ Anh (Huyện)"]
    assert [u.type for u in find_district("thành phố Cao Lãnh")] == ["thành phố"]


def test_districts_of_a_province():
    kon_tum = districts("Kon Tum")
    assert len(kon_tum) == 10 and "Ia H'Drai" in {u.name for u in kon_tum}
    assert districts("tỉnh Đắc Lắc") == districts("Đắk Lắk")
    assert {u.province for u in districts("Đắk Lắk")} == {"Đắk Lắk"}
    assert sum(len(districts(p.name)) for p in provinces()) == 696
    assert districts("Atlantis") == []


@pytest.mark.skipif(not UNITS_2024.exists(), reason="../shared/synth/units-2024.json is absent")
def test_every_unit_of_units_2024_resolves_to_its_exact_spelling():
    data = json.loads(UNITS_2024.read_text(encoding="utf-8"))["provinces"]
    assert len(data) == 63
    for p in data:
        unit = find_province(p["name"])
        assert unit is not None and unit.name == p["name"] and unit.code == p["code"], p["name"]
        assert unit.type == p["type"]
        assert len(districts(p["name"])) == len(p["districts"])
        for d in p["districts"]:
            found = find_district(d["name"], p["name"])
            assert [(u.name, u.code, u.type) for u in found] == [(d["name"], d["code"], d["type"])], d


# -- find_places -------------------------------------------------------------------------------------

def spans_hold(text: str, hits: list[PlaceHit]) -> bool:
    return all(text[h.start:h.end] == h.text for h in hits)


def names(text: str) -> list[tuple[str, str, str]]:
    hits = find_places(text)
    assert spans_hold(text, hits)
    return [(h.text, h.unit.name, h.unit.level) for h in hits]


@pytest.mark.parametrize("text,expected", [
    ("UBND TỈNH KON TUM", [("TỈNH KON TUM", "Kon Tum", "province")]),
    ("ĐẢNG BỘ HUYỆN PHÚ THIỆN", [("HUYỆN PHÚ THIỆN", "Phú Thiện", "district")]),
    ("ỦY BAN NHÂN DÂN\nTỈNH ĐẮK LẮK\n", [("TỈNH ĐẮK LẮK", "Đắk Lắk", "province")]),
    ("Ban Thường vụ Tỉnh uỷ Đắk Lắk", [("Tỉnh uỷ Đắk Lắk", "Đắk Lắk", "province")]),
    ("TỈNH ỦY GIA LAI", [("TỈNH ỦY GIA LAI", "Gia Lai", "province")]),
    ("Huyện ủy Ia H'Drai", [("Huyện ủy Ia H'Drai", "Ia H'Drai", "district")]),
    ("Thị ủy Buôn Hồ", [("Thị ủy Buôn Hồ", "Buôn Hồ", "district")]),
    ("Thành ủy Buôn Ma Thuột", [("Thành ủy Buôn Ma Thuột", "Buôn Ma Thuột", "district")]),
    ("Thành ủy Hà Nội", [("Thành ủy Hà Nội", "Hà Nội", "province")]),
    ("trên địa bàn tỉnh Đắc Lắc.", [("tỉnh Đắc Lắc", "Đắk Lắk", "province")]),
    ("tỉnh Dak Lak", [("tỉnh Dak Lak", "Đắk Lắk", "province")]),
    ("tỉnh Hoà Bình", [("tỉnh Hoà Bình", "Hòa Bình", "province")]),
    ("tỉnh Bà Rịa-Vũng Tàu, tỉnh Bà Rịa - Vũng Tàu", [
        ("tỉnh Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu", "province"),
        ("tỉnh Bà Rịa - Vũng Tàu", "Bà Rịa - Vũng Tàu", "province")]),
    ("tỉnh Thừa Thiên Huế", [("tỉnh Thừa Thiên Huế", "Huế", "province")]),
    ("TP.HCM; TP. Hồ Chí Minh; Tp Hà Nội", [("TP.HCM", "Hồ Chí Minh", "province"),
                                           ("TP. Hồ Chí Minh", "Hồ Chí Minh", "province"),
                                           ("Tp Hà Nội", "Hà Nội", "province")]),
    ("thành phố Huế", [("thành phố Huế", "Huế", "province")]),
    ("thành phố Kon Tum, tỉnh Kon Tum", [("thành phố Kon Tum", "Kon Tum", "district"),
                                         ("tỉnh Kon Tum", "Kon Tum", "province")]),
    ("thành phố Hà Tĩnh", [("thành phố Hà Tĩnh", "Hà Tĩnh", "district")]),
    ("huyện Ia H' Drai và huyện Ia H’Drai", [("huyện Ia H' Drai", "Ia H'Drai", "district"),
                                             ("huyện Ia H’Drai", "Ia H'Drai", "district")]),
    ("huyện K'Bang; huyện Kbang", [("huyện K'Bang", "KBang", "district"),
                                   ("huyện Kbang", "KBang", "district")]),
    ("TX. Buôn Hồ", [("TX. Buôn Hồ", "Buôn Hồ", "district")]),
    ("quận 10 và quận 1", [("quận 10", "Quận 10", "district"), ("quận 1", "Quận 1", "district")]),
    ("ĐẢNG BỘ QUẬN QUẬN 1", [("QUẬN QUẬN 1", "Quận 1", "district")]),
    ("quận Thủ Đức", [("quận Thủ Đức", "Thủ Đức", "district")]),
    ("Ủy ban nhân dân huyện Kỳ Anh (Huyện)", [("huyện Kỳ Anh (Huyện)", "Kỳ Anh (Huyện)", "district")]),
    ("thị xã Kỳ Anh, huyện Cẩm Xuyên", [("thị xã Kỳ Anh", "Kỳ Anh (Thị xã)", "district"),
                                        ("huyện Cẩm Xuyên", "Cẩm Xuyên", "district")]),
    ("Tỉnh\u00a0Gia Lai", [("Tỉnh\u00a0Gia Lai", "Gia Lai", "province")]),
    ("UBND TỈNH\r\nKON TUM", [("TỈNH\r\nKON TUM", "Kon Tum", "province")]),
])
def test_find_places(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize("text", [
    "Tỉnh ủy về thực hiện", "UBND tỉnh xây dựng kế hoạch", "tỉnh và các hội",
    "các tỉnh, thành phố trực thuộc Trung ương", "Ban Thường vụ Huyện ủy xây dựng", "tỉnh Atlantis",
    "tỉnh Đoàn Thanh niên", "Tỉnh Hội Nông dân", "huyện Đắk Lắk", "thành phố Đắk Lắk", "tỉnh Buôn Ma Thuột",
    "Báo Đắc Lắc", "Đắk Lắk, ngày 5 tháng 6", "tỉnh đắk lắk", "hướng dẫn thị trấn Phú Thiện", "xtỉnh Gia Lai",
    "UBND tỉnh\n\nKon Tum, ngày 15/8/2023", "quận huyện Phú", "thị xã", "tỉnh", "TP", "tpHCM",
])
def test_find_places_no_false_hits(text):
    assert find_places(text) == []


def test_find_places_in_text_order_and_not_overlapping():
    text = ("Thực hiện Kế hoạch của Ủy ban nhân dân tỉnh Kon Tum về triển khai trên địa bàn tỉnh Kon Tum, "
            "Ủy ban nhân dân huyện Ia H'Drai ban hành; gửi UBND huyện Đăk Hà, thành phố Kon Tum.")
    hits = find_places(text)
    assert [h.unit.name for h in hits] == ["Kon Tum", "Kon Tum", "Ia H'Drai", "Đăk Hà", "Kon Tum"]
    assert [h.unit.level for h in hits] == ["province", "province", "district", "district", "district"]
    assert [h.start for h in hits] == sorted(h.start for h in hits)
    assert all(a.end <= b.start for a, b in zip(hits, hits[1:], strict=False))
    assert spans_hold(text, hits)


def test_find_places_ambiguous_district_uses_the_text_around_it():
    (d, p) = find_places("huyện Châu Thành, tỉnh Tiền Giang")
    assert (d.unit.province, d.alternatives, p.unit.name) == ("Tiền Giang", (), "Tiền Giang")
    hits = find_places("Ủy ban nhân dân tỉnh An Giang giao huyện Châu Thành chủ trì")
    assert hits[1].unit.province == "An Giang" and hits[1].alternatives == ()
    # a neighbouring unambiguous district tells the province too
    hits = find_places("huyện Chợ Gạo và huyện Châu Thành")
    assert hits[1].unit.province == "Tiền Giang"
    # nothing around: one guess, the others kept
    (alone,) = find_places("huyện Châu Thành")
    assert len(alone.alternatives) >= 7
    assert {alone.unit, *alone.alternatives} == set(find_district("Châu Thành"))


def test_find_places_nfd_text_spans_point_into_the_original():
    text = unicodedata.normalize("NFD", "Ủy ban nhân dân huyện Đăk Hà, tỉnh Kon Tum")
    hits = find_places(text)
    assert [h.unit.name for h in hits] == ["Đăk Hà", "Kon Tum"]
    assert spans_hold(text, hits)
    assert unicodedata.normalize("NFC", hits[0].text) == "huyện Đăk Hà"


def test_find_places_every_unit_in_running_text():
    """Each province and district is found in a sentence, in mixed and in upper case."""
    for p in provinces():
        for text in (f"Ủy ban nhân dân {p.full_name} ban hành", f"UBND {p.full_name.upper()}"):
            hits = find_places(text)
            assert [h.unit for h in hits] == [p], text
    for p in provinces():
        for d in districts(p.name):
            text = f"Ủy ban nhân dân {d.type} {d.name}, {p.full_name}"
            hits = find_places(text)
            assert hits and hits[0].unit == d, (text, hits)
            assert spans_hold(text, hits)
            upper = text.upper()
            hits = find_places(upper)
            assert hits and hits[0].unit == d, upper


def test_find_places_on_seed_documents():
    if not SEEDS.exists():
        pytest.skip("../shared/seeds is absent")
    text = (SEEDS / "004_5f6ac51fd7d22cf5.txt").read_text(encoding="utf-8")
    hits = find_places(text)
    assert spans_hold(text, hits)
    assert {(h.unit.name, h.unit.level) for h in hits} >= {("Kon Tum", "province"), ("Ia H'Drai", "district")}


def test_gazetteer_is_loaded_once():
    assert places.gazetteer() is places.gazetteer()


# -- class 6: communes and names by date ------------------------------------------------------------

def test_a_commune_is_found_with_its_district_before_the_reform_and_its_new_province_after():
    before = places.find_commune("xã Cát Vân")
    assert [(u.district, u.province, u.era) for u in before] == [("Như Xuân", "Thanh Hóa", "pre2025")]
    after = places.find_commune("Long Phụng", era="2025")
    assert [(u.district, u.province) for u in after] == [(None, "Quảng Ngãi")]


def test_a_commune_name_shared_by_several_provinces_is_narrowed_by_province_and_type():
    everywhere = places.find_commune("Xuân Phú")
    assert len({u.province for u in everywhere}) > 2
    assert [u.district for u in places.find_commune("Xuân Phú", "Đồng Nai")] == ["Xuân Lộc"]
    assert {u.type for u in places.find_commune("phường Xuân Phú")} == {"phường"}


def test_the_era_of_a_date_and_a_province_named_as_on_that_date():
    assert places.era_of("2025-06-30") == "pre2025" and places.era_of("2025-07-01") == "2025"
    assert places.province_name_on("Huế", "2020-01-02") == ("Thừa Thiên Huế", "tỉnh")
    assert places.province_name_on("Huế", "2025-01-01") == ("Huế", None)
    assert places.province_name_on("Đà Nẵng", "2020-01-02") == ("Đà Nẵng", None)


def test_tx_written_without_a_dot_is_a_thi_xa():
    hits = find_places("Đảng bộ TX Buôn Hồ lần thứ V")
    assert [(h.text, h.unit.type) for h in hits] == [("TX Buôn Hồ", "thị xã")]


def test_districts_merged_into_thu_duc_in_2021_are_former_districts_of_ho_chi_minh():
    """Quận 2 and Quận 9 became part of the city of Thủ Đức on 1 January 2021: found, but not in force."""
    q9 = find_district("QUẬN 9", "TP. HCM")
    assert [(u.name, u.province, u.former, u.valid_to, u.successor) for u in q9] == [
        ("Quận 9", "Hồ Chí Minh", True, "2020-12-31", "Thủ Đức")]
    assert [(u.name, u.code) for u in find_district("Q.2")] == [("Quận 2", "")]     # 769 is Thủ Đức's
    assert [u.type for u in find_district("Thủ Đức", "Hồ Chí Minh")] == ["thành phố"]
    in_force = {u.name for u in districts("Hồ Chí Minh")}
    assert "Thủ Đức" in in_force and not in_force & {"Quận 2", "Quận 9"}
    hits = find_places("Dự án nằm trên địa bàn Quận 9, thành phố Hồ Chí Minh.")
    assert [(h.text, h.unit.level, h.unit.province) for h in hits] == [
        ("Quận 9", "district", "Hồ Chí Minh"), ("thành phố Hồ Chí Minh", "province", None)]
