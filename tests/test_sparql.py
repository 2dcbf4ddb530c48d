"""The named SPARQL queries give the answers of the Python query functions."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from cascade import query, rdf
from cascade.cli import app
from cascade.corpus.build import load
from cascade.errors import CascadeError

ROLES = ("lead", "focal", "cooperating", "requested")


# -- the Python answers, in the shape of the SPARQL rows ---------------------------------------------------

def tree_answer(G: nx.MultiDiGraph, doc: str) -> tuple[set[str], set[tuple[str, str]]]:
    """(members, links inside the tree) from :func:`cascade.query.tree`."""
    t = query.tree(G, doc)
    members = {n["id"] for n in t["nodes"]}
    links = {(n["id"], p) for n in t["nodes"] for p in [n["parent"], *n["also"]] if p}
    return members, links


def tree_rows(rows: list[dict]) -> tuple[set[str], set[tuple[str, str]]]:
    return {r["id"] for r in rows}, {(r["id"], r["parent"]) for r in rows if r["parent"]}


def coverage_answer(G: nx.MultiDiGraph, doc: str) -> dict[str, tuple[int, int]]:
    c = query.coverage(G, doc, era="pre2025")
    return {r["province"]: (len(r["party"]), len(r["state"])) for r in c["rows"]}


def coverage_rows(rows: list[dict]) -> dict[str, tuple[int, int]]:
    return {r["province"]: (int(r["party_plans"]), int(r["state_plans"])) for r in rows}


def orphans_answer(G: nx.MultiDiGraph) -> dict[str, tuple[int, int]]:
    return {r["id"]: (r["files"], r["implemented_by"]) for r in query.orphans(G)}


def orphans_rows(rows: list[dict]) -> dict[str, tuple[int, int]]:
    return {r["id"]: (int(r["files"]), int(r["implemented_by"])) for r in rows}


def agency_answer(G: nx.MultiDiGraph, agency: str | None = None) -> set[tuple[str, str, str, str]]:
    """(agency key, role, plan, task label), straight from the networkx graph."""
    plan_of = {t: d for d, t, k in G.edges(keys=True) if k == "has_task"}
    out = set()
    for t, a, role in G.edges(keys=True):
        if role not in ROLES or G.nodes[a].get("kind") != "agency":
            continue
        key, name = a[len("agency:"):], G.nodes[a].get("label")
        if agency is None or agency in (key, name):
            out.add((key, role, plan_of[t], G.nodes[t]["label"]))
    return out


def agency_rows(rows: list[dict]) -> set[tuple[str, str, str, str]]:
    return {(r["agency"], r["role"], r["plan"], r["label"]) for r in rows}


def roots(G: nx.MultiDiGraph) -> list[str]:
    """Documents implemented by something: the interesting tree roots."""
    return sorted({b for _, b, k in G.edges(keys=True) if k in ("implements", "continues")})


# -- fixtures ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seeds(sample_build: Path) -> tuple[nx.MultiDiGraph, object]:
    return load(sample_build).graph, rdf.load_store(sample_build)


@pytest.fixture(scope="module")
def synthetic() -> tuple[nx.MultiDiGraph, object]:
    from test_rdf import synthetic_build

    out = synthetic_build()
    return load(out).graph, rdf.load_store(out)


def run(store, name: str, **params: str) -> list[dict]:
    q = rdf.named_queries()[name]
    return rdf.run_query(store, q.text, params, q.params).rows


# -- named queries = Python answers ------------------------------------------------------------------

def test_the_named_queries_are_shipped_with_their_parameters():
    qs = rdf.named_queries()
    assert set(qs) >= {"tree", "coverage", "orphans", "agency-tasks"}
    assert qs["tree"].params["doc"][0] is True
    assert qs["agency-tasks"].params["agency"][0] is False
    assert all(q.description for q in qs.values())


@pytest.mark.parametrize("data", ["seeds", "synthetic"])
def test_tree_matches_query_tree(data, request):
    G, store = request.getfixturevalue(data)
    for doc in roots(G)[:15]:
        assert tree_rows(run(store, "tree", doc=doc)) == tree_answer(G, doc), doc


@pytest.mark.parametrize("data", ["seeds", "synthetic"])
def test_coverage_matches_query_coverage(data, request):
    G, store = request.getfixturevalue(data)
    central = [n for n in roots(G) if G.nodes[n].get("level") == "central"]
    assert central
    for doc in central[:5]:
        got = coverage_rows(run(store, "coverage", doc=doc))
        assert len(got) == 63
        assert got == coverage_answer(G, doc), doc
    if data == "synthetic":
        assert any(p + s for p, s in got.values())


@pytest.mark.parametrize("data", ["seeds", "synthetic"])
def test_orphans_match_query_orphans(data, request):
    G, store = request.getfixturevalue(data)
    want = orphans_answer(G)
    assert want
    assert orphans_rows(run(store, "orphans")) == want


@pytest.mark.parametrize("data", ["seeds", "synthetic"])
def test_agency_tasks_match_the_graph(data, request):
    G, store = request.getfixturevalue(data)
    everything = agency_rows(run(store, "agency-tasks"))
    assert everything == agency_answer(G)
    counts: dict[str, int] = defaultdict(int)
    for key, *_ in everything:
        counts[key] += 1
    busiest = max(counts, key=counts.get)
    assert agency_rows(run(store, "agency-tasks", agency=busiest)) == agency_answer(G, busiest)
    name = G.nodes["agency:" + busiest]["label"]
    assert agency_rows(run(store, "agency-tasks", agency=name)) == agency_answer(G, name)


def test_the_store_is_kept_in_the_build_folder_until_the_build_changes(tmp_path: Path):
    from cascade.corpus.build import build

    out = tmp_path / "b"
    build([Path(__file__).resolve().parents[1] / "data"], out, workers=1)
    first = rdf.load_store(out)
    stamp = out / rdf.STORE_DIR / "cascade-stamp.json"
    assert stamp.exists() and len(first) > 3000
    before = stamp.stat().st_mtime_ns
    again = rdf.load_store(out)
    assert len(again) == len(first) and stamp.stat().st_mtime_ns == before      # opened, not rebuilt
    build([Path(__file__).resolve().parents[1] / "data"], out, workers=1)        # a new build
    rdf.load_store(out)
    assert stamp.stat().st_mtime_ns != before


# -- parameters and the command line ------------------------------------------------------------------

def test_parameters_are_checked_and_quoted():
    q = rdf.named_queries()["tree"]
    with pytest.raises(CascadeError, match="needs --param doc"):
        rdf.bind_params(q.text, {}, q.params)
    with pytest.raises(CascadeError, match="unknown parameter"):
        rdf.bind_params(q.text, {"doc": "x", "dok": "y"}, q.params)
    text = rdf.bind_params("SELECT * { ?s ?p $v }", {"v": 'a "quoted" \\ value'})
    assert text == 'SELECT * { ?s ?p "a \\"quoted\\" \\\\ value" }'
    iri = "<https://example.org/x>"
    assert rdf.bind_params("SELECT * { ?s ?p $v }", {"v": iri}).endswith(f"{iri} }}")
    assert rdf.bind_params("SELECT * { ?s ?p $v }", {}) == "SELECT * { ?s ?p ?v }"


def test_cli_sparql_named_inline_and_file(sample_build: Path, tmp_path: Path):
    runner = CliRunner()
    out = ["--build-dir", str(sample_build)]
    r = runner.invoke(app, ["sparql", "--named", "tree", "--param", "doc=Kết luận 93", *out, "-f", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert {row["id"] for row in rows} >= {"93-KL/TW", "07-KH/TU@Đắk Lắk"}
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?d a eli:Work }"
    r = runner.invoke(app, ["sparql", count, *out, "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0] == "n" and int(r.output.splitlines()[1]) > 20
    rq = tmp_path / "ask.rq"
    rq.write_text("ASK { ?d dcterms:identifier $doc }", encoding="utf-8")
    r = runner.invoke(app, ["sparql", str(rq), "-p", "doc=93-KL/TW", *out, "-f", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == {"result": True}


def test_cli_sparql_table_and_errors(sample_build: Path):
    runner = CliRunner()
    r = runner.invoke(app, ["sparql", "--named", "orphans", "--build-dir", str(sample_build),
                            "--format", "table"])
    assert r.exit_code == 0 and "93-KL/TW" in r.output
    r = runner.invoke(app, ["sparql", "--named", "nope", "--build-dir", str(sample_build)])
    assert r.exit_code != 0
    r = runner.invoke(app, ["sparql", "SELECT * WHERE {", "--build-dir", str(sample_build)])
    assert r.exit_code != 0


# -- limits on local queries (issue 16) --------------------------------------------------------------------

def test_service_is_refused_unless_allowed(sample_build: Path):
    store = rdf.load_store(sample_build)
    query_ = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    with pytest.raises(CascadeError, match="SERVICE"):
        rdf.run_query(store, query_)
    with pytest.raises(CascadeError, match="SERVICE"):
        rdf.run_query(store, "select * { service silent <http://127.0.0.1:9/x> { ?s ?p ?o } }")
    # the word in a string, an IRI, a variable or a comment is no call
    rows = rdf.run_query(store, 'SELECT ?service WHERE { BIND("SERVICE" AS ?service) } # SERVICE <x>').rows
    assert rows == [{"service": "SERVICE"}]
    r = CliRunner().invoke(app, ["sparql", query_, "--build-dir", str(sample_build)])
    assert r.exit_code != 0 and "--allow-service" in r.output + str(r.exception)


def test_answers_beyond_the_limit_are_cut_and_said_so(sample_build: Path):
    store = rdf.load_store(sample_build)
    everything = rdf.run_query(store, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", limit=None)
    assert not everything.truncated and len(everything.rows) > 100
    cut = rdf.run_query(store, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", limit=7)
    assert cut.truncated and len(cut.rows) == 7
    exact = rdf.run_query(store, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", limit=len(everything.rows))
    assert not exact.truncated and len(exact.rows) == len(everything.rows)
    triples = rdf.run_query(store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", limit=3)
    assert triples.truncated and triples.graph is not None and triples.graph.count("\n") == 3
    r = CliRunner().invoke(app, ["sparql", "SELECT ?s WHERE { ?s ?p ?o }", "--limit", "2", "--format", "json",
                                 "--build-dir", str(sample_build)])
    assert r.exit_code == 0 and "only the first 2 answers" in r.output


def test_a_query_past_its_time_is_stopped(sample_build: Path):
    store = rdf.load_store(sample_build)
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with pytest.raises(CascadeError, match="longer than 0.5 s"):
        rdf.run_query(store, cross, timeout=0.5)
    # the store is still usable afterwards
    assert rdf.run_query(store, "ASK { ?s ?p ?o }").boolean is True


# -- remote endpoints: deadlines, bounded answers, one-line errors, passwords (issue 16) --------------------

class _Server:
    """A local HTTP server whose handler is set per test: (status, headers, body) or a delay."""

    def __init__(self) -> None:
        import http.server
        import threading

        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                server.seen.append(dict(self.headers))
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                if server.delay:
                    import time

                    time.sleep(server.delay)
                status, body = server.answer
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/sparql-results+json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass

            do_PUT = do_POST

        self.answer: tuple[int, bytes] = (200, b"{}")
        self.delay = 0.0
        self.seen: list[dict[str, str]] = []
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sparql"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture()
def server():
    s = _Server()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


def test_remote_boolean_answers_are_read_as_written(server: _Server):
    for body, want in ((b'{"boolean": false}', False), (b'{"boolean": "false"}', False),
                       (b'{"boolean": "true"}', True), (b'{"boolean": true}', True)):
        server.answer = (200, body)
        assert rdf.run_remote_query(server.url, "ASK { ?s ?p ?o }").boolean is want


def test_malformed_remote_answers_are_one_line_errors(server: _Server):
    from cascade.errors import ExportError

    for body in (b"<html>oops</html>", b"[1, 2]", b'{"boolean": "maybe"}', b'{"head": {"vars": "x"}}',
                 b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": 3}]}}', b"[" * 100_000):
        server.answer = (200, body)
        with pytest.raises(ExportError) as e:
            rdf.run_remote_query(server.url, "SELECT * { ?s ?p ?o }")
        assert "\n" not in str(e.value) and "not SPARQL JSON results" in str(e.value)


def test_remote_answers_are_bounded_and_errors_short(server: _Server):
    from cascade.errors import ExportError

    server.answer = (200, b'{"head": {"vars": ["x"]}, "results": {"bindings": [' + b" " * 5000 + b"]}}")
    with pytest.raises(ExportError, match="larger than"):
        rdf.run_remote_query(server.url, "SELECT * { ?s ?p ?o }", max_bytes=1 << 10)
    server.answer = (500, b"first line of the error page\n" + b"x" * 100_000)
    with pytest.raises(ExportError) as e:
        rdf.run_remote_query(server.url, "SELECT * { ?s ?p ?o }")
    assert "HTTP 500" in str(e.value) and "first line of the error page" in str(e.value)
    assert len(str(e.value)) < 500


def test_a_silent_endpoint_is_given_up_on(server: _Server):
    from cascade.errors import ExportError

    server.delay = 5
    with pytest.raises(ExportError, match="no (complete )?answer within"):
        rdf.run_remote_query(server.url, "ASK { ?s ?p ?o }", timeout=0.5, connect_timeout=0.5)


def test_passwords_are_never_shown(server: _Server, monkeypatch: pytest.MonkeyPatch):
    from cascade.errors import ExportError

    server.answer = (403, b"no")
    url = server.url.replace("http://", "http://dba:s3cret@")
    with pytest.raises(ExportError) as e:
        rdf.run_remote_query(url, "ASK { ?s ?p ?o }")
    assert "s3cret" not in str(e.value) and "HTTP 403" in str(e.value)
    assert all("s3cret" not in v for h in server.seen for v in h.values())      # not sent in clear either
    monkeypatch.setenv("CASCADE_SPARQL_PASSWORD", "from-env")
    assert rdf.password_for("dba") == "from-env" and rdf.password_for(None) is None
    monkeypatch.delenv("CASCADE_SPARQL_PASSWORD")
    with pytest.raises(ExportError, match="CASCADE_SPARQL_PASSWORD"):
        rdf.password_for("dba", ask=False)
    with pytest.raises(ExportError, match="http:// or https://"):
        rdf.run_remote_query("file:///etc/passwd", "ASK { ?s ?p ?o }")
    r = CliRunner().invoke(app, ["sparql", "--endpoint", server.url, "--user", "dba", "--password", "x",
                                 "ASK { ?s ?p ?o }"])
    assert r.exit_code != 0                       # no --password option: a password is never an argument
