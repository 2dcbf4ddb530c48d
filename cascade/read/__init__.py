"""Files in, text out: every format a researcher has -> :class:`RawDocument`.

The text a reader returns is the text *as read*: every evidence span in the project points
into it, so nothing here cleans it for parsing (``normalize.py`` does that, with an offset
map). One module per format, each behind one interface (bytes -> text, warnings and page
offsets; see :mod:`cascade.read.base`):

* ``.txt`` ``.md``: :mod:`~cascade.read.text` (encodings, YAML front matter);
* ``.docx``: :mod:`~cascade.read.docx` (paragraphs, tables, list numbers, notes);
* ``.pdf``: :mod:`~cascade.read.pdf` (PDFium text layer; OCR for scanned or garbled pages);
* ``.png`` ``.jpg`` ``.tif``: :mod:`~cascade.read.ocr` (Tesseract);
* ``.doc`` ``.rtf`` ``.odt``: :mod:`~cascade.read.office` (LibreOffice -> .docx);
* ``.html`` ``.htm``: :mod:`~cascade.read.html` (the document without the site around it).

Which files are read is :mod:`~cascade.read.files`; known metadata (number, date,
issuer...) comes from a ``manifest.csv`` next to the files (:mod:`~cascade.read.manifest`)
and from front matter; front matter wins.

Errors are :class:`~cascade.errors.ReadError` with a one-line message naming the problem;
the caller prefixes the file name.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from cascade.errors import ReadError
from cascade.read import docx, html, ocr, office, pdf, text
from cascade.read import files as _files
from cascade.read.base import MAX_BYTES, ReadOptions, quiet
from cascade.read.manifest import (
    MANIFEST_FIELDS,
    MANIFEST_NAME,
    folder_manifest,
    load_manifest,
    manifest_entry,
)
from cascade.read.text import split_front_matter

__all__ = ["MANIFEST_FIELDS", "MANIFEST_NAME", "MAX_BYTES", "SUPPORTED", "RawDocument", "ReadOptions",
           "iter_files",
           "load_manifest", "read_bytes", "read_file", "split_front_matter"]

READERS: tuple[ModuleType, ...] = (text, docx, pdf, ocr, office, html)
_BY_SUFFIX: dict[str, ModuleType] = {s: m for m in READERS for s in m.SUFFIXES}
SUPPORTED = tuple(_BY_SUFFIX)


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One file as read.

    Attributes:
        source: the path as given to :func:`read_file`.
        text: the decoded text as read; evidence spans point into this string.
        format: the file's suffix without the dot, lower case (``"txt"``, ``"pdf"``, ``"doc"``...).
        sha256: hex digest of the file's bytes.
        manifest: known metadata from ``manifest.csv`` and front matter (keys of
            :data:`MANIFEST_FIELDS` that have a value).
        warnings: one-line notes on what the reader did or doubted.
        pages: where each page starts in ``text`` (PDF and OCR; empty otherwise).
        ocr: the text was (partly) recognised from images by OCR.
        ocr_confidence: the mean word confidence of the OCR (0-100), or None.
        site: a hosting site's metadata block (saved web pages), kept apart from the text.
    """

    source: str
    text: str
    format: str
    sha256: str
    manifest: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    pages: tuple[int, ...] = ()
    ocr: bool = False
    ocr_confidence: float | None = None
    site: dict[str, str] = field(default_factory=dict)


def iter_files(paths: Iterable[str | Path], *, follow_links: bool = False,
               on_skip: Callable[[Path, str], None] | None = None) -> list[Path]:
    """The document files under ``paths`` (see :func:`cascade.read.files.iter_files`)."""
    return _files.iter_files(paths, SUPPORTED, follow_links=follow_links, on_skip=on_skip)


def read_file(path: str | Path, manifest: Mapping[str, Mapping[str, str]] | None = None,
              options: ReadOptions | None = None, data: bytes | None = None) -> RawDocument:
    """Read one document file.

    Args:
        path: a file of a :data:`SUPPORTED` type.
        manifest: known metadata as :func:`load_manifest` returns it. None reads the
            ``manifest.csv`` next to the file, if any (parsed once per folder); pass ``{}``
            to use none.
        options: OCR on or off, the size limit...; None uses the defaults.
        data: the file's bytes when the caller read them already with :func:`read_bytes`
            (the build reads a file once for its cache key and its record).

    Raises:
        ReadError: with a one-line message such as ``"empty file"``, ``"not UTF-8 or UTF-16
            text (...)"``, ``"not a valid .docx (...)"``, ``"encrypted PDF"``, ``"no text
            layer (scanned?): ..."``, ``"unsupported file type .xyz"``, ``"a FIFO, not a
            regular file: skipped"``, ``"larger than the 64 MB limit per file ..."``.
    """
    options = options or ReadOptions()
    p = Path(path)
    suffix = p.suffix.lower()
    reader = _BY_SUFFIX.get(suffix)
    if reader is None:
        raise ReadError(f"unsupported file type {p.suffix or '(no suffix)'}")
    if data is None:
        data = read_bytes(p, options.max_bytes)
    if not data:
        raise ReadError("empty file")
    # plain text uses no library to silence, and quiet() costs as much as reading it
    with quiet() if getattr(reader, "LIBRARIES", True) else contextlib.nullcontext():
        got = reader.read(data, p, options)
    notes: tuple[str, ...] = ()
    if manifest is None:
        manifest, notes = folder_manifest(p.parent)
    meta = manifest_entry(p, manifest)
    meta.update(got.meta)
    warnings = list(got.warnings)
    if notes:
        more = f" (and {len(notes) - 1} more manifest problems)" if len(notes) > 1 else ""
        warnings.append(notes[0] + more)
    return RawDocument(_files.source_name(path), got.text, suffix[1:], hashlib.sha256(data).hexdigest(), meta,
                       tuple(warnings),
                       got.pages, got.ocr, got.ocr_confidence, got.site)


def read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes: only a regular file, and no more than ``limit`` bytes.

    Raises:
        ReadError: for a missing file, a folder, a FIFO or device, a file over ``limit``.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError as e:
        raise ReadError("no such file") from e
    except IsADirectoryError as e:
        raise ReadError("a folder, not a file") from e
    except OSError as e:
        raise ReadError(f"cannot read the file ({e.strerror or e})") from e
    try:
        st = os.fstat(fd)
        kind = _files.special_kind(st.st_mode)
        if kind:
            raise ReadError(f"{kind}, not a regular file: skipped")
        if st.st_size > limit:
            raise ReadError(f"{_mb(st.st_size)}: larger than the {_mb(limit)} limit per file "
                            "(--max-file-size to change it)")
        data = _read_upto(fd, st.st_size, limit)
    except OSError as e:
        raise ReadError(f"cannot read the file ({e.strerror or e})") from e
    finally:
        os.close(fd)
    if len(data) > limit:
        raise ReadError(f"larger than the {_mb(limit)} limit per file (--max-file-size to change it)")
    return data


def _read_upto(fd: int, size: int, limit: int) -> bytes:
    """Up to ``limit + 1`` bytes of an open file whose size was ``size``: one read of that size
    and one more that finds the end (a file that grew meanwhile is read on, to the limit).

    Reading with the size in hand, rather than asking for ``limit + 1`` bytes at once, spares
    allocating (and giving back) a buffer of the whole limit for every small file.
    """
    parts: list[bytes] = []
    got = 0
    want = size + 1
    while got <= limit:
        chunk = os.read(fd, min(want, limit + 1 - got))
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
        want = max(want - len(chunk), 1 << 16)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _mb(n: int) -> str:
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{n} bytes"
