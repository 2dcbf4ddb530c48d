"""Vietnamese text typed in the 8-bit font encodings of the 1990s: TCVN3 (ABC) and VNI.

Old ``.doc`` files set in ``.VnTime`` (TCVN3) or ``VNI-Times`` (VNI) fonts keep one byte
per glyph. Read as Unicode, their text is mojibake made of Latin-1 characters:
``"Uû ban nh©n d©n"`` is TCVN3 for "Uỷ ban nhân dân", ``"UÛy ban nhaân daân"`` is VNI.
This module finds such text and converts it back.

* **TCVN3** is a single-byte code: one Latin-1 character stands for one Vietnamese letter, so
  conversion is a character table and keeps every offset.
* **VNI** writes most accented vowels as a base letter followed by a mark character
  (``"aâ"`` is "â", ``"eä"`` is "ệ"), so conversion shortens the text.

Detection never trusts one character: a text is converted only when it carries several
marker characters *and* the converted text is made of valid Vietnamese syllables while the
text as read is not. Lines that already contain Vietnamese letters beyond Latin-1 (ơ, ư, đ,
ạ...) are Unicode and are left untouched, so a document that mixes both is safe.

>>> to_unicode("Uû ban nh©n d©n tØnh").text
'Uỷ ban nhân dân tỉnh'
>>> to_unicode("UÛy ban nhaân daân tænh").text
'Ủy ban nhân dân tỉnh'
>>> to_unicode("Copyright © 2024 Acme®. All rights reserved.") is None
True
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["TCVN3", "VNI", "Legacy", "decode_tcvn3", "decode_vni", "has_suspect", "syllable_share",
           "to_unicode", "vietnamese_words"]

# -- TCVN3 ---------------------------------------------------------------------------------------
#
# TCVN 5712:1993 code table VN3 (the "ABC" fonts .VnTime, .VnArial...), bytes 0xA1-0xFF.
# VN3 holds the lower-case letters with tone marks and the seven upper-case letters without
# them; upper-case toned text was set in separate fonts (.VnTimeH) that reuse the lower-case
# codes. The positions VN3 leaves free hold upper-case letters in the full table (VN1); they
# are included because converting an unused code can do no harm. 0xB0-0xB4 (combining tone
# marks in VN1) are left out: in ABC fonts they may be plain symbols such as the degree sign.
# Checked against glibc's TCVN5712-1 converter (tests/test_read.py does this when iconv has it).
_TCVN3_CODES: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ", 0xAF: "Ằ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ", 0xBA: "Ẳ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xBF: "Ẵ",
    0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ", 0xC3: "Ẫ", 0xC4: "Ấ", 0xC5: "Ề",
    0xC6: "ặ", 0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCD: "Ể", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE0: "Ổ", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF0: "Ỗ", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ", 0xFF: "Ố",
}
#: Latin-1 character as read -> the Vietnamese letter its TCVN3 byte stands for.
TCVN3: dict[str, str] = {chr(b): u for b, u in _TCVN3_CODES.items()}
_TCVN3_TABLE = str.maketrans(TCVN3)

# -- VNI -----------------------------------------------------------------------------------------
#
# VNI-Windows (fonts VNI-Times, VNI-Helve...): a vowel followed by a mark byte; the marks are
# Latin-1 letters. Tone order below: sắc, huyền, hỏi, ngã, nặng.
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE = "\u0302", "\u0306"
_VNI_MARKS: dict[str, str] = {
    "ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,      # tone alone
    "â": _CIRC, "á": _CIRC + _ACUTE, "à": _CIRC + _GRAVE, "å": _CIRC + _HOOK,
    "ã": _CIRC + _TILDE, "ä": _CIRC + _DOT,                             # â ê ô with a tone
    "ê": _BREVE, "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE, "ú": _BREVE + _HOOK,
    "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,                           # ă with a tone
}
_VNI_MARKS |= {k.upper(): v for k, v in _VNI_MARKS.items()}
# letters that are one byte in VNI
_VNI_SINGLE: dict[str, str] = {
    "ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
}
_VNI_SINGLE |= {k.upper(): v.upper() for k, v in _VNI_SINGLE.items()}


def _vni_pairs() -> dict[str, str]:
    """Every two-character VNI sequence (base letter + mark) and the letter it spells."""
    pairs: dict[str, str] = {}
    tones = "ùøûõï"
    bases = {"a": "a", "e": "e", "o": "o", "u": "u", "y": "y", "ô": "ơ", "ö": "ư"}
    for code, letter in bases.items():
        marks = tones + ("âáàåãä" if code in "aeo" else "") + ("êéèúüë" if code == "a" else "")
        for base_case in (str.lower, str.upper):
            for mark in marks:
                for mark_case in (str.lower, str.upper):
                    out = unicodedata.normalize("NFC", base_case(letter) + _VNI_MARKS[mark])
                    pairs[base_case(code) + mark_case(mark)] = out
    return pairs


#: VNI sequence as read (one or two Latin-1 characters) -> the Vietnamese letter.
VNI: dict[str, str] = _vni_pairs() | _VNI_SINGLE
_VNI_RE = re.compile("|".join(sorted(map(re.escape, VNI), key=len, reverse=True))
                     + "|(?P<lone>[" + "".join(_VNI_MARKS) + "])")

# -- recognising Vietnamese ----------------------------------------------------------------------

_ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx]"
_NUCLEI = [
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi",
    "oo", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ưu", "ươ", "yê",
    "iêu", "yêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyê", "uyu",
]
_CODA = "ch|ng|nh|[cmnpt]"
_SYLLABLE = re.compile(rf"(?:{_ONSET})?(?:{'|'.join(sorted(_NUCLEI, key=len, reverse=True))})(?:{_CODA})?")
_TONE_MARKS = dict.fromkeys(map(ord, _ACUTE + _GRAVE + _HOOK + _TILDE + _DOT))
_WORD = re.compile(r"[^\W\d_]+")


def _is_syllable(word: str) -> bool:
    bare = unicodedata.normalize("NFC", unicodedata.normalize("NFD", word).translate(_TONE_MARKS))
    return _SYLLABLE.fullmatch(bare.lower().replace("ð", "đ")) is not None


def vietnamese_words(text: str) -> tuple[int, int]:
    """Count the words with non-ASCII letters, and how many of them are Vietnamese syllables.

    Returns ``(valid, total)``. ASCII words are not counted: they are as likely to be
    English, abbreviations or Vietnamese written without marks.

    >>> vietnamese_words("Uỷ ban nhân dân tỉnh Straße")
    (4, 5)
    """
    valid = total = 0
    for m in _WORD.finditer(unicodedata.normalize("NFC", text)):
        word = m.group(0)
        if word.isascii():
            continue
        total += 1
        valid += _is_syllable(word)
    return valid, total


def syllable_share(text: str) -> float:
    """The share of all words (ASCII ones too) that are Vietnamese syllables; 0.0 without words.

    Vietnamese prose scores above 0.9, English or French prose below 0.4.

    >>> syllable_share("Uỷ ban nhân dân tỉnh"), syllable_share("The plan of the committee")
    (1.0, 0.4)
    """
    words = _WORD.findall(unicodedata.normalize("NFC", text))
    return sum(map(_is_syllable, words)) / len(words) if words else 0.0


# -- detection -----------------------------------------------------------------------------------

# Characters that plain Vietnamese Unicode text rarely holds: Latin-1 symbols and the Latin-1
# letters Vietnamese does not use. The fast path of read.py needs one scan for them.
_FOREIGN = "ÄÅÆÇËÎÏÐÑÖ×ØÛÜÞßäåæçëîïðñö÷øûüþÿ"
SUSPECT = re.compile(f"[\u00a1-\u00bf{_FOREIGN}]")
# the Latin-1 bytes of the characters SUSPECT does not match
_PLAIN_LATIN1 = bytes(c for c in range(256) if not SUSPECT.match(chr(c)))


def has_suspect(text: str) -> bool:
    """``SUSPECT.search(text) is not None``, twice as fast on Vietnamese text.

    Every suspect character is in Latin-1: the text's Latin-1 characters (the others dropped
    by the encoder) are left once the plain ones are deleted.

    >>> has_suspect("Uỷ ban nhân dân tỉnh"), has_suspect("Uû ban nh©n d©n")
    (False, True)
    """
    return bool(text.encode("latin-1", "ignore").translate(None, _PLAIN_LATIN1))
# TCVN3 letters that are symbols in Latin-1: © ¬ ® § µ ¸...
_TCVN3_SYMBOL = "[\u00a1-\u00af\u00b5-\u00bf]"
_TCVN3_MARK = re.compile(f"(?<=[A-Za-z]){_TCVN3_SYMBOL}|{_TCVN3_SYMBOL}(?=[A-Za-z])")
_VNI_MARK = re.compile("[aeouyAEOUYôöÔÖ][ùøûõïÙØÛÕÏ]|[aeAE][âáàåãäÂÁÀÅÃÄ]|[oO][âäåÂÄÅ]|[aA][êéèúüëÊÉÈÚÜË]")
_FOREIGN_RE = re.compile(f"[{_FOREIGN}]")
# a line holding a letter beyond Latin-1 is already Unicode (cp1252 letters aside)
_UNICODE_LINE = re.compile("[^\\W\\d_\u0000-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192]")


@dataclass(frozen=True, slots=True)
class Legacy:
    """A legacy encoding found in a text.

    Attributes:
        encoding: ``"TCVN3"`` or ``"VNI"``.
        text: the converted text, or None when the text looks legacy but cannot be converted
            reliably (the caller should reject the file).
        valid: how many Vietnamese syllables the conversion produced (to compare guesses).
    """

    encoding: str
    text: str | None
    valid: int


def _fix_case(raw: str, line: str) -> str:
    """Upper-case what .VnTimeH-style fonts meant as upper case (``"CéNG HOµ X·"`` -> ``"CỘNG HOÀ XÃ"``).

    Those fonts reuse the lower-case codes, so converted letters come out lower case next to
    upper-case ASCII letters. A word with converted letters is upper case when it has two or
    more upper-case ASCII letters and no lower-case one; a word with at most one upper-case
    ASCII letter (``"X·"``, ``"Sè"``) follows the nearest such word on its line, and stays as
    it is when there is none (``"Sè: 12/KH-UBND"`` is "Số:").
    """
    words = [m for m in _WORD.finditer(line) if any(c in TCVN3 for c in raw[m.start():m.end()])]
    if not words:
        return line
    state: list[bool | None] = []           # True: upper, False: mixed case, None: undecided
    for m in words:
        letters = [c for c in m.group(0) if c.isascii()]
        uppers = sum(c.isupper() for c in letters)
        lowers = len(letters) - uppers
        state.append(False if lowers else (True if uppers >= 2 else None))
    decided = list(state)
    for i, s in enumerate(decided):
        if s is None:
            left = next((t for t in reversed(decided[:i]) if t is not None), None)
            right = next((t for t in decided[i + 1:] if t is not None), None)
            state[i] = bool(left or right)
    out = list(line)
    for m, upper in zip(words, state, strict=True):
        if upper:
            out[m.start():m.end()] = _upper_same_length(m.group(0))
    return "".join(out)


def _upper_same_length(s: str) -> str:
    return "".join(u if len(u := c.upper()) == 1 else c for c in s)


def decode_tcvn3(text: str) -> str:
    """Convert TCVN3 mojibake to Unicode, line by line; lines already in Unicode are kept.

    The result has the same length as the input.

    >>> decode_tcvn3("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM")
    'CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM'
    """
    return "".join(line if _UNICODE_LINE.search(line) else _fix_case(line, line.translate(_TCVN3_TABLE))
                   for line in text.splitlines(keepends=True))


def decode_vni(text: str) -> tuple[str, int]:
    """Convert VNI mojibake to Unicode; returns the text and the number of stray mark characters.

    A stray mark is a VNI mark byte with no vowel before it; many of them mean the text is not
    VNI (or is damaged).

    >>> decode_vni("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam")
    ('Cộng hòa xã hội chủ nghĩa Việt Nam', 0)
    """
    stray = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal stray
        if m.group("lone"):
            stray += 1
            return m.group(0)
        return VNI[m.group(0)]

    out = "".join(line if _UNICODE_LINE.search(line) else _VNI_RE.sub(repl, line)
                  for line in text.splitlines(keepends=True))
    return out, stray


def _legacy_part(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not _UNICODE_LINE.search(line))


def to_unicode(text: str) -> Legacy | None:
    """Find TCVN3 or VNI mojibake in ``text`` and convert it.

    Returns None for text that is not legacy-encoded (the common case, decided with one scan
    search when the text holds no suspect character), a :class:`Legacy` with the converted
    text, or a :class:`Legacy` with ``text=None`` when the text is clearly legacy but the
    conversion does not yield clean Vietnamese.
    """
    if not has_suspect(text):
        return None
    part = _legacy_part(text)
    markers = (len(_TCVN3_MARK.findall(part)) + len(_VNI_MARK.findall(part))
               + len(_FOREIGN_RE.findall(part)))
    if markers < 3:
        return None
    before, _ = vietnamese_words(part)
    tcvn3 = decode_tcvn3(text)
    vni, stray = decode_vni(text)
    guesses = []
    for name, candidate, penalty in (("TCVN3", tcvn3, 0), ("VNI", vni, stray)):
        lines = _legacy_part_same_lines(text, candidate)
        valid, total = vietnamese_words(lines)
        share = syllable_share(lines)
        gained = valid >= 2 and valid >= 2 * before + 2
        clean = valid >= 0.85 * total and penalty <= 0.02 * total and share >= 0.8
        plausible = valid >= 0.5 * total and markers >= 5 and share >= 0.75
        if gained and (clean or plausible):
            guesses.append((valid - penalty, name, candidate if clean else None, valid))
    if not guesses:
        return None
    _, name, converted, valid = max(guesses, key=lambda g: (g[0], g[1]))
    return Legacy(name, converted, valid)


def _legacy_part_same_lines(original: str, converted: str) -> str:
    """The converted lines whose original line was a legacy candidate (same line count)."""
    return "".join(c for o, c in zip(original.splitlines(keepends=True), converted.splitlines(keepends=True),
                                     strict=False) if not _UNICODE_LINE.search(o))
