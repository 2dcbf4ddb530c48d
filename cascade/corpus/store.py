"""The build as one SQLite database, ``cascade.db``: the graph and the facts behind it.

A standard file that sqlite3, pandas, DuckDB or Datasette open as it is. Two layers:

* the graph exactly as built (``nodes``, ``edges``, attributes as JSON), from which
  :func:`read_graph` gives the networkx graph back, whole or only its documents;
* tables for people who query the corpus directly: ``documents``, ``files``,
  ``mentions``, ``relations`` (one row per statement, with its evidence), ``tasks``,
  ``task_agencies``, ``agencies``, ``conflicts``, ``warnings`` and ``errors``.

The database is written into a temporary file and renamed, so a reader never sees half
of it. Nothing in it is code: reading a database someone sent runs nothing.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import orjson

from cascade.errors import BuildError
from cascade.graph import AGENCY, DOCUMENT, KIND, RELATION, TASK, GraphWalk, WholeGraph
from cascade.identity.documents import CASCADE
from cascade.vocab import DOCUMENT_RELATIONS

if TYPE_CHECKING:
    from cascade.corpus.build import Build

DB_FILE = "cascade.db"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE nodes (seq INTEGER NOT NULL, id TEXT NOT NULL, kind TEXT, attrs TEXT NOT NULL);
CREATE TABLE edges (seq INTEGER NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL, key TEXT, relation TEXT,
    attrs TEXT NOT NULL);
CREATE TABLE documents (id TEXT PRIMARY KEY, label TEXT, type TEXT, number TEXT, date TEXT, issuer TEXT,
    branch TEXT, level TEXT, province TEXT, district TEXT, title TEXT, source TEXT, in_corpus INTEGER,
    cited INTEGER, confidence REAL);
CREATE TABLE files (source TEXT PRIMARY KEY, document TEXT, sha256 TEXT, format TEXT);
CREATE TABLE mentions (file TEXT, mention TEXT, document TEXT, type TEXT, number TEXT, date TEXT,
    issuer TEXT, level TEXT, province TEXT, district TEXT, confidence REAL, span_start INTEGER,
    span_end INTEGER, quote TEXT);
CREATE TABLE relations (source TEXT, relation TEXT, target TEXT, file TEXT, span_start INTEGER,
    span_end INTEGER, quote TEXT);
CREATE TABLE tasks (id TEXT NOT NULL, document TEXT, label TEXT, section TEXT, text TEXT,
    deliverable TEXT, deadline_text TEXT, start TEXT, "end" TEXT, due TEXT, recurrence TEXT, file TEXT,
    span_start INTEGER, span_end INTEGER);
CREATE TABLE task_agencies (task TEXT, role TEXT, agency TEXT, due TEXT, recurrence TEXT, deadline_text TEXT);
CREATE TABLE agencies (id TEXT NOT NULL, name TEXT, province TEXT, district TEXT, is_group INTEGER);
CREATE TABLE conflicts (document TEXT, field TEXT, value TEXT, file TEXT);
CREATE TABLE warnings (message TEXT);
CREATE TABLE errors (path TEXT, message TEXT);
"""

# few indexes: each costs time at every build; add your own for other questions
_INDEXES = """
CREATE INDEX relations_target ON relations(target);
CREATE INDEX tasks_document ON tasks(document);
"""

# the documents and the links between them, side by side on disk: what most queries read
_DOC_RELATIONS_SQL = ", ".join(f"'{r}'" for r in DOCUMENT_RELATIONS)
_CASCADE_SQL = ", ".join(f"'{r}'" for r in CASCADE)
_DOCUMENT_INDEXES = f"""
CREATE INDEX document_nodes ON nodes(kind, seq, id, attrs) WHERE kind = '{DOCUMENT}';
CREATE INDEX document_edges ON edges(seq, source, target, key, relation, attrs)
    WHERE relation IN ({_DOC_RELATIONS_SQL});
CREATE INDEX cascade_edges ON edges(seq, source, target, key, relation) WHERE relation IN ({_CASCADE_SQL});
"""

_DOC_COLUMNS = ("label", "type", "number", "date", "issuer", "branch", "level", "province", "district",
                "title", "source", "in_corpus", "cited", "confidence")
_TASK_COLUMNS = ("label", "section", "text", "deliverable", "deadline_text", "start", "end", "due",
                 "recurrence")


def _span(value: object) -> tuple[int | None, int | None]:
    if isinstance(value, str) and "-" in value:
        a, _, b = value.partition("-")
        if a.isdigit() and b.isdigit():
            return int(a), int(b)
    return None, None


def _text(s: str) -> str:
    """``s`` as valid UTF-8 (a file name that is not shows its bytes escaped)."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def write(path: Path, b: Build, build_id: str, parts: GraphWalk | None = None) -> Path:
    """Write the database of build ``b`` to ``path`` (through a temporary file beside it).

    ``parts`` is the graph to write, walked once (default: ``b.graph``). ``nodes`` and ``edges``
    in ``b.stats``, when present, are set to the numbers written, before the statistics are.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
            _fill(con, b, build_id, parts if parts is not None else WholeGraph(b.graph))
            con.executescript(_INDEXES + _DOCUMENT_INDEXES)
            con.commit()
        finally:
            con.close()
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


class _Rows:
    """Rows for one table, inserted a batch at a time (several tables fill from one walk of the graph)."""

    def __init__(self, con: sqlite3.Connection, sql: str, size: int = 2000) -> None:
        self.con, self.sql, self.size = con, sql, size
        self.rows: list[tuple[Any, ...]] = []

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.size:
            self.flush()

    def flush(self) -> None:
        self.con.executemany(self.sql, self.rows)
        self.rows.clear()


def _fill(con: sqlite3.Connection, b: Build, build_id: str, parts: GraphWalk) -> None:
    dumps = orjson.dumps
    stats = b.stats
    meta = {"schema": SCHEMA_VERSION, "build": build_id, "graph": parts.graph, "stats": stats}
    con.executemany("INSERT INTO meta VALUES (?, ?)", ((k, dumps(v).decode()) for k, v in meta.items()))
    # seq: the graph's own order, which the indexes below keep so that no read has to sort
    documents = _Rows(con, f"INSERT INTO documents VALUES (?{', ?' * len(_DOC_COLUMNS)})")
    agencies = _Rows(con, "INSERT INTO agencies VALUES (?, ?, ?, ?, ?)")
    nodes = _Rows(con, "INSERT INTO nodes VALUES (?, ?, ?, ?)")
    i = -1
    for i, (n, d) in enumerate(parts.nodes()):
        kind = d.get(KIND)
        nodes.add((i, n, kind, dumps(d).decode()))
        if kind == DOCUMENT:
            documents.add((n, *(d.get(c) for c in _DOC_COLUMNS)))
        elif kind == AGENCY:
            agencies.add((n, d.get("name"), d.get("province"), d.get("district"), int(bool(d.get("group")))))
    node_count = i + 1
    edges = _Rows(con, "INSERT INTO edges VALUES (?, ?, ?, ?, ?, ?)")
    tasks = _Rows(con, f"INSERT INTO tasks VALUES (?, ?{', ?' * len(_TASK_COLUMNS)}, ?, ?, ?)")
    task_agencies = _Rows(con, "INSERT INTO task_agencies VALUES (?, ?, ?, ?, ?, ?)")
    i = -1
    for i, (u, v, k, d, vd) in enumerate(parts.edges()):
        relation = d.get(RELATION)
        edges.add((i, u, v, k, relation, dumps(d).decode()))
        target = vd.get(KIND)
        if k == "has_task" and target == TASK:
            tasks.add((v, u, *(vd.get(c) for c in _TASK_COLUMNS), vd.get("evidence_source"),
                       *_span(vd.get("evidence_span"))))
        if target == AGENCY:
            task_agencies.add((u, relation, v, d.get("due"), d.get("recurrence"), d.get("deadline_text")))
    # the rows left in each batch (each table's rowids follow the graph's order)
    for rows in (nodes, edges, documents, tasks, task_agencies, agencies):
        rows.flush()
    if "nodes" in stats:
        stats["nodes"], stats["edges"] = node_count, i + 1
        con.execute("UPDATE meta SET value = ? WHERE key = 'stats'", (dumps(stats).decode(),))
    con.executemany("INSERT INTO errors VALUES (?, ?)", ((_text(e.path), _text(e.message)) for e in b.errors))
    corpus = b.corpus
    if corpus is None:
        return
    con.executemany("INSERT INTO files VALUES (?, ?, ?, ?)",
                    ((r.source, corpus.record_nodes.get(r.source), r.sha256, r.format)
                     for r in corpus.records))
    con.executemany(f"INSERT INTO mentions VALUES (?{', ?' * 13})", (
        (r.source, m.id, corpus.mention_nodes.get((r.source, m.id)), m.type, m.number, m.date, m.issuer,
         m.level, m.province, m.district, m.confidence, m.evidence.start, m.evidence.end, m.evidence.quote)
        for r in corpus.records for m in r.mentions))
    con.executemany("INSERT INTO relations VALUES (?, ?, ?, ?, ?, ?, ?)", (
        (e.source, e.type, e.target, ev.source, ev.start, ev.end, ev.quote)
        for e in corpus.edges for ev in (e.evidence or ())))
    con.executemany("INSERT INTO conflicts VALUES (?, ?, ?, ?)", (
        (c.node, c.field, str(claim.value), claim.source) for c in corpus.conflicts for claim in c.claims))
    con.executemany("INSERT INTO warnings VALUES (?)", ((w,) for w in corpus.warnings))


@contextlib.contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """The database at ``path``, opened read-only."""
    if not path.is_file():
        raise BuildError(f"no build in {path.parent}/ (run: cascade build PATH --build-dir {path.parent})")
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise BuildError(f"{path}: unreadable build ({e}); run cascade build again") from None
    try:
        yield con
    except sqlite3.Error as e:
        raise BuildError(f"{path}: unreadable build ({e}); run cascade build again") from None
    finally:
        con.close()


def read_meta(con: sqlite3.Connection) -> dict[str, Any]:
    """The build's metadata: its id, graph attributes and statistics."""
    return {k: orjson.loads(v) for k, v in con.execute("SELECT key, value FROM meta")}


def read_graph(con: sqlite3.Connection, *, documents_only: bool = False,
               cascade_only: bool = False) -> nx.MultiDiGraph:
    """The graph of the build, or with ``documents_only`` its documents and the links between them.

    With ``cascade_only``: the documents and their implements/continues links, each edge
    with its relation only (what tree, chain, coverage and lag read; the quickest to load).
    Nodes and edges come back in the order they were written, so the graph iterates as the
    one the build made did.
    """
    loads = orjson.loads
    meta = read_meta(con)
    G = nx.MultiDiGraph(**meta.get("graph", {}))
    if cascade_only:
        G.add_nodes_from((n, loads(a)) for n, a in con.execute(
            f"SELECT id, attrs FROM nodes INDEXED BY document_nodes WHERE kind = '{DOCUMENT}' "
            "ORDER BY seq"))
        G.add_edges_from((u, v, k, {RELATION: r}) for u, v, k, r in con.execute(
            "SELECT source, target, key, relation FROM edges INDEXED BY cascade_edges "
            f"WHERE relation IN ({_CASCADE_SQL}) ORDER BY seq"))
        return G
    if documents_only:
        # the same WHERE clauses as the partial indexes, so that only those are read
        nodes: Iterable[tuple[str, str]] = con.execute(
            f"SELECT id, attrs FROM nodes INDEXED BY document_nodes WHERE kind = '{DOCUMENT}' ORDER BY seq")
        edges: Iterable[tuple[str, str, str, str]] = con.execute(
            "SELECT source, target, key, attrs FROM edges INDEXED BY document_edges "
            f"WHERE relation IN ({_DOC_RELATIONS_SQL}) ORDER BY seq")
    else:
        # rows were inserted in graph order: rowid order is seq order, without a sort
        nodes = con.execute("SELECT id, attrs FROM nodes ORDER BY rowid")
        edges = con.execute("SELECT source, target, key, attrs FROM edges ORDER BY rowid")
    G.add_nodes_from((n, loads(a)) for n, a in nodes)
    G.add_edges_from((u, v, k, loads(a)) for u, v, k, a in edges)
    return G
