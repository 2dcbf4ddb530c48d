"""Writers. Every file is written to a temporary file beside it and then renamed, so a
failed or interrupted write never leaves a half file where the user's file was.
"""
from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import networkx as nx
import orjson

from cascade.models import Record
from cascade.outputs.cells import spreadsheet_cell, xml_text


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Any:
    """Open a temporary file next to ``path``; on success it replaces ``path`` in one rename."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, _file_mode(path))   # mkstemp makes 0600; give the file the mode a plain open() would
        f = os.fdopen(fd, mode) if "b" in mode else os.fdopen(fd, mode, encoding=encoding, newline="")
        with f:
            yield f
        os.replace(tmp, path)
    except BaseException as e:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(e, OSError) and e.filename in (None, tmp) and e.errno:
            raise OSError(e.errno, e.strerror, str(path)) from None     # name the user's file, not ours
        raise


def _file_mode(path: Path) -> int:
    """The existing file's mode, or 0666 less the umask for a new file."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_text(path: str | Path, text: str) -> Path:
    with atomic_open(path) as f:
        f.write(text)
    return Path(path)


def write_json(path: str | Path, data: Any) -> Path:
    with atomic_open(path) as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return Path(path)


def record_json(record: Record) -> bytes:
    """One line of ``records.jsonl`` (UTF-8 JSON, no newline)."""
    return orjson.dumps(record.to_dict())


def write_records(path: str | Path, records: Iterable[Record | bytes]) -> Path:
    """JSON Lines, one record per document (shared/INTERFACES.md §1).

    An item may be a record already serialised by :func:`record_json` (worker processes
    serialise the records they extract, so the main process only writes them).
    """
    with atomic_open(path, "wb", None) as f:
        for r in records:
            f.write(r if isinstance(r, bytes) else record_json(r))
            f.write(b"\n")
    return Path(path)


def node_link(G: nx.MultiDiGraph) -> dict[str, Any]:
    """The node-link form of ``G`` with edges under ``links`` (shared/INTERFACES.md §2).

    The same dictionary as ``networkx.node_link_data(G, edges="links")``, built from the
    node and edge views directly.
    """
    if not G.is_multigraph():
        return nx.node_link_data(G, edges="links")
    return {"directed": G.is_directed(), "multigraph": G.is_multigraph(), "graph": G.graph,
            "nodes": [{**d, "id": n} for n, d in G.nodes(data=True)],
            "links": [{**d, "source": u, "target": v, "key": k}
                      for u, v, k, d in G.edges(keys=True, data=True)]}


def node_link_json(G: nx.MultiDiGraph) -> bytes:
    """:func:`node_link` as compact UTF-8 JSON."""
    return orjson.dumps(node_link(G))


class NodeLinkWriter:
    """:func:`node_link_json` of a directed multigraph written node by node, then edge by edge, into an
    open binary file (the same bytes, without holding the whole document in memory).

    Edges given to :meth:`edge_last` (while the nodes are written, say) go after every edge given
    to :meth:`edge`, kept meanwhile in a temporary file in ``folder`` (default: the system's).
    Items are encoded and written a few hundred at a time; :meth:`close` writes the rest.
    """

    BATCH = 500

    def __init__(self, f: IO[bytes], graph: dict[str, Any], folder: str | Path | None = None) -> None:
        self.f = f
        self._any = False                       # an item of the current list (nodes, then links) written
        self._links = False
        self._items: list[dict[str, Any]] = []  # nodes or edges not written yet
        self._folder = folder
        self._last: IO[bytes] | None = None
        self._last_items: list[dict[str, Any]] = []
        f.write(b'{"directed":true,"multigraph":true,"graph":' + orjson.dumps(graph) + b',"nodes":[')

    def node(self, n: str, d: dict[str, Any]) -> None:
        items = self._items
        items.append({**d, "id": n})
        if len(items) >= self.BATCH:
            self._write()

    def edge(self, u: str, v: str, k: str, d: dict[str, Any]) -> None:
        if not self._links:
            self._start_links()
        items = self._items
        items.append({**d, "source": u, "target": v, "key": k})
        if len(items) >= self.BATCH:
            self._write()

    def edge_last(self, u: str, v: str, k: str, d: dict[str, Any]) -> None:
        """An edge to write after those given to :meth:`edge` (in the order given)."""
        items = self._last_items
        items.append({**d, "source": u, "target": v, "key": k})
        if len(items) >= self.BATCH:
            self._write_last()

    def _write(self) -> None:
        """The items held, into the file (``[a,b]`` without its brackets is ``a,b``)."""
        if self._items:
            self.f.write((b"," if self._any else b"") + orjson.dumps(self._items)[1:-1])
            self._any = True
            self._items.clear()

    def _write_last(self) -> None:
        if self._last_items:
            if self._last is None:
                self._last = tempfile.TemporaryFile(dir=self._folder)  # noqa: SIM115 - close() closes it
            self._last.write(b"," + orjson.dumps(self._last_items)[1:-1])
            self._last_items.clear()

    def _start_links(self) -> None:
        self._write()
        self.f.write(b'],"links":[')
        self._any, self._links = False, True

    def close(self) -> None:
        if not self._links:
            self._start_links()
        self._write()
        self._write_last()
        last = self._last
        if last is not None:
            with last:
                last.seek(0)
                if not self._any:                  # no edge before them: drop the first comma
                    last.read(1)
                shutil.copyfileobj(last, self.f, 1 << 20)
            self._last = None
        self.f.write(b"]}\n")


def write_node_link(path: str | Path, G: nx.MultiDiGraph) -> Path:
    """:func:`node_link_json` into a file, one node or edge at a time (the same bytes, without
    holding the whole document in memory)."""
    if not (G.is_multigraph() and G.is_directed()):
        with atomic_open(path, "wb", None) as f:
            f.write(node_link_json(G))
            f.write(b"\n")
        return Path(path)
    with atomic_open(path, "wb", None) as f:
        w = NodeLinkWriter(f, G.graph)
        for n, d in G.nodes(data=True):
            w.node(n, d)
        for u, v, k, d in G.edges(keys=True, data=True):
            w.edge(u, v, k, d)
        w.close()
    return Path(path)


def _xml_safe(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` whose ids and string attributes hold only characters XML allows."""
    def clean(d: dict[str, Any]) -> dict[str, Any]:
        return {k: xml_text(v) if isinstance(v, str) else v for k, v in d.items()}

    H = nx.MultiDiGraph()
    name = {n: xml_text(n) if isinstance(n, str) else n for n in G}
    H.add_nodes_from((name[n], clean(d)) for n, d in G.nodes(data=True))
    H.add_edges_from((name[a], name[b], xml_text(k) if isinstance(k, str) else k, clean(d))
                     for a, b, k, d in G.edges(keys=True, data=True))
    return H


def write_graphml(path: str | Path, G: nx.MultiDiGraph) -> Path:
    """GraphML; characters XML forbids in texts (control characters) become U+FFFD."""
    H = _xml_safe(G)
    H.graph = {k: xml_text(v) if isinstance(v, str) else v for k, v in G.graph.items()
               if isinstance(v, (str, int, float, bool))}
    with atomic_open(path, "wb", None) as f:
        nx.write_graphml(H, f)
    return Path(path)


def write_gexf(path: str | Path, G: nx.MultiDiGraph) -> Path:
    """GEXF; characters XML forbids in texts (control characters) become U+FFFD."""
    H = _xml_safe(G)
    with atomic_open(path, "wb", None) as f:
        nx.write_gexf(H, f)
    return Path(path)


EDGE_COLUMNS = ("source", "relation", "target", "asserted_by", "statements", "evidence_source",
                "evidence_span", "evidence")
NODE_COLUMNS = ("id", "kind", "label", "type", "number", "date", "issuer", "branch", "level", "province",
                "district", "title", "source", "in_corpus", "cited")


def csv_text(rows: Iterable[dict[str, Any]], columns: Iterable[str]) -> str:
    """CSV with a header, every cell made safe for spreadsheets (:func:`spreadsheet_cell`)."""
    cols = list(columns)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({c: spreadsheet_cell(r.get(c)) for c in cols})
    return buf.getvalue()


def write_csv(folder: str | Path, G: nx.MultiDiGraph) -> list[Path]:
    """``nodes.csv`` and ``edges.csv`` of the document graph, for spreadsheets and Gephi."""
    folder = Path(folder)
    nodes = ({"id": n, **d} for n, d in G.nodes(data=True))
    edges = ({"source": a, "target": b, **d} for a, b, d in G.edges(data=True))
    return [write_text(folder / "nodes.csv", csv_text(nodes, NODE_COLUMNS)),
            write_text(folder / "edges.csv", csv_text(edges, EDGE_COLUMNS))]
