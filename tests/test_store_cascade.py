"""One cascade read from cascade.db without the rest (store.read_cascade), and a document found there by id.

The query commands tree, chain, coverage and lag read only the cascade of the document
asked about; these tests check that every answer on that part equals the answer on the
whole graph, on a graph with the awkward shapes (cycles, parallel implements and continues
links, a document implementing several of the tree, year-split ids, undated plans), on a
database written before the indexes that make the walk quick, and through the command line.
"""
from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from cascade import cli, query
from cascade.corpus import store
from cascade.corpus.build import Build, load
from cascade.query.lookup import _loose, find_by_id
from cascade.text.normalize import ascii_fold
from cascade.vn import places

ROOT = Path(__file__).resolve().parents[1]
IMPL, CONT = "implements", "continues"


def _graph(seed: int) -> nx.MultiDiGraph:
    """Two directives and their plans in a few provinces and districts, with the shapes real builds have."""
    rnd = random.Random(seed)
    G = nx.MultiDiGraph(cascade_version="test")
    provs = places.provinces()[:6]

    def doc(n: str, **attrs: object) -> str:
        attrs = {k: v for k, v in attrs.items() if v is not None}
        G.add_node(n, kind="document", number=n.split("@")[0], in_corpus=rnd.random() < 0.8,
                   cited=rnd.randint(0, 3), **attrs)
        return n

    def link(a: str, b: str, rel: str = IMPL) -> None:
        G.add_edge(a, b, key=rel, relation=rel)

    def date(year: int) -> str | None:
        return rnd.choice([f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"] * 4
                          + [f"{year}-{rnd.randint(1, 12):02d}", None])

    tops = [doc("9-CT/TW", level="central", branch="party", date="2020-03-01", label="Chỉ thị 9"),
            doc("12-KL/TW", level="central", branch="party", date="2021-06-30")]
    link("12-KL/TW", "9-CT/TW", CONT)
    for i, u in enumerate(provs):
        party = doc(f"{i + 1}-KH/TU@{u.name}", level="province", branch="party", province=u.name,
                    date=date(2020))
        state = doc(f"{i + 30}/KH-UBND@{u.name}", level="province", branch="state", province=u.name,
                    date=date(2020 + rnd.randint(0, 5)))
        top = rnd.choice(tops)
        link(party, top)
        link(state, party)
        if rnd.random() < 0.5:
            link(state, top)                       # two parents in the tree: goes under the deeper
        if rnd.random() < 0.3:
            link(state, top, CONT)                 # parallel implements and continues links
        for j, d in enumerate(places.districts(u.name)[:rnd.randint(0, 4)]):
            n = doc(f"{j + 1}-KH/HU@{u.name}/{d.name}", level="district", province=u.name, district=d.name,
                    branch=rnd.choice(["party", "state"]), date=date(2021))
            link(n, rnd.choice([party, state]))
            if rnd.random() < 0.3:
                link(n, top)
            G.add_edge(n, top, key="cites", relation="cites")        # not a cascade link: never read
    # a cycle under a directive, a self-link, a year-split id, a label-less document
    a = doc("5-KH/TU@Gia Lai#2021", level="province", branch="party", province="Gia Lai", date="2021-02-02")
    b = doc("6-KH/TU@Gia Lai", level="province", branch="state", province="Gia Lai")
    link(a, "12-KL/TW")
    link(b, a)
    link(a, b)
    link(b, b)
    # a cycle whose place in the tree depends on the order the links were made (first linked, first placed)
    c1 = doc("20-KH/TU@Kon Tum", level="province", branch="party", province="Kon Tum", date="2020-05-05")
    link(c1, "9-CT/TW")
    b1, b2 = (doc(f"{k}-KH/HU@Kon Tum/Đắk Hà", level="district", branch="party", province="Kon Tum",
                  district="Đắk Hà", date="2020-08-08") for k in rnd.sample([21, 22], 2))
    link(b1, c1)
    link(b2, c1)
    link(b1, b2)
    link(b2, b1)
    # a plan of another directive and the latest document of the build, outside both cascades
    other = doc("3-NQ/TW", level="central", date="2019-01-01")
    link(doc(f"8-KH/TU@{provs[0].name}", level="province", branch="party", province=provs[0].name,
             date="2019-05-05"), other)
    doc("77-TB/TW", level="central", date="2026-01-15")
    return G


def _db(tmp_path: Path, G: nx.MultiDiGraph, *, old: bool = False) -> sqlite3.Connection:
    """``G`` written as a build's database; ``old``: without the indexes read_cascade walks."""
    path = tmp_path / "cascade.db"
    store.write(path, Build(out=tmp_path, graph=G), "b1")
    con = sqlite3.connect(path)
    if old:
        for name in (store._CASCADE_IN, store._CASCADE_OUT, store._DOCUMENT_IDS):
            con.execute(f"DROP INDEX {name}")
        con.commit()
    return con


def _same(a: object, b: object) -> None:
    assert json.dumps(a, ensure_ascii=False, indent=1) == json.dumps(b, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("old", [False, True], ids=["indexed", "old-build"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_answer_on_the_cascade_equals_the_answer_on_the_whole_graph(tmp_path, seed, old):
    con = _db(tmp_path, _graph(seed), old=old)
    whole = store.read_graph(con, cascade_only=True)
    roots = [n for n in whole if any(True for _ in whole.predecessors(n))]
    assert "9-CT/TW" in roots and len(roots) > 5
    for n in roots:
        down = store.read_cascade(con, n)
        assert len(down) < len(whole)
        _same(query.tree(down, n), query.tree(whole, n))
        for level in ("province", "district"):
            for as_of in (None, "2020-06-30", "2021", "2030-01-01"):
                _same(query.coverage(down, n, level=level, as_of=as_of),
                      query.coverage(whole, n, level=level, as_of=as_of))
        if whole.nodes[n].get("level") == "central":
            _same(query.coverage(down, n, level="district", province="Gia Lai"),
                  query.coverage(whole, n, level="district", province="Gia Lai"))
        _same(query.lag(store.read_cascade(con, n, latest=True), n), query.lag(whole, n))
        _same(query.lag(down, n, as_of="2021-03-31"), query.lag(whole, n, as_of="2021-03-31"))
    for n in whole:
        _same(query.chain(store.read_cascade(con, n, upwards=True), n), query.chain(whole, n))
    con.close()


def test_the_cascade_holds_the_document_what_implements_it_and_nothing_else(tmp_path):
    G = _graph(1)
    con = _db(tmp_path, G)
    down = store.read_cascade(con, "12-KL/TW").to_networkx()
    assert set(down) == {"12-KL/TW", *nx.ancestors(G.edge_subgraph(
        [e for e in G.edges(keys=True) if e[2] in (IMPL, CONT)]), "12-KL/TW")}
    assert {k for *_, k in down.edges(keys=True)} <= {IMPL, CONT}
    assert down.nodes["12-KL/TW"] == G.nodes["12-KL/TW"] and set(down.edges(keys=True)) == {
        e for e in G.edges(keys=True) if e[2] in (IMPL, CONT) and e[1] in down}
    assert "77-TB/TW" not in down and "77-TB/TW" in store.read_cascade(con, "12-KL/TW", latest=True)
    up = store.read_cascade(con, "5-KH/TU@Gia Lai#2021", upwards=True)
    assert set(up) == {"5-KH/TU@Gia Lai#2021", "6-KH/TU@Gia Lai", "12-KL/TW", "9-CT/TW"}
    con.close()


def test_a_document_is_found_by_its_id_in_any_spelling_as_find_one_finds_it(tmp_path):
    G = _graph(2)
    con = _db(tmp_path, G)
    whole = store.read_graph(con, cascade_only=True)

    def by_id(text: str) -> str | None:
        return find_by_id(text, lambda n: store.has_document(con, n),
                          lambda digits: store.documents_with_digits(con, digits))

    phrases = [p for n in whole for p in (n, n.lower(), f"  {n} ", unicodedata.normalize("NFD", n),
                                           ascii_fold(n))]
    phrases += ["5-KH/TU@Gia Lai", "5-kh/tu gia lai", "1-KH/TU", "Chỉ thị 9", "9", "12-KL/TX", "", "   ",
                "12" * 700, "1-KH/TU@" + "x" * 2000]
    found = 0
    for text in phrases:
        got = by_id(text)
        try:
            want: str | None = query.find_one(whole, text)
        except query.CascadeError:
            want = None
        assert got is None or got == want, text        # never another answer than the whole graph's
        found += got is not None
        if text in whole:
            assert got == text
    assert by_id("5-KH/TU@Gia Lai") == "5-KH/TU@Gia Lai#2021"
    assert by_id("1-KH/TU") is None and by_id("Chỉ thị 9") is None      # several, or a phrase: find_one's
    assert found > len(whole)
    con.close()


def test_no_folding_makes_or_drops_an_ascii_digit():
    """find_by_id looks ids up by their ASCII digits: the loose key of any character keeps them as they are.

    Only a character that decomposes or changes case could turn into another one: those are all checked.
    """
    for cp in range(0x110000):
        c = chr(cp)
        if not (c.isascii() or unicodedata.decomposition(c) or c.casefold() != c):
            continue
        digits = "".join(x for x in _loose(c) if x.isdigit())
        assert digits == (c if c.isascii() and c.isdigit() else ""), hex(cp)


# -- the command line: the same bytes as an answer on the whole graph -----------------------------------

runner = CliRunner()


@pytest.fixture
def out(sample_build: Path) -> Path:
    """The session's build of data/ (read only here)."""
    return sample_build


def _cli(*args: str) -> str:
    r = runner.invoke(cli.app, list(args), catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.stdout


def test_the_commands_print_what_the_whole_graph_answers(out):
    whole = load(out, cascade_only=True).graph
    b = ["--build-dir", str(out), "--format", "json"]

    def same(cmd: str, text: str, value: object, *options: str) -> None:
        assert _cli(cmd, text, *options, *b) == json.dumps(value, ensure_ascii=False, indent=1) + "\n"

    roots = [n for n in whole if query.tree(whole, n)["count"]]
    for n in roots:                                      # every document something implements
        same("tree", n, query.tree(whole, n))
        same("tree", n.lower(), query.tree(whole, n.lower()))
        same("coverage", n, query.coverage(whole, n))
        same("coverage", n, query.coverage(whole, n, level="district", as_of="2021-06-30"),
             "--level", "district", "--as-of", "2021-06-30")
        same("lag", n, query.lag(whole, n))
        same("lag", n, query.lag(whole, n, as_of="2021"), "--as-of", "2021")
    plans = [n for n in whole if whole.nodes[n].get("in_corpus") and any(True for _ in whole.successors(n))]
    for n in plans:                                      # every plan of the corpus that implements something
        same("chain", n, query.chain(whole, n))
    assert len(roots) >= 3 and len(plans) >= 3
    assert _cli("tree", roots[0], "--build-dir", str(out), "--format", "csv").count("\n") > 2


def test_a_phrase_that_is_no_id_still_gets_the_whole_graphs_answer_and_messages(out):
    whole = load(out, cascade_only=True).graph
    want = json.dumps(query.tree(whole, "Kết luận 93"), ensure_ascii=False, indent=1) + "\n"
    assert _cli("tree", "Kết luận 93", "--build-dir", str(out), "--format", "json") == want
    r = runner.invoke(cli.app, ["tree", "93-KL/TX", "--build-dir", str(out)])
    assert r.exit_code != 0
    with pytest.raises(query.UnknownDocument) as e:
        query.tree(whole, "93-KL/TX")
    assert "93-KL/TW" in str(e.value) and isinstance(r.exception, query.UnknownDocument)
    assert str(r.exception) == str(e.value)


HEAVY = ("networkx", "rdflib", "pandas", "matplotlib", "rapidfuzz", "pyvis", "lifelines", "dask", "pyarrow",
         "cascade.corpus.build", "cascade.corpus.extraction", "cascade.identity.documents")


@pytest.mark.parametrize("command", ["tree", "coverage", "chain", "lag", "show", "missing", "conflicts"])
def test_a_question_by_id_imports_none_of_the_heavy_libraries(out, command):
    """What a command imports is most of its start-up: the cascade needs none of these."""
    argv = ["cascade", command, *(["93-kl/tw"] if command not in ("missing", "conflicts") else []),
            "--build-dir", str(out), "--format", "json"]
    code = ("import runpy, sys\n"
            f"sys.argv = {argv!r}\n"
            "try:\n    runpy.run_module('cascade', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            f"print([m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    answer = json.loads(r.stdout)
    if command in ("missing", "conflicts"):
        assert answer and all(row["label"] for row in answer)
    else:
        assert answer[{"tree": "root", "show": "id"}.get(command, "doc")] == "93-KL/TW"
    assert r.stderr.strip().splitlines()[-1] == "[]"


# -- show and missing: one document's links, the documents not collected ------------------------------

def _linked(seed: int) -> nx.MultiDiGraph:
    """:func:`_graph` with what show and missing read besides: evidence on links, tasks, organizations."""
    G = _graph(seed)
    rnd = random.Random(seed)
    docs = [n for n, d in G.nodes(data=True) if d.get("kind") == "document"]
    for i, (u, v, d) in enumerate(list(G.edges(data=True))):
        files = [f"{u}.txt"] + ([f"other{i}.txt"] if rnd.random() < 0.3 else [])
        d.update(asserted_by="; ".join(files), statements=len(files), evidence=f"Thực hiện {v} ({i})",
                 evidence_source=files[0], evidence_span=f"{i}-{i + 20}")
    for i in range(40):                            # citations of documents nobody collected
        G.add_edge(rnd.choice(docs), f"{100 + i % 7}-NQ/TW", key="cites", relation="cites",
                   asserted_by=f"c{i}.txt")
        G.nodes[f"{100 + i % 7}-NQ/TW"].update(kind="document", in_corpus=False, cited=i % 3)
    for n in rnd.sample(docs, 8):
        G.add_edge(n, f"org:{n}", key="issued_by", relation="issued_by")
        G.nodes[f"org:{n}"]["kind"] = "organization"
        for j in range(rnd.randint(1, 4)):
            G.add_node(f"{n}#t{j}", kind="task", label=f"{j + 1}")
            G.add_edge(n, f"{n}#t{j}", key="has_task", relation="has_task")
    return G


@pytest.mark.parametrize("seed", [1, 2])
def test_show_and_missing_on_their_part_equal_the_answers_on_the_whole_graph(tmp_path, seed):
    G = _linked(seed)
    con = _db(tmp_path, G)
    whole = store.read_graph(con)
    assert any(query.show(whole, n)["tasks"] for n in whole if whole.nodes[n].get("kind") == "document")
    for n, d in whole.nodes(data=True):
        if d.get("kind") == "document":
            part = store.read_document(con, n)
            _same(query.show(part, n), query.show(whole, n))
            assert len(part) < len(whole)
    rows = query.orphans(*store.read_uncollected(con))
    _same(rows, query.orphans(whole))
    assert {r["id"] for r in rows} >= {f"{100 + i}-NQ/TW" for i in range(7)}
    con.close()


def test_show_prints_what_the_whole_graph_and_every_statement_answer(out):
    from cascade.graph import read_statements

    whole = load(out).graph
    said = read_statements(out)
    shown = 0
    for n, d in whole.nodes(data=True):
        if d.get("kind") != "document":
            continue
        want = query.show(whole, n, said)
        want["conflicts"] = [c for c in query.conflicts(out) if c["node"] == n]
        assert _cli("show", n, "--build-dir", str(out), "--format", "json") == json.dumps(
            want, ensure_ascii=False, indent=1) + "\n"
        shown += bool(want["implements"] or want["implemented_by"])
    assert shown >= 5
    rows = json.loads(_cli("missing", "--build-dir", str(out), "--format", "json"))
    assert rows == json.loads(json.dumps(query.orphans(load(out, documents_only=True).graph)))
    claims = json.loads(_cli("conflicts", "--build-dir", str(out), "--format", "json"))
    assert claims and claims == json.loads(json.dumps(query.conflicts(load(out))))
    assert all(c["kept"] for c in claims)           # the values kept: the documents were read
