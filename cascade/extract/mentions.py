"""Mentions of other documents: where a text cites one, and what the citation says about it.

A reference has the shape (vn-conventions §4)::

    <Type> [số[:]] <number/symbol>[,] [ngày <date>] [của <issuer>] [(khóa X)] [về <summary>]

:func:`find_mentions` reads every such mention in a cleaned text: numbered references, plenum
resolutions cited by name, short forms such as "Kết luận số 93", laws cited by name, lists of
numbers under one type word ("các Quyết định số 1, 2 và 3"). :mod:`cascade.extract.references`
turns them into mentions with their jurisdiction.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from cascade.extract import numbers
from cascade.text.normalize import UPPER
from cascade.text.phrases import lower_case, word_offsets
from cascade.vn import dates
from cascade.vn.cues import (
    LAW_WORDS,
    MENTION_TYPE_WORDS,
    ORDINALS,
)

TYPE_WORDS = MENTION_TYPE_WORDS


def _trie_pattern(words: list[str]) -> str:
    """A regex matching what ``"|".join(words, longest first)`` matches, with shared prefixes written once.

    ("thông (?:t(?:ư(?: liên tịch)?|ri)|báo)" for "thông tư liên tịch", "thông tư", "thông tri",
    "thông báo"): the regex engine then tries a handful of branches at each offset instead of every word.
    At one offset the words that match are prefixes of each other, and the greedy ``?`` tries the
    longer first, so the match is the longest word there, as with the plain alternation.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in node.items() if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


def _case_forms(word: str) -> list[str]:
    """``word`` with its first letter in either case, and in capitals ("Kế hoạch", "kế hoạch", "KẾ HOẠCH");
    two-letter codes in capitals only."""
    if word.isupper() or len(word) <= 2:
        return [word.upper()]
    return [word[0].upper() + word[1:], word[0].lower() + word[1:], word.upper()]


# every type word as a trie (faster than a flat alternation, and it matches the same: see _trie_pattern)
_TYPE_ALT = _trie_pattern([form for w in sorted(TYPE_WORDS, key=len, reverse=True)
                           for form in _case_forms(w)])
_QUALIFIER = r"(?:\s++(?i:hành động|công tác|liên tịch|liên ngành|kết luận|chỉ đạo|thẩm tra|thẩm định))?"
# the words in front of a number: "Kế hoạch số", "Chương trình hành động số:",
# "Quyết định của Bộ Chính trị số"
_BEFORE = re.compile(
    rf"(?P<type>{_TYPE_ALT}){_QUALIFIER}(?:\s++của\s++(?P<issuer_first>[^,;.()\n]{{3,80}}?))?"
    rf"\s*+(?:(?:[Ss]ố|SỐ)\s*+(?::\s*+)?)?")
_SO_ONLY = re.compile(r"[Ss]ố\s*+(?::\s*+)?\Z")
_PLURAL = re.compile(rf"\bcác\s++(?P<type>{_TYPE_ALT})\b")
_PLURAL_WORD = re.compile(rf"(?:{_TYPE_ALT})")
_TERM = r"(?:khóa|khoá|Khóa|KHÓA|KHOÁ)\s++(?P<term>(?-i:[IVXL]{1,5}))\b"
_ISSUER_STOP = (rf"(?=[ \t]{{0,4}}(?:[,;.(\n\"“”]|$|\s(?:về|V/v|v/v|ban hành|quy định|hướng dẫn|thực hiện|"
                rf"triển khai|tiếp tục|đến|trên địa bàn|tại|để|nhằm|theo|đã|được|gắn với|phê duyệt|sửa đổi|"
                rf"(?:và|hoặc)\s++(?:các\s++)?(?:{_TYPE_ALT}))\b))")
# what follows a number: its date, its issuer ("của ..."), the date again, the term; in capitals too (titles)
_TAIL = re.compile(
    r"\s*+(?:,\s*+)?(?:" + dates.DATE.replace("(?P<", "(?P<a") + r")?"
    r"(?:\s*+(?:,\s*+)?của\s++(?P<issuer>[^,;\n()]{2,100}?)" + _ISSUER_STOP + r")?"
    r"(?:\s*+(?:,\s*+)?(?:" + dates.DATE.replace("(?P<", "(?P<b") + r"))?"
    r"(?:\s*+(?:,\s*+)?(?:\(\s*+)?" + _TERM + r"\s*+\)?)?", re.IGNORECASE)
# the summary ends where the look-ahead after it holds; that look-ahead starts with one of a few
# characters (or the end), tested alone first (_SUMMARY_GUARD: the same ends, found faster; most characters
# are letters)
_SUMMARY_GUARD = r"(?=[ \t;\n(.,]|\Z)"
_SUMMARY = re.compile(r"\s*+(?:,\s*+)?(?:về việc|về|V/v|v/v)\s++(?P<summary>[^;\n()]{3,240}?)"
                      + _SUMMARY_GUARD + r"(?=[ \t]{0,8}(?:[;\n(]|\.\s|\.$|$"
                      r"|,[ \t]{0,8}(?:UBND|Ủy ban|Ban Thường vụ|Huyện ủy|Tỉnh ủy)))")
_ALIAS_BEFORE = re.compile(r"\(\s*+(?:sau đây\s++)?(?:được\s++)?(?:gọi tắt|viết tắt|gọi chung|gọi)"
                           r"\s++là[\s\"“*]*+\Z", re.I)
_ORDINALS = ORDINALS
_ORD_ALT = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_PLENUM = re.compile(
    rf"(?P<type>Nghị quyết|NGHỊ QUYẾT|nghị quyết)\s++(?:của\s++)?(?:Hội nghị\s++)?"
    rf"(?:(?:lần\s++)?thứ\s++(?P<ord>{_ORD_ALT}|\d{{1,2}})\s++)?"
    rf"(?:Ban Chấp hành\s++)?Trung ương(?:\s++Đảng)?\s*+(?P<n>\d{{1,2}})?\s*+(?:,\s*+)?"
    rf"(?:\(\s*+)?{_TERM}\s*+\)?")
_SHORT = re.compile(rf"(?P<type>{_TYPE_ALT}){_QUALIFIER}\s++(?:[Ss]ố\s*+(?::\s*+)?)?(?P<n>\d{{1,4}})"
                    r"(?![\d/.\w-]|\s?[-/]\s?\w)")
_SHORT_HINT = re.compile(r"\s(?:[Ss]ố\s*+(?::\s*+)?)?\d{1,4}(?![\d/.\w-]|\s?[-/]\s?\w)")
_HINT_HEAD = re.compile(r"\s(?=\d|[Ss]ố)")    # where a _SHORT_HINT may start
_LAW = re.compile(r"(?P<type>" + "|".join(LAW_WORDS) + r")"
                  r"(?P<name>(?:\s++(?!và\b|ngày\b|năm\b|số\b|được\b|đã\b|của\b|theo\b|để\b|"
                  r"nhằm\b|tại\b|hiện\b|sửa\b|quy\b|và\b)[\wÀ-ỹĐđ-]+){1,8})")
_PLENUM_WORDS = ("Nghị quyết", "NGHỊ QUYẾT", "nghị quyết")    # what _PLENUM starts with
_SELF = re.compile(rf"(?:{_TYPE_ALT})\s++này\b")
_STARTS_UPPER = re.compile(f"[{UPPER}]")
_CHAIN_SUMMARY = re.compile(r"(?:việc\s++)?(?:tiếp tục\s++)?(?:triển khai\s++)?thực hiện\s++(?:"
                            + _TYPE_ALT + ")")
SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class FoundMention:
    start: int                      # span in the clean text (type word .. end of issuer/date)
    end: int
    type: str | None
    number: numbers.DocNumber | None
    printed: str | None = None
    date: str | None = None
    issuer: str | None = None
    term: str | None = None
    plenum: int | None = None
    summary: str | None = None
    alias_of: int | None = None     # index of the mention an alias definition names
    is_alias: bool = False
    short: int | None = None        # "Kết luận số 93": the bare number
    law: str | None = None


_TYPE_WORD_LOWER = re.compile(_trie_pattern(sorted(TYPE_WORDS, key=len, reverse=True)))


def _type_starts(text: str) -> list[int]:
    """Offsets of every type word ("Kế hoạch", "NQ"...) in ``text``, found on the lower-cased text."""
    low = lower_case(text)
    return [a for m in _TYPE_WORD_LOWER.finditer(low) if not ((a := m.start()) and low[a - 1].isalnum())]


# "số" right before a digit: where a number a type word vouches for may start
# (written "S(?<!\w.)" and not "(?<!\w)S": a pattern that starts with its letters is searched for fast)
_VOUCH = re.compile(r"(?:S(?<!\w.)(?:ố|Ố)|s(?<!\w.)ố)[ \t\n]{0,3}:?[ \t\n]{0,3}(?=\d)")
_VOUCH_WORDS = ("Số", "SỐ", "số")                 # what _VOUCH starts with
# "Theo đề nghị của Sở Tư pháp tại Tờ trình số ...": the body named before the type word issued it
_OF_AT = re.compile(r"của\s+(?P<issuer>[^,;()\n]{3,100}?)\s+tại\s+(?:các\s+)?\Z")
_SO_TAIL = re.compile(r"(?:[Ss]ố|SỐ)\s*+(?::\s*+)?")


def _prefix(text: str, a: int, type_starts: list[int]) -> tuple[str | None, str | None, int]:
    """The type word (and issuer-first) in front of a number starting at ``a``.

    ``type_starts`` are the offsets of every type word in ``text`` (one scan per text).
    """
    k = bisect_left(type_starts, a) - 1
    while k >= 0 and a - type_starts[k] <= 120:
        m = _BEFORE.fullmatch(text, type_starts[k], a)
        if m:
            return TYPE_WORDS[m.group("type").lower()], m.group("issuer_first"), type_starts[k]
        k -= 1
    so = text.rfind("số", max(0, a - 6), a)
    if so < 0:
        so = max(text.rfind("Số", max(0, a - 6), a), text.rfind("SỐ", max(0, a - 6), a))
    if so >= 0 and _SO_TAIL.fullmatch(text, so, a):
        # "các Nghị quyết ...: số 01-NQ/TW, số 02-NQ/TW" - the plural trigger earlier in the sentence
        window = text[max(0, so - 200):so]
        cut = max(window.rfind("\n"), window.rfind(". "))
        plurals = list(_PLURAL.finditer(window, cut + 1))
        if plurals:                                   # the last one before the number
            return TYPE_WORDS[plurals[-1].group("type").lower()], None, so
        return None, None, so
    return None, None, a


def _tail(text: str, b: int) -> tuple[int, str | None, str | None, str | None]:
    """(end, date, issuer, term) of what follows a number at ``b``."""
    m = _TAIL.match(text, b)
    if not m or m.end() == b:
        return b, None, None, None
    date, issuer, term = _tail_fields(m.groups())
    end = m.end()
    # do not swallow trailing spaces and commas into the evidence span
    while end > b and text[end - 1] in " ,\n":
        end -= 1
    return end, date, issuer, term


_TAIL_GROUPS = tuple(sorted(_TAIL.groupindex, key=_TAIL.groupindex.__getitem__))
assert len(_TAIL_GROUPS) == _TAIL.groups                # every group is named: m.groups() lines up


@lru_cache(maxsize=8192)
def _tail_fields(groups: tuple[str | None, ...]) -> tuple[str | None, str | None, str | None]:
    """(date, issuer, term) read from the groups of a ``_TAIL`` match (tails repeat: cached)."""
    g = dict(zip(_TAIL_GROUPS, groups, strict=True))
    date = None
    for p in ("a", "b"):
        date = date or dates.iso(g.get(p + "y"), g.get(p + "m"), g.get(p + "d")) if g.get(p + "y") else date
        if not date and g.get(p + "wy"):
            date = dates.iso(g[p + "wy"], g.get(p + "wm"), g.get(p + "wd") if g.get(p + "wm") else None)
    issuer = g.get("issuer")
    if issuer:
        issuer = _trim_issuer(issuer.strip(" *\"“”"))
        if not _STARTS_UPPER.match(issuer) \
                and not issuer.lower().startswith(("ubnd", "ủy ban", "ban ", "bộ ")):
            issuer = None
    return date, issuer, g.get("term")


# function words and verbs that end a clause, never a body's name ("của Ban Thường vụ Tỉnh ủy phải ...")
_NOT_IN_NAMES = {"phải", "cần", "sẽ", "đã", "được", "có", "là", "đang", "cũng", "chỉ", "cho", "trong",
                 "nhằm", "thì", "mà", "khi", "nay", "này", "đó", "tới", "ra", "vào", "lại", "luôn", "và",
                 "hoặc", "với", "bằng", "chủ", "yêu", "giao", "đề", "nghị", "tổ", "chức", "xây", "dựng",
                 "kịp", "thời", "nghiêm", "túc"}


def _trim_issuer(issuer: str) -> str:
    """Drop trailing lower-case words that cannot end a body's name ("Tỉnh ủy phải" -> "Tỉnh ủy")."""
    words = issuer.split()
    while len(words) > 1 and words[-1] in _NOT_IN_NAMES:
        words.pop()
    return " ".join(words)


def find_mentions(text: str) -> list[FoundMention]:
    found: list[FoundMention] = []
    taken = _Spans()
    type_starts = _type_starts(text)
    for num, a, b in numbers.find_numbers(text):
        type_word, issuer_first, start = _prefix(text, a, type_starts)
        if type_word is None and num.family == "state" and text[max(0, a - 2):a].strip(" ").endswith(","):
            siblings, type_word = _number_list(text, a, num, type_starts)
            found.extend(siblings)
            for g in siblings:
                taken.append((g.start, g.end))
        end, date, issuer, term = _tail(text, b)
        f = FoundMention(start, end, type_word or num.type, num, printed=text[a:b], date=date,
                   issuer=issuer or issuer_first, term=term)
        f.summary = _summary(text, end)
        found.append(f)
        taken.append((a, b))
    for v in _matches_at(_VOUCH, text, _VOUCH_WORDS):
        if taken.holds(v.end()):
            continue
        type_word, issuer_first, start = _prefix(text, v.end(), type_starts)
        vouched = numbers.parse_vouched(text, v.end()) if type_word else None
        if vouched is None:
            continue
        num, b = vouched
        end, date, issuer, term = _tail(text, b)
        completed = numbers.complete_symbol(num, issuer)
        num = completed or num
        f = FoundMention(start, end, type_word, num, printed=text[v.end():b], date=date,
                   issuer=issuer or issuer_first, term=term)
        f.summary = _summary(text, end)
        found.append(f)
        taken.append((v.end(), b))
    plenums = _matches_at(_PLENUM, text, _PLENUM_WORDS) if "Trung ương" in text else ()
    for m in plenums:
        n = m.group("n") or m.group("ord")
        if not n:
            continue
        plenum = int(n) if n.isdigit() else _ORDINALS.get(n.lower())
        if plenum is None or taken.holds(m.start()):
            continue
        found.append(FoundMention(m.start(), m.end(), "Nghị quyết", None, date=None,
                                  issuer="Ban Chấp hành Trung ương",
                                  term=m.group("term").upper(), plenum=plenum))
        taken.append(m.span())
    for h in _short_hints(text, type_starts):
        sm = _SHORT.search(text, max(0, h.start() - 40), h.end())
        if sm is None or sm.end() != h.end():
            continue
        if taken.holds(sm.start("n")) or _SELF.match(text, sm.start()):
            continue
        found.append(FoundMention(sm.start(), sm.end(), TYPE_WORDS[sm.group("type").lower()], None,
                            printed=sm.group(0), short=int(sm.group("n"))))
        taken.append(sm.span())
    for m in _matches_at(_LAW, text, LAW_WORDS):
        if taken.holds(m.start()):
            continue
        name = m.group("name").strip()
        if not name[:1].isupper():
            continue
        found.append(FoundMention(m.start(), m.end(), m.group("type"), None, law=f"{m.group('type')} {name}"))
    found.sort(key=lambda f: f.start)
    for f in found:
        if f.issuer is None and f.number is not None \
                and text.rfind("tại", max(0, f.start - 14), f.start) >= 0:
            by = _OF_AT.search(text, max(0, f.start - 140), f.start)
            if by is not None:
                f.issuer = _trim_issuer(by.group("issuer").strip())
        lo = max(0, f.start - 40)
        if text.find("(", lo, f.start) >= 0 and _ALIAS_BEFORE.search(text, lo, f.start):
            f.is_alias = True
    return found


_LIST_BEFORE = re.compile(r"(?:(?<![\w/.-])\d{1,5}[ \t]*,[ \t]*){1,8}\Z")
_LIST_NUMBER = re.compile(r"\d{1,5}")


def _number_list(text: str, a: int, num: numbers.DocNumber,
                 type_starts: list[int]) -> tuple[list[FoundMention], str | None]:
    """The numbers listed before a state number that share its symbol, and the list's type word:
    "Chỉ thị 01, 13, 33/CT-UB" cites 01/CT-UB and 13/CT-UB too (only when a type word opens the list)."""
    lst = _LIST_BEFORE.search(text, max(0, a - 60), a)
    if lst is None:
        return [], None
    type_word, _, _ = _prefix(text, lst.start(), type_starts)
    if type_word is None:
        return [], None
    symbol = num.text.split("/", 1)[1]
    out = []
    for d in _LIST_NUMBER.finditer(text, lst.start(), lst.end()):
        sibling = numbers.parse_number(f"{d.group(0)}/{symbol}")
        if sibling is not None:
            out.append(FoundMention(d.start(), d.end(), type_word, sibling, printed=d.group(0)))
    return out, type_word


def _matches_at(pattern: re.Pattern[str], text: str, words: tuple[str, ...]) -> list[re.Match[str]]:
    """``list(pattern.finditer(text))`` for a pattern that can only start with one of ``words``.

    Trying the pattern where a word occurs (:func:`word_offsets`) is much faster than scanning the
    whole text with it, and most texts have none of the words at all.
    """
    offsets = word_offsets(text, words)
    found: list[re.Match[str]] = []
    end = 0
    for i in sorted(offsets):
        if i >= end:                            # finditer does not look inside a match again
            m = pattern.match(text, i)
            if m is not None:
                found.append(m)
                end = m.end()
    return found


def _short_hints(text: str, type_starts: list[int]) -> list[re.Match[str]]:
    """The matches of ``_SHORT_HINT.finditer(text)`` that start at most 40 characters after a type word.

    Only those stretches of the text are looked at, for a space before a digit or "số" where a
    hint may start. A hint is made of spaces, "số", ":" and digits and a type word starts with none
    of these, so no hint runs across the start of a stretch: each stretch holds the hints a scan of
    the whole text finds there.
    """
    hints: list[re.Match[str]] = []
    n = len(type_starts)
    i = 0
    while i < n:
        lo, hi = type_starts[i] + 1, type_starts[i] + 41       # a hint may start in [lo, hi)
        i += 1
        while i < n and type_starts[i] < hi:                   # overlapping stretches: one
            hi = type_starts[i] + 41
            i += 1
        while lo < hi:
            head = _HINT_HEAD.search(text, lo, hi + 2)         # +2: the look-ahead reads "số"
            if head is None or head.start() >= hi:
                break
            h = _SHORT_HINT.match(text, head.start())
            if h is None:
                lo = head.start() + 1
            else:
                hints.append(h)
                lo = h.end()                                   # may pass hi, never the next type word
    return hints


class _Spans:
    """Spans of the text already read as mentions; tells in log time whether an offset falls in one."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def append(self, span: tuple[int, int]) -> None:
        k = bisect_left(self._starts, span[0])
        self._starts.insert(k, span[0])
        self._ends.insert(k, span[1])

    def holds(self, i: int) -> bool:
        k = bisect_right(self._starts, i) - 1
        return k >= 0 and i < self._ends[k]


def _summary(text: str, end: int) -> str | None:
    m = _SUMMARY.match(text, end)
    if not m:
        return None
    s = m.group("summary").strip(" *\"“”")
    if _CHAIN_SUMMARY.match(s):
        return None                     # "về việc thực hiện Kết luận ...": a chain, not a summary
    return s or None
