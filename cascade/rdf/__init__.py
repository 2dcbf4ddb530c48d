"""The resolved corpus as linked data: RDF, SHACL validation, SPARQL and upload to a triple store.

The graph speaks the vocabularies linked-data portals already read (ELI, W3C ORG,
PROV-O, P-Plan, SKOS, DCTERMS, schema.org) and adds the few ``cas:`` terms of
``resources/ontology/cascade.ttl`` where none fits:

* a document is an ``eli:Work`` (also ``eli:LegalResource`` for a State legal act and
  ``p-plan:Plan`` for a plan or programme) with ``eli:id_local``, ``eli:number``,
  ``eli:date_document``, ``eli:work_type``, ``eli:passed_by`` its issuer (``org:Organization``)
  and signer (``schema:Person``, with a ``prov:qualifiedAttribution``), ``eli:jurisdiction``
  (a SKOS concept of the administrative units, pre- or post-2025) and ``dcterms:identifier``
  its identity key; ``cas:implements``/``cas:continues`` (sub-properties of
  ``eli:ensures_implementation_of``, which is stated too), ``eli:based_on``, ``eli:cites``...
  point to the documents it names. ``eli:implements`` (deprecated) is never written;
* a task is a ``p-plan:Step`` and ``schema:Action`` of its plan, with ``cas:leadAgency``,
  ``cas:cooperatingAgency``, ``cas:deadline`` (typed ISO date), ``cas:deadlineText`` and
  ``cas:reportingDuty``.

IRIs are minted from the identity keys (:mod:`cascade.rdf.iri`); the mapping of the graph
to triples is :mod:`cascade.rdf.mapping`.

Two shapes of output:

* the merged graph (Turtle, N-Triples, JSON-LD with ``resources/context.jsonld``): every
  fact once; ``cascade build`` writes it as ``cascade.ttl``;
* the dataset (TriG, N-Quads): one named graph per input file, holding what that file
  states, and the evidence of each statement between documents (a ``cas:Evidence``: file,
  span, quoted sentence); the graph is ``prov:wasDerivedFrom`` the document the file is.
  Shared facts (cited documents, bodies, agencies, places, code lists) sit in the default
  graph. The union of the graphs, without evidence and graph descriptions, is the merged graph.

One engine writes every format (:mod:`cascade.rdf.write`): streaming writers that make
the text directly; :func:`to_graph` and :func:`to_dataset` give rdflib objects. SPARQL runs
on a pyoxigraph store kept in the build folder (:mod:`cascade.rdf.sparql`), files are
validated against the SHACL shapes (:mod:`cascade.rdf.shacl`), and :mod:`cascade.rdf.remote`
queries endpoints and uploads to any SPARQL 1.1 Graph Store Protocol endpoint.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("93-KL/TW", kind="document", number="93-KL/TW", level="central", label="93-KL/TW")
>>> from rdflib import Literal
>>> from rdflib.namespace import DCTERMS
>>> g = to_graph(G)
>>> str(g.value(predicate=DCTERMS.identifier, object=Literal("93-KL/TW")))
'https://example.org/cascade/eli/vn/tw/93-KL/TW'
"""
from __future__ import annotations

from cascade.rdf.iri import DEFAULT_BASE, ERA_VALIDITY, Minter, check_base, doc_iri, slug, unit_iri
from cascade.rdf.mapping import RELATION_PREDICATES, _Maker, _Source
from cascade.rdf.remote import PushReport, password_for, push, redact, run_remote_query
from cascade.rdf.shacl import Validation, Violation, read_graph, shapes, validate
from cascade.rdf.sparql import (
    MAX_ROWS,
    QUERY_TIMEOUT,
    STORE_DIR,
    NamedQuery,
    QueryResult,
    bind_params,
    load_store,
    named_queries,
    run_query,
    uses_service,
)
from cascade.rdf.terms import _JsonTerms, _NTTerms, _TurtleTerms
from cascade.rdf.write import (
    FORMATS,
    TURTLE_FILE,
    Format,
    _write,
    _write_jsonld,
    _write_stream,
    build_extra,
    context,
    dumps,
    export_text,
    format_of,
    load_source,
    to_dataset,
    to_graph,
    write,
)

__all__ = [
    "DEFAULT_BASE", "ERA_VALIDITY", "FORMATS", "Format", "Minter", "NamedQuery", "PushReport", "QueryResult",
    "RELATION_PREDICATES", "STORE_DIR", "TURTLE_FILE", "Validation", "Violation", "bind_params",
    "build_extra", "check_base", "context", "doc_iri", "dumps", "export_text", "format_of", "load_source",
    "load_store", "named_queries", "password_for", "push", "read_graph", "redact", "uses_service", "MAX_ROWS",
    "QUERY_TIMEOUT", "run_query", "run_remote_query", "shapes", "slug",
    "to_dataset", "to_graph", "unit_iri", "validate", "write",
    # for the tests and benchmarks that drive the writers directly
    "_JsonTerms", "_Maker", "_NTTerms", "_Source", "_TurtleTerms", "_write", "_write_jsonld", "_write_stream",
]
