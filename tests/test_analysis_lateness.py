"""Deadlines a parent sets for the units below it, and lateness against them."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from analysis_corpus import DISTRICTS, write

import cascade
from cascade.analysis.lateness import lateness, orders
from cascade.extract.orders import read_order


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    root = tmp_path_factory.mktemp("mini")
    cascade.build([write(root)], root / "out", use_cache=False)
    return cascade.load(root / "out").graph


@pytest.mark.parametrize(
    "text, kind, branch, level",
    [
        (
            "Các huyện ủy, thị ủy, đảng ủy trực thuộc Tỉnh ủy xây dựng kế hoạch thực hiện, hoàn thành trước "
            "ngày 30/6/2021.",
            "plan",
            "party",
            "district",
        ),
        (
            "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương ban hành kế hoạch triển khai.",
            "plan",
            "state",
            "province",
        ),
        (
            "UBND các huyện, thị xã, thành phố báo cáo kết quả về Sở Nội vụ trước ngày 15/12 hằng năm.",
            "report",
            "state",
            "district",
        ),
        (
            "Các thành ủy, huyện ủy và UBND cấp huyện cụ thể hóa bằng chương trình hành động.",
            "plan",
            None,
            "district",
        ),
        ("Các địa phương xây dựng kế hoạch thực hiện trước ngày 30/9/2022.", "plan", None, "district"),
        ("Các thành ủy xây dựng kế hoạch thực hiện.", "plan", "party", None),
        (
            "Đề nghị các phòng, ban và UBND các xã, thị trấn xây dựng kế hoạch thực hiện tại địa phương.",
            "plan",
            "state",
            "commune",
        ),
        ("Các đảng ủy xã, thị trấn ban hành kế hoạch thực hiện trong quý III.", "plan", "party", "commune"),
    ],
)
def test_read_order(text: str, kind: str, branch: str | None, level: str | None) -> None:
    o = read_order(text)
    assert o is not None and (o.kind, o.branch, o.level) == (kind, branch, level)
    assert text[o.start : o.end].lower().startswith(("các", "ủy", "ubnd"))


@pytest.mark.parametrize(
    "text",
    [
        # the body reported to is no addressee
        "Sở Nội vụ báo cáo kết quả về Ban Thường vụ Tỉnh ủy trước ngày 15/12.",
        "Ban Tuyên giáo Tỉnh ủy chủ trì xây dựng kế hoạch tuyên truyền.",  # a same-level body
        "Các huyện ủy quán triệt sâu sắc nội dung Chỉ thị.",  # no plan, no report
        # the issuer itself, after an unrelated "các"
        "Nhân dịp tổ chức các hoạt động kỷ niệm ngày thành lập huyện, UBND huyện xây dựng kế hoạch như sau:",
        "Văn phòng HĐND và UBND huyện báo cáo kết quả về Thường trực Huyện ủy.",  # a single office
    ],
)
def test_read_order_none(text: str) -> None:
    assert read_order(text) is None


def test_orders_attached_to_the_parent(mini: nx.MultiDiGraph) -> None:
    got = orders(mini, "15-KH/TU@Bắc Kạn")
    plan = [o for o in got if o["kind"] == "plan"]
    report = [o for o in got if o["kind"] == "report"]
    assert [(o["level"], o["branch"], o["due"]) for o in plan] == [("district", "party", "2021-06-30")]
    assert plan[0]["addressees"] == "Các huyện ủy, thành ủy, đảng ủy trực thuộc"
    assert report and report[0]["recurrence"] == "annual" and report[0]["due"] is None
    ev = plan[0]["evidence"]
    text = Path(ev["file"]).read_text(encoding="utf-8")
    assert "hoàn thành trước ngày 30/6/2021" in text[ev["span"][0] : ev["span"][1]]


def test_lateness_exact(mini: nx.MultiDiGraph) -> None:
    r = lateness(mini, "15-KH/TU@Bắc Kạn")
    rows = {row["district"]: row for row in r["rows"]}
    assert set(rows) == {
        "Bắc Kạn",
        "Pác Nặm",
        "Ba Bể",
        "Ngân Sơn",
        "Bạch Thông",
        "Chợ Đồn",
        "Chợ Mới",
        "Na Rì",
    }
    assert (rows["Ba Bể"]["status"], rows["Ba Bể"]["days"]) == ("on_time", -15)
    assert (rows["Ngân Sơn"]["status"], rows["Ngân Sơn"]["days"]) == ("on_time", 0)
    assert (rows["Na Rì"]["status"], rows["Na Rì"]["days"]) == ("late", 10)
    assert (rows["Pác Nặm"]["status"], rows["Pác Nặm"]["days"]) == ("late", 64)
    assert rows["Chợ Đồn"]["status"] == "date_unknown"
    # dated only "tháng 8 năm 2021": late all the same, by 32 (1 August) to 62 days (31 August)
    assert rows["Chợ Đồn"]["verdict"] == {"status": "late", "days_min": 32, "days_max": 62}
    # not yet: censored at the latest date of the corpus (2 September 2021), 64 days past the deadline
    assert (rows["Bạch Thông"]["status"], rows["Bạch Thông"]["days"], rows["Bạch Thông"]["censored_at"]) == (
        "not_yet",
        64,
        "2021-09-02",
    )
    assert r["counts"] == {"on_time": 2, "late": 2, "not_yet": 3, "date_unknown": 1, "no_deadline": 0}
    assert len(DISTRICTS) == 5


def test_lateness_as_of_censors(mini: nx.MultiDiGraph) -> None:
    r = lateness(mini, "15-KH/TU@Bắc Kạn", as_of="2021-07-31")
    rows = {row["district"]: row for row in r["rows"]}
    assert rows["Na Rì"]["status"] == "late"
    assert (rows["Pác Nặm"]["status"], rows["Pác Nặm"]["days"]) == ("not_yet", 31)


def test_lateness_under_a_directive_uses_the_province_deadline(mini: nx.MultiDiGraph) -> None:
    r = lateness(mini, "88-CT/TW", level="district")
    bk = {row["district"]: row for row in r["rows"] if row["province"] == "Bắc Kạn"}
    assert (
        bk["Na Rì"]["status"] == "late" and bk["Na Rì"]["deadline_evidence"]["parent"] == "15-KH/TU@Bắc Kạn"
    )
    assert {row["status"] for row in r["rows"] if row["province"] != "Bắc Kạn"} == {"no_deadline"}


def test_province_deadline_from_a_directive_graph() -> None:
    G = nx.MultiDiGraph()
    G.add_node("d", kind="document", level="central", date="2021-01-10")
    G.add_node(
        "task:d#1",
        kind="task",
        label="1",
        due="2021-03-31",
        evidence_source="d.txt",
        evidence_span="0-9",
        text="Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương xây dựng kế hoạch, hoàn thành "
        "trước ngày 31/3/2021.",
    )
    G.add_edge("d", "task:d#1", "has_task", relation="has_task")
    for i, (prov, date, branch) in enumerate(
        [
            ("Gia Lai", "2021-03-01", "state"),
            ("Sơn La", "2021-04-05", "state"),
            ("Lào Cai", "2021-02-01", "party"),
        ]
    ):
        G.add_node(f"p{i}", kind="document", level="province", province=prov, branch=branch, date=date)
        G.add_edge(f"p{i}", "d", "implements", relation="implements")
    r = lateness(G, "d", as_of="2021-06-30")
    rows = {row["province"]: row for row in r["rows"]}
    assert (rows["Gia Lai"]["status"], rows["Gia Lai"]["days"]) == ("on_time", -30)
    assert (rows["Sơn La"]["status"], rows["Sơn La"]["days"]) == ("late", 5)
    # a Party plan does not answer an order to the People's Committees
    assert (rows["Lào Cai"]["status"], rows["Lào Cai"]["days"]) == ("not_yet", 91)
    assert r["counts"]["not_yet"] == 61


def test_province_deadline_from_an_extracted_directive(mini: nx.MultiDiGraph) -> None:
    o = orders(mini, "88-CT/TW")
    assert [(x["kind"], x["level"], x["branch"], x["due"]) for x in o] == [("plan", "province", "party",
                                                                          "2021-03-31")]
    r = lateness(mini, "88-CT/TW", as_of="2021-12-31")
    rows = {row["province"]: row for row in r["rows"]}
    assert (rows["Bắc Kạn"]["status"], rows["Bắc Kạn"]["days"]) == ("on_time", -39)     # 20 February
    assert (rows["Gia Lai"]["status"], rows["Gia Lai"]["days"]) == ("not_yet", 275)     # to 31 December
    assert r["counts"] == {"on_time": 1, "late": 0, "not_yet": 62, "date_unknown": 0, "no_deadline": 0}
