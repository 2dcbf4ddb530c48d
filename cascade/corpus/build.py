"""The pipeline over many files: read and extract (cached, in parallel), resolve, write.

One bad file never stops a build: it is reported in one line and skipped, and a file that
takes longer than its time budget is skipped the same way. Workers (local processes, or a
Dask cluster with ``scheduler``) write the records to shards on disk and send back only
what identity resolution needs, so the main process never holds every record whole.

A rebuild re-reads only the files whose content (or manifest entry) changed: records are
cached under ``<out>/cache`` as JSON keyed by the file's bytes, its manifest and the
extractor's code, and a removed file simply has no record in the next build.

A build folder holds::

    records.jsonl   one record per document (shared/INTERFACES.md §1)
    graph.json      the node-link graph (shared/INTERFACES.md §2)
    cascade.db      SQLite: the graph, documents, mentions, relations with all their
                    evidence, tasks, agencies, conflicts, warnings (see cascade.corpus.store)
    cascade.ttl     the graph as Turtle;  map.html  the map of the whole corpus
    conflicts.json  disagreeing claims, with their sources
    build.json      what was built from what, with counts and bad files

Only one build writes into a folder at a time (``<out>/.lock``). The files are written
into a hidden staging folder and renamed into place at the end, ``build.json`` last; it
and ``cascade.db`` carry the same build id, which :func:`load` checks, so a reader never
mixes two builds. Nothing in a build folder is ever unpickled.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import orjson

from cascade import __version__
from cascade.corpus import store
from cascade.corpus.extraction import (
    Batch,
    Extracted,
    FileError,
    decode_layer,
    layer_shard,
    run_batch,
    unpacked,
)
from cascade.corpus.store import DEFAULT_OUT, default_out
from cascade.errors import BuildError, CascadeError
from cascade.graph import KIND, GraphParts, GraphWalk, StreamedGraph, TaskEdges, TaskLayer
from cascade.identity.documents import Corpus, resolve
from cascade.models import Record
from cascade.outputs.export import NodeLinkWriter, atomic_open, record_json, write_json
from cascade.read.base import ReadOptions
from cascade.read.files import source_name
from cascade.runtime import Interrupted, TerminatedError, WorkerPool, paused_gc, terminate_as_exception

__all__ = ["DEFAULT_OUT", "Build", "FileError", "build", "code_fingerprint", "default_out", "extra_writers",
           "extract_paths", "load", "load_records"]

FILE_TIMEOUT = 30.0          # seconds one file may take in a worker ($CASCADE_FILE_TIMEOUT)
_STAGE = ".build-"           # staging folders inside the build folder


@cache
def code_fingerprint() -> str:
    """A hash of the installed package's own files (code and data).

    A cached record is reused only by the same code: any change to any module or resource
    file, including a module added later, gives another fingerprint.
    """
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256(__version__.encode())
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix not in (".pyc", ".pyo") and "__pycache__" not in p.parts:
            h.update(p.relative_to(root).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


class Build:
    """The result of :func:`build` (or of :func:`load`).

    ``graph`` is the whole graph. After :func:`build` it is read from the build's
    ``cascade.db`` the first time it is asked for: the build itself holds the documents
    and the links between them in memory, never every task at once. ``corpus`` holds the
    resolved records without their tasks and, unless resolution moved them, without the
    evidence of their own metadata (both are in ``records.jsonl``; the tasks are in the
    graph and in ``cascade.db`` too).
    """

    __slots__ = ("out", "_graph", "_documents", "_streamed", "corpus", "errors", "stats", "written")

    def __init__(self, out: Path, graph: nx.MultiDiGraph | None = None, corpus: Corpus | None = None,
                 errors: list[FileError] | None = None, stats: dict[str, object] | None = None,
                 written: list[Path] | None = None, documents: nx.MultiDiGraph | None = None) -> None:
        self.out = out
        self._graph = graph
        self._documents = documents
        self._streamed: StreamedGraph | None = None
        self.corpus = corpus
        self.errors: list[FileError] = errors if errors is not None else []
        self.stats: dict[str, object] = stats if stats is not None else {}
        self.written: list[Path] = written if written is not None else []

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The whole graph (after :func:`build`, read from ``cascade.db`` on first use and kept)."""
        if self._graph is None:
            with store.connect(Path(self.out) / store.DB_FILE) as con:
                self._graph = store.read_graph(con)
        return self._graph

    @graph.setter
    def graph(self, G: nx.MultiDiGraph) -> None:
        self._graph = G

    @property
    def document_graph(self) -> nx.MultiDiGraph:
        """The documents, their issuers and places, and the links between documents, in the graph's
        order, without signers, tasks and agencies (what a map of the corpus reads): after
        :func:`build`, the part of the graph the build holds in memory; otherwise :attr:`graph`."""
        return self._documents if self._documents is not None else self.graph

    def kinds(self) -> dict[str | None, int]:
        """How many nodes of each kind the graph has, counted in ``cascade.db`` when the graph is
        not in memory (without loading it)."""
        if self._graph is not None:
            counts: dict[str | None, int] = {}
            for _, k in self._graph.nodes(data=KIND):
                counts[k] = counts.get(k, 0) + 1
            return counts
        with store.connect(Path(self.out) / store.DB_FILE) as con:
            return store.count_kinds(con)

    def walked_graph(self) -> nx.MultiDiGraph | StreamedGraph:
        """The whole graph for a writer that walks it node by node and reads each node's out-edges:
        while :func:`build` runs its writers (Turtle, map, ``extras``), a :class:`StreamedGraph`
        that remakes each plan's tasks as they are walked; otherwise :attr:`graph`."""
        return self._streamed if self._streamed is not None else self.graph

    def __repr__(self) -> str:
        return f"Build(out={str(self.out)!r}, stats={self.stats!r})"


# -- extraction over many files --------------------------------------------------------------------

class _Progress:
    """A rich progress bar on stderr when it is a terminal (files, and the pages of scans read
    so far, which move while a long scan is read); does nothing otherwise."""

    def __init__(self, total: int, enabled: bool) -> None:
        self._bar: Any = None
        if not enabled or total < 20 or not sys.stderr.isatty():
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._bar = Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(),
                             TextColumn("{task.fields[pages]}"), TimeRemainingColumn(),
                             console=Console(stderr=True), transient=True)
        self._task = self._bar.add_task("extract", total=total, pages="")
        self._bar.start()

    def advance(self, n: int) -> None:
        if self._bar is not None:
            self._bar.advance(self._task, n)

    def pages(self, n: int) -> None:
        """``n`` pages of scans read by OCR so far."""
        if self._bar is not None and n:
            self._bar.update(self._task, pages=f"{n} scanned page{'s' * (n != 1)} read")

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()


@dataclass(slots=True)
class _Extraction:
    """The compact results of extracting every file, in file order, and where their lines are."""

    results: list[Extracted]
    shards: dict[str, str]                  # source -> the shard holding its line
    counts: dict[str, int]
    cpu: float = 0.0                        # :func:`_cpu` when extraction ended


def _batches(files: Sequence[str], size: int, shards: Path, cache_dir: Path | None, code: str,
             whole: bool, options: ReadOptions | None = None) -> list[Batch]:
    cache = str(cache_dir) if cache_dir else None
    return [Batch(i, tuple(files[s:s + size]), str(shards / f"{i:06d}.jsonl"), cache, code, whole, options)
            for i, s in enumerate(range(0, len(files), size))]


def _extract(paths: Iterable[str | Path], shards: Path, *, workers: int, cache_dir: Path | None,
             progress: bool, scheduler: str | None, budget: float | None, whole: bool = False,
             options: ReadOptions | None = None) -> _Extraction:
    """Extract every file under ``paths`` into shard files under ``shards``."""
    from cascade.read import iter_files

    skipped: list[Extracted] = []

    def skip(path: Path, why: str) -> None:                # FIFOs, devices, links out of the corpus
        skipped.append(Extracted(str(path), None, FileError(source_name(path), why), False, None))

    files = [str(p) for p in iter_files(paths, follow_links=bool(options and options.follow_links),
                                        on_skip=skip)]
    code = code_fingerprint()
    shards.mkdir(parents=True, exist_ok=True)
    if workers <= 0:
        workers = min(os.cpu_count() or 1, 4) if len(files) >= 400 else 1
    bar = _Progress(len(files), progress)
    done: list[tuple[Batch, list[Extracted]]] = []
    try:
        if scheduler:
            from cascade.corpus import distributed

            size = max(50, min(400, len(files) // 64 or 50))
            batches = _batches(files, size, shards, cache_dir, code, whole, options)
            for batch, part in distributed.run(scheduler, batches):
                done.append((batch, [unpacked(x) for x in part]))   # the records as they come
                bar.advance(len(part))
        else:
            # small batches keep the workers evenly busy to the end and the progress bar moving
            size = max(8, min(200, len(files) // (workers * 8) or 8))
            batches = _batches(files, size, shards, cache_dir, code, whole, options)
            next_index = len(batches)
            if min(workers, len(batches)) > 1:
                # the extractor's modules (~0.15 s to import), imported once here and shared by the
                # forked workers rather than imported again by each of them
                import cascade.extract.pipeline  # noqa: F401
            with WorkerPool(run_batch, min(workers, len(batches)) or 1, budget) as pool:
                for b in batches:
                    pool.submit(b)
                for batch, ok, value in pool.results(lambda: bar.pages(pool.steps())):
                    if ok:
                        done.append((batch, [unpacked(x) for x in value]))
                        bar.advance(len(value))
                    elif isinstance(value, Interrupted):
                        bad = batch.paths[value.item]
                        done.append((batch, [Extracted(bad, None, FileError(source_name(bad),
                                                                            f"skipped: {value.reason}"),
                                                       False, None)]))
                        bar.advance(1)
                        rest = batch.paths[:value.item] + batch.paths[value.item + 1:]
                        if rest:                     # the others again, into a fresh shard
                            pool.submit(replace(batch, index=next_index, paths=rest,
                                                shard=str(shards / f"{next_index:06d}.jsonl")))
                            next_index += 1
                    elif isinstance(value, CascadeError):
                        raise value
                    else:
                        raise BuildError(f"a worker failed ({type(value).__name__}: {value})")
    finally:
        bar.stop()
    order = {p: i for i, p in enumerate(files)}
    results: list[Extracted] = []
    where: dict[str, str] = {}
    for batch, part in done:
        for x in part:
            results.append(x)
            if x.record is not None:
                where[x.path] = batch.shard
    done.clear()
    results.sort(key=lambda x: order[x.path])
    results += skipped
    read = [x.cached for x in results if x.record is not None]
    counts = {"files": len(files), "cached": sum(read), "extracted": len(read) - sum(read),
              "failed": len(results) - len(read), "workers": workers}
    return _Extraction(results, where, counts, _cpu())


class _Shards:
    """Reads record lines and task layers back from the shards (mostly in file order, so
    few files are open at a time)."""

    def __init__(self, where: dict[str, str]) -> None:
        self.where = where
        self._open: dict[str, int] = {}

    def _read(self, name: str, offset: int, length: int) -> bytes:
        fd = self._open.get(name)
        if fd is None:
            if len(self._open) >= 4:
                self.close()
            fd = self._open[name] = os.open(name, os.O_RDONLY)
        return os.pread(fd, length, offset)

    def line(self, x: Extracted) -> bytes:
        return self._read(self.where[x.path], x.offset, x.length)

    def record(self, x: Extracted) -> Record:
        return Record.from_dict(orjson.loads(self.line(x)))

    def layer(self, x: Extracted) -> TaskLayer | None:
        if not x.layer_length:
            return None
        return decode_layer(self._read(layer_shard(self.where[x.path]), x.layer_offset, x.layer_length))

    def close(self) -> None:
        for fd in self._open.values():
            os.close(fd)
        self._open.clear()


class _Layers(Mapping[str, TaskLayer]):
    """The task layers of the records, read from the shards one at a time as the graph asks."""

    def __init__(self, shards: _Shards, extracted: dict[str, Extracted]) -> None:
        self.shards, self.extracted = shards, extracted

    def __getitem__(self, source: str) -> TaskLayer:
        layer = self.shards.layer(self.extracted[source])
        if layer is None:
            raise KeyError(source)
        return layer

    def get(self, source: str, default: Any = None) -> Any:      # Mapping.get, without its try and raise
        x = self.extracted.get(source)
        layer = self.shards.layer(x) if x is not None else None
        return layer if layer is not None else default

    def __iter__(self) -> Iterator[str]:
        return iter(self.extracted)

    def __len__(self) -> int:
        return len(self.extracted)


def _cpu() -> float:
    """CPU seconds of this process and of its finished worker processes."""
    try:
        import resource
    except ImportError:                         # Windows
        return time.process_time()
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + child.ru_utime + child.ru_stime


def _file_timeout(value: float | None) -> float | None:
    if value is None:
        env = os.environ.get("CASCADE_FILE_TIMEOUT")
        try:
            value = float(env) if env else FILE_TIMEOUT
        except ValueError:
            raise BuildError(f"CASCADE_FILE_TIMEOUT={env!r} is not a number of seconds") from None
    return value if value > 0 else None


def extract_paths(paths: Iterable[str | Path], *, workers: int = 0, cache_dir: Path | None = None,
                  progress: bool = False, file_timeout: float | None = None,
                  options: ReadOptions | None = None
                  ) -> tuple[list[Record], list[FileError], dict[str, int]]:
    """Records of every supported file under ``paths``, and the files that failed.

    Args:
        paths: files and folders (folders are searched recursively).
        workers: processes to use; 0 chooses (one per core for large corpora, else 1).
        cache_dir: where cached records live; None disables the cache.
        progress: show a progress bar on a terminal.
        file_timeout: seconds one file may take (default ``$CASCADE_FILE_TIMEOUT`` or 30; 0: no limit).
        options: how files are read (OCR, size limit, links); None uses the defaults.

    Returns:
        (records in path order, errors, counts of cached and extracted files)
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="cascade-extract-") as tmp:
        x = _extract(paths, Path(tmp), workers=workers, cache_dir=cache_dir, progress=progress,
                     scheduler=None, budget=_file_timeout(file_timeout), whole=True, options=options)
    records = [r.record for r in x.results if r.record is not None]
    return records, [r.error for r in x.results if r.error is not None], x.counts


# -- the build -------------------------------------------------------------------------------------

@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold ``<out>/.lock`` for the block; a second build into ``out`` fails at once."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise BuildError(f"cannot write into {out}/ ({e.strerror or e})") from None
    try:
        try:
            import fcntl
        except ImportError:                     # Windows: no advisory lock
            fcntl = None  # type: ignore[assignment]
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise BuildError(f"another build is writing into {out}/ "
                                 "(wait for it, or use another --build-dir)") from None
        for stale in out.glob(f"{_STAGE}*"):    # left by a build that was killed
            shutil.rmtree(stale, ignore_errors=True)
        yield
    finally:
        os.close(fd)                            # closing the file releases the lock


def extra_writers(turtle: bool, html: bool, base: str | None) -> list[Callable[[Build], list[Path]]]:
    """The Turtle and map writers a build runs after its own files."""
    extras: list[Callable[[Build], list[Path]]] = []
    if turtle:
        from cascade.rdf import build_extra as write_turtle

        extras.append(lambda b: write_turtle(b, base=base))
    if html:
        from cascade.outputs.maps import build_extra as write_map

        extras.append(write_map)
    return extras


def build(paths: Sequence[str | Path], out: str | Path | None = None, *, workers: int = 0,
          use_cache: bool = True, progress: bool = False, turtle: bool = True, html: bool = True,
          base: str | None = None, scheduler: str | None = None, file_timeout: float | None = None,
          extras: Iterable[Callable[[Build], list[Path]]] = (), options: ReadOptions | None = None) -> Build:
    """Build the corpus under ``paths`` into ``out`` and return it: what ``cascade build`` does.

    Args:
        paths: files and folders to read.
        out: the build folder (default :func:`default_out`).
        workers: local worker processes (0 chooses).
        use_cache: reuse the records of unchanged files.
        progress: show a progress bar on a terminal.
        turtle, html, base: write ``cascade.ttl`` (with this base IRI) and ``map.html``.
        scheduler: the address of a Dask scheduler to extract on (default ``$CASCADE_SCHEDULER``;
            none: local processes). Its workers must see the input files and ``out``.
        file_timeout: seconds one file may take (default ``$CASCADE_FILE_TIMEOUT`` or 30; 0: no
            limit); a file that takes longer is skipped and reported.
        extras: more writers, called with the finished build; each returns the paths it wrote.
        options: how files are read (OCR, size limit, links); None uses the defaults.

    Raises:
        BuildError: when no file could be read at all, or ``out`` cannot be written or is busy.
    """
    target = Path(out) if out is not None else default_out()
    scheduler = scheduler or os.environ.get("CASCADE_SCHEDULER") or None
    writers = [*extra_writers(turtle, html, base), *extras]
    with terminate_as_exception("the build was terminated"), _locked(target), paused_gc():
        return _build(paths, target, workers, use_cache, progress, writers, scheduler,
                      _file_timeout(file_timeout), options)


def _build(paths: Sequence[str | Path], out: Path, workers: int, use_cache: bool, progress: bool,
           extras: Iterable[Callable[[Build], list[Path]]], scheduler: str | None,
           budget: float | None, options: ReadOptions | None = None) -> Build:
    t0, c0 = time.perf_counter(), _cpu()
    build_id = f"{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{secrets.token_hex(6)}"
    stage = out / f"{_STAGE}{build_id}"
    try:
        stage.mkdir()
        x = _extract(paths, stage / "shards", workers=workers, cache_dir=out / "cache" if use_cache else None,
                     progress=progress, scheduler=scheduler, budget=budget, options=options)
        b = _resolve_and_write(paths, out, stage, build_id, x, extras, t0, c0)
        if use_cache:
            _prune_cache(out / "cache", {r.key for r in x.results if r.key})
        return b
    except OSError as e:
        raise BuildError(f"cannot write the build into {out}/ ({e.strerror or e})") from None
    except TerminatedError as e:
        raise BuildError(str(e)) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _resolve_and_write(paths: Sequence[str | Path], out: Path, stage: Path, build_id: str, x: _Extraction,
                       extras: Iterable[Callable[[Build], list[Path]]], t0: float, c0: float) -> Build:
    slim = {r.record.source: r for r in x.results if r.record is not None}   # source: the path, printable
    errors = [r.error for r in x.results if r.error is not None]
    t1, c1 = time.perf_counter(), _cpu()
    if not slim:
        what = "; ".join(str(e) for e in errors[:3]) or "no .txt, .md, .docx or .pdf file found"
        raise BuildError(f"nothing could be read under {', '.join(map(str, paths))} ({what})")
    corpus = resolve([r.record for r in slim.values() if r.record is not None])
    shards = _Shards(x.shards)
    try:
        # a record resolution changed (placed in another province) gets back from its shard what the
        # workers kept there (tasks, the evidence of its metadata), for its line of records.jsonl
        changed: set[str] = set()
        for i, rec in enumerate(corpus.records):
            if rec is not slim[rec.source].record:
                whole = shards.record(slim[rec.source])
                corpus.records[i] = replace(rec, tasks=whole.tasks,
                                            meta=replace(rec.meta, evidence=whole.meta.evidence))
                changed.add(rec.source)
        parts = GraphParts(corpus, _Layers(shards, slim))
        t2, c2 = time.perf_counter(), _cpu()
        stats: dict[str, object] = dict(x.counts)
        # nodes and edges are counted as the database is written
        stats.update({"documents": len(corpus.records), "nodes": 0, "edges": 0,
                      "document_nodes": len(corpus.nodes),
                      "conflicts": len(corpus.conflicts), "seconds_extract": round(t1 - t0, 3),
                      "seconds_resolve": round(t2 - t1, 3), "cpu_extract": round(x.cpu - c0, 3)})
        b = Build(out=stage, corpus=corpus, errors=errors, stats=stats, documents=parts.core)
        lines = (record_json(r) if r.source in changed else shards.line(slim[r.source])
                 for r in corpus.records)
        b.written.append(_write_lines(stage / "records.jsonl", lines))
        graph_json, db = _write_graph(stage, b, build_id, parts)
    finally:
        shards.close()
    b._streamed = StreamedGraph(parts)
    del parts, slim
    conflicts = write_json(stage / "conflicts.json", [c.to_dict() for c in corpus.conflicts])
    b.written += [graph_json, conflicts, db]
    stats["seconds_write"] = round(time.perf_counter() - t2, 3)
    t3, c3 = time.perf_counter(), _cpu()
    stats["cpu_resolve"], stats["cpu_write"] = round(c2 - c1, 3), round(c3 - c2, 3)
    try:
        for extra in extras:
            b.written += extra(b)
    finally:
        b._streamed = None                     # it reads the shards, which go with the staging folder
    # the writers after the build's own files (Turtle and statements, the map, any extra)
    stats["seconds_publish"], stats["cpu_publish"] = round(time.perf_counter() - t3, 3), round(_cpu() - c3, 3)
    stats["seconds_total"] = round(time.perf_counter() - t0, 3)
    names = list(dict.fromkeys(p.name for p in b.written))
    manifest = {"cascade_version": __version__, "build": build_id, "code": code_fingerprint(),
                "inputs": [str(p) for p in paths], "stats": stats,
                "errors": [{"path": store._text(e.path), "message": store._text(e.message)} for e in errors],
                "warnings": corpus.warnings, "files": [str(out / n) for n in [*names, "build.json"]]}
    write_json(stage / "build.json", manifest)
    _publish(stage, out, [*names, "build.json"])
    b.out = out
    b.written = [out / n for n in [*names, "build.json"]]
    return b


def _write_graph(stage: Path, b: Build, build_id: str, parts: GraphParts) -> tuple[Path, Path]:
    """``cascade.db`` and ``graph.json`` from one walk of the graph (each task layer read from the shards
    once)."""
    graph_json = stage / "graph.json"
    with atomic_open(graph_json, "wb", None) as f:
        w = NodeLinkWriter(f, parts.graph, stage)
        db = store.write(stage / store.DB_FILE, b, build_id, _Copied(parts.walk(stage), w))
        w.close()
    return graph_json, db


class _Copied:
    """A walk of the graph (:class:`GraphWalk`) that also writes each node and edge into ``graph.json``.

    The walk gives the edges out of each task with the task, in the node pass; in the graph of a
    build they are the last edges (the tasks come after every node that has other edges), so
    they go into ``graph.json`` after the others (:meth:`NodeLinkWriter.edge_last`).
    """

    def __init__(self, walk: GraphWalk, w: NodeLinkWriter) -> None:
        self.walk, self.w, self.graph = walk, w, walk.graph

    def nodes(self) -> Iterator[tuple[str, dict[str, object], TaskEdges | None]]:
        node, last = self.w.node, self.w.edge_last
        for n, d, task in self.walk.nodes():
            node(n, d)
            if task is not None:
                for v, keys in task.edges.items():
                    for k, ed in keys.items():
                        last(n, v, k, ed)
            yield n, d, task

    def edges(self) -> Iterator[tuple[str, str, str, dict[str, object]]]:
        edge = self.w.edge
        for e in self.walk.edges():
            edge(*e)
            yield e


def _write_lines(path: Path, lines: Iterable[bytes]) -> Path:
    with path.open("wb") as f:
        for line in lines:
            f.write(line)
            f.write(b"\n")
    return path


def _publish(stage: Path, out: Path, names: list[str]) -> None:
    """Move the staged files into ``out``, the manifest (build.json) last; drop files of older
    versions that this build does not write (graph.pickle)."""
    for name in dict.fromkeys(names):
        os.replace(stage / name, out / name)
    (out / "graph.pickle").unlink(missing_ok=True)


def _prune_cache(cache_dir: Path, wanted: set[str]) -> None:
    """Drop cache entries no current file needs (a removed or changed file)."""
    if not cache_dir.exists():
        return
    for f in cache_dir.glob("*/*.json"):
        if f.stem not in wanted:
            f.unlink(missing_ok=True)


# -- reading a build -------------------------------------------------------------------------------

def load(out: str | Path | None = None, *, documents_only: bool = False, cascade_only: bool = False) -> Build:
    """The last build in ``out`` (graph only; records stay on disk), without re-reading text.

    With ``documents_only`` the graph holds the documents and the links between them only
    (no tasks, agencies, organisations or places): what ``missing`` needs, read in a
    fraction of the time on a large corpus. With ``cascade_only`` it holds the documents
    and their implements/continues links with their relation only: what tree, chain,
    coverage and lag read, the quickest to load.

    Raises:
        BuildError: when ``out`` holds no build, or files of two different builds.
    """
    out = Path(out) if out is not None else default_out()
    with store.open_build(out) as (con, manifest):
        G = store.read_graph(con, documents_only=documents_only, cascade_only=cascade_only)
    stats = manifest.get("stats")
    return Build(out=out, graph=G, stats=stats if isinstance(stats, dict) else {})


def load_records(out: str | Path | None = None) -> list[Record]:
    """The records of the last build."""
    out = Path(out) if out is not None else default_out()
    p = out / "records.jsonl"
    if not p.exists():
        raise BuildError(f"no build in {out}/ (run: cascade build PATH --build-dir {out})")
    # split on newlines only: a quote may hold U+2028 or U+0085, which str.splitlines() breaks at
    return [Record.from_dict(orjson.loads(line)) for line in p.read_bytes().split(b"\n") if line.strip()]
