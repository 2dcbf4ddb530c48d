"""graph: node kinds, plain scalar attributes, edges with evidence, GraphML/GEXF/node-link round trips."""
import json

import networkx as nx
import pytest

from cascade.extract.pipeline import extract_text
from cascade.graph import ASSERTED_BY, EVIDENCE, KIND, RELATION, build_graph, cascade_view
from cascade.identity.documents import resolve
from cascade.outputs import export

TEXT = ("UBND TỈNH ĐẮK LẮK\nSố: 12/KH-UBND\nĐắk Lắk, ngày 30 tháng 6 năm 2021\n\nKẾ HOẠCH\n\n"
        "Triển khai Kế hoạch số 07-KH/TU ngày 23/12/2020 của Ban Thường vụ Tỉnh ủy\n\n"
        "Thực hiện Kế hoạch số 07-KH/TU ngày 23/12/2020 của Ban Thường vụ Tỉnh ủy thực hiện "
        "Kết luận số 93-KL/TW của Ban Bí thư, UBND tỉnh ban hành kế hoạch:\n\n"
        "I. NHIỆM VỤ\n\n1. Tuyên truyền\n\n"
        "Giao Sở Thông tin và Truyền thông chủ trì, phối hợp với Sở Nội vụ thực hiện.\n\n"
        "Thời gian thực hiện: Thường xuyên.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Văn An\n")


def graph():
    return build_graph(resolve([extract_text(TEXT, "plan.txt")]))


def test_kinds_and_relations():
    G = graph()
    kinds = {k for _, k in G.nodes(data=KIND)}
    assert {"document", "organization", "jurisdiction", "person", "task", "agency"} <= kinds
    rels = {(a, d[RELATION], b) for a, b, d in G.edges(data=True)}
    assert ("12/KH-UBND@Đắk Lắk", "implements", "07-KH/TU@Đắk Lắk") in rels
    assert ("07-KH/TU@Đắk Lắk", "implements", "93-KL/TW") in rels
    assert ("12/KH-UBND@Đắk Lắk", "in_jurisdiction", "place:Đắk Lắk") in rels
    lead = [b for a, b, d in G.edges(data=True) if d[RELATION] == "lead"]
    assert lead and G.nodes[lead[0]]["name"] == "Sở Thông tin và Truyền thông"


def test_edges_carry_who_said_it_and_the_sentence():
    G = graph()
    d = G.get_edge_data("07-KH/TU@Đắk Lắk", "93-KL/TW", key="implements")
    assert d[ASSERTED_BY] == "plan.txt" and "Kết luận số 93-KL/TW" in d[EVIDENCE]


def test_attributes_are_plain_scalars_so_every_writer_accepts_them(tmp_path):
    G = graph()
    for _, d in G.nodes(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in d.values()), d
    export.write_graphml(tmp_path / "g.graphml", G)
    export.write_gexf(tmp_path / "g.gexf", G)
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert back.number_of_nodes() == G.number_of_nodes()
    data = json.loads(json.dumps(export.node_link(G), ensure_ascii=False))
    assert {n["id"] for n in data["nodes"]} == set(G.nodes) and "links" in data


def test_cascade_view_keeps_documents_and_implements_edges():
    H = cascade_view(graph())
    assert all(d[KIND] == "document" for _, d in H.nodes(data=True))
    assert set(H.edges) == {("12/KH-UBND@Đắk Lắk", "07-KH/TU@Đắk Lắk"), ("07-KH/TU@Đắk Lắk", "93-KL/TW")}


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "records.jsonl"
    target.write_text("old", encoding="utf-8")

    class Boom:
        def to_dict(self):
            raise RuntimeError("boom")
    with pytest.raises(RuntimeError):
        export.write_records(target, [Boom()])
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["records.jsonl"]


def test_written_files_get_ordinary_permissions(tmp_path):
    import os
    p = export.write_text(tmp_path / "a.txt", "x")
    mask = os.umask(0)
    os.umask(mask)
    assert p.stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_task_layer_made_apart_gives_the_same_graph_and_is_remade_when_the_plan_moves():
    from cascade.graph import task_layer
    rec = extract_text(TEXT, "plan.txt")
    c = resolve([rec])
    G = build_graph(c)
    layer = task_layer(rec)
    assert layer.tasks and all(suffix.startswith("#") for suffix, _, _ in layer.tasks)
    assert nx.utils.edges_equal(build_graph(c, {"plan.txt": layer}).edges(keys=True, data=True),
                                G.edges(keys=True, data=True))
    # a layer made for another province is not used: agencies belong to the plan's province
    elsewhere = layer._replace(jurisdiction=("Gia Lai", None),
                               agencies={k: {**v, "province": "Gia Lai"} for k, v in layer.agencies.items()})
    H = build_graph(c, {"plan.txt": elsewhere})
    agencies = [n for n, k in H.nodes(data=KIND) if k == "agency"]
    assert agencies and all(H.nodes[a]["province"] == "Đắk Lắk" for a in agencies)


def test_every_statement_of_a_relation_is_kept_and_read_back_without_resolving_again(tmp_path, monkeypatch):
    from cascade import rdf
    from cascade.corpus.build import build
    from cascade.graph import read_statements, span, split, statements

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.txt").write_text(TEXT, encoding="utf-8")
    copy = "\n" + TEXT.replace("ban hành kế hoạch", "ban hành Kế hoạch")
    (docs / "copy.txt").write_text(copy, encoding="utf-8")
    b = build([docs], tmp_path / "out", workers=1, extras=[rdf.build_extra])
    kept = read_statements(tmp_path / "out")
    assert kept == statements(b.corpus)
    twice = [(k, ev) for k, ev in kept.items() if len({e.source for e in ev}) == 2]
    assert twice, "the two copies state the same relations"
    (a, rel, target), evidence = twice[0]
    edge = b.graph.edges[a, target, rel]
    assert len(split(edge[ASSERTED_BY])) == 2 and span(edge["evidence_span"]) is not None

    def no_second_resolution(*args, **kwargs):
        raise AssertionError("resolution ran again")

    monkeypatch.setattr("cascade.identity.documents.resolve", no_second_resolution)
    src = rdf.load_source(tmp_path / "out")
    assert src.statements == kept
    trig = rdf.dumps(tmp_path / "out", "trig")
    for ev in evidence:                                   # each file's graph holds its own statement
        assert f'cas:span "{ev.start}-{ev.end}"' in trig
    assert read_statements(tmp_path / "nowhere") is None
