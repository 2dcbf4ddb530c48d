"""extract: the whole per-document pipeline never crashes and every span holds what it claims."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cascade.extract.pipeline import extract_text

FRAGMENTS = ["KẾ HOẠCH\n", "Số: 12/KH-UBND\n", "Thực hiện ", "Kế hoạch số 07-", "\n\nKH/TU",
             " ngày 23/12/2020",
             " của Ban Thường vụ Tỉnh uỷ", " Kết luận số 93-KL/TW", "Nghị quyết Trung ương 7 (khóa X)", "; ",
             "\nI. NHIỆM VỤ\n", "1. Giao Sở Nội vụ chủ trì, phối hợp với Sở Tài chính.\n", "a) ", "đ) ", "- ",
             "Thời gian thực hiện: Quý III/2021.\n", "Căn cứ ", "Luật Ngân sách nhà nước",
             "(sau đây gọi tắt là ",
             ")", "Kết luận số 93", "UBND tỉnh Đắk Lắk", "huyện Ia H' Drai", "\u00a0", "\u200b", "Đ\u0301",
             "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n\nNguyễn Văn A\n", "Nơi nhận:\n- Lưu: VT.\n", "2021-2025", "…/…"]


def check(text: str) -> None:
    rec = extract_text(text, "x.txt")
    raw = text
    for m in rec.mentions:
        e = m.evidence
        assert 0 <= e.start <= e.end <= len(raw)
        assert raw[e.start:e.end].strip() in e.quote or not raw[e.start:e.end].strip()
    for t in rec.tasks:
        if t.evidence is not None:
            assert 0 <= t.evidence.start <= t.evidence.end <= len(raw)
    for f, e in rec.meta.evidence:
        assert raw[e.start:e.end] == e.quote, f
    ids = {m.id for m in rec.mentions} | {"self"}
    for r in rec.relations:
        assert r.source in ids and r.target in ids


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_plan_like_text(text):
    check(text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_text(text):
    check(text)


def test_record_round_trips_through_its_dict():
    from cascade.models import Record

    text = "".join(FRAGMENTS)
    rec = extract_text(text, "x.txt")
    again = Record.from_dict(rec.to_dict())
    assert again.to_dict() == rec.to_dict()
