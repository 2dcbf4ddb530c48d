"""A real triple store: push the sample corpus into Virtuoso, ask it the named queries, compare.

The fixture starts Virtuoso open source (Debian's ``virtuoso-opensource``) on loopback with
its own temporary database, ini file and free ports, and stops it afterwards. A fresh
database has the DBA account ``dba``/``dba``, which may write through the Graph Store
Protocol endpoint ``/sparql-graph-crud-auth`` (HTTP digest authentication).

Without ``virtuoso-t`` the test is skipped, except under ``CI=true`` where it fails:
``scripts/test.sh`` installs the package when run as root.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from cascade import rdf
from cascade.errors import ExportError

pytestmark = pytest.mark.virtuoso

VSP = Path("/var/lib/virtuoso-opensource-7/vsp")
INI = """\
[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {d}/virtuoso-temp.db
TransactionFile    = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql}
DisableUnixSocket    = 1
MaxClientConnections = 5
CheckpointInterval   = 0
CaseMode             = 2
DirsAllowed          = ., {d}
NumberOfBuffers      = 4000
MaxDirtyBuffers      = 3000
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http}
{root}MaxClientConnections = 5
ServerThreads        = 5
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryExecutionTime      = 60
MaxQueryCostEstimationTime = 60
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL (``http://127.0.0.1:PORT``) of a Virtuoso started for this module."""
    exe = shutil.which("virtuoso-t")
    if exe is None:
        reason = ("virtuoso-t not found: install Debian's virtuoso-opensource "
                  "(scripts/test.sh does so as root)")
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    d = tmp_path_factory.mktemp("virtuoso")
    http = _free_port()
    root = f"ServerRoot           = {VSP}\n" if VSP.is_dir() else ""
    (d / "virtuoso.ini").write_text(INI.format(d=d, sql=_free_port(), http=http, root=root), encoding="utf-8")
    log = (d / "stdout.log").open("wb")
    proc = subprocess.Popen([exe, "+foreground", "+configfile", str(d / "virtuoso.ini")], cwd=d, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http}"
    try:
        deadline = time.monotonic() + 60
        while not _up(base + "/sparql"):
            if proc.poll() is not None or time.monotonic() > deadline:
                logfile = d / "virtuoso.log"
                tail = logfile.read_text(errors="replace")[-2000:] if logfile.exists() else ""
                pytest.fail(f"Virtuoso did not start (exit {proc.poll()}):\n{tail}")
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def _rows(result: rdf.QueryResult) -> set[tuple]:
    return {tuple(sorted((k, v) for k, v in row.items() if v is not None)) for row in result.rows}


def test_push_the_sample_and_ask_the_named_queries(virtuoso: str, sample_build: Path):
    report = rdf.push(virtuoso + "/sparql-graph-crud-auth", sample_build, dataset=True, user="dba",
                      password="dba")
    assert report.requests == len(report.graphs) >= 6
    local = rdf.load_store(sample_build)
    endpoint = virtuoso + "/sparql"
    asked = 0
    for name, q in rdf.named_queries().items():
        params = {"doc": "93-KL/TW"} if "doc" in q.params else {}
        remote = rdf.run_remote_query(endpoint, q.text, params, q.params)
        here = rdf.run_query(local, q.text, params, q.params)
        assert remote.rows, name
        assert _rows(remote) == _rows(here), name
        asked += 1
    assert asked >= 4
    # Vietnamese text survives the round trip
    titles = "SELECT ?d ?t WHERE { ?d cas:inCorpus true ; dcterms:title ?t }"
    remote = rdf.run_remote_query(endpoint, titles)
    assert len(remote.rows) >= 5 and any("thực hiện" in (r["t"] or "") for r in remote.rows)
    assert _rows(remote) == _rows(rdf.run_query(local, titles))


def test_push_replaces_one_graph_and_needs_the_password(virtuoso: str, sample_build: Path):
    graph = "https://example.org/test/merged"
    store = virtuoso + "/sparql-graph-crud-auth"
    for _ in range(2):                                   # a second push replaces, it does not add
        report = rdf.push(store, sample_build, graph=graph, user="dba", password="dba", chunk_bytes=64 << 10)
        assert report.requests > 1                        # several pieces: PUT, then POSTs
    count = rdf.run_remote_query(virtuoso + "/sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                 graph=graph)
    assert int(count.rows[0]["n"]) == len(rdf.to_graph(rdf.load_source(sample_build, evidence=False)))
    with pytest.raises(ExportError, match="401"):
        rdf.push(store, sample_build, graph=graph, user="dba", password="wrong")


def test_cli_push(virtuoso: str, sample_build: Path):
    from typer.testing import CliRunner

    from cascade.cli import app

    r = CliRunner().invoke(app, ["push", "--endpoint", virtuoso + "/sparql-graph-crud-auth", "--graph",
                                 "https://example.org/test/cli", "--user", "dba",
                                 "--build-dir", str(sample_build)],
                        env={"CASCADE_SPARQL_PASSWORD": "dba"})
    assert r.exit_code == 0, r.output
    assert "pushed" in r.output
    r = CliRunner().invoke(app, ["sparql", "--endpoint", virtuoso + "/sparql", "--graph", "https://example.org/test/cli",
                                 "--named", "orphans", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert "93-KL/TW" in r.output
