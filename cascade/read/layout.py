"""Lines placed on a page -> paragraphs: what PDF text layers and OCR have in common.

A page gives lines with their boxes. Running headers, footers and page numbers are dropped
(:func:`strip_page_furniture`); lines a paragraph was wrapped into are joined again
(:func:`paragraphs`); the text is checked for the signs of a font without a usable Unicode
map (:func:`garbled`).
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass


@dataclass(slots=True)
class Line:
    """One printed line: its text and box (PDF points, y growing upwards)."""

    text: str
    left: float = 0.0
    right: float = 0.0
    bottom: float = 0.0
    top: float = 0.0

    @property
    def height(self) -> float:
        return self.top - self.bottom


# -- running headers, footers, page numbers --------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^\s*[-–—]?\s*(?:trang|page)?\s*(\d{1,4})\s*(?:(?:/|của|of)\s*\d{1,4})?\s*[-–—]?\s*$", re.IGNORECASE)
#: the running head of the official gazette: "CÔNG BÁO/Số 123 + 124/Ngày 15-3-2021"
_GAZETTE = re.compile(r"^\s*(?:\d{1,4}\s+)?CÔNG\s*BÁO\s*/\s*Số\s+[\d\s+]{1,20}/\s*Ngày\s+[\d\s/.-]{6,12}"
                      r"(?:\s+\d{1,4})?\s*$",
                      re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_FRAGMENT = re.compile(r"[^\W\d_]{1,2}")
_EDGE = 2           # lines at the top and at the bottom of a page where headers and footers live


def strip_page_furniture(pages: list[list[Line]]) -> tuple[list[list[Line]], list[str]]:
    """Drop page numbers and running headers/footers from the top and bottom lines of pages.

    * A page number is a line with a bare number (``12``, ``- 12 -``, ``Trang 12``,
      ``12/30``) whose value follows the page's position with the same offset on at least
      half of the pages.
    * The official gazette's running head (``CÔNG BÁO/Số .../Ngày ...``, with the page
      number beside it) is dropped wherever it stands at the top or bottom of a page.
    * A fragment of one or two letters alone on the first or last line of a page is dropped:
      it is a glyph of the next or previous page drawn into the margin and clipped (a tall
      capital with its tone mark, ``Ổ``), not text of this page.
    * A running header or footer is a line found, digits aside, among the top or bottom lines
      of at least 60% of the pages after the first (and of three or more). The first page
      keeps it: it usually holds the document's real header.
    """
    n = len(pages)
    warnings: list[str] = []
    edges = [_edge_indexes(lines) for lines in pages]
    drop: list[set[int]] = [set() for _ in pages]
    gazette = 0
    for i, (lines, idx) in enumerate(zip(pages, edges, strict=True)):
        heads = {j for j in idx if _GAZETTE.match(unicodedata.normalize("NFC", lines[j].text))}
        drop[i] |= heads
        gazette += bool(heads)
    if gazette:
        warnings.append("gazette page heads removed")
    for lines, idx, d in zip(pages, edges, drop, strict=True):
        if idx:
            d |= {j for j in (idx[0], idx[-1]) if _FRAGMENT.fullmatch(lines[j].text.strip())}
    offsets: Counter[int] = Counter()
    for i, (lines, idx) in enumerate(zip(pages, edges, strict=True)):
        offsets.update({int(m.group(1)) - i for j in idx if (m := _PAGE_NUMBER.match(lines[j].text))})
    if n >= 2 and offsets:
        offset, count = offsets.most_common(1)[0]
        if count >= max(2, math.ceil(n / 2)):
            for i, (lines, idx) in enumerate(zip(pages, edges, strict=True)):
                drop[i] |= {j for j in idx
                            if (m := _PAGE_NUMBER.match(lines[j].text)) and int(m.group(1)) - i == offset}
            warnings.append("page numbers removed")
    if n >= 4:
        keys: Counter[str] = Counter()
        for lines, idx in zip(pages[1:], edges[1:], strict=True):
            keys.update({_furniture_key(lines[j].text) for j in idx})
        need = max(3, math.ceil(0.6 * (n - 1)))
        running = {k for k, c in keys.items() if c >= need and k}
        if running:
            for i in range(1, n):
                drop[i] |= {j for j in edges[i] if _furniture_key(pages[i][j].text) in running}
            warnings.append("page headers removed")
    cleaned = [[line for j, line in enumerate(lines) if j not in d]
               for lines, d in zip(pages, drop, strict=True)]
    return cleaned, warnings


def _edge_indexes(lines: list[Line]) -> list[int]:
    filled = [j for j, line in enumerate(lines) if line.text.strip()]
    return sorted(set(filled[:_EDGE] + filled[-_EDGE:]))


def _furniture_key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split())).casefold()


# -- wrapped lines -----------------------------------------------------------------------------------

#: a line that starts a paragraph of its own: a list item, an article, a section number
_STARTS_ITEM = re.compile(r"[-+•*–]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|[a-zđ][.)]\s|[IVXL]{1,6}\.\s"
                          r"|(?:Điều|ĐIỀU|Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN)\s+[\dIVXL]")
#: how a line ends before a list item: the item before ends a clause, the lead-in ends with a colon
_ENDS_CLAUSE = re.compile(r"[.;:!?…)\"”']\s*$")
_SOFT_HYPHENS = "\u00ad\x02\ufffe"


def paragraphs(pages: list[list[Line]]) -> tuple[str, tuple[int, ...]]:
    """Join the lines a paragraph was wrapped into; returns the text and where each page starts.

    A line continues the one before when the one before reaches the right edge of the text
    block (a wrapped line does; the last line of a paragraph rarely does), the line starts
    at the block's left edge (a first-line indent starts a paragraph), it does not start
    a list item (``-``, ``1.``, ``a)``, ``II.``, ``Điều 3``) after a line that ends a clause
    (``.``, ``;``, ``:``; a dash that wraps inside ``khoa học - công nghệ`` does not start an
    item), and the space between the two
    is no wider than the document's usual line spacing (paragraph spacing ends one). A
    paragraph may go on over a page break. Wrapped lines are joined by a space; a line that
    ends in a hyphen straight after a letter or digit (``07-`` / ``KH/TU``) is joined
    without one, and a soft hyphen is removed.
    """
    pitch = _usual_pitch(pages)
    parts: list[str] = []
    starts: list[int] = []
    length = 0
    prev: Line | None = None
    prev_block: tuple[float, float] = (0.0, 0.0)
    for lines in pages:
        lines = [ln for ln in lines if ln.text.strip()]
        block = _block(lines)
        page_start = True
        starts.append(length)
        for line in lines:
            text = line.text.strip()
            if prev is None:
                sep = ""
            elif _continues(prev, line, prev_block, block, None if page_start else pitch):
                last = parts[-1]
                if last and last[-1] in _SOFT_HYPHENS:
                    parts[-1] = last[:-1]
                    length -= 1
                    sep = ""
                elif last.endswith("-") and len(last) > 1 and last[-2].isalnum():
                    sep = ""
                else:
                    sep = " "
            else:
                sep = "\n"
            if page_start:
                starts[-1] = length + len(sep)
            parts.append(sep + text)
            length += len(parts[-1])
            prev, prev_block, page_start = line, block, False
    text = "".join(parts)
    return text, tuple(min(s, len(text)) for s in starts)


def _block(lines: list[Line]) -> tuple[float, float]:
    """The left and right edges of a page's text block: where most lines start, the rightmost end.

    The right edge counts only when two lines or more reach it (a block of wrapped text);
    otherwise it is put out of reach, so that no line of the page is taken as wrapped.
    """
    if not lines:
        return 0.0, 0.0
    lefts = Counter(round(ln.left) for ln in lines)
    left = min(x for x, c in lefts.items() if c >= max(lefts.values()) / 2)
    right = max(ln.right for ln in lines)
    tol = max(0.08 * (right - left), 1.0)
    if sum(1 for ln in lines if ln.right >= right - tol) < 2:
        return float(left), float("inf")
    return float(left), right


def _usual_pitch(pages: list[list[Line]]) -> float | None:
    gaps = [a.bottom - b.bottom for lines in pages for a, b in zip(lines, lines[1:], strict=False)
            if 0 < a.bottom - b.bottom < 4 * max(a.height, b.height, 1)]
    if len(gaps) < 3:
        return None
    gaps.sort()
    return gaps[len(gaps) // 4]


def _continues(prev: Line | None, line: Line, prev_block: tuple[float, float], block: tuple[float, float],
               pitch: float | None) -> bool:
    if prev is None:
        return False
    em = max(prev.height, line.height, 1.0)
    left, right = block
    prev_left, prev_right = prev_block
    width = max(prev_right - prev_left, 1.0)
    if prev_right == float("inf") or prev.right < prev_right - max(0.08 * width, em):
        return False                                      # the line before ends short: a paragraph ends
    if line.left > left + 0.6 * em:
        return False                                      # indented: a new paragraph
    if pitch is not None and prev.bottom - line.bottom > 1.25 * pitch + 0.5:
        return False                                      # paragraph spacing
    if pitch is not None and prev.bottom - line.bottom <= 0:
        return False                                      # not below the line before
    return not (_STARTS_ITEM.match(line.text.lstrip()) and _ENDS_CLAUSE.search(prev.text))


# -- garbled text --------------------------------------------------------------------------------------

_UNUSABLE = re.compile("[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]")
_LOOSE_MARK = re.compile(r"(?:^|\s)[\u0300-\u036f]")
_WORD = re.compile(r"[^\W\d_]+")
#: one-letter Vietnamese words, which a word cut into pieces must not be mistaken for
_ONE_LETTER_WORDS = frozenset("àáạảãêởơờừồốôưủýìỉỷ")


def garbled(text: str) -> str | None:
    """Why ``text`` looks like the output of a font without a usable Unicode map, or None.

    Signs: private-use or replacement characters, control characters, combining marks on
    their own, and letters with tone marks standing alone between the pieces of a word
    (``K Ế HO Ạ CH``).
    """
    visible = len(text) - sum(map(text.count, " \n\t\r\xa0"))
    if not visible:
        return None
    bad = len(_UNUSABLE.findall(text))
    if bad > 0.02 * visible:
        return f"{bad} unusable characters (private-use glyphs or U+FFFD)"
    loose = len(_LOOSE_MARK.findall(text))
    if loose > 0.01 * visible:
        return f"{loose} tone marks separated from their letters"
    words = _WORD.findall(unicodedata.normalize("NFC", text))
    split = sum(1 for w in words if len(w) == 1 and not w.isascii() and w.lower() not in _ONE_LETTER_WORDS)
    if words and split > 0.03 * len(words) and split >= 5:
        return f"{split} letters with tone marks cut out of their words"
    return None


_SPACE_BEFORE_MARK = re.compile(r"\s+(?=[\u0300-\u036f])")


def compose(text: str) -> str:
    """Combining tone marks joined to their letters (NFC), spaces wrongly put before them removed."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", _SPACE_BEFORE_MARK.sub("", text))
    return text
