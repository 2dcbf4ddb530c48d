"""resolve: one node per real document, jurisdictions, year splits, conflicts, corpus placement."""
from cascade.extract.pipeline import extract_text
from cascade.identity.documents import doc_key, resolve


def plan(source: str, body: str, header: str = "KẾ HOẠCH\n\nNội dung\n\n"):
    return extract_text(header + body, source)


def test_local_numbers_belong_to_their_province():
    a = plan("a.txt", "Thực hiện Kế hoạch số 07-KH/TU ngày 23/12/2020 của Ban Thường vụ Tỉnh ủy, "
                      "UBND tỉnh Đắk Lắk ban hành kế hoạch:\n")
    b = plan("b.txt", "Thực hiện Kế hoạch số 07-KH/TU ngày 02/3/2021 của Ban Thường vụ Tỉnh ủy, "
                      "UBND tỉnh Gia Lai ban hành kế hoạch:\n")
    c = resolve([a, b])
    assert {"07-KH/TU@Đắk Lắk", "07-KH/TU@Gia Lai"} <= set(c.nodes)
    assert c.nodes["07-KH/TU@Gia Lai"].date == "2021-03-02"


def test_a_cited_document_and_the_input_file_that_is_it_are_one_node():
    provincial = extract_text("TỈNH ỦY GIA LAI\n*\nSố 25-KH/TU\nGia Lai, ngày 19 tháng 4 năm 2021"
                              "\n\nKẾ HOẠCH\n\n"
                              "Thực hiện Kết luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư\n", "p.txt")
    district = plan("d.txt", "Thực hiện Kế hoạch số 25-KH/TU, ngày 19/4/2021 của Ban Thường vụ Tỉnh ủy, "
                             "Ban Thường vụ Huyện ủy xây dựng kế hoạch triển khai "
                             "trên địa bàn huyện Phú Thiện:\n")
    c = resolve([provincial, district])
    assert c.record_nodes["p.txt"] == "25-KH/TU@Gia Lai"
    assert c.nodes["25-KH/TU@Gia Lai"].source == "p.txt" and c.nodes["25-KH/TU@Gia Lai"].cited == 1
    edges = {(e.source, e.type, e.target) for e in c.edges}
    assert ("file:d.txt", "implements", "25-KH/TU@Gia Lai") in edges
    assert ("25-KH/TU@Gia Lai", "implements", "93-KL/TW") in edges


def test_conflicting_dates_are_kept_with_their_sources():
    a = plan("a.txt", "I. NỘI DUNG\n\n1. Theo Kết luận số 52-KL/TW ngày 30/5/2012 của Ban Bí thư.\n")
    b = plan("b.txt", "I. NỘI DUNG\n\n1. Theo Kết luận số 52-KL/TW ngày 30/5/2019 của Ban Bí thư.\n")
    c = resolve([a, b])
    assert len([k for k in c.nodes if k.startswith("52-KL/TW")]) == 1
    [conflict] = c.conflicts
    got = {v["value"]: v["sources"] for v in conflict.to_dict()["values"]}
    assert got == {"2012-05-30": ["a.txt"], "2019-05-30": ["b.txt"]}


def test_same_number_reused_in_another_year_is_kept_apart():
    def tu(src: str, day: str) -> object:
        return extract_text(f"TỈNH ỦY KON TUM\n*\nSố 07-KH/TU\nKon Tum, ngày {day}"
                             "\n\nKẾ HOẠCH\n\nNội dung\n", src)
    c = resolve([tu("x.txt", "03 tháng 3 năm 2016"), tu("y.txt", "05 tháng 5 năm 2021")])
    assert {c.record_nodes["x.txt"], c.record_nodes["y.txt"]} == {"07-KH/TU@Kon Tum#2016",
                                                                  "07-KH/TU@Kon Tum#2021"}
    assert any("different years" in w for w in c.warnings)


def test_ambiguous_district_is_placed_where_its_sources_are():
    parent = extract_text("TỈNH ỦY ĐỒNG THÁP\n*\nSố 39-KH/TU\nĐồng Tháp, ngày 18 tháng 11 năm 2021"
                          "\n\nKẾ HOẠCH\n\n"
                          "Thực hiện Kết luận số 12-KL/TW ngày 05/9/2021 của Ban Bí thư\n", "p.txt")
    child = extract_text("HUYỆN ỦY TAM NÔNG\n*\nSố 09-KH/HU"
                         "\n\nKẾ HOẠCH\n\nThực hiện Kế hoạch số 39-KH/TU ngày "
                         "18/11/2021 của Ban Thường vụ Tỉnh ủy, Ban Thường vụ ban hành kế hoạch:\n", "c.txt")
    assert child.meta.candidates                                  # Tam Nông is in Phú Thọ and Đồng Tháp
    c = resolve([parent, child])
    placed = {r.source: r for r in c.records}["c.txt"]
    assert (placed.meta.province, placed.meta.district) == ("Đồng Tháp", "Tam Nông")
    assert ("09-KH/HU@Đồng Tháp/Tam Nông", "implements", "39-KH/TU@Đồng Tháp") in {
        (e.source, e.type, e.target) for e in c.edges}


def test_doc_key_forms():
    assert doc_key("93-KL/TW", "central") == "93-KL/TW"
    assert doc_key("5/KH-UBND", "district", "Kon Tum", None) == "5/KH-UBND@Kon Tum/?"


def test_a_party_number_cited_from_another_term_is_another_document():
    provincial = extract_text("TỈNH ỦY GIA LAI\n*\nSố 07-KH/TU\nGia Lai, ngày 23 tháng 12 năm 2020"
                              "\n\nKẾ HOẠCH\n\n"
                              "Thực hiện Kết luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư\n", "p.txt")

    def citing(src: str, date: str) -> object:
        return plan(src, f"Thực hiện Kế hoạch số 07-KH/TU ngày {date} của Ban Thường vụ Tỉnh ủy, "
                         "Ban Thường vụ Huyện ủy xây dựng kế hoạch triển khai "
                         "trên địa bàn huyện Phú Thiện:\n")
    c = resolve([provincial, citing("old.txt", "10/3/2016"), citing("same.txt", "05/01/2021"),
                 citing("season.txt", "15/8/2020")])
    target = {r: c.mention_nodes[(r, "m1")] for r in ("old.txt", "same.txt", "season.txt")}
    # 2016 is the 2015-2020 term: another plan that happened to get number 07
    assert target["old.txt"] == "07-KH/TU@Gia Lai#2016"
    # January 2021 is the file's term; August 2020 may be either (congress season): not split
    assert target["same.txt"] == target["season.txt"] == "07-KH/TU@Gia Lai" == c.record_nodes["p.txt"]


def test_party_terms_follow_the_congresses():
    from cascade.identity.documents import party_term
    assert party_term("2016-01-25", central=True) is None            # the 12th Congress sat in January 2016
    assert party_term("2016-03-01", central=True) == 2016
    assert party_term("2015-09-30", central=True) == 2011
    assert party_term("2015-03-01", central=False) == 2010 and party_term("2015-11-20", central=False) == 2015
    assert party_term("2024", central=False) == 2020 and party_term(None, central=False) is None


# -- input files whose header lost its number ------------------------------------------------------

def _no_header(source: str, body: str):
    return extract_text("KẾ HOẠCH\n\n" + body, source)


PROVINCE_PLAN = ("Thực hiện Kết luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư; Ủy ban nhân dân tỉnh "
                 "ban hành Kế hoạch triển khai thực hiện trên địa bàn tỉnh Gia Lai như sau:\n")


def _district_citing(source: str, number: str, date: str, directive: str = "93-KL/TW ngày 20/11/2020",
                     district: str = "Phú Thiện"):
    return _no_header(source, f"Thực hiện Kế hoạch số {number} ngày {date} của UBND tỉnh Gia Lai thực "
                              f"hiện Kết luận số {directive} của Ban Bí thư; Ủy ban nhân dân huyện ban hành "
                              f"Kế hoạch triển khai thực hiện trên địa bàn huyện {district} như sau:\n")


def test_an_unnumbered_file_becomes_the_number_others_cite_it_by():
    u = _no_header("u.txt", PROVINCE_PLAN)
    assert u.meta.number is None and u.meta.province == "Gia Lai"
    d = _district_citing("d.txt", "45/KH-UBND", "15/01/2021")
    c = resolve([u, d])
    assert c.record_nodes["u.txt"] == "45/KH-UBND@Gia Lai"
    assert not [k for k in c.nodes if k == "file:u.txt"]
    n = c.nodes["45/KH-UBND@Gia Lai"]
    assert n.source == "u.txt" and n.cited == 1 and n.date == "2021-01-15" and n.confidence >= 0.9
    [m] = c.matches
    assert m.sure and m.source == "u.txt" and any("93-KL/TW" in why for why in m.reasons)
    edges = {(e.source, e.type, e.target) for e in c.edges}
    assert ("45/KH-UBND@Gia Lai", "implements", "93-KL/TW") in edges
    assert ("file:d.txt", "implements", "45/KH-UBND@Gia Lai") in edges


def test_two_unnumbered_files_go_to_the_numbers_of_their_own_directives():
    u1 = _no_header("u1.txt", PROVINCE_PLAN)
    u2 = _no_header("u2.txt", PROVINCE_PLAN.replace("Kết luận số 93-KL/TW ngày 20/11/2020",
                                                    "Chỉ thị số 35-CT/TW ngày 30/5/2019"))
    d1 = _district_citing("d1.txt", "45/KH-UBND", "15/01/2021")
    d2 = _district_citing("d2.txt", "12/KH-UBND", "02/8/2019", directive="35-CT/TW ngày 30/5/2019")
    c = resolve([u1, u2, d1, d2])
    got = (c.record_nodes["u1.txt"], c.record_nodes["u2.txt"])
    assert got == ("45/KH-UBND@Gia Lai", "12/KH-UBND@Gia Lai")
    assert all(m.sure for m in c.matches)


def test_a_weakly_preferred_match_is_a_guess_with_a_warning():
    u = _no_header("u.txt", PROVINCE_PLAN.replace("Ban Bí thư;", "Ban Bí thư và Chỉ thị số 35-CT/TW ngày "
                                                                 "30/5/2019 của Bộ Chính trị;"))
    # both numbers are plans of the province for 93-KL/TW; only the first is cited beside 35-CT/TW too
    d1 = _no_header("d1.txt", "Căn cứ Kế hoạch số 45/KH-UBND ngày 15/01/2021 của UBND tỉnh Gia Lai, Kết "
                              "luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư và Chỉ thị số 35-CT/TW ngày "
                              "30/5/2019 của Bộ Chính trị; Ủy ban nhân dân huyện ban hành Kế hoạch thực hiện "
                              "trên địa bàn huyện Phú Thiện như sau:\n")
    d2 = _no_header("d2.txt", "Căn cứ Kế hoạch số 50/KH-UBND ngày 20/02/2021 của UBND tỉnh Gia Lai và Kết "
                              "luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư; Ủy ban nhân dân huyện ban "
                              "hành Kế hoạch thực hiện trên địa bàn huyện Ia Pa như sau:\n")
    c = resolve([u, d1, d2])
    assert c.record_nodes["u.txt"] == "45/KH-UBND@Gia Lai"
    [m] = c.matches
    assert not m.sure and 0.5 <= m.confidence < 0.9
    assert c.nodes["45/KH-UBND@Gia Lai"].confidence == m.confidence
    assert any("u.txt" in w and "guessed" in w for w in c.warnings)
    assert "50/KH-UBND@Gia Lai" in c.nodes and c.nodes["50/KH-UBND@Gia Lai"].source is None


def test_a_tie_is_left_apart_with_a_warning():
    u1 = _no_header("u1.txt", PROVINCE_PLAN)
    u2 = _no_header("u2.txt", PROVINCE_PLAN)
    d = _district_citing("d.txt", "45/KH-UBND", "15/01/2021")
    c = resolve([u1, u2, d])
    assert not c.matches
    assert {c.record_nodes["u1.txt"], c.record_nodes["u2.txt"]} == {"file:u1.txt", "file:u2.txt"}
    assert c.nodes["45/KH-UBND@Gia Lai"].source is None
    assert any("45/KH-UBND@Gia Lai" in w and "left apart" in w for w in c.warnings)


def test_no_match_across_what_the_two_sides_say():
    d = _district_citing("d.txt", "45/KH-UBND", "15/01/2021")
    # another province; another branch; a header date that contradicts the citation; a file citing the number
    elsewhere = _no_header("x1.txt", PROVINCE_PLAN.replace("Gia Lai", "Kon Tum"))
    party = _no_header("x2.txt", PROVINCE_PLAN.replace("Ủy ban nhân dân tỉnh", "Ban Thường vụ Tỉnh ủy"))
    dated = extract_text("Gia Lai, ngày 03 tháng 3 năm 2021\n\nKẾ HOẠCH\n\n" + PROVINCE_PLAN, "x3.txt")
    citing = _no_header("x4.txt", PROVINCE_PLAN.replace("Ban Bí thư;", "Ban Bí thư và Kế hoạch số 45/KH-UBND "
                                                                       "ngày 15/01/2021 của UBND tỉnh;"))
    assert dated.meta.date == "2021-03-03" and party.meta.branch == "party"
    for other in (elsewhere, party, dated, citing):
        c = resolve([other, d])
        assert not c.matches, other.source
        assert c.record_nodes[other.source] == f"file:{other.source}"


def test_input_files_that_carry_numbers_are_never_merged_with_another_number():
    numbered = extract_text("ỦY BAN NHÂN DÂN\nTỈNH GIA LAI\n-------\nSố: 46/KH-UBND\n\nGia Lai, ngày 15 "
                            "tháng 01 năm 2021\n\nKẾ HOẠCH\n\n" + PROVINCE_PLAN, "n.txt")
    d = _district_citing("d.txt", "45/KH-UBND", "15/01/2021")
    c = resolve([numbered, d])
    assert c.record_nodes["n.txt"] == "46/KH-UBND@Gia Lai" and not c.matches
    assert c.nodes["45/KH-UBND@Gia Lai"].source is None


def test_a_province_under_its_former_name_is_the_same_province():
    # a plan headed with the province's name of its day, cited later under the name of the citing plan
    own = extract_text("TỈNH ỦY THỪA THIÊN HUẾ\n*\nSố 44-KH/TU\nHuế, ngày 24 tháng 11 năm 2020\n\n"
                       "KẾ HOẠCH\n\nThực hiện Kết luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư\n",
                       "own.txt")
    citing = plan("c.txt", "Thực hiện Kế hoạch số 44-KH/TU ngày 24/11/2020 của Ban Thường vụ Thành ủy Huế, "
                           "Ban Thường vụ Huyện ủy ban hành kế hoạch trên địa bàn huyện Phú Vang:\n")
    c = resolve([own, citing])
    key = c.record_nodes["own.txt"]
    assert [k for k in c.nodes if k.startswith("44-KH/TU")] == [key]
    assert c.nodes[key].cited == 1 and c.nodes[key].source == "own.txt"


def test_an_unnumbered_file_matches_a_number_cited_under_the_province_s_other_name():
    # a blank number ("Số:   /KH-UBND"): the header names the province as it was called on its date
    u = extract_text("ỦY BAN NHÂN DÂN\nTỈNH THỪA THIÊN HUẾ\n-------\nSố:     /KH-UBND\n\nHuế, ngày 15 "
                     "tháng 01 năm 2021\n\nKẾ HOẠCH\n\nThực hiện Kết luận số 93-KL/TW ngày 20/11/2020 của "
                     "Ban Bí thư\n", "u.txt")
    d = _no_header("d.txt", "Thực hiện Kế hoạch số 45/KH-UBND ngày 15/01/2021 của UBND thành phố Huế thực "
                            "hiện Kết luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư; Ủy ban nhân dân huyện "
                            "ban hành Kế hoạch triển khai thực hiện trên địa bàn huyện Phú Vang như sau:\n")
    assert {u.meta.province, d.mentions[0].province} == {"Thừa Thiên Huế", "Huế"}
    c = resolve([u, d])
    assert c.record_nodes["u.txt"].startswith("45/KH-UBND@Huế") and len(c.matches) == 1
