"""One document, text to record: normalize -> metadata -> references -> tasks.

>>> rec = extract_text("KẾ HOẠCH\\n\\nThực hiện Kế hoạch số 07-KH/TU ngày 23/12/2020 của Ban Thường vụ "
...                    "Tỉnh ủy, UBND tỉnh Đắk Lắk ban hành Kế hoạch như sau:\\n", "plan.txt")
>>> [(m.number, m.province) for m in rec.mentions]
[('07-KH/TU', 'Đắk Lắk')]
>>> [(r.source, r.type, r.target) for r in rec.relations]
[('self', 'implements', 'm1')]
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from cascade.extract.header import extract_metadata
from cascade.extract.references import extract_references
from cascade.extract.tasks import extract_tasks
from cascade.models import Record
from cascade.read.base import ReadOptions
from cascade.text.normalize import clean
from cascade.vn import dates

#: a UTF-16 surrogate on its own (a broken PDF text layer, a bad escape): no character at all
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def extract_text(text: str, source: str, manifest: Mapping[str, str] | None = None, *, fmt: str = "txt",
                 sha256: str | None = None, warnings: tuple[str, ...] = ()) -> Record:
    """Extract the record of one document from its text as read.

    A lone surrogate in ``text`` is read as U+FFFD, one for one, so that every span still
    indexes ``text`` and the record can be written as UTF-8.
    """
    return _extract(text, source, manifest, fmt, sha256, warnings)


def _extract(text: str, source: str, manifest: Mapping[str, str] | None, fmt: str, sha256: str | None,
             warnings: tuple[str, ...], site: Mapping[str, str] | None = None, ocr: bool = False,
             ocr_confidence: float | None = None) -> Record:
    """:func:`extract_text`, and what :func:`extract_file` adds from the file as read: the site's
    metadata (filling only the fields the document and the manifest leave empty) and the OCR."""
    try:
        encoded = text.encode("utf-8")              # fails on a surrogate only (faster than searching)
    except UnicodeEncodeError:
        sha256 = sha256 or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        text = _LONE_SURROGATE.sub("\ufffd", text)
        warnings = (*warnings, "unpaired surrogates in the text read as U+FFFD")
        encoded = text.encode("utf-8")
    ct = clean(text)
    meta, header_end, title_end, meta_warnings = extract_metadata(ct, source, manifest)
    mentions, relations, ref_warnings = extract_references(ct, meta, source, title_end=title_end,
                                                           self_number=meta.number, header_end=header_end)
    tasks = extract_tasks(ct, source, province=meta.province, district=meta.district, level=meta.level,
                          year=dates.year_of(meta.date) or _year_hint(mentions))
    filled: dict[str, Any] = {}
    if site:
        filled = {f: v for f, v in site.items() if f in _SITE_FIELDS and getattr(meta, f) is None
                  and f not in (manifest or {})}
        if filled:
            meta = replace(meta, **filled)
    return Record(source=source, sha256=sha256 or hashlib.sha256(encoded).hexdigest(), meta=meta,
                  mentions=mentions, relations=relations, tasks=tasks,
                  warnings=tuple(warnings) + tuple(meta_warnings) + tuple(ref_warnings), format=fmt,
                  ocr=ocr, ocr_confidence=ocr_confidence, site=tuple(site.items()) if site else (),
                  from_site=tuple(filled))


def _year_hint(mentions) -> int | None:
    """The latest year among cited documents: a lower bound for a plan without a date."""
    years = [dates.year_of(m.date) for m in mentions if m.date]
    return max((y for y in years if y), default=None)


def extract_file(path: str | Path, manifest: Mapping[str, Mapping[str, str]] | None = None,
                 options: ReadOptions | None = None, data: bytes | None = None) -> Record:
    """Read one file and extract its record (raises :class:`cascade.errors.ReadError`).

    A saved web page's site metadata (number, date, issuer, type, title shown beside the
    text) fills only the fields the document and the manifest leave empty; ``from_site``
    names them. ``data`` is the file's bytes when they were read already (see
    :func:`cascade.read.read_file`).
    """
    from cascade.read import read_file

    raw = read_file(path, manifest, options, data)
    return _extract(raw.text, raw.source, raw.manifest, raw.format, raw.sha256, raw.warnings, raw.site,
                    raw.ocr, raw.ocr_confidence)


#: metadata fields a hosting site's metadata block may fill
_SITE_FIELDS = ("type", "number", "date", "issuer", "title")
