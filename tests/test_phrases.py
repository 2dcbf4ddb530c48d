"""text.phrases: lowered text and first-letter phrase patterns find what re.IGNORECASE finds."""
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cascade.text.normalize import LOWER, UPPER
from cascade.text.phrases import lowered, phrase_alternation, phrase_pattern, word_offsets

_LETTERS = "abcdefghijklmnopqrstuvwxyz" + LOWER[3:]


def _ignorecase(phrases: list[tuple[str, str]]) -> re.Pattern[str]:
    """The plain way: every phrase as a whole word run, searched with re.IGNORECASE."""
    return re.compile(r"(?<!\w)(?:" + "|".join(f"(?P<{n}>{phrase_pattern(p)})" for n, p in phrases)
                      + r")(?!\w)", re.IGNORECASE)


def test_lowered_keeps_every_offset_and_reads_letters_as_ignorecase_does():
    letter = re.compile(f"[{_LETTERS}]", re.IGNORECASE)
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        low = lowered(c)
        assert len(low) == 1, hex(code)
        if letter.fullmatch(c):          # a character re reads as a Latin or Vietnamese letter
            assert re.fullmatch(re.escape(low), c, re.IGNORECASE), hex(code)
            assert low in _LETTERS, hex(code)
        else:
            assert low not in _LETTERS, hex(code)


def test_the_odd_letters_are_read_as_re_reads_them():
    assert lowered("İSTANBUL ıs ſ Đà") == "istanbul is s đà"


def test_a_phrase_must_start_with_a_letter():
    try:
        phrase_alternation([(None, "1 hai")])
    except ValueError as e:
        assert "1 hai" in str(e)
    else:
        raise AssertionError("no error")


# phrases that share a first letter, and a second one ("thực hiện", "theo", "thực"), or begin one
# another ("tiếp tục", "tiếp tục thực hiện"), or match the same words ("sửa đổi, bổ sung", "sửa đổi bổ sung")
_PHRASES = [("a", "thực hiện"), ("b", "tiếp tục thực hiện"), ("c", "theo"), ("d", "căn cứ"),
            ("e", "sửa đổi, bổ sung"), ("f", "xét"), ("g", "sửa đổi bổ sung"), ("h", "tiếp tục"),
            ("i", "thực"), ("j", "triển khai"), ("k", "xét đề nghị")]
_WORDS = ["thực", "THỰC", "Thực", "hiện", "HIỆN", "tiếp", "tục", "Theo", "theo", "căn", "CĂN", "cứ", "Cứ",
          "sửa", "đổi", "đổi,", "bổ", "sung", "xét", "Xét", "xéta", "1theo", "İ", "ı", "ſ", "triển", "khai",
          "đề", "nghị"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from([" ", "\n", "  ", ", ", "; ", ""])),
                max_size=30))
def test_the_fast_pattern_finds_what_ignorecase_finds(pieces):
    text = "".join(w + sep for w, sep in pieces)
    order = sorted(_PHRASES, key=lambda p: -len(p[1]))
    fast = re.compile(phrase_alternation(order))
    slow = _ignorecase(order)
    assert [(m.span(), m.lastgroup) for m in fast.finditer(lowered(text))] == \
        [(m.span(), m.lastgroup) for m in slow.finditer(text)]


def test_upper_case_letters_lower_to_their_pairs():
    upper = UPPER[3:]
    assert lowered(upper) == LOWER[3:]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from([" ", "\n", "  ", ", ", ""])),
                max_size=30))
def test_phrases_matched_as_written_find_what_ignorecase_finds(pieces):
    text = "".join(w + sep for w, sep in pieces)
    order = sorted(_PHRASES, key=lambda p: -len(p[1]))
    fast = re.compile(phrase_alternation(order, spaced=False))
    slow = re.compile(r"(?<!\w)(?:" + "|".join(f"(?P<{n}>{re.escape(p)})" for n, p in order) + r")(?!\w)",
                      re.IGNORECASE)
    assert [(m.span(), m.lastgroup) for m in fast.finditer(lowered(text))] == \
        [(m.span(), m.lastgroup) for m in slow.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Số", "SỐ", "số", "sỐ", "xsố", "CĂN", "Căn", "căn", "İ", "ΣΑΣ", "Σ", " ",
                                 "\n", "1", "ß", "ﬁ"]), max_size=25))
def test_word_offsets_are_where_each_word_is_found(pieces):
    text = "".join(pieces)
    for words in (("Số", "SỐ", "số"), ("CĂN", "Căn"), ("QUYẾT",)):
        want = sorted(i for w in words for i in range(len(text)) if text.startswith(w, i))
        assert sorted(word_offsets(text, words)) == want


def test_a_word_that_does_not_lower_case_letter_for_letter_is_refused():
    with pytest.raises(ValueError):
        word_offsets("x", ("İl",))
