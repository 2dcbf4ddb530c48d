"""Clean text for parsing while keeping a map back to the text as read.

The order follows the conventions reference: NFC, fold Eth, spaces and dashes, remove
invisible characters, canonical tone marks (same length, so no offsets move), then repair
page breaks: a line repeated by a page break is dropped, references and sentences broken
across lines are joined.

>>> c = clean("Kế hoạch số 07-\\n\\nKH/TU của Tỉnh uỷ")
>>> c.text
'Kế hoạch số 07-KH/TU của Tỉnh ủy'
>>> span = c.text.index("KH/TU")
>>> c.original(span, span + 5)
(17, 22)
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

#: Vietnamese upper- and lower-case letters, for regex character classes ([À-Ỹ] would mix both cases)
UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
LOWER = "a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"

# -- character-level tables -------------------------------------------------------------------

_ONE_TO_ONE = str.maketrans({
    "\u00d0": "Đ", "\u00f0": "đ",                       # Icelandic Eth -> Vietnamese D with stroke
    "\u0189": "Đ",                                      # African D, seen in OCR output
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\t": " ",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\ufe63": "-", "\uff0d": "-",
    "\u2044": "/", "\u2215": "/", "\uff0f": "/",
})
_ODD = re.compile("[" + "".join(chr(c) for c in _ONE_TO_ONE) + "]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\u00ad\ufeff]|\r(?=\n)")
_INVISIBLE_HINT = re.compile("[\u200b\u200c\u200d\u2060\u00ad\ufeff\r]")
_DELETED = set("\u200b\u200c\u200d\u2060\u00ad\ufeff\r")
_COMBINING = re.compile("[^\u0300-\u036f][\u0300-\u036f\u1dc0-\u1dff]+")

# old-style tone placement (oà, uỷ) -> the canonical one (òa, ủy); both forms are NFC
_TONES = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
          "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
          "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}
_TONES |= {k.upper(): v.upper() for k, v in _TONES.items()} | {k[0].upper() + k[1]: v[0].upper() + v[1]
                                                               for k, v in _TONES.items()}
# only at the end of a syllable, and not after q ("quý" keeps its mark on y)
_TONE_RE = re.compile(r"[oOuU][àáảãạèéẻẽẹÀÁẢÃẠÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ](?![^\W\d_])")


def canon_tone(text: str) -> str:
    """Move tone marks of ``oa``/``oe``/``uy`` syllables to one canonical position.

    >>> canon_tone("Tỉnh uỷ Hoà Bình, quý")
    'Tỉnh ủy Hòa Bình, quý'
    """
    return _TONE_RE.sub(_tone, text)


def _tone(m: re.Match[str]) -> str:
    pair = m.group(0)
    a = m.start()
    if a and m.string[a - 1] in "qQ":           # "quý" keeps its mark on y
        return pair
    return _TONES.get(pair, pair)


def nfc(text: str) -> str:
    """NFC, Eth folded, spaces and dashes unified, invisible characters removed."""
    text = unicodedata.normalize("NFC", text)
    if _ODD.search(text):
        text = text.translate(_ONE_TO_ONE)
    return _INVISIBLE.sub("", text)


_KEY_PUNCT = re.compile(r"[\s\"'“”‘’`´.,;:()\[\]*_]+")


@lru_cache(maxsize=65536)
def key(text: str | None) -> str:
    """A comparison key: NFC, canonical tones, casefolded, punctuation and spaces folded.

    >>> key("Tỉnh  Uỷ  Đắk Lắk.") == key("tỉnh ủy đắk lắk")
    True
    """
    if not text:
        return ""
    t = canon_tone(nfc(text)).casefold()
    return _KEY_PUNCT.sub(" ", t).replace(" - ", "-").strip()


def ascii_fold(text: str | None) -> str:
    """A key without diacritics ("Đắk Lắk" -> "dak lak"); merges homographs, so use it last.

    >>> ascii_fold("Đắk Lắk") == ascii_fold("Dak Lak") == ascii_fold("Đăk Lăk")
    True
    """
    t = key(text).replace("đ", "d")
    t = unicodedata.normalize("NFD", t)
    return "".join(c for c in t if not unicodedata.combining(c))


# -- offset maps --------------------------------------------------------------------------------

@dataclass(slots=True)
class _Stage:
    """One rewriting step: breakpoints (position after, position before) of its edits."""

    after: list[int]
    before: list[int]

    def back(self, i: int) -> int:
        k = bisect_right(self.after, i) - 1
        if k < 0:
            return i
        return self.before[k] + (i - self.after[k])


@dataclass(slots=True)
class OffsetMap:
    """Maps positions in the cleaned text back to the original text, through each stage."""

    stages: list[_Stage] = field(default_factory=list)

    def to_original(self, i: int) -> int:
        for stage in reversed(self.stages):
            i = stage.back(i)
        return i


def _rewrite(text: str, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str],
             omap: OffsetMap) -> str:
    """``pattern.sub(repl, text)`` that records where each edit happened."""
    out: list[str] = []
    after: list[int] = []
    before: list[int] = []
    pos = 0
    shift = 0
    for m in pattern.finditer(text):
        r = repl(m)
        a, b = m.span()
        if r == m.group(0):
            continue
        out.append(text[pos:a])
        out.append(r)
        after.append(a + shift)
        before.append(a)
        shift += len(r) - (b - a)
        after.append(b + shift)
        before.append(b)
        pos = b
    if not after:
        return text
    out.append(text[pos:])
    omap.stages.append(_Stage(after, before))
    return "".join(out)


# -- page-break repairs -------------------------------------------------------------------------

# "Kế hoạch số 07-\n\nKH/TU": a symbol broken after its hyphen
_BROKEN_SYMBOL = re.compile(r"(\d(?=-[ ]*\n\s*[A-ZĐ][A-Za-zĐđ&]*\s*/)|/[A-ZĐ][A-Za-zĐđ&]{0,8}(?=-[ ]*\n\s*[A-ZĐ]))"
                            r"-[ ]*\n\s*")
# "ngày 23/12/\n2020"
_BROKEN_DATE = re.compile(r"(?<=\d/)[ ]*\n\s*(?=\d)|(?<=\d)[ ]*\n\s*(?=/\d)")
# a sentence broken mid-way: the line does not end a sentence and the next starts in lower case
_BROKEN_LINE = re.compile(rf"[ ]*\n\s*(?=([{LOWER}])(.))")
_LINE = re.compile(r"[^\n]*\n\s*\n")


def _join_line(m: re.Match[str]) -> str:
    a = m.start()
    prev = m.string[a - 1] if a else "\n"
    if prev.isspace() or prev in ".:;!?/" or m.group(2) in ").-":   # "a) ...", "a- ...", "a. ..." start items
        return m.group(0)
    return " "


def _drop_repeated(text: str, omap: OffsetMap) -> str:
    """Drop a line that a page break cut and the next page repeats in full."""
    lines = [ln.strip() for ln in text.split("\n")]
    doomed: set[str] = set()
    prev = ""
    for ln in lines:
        if not ln:
            continue
        if len(prev) >= 20 and len(ln) > len(prev) and ln.startswith(prev):
            doomed.add(prev)
        prev = ln
    if not doomed:
        return text
    pattern = re.compile("|".join(r"^[ ]*" + re.escape(d) + r"[ ]*\n\s*\n" for d in doomed), re.M)
    return _rewrite(text, pattern, lambda m: "", omap)


@dataclass(slots=True)
class CleanText:
    """The cleaned text, the original text and the map between them."""

    text: str
    raw: str
    omap: OffsetMap

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The span in the original text for ``text[start:end]``."""
        a = self.omap.to_original(start)
        if end <= start:
            return a, a
        low = self.omap.to_original(end - 1) + 1
        b = max(low, self.omap.to_original(end))
        while b > low and self.raw[b - 1] in _DELETED:     # a removed character just after the span
            b -= 1
        return a, b

    def raw_slice(self, start: int, end: int) -> str:
        a, b = self.original(start, end)
        return self.raw[a:b]


def clean(raw: str) -> CleanText:
    """Normalise ``raw`` for parsing; see the module docstring for the steps."""
    omap = OffsetMap()
    text = raw
    if not unicodedata.is_normalized("NFC", text):
        text = _rewrite(text, _COMBINING, lambda m: unicodedata.normalize("NFC", m.group(0)), omap)
    if _ODD.search(text):
        text = text.translate(_ONE_TO_ONE)
    if _INVISIBLE_HINT.search(text):
        text = _rewrite(text, _INVISIBLE, lambda m: "", omap)
    text = canon_tone(text)                            # same length: no map needed
    text = _drop_repeated(text, omap)
    if "-\n" in text or "- \n" in text:
        text = _rewrite(text, _BROKEN_SYMBOL, lambda m: m.group(1) + "-", omap)
    if "/\n" in text or "/ \n" in text or "\n/" in text:
        text = _rewrite(text, _BROKEN_DATE, lambda m: "", omap)
    text = _rewrite(text, _BROKEN_LINE, _join_line, omap)
    return CleanText(text, raw, omap)
