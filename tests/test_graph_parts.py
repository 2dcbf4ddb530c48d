"""The graph walked from its parts (GraphParts) is the graph the record loop makes, in the same order.

The build keeps only the documents and the links between them in memory and remakes the
signers, tasks and agencies of each plan from its task layer as it writes graph.json and
cascade.db. These tests compare what it writes with a whole networkx graph made the plain
way: every signer and task added file by file (the way the graph was made before).
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import networkx as nx
import orjson

from cascade.corpus import store
from cascade.corpus.build import build, load_records
from cascade.extract.pipeline import extract_text
from cascade.graph import (
    AGENCY,
    KIND,
    LABEL,
    PERSON,
    RELATION,
    TASK,
    TASK_LINK,
    GraphParts,
    TaskLayer,
    _clean,
    _core_graph,
    _task_scope,
    build_graph,
    rescoped,
    task_layer,
)
from cascade.identity.documents import Corpus, resolve
from cascade.outputs.export import node_link_json
from cascade.vocab import DOCUMENT_RELATIONS


def plan(number: str, province: str, signer: str, extra: str = "") -> str:
    return (f"UBND TỈNH {province.upper()}\nSố: {number}\n{province}, ngày 30 tháng 6 năm 2021\n\n"
            "KẾ HOẠCH\n\n"
            "Triển khai Kết luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư\n\n"
            f"Thực hiện Kết luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư, UBND tỉnh {province} "
            "ban hành kế hoạch:\n\nI. NHIỆM VỤ\n\n1. Tuyên truyền\n\n"
            "Giao Sở Thông tin và Truyền thông chủ trì, phối hợp với Sở Nội vụ thực hiện; báo cáo kết quả về "
            "Sở Nội vụ trước ngày 15/12 hằng năm.\n\n"
            f"2. Rà soát\n\nSở Tư pháp chủ trì, phối hợp với Sở Nội vụ và Sở Tài chính thực hiện.\n\n{extra}"
            f"KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n{signer}\n")


# two files of one document (another signer, a task more, a task worded otherwise), and two other plans
FILES = {
    "a/gia-lai.txt": plan("12/KH-UBND", "Gia Lai", "Nguyễn Văn An"),
    "b/kon-tum.txt": plan("07/KH-UBND", "Kon Tum", "Trần Thị Bình"),
    "c/gia-lai-copy.txt": plan("12/KH-UBND", "Gia Lai", "Lê Văn Cường",
                               "3. Kiểm tra\n\nSở Nội vụ chủ trì kiểm tra việc thực hiện.\n\n")
    .replace("1. Tuyên truyền", "1. Tuyên truyền, phổ biến"),
    "d/dak-lak.txt": plan("30/KH-UBND", "Đắk Lắk", "Nguyễn Văn An"),
}


def reference(corpus: Corpus, layers: dict[str, TaskLayer] | None = None) -> nx.MultiDiGraph:
    """The whole graph, every signer and task added to one networkx graph file by file."""
    G = _core_graph(corpus)
    by_source = {r.source: r for r in corpus.records}
    for source, k in corpus.record_nodes.items():
        rec = by_source[source]
        s = rec.meta.signer
        if s is not None and s.name:
            pid = f"person:{s.name}@{rec.meta.issuer or k}"
            if pid not in G:
                G.add_node(pid, **_clean({KIND: PERSON, LABEL: s.name, "name": s.name}))
            G.add_edge(k, pid, key="signed_by", **_clean({RELATION: "signed_by", "title": s.title,
                                                          "capacity": s.capacity}))
        layer = (layers or {}).get(source)
        if layer is None or layer.jurisdiction != _task_scope(rec):
            layer = task_layer(rec)
        for suffix, attrs, edges in layer.tasks:
            tid = f"task:{k}{suffix}"
            G.add_node(tid, **attrs)
            G.add_edge(k, tid, "has_task", relation="has_task")
            for role, aid, edge_attrs in edges:
                if aid not in G:
                    G.add_node(aid, **layer.agencies[aid])
                G.add_edge(tid, aid, role, **edge_attrs)
    return G


def _corpus() -> Corpus:
    return resolve([extract_text(text, name) for name, text in FILES.items()])


def _same_order(G: nx.MultiDiGraph, R: nx.MultiDiGraph) -> None:
    assert list(G.nodes(data=True)) == list(R.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(R.edges(keys=True, data=True))


def test_the_corpus_has_a_document_read_from_two_files_with_tasks_and_signers():
    c = _corpus()
    assert c.record_nodes["a/gia-lai.txt"] == c.record_nodes["c/gia-lai-copy.txt"]
    G = reference(c)
    doc = c.record_nodes["a/gia-lai.txt"]
    signers = [v for v, d in G.succ[doc].items() if "signed_by" in d]
    tasks = [v for v, d in G.succ[doc].items() if "has_task" in d]
    assert len(signers) == 2 and len(tasks) == 3
    # the task both files state holds the second file's wording
    assert G.nodes[tasks[0]]["text"] == "Tuyên truyền, phổ biến"


def test_build_graph_and_the_walk_give_the_reference_graph_in_its_order(tmp_path: Path):
    c = _corpus()
    R = reference(c)
    G = build_graph(c)
    G.graph["built"] = R.graph["built"]
    _same_order(G, R)
    parts = GraphParts(c)
    assert list(parts.nodes()) == list(R.nodes(data=True))
    assert list(parts.edges()) == list(R.edges(keys=True, data=True))
    # the walk for writing: each task with its document and its edges, then the edges out of the others
    walk = parts.walk(tmp_path)
    nodes = list(walk.nodes())
    assert [(n, d) for n, d, _ in nodes] == list(R.nodes(data=True))
    tasks = [(n, t) for n, _, t in nodes if t is not None]
    assert [n for n, _ in tasks] == [n for n, k in R.nodes(data=KIND) if k == TASK] and len(tasks) == 7
    for n, t in tasks:
        assert t.document == next(u for u, _ in R.in_edges(n))
        assert [(n, v, k, d) for v, keys in t.edges.items() for k, d in keys.items()] == list(
            R.out_edges(n, keys=True, data=True)) != []
        # an agency's attributes as the plan's first file names it
        assert all(t.targets[v][KIND] == AGENCY == R.nodes[v][KIND] for v in t.edges)
    edges = list(walk.edges())
    assert edges == [e for e in R.edges(keys=True, data=True) if R.nodes[e[0]][KIND] != TASK]
    # each document's edges to its tasks with TASK_LINK itself, which the database keeps as tasks.document
    assert [(u, v) for u, v, _, d in edges if d is TASK_LINK] == [
        (u, v) for u, v, k in R.edges(keys=True) if k == "has_task"] != []
    assert not list(tmp_path.iterdir())           # its temporary file is gone


def test_layers_are_merged_as_networkx_merges_a_node_or_edge_added_twice():
    c = _corpus()
    by_source = {r.source: r for r in c.records}
    layers = {s: task_layer(r) for s, r in by_source.items()}
    # the copy reports twice to the same agency (one edge, its attributes updated), and its layer for
    # Kon Tum is made for another province (not used: remade from the record)
    suffix, attrs, edges = layers["c/gia-lai-copy.txt"].tasks[0]
    reports = next(e for e in edges if e[0] == "reports_to")
    twice = (*edges, ("reports_to", reports[1], {RELATION: "reports_to", "due": "06-30", "extra": 1}))
    layers["c/gia-lai-copy.txt"] = layers["c/gia-lai-copy.txt"]._replace(
        tasks=((suffix, {**attrs, "note": "x"}, twice), *layers["c/gia-lai-copy.txt"].tasks[1:]))
    layers["b/kon-tum.txt"] = layers["b/kon-tum.txt"]._replace(jurisdiction=("Gia Lai", None))
    R = reference(c, layers)
    G = build_graph(c, layers)
    G.graph["built"] = R.graph["built"]
    _same_order(G, R)
    tid = f"task:{c.record_nodes['a/gia-lai.txt']}{suffix}"
    assert R.nodes[tid]["note"] == "x"
    assert R.edges[tid, reports[1], "reports_to"] == {**reports[2], "due": "06-30", "extra": 1}
    assert all(R.nodes[a]["province"] == "Kon Tum" for a in R if a.endswith("@kon tum"))


def _rows(db: Path, table: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    finally:
        con.close()


def _write(docs: Path) -> Path:
    """The files of :data:`FILES` under ``docs``."""
    for name, text in FILES.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    return docs


def test_the_build_writes_what_the_whole_graph_gives(tmp_path: Path):
    docs = _write(tmp_path / "docs")
    out = tmp_path / "out"
    b = build([docs], out, workers=1, turtle=False, html=False)
    R = reference(resolve(load_records(out)))             # the whole records, tasks included
    written = orjson.loads((out / "graph.json").read_bytes())
    R.graph["built"] = written["graph"]["built"]
    assert (out / "graph.json").read_bytes() == node_link_json(R) + b"\n"
    db = out / "cascade.db"
    # the tasks and their edges are rows of tasks and task_agencies (which also give the edges from the
    # documents to their tasks), the rest of the graph JSON in nodes, links (between documents) and
    # edges (the others); each in the graph's order, with its place in the graph (seq)
    assert _rows(db, "nodes") == [(i, n, d.get(KIND), orjson.dumps(d).decode())
                                  for i, (n, d) in enumerate(R.nodes(data=True)) if d[KIND] != TASK]
    every = [(i, u, v, k, d.get(RELATION), orjson.dumps(d).decode())
             for i, (u, v, k, d) in enumerate(R.edges(keys=True, data=True)) if R.nodes[u][KIND] != TASK]
    links = [e for e in every if e[4] in DOCUMENT_RELATIONS]
    assert _rows(db, "links") == links and links
    assert _rows(db, "edges") == [e for e in every if e[4] not in (*DOCUMENT_RELATIONS, "has_task")]
    with store.connect(db) as con:
        assert store.read_meta(con)["task_links"] == 7
    tasks = [(n, next(u for u, _ in R.in_edges(n)), d["label"], d["text"], d["evidence_source"], i)
             for i, (n, d) in enumerate(R.nodes(data=True)) if d[KIND] == TASK]
    assert [(*row[:3], row[4], row[11], row[14]) for row in _rows(db, "tasks")] == tasks and len(tasks) == 7
    assert _rows(db, "task_agencies") == [
        (u, d[RELATION], v, d.get("due"), d.get("recurrence"), d.get("deadline_text"))
        for u, v, d in R.edges(data=True) if R.nodes[v][KIND] == AGENCY]
    assert any(row[3] for row in _rows(db, "task_agencies"))     # a report's deadline
    assert [row[0] for row in _rows(db, "agencies")] == [n for n, k in R.nodes(data=KIND) if k == AGENCY]
    assert b.stats["nodes"] == R.number_of_nodes() and b.stats["edges"] == R.number_of_edges()
    kinds: dict[str, int] = {}
    for _, k in R.nodes(data=KIND):
        kinds[k] = kinds.get(k, 0) + 1
    assert b.kinds() == kinds and kinds[TASK] == 7      # counted in cascade.db
    # the document graph the build holds: the whole graph's documents, bodies and places, in its order
    assert list(b.document_graph.nodes(data=True)) == [
        (n, d) for n, d in R.nodes(data=True) if d[KIND] not in (TASK, AGENCY, PERSON)]
    # the graph of the build is read from cascade.db when asked for: the whole graph
    assert list(b.graph.nodes(data=True)) == list(R.nodes(data=True))
    assert list(b.graph.edges(keys=True, data=True)) == list(R.edges(keys=True, data=True))


def test_the_turtle_and_the_map_of_the_build_are_those_of_the_whole_graph(tmp_path: Path):
    from cascade import rdf
    from cascade.outputs.maps import map_html

    docs = _write(tmp_path / "docs")
    out = tmp_path / "out"
    b = build([docs], out, workers=1)
    R = reference(resolve(load_records(out)))
    R.graph["built"] = orjson.loads((out / "graph.json").read_bytes())["graph"]["built"]
    turtle = (out / "cascade.ttl").read_text(encoding="utf-8")
    assert "p-plan:Step" in turtle and turtle == rdf.dumps(R, "ttl")
    assert (out / "map.html").read_text(encoding="utf-8") == map_html(R)
    assert b.walked_graph() is b.graph            # the streamed graph lives only while the build writes


MOVED = {
    "p.txt": "TỈNH ỦY ĐỒNG THÁP\n*\nSố 39-KH/TU\nĐồng Tháp, ngày 18 tháng 11 năm 2021\n\nKẾ HOẠCH\n\n"
             "Thực hiện Kết luận số 12-KL/TW ngày 05/9/2021 của Ban Bí thư\n",
    # Tam Nông is a district of Phú Thọ and of Đồng Tháp: resolution places the plan where its source is
    "c.txt": "HUYỆN ỦY TAM NÔNG\n*\nSố 09-KH/HU\nTam Nông, ngày 02 tháng 12 năm 2021\n\nKẾ HOẠCH\n\n"
             "Thực hiện Kế hoạch số 39-KH/TU ngày 18/11/2021 của Ban Thường vụ Tỉnh ủy, Ban Thường vụ "
             "Huyện ủy ban hành kế hoạch:\n\n1. Tuyên truyền\n\nBan Tuyên giáo Huyện ủy chủ trì, phối hợp "
             "với Ủy ban Mặt trận Tổ quốc huyện thực hiện.\n\nT/M BAN THƯỜNG VỤ\nBÍ THƯ\n\nNguyễn Văn Hòa\n",
}


def test_a_plan_resolution_moves_keeps_its_tasks_and_evidence_and_its_agencies_move_with_it(tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in MOVED.items():
        (docs / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    build([docs], out, workers=1, turtle=False, html=False)
    records = {Path(r.source).name: r for r in load_records(out)}
    moved = records["c.txt"]
    assert (moved.meta.province, moved.meta.district) == ("Đồng Tháp", "Tam Nông")
    whole = extract_text(MOVED["c.txt"], moved.source)            # what the worker extracted
    assert whole.meta.province == "Phú Thọ" and whole.tasks
    assert [t.to_dict() for t in moved.tasks] == [t.to_dict() for t in whole.tasks]
    assert moved.meta.evidence == whole.meta.evidence
    R = reference(resolve(list(records.values())))
    written = orjson.loads((out / "graph.json").read_bytes())
    R.graph["built"] = written["graph"]["built"]
    assert (out / "graph.json").read_bytes() == node_link_json(R) + b"\n"
    agencies = [d for _, d in R.nodes(data=True) if d[KIND] == AGENCY]
    assert agencies and all(d["province"] == "Đồng Tháp" for d in agencies)


# a district plan naming a central body, provincial departments and district bodies
DISTRICT_PLAN = (
    "HUYỆN ỦY TAM NÔNG\n*\nSố 09-KH/HU\nTam Nông, ngày 02 tháng 12 năm 2021\n\nKẾ HOẠCH\n\n"
    "Thực hiện Kế hoạch số 39-KH/TU ngày 18/11/2021 của Ban Thường vụ Tỉnh ủy, Ban Thường vụ Huyện ủy ban "
    "hành kế hoạch:\n\n1. Tuyên truyền\n\nBan Tuyên giáo Huyện ủy chủ trì, phối hợp với Ủy ban Mặt trận Tổ "
    "quốc huyện và Sở Nội vụ thực hiện; báo cáo kết quả về Ban Tuyên giáo Trung ương trước ngày 15/12 hằng "
    "năm.\n\n2. Rà soát\n\nPhòng Nội vụ huyện chủ trì, phối hợp với Bộ Nội vụ và Sở Tài chính thực "
    "hiện.\n\nT/M BAN THƯỜNG VỤ\nBÍ THƯ\n\nNguyễn Văn Hòa\n")


def test_a_moved_plans_layer_is_rescoped_as_task_layer_makes_it_there():
    from dataclasses import replace

    from cascade.corpus.extraction import decode_layer, encode_layer

    rec = extract_text(DISTRICT_PLAN, "c.txt")
    layer = task_layer(rec)
    levels = {"VN" if aid.endswith("@VN") else aid.rpartition("@")[2].count("/") for aid in layer.agencies}
    assert _task_scope(rec) == ("Phú Thọ", "Tam Nông") and levels == {0, 1, "VN"}

    def moved(province: str | None, district: str | None, level: str = "district"):
        return replace(rec, meta=replace(rec.meta, province=province, district=district, level=level))

    for other in (moved("Đồng Tháp", "Tam Nông"), moved("Đồng Tháp", None), moved(None, "Tam Nông"),
                  moved("Đồng Tháp", "Tam Nông", "province")):
        want = task_layer(other)
        assert rescoped(layer, _task_scope(other)) == want
        # as the build reads it back from the worker's shard (lists for tuples)
        again = rescoped(decode_layer(encode_layer(layer)), _task_scope(other))
        assert again is not None and encode_layer(again) == encode_layer(want)
    # made without a district: whether a body is the district's or the province's is not in its id
    province_layer = task_layer(moved("Phú Thọ", None, "province"))
    assert rescoped(province_layer, ("Đồng Tháp", "Tam Nông")) is None
    assert rescoped(province_layer, ("Đồng Tháp", None)) == task_layer(moved("Đồng Tháp", None, "province"))
    # a district body and a provincial body of one name would be one agency without the district
    two = TaskLayer(("Phú Thọ", "Tam Nông"), (), {"agency:x@phú thọ/tam nông": {}, "agency:x@phú thọ": {}})
    assert rescoped(two, ("Đồng Tháp", None)) is None and rescoped(two, ("Đồng Tháp", "Tam Nông")) is not None


def test_a_slim_record_keeps_what_resolution_reads_and_holds_each_quote_once():
    from dataclasses import replace

    from cascade.corpus.extraction import slim_record

    rec = extract_text(FILES["a/gia-lai.txt"], "a.txt")
    # each relation's sentence as a string of its own, equal to its mention's (as records read back have it)
    rec = replace(rec, relations=tuple(
        replace(r, evidence=replace(r.evidence, quote="".join(list(r.evidence.quote))))
        if r.evidence is not None else r for r in rec.relations))
    assert any(r.evidence is not None and r.evidence.quote in {m.evidence.quote for m in rec.mentions}
               for r in rec.relations)
    slim = slim_record(rec)
    assert rec.tasks and rec.meta.evidence and rec.relations
    assert slim.tasks == () and slim.meta.evidence == ()
    assert slim.mentions == rec.mentions and slim.relations == rec.relations
    assert slim.meta == type(rec.meta)(**{**{f: getattr(rec.meta, f) for f in rec.meta.__slots__},
                                          "evidence": ()})
    held = {id(m.evidence.quote) for m in slim.mentions} | {id(r.evidence.quote) for r in slim.relations
                                                            if r.evidence is not None}
    values = {m.evidence.quote for m in slim.mentions} | {r.evidence.quote for r in slim.relations
                                                          if r.evidence is not None}
    assert len(held) == len(values)


def test_a_plans_agency_nodes_are_its_own_where_plans_share_an_agencys_id():
    """The node of an agency is made once per name and jurisdiction and shared by the plans that name it
    (task_layer keeps them): a plan elsewhere, or one that names the agency otherwise first, still gets
    attributes of its own."""
    from cascade.models import Metadata, Record, Task

    def layer(province: str, *names: str) -> TaskLayer:
        tasks = tuple(Task(label=str(i), text="Thực hiện.", lead=(name,)) for i, name in enumerate(names, 1))
        return task_layer(Record(f"{province}-{'-'.join(names)}.txt", "", Metadata(level="province",
                                                                                   province=province),
                                 tasks=tasks))

    gia_lai, kon_tum = layer("Gia Lai", "Bộ Nội vụ", "Sở Nội vụ"), layer("Kon Tum", "Bộ Nội vụ", "Sở Nội vụ")
    central = {aid for aid in gia_lai.agencies if aid.endswith("@VN")}
    assert central and central == {aid for aid in kon_tum.agencies if aid.endswith("@VN")}
    for aid in central:                      # one id, but the node names the province of the plan at hand
        assert gia_lai.agencies[aid]["province"] == "Gia Lai"
        assert kon_tum.agencies[aid]["province"] == "Kon Tum"
    assert set(gia_lai.agencies) != set(kon_tum.agencies)        # the provincial body is each province's own
    # two names of one body: the plan's first name labels its node, whichever plan came before
    full_first, short_first = layer("Gia Lai", "Sở Nội vụ", "Sở NV"), layer("Gia Lai", "Sở NV", "Sở Nội vụ")
    (aid,) = full_first.agencies
    assert list(short_first.agencies) == [aid]
    assert full_first.agencies[aid][LABEL] == "Sở Nội vụ" and short_first.agencies[aid][LABEL] == "Sở NV"
    assert [e[1] for _, _, edges in short_first.tasks for e in edges] == [aid, aid]
