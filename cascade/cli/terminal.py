"""Text bound for a terminal: no control character from a document or a file name reaches it raw.

A file name or a document text can hold newlines (forging extra lines of a message or a
table), ANSI escape sequences (moving the cursor, recolouring, retitling the window) or
bidirectional overrides (reordering what is shown). :func:`clean_text` shows each of
them as a visible escape instead.
"""
from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, and the bidirectional embedding/override/isolate marks
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}


def _show(m: re.Match[str]) -> str:
    c = m.group()
    return _NAMES.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def clean_text(text: str) -> str:
    r"""``text`` on one line, each control character shown as an escape.

    >>> clean_text("bad\nfile\x1b[2J.txt")
    'bad\\nfile\\e[2J.txt'
    """
    return _CONTROL.sub(_show, text)


# the same controls but the line break, which a table cell or a quoted sentence may keep
_CONTROL_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def markup(text: str) -> str:
    r"""``text`` for rich markup: its square brackets escaped and every control character
    but the line break shown as an escape.

    >>> print(markup("[b]x\x1b[2J\ny"))
    \[b]x\e[2J
    y
    """
    from rich.markup import escape

    return escape(_CONTROL_BUT_NEWLINE.sub(_show, text))
