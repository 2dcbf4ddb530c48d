"""clauses: which trigger governs each mention; relations stated clause by clause (issue 10, class 5)."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from cascade.extract import clauses
from cascade.extract.clauses import ClauseIndex, find_clauses
from cascade.extract.numbers import find_numbers
from cascade.extract.pipeline import extract_text
from cascade.extract.references import extract_references
from cascade.models import Metadata
from cascade.text.normalize import clean
from cascade.text.phrases import lowered
from cascade.vn import dates
from cascade.vn.cues import TRIGGERS


def relations(text: str) -> set[tuple[str, str, str]]:
    rec = extract_text(text, "t.txt")
    num = {m.id: m.number or m.summary for m in rec.mentions}
    return {(num.get(r.source, r.source), r.type, num.get(r.target, r.target)) for r in rec.relations}


HEADER = "UBND TỈNH QUẢNG NAM\nSố: 45/KH-UBND\nQuảng Nam, ngày 02 tháng 3 năm 2022\n\nKẾ HOẠCH\n\n"


def test_a_trigger_governs_its_whole_list():
    rels = relations(HEADER + "Tăng cường công tác tiếp dân\n\n"
                     "Thực hiện Chỉ thị số 35-CT/TW ngày 26/5/2019 của Bộ Chính trị; Kế hoạch số 12-KH/TU "
                     "ngày "
                     "3/6/2019 của Tỉnh ủy, Công văn số 230/UBND-NC ngày 4/1/2022 của UBND tỉnh và Quyết "
                     "định "
                     "số 7/QĐ-UBND ngày 5/1/2022 của UBND tỉnh, UBND tỉnh ban hành Kế hoạch như sau:\n\n"
                     "I. MỤC ĐÍCH\n\n1. Tuyên truyền Luật Tiếp công dân.\n")
    for n in ("35-CT/TW", "12-KH/TU", "230/UBND-NC", "7/QĐ-UBND"):
        assert ("self", "implements", n) in rels, n


def test_a_basis_heading_governs_its_section_and_lines_wrap():
    rels = relations(HEADER + "Chuyển đổi số năm 2022\n\nI. CĂN CỨ XÂY DỰNG KẾ HOẠCH\n"
                     "- Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ;\n\n"
                     "- Nghị quyết số 09-NQ/TU ngày 1/9/2021 của Tỉnh\nủy về chuyển đổi số;\n"
                     "II. MỤC TIÊU\n\n1. Triển khai Kế hoạch số 3/KH-UBND của UBND tỉnh.\n")
    assert ("self", "based_on", "749/QĐ-TTg") in rels
    assert ("self", "based_on", "09-NQ/TU") in rels
    assert ("self", "cites", "3/KH-UBND") in rels           # "Triển khai" in the body is an instruction


def test_a_relation_inside_a_description_belongs_to_the_cited_document():
    rels = relations(HEADER + "Triển khai chương trình chuyển đổi số\n\n"
                     "Căn cứ Nghị quyết số 52/NQ-CP ngày 2/4/2024 của Chính phủ ban hành Chương trình hành "
                     "động "
                     "thực hiện Nghị quyết số 29-NQ/TW ngày 5/12/2023 của Bộ Chính trị;\n"
                     "Căn cứ Nghị định số 15/2024/NĐ-CP ngày 1/2/2024 của Chính phủ sửa đổi, bổ sung một số "
                     "điều của Nghị định số 9/2020/NĐ-CP ngày 3/1/2020 của Chính phủ;\n\n"
                     "I. MỤC ĐÍCH\n")
    assert ("self", "based_on", "52/NQ-CP") in rels
    assert ("52/NQ-CP", "implements", "29-NQ/TW") in rels
    assert ("self", "implements", "29-NQ/TW") not in rels and ("self", "based_on", "29-NQ/TW") not in rels
    assert ("15/2024/NĐ-CP", "amends", "9/2020/NĐ-CP") in rels
    assert ("self", "amends", "9/2020/NĐ-CP") not in rels


def test_a_look_back_is_no_claim():
    rels = relations("Trong những năm qua, quán triệt và thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ "
                     "Chính trị, công tác tuyên truyền đạt nhiều kết quả.\n\nI. NHIỆM VỤ\n\n"
                     "1. Đánh giá kết quả thực hiện Kế hoạch số 8-KH/TU của Tỉnh ủy.\n")
    assert ("self", "cites", "05-CT/TW") in rels
    assert ("self", "cites", "8-KH/TU") in rels


def test_every_relation_to_a_document_is_kept_beside_the_strongest():
    text = ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM\nSố: 12/2022/QĐ-UBND\nQuảng Nam, ngày 02 tháng 3 năm 2022\n\n"
            "QUYẾT ĐỊNH\n\nBan hành Quy chế làm việc\n\nCăn cứ Quyết định số 3/2015/QĐ-UBND ngày 1/2/2015 "
            "của "
            "UBND tỉnh;\nTheo đề nghị của Sở Nội vụ tại Tờ trình số 40/TTr-SNV ngày 1/3/2022.\n\nQUYẾT "
            "ĐỊNH:\n\n"
            "Điều 1. Ban hành kèm theo Quyết định này Quy chế.\n\nĐiều 2. Quyết định này thay thế Quyết "
            "định số "
            "3/2015/QĐ-UBND ngày 1/2/2015 của UBND tỉnh.\n")
    rels = relations(text)
    assert ("self", "based_on", "3/2015/QĐ-UBND") in rels
    assert ("self", "replaces", "3/2015/QĐ-UBND") in rels
    assert ("self", "cites", "40/TTr-SNV") in rels
    rec = extract_text(text, "t.txt")
    tr = next(m for m in rec.mentions if m.number == "40/TTr-SNV")
    assert tr.issuer == "Sở Nội vụ"                   # "của X tại Tờ trình số ..." names its issuer


def test_a_plan_implements_the_decision_approving_the_programme_its_title_carries_out():
    body = ("Căn cứ Quyết định số 318/QĐ-TTg ngày 8/3/2022 của Thủ tướng Chính phủ phê duyệt Chiến lược phát "
            "triển văn hóa cơ sở đến năm 2030;\n\nI. MỤC ĐÍCH\n")
    rels = relations(HEADER + "Triển khai thực hiện Chiến lược phát triển văn hóa cơ sở đến năm 2030 trên "
                              "địa "
                     "bàn tỉnh\n\n" + body)
    assert ("self", "implements", "318/QĐ-TTg") in rels
    text = HEADER + ("Triển khai thực hiện Chiến lược phát triển văn hóa cơ sở đến năm 2030 "
                     "trên địa bàn tỉnh\n\n")
    ev = next(r.evidence for r in extract_text(text + body, "t.txt").relations if r.type == "implements")
    assert text[ev.start:ev.end] == "Chiến lược phát triển văn hóa cơ sở đến năm 2030 trên địa bàn tỉnh"
    rels = relations(HEADER + "Tăng cường văn hóa cơ sở\n\n" + body)          # the title names no programme
    assert ("self", "based_on", "318/QĐ-TTg") in rels
    # through a cited plan that carries out the same programme
    rels = relations(HEADER + "Triển khai thực hiện Chiến lược phát triển văn hóa cơ sở đến năm 2030 trên "
                              "địa "
                     "bàn huyện\n\nThực hiện Kế hoạch số 77/KH-UBND ngày 1/4/2022 của UBND tỉnh về triển "
                     "khai "
                     "Chiến lược phát triển văn hóa cơ sở đến năm 2030, UBND huyện ban hành Kế hoạch.\n\n"
                     "I. MỤC ĐÍCH\n\n1. Thực hiện các mục tiêu phát triển văn hóa cơ sở đến năm 2030 tại "
                     "Quyết "
                     "định số 318/QĐ-TTg.\n")
    assert ("self", "implements", "77/KH-UBND") in rels
    assert ("77/KH-UBND", "implements", "318/QĐ-TTg") in rels
    assert ("self", "implements", "318/QĐ-TTg") not in rels


def test_a_nested_citation_is_not_governed_by_the_clause():
    rels = relations(HEADER + "Rà soát hộ nghèo\n\nCăn cứ Thông tư số 7/2021/TT-BLĐTBXH ngày 18/7/2021 của "
                              "Bộ "
                     "Lao động - Thương binh và Xã hội hướng dẫn rà soát theo quy định tại khoản 2 Điều 3 "
                     "Quyết "
                     "định số 24/2021/QĐ-TTg ngày 16/7/2021 của Thủ tướng Chính phủ;\n\nI. MỤC ĐÍCH\n")
    assert ("self", "based_on", "7/2021/TT-BLĐTBXH") in rels
    assert ("self", "cites", "24/2021/QĐ-TTg") in rels


def test_a_later_short_citation_keeps_the_jurisdiction_of_the_full_one():
    rec = extract_text(HEADER + "Tuyên truyền\n\nỦy ban nhân dân tỉnh nhận được Công văn số 61/UBND-VX ngày "
                       "2/2/2022 của UBND tỉnh Bình Định.\n\n(Đính kèm Công văn số 61/UBND-VX)\n", "t.txt")
    assert {m.province for m in rec.mentions if m.number == "61/UBND-VX"} == {"Bình Định"}


def test_the_document_own_number_with_another_date_is_another_document():
    rec = extract_text(HEADER + "Chấn chỉnh kỷ luật\n\nThực hiện Kế hoạch số 45/KH-UBND ngày 10/5/2020 "
                       "của UBND tỉnh, các sở đã có chuyển biến.\n", "t.txt")
    assert [m.date for m in rec.mentions if m.number == "45/KH-UBND"] == ["2020-05-10"]


# -- linear time on any input (issue 16) -------------------------------------------------------------

_PIECES = st.sampled_from([" ", "  ", "\n", "\n\n", ",", ";", ".", ":", "/", "-", "(", ")", "1", "12", "2020",
                           "số", "Số:", "ngày", "tháng", "năm", "của", "tại", "về", "và", "khóa", "XII",
                           "Nghị quyết", "Trung ương", "Kế hoạch", "KH", "UBND", "TU", "QĐ-TTg", "Căn cứ",
                           "Thực hiện", "thực hiện", "Luật", "I.", "CĂN CỨ", "Chiến lược", "phê duyệt",
                           "a", "A"])


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, max_size=60), st.integers(min_value=0, max_value=3))
def test_any_text_is_read_and_spans_hold(pieces, seed):
    text = "".join(pieces)
    ct = clean(text)
    meta = Metadata(type="Kế hoạch", date="2021-01-01", branch="state", level="province", province="Quảng "
                                                                                                   "Nam")
    mentions, rels, _ = extract_references(ct, meta, "t.txt")
    for m in mentions:
        assert 0 <= m.evidence.start <= m.evidence.end <= len(ct.raw)
    ids = {m.id for m in mentions} | {"self"}
    assert all(r.source in ids and r.target in ids for r in rels)
    dates.parse_date(text)
    dates.parse_deadline(text)
    starts = [a for _, a, _ in find_numbers(ct.text)]
    ClauseIndex(find_clauses(ct.text, starts, len(ct.text))).at(len(ct.text) // 2)


# Long runs that a pattern could split in many ways made extraction quadratic or worse ("Nghị quyết Trung
# ương" and a thousand spaces hung a build). Each run below is read in one pass; a super-linear pattern would
# not finish.
_RUNS = [("Nghị quyết Trung ương", " ", "x"), ("ngày", " ", "x"), ("Kế hoạch số 1/KH-UBND của", " ", "x"),
         ("Kế hoạch số 1/KH-UBND về", " ", "x"), ("Chỉ thị ", "1, ", "2/KH-UBND"), ("", "Thực hiện ", ""),
         ("", "số 1 ", ""), ("", "1/", ""), ("", "I. CĂN CỨ\n- Kế hoạch số 1/KH-UBND;\n", ""),
         ("quý I", " ", "x"), ("tháng 6", " ", "x"), ("", "theo ", "Kế hoạch số 1/KH-UBND")]


@settings(max_examples=len(_RUNS) * 2, deadline=None)
@given(st.sampled_from(_RUNS), st.integers(min_value=2_000, max_value=20_000))
def test_long_runs_are_read(run, n):
    head, body, tail = run
    text = head + body * (n // max(1, len(body))) + tail
    meta = Metadata(type="Kế hoạch", date="2021-01-01", branch="state", level="province", province="Quảng "
                                                                                                   "Nam")
    extract_references(clean(text), meta, "t.txt")
    dates.parse_deadline(text)
    assert re.search(r"\S", text)


def test_every_trigger_states_a_relation_of_the_vocabulary():
    from cascade import vocab
    from cascade.extract.clauses import TRIGGERS
    assert {relation for _, relation, _ in TRIGGERS} <= set(vocab.DOCUMENT_RELATIONS)


def test_a_cited_local_document_is_named_as_its_date_named_its_province():
    rec = extract_text("Theo Thông báo số 71/TB-UBND ngày 3 tháng 12 năm 2019 của UBND huyện Phú Vang về "
                       "lịch tiếp công dân, UBND huyện thông báo thay đổi địa điểm.\n", "t.txt")
    m = next(m for m in rec.mentions if m.number == "71/TB-UBND")
    assert (m.province, m.district) == ("Thừa Thiên Huế", "Phú Vang")


def test_dashed_lines_are_items_of_one_list():
    rels = relations(HEADER + "Tuyên truyền pháp luật\n\nThực hiện các văn bản sau:\n"
                     "- Chỉ thị số 32-CT/TW ngày 9/12/2003 của Ban Bí thư về công tác phổ biến pháp luật\n"
                     "- Kế hoạch số 18-KH/TU ngày 2/1/2022 của Tỉnh ủy về tuyên truyền\n\nI. MỤC ĐÍCH\n")
    assert ("self", "implements", "32-CT/TW") in rels and ("self", "implements", "18-KH/TU") in rels


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["I. ", "1. ", "II- ", "CĂN CỨ", "Căn cứ", "CĂN cứ", "Căn cứ pháp lý", "\n",
                                 " ", "căn cứ", "x", "IV.", "CĂNCỨ"]), max_size=40))
def test_basis_headings_are_found_as_a_scan_of_the_whole_text_finds_them(pieces):
    text = "".join(pieces)
    assert [m.span() for m in clauses._basis_headings(text)] == \
        [m.span() for m in clauses._BASIS_HEADING.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="TPQĐAatpđ. \n1\t\u00a0", max_size=24), st.integers(min_value=0, max_value=30))
def test_the_sentence_ends_are_the_dots_that_end_no_abbreviation(text, bound):
    # the scan that skips abbreviations finds the sentence ends less the dots whose four characters before
    # them end an abbreviation, read one dot at a time
    slow = [m.start() for m in clauses._SENTENCE_END.finditer(text) if m.start() < bound
            and clauses._ABBREVIATION.search(text[max(0, m.start() - 4):m.start()]) is None]
    assert clauses._sentence_ends(text, bound) == slow


def test_a_dot_after_an_abbreviation_ends_no_sentence():
    text = "Tại TP. Hồ Chí Minh, Q. 1 và Tp. Huế. Xong.\nBa"
    assert [text[s - 4:s + 1] for s in clauses._sentence_ends(text, len(text))] == [" Huế.", "Xong."]


_TRIGGER_WORDS = [p for p, _, _ in TRIGGERS] + [p.upper() for p, _, _ in TRIGGERS] + sorted(
    {w for p, _, _ in TRIGGERS for w in p.replace(",", " ,").split()}) + [
    "Kế hoạch số 1/KH-UBND", ";", ".", "\n", "\n\n", "x", "Thực", "Căn"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TRIGGER_WORDS), max_size=50), st.integers(min_value=0, max_value=400))
def test_the_body_read_with_its_own_triggers_gives_the_same_clauses(words, front_end):
    text = " ".join(words)
    split = find_clauses(text, [], front_end)
    assert clauses._BODY_APART
    clauses._BODY_APART = False
    try:
        whole = find_clauses(text, [], front_end)
    finally:
        clauses._BODY_APART = True
    assert split == whole


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TRIGGER_WORDS + ["Quyết định số 5/QĐ-UBND", ", UBND tỉnh ban hành",
                                                  "I. CĂN CỨ", "\nQUYẾT ĐỊNH:", "- ", "TP."]), max_size=60),
       st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=400),
       st.integers(min_value=0, max_value=60), st.lists(st.integers(min_value=0, max_value=400), max_size=4))
def test_the_clauses_before_a_bound_are_those_of_the_whole_text(words, front_end, until, reach, mentions):
    text = " ".join(words)
    starts = sorted(mentions)
    whole = find_clauses(text, starts, front_end, (front_end // 2,))
    saved = clauses._REACH
    clauses._REACH = reach                      # a short reach: the text past it is read when it must be
    try:
        bounded = find_clauses(text, starts, front_end, (front_end // 2,), until=until)
    finally:
        clauses._REACH = saved
    assert bounded == [c for c in whole if c.start < until]


_CLAUSE_WORDS = [p for p, _, _ in TRIGGERS] + [
    "Kế hoạch số 1/KH-UBND", "Quyết định số 5/QĐ-UBND", "x", ", UBND tỉnh ban hành", "I. CĂN CỨ",
    "\nQUYẾT ĐỊNH:", "- ", "TP.", "Xong.", "\n\n", ":\n", ";", "\n", "\n- "]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_CLAUSE_WORDS), min_size=4, max_size=40),
       st.integers(min_value=0, max_value=300), st.integers(min_value=0, max_value=400),
       st.lists(st.integers(min_value=0, max_value=300), max_size=2), st.sampled_from([" ", ""]))
def test_the_places_after_the_last_trigger_are_read_only_as_far_as_a_clause_needs(words, front_end, bound,
                                                                                   mentions, glue):
    # _ordinary_clauses stops reading item starts at the last trigger and hard ends at the first of each kind
    # after the last trigger's end: the clauses are those of reading every one up to the bound
    text = glue.join(words)
    starts, blocks = sorted(mentions), (front_end // 2,)
    short = clauses._ordinary_clauses(text, starts, front_end, blocks, bound)
    saved = clauses._starts_before, clauses._item_breaks
    clauses._starts_before = lambda pattern, text, bound, past=None: saved[0](pattern, text, bound)
    clauses._item_breaks = lambda text, _: saved[1](text, len(text))
    try:
        full = clauses._ordinary_clauses(text, starts, front_end, blocks, bound)
    finally:
        clauses._starts_before, clauses._item_breaks = saved
    assert short == full


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_TRIGGER_WORDS + ["xtheo", "theox", "sau khi xem", "\u00a0", "  "]),
                max_size=40),
       st.sampled_from([" ", ""]), st.integers(min_value=0, max_value=300),
       st.integers(min_value=0, max_value=400))
def test_the_body_triggers_are_those_a_scan_finds_before_the_bound(words, glue, start, bound):
    # tried only where a first word starts: "xét" inside "sau khi xem xét" is no trigger of its own, and a
    # trigger that starts before the bound is read whole, past it ("theo đề nghị" across the bound)
    low = lowered(glue.join(words))
    scan = []
    for m in clauses._BODY_TRIGGER.finditer(low, start):
        if m.start() >= bound:
            break
        scan.append((m.span(), m.lastgroup))
    assert [(m.span(), m.lastgroup) for m in clauses._body_triggers(low, start, bound)] == scan


def test_a_body_trigger_across_the_bound_and_one_inside_another():
    low = lowered("Sau khi xem xét đề án; theo đề nghị của Sở")
    found = [low[m.start():m.end()] for m in clauses._body_triggers(low, 0, low.index("theo") + 2)]
    assert found == ["sau khi xem xét", "theo đề nghị"]
