"""The geographic map: statuses from coverage, the era by the as-of date, an offline page."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest
from analysis_corpus import directive_with_plans
from test_browser import browser, visit  # noqa: F401  (the shared offline Chromium fixture)

from cascade import query
from cascade.outputs import geomap


def _graph() -> nx.MultiDiGraph:
    G = directive_with_plans("2024-03-01", [
        ("Hà Giang", "2024-04-02", "party"),
        ("Gia Lai", "2024-08-15", "party"),
        ("Sơn La", "2024-05", "party"),
        ("Bình Định", "2025-09-01", "party"),
        ("Cà Mau", "2024-05-20", "state"),
        ("Quảng Ninh", "2024-05-01", "party"),
    ])
    G.add_node(
        "task:d#1",
        kind="task",
        label="1",
        due="2024-06-30",
        text="Các tỉnh ủy, thành ủy trực thuộc Trung ương xây dựng kế hoạch thực hiện trước ngày 30/6/2024.",
    )
    G.add_edge("d", "task:d#1", "has_task", relation="has_task")
    return G


def test_statuses_follow_coverage_and_deadline() -> None:
    G = _graph()
    r = geomap.statuses(G, "d", as_of="2024-12-31")
    u = r["units"]
    assert r["era"] == "pre2025" and len(u) == 63
    assert u["Hà Giang"]["status"] == "on_time" and u["Hà Giang"]["days"] == 32
    assert u["Gia Lai"]["status"] == "late" and u["Gia Lai"]["late_by"] == 46
    assert u["Sơn La"]["status"] == "date_unknown"
    assert u["Bình Định"]["status"] == "not_yet"  # issued after the as-of date
    assert u["Cà Mau"]["status"] == "acted"  # a state plan: acted, though not the Party plan ordered
    cov = query.coverage(G, "d", as_of="2024-12-31")
    acted = {k for k, v in u.items() if v["status"] != "not_yet"}
    assert acted == {row["province"] for row in cov["rows"] if row["party"] or row["state"] or row["other"]}


def test_era_by_as_of() -> None:
    r = geomap.statuses(_graph(), "d", as_of="2025-10-01")
    assert r["era"] == "2025" and len(r["units"]) == 34
    # Hà Giang (acted) is part of the 2025 Tuyên Quang; Bình Định of Gia Lai
    assert r["units"]["Tuyên Quang"]["status"] != "not_yet"
    html = geomap.render(r)
    assert len(re.findall(r'<path class="unit"', html)) == 34


def test_page_is_self_contained(tmp_path: Path) -> None:
    html = geomap.write_html(
        geomap.statuses(_graph(), "d", as_of="2024-12-31"), tmp_path / "m.html"
    ).read_text(encoding="utf-8")
    assert len(re.findall(r'<path class="unit"', html)) == 63
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_figure(tmp_path: Path) -> None:
    paths = geomap.write_figure(
        geomap.statuses(_graph(), "d", level="district", as_of="2024-12-31"), tmp_path / "f", by="days"
    )
    assert all(p.stat().st_size > 5000 for p in paths)


@pytest.mark.browser
@pytest.mark.parametrize("as_of, n", [("2024-12-31", 63), ("2025-10-01", 34)])
def test_map_in_chromium(browser, tmp_path: Path, as_of: str, n: int) -> None:  # noqa: F811
    G = _graph()
    result = geomap.statuses(G, "d", as_of=as_of)
    v = visit(browser, geomap.write_html(result, tmp_path / "map.html"))
    v.check_clean()
    drawn = v.js("""() => [...document.querySelectorAll('#map .unit')].map(p =>
        [p.getAttribute('data-unit'), p.getAttribute('data-status'), getComputedStyle(p).fill,
         p.getBBox().width > 0])""")
    assert len(drawn) == n and all(visible for *_, visible in drawn)
    cov = query.coverage(G, "d", as_of=as_of)
    with_plan = {row["province"] for row in cov["rows"] if row["party"] or row["state"] or row["other"]}
    grey = "rgb(244, 244, 244)"
    assert with_plan
    for unit, status, fill, _ in drawn:
        assert (unit not in with_plan) == (status == "not_yet") == (fill == grey), unit
    v.page.check("input[value=days]")
    assert v.js("() => document.querySelector('#map .unit').style.fill") != ""
    v.shot(f"geomap-{n}")
    v.check_clean()
