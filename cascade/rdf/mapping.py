"""The mapping of the corpus graph to RDF: which triples each node and edge becomes.

* a document is an ``eli:Work`` (also ``eli:LegalResource`` for a State legal act and
  ``p-plan:Plan`` for a plan or programme) with ``eli:id_local``, ``eli:number``,
  ``eli:date_document``, ``eli:work_type``, ``eli:passed_by`` its issuer (``org:Organization``)
  and signer (``schema:Person``, with a ``prov:qualifiedAttribution``), ``eli:jurisdiction``
  (a SKOS concept of the administrative units, pre- or post-2025) and ``dcterms:identifier``
  its identity key; the relations of :mod:`cascade.vocab` (``cas:implements``,
  ``eli:based_on``, ``eli:cites``...) point to the documents it names;
* a task is a ``p-plan:Step`` and ``schema:Action`` of its plan, with ``cas:leadAgency``,
  ``cas:cooperatingAgency``, ``cas:deadline`` (typed ISO date), ``cas:deadlineText`` and
  ``cas:reportingDuty``.

:class:`_Maker` makes the triples of one node at a time, in any kind of term
(:mod:`cascade.rdf.terms`); :mod:`cascade.rdf.blocks` says which go where.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import networkx as nx
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SDO, SKOS, VOID

from cascade import __version__
from cascade.graph import Statements, sources
from cascade.rdf.iri import _ERA_NAMES, ERA_VALIDITY, Minter, _path, _segment, _tag, _unit_for, slug, unit_iri
from cascade.rdf.namespace import ADMINUNIT, CAS, DOCTYPE, ELI, PPLAN
from cascade.rdf.terms import (
    _XSD_BOOLEAN,
    _XSD_DATE,
    _XSD_DATETIME,
    _XSD_DECIMAL,
    _XSD_GYEAR,
    _XSD_GYEARMONTH,
    _XSD_INTEGER,
    _curie,
    _typed_date,
)
from cascade.vn import places
from cascade.vocab import (
    BRANCHES,
    DOCUMENT_RELATIONS,
    LEGAL_TYPES,
    LEVELS,
    PLAN_TYPES,
    RELATIONS,
    ROLES,
    doc_type_named,
)

if TYPE_CHECKING:
    pass

_ERA_SCHEME = {"pre2025": CAS.AdminUnitsPre2025, "2025": CAS.AdminUnits2025}


_NUMBER_PART = re.compile(r"^\d+(?:\.\d+)?[a-z]?")


_LEVELS = {name: _curie(lv.concept) for name, lv in LEVELS.items()}


_BRANCHES = {name: _curie(b.concept) for name, b in BRANCHES.items()}


#: relation -> (predicate, the ELI super-property also stated or None)
RELATION_PREDICATES: dict[str, tuple[URIRef, URIRef | None]] = {
    name: (_curie(r.predicate or ""), _curie(r.also) if r.also else None)
    for name, r in ((n, RELATIONS[n]) for n in DOCUMENT_RELATIONS)}


_ROLE_PREDICATES = {role: _curie(RELATIONS[role].predicate or "") for role in ROLES}


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


Triple = tuple[Any, Any, Any]


#: the arguments of one call of :meth:`_Maker.unit`: province, district, date
UnitCall = tuple[str | None, str | None, str | None]


#: how many repeated literals :meth:`_Maker.const` keeps (each input file's name is one)
_CONSTANTS_KEPT = 4096


#: the kinds of node named mostly by the plans near them (signers, issuing bodies, agencies of a place),
#: and how many of their terms :meth:`_Maker.node` keeps
_NAMED_NEARBY = frozenset({"organization", "person", "agency"})
_OTHERS_KEPT = 1 << 15


Block = tuple[str | None, list[Triple]]          # (named graph IRI or None for the default graph, triples)


@dataclass(slots=True)
class _Source:
    """What the maker reads: the graph, and every statement of each relation when evidence is wanted."""

    G: nx.MultiDiGraph
    statements: Statements | None = None


class _Maker:
    """Turns the corpus graph into blocks of triples in one kind of term (see the module docstring)."""

    def __init__(self, src: _Source, terms: Any, base: str | None):
        self.G = src.G
        self.statements = src.statements
        self.t = terms
        self.mint = Minter(base)
        iri = terms.iri
        self.V = SimpleNamespace(**{k: iri(str(u)) for k, u in _VOCABULARY.items()})
        self.P = {u: getattr(self.V, k) for k, u in _VOCABULARY.items()}
        self._iri: dict[str, Any] = {}                 # document or unit -> its term
        self._raw: dict[str, str] = {}                  # document -> its IRI
        self._others: dict[str, Any] = {}               # body, person or agency -> its term (the last few)
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
        self._noted: list[UnitCall] | None = None        # the calls of unit() held back (units_noted)
        self.doctypes: set[str] = set()
        self._succ_of: tuple[str, Any] | None = None    # (document, its out-edges): the last asked for
        self._tasks_under: tuple[str, str, str] | None = None   # (plan, its tasks' id prefix, IRI prefix)

    # -- small helpers ----------------------------------------------------------------------------

    def p(self, u: URIRef) -> Any:
        """The term of a vocabulary IRI chosen at run time (a level, a relation)."""
        return self.P[u]

    def node(self, n: str) -> Any:
        """The term of a graph node (document, body, person, agency), kept while it may be named again:
        a document's always (other documents cite it), the last tens of thousands of the others.

        A task's term is made where the task is written (:meth:`task`), once, and not kept.
        """
        t = self._iri.get(n)
        if t is None:
            t = self._others.get(n)
            if t is None:
                kind = self.G._node.get(n, {}).get("kind")
                if kind in _NAMED_NEARBY:
                    if len(self._others) >= _OTHERS_KEPT:
                        self._others.clear()
                    t = self._others[n] = self.t.iri(self._mint_node(n, kind))
                else:
                    t = self._iri[n] = self.t.iri(self.raw(n, kind))
        return t

    def raw(self, n: str, kind: Any = None) -> str:
        """The IRI of a graph node, as a string (a document's is kept: its tasks and signatures
        are named under it); ``kind`` is the node's when the caller knows it."""
        r = self._raw.get(n)
        if r is None:
            r = self._raw[n] = self._mint_node(n, kind)
        return r

    def _mint_node(self, n: str, kind: Any = None) -> str:
        if kind is None:
            kind = self.G._node.get(n, {}).get("kind")
        if kind == "organization":
            return self.mint.org(n[len("org:"):])
        if kind == "person":
            return self.mint.person(n)
        if kind == "agency":
            return self.mint.agency(n)
        if kind == "task":
            return self.task_iri(n, self.plan(n))
        return self.mint.doc(n)

    def task_iri(self, n: str, plan: str | None) -> str:
        """The IRI of task ``n`` of document ``plan``: under its plan's IRI when its id is the plan's
        (``task:{plan}#...``) or another predecessor's, else under ``{base}task/``."""
        if plan is not None:
            under = self._tasks_under
            if under is None or under[0] != plan:            # a plan's tasks come one after another
                under = self._tasks_under = (plan, f"task:{plan}#", f"{self.raw(plan)}/task/")
            if n.startswith(under[1]):
                return under[2] + _path(n[len(under[1]):])
        for doc in getattr(self.G, "_pred", {}).get(n, ()):
            prefix = f"task:{doc}#"
            if n.startswith(prefix):
                return f"{self.raw(doc)}/task/{_path(n[len(prefix):])}"
        return f"{self.mint.base}task/{slug(n)}-{_tag(n)}"

    def plan(self, n: str) -> str | None:
        """The document of task ``n``: the first document (in the graph's order) with a ``has_task``
        edge to it, or None.

        Found when asked, so nothing is kept per task: from the task's predecessors in a networkx
        graph; in a graph without them (:class:`cascade.graph.StreamedGraph`) among the documents
        whose id the task's id starts with (its tasks are ``task:{plan}#...``).
        """
        G = self.G
        nodes = G._node
        preds = getattr(G, "_pred", None)
        if preds is not None:
            found = [p for p, keys in preds[n].items()
                     if "has_task" in keys and nodes[p].get("kind") == "document"]
        else:
            found = []
            i = n.find("#", 6) if n.startswith("task:") else -1
            while i > 0:
                d = nodes.get(n[5:i])
                if d is not None and d.get("kind") == "document":
                    found.append(n[5:i])
                i = n.find("#", i + 1)
            if len(found) > 1:                     # a document id with a '#' ("07-KH/TU@Đắk Lắk#2020")
                found = [doc for doc in found if "has_task" in self._out_edges(doc).get(n, ())]
        if len(found) > 1:
            first = set(found)
            return next(doc for doc in G.nodes() if doc in first)
        return found[0] if found else None

    def _out_edges(self, doc: str) -> Any:
        """The out-edges of a document, the last one asked for kept (its tasks ask one after another)."""
        if self._succ_of is None or self._succ_of[0] != doc:
            self._succ_of = (doc, self.G._succ[doc])
        return self._succ_of[1]

    def const(self, value: str, datatype: str | None = None) -> Any:
        """A literal that repeats often (levels of recurrence, sections, booleans, the file of a plan's
        tasks), made once while the last few thousand are kept."""
        k = (value, datatype, None)
        t = self._lit_cache.get(k)
        if t is None:
            if len(self._lit_cache) >= _CONSTANTS_KEPT:
                self._lit_cache.clear()
            t = self._lit_cache[k] = self.lit(value, datatype)
        return t

    def unit(self, province: str | None, district: str | None, date: str | None) -> Any:
        """The concept of a jurisdiction (recorded for :meth:`unit_blocks`), or None."""
        if self._noted is not None:
            self._noted.append((province, district, date))
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

    @contextmanager
    def units_noted(self) -> Iterator[list[UnitCall]]:
        """Blocks made inside are made as always, but the jurisdictions they name are not recorded for
        :meth:`unit_blocks`: each call of :meth:`unit` is noted in the list given, to be made again
        (``unit(*call)``) once the blocks that come before them in the output are made. (The first
        block to name a place the gazetteer does not know says which province it is under.)"""
        noted: list[UnitCall] = []
        units, self.units, self._noted = self.units, {}, noted
        try:
            yield noted
        finally:
            self.units, self._noted = units, None

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
        elif level in _LEVELS:                       # a level below the centre
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
        for src in sources(d):
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
        iri = self.task_iri(n, plan)
        s = self.t.iri(iri)
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
        roles = self._roles
        for other, edges in self.G._succ[n].items():                # agencies, in the order of the text
            o = node(other)
            for rel, e in edges.items():
                pred = roles.get(rel)
                if pred is not None:
                    add((s, pred, o))
                elif rel == "reports_to":
                    out.extend(self.report(iri, s, other, e))
        return out

    def report(self, task: str, s: Any, agency: str, e: dict[str, Any]) -> list[Triple]:
        """A reporting duty of the task of IRI ``task`` (term ``s``) to ``agency``."""
        V = self.V
        r = self.t.iri(f"{task}/report/{_tag(agency)}")
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
                    # Quận 2 (HCM) has no code: its 769 is Thủ Đức's now
                    *([(s, V.SKOS_notation, lit(u.code))] if u.code else []),
                    (s, V.CAS_level, P(_LEVELS[u.level]))]
            if u.level == "district":
                parent = f"{ADMINUNIT}{_ERA_NAMES[u.era]}-{u.province_code}"
                out.append((s, V.SKOS_broader, self.t.iri(parent)))
            else:
                out.append((s, V.SKOS_broader, self.unit_vn()))
            start, end = ERA_VALIDITY[u.era]
            if u.valid_to and (end is None or u.valid_to < end):
                end = u.valid_to                      # a unit merged away before the era ended
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
