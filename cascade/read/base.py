"""What every reader shares: its options, what it returns, and small helpers.

A reader is a module with ``SUFFIXES`` (the file name endings it reads, lower case, with
the dot) and ``read(data, path, options) -> Text``. It gets the file's bytes, returns the
text as read with its warnings and page offsets, and raises
:class:`~cascade.errors.ReadError` with a one-line message when the file cannot be read.
:mod:`cascade.read` picks the reader by suffix; a new format is one more module.
"""
from __future__ import annotations

import contextlib
import logging
import os
import warnings as _warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cascade.errors import ReadError
from cascade.text import legacy_encodings

#: the default largest file read, in bytes (``--max-file-size``)
MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How files are read.

    Attributes:
        ocr: read scans (PDF pages without text, images) with Tesseract when it is installed.
        max_bytes: files larger than this are refused with a one-line message.
        follow_links: follow symbolic links that lead out of the folders given.
        ocr_language: Tesseract's language model(s), e.g. ``"vie"`` or ``"vie+eng"``.
        cache_dir: where converted files (.doc -> .docx) are kept, keyed by content;
            None uses ``$XDG_CACHE_HOME/cascade`` (``~/.cache/cascade``).
    """

    ocr: bool = True
    max_bytes: int = MAX_BYTES
    follow_links: bool = False
    ocr_language: str = "vie"
    cache_dir: Path | None = None

    def cache_root(self) -> Path:
        if self.cache_dir is not None:
            return self.cache_dir
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        return Path(base) / "cascade"


@dataclass(slots=True)
class Text:
    """What a reader returns.

    Attributes:
        text: the text as read; every evidence span points into it.
        warnings: one-line notes on what the reader did or doubted.
        pages: the offset in ``text`` where each page starts (empty when the format has no pages).
        ocr: the text (or part of it) was recognised from images.
        ocr_confidence: Tesseract's mean word confidence (0-100) over the recognised pages.
        site: a hosting site's metadata block (saved web pages): field -> value as shown.
        meta: metadata the file states outside its text (YAML front matter); it wins over
            the manifest.
    """

    text: str
    warnings: list[str] = field(default_factory=list)
    pages: tuple[int, ...] = ()
    ocr: bool = False
    ocr_confidence: float | None = None
    site: dict[str, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)


def one_line(e: BaseException | str, limit: int = 120) -> str:
    """An exception (or message) as one short line."""
    msg = " ".join(str(e).split()) or type(e).__name__
    return msg if len(msg) <= limit else msg[:limit - 3] + "..."


def legacy_error(encoding: str) -> ReadError:
    return ReadError(f"legacy {encoding} encoding: convert the file to Unicode (e.g. with UniKey) "
                     "and read it again")


def legacy(text: str, warnings: list[str]) -> str:
    """Convert TCVN3/VNI mojibake, or refuse the file when it cannot be done reliably."""
    found = legacy_encodings.to_unicode(text)
    if found is None:
        return text
    if found.text is None:
        raise legacy_error(found.encoding)
    warnings.append(f"converted from {found.encoding}")
    return found.text


_beat: Callable[[], None] | None = None


@contextlib.contextmanager
def heartbeat(fn: Callable[[], None] | None) -> Iterator[None]:
    """Call ``fn`` at each step of a long read (an OCR page) while the block runs.

    A build's worker gives each file a time budget; a scan read page by page renews it at
    every page, so a long document is not mistaken for a hung one (each page still has its
    budget).
    """
    global _beat
    before, _beat = _beat, fn
    try:
        yield
    finally:
        _beat = before


def beat() -> None:
    """One step of a long read is done (see :func:`heartbeat`)."""
    if _beat is not None:
        _beat()


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Keep libraries from printing their own warnings to the terminal while a file is read."""
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        loggers = [logging.getLogger(name) for name in ("docx", "PIL", "pypdfium2")]
        levels = [lg.level for lg in loggers]
        for lg in loggers:
            lg.setLevel(logging.CRITICAL + 1)
        try:
            yield
        finally:
            for lg, level in zip(loggers, levels, strict=True):
                lg.setLevel(level)
