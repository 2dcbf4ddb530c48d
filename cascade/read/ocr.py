"""Scans: images (``.png``, ``.jpg``, ``.tif``) and PDF pages without text, read by Tesseract.

Tesseract (Apache-2.0) runs as a separate program, ``tesseract``, with its Vietnamese
model (Debian: ``tesseract-ocr`` and ``tesseract-ocr-vie``); one call per page, in the
process that reads the file (the build's worker), limited to one thread so that workers do
not fight over the cores. Words come back with their boxes and confidences (Tesseract's TSV
output); lines go through the same layout rules as a PDF's text layer
(:mod:`cascade.read.layout`), and the text returned is the OCR text that evidence spans
point into.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from cascade.errors import ReadError
from cascade.read.base import ReadOptions, Text, beat, one_line, quiet
from cascade.read.layout import Line, compose, paragraphs, strip_page_furniture

SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
INSTALL_HINT = ("install Tesseract to read scans "
                "(Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-vie)")
#: seconds one page may take
PAGE_TIMEOUT = 180
#: the largest image read (pixels): an A4 page at 600 dpi is 35 million
MAX_PIXELS = 60_000_000


@functools.cache
def _languages(exe: str) -> frozenset[str]:
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in out.stdout.splitlines()[1:] if line.strip())


def missing(language: str = "vie") -> str | None:
    """Why OCR cannot run here (one line with the fix), or None when it can."""
    exe = shutil.which("tesseract")
    if exe is None:
        return f"Tesseract is not installed: {INSTALL_HINT}"
    langs = _languages(exe)
    absent = [lang for lang in language.split("+") if lang not in langs]
    if absent:
        return (f"Tesseract has no {'+'.join(absent)} model: install it "
                f"(Debian/Ubuntu: apt-get install {' '.join('tesseract-ocr-' + a for a in absent)})")
    return None


def refusal(options: ReadOptions) -> str | None:
    """Why this read may not use OCR (off, or not installed), or None."""
    if not options.ocr:
        return "OCR is off (--no-ocr)"
    return missing(options.ocr_language)


def read(data: bytes, path: Path, options: ReadOptions) -> Text:
    """An image file's text, recognised page by page (a TIFF may hold several)."""
    why = refusal(options)
    if why:
        raise ReadError(f"an image: {why}" if not options.ocr else why)
    _check_image(data)
    with tempfile.TemporaryDirectory(prefix="cascade-ocr-") as tmp:
        image = Path(tmp, "page" + (path.suffix.lower() or ".png"))
        image.write_bytes(data)
        pages, confidences = recognise(image, options.ocr_language)
    return from_pages(pages, confidences, [])


def _check_image(data: bytes) -> None:
    from PIL import Image

    try:
        with quiet(), Image.open(_bytes_io(data)) as im:
            width, height = im.size
    except Exception as e:  # noqa: BLE001 - PIL raises many kinds on broken or hostile images
        raise ReadError(f"not a readable image ({one_line(e, 80)})") from e
    if width * height > MAX_PIXELS:
        raise ReadError(f"refused: an image of {width}x{height} pixels "
                        f"(more than {MAX_PIXELS // 10**6} million)")


def _bytes_io(data: bytes):  # type: ignore[no-untyped-def]
    import io

    return io.BytesIO(data)


def from_pages(pages: list[list[Line]], confidences: list[float], warnings: list[str]) -> Text:
    """The text of recognised pages, with the layout rules applied and the mean confidence."""
    pages, removed = strip_page_furniture(pages)
    text, starts = paragraphs(pages)
    if len("".join(text.split())) < 16:
        raise ReadError("no text recognised (OCR)")
    mean = round(sum(confidences) / len(confidences), 1) if confidences else None
    return Text(text, [*warnings, *removed, f"read by OCR (mean word confidence {mean})"], starts,
                ocr=True, ocr_confidence=mean)


def recognise(image: Path, language: str) -> tuple[list[list[Line]], list[float]]:
    """Lines of each page in ``image`` and the confidence of each word (0-100)."""
    beat()
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        out = subprocess.run(["tesseract", str(image), "stdout", "-l", language, "--psm", "3", "tsv"],
                             capture_output=True, timeout=PAGE_TIMEOUT, env=env, check=False)
    except subprocess.TimeoutExpired as e:
        raise ReadError(f"OCR took longer than {PAGE_TIMEOUT} s on one page") from e
    except OSError as e:
        raise ReadError(f"Tesseract could not be run ({e.strerror or e})") from e
    if out.returncode != 0:
        err = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReadError(f"Tesseract failed ({one_line(err[-1] if err else out.returncode, 80)})")
    return parse_tsv(out.stdout.decode("utf-8", "replace").splitlines())


def _fix_case(word: str) -> str:
    """A capital straight after a small letter made small: Tesseract takes ``ư`` for ``Ư``.

    Vietnamese words are written all small, capitalised or all in capitals, never with a
    capital after a small letter (``ThƯờng`` is ``Thường``).

    >>> _fix_case("ThƯờng"), _fix_case("KH/TU"), _fix_case("Tỉnh"), _fix_case("UBND")
    ('Thường', 'KH/TU', 'Tỉnh', 'UBND')
    """
    if word.isupper() or word.islower():
        return word
    out = list(word)
    for k in range(1, len(out)):
        if out[k].isupper() and out[k - 1].islower():
            out[k] = out[k].lower()
    return "".join(out)


def parse_tsv(rows: Iterable[str]) -> tuple[list[list[Line]], list[float]]:
    """Tesseract's TSV (one row per word, with its page, block, paragraph and line) -> lines of pages."""
    pages: dict[int, dict[tuple[int, int, int], list[tuple[int, int, int, int, str]]]] = {}
    confidences: list[float] = []
    for row in rows:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            if len(cells) >= 2 and cells[0] == "1" and cells[1].isdigit():
                pages.setdefault(int(cells[1]), {})
            continue
        try:
            page, block, par, line = (int(c) for c in cells[1:5])
            left, top, width, height = (int(c) for c in cells[6:10])
            conf = float(cells[10])
        except ValueError:
            continue
        word = _fix_case(cells[11].strip())
        if not word:
            continue
        pages.setdefault(page, {}).setdefault((block, par, line), []).append((left, top, width, height, word))
        if conf >= 0:
            confidences.append(conf)
    out: list[list[Line]] = []
    for page in sorted(pages):
        lines = []
        for words in pages[page].values():
            words.sort()
            top = min(w[1] for w in words)
            bottom = max(w[1] + w[3] for w in words)
            lines.append(Line(compose(" ".join(w[4] for w in words)), float(words[0][0]),
                              float(max(w[0] + w[2] for w in words)), float(-bottom), float(-top)))
        out.append(lines)
    return out, confidences
