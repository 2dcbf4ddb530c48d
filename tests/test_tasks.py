"""Tasks: who must do what by when (cascade.extract.tasks)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cascade.extract.tasks import extract_tasks
from cascade.models import Task
from cascade.text.normalize import clean

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"


def tasks(text: str, **kw) -> dict[str, Task]:
    return {t.label: t for t in extract_tasks(clean(text), "t.txt", **kw)}


def plan(body: str, section: str = "II. NHIỆM VỤ, GIẢI PHÁP") -> str:
    purpose = "I. MỤC ĐÍCH, YÊU CẦU\n\n1. Mục đích\n\n- Sở Y tế nâng cao nhận thức."
    return f"KẾ HOẠCH\n\n{purpose}\n\n{section}\n\n{body}"


# -- who leads -----------------------------------------------------------------------------------------


def test_giao_x_chu_tri_phoi_hop() -> None:
    t = tasks(
        plan(
            "1. Thể chế hóa\n\nGiao cho Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Nội vụ, "
            "Sở Tài chính triển khai thực hiện:\n\n- Xây dựng kế hoạch.\n"
        )
    )["II.1"]
    assert t.lead == ("Sở Khoa học và Công nghệ",)
    assert t.cooperating == ("Sở Nội vụ", "Sở Tài chính")


def test_giao_x_phoi_hop_means_x_leads() -> None:
    t = tasks(
        plan(
            "1. Củng cố\n\nGiao Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh phối hợp với Sở Nội vụ "
            "và các đơn vị liên quan tham mưu.\n"
        )
    )["II.1"]
    assert t.lead == ("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",)
    assert t.cooperating == ("Sở Nội vụ", "Các đơn vị liên quan")


def test_x_chu_tri_and_x_phoi_hop() -> None:
    got = tasks(
        plan(
            "1. Một\n\nSở Tư pháp chủ trì, phối hợp với Sở Y tế rà soát.\n\n"
            "2. Hai\n\nSở Nội vụ phối hợp Sở Tài chính tham mưu.\n"
        )
    )
    assert got["II.1"].lead == ("Sở Tư pháp",) and got["II.1"].cooperating == ("Sở Y tế",)
    assert got["II.2"].lead == ("Sở Nội vụ",) and got["II.2"].cooperating == ("Sở Tài chính",)


def test_a_giao_in_the_middle_of_a_sentence_is_not_an_assignment() -> None:
    t = tasks(
        plan(
            "1. Thể chế\n\nGiao Sở Tư pháp chủ trì thực hiện:\n\n"
            "- Xác định các nhiệm vụ Nhà nước giao cho Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh.\n"
        )
    )["II.1"]
    assert t.lead == ("Sở Tư pháp",)


def test_labelled_fields() -> None:
    t = tasks(
        plan(
            "1. Hoàn thiện cơ sở pháp lý\n\n- Tập trung triển khai.\n\n"
            "* *Đơn vị thực hiện:* Phòng Kinh tế và Hạ tầng chủ trì, phối hợp với phòng Tài chính - Kế hoạch "
            "tham mưu.\n\n* *Thời gian thực hiện:* Thường xuyên.\n\n"
            "Sản phẩm: Báo cáo kết quả.\n"
        )
    )["II.1"]
    assert t.lead == ("Phòng Kinh tế và Hạ tầng",) and t.cooperating == ("Phòng Tài chính - Kế hoạch",)
    assert t.deadline.recurrence == "ongoing" and t.deliverable == "Báo cáo kết quả"
    assert t.reporting == ()  # a report as a product is no reporting duty


def test_labels_inside_one_line() -> None:
    t = tasks(
        plan(
            "1. Xây dựng cơ sở dữ liệu. Cơ quan chủ trì: Sở Y tế; Cơ quan phối hợp: Sở Tài chính, "
            "Sở Nội vụ; Thời gian: Quý II/2022; Sản phẩm: Cơ sở dữ liệu.\n"
        )
    )["II.1"]
    assert t.lead == ("Sở Y tế",) and t.cooperating == ("Sở Tài chính", "Sở Nội vụ")
    assert (t.deadline.start, t.deadline.end) == ("2022-04", "2022-06") and t.deliverable == "Cơ sở dữ liệu"


def test_several_plus_bullets_give_several_leads() -> None:
    t = tasks(
        plan(
            "6. Định hướng\n\nb) Lĩnh vực nông nghiệp\n\n- Nghiên cứu giống.\n\n* *Đơn vị thực hiện:*\n\n"
            "+ Phòng Nông nghiệp và Phát triển nông thôn chủ trì phối hợp với các cơ quan liên quan.\n\n"
            "+ Phòng KT&HT chủ trì phối hợp với phòng Nông nghiệp và PTNT tham mưu.\n\n"
            "* *Thời gian thực hiện:* Thường xuyên.\n"
        )
    )["II.6.b"]
    assert t.lead == ("Phòng Nông nghiệp và Phát triển nông thôn", "Phòng Kinh tế và Hạ tầng")


def test_item_that_starts_with_an_agency() -> None:
    got = tasks(
        plan(
            "4. Cơ chế\n\na) Sở Tài chính tham mưu UBND tỉnh giao dự toán.\n\n"
            "b) Các Sở, ngành có liên quan tạo điều kiện.\n"
        )
    )
    assert got["II.4.a"].lead == ("Sở Tài chính",)
    assert got["II.4.b"].lead == ("Các Sở, ngành có liên quan",)  # a group stays a group


def test_agency_headings_in_the_organisation_section() -> None:
    body = (
        "1. Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh\n\n1.1. Chủ trì tổ chức triển khai.\n\n"
        "1.2. Phối hợp với Sở Khoa học và Công nghệ đẩy mạnh hợp tác.\n\n"
        "2. Sở Nội vụ\n\nPhối hợp với Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh tham mưu.\n\n"
        "3. Sở Giáo dục và Đào tạo, Tỉnh đoàn\n\nPhối hợp thu hút học sinh.\n\n"
        "4. Các Sở: Lao động - Thương binh và Xã hội, Nông nghiệp và Phát triển nông thôn, Tài nguyên và Môi "
        "trường\n\nTạo điều kiện thuận lợi.\n\n"
        "5. Đối với Sở Kế hoạch và Đầu tư: tham mưu bố trí vốn.\n\n"
        "6. Các tổ chức chính trị - xã hội: Theo chức năng, nhiệm vụ chủ động tham gia.\n"
    )
    got = tasks(plan(body, "III. TỔ CHỨC THỰC HIỆN"))
    assert got["III.1"].lead == ("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",)  # the agency, its duties
    assert got["III.1.1"].lead == ("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",)
    assert got["III.1.2"].lead == ("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",)
    assert got["III.1.2"].cooperating == ("Sở Khoa học và Công nghệ",)
    assert got["III.2"].lead == ("Sở Nội vụ",)
    assert got["III.2"].cooperating == ("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",)
    assert got["III.3"].lead == ("Sở Giáo dục và Đào tạo", "Tỉnh đoàn")
    assert got["III.4"].lead == (
        "Sở Lao động - Thương binh và Xã hội",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở Tài nguyên và Môi trường",
    )
    assert got["III.5"].lead == ("Sở Kế hoạch và Đầu tư",)
    assert got["III.6"].lead == ("Các tổ chức chính trị - xã hội",) and got["III.6"].section == "organisation"


def test_sub_items_inherit_the_assignment_of_their_introduction() -> None:
    got = tasks(
        plan(
            "1. Cải cách thể chế\n\n"
            "Giao Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ thực hiện các nội dung sau:\n\n"
            "a) Rà soát văn bản.\n\nb) Giao Sở Y tế xây dựng quy chế.\n"
        )
    )
    assert got["II.1"].lead == got["II.1.a"].lead == ("Sở Tư pháp",)
    assert got["II.1.b"].lead == ("Sở Y tế",)


def test_requested_bodies_are_not_leads() -> None:
    t = tasks(
        plan(
            "9. Đề nghị Ủy ban MTTQ Việt Nam tỉnh, các đoàn thể của tỉnh\n\nPhối hợp tuyên truyền.\n",
            "III. TỔ CHỨC THỰC HIỆN",
        )
    )["III.9"]
    assert t.lead == () and t.requested == ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Các đoàn thể của tỉnh")


def test_focal_point() -> None:
    t = tasks(
        plan(
            "3. Giao Sở Khoa học và Công nghệ làm đầu mối giúp UBND tỉnh đôn đốc thực hiện.\n",
            "III. TỔ CHỨC THỰC HIỆN",
        )
    )["III.3"]
    assert t.lead == t.focal == ("Sở Khoa học và Công nghệ",)


def test_groups_are_never_split() -> None:
    t = tasks(
        plan(
            "7. Các sở, ban, ngành, đoàn thể tỉnh và UBND các huyện, thị xã, thành phố\n\nThực hiện tốt.\n",
            "III. TỔ CHỨC THỰC HIỆN",
        )
    )["III.7"]
    assert t.lead == ("Các sở, ban, ngành, đoàn thể tỉnh", "Ủy ban nhân dân các huyện, thị xã, thành phố")


def test_no_tasks_from_purpose_or_targets() -> None:
    text = (
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Sở Y tế chủ trì tuyên truyền.\nII. MỤC TIÊU\n1. Sở Tư pháp phấn đấu.\n"
        "III. NHIỆM VỤ\n1. Sở Nội vụ chủ trì.\n"
    )
    assert list(tasks(text)) == ["III.1"]


def test_bullets_under_a_section_make_one_task() -> None:
    got = tasks(
        plan("- Sở Tài chính: chủ trì thẩm định.\n- Sở Nội vụ: hướng dẫn.\n", "III. TỔ CHỨC THỰC HIỆN")
    )
    assert got["III"].lead == ("Sở Tài chính", "Sở Nội vụ")


# -- deadlines and reporting ------------------------------------------------------------------------------


def test_deadline_of_a_sub_item_applies_to_its_parent() -> None:
    got = tasks(
        plan(
            "1. Tuyên truyền\n\na) Nội dung\n\n- Xây dựng.\n\nb) Trách nhiệm\n\n"
            "- Giao Sở Thông tin và Truyền thông phối hợp với các đơn vị tuyên truyền.\n\n"
            "c) Thời gian thực hiện: Từ quý III năm 2021.\n"
        )
    )
    assert got["II.1"].deadline.start == "2021-07" and got["II.1"].deadline.end is None
    assert got["II.1.b"].lead == ("Sở Thông tin và Truyền thông",)
    assert "II.1.c" not in got


@pytest.mark.parametrize(
    "phrase,want",
    [
        ("Trong năm 2021 và năm 2022.", ("2021", "2022")),
        ("Năm 2021 và những năm tiếp theo.", ("2021", None)),
        ("Giai đoạn 2021 – 2025.", ("2021", "2025")),
        ("Quý III năm 2021.", ("2021-07", "2021-09")),
    ],
)
def test_deadline_fields(phrase: str, want: tuple) -> None:
    for label in ("Thời gian thực hiện", "Thời hạn", "Thời gian hoàn thành"):
        t = tasks(plan(f"1. Việc\n\nGiao Sở Y tế chủ trì.\n\n{label}: {phrase}\n"))["II.1"]
        assert (t.deadline.start, t.deadline.end) == want
        assert t.deadline.text == phrase.rstrip(".").replace("–", "-")  # as in the clean (NFC) text


def test_finishing_date_in_the_text() -> None:
    t = tasks(plan("2. Rà soát thủ tục (Sở Tư pháp chủ trì; hoàn thành trước ngày 30/6/2022).\n"))["II.2"]
    assert t.lead == ("Sở Tư pháp",) and t.deadline.due == "2022-06-30"


def test_reporting_duties() -> None:
    body = (
        "1. Phòng Kinh tế và Hạ tầng\n\n- Định kỳ hàng năm trước ngày 05/12 tổng hợp báo cáo kết quả "
        "thực hiện "
        "về Ủy ban nhân dân huyện để báo cáo cấp có thẩm quyền.\n\n"
        "2. Các cơ quan, ban ngành\n\n- Định kỳ hàng năm gửi báo cáo về phòng Kinh tế và Hạ tầng tình hình "
        "triển khai Kế hoạch trước ngày 20 tháng 11 để tổng hợp.\n\n"
        "3. Giao Sở Khoa học và Công nghệ làm đầu mối.\n\n"
        "Định kỳ trước ngày 05 tháng 12 hằng năm, các cơ quan, "
        "tổ chức liên quan báo cáo kết quả thực hiện Kế hoạch này đến Sở Khoa học và Công nghệ để tổng hợp, "
        "báo cáo UBND tỉnh.\n\n4. Sở Tài chính tham mưu báo cáo UBND tỉnh bố trí kinh phí.\n"
    )
    got = tasks(plan(body, "IV. TỔ CHỨC THỰC HIỆN"))
    (r1,), (r2,), (r3,) = got["IV.1"].reporting, got["IV.2"].reporting, got["IV.3"].reporting
    assert (r1.to, r1.reporter, r1.deadline.due, r1.deadline.recurrence) == (
        "Ủy ban nhân dân huyện",
        ("Phòng Kinh tế và Hạ tầng",),
        "12-05",
        "annual",
    )
    assert (r2.to, r2.deadline.due, r2.deadline.recurrence) == ("Phòng Kinh tế và Hạ tầng", "11-20", "annual")
    assert (r3.to, r3.reporter, r3.deadline.due) == (
        "Sở Khoa học và Công nghệ",
        ("Các cơ quan, tổ chức liên quan",),
        "12-05",
    )
    assert got["IV.4"].reporting == ()  # advising, not a reporting duty


# -- tables -------------------------------------------------------------------------------------------------


def test_tables_of_tasks_in_the_body_and_in_an_appendix() -> None:
    raw = (
        "II. NHIỆM VỤ\n\n| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |\n"
        "|---|---|---|---|---|\n"
        "| 1 | Rà soát văn bản | Sở Tư pháp | Sở Nội vụ, Sở Tài chính | Quý III/2022 |\n"
        "| 2 | Cơ sở dữ liệu | Sở KH&CN chủ trì, phối hợp Sở TT&TT | | Năm 2023 |\n"
        "Nơi nhận:\n- Lưu VT.\n\nPHỤ LỤC II\n"
        "| TT | Nội dung công việc | Đơn vị thực hiện | Thời gian |\n| --- | --- | --- | --- |\n"
        "| 1 | Kiểm tra | Phòng Nội vụ<br>Thanh tra huyện | Hằng năm |\n"
    )
    got = tasks(raw)
    assert got["II.1"].lead == ("Sở Tư pháp",) and got["II.1"].cooperating == ("Sở Nội vụ", "Sở Tài chính")
    assert got["II.1"].deadline.start == "2022-07" and got["II.1"].text == "Rà soát văn bản"
    assert got["II.2"].lead == ("Sở Khoa học và Công nghệ",) and got["II.2"].cooperating == (
        "Sở Thông tin và Truyền thông",
    )
    assert got["PLII.1"].lead == ("Phòng Nội vụ", "Thanh tra huyện") and got["PLII.1"].section == "appendix"
    assert "II" not in got  # the table's rows are the tasks


# -- evidence, robustness, speed ---------------------------------------------------------------------------


def test_evidence_points_into_the_raw_text() -> None:
    raw = plan("1. Tăng cường\n\nGiao Sở Tư pháp chủ trì.\n").replace("ủy", "uỷ")
    (t,) = extract_tasks(clean(raw), "raw.txt")
    assert t.evidence.source == "raw.txt"
    assert raw[t.evidence.start : t.evidence.end].startswith("1. Tăng cường")
    assert t.evidence.quote == "1. Tăng cường"


def test_empty_and_unstructured_text() -> None:
    assert extract_tasks(clean(""), "x") == ()
    assert extract_tasks(clean("Giao Sở Y tế chủ trì."), "x") == ()


@settings(max_examples=150, deadline=None)
@given(
    st.text(max_size=400)
    | st.lists(
        st.sampled_from(
            [
                "II. NHIỆM VỤ",
                "III. TỔ CHỨC THỰC HIỆN",
                "1. Sở Nội vụ",
                "a) Giao Sở Y tế chủ trì, phối hợp với",
                "- Phòng KT&HT",
                "+ các cơ quan, đơn vị",
                "* *Đơn vị thực hiện:*",
                "Thời gian thực hiện: Quý III/2021",
                "Đề nghị Ủy ban MTTQ",
                "báo cáo kết quả về Sở Tài chính trước ngày 05/12 hằng năm",
                "Nơi nhận:",
                "\u0301",
                "uỷ",
                "Các Sở:",
                "Trên đây là",
                "",
                "**",
                "| STT | Nhiệm vụ | Cơ quan chủ trì |",
                "| 1 | Việc | Sở Y tế |",
                "|---|---|",
                "| I | | |",
            ]
        ),
        max_size=40,
    ).map("\n".join)
)
def test_never_crashes_and_spans_stay_in_the_raw_text(raw: str) -> None:
    for t in extract_tasks(clean(raw), "h.txt"):
        assert 0 <= t.evidence.start <= t.evidence.end <= len(raw)
        for r in t.reporting:
            assert 0 <= r.evidence.start <= r.evidence.end <= len(raw)
        assert Task.__name__ and isinstance(t.to_dict(), dict)


# -- the sample plans -----------------------------------------------------------------------------------


def seed(name: str) -> dict[str, Task]:
    path = next(SEEDS.glob(f"{name}_*.txt"))
    return {t.label: t for t in extract_tasks(clean(path.read_text(encoding="utf-8")), str(path))}


def test_seed004_tasks() -> None:
    got = seed("004")
    assert got["III.6.b"].lead == ("Phòng Nông nghiệp và Phát triển nông thôn", "Phòng Kinh tế và Hạ tầng")
    assert got["III.6.đ"].lead == ("Phòng Tài nguyên và Môi trường",)
    assert got["III.3"].lead == ("Phòng Tài chính - Kế hoạch",)
    assert got["III.3"].cooperating == ("Phòng Kinh tế và Hạ tầng",)
    assert got["III.6.g"].lead == ("Trung tâm Y tế huyện",)
    assert all(got[f"III.{i}"].deadline.recurrence == "ongoing" for i in (1, 2, 3, 4, 5, 7, 8, 9))
    (r,) = got["IV.1"].reporting
    assert (r.to, r.deadline.due, r.deadline.recurrence) == ("Ủy ban nhân dân huyện", "12-05", "annual")


def test_seed000_tasks() -> None:
    got = seed("000")
    assert got["II.1"].deadline.start == "2021-07"
    assert got["II.2"].lead == ("Sở Khoa học và Công nghệ",)
    assert got["II.3.b"].cooperating[:2] == ("Sở Khoa học và Công nghệ", "Sở Kế hoạch và Đầu tư")
    assert (got["II.4.b"].deadline.start, got["II.4.b"].deadline.end) == ("2021", "2025")


def test_seed001_and_seed003_organisation() -> None:
    one, three = seed("001"), seed("003")
    assert one["III.6"].lead == (
        "Sở Lao động - Thương binh và Xã hội",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở Tài nguyên và Môi trường",
        "Sở Kế hoạch và Đầu tư",
    )
    assert one["III.5"].lead == ("Sở Giáo dục và Đào tạo", "Tỉnh đoàn")
    assert three["III.7"].lead == ("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",)
    assert (
        three["III.9"].lead == () and three["III.9"].requested[0] == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"
    )


# -- Party-style sub-items ---------------------------------------------------------------------------


def test_party_style_letter_items_are_tasks_of_their_own() -> None:
    raw = (
        "II- NHIỆM VỤ VÀ GIẢI PHÁP\n1- Tuyên truyền\n"
        "a- Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với Sở Thông tin và Truyền thông tuyên truyền.\n"
        "b- Đề nghị Ủy ban MTTQ tỉnh vận động nhân dân.\n"
        "c. Sở Nội vụ rà soát tổ chức bộ máy; hoàn thành trước ngày 30/6/2022.\n"
        "2- Kiểm tra\na. Ủy ban Kiểm tra Tỉnh ủy kiểm tra.\n"
    )
    got = tasks(raw, year=2022)
    assert list(got) == ["II.1.a", "II.1.b", "II.1.c", "II.2.a"]
    assert got["II.1.a"].lead == ("Ban Tuyên giáo Tỉnh ủy",)
    assert got["II.1.a"].cooperating == ("Sở Thông tin và Truyền thông",)
    assert got["II.1.b"].requested == ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",) and got["II.1.b"].lead == ()
    assert got["II.1.c"].lead == ("Sở Nội vụ",) and got["II.1.c"].deadline.due == "2022-06-30"
    assert got["II.2.a"].lead == ("Ủy ban Kiểm tra Tỉnh ủy",)


# -- reading piece by piece is reading the whole -----------------------------------------------------

_PIECES = [
    "II. NHIỆM VỤ",
    "III. TỔ CHỨC THỰC HIỆN",
    "1. Sở Nội vụ",
    "2. Tăng cường các giải pháp",
    "a) Giao Sở Y tế chủ trì, phối hợp với",
    "phối hợp với các sở,",
    "ban, ngành liên quan.",
    "Giao",
    "cho Sở Tài chính chủ trì",
    "Sở Nội vụ và",
    "Sở Tài chính làm đầu mối.",
    "làm đầu mối",
    "UBND",
    "Tỉnh Gia Lai",
    "- Phòng KT&HT",
    "+ các cơ quan, đơn vị",
    "Các Sở:",
    "Tài chính, Nội vụ thực hiện.",
    "các",
    "những",
    "Thời gian thực hiện:",
    "Quý III/2021.",
    "Thời gian thực hiện: Thường xuyên",
    "Đề nghị",
    "Sở Y tế, làm cơ quan đầu mối",
    "lãnh đạo thực hiện.",
    ", là đơn vị",
    "Ủy ban MTTQ tỉnh",
    "báo cáo kết quả về Sở Tài chính trước ngày 05/12 hằng năm;",
    "hoàn thành",
    "trước ngày 30/6/2022.",
    "Các cơ quan, đơn vị được giao nhiệm vụ tại Kế hoạch này chủ động xây dựng kế hoạch triển khai thực hiện",
    "Sở Khoa học và Công nghệ chủ trì thực hiện các nhiệm vụ của Kế hoạch",
    "",
    "",
    "**",
    "Quý III/2021:",
    "ban,",
    "ngành",
    "đoàn thể",
    "Sở Y tế,",
    "UBND các huyện,",
    "thị xã,",
]


def _whole(ct, items, year):
    """The context read at once, the way it was read before pieces (the reference)."""
    from cascade.extract.agencies import scan
    from cascade.extract.assignments import _CUES, _WHO_CUES, _document_lines, _find_cue
    from cascade.extract.assignments import SKIP_SECTIONS as _SKIP_SECTIONS

    text = ct.text
    first = min((it.start for it in items if it.section not in _SKIP_SECTIONS), default=len(text))
    last = max((it.end for it in items), default=0)
    if first >= last:
        return [], {k: [] for k in _CUES}, [], []
    hits = {k: sorted(set(_find_cue(text, first, last, w, p))) for k, (w, p) in _CUES.items()}
    who = sorted((s, e, k) for k in _WHO_CUES for s, e, _ in hits[k])
    return list(scan(text, first, last)), hits, sorted(set(who)), _document_lines(text, first, last)[0].spans


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=30).map("\n".join))
@example("II. NHIỆM VỤ\n1. Việc\nGiao Sở Y tế chủ trì, phối hợp với các sở,\nban,\nngành liên quan.")
@example("II. NHIỆM VỤ\n1. Việc\nGiao Sở Y tế chủ trì, phối hợp với\nSở Tài chính\nlàm đầu mối.")
@example("II. NHIỆM VỤ\n1. Việc\nCác Sở:\nTài chính, Nội vụ thực hiện.\nThời gian thực hiện:\nQuý III/2021.")
def test_reading_piece_by_piece_is_reading_the_whole(raw: str) -> None:
    from cascade.extract.assignments import read_context as _context
    from cascade.extract.structure import parse_structure

    ct = clean(raw)
    items = parse_structure(ct.text)
    ctx = _context(ct, items, "p.txt", 2021)
    found, hits, who, lines = _whole(ct, items, 2021)
    assert ctx.found == found
    assert sorted(set(ctx.who_hits.spans)) == who
    for kind in ("report", "deadline", "finish"):
        assert sorted(set(ctx.hits[kind].spans)) == hits[kind]
    assert ctx.lines.spans == lines


# -- what each piece read of itself is what reading the segment says -----------------------------


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=30).map("\n".join), st.data())
@example("II. NHIỆM VỤ\n1. Việc\nGiao Sở Y tế chủ trì, phối hợp với Sở Nội vụ,\nSở Tài chính làm.", None)
@example("II. NHIỆM VỤ\n1. Việc\n\nSở Y tế,  \nlàm đầu mối.\n2. Việc khác\nĐề nghị Ủy ban MTTQ tỉnh", None)
def test_reading_a_segment_from_its_pieces_is_reading_it_whole(raw: str, data) -> None:
    """read_segment replays what each piece read of itself; read_cues reads the text itself: for
    items' own segments and for spans cut anywhere (mid-piece, mid-line) they agree."""
    from cascade.extract.assignments import no_one, read_context, read_cues, read_segment
    from cascade.extract.structure import parse_structure, walk

    ct = clean(raw)
    items = parse_structure(ct.text)
    ctx = read_context(ct, items, "p.txt", 2021)
    text = ct.text
    spans = [(it.start, it.end) for it in walk(items)]
    if data is not None:
        cuts = sorted({0, len(text), *(i for i, c in enumerate(text) if c == "\n"),
                       *(i + 1 for i, c in enumerate(text) if c == "\n")})
        for _ in range(4):
            a = data.draw(st.sampled_from(cuts) | st.integers(0, len(text)))
            b = data.draw(st.sampled_from(cuts) | st.integers(a, len(text)))
            spans.append((a, max(a, b)))
    for a, b in spans:
        fast, slow = no_one(), no_one()
        read_segment(ctx, a, b, fast)
        read_cues(ctx, a, b, slow, ctx.lines.starts_within(a, b))
        assert fast == slow, (a, b, text[a:b])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=30).map("\n".join))
def test_the_name_at_a_place_is_found_from_its_piece(raw: str) -> None:
    """Before the names of the whole text are gathered, first_at finds a name from the piece that
    holds the place, and gives its index among all the names."""
    from cascade.extract.assignments import read_context
    from cascade.extract.structure import parse_structure

    ct = clean(raw)
    ctx = read_context(ct, parse_structure(ct.text), "p.txt", 2021)
    found = _whole(ct, parse_structure(ct.text), 2021)[0]
    text = ct.text
    expected = [next((i for i, f in enumerate(found) if f.start == _skip(text, pos)), None)
                for pos in range(len(text) + 1)]
    assert [ctx.first_at(pos, len(text)) for pos in range(len(text) + 1)] == expected
    assert ctx.found == found                      # gathered now: first_at answers from them the same
    assert [ctx.first_at(pos, len(text)) for pos in range(len(text) + 1)] == expected


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " *_\t":
        pos += 1
    return pos


@pytest.mark.parametrize(("body", "focal"), [
    ("Giao Sở Y tế\nlàm đầu mối thực hiện.", ("Sở Y tế",)),     # the piece ends at the name: read on
    ("Giao Sở Y tế\nlãnh đạo thực hiện.", ()),
    ("Giao Sở Y tế,\n\nlàm đầu mối.", ("Sở Y tế",)),
    ("Giao Sở Y tế, làm đầu mối.", ("Sở Y tế",)),              # the piece says so itself
    ("Giao Sở Y tế chủ trì, làm đầu mối.", ()),                # "chủ trì" in between: the piece says no
    ("Sở Nội vụ\nlà cơ quan đầu mối.", ("Sở Nội vụ",)),
])
def test_a_focal_point_named_over_a_line_break(body: str, focal: tuple[str, ...]) -> None:
    """Whether "làm đầu mối" follows a name is answered by the name's piece when it holds the
    words after the name, else by reading on in the text."""
    t = tasks(plan(f"1. Việc\n{body}"))["II.1"]
    assert t.focal == focal and t.lead == (focal or ("Sở Y tế",))


def test_focal_held_says_when_the_piece_cannot_tell() -> None:
    from cascade.extract.assignments import _focal_held

    assert _focal_held("Sở Y tế làm đầu mối", 7, 19, False) is True
    assert _focal_held("Sở Y tế chủ trì", 7, 15, False) is False       # "c": never "làm"
    assert _focal_held("Sở Y tế, chủ trì", 7, 16, False) is False
    assert _focal_held("Sở Y tế", 7, 7, False) is None                 # nothing after the name
    assert _focal_held("Sở Y tế,", 7, 8, False) is None
    assert _focal_held("Sở Y tế lãnh", 7, 12, False) is None           # "l...": the next piece may end it
    assert _focal_held("Sở Y tế lãnh", 7, 12, True) is False           # unless the window ends here


# -- field lines, read once per line ---------------------------------------------------------------------


def test_the_same_field_line_in_two_plans_gives_each_its_own_spans() -> None:
    """A field line read in one plan is read from the cache in the next, at its own place there."""
    line = "Thời gian thực hiện: Quý II/2022; Sản phẩm: Báo cáo tổng kết"
    first = extract_tasks(clean(plan(f"1. Rà soát\n\n{line}\n")), "a.txt", year=2021)[0]
    body = f"1. Tuyên truyền sâu rộng trong toàn tỉnh\n\nGiao Sở Nội vụ chủ trì.\n\n{line}\n"
    ct = clean(plan(body))
    second = extract_tasks(ct, "b.txt", year=2021)[0]
    assert first.deadline == second.deadline and first.deadline.start == "2022-04"
    assert first.deliverable == second.deliverable == "Báo cáo tổng kết"
    assert second.lead == ("Sở Nội vụ",) and first.lead == ()
    assert ct.text[second.evidence.start:second.evidence.end].endswith(line)


def test_field_lines_with_the_same_labels_and_other_values_differ() -> None:
    """The cache is keyed by the whole line: another value is read as itself."""
    a = tasks(plan("1. Việc\n\nThời hạn: Quý III/2021\n\n2. Việc khác\n\nThời hạn: Quý IV/2021\n"))
    assert (a["II.1"].deadline.start, a["II.2"].deadline.start) == ("2021-07", "2021-10")


_FIELD_LINES = ["Thời gian thực hiện: Năm 2021", "** Thời hạn:* Quý II/2022",
                "Sản phẩm: Báo cáo; Thời hạn: 2023", "c) Thời gian thực hiện: Thường xuyên",
                "Cơ quan chủ trì: Sở Y tế; Cơ quan phối hợp: Sở Nội vụ",
                "- Kinh phí:   ngân sách tỉnh; Tiến độ:  tháng 6/2022 ",
                "Đơn vị thực hiện: Sở Tư pháp chủ trì"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["1. Việc", "a) Mục", "- ý", "Giao Sở Y tế chủ trì.", "", *_FIELD_LINES]),
                max_size=12))
def test_field_lines_read_alone_give_what_reading_them_in_the_text_gives(lines: list[str]) -> None:
    """Each field line that holds its value, read once in the line alone, gives the fields that
    reading it in place gives."""
    from cascade.extract.structure import parse_structure, walk
    from cascade.extract.tasks import _field_item, _fields

    text = "\n".join(["II. NHIỆM VỤ", *lines])
    items = [it for it in walk(parse_structure(text)) if it.field is not None]
    ctx = type("Ctx", (), {"text": text})()
    for f in items:
        in_place = _field_item(text, f, f.start, f.end, f.head_end, f.text_start,
                               [c.text_start for c in walk(f.children)] if f.children else [])
        assert [tuple(x)[:4] for x in _fields(ctx, [f], [])] == [tuple(x)[:4] for x in in_place]
        for x in _fields(ctx, [f], []):
            assert x.value in (None, " ".join(text[x.start:x.end].split()).strip(" .;,*_"))


# -- reporting clauses, read once per piece ------------------------------------------------------------


def test_a_reporting_clause_read_in_one_plan_is_placed_in_the_next() -> None:
    """The same clause in two plans, at other places and after other words, gives each plan its own span."""
    clause = "Các cơ quan định kỳ báo cáo kết quả về Sở Nội vụ trước ngày 15/12 hằng năm."
    spans = []
    for lead_in in ("1. Rà soát\n\nGiao Sở Y tế chủ trì.",
                    "1. Tuyên truyền sâu rộng\n\nGiao Sở Tư pháp chủ trì."):
        raw = plan(f"{lead_in}\n\n{clause}\n", "III. TỔ CHỨC THỰC HIỆN")
        (r,) = extract_tasks(clean(raw), "p.txt", year=2021)[0].reporting
        assert (r.to, r.reporter, r.deadline.due) == ("Sở Nội vụ", ("Các cơ quan",), "12-15")
        assert raw[r.evidence.start:r.evidence.end] == clause.rstrip(".")
        spans.append(r.evidence.start)
    assert spans[0] != spans[1]


def test_the_word_before_a_clause_still_decides_its_reporter() -> None:
    """A body that starts a line reports unless the word before it (at the end of the line above,
    in another piece) makes it an object ("của Sở Y tế"): then the task's lead reports. Read in
    either order, the same clause gives each plan its own answer."""
    clause = "Sở Y tế báo cáo kết quả về UBND tỉnh trước ngày 15/12."
    for order in (("chung", "của"), ("của", "chung")):
        for word in order:
            raw = plan(f"1. Giao Sở Tư pháp chủ trì.\n\nNhiệm vụ {word}\n{clause}\n")
            t = extract_tasks(clean(raw), "p.txt", year=2021)[0]
            (r,) = t.reporting
            assert r.to == "Ủy ban nhân dân tỉnh"
            assert r.reporter == (("Sở Y tế",) if word == "chung" else t.lead)
            assert "Sở Tư pháp" in t.lead


_SUBJECTS = ["Các cơ quan", "Các tổ chức", "Sở Y tế", "UBND các huyện", "Giao Sở Nội vụ", "Định kỳ,"]
_TO = ["về Sở Nội vụ", "cho Sở Tài chính", "UBND tỉnh", "về Ban Tuyên giáo Tỉnh ủy", "kết quả"]
_WHEN = ["trước ngày 15/12 hằng năm", "định kỳ 6 tháng", "", "trước ngày 20 tháng 11"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Nhiệm vụ của", "Nhiệm vụ chung", "1. Việc", "- Nội dung", ""]),
                          st.sampled_from(_SUBJECTS), st.sampled_from(_TO), st.sampled_from(_WHEN)),
                min_size=2, max_size=6))
def test_reporting_read_after_other_plans_is_reporting_read_first(parts: list[tuple[str, ...]]) -> None:
    """Each plan's reporting duties are the same whether or not plans read before it left their
    clauses cached."""
    from cascade.extract import tasks as module

    raws = [plan(f"1. Giao Sở Tư pháp chủ trì.\n\n{before}\n{who} báo cáo {to} {when}.\n", "III. TỔ CHỨC")
            for before, who, to, when in parts]
    warm = [extract_tasks(clean(raw), "p.txt", year=2021) for raw in raws]
    cold = []
    for raw in raws:
        module._CLAUSES.clear()
        cold.append(extract_tasks(clean(raw), "p.txt", year=2021))
    assert warm == cold


def test_extracting_tasks_leaves_no_garbage_for_the_cycle_collector() -> None:
    """Items link to their parents and back; extract_tasks unlinks them when done, so that they are
    freed at once (the collector walking them cost a sixth of the stage)."""
    import gc

    raw = plan("1. Việc\n\na) Giao Sở Y tế chủ trì.\n\n- Thời gian thực hiện: Quý III/2021\n\n"
               "2. Sở Nội vụ\n\n- Rà soát.\n", "II. NHIỆM VỤ")
    extract_tasks(clean(raw), "p.txt", year=2021)           # the first call fills the module's caches
    ct = clean(raw)
    was = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        got = extract_tasks(ct, "p.txt", year=2021)
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()
    assert [t.label for t in got] == ["II.1.a", "II.2"]
