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
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

#: Vietnamese upper- and lower-case letters, for regex character classes ([À-Ỹ] would mix both cases)
UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
LOWER = "a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"

# -- character-level tables -------------------------------------------------------------------

_ONE_TO_ONE = str.maketrans({
    "\u00d0": "Đ", "\u00f0": "đ",                       # Icelandic Eth -> Vietnamese D with stroke
    "\u0189": "Đ",                                      # African D, seen in OCR output
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\t": " ", "\x00": " ",                          # NUL: a check box in PDF text, not binary data
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\ufe63": "-", "\uff0d": "-",
    "\u2044": "/", "\u2215": "/", "\uff0f": "/",
})
_ODD = re.compile("[" + "".join(chr(c) for c in _ONE_TO_ONE) + "]")
_ODD_PAIRS = tuple((chr(c), r) for c, r in _ONE_TO_ONE.items())
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\u00ad\ufeff]|\r(?=\n)")
_INVISIBLE_SPLIT = re.compile(f"({_INVISIBLE.pattern})")
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\u00ad\ufeff\r"       # what _INVISIBLE may match
_DELETED = set(_INVISIBLE_CHARS)
_MARKS = "\u0300-\u036f\u1dc0-\u1dff"
# a letter and the combining marks after it, as one group for re.split; the first form for any
# text, the second (faster) for text that does not start with a mark of U+0300-U+036F, where
# they find the same clusters (each match takes the whole run of marks, so the next starts at
# a character that is not a mark)
_COMBINING = re.compile(f"([^\u0300-\u036f][{_MARKS}]+)")
_COMBINING_FAST = re.compile(f"(.[{_MARKS}]+)", re.DOTALL)
# Vietnamese tone and vowel marks as combining characters: text holding one is decomposed
# (nearly always), so clean() composes it without asking unicodedata.is_normalized first, which
# on decomposed text normalises all of it to answer; on text already NFC composing the clusters
# changes nothing, so asking first only matters for speed. ("in" looks for a character's low byte
# with memchr: not for U+0300, whose low byte is 0, nor U+0301 and U+0303, slow too (U+0301's low
# byte is the high byte of ơ and ư); decomposed Vietnamese text nearly always holds one of these
# five marks as well: ạ, ả, â, ă, ơ.)
_VIETNAMESE_MARKS = "\u0323\u0309\u0302\u0306\u031b"


class _NFCClusters(dict[str, str]):
    """Cluster -> its NFC, computed on first use (documents repeat a few hundred clusters)."""

    LIMIT = 1 << 14

    def __missing__(self, cluster: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        composed = self[cluster] = unicodedata.normalize("NFC", cluster)
        return composed


_NFC_OF = _NFCClusters()

# old-style tone placement (oà, uỷ) -> the canonical one (òa, ủy); both forms are NFC
_TONES = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
          "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
          "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}
_TONES |= {k.upper(): v.upper() for k, v in _TONES.items()} | {k[0].upper() + k[1]: v[0].upper() + v[1]
                                                               for k, v in _TONES.items()}
# only at the end of a syllable, and not after q ("quý" keeps its mark on y: the look-behind, after the
# first letter, leaves it unmatched); one pattern per first letter, as a pattern that starts with one
# letter is searched for much faster
_TONE_RES = tuple(re.compile(first + f"(?<![qQ]{first})["
                             + "".join(sorted({k[1] for k in _TONES if k[0] == first})) + r"](?![^\W\d_])")
                  for first in sorted({k[0] for k in _TONES}))


def canon_tone(text: str) -> str:
    """Move tone marks of ``oa``/``oe``/``uy`` syllables to one canonical position.

    >>> canon_tone("Tỉnh uỷ Hoà Bình, quý")
    'Tỉnh ủy Hòa Bình, quý'
    """
    for pattern in _TONE_RES:             # the pairs of one pattern never touch those of another
        text = pattern.sub(_tone, text)
    return text


def _tone(m: re.Match[str]) -> str:
    pair = m.group(0)
    return _TONES.get(pair, pair)


def _unify(text: str) -> str:
    """``text.translate(_ONE_TO_ONE)``, faster when few kinds of odd character occur (the usual case)."""
    for odd, replacement in _ODD_PAIRS:
        if odd in text:
            text = text.replace(odd, replacement)
    return text


def nfc(text: str) -> str:
    """NFC, Eth folded, spaces and dashes unified, invisible characters removed."""
    text = unicodedata.normalize("NFC", text)
    if _ODD.search(text):
        text = text.translate(_ONE_TO_ONE)
    return _INVISIBLE.sub("", text)


#: at most one NUL per this many bytes (and a few in any case) for bytes to count as text
NUL_SHARE = 200


def text_with_nuls(data: bytes) -> str | None:
    """UTF-8 bytes that hold a few NUL characters (check boxes in PDF text), decoded; None when the
    NULs are too many to be anything but binary data or the rest is not UTF-8.

    >>> text_with_nuls("Có \\x00 không \\x00 đồng ý".encode())
    'Có \\x00 không \\x00 đồng ý'
    >>> text_with_nuls(bytes(range(256)) * 4) is None
    True
    """
    nuls = data.count(b"\0")
    if nuls > max(8, len(data) // NUL_SHARE):
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


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


def fold_letters(text: str) -> str:
    """``text`` lower-cased without diacritics, one character for one (so offsets carry over).

    Unlike :func:`ascii_fold` it keeps spaces and punctuation and never changes the length: a
    title sentence is read on this form, and copies that scramble tone marks ("KẾT LỦẬN ... CỦÀ")
    keep the letters.

    >>> fold_letters("KẾT LỦẬN Đảng")
    'ket luan dang'
    """
    return text.translate(_FOLDED_OF)


class _FoldedChars(dict[int, str]):
    """Character -> its folded form (:func:`fold_letters`), computed on first use."""

    LIMIT = 1 << 14

    def __missing__(self, code: int) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        c = chr(code)
        base = unicodedata.normalize("NFD", c)[:1].lower()     # the letter without its marks
        folded = self[code] = "d" if base == "đ" else base if len(base) == 1 else c
        return folded


_FOLDED_OF = _FoldedChars()


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


def _inner_bounds(pieces: list[str]) -> list[int]:
    """Where each piece but the first starts: the bounds between the pieces, in order."""
    bounds = list(accumulate(map(len, pieces)))
    bounds.pop()                                    # where the last piece ends: no bound
    return bounds


def _rewrite_split(pieces: list[str], new_pieces: list[str], omap: OffsetMap) -> str:
    """Join ``new_pieces`` and record the edits in ``omap``.

    ``pieces`` alternates kept text and matched text (``kept, match, kept, ..., kept``, as
    ``pattern.split`` returns it for a pattern with one group around the whole match);
    ``new_pieces`` is the same list with each match replaced. Each match adds two
    breakpoints, at its start and at its end; those of a match replaced by itself lie on the
    unchanged stretch and map no position differently.
    """
    if len(pieces) == 1:
        return pieces[0]
    omap.stages.append(_Stage(_inner_bounds(new_pieces), _inner_bounds(pieces)))
    return "".join(new_pieces)


def _delete_all(text: str, pattern: re.Pattern[str], omap: OffsetMap) -> str:
    """``pattern.sub("", text)`` that records where each edit happened.

    ``pattern`` must have exactly one group, around the whole match, and never match the
    empty string.
    """
    pieces = pattern.split(text)
    new_pieces = list(pieces)
    new_pieces[1::2] = [""] * (len(pieces) // 2)
    return _rewrite_split(pieces, new_pieces, omap)


def _delete_spans(text: str, spans: list[tuple[int, int]], omap: OffsetMap) -> str:
    """Delete ``text[a:b]`` for each (a, b) of ``spans`` (in order, not overlapping), recording the edits."""
    if not spans:
        return text
    pieces: list[str] = []
    pos = 0
    for a, b in spans:
        pieces += (text[pos:a], text[a:b])
        pos = b
    pieces.append(text[pos:])
    new_pieces = list(pieces)
    new_pieces[1::2] = [""] * len(spans)
    return _rewrite_split(pieces, new_pieces, omap)


def _nfc_clusters(text: str, omap: OffsetMap) -> str:
    """Each letter with the combining marks after it in NFC, recording the edits."""
    pattern = _COMBINING if "\u0300" <= text[:1] <= "\u036f" else _COMBINING_FAST
    pieces = pattern.split(text)
    clusters = pieces[1::2]
    composed = list(map(_NFC_OF.__getitem__, clusters))
    if composed == clusters:
        return text
    new_pieces = list(pieces)
    new_pieces[1::2] = composed
    return _rewrite_split(pieces, new_pieces, omap)


# -- page-break repairs -------------------------------------------------------------------------

# Each break below is a line break with the spaces before it and the white space after it. A
# pattern comes in two forms: one for any text, and one for text where no space precedes a
# line break (the usual case), which starts with the line break and so is searched for fast.

# "Kế hoạch số 07-\n\nKH/TU": a symbol broken after its hyphen, before a capital letter; the
# hyphen ends a number followed by a symbol ("07-\n\nKH/TU") or a symbol's first part ("/KH-\nUBND")
_HYPHEN_BREAK = re.compile(r"-[ ]*\n\s*(?=[A-ZĐ])")
_SYMBOL_HEAD = re.compile(r"(?:(?P<digit>\d)|/[A-ZĐ][A-Za-zĐđ&]{0,8})\Z")   # before the hyphen
_SYMBOL_HEAD_WIDTH = 10
_SYMBOL_TAIL = re.compile(r"[A-ZĐ][A-Za-zĐđ&]*\s*/")                          # after a number's break
# "ngày 23/12/\n2020"
_BROKEN_DATE = re.compile(r"((?<=\d/)[ ]*\n\s*(?=\d)|(?<=\d)[ ]*\n\s*(?=/\d))")
_BROKEN_DATE_TIGHT = re.compile(r"(\n(?:(?<=\d/\n)\s*(?=\d)|(?<=\d\n)\s*(?=/\d)))")
# a sentence broken mid-way: the line does not end a sentence (nor is the text's start or a
# blank) and the next starts in lower case, but not as an item label ("a) ...", "a- ...", "a. ...")
_BROKEN_LINE = re.compile(rf"((?:\n(?<=[^\s.:;!?/]\n)| (?<=[^\s.:;!?/] ) *\n)\s*)(?=[{LOWER}][^\n).-])")
_BROKEN_LINE_TIGHT = re.compile(rf"(\n(?<=[^\s.:;!?/]\n)\s*)(?=[{LOWER}][^\n).-])")


# whether a text may hold a broken symbol or date at all: "-\n" or "- \n", "/\n" or "/ \n" (one search each,
# faster than asking for each string in turn)
_HYPHEN_AT_LINE_END = re.compile(r"- ?\n")
_SLASH_AT_LINE_END = re.compile(r"/ ?\n")


def _join_symbols(text: str, omap: OffsetMap) -> str:
    """Remove the line break after the hyphen of a symbol broken across lines."""
    spans = []
    for m in _HYPHEN_BREAK.finditer(text):
        hyphen, end = m.span()
        head = _SYMBOL_HEAD.search(text, max(0, hyphen - _SYMBOL_HEAD_WIDTH), hyphen)
        if head and (not head.group("digit") or _SYMBOL_TAIL.match(text, end)):
            spans.append((hyphen + 1, end))
    return _delete_spans(text, spans, omap)


def _join_dates(text: str, omap: OffsetMap) -> str:
    """Remove the line break in a date broken across lines."""
    return _delete_all(text, _BROKEN_DATE if " \n" in text else _BROKEN_DATE_TIGHT, omap)


def _join_lines(text: str, omap: OffsetMap) -> str:
    """Join the lines of sentences broken mid-way with one space."""
    pieces = (_BROKEN_LINE if " \n" in text else _BROKEN_LINE_TIGHT).split(text)
    joined = list(pieces)
    joined[1::2] = [" "] * (len(pieces) // 2)
    return _rewrite_split(pieces, joined, omap)


def _drop_repeated(text: str, omap: OffsetMap) -> str:
    """Drop a line that a page break cut and the next page repeats in full."""
    lines = list(filter(None, map(str.strip, text.split("\n"))))       # the non-blank lines
    if not any(map(str.startswith, lines[1:], lines)):                  # usual: no line starts the next
        return text
    doomed = {prev for prev, ln in zip(lines, lines[1:], strict=False)
              if ln.startswith(prev) and len(prev) >= 20 and len(ln) > len(prev)}
    if not doomed:
        return text
    pattern = re.compile("(" + "|".join(r"^[ ]*" + re.escape(d) + r"[ ]*\n\s*\n" for d in doomed) + ")", re.M)
    return _delete_all(text, pattern, omap)


@dataclass(slots=True)
class CleanText:
    """The cleaned text, the original text and the map between them."""

    text: str
    raw: str
    omap: OffsetMap

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The span in the original text for ``text[start:end]``."""
        stages = self.omap.stages
        if not stages:                                       # nothing was rewritten
            return (start, end) if end > start else (start, start)
        if end <= start:
            a = self.omap.to_original(start)
            return a, a
        # OffsetMap.to_original of start, end - 1 and end, the three taken back through each stage at once
        a, last, e = start, end - 1, end
        for stage in reversed(stages):
            back = stage.back
            a, last, e = back(a), back(last), back(e)
        low = last + 1
        b = max(low, e)
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
    if any(map(text.__contains__, _VIETNAMESE_MARKS)) or not unicodedata.is_normalized("NFC", text):
        text = _nfc_clusters(text, omap)
    text = _unify(text)
    if any(map(text.__contains__, _INVISIBLE_CHARS)):     # a few fast scans, cheaper than one regex
        text = _delete_all(text, _INVISIBLE_SPLIT, omap)
    text = canon_tone(text)                            # same length: no map needed
    text = _drop_repeated(text, omap)
    if _HYPHEN_AT_LINE_END.search(text):
        text = _join_symbols(text, omap)
    if _SLASH_AT_LINE_END.search(text) or "\n/" in text:
        text = _join_dates(text, omap)
    text = _join_lines(text, omap)
    return CleanText(text, raw, omap)
