"""PDF: the text layer, read with PDFium (pypdfium2), or the pages recognised by OCR.

Each page's text comes with the box of every line, so that running headers, footers and
page numbers can be dropped and lines wrapped inside a paragraph joined again
(:mod:`cascade.read.layout`). Combining tone marks are joined to their letters. A text
layer that is garbled (a font without a usable Unicode map: tone marks cut off, private-use
glyphs) is not extracted: the pages are read by OCR when Tesseract is installed, and the
file is refused in one line otherwise. Pages without text (scans) are read by OCR too.
An encrypted PDF that opens with an empty password is read.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from cascade.errors import ReadError
from cascade.read import ocr
from cascade.read.base import ReadOptions, Text, legacy, one_line, quiet
from cascade.read.layout import Line, compose, garbled, paragraphs, strip_page_furniture

SUFFIXES = (".pdf",)
#: characters below which a page counts as having no text layer
MIN_PAGE_TEXT = 10
#: resolution pages are rendered at for OCR
OCR_DPI = 300
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_BREAK = re.compile(r"\r\n|\r|\n")


def read(data: bytes, path: Path, options: ReadOptions) -> Text:
    """A PDF's text, page by page; see the module docstring."""
    import pypdfium2 as pdfium

    warnings: list[str] = []
    with quiet():
        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            if "password" in str(e).lower():
                raise ReadError("encrypted PDF") from e
            raise ReadError(f"not a valid PDF ({one_line(e, 80)})") from e
        try:
            if _encrypted(doc):
                warnings.append("encrypted PDF opened with an empty password")
            return _read(doc, options, warnings)
        finally:
            doc.close()


def _encrypted(doc: Any) -> bool:
    import pypdfium2.raw as raw

    return bool(raw.FPDF_GetSecurityHandlerRevision(doc) != -1)


def _read(doc: Any, options: ReadOptions, warnings: list[str]) -> Text:
    pages: list[list[Line]] = []
    for number in range(len(doc)):
        try:
            pages.append(page_lines(doc[number]))
        except Exception as e:  # noqa: BLE001 - one broken page must not lose the others
            warnings.append(f"page {number + 1}: no text extracted ({one_line(e, 80)})")
            pages.append([])
    visible = [sum(len("".join(line.text.split())) for line in lines) for lines in pages]
    empty = [i for i, v in enumerate(visible) if v < MIN_PAGE_TEXT]
    if sum(visible) < 16 * max(1, len(pages)) and len(empty) * 2 >= len(pages):
        why = ocr.refusal(options)
        if why:
            raise ReadError(f"no text layer (scanned?): {why}")
        return _ocr(doc, range(len(doc)), pages, options, warnings)
    text, starts, removed = _layout(pages)
    text = legacy(text, warnings)
    bad = garbled(text)
    if bad:
        why = ocr.refusal(options)
        if why:
            raise ReadError(f"garbled text layer ({bad}; a font without a Unicode map): {why}")
        warnings.append(f"garbled text layer ({bad}): read by OCR")
        return _ocr(doc, range(len(doc)), pages, options, warnings)
    if empty:
        listed = ", ".join(str(i + 1) for i in empty)
        why = ocr.refusal(options)
        if why is None:
            note = f"no text layer on page(s) {listed}: read by OCR"
            return _ocr(doc, empty, pages, options, [*warnings, note])
        warnings.append(f"no text on page{'s' if len(empty) > 1 else ''} {listed} (scanned? {why})")
    return Text(text, warnings + removed, starts)


def _layout(pages: list[list[Line]]) -> tuple[str, tuple[int, ...], list[str]]:
    pages, removed = strip_page_furniture(pages)
    text, starts = paragraphs(pages)
    return text, starts, removed


def page_lines(page: Any) -> list[Line]:
    """The lines of a page's text layer, each with the box from its first to its last letter."""
    tp = page.get_textpage()
    try:
        text = _LONE_SURROGATE.sub("\ufffd", tp.get_text_range())   # a broken font's map may hold them
        n = tp.count_chars()
        exact = len(text) == n          # PDFium's text has one character per character index
        lines: list[Line] = []
        start = 0
        for end in _line_ends(text):
            segment = text[start:end]
            stripped = segment.strip()
            if stripped:
                first = start + (len(segment) - len(segment.lstrip()))
                last = start + len(segment.rstrip()) - 1
                if exact:
                    left, bottom, _, top = tp.get_charbox(first, loose=True)
                    right = tp.get_charbox(last, loose=True)[2]
                    if _spaced_out(stripped):
                        stripped = _rebuild_words(tp, text, first, last) or stripped
                else:
                    left = bottom = right = top = 0.0
                lines.append(Line(compose(stripped), left, right, bottom, top))
            start = end
        return lines
    finally:
        tp.close()


def _spaced_out(line: str) -> bool:
    """A line whose letters stand apart (``K Ế H O Ạ C H``): most of its pieces are one letter long.

    Titles are often set with expanded letter spacing, and the text layer then has a space
    between every two letters.
    """
    pieces = line.split()
    single = sum(1 for p in pieces if len(p) == 1)
    return len(pieces) >= 4 and single >= 0.6 * len(pieces)


def _rebuild_words(tp: Any, text: str, first: int, last: int) -> str | None:
    """The words of a letter-spaced line, told apart by the gaps between the glyphs.

    The gaps between letters of one word are alike; a word break adds the width of a space.
    Gaps wider than halfway between the narrowest and the widest are word breaks; when all
    gaps are alike, the line is one word. None when the glyph boxes cannot be had.
    """
    glyphs: list[tuple[str, float, float]] = []
    for i in range(first, last + 1):
        c = text[i]
        if c.isspace():
            continue
        try:
            left, _, right, _ = tp.get_charbox(i)
        except Exception:  # noqa: BLE001 - PDFium has no box for some characters
            return None
        if glyphs and right - left <= 0.01:            # a combining mark: it belongs to the letter before
            glyphs[-1] = (glyphs[-1][0] + c, glyphs[-1][1], glyphs[-1][2])
            continue
        glyphs.append((c, left, right))
    if len(glyphs) < 2:
        return None
    gaps = [b[1] - a[2] for a, b in zip(glyphs, glyphs[1:], strict=False)]
    narrow, wide = min(gaps), max(gaps)
    split = (narrow + wide) / 2 if wide > 1.6 * max(narrow, 0.5) else float("inf")
    out = [glyphs[0][0]]
    for (c, _, _), gap in zip(glyphs[1:], gaps, strict=True):
        out.append((" " if gap > split else "") + c)
    return "".join(out)


def _line_ends(text: str) -> list[int]:
    """Where each line of PDFium's text ends (line breaks are ``\\r\\n``, sometimes ``\\n`` or ``\\r``)."""
    ends = [m.end() for m in _BREAK.finditer(text)]
    if not ends or ends[-1] != len(text):
        ends.append(len(text))
    return ends


def _ocr(doc: Any, numbers: Any, pages: list[list[Line]], options: ReadOptions, warnings: list[str]) -> Text:
    """Recognise the pages ``numbers`` (rendered at :data:`OCR_DPI`) and lay out all pages again."""
    pages = list(pages)
    confidences: list[float] = []
    with tempfile.TemporaryDirectory(prefix="cascade-ocr-") as tmp:
        for i in numbers:
            image = Path(tmp, f"page-{i + 1}.png")
            with quiet():
                bitmap = doc[i].render(scale=OCR_DPI / 72, grayscale=True)
                bitmap.to_pil().save(image)
            found, conf = ocr.recognise(image, options.ocr_language)
            pages[i] = [line for page in found for line in page]
            confidences += conf
            image.unlink()
    return ocr.from_pages(pages, confidences, warnings)
