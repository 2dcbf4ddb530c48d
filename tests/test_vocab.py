"""The vocabulary of cascade.vocab agrees with the ontology and the resource tables."""
from __future__ import annotations

import csv
from importlib.resources import files

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from cascade import vocab
from cascade.rdf.namespace import CAS, DOCTYPE, ELI, PPLAN, PREFIXES

ONTOLOGY = files("cascade") / "resources" / "ontology" / "cascade.ttl"


@pytest.fixture(scope="module")
def onto() -> Graph:
    g = Graph(bind_namespaces="none")
    g.parse(data=ONTOLOGY.read_text(encoding="utf-8"), format="turtle")
    return g


def _iri(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    assert prefix in PREFIXES, f"{curie}: prefix not declared in the ontology"
    return URIRef(PREFIXES[prefix] + local)


def _known(onto: Graph, curie: str) -> bool:
    """A cas: term the ontology defines, or an ELI/P-Plan term of the strict namespaces, or a W3C term."""
    iri = _iri(curie)
    prefix = curie.partition(":")[0]
    if prefix == "cas":
        return (iri, None, None) in onto
    if prefix == "eli":
        return iri in {ELI[n] for n in ELI.__annotations__}
    if prefix == "p-plan":
        return iri in {PPLAN[n] for n in PPLAN.__annotations__}
    return prefix in ("dcterms", "skos")


def test_every_rdf_term_of_a_relation_is_defined(onto: Graph) -> None:
    for r in vocab.RELATIONS.values():
        for curie in (r.predicate, r.also):
            if curie is not None:
                assert _known(onto, curie), f"{r.name}: {curie} is not a term cascade writes"


def test_cas_relations_are_properties_under_their_eli_super_property(onto: Graph) -> None:
    for r in vocab.RELATIONS.values():
        if r.predicate and r.predicate.startswith("cas:"):
            p = _iri(r.predicate)
            assert {OWL.ObjectProperty, RDF.Property} & set(onto.objects(p, RDF.type)), r.name
            if r.also:
                assert _iri(r.also) in set(onto.transitive_objects(p, RDFS.subPropertyOf)), r.name


def test_deprecated_eli_implements_is_never_a_predicate() -> None:
    assert all("eli:implements" not in (r.predicate, r.also) for r in vocab.RELATIONS.values())


def test_cascade_is_exactly_the_strongest_relations() -> None:
    strongest = min(vocab.RELATIONS[n].strength for n in vocab.DOCUMENT_RELATIONS)
    assert set(vocab.CASCADE) == {n for n in vocab.DOCUMENT_RELATIONS
                                  if vocab.RELATIONS[n].strength == strongest}
    assert vocab.by_strength(["cites", "guides", "based_on", "continues"])[0].name == "continues"
    assert vocab.by_strength(["cites", "based_on"])[-1].name == "cites"


def test_every_drawn_relation_has_a_complete_style() -> None:
    for name in (*vocab.DOCUMENT_RELATIONS, *vocab.TASK_RELATIONS):
        style = vocab.RELATIONS[name].style()
        assert style["color"] and style["color"].startswith("#"), name
        assert style["width"] > 0
        assert style["dashes"] is False or (isinstance(style["dashes"], list) and style["dashes"])


def test_roles_have_their_cas_property(onto: Graph) -> None:
    for role in vocab.ROLES:
        assert (_iri(vocab.RELATIONS[role].predicate or ""), RDF.type, OWL.ObjectProperty) in onto, role


def test_levels_and_branches_are_the_ontology_concepts(onto: Graph) -> None:
    for scheme, table in ((CAS.Levels, vocab.LEVELS), (CAS.Branches, vocab.BRANCHES)):
        concepts = set(onto.subjects(SKOS.inScheme, scheme))
        assert {_iri(x.concept) for x in table.values()} == concepts
        for name, x in table.items():
            assert Literal(name) in set(onto.objects(_iri(x.concept), SKOS.notation))
    tiers = [lv.tier for lv in vocab.LEVELS.values()]
    assert tiers == sorted(tiers) and len(set(tiers)) == len(tiers)
    for lv in list(vocab.LEVELS.values())[1:]:          # each level is narrower than the one above it
        above = next(x for x in vocab.LEVELS.values() if x.tier == lv.tier - 1)
        assert (_iri(lv.concept), SKOS.broader, _iri(above.concept)) in onto


def test_doc_types_match_the_csv_and_the_ontology(onto: Graph) -> None:
    with (files("cascade") / "resources" / "doctypes.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(vocab.doc_types()) == len(rows)
    for row in rows:
        branch = None if row["family"] == "both" else row["family"]
        t = vocab.doc_type(row["abbr"], branch)
        assert t is not None and (t.name, t.slug) == (row["type"], row["slug"])
        concept = DOCTYPE[row["slug"]]
        assert (concept, SKOS.inScheme, CAS.DocumentTypes) in onto, row["slug"]
        assert Literal(row["abbr"]) in set(onto.objects(concept, SKOS.notation)), row["abbr"]
        assert Literal(row["type"], lang="vi") in set(onto.objects(concept, SKOS.prefLabel)), row["type"]
    in_onto = {str(c)[len(str(DOCTYPE)):] for c in onto.subjects(SKOS.inScheme, CAS.DocumentTypes)}
    assert {t.slug for t in vocab.all_doc_types()} == in_onto
    for t in vocab.all_doc_types():
        assert Literal(t.name, lang="vi") in set(onto.objects(DOCTYPE[t.slug], SKOS.prefLabel))
    assert in_onto >= vocab.LEGAL_TYPES and in_onto >= vocab.PLAN_TYPES


def test_a_branch_specific_code_is_found_by_its_branch() -> None:
    party, state = vocab.doc_type("QĐi", "party"), vocab.doc_type("QyĐ", "state")
    assert party is not None and state is not None and party.slug == state.slug == "quy-dinh"
    assert vocab.doc_type("KH", "party") == vocab.doc_type("KH", "state") == vocab.doc_type("KH")
    assert vocab.doc_type("XYZ") is None and vocab.doc_type_named("Không có") is None


def test_the_named_relation_constants_are_the_document_relations_in_order():
    named = (vocab.IMPLEMENTS, vocab.CONTINUES, vocab.BASED_ON, vocab.CITES, vocab.AMENDS, vocab.REPLACES,
             vocab.REPEALS, vocab.GUIDES)
    assert named == vocab.DOCUMENT_RELATIONS
    assert all(n in vocab.RELATIONS for n in named)
