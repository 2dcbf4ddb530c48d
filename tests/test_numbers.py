"""numbers: Party and state numbers, canonical forms, who issued them, what is not a number."""
import pytest

from cascade.extract.numbers import find_numbers, parse_number, with_type_code


@pytest.mark.parametrize("text, canon, family, type_, level", [
    ("07-KH/TU", "07-KH/TU", "party", "Kế hoạch", "province"),
    ("Số 01 - NQ/ĐUK", None, None, None, None),                   # "Số" is not part of a number
    ("01 - NQ/ĐUK", "01-NQ/ĐUK", "party", "Nghị quyết", "province"),
    ("858CV/ĐUK", "858-CV/ĐUK", "party", "Công văn", "province"),
    ("08-QĐi/TW", "08-QĐi/TW", "party", "Quy định", "central"),
    ("57-Ctr/TU", "57-CTr/TU", "party", "Chương trình", "province"),
    ("12-KH/HU", "12-KH/HU", "party", "Kế hoạch", "district"),
    ("2629/KH-UBND", "2629/KH-UBND", "state", "Kế hoạch", "local"),
    ("28/2016/QĐ-UBND", "28/2016/QĐ-UBND", "state", "Quyết định", "local"),
    ("140/2017/NĐ-CP", "140/2017/NĐ-CP", "state", "Nghị định", "central"),
    ("569/QD-TTG", None, None, None, None),                          # QD without Đ is not a known code
    ("569/QĐ-TTG", "569/QĐ-TTg", "state", "Quyết định", "central"),
    ("327/BNV-TCPCP", "327/BNV-TCPCP", "state", "Công văn", "central"),
    ("80/2015/QH13", "80/2015/QH13", "state", "Luật", "central"),
    ("66.25/2026/NQ-CP", "66.25/2026/NQ-CP", "state", "Nghị quyết", "central"),
    ("2667/QĐ-BKH-CN", "2667/QĐ-BKHCN", "state", "Quyết định", "central"),
])
def test_parse(text, canon, family, type_, level):
    n = parse_number(text)
    if canon is None:
        assert n is None
        return
    assert (n.text, n.family, n.type, n.level) == (canon, family, type_, level)


@pytest.mark.parametrize("text", ["2021-2025", "giai đoạn 2021 - 2025", "30/6/2022", "05/12", "Quý III/2021",
                                  "kinh tế - xã hội", "KT-XH", "1/2", "12-KH/UBND"])
def test_not_numbers(text):
    assert find_numbers(text) == []


def test_find_numbers_spans():
    text = "Căn cứ Quyết định số 28/2016/QĐ-UBND ngày 01/7/2016 và Kế hoạch số 07-KH/TU ngày 23/12/2020"
    got = [(n.text, text[a:b]) for n, a, b in find_numbers(text)]
    assert got == [("28/2016/QĐ-UBND", "28/2016/QĐ-UBND"), ("07-KH/TU", "07-KH/TU")]


def test_with_type_code_fixes_a_typo():
    assert with_type_code(parse_number("93-NQ/TW"), "KL") == "93-KL/TW"
    assert with_type_code(parse_number("12/QĐ-UBND"), "KH") == "12/KH-UBND"


def test_find_numbers_as_a_whole_text_search():
    """The slash-by-slash search finds what NUMBER_RE over the text finds in ordinary text."""
    from cascade.extract.numbers import NUMBER_RE, _from_match
    text = ("Căn cứ Quyết định số 28 / 2016 / QĐ-UBND ngày 01/7/2016, V/v triển khai, Kế hoạch 07 - KH/TU, "
            "858CV/ĐUK, 1/2 số, 12-KH/UBND, 2667/QĐ-BKH-CN và Luật số 80/2015/QH13; 12/2021 và 30/6/2022.")
    plain = [(_from_match(m).text, m.start(), m.end()) for m in NUMBER_RE.finditer(text) if _from_match(m)]
    assert [(n.text, a, b) for n, a, b in find_numbers(text)] == plain


# -- numbers as conversions print them (issue 10, class 4) ------------------------------------------

@pytest.mark.parametrize("printed, canon, repaired", [
    ("41c/NQCP", "41c/NQ-CP", True),                 # the hyphen lost in PDF text
    ("812/QĐBYT", "812/QĐ-BYT", True),
    ("23-KH/TƯ", "23-KH/TU", True),                  # Ư misread for U
    ("2040 QĐ/TWĐTN", "2040-QĐ/TWĐTN", False),       # a space for the hyphen
    ("15/CT-TW", "15-CT/TW", True),                  # a Party number printed in state order
    ("7/ĐA-HU", "7-ĐA/HU", True),
    ("33/2011/NQ-QH13", "33/2011/QH13", True),       # the National Assembly's resolutions carry no NQ
    ("402/TTr-PGD.Q3", "402/TTr-PGD.Q3", False),     # a dotted unit code
])
def test_damaged_numbers_are_read_back(printed, canon, repaired):
    n = parse_number(printed)
    assert n is not None and n.text == canon
    assert (n.repair is not None) == repaired


def test_a_number_glued_to_the_next_word_gives_the_word_back():
    text = "theo Thông báo số 64-TB/TWngày 2/3/2022 và Công văn 91/UBND-VXvề việc"
    got = [(n.text, text[a:b]) for n, a, b in find_numbers(text)]
    assert got == [("64-TB/TW", "64-TB/TW"), ("91/UBND-VX", "91/UBND-VX")]
    assert [n.text for n, _, _ in find_numbers("Quyết định số 9/QĐ-TTgvề")] == ["9/QĐ-TTg"]


def test_a_type_word_vouches_for_codes_no_table_holds():
    from cascade.extract.numbers import complete_symbol, parse_vouched
    text = "Thực hiện Công văn số 517/KHĐT-KHTC ngày 1/2/2020"
    n, end = parse_vouched(text, text.index("517"))
    assert (n.text, n.type, text[end - 4:end]) == ("517/KHĐT-KHTC", "Công văn", "KHTC")
    assert parse_number("517/KHĐT-KHTC") is None                 # without the type word: not a number
    n, _ = parse_vouched("Tờ trình số 88TT-SNV ngày", 12)
    assert (n.text, n.repair) == ("88/TT-SNV", "slash restored")
    n, _ = parse_vouched("Quyết định số 45/2009/QĐ ngày", 14)         # the issuer code left out
    assert n.text == "45/2009/QĐ" and complete_symbol(n, "Thủ tướng Chính phủ").text == "45/2009/QĐ-TTg"
    assert complete_symbol(n, "UBND tỉnh") is None                      # not a central body: no guess


# -- type by family (class 7) ------------------------------------------------------------------------

def test_type_codes_are_read_by_branch():
    from cascade.extract.numbers import doc_type
    assert parse_number("12-TT/TU").type == "Thông tri"               # a Party Thông tri
    assert parse_number("12/2019/TT-BTC").type == "Thông tư"          # a state Thông tư
    assert doc_type("TT", "party")[1] == "Thông tri" and doc_type("TT", "state")[1] == "Thông tư"
    assert parse_number("80-CTHĐ/TU").type == "Chương trình"
