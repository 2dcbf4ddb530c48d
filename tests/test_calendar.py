"""Agency calendars (cascade.outputs.calendar): the .ics imports, with the events and rules a plan implies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar

from cascade.extract.pipeline import extract_text
from cascade.graph import build_graph
from cascade.identity.documents import resolve
from cascade.outputs.calendar import agency_calendar, calendar_entries, write_calendar
from cascade.query import UnknownAgency

PLAN = """ỦY BAN NHÂN DÂN
TỈNH GIA LAI
Số: 12/KH-UBND
Gia Lai, ngày 10 tháng 7 năm 2021

KẾ HOẠCH
Triển khai thực hiện Kết luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư

I. MỤC ĐÍCH, YÊU CẦU
1. Quán triệt đầy đủ nội dung Kết luận.

II. NHIỆM VỤ, GIẢI PHÁP
1. Rà soát các văn bản quy phạm pháp luật
Giao Sở Nội vụ chủ trì, phối hợp với Sở Tài chính thực hiện.
Thời gian thực hiện: Trước ngày 30/6/2022.
2. Tổng hợp kết quả thực hiện
Giao Sở Nội vụ chủ trì thực hiện.
Thời gian thực hiện: Định kỳ trước ngày 05 tháng 12 hằng năm.
3. Kiện toàn tổ chức bộ máy
Giao Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành liên quan.
Thời gian thực hiện: Quý III/2022.
4. Tuyên truyền, phổ biến
Giao Sở Nội vụ chủ trì thực hiện.
Thời gian thực hiện: Thường xuyên.
5. Sơ kết việc thực hiện
Giao Sở Nội vụ chủ trì thực hiện.
Thời gian thực hiện: Định kỳ 6 tháng, trước ngày 15/6 và 15/12.
6. Theo dõi, đôn đốc
Giao Sở Nội vụ chủ trì thực hiện.
Thời gian thực hiện: Hằng quý.
7. Xây dựng đề án
Giao Sở Nội vụ chủ trì thực hiện; định kỳ báo cáo kết quả về Ủy ban nhân dân tỉnh trước ngày 15/12 hằng năm.
8. Bố trí kinh phí
Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ thực hiện.
Thời gian thực hiện: Trong năm 2022.
9. Đánh giá giữa kỳ
Giao Sở Nội vụ chủ trì thực hiện.
Thời gian thực hiện: Giai đoạn 2021-2025, định kỳ hằng năm trước ngày 20/11.

III. TỔ CHỨC THỰC HIỆN
Các sở, ban, ngành triển khai thực hiện Kế hoạch này.

Nơi nhận:
- Như trên;
- Lưu: VT.
"""


@pytest.fixture(scope="module")
def graph():
    return build_graph(resolve([extract_text(PLAN, "plans/12-KH-UBND.txt")]))


def parsed(cal: Calendar) -> Calendar:
    """The calendar as another program would read it: serialised and parsed back."""
    return Calendar.from_ical(cal.to_ical())


def events(cal: Calendar) -> dict[str, object]:
    """The events by the task label that starts their summary ("II.1")."""
    return {
        str(e["SUMMARY"]).removeprefix("Report to Ủy ban nhân dân tỉnh: ").split()[0]: e
        for e in cal.walk("VEVENT")
    }


def test_the_file_imports_with_the_events_and_rules_of_the_plan(graph) -> None:
    cal = parsed(agency_calendar(graph, "Sở NV"))
    assert cal["VERSION"] == "2.0" and "cascade" in str(cal["PRODID"])
    ev = events(cal)
    # "Trước ngày 30/6/2022": an all-day event on that day
    assert ev["II.1"].decoded("DTSTART") == dt.date(2022, 6, 30)
    assert ev["II.1"].decoded("DTEND") == dt.date(2022, 7, 1) and "RRULE" not in ev["II.1"]
    # "Định kỳ trước ngày 05 tháng 12 hằng năm": yearly on 5 December, from the first after the plan
    assert ev["II.2"].decoded("DTSTART") == dt.date(2021, 12, 5)
    assert ev["II.2"]["RRULE"].to_ical() == b"FREQ=YEARLY"
    # "Quý III/2022": an event spanning the quarter
    assert (ev["II.3"].decoded("DTSTART"), ev["II.3"].decoded("DTEND")) == (
        dt.date(2022, 7, 1),
        dt.date(2022, 10, 1),
    )
    # six-monthly on the 15th, the first one after the plan's date
    assert ev["II.5"].decoded("DTSTART") == dt.date(2021, 12, 15)
    assert ev["II.5"]["RRULE"].to_ical() == b"FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=15"
    # "Hằng quý" with no day: the last day of each quarter
    assert ev["II.6"].decoded("DTSTART") == dt.date(2021, 9, 30)
    assert ev["II.6"]["RRULE"].to_ical() == b"FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1"
    # a reporting duty of a task it leads: yearly on 15 December
    report = [e for e in cal.walk("VEVENT") if str(e["SUMMARY"]).startswith("Report to")]
    assert [(e.decoded("DTSTART"), e["RRULE"].to_ical()) for e in report] == [
        (dt.date(2021, 12, 15), b"FREQ=YEARLY")
    ]
    # a yearly duty within a period stops at its end
    assert ev["II.9"]["RRULE"].to_ical() == b"FREQ=YEARLY;UNTIL=20251231"
    assert ev["II.9"].decoded("DTSTART") == dt.date(2021, 11, 20)
    # a task it does not lead is not there; every event is an all-day one
    assert "II.8" not in ev
    assert all(
        isinstance(e.decoded("DTSTART"), dt.date) and not isinstance(e.decoded("DTSTART"), dt.datetime)
        for e in cal.walk("VEVENT")
    )


def test_an_ongoing_task_is_a_note_or_left_out(graph) -> None:
    notes = parsed(agency_calendar(graph, "Sở Nội vụ")).walk("VJOURNAL")
    assert [str(n["SUMMARY"]).split()[0] for n in notes] == ["II.4"]
    assert "DTSTART" not in notes[0] and "ongoing" in str(notes[0]["DESCRIPTION"])
    assert parsed(agency_calendar(graph, "Sở Nội vụ", ongoing="skip")).walk("VJOURNAL") == []


def test_descriptions_carry_the_task_the_plan_and_the_evidence(graph) -> None:
    ev = events(parsed(agency_calendar(graph, "Sở Nội vụ")))
    text = str(ev["II.1"]["DESCRIPTION"])
    assert "Rà soát các văn bản quy phạm pháp luật" in text
    assert "12/KH-UBND" in text and "2021-07-10" in text
    assert "Evidence: plans/12-KH-UBND.txt, characters " in text
    assert "Cooperating: Sở Tài chính" in text and "Deadline: Trước ngày 30/6/2022" in text


def test_uids_are_unique_and_stable(graph) -> None:
    first = [str(e["UID"]) for e in parsed(agency_calendar(graph, "Sở Nội vụ")).subcomponents]
    again = build_graph(resolve([extract_text(PLAN, "plans/12-KH-UBND.txt")]))
    assert [str(e["UID"]) for e in parsed(agency_calendar(again, "Sở NV")).subcomponents] == first
    assert len(set(first)) == len(first) and all(u.endswith("@cascade") for u in first)


def test_cooperating_tasks_on_request(graph) -> None:
    lead_only = {e["summary"].split()[0] for e in calendar_entries(graph, "Sở Nội vụ")}
    both = {
        e["summary"].split()[0] for e in calendar_entries(graph, "Sở Nội vụ", roles=("lead", "cooperating"))
    }
    assert "II.8" not in lead_only and both - lead_only == {"II.8"}


def test_written_atomically_and_readable(graph, tmp_path: Path) -> None:
    path = tmp_path / "out" / "deadlines.ics"
    entries = write_calendar(graph, path, "Sở Nội vụ")
    cal = Calendar.from_ical(path.read_bytes())
    assert len(cal.walk("VEVENT")) == sum(e["type"] == "event" for e in entries) == 7
    assert [p.name for p in path.parent.iterdir()] == ["deadlines.ics"]  # no temporary file left
    assert all("_fields" not in e and e["uid"] for e in entries)


def test_an_unknown_agency_says_so(graph) -> None:
    with pytest.raises(UnknownAgency):
        agency_calendar(graph, "Sở Ngoại vụ tỉnh Kon Tum")


def test_a_monthly_duty_falls_on_the_day_the_plan_gives() -> None:
    plan = PLAN.replace("Thời gian thực hiện: Hằng quý.", "Thời gian thực hiện: Trước ngày 20 hằng tháng.")
    G = build_graph(resolve([extract_text(plan, "plans/12-KH-UBND.txt")]))
    ev = events(parsed(agency_calendar(G, "Sở Nội vụ")))
    assert ev["II.6"].decoded("DTSTART") == dt.date(2021, 7, 20)        # the first 20th after 10 July 2021
    assert ev["II.6"]["RRULE"].to_ical() == b"FREQ=MONTHLY;BYMONTHDAY=20"
