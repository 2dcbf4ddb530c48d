"""Cells of files other programs read: spreadsheets (CSV) and XML (GraphML, GEXF).

Kept free of heavy imports: the command line uses it at start-up.
"""
from __future__ import annotations

import re
from typing import Any

#: first characters that make a spreadsheet read a cell as a formula
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> Any:
    r"""A CSV cell a spreadsheet shows as text: a string starting like a formula gets a leading ``'``.

    Document texts can hold ``=cmd|' /C calc'!A0``; Excel and LibreOffice would run it.
    Numbers are left alone (``-3`` stays a number).

    >>> spreadsheet_cell("=HYPERLINK(1)"), spreadsheet_cell("-3"), spreadsheet_cell(-3)
    ("'=HYPERLINK(1)", "'-3", -3)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


#: characters XML 1.0 forbids (C0 controls but tab, newline and return; lone surrogates; U+FFFE/U+FFFF)
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    r"""``value`` with the characters XML 1.0 forbids replaced by U+FFFD.

    >>> xml_text("a\x07b\x0bc\nd")
    'a\ufffdb\ufffdc\nd'
    """
    return _XML_FORBIDDEN.sub("\ufffd", value)
