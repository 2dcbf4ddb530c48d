"""Dates and deadline phrases (cascade.vn.dates)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cascade.models import Deadline
from cascade.vn.dates import DATE_RE, from_match, iso, parse_date, parse_deadline, year_of

# -- dates (used by metadata and references: must keep working unchanged) ----------------------------


@pytest.mark.parametrize(
    "text,want",
    [
        ("ngày 23/12/2020", "2020-12-23"),
        ("ngày 03 tháng 10 năm 2014", "2014-10-03"),
        ("ngày tháng 6 năm 2021", "2021-06"),
        ("ngày 01-10-1997", "1997-10-01"),
        ("ngày 1.7.2016", "2016-07-01"),
        ("không có ngày", None),
    ],
)
def test_parse_date(text: str, want: str | None) -> None:
    assert parse_date(text) == want


def test_date_helpers() -> None:
    assert iso(2021, 6) == "2021-06" and iso(2021, 2, 30) is None and iso(None) is None
    assert year_of("2021-06-30") == 2021 and year_of(None) is None
    m = DATE_RE.search("Kế hoạch số 07-KH/TU ngày 23/12/2020 của Ban Thường vụ")
    assert m and from_match(m) == "2020-12-23"


# -- deadlines -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,start,end,due,recurrence",
    [
        ("Thường xuyên", None, None, None, "ongoing"),
        ("Thường xuyên.", None, None, None, "ongoing"),
        ("Trong năm 2021", "2021", "2021", None, None),
        ("Năm 2021", "2021", "2021", None, None),
        ("Năm 2021 và những năm tiếp theo.", "2021", None, None, None),
        ("Trong năm 2021 và những năm tiếp theo", "2021", None, None, None),
        ("Trong năm 2021 và năm 2022.", "2021", "2022", None, None),
        ("Giai đoạn 2021 – 2025.", "2021", "2025", None, None),
        ("giai đoạn 2021-2025", "2021", "2025", None, None),
        ("2021 - 2025", "2021", "2025", None, None),
        ("Từ năm 2021 đến năm 2025", "2021", "2025", None, None),
        ("Quý III/2021", "2021-07", "2021-09", None, None),
        ("Quý III năm 2021", "2021-07", "2021-09", None, None),
        ("quý 4/2022", "2022-10", "2022-12", None, None),
        ("Hoàn thành trong Quý I/2023", "2023-01", "2023-03", None, None),
        ("Từ quý III năm 2021", "2021-07", None, None, None),
        ("Tháng 6/2021", "2021-06", "2021-06", None, None),
        ("tháng 12 năm 2022", "2022-12", "2022-12", None, None),
        ("6 tháng đầu năm 2022", "2022-01", "2022-06", None, None),
        ("Trước ngày 30/6/2022", None, None, "2022-06-30", None),
        ("chậm nhất ngày 15 tháng 3 năm 2024", None, None, "2024-03-15", None),
        ("Định kỳ trước ngày 05 tháng 12 hằng năm", None, None, "12-05", "annual"),
        ("trước 15/12 hằng năm", None, None, "12-15", "annual"),
        ("Hằng năm", None, None, None, "annual"),
        ("Hàng năm", None, None, None, "annual"),
        ("6 tháng", None, None, None, "semiannual"),
        ("Định kỳ 6 tháng, hằng năm", None, None, None, "semiannual"),
        ("hằng quý", None, None, None, "quarterly"),
        ("hằng tháng", None, None, None, "monthly"),
        ("trước ngày 20 hằng tháng", None, None, "01-20", "monthly"),
        ("Định kỳ hằng tháng, chậm nhất ngày 25", None, None, "01-25", "monthly"),
        ("hằng quý, trước ngày 15 của tháng cuối quý", None, None, "03-15", "quarterly"),
        ("hằng quý, trước ngày 15", None, None, None, "quarterly"),
        ("hằng tháng, trước ngày 5/12", None, None, "12-05", "monthly"),
        ("Năm học 2025-2026", "2025-09", "2026-05", None, None),
        ("Đến năm 2025", None, "2025", None, None),
    ],
)
def test_parse_deadline(
    text: str, start: str | None, end: str | None, due: str | None, recurrence: str | None
) -> None:
    d = parse_deadline(text)
    assert d is not None
    assert (d.start, d.end, d.due, d.recurrence) == (start, end, due, recurrence)


def test_deadline_keeps_the_phrase_as_written() -> None:
    assert parse_deadline("Thời hạn: Giai đoạn 2021 – 2025.").text == "Giai đoạn 2021 – 2025"
    assert parse_deadline("Trong năm 2021 và năm 2022.").text == "Trong năm 2021 và năm 2022"
    d = parse_deadline("Định kỳ hàng năm gửi báo cáo về phòng Kinh tế trước ngày 20 tháng 11 để tổng hợp")
    assert d.text == "Định kỳ hàng năm, trước ngày 20 tháng 11" and (d.due, d.recurrence) == (
        "11-20",
        "annual",
    )


def test_the_day_of_a_monthly_duty_is_part_of_the_phrase() -> None:
    d = parse_deadline("Báo cáo kết quả trước ngày 20 hằng tháng về Sở Nội vụ", year=2021)
    assert (d.text, d.due, d.recurrence) == ("trước ngày 20 hằng tháng", "01-20", "monthly")


def test_a_period_is_never_a_document_number() -> None:
    d = parse_deadline("kế hoạch đầu tư công trung hạn giai đoạn 2021-2025 của tỉnh")
    assert (d.start, d.end) == ("2021", "2025")


def test_year_completes_phrases_without_one() -> None:
    assert parse_deadline("Quý III", year=2021).start == "2021-07"
    assert parse_deadline("Quý III") is None
    assert parse_deadline("trước ngày 30/6", year=2022).due == "2022-06-30"
    assert parse_deadline("trước ngày 30/6").due == "06-30"
    assert parse_deadline("trước ngày 05/12 hằng năm", year=2022).due == "12-05"  # recurring: no year


def test_no_time_expression() -> None:
    assert parse_deadline("") is None
    assert parse_deadline("Theo tiến độ của dự án") is None


def test_old_tones_and_case() -> None:
    assert parse_deadline("QUÝ II NĂM 2023").start == "2023-04"
    assert parse_deadline("thường  xuyên").recurrence == "ongoing"


@given(st.text(max_size=120), st.one_of(st.none(), st.integers(1990, 2040)))
def test_never_crashes(text: str, year: int | None) -> None:
    d = parse_deadline(text, year=year)
    assert d is None or isinstance(d, Deadline)


def test_a_footnote_mark_glued_to_a_year_is_not_part_of_it():
    from cascade.vn.dates import parse_date
    assert parse_date("ban hành ngày 12 tháng 3 năm 20232.") == "2023-03-12"
    assert parse_date("ngày 5/6/20191 của") == "2019-06-05"
    assert parse_date("ngày 5/6/2019123") is None                # three more digits: not a year at all


def test_cached_dates_keep_their_parts_apart():
    # iso is cached: the same parts in another order, or split another way, are other dates
    assert iso("2021", "3", "2") == "2021-03-02"
    assert iso("2021", "2", "3") == "2021-02-03"
    assert iso("2021", "12") == "2021-12" and iso("2021", "1", "2") == "2021-01-02"
    assert iso("2021", "2", "30") is None and iso("2021", "3", "30") == "2021-03-30"
