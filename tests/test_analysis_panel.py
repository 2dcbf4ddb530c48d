"""The discrete-time event-history panel: layout, events, exposure from neighbours."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest
from analysis_corpus import MAKE_CORPUS, directive_with_plans, synthetic

import cascade
from cascade import query
from cascade.analysis.geography import neighbours
from cascade.analysis.panel import panel, write


def _graph() -> nx.MultiDiGraph:
    return directive_with_plans("2021-01-15", [
        ("Hà Nam", "2021-02-10", "party"),
        ("Nam Định", "2021-03-20", "state"),
        ("Ninh Bình", "2021-05-02", "party"),
        ("Ninh Bình", "2021-05-02", "state"),
        ("Hà Nội", "2021-03-05", "state"),
        ("Gia Lai", "2021-08-01", "state"),
    ])


def test_rows_until_each_acts() -> None:
    p = panel(_graph(), "d", as_of="2021-06-30")
    rows = p["rows"]
    by_unit: dict[str, list[dict]] = {}
    for r in rows:
        by_unit.setdefault(r["unit"], []).append(r)
    assert len(by_unit) == 63 == p["units"]
    # January..June 2021: six months at risk for a unit that never acts (Gia Lai acts after as_of)
    assert [r["period"] for r in by_unit["Gia Lai"]] == [
        "2021-01",
        "2021-02",
        "2021-03",
        "2021-04",
        "2021-05",
        "2021-06",
    ]
    assert [r["t"] for r in by_unit["Hà Nam"]] == [1, 2] and [r["event"] for r in by_unit["Hà Nam"]] == [0, 1]
    assert len(by_unit["Ninh Bình"]) == 5 and by_unit["Ninh Bình"][-1]["branch"] == "both"
    assert len(rows) == 59 * 6 + 2 + 3 + 5 + 3  # never, Hà Nam, Nam Định, Ninh Bình, Hà Nội
    assert p["events"] == 4 == query.coverage(_graph(), "d", as_of="2021-06-30")["with_any"]


def test_exposure_hand_computed() -> None:
    assert neighbours("Ninh Bình") == {"Hà Nam", "Nam Định", "Thanh Hóa", "Hòa Bình"}
    rows = {(r["unit"], r["period"]): r for r in panel(_graph(), "d", as_of="2021-06-30")["rows"]}
    # Ninh Bình: Hà Nam acted 10 Feb (before March), Nam Định 20 March (before April)
    assert [
        (rows[("Ninh Bình", m)]["exposed"], rows[("Ninh Bình", m)]["exposed_share"])
        for m in ("2021-02", "2021-03", "2021-04")
    ] == [(0, 0.0), (1, 0.25), (2, 0.5)]
    # Hà Nội has eight neighbours; in April only Hà Nam among them had acted
    assert (rows[("Hà Nội", "2021-03")]["neighbours"], rows[("Hà Nội", "2021-03")]["exposed"]) == (8, 1)
    assert rows[("Hà Nội", "2021-03")]["region"] == "Đồng bằng sông Hồng"
    assert rows[("Hà Giang", "2021-01")]["unit_2025"] == "Tuyên Quang"


def test_quarters_and_days() -> None:
    q = panel(_graph(), "d", period="quarter", as_of="2021-06-30")
    assert {r["period"] for r in q["rows"]} == {"2021Q1", "2021Q2"}
    d = panel(_graph(), "d", period="day", as_of="2021-01-31")
    assert sum(1 for r in d["rows"] if r["unit"] == "Hà Nam") == 17  # 15..31 January


def test_write_csv_and_parquet(tmp_path: Path) -> None:
    p = panel(_graph(), "d", as_of="2021-06-30")
    out = write(p, tmp_path / "panel.csv")
    with out.open(encoding="utf-8") as fh:
        back = list(csv.DictReader(fh))
    assert len(back) == len(p["rows"]) and list(back[0]) == p["columns"]
    pq = pytest.importorskip("pyarrow.parquet")
    t = pq.read_table(write(p, tmp_path / "panel.parquet"))
    assert t.num_rows == len(p["rows"]) and sum(t.column("event").to_pylist()) == 4


@pytest.mark.skipif(not MAKE_CORPUS.exists(), reason="../shared is not beside the repo")
@pytest.mark.parametrize("level", ["province", "district"])
def test_synthetic_panel_matches_coverage(tmp_path_factory: pytest.TempPathFactory, level: str) -> None:
    root = tmp_path_factory.mktemp("synth")
    b = cascade.build([synthetic(root / "s")], root / "out", use_cache=False)
    G = b.graph
    directive = next(
        n for n, d in G.nodes(data=True) if d.get("kind") == "document" and d.get("level") == "central"
    )
    p = panel(G, directive, level=level)
    cov = query.coverage(G, directive, level=level)
    assert p["events"] == cov["with_any"] - len(p["undated"])
    n_periods = len({r["period"] for r in p["rows"]})
    units: dict[str, list[int]] = {}
    for r in p["rows"]:
        units.setdefault(r["unit"], []).append(r["event"])
    assert len(units) == p["units"] == cov["total"] - len(p["undated"])
    for events in units.values():  # every unit: periods until it acts, or all periods if it never does
        assert sum(events) <= 1 and (events[-1] == 1 or len(events) == n_periods)
    assert len(p["rows"]) == sum(len(e) for e in units.values())
