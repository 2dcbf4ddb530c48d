"""The vocabulary file, the generated namespace and the code lists agree."""
from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from cascade import rdf
from cascade.rdf.namespace import CAS, ELI, PPLAN, PREFIXES, bind_prefixes

ROOT = Path(__file__).resolve().parents[1]
TTL = ROOT / "cascade" / "resources" / "ontology" / "cascade.ttl"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph(bind_namespaces="none").parse(TTL, format="turtle")


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("make_namespace", ROOT / "scripts" / "make_namespace.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_namespace_module_is_generated_from_the_ttl(generator):
    assert (ROOT / "cascade" / "rdf" / "namespace.py").read_text(encoding="utf-8") == generator.render(), \
        "cascade/namespace.py is stale: run python scripts/make_namespace.py"


def test_every_cas_term_of_the_ttl_is_in_CAS_and_back(ontology):
    ns = PREFIXES["cas"]
    in_ttl = {str(s)[len(ns):] for s in ontology.subjects()
              if isinstance(s, URIRef) and str(s).startswith(ns)}
    in_module = set(CAS.__annotations__)
    assert in_ttl == in_module
    assert all(CAS[name] == URIRef(ns + name) for name in in_module)


def test_unknown_terms_fail_instead_of_minting_iris():
    with pytest.raises(AttributeError):
        CAS.implemnts  # noqa: B018
    with pytest.raises(AttributeError):
        ELI.implements  # noqa: B018  (deprecated in ELI: never written)


def test_every_cas_property_has_labels_in_vietnamese_and_english_and_a_parent_where_one_exists(ontology):
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.Class):
        for term in ontology.subjects(RDF.type, kind):
            langs = {o.language for o in ontology.objects(term, RDFS.label) if isinstance(o, Literal)}
            assert {"vi", "en"} <= langs, term
    assert (CAS.implements, RDFS.subPropertyOf, ELI.ensures_implementation_of) in ontology
    assert (CAS.continues, RDFS.subPropertyOf, CAS.implements) in ontology
    assert (CAS.leadAgency, RDFS.subPropertyOf, URIRef("https://schema.org/agent")) in ontology
    assert (CAS.deadline, RDFS.subPropertyOf, URIRef("https://schema.org/endTime")) in ontology


def test_the_vocabulary_never_uses_the_deprecated_eli_implements(ontology):
    bad = URIRef(str(ELI) + "implements")
    assert not any(bad in t for t in ontology)
    assert "implements" not in ELI.__annotations__
    assert set(PPLAN.__annotations__) >= {"Plan", "Step", "isStepOfPlan"}


def test_prefixes_bind_as_declared_even_org():
    g = bind_prefixes(Graph())
    bound = {p: str(ns) for p, ns in g.namespaces()}
    for prefix, ns in PREFIXES.items():
        assert bound[prefix] == ns
    assert not any(p.startswith("org") and p != "org" for p in bound)


def test_unit_validity_matches_the_gazetteer():
    rows = csv.DictReader((ROOT / "cascade" / "resources" / "gazetteer.csv").open(encoding="utf-8"))
    seen: dict[str, set[tuple[str, str]]] = {}
    for r in rows:
        seen.setdefault(r["era"], set()).add((r["valid_from"], r["valid_to"]))
    for era, (start, end) in rdf.ERA_VALIDITY.items():
        # units in force at the era's end have its bounds; units merged away before it end earlier
        assert (start or "", end or "") in seen[era]
        others = seen[era] - {(start or "", end or "")}
        assert all(f == (start or "") and (not end or t < end) for f, t in others)


def test_the_jsonld_context_declares_the_same_prefixes():
    text = (ROOT / "cascade" / "resources" / "context.jsonld").read_text(encoding="utf-8")
    ctx = json.loads(text)["@context"]
    assert {k: v for k, v in ctx.items() if isinstance(v, str) and k in PREFIXES} == PREFIXES
    for term, value in ctx.items():
        if isinstance(value, dict):
            prefix = value["@id"].split(":", 1)[0]
            assert prefix in PREFIXES, term
