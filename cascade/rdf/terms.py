"""RDF terms as text: N-Triples, Turtle and JSON-LD value objects, and typed literals.

The mapping (:mod:`cascade.rdf.mapping`) makes its triples from one of these kinds of term,
so each writer receives the text it prints and no object is made per term.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, BNode, Literal, URIRef
from rdflib.namespace import XSD

from cascade.errors import ExportError
from cascade.rdf.namespace import PREFIXES

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


def rdflib_term(t: Any) -> Any:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        dtype = t.datatype.value
        return Literal(t.value, datatype=None if dtype == _XSD_STRING else URIRef(dtype), normalize=False)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    raise ExportError(f"unsupported RDF term {t!r}")
