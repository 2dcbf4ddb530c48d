"""export: records as JSON Lines, the node-link graph, atomic writes."""
import json

import networkx as nx

from cascade.extract.pipeline import extract_text
from cascade.graph import build_graph
from cascade.identity.documents import resolve
from cascade.models import Record
from cascade.outputs import export

TEXT = ("UBND TỈNH GIA LAI\nSố: 5/KH-UBND\nGia Lai, ngày 2 tháng 3 năm 2022\n\nKẾ HOẠCH\n\n"
        "Thực hiện Kế hoạch số 07-KH/TU ngày 23/12/2020 của Ban Thường vụ Tỉnh ủy về \"chuyển đổi số\"\n\n"
        "I. NHIỆM VỤ\n\n1. Sở Nội vụ chủ trì, báo cáo UBND tỉnh trước ngày 15/12 hằng năm.\n")


def test_record_json_reads_back_as_the_same_record():
    rec = extract_text(TEXT, "a.txt")
    line = export.record_json(rec)
    assert b"\n" not in line and "chuyển đổi số".encode() in line
    assert Record.from_dict(json.loads(line)) == Record.from_dict(rec.to_dict())


def test_write_records_takes_records_and_serialised_lines(tmp_path):
    a, b = extract_text(TEXT, "a.txt"), extract_text(TEXT.replace("5/KH", "6/KH"), "b.txt")
    p = export.write_records(tmp_path / "records.jsonl", [a, export.record_json(b)])
    lines = p.read_bytes().split(b"\n")
    assert lines[-1] == b"" and len(lines) == 3
    assert [json.loads(x)["document"]["number"] for x in lines[:2]] == ["5/KH-UBND", "6/KH-UBND"]


def test_node_link_is_what_networkx_writes_and_reads_back():
    G = build_graph(resolve([extract_text(TEXT, "a.txt")]))
    assert export.node_link(G) == nx.node_link_data(G, edges="links")
    back = nx.node_link_graph(json.loads(export.node_link_json(G)), edges="links")
    assert sorted(back.edges(keys=True)) == sorted(G.edges(keys=True))
    assert dict(back.nodes(data=True)) == dict(G.nodes(data=True))


def test_node_link_of_a_simple_graph():
    G = nx.DiGraph()
    G.add_edge("a", "b", relation="implements")
    assert export.node_link(G)["links"] == [{"relation": "implements", "source": "a", "target": "b"}]


def test_write_node_link_keeps_the_old_file_when_the_graph_cannot_be_written(tmp_path):
    target = tmp_path / "graph.json"
    target.write_text("old", encoding="utf-8")
    G = nx.MultiDiGraph()
    G.add_node("a", bad=object())                       # not JSON
    try:
        export.write_node_link(target, G)
    except TypeError:
        pass
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.json"]
