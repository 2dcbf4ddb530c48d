"""Reuse of a parent's text and tasks by the plans that implement it."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from cascade.analysis.reuse import reuse, shingles

PARENT = "một hai ba bốn năm sáu bảy tám"
# the first six words of the parent, then five of its own: 7 shingles of 5 words, 2 shared
CHILD = "Một hai ba bốn năm sáu xanh đỏ tím vàng lục"


def _graph(tmp: Path) -> nx.MultiDiGraph:
    (tmp / "p.txt").write_text(PARENT, encoding="utf-8")
    (tmp / "c.txt").write_text(CHILD, encoding="utf-8")
    (tmp / "d.txt").write_text("hoàn toàn khác không chung chữ nào cả", encoding="utf-8")
    G = nx.MultiDiGraph()
    G.add_node("root", kind="document", level="central", date="2021-01-01")
    G.add_node("P", kind="document", level="province", province="Gia Lai", source=str(tmp / "p.txt"))
    G.add_node(
        "C",
        kind="document",
        level="district",
        province="Gia Lai",
        district="Chư Sê",
        source=str(tmp / "c.txt"),
    )
    G.add_node(
        "D",
        kind="document",
        level="district",
        province="Gia Lai",
        district="Ia Pa",
        source=str(tmp / "d.txt"),
    )
    G.add_edge("P", "root", "implements", relation="implements")
    G.add_edge("C", "P", "implements", relation="implements")
    G.add_edge("D", "P", "implements", relation="implements")
    for i, text in enumerate(["hai ba bốn năm sáu bảy", "xanh đỏ tím vàng lục lam"]):
        G.add_node(f"task:C#{i}", kind="task", text=text)
        G.add_edge("C", f"task:C#{i}", "has_task", relation="has_task")
    return G


def test_shingles_fold_case_and_punctuation() -> None:
    assert (
        shingles("Một, hai ba. BỐN năm", 5) == shingles("một hai ba bốn năm", 5)
        and len(shingles("a b", 5)) == 0
    )


def test_reuse_shares(tmp_path: Path) -> None:
    r = reuse(_graph(tmp_path), "root")
    rows = {x["plan"]: x for x in r["rows"]}
    assert set(rows) == {"C", "D"}  # the root is not in the corpus: P has no parent to copy
    assert rows["C"]["text_share"] == round(2 / 7, 4)
    assert (rows["C"]["tasks"], rows["C"]["tasks_reused"], rows["C"]["task_share"]) == (2, 1, 0.5)
    assert rows["D"]["text_share"] == 0.0 and rows["D"]["tasks"] == 0 and rows["D"]["task_share"] is None
    assert r["by_level"]["district"]["plans"] == 2
    assert r["by_level"]["district"]["text_share_mean"] == round((2 / 7 + 0) / 2, 4)
    assert r["by_province"]["Gia Lai"]["task_share"] == 0.5
