"""cascade's vocabulary in one place: relation types, roles, levels, branches and document types.

Every stage names these things by the same short strings (``"implements"``, ``"lead"``,
``"province"``, ``"party"``, ``"KH"``); this module says what each one is: how strong a
relation is, whether it forms the cascade, which RDF term states it (a CURIE of
``resources/ontology/cascade.ttl`` or of the vocabularies it reuses) and how a map draws it.
Document types come from ``resources/doctypes.csv``. ``tests/test_vocab.py`` checks all of
it against the ontology.

>>> RELATIONS["continues"].cascade, RELATIONS["based_on"].predicate
(True, 'eli:based_on')
>>> [r.name for r in by_strength(["cites", "based_on", "implements"])]
['implements', 'based_on', 'cites']
>>> doc_type("KH").slug, doc_type("QĐi", "party").name
('ke-hoach', 'Quy định')
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

__all__ = [
    "Relation", "RELATIONS", "DOCUMENT_RELATIONS", "CASCADE", "ROLES", "TASK_RELATIONS", "by_strength",
    "Level", "LEVELS", "Branch", "BRANCHES", "DocType", "doc_types", "doc_type", "doc_type_named",
    "LEGAL_TYPES", "PLAN_TYPES", "CITED_BY_NAME",
]


# -- relations ---------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Relation:
    """One kind of edge of the corpus graph.

    ``strength`` ranks the relations between documents (0 is strongest: when one sentence
    could state several, the strongest wins); ``cascade`` marks the relations that form the
    implementation cascade; ``predicate`` is the RDF property that states it and ``also`` a
    super-property stated with it; ``color``, ``width`` and ``dashes`` (False, or a dash
    pattern in pixels) are how a map draws it.
    """

    name: str
    predicate: str | None = None
    also: str | None = None
    strength: int | None = None
    cascade: bool = False
    color: str | None = None
    width: float = 1.0
    dashes: tuple[int, ...] | bool = False

    def style(self) -> dict[str, Any]:
        """The map's line style: ``{"color", "width", "dashes"}`` (dashes a list or False)."""
        return {"color": self.color, "width": self.width,
                "dashes": list(self.dashes) if isinstance(self.dashes, tuple) else self.dashes}


_ACT = (12, 4, 2, 4)          # the dash of relations that act on a document (amend, replace, repeal, guide)

#: every edge relation of the graph, by name; the first eight link documents, in this order
RELATIONS: dict[str, Relation] = {r.name: r for r in (
    # document -> document, from the document that acts to the one acted on
    Relation("implements", "cas:implements", "eli:ensures_implementation_of", 0, True, "#2c3e50", 2.0),
    Relation("continues", "cas:continues", "eli:ensures_implementation_of", 0, True, "#c0392b", 2.0),
    Relation("based_on", "eli:based_on", None, 2, False, "#b7950b", 1.5, (9, 5)),
    Relation("cites", "eli:cites", None, 3, False, "#a6acaf", 1.0, (2, 5)),
    Relation("amends", "eli:amends", None, 1, False, "#8e44ad", 1.5, _ACT),
    Relation("replaces", "dcterms:replaces", None, 1, False, "#8e44ad", 1.5, _ACT),
    Relation("repeals", "eli:repeals", None, 1, False, "#8e44ad", 1.5, _ACT),
    Relation("guides", "cas:guides", "eli:cites", 1, False, "#16a085", 1.5, _ACT),
    # a plan and its tasks; a task and the agencies that must act (the roles), and whom it reports to
    Relation("has_task", color="#bfc9ca", width=1.0),      # stated from the task: p-plan:isStepOfPlan
    Relation("lead", "cas:leadAgency", color="#7d3c98", width=1.5),
    Relation("cooperating", "cas:cooperatingAgency", color="#bb8fce", width=1.0, dashes=(4, 4)),
    Relation("focal", "cas:focalAgency", color="#7d3c98", width=1.0, dashes=(2, 3)),
    Relation("requested", "cas:requestedAgency", color="#bb8fce", width=1.0, dashes=(2, 3)),
    Relation("reports_to", "cas:reportTo", color="#e67e22", width=1.0, dashes=(6, 3)),
    # a document and who issued and signed it, where it applies; a district and its province
    Relation("issued_by", "eli:passed_by"),
    Relation("signed_by", "eli:passed_by"),
    Relation("in_jurisdiction", "eli:jurisdiction"),
    Relation("part_of", "skos:broader"),
)}

#: the names of the relations between documents, for code that names one
IMPLEMENTS, CONTINUES, BASED_ON, CITES = "implements", "continues", "based_on", "cites"
AMENDS, REPLACES, REPEALS, GUIDES = "amends", "replaces", "repeals", "guides"

#: relations between documents, in the graph's order
DOCUMENT_RELATIONS: tuple[str, ...] = tuple(n for n, r in RELATIONS.items() if r.strength is not None)
#: the relations that make the implementation cascade
CASCADE: tuple[str, ...] = tuple(n for n, r in RELATIONS.items() if r.cascade)
#: the roles of an agency in a task (edge task -> agency)
ROLES: tuple[str, ...] = ("lead", "cooperating", "focal", "requested")
#: the edges of the task layer: plan -> task, task -> agency
TASK_RELATIONS: tuple[str, ...] = ("has_task", *ROLES, "reports_to")
#: relations a map draws with a style
STYLED: tuple[str, ...] = tuple(n for n, r in RELATIONS.items() if r.color is not None)


def by_strength(names: list[str] | tuple[str, ...]) -> list[Relation]:
    """Document relations, strongest first (ties keep their order)."""
    return sorted((RELATIONS[n] for n in names), key=lambda r: r.strength if r.strength is not None else 99)


# -- levels and branches ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Level:
    """An administrative level: its SKOS concept, its rank from the top, and its colour on maps."""

    name: str
    concept: str
    tier: int
    color: str


#: the levels, top first
LEVELS: dict[str, Level] = {lv.name: lv for lv in (
    Level("central", "cas:CentralLevel", 0, "#b03a2e"),
    Level("province", "cas:ProvinceLevel", 1, "#1f6fb2"),
    Level("district", "cas:DistrictLevel", 2, "#239b56"),
    Level("commune", "cas:CommuneLevel", 3, "#ca6f1e"),
)}


@dataclass(frozen=True, slots=True)
class Branch:
    """The Party or the State: its SKOS concept and the shape of its documents on maps."""

    name: str
    concept: str
    shape: str


BRANCHES: dict[str, Branch] = {b.name: b for b in (
    Branch("party", "cas:PartyBranch", "diamond"),
    Branch("state", "cas:StateBranch", "dot"),
)}


# -- document types ---------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DocType:
    """A document type: the code printed in numbers (``KH``), its name, branch (None: both) and slug."""

    code: str | None
    name: str
    branch: str | None
    slug: str


#: types that are cited by name and never carry a number code (so they are not in doctypes.csv)
_UNCODED = (DocType(None, "Hiến pháp", "state", "hien-phap"), DocType(None, "Bộ luật", "state", "bo-luat"))

#: slugs of the types cited by their name when no number is printed ("Luật Ngân sách nhà nước")
CITED_BY_NAME = frozenset({"hien-phap", "bo-luat", "luat"})
#: slugs of the types that are legal acts (``eli:LegalResource``) when the State issues them
LEGAL_TYPES = frozenset({"hien-phap", "bo-luat", "luat", "phap-lenh", "nghi-dinh", "thong-tu",
                         "thong-tu-lien-tich", "nghi-quyet", "quyet-dinh"})
#: slugs of the types that are plans (``p-plan:Plan``) whether or not tasks were read from them
PLAN_TYPES = frozenset({"ke-hoach", "chuong-trinh", "de-an", "phuong-an"})


@cache
def doc_types() -> dict[tuple[str | None, str], DocType]:
    """Every coded type of ``resources/doctypes.csv``, keyed by (branch, code); branch None: both branches."""
    out: dict[tuple[str | None, str], DocType] = {}
    with (files("cascade") / "resources" / "doctypes.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            branch = None if row["family"] == "both" else row["family"]
            out[(branch, row["abbr"])] = DocType(row["abbr"], row["type"], branch, row["slug"])
    return out


def doc_type(code: str, branch: str | None = None) -> DocType | None:
    """The type of a number code (``KH``), for a branch when the code depends on it."""
    table = doc_types()
    return table.get((branch, code)) or table.get((None, code)) or (
        None if branch else next((t for (_, c), t in table.items() if c == code), None))


@cache
def _by_name() -> dict[str, DocType]:
    out: dict[str, DocType] = {}
    for t in (*doc_types().values(), *_UNCODED):
        out.setdefault(t.name, t)
    return out


def doc_type_named(name: str | None) -> DocType | None:
    """The type with this Vietnamese name (``Kế hoạch``), coded or not.

    >>> doc_type_named("Bộ luật").slug
    'bo-luat'
    """
    return _by_name().get(name) if name else None


def all_doc_types() -> list[DocType]:
    """Every type, coded ones first, one per (branch, code) and one per uncoded name."""
    return [*doc_types().values(), *_UNCODED]
