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
