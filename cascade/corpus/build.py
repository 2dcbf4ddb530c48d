"""The pipeline over many files: read, extract (cached, in parallel), resolve, write.

One bad file never stops a build: it is reported in one line and skipped. A rebuild
re-reads only the files whose content (or manifest entry) changed: records are cached
under ``<out>/cache`` keyed by the file's bytes, its manifest and the extractor's code, and
a removed file simply has no record in the next build, so its facts are gone.

A build folder holds::

    records.jsonl   one record per document (shared/INTERFACES.md §1)
    graph.json      the node-link graph (shared/INTERFACES.md §2)
    graph.pickle    the same graph, for fast loading by the query commands
    conflicts.json  disagreeing claims, with their sources
    build.json      what was built from what, with counts and bad files
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import stat
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

import networkx as nx
import orjson

from cascade import __version__
from cascade.errors import BuildError, CascadeError
from cascade.graph import TaskLayer, build_graph, task_layer
from cascade.identity.documents import Corpus, resolve
from cascade.models import Record
from cascade.outputs.export import record_json, write_json, write_node_link, write_pickle, write_records
from cascade.read.base import ReadOptions
from cascade.read.files import source_name
from cascade.runtime import in_child, paused_gc

DEFAULT_OUT = "cascade-out"

def default_out() -> Path:
    """The build folder: ``$CASCADE_OUT`` or ``./cascade-out``."""
    return Path(os.environ.get("CASCADE_OUT") or DEFAULT_OUT)


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


@dataclass(frozen=True, slots=True)
class FileError:
    """A file that could not be used, and why (one line)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(slots=True)
class Build:
    """The result of :func:`build` (or of :func:`load`)."""

    out: Path
    graph: nx.MultiDiGraph
    corpus: Corpus | None = None
    errors: list[FileError] = field(default_factory=list)
    stats: dict[str, object] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)


# -- extraction, one file ------------------------------------------------------------------------

def _cache_key(path: Path, options: ReadOptions | None = None) -> str | None:
    options = options or ReadOptions()
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode) or st.st_size > options.max_bytes:
            return None                                    # read_file refuses it: nothing to cache
        data = path.read_bytes()
    except OSError:
        return None
    h = hashlib.sha256(code_fingerprint().encode())
    h.update(f"ocr={options.ocr and options.ocr_language}".encode())
    manifest = path.parent / "manifest.csv"
    if manifest.exists():
        h.update(manifest.read_bytes())
    h.update(data)
    return h.hexdigest()


class Extracted(NamedTuple):
    """What extracting one file gives."""

    record: Record | None
    line: bytes | None               # the record as one line of records.jsonl
    error: FileError | None
    cached: bool                     # read from the cache rather than extracted
    key: str | None = None           # the cache key (file bytes + manifest + code)
    layer: TaskLayer | None = None   # the record's task nodes, ready for the graph


def _extract_one(path: Path, cache_dir: Path | None, layers: bool = False,
                 options: ReadOptions | None = None) -> Extracted:
    """What extracting one file gives (see :class:`Extracted`); never raises.

    The record is serialised here, in the worker, so that the main process only writes
    the line to records.jsonl (and the cache holds the same bytes); with ``layers`` its
    task layer of the graph is made here too.
    """
    from cascade.extract.pipeline import extract_file

    key = _cache_key(path, options) if cache_dir is not None else None
    cached = cache_dir / key[:2] / f"{key}.json" if key and cache_dir is not None else None
    if cached is not None and cached.exists():
        try:
            line = cached.read_bytes()
            rec = Record.from_dict(orjson.loads(line))
            if rec.source != source_name(path):
                rec = _with_source(rec, source_name(path))
                line = record_json(rec)
            return Extracted(rec, line, None, True, key, task_layer(rec) if layers else None)
        except (OSError, ValueError, KeyError, TypeError):
            pass                                           # a damaged cache entry: extract again
    try:
        rec = extract_file(path, options=options)
    except CascadeError as e:
        return Extracted(None, None, FileError(source_name(path), str(e)), False)
    except Exception as e:  # noqa: BLE001 - one bad file must not stop a corpus build
        why = f"could not be processed ({type(e).__name__}: {e})"
        return Extracted(None, None, FileError(source_name(path), why), False)
    line = record_json(rec)
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(line)
            os.replace(tmp, cached)
        except OSError:
            pass
    return Extracted(rec, line, None, False, key, task_layer(rec) if layers else None)


def _with_source(rec: Record, source: str) -> Record:
    d = rec.to_dict()
    d["source"] = source
    d["document"]["evidence"] = {k: {**e, "source": source} for k, e in d["document"]["evidence"].items()}
    return Record.from_dict(d)


def _extract_chunk(args: tuple[list[str], str | None, bool, ReadOptions | None]) -> list[Extracted]:
    paths, cache_dir, layers, options = args
    cdir = Path(cache_dir) if cache_dir else None
    return [_extract_one(Path(p), cdir, layers, options) for p in paths]


# -- many files ----------------------------------------------------------------------------------

def _progress(total: int, enabled: bool) -> tuple[Callable[[int], None], Callable[[], None]]:
    """A rich progress bar on stderr when it is a terminal; no-ops otherwise."""
    if not enabled or total < 20 or not sys.stderr.isatty():
        return (lambda n: None), (lambda: None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    p = Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                 console=Console(stderr=True), transient=True)
    task = p.add_task("extract", total=total)
    p.start()
    return (lambda n: p.advance(task, n)), p.stop


def extract_paths(paths: Iterable[str | Path], *, workers: int = 0, cache_dir: Path | None = None,
                  progress: bool = False, options: ReadOptions | None = None,
                  ) -> tuple[list[Record], list[FileError], dict[str, int]]:
    """Records of every supported file under ``paths``, and the files that failed.

    Args:
        paths: files and folders (folders are searched recursively).
        workers: processes to use; 0 chooses (one per core for large corpora, else 1).
        cache_dir: where cached records live; None disables the cache.
        progress: show a progress bar on a terminal.
        options: how files are read (OCR, size limit, links); None uses the defaults.

    Returns:
        (records in path order, errors, counts of cached and extracted files)
    """
    results, counts = _extract_all(paths, workers, cache_dir, progress, options=options)
    records = [x.record for x in results if x.record is not None]
    return records, [x.error for x in results if x.error is not None], counts


def _extract_all(paths: Iterable[str | Path], workers: int, cache_dir: Path | None, progress: bool,
                 layers: bool = False, options: ReadOptions | None = None,
                 ) -> tuple[list[Extracted], dict[str, int]]:
    from cascade.read import iter_files

    skipped: list[Extracted] = []

    def skip(path: Path, why: str) -> None:
        skipped.append(Extracted(None, None, FileError(source_name(path), why), False))

    files = iter_files(paths, follow_links=bool(options and options.follow_links), on_skip=skip)
    if workers <= 0:
        workers = min(os.cpu_count() or 1, 4) if len(files) >= 400 else 1
    advance, stop = _progress(len(files), progress)
    results: list[Extracted] = []
    try:
        if workers == 1:
            for p in files:
                results.append(_extract_one(p, cache_dir, layers, options))
                advance(1)
        else:
            # small chunks keep the workers evenly busy to the end and the progress bar moving
            size = max(8, min(64, len(files) // (workers * 8) or 8))
            chunks = [([str(p) for p in files[i:i + size]], str(cache_dir) if cache_dir else None, layers,
                       options)
                      for i in range(0, len(files), size)]
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for part in pool.map(_extract_chunk, chunks):
                    results.extend(part)
                    advance(len(part))
    finally:
        stop()
    results += skipped
    ok = [x.cached for x in results if x.record is not None]
    counts = {"files": len(files), "cached": sum(ok), "extracted": len(ok) - sum(ok),
              "failed": len(results) - len(ok), "workers": workers}
    return results, counts


def build(paths: Sequence[str | Path], out: str | Path | None = None, *, workers: int = 0, use_cache: bool = True,
          progress: bool = False, extras: Iterable[Callable[[Build], list[Path]]] = (),
          options: ReadOptions | None = None) -> Build:
    """Build the corpus under ``paths`` into ``out`` and return it.

    ``extras`` are writers called with the finished build (Turtle, the HTML map...); each
    returns the paths it wrote. ``options`` say how files are read (OCR, size limit, links).

    Raises:
        BuildError: when no file could be read at all.
    """
    with paused_gc():
        return _build(paths, Path(out) if out is not None else default_out(), workers, use_cache, progress,
                      extras, options)


def _build(paths: Sequence[str | Path], out: Path, workers: int, use_cache: bool, progress: bool,
           extras: Iterable[Callable[[Build], list[Path]]], options: ReadOptions | None = None) -> Build:
    t0 = time.perf_counter()
    results, counts = _extract_all(paths, workers, out / "cache" if use_cache else None, progress,
                                   layers=True, options=options)
    records = [x.record for x in results if x.record is not None]
    errors = [x.error for x in results if x.error is not None]
    t1 = time.perf_counter()
    if not records:
        what = "; ".join(str(e) for e in errors[:3]) or "no .txt, .md, .docx or .pdf file found"
        raise BuildError(f"nothing could be read under {', '.join(map(str, paths))} ({what})")
    corpus = resolve(records)
    G = build_graph(corpus, {x.record.source: x.layer for x in results if x.record is not None and x.layer})
    t2 = time.perf_counter()
    stats: dict[str, object] = dict(counts)
    stats.update({"documents": len(records), "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                  "document_nodes": len(corpus.nodes), "conflicts": len(corpus.conflicts),
                  "seconds_extract": round(t1 - t0, 3), "seconds_resolve": round(t2 - t1, 3)})
    b = Build(out=out, graph=G, corpus=corpus, errors=errors, stats=stats)
    # records resolution left as they were are written as the workers serialised them
    lines = {id(x.record): x.line for x in results if x.record is not None}
    pickled = in_child(write_pickle, out / "graph.pickle", G)      # on the other core, meanwhile:
    b.written += [write_records(out / "records.jsonl", [lines.get(id(r)) or r for r in corpus.records]),
                  write_node_link(out / "graph.json", G),
                  write_json(out / "conflicts.json", [c.to_dict() for c in corpus.conflicts]),
                  pickled()]
    stats["seconds_write"] = round(time.perf_counter() - t2, 3)
    for extra in extras:
        b.written += extra(b)
    stats["seconds_total"] = round(time.perf_counter() - t0, 3)
    b.written.append(write_json(out / "build.json", {
        "cascade_version": __version__, "code": code_fingerprint(), "inputs": [str(p) for p in paths],
        "stats": stats, "errors": [{"path": e.path, "message": e.message} for e in errors],
        "warnings": corpus.warnings, "files": [str(p) for p in b.written]}))
    if use_cache:
        _prune_cache(out / "cache", {x.key for x in results if x.key})
    return b


def _prune_cache(cache_dir: Path, wanted: set[str]) -> None:
    """Drop cache entries no current file needs (a removed or changed file)."""
    if not cache_dir.exists():
        return
    for f in cache_dir.glob("*/*.json"):
        if f.stem not in wanted:
            f.unlink(missing_ok=True)


def load(out: str | Path | None = None) -> Build:
    """The last build in ``out`` (graph only; records stay on disk), without re-reading text.

    Raises:
        BuildError: when ``out`` holds no build.
    """
    out = Path(out) if out is not None else default_out()
    pk = out / "graph.pickle"
    if not pk.exists():
        raise BuildError(f"no build in {out}/ (run: cascade build PATH --out {out})")
    try:
        with paused_gc(), pk.open("rb") as f:     # unpickling a large graph allocates millions of objects
            G = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as e:
        raise BuildError(f"{pk}: unreadable build ({e}); run cascade build again") from None
    stats: dict[str, object] = {}
    bj = out / "build.json"
    if bj.exists():
        try:
            stats = json.loads(bj.read_text(encoding="utf-8")).get("stats", {})
        except ValueError:
            pass
    return Build(out=out, graph=G, stats=stats)


def load_records(out: str | Path | None = None) -> list[Record]:
    """The records of the last build."""
    out = Path(out) if out is not None else default_out()
    p = out / "records.jsonl"
    if not p.exists():
        raise BuildError(f"no build in {out}/ (run: cascade build PATH --out {out})")
    # split on newlines only: a quote may hold U+2028 or U+0085, which str.splitlines() breaks at
    return [Record.from_dict(orjson.loads(line)) for line in p.read_bytes().split(b"\n") if line.strip()]
