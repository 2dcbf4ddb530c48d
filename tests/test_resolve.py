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
    provincial = extract_text("TỈNH ỦY GIA LAI\n*\nSố 25-KH/TU\nGia Lai, ngày 19 tháng 4 năm 2021\n\nKẾ HOẠCH\n\n"
                              "Thực hiện Kết luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư\n", "p.txt")
    district = plan("d.txt", "Thực hiện Kế hoạch số 25-KH/TU, ngày 19/4/2021 của Ban Thường vụ Tỉnh ủy, "
                             "Ban Thường vụ Huyện ủy xây dựng kế hoạch triển khai trên địa bàn huyện Phú Thiện:\n")
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
        return extract_text(f"TỈNH ỦY KON TUM\n*\nSố 07-KH/TU\nKon Tum, ngày {day}\n\nKẾ HOẠCH\n\nNội dung\n", src)
    c = resolve([tu("x.txt", "03 tháng 3 năm 2016"), tu("y.txt", "05 tháng 5 năm 2021")])
    assert {c.record_nodes["x.txt"], c.record_nodes["y.txt"]} == {"07-KH/TU@Kon Tum#2016", "07-KH/TU@Kon Tum#2021"}
    assert any("different years" in w for w in c.warnings)


def test_ambiguous_district_is_placed_where_its_sources_are():
    parent = extract_text("TỈNH ỦY ĐỒNG THÁP\n*\nSố 39-KH/TU\nĐồng Tháp, ngày 18 tháng 11 năm 2021\n\nKẾ HOẠCH\n\n"
                          "Thực hiện Kết luận số 12-KL/TW ngày 05/9/2021 của Ban Bí thư\n", "p.txt")
    child = extract_text("HUYỆN ỦY TAM NÔNG\n*\nSố 09-KH/HU\n\nKẾ HOẠCH\n\nThực hiện Kế hoạch số 39-KH/TU ngày "
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
    provincial = extract_text("TỈNH ỦY GIA LAI\n*\nSố 07-KH/TU\nGia Lai, ngày 23 tháng 12 năm 2020\n\nKẾ HOẠCH\n\n"
                              "Thực hiện Kết luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư\n", "p.txt")

    def citing(src: str, date: str) -> object:
        return plan(src, f"Thực hiện Kế hoạch số 07-KH/TU ngày {date} của Ban Thường vụ Tỉnh ủy, "
                         "Ban Thường vụ Huyện ủy xây dựng kế hoạch triển khai trên địa bàn huyện Phú Thiện:\n")
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
