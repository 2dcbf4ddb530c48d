"""references: mentions of other documents, their jurisdiction, and the relations each carries."""
from cascade.extract.header import extract_metadata
from cascade.extract.references import extract_references
from cascade.text.normalize import clean


def refs(text: str):
    ct = clean(text)
    meta, header_end, title_end, _ = extract_metadata(ct, "t.txt")
    mentions, relations, warnings = extract_references(ct, meta, "t.txt", title_end=title_end,
                                                       self_number=meta.number, header_end=header_end)
    by_id = {m.id: m for m in mentions}

    def name(i):
        if i == "self":
            return "self"
        m = by_id[i]
        return m.number or f"NQTW{m.plenum}@{m.term}"
    rels = {(name(r.source), r.type, name(r.target)) for r in relations}
    return ct, meta, mentions, rels, warnings


PLAN = """UBND TỈNH ĐẮK LẮK
Số: 123/KH-UBND
Đắk Lắk, ngày 30 tháng 6 năm 2021

KẾ HOẠCH

Triển khai thực hiện Kế hoạch số 07-KH/TU ngày 23/12/2020 của Ban Thường vụ Tỉnh uỷ

Thực hiện Kế hoạch số 07-KH/TU ngày 23/12/2020 của Ban Thường vụ Tỉnh uỷ thực hiện Kết luận số \
93-KL/TW ngày 20/11/2020 của Ban Bí thư Trung ương Đảng về tiếp tục thực hiện Chỉ thị số 42-CT/TW \
ngày 16/4/2010 của Bộ Chính trị (khóa X), UBND tỉnh xây dựng kế hoạch như sau:

Căn cứ Quyết định số 28/2016/QĐ-UBND ngày 01/7/2016 của UBND tỉnh;

I. MỤC ĐÍCH

1. Quán triệt Kế hoạch này và Nghị quyết Trung ương 7 (khóa X); theo Luật Ngân sách nhà nước.
"""


def test_mentions_carry_what_the_text_says():
    ct, meta, mentions, rels, _ = refs(PLAN)
    got = {(m.number, m.date, m.level, m.province) for m in mentions if m.number}
    assert ("07-KH/TU", "2020-12-23", "province", "Đắk Lắk") in got
    assert ("93-KL/TW", "2020-11-20", "central", None) in got
    assert ("42-CT/TW", "2010-04-16", "central", None) in got
    assert ("28/2016/QĐ-UBND", "2016-07-01", "province", "Đắk Lắk") in got
    assert "123/KH-UBND" not in {m.number for m in mentions}          # its own number is not a mention
    plenum = [m for m in mentions if m.plenum]
    assert [(m.plenum, m.term) for m in plenum] == [(7, "X")]
    law = [m for m in mentions if m.type == "Luật"]
    assert law and law[0].summary == "Luật Ngân sách nhà nước" and law[0].number is None


def test_every_span_holds_the_text_it_claims():
    ct, _, mentions, _, _ = refs(PLAN)
    for m in mentions:
        quoted = ct.raw[m.evidence.start:m.evidence.end]
        if m.number:
            assert m.number.split("/")[0] in quoted
        assert quoted in m.evidence.quote


def test_relations_from_title_preamble_and_chains():
    _, _, _, rels, _ = refs(PLAN)
    assert ("self", "implements", "07-KH/TU") in rels
    assert ("07-KH/TU", "implements", "93-KL/TW") in rels
    assert ("93-KL/TW", "continues", "42-CT/TW") in rels
    assert ("self", "based_on", "28/2016/QĐ-UBND") in rels
    assert ("self", "cites", "NQTW7@X") in rels
    assert ("self", "implements", "93-KL/TW") not in rels            # claimed by 07-KH/TU, not by the plan


def test_typo_in_type_code_is_corrected_with_a_warning():
    text = ("KẾ HOẠCH\n\nTriển khai thực hiện Kết luận số 93-KL/TW, ngày 20/11/2020 của Ban Bí thư\n\n"
            "I. NỘI DUNG\n\n1. Tuyên truyền Kết luận số 93-NQ/TW của Ban Bí thư.\n")
    _, _, mentions, _, warnings = refs(text)
    assert {m.number for m in mentions} == {"93-KL/TW"}
    assert any("93-NQ/TW" in w for w in warnings)
    assert any(m.note and "typo" in m.note for m in mentions)


def test_type_word_wins_over_a_contradicting_code_without_other_evidence():
    _, _, mentions, _, _ = refs("Chương trình số 06-CT/TU ngày 31/5/2011 của Ban Thường vụ Tỉnh ủy Đắk Lắk.")
    assert [(m.type, m.number) for m in mentions] == [("Chương trình", "06-CT/TU")]


def test_district_plan_attributes_local_numbers_to_its_jurisdiction():
    text = ("Phú Thiện, ngày 30 tháng 6 năm 2021\n\nKẾ HOẠCH\n\nThực hiện Kế hoạch số 25-KH/TU, "
            "ngày 19/4/2021 của Ban Thường vụ Tỉnh ủy và Kế hoạch số 12-KH/HU của Ban Thường vụ Huyện ủy, "
            "Ban Thường vụ Huyện ủy "
            "xây dựng kế hoạch triển khai trên địa bàn huyện Phú Thiện như sau:\n")
    _, meta, mentions, rels, _ = refs(text)
    assert (meta.province, meta.district, meta.level) == ("Gia Lai", "Phú Thiện", "district")
    got = {m.number: (m.level, m.province, m.district) for m in mentions}
    assert got["25-KH/TU"] == ("province", "Gia Lai", None)
    assert got["12-KH/HU"] == ("district", "Gia Lai", "Phú Thiện")
    assert ("self", "implements", "12-KH/HU") in rels


def test_short_forms_and_aliases_resolve_to_the_full_citation():
    text = ("KẾ HOẠCH\n\nThực hiện Kết luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư (sau đây gọi tắt là "
            "Kết luận số 93), UBND tỉnh Gia Lai ban hành kế hoạch:\n\nI. NỘI DUNG\n\n"
            "1. Quán triệt Kết luận số 93.\n")
    _, _, mentions, rels, _ = refs(text)
    assert {m.number for m in mentions} == {"93-KL/TW"}
    assert any(m.alias for m in mentions)
    assert ("self", "implements", "93-KL/TW") in rels


def test_plural_trigger_types_a_bare_number_list():
    _, _, mentions, _, _ = refs("Thực hiện các Nghị quyết của Bộ Chính trị: số 18-NQ/TW, số 19-NQ/TW.")
    assert [(m.type, m.number) for m in mentions] == [("Nghị quyết", "18-NQ/TW"), ("Nghị quyết", "19-NQ/TW")]


def test_plural_trigger_types_numbers_whose_code_names_no_type():
    # "số ..." after "các Kế hoạch" in the same sentence: the plural type word vouches for each number,
    # one whose codes no table holds too, and its type wins over the code's reading (Công văn)
    _, _, mentions, _, _ = refs("Thực hiện các Kế hoạch của Sở Nội vụ: số 12/SNV ngày 2/3/2021, "
                                "số 3444/LĐTBXH-VPQ ngày 5/3/2021.")
    assert [(m.type, m.number) for m in mentions] == [("Kế hoạch", "12/SNV"), ("Kế hoạch", "3444/LĐTBXH-VPQ")]
    # a sentence end between them: the type word does not reach
    _, _, mentions, _, _ = refs("Thực hiện các Kế hoạch của Sở Nội vụ. Ngày 2/3/2021 Sở gửi số 12/SNV.")
    assert [(m.type, m.number) for m in mentions] == [("Công văn", "12/SNV")]


def test_issuer_first_party_order():
    _, _, mentions, _, _ = refs("Thực hiện Quyết định của Bộ Chính trị số 31-QĐ/TW, ngày 01-10-1997.")
    assert [(m.type, m.number, m.date) for m in mentions] == [("Quyết định", "31-QĐ/TW", "1997-10-01")]


def test_a_period_is_not_a_document():
    _, _, mentions, _, _ = refs("Kế hoạch đầu tư công trung hạn giai đoạn 2021-2025 và năm 2021 - 2025.")
    assert mentions == ()


def test_coordinated_subject_makes_no_chain_claim():
    text = ("KẾ HOẠCH\n\nNội dung\n\nI. NỘI DUNG\n\n1. Trên đây là Kế hoạch triển khai "
            "Kết luận số 93-KL/TW, ngày 20/11/2020 của Ban Bí thư và Kế hoạch số 25-KH/TU, ngày 19/4/2021 "
            "của Tỉnh ủy Gia Lai về tiếp tục "
            "thực hiện Chỉ thị số 42-CT/TW.\n")
    _, _, _, rels, _ = refs(text)
    assert ("25-KH/TU", "continues", "42-CT/TW") not in rels


def test_amends_replaces_and_repeals_where_the_text_says_so():
    text = ("QUYẾT ĐỊNH\n\nSửa đổi, bổ sung một số điều của Quyết định số 28/2016/QĐ-UBND ngày 01/7/2016 "
            "của UBND tỉnh Đắk Lắk\n\nĐiều 1. Nội dung\n\nĐiều 2. Quyết định này thay thế "
            "Quyết định số 12/2015/QĐ-UBND ngày 02/3/2015 "
            "của UBND tỉnh Đắk Lắk và bãi bỏ Quyết định số 05/2014/QĐ-UBND của UBND tỉnh Đắk Lắk.\n")
    _, _, _, rels, _ = refs(text)
    assert ("self", "amends", "28/2016/QĐ-UBND") in rels
    assert ("self", "replaces", "12/2015/QĐ-UBND") in rels
    assert ("self", "repeals", "05/2014/QĐ-UBND") in rels


# -- the fast scans find what the plain whole-text scans find ---------------------------------------

import re  # noqa: E402
from bisect import bisect_left  # noqa: E402

import pytest  # noqa: E402
from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cascade.extract import mentions as R  # noqa: E402

_TRICKY = [
    "Thực hiện Kế hoạch số 07-KH/TU và Kết luận số 93, Nghị quyết số 12 của Trung ương.",
    "thông báo cáo kết quả; công văn bản; nghị quyết định hướng; KẾ HOẠCH 15 và kế Hoạch 7",
    "Nghị quyết Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XII, Nghị quyết Trung ương 5 (khoá X)",
    "Luật Đất đai Luật Xây dựng và Bộ luật Lao động; Hiến pháp năm 2013; luật sư",
    "xkế hoạch 12 Kế hoạch số:   45 ngày 1/2/2021; Chỉ thị số 05-CT/TU, CT 3",
    "İstanbul Kế hoạch 5 \u212aH 7 Thông tư liên tịch số 9 thông tri 3",
]


def _plain_type_starts(text):
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    words = re.compile("|".join(re.escape(w) for w in sorted(R.TYPE_WORDS, key=len, reverse=True)))
    return [a for a in (m.start() for m in words.finditer(low)) if not (a and low[a - 1].isalnum())]


@pytest.mark.parametrize("text", _TRICKY)
def test_type_starts_as_a_plain_alternation(text):
    assert R._type_starts(text) == _plain_type_starts(text)


@pytest.mark.parametrize("text", _TRICKY)
def test_short_hints_as_a_whole_text_scan(text):
    starts = R._type_starts(text)
    plain = [h.span() for h in R._SHORT_HINT.finditer(text)
             if (k := bisect_left(starts, h.start()) - 1) >= 0 and h.start() - starts[k] <= 40]
    assert [h.span() for h in R._short_hints(text, starts)] == plain


@pytest.mark.parametrize("text", _TRICKY + ["số 1 Số: 2 SỐ\n3 sỐ 4 xsố 5 _Số 6 Sốs 7 số:\t\t 8 (số 9) sổ 1"])
def test_vouching_so_as_the_plain_pattern(text):
    plain = re.compile(r"(?<!\w)(?:[Ss]ố|SỐ)[ \t\n]{0,3}:?[ \t\n]{0,3}(?=\d)")
    assert [m.span() for m in R._VOUCH.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert [m.span() for m in R._matches_at(R._VOUCH, text, R._VOUCH_WORDS)] == \
        [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize("text", _TRICKY)
def test_plenum_and_law_matches_as_finditer(text):
    assert [m.span() for m in R._matches_at(R._PLENUM, text, R._PLENUM_WORDS)] == \
        [m.span() for m in R._PLENUM.finditer(text)]
    assert [m.span() for m in R._matches_at(R._LAW, text, R.LAW_WORDS)] == \
        [m.span() for m in R._LAW.finditer(text)]


_CASED = ["số", "Số", "SỐ", "sỐ", "xsố", "1", " ", ":", "İ", "ΣΑΣ", "Luật", "luật", "LUẬT", "Bộ luật",
          "BỘ LUẬT", "Hiến pháp", "hiến pháp", "Nghị quyết", "NGHỊ QUYẾT", "nghị Quyết", "Trung ương", "khóa",
          "X", "4", "\n", "Đất", "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_CASED), max_size=30))
def test_words_looked_for_in_lower_case_give_the_matches_of_a_scan(pieces):
    # _matches_at looks for "Số", "SỐ", "số" together in the lower-cased text: the same matches as a scan
    text = " ".join(pieces[: len(pieces) // 2]) + "".join(pieces[len(pieces) // 2:])
    for pattern, words in ((R._VOUCH, R._VOUCH_WORDS), (R._PLENUM, R._PLENUM_WORDS), (R._LAW, R.LAW_WORDS)):
        assert [m.span() for m in R._matches_at(pattern, text, words)] == \
            [m.span() for m in pattern.finditer(text)]


def test_trie_pattern_matches_as_the_alternation():
    words = ["thông tư liên tịch", "thông tư", "thông tri", "thông báo", "kh", "kế hoạch", "kết luận"]
    trie = re.compile(R._trie_pattern(words))
    flat = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    for text in ["thông tư liên tịch số 1, thông tư 2, thông tri, thông báo",
                 "khkế hoạch kết luận thông tư liên"]:
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]


_SUMMARY_PIECES = ["về", "về việc", "V/v", "việc", "abc", "Tỉnh ủy", "UBND", "Ủy ban", " ", "  ", "\t", ",",
                   ";", ".", ". ", "\n", "(", ")", "x", "ab"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_SUMMARY_PIECES), max_size=40), st.integers(min_value=0, max_value=3))
@example(["về", " ", "abc", ",", "UBND"], 0).via("a summary ended by a comma")
@example(["V/v", " ", "abc", " ", "\n"], 0).via("a summary ended by spaces and a line break")
@example(["về việc", " ", "ab", ".", " ", "x"], 0).via("a summary ended by a dot")
@example(["về", " ", "abc", "(", "x"], 0).via("a summary ended by a bracket")
def test_the_summary_guard_changes_no_match(pieces, start):
    # _SUMMARY tests the first character of its end's look-ahead alone first: the matches of the pattern
    # without that test, at every place
    text = "".join(pieces)
    plain = re.compile(R._SUMMARY.pattern.replace(R._SUMMARY_GUARD, ""))
    assert plain.pattern != R._SUMMARY.pattern
    for i in range(start, len(text) + 1):
        got, want = R._SUMMARY.match(text, i), plain.match(text, i)
        assert (got and (got.span(), got.group("summary"))) == (want and (want.span(), want.group("summary")))
