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

IRIs are derived from the identity keys of :mod:`cascade.identity.documents` under a base
(:data:`DEFAULT_BASE` unless ``--base``/``base=`` or ``$CASCADE_BASE`` says otherwise), so
the same corpus always yields the same IRIs. Documents follow ELI's path style::

    {base}eli/vn/tw/93-KL/TW                        central: 93-KL/TW
    {base}eli/vn/tinh/dak-lak/07-KH/TU              provincial: 07-KH/TU@Đắk Lắk
    {base}eli/vn/huyen/gia-lai/phu-thien/12-KH/HU   district: 12-KH/HU@Gia Lai/Phú Thiện
    {base}eli/vn/tinh/dak-lak/07-KH/TU~2020         one number, two years: 07-KH/TU@Đắk Lắk#2020
    {base}eli/vn/nqtw/X/7                           Nghị quyết Trung ương 7 (khóa X): NQTW7@X
    {base}eli/vn/file/data/seeds/000.txt            an unnumbered input file: file:data/seeds/000.txt

Places are slugs of their gazetteer names; numbers stay as printed, percent-encoded
(``QĐ`` -> ``Q%C4%90``). Bodies, people and agencies get ``{base}org/``, ``{base}person/``
and ``{base}agency/`` plus a readable slug and six hex digits of a hash of the exact key,
so two names that differ only by a diacritic never share an IRI.

Two shapes of output:

* the merged graph (Turtle, N-Triples, JSON-LD with ``resources/context.jsonld``): every
  fact once; ``cascade build`` writes it as ``cascade.ttl``;
* the dataset (TriG, N-Quads): one named graph per input file, holding what that file
  states, and the evidence of each statement between documents (a ``cas:Evidence``: file,
  span, quoted sentence); the graph is ``prov:wasDerivedFrom`` the document the file is.
  Shared facts (cited documents, bodies, agencies, places, code lists) sit in the default
  graph. The union of the graphs, without evidence and graph descriptions, is the merged graph.

Three engines write the same triples: ``stream`` (the default: streaming writers that make
the text directly, the fastest; a large merged graph is split between two processes),
``oxigraph`` (pyoxigraph terms and serializers: building a Python object per term costs more
than writing its text) and ``rdflib`` (an rdflib ``Graph``/``Dataset``, the public Python API:
:func:`to_graph`, :func:`to_dataset`). SPARQL runs on a pyoxigraph store kept in the build
folder (:func:`load_store`, :func:`run_query`), files are read for validation by
pyoxigraph's parsers, and :func:`push` uploads to any SPARQL 1.1 Graph Store Protocol endpoint.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("93-KL/TW", kind="document", number="93-KL/TW", level="central", label="93-KL/TW")
>>> g = to_graph(G)
>>> str(g.value(predicate=DCTERMS.identifier, object=Literal("93-KL/TW")))
'https://example.org/cascade/eli/vn/tw/93-KL/TW'
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import io
import json
import os
import re
import shutil
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from types import SimpleNamespace
from typing import IO, TYPE_CHECKING, Any

import networkx as nx
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SDO, SKOS, VOID, XSD

from cascade import __version__
from cascade.errors import BuildError, CascadeError, ExportError
from cascade.rdf.namespace import ADMINUNIT, CAS, DOCTYPE, ELI, PPLAN, PREFIXES, bind_prefixes
from cascade.runtime import paused_gc
from cascade.text.normalize import ascii_fold
from cascade.vocab import (BRANCHES, DOCUMENT_RELATIONS, LEGAL_TYPES, LEVELS, PLAN_TYPES, RELATIONS, ROLES,
                           doc_type_named)

if TYPE_CHECKING:
    import pyoxigraph

    from cascade.corpus.build import Build
    from cascade.identity.documents import Corpus
    from cascade.models import Evidence

__all__ = [
    "DEFAULT_BASE", "FORMATS", "Minter", "doc_iri", "to_graph", "to_dataset", "dumps", "write", "build_extra",
    "export_text", "Validation", "Violation", "validate", "load_store", "NamedQuery", "named_queries",
    "run_query", "run_remote_query", "QueryResult", "push", "PushReport",
]

#: the base IRI of minted IRIs unless told otherwise: a placeholder to replace before publishing
DEFAULT_BASE = "https://example.org/cascade/"
#: the file cascade build writes into the build folder
TURTLE_FILE = "cascade.ttl"


@dataclass(frozen=True, slots=True)
class Format:
    """One RDF serialization: its file extension, media type and whether it carries named graphs."""

    name: str
    ext: str
    media_type: str
    dataset: bool


#: the formats of ``cascade export --format``: merged graph (ttl, nt, jsonld) or dataset (trig, nq)
FORMATS: dict[str, Format] = {
    "ttl": Format("Turtle", "ttl", "text/turtle", False),
    "nt": Format("N-Triples", "nt", "application/n-triples", False),
    "jsonld": Format("JSON-LD", "jsonld", "application/ld+json", False),
    "trig": Format("TriG", "trig", "application/trig", True),
    "nq": Format("N-Quads", "nq", "application/n-quads", True),
}
_ALIASES = {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld", "nquads": "nq",
            "n-quads": "nq"}
_RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "nq": "nquads"}


def _format(fmt: str) -> str:
    f = _ALIASES.get(fmt.lower().lstrip("."), fmt.lower().lstrip("."))
    if f not in FORMATS:
        raise ExportError(f"unknown linked-data format {fmt!r}: use {', '.join(FORMATS)}")
    return f


def format_of(path: str | Path) -> str:
    """The format key of a file name (``cascade.ttl`` -> ``ttl``, ``x.json`` -> ``jsonld``)."""
    ext = Path(path).suffix.lower().lstrip(".")
    return _format({"json": "jsonld", "n3": "ttl"}.get(ext, ext))


# -- IRIs -----------------------------------------------------------------------------------------

_SLUG_DROP = re.compile(r"[^a-z0-9]+")
_YEAR_SPLIT = re.compile(r"^(?P<key>.+)#(?P<year>\d{4})$")
_PLENUM = re.compile(r"^NQTW(?P<plenum>\d+)@(?P<term>.+)$")


@lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """An ASCII slug: no diacritics, lower case, words joined by hyphens.

    >>> slug("Đắk Lắk"), slug("Kỳ Anh (Thị xã)"), slug("?")
    ('dak-lak', 'ky-anh-thi-xa', 'x')
    """
    return _SLUG_DROP.sub("-", ascii_fold(text)).strip("-") or "x"


def _tag(text: str, n: int = 6) -> str:
    """The first ``n`` hex digits of the SHA-1 of ``text``: tells apart keys whose slugs agree."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


@lru_cache(maxsize=1 << 16)
def _segment(text: str) -> str:
    """One path segment, percent-encoded; ``~`` (the year marker) and dot segments escaped too."""
    out = urllib.parse.quote(text, safe="-._").replace("~", "%7E")
    return out.replace(".", "%2E") if out in (".", "..") else out


def _path(text: str) -> str:
    """A slash-separated text (a number, a file path), each segment percent-encoded."""
    if text.startswith("/"):                         # an absolute path: its leading slash as a segment
        return "%2F/" + "/".join(_segment(p) for p in text[1:].split("/"))
    return "/".join(_segment(p) for p in text.split("/"))


@lru_cache(maxsize=4096)
def _province_slug(name: str) -> str:
    """The slug of a gazetteer province; a name the gazetteer does not spell so gets a hashed slug."""
    from cascade.vn import places

    u = places.find_province(name, "pre2025") or places.find_province(name, "2025")
    if u is not None and u.name == name:
        return slug(name)
    return f"x-{slug(name)}-{_tag(name)}"


@lru_cache(maxsize=16384)
def _district_slug(province: str, name: str) -> str:
    from cascade.vn import places

    if any(u.name == name for u in places.find_district(name, province)):
        return slug(name)
    return f"x-{slug(name)}-{_tag(province + '/' + name)}"


class Minter:
    """IRIs from identity keys and node ids, under one base.

    >>> m = Minter("https://example.org/cascade/")
    >>> m.doc("07-KH/TU@Đắk Lắk")
    'https://example.org/cascade/eli/vn/tinh/dak-lak/07-KH/TU'
    >>> m.doc("569/QĐ-TTg")
    'https://example.org/cascade/eli/vn/tw/569/Q%C4%90-TTg'
    """

    def __init__(self, base: str | None = None):
        self.base = check_base(base or DEFAULT_BASE)

    def doc(self, key: str) -> str:
        """The IRI of a document from its identity key (see the module docstring)."""
        b = self.base
        if key.startswith("file:"):
            return f"{b}eli/vn/file/{_path(key[5:])}"
        m = _PLENUM.match(key)
        if m:
            return f"{b}eli/vn/nqtw/{_segment(m['term'])}/{m['plenum']}"
        suffix = ""
        m = _YEAR_SPLIT.match(key)
        if m:
            key, suffix = m["key"], "~" + m["year"]
        if "@" in key:
            number, place = key.split("@", 1)
            province, _, district = place.partition("/")
            if district:
                scope = f"huyen/{_province_slug(province)}/{_district_slug(province, district)}"
            else:
                scope = f"tinh/{_province_slug(province)}"
            return f"{b}eli/vn/{scope}/{_path(number)}{suffix}"
        if key[:1].isdigit():
            return f"{b}eli/vn/tw/{_path(key)}{suffix}"
        return f"{b}eli/vn/ten/{slug(key)}-{_tag(key)}{suffix}"

    def org(self, name: str) -> str:
        return f"{self.base}org/{slug(name)}-{_tag(name)}"

    def person(self, node: str) -> str:
        name = node[len("person:"):].split("@", 1)[0]
        return f"{self.base}person/{slug(name)}-{_tag(node)}"

    def agency(self, node: str) -> str:
        key = node[len("agency:"):]
        name, _, scope = key.partition("@")
        return f"{self.base}agency/{slug(scope)}/{slug(name)}-{_tag(key)}"

    def place(self, name: str) -> str:
        """A jurisdiction the gazetteer does not know (``cas:UnlistedAdminUnits``)."""
        return f"{self.base}place/{slug(name)}-{_tag(name)}"

    def graph(self, source: str) -> str:
        """The named graph of one input file."""
        return f"{self.base}graph/{_path(source)}"

    def run(self, built: str) -> str:
        return f"{self.base}run/{_segment(built)}"


def check_base(base: str) -> str:
    """``base`` if it is a usable base IRI (absolute, ending in ``/`` or ``#``); ExportError otherwise."""
    parts = urllib.parse.urlsplit(base)
    if not parts.scheme or not (parts.netloc or parts.scheme in ("urn", "tag")) or base[-1] not in "/#:" \
            or re.search(r"[\s<>\"{}|\\^`]", base):
        raise ExportError(f"base IRI {base!r} must be absolute and end with '/' (e.g. {DEFAULT_BASE})")
    return base


def doc_iri(key: str, base: str | None = None) -> str:
    """The IRI of the document with identity key ``key``.

    >>> doc_iri("12-KH/HU@Gia Lai/Phú Thiện")
    'https://example.org/cascade/eli/vn/huyen/gia-lai/phu-thien/12-KH/HU'
    """
    return Minter(base).doc(key)


# -- the gazetteer as SKOS ------------------------------------------------------------------------------

#: validity of the two gazetteer eras (as in resources/gazetteer.csv: valid_from / valid_to)
ERA_VALIDITY = {"pre2025": (None, "2025-06-30"), "2025": ("2025-07-01", None)}
_REFORM = "2025-07-01"
_ERA_SCHEME = {"pre2025": CAS.AdminUnitsPre2025, "2025": CAS.AdminUnits2025}


#: the first word of the local names of units, by era
_ERA_NAMES = {"pre2025": "pre2025", "2025": "from2025"}


def unit_iri(unit: Any) -> str:
    """The concept IRI of a gazetteer unit: ``pre2025-66``, ``pre2025-66-643``, ``from2025-66``."""
    era = _ERA_NAMES[unit.era]
    if unit.level == "district":
        return f"{ADMINUNIT}{era}-{unit.province_code}-{unit.code}"
    return f"{ADMINUNIT}{era}-{unit.code}"


def _unit_for(province: str | None, district: str | None, date: str | None) -> Any:
    """The gazetteer unit of a jurisdiction: the 2025 province for documents dated after the reform."""
    if not province:
        return None
    return _unit_lookup(province, district, bool(date and date >= _REFORM and not district))


@lru_cache(maxsize=65536)
def _unit_lookup(province: str, district: str | None, after_reform: bool) -> Any:
    from cascade.vn import places

    if district:
        units = places.find_district(district, province)
        exact = [u for u in units if u.name == district]
        found = exact or units
        return found[0] if found else None
    if after_reform:
        u = places.find_province(province, "2025")
        if u is not None:
            return u
    return places.find_province(province, "pre2025") or places.find_province(province, "2025")


# -- terms: one generator, several kinds of term ----------------------------------------------------------

#: escapes of N-Triples/Turtle strings: a literal with a quote, backslash or line break is escaped
#: whole (other control characters too); any other character may stand as it is
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')


def _escape_char(m: re.Match[str]) -> str:
    c = m.group()
    return _ESCAPES.get(c) or f"\\u{ord(c):04X}"


class _NTTerms:
    """Terms as N-Triples text: ``<iri>``, ``"text"@vi``, ``"2021-06-30"^^<...#date>``."""

    def __init__(self) -> None:
        self._dt: dict[str, str] = {}

    def iri(self, value: str) -> str:
        return f"<{value}>"

    def lit(self, value: str, datatype: str | None = None, lang: str | None = None) -> str:
        if '"' in value or "\\" in value or "\n" in value or "\r" in value:
            value = _NEEDS_ESCAPE.sub(_escape_char, value)
        if lang:
            return f'"{value}"@{lang}'
        if datatype is None or datatype == _XSD_STRING:
            return f'"{value}"'
        suffix = self._dt.get(datatype)
        if suffix is None:
            suffix = self._dt[datatype] = "^^" + self._datatype(datatype)
        return f'"{value}"{suffix}'

    def _datatype(self, datatype: str) -> str:
        """How a datatype IRI is written after ``^^``."""
        return f"<{datatype}>"


class _RdflibTerms:
    """Terms as rdflib ``URIRef``/``Literal``."""

    def iri(self, value: str) -> URIRef:
        return URIRef(value)

    def lit(self, value: str, datatype: str | None = None, lang: str | None = None) -> Literal:
        if lang:
            return Literal(value, lang=lang)
        if datatype is None or datatype == _XSD_STRING:
            return Literal(value)
        return Literal(value, datatype=URIRef(datatype), normalize=False)


class _OxTerms:
    """Terms as pyoxigraph ``NamedNode``/``Literal``."""

    def __init__(self) -> None:
        import pyoxigraph as ox

        self._ox = ox
        self._dt: dict[str, Any] = {}

    def iri(self, value: str) -> Any:
        return self._ox.NamedNode(value)

    def lit(self, value: str, datatype: str | None = None, lang: str | None = None) -> Any:
        if lang:
            return self._ox.Literal(value, language=lang)
        if datatype is None or datatype == _XSD_STRING:
            return self._ox.Literal(value)
        d = self._dt.get(datatype)
        if d is None:
            d = self._dt[datatype] = self._ox.NamedNode(datatype)
        return self._ox.Literal(value, datatype=d)


class _JsonTerms:
    """Terms as JSON-LD value objects (expanded form, compacted later by the writer)."""

    def iri(self, value: str) -> dict[str, str]:
        return {"@id": value}

    def lit(self, value: str, datatype: str | None = None, lang: str | None = None) -> Any:
        if lang:
            return {"@value": value, "@language": lang}
        if datatype is None or datatype == _XSD_STRING:
            return value
        return {"@value": value, "@type": datatype}


_XSD_STRING = str(XSD.string)


def _curie(curie: str) -> URIRef:
    """The IRI of a CURIE of :data:`PREFIXES` (``eli:cites``), as :mod:`cascade.vocab` writes terms."""
    prefix, _, local = curie.partition(":")
    return URIRef(PREFIXES[prefix] + local)


_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
_NUMBER_PART = re.compile(r"^\d+(?:\.\d+)?[a-z]?")
_LEVELS = {name: _curie(lv.concept) for name, lv in LEVELS.items()}
_BRANCHES = {name: _curie(b.concept) for name, b in BRANCHES.items()}
#: relation -> (predicate, the ELI super-property also stated or None)
RELATION_PREDICATES: dict[str, tuple[URIRef, URIRef | None]] = {
    name: (_curie(RELATIONS[name].predicate or ""), _curie(RELATIONS[name].also) if RELATIONS[name].also else None)
    for name in DOCUMENT_RELATIONS}
_ROLE_PREDICATES = {role: _curie(RELATIONS[role].predicate or "") for role in ROLES}


_XSD_DATE, _XSD_GYEAR, _XSD_GYEARMONTH, _XSD_GMONTHDAY = (
    str(XSD.date), str(XSD.gYear), str(XSD.gYearMonth), str(XSD.gMonthDay))
_XSD_BOOLEAN, _XSD_DECIMAL, _XSD_INTEGER, _XSD_DATETIME = (
    str(XSD.boolean), str(XSD.decimal), str(XSD.integer), str(XSD.dateTime))


def _typed_date(value: object) -> tuple[str, str] | None:
    """(lexical form, XSD datatype) of an ISO date, partial date or month-day; None otherwise.

    >>> _typed_date("2021-06"), _typed_date("12-05"), _typed_date("soon")
    (('2021-06', 'http://www.w3.org/2001/XMLSchema#gYearMonth'), ('--12-05', \
'http://www.w3.org/2001/XMLSchema#gMonthDay'), None)
    """
    return _typed_str(value) if isinstance(value, str) and value else None


@lru_cache(maxsize=1 << 14)
def _typed_str(value: str) -> tuple[str, str] | None:
    m = _ISO.match(value)
    try:
        if m and m.group(3):
            dt.date.fromisoformat(value)
            return value, _XSD_DATE
        if m and m.group(2):
            return (value, _XSD_GYEARMONTH) if 1 <= int(m.group(2)) <= 12 else None
        if m:
            return value, _XSD_GYEAR
        m = _MONTH_DAY.match(value)
        if m and 1 <= int(m.group(1)) <= 12 and 1 <= int(m.group(2)) <= 31:
            return f"--{value}", _XSD_GMONTHDAY
    except ValueError:
        return None
    return None


@cache
def _ontology() -> Graph:
    """The vocabulary (resources/ontology/cascade.ttl), parsed once."""
    g = Graph(bind_namespaces="none")
    g.parse(data=(files("cascade") / "resources" / "ontology" / "cascade.ttl").read_text(encoding="utf-8"),
            format="turtle")
    return g


def _doctype_slug(name: str | None) -> str | None:
    """The slug of the concept of a Vietnamese type name (``Kế hoạch`` -> ``ke-hoach``)."""
    t = doc_type_named(name)
    return t.slug if t is not None else None


# -- the triples ------------------------------------------------------------------------------------------

Triple = tuple[Any, Any, Any]
Block = tuple[str | None, list[Triple]]          # (named graph IRI or None for the default graph, triples)


@dataclass(slots=True)
class _Source:
    """What :func:`_blocks` reads: the graph, and the resolved corpus when evidence is wanted."""

    G: nx.MultiDiGraph
    corpus: Corpus | None = None


class _Maker:
    """Turns the corpus graph into blocks of triples in one kind of term (see the module docstring)."""

    def __init__(self, src: _Source, terms: Any, base: str | None):
        self.G = src.G
        self.corpus = src.corpus
        self.t = terms
        self.mint = Minter(base)
        iri = terms.iri
        self.V = SimpleNamespace(**{k: iri(str(u)) for k, u in _VOCABULARY.items()})
        self.P = {u: getattr(self.V, k) for k, u in _VOCABULARY.items()}
        self._iri: dict[str, Any] = {}
        self._raw: dict[str, str] = {}
        self._lit_cache: dict[tuple[str, str | None, str | None], Any] = {}
        self.lit = terms.lit                            # (value: str, datatype IRI: str | None, lang)
        self._roles = {rel: self.P[u] for rel, u in _ROLE_PREDICATES.items()}   # edge key -> predicate
        self._relations = {rel: (self.P[p], self.P[sup] if sup is not None else None)
                           for rel, (p, sup) in RELATION_PREDICATES.items()}
        self._refers_to = (self.P[ELI.refers_to], None)
        V = self.V
        self._task_terms = (V.RDF_type, V.PPLAN_Step, V.SDO_Action, V.RDFS_label, V.SDO_actionStatus,
                            V.SDO_PotentialActionStatus, V.PPLAN_isStepOfPlan, V.SDO_description,
                            V.CAS_section, V.CAS_deliverable, V.CAS_deadline, V.CAS_recurrence,
                            V.CAS_deadlineText, V.CAS_periodStart, V.CAS_periodEnd, V.CAS_sourceFile,
                            V.CAS_span)
        self.units: dict[str, Any] = {}                 # unit IRI -> places.Unit or (name, level, broader)
        self.doctypes: set[str] = set()
        self.plan_of: dict[str, str] = {}              # task -> its document, when known

    # -- small helpers ----------------------------------------------------------------------------

    def p(self, u: URIRef) -> Any:
        """The term of a vocabulary IRI chosen at run time (a level, a relation)."""
        return self.P[u]

    def node(self, n: str) -> Any:
        """The term of a graph node (document, body, person, agency, task)."""
        t = self._iri.get(n)
        if t is None:
            t = self._iri[n] = self.t.iri(self.raw(n))
        return t

    def raw(self, n: str) -> str:
        """The IRI of a graph node, as a string."""
        r = self._raw.get(n)
        if r is None:
            r = self._raw[n] = self._mint_node(n)
        return r

    def _mint_node(self, n: str) -> str:
        kind = self.G._node.get(n, {}).get("kind")
        if kind == "organization":
            return self.mint.org(n[len("org:"):])
        if kind == "person":
            return self.mint.person(n)
        if kind == "agency":
            return self.mint.agency(n)
        if kind == "task":
            return self._task_iri(n)
        return self.mint.doc(n)

    def _task_iri(self, n: str) -> str:
        doc = self.plan_of.get(n)
        if doc is not None and n.startswith(f"task:{doc}#"):
            return f"{self.raw(doc)}/task/{_path(n[len(doc) + 6:])}"
        for doc in self.G._pred[n]:
            prefix = f"task:{doc}#"
            if n.startswith(prefix):
                return f"{self.raw(doc)}/task/{_path(n[len(prefix):])}"
        return f"{self.mint.base}task/{slug(n)}-{_tag(n)}"

    def const(self, value: str, datatype: str | None = None) -> Any:
        """A literal that repeats often (levels of recurrence, sections, booleans), made once."""
        k = (value, datatype, None)
        t = self._lit_cache.get(k)
        if t is None:
            t = self._lit_cache[k] = self.lit(value, datatype)
        return t

    def unit(self, province: str | None, district: str | None, date: str | None) -> Any:
        """The concept of a jurisdiction (recorded for :meth:`unit_blocks`), or None."""
        if not province:
            return None
        u = _unit_for(province, district, date)
        if u is not None and (district is None or u.level == "district"):
            key = unit_iri(u)
            self.units.setdefault(key, u)
        else:
            name = f"{province}/{district}" if district else province
            key = self.mint.place(name)
            if key not in self.units:
                parent = self.unit(province, None, date) if district else None
                self.units[key] = (name, "district" if district else "province", parent)
        t = self._iri.get(key)
        if t is None:
            t = self._iri[key] = self.t.iri(key)
        return t

    # -- descriptions -----------------------------------------------------------------------------

    def document(self, k: str, d: dict[str, Any], relations: bool = False) -> list[Triple]:
        """The triples of one document node; with ``relations``, its links to other documents too."""
        V, P, lit = self.V, self.p, self.lit
        s = self.node(k)
        get = d.get
        out: list[Triple] = [(s, V.RDF_type, V.ELI_Work), (s, V.DCTERMS_identifier, lit(k)),
                             (s, V.RDFS_label, lit(get("label") or k))]
        add = out.append
        dtype = _doctype_slug(get("type"))
        legal = dtype in LEGAL_TYPES and get("branch") == "state"
        if legal:
            add((s, V.RDF_type, V.ELI_LegalResource))
        plan = dtype in PLAN_TYPES
        later: list[Triple] = []
        nodes = self.G._node
        for other, edges in self.G._succ[k].items():
            if "has_task" in edges:
                plan = True
                continue
            if "issued_by" in edges:
                later.append((s, V.ELI_passed_by, self.node(other)))
            if "signed_by" in edges:
                later.extend(self.signature(k, other, edges["signed_by"]))
            if relations and nodes[other].get("kind") == "document":
                o = self.node(other)
                for rel in edges:
                    pred, sup = self._relations.get(rel, self._refers_to)
                    later.append((s, pred, o))
                    if sup is not None:
                        later.append((s, sup, o))
        if plan:
            add((s, V.RDF_type, V.PPLAN_Plan))
        if number := get("number"):
            add((s, V.ELI_id_local, lit(number)))
            if m := _NUMBER_PART.match(number):
                add((s, V.ELI_number, lit(m.group())))
        if title := get("title"):
            add((s, V.DCTERMS_title, lit(title, None, "vi")))
        if dtype:
            self.doctypes.add(dtype)
            c = self.t.iri(f"{DOCTYPE}{dtype}")
            add((s, V.ELI_work_type, c))
            if legal:
                add((s, V.ELI_type_document, c))
        typed = _typed_date(get("date"))
        if typed and typed[1] == _XSD_DATE:
            add((s, V.ELI_date_document, lit(*typed)))
        elif typed and typed[1] in (_XSD_GYEAR, _XSD_GYEARMONTH):
            add((s, V.DCTERMS_date, lit(*typed)))
        level = get("level")
        if level in _LEVELS:
            add((s, V.CAS_level, P(_LEVELS[level])))
        if get("branch") in _BRANCHES:
            add((s, V.CAS_branch, P(_BRANCHES[d["branch"]])))
        if level == "central":
            add((s, V.ELI_jurisdiction, self.unit_vn()))
        elif level in ("province", "district", "commune"):
            u = self.unit(get("province"), get("district") if level != "province" else None, get("date"))
            if u is not None:
                add((s, V.ELI_jurisdiction, u))
        if get("plenum") is not None:
            add((s, V.CAS_plenum, lit(str(int(d["plenum"])), _XSD_INTEGER)))
        if term := get("term"):
            add((s, V.CAS_term, lit(str(term))))
        conf = get("confidence")
        if isinstance(conf, (int, float)) and conf < 1:
            add((s, V.CAS_confidence, lit(f"{conf:.3f}".rstrip("0").rstrip(".") or "0", _XSD_DECIMAL)))
        add((s, V.CAS_inCorpus, self.const("true" if get("in_corpus") else "false", _XSD_BOOLEAN)))
        for src in _sources(d):
            add((s, V.CAS_sourceFile, self.const(src)))
        out += later
        return out

    def signature(self, k: str, person: str, e: dict[str, Any]) -> list[Triple]:
        V = self.V
        s, who = self.node(k), self.node(person)
        a = self.t.iri(f"{self.raw(k)}/signature/{_tag(person)}")
        out: list[Triple] = [(s, V.ELI_passed_by, who), (s, V.PROV_qualifiedAttribution, a),
                             (a, V.RDF_type, V.PROV_Attribution), (a, V.PROV_agent, who),
                             (a, V.PROV_hadRole, V.CAS_SignatoryRole)]
        if e.get("capacity"):
            out.append((a, V.CAS_signingCapacity, self.lit(e["capacity"])))
        if e.get("title"):
            out.append((a, V.CAS_signingTitle, self.lit(e["title"], None, "vi")))
        return out

    def relations(self, k: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(relation, target, edge data) for the relations of document ``k`` to other documents."""
        nodes = self.G._node
        for other, edges in self.G._succ[k].items():
            if nodes[other].get("kind") != "document":
                continue
            for rel, e in edges.items():
                yield rel, other, e

    def relation_triples(self, k: str, rel: str, other: str) -> list[Triple]:
        pred, sup = self._relations.get(rel, self._refers_to)
        s, o = self.node(k), self.node(other)
        out: list[Triple] = [(s, pred, o)]
        if sup is not None:
            out.append((s, sup, o))
        return out

    def task(self, n: str, d: dict[str, Any], plan: str | None) -> list[Triple]:
        """One task (``p-plan:Step``) with its agencies, deadline and reporting duties."""
        (a, step, action, label, status, potential, step_of, description, section_p, deliverable_p,
         deadline_p, recurrence_p, deadline_text_p, start_p, end_p, source_p, span_p) = self._task_terms
        lit, node = self.lit, self.node
        s = node(n)
        get = d.get
        out: list[Triple] = [(s, a, step), (s, a, action), (s, label, lit(get("label") or n)),
                             (s, status, potential)]
        add = out.append
        if plan is not None:
            add((s, step_of, node(plan)))
        if text := get("text"):
            add((s, description, lit(text, None, "vi")))
        if section := get("section"):
            add((s, section_p, self.const(section)))
        if deliverable := get("deliverable"):
            add((s, deliverable_p, lit(deliverable, None, "vi")))
        if (due := get("due")) and (typed := _typed_date(due)):
            add((s, deadline_p, lit(*typed)))
        if recurrence := get("recurrence"):
            add((s, recurrence_p, self.const(recurrence)))
        if deadline_text := get("deadline_text"):
            add((s, deadline_text_p, lit(deadline_text, None, "vi")))
        if (start := get("start")) and (typed := _typed_date(start)):
            add((s, start_p, lit(*typed)))
        if (end := get("end")) and (typed := _typed_date(end)):
            add((s, end_p, lit(*typed)))
        if source := get("evidence_source"):
            add((s, source_p, self.const(source)))
        if span := get("evidence_span"):
            add((s, span_p, lit(span)))
        roles, known = self._roles, self._iri
        for other, edges in self.G._succ[n].items():                # agencies, in the order of the text
            o = known.get(other) or node(other)
            for rel, e in edges.items():
                pred = roles.get(rel)
                if pred is not None:
                    add((s, pred, o))
                elif rel == "reports_to":
                    out.extend(self.report(n, s, other, e))
        return out

    def report(self, n: str, s: Any, agency: str, e: dict[str, Any]) -> list[Triple]:
        """A reporting duty of task ``n`` (term ``s``) to ``agency``."""
        V = self.V
        r = self.t.iri(f"{self.raw(n)}/report/{_tag(agency)}")
        out: list[Triple] = [(s, V.CAS_reportingDuty, r), (r, V.RDF_type, V.CAS_ReportingDuty),
                             (r, V.CAS_reportTo, self.node(agency))]
        typed = _typed_date(e.get("due"))
        if typed:
            out.append((r, V.CAS_deadline, self.lit(*typed)))
        if e.get("recurrence"):
            out.append((r, V.CAS_recurrence, self.const(str(e["recurrence"]))))
        if e.get("deadline_text"):
            out.append((r, V.CAS_deadlineText, self.lit(e["deadline_text"], None, "vi")))
        return out

    def body(self, n: str, d: dict[str, Any]) -> list[Triple]:
        """An issuing body (``organization``) or an agency that must act (``agency``)."""
        V, P, lit = self.V, self.p, self.lit
        s = self.node(n)
        name = d.get("label") or d.get("name") or n
        out: list[Triple] = [(s, V.RDF_type, V.ORG_Organization)]
        if d.get("kind") == "agency":
            if d.get("group"):
                out.append((s, V.RDF_type, V.CAS_AgencyGroup))
            out.append((s, V.DCTERMS_identifier, lit(n[len("agency:"):])))
            scope = n.rpartition("@")[2]
            if scope == "VN":
                out.append((s, V.DCTERMS_spatial, self.unit_vn()))
            else:
                u = self.unit(d.get("province"), d.get("district"), None)
                if u is not None:
                    out.append((s, V.DCTERMS_spatial, u))
        else:
            if d.get("branch") == "state":
                out.append((s, V.RDF_type, self.t.iri("http://data.europa.eu/m8g/PublicOrganisation")))
            if d.get("branch") in _BRANCHES:
                out.append((s, V.ORG_classification, P(_BRANCHES[d["branch"]])))
            if d.get("level") in _LEVELS:
                out.append((s, V.CAS_level, P(_LEVELS[d["level"]])))
            if d.get("level") == "central":
                out.append((s, V.DCTERMS_spatial, self.unit_vn()))
            else:
                u = self.unit(d.get("province"), None, None)
                if u is not None:
                    out.append((s, V.DCTERMS_spatial, u))
        out.append((s, V.SKOS_prefLabel, lit(name, lang="vi")))
        out.append((s, V.RDFS_label, lit(name)))
        return out

    def person(self, n: str, d: dict[str, Any]) -> list[Triple]:
        V = self.V
        s = self.node(n)
        name = d.get("name") or d.get("label") or n
        return [(s, V.RDF_type, V.SDO_Person), (s, V.RDF_type, V.PROV_Agent),
                (s, V.SDO_name, self.lit(name)), (s, V.RDFS_label, self.lit(name))]

    def unit_vn(self) -> Any:
        return self.V.ADMINUNIT_VN

    # -- shared blocks ----------------------------------------------------------------------------

    def dataset(self) -> list[Triple]:
        """The dataset, the build run and the software, for provenance."""
        V, lit = self.V, self.lit
        base = self.mint.base
        built = str(self.G.graph.get("built") or "")
        version = str(self.G.graph.get("cascade_version") or __version__)
        ds = self.t.iri(base)
        agent = self.t.iri(f"{base}agent/cascade-{_segment(version)}")
        out: list[Triple] = [
            (ds, V.RDF_type, V.VOID_Dataset),
            (ds, V.DCTERMS_title, lit("cascade: implementation cascades of directives and plans", lang="en")),
            (ds, V.VOID_uriSpace, lit(base)),
            (ds, V.DCTERMS_conformsTo, self.t.iri("https://example.org/cascade/ontology")),
            (agent, V.RDF_type, V.PROV_SoftwareAgent),
            (agent, V.RDFS_label, lit(f"cascade {version}")),
        ]
        if built:
            run = self.t.iri(self.mint.run(built))
            stamp = lit(built, _XSD_DATETIME)
            out += [(ds, V.DCTERMS_modified, stamp), (ds, V.PROV_wasGeneratedBy, run),
                    (run, V.RDF_type, V.PROV_Activity), (run, V.PROV_endedAtTime, stamp),
                    (run, V.PROV_wasAssociatedWith, agent)]
        return out

    def run_term(self) -> Any | None:
        built = self.G.graph.get("built")
        return self.t.iri(self.mint.run(str(built))) if built else None

    def vocabulary_blocks(self) -> list[Triple]:
        """The code lists the graph uses: levels, branches, the signatory role, used document types."""
        g = _ontology()
        subjects: list[URIRef] = [CAS.Levels, CAS.Branches, CAS.DocumentTypes, CAS.AdminUnitsPre2025,
                                  CAS.AdminUnits2025, ADMINUNIT.VN, CAS.SignatoryRole, *_LEVELS.values(),
                                  *_BRANCHES.values()]
        if any(not hasattr(u, "era") for u in self.units.values()):
            subjects.append(CAS.UnlistedAdminUnits)
        subjects += [DOCTYPE[s] for s in sorted(self.doctypes)]
        out: list[Triple] = []
        for s in subjects:
            st = self.t.iri(str(s))
            for p, o in sorted(g.predicate_objects(s)):
                if p in (RDFS.comment, SKOS.scopeNote):
                    continue
                out.append((st, self.t.iri(str(p)), self._from_rdflib(o)))
        return out

    def _from_rdflib(self, o: Any) -> Any:
        if isinstance(o, URIRef):
            return self.t.iri(str(o))
        return self.t.lit(str(o), str(o.datatype) if o.datatype else None, o.language)

    def unit_blocks(self) -> list[Triple]:
        """Every province of both eras and the districts the graph names, as SKOS concepts."""
        from cascade.vn import places

        for era in places.ERAS:
            for u in places.provinces(era):
                self.units.setdefault(unit_iri(u), u)
        for u in list(self.units.values()):               # the provinces of the districts used
            if hasattr(u, "era") and u.level == "district":
                p = places.find_province(u.province or "", "pre2025")
                if p is not None:
                    self.units.setdefault(unit_iri(p), p)
        V, P, lit = self.V, self.p, self.lit
        succ_of: dict[str, list[str]] = defaultdict(list)
        out: list[Triple] = []
        for key in sorted(self.units, key=_unit_order):
            u = self.units[key]
            s = self.t.iri(key)
            if not hasattr(u, "era"):                    # a place the gazetteer does not know
                name, level, parent = u
                out += [(s, V.RDF_type, V.SKOS_Concept), (s, V.RDF_type, V.ELI_AdministrativeArea),
                        (s, V.SKOS_inScheme, V.CAS_UnlistedAdminUnits),
                        (s, V.SKOS_prefLabel, lit(name, lang="vi")), (s, V.CAS_level, P(_LEVELS[level])),
                        (s, V.SKOS_broader, parent if parent is not None else self.unit_vn())]
                continue
            out += [(s, V.RDF_type, V.SKOS_Concept), (s, V.RDF_type, V.ELI_AdministrativeArea),
                    (s, V.SKOS_inScheme, P(_ERA_SCHEME[u.era])),
                    (s, V.SKOS_prefLabel, lit(u.full_name, lang="vi")),
                    (s, V.SKOS_altLabel, lit(u.name, lang="vi")),
                    (s, V.SKOS_notation, lit(u.code)), (s, V.CAS_level, P(_LEVELS[u.level]))]
            if u.level == "district":
                parent = f"{ADMINUNIT}{_ERA_NAMES[u.era]}-{u.province_code}"
                out.append((s, V.SKOS_broader, self.t.iri(parent)))
            else:
                out.append((s, V.SKOS_broader, self.unit_vn()))
            start, end = ERA_VALIDITY[u.era]
            if start:
                out.append((s, V.SDO_validFrom, self.const(start, _XSD_DATE)))
            if end:
                out.append((s, V.SDO_validThrough, self.const(end, _XSD_DATE)))
            if u.level == "province" and u.era == "pre2025" and u.successor:
                new = places.find_province(u.successor, "2025")
                if new is not None:
                    out.append((s, V.DCTERMS_isReplacedBy, self.t.iri(unit_iri(new))))
                    succ_of[unit_iri(new)].append(key)
        for new_key, olds in sorted(succ_of.items()):
            s = self.t.iri(new_key)
            out += [(s, V.DCTERMS_replaces, self.t.iri(k)) for k in sorted(olds)]
        return out


def _unit_order(key: str) -> tuple[int, str]:
    return (0 if key.startswith(str(ADMINUNIT)) else 1, key)


def _sources(d: dict[str, Any]) -> list[str]:
    """The input files a document node was read from."""
    out = [s for s in str(d.get("sources") or "").split("; ") if s]
    if d.get("source") and d["source"] not in out:
        out.insert(0, d["source"])
    return out


#: every vocabulary term the maker writes, by namespace: ``V.ELI_Work`` etc. in :class:`_Maker`
_VOCABULARY_TERMS: dict[str, tuple[Any, str]] = {
    "RDF": (RDF, "Statement object predicate subject type"),
    "RDFS": (RDFS, "label"),
    "ELI": (ELI, "AdministrativeArea LegalResource Work amends based_on cites date_document "
                  "ensures_implementation_of id_local jurisdiction number passed_by refers_to "
                  "repeals type_document work_type"),
    "DCTERMS": (DCTERMS, "conformsTo date identifier isReplacedBy modified replaces spatial title"),
    "PPLAN": (PPLAN, "Plan Step isStepOfPlan"),
    "PROV": (PROV, "Activity Agent Attribution Entity SoftwareAgent agent endedAtTime hadRole "
                  "qualifiedAttribution wasAssociatedWith wasDerivedFrom wasGeneratedBy"),
    "SDO": (SDO, "Action Person PotentialActionStatus actionStatus description name validFrom "
                  "validThrough"),
    "ORG": (ORG, "Organization classification"),
    "SKOS": (SKOS, "Concept altLabel broader inScheme notation prefLabel"),
    "VOID": (VOID, "Dataset uriSpace"),
    "CAS": (CAS, "AdminUnits2025 AdminUnitsPre2025 AgencyGroup CentralLevel CommuneLevel "
                  "DistrictLevel Evidence PartyBranch ProvinceLevel ReportingDuty SignatoryRole "
                  "SourceGraph StateBranch UnlistedAdminUnits branch confidence continues "
                  "cooperatingAgency deadline deadlineText deliverable focalAgency guides "
                  "implements inCorpus leadAgency level periodEnd periodStart plenum quote recurrence "
                  "reportTo "
                  "reportingDuty requestedAgency section signingCapacity signingTitle sourceFile "
                  "span term"),
    "ADMINUNIT": (ADMINUNIT, "VN"),
}
_VOCABULARY: dict[str, URIRef] = {
    f"{ns}_{name}": getattr(obj, name)
    for ns, (obj, names) in _VOCABULARY_TERMS.items() for name in names.split()}


def _blocks(src: _Source, terms: Any, base: str | None, *, named: bool) -> Iterator[Block]:
    """The corpus as blocks of triples: the merged graph (``named=False``) or the dataset.

    In the dataset a document read from a file, its tasks and the relations the file states
    (with their evidence) go to the file's named graph; everything else to the default graph.
    """
    mk = _Maker(src, terms, base)
    yield None, mk.dataset()
    _index_plans(mk)
    yield from _node_blocks(mk, mk.G.nodes(data=True), named=named)
    if named:
        yield from _named_blocks(mk, mk.plan_of)
    yield None, mk.unit_blocks()
    yield None, mk.vocabulary_blocks()


def _index_plans(mk: _Maker) -> None:
    """Record the document of every task (``mk.plan_of``)."""
    G, plans = mk.G, mk.plan_of
    for n, d in G.nodes(data=True):
        if d.get("kind") == "document":
            for t, edges in G._succ[n].items():
                if "has_task" in edges:
                    plans.setdefault(t, n)


def _node_blocks(mk: _Maker, items: Iterable[tuple[str, dict[str, Any]]], *, named: bool) -> Iterator[Block]:
    """The default-graph blocks of some nodes (in the merged graph: everything about them)."""
    plans = mk.plan_of
    for n, d in items:
        kind = d.get("kind")
        if kind == "document":
            if named and d.get("in_corpus"):
                continue
            yield None, mk.document(n, d, relations=not named)
        elif kind in ("organization", "agency"):
            yield None, mk.body(n, d)
        elif kind == "person":
            yield None, mk.person(n, d)
        elif kind == "task" and not named:
            yield None, mk.task(n, d, plans.get(n))


def _named_blocks(mk: _Maker, plans: dict[str, str]) -> Iterator[Block]:
    """One named graph per input file: its document, its tasks, the relations it states and their evidence."""
    G, V = mk.G, mk.V
    by_source: dict[str, list[tuple[str, str, str, dict[str, Any]]]] = defaultdict(list)
    own: dict[str, str] = {}                      # source -> the document it is
    for n, d in G.nodes(data=True):
        if d.get("kind") != "document":
            continue
        for src in _sources(d):
            own.setdefault(src, n)
        for rel, other, e in mk.relations(n):
            for src in str(e.get("asserted_by") or "").split("; "):
                if src:
                    by_source[src].append((n, rel, other, e))
    tasks_of: dict[str, list[str]] = defaultdict(list)
    for t, doc in plans.items():
        d = G.nodes[t]
        src = d.get("evidence_source") or G.nodes[doc].get("source") or ""
        tasks_of[src].append(t)
    evidence = _evidence_index(mk.corpus)
    run = mk.run_term()
    sources = list(dict.fromkeys([*own, *by_source, *tasks_of]))
    for src in sources:
        g = mk.mint.graph(src)
        gt = mk.t.iri(g)
        meta: list[Triple] = [(gt, V.RDF_type, V.CAS_SourceGraph), (gt, V.RDF_type, V.PROV_Entity),
                              (gt, V.CAS_sourceFile, mk.lit(src))]
        this = own.get(src)
        if this is not None:
            meta.append((gt, V.PROV_wasDerivedFrom, mk.node(this)))
        if run is not None:
            meta.append((gt, V.PROV_wasGeneratedBy, run))
        yield None, meta
        triples: list[Triple] = []
        if this is not None and G.nodes[this].get("source", src) == src:
            triples += mk.document(this, G.nodes[this])
        for t in tasks_of.get(src, ()):
            triples += mk.task(t, G.nodes[t], plans[t])
        for a, rel, b, e in by_source.get(src, ()):
            stated = mk.relation_triples(a, rel, b)
            triples += stated
            s, p, o = stated[0]
            for ev in _evidence_for(evidence, a, rel, b, src, e):
                x = mk.t.iri(f"{g}#ev-{_tag(f'{a}|{rel}|{b}|{ev[0]}', 8)}")
                triples += [(x, V.RDF_type, V.CAS_Evidence), (x, V.RDF_type, V.RDF_Statement),
                            (x, V.RDF_subject, s), (x, V.RDF_predicate, p), (x, V.RDF_object, o),
                            (x, V.CAS_sourceFile, mk.lit(src)), (x, V.CAS_span, mk.lit(ev[0]))]
                if ev[1]:
                    triples.append((x, V.CAS_quote, mk.lit(ev[1], lang="vi")))
                if this is not None:
                    triples.append((x, V.PROV_wasDerivedFrom, mk.node(this)))
        yield g, triples


def _evidence_index(corpus: Corpus | None) -> dict[tuple[str, str, str], tuple[Evidence, ...]]:
    if corpus is None:
        return {}
    return {(e.source, e.type, e.target): e.evidence for e in corpus.edges}


def _evidence_for(index: dict[tuple[str, str, str], tuple[Evidence, ...]], a: str, rel: str, b: str, src: str,
                  e: dict[str, Any]) -> list[tuple[str, str]]:
    """(span, quote) of each statement of edge ``a -rel-> b`` in file ``src``."""
    found: dict[str, str] = {}
    for ev in index.get((a, rel, b), ()):
        if ev.source == src:
            found.setdefault(f"{ev.start}-{ev.end}", ev.quote)
    if not found and e.get("evidence_source") == src and e.get("evidence_span"):
        found[str(e["evidence_span"])] = str(e.get("evidence") or "")
    return list(found.items())


# -- streaming writers ----------------------------------------------------------------------------------

_PN_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class _TurtleTerms(_NTTerms):
    """Terms as Turtle text: vocabulary IRIs as prefixed names (``rdf:type`` as ``a``), minted IRIs whole.

    Only ever used where ``rdf:type`` is a predicate, which is the only place the maker writes it.
    """

    def __init__(self, base: str):
        super().__init__()
        self.prefixes = _LONGEST_FIRST
        self.data = base
        self.inner = tuple(ns for ns, _ in self.prefixes if ns.startswith(base))
        self.cache: dict[str, str] = {str(RDF.type): "a"}

    def iri(self, value: str) -> str:
        if value.startswith(self.data) and not value.startswith(self.inner):
            return f"<{value}>"
        c = self.cache.get(value)
        if c is None:
            c = self.cache[value] = _prefixed(value, self.prefixes) or f"<{value}>"
        return c

    def _datatype(self, datatype: str) -> str:
        return _prefixed(datatype, self.prefixes) or f"<{datatype}>"


#: (namespace, prefix) pairs of :data:`PREFIXES`, longest namespace first
_LONGEST_FIRST = sorted(((ns, p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))


def _prefixed(iri: str, prefixes: Sequence[tuple[str, str]]) -> str | None:
    """``prefix:local`` when one of ``prefixes`` (longest first) covers ``iri`` with a simple local name."""
    for ns, p in prefixes:
        if iri.startswith(ns) and _PN_LOCAL.match(iri[len(ns):]):
            return f"{p}:{iri[len(ns):]}"
    return None


def _header() -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + "\n"


def _turtle_block(triples: list[Triple], indent: str = "") -> str:
    """Turtle statements for triples in Turtle terms, subjects and predicates grouped as they come."""
    parts: list[str] = []
    add = parts.append
    prev_s = prev_p = None
    more = f" ;\n{indent}    "
    for s, p, o in triples:
        if s != prev_s:
            if prev_s is not None:
                add(" .\n")
            add(f"{indent}{s} {p} {o}")
            prev_s, prev_p = s, p
        elif p != prev_p:
            add(f"{more}{p} {o}")
            prev_p = p
        else:
            add(f" , {o}")
    if prev_s is not None:
        add(" .\n")
    return "".join(parts)


def _write_stream(blocks: Iterable[Block], fmt: str, out: IO[str], *, header: bool = True) -> int:
    """Write blocks of text terms (N-Triples terms for nt/nq, Turtle terms for ttl/trig) as ``fmt``.

    Returns the number of statements written.
    """
    w = out.write
    n = 0
    if fmt in ("nt", "nq"):
        for g, triples in blocks:
            tail = f" <{g}> .\n" if (g is not None and fmt == "nq") else " .\n"
            w("".join([f"{s} {p} {o}{tail}" for s, p, o in triples]))
            n += len(triples)
        return n
    if header:
        w(_header())
    for g, triples in blocks:
        if not triples:
            continue
        if g is None or fmt == "ttl":
            w(_turtle_block(triples))
        else:
            w(f"\n<{g}> {{\n{_turtle_block(triples, '    ')}}}\n\n")
        n += len(triples)
    return n


@cache
def context() -> dict[str, Any]:
    """The JSON-LD context shipped in ``resources/context.jsonld`` (its ``@context`` object)."""
    text = (files("cascade") / "resources" / "context.jsonld").read_text(encoding="utf-8")
    return json.loads(text)["@context"]


class _JsonCompactor:
    """Compacts values under the shipped context: terms where their coercion fits, CURIEs otherwise."""

    def __init__(self) -> None:
        ctx = context()
        self.prefixes = sorted(((v, k) for k, v in ctx.items() if isinstance(v, str) and v[-1:] in "/#"),
                               key=lambda x: -len(x[0]))
        self.terms: dict[str, list[tuple[str, str | None, str | None]]] = defaultdict(list)
        for term, v in ctx.items():
            if isinstance(v, dict) and "@id" in v:
                self.terms[self.expand(v["@id"])].append((term, v.get("@type"), v.get("@language")))
        self._curie: dict[str, str] = {}

    def expand(self, curie: str) -> str:
        p, _, local = curie.partition(":")
        ns = context().get(p)
        return ns + local if isinstance(ns, str) and local else curie

    def curie(self, iri: str) -> str:
        c = self._curie.get(iri)
        if c is None:
            c = iri
            for ns, p in self.prefixes:
                if iri.startswith(ns) and _PN_LOCAL.match(iri[len(ns):]):
                    c = f"{p}:{iri[len(ns):]}"
                    break
            self._curie[iri] = c
        return c

    def entry(self, pred: str, value: Any) -> tuple[str, Any]:
        """(key, value) of one statement in a node object."""
        for term, typ, lang in self.terms.get(pred, ()):
            if typ == "@id" and isinstance(value, dict) and "@id" in value:
                return term, value["@id"]
            if typ and typ != "@id" and isinstance(value, dict) and self.expand(typ) == value.get("@type"):
                return term, value["@value"]
            if lang and isinstance(value, dict) and value.get("@language") == lang:
                return term, value["@value"]
            if typ is None and lang is None and not isinstance(value, dict):
                return term, value
        key = self.curie(pred)
        if isinstance(value, dict) and "@type" in value:
            value = {"@value": value["@value"], "@type": self.curie(value["@type"])}
        return key, value


def _write_jsonld(blocks: Iterable[Block], out: IO[str]) -> int:
    """JSON-LD: the shipped context inline, then one node object per subject and block."""
    jc = _JsonCompactor()
    w = out.write
    w('{\n"@context": ')
    w(json.dumps(context(), ensure_ascii=False, indent=1))
    w(',\n"@graph": [')
    first = True
    n = 0
    rdf_type = str(RDF.type)
    for _, triples in blocks:
        nodes: dict[str, dict[str, Any]] = {}
        for s, p, o in triples:
            sid = s["@id"]
            node = nodes.get(sid)
            if node is None:
                node = nodes[sid] = {"@id": sid}
            pred = p["@id"]
            if pred == rdf_type:
                node.setdefault("@type", []).append(jc.curie(o["@id"]))
                continue
            key, value = jc.entry(pred, o)
            old = node.get(key)
            if old is None:
                node[key] = value
            elif isinstance(old, list):
                old.append(value)
            else:
                node[key] = [old, value]
        n += len(triples)
        for node in nodes.values():
            w("\n" if first else ",\n")
            first = False
            w(json.dumps(node, ensure_ascii=False))
    w("\n]\n}\n")
    return n


# -- engines ----------------------------------------------------------------------------------------

def _source(source: Any, corpus: Corpus | None = None) -> _Source:
    """A build, a build folder, or a graph -> what the makers read."""
    from cascade.corpus.build import Build

    if isinstance(source, _Source):
        return source
    if isinstance(source, Build):
        return _Source(source.graph, corpus if corpus is not None else source.corpus)
    if isinstance(source, nx.MultiDiGraph):
        return _Source(source, corpus)
    if isinstance(source, (str, Path)) or source is None:
        return load_source(source, evidence=True)
    raise TypeError(f"expected a Build, a build folder or a MultiDiGraph, not {type(source).__name__}")


def load_source(out: str | Path | None = None, *, evidence: bool = True) -> _Source:
    """The graph of a build folder and, with ``evidence``, its records resolved again for the evidence.

    Only the build folder is read (graph.pickle and records.jsonl), never the texts.
    """
    from cascade.corpus.build import load, load_records
    from cascade.identity.documents import resolve

    b = load(out)
    corpus = None
    if evidence:
        try:
            corpus = resolve(load_records(out))
        except BuildError:
            corpus = None
    return _Source(b.graph, corpus)


def _base(base: str | None, out: str | Path | None = None) -> str:
    """The base IRI: the argument, ``$CASCADE_BASE``, the one the build's cascade.ttl used, or the default."""
    if base:
        return check_base(base)
    env = os.environ.get("CASCADE_BASE")
    if env:
        return check_base(env)
    if out is not None:
        found = _recorded_base(Path(out) / TURTLE_FILE)
        if found:
            return found
    return DEFAULT_BASE


def _recorded_base(path: Path) -> str | None:
    """The ``void:uriSpace`` near the top of a Turtle file written by this module."""
    try:
        with path.open(encoding="utf-8") as f:
            head = f.read(8192)
    except OSError:
        return None
    m = re.search(r'void:uriSpace "([^"\\]+)"', head)
    return m.group(1) if m else None


def _rdflib_terms_blocks(src: _Source, base: str | None, named: bool) -> Iterator[Block]:
    return _blocks(src, _RdflibTerms(), base, named=named)


def to_graph(source: Any = None, *, base: str | None = None) -> Graph:
    """The merged graph as an rdflib ``Graph`` (prefixes bound).

    Args:
        source: a :class:`cascade.corpus.build.Build`, a build folder (default: the last build),
            or the ``MultiDiGraph`` of :func:`cascade.graph.build_graph`.
        base: base IRI of the minted IRIs (default :data:`DEFAULT_BASE`).
    """
    src = _source(source) if not isinstance(source, nx.MultiDiGraph) else _Source(source)
    g = bind_prefixes(Graph(bind_namespaces="none"))
    add = g.add
    for _, triples in _rdflib_terms_blocks(src, _base(base), False):
        for t in triples:
            add(t)
    return g


def to_dataset(source: Any = None, *, base: str | None = None, corpus: Corpus | None = None) -> Dataset:
    """The dataset as an rdflib ``Dataset``: one named graph per input file, with the evidence.

    Args:
        source: as for :func:`to_graph`; a build or build folder carries the evidence of
            every statement, a bare graph only the first statement's.
        base: base IRI of the minted IRIs.
        corpus: the resolved corpus, when ``source`` is a bare graph and full evidence is wanted.
    """
    src = _source(source, corpus)
    ds = Dataset()
    bind_prefixes(ds)
    default = ds.default_graph
    graphs: dict[str, Graph] = {}
    for g, triples in _rdflib_terms_blocks(src, _base(base), True):
        if g is None:
            target = default
        elif g in graphs:
            target = graphs[g]
        else:
            target = graphs[g] = ds.graph(URIRef(g))
        for t in triples:
            target.add(t)
    return ds


def dumps(source: Any = None, fmt: str = "ttl", *, base: str | None = None, engine: str = "stream") -> str:
    """The corpus as text in ``fmt`` (ttl, nt, jsonld: the merged graph; trig, nq: the dataset).

    ``engine`` is ``stream`` (fast), ``oxigraph`` or ``rdflib``: the same triples either way.
    """
    buf = io.StringIO()
    folder = source if isinstance(source, (str, Path)) else None
    _write(_source(source), _format(fmt), buf, _base(base, folder), engine)
    return buf.getvalue()


def write(source: Any, path: str | Path, fmt: str | None = None, *, base: str | None = None,
          engine: str = "stream") -> Path:
    """Write the corpus to ``path`` (format from ``fmt`` or the extension), atomically."""
    from cascade.outputs.export import atomic_open

    f = _format(fmt) if fmt else format_of(path)
    src = _source(source)
    with atomic_open(path) as out:
        _write(src, f, out, _base(base, source if isinstance(source, (str, Path)) else None), engine)
    return Path(path)


#: graphs with at least this many nodes are written by two processes (stream engine, ttl and nt)
PARALLEL_NODES = 50_000


def _write(src: _Source, fmt: str, out: IO[str], base: str, engine: str, workers: int | None = None) -> int:
    """Write ``src`` as ``fmt`` with one engine; returns the number of statements.

    ``workers`` is 1 or 2; by default two processes share a large merged graph (Turtle or
    N-Triples) where the system can fork and has two cores. The output is the same.
    """
    if workers is None:
        workers = 2 if (src.G.number_of_nodes() >= PARALLEL_NODES and (os.cpu_count() or 1) > 1) else 1
    with paused_gc():
        if workers > 1 and engine == "stream" and fmt in ("ttl", "nt") and sys.platform.startswith("linux"):
            return _write_forked(src, fmt, out, base)
        return _write_engine(src, fmt, out, base, engine)


def _write_forked(src: _Source, fmt: str, out: IO[str], base: str) -> int:
    """The merged graph written by two processes: a forked child writes the second half of the
    nodes to a temporary file while this process writes the first; the gazetteer concepts the
    two halves use are merged before they are written. Byte for byte the sequential output."""
    import pickle
    import tempfile

    terms = _NTTerms() if fmt == "nt" else _TurtleTerms(base)
    mk = _Maker(src, terms, base)
    _index_plans(mk)
    items = list(mk.G.nodes(data=True))
    half = len(items) * 9 // 20                   # this process also copies the rest and writes units
    with tempfile.TemporaryFile() as spool:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:                                      # the child: the second half
            code = 1
            try:
                os.close(r)
                text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
                count = _write_stream(_node_blocks(mk, items[half:], named=False), fmt, text, header=False)
                text.flush()
                payload = pickle.dumps((count, mk.units, mk.doctypes))
                view = memoryview(payload)
                while view:
                    view = view[os.write(w, view):]
                code = 0
            finally:
                os._exit(code)
        os.close(w)
        try:
            n = 0
            if fmt == "ttl":
                out.write(_header())
            n += _write_stream([(None, mk.dataset())], fmt, out, header=False)
            n += _write_stream(_node_blocks(mk, items[:half], named=False), fmt, out, header=False)
            chunks = []
            while chunk := os.read(r, 1 << 16):
                chunks.append(chunk)
        finally:
            os.close(r)
            _, status = os.waitpid(pid, 0)
        if status != 0 or not chunks:
            raise ExportError("the second writer process failed")
        count, units, doctypes = pickle.loads(b"".join(chunks))
        n += count
        for key, u in units.items():
            mk.units.setdefault(key, u)
        mk.doctypes |= doctypes
        spool.seek(0)
        binary = getattr(out, "buffer", None)
        if binary is not None:
            out.flush()
            shutil.copyfileobj(spool, binary, 1 << 20)
            binary.flush()
        else:
            reader = io.TextIOWrapper(spool, encoding="utf-8", newline="")
            shutil.copyfileobj(reader, out, 1 << 22)
            reader.detach()
        n += _write_stream([(None, mk.unit_blocks()), (None, mk.vocabulary_blocks())], fmt, out, header=False)
    return n


def _write_engine(src: _Source, fmt: str, out: IO[str], base: str, engine: str) -> int:
    named = FORMATS[fmt].dataset
    if engine == "stream":
        if fmt == "jsonld":
            return _write_jsonld(_blocks(src, _JsonTerms(), base, named=False), out)
        terms = _NTTerms() if fmt in ("nt", "nq") else _TurtleTerms(base)
        return _write_stream(_blocks(src, terms, base, named=named), fmt, out)
    if engine == "oxigraph":
        import pyoxigraph as ox

        n = 0

        def statements() -> Iterator[Any]:
            nonlocal n
            dg = ox.DefaultGraph()
            for g, triples in _blocks(src, _OxTerms(), base, named=named):
                n += len(triples)
                if named:
                    gn = dg if g is None else ox.NamedNode(g)
                    yield from (ox.Quad(s, p, o, gn) for s, p, o in triples)
                else:
                    yield from (ox.Triple(s, p, o) for s, p, o in triples)

        oxf = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
               "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS}[fmt]
        prefixes = None if fmt in ("nt", "nq") else PREFIXES
        binary = getattr(out, "buffer", None)
        if binary is not None:                          # a real file: let pyoxigraph write to it
            out.flush()
            ox.serialize(statements(), binary, format=oxf, prefixes=prefixes)
            binary.flush()
        else:
            out.write((ox.serialize(statements(), format=oxf, prefixes=prefixes) or b"").decode("utf-8"))
        return n
    if engine == "rdflib":
        if named:
            ds = to_dataset(src, base=base)
            out.write(ds.serialize(format=_RDFLIB_FORMATS[fmt]))
            return sum(len(g) for g in ds.graphs())
        g = to_graph(src.G if src.corpus is None else src, base=base)
        kwargs: dict[str, Any] = {"context": context(), "auto_compact": True} if fmt == "jsonld" else {}
        out.write(g.serialize(format=_RDFLIB_FORMATS[fmt], **kwargs))
        return len(g)
    raise ExportError(f"unknown engine {engine!r}: use stream, oxigraph or rdflib")


# -- the build and the export command -------------------------------------------------------------------

def build_extra(build: Build, base: str | None = None) -> list[Path]:
    """Write ``cascade.ttl`` (the merged graph) into the build folder; used by ``cascade build``."""
    path = Path(build.out) / TURTLE_FILE
    return [write(_Source(build.graph, None), path, "ttl", base=_base(base))]


def export_text(fmt: str, out: str | Path | None = None) -> str:
    """The last build as ``fmt`` (ttl, nt, jsonld, trig, nq), read from the build folder only.

    The base IRI is the one the build used (recorded in its cascade.ttl) unless
    ``$CASCADE_BASE`` says otherwise.
    """
    from cascade.corpus.build import default_out

    f = _format(fmt)
    folder = Path(out) if out is not None else default_out()
    src = load_source(folder, evidence=FORMATS[f].dataset)
    buf = io.StringIO()
    _write(src, f, buf, _base(None, folder), "stream")
    return buf.getvalue()


# -- SHACL ----------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result: the focus node, the property path and the message, prefixes shortened."""

    focus: str
    path: str
    message: str
    severity: str = "Violation"

    def __str__(self) -> str:
        return f"{self.focus}  {self.path or '-'}  {self.message}"


@dataclass(slots=True)
class Validation:
    """The outcome of :func:`validate`."""

    conforms: bool
    triples: int
    violations: list[Violation] = field(default_factory=list)


@cache
def shapes() -> Graph:
    """The shipped SHACL shapes (``resources/shapes.ttl``)."""
    g = Graph(bind_namespaces="none")
    g.parse(data=(files("cascade") / "resources" / "shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    return g


def read_graph(path: str | Path, fmt: str | None = None) -> Graph:
    """A file in any of :data:`FORMATS` as one rdflib ``Graph`` (a dataset's graphs merged).

    Turtle, N-Triples and N-Quads are read by Oxigraph, which is much faster than rdflib's parsers.

    Raises:
        ExportError: the file cannot be read or parsed.
    """
    import pyoxigraph as ox

    f = _format(fmt) if fmt else format_of(path)
    g = bind_prefixes(Graph(bind_namespaces="none"))
    try:
        if f in ("ttl", "nt", "nq", "trig"):
            oxf = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
                   "trig": ox.RdfFormat.TRIG}[f]
            add = g.add
            for q in ox.parse(path=str(path), format=oxf):
                add((_rdflib_term(q.subject), _rdflib_term(q.predicate), _rdflib_term(q.object)))
        else:
            g.parse(str(path), format="json-ld")
    except (OSError, SyntaxError, ValueError) as e:
        raise ExportError(f"{path}: cannot read as {FORMATS[f].name}: {_first_line(e)}") from None
    except Exception as e:  # noqa: BLE001 - rdflib's parsers raise assorted errors on bad input
        raise ExportError(f"{path}: cannot read as {FORMATS[f].name}: {_first_line(e)}") from None
    return g


def _first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


def _rdflib_term(t: Any) -> Any:
    """A pyoxigraph term as an rdflib term."""
    import pyoxigraph as ox

    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        dtype = t.datatype.value
        return Literal(t.value, datatype=None if dtype == _XSD_STRING else URIRef(dtype), normalize=False)
    if isinstance(t, ox.BlankNode):
        from rdflib import BNode

        return BNode(t.value)
    raise ExportError(f"unsupported RDF term {t!r}")


def validate(data: Graph | str | Path, *, fmt: str | None = None) -> Validation:
    """Validate a graph or a file against the shipped shapes (pyshacl, no inference).

    Args:
        data: an rdflib graph, or a file in one of :data:`FORMATS`.
        fmt: the file's format when its extension does not say.

    Returns:
        whether it conforms, how many triples were checked, and one :class:`Violation` per result.
    """
    import pyshacl

    g = data if isinstance(data, Graph) else read_graph(data, fmt)
    conforms, report, _ = pyshacl.validate(g, shacl_graph=shapes(), inference="none", abort_on_first=False,
                                           allow_infos=True, allow_warnings=True)
    SH = "http://www.w3.org/ns/shacl#"
    out: list[Violation] = []
    for r in report.subjects(RDF.type, URIRef(SH + "ValidationResult")):
        msg, sev, value, focus, path = (report.value(r, URIRef(SH + p)) for p in (
            "resultMessage", "resultSeverity", "value", "focusNode", "resultPath"))
        text = str(msg) if msg is not None else "constraint violated"
        if value is not None and str(value) not in text:
            text += f" (value: {_short(value)})"
        out.append(Violation(_short(focus), _short(path), text,
                             str(sev).rsplit("#", 1)[-1] if sev is not None else "Violation"))
    out.sort(key=lambda v: (v.focus, v.path, v.message))
    return Validation(bool(conforms), len(g), out)


def _short(term: Any) -> str:
    """A term as a reader wants it: ``eli:cites``, ``<https://...>``, ``"text"``."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return _prefixed(str(term), _LONGEST_FIRST) or f"<{term}>"
    if isinstance(term, Literal):
        return json.dumps(str(term), ensure_ascii=False)
    return str(term)


# -- SPARQL ---------------------------------------------------------------------------------------------

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


#: the on-disk Oxigraph store kept in a build folder for ``cascade sparql``
STORE_DIR = "sparql-store"
_STAMP = "cascade-stamp.json"


def load_store(out: str | Path | None = None, data: Sequence[str | Path] = ()) -> pyoxigraph.Store:
    """A pyoxigraph store with the build's linked data, or with the ``data`` files (in memory).

    Without ``data`` the store holds the dataset of the build (the merged graph and the
    per-file named graphs, generated from the build folder), so queries see every fact in
    the default graph and provenance through ``GRAPH``. It is kept on disk in the build
    folder (``sparql-store/``) and opened read-only by later calls, until the build or
    cascade's linked-data code changes; where the folder cannot be written it lives in memory.
    """
    import pyoxigraph as ox

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
    if not (folder / "build.json").exists():
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
    _write(load_source(folder, evidence=True), "nq", buf, base, "stream")
    nquads = buf.getvalue().encode("utf-8")
    del buf
    tmp = folder / f".{STORE_DIR}.{os.getpid()}.tmp"
    try:
        import shutil

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
        import shutil

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
    return {"graph": sig(folder / "build.json"), "records": sig(folder / "records.jsonl"), "base": base,
            "code": code.hexdigest()[:16], "version": __version__}


def _ox_text(t: Any) -> str | None:
    if t is None:
        return None
    return str(t.value)


def run_query(store: pyoxigraph.Store, query: str, params: dict[str, str] | None = None,
              declared: dict[str, tuple[bool, str]] | None = None) -> QueryResult:
    """Run a SPARQL query on a pyoxigraph store; the default graph is the union of all graphs.

    Raises:
        CascadeError: the query does not parse, or a parameter is missing.
    """
    import pyoxigraph as ox

    text = bind_params(query, params, declared)
    try:
        res = store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
    except SyntaxError as e:
        raise CascadeError(f"SPARQL syntax error: {_first_line(e)}") from None
    if isinstance(res, ox.QueryBoolean):
        return QueryResult(boolean=bool(res))
    if isinstance(res, ox.QuerySolutions):
        names = [v.value for v in res.variables]
        rows = [{n: _ox_text(sol[n]) for n in names} for sol in res]
        return QueryResult(variables=names, rows=rows)
    data = ox.serialize(res, format=ox.RdfFormat.N_TRIPLES)
    return QueryResult(graph=(data or b"").decode("utf-8"))


def _opener(user: str | None, password: str | None, url: str) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = []
    if user is not None:
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        mgr.add_password(None, url, user, password or "")
        handlers += [urllib.request.HTTPDigestAuthHandler(mgr), urllib.request.HTTPBasicAuthHandler(mgr)]
    return urllib.request.build_opener(*handlers)


def _prologue() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def run_remote_query(endpoint: str, query: str, params: dict[str, str] | None = None,
                     declared: dict[str, tuple[bool, str]] | None = None, *, graph: str | None = None,
                     user: str | None = None, password: str | None = None,
                     timeout: float = 60) -> QueryResult:
    """Run a SELECT or ASK query on a SPARQL 1.1 endpoint (POST, JSON results).

    ``graph`` restricts the default graph (``default-graph-uri``); the cascade prefixes
    are declared in front of the query.

    Raises:
        ExportError: the endpoint cannot be reached or answers with an error.
    """
    text = bind_params(query, params, declared)
    if not re.search(r"^\s*PREFIX\s", text, re.IGNORECASE | re.MULTILINE):
        text = _prologue() + text
    form: dict[str, str] = {"query": text}
    if graph:
        form["default-graph-uri"] = graph
    req = urllib.request.Request(endpoint, data=urllib.parse.urlencode(form).encode("utf-8"), method="POST",
                                 headers={"Accept": "application/sparql-results+json",
                                          "Content-Type": "application/x-www-form-urlencoded"})
    body = _send(_opener(user, password, endpoint), req, timeout)
    try:
        doc = json.loads(body)
    except ValueError:
        raise ExportError(f"{endpoint}: the answer is not SPARQL JSON results") from None
    if "boolean" in doc:
        return QueryResult(boolean=bool(doc["boolean"]))
    names = list(doc.get("head", {}).get("vars", []))
    bindings = doc.get("results", {}).get("bindings", [])
    rows = [{n: (b[n]["value"] if n in b else None) for n in names} for b in bindings]
    return QueryResult(variables=names, rows=rows)


def _send(opener: urllib.request.OpenerDirector, req: urllib.request.Request, timeout: float) -> bytes:
    try:
        with opener.open(req, timeout=timeout) as resp:
            return resp.read()
    except urllib.error.HTTPError as e:
        detail = e.read().decode("utf-8", "replace").strip().splitlines()
        raise ExportError(f"{req.full_url}: HTTP {e.code} {e.reason}"
                          + (f": {detail[0][:300]}" if detail else "")) from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise ExportError(f"{req.full_url}: cannot connect ({reason})") from None


# -- upload to a triple store -------------------------------------------------------------------------

@dataclass(slots=True)
class PushReport:
    """What :func:`push` sent: graphs (IRI -> triples), requests made, bytes sent."""

    graphs: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    bytes: int = 0


def _graph_url(endpoint: str, graph: str | None) -> str:
    sep = "&" if "?" in endpoint else "?"
    if graph is None:
        return f"{endpoint}{sep}default"
    return f"{endpoint}{sep}{urllib.parse.urlencode({'graph': graph})}"


def push(endpoint: str, source: Any = None, *, graph: str | None = None, dataset: bool = False,
         user: str | None = None, password: str | None = None, base: str | None = None,
         chunk_bytes: int = 4 << 20, timeout: float = 300) -> PushReport:
    """Load the corpus into a SPARQL 1.1 Graph Store Protocol endpoint.

    The merged graph replaces the graph ``graph`` (default: the dataset IRI, the base) with
    an HTTP PUT of N-Triples, sent as ``text/turtle`` (N-Triples is Turtle) in pieces of
    ``chunk_bytes`` (the first PUT, the rest POSTed). With ``dataset`` the per-file named
    graphs go to their own graph IRIs too, and ``graph`` receives the default graph.

    Args:
        endpoint: the Graph Store endpoint, e.g. ``http://localhost:8890/sparql-graph-crud-auth``.
        source: a build, a build folder (default: the last build) or a graph.
        graph: the graph IRI to replace.
        dataset: also push the named graphs of each input file (with the evidence).
        user, password: for HTTP digest or basic authentication, settled before any data is sent.
        base: base IRI of the minted IRIs (default: the build's).

    Raises:
        ExportError: the endpoint refused a request (a wrong password included) or cannot be reached.
    """
    src = _source(source)
    b = _base(base, source if isinstance(source, (str, Path)) else None)
    target = graph or b
    auth = _Auth(user, password or "", timeout) if user is not None else None
    opener = urllib.request.build_opener()
    report = PushReport()
    per_graph: dict[str | None, list[str]] = defaultdict(list)
    for g, triples in _blocks(src, _NTTerms(), b, named=dataset):
        per_graph[g].append("".join([f"{s} {p} {o} .\n" for s, p, o in triples]))
    for g, parts in per_graph.items():
        iri = target if g is None else g
        text = "".join(parts)
        report.graphs[iri] = text.count("\n")
        url = _graph_url(endpoint, iri)
        for i, chunk in enumerate(_chunks(text, chunk_bytes)):
            data = chunk.encode("utf-8")
            req = urllib.request.Request(url, data=data, method="POST" if i else "PUT",
                                         headers={"Content-Type": "text/turtle; charset=utf-8"})
            if auth is not None:
                auth.sign(req)
            _send(opener, req, timeout)
            report.requests += 1
            report.bytes += len(data)
    return report


class _Auth:
    """HTTP authentication settled with empty requests first, so no upload is cut short by a 401.

    A server that answers a large unauthenticated PUT with 401 may close the connection
    before the body is sent; here the challenge is fetched, and the credentials checked,
    with bodiless requests, and every upload then carries its ``Authorization`` header.
    """

    def __init__(self, user: str, password: str, timeout: float):
        self.user, self.password, self.timeout = user, password, timeout
        self.challenge: dict[str, str] | str | None = None
        self.digest: urllib.request.HTTPDigestAuthHandler | None = None

    def sign(self, req: urllib.request.Request) -> None:
        if self.challenge is None:
            self._settle(req.full_url)
        self._add(req)

    def _add(self, req: urllib.request.Request) -> None:
        import base64

        if self.challenge == "basic":
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
            req.add_unredirected_header("Authorization", f"Basic {token}")
        elif isinstance(self.challenge, dict) and self.digest is not None:
            value = self.digest.get_authorization(req, self.challenge)
            if value:
                req.add_unredirected_header("Authorization", f"Digest {value}")

    def _settle(self, url: str) -> None:
        opener = urllib.request.build_opener()
        try:
            opener.open(urllib.request.Request(url, data=b"", method="POST"), timeout=self.timeout).close()
            self.challenge = {}                            # no authentication asked for
            return
        except urllib.error.HTTPError as e:
            header = e.headers.get("WWW-Authenticate", "") if e.code == 401 else ""
            e.close()
        except (urllib.error.URLError, OSError) as e:
            raise ExportError(f"{url}: cannot connect ({getattr(e, 'reason', e)})") from None
        scheme, _, rest = header.partition(" ")
        if scheme.lower() == "digest":
            mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            mgr.add_password(None, url, self.user, self.password)
            self.digest = urllib.request.HTTPDigestAuthHandler(mgr)
            self.challenge = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
        elif scheme.lower() == "basic":
            self.challenge = "basic"
        else:
            self.challenge = {}
            return
        check = urllib.request.Request(url, data=b"", method="POST")
        self._add(check)
        try:
            opener.open(check, timeout=self.timeout).close()
        except urllib.error.HTTPError as e:
            e.close()
            if e.code in (401, 403):
                raise ExportError(f"{url}: HTTP {e.code} {e.reason}: "
                                  f"wrong user or password for {self.user!r}") from None


def _chunks(text: str, size: int) -> Iterator[str]:
    """Pieces of about ``size`` characters that end at line ends (whole N-Triples statements)."""
    start = 0
    n = len(text)
    if n == 0:
        yield ""
        return
    while start < n:
        end = min(n, start + size)
        if end < n:
            nl = text.rfind("\n", start, end)
            end = nl + 1 if nl >= start else text.find("\n", end) + 1 or n
        yield text[start:end]
        start = end
