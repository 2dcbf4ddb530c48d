"""The data model: frozen dataclasses, no I/O.

Every extracted fact keeps an :class:`Evidence` (source file, character span into the
text as read, and the sentence it came from), so a user can always ask *why*.

Records serialise to the JSON shape of ``shared/INTERFACES.md`` with
:meth:`Record.to_dict`; :meth:`Record.from_dict` reads it back (the build cache uses it).
"""
from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar

from cascade.vocab import ROLES


def _fast(cls: type) -> type:
    """Make and pickle a frozen slotted dataclass faster, with the same behaviour.

    Its ``__init__`` stores each field through the field's slot directly: the same signature,
    defaults and checks as the one ``dataclass`` writes, at about half the cost, because that
    one stores each field with ``object.__setattr__`` (a frozen class refuses plain
    assignment), which looks the field up by name every time. Instances stay frozen.

    It pickles as ``cls(*fields)``: the default for frozen slotted dataclasses restores every
    field through a Python-level ``__setstate__``, about twice as slow. Worker processes
    make tens of these objects per document and send thousands of records to the main process.
    """
    found = fields(cls)
    names = [f.name for f in found]
    assert len(names) > 1, "attrgetter of one name returns a value, not a tuple"
    assert all(f.init and not f.kw_only and f.default_factory is MISSING for f in found), cls
    space: dict[str, Any] = {}
    params = []
    for f in found:
        space[f"_set_{f.name}"] = cls.__dict__[f.name].__set__        # the slot's own descriptor
        if f.default is MISSING:
            params.append(f.name)
        else:
            space[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
    body = "".join(f"\n    _set_{n}(self, {n})" for n in names)
    exec(f"def __init__(self, {', '.join(params)}):{body}", space)  # noqa: S102 - our own field names
    init = space["__init__"]
    init.__qualname__, init.__module__ = f"{cls.__qualname__}.__init__", cls.__module__
    init.__annotations__ = {**{f.name: f.type for f in found}, "return": None}
    cls.__init__ = init  # type: ignore[misc]
    values = attrgetter(*names)
    _FIELDS[cls] = values, {n: i for i, n in enumerate(names)}

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign,assignment]
    return cls


#: each model made by :func:`_fast`: its field values in one call, and each field's place among them
_FIELDS: dict[type, tuple[attrgetter[Any], dict[str, int]]] = {}
_M = TypeVar("_M")


def with_changes(obj: _M, **changes: Any) -> _M:
    """``dataclasses.replace`` for the frozen models, about twice as fast (a copy of ``obj`` with
    ``changes``): the fields are read in one call, not one by one through their definitions.

    Raises:
        TypeError: for a name that is not one of the model's fields.
    """
    values, index = _FIELDS[type(obj)]
    new = list(values(obj))
    for name, value in changes.items():
        at = index.get(name)
        if at is None:
            raise TypeError(f"{type(obj).__name__} has no field {name!r}")
        new[at] = value
    return type(obj)(*new)


@_fast
@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact comes from: ``text[start:end]`` of ``source`` as read, and its sentence."""

    source: str
    start: int
    end: int
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "span": [self.start, self.end], "quote": self.quote}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Evidence | None:
        if not d:
            return None
        return cls(d.get("source", ""), d["span"][0], d["span"][1], d.get("quote", ""))


@_fast
@dataclass(frozen=True, slots=True)
class Signer:
    """Who signed, with the title printed above the name and the authority prefix (KT., T/M...)."""

    name: str
    title: str | None = None
    capacity: str | None = None      # "KT." | "TM." | "T/M" | "K/T" | "TL." | "TUQ." | "Q." | None
    on_behalf_of: str | None = None  # the collective after TM./T/M ("Ủy ban nhân dân", "Ban Thường vụ")

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "capacity": self.capacity,
                "on_behalf_of": self.on_behalf_of}


@_fast
@dataclass(frozen=True, slots=True)
class Metadata:
    """What a document says (or implies) about itself."""

    type: str | None = None
    number: str | None = None
    date: str | None = None          # ISO, possibly partial: "2021-06-30", "2021-06", "2021"
    issuer: str | None = None
    branch: str | None = None        # "party" | "state"
    level: str | None = None         # "central" | "province" | "district" | "commune"
    province: str | None = None
    district: str | None = None
    place: str | None = None
    title: str | None = None
    signer: Signer | None = None
    recipients: tuple[str, ...] = ()
    inferred: tuple[str, ...] = ()   # names of the fields inferred from the body, not read in a header
    evidence: tuple[tuple[str, Evidence], ...] = ()  # (field, evidence) pairs
    candidates: tuple[str, ...] = ()  # other jurisdictions ("Province/District") the text fits as well

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type, "number": self.number, "date": self.date, "issuer": self.issuer,
            "branch": self.branch, "level": self.level, "province": self.province,
            "district": self.district, "place": self.place, "title": self.title,
            "signer": self.signer.to_dict() if self.signer else None,
            "recipients": list(self.recipients), "inferred": list(self.inferred),
            "evidence": {k: e.to_dict() for k, e in self.evidence},
            "candidates": list(self.candidates),
        }


@_fast
@dataclass(frozen=True, slots=True)
class Mention:
    """One reference to another document inside a text.

    ``plenum``/``term`` identify a plenum resolution cited by name ("Nghị quyết Trung ương 7
    (khóa X)"). ``confidence`` is below 1 when the jurisdiction or identity is a guess, and
    ``note`` says why (for instance a corrected typo).
    """

    id: str
    type: str | None
    number: str | None
    evidence: Evidence
    date: str | None = None
    issuer: str | None = None
    branch: str | None = None
    level: str | None = None
    province: str | None = None
    district: str | None = None
    plenum: int | None = None
    term: str | None = None
    summary: str | None = None
    alias: str | None = None
    confidence: float = 1.0
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "type": self.type, "number": self.number, "date": self.date,
                             "issuer": self.issuer, "branch": self.branch, "level": self.level,
                             "province": self.province}
        if self.district:
            d["district"] = self.district
        if self.plenum is not None:
            d["plenum"] = self.plenum
            d["term"] = self.term
        elif self.term:
            d["term"] = self.term
        if self.summary:
            d["summary"] = self.summary
        if self.alias:
            d["alias"] = self.alias
        d["span"] = [self.evidence.start, self.evidence.end]
        d["quote"] = self.evidence.quote
        d["confidence"] = self.confidence
        if self.note:
            d["note"] = self.note
        return d


@_fast
@dataclass(frozen=True, slots=True)
class Relation:
    """``source`` --type--> ``target``; ends are ``"self"`` (the document) or mention ids.

    ``type`` is one of :data:`cascade.vocab.DOCUMENT_RELATIONS`.
    """

    source: str
    type: str
    target: str
    evidence: Evidence | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"from": self.source, "type": self.type, "to": self.target}
        if self.evidence:
            d["span"] = [self.evidence.start, self.evidence.end]
            d["quote"] = self.evidence.quote
        return d


@_fast
@dataclass(frozen=True, slots=True)
class Deadline:
    """A time phrase and what it means.

    ``start``/``end`` are ISO dates, possibly partial ("2021", "2021-07"); ``due`` is a point
    deadline ("2022-06-30"), or for a recurring duty its first due day in a calendar year
    ("12-05" yearly: 5 December; "01-20" monthly: the 20th; "03-15" quarterly: the 15th of
    the quarter's last month); ``recurrence`` is
    None, "ongoing" (thường xuyên), "annual", "semiannual", "quarterly", "monthly" or "periodic"
    (định kỳ, period unstated).
    """

    text: str
    start: str | None = None
    end: str | None = None
    due: str | None = None
    recurrence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "due": self.due,
                "recurrence": self.recurrence}


@_fast
@dataclass(frozen=True, slots=True)
class Reporting:
    """A duty to report: who reports (empty = the task's lead), to whom, when."""

    to: str
    reporter: tuple[str, ...] = ()
    deadline: Deadline | None = None
    evidence: Evidence | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"from": list(self.reporter), "to": self.to,
                "deadline": self.deadline.to_dict() if self.deadline else None,
                "span": [self.evidence.start, self.evidence.end] if self.evidence else None}


@_fast
@dataclass(frozen=True, slots=True)
class Task:
    """One actionable item of a plan and who must do it by when."""

    label: str                                 # numbering path: "II.3.b"
    text: str
    lead: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()
    focal: tuple[str, ...] = ()                # đầu mối
    requested: tuple[str, ...] = ()            # "Đề nghị ..." bodies outside the issuer's authority
    deadline: Deadline | None = None
    reporting: tuple[Reporting, ...] = ()
    deliverable: str | None = None
    section: str | None = None                 # purpose | tasks | organisation | funding | other
    evidence: Evidence | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"label": self.label, "text": self.text}
        for role, names in zip(ROLES, _roles(self), strict=True):
            d[role] = list(names)
        d["deadline"] = self.deadline.to_dict() if self.deadline else None
        d["reporting"] = [r.to_dict() for r in self.reporting]
        d["deliverable"] = self.deliverable
        d["section"] = self.section
        d["span"] = [self.evidence.start, self.evidence.end] if self.evidence else None
        return d


#: a task's agencies in each role of :data:`ROLES`, in one call
_roles = attrgetter(*ROLES)


@_fast
@dataclass(frozen=True, slots=True)
class Record:
    """Everything extracted from one file: the unit the cache stores and ``extract`` prints."""

    source: str
    sha256: str
    meta: Metadata
    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
    tasks: tuple[Task, ...] = ()
    warnings: tuple[str, ...] = ()
    format: str = "txt"
    ocr: bool = False                        # the text was recognised from images (spans point into it)
    ocr_confidence: float | None = None      # Tesseract's mean word confidence, 0-100
    site: tuple[tuple[str, str], ...] = ()   # a hosting site's metadata block (saved web pages), as shown
    from_site: tuple[str, ...] = ()          # metadata fields whose value came from ``site``, not the text

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "source": self.source, "sha256": self.sha256, "format": self.format,
            "document": self.meta.to_dict(),
            "mentions": [m.to_dict() for m in self.mentions],
            "relations": [r.to_dict() for r in self.relations],
            "tasks": [t.to_dict() for t in self.tasks],
            "warnings": list(self.warnings),
        }
        if self.ocr:
            d.update(ocr=True, ocr_confidence=self.ocr_confidence)
        if self.site:
            d.update(site=dict(self.site), from_site=list(self.from_site))
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Record:
        """Inverse of :meth:`to_dict` (quotes of relations and tasks are re-read from spans)."""
        src = d["source"]
        doc = d.get("document") or {}

        def ev(span: list[int] | None, quote: str = "") -> Evidence | None:
            return Evidence(src, span[0], span[1], quote) if span else None

        def dl(x: dict[str, Any] | None) -> Deadline | None:
            if not x:
                return None
            return Deadline(str(x.get("text") or ""), x.get("start"), x.get("end"), x.get("due"),
                            x.get("recurrence"))

        s = doc.get("signer")
        meta = Metadata(
            type=doc.get("type"), number=doc.get("number"), date=doc.get("date"), issuer=doc.get("issuer"),
            branch=doc.get("branch"), level=doc.get("level"), province=doc.get("province"),
            district=doc.get("district"), place=doc.get("place"), title=doc.get("title"),
            signer=Signer(s["name"], s.get("title"), s.get("capacity"), s.get("on_behalf_of")) if s else None,
            recipients=tuple(doc.get("recipients") or ()), inferred=tuple(doc.get("inferred") or ()),
            evidence=tuple((k, found) for k, v in (doc.get("evidence") or {}).items()
                           if (found := Evidence.from_dict(v)) is not None),
            candidates=tuple(doc.get("candidates") or ()),
        )
        mentions = tuple(
            Mention(id=m["id"], type=m.get("type"), number=m.get("number"),
                    evidence=Evidence(src, m["span"][0], m["span"][1], m.get("quote", "")),
                    date=m.get("date"), issuer=m.get("issuer"), branch=m.get("branch"), level=m.get("level"),
                    province=m.get("province"), district=m.get("district"), plenum=m.get("plenum"),
                    term=m.get("term"), summary=m.get("summary"), alias=m.get("alias"),
                    confidence=m.get("confidence", 1.0), note=m.get("note"))
            for m in d.get("mentions", ()))
        relations = tuple(Relation(r["from"], r["type"], r["to"], ev(r.get("span"), r.get("quote", "")))
                          for r in d.get("relations", ()))
        tasks = tuple(
            Task(label=t["label"], text=t.get("text", ""), **{role: tuple(t.get(role, ())) for role in ROLES},
                 deadline=dl(t.get("deadline")),
                 reporting=tuple(Reporting(r["to"], tuple(r.get("from") or ()), dl(r.get("deadline")),
                                           ev(r.get("span"))) for r in t.get("reporting", ())),
                 deliverable=t.get("deliverable"), section=t.get("section"), evidence=ev(t.get("span")))
            for t in d.get("tasks", ()))
        return cls(source=src, sha256=d.get("sha256", ""), meta=meta, mentions=mentions, relations=relations,
                   tasks=tasks, warnings=tuple(d.get("warnings", ())), format=d.get("format", "txt"),
                   ocr=bool(d.get("ocr", False)), ocr_confidence=d.get("ocr_confidence"),
                   site=tuple((d.get("site") or {}).items()), from_site=tuple(d.get("from_site") or ()))


@dataclass(slots=True)
class Claim:
    """One document's statement about another document's attribute (kept to report conflicts)."""

    value: Any
    source: str
    evidence: Evidence | None = None


@dataclass(slots=True)
class DocNode:
    """One real document in the resolved corpus (mutable while resolving)."""

    key: str
    type: str | None = None
    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    branch: str | None = None
    level: str | None = None
    province: str | None = None
    district: str | None = None
    plenum: int | None = None
    term: str | None = None
    title: str | None = None
    source: str | None = None                   # the input file, when the document is one
    confidence: float = 1.0
    claims: dict[str, list[Claim]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)     # every input file that is this document
    own: set[str] = field(default_factory=set)           # same, as a set
    cited: int = 0                                       # how many mentions point here
    cited_by: set[str] = field(default_factory=set)      # input files that cite it


@_fast
@dataclass(frozen=True, slots=True)
class Edge:
    """A resolved relation between two document nodes, with every statement of it."""

    source: str
    type: str
    target: str
    asserted_by: tuple[str, ...]                 # input files that state it
    evidence: tuple[Evidence, ...]
