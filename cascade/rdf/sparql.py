"""SPARQL over a build: the shipped named queries, parameters, and a kept Oxigraph store."""
from __future__ import annotations

import gc
import hashlib
import io
import json
import multiprocessing as mp
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from cascade import __version__
from cascade.errors import BuildError, CascadeError, ExportError
from cascade.rdf.namespace import PREFIXES
from cascade.rdf.shacl import _first_line
from cascade.rdf.terms import _NEEDS_ESCAPE, _escape_char
from cascade.rdf.write import _base, _write, format_of, load_source


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A query shipped in ``resources/queries/NAME.rq``; ``params`` maps ``$name`` to (required, help)."""

    name: str
    text: str
    description: str
    params: dict[str, tuple[bool, str]]


_PARAM_LINE = re.compile(r"^#\s*@param\s+(\w+)\s*(\(required\))?\s*:?\s*(.*)$")


@cache
def named_queries() -> dict[str, NamedQuery]:
    """The named queries, by name: ``tree``, ``coverage``, ``orphans``, ``agency-tasks``."""
    out: dict[str, NamedQuery] = {}
    folder = files("cascade") / "resources" / "queries"
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".rq"):
            continue
        text = item.read_text(encoding="utf-8")
        desc: list[str] = []
        params: dict[str, tuple[bool, str]] = {}
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            m = _PARAM_LINE.match(line)
            if m:
                params[m.group(1)] = (bool(m.group(2)), m.group(3).strip())
            elif not params:
                desc.append(line.lstrip("# ").rstrip())
        name = item.name[:-3]
        out[name] = NamedQuery(name, text, " ".join(d for d in desc if d).strip(), params)
    return out


def _term_text(value: str) -> str:
    """A parameter value as a SPARQL term: ``<iri>`` stays an IRI, anything else becomes a string literal."""
    if value.startswith("<") and value.endswith(">") and not re.search(r"[\s<>\"{}|\\^`]", value[1:-1]):
        return value
    return '"' + _NEEDS_ESCAPE.sub(_escape_char, value) + '"'


def bind_params(query: str, params: dict[str, str] | None = None,
                declared: dict[str, tuple[bool, str]] | None = None) -> str:
    """Substitute ``$name`` parameters of ``query`` with SPARQL terms; unset optional ones become variables.

    >>> bind_params('SELECT * { ?d dcterms:identifier $doc }', {"doc": "93-KL/TW"})
    'SELECT * { ?d dcterms:identifier "93-KL/TW" }'

    Raises:
        CascadeError: a required parameter is missing, or a given one is not in the query.
    """
    params = dict(params or {})
    used = set(re.findall(r"\$(\w+)", query))
    unknown = set(params) - used
    if unknown:
        raise CascadeError(f"unknown parameter {', '.join(sorted(unknown))}: this query takes "
                           f"{', '.join(sorted(used)) or 'none'}")
    for name, (required, help_) in (declared or {}).items():
        if required and name not in params:
            raise CascadeError(f"this query needs --param {name}=... ({help_})")

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        return _term_text(params[name]) if name in params else f"?{name}"

    return re.sub(r"\$(\w+)", sub, query)


@dataclass(slots=True)
class QueryResult:
    """SELECT rows (values as strings), an ASK answer, or CONSTRUCT triples as N-Triples."""

    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, str | None]] = field(default_factory=list)
    boolean: bool | None = None
    graph: str | None = None
    truncated: bool = False          # more answers than the limit: only the first ones are here


#: the on-disk Oxigraph store kept in a build folder for ``cascade sparql``
STORE_DIR = "sparql-store"


_STAMP = "cascade-stamp.json"


def load_store(out: str | Path | None = None, data: Sequence[str | Path] = ()) -> ox.Store:
    """A pyoxigraph store with the build's linked data, or with the ``data`` files (in memory).

    Without ``data`` the store holds the dataset of the build (the merged graph and the
    per-file named graphs, generated from the build folder), so queries see every fact in
    the default graph and provenance through ``GRAPH``. It is kept on disk in the build
    folder (``sparql-store/``) and opened read-only by later calls, until the build or
    cascade's linked-data code changes; where the folder cannot be written it lives in memory.
    """
    if data:
        store = ox.Store()
        for p in data:
            oxf = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
                   "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}[format_of(p)]
            try:
                store.bulk_load(path=str(p), format=oxf)
            except (OSError, SyntaxError, ValueError) as e:
                raise ExportError(f"{p}: cannot load: {_first_line(e)}") from None
        return store
    from cascade.corpus.build import default_out

    folder = Path(out) if out is not None else default_out()
    if not (folder / "cascade.db").exists():
        raise BuildError(f"no build in {folder}/ (run: cascade build PATH --build-dir {folder})")
    base = _base(None, folder)
    stamp = _store_stamp(folder, base)
    final = folder / STORE_DIR
    try:
        if json.loads((final / _STAMP).read_text(encoding="utf-8")) == stamp:
            return ox.Store.read_only(str(final))
    except (OSError, ValueError):
        pass
    buf = io.StringIO()
    _write(load_source(folder, evidence=True), "nq", buf, base)
    nquads = buf.getvalue().encode("utf-8")
    del buf
    tmp = folder / f".{STORE_DIR}.{os.getpid()}.tmp"
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        disk = ox.Store(str(tmp))
        disk.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        disk.flush()
        del disk
        gc.collect()                                   # close the database before it moves
        (tmp / _STAMP).write_text(json.dumps(stamp), encoding="utf-8")
        old = folder / f".{STORE_DIR}.{os.getpid()}.old"
        if final.exists():
            os.replace(final, old)
        os.replace(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
        return ox.Store.read_only(str(final))
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        store = ox.Store()
        store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        return store


def _store_stamp(folder: Path, base: str) -> dict[str, Any]:
    """What the kept store was made from: the build files, the base IRI, this module and the vocabulary."""
    def sig(p: Path) -> list[int]:
        try:
            st = p.stat()
            return [st.st_mtime_ns, st.st_size]
        except OSError:
            return []

    code = hashlib.sha1(Path(__file__).read_bytes())
    code.update((files("cascade") / "resources" / "ontology" / "cascade.ttl").read_bytes())
    return {"graph": sig(folder / "cascade.db"), "records": sig(folder / "records.jsonl"), "base": base,
            "code": code.hexdigest()[:16], "version": __version__}


def _ox_text(t: Any) -> str | None:
    if t is None:
        return None
    return str(t.value)


#: rows (or triples) a query returns at most, unless told otherwise
MAX_ROWS = 500_000
#: seconds a query may run, unless told otherwise
QUERY_TIMEOUT = 600.0

#: what a SERVICE keyword may hide in: strings, IRIs and comments (each alternative starts differently,
#: so the scan is linear in the query)
_NOT_KEYWORDS = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                           r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_SERVICE = re.compile(r"(?<![\w?$:])SERVICE\b", re.IGNORECASE)


def uses_service(query: str) -> bool:
    """Whether a query calls another endpoint (the SERVICE keyword outside strings, IRIs and comments).

    >>> uses_service("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT ?service { ?s <http://x/SERVICE> "SERVICE" } # SERVICE')
    False
    """
    return bool(_SERVICE.search(_NOT_KEYWORDS.sub(" ", query)))


def run_query(store: ox.Store, query: str, params: dict[str, str] | None = None,
              declared: dict[str, tuple[bool, str]] | None = None, *, limit: int | None = MAX_ROWS,
              timeout: float | None = QUERY_TIMEOUT, allow_service: bool = False) -> QueryResult:
    """Run a SPARQL query on a pyoxigraph store; the default graph is the union of all graphs.

    At most ``limit`` rows or triples are returned (``truncated`` says when there were
    more); a query that runs longer than ``timeout`` seconds is stopped (it runs in a
    child process where the system can fork, so even a query that computes for long
    before its first answer is stopped). A query that calls another endpoint (SERVICE)
    is refused unless ``allow_service``.

    Raises:
        CascadeError: the query does not parse, calls SERVICE, runs too long, or a parameter is missing.
    """
    text = bind_params(query, params, declared)
    if not allow_service and uses_service(text):
        raise CascadeError("the query calls another endpoint (SERVICE): refused unless allowed "
                           "(cascade sparql --allow-service)")
    if timeout is None:
        return _execute(store, text, limit, None)
    if sys.platform in ("win32", "darwin") or "fork" not in mp.get_all_start_methods():
        return _execute(store, text, limit, time.monotonic() + timeout)
    return _in_child(store, text, limit, timeout)


def _in_child(store: ox.Store, text: str, limit: int | None, timeout: float) -> QueryResult:
    """:func:`_execute` in a forked child that is killed when ``timeout`` passes."""
    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def run() -> None:
        try:
            outcome: tuple[bool, Any] = (True, _execute(store, text, limit, None))
        except CascadeError as e:
            outcome = (False, str(e))
        except BaseException as e:  # noqa: BLE001 - every failure goes back as one line
            outcome = (False, f"the query failed: {_first_line(e)}")
        send.send(outcome)

    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    child = ctx.Process(target=run, daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise CascadeError(f"the query ran longer than {timeout:g} s and was stopped")
        ok, value = receive.recv()
    except EOFError:
        raise CascadeError(f"the query stopped without an answer (exit code {child.exitcode}; "
                           "out of memory?)") from None
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()
    if not ok:
        raise CascadeError(value)
    return value


def _execute(store: ox.Store, text: str, limit: int | None, deadline: float | None) -> QueryResult:
    """Run ``text``; keep ``limit`` answers; past ``deadline`` (a monotonic time) stop between answers."""
    try:
        res = store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
    except SyntaxError as e:
        raise CascadeError(f"SPARQL syntax error: {_first_line(e)}") from None
    if isinstance(res, ox.QueryBoolean):
        return QueryResult(boolean=bool(res))
    kept = list(_bounded(res, limit, deadline))
    truncated = limit is not None and len(kept) > limit
    if truncated:
        kept.pop()
    if isinstance(res, ox.QuerySolutions):
        names = [v.value for v in res.variables]
        rows = [{n: _ox_text(sol[n]) for n in names} for sol in kept]
        return QueryResult(variables=names, rows=rows, truncated=truncated)
    data = ox.serialize(kept, format=ox.RdfFormat.N_TRIPLES)
    return QueryResult(graph=(data or b"").decode("utf-8"), truncated=truncated)


def _bounded(answers: Iterator[Any], limit: int | None, deadline: float | None) -> Iterator[Any]:
    """The first ``limit + 1`` answers (one more tells that there were more), before the deadline."""
    for i, a in enumerate(answers):
        if limit is not None and i > limit:
            return
        if deadline is not None and i % 256 == 0 and time.monotonic() > deadline:
            raise CascadeError("the query ran longer than the time allowed and was stopped")
        yield a
