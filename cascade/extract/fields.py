"""Metadata fields as the header stages read them, each with its evidence and whether it was inferred."""
from __future__ import annotations

from typing import Any

from cascade.models import Evidence
from cascade.text.normalize import CleanText


class FieldBuilder:
    """Collects fields with their evidence and whether they were inferred."""

    def __init__(self, ct: CleanText, source: str):
        self.ct, self.source = ct, source
        self.values: dict[str, Any] = {}         # str, Signer or tuple[str, ...] by field
        self.evidence: dict[str, Evidence] = {}
        self.inferred: set[str] = set()

    def set(self, field: str, value: object, span: tuple[int, int] | None = None, inferred: bool = False,
            overwrite: bool = False) -> None:
        if value is None or (field in self.values and not overwrite):
            return
        self.values[field] = value
        if span is not None:
            a, b = self.ct.original(*span)
            self.evidence[field] = Evidence(self.source, a, b, self.ct.raw[a:b])
        if inferred:
            self.inferred.add(field)
        else:
            self.inferred.discard(field)
