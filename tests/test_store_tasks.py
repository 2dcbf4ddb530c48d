"""The tasks of cascade.db: kept once, as rows of tasks and task_agencies, and made into graph nodes again.

cascade.db holds each task and its edges to agencies as table rows only (not as JSON in
nodes and edges as well); read_graph puts them back in their places. These tests write
graphs of their own (tasks interleaved with agencies and signers, a document whose signer
comes after its tasks, deadlines on reports, tasks the columns cannot hold exactly) and
check that the graph read back is the one written, node by node and edge by edge, in order;
that a build's edges from documents to their tasks, left out of edges, come back in their places;
and that a database of the first schema still reads and one of a later schema is refused.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import orjson
import pytest

from cascade.corpus import store
from cascade.corpus.build import Build
from cascade.errors import BuildError
from cascade.graph import AGENCY, DOCUMENT, KIND, LABEL, PERSON, RELATION, TASK, TASK_LINK, WholeGraph


def _agency(G: nx.MultiDiGraph, name: str) -> str:
    aid = f"agency:{name.lower()}@gia lai"
    G.add_node(aid, **{KIND: AGENCY, LABEL: name, "name": name, "province": "Gia Lai", "group": False})
    return aid


def _graph(odd: bool = False) -> nx.MultiDiGraph:
    """Two plans of a conclusion; with ``odd``, tasks that the columns of tasks cannot hold exactly."""
    G = nx.MultiDiGraph(cascade_version="test", built="2021-01-01T00:00:00+00:00", documents=2)
    G.add_node("93-KL/TW", **{KIND: DOCUMENT, LABEL: "93-KL/TW", "type": "KL", "in_corpus": False})
    for k in ("12/KH-UBND@Gia Lai", "30/KH-UBND@Gia Lai"):
        G.add_node(k, **{KIND: DOCUMENT, LABEL: k.split("@")[0], "province": "Gia Lai", "in_corpus": True,
                         "confidence": 0.9})
        G.add_edge(k, "93-KL/TW", key="implements", relation="implements", asserted_by="a.txt",
                   statements=1, evidence="Thực hiện Kết luận số 93-KL/TW", evidence_span="10-40")
    a, b = "12/KH-UBND@Gia Lai", "30/KH-UBND@Gia Lai"
    noi_vu, tai_chinh = _agency(G, "Sở Nội vụ"), _agency(G, "Sở Tài chính")
    t1 = f"task:{a}#I.1"
    G.add_node(t1, **{KIND: TASK, LABEL: "I.1", "text": "Tuyên truyền, phổ biến", "section": "tasks",
                      "deadline_text": "trong năm 2021", "start": "2021", "end": "2021-12",
                      "evidence_source": "a.txt", "evidence_span": "120-164"})
    G.add_edge(a, t1, key="has_task", relation="has_task")
    G.add_edge(t1, noi_vu, key="lead", relation="lead")
    G.add_edge(t1, tai_chinh, key="cooperating", relation="cooperating")
    G.add_edge(t1, noi_vu, key="reports_to", relation="reports_to", due="12-15", recurrence="annual",
               deadline_text="trước ngày 15/12 hằng năm")
    # a signer after a task (a second file of the plan), then a task with a label only and one with
    # an empty label and source, an agency named between them
    G.add_node("person:Lê Văn Cường@UBND tỉnh Gia Lai", **{KIND: PERSON, LABEL: "Lê Văn Cường"})
    G.add_edge(a, "person:Lê Văn Cường@UBND tỉnh Gia Lai", key="signed_by", relation="signed_by",
               title="Phó Chủ tịch")
    t2 = f"task:{a}#I.2"
    G.add_node(t2, **{KIND: TASK, LABEL: "I.2"})
    G.add_edge(a, t2, key="has_task", relation="has_task")
    tu_phap = _agency(G, "Sở Tư pháp")
    t3 = f"task:{b}#"
    G.add_node(t3, **{KIND: TASK, LABEL: "", "text": "Kiểm tra", "deliverable": "báo cáo",
                      "due": "2022-06-30", "recurrence": "ongoing", "evidence_source": ""})
    G.add_edge(b, t3, key="has_task", relation="has_task")
    G.add_edge(t3, tu_phap, key="lead", relation="lead")
    G.add_edge(t3, noi_vu, key="reports_to", relation="reports_to", deadline_text="hằng quý")
    if odd:
        odd_tasks = {
            "note": {KIND: TASK, LABEL: "II.1", "note": "x"},                 # an attribute of no column
            "number": {KIND: TASK, LABEL: "II.2", "start": 2021},             # not a string
            "span": {KIND: TASK, LABEL: "II.3", "evidence_span": "007-9"},    # a span written otherwise
            "nolabel": {KIND: TASK, "text": "Rà soát"},
            "edge": {KIND: TASK, LABEL: "II.4"},                          # its edge has an attribute more
            "target": {KIND: TASK, LABEL: "II.5"},                        # an edge to a document
            "key": {KIND: TASK, LABEL: "II.6"},                           # keyed otherwise than its relation
        }
        for suffix, attrs in odd_tasks.items():
            tid = f"task:{b}#{suffix}"
            G.add_node(tid, **attrs)
            G.add_edge(b, tid, key="has_task", relation="has_task")
            G.add_edge(tid, tu_phap, key="lead", relation="lead")
        G.add_edge(f"task:{b}#edge", noi_vu, key="reports_to", relation="reports_to", extra=1)
        G.add_edge(f"task:{b}#target", "93-KL/TW", key="lead", relation="lead")
        G.add_edge(f"task:{b}#key", noi_vu, key="lead2", relation="lead")
        G.add_node("org:UBND tỉnh Gia Lai", **{KIND: "organization", LABEL: "UBND tỉnh Gia Lai"})
        G.add_edge(b, "org:UBND tỉnh Gia Lai", key="issued_by", relation="issued_by")
    return G


def _write(tmp_path: Path, G: nx.MultiDiGraph) -> Path:
    path = tmp_path / "cascade.db"
    store.write(path, Build(out=tmp_path, graph=G), "b1")
    return path


def _read(path: Path) -> nx.MultiDiGraph:
    with store.connect(path) as con:
        return store.read_graph(con)


def _same(G: nx.MultiDiGraph, H: nx.MultiDiGraph) -> None:
    assert list(H.nodes(data=True)) == list(G.nodes(data=True))
    assert list(H.edges(keys=True, data=True)) == list(G.edges(keys=True, data=True))
    assert H.graph == G.graph


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_tasks_are_rows_of_tasks_and_task_agencies_only_and_read_back_in_their_places(tmp_path):
    G = _graph()
    path = _write(tmp_path, G)
    assert _rows(path, "SELECT COUNT(*) FROM nodes WHERE kind = 'task'") == [(0,)]
    assert _rows(path, "SELECT COUNT(*) FROM edges WHERE source LIKE 'task:%'") == [(0,)]
    order = list(G)
    assert _rows(path, "SELECT id, document, seq FROM tasks ORDER BY rowid") == [
        (n, n[5:].split("#")[0], order.index(n)) for n in G if G.nodes[n][KIND] == TASK]
    assert _rows(path, "SELECT task, role, agency, due, recurrence, deadline_text FROM task_agencies") == [
        (u, d[RELATION], v, d.get("due"), d.get("recurrence"), d.get("deadline_text"))
        for u, v, d in G.edges(data=True) if G.nodes[u][KIND] == TASK]
    H = _read(path)
    _same(G, H)
    # the empty label and source stay empty strings; an attribute a task lacks stays absent
    assert H.nodes["task:30/KH-UBND@Gia Lai#"][LABEL] == "" == H.nodes["task:30/KH-UBND@Gia Lai#"][
        "evidence_source"]
    assert set(H.nodes["task:12/KH-UBND@Gia Lai#I.2"]) == {KIND, LABEL}
    with store.connect(path) as con:
        assert store.count_kinds(con) == {DOCUMENT: 3, AGENCY: 3, PERSON: 1, TASK: 3}


def test_a_task_the_columns_cannot_hold_exactly_is_kept_whole_and_reads_back_the_same(tmp_path):
    G = _graph(odd=True)
    path = _write(tmp_path, G)
    whole = [n for n, in _rows(path, "SELECT id FROM nodes WHERE kind = 'task' ORDER BY rowid")]
    assert [n.split("#")[1] for n in whole] == ["note", "number", "span", "nolabel", "edge", "target", "key"]
    # every task still has its row in tasks (without a place: its node is in nodes), every edge to an
    # agency its row in task_agencies
    assert _rows(path, "SELECT id FROM tasks WHERE seq IS NULL ORDER BY rowid") == [(n,) for n in whole]
    assert len(_rows(path, "SELECT * FROM tasks")) == 10
    assert len(_rows(path, "SELECT * FROM task_agencies")) == sum(
        1 for u, v in G.edges() if G.nodes[u][KIND] == TASK and G.nodes[v][KIND] == AGENCY)
    _same(G, _read(path))
    with store.connect(path) as con:
        assert store.count_kinds(con)[TASK] == 10


class _Linked(WholeGraph):
    """A graph walked as a build walks it: each document's edges to its tasks given with TASK_LINK."""

    def edges(self) -> Iterator[tuple[str, str, str, dict[str, object]]]:
        for u, v, k, d in super().edges():
            yield u, v, k, TASK_LINK if k == "has_task" else d


def test_the_edges_from_documents_to_their_tasks_are_the_tasks_documents_and_read_back_in_place(tmp_path):
    G = _graph()
    # a document whose only edges go to its tasks, first in the graph, and another last
    for doc, n in (("93-KL/TW", 2), ("45/KH-UBND@Gia Lai", 3)):
        G.add_node(doc, **{KIND: DOCUMENT, LABEL: doc})
        for i in range(n):
            G.add_node(f"task:{doc}#{i}", **{KIND: TASK, LABEL: str(i)})
            G.add_edge(doc, f"task:{doc}#{i}", key="has_task", relation="has_task")
    path = tmp_path / "cascade.db"
    store.write(path, Build(out=tmp_path, graph=G), "b1", _Linked(G))
    assert _rows(path, "SELECT COUNT(*) FROM edges WHERE relation = 'has_task'") == [(0,)]
    with store.connect(path) as con:
        assert store.read_meta(con)["task_links"] == sum(1 for *_, k in G.edges(keys=True) if k == "has_task")
    _same(G, _read(path))
    # written whole, the same graph keeps them as rows
    store.write(path, Build(out=tmp_path, graph=G), "b1")
    assert _rows(path, "SELECT COUNT(*) FROM edges WHERE relation = 'has_task'") == [(8,)]
    _same(G, _read(path))


def test_a_database_of_the_first_schema_reads_as_before(tmp_path):
    """Schema 1 kept the tasks in nodes and edges as well (and had no tasks.seq)."""
    G = _graph()
    path = tmp_path / "cascade.db"
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE nodes (seq INTEGER NOT NULL, id TEXT NOT NULL, kind TEXT, attrs TEXT NOT NULL);
        CREATE TABLE edges (seq INTEGER NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL, key TEXT,
            relation TEXT, attrs TEXT NOT NULL);
        CREATE TABLE tasks (id TEXT NOT NULL, document TEXT, label TEXT);
        CREATE TABLE task_agencies (task TEXT, role TEXT, agency TEXT, due TEXT, recurrence TEXT,
            deadline_text TEXT);""")
    con.executemany("INSERT INTO meta VALUES (?, ?)", [("schema", "1"), ("build", '"b1"'),
                                                       ("graph", orjson.dumps(G.graph).decode())])
    con.executemany("INSERT INTO nodes VALUES (?, ?, ?, ?)", [
        (i, n, d[KIND], orjson.dumps(d).decode()) for i, (n, d) in enumerate(G.nodes(data=True))])
    con.executemany("INSERT INTO edges VALUES (?, ?, ?, ?, ?, ?)", [
        (i, u, v, k, d[RELATION], orjson.dumps(d).decode())
        for i, (u, v, k, d) in enumerate(G.edges(keys=True, data=True))])
    con.executemany("INSERT INTO tasks VALUES (?, ?, ?)", [
        (v, u, G.nodes[v][LABEL]) for u, v, k in G.edges(keys=True) if k == "has_task"])
    con.executemany("INSERT INTO task_agencies VALUES (?, ?, ?, ?, ?, ?)", [
        (u, d[RELATION], v, None, None, None) for u, v, d in G.edges(data=True) if G.nodes[u][KIND] == TASK])
    con.commit()
    con.close()
    _same(G, _read(path))
    with store.connect(path) as con:
        assert store.count_kinds(con) == {AGENCY: 3, DOCUMENT: 3, PERSON: 1, TASK: 3}


def test_a_database_of_a_later_schema_is_refused_in_one_line(tmp_path):
    path = _write(tmp_path, _graph())
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(store.SCHEMA_VERSION + 1),))
    con.commit()
    con.close()
    for read in (store.read_graph, store.count_kinds):
        with store.connect(path) as con, pytest.raises(BuildError, match="run cascade build again") as e:
            read(con)
        assert "\n" not in str(e.value) and f"schema {store.SCHEMA_VERSION + 1}" in str(e.value)
