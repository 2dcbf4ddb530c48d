"""The build as one SQLite database, ``cascade.db``: the graph and the facts behind it.

A standard file that sqlite3, pandas, DuckDB or Datasette open as it is. Two layers:

* the graph exactly as built (``nodes``, and its edges in ``links``, those between documents,
  and ``edges``, the others; attributes as JSON, ``seq`` the place in the graph's order; the
  tasks and their edges to agencies are the rows of ``tasks`` and ``task_agencies``, and a
  build's edges from documents to their tasks are ``tasks.document``), from which
  :func:`read_graph` gives the networkx graph back, whole or only its documents, and
  :func:`read_cascade` one document's cascade alone, :func:`read_document` one document's
  links and :func:`read_uncollected` the documents cited but not collected (what the query
  commands read);
* tables for people who query the corpus directly: ``documents``, ``files``,
  ``mentions``, ``relations`` (one row per statement, with its evidence), ``tasks``,
  ``task_agencies``, ``agencies``, ``conflicts``, ``warnings`` and ``errors``.

The database is written into a temporary file and renamed, so a reader never sees half
of it. Nothing in it is code: reading a database someone sent runs nothing. A reader opens
it with :func:`open_build`, which checks it belongs to the build folder's ``build.json``.
"""
from __future__ import annotations

import contextlib
import heapq
import json
import os
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from cascade.errors import BuildError
from cascade.graph import (
    AGENCY,
    ASSERTED_BY,
    DOCUMENT,
    KIND,
    LABEL,
    RELATION,
    SEP,
    TASK,
    TASK_LINK,
    GraphWalk,
    Statements,
    TaskEdges,
    WholeGraph,
)
from cascade.vocab import CASCADE, DOCUMENT_RELATIONS

if TYPE_CHECKING:
    import networkx as nx

    from cascade.corpus.build import Build
    from cascade.query.missing import Cited

Attrs = dict[str, Any]

DB_FILE = "cascade.db"
#: 2: the tasks and their edges to agencies are in ``tasks`` and ``task_agencies`` only (with the
#: task's place in ``tasks.seq``), not in ``nodes`` and ``edges`` as well;
#: 3: the links between documents are the rows of ``links``, the other edges those of ``edges``;
#: 4: a build's edges from documents to their tasks are not rows of ``edges``: ``tasks.document`` gives
#: them (their number is ``task_links`` in ``meta``)
SCHEMA_VERSION = 4

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE nodes (seq INTEGER NOT NULL, id TEXT NOT NULL, kind TEXT, attrs TEXT NOT NULL);
CREATE TABLE edges (seq INTEGER NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL, key TEXT, relation TEXT,
    attrs TEXT NOT NULL);
CREATE TABLE links (seq INTEGER NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL, key TEXT, relation TEXT,
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
    span_start INTEGER, span_end INTEGER, seq INTEGER);
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
_DOC_RELATIONS = frozenset(DOCUMENT_RELATIONS)
_CASCADE_SQL = ", ".join(f"'{r}'" for r in CASCADE)
# one cascade without the rest (see read_cascade): the links into and out of a document, a document by id
_LINKS_IN, _LINKS_OUT, _DOCUMENT_IDS = "links_in", "links_out", "document_ids"
_DOCUMENT_INDEXES = f"""
CREATE INDEX document_nodes ON nodes(kind, seq, id, attrs) WHERE kind = '{DOCUMENT}';
CREATE INDEX cascade_edges ON links(seq, source, target, key, relation) WHERE relation IN ({_CASCADE_SQL});
CREATE INDEX {_LINKS_IN} ON links(target, seq, source, key, relation);
CREATE INDEX {_LINKS_OUT} ON links(source, seq, target, key, relation);
CREATE INDEX {_DOCUMENT_IDS} ON nodes(id) WHERE kind = '{DOCUMENT}';
"""
# schema 2 kept the links between documents in edges, read through these partial indexes of it
_CASCADE_IN, _CASCADE_OUT = "cascade_in", "cascade_out"

_DOC_COLUMNS = ("label", "type", "number", "date", "issuer", "branch", "level", "province", "district",
                "title", "source", "in_corpus", "cited", "confidence")
_TASK_COLUMNS = ("label", "section", "text", "deliverable", "deadline_text", "start", "end", "due",
                 "recurrence")
# a task node's attributes as columns of tasks, in the order cascade.graph.task_attrs gives them (label
# aside, which a task always has; then its evidence: evidence_source in file, evidence_span in span_*)
_TASK_ATTRS = ("text", "section", "deliverable", "deadline_text", "start", "end", "due", "recurrence")
_TASK_KEYS = frozenset((KIND, LABEL, *_TASK_ATTRS, "evidence_source", "evidence_span"))
# a task's edge to an agency: its relation (the edge's key) and these, as columns of task_agencies
_TASK_EDGE_ATTRS = ("due", "recurrence", "deadline_text")
_TASK_EDGE_KEYS = frozenset((RELATION, *_TASK_EDGE_ATTRS))
_STR = frozenset((str,))


def _span(value: object) -> tuple[int | None, int | None]:
    if isinstance(value, str) and "-" in value:
        a, _, b = value.partition("-")
        if a.isdigit() and b.isdigit():
            return int(a), int(b)
    return None, None


def _add_task(n: str, d: Attrs, task: TaskEdges, seq: int, tasks: _Rows, task_agencies: _Rows) -> bool:
    """Add the rows of a task and of its edges to agencies; whether they hold the task and its edges
    exactly (then ``seq`` is its place in the graph; otherwise NULL, and the caller keeps it whole).

    Exactly, as every task a build makes: known attributes, each a string, a span the columns give
    back as it was; each edge to an agency, keyed by its relation, with known string attributes.
    """
    get = d.get
    exact = (get(KIND) == TASK and LABEL in d and d.keys() <= _TASK_KEYS
             and _STR.issuperset(map(type, d.values())))
    span = get("evidence_span")
    start = end = None
    if span is not None:
        start, end = _span(span)
        if start is None or f"{start}-{end}" != span:
            exact = False
    targets, add = task.targets, task_agencies.add
    for v, keys in task.edges.items():
        to_agency = targets[v].get(KIND) == AGENCY
        if not to_agency:
            exact = False
        for key, ed in keys.items():
            relation = ed.get(RELATION)
            if relation != key:
                exact = False
            if len(ed) == 1:                   # the relation alone (lead, cooperating, ...)
                if to_agency:
                    add((n, relation, v, None, None, None))
                continue
            if to_agency:
                add((n, relation, v, ed.get("due"), ed.get("recurrence"), ed.get("deadline_text")))
            if exact and not (ed.keys() <= _TASK_EDGE_KEYS and _STR.issuperset(map(type, ed.values()))):
                exact = False
    tasks.add((n, task.document, *map(get, _TASK_COLUMNS), get("evidence_source"), start, end,
               seq if exact else None))
    return exact


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
            # a fresh file renamed into place when whole: no journal, no waiting for the disk; pages
            # of 16 KB rather than 4 (fewer pages to fill and link, for rows that are only appended)
            con.executescript("PRAGMA page_size=16384; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                              + _SCHEMA)
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
    """Rows for one table, inserted a batch at a time (several tables fill from one walk of the graph),
    each batch by one INSERT of many rows (quicker than a row at a time)."""

    def __init__(self, con: sqlite3.Connection, table: str, width: int, batch: int = 100) -> None:
        self.con, self.table, self.width = con, table, width
        self.sql = self._insert(batch)
        self.limit = width * batch
        self.values: list[Any] = []              # the rows' values one after another

    def _insert(self, rows: int) -> str:
        one = f"({', '.join('?' * self.width)})"
        return f"INSERT INTO {self.table} VALUES {', '.join([one] * rows)}"

    def add(self, row: tuple[Any, ...]) -> None:
        values = self.values
        values += row
        if len(values) >= self.limit:
            self.con.execute(self.sql, values)
            values.clear()

    def add_all(self, rows: Iterable[tuple[Any, ...]]) -> None:
        for row in rows:
            self.add(row)
        self.flush()

    def flush(self) -> None:
        if self.values:
            self.con.execute(self._insert(len(self.values) // self.width), self.values)
            self.values.clear()


def _fill(con: sqlite3.Connection, b: Build, build_id: str, walk: GraphWalk) -> None:
    dumps = orjson.dumps
    stats = b.stats
    meta = {"schema": SCHEMA_VERSION, "build": build_id, "graph": walk.graph, "stats": stats}
    con.executemany("INSERT INTO meta VALUES (?, ?)", ((k, dumps(v).decode()) for k, v in meta.items()))
    # seq: the graph's own order, which the indexes below keep so that no read has to sort
    documents = _Rows(con, "documents", 1 + len(_DOC_COLUMNS))
    agencies = _Rows(con, "agencies", 5)
    nodes = _Rows(con, "nodes", 4)
    tasks = _Rows(con, "tasks", 2 + len(_TASK_COLUMNS) + 4)
    task_agencies = _Rows(con, "task_agencies", 6)
    # a task whose attributes or edges the columns cannot hold exactly (never one a build makes) is
    # kept whole in nodes and edges as well (its seq in tasks is NULL); its edges go after the others
    whole: list[tuple[int, str, str, str, Attrs]] = []   # (place among the tasks' edges, u, v, key, attrs)
    task_edges = 0
    i = -1
    for i, (n, d, task) in enumerate(walk.nodes()):
        if task is not None:
            exact = _add_task(n, d, task, i, tasks, task_agencies)
            if not exact:
                whole += ((task_edges + j, n, *e) for j, e in enumerate(
                    (v, k, ed) for v, keys in task.edges.items() for k, ed in keys.items()))
            task_edges += sum(map(len, task.edges.values()))
            if exact:
                continue
        kind = d.get(KIND)
        nodes.add((i, n, kind, dumps(d).decode()))
        if kind == DOCUMENT:
            documents.add((n, *(d.get(c) for c in _DOC_COLUMNS)))
        elif kind == AGENCY:
            agencies.add((n, d.get("name"), d.get("province"), d.get("district"), int(bool(d.get("group")))))
    node_count = i + 1
    # the links between documents in links, the other edges in edges; seq numbers them all together
    edges, links = _Rows(con, "edges", 6), _Rows(con, "links", 6)
    task_links = 0                  # edges from documents to their tasks: tasks.document gives them
    i = -1
    for i, (u, v, k, d) in enumerate(walk.edges()):
        if d is TASK_LINK:
            task_links += 1
            continue
        relation = d.get(RELATION)
        (links if relation in _DOC_RELATIONS else edges).add((i, u, v, k, relation, dumps(d).decode()))
    others = i + 1                                       # the edges out of tasks come after the others
    for place, u, v, k, d in whole:
        relation = d.get(RELATION)
        (links if relation in _DOC_RELATIONS else edges).add(
            (others + place, u, v, k, relation, dumps(d).decode()))
    # the rows left in each batch (each table's rowids follow the graph's order)
    for rows in (nodes, edges, links, documents, tasks, task_agencies, agencies):
        rows.flush()
    con.execute("INSERT INTO meta VALUES ('task_links', ?)", (str(task_links),))
    if "nodes" in stats:
        stats["nodes"], stats["edges"] = node_count, others + task_edges
        con.execute("UPDATE meta SET value = ? WHERE key = 'stats'", (dumps(stats).decode(),))
    con.executemany("INSERT INTO errors VALUES (?, ?)", ((_text(e.path), _text(e.message)) for e in b.errors))
    corpus = b.corpus
    if corpus is None:
        return
    _Rows(con, "files", 4).add_all(
        (r.source, corpus.record_nodes.get(r.source), r.sha256, r.format) for r in corpus.records)
    _Rows(con, "mentions", 14).add_all(
        (r.source, m.id, corpus.mention_nodes.get((r.source, m.id)), m.type, m.number, m.date, m.issuer,
         m.level, m.province, m.district, m.confidence, m.evidence.start, m.evidence.end, m.evidence.quote)
        for r in corpus.records for m in r.mentions)
    _Rows(con, "relations", 7).add_all(
        (e.source, e.type, e.target, ev.source, ev.start, ev.end, ev.quote)
        for e in corpus.edges for ev in (e.evidence or ()))
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


def _schema(meta: dict[str, Any]) -> int:
    """The schema of a database (:data:`SCHEMA_VERSION`) from its metadata; one this code cannot read
    raises :class:`BuildError`."""
    schema = meta.get("schema", 1)
    if not isinstance(schema, int) or not 1 <= schema <= SCHEMA_VERSION:
        raise BuildError(f"cascade.db was written by another version of cascade (database schema {schema}, "
                         f"this version reads 1 to {SCHEMA_VERSION}); run cascade build again")
    return schema


def _db_schema(con: sqlite3.Connection) -> int:
    """:func:`_schema` of the database, read alone (without the rest of the metadata)."""
    row = con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    return _schema({"schema": orjson.loads(row[0])} if row is not None else {})


def count_kinds(con: sqlite3.Connection) -> dict[str | None, int]:
    """How many nodes of each kind the graph of the build has, counted without reading it."""
    counts: dict[str | None, int] = dict(con.execute("SELECT kind, COUNT(*) FROM nodes GROUP BY kind"))
    if _schema(read_meta(con)) >= 2:
        tasks = con.execute("SELECT COUNT(*) FROM tasks WHERE seq IS NOT NULL").fetchone()[0]
        if tasks:
            counts[TASK] = counts.get(TASK, 0) + tasks
    return counts


def _task_nodes(con: sqlite3.Connection) -> Iterator[tuple[int, str, Attrs]]:
    """(place in the graph, node, attributes) of the tasks held in ``tasks``, in the graph's order."""
    columns = ", ".join(f'"{c}"' for c in _TASK_ATTRS)
    names = _TASK_ATTRS
    for seq, n, label, *values, source, start, end in con.execute(
            f"SELECT seq, id, label, {columns}, file, span_start, span_end FROM tasks WHERE seq IS NOT NULL "
            "ORDER BY rowid"):
        d: Attrs = {KIND: TASK, LABEL: label}
        for name, v in zip(names, values, strict=True):
            if v is not None:
                d[name] = v
        if source is not None:
            d["evidence_source"] = source
        if start is not None:
            d["evidence_span"] = f"{start}-{end}"
        yield seq, n, d


def _task_edges(con: sqlite3.Connection) -> Iterator[tuple[str, str, str, Attrs]]:
    """The edges held in ``task_agencies`` (those of the tasks held in ``tasks``), in the graph's order."""
    whole = {n for (n,) in con.execute("SELECT id FROM tasks WHERE seq IS NULL")}
    for task, role, agency, *values in con.execute(
            "SELECT task, role, agency, due, recurrence, deadline_text FROM task_agencies ORDER BY rowid"):
        if whole and task in whole:
            continue
        d: Attrs = {RELATION: role}
        for name, v in zip(_TASK_EDGE_ATTRS, values, strict=True):
            if v is not None:
                d[name] = v
        yield task, agency, role, d


def _with_task_links(con: sqlite3.Connection, rows: Iterable[tuple[int, str, str, str, str]],
                     count: int) -> Iterator[tuple[str, str, str, Attrs]]:
    """The edges of ``rows`` (seq, source, target, key, attributes as JSON), in their order, and ``count``
    edges from documents to their tasks, which the writer left out of ``edges`` (see
    :class:`cascade.graph.GraphWalk`): in the places no row has, the documents in the graph's
    order, each one's edges in the order of its tasks."""
    loads = orjson.loads
    links: Iterator[tuple[str, str, str, Attrs]] = iter(())
    if count:
        tasks: dict[str, list[str]] = {}
        for doc, task in con.execute("SELECT document, id FROM tasks ORDER BY rowid"):
            tasks.setdefault(doc, []).append(task)
        docs = con.execute(f"SELECT id FROM nodes INDEXED BY document_nodes WHERE kind = '{DOCUMENT}' "
                           "ORDER BY seq")
        links = ((doc, task, "has_task", dict(TASK_LINK)) for (doc,) in docs for task in tasks.get(doc, ()))
    at = 0                                          # the place of the next edge
    for seq, u, v, k, a in rows:
        while count and at < seq:
            yield next(links)
            count -= 1
            at += 1
        yield u, v, k, loads(a)
        at = seq + 1
    for _ in range(count):
        yield next(links)


def read_graph(con: sqlite3.Connection, *, documents_only: bool = False,
               cascade_only: bool = False) -> nx.MultiDiGraph:
    """The graph of the build, or with ``documents_only`` its documents and the links between them.

    With ``cascade_only``: the documents and their implements/continues links, each edge
    with its relation only (what tree, chain, coverage and lag read; the quickest to load).
    Nodes and edges come back in the order they were written, so the graph iterates as the
    one the build made did.
    """
    import networkx as nx

    loads = orjson.loads
    meta = read_meta(con)
    schema = _schema(meta)
    G = nx.MultiDiGraph(**meta.get("graph", {}))
    # the same WHERE clauses as the partial indexes, so that only those are read
    doc_nodes = (f"SELECT id, attrs FROM nodes INDEXED BY document_nodes WHERE kind = '{DOCUMENT}' "
                 "ORDER BY seq")
    table = "links" if schema >= 3 else "edges"
    if cascade_only:
        G.add_nodes_from((n, loads(a)) for n, a in con.execute(doc_nodes))
        G.add_edges_from((u, v, k, {RELATION: r}) for u, v, k, r in con.execute(
            f"SELECT source, target, key, relation FROM {table} INDEXED BY cascade_edges "
            f"WHERE relation IN ({_CASCADE_SQL}) ORDER BY seq"))
        return G
    if documents_only:
        nodes: Iterable[tuple[str, str]] = con.execute(doc_nodes)
        edges: Iterable[tuple[str, str, str, str]] = con.execute(
            "SELECT source, target, key, attrs FROM links ORDER BY rowid" if schema >= 3 else
            "SELECT source, target, key, attrs FROM edges INDEXED BY document_edges "
            f"WHERE relation IN ({_DOC_RELATIONS_SQL}) ORDER BY seq")
    elif schema >= 2:
        # rows were inserted in graph order: rowid order is seq order, without a sort; the tasks,
        # in their own table, go in among the other nodes by their seq, the links between documents
        # among the other edges by theirs, and the tasks' edges after them all
        rows = ((seq, n, loads(a)) for seq, n, a in con.execute(
            "SELECT seq, id, attrs FROM nodes ORDER BY rowid"))
        G.add_nodes_from((n, d) for _, n, d in heapq.merge(rows, _task_nodes(con), key=itemgetter(0)))
        sql = "SELECT seq, source, target, key, attrs FROM {} ORDER BY rowid"
        tables = [con.execute(sql.format(t)) for t in ("edges", "links")[:1 + (schema >= 3)]]
        G.add_edges_from(_with_task_links(con, heapq.merge(*tables, key=itemgetter(0)),
                                          meta.get("task_links", 0)))
        G.add_edges_from(_task_edges(con))
        return G
    else:
        nodes = con.execute("SELECT id, attrs FROM nodes ORDER BY rowid")
        edges = con.execute("SELECT source, target, key, attrs FROM edges ORDER BY rowid")
    G.add_nodes_from((n, loads(a)) for n, a in nodes)
    G.add_edges_from((u, v, k, loads(a)) for u, v, k, a in edges)
    return G


# -- one cascade, read without the rest of the graph -------------------------------------------------

def has_document(con: sqlite3.Connection, node: str) -> bool:
    """Whether the build has a document whose id is ``node``."""
    return con.execute("SELECT 1 FROM documents WHERE id = ?", (node,)).fetchone() is not None


def documents_with_digits(con: sqlite3.Connection, digits: str) -> list[str]:
    """The ids of the documents whose ASCII digits include ``digits`` in that order (all ids for "").

    Only the first four digits are matched (a few more ids than asked for: the caller checks
    them), so that a phrase of many digits never makes the pattern match slow.
    """
    pattern = "*" + "".join(f"{d}*" for d in [d for d in digits if d.isascii() and d.isdigit()][:4])
    return [n for (n,) in con.execute("SELECT id FROM documents WHERE id GLOB ?", (pattern,))]


def _has_index(con: sqlite3.Connection, name: str) -> bool:
    return con.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?",
                       (name,)).fetchone() is not None


def _cascade_links(con: sqlite3.Connection, root: str, upwards: bool) -> list[tuple[str, str, str, str]]:
    """The implements/continues edges (source, target, key, relation) into ``root`` and into every
    document that implements it transitively; with ``upwards``, out of ``root`` and out of every
    document it implements transitively. In the order they were written.

    One query per level of the cascade: on a build written before the cascade_in/cascade_out
    indexes, each scans the index of all cascade edges instead (slower, the same answer).
    """
    near, far = (0, 1) if upwards else (1, 0)
    if _db_schema(con) >= 3:
        table, index = "links", _LINKS_OUT if upwards else _LINKS_IN
    else:
        table, index = "edges", _CASCADE_OUT if upwards else _CASCADE_IN
    index = index if _has_index(con, index) else "cascade_edges"
    sql = (f"SELECT seq, source, target, key, relation FROM {table} INDEXED BY {index} "
           f"WHERE relation IN ({_CASCADE_SQL}) AND {('source', 'target')[near]} IN "
           "(SELECT value FROM json_each(?))")
    found: list[tuple[int, str, str, str, str]] = []
    reached = {root}
    level = [root]
    while level:
        rows = con.execute(sql, (orjson.dumps(level).decode(),)).fetchall()
        found += rows
        level = list(dict.fromkeys(r[1 + far] for r in rows if r[1 + far] not in reached))
        reached.update(level)
    found.sort()
    return [r[1:] for r in found]


def _latest_document(con: sqlite3.Connection) -> str | None:
    """A document dated with the latest full date (YYYY-MM-DD) of the build."""
    row = con.execute("SELECT id FROM documents WHERE typeof(date) = 'text' AND length(date) = 10 "
                      "ORDER BY date DESC LIMIT 1").fetchone()
    return row[0] if row else None


class _Nodes(dict[str, dict[str, Any]]):
    """Node -> attributes, also callable as networkx's ``G.nodes(data=True)``."""

    def __call__(self, data: bool = False) -> Iterable[Any]:
        return self.items() if data else self.keys()


class CascadeGraph:
    """One cascade as :func:`read_cascade` gives it: the part of a networkx ``MultiDiGraph`` that
    :func:`cascade.query.tree`, ``chain``, ``coverage`` and ``lag`` read.

    ``nodes`` (node -> attributes), ``pred`` and ``succ`` (node -> neighbour -> key ->
    edge attributes) and ``n in G``, filled in the order networkx fills them, so those
    functions answer on it as on the graph itself. It spares a query command the import of
    networkx (about a tenth of a second at every start); :meth:`to_networkx` gives the
    networkx graph.
    """

    def __init__(self, **attrs: Any) -> None:
        self.graph: dict[str, Any] = attrs
        self.nodes = _Nodes()
        self.pred: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
        self.succ: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}

    def add_node(self, n: str, attrs: dict[str, Any]) -> None:
        """The node ``n`` with ``attrs`` (added to its attributes when it is there)."""
        if n not in self.nodes:
            self.nodes[n] = attrs
            self.pred[n] = {}
            self.succ[n] = {}
        else:
            self.nodes[n].update(attrs)

    def add_edge(self, u: str, v: str, key: str, attrs: dict[str, Any]) -> None:
        """The edge ``u -> v`` keyed ``key`` (the ends are added without attributes when new)."""
        for n in (u, v):
            if n not in self.nodes:
                self.add_node(n, {})
        keys = self.succ[u].get(v)
        if keys is None:
            keys = self.succ[u][v] = self.pred[v][u] = {}
        keys.setdefault(key, {}).update(attrs)

    def __contains__(self, n: object) -> bool:
        try:
            return n in self.nodes
        except TypeError:                                   # an unhashable node is in no graph
            return False

    def __iter__(self) -> Iterator[str]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def is_multigraph(self) -> bool:
        return True

    def is_directed(self) -> bool:
        return True

    def to_networkx(self) -> nx.MultiDiGraph:
        """The same graph as a networkx ``MultiDiGraph``."""
        import networkx as nx

        G = nx.MultiDiGraph(**self.graph)
        G.add_nodes_from(self.nodes.items())
        G.add_edges_from((u, v, k, d) for u, vs in self.succ.items() for v, ks in vs.items()
                         for k, d in ks.items())
        return G


def read_documents(con: sqlite3.Connection, ids: Iterable[str]) -> CascadeGraph:
    """The documents ``ids`` (those the build has) with their attributes, in the build's order, no links."""
    G = CascadeGraph(**read_meta(con).get("graph", {}))
    index = _DOCUMENT_IDS if _has_index(con, _DOCUMENT_IDS) else "document_nodes"
    loads = orjson.loads
    for n, a in con.execute(f"SELECT id, attrs FROM nodes INDEXED BY {index} WHERE kind = '{DOCUMENT}' "
                            "AND id IN (SELECT value FROM json_each(?)) ORDER BY seq",
                            (orjson.dumps(list(ids)).decode(),)):
        G.add_node(n, loads(a))
    return G


def read_cascade(con: sqlite3.Connection, root: str, *, upwards: bool = False,
                 latest: bool = False) -> CascadeGraph:
    """The part of the ``cascade_only`` graph of :func:`read_graph` that one document's question reads.

    ``root`` and the documents that implement or continue it transitively, with every
    implements/continues edge into them (tree, coverage, lag); with ``upwards``, ``root``
    and the documents it implements transitively, with every such edge out of them
    (chain). With ``latest``, also a document with the latest full date of the build (lag
    observes until then). Nodes and edges keep the build's order, so those functions of
    :mod:`cascade.query` answer on this graph exactly as on the whole one. On a large
    build this reads a few thousand rows instead of every document, and imports no networkx
    (:meth:`CascadeGraph.to_networkx` for the networkx graph).
    """
    edges = _cascade_links(con, root, upwards)
    wanted = dict.fromkeys([root, *(e[1] if upwards else e[0] for e in edges)])
    if latest and (last := _latest_document(con)) is not None:
        wanted.setdefault(last)
    G = read_documents(con, wanted)
    for u, v, k, r in edges:
        G.add_edge(u, v, k, {RELATION: r})
    return G


# -- one document's links, and the documents cited but not collected ---------------------------------

def read_document(con: sqlite3.Connection, node: str) -> CascadeGraph:
    """What :func:`cascade.query.show` reads of the graph of :func:`read_graph` about one document.

    ``node``, every link between documents into or out of it with all its attributes
    (evidence, the files that state it), the documents at their other ends, and one
    ``has_task`` link per task of ``node`` (to the task's id, without its attributes).
    Nodes and links keep the build's order.
    """
    loads = orjson.loads
    links = con.execute(
        "SELECT source, target, key, attrs FROM links WHERE source = ? OR target = ? ORDER BY seq"
        if _db_schema(con) >= 3 else
        "SELECT source, target, key, attrs FROM edges INDEXED BY document_edges "
        f"WHERE relation IN ({_DOC_RELATIONS_SQL}) AND (source = ? OR target = ?) ORDER BY seq",
        (node, node)).fetchall()
    G = read_documents(con, dict.fromkeys([node, *(e[0] for e in links), *(e[1] for e in links)]))
    for u, v, k, a in links:
        G.add_edge(u, v, k, loads(a))
    for (task,) in con.execute("SELECT id FROM tasks WHERE document = ? ORDER BY rowid", (node,)):
        G.add_edge(node, task, "has_task", {RELATION: "has_task"})
    return G


class Uncollected(NamedTuple):
    """What :func:`read_uncollected` gives: ``query.orphans(*uncollected)`` answers ``cascade missing``."""

    documents: CascadeGraph
    """The documents cited but not collected, with their attributes (no links)."""
    cited: dict[str, Cited]
    """What the links into each of them count."""


def read_uncollected(con: sqlite3.Connection) -> Uncollected:
    """What :func:`cascade.query.orphans` reads: the documents cited but not in the corpus, and what the
    links between documents into each of them count, counted by SQLite (a national build has a few
    hundred thousand such links): the input files that state them (``asserted_by``, each a
    "; "-joined list; none when false), how many there are of each relation, and how many documents
    implement or continue it."""
    wanted = "SELECT id FROM documents WHERE NOT coalesce(in_corpus, 0)"
    G = read_documents(con, (n for (n,) in con.execute(wanted)))
    links = ("links WHERE" if _db_schema(con) >= 3 else
             f"edges INDEXED BY document_edges WHERE relation IN ({_DOC_RELATIONS_SQL}) AND")
    cited: dict[str, Cited] = {}
    for n, relations, by, implementers in con.execute(
            f"SELECT target, group_concat(relation, ' '), "
            f"group_concat(nullif(json_extract(attrs, '$.{ASSERTED_BY}'), 0), '{SEP}'), "
            f"count(DISTINCT CASE WHEN relation IN ({_CASCADE_SQL}) THEN source END) "
            f"FROM {links} target IN ({wanted}) GROUP BY target"):
        cited[n] = ({f for f in by.split(SEP) if f} if by else set(), Counter(relations.split(" ")),
                    implementers)
    return Uncollected(G, cited)


def read_statements_of(con: sqlite3.Connection, node: str) -> Statements:
    """Every statement of every relation into or out of ``node``, as :func:`cascade.graph.read_statements`
    gives them for the whole build."""
    from cascade.models import Evidence

    out: dict[tuple[str, str, str], list[Evidence]] = {}
    for u, r, v, f, start, end, quote in con.execute(
            "SELECT source, relation, target, file, span_start, span_end, quote FROM relations "
            "WHERE source = ? OR target = ? ORDER BY rowid", (node, node)):
        out.setdefault((u, r, v), []).append(Evidence(f, start, end, quote))
    return {k: tuple(v) for k, v in out.items()}


# -- the build folder ----------------------------------------------------------------------------------

DEFAULT_OUT = "cascade-out"


def default_out() -> Path:
    """The build folder: ``$CASCADE_OUT`` or ``./cascade-out``."""
    return Path(os.environ.get("CASCADE_OUT") or DEFAULT_OUT)


def read_manifest(out: Path) -> dict[str, Any]:
    """The manifest of the build in ``out`` (``build.json``)."""
    bj = out / "build.json"
    try:
        data = json.loads(bj.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BuildError(f"no build in {out}/ (run: cascade build PATH --build-dir {out})") from None
    except (OSError, ValueError) as e:
        raise BuildError(f"{bj}: unreadable ({e}); run cascade build again") from None
    if not isinstance(data, dict):
        raise BuildError(f"{bj}: not a build manifest; run cascade build again")
    return data


@contextlib.contextmanager
def open_build(out: Path) -> Iterator[tuple[sqlite3.Connection, dict[str, Any]]]:
    """The database of the build in ``out``, read-only, and its manifest.

    Raises:
        BuildError: when ``out`` holds no build, or files of two different builds.
    """
    manifest = read_manifest(out)
    with connect(out / DB_FILE) as con:
        if read_meta(con).get("build") != manifest.get("build"):
            raise BuildError(f"{out}/ holds files of two builds (a build was interrupted or is running); "
                             "run cascade build again")
        yield con, manifest
