"""SHACL validation against the shipped shapes, and reading RDF files into rdflib."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, URIRef

from cascade.errors import ExportError
from cascade.rdf.namespace import bind_prefixes
from cascade.rdf.terms import _LONGEST_FIRST, _prefixed, rdflib_term
from cascade.rdf.write import FORMATS, _format, format_of


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
    f = _format(fmt) if fmt else format_of(path)
    g = bind_prefixes(Graph(bind_namespaces="none"))
    try:
        if f in ("ttl", "nt", "nq", "trig"):
            oxf = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
                   "trig": ox.RdfFormat.TRIG}[f]
            add = g.add
            for q in ox.parse(path=str(path), format=oxf):
                add((rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object)))
        else:
            g.parse(str(path), format="json-ld")
    except (OSError, SyntaxError, ValueError) as e:
        raise ExportError(f"{path}: cannot read as {FORMATS[f].name}: {_first_line(e)}") from None
    except Exception as e:  # noqa: BLE001 - rdflib's parsers raise assorted errors on bad input
        raise ExportError(f"{path}: cannot read as {FORMATS[f].name}: {_first_line(e)}") from None
    return g


def _first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


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
