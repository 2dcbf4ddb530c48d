"""Linked data: IRIs, the merged graph and the dataset, every format, evidence."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from cascade import rdf
from cascade.corpus.build import build
from cascade.errors import ExportError
from cascade.rdf.namespace import CAS, ELI

ROOT = Path(__file__).resolve().parents[1]
SYNTH = Path(os.environ.get("CASCADE_SHARED", ROOT.parent / "shared")) / "synth" / "make_corpus.py"
ARTIFACTS = ROOT / "tests" / "artifacts" / "rdf-synthetic"
RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "nq": "nquads"}
DEPRECATED = "http://data.europa.eu/eli/ontology#implements"


def synthetic_build() -> Path:
    """A build of the synthetic corpus ``--directives 1 --seed 7`` (~560 plans), kept under tests/artifacts.

    The texts and the extraction cache survive between sessions; the build itself is redone
    (from the cache) so it always reflects the current code. Skips when the generator is absent.
    """
    if not SYNTH.exists():
        pytest.skip(f"the synthetic corpus generator is not at {SYNTH}")
    corpus = ARTIFACTS / "corpus"
    if not (corpus / "gold.json").exists():
        tmp = ARTIFACTS / f"corpus.{os.getpid()}.tmp"
        subprocess.run([sys.executable, str(SYNTH), str(tmp), "--directives", "1", "--seed", "7"], check=True,
                       capture_output=True, timeout=600)
        if not (corpus / "gold.json").exists():
            os.replace(tmp, corpus)
    out = ARTIFACTS / "build"
    build([corpus / "docs"], out, workers=1, extras=[rdf.build_extra])
    return out


def quads(text: str, fmt: str) -> set[tuple]:
    """The statements of a serialization as parsed by rdflib (graph name None for the default graph)."""
    if rdf.FORMATS[fmt].dataset:
        ds = Dataset()
        ds.parse(data=text, format=RDFLIB_FORMAT[fmt])
        return {(s, p, o, None if str(g).startswith("urn:x-rdflib:default") else g)
                for s, p, o, g in ds.quads((None, None, None, None))}
    return {(s, p, o, None) for s, p, o in Graph().parse(data=text, format=RDFLIB_FORMAT[fmt])}


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of data/ as cascade build makes it: with cascade.ttl and every statement's evidence."""
    out = tmp_path_factory.mktemp("seeds-build")
    build([ROOT / "data"], out, workers=1, extras=[rdf.build_extra])
    return out


@pytest.fixture(scope="module")
def source(seeds: Path):
    return rdf.load_source(seeds)


# -- IRIs -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("key", "path"), [
    ("93-KL/TW", "eli/vn/tw/93-KL/TW"),
    ("569/QĐ-TTg", "eli/vn/tw/569/Q%C4%90-TTg"),
    ("07-KH/TU@Đắk Lắk", "eli/vn/tinh/dak-lak/07-KH/TU"),
    ("07-KH/TU@Đắk Lắk#2020", "eli/vn/tinh/dak-lak/07-KH/TU~2020"),
    ("12-KH/HU@Gia Lai/Phú Thiện", "eli/vn/huyen/gia-lai/phu-thien/12-KH/HU"),
    ("3/KH-UBND@Hà Tĩnh/Kỳ Anh (Thị xã)", "eli/vn/huyen/ha-tinh/ky-anh-thi-xa/3/KH-UBND"),
    ("NQTW7@X", "eli/vn/nqtw/X/7"),
    ("file:data/seeds/000.txt", "eli/vn/file/data/seeds/000.txt"),
    ("file:/tmp/a b.txt", "eli/vn/file/%2F/tmp/a%20b.txt"),
])
def test_document_iris_follow_the_key(key, path):
    assert rdf.doc_iri(key) == rdf.DEFAULT_BASE + path
    assert rdf.doc_iri(key, "https://data.example.vn/") == "https://data.example.vn/" + path


def test_names_outside_the_gazetteer_and_laws_get_hashed_slugs():
    a, b = rdf.doc_iri("1-KH/TU@Hoà Bình"), rdf.doc_iri("1-KH/TU@Hòa Bình")
    assert a != b                                   # a spelling the gazetteer does not use is not merged
    law = rdf.doc_iri("Luật Tổ chức chính quyền địa phương")
    assert law.startswith(rdf.DEFAULT_BASE + "eli/vn/ten/luat-to-chuc-chinh-quyen-dia-phuong-")


def test_a_bad_base_is_refused():
    with pytest.raises(ExportError):
        rdf.doc_iri("93-KL/TW", "example.org/no-scheme/")
    with pytest.raises(ExportError):
        rdf.doc_iri("93-KL/TW", "https://example.org/no-slash")


def test_iris_are_distinct_per_node_and_stable_across_builds(seeds: Path, tmp_path: Path):
    again = build([ROOT / "data"], tmp_path / "again", workers=1, use_cache=False, extras=[rdf.build_extra])
    first = rdf.to_graph(rdf.load_source(seeds, evidence=False))
    second = rdf.to_graph(again)
    keys = {(s, o) for s, o in first.subject_objects(DCTERMS.identifier)}
    assert keys == {(s, o) for s, o in second.subject_objects(DCTERMS.identifier)}
    assert len({s for s, _ in keys}) == len(keys)                 # one IRI per identity key
    # everything but the build time is the same
    stamp = {URIRef(rdf.DEFAULT_BASE)} | {s for s in first.subjects(RDF.type, URIRef("http://www.w3.org/ns/prov#Activity"))}
    stamp |= set(second.subjects(RDF.type, URIRef("http://www.w3.org/ns/prov#Activity")))
    assert {t for t in first if t[0] not in stamp} == {t for t in second if t[0] not in stamp}


def test_every_document_key_of_a_national_corpus_gets_its_own_iri():
    G = synthetic_graph()
    docs = [n for n, k in G.nodes(data="kind") if k == "document"]
    iris = {rdf.doc_iri(n) for n in docs}
    assert len(iris) == len(docs)
    m = rdf._Maker(rdf._Source(G), rdf._NTTerms(), None)
    others = [m.raw(n) for n, k in G.nodes(data="kind") if k in ("organization", "person", "agency", "task")]
    assert len(set(others)) == len(others)
    assert not set(others) & iris


def synthetic_graph() -> nx.MultiDiGraph:
    from cascade.corpus.build import load

    return load(synthetic_build()).graph


# -- the merged graph and the dataset ------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig", "nq"])
def test_export_round_trips(seeds: Path, source, fmt: str):
    text = rdf.export_text(fmt, seeds)
    got = quads(text, fmt)
    if rdf.FORMATS[fmt].dataset:
        want = {(s, p, o, None if str(g.identifier).startswith("urn:x-rdflib:default") else g.identifier)
                for g in rdf.to_dataset(source).graphs() for s, p, o in g}
    else:
        want = {(s, p, o, None) for s, p, o in rdf.to_graph(source)}
    assert got == want
    assert len(got) > 1000
    assert DEPRECATED not in text


OXF = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
       "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS}


def ox_quads(text: str, fmt: str) -> set[tuple]:
    """The statements of a serialization as parsed by pyoxigraph, as rdflib terms."""
    out = set()
    for q in ox.parse(text.encode("utf-8"), format=OXF[fmt]):
        g = None if isinstance(q.graph_name, ox.DefaultGraph) else URIRef(q.graph_name.value)
        out.add((rdf_term(q.subject), rdf_term(q.predicate), rdf_term(q.object), g))
    return out


def rdf_term(t):
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    dtype = t.datatype.value
    return Literal(t.value, datatype=None if dtype.endswith("#string") else URIRef(dtype), normalize=False)


def test_every_format_round_trips_through_rdflib_and_oxigraph_to_the_same_statements(source):
    """The one writer's output, read by both parsers: the same statements, and the same in every format."""
    merged, dataset = [], []
    for fmt in ("ttl", "nt", "jsonld", "trig", "nq"):
        text = rdf.dumps(source, fmt)
        by_rdflib, by_oxigraph = quads(text, fmt), ox_quads(text, fmt)
        assert by_rdflib == by_oxigraph, fmt
        (dataset if rdf.FORMATS[fmt].dataset else merged).append(by_rdflib)
    assert merged[0] == merged[1] == merged[2] and len(merged[0]) > 1000
    assert dataset[0] == dataset[1] and len(dataset[0]) > len(merged[0])


def test_oxigraph_reads_the_stream_output_too(source):
    for fmt, oxf in (("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
                     ("trig", ox.RdfFormat.TRIG), ("nq", ox.RdfFormat.N_QUADS),
                     ("jsonld", ox.RdfFormat.JSON_LD)):
        text = rdf.dumps(source, fmt)
        n = sum(1 for _ in ox.parse(text.encode("utf-8"), format=oxf))
        assert n == len(quads(text, fmt)), fmt


def test_the_merged_graph_is_the_union_of_the_named_graphs_without_evidence(source):
    merged = set(rdf.to_graph(source))
    ds = rdf.to_dataset(source)
    union = {t for g in ds.graphs() for t in g}
    evidence = {t for t in union
                if (t[0], RDF.type, CAS.Evidence) in union or (t[0], RDF.type, CAS.SourceGraph) in union}
    assert union - evidence == merged


def test_each_file_has_a_named_graph_derived_from_its_document_with_evidence(source):
    ds = rdf.to_dataset(source)
    graphs = {g.identifier: g for g in ds.graphs()
              if not str(g.identifier).startswith("urn:x-rdflib:default")}
    files = {n: d["source"] for n, d in source.G.nodes(data=True) if d.get("in_corpus")}
    assert len(graphs) == len(files) == 5
    default = ds.default_context
    for key, path in files.items():
        g = URIRef(rdf.Minter().graph(path))
        assert g in graphs
        assert (g, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), URIRef(rdf.doc_iri(key))) in default
        evidence = list(graphs[g].subjects(RDF.type, CAS.Evidence))
        assert evidence, path
        for ev in evidence:
            s, p, o = (graphs[g].value(ev, RDF[x]) for x in ("subject", "predicate", "object"))
            assert (s, p, o) in graphs[g]                        # the statement it is the evidence of
            assert graphs[g].value(ev, CAS.sourceFile) == Literal(path)
            start, end = map(int, str(graphs[g].value(ev, CAS.span)).split("-"))
            assert 0 <= start < end
            quote = graphs[g].value(ev, CAS.quote)
            assert quote is None or quote.language == "vi"


def test_a_relation_stated_by_three_files_has_evidence_in_each(source):
    ds = rdf.to_dataset(source)
    s, o = URIRef(rdf.doc_iri("93-KL/TW")), URIRef(rdf.doc_iri("42-CT/TW"))
    holders = [g.identifier for g in ds.graphs() if (s, CAS.continues, o) in g]
    assert len(holders) == 3
    for gid in holders:
        g = ds.graph(gid)
        assert any(g.value(ev, RDF.object) == o for ev in g.subjects(RDF.predicate, CAS.continues))


def test_trig_evidence_is_what_show_prints_for_each_link(seeds: Path, source):
    """Every statement ``cascade show`` lists for a link (file, span, sentence) is one the build
    recorded, and its sentence is in the TriG export."""
    from cascade import query
    from cascade.graph import read_statements

    ds = rdf.to_dataset(source)
    literals = {str(o) for _, _, o, _ in ds.quads() if isinstance(o, Literal)}
    statements = read_statements(seeds)
    assert statements
    shown = []
    for doc in ("93-KL/TW", "42-CT/TW", "07-KH/TU@Đắk Lắk"):
        value = query.show(source.G, doc, statements)
        for section in ("implements", "implemented_by", "cites", "cited_by"):
            for link in value[section]:
                assert link["statements"], (doc, link["id"])
                shown += [st["quote"] for st in link["statements"]]
    assert shown and all(q in literals for q in shown)
    everything = {ev.quote for evs in statements.values() for ev in evs}
    assert set(shown) <= everything


def _seed(G: nx.MultiDiGraph, name: str) -> str:
    """The node of the sample plan read from the file called ``name``."""
    return next(n for n, src in G.nodes(data="source") if src and src.endswith(name))


def test_the_mapping_uses_eli_org_prov_pplan_and_never_eli_implements(source):
    g = rdf.to_graph(source)
    plan = URIRef(rdf.doc_iri(_seed(source.G, "000_319b8b36a4c16e47.txt")))
    assert (plan, RDF.type, ELI.Work) in g
    assert (plan, RDF.type, URIRef("http://purl.org/net/p-plan#Plan")) in g
    target = URIRef(rdf.doc_iri("07-KH/TU@Đắk Lắk"))
    assert (plan, CAS.implements, target) in g and (plan, ELI.ensures_implementation_of, target) in g
    assert (plan, ELI.jurisdiction, URIRef("https://example.org/cascade/ontology/adminunit/pre2025-66")) in g
    steps = set(g.subjects(URIRef("http://purl.org/net/p-plan#isStepOfPlan"), plan))
    assert len(steps) > 10
    assert any(g.value(t, CAS.leadAgency) for t in steps)
    signer = next(g.objects(plan, URIRef("http://www.w3.org/ns/prov#qualifiedAttribution")))
    assert g.value(signer, URIRef("http://www.w3.org/ns/prov#hadRole")) == CAS.SignatoryRole
    assert not any(p == URIRef(DEPRECATED) for _, p, _ in g)
    dates = {o.datatype for o in g.objects(None, CAS.deadline)}
    assert dates and dates <= {URIRef("http://www.w3.org/2001/XMLSchema#" + t)
                               for t in ("date", "gYearMonth", "gYear", "gMonthDay")}


def test_no_output_and_no_resource_mentions_eli_implements(seeds: Path):
    for fmt in rdf.FORMATS:
        assert DEPRECATED not in rdf.export_text(fmt, seeds), fmt
    for path in (ROOT / "cascade" / "resources").rglob("*"):
        if path.is_file() and path.suffix in (".ttl", ".jsonld", ".rq") and path.name != "shapes.ttl":
            text = path.read_text(encoding="utf-8")
            assert DEPRECATED not in text and "eli:implements " not in text, path


# -- the build and the base --------------------------------------------------------------------------

def test_build_writes_cascade_ttl_and_export_keeps_its_base(tmp_path: Path):
    out = tmp_path / "b"
    base = "https://data.example.vn/cascade/"
    build([ROOT / "data"], out, workers=1, extras=[lambda b: rdf.build_extra(b, base=base)])
    text = (out / "cascade.ttl").read_text(encoding="utf-8")
    assert f"<{base}eli/vn/tw/93-KL/TW>" in text
    assert f"<{base}eli/vn/tw/93-KL/TW>" in rdf.export_text("nt", out)
    g = Graph().parse(out / "cascade.ttl")
    assert (URIRef(base), RDF.type, URIRef("http://rdfs.org/ns/void#Dataset")) in g


def test_export_reads_only_the_build_folder(seeds: Path, tmp_path: Path, monkeypatch):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(seeds, copy, ignore=shutil.ignore_patterns("cache"))
    monkeypatch.chdir(tmp_path)                     # the texts under data/ are out of reach from here
    text = rdf.export_text("trig", copy)
    assert "cas:Evidence" in text and "<https://example.org/cascade/graph/" in text


def test_unknown_format_is_an_error(seeds: Path):
    with pytest.raises(ExportError):
        rdf.export_text("rdfxml", seeds)


def test_to_graph_works_on_a_bare_networkx_graph():
    G = nx.MultiDiGraph(built="2026-01-01T00:00:00+00:00")
    G.add_node("93-KL/TW", kind="document", number="93-KL/TW", level="central", branch="party",
               label="93-KL/TW", date="2020-11-20", cited=1)
    G.add_node("07-KH/TU@Đắk Lắk", kind="document", number="07-KH/TU", level="province", province="Đắk Lắk",
               branch="party", label="07-KH/TU", date="2020-12", in_corpus=True, source="a.txt")
    G.add_edge("07-KH/TU@Đắk Lắk", "93-KL/TW", key="implements", relation="implements", asserted_by="a.txt",
               evidence="Thực hiện Kết luận số 93-KL/TW", evidence_source="a.txt", evidence_span="5-40")
    g = rdf.to_graph(G)
    a, b = URIRef(rdf.doc_iri("07-KH/TU@Đắk Lắk")), URIRef(rdf.doc_iri("93-KL/TW"))
    assert (a, CAS.implements, b) in g
    assert g.value(a, DCTERMS.date) == Literal("2020-12", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYearMonth"))
    ds = rdf.to_dataset(G)
    named = [c for c in ds.graphs() if (a, CAS.implements, b) in c]
    assert len(named) == 1 and any(named[0].subjects(RDF.type, CAS.Evidence))


class _Walked:
    """A graph as the Turtle writer reads the streamed graph of a build: its nodes in order and each node's
    out-edges, but no predecessors (a task's plan is then found from the task's id)."""

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.G, self.graph, self._node, self._succ = G, G.graph, G._node, G._succ

    def nodes(self, data: bool = False):
        return self.G.nodes(data=data)


A, B = "5-KH/UBND@Gia Lai", "5-KH/UBND@Gia Lai#2021"     # one number, two years: B's key is A's and '#2021'


def _two_plans_of_one_number() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(built="2026-01-01T00:00:00+00:00")
    for k, date in ((A, "2019-03-01"), (B, "2021-03-01")):
        G.add_node(k, kind="document", number="5-KH/UBND", level="province", province="Gia Lai", label=k,
                   date=date, in_corpus=True, source=f"{date}.txt")
    G.add_node("agency:Sở Nội vụ@gia lai", kind="agency", label="Sở Nội vụ", province="Gia Lai")
    tasks = {f"task:{B}#1": [B],            # could be A's task "2021#1" by its id: it is B's
             f"task:{A}#1": [A],
             f"task:{A}#2021#2": [A],       # A's task labelled "2021#2": could be B's "2" by its id
             f"task:{A}#2021#3": [B, A]}    # named by both: the first document in the graph's order
    for t, plans in tasks.items():
        G.add_node(t, kind="task", label=t.rpartition("#")[2], text=f"Nhiệm vụ {t}")
        for k in plans:
            G.add_edge(k, t, key="has_task", relation="has_task")
        G.add_edge(t, "agency:Sở Nội vụ@gia lai", key="lead", relation="lead")
        G.add_edge(t, "agency:Sở Nội vụ@gia lai", key="reports_to", relation="reports_to", due="12-15")
    return G


def test_a_graph_without_predecessors_gives_the_same_linked_data_and_each_task_its_plan():
    G = _two_plans_of_one_number()
    walked = rdf._Source(_Walked(G))                      # type: ignore[arg-type]
    for fmt in ("ttl", "nt"):
        assert rdf.dumps(walked, fmt) == rdf.dumps(G, fmt)
    g = rdf.to_graph(G)
    step_of = URIRef("http://purl.org/net/p-plan#isStepOfPlan")
    plan_of = {str(s): str(o) for s, o in g.subject_objects(step_of)}
    a, b = rdf.doc_iri(A), rdf.doc_iri(B)
    expected = {f"{b}/task/1": b, f"{a}/task/1": a, f"{a}/task/2021%232": a, f"{a}/task/2021%233": a}
    assert plan_of == expected
    reports = set(g.subjects(RDF.type, CAS.ReportingDuty))
    assert {str(r).rpartition("/report/")[0] for r in reports} == set(expected)


def test_the_maker_keeps_nothing_of_a_task_it_has_written():
    from cascade.rdf.blocks import _node_blocks

    G = _two_plans_of_one_number()
    mk = rdf._Maker(rdf._Source(_Walked(G)), rdf._TurtleTerms(rdf.DEFAULT_BASE), None)  # type: ignore[arg-type]
    written = [triples for _, triples in _node_blocks(mk, G.nodes(data=True), named=False)]
    assert sum(t[1] == "p-plan:isStepOfPlan" for triples in written for t in triples) == 4
    kept = {*mk._iri, *mk._raw, *mk._others}
    assert {A, B, "agency:Sở Nội vụ@gia lai"} <= kept and not [n for n in kept if n.startswith("task:")]


def test_the_terms_of_bodies_signers_and_agencies_are_kept_up_to_a_bound(monkeypatch):
    from cascade.rdf import mapping

    G = _two_plans_of_one_number()
    for i in range(5):
        who = f"person:Người {i}@UBND tỉnh Gia Lai"
        G.add_node(who, kind="person", name=f"Người {i}")
        G.add_edge(A if i % 2 else B, who, key="signed_by", relation="signed_by")
    whole = rdf.dumps(G, "nt")
    monkeypatch.setattr(mapping, "_OTHERS_KEPT", 2)
    mk = rdf._Maker(rdf._Source(G), rdf._NTTerms(), None)
    for n in G:
        if G.nodes[n]["kind"] in ("person", "agency"):
            mk.node(n)
    assert 1 <= len(mk._others) <= 2
    assert rdf.dumps(G, "nt") == whole                   # made again when asked after they were dropped


def test_a_task_whose_id_names_no_plan_gets_its_plan_from_its_predecessors():
    G = _two_plans_of_one_number()
    G.add_node("task:loose", kind="task", label="loose")
    G.add_edge(B, "task:loose", key="has_task", relation="has_task")
    mk = rdf._Maker(rdf._Source(G), rdf._NTTerms(), None)
    assert mk.plan("task:loose") == B and mk.plan(f"task:{A}#2021#3") == A
    assert mk.task_iri("task:loose", B).startswith(f"{rdf.DEFAULT_BASE}task/task-loose-")


# -- text that needs escaping ----------------------------------------------------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)


def _one_document(title: str, label: str, fmt: str) -> str:
    """The triples of one document, written by the stream writer of ``fmt``."""
    import io

    G = nx.MultiDiGraph()
    G.add_node("1-CT/TW", kind="document", number="1-CT/TW", level="central", label=label or "x", title=title)
    named = rdf.FORMATS[fmt].dataset
    terms = rdf._JsonTerms() if fmt == "jsonld" else rdf._NTTerms() if fmt in ("nt", "nq") \
        else rdf._TurtleTerms(rdf.DEFAULT_BASE)
    triples = rdf._Maker(rdf._Source(G), terms, None).document("1-CT/TW", G.nodes["1-CT/TW"])
    blocks = [("https://example.org/g" if named else None, triples)]
    buf = io.StringIO()
    if fmt == "jsonld":
        rdf._write_jsonld(blocks, buf)
    else:
        rdf._write_stream(blocks, fmt, buf)
    return buf.getvalue()


@settings(max_examples=150, deadline=None)
@given(title=_TEXT, label=_TEXT)
def test_any_text_survives_every_writer(title: str, label: str):
    s = URIRef(rdf.doc_iri("1-CT/TW"))
    for fmt in ("ttl", "nt", "jsonld", "trig", "nq"):
        text = _one_document(title, label, fmt)
        got = {t[:3] for t in quads(text, fmt)}
        assert (s, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal(label or "x")) in got, fmt
        if title:
            assert (s, DCTERMS.title, Literal(title, lang="vi")) in got, fmt
        oxf = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
               "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS}[fmt]
        titles = [q.object.value for q in ox.parse(text.encode("utf-8"), format=oxf)
                  if q.predicate.value == str(DCTERMS.title)]
        assert titles == ([title] if title else []), fmt


def test_cli_export_writes_linked_data(seeds: Path, tmp_path: Path):
    from typer.testing import CliRunner

    from cascade.cli import app

    r = CliRunner().invoke(app, ["export", "--format", "jsonld", "--build-dir", str(seeds),
                                 "--output", str(tmp_path / "c.jsonld")])
    assert r.exit_code == 0, r.output
    doc = json.loads((tmp_path / "c.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"]["eli"] == str(ELI) and doc["@graph"]


def test_a_former_district_without_a_code_has_its_own_concept():
    """Quận 2 of Hồ Chí Minh has no code (its 769 is the city of Thủ Đức's since 2021): IRI by its slug."""
    from cascade.rdf.iri import _unit_for, unit_iri
    from cascade.vn import places

    (q2,) = places.find_district("Quận 2", "Hồ Chí Minh")
    (thu_duc,) = places.find_district("thành phố Thủ Đức", "Hồ Chí Minh")
    assert unit_iri(q2).endswith("/adminunit/pre2025-79-quan-2")
    assert unit_iri(thu_duc).endswith("/adminunit/pre2025-79-769")
    assert _unit_for("Hồ Chí Minh", "Quận 2", "2009-12-20") == q2


def test_a_build_writes_in_two_passes_the_turtle_a_walk_node_by_node_writes(tmp_path: Path):
    """cascade build writes cascade.ttl from its streamed graph in two passes (signers, tasks and agencies
    first, their text kept aside): the same text as the one-pass writer over the same graph."""
    import io

    from cascade.graph import StreamedGraph
    from cascade.rdf.write import _write

    one_pass: list[str] = []

    def walk_node_by_node(b) -> list[Path]:
        G = b.walked_graph()
        assert isinstance(G, StreamedGraph)              # what build_extra was given too
        buf = io.StringIO()
        _write(rdf._Source(G), "ttl", buf, rdf.DEFAULT_BASE)
        one_pass.append(buf.getvalue())
        return []

    out = tmp_path / "out"
    build([ROOT / "data"], out, workers=1, extras=[walk_node_by_node])
    text = (out / "cascade.ttl").read_text(encoding="utf-8")
    assert one_pass and text == one_pass[0]
    assert "p-plan:Step" in text and "prov:qualifiedAttribution" in text and "cas:ReportingDuty" in text
    assert not list(out.glob("tmp*"))                    # the pass's temporary file is gone


def test_units_named_inside_units_noted_are_recorded_as_if_named_after():
    """A place the gazetteer does not know is under the province of its first naming's date: one named
    while units are noted counts as named when its call is made again, after the others."""
    from cascade.rdf.mapping import _Maker
    from cascade.rdf.terms import _NTTerms

    def broader(calls_inside: list[tuple], calls_after: list[tuple]) -> object:
        mk = _Maker(rdf._Source(nx.MultiDiGraph()), _NTTerms(), None)
        with mk.units_noted() as noted:
            terms = [mk.unit(*c) for c in calls_inside]
        assert mk.units == {}                            # nothing recorded inside
        for c in calls_after:
            mk.unit(*c)
        for c in noted:
            mk.unit(*c)
        assert terms == [mk.unit(*c) for c in calls_inside]
        (district,) = [v for v in mk.units.values() if isinstance(v, tuple) and v[1] == "district"]
        return district[2]

    early, late = ("Gia Lai", "Làng Không Có", "2020-01-01"), ("Gia Lai", "Làng Không Có", "2025-09-01")
    assert broader([early], [late]) == broader([], [late, early])
    assert broader([late], [early]) == broader([], [early, late])
    assert broader([], [early, late]) != broader([], [late, early])
