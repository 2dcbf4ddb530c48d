"""Integrity of cascade/resources/gazetteer.csv and of the rules of scripts/build_gazetteer.py."""
from __future__ import annotations

import csv
import importlib.util
import io
import re
import unicodedata
from collections import Counter
from importlib.resources import files
from pathlib import Path

import pytest

from cascade.text.normalize import key, nfc

COLUMNS = ["era", "level", "code", "name", "type", "province", "province_code", "aliases",
           "valid_from", "valid_to", "successor", "successor_code", "lat", "lon"]
SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "build_gazetteer.py"


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    text = (files("cascade") / "resources" / "gazetteer.csv").read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == COLUMNS
    out = list(reader)
    assert all(None not in r and all(v is not None for v in r.values()) for r in out), "ragged rows"
    return out


def pick(rows: list[dict[str, str]], era: str, level: str) -> list[dict[str, str]]:
    return [r for r in rows if r["era"] == era and r["level"] == level]


def test_counts(rows):
    assert len(pick(rows, "pre2025", "province")) == 63
    districts = pick(rows, "pre2025", "district")
    in_force = [r for r in districts if r["valid_to"] == "2025-06-30"]
    former = [r for r in districts if r["valid_to"] != "2025-06-30"]
    assert len(in_force) == 696                  # the GSO list of early 2025
    assert len(former) == 10 + 2                 # merged 2021-2025 (older snapshot), Quận 2 and 9 (by hand)
    assert len(pick(rows, "2025", "province")) == 34
    assert not pick(rows, "2025", "district")
    assert len(rows) == 63 + 696 + 12 + 34


def test_former_districts_end_before_the_2025_list_and_name_where_they_went(rows):
    former = {(r["province"], r["name"]): r for r in pick(rows, "pre2025", "district")
              if r["valid_to"] != "2025-06-30"}
    assert {"Cửa Lò", "Đông Sơn", "Lộc Hà", "Nam Đông"} <= {n for _, n in former}
    assert former["Nghệ An", "Cửa Lò"]["successor"] == "Vinh"
    assert former["Thanh Hóa", "Đông Sơn"]["successor"] == "Thanh Hóa"
    assert all(r["valid_to"] < "2025-01-04" and r["successor_code"] for r in former.values())
    assert {former["Hồ Chí Minh", q]["successor"] for q in ("Quận 2", "Quận 9")} == {"Thủ Đức"}
    current = {(r["province_code"], r["code"]) for r in pick(rows, "pre2025", "district")
               if r["valid_to"] == "2025-06-30"}
    assert all((r["province_code"], r["successor_code"]) in current for r in former.values())


def test_types(rows):
    new = Counter(r["type"] for r in pick(rows, "2025", "province"))
    assert new == {"tỉnh": 28, "thành phố": 6}
    central = {r["name"] for r in pick(rows, "2025", "province") if r["type"] == "thành phố"}
    assert central == {"Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}
    assert {r["type"] for r in pick(rows, "pre2025", "province")} == {"tỉnh", "thành phố"}
    assert {r["type"] for r in pick(rows, "pre2025", "district")} == {"huyện", "quận", "thị xã", "thành phố"}


@pytest.mark.parametrize("era,level,digits", [("pre2025", "province", 2), ("2025", "province", 2),
                                              ("pre2025", "district", 3)])
def test_codes_unique_and_well_formed(rows, era, level, digits):
    units = pick(rows, era, level)
    codes = [r["code"] for r in units if r["code"]]
    assert all(re.fullmatch(rf"\d{{{digits}}}", c) for c in codes)
    assert len(set(codes)) == len(codes)
    # only a former district whose code the early-2025 list gives another unit (Quận 2: 769) has none
    assert [r["name"] for r in units if not r["code"]] == (["Quận 2"] if level == "district" else [])


def test_names_are_clean(rows):
    type_word = re.compile(r"^(tỉnh|thành phố|huyện|thị xã|quận)\s", re.IGNORECASE)
    for r in rows:
        name = r["name"]
        assert name == nfc(name).strip() and "  " not in name, name
        if type_word.match(name):                          # only numbered districts keep the word
            assert re.fullmatch(r"Quận \d+", name), name
    # province names are unique within an era, district names within a province up to a suffix
    for era in ("pre2025", "2025"):
        names = [key(r["name"]) for r in pick(rows, era, "province")]
        assert len(set(names)) == len(names)
    by_province = Counter((r["province"], key(r["name"])) for r in pick(rows, "pre2025", "district"))
    assert max(by_province.values()) == 1


def test_every_district_has_its_province(rows):
    provinces = {r["code"]: r["name"] for r in pick(rows, "pre2025", "province")}
    for d in pick(rows, "pre2025", "district"):
        assert provinces.get(d["province_code"]) == d["province"], d
    assert all(not r["province"] and not r["province_code"] for r in rows if r["level"] == "province")
    per_province = Counter(d["province_code"] for d in pick(rows, "pre2025", "district"))
    assert set(per_province) == set(provinces)            # no province without districts


def test_successors(rows):
    new = {r["code"]: r["name"] for r in pick(rows, "2025", "province")}
    old = pick(rows, "pre2025", "province")
    for p in old:
        assert new.get(p["successor_code"]) == p["successor"], p
    absorbed = Counter(p["successor"] for p in old)
    assert set(absorbed) == set(new.values())              # every 2025 province has a predecessor
    assert sum(absorbed.values()) == 63
    # each 2025 province kept the name of one of the provinces it absorbed
    old_names = {p["name"] for p in old}
    assert set(new.values()) <= old_names
    assert {p["name"] for p in old if p["successor"] == "Quảng Ngãi"} == {"Quảng Ngãi", "Kon Tum"}
    assert {p["name"] for p in old if p["successor"] == "Hồ Chí Minh"} == {
        "Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"}
    # a former district names the district it went into (test_former_districts_...); no other district has one
    assert all(not r["successor"] for r in rows if r["era"] == "2025" or
               (r["level"] == "district" and r["valid_to"] == "2025-06-30"))


def test_validity_dates(rows):
    for r in rows:
        if r["era"] == "pre2025" and r["successor"] and r["level"] == "district":     # merged 2021-2025
            hand = r["province"] == "Hồ Chí Minh"          # Quận 2, 9: Nghị quyết 1111/NQ-UBTVQH14
            assert (r["valid_from"], r["valid_to"]) == ("", "2020-12-31" if hand else "2025-01-03")
        elif r["era"] == "pre2025":
            assert (r["valid_from"], r["valid_to"]) == ("", "2025-06-30")
        else:
            assert (r["valid_from"], r["valid_to"]) == ("2025-07-01", "")


def test_coordinates_are_in_vietnam(rows):
    for r in rows:
        if r["level"] == "district" and r["successor"] and not r["lat"]:
            continue                         # a former district: neither its source has coordinates
        lat, lon = float(r["lat"]), float(r["lon"])
        assert 8 < lat < 24 and 102 < lon < 110, r


def test_aliases_name_one_unit_within_an_era_and_level(rows):
    for era, level in (("pre2025", "province"), ("2025", "province"), ("pre2025", "district")):
        owner: dict[tuple[str, str], str] = {}
        for r in pick(rows, era, level):
            scope = r["province"] if level == "district" else ""
            for s in (r["name"], *r["aliases"].split("|")):
                if not s:
                    continue
                k = (scope, key(s))
                assert owner.setdefault(k, r["code"]) == r["code"], (era, level, s)


def test_aliases_never_name_another_district(rows):
    """An alias of one district must not be the name of another, in any province."""
    names: dict[str, set[str]] = {}
    for r in pick(rows, "pre2025", "district"):
        names.setdefault(key(r["name"]), set()).add(r["code"])
    for r in pick(rows, "pre2025", "district"):
        for a in filter(None, r["aliases"].split("|")):
            assert names.get(key(a), {r["code"]}) == {r["code"]}, (r["name"], a)


def test_aliases_are_clean(rows):
    for r in rows:
        aliases = [a for a in r["aliases"].split("|") if a]
        assert len(aliases) == len(set(aliases)), r["name"]
        assert r["name"] not in aliases
        assert all(a == a.strip() and unicodedata.is_normalized("NFC", a) for a in aliases), r["name"]


def test_required_aliases(rows):
    def aliases(era: str, level: str, name: str) -> set[str]:
        (r,) = [r for r in pick(rows, era, level) if r["name"] == name]
        return set(r["aliases"].split("|"))

    assert {"Đắc Lắc", "Dak Lak", "Đăk Lăk"} <= aliases("pre2025", "province", "Đắk Lắk")
    assert {"Thừa Thiên Huế", "Thừa Thiên - Huế"} <= aliases("pre2025", "province", "Huế")
    assert {"TP. Hồ Chí Minh", "TP HCM", "Thành phố Hồ Chí Minh", "Sài Gòn"} <= aliases(
        "pre2025", "province", "Hồ Chí Minh")
    assert "Bà Rịa-Vũng Tàu" in aliases("pre2025", "province", "Bà Rịa - Vũng Tàu")
    assert {"Ia H' Drai", "Ia H’Drai", "Ia HDrai"} <= aliases("pre2025", "district", "Ia H'Drai")
    assert {"Kbang", "K'Bang"} <= aliases("pre2025", "district", "KBang")
    assert "Đắc Lắc" in aliases("2025", "province", "Đắk Lắk")


# -- the build script's rules (no network: it is fed a tiny stand-in for the package data) ----------

@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("build_gazetteer", SCRIPT)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_alias_rules(script):
    assert script.syllable_variants("Đắk Lắk")[:4] == ["Đăk Lăk", "Đak Lak", "Dak Lak", "Đắc Lắc"]
    assert "Đắk Lắc" in script.syllable_variants("Đắk Lắk")
    assert script.syllable_variants("Đăk Hà") == ["Đắk Hà", "Đak Hà", "Dak Hà", "Đắc Hà"]
    assert script.apostrophe_variants("Cư M'gar") == ["Cư M' gar", "Cư M’gar", "Cư Mgar"]
    assert script.aliases_for("Gia Lai") == []


def test_build_rows_from_package_shapes(script):
    legacy = {
        "DICT_PROVINCE": {
            "tinhkontum": {"province": "Tỉnh Kon Tum", "provinceShort": "Kon Tum", "provinceCode": "62",
                           "provinceLat": 14.35, "provinceLon": 108.0},
            "tinhquangngai": {"province": "Tỉnh Quảng Ngãi", "provinceShort": "Quảng Ngãi",
                              "provinceCode": "51", "provinceLat": 15.1, "provinceLon": 108.8}},
        "DICT_PROVINCE_DISTRICT": {
            "tinhkontum": {"huyeniahdrai": {"district": "Huyện Ia H'Drai", "districtType": "Huyện",
                                            "districtShort": "Ia H'Drai", "districtCode": "618",
                                            "districtLat": 14.5, "districtLon": 107.9}},
            "tinhquangngai": {"thanhphoquangngai": {"district": "Thành phố Quảng Ngãi",
                                                    "districtType": "Thành phố",
                                                    "districtShort": "Quảng Ngãi", "districtCode": "522",
                                                    "districtLat": 15.1, "districtLon": 108.8}}},
    }
    new = {"DICT_PROVINCE": {"tinhquangngai": {"province": "Tỉnh Quảng Ngãi", "provinceShort": "Quảng Ngãi",
                                               "provinceCode": "51", "provinceLat": 15.0,
                                               "provinceLon": 108.5}}}
    conv = {"DICT_PROVINCE": {"tinhquangngai": ["tinhquangngai", "tinhkontum"]}}
    rows = script.build_rows(legacy, new, conv)
    assert [(r["era"], r["level"], r["code"], r["name"], r["type"]) for r in rows] == [
        ("pre2025", "province", "51", "Quảng Ngãi", "tỉnh"),
        ("pre2025", "province", "62", "Kon Tum", "tỉnh"),
        ("pre2025", "district", "522", "Quảng Ngãi", "thành phố"),
        ("pre2025", "district", "618", "Ia H'Drai", "huyện"),
        ("2025", "province", "51", "Quảng Ngãi", "tỉnh"),
    ]
    assert rows[1]["successor"] == "Quảng Ngãi" and rows[1]["successor_code"] == "51"
    assert rows[3]["province"] == "Kon Tum" and rows[3]["aliases"].startswith("Ia H' Drai")
    text = script.render(rows)
    assert text.splitlines()[0] == ",".join(COLUMNS)


def _communes():
    path = Path(__file__).resolve().parents[1] / "cascade" / "resources" / "gazetteer_communes.csv"
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_commune_counts_types_and_parents():
    rows = _communes()
    pre = [r for r in rows if r["era"] == "pre2025"]
    new = [r for r in rows if r["era"] == "2025"]
    assert 10_000 <= len(pre) <= 10_100 and len(new) == 3321          # GSO early 2025; 3,321 from 1 July 2025
    assert {r["type"] for r in pre} == {"xã", "phường", "thị trấn"}
    assert {r["type"] for r in new} == {"xã", "phường", "đặc khu"}
    assert all(r["district"] and r["district_code"] for r in pre)
    assert not any(r["district"] for r in new)                          # no district level after the reform
    for era in ("pre2025", "2025"):
        codes = [r["code"] for r in rows if r["era"] == era]
        assert len(codes) == len(set(codes)) and all(len(c) == 5 and c.isdigit() for c in codes)


def test_every_pre2025_commune_sits_in_a_district_of_its_province(rows):
    districts = {(r["province"], r["name"], r["code"]) for r in rows if r["level"] == "district"}
    for r in _communes():
        if r["era"] == "pre2025":
            assert (r["province"], r["district"], r["district_code"]) in districts, r


def test_hand_former_districts_keep_a_free_code_and_give_up_a_taken_one(script, monkeypatch):
    def row(level: str, code: str, name: str, province: str = "", pcode: str = "") -> dict[str, str]:
        return {"era": "pre2025", "level": level, "code": code, "name": name, "province": province,
                "province_code": pcode}

    rows = [row("province", "48", "Đà Nẵng"), row("district", "490", "Liên Chiểu", "Đà Nẵng", "48"),
            row("district", "491", "Thanh Khê", "Đà Nẵng", "48")]
    hand = {"province": "Đà Nẵng", "type": "quận", "valid_to": "2019-12-31", "successor": "Thanh Khê",
            "basis": "made up for the test"}
    monkeypatch.setattr(script, "HAND_FORMER_DISTRICTS", (
        dict(hand, name="Quận Cũ", gso_code="490"), dict(hand, name="Quận Khác", gso_code="499")))
    out = script.build_hand_former_rows(rows)
    assert [(r["name"], r["code"], r["valid_to"], r["successor"], r["successor_code"]) for r in out] == [
        ("Quận Cũ", "", "2019-12-31", "Thanh Khê", "491"),
        ("Quận Khác", "499", "2019-12-31", "Thanh Khê", "491")]
    monkeypatch.setattr(script, "HAND_FORMER_DISTRICTS", (dict(hand, name="Liên Chiểu", gso_code="480"),))
    with pytest.raises(ValueError, match="still a district"):
        script.build_hand_former_rows(rows)


def test_committed_hand_former_districts_match_the_script(rows, script):
    former = {(r["province"], r["name"]): r for r in pick(rows, "pre2025", "district")}
    for h in script.HAND_FORMER_DISTRICTS:
        r = former[h["province"], h["name"]]
        assert (r["valid_to"], r["successor"], r["type"]) == (h["valid_to"], h["successor"], h["type"])
        assert r["code"] in (h["gso_code"], "")
