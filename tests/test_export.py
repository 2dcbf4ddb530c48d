"""export: records as JSON Lines, the node-link graph, atomic writes."""
import contextlib
import json

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _many(nodes: int, edges: int) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(built="2021-01-01")
    G.add_nodes_from((f"n{i}", {"kind": "task", "text": f"việc {i}"}) for i in range(nodes))
    G.add_edges_from((f"n{i % nodes}", f"n{(i * 7) % nodes}", f"k{i}", {"relation": "lead", "due": str(i)})
                     for i in range(edges))
    return G


def test_write_node_link_writes_node_link_json_whatever_the_size(tmp_path):
    n = export.NodeLinkWriter.BATCH
    for nodes, edges in ((0, 0), (1, 0), (n, 0), (2 * n + 1, 3 * n - 1), (3, n + 1)):
        G = _many(nodes, edges)
        path = export.write_node_link(tmp_path / "graph.json", G)
        assert path.read_bytes() == export.node_link_json(G) + b"\n", (nodes, edges)


def test_edges_given_last_are_written_after_the_others_in_their_order(tmp_path):
    n = export.NodeLinkWriter.BATCH
    for nodes, edges, first in ((5, 2 * n + 3, n + 2), (5, 7, 0), (5, 7, 7), (5, n + 1, 1), (1, 0, 0)):
        G = _many(nodes, edges)
        links = list(G.edges(keys=True, data=True))
        with (tmp_path / "graph.json").open("wb") as f:
            w = export.NodeLinkWriter(f, G.graph, tmp_path)
            for u, v, k, d in links[first:]:          # given before the nodes are written, as a build does
                w.edge_last(u, v, k, d)
            for node, d in G.nodes(data=True):
                w.node(node, d)
            for u, v, k, d in links[:first]:
                w.edge(u, v, k, d)
            w.close()
        assert (tmp_path / "graph.json").read_bytes() == export.node_link_json(G) + b"\n", (edges, first)
        assert [p.name for p in tmp_path.iterdir()] == ["graph.json"]       # no temporary file left


def test_write_node_link_keeps_the_old_file_when_the_graph_cannot_be_written(tmp_path):
    target = tmp_path / "graph.json"
    target.write_text("old", encoding="utf-8")
    G = nx.MultiDiGraph()
    G.add_node("a", bad=object())                       # not JSON
    with contextlib.suppress(TypeError):
        export.write_node_link(target, G)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.json"]


# -- hostile texts in files other programs read (issue 16) ---------------------------------------------

FORMULA = "=cmd|' /C calc'!A0"


def _hostile_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node("a\x07", kind="document", label=FORMULA, title="tab\there\x0bvt\x00nul\x1b[31m", cited=1)
    G.add_node("b", kind="document", label="+SUM(A1)", title="@import", in_corpus=True)
    G.add_edge("a\x07", "b", key="implements", relation="implements", evidence="-2+3\x08")
    return G


def test_csv_cells_never_start_a_formula(tmp_path):
    import csv

    nodes, edges = export.write_csv(tmp_path, _hostile_graph())
    cells = [c for p in (nodes, edges) for row in csv.reader(p.open(encoding="utf-8")) for c in row]
    assert "'" + FORMULA in cells and "'+SUM(A1)" in cells and "'@import" in cells and "'-2+3\x08" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_graphml_and_gexf_hold_only_characters_xml_allows(tmp_path):
    import xml.etree.ElementTree as ET

    G = _hostile_graph()
    for write in (export.write_graphml, export.write_gexf):
        p = write(tmp_path / f"g.{write.__name__}", G)
        root = ET.parse(p).getroot()                                   # well-formed XML
        text = p.read_text(encoding="utf-8")
        assert not any(ch in text for ch in "\x00\x07\x08\x0b\x1b") and "\ufffd" in text
        assert root is not None
    assert "a\x07" in G                                                 # the graph itself is left alone


def test_a_calendar_carries_no_raw_control_character():
    from cascade.outputs.calendar import _ics_text

    assert _ics_text("Rà soát\x07\x1b[2J\r\nxong") == "Rà soát\ufffd\ufffd[2J\nxong"


_TRICKY = st.text(alphabet=st.sampled_from(list('aĐ"\\/\n\t\x00\x1f\x7f\u2028 é𝄞<&')), max_size=12)
_OFFSET = st.integers(0, 10**12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_TRICKY, _TRICKY, _TRICKY, st.lists(_TRICKY, max_size=3),
                          st.lists(st.tuples(_TRICKY, _OFFSET, _OFFSET, _TRICKY), max_size=3)), max_size=4))
def test_statement_lines_are_the_json_of_each_relation(edges):
    """Each line of statements.jsonl is what json.dumps writes for the relation and reads back as it."""
    from types import SimpleNamespace

    from cascade.graph import statement_lines
    from cascade.models import Edge, Evidence

    corpus = SimpleNamespace(edges=[Edge(a, rel, b, tuple(by), tuple(Evidence(*ev) for ev in evs))
                                    for a, rel, b, by, evs in edges])
    lines = list(statement_lines(corpus))
    assert len(lines) == len(edges)
    for line, e in zip(lines, corpus.edges, strict=True):
        expected = {"from": e.source, "relation": e.type, "to": e.target, "asserted_by": list(e.asserted_by),
                    "evidence": [{"source": ev.source, "span": [ev.start, ev.end], "quote": ev.quote}
                                 for ev in e.evidence]}
        assert line == json.dumps(expected, ensure_ascii=False) + "\n"
        assert json.loads(line) == expected


def test_statement_lines_write_an_odd_offset_as_json_does():
    """An offset that is not a plain int (a bool) is written as json.dumps writes it."""
    from types import SimpleNamespace

    from cascade.graph import statement_lines
    from cascade.models import Edge, Evidence

    e = Edge("a", "cites", "b", ("x.txt",), (Evidence("x.txt", True, 3, "q"),))
    (line,) = statement_lines(SimpleNamespace(edges=[e]))
    assert '"span": [true, 3]' in line
