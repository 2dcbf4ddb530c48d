"""Case-insensitive phrase search, done fast: lower-case text and patterns that start with a letter.

Python's ``re`` with ``re.IGNORECASE`` lowers every character it compares and cannot skip ahead
to a pattern's first letter, so a list of phrases searched that way costs a lot on every
character of a text. The same search runs several times faster on the text lower-cased once
(:func:`lowered`, the same length, so every offset holds) with a case-sensitive pattern whose
alternatives are grouped by their first letter (:func:`phrase_alternation`): ``re`` then skips
to the next place where one of those letters stands.

>>> pattern = re.compile(phrase_alternation([("a", "căn cứ"), ("b", "thực hiện"), ("c", "theo")]))
>>> text = "Căn cứ Luật A; THỰC HIỆN Kế hoạch; Theo"
>>> [(m.start(), m.lastgroup) for m in pattern.finditer(lowered(text))]
[(0, 'a'), (15, 'b'), (35, 'c')]
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache

# ``re.IGNORECASE`` reads these as the Latin letters i and s, where str.lower() keeps them apart
# ("ı", "ſ") or writes two characters ("İ" -> "i̇"); lowered() writes them as re reads them
_AS_RE_READS = str.maketrans("İıſ", "iis")


@lru_cache(maxsize=4)
def lower_case(text: str) -> str:
    """``text.lower()``, except that a character whose lower case is two characters stays as it is.

    Every offset of ``text`` holds in it. The last few texts are kept (a few, as a text may be
    large): the stages of one document ask for the same text.
    """
    low = text.lower()
    if len(low) != len(text):                   # "İ" -> "i̇": keep such a character
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


def word_offsets(text: str, words: tuple[str, ...]) -> list[int]:
    """Where ``text`` holds one of ``words`` as written, in no particular order (an offset once for each
    word there).

    The words that differ only in case ("Số", "SỐ", "số") are looked for together, once, in the
    lower-cased text (:func:`lower_case`, which the stages of a document share), and kept where the
    text holds one of them as written: fewer scans of the text than one for each word. A word with
    no other case among ``words`` is looked for as written.

    >>> sorted(word_offsets("Số 1, số 2, SỐ 3, sỐ 4", ("Số", "SỐ", "số")))
    [0, 6, 12]
    """
    offsets: list[int] = []
    for lowered_word, forms in _by_lower_case(words):
        if len(forms) == 1:                         # a word alone in its case: looked for as written
            i = text.find(forms[0])
            while i >= 0:
                offsets.append(i)
                i = text.find(forms[0], i + 1)
            continue
        low = lower_case(text)
        i = low.find(lowered_word)
        while i >= 0:
            if text.startswith(forms, i):
                offsets.append(i)
            i = low.find(lowered_word, i + 1)
    return offsets


@cache
def _by_lower_case(words: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``words`` grouped by their lower case: (lower case, the words written so).

    Where a text holds a word, its lower-cased text (:func:`lower_case`, one character for one)
    holds the word's lower case at the same offset when each letter of the word lower-cases to one
    letter whatever surrounds it (checked here).
    """
    groups: dict[str, list[str]] = {}
    for word in words:
        if "Σ" in word or any(len(c.lower()) != 1 for c in word):      # (Σ lower-cases by context)
            raise ValueError(f"a word that does not lower-case letter for letter: {word!r}")
        groups.setdefault(word.lower(), []).append(word)
    return tuple((k, tuple(v)) for k, v in groups.items())


@lru_cache(maxsize=4)
def lowered(text: str) -> str:
    """``text`` in lower case, character for character, as ``re.IGNORECASE`` compares letters.

    A case-sensitive pattern written in lower case finds on it what the same pattern with
    ``re.IGNORECASE`` finds on ``text``, at the same offsets. (Cached as :func:`lower_case` is: the
    stages of one document ask for the same text.)
    """
    if "İ" in text or "ı" in text or "ſ" in text:
        text = text.translate(_AS_RE_READS)
    return lower_case(text)


def phrase_pattern(phrase: str) -> str:
    """A phrase in lower case with any run of spaces or line breaks between its words, its comma optional.

    >>> phrase_pattern("Sửa đổi, bổ sung")
    'sửa\\\\s+đổi\\\\s*,?\\\\s+bổ\\\\s+sung'
    """
    out = ""
    for w in phrase.lower().replace(",", " ,").split():
        if w == ",":
            out += r"\s*,?"
        else:
            out += (r"\s+" if out else "") + re.escape(w)
    return out


def phrase_alternation(phrases: Sequence[tuple[str | None, str]], spaced: bool = True) -> str:
    """One pattern for ``(group name or None, phrase)`` pairs, each a whole word run, for lowered text.

    Phrases are tried in the order given where they start with the same letter (order them
    longest first for the longest match); a named phrase's match sets ``lastgroup`` to its name.
    With ``spaced`` any run of white space separates words (:func:`phrase_pattern`), otherwise
    the phrase is matched as written. The pattern starts with the phrases' first letters, which
    is what lets ``re`` skip to them.
    """
    by_first: dict[str, list[tuple[str | None, str]]] = {}
    for name, phrase in phrases:
        body = phrase_pattern(phrase) if spaced else re.escape(phrase.lower())
        first = phrase.lower()[0]
        if not first.isalpha() or not body.startswith(first):
            raise ValueError(f"a phrase must start with a letter: {phrase!r}")
        by_first.setdefault(first, []).append((name, body[len(first):]))
    # "(?<!\w.)" after the first letter: no word character before that letter
    return "(?:" + "|".join(re.escape(first) + r"(?<!\w.)(?:" + _by_second(rests) + ")"
                            for first, rests in by_first.items()) + r")(?!\w)"


def _by_second(rests: list[tuple[str | None, str]]) -> str:
    """The alternation of the rests of the phrases that start with one letter, in the order given.

    When every rest starts with a letter, the rests are grouped under it ("h(?:ực hiện|eo)" for
    "thực hiện" and "theo" after the t): at one place only the rests of one group may match, and
    in a group they keep their order, so the same rest matches first as in the plain alternation,
    and ``re`` leaves the other groups after one test each. A named rest's group then holds the
    rest without that letter (only its name, ``lastgroup``, says which phrase matched).
    """
    def named(name: str | None, rest: str) -> str:
        return f"(?P<{name}>{rest})" if name else rest

    if not all(rest[:1].isalpha() for _, rest in rests):
        return "|".join(named(name, rest) for name, rest in rests)
    by_letter: dict[str, list[str]] = {}
    for name, rest in rests:
        by_letter.setdefault(rest[0], []).append(named(name, rest[1:]))
    return "|".join(letter + "(?:" + "|".join(alts) + ")" for letter, alts in by_letter.items())
