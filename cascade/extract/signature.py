"""The signature block and the recipients list at the end of a document.

The last position line ("CHỦ TỊCH", "KT. BỘ TRƯỞNG / THỨ TRƯỞNG") above a name is the signature:
the capacity lines above it (TM., KT., TL.) say on whose behalf the signer signs. "Nơi nhận:"
opens the recipients list, which is not part of the body.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from cascade.extract.issuers import sentence_case
from cascade.models import Signer
from cascade.text.normalize import LOWER, UPPER
from cascade.vn.cues import CAPACITIES, POSITIONS, RECIPIENTS_MARKER

_RECIPIENTS = re.compile(re.escape(RECIPIENTS_MARKER) + r"\s*:?")
_RECIPIENTS_INDENT = re.compile(r"[ *_]*")
_POSITION_LINE = re.compile(r"^[ *_]*(?P<title>"
                            + "|".join(sorted(map(re.escape, POSITIONS), key=len, reverse=True))
                            + r")(?:[ ]{1,3}(?:QUỐC HỘI|CHÍNH PHỦ|BỘ[ ]{1,3}[" + UPPER + r" ,]{2,60}))?"
                            r"[ *_]*$")     # "CHỦ TỊCH QUỐC HỘI", "BỘ TRƯỞNG BỘ TÀI CHÍNH": the body it heads
_CAPACITY = re.compile(r"^[ *_]*(?P<cap>" + "|".join(map(re.escape, CAPACITIES))
                       + r")\s*(?P<rest>[^\n*]*?)[ *_]*$")
_CAPACITY_REACH = 3                 # capacity lines (TM., KT....) are looked for up to 3 lines above it
_SIGNATURE_REACH = 600              # last_signature reads the lines of the last 600 characters first
_NAME_WORD = r"(?:[" + UPPER + r"][" + LOWER + r"]+|[" + UPPER + r"]+)"     # "Nguyễn" or "NGUYỄN"
_NAME = re.compile(r"^[ *_]*(?P<name>" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){1,4})"
                   r"[ *_.…]*$")


def _last_position(lines: list[tuple[int, int, str]], upto: int | None = None
                   ) -> tuple[int, re.Match[str]] | None:
    """The index of the last position line (CHỦ TỊCH, BÍ THƯ...) among ``lines[:upto]`` and its match,
    or None."""
    for i in range(len(lines) - 1 if upto is None else upto - 1, -1, -1):
        m = _position(lines[i][2])
        if m:
            return i, m
    return None


def _position(line: str) -> re.Match[str] | None:
    """``_POSITION_LINE.match(line.upper() if line.isupper() else line)``: a position line's match, or None.

    A line not in capitals is never one: the pattern has no lower-case letter (its titles and bodies are
    in capitals, the rest spaces, "*", "_" and commas), and such a line either has a lower-case letter or
    no letter at all.
    """
    return _POSITION_LINE.match(line.upper()) if line.isupper() else None


def _signer_at(lines: list[tuple[int, int, str]], i: int, m: re.Match[str]
               ) -> tuple[Signer, tuple[int, int] | None]:
    """The signer of the block whose position line is ``lines[i]``, matched as ``m``."""
    title = POSITIONS[m.group("title")]
    capacity = on_behalf = None
    for j in range(i - 1, max(-1, i - 1 - _CAPACITY_REACH), -1):
        c = _CAPACITY.match(lines[j][2])
        if c:
            capacity = capacity or c.group("cap")          # the prefix closest to the title
            if c.group("cap") in ("TM.", "T/M"):
                on_behalf = _on_behalf(c.group("rest")) if c.group("rest") else None
    for k in range(i + 1, min(len(lines), i + 6)):
        n = _NAME.match(lines[k][2])
        if n and not _POSITION_LINE.match(lines[k][2]) and len(n.group("name").split()) >= 2:
            name = n.group("name")
            if name.isupper():
                name = " ".join(w.capitalize() for w in name.split())
            return Signer(name, title, capacity, on_behalf), (lines[k][0], lines[k][0] + len(name))
    return Signer("", title, capacity, on_behalf), None


@lru_cache(maxsize=1024)
def _on_behalf(rest: str) -> str:
    """The body a "TM." line signs for, in sentence case ("BAN THƯỜNG VỤ" -> "Ban Thường vụ").

    (Cached: the same few bodies sign document after document.)
    """
    name = sentence_case(rest)
    return name.replace("thường vụ", "Thường vụ").replace("ủy ban", "Ủy ban") if name else name


def last_signature(text: str, start: int) -> tuple[Signer | None, tuple[int, int] | None]:
    """The signature block of ``text[start:]``: the last position line, the capacity lines above it and
    the name under it.

    The lines of the last ``_SIGNATURE_REACH`` characters are read from the bottom up to the position
    line and the ``_CAPACITY_REACH`` lines above it; the lines before them only when the block is not
    among them with the lines above it that count.
    """
    cut = text.rfind("\n", start, max(start, len(text) - _SIGNATURE_REACH))
    below: list[tuple[int, int, str]] = []           # the window's lines up to the position line, last first
    above: list[tuple[int, int, str]] = []           # ... and over it, nearest first
    found: re.Match[str] | None = None
    for line in _lines_up(text, cut + 1 if cut >= 0 else start):
        if found is not None:
            above.append(line)
            if len(above) == _CAPACITY_REACH:
                break
        else:
            below.append(line)
            found = _position(line[2])
    if found is not None:
        lines = [*above[::-1], *below[::-1]]
        i = len(above)
        if cut >= 0 and i < _CAPACITY_REACH:             # the lines before the window count too
            head = text_lines(text, start, cut)           # text[cut] ends a line: the lines before it
            lines, i = head + lines, i + len(head)
        return _signer_at(lines, i, found)
    if cut < 0:
        return None, None
    lines = text_lines(text, start, cut)
    found_before = _last_position(lines)
    return _signer_at(lines, *found_before) if found_before is not None else (None, None)


def _lines_up(text: str, start: int) -> Iterator[tuple[int, int, str]]:
    """``reversed(text_lines(text, start))``, made one line at a time from the end."""
    end = len(text)
    while True:
        nl = text.rfind("\n", start, end)
        a = nl + 1 if nl >= 0 else start
        raw = text[a:end]
        line = raw.strip()
        if line:
            a += len(raw) - len(raw.lstrip())
            yield a, a + len(line), line
        if nl < 0:
            return
        end = nl


def text_lines(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, stripped line) of the non-blank lines of ``text[start:end]``."""
    out = []
    pos = start
    for raw in text[start:end].split("\n"):
        line = raw.strip()
        if line:
            lead = len(raw) - len(raw.lstrip())
            out.append((pos + lead, pos + lead + len(line), line))
        pos += len(raw) + 1
    return out


def recipients_start(text: str, start: int) -> int | None:
    """Where the list under the first "Nơi nhận:" line from ``start`` on begins, or None.

    The line may begin with spaces, ``*`` and ``_`` (Markdown); ``start`` counts as a line start.
    """
    # each match starts with the marker: str.find skips to it much faster than the pattern's scan
    at = text.find(RECIPIENTS_MARKER, start)
    while at >= 0:
        line_start = max(start, text.rfind("\n", start, at) + 1)
        if _RECIPIENTS_INDENT.fullmatch(text, line_start, at) and (m := _RECIPIENTS.match(text, at)):
            return m.end()
        at = text.find(RECIPIENTS_MARKER, at + len(RECIPIENTS_MARKER))
    return None
