"""Mentions of other documents, and the relation each one carries.

A reference has the shape (vn-conventions §4)::

    <Type> [số[:]] <number/symbol>[,] [ngày <date>] [của <issuer>] [(khóa X)] [về <summary>]

This module finds every such mention in a cleaned text (numbered references, plenum
resolutions cited by name, short forms such as "Kết luận số 93", laws cited by name),
fills in what each mention says about the cited document, and derives the relations:

* the document itself (``"self"``) implements / continues / is based on / cites each
  head mention, depending on the trigger that governs it in the title or preamble
  ("Thực hiện", "Triển khai", "tiếp tục thực hiện", "Căn cứ"); in the body it cites;
* chains the text states about other documents: in "Kế hoạch số 07-KH/TU ... thực hiện
  Kết luận số 93-KL/TW ... về tiếp tục thực hiện Chỉ thị số 42-CT/TW" the plan implements
  the conclusion, which continues the directive.

Jurisdiction of local numbers (…/TU, …-UBND) comes from the issuer named after "của" or,
failing that, from the citing document, with a lower confidence.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache

from cascade import vocab
from cascade.extract import clauses, numbers
from cascade.models import Evidence, Mention, Metadata, Relation
from cascade.text.normalize import UPPER, CleanText, key
from cascade.vn import dates, places
from cascade.vn.cues import (
    BASED_ON,
    CHAIN_RELATIONS,
    CITES,
    CONTINUES,
    IMPLEMENTS,
    LAW_WORDS,
    MENTION_TYPE_WORDS,
    ORDINALS,
)

# -- vocabulary ---------------------------------------------------------------------------------

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
_TYPE_ALT = _trie_pattern([form for w in sorted(TYPE_WORDS, key=len, reverse=True) for form in _case_forms(w)])
_QUALIFIER = r"(?:\s++(?i:hành động|công tác|liên tịch|liên ngành|kết luận|chỉ đạo|thẩm tra|thẩm định))?"
# the words in front of a number: "Kế hoạch số", "Chương trình hành động số:", "Quyết định của Bộ Chính trị số"
_BEFORE = re.compile(
    rf"(?P<type>{_TYPE_ALT}){_QUALIFIER}(?:\s++của\s++(?P<issuer_first>[^,;.()\n]{{3,80}}?))?"
    rf"\s*+(?:(?:[Ss]ố|SỐ)\s*+(?::\s*+)?)?")
_SO_ONLY = re.compile(r"[Ss]ố\s*+(?::\s*+)?\Z")
_PLURAL = re.compile(rf"\bcác\s++(?P<type>{_TYPE_ALT})\b")
_PLURAL_WORD = re.compile(rf"(?:{_TYPE_ALT})")

_TERM = r"(?:khóa|khoá|Khóa|KHÓA|KHOÁ)\s++(?P<term>(?-i:[IVXL]{1,5}))\b"
_ISSUER_STOP = (rf"(?=[ \t]{{0,4}}(?:[,;.(\n\"“”]|$|\s(?:về|V/v|v/v|ban hành|quy định|hướng dẫn|thực hiện|triển khai|"
                rf"tiếp tục|đến|trên địa bàn|tại|để|nhằm|theo|đã|được|gắn với|phê duyệt|sửa đổi|(?:và|hoặc)\s++(?:các\s++)?(?:{_TYPE_ALT}))\b))")
# what follows a number: its date, its issuer ("của ..."), the date again, the term; in capitals too (titles)
_TAIL = re.compile(
    r"\s*+(?:,\s*+)?(?:" + dates.DATE.replace("(?P<", "(?P<a") + r")?"
    r"(?:\s*+(?:,\s*+)?của\s++(?P<issuer>[^,;\n()]{2,100}?)" + _ISSUER_STOP + r")?"
    r"(?:\s*+(?:,\s*+)?(?:" + dates.DATE.replace("(?P<", "(?P<b") + r"))?"
    r"(?:\s*+(?:,\s*+)?(?:\(\s*+)?" + _TERM + r"\s*+\)?)?", re.IGNORECASE)
_SUMMARY = re.compile(r"\s*+(?:,\s*+)?(?:về việc|về|V/v|v/v)\s++(?P<summary>[^;\n()]{3,240}?)"
                      r"(?=[ \t]{0,8}(?:[;\n(]|\.\s|\.$|$"
                      r"|,[ \t]{0,8}(?:UBND|Ủy ban|Ban Thường vụ|Huyện ủy|Tỉnh ủy)))")
_ALIAS_BEFORE = re.compile(r"\(\s*+(?:sau đây\s++)?(?:được\s++)?(?:gọi tắt|viết tắt|gọi chung|gọi)\s++là[\s\"“*]*+\Z",
                           re.I)

_ORDINALS = ORDINALS
_ORD_ALT = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_PLENUM = re.compile(
    rf"(?P<type>Nghị quyết|NGHỊ QUYẾT|nghị quyết)\s++(?:của\s++)?(?:Hội nghị\s++)?(?:(?:lần\s++)?thứ\s++(?P<ord>{_ORD_ALT}|\d{{1,2}})\s++)?"
    rf"(?:Ban Chấp hành\s++)?Trung ương(?:\s++Đảng)?\s*+(?P<n>\d{{1,2}})?\s*+(?:,\s*+)?(?:\(\s*+)?{_TERM}\s*+\)?")
_SHORT = re.compile(rf"(?P<type>{_TYPE_ALT}){_QUALIFIER}\s++(?:[Ss]ố\s*+(?::\s*+)?)?(?P<n>\d{{1,4}})(?![\d/.\w-]|\s?[-/]\s?\w)")
_SHORT_HINT = re.compile(r"\s(?:[Ss]ố\s*+(?::\s*+)?)?\d{1,4}(?![\d/.\w-]|\s?[-/]\s?\w)")
_HINT_HEAD = re.compile(r"\s(?=\d|[Ss]ố)")    # where a _SHORT_HINT may start
_LAW = re.compile(r"(?P<type>" + "|".join(LAW_WORDS) + r")(?P<name>(?:\s++(?!và\b|ngày\b|năm\b|số\b|được\b|đã\b|của\b|theo\b|để\b|"
                  r"nhằm\b|tại\b|hiện\b|sửa\b|quy\b|và\b)[\wÀ-ỹĐđ-]+){1,8})")
_PLENUM_WORDS = ("Nghị quyết", "NGHỊ QUYẾT", "nghị quyết")    # what _PLENUM starts with
_SELF = re.compile(rf"(?:{_TYPE_ALT})\s++này\b")

# the end of the text between two mentions (spaces collapsed, lower case) that makes the first relate to
# the second: "Kế hoạch số 07-KH/TU ... thực hiện Kết luận số 93-KL/TW", "Nghị định số 187/2025/NĐ-CP ...
# sửa đổi, bổ sung một số điều của Nghị định số 78/2025/NĐ-CP"
_CHAIN_TAIL = re.compile(
    r"(?:(?:về|để|nhằm|trong) )?(?:việc )?(?:(?P<cont>tiếp tục) )?(?:(?:triển khai|tổ chức) )?"
    r"(?:thực hiện|triển khai|quán triệt|cụ thể hóa|cụ thể hoá)(?: (?:các|có hiệu quả))? ?\Z"
    r"|(?P<amend>sửa đổi,? bổ sung)(?: (?:một số|các) (?:điều|nội dung|khoản))?(?: của)? ?\Z"
    r"|(?P<replace>thay thế) ?\Z|(?P<repeal>bãi bỏ) ?\Z"
    r"|(?P<guide>hướng dẫn (?:thi hành|thực hiện)|quy định chi tiết(?: thi hành)?)"
    r"(?: (?:một số|các) (?:điều|nội dung|khoản))?(?: của)? ?\Z")
_GAP_NOISE = str.maketrans({c: " " for c in "*“”\"\n\t\u00a0"})
# what a gap between two mentions of one chain may not hold: a list break or the main clause
_GAP_BREAK = re.compile(r";|\n[ \t\u00a0]*\n|\.[ \t\u00a0]*\n|\.[ \t\u00a0]+[A-ZĐ\d]"
                        r"|\n[ \t\u00a0]*(?:[-+•*–]|[a-zđ]\)|\d+(?:\.\d+)*[.)])[ \t\u00a0]")   # a new list item
_SENTENCE_END = re.compile(r"\n|;|\.(?=[ \t]{1,8}[A-ZĐ\d])|:[ \t]{0,8}\n")
_STARTS_UPPER = re.compile(f"[{UPPER}]")
_CHAIN_SUMMARY = re.compile(r"(?:việc\s++)?(?:tiếp tục\s++)?(?:triển khai\s++)?thực hiện\s++(?:"
                            + _TYPE_ALT + ")")
_SPACES = re.compile(r"\s+")
_UBND = re.compile(r"^(?:UBND|Ubnd)\b")
_HDND = re.compile(r"^(?:HĐND)\b")
_TINH_UY = re.compile(r"\bTỉnh uỷ\b|\btỉnh ủy\b")
_TERM_TAIL = re.compile(r"\s*+\(\s*+khóa\s++[IVXL]++\s*+\)$")
_DISTRICT_ISSUER = re.compile(r"huyện ủy|quận ủy|ủy ban nhân dân (?:huyện|quận|thị xã)|hội đồng nhân dân (?:huyện|quận|thị xã)"
                              r"|\bhuyện\b|\bquận\b|thị xã|thị ủy")
_PROVINCE_ISSUER = re.compile(r"tỉnh ủy|ủy ban nhân dân tỉnh|hội đồng nhân dân tỉnh|\btỉnh\b")
_ENDS_WITH_UNIT = re.compile(r"(?:ủy|tỉnh|huyện|quận|thị xã)$", re.I)
_COORDINATION = re.compile(r"\s*+(?:và|hoặc|,)\s*+")          # "A và B": B is not a chain link of A
_SECTION_START = re.compile(r"^[ \t]*(?:[IVX]{1,5}[ \t]*[.\-–]|1[ \t]*[.\-][ \t]|Điều[ \t]+1\b"
                            r"|Phần[ \t]+(?:[IVX]+|thứ)"
                            r"|PHẦN[ \t]+[IVX]|QUYẾT[ \t]+ĐỊNH[ \t]*:|QUYẾT[ \t]+NGHỊ[ \t]*:)", re.M)


@dataclass(slots=True)
class _Found:
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
    low = text.lower()
    if len(low) != len(text):                  # a character whose lower case is longer: stay exact
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return [a for a in (m.start() for m in _TYPE_WORD_LOWER.finditer(low)) if not (a and low[a - 1].isalnum())]
# "số" right before a digit: where a number a type word vouches for may start
_VOUCH = re.compile(r"(?<!\w)(?:[Ss]ố|SỐ)[ \t\n]{0,3}:?[ \t\n]{0,3}(?=\d)")
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
        p = None
        for p in _PLURAL.finditer(window, cut + 1):
            pass
        if p is not None:
            return TYPE_WORDS[p.group("type").lower()], None, so
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
    g = dict(zip(_TAIL_GROUPS, groups))
    date = None
    for p in ("a", "b"):
        date = date or dates.iso(g.get(p + "y"), g.get(p + "m"), g.get(p + "d")) if g.get(p + "y") else date
        if not date and g.get(p + "wy"):
            date = dates.iso(g[p + "wy"], g.get(p + "wm"), g.get(p + "wd") if g.get(p + "wm") else None)
    issuer = g.get("issuer")
    if issuer:
        issuer = _trim_issuer(issuer.strip(" *\"“”"))
        if not _STARTS_UPPER.match(issuer) and not issuer.lower().startswith(("ubnd", "ủy ban", "ban ", "bộ ")):
            issuer = None
    return date, issuer, g.get("term")


# function words and verbs that end a clause, never a body's name ("của Ban Thường vụ Tỉnh ủy phải ...")
_NOT_IN_NAMES = {"phải", "cần", "sẽ", "đã", "được", "có", "là", "đang", "cũng", "chỉ", "cho", "trong", "nhằm", "thì",
                 "mà", "khi", "nay", "này", "đó", "tới", "ra", "vào", "lại", "luôn", "và", "hoặc", "với", "bằng",
                 "chủ", "yêu", "giao", "đề", "nghị", "tổ", "chức", "xây", "dựng", "kịp", "thời", "nghiêm", "túc"}


def _trim_issuer(issuer: str) -> str:
    """Drop trailing lower-case words that cannot end a body's name ("Tỉnh ủy phải" -> "Tỉnh ủy")."""
    words = issuer.split()
    while len(words) > 1 and words[-1] in _NOT_IN_NAMES:
        words.pop()
    return " ".join(words)


def _find(text: str) -> list[_Found]:
    found: list[_Found] = []
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
        f = _Found(start, end, type_word or num.type, num, printed=text[a:b], date=date,
                   issuer=issuer or issuer_first, term=term)
        f.summary = _summary(text, end)
        found.append(f)
        taken.append((a, b))
    for v in _VOUCH.finditer(text):
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
        f = _Found(start, end, type_word, num, printed=text[v.end():b], date=date,
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
        found.append(_Found(m.start(), m.end(), "Nghị quyết", None, date=None, issuer="Ban Chấp hành Trung ương",
                            term=m.group("term").upper(), plenum=plenum))
        taken.append(m.span())
    for h in _short_hints(text, type_starts):
        sm = _SHORT.search(text, max(0, h.start() - 40), h.end())
        if sm is None or sm.end() != h.end():
            continue
        if taken.holds(sm.start("n")) or _SELF.match(text, sm.start()):
            continue
        found.append(_Found(sm.start(), sm.end(), TYPE_WORDS[sm.group("type").lower()], None,
                            printed=sm.group(0), short=int(sm.group("n"))))
        taken.append(sm.span())
    for m in _matches_at(_LAW, text, LAW_WORDS):
        if taken.holds(m.start()):
            continue
        name = m.group("name").strip()
        if not name[:1].isupper():
            continue
        found.append(_Found(m.start(), m.end(), m.group("type"), None, law=f"{m.group('type')} {name}"))
    found.sort(key=lambda f: f.start)
    for f in found:
        at = text.rfind("tại", max(0, f.start - 14), f.start)
        if f.issuer is None and f.number is not None and at >= 0:
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
                 type_starts: list[int]) -> tuple[list[_Found], str | None]:
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
            out.append(_Found(d.start(), d.end(), type_word, sibling, printed=d.group(0)))
    return out, type_word


def _matches_at(pattern: re.Pattern[str], text: str, words: tuple[str, ...]) -> list[re.Match[str]]:
    """``list(pattern.finditer(text))`` for a pattern that can only start with one of ``words``.

    Trying the pattern where a word occurs (``str.find``) is much faster than scanning the whole
    text with it, and most texts have none of the words at all.
    """
    offsets: list[int] = []
    for word in words:
        i = text.find(word)
        while i >= 0:
            offsets.append(i)
            i = text.find(word, i + 1)
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


# -- jurisdiction -------------------------------------------------------------------------------

_CENTRAL_ISSUERS = ("bộ chính trị", "ban bí thư", "ban chấp hành trung ương", "chính phủ", "thủ tướng",
                    "quốc hội", "ủy ban thường vụ quốc hội", "trung ương", "văn phòng trung ương", "bộ ")


@lru_cache(maxsize=8192)
def _places_in(phrase: str) -> list[places.PlaceHit]:
    """Places named in a short phrase (an issuer, a summary); phrases repeat, so cached."""
    return places.find_places(phrase)


# "Ban Bí thư Trung ương Đảng", "Bộ Chính trị (khóa X)": one name for each central body
_CENTRAL_NAMES = (("ban bí thư", "Ban Bí thư"), ("bộ chính trị", "Bộ Chính trị"), ("thủ tướng", "Thủ tướng Chính phủ"))


@lru_cache(maxsize=16384)
def _canonical_issuer(issuer: str | None) -> str | None:
    if not issuer:
        return None
    s = _SPACES.sub(" ", issuer).strip(" ,.")
    s = _UBND.sub("Ủy ban nhân dân", s)
    s = _HDND.sub("Hội đồng nhân dân", s)
    s = _TINH_UY.sub("Tỉnh ủy", s)
    s = _TERM_TAIL.sub("", s)
    low = s.lower()
    return next((name for prefix, name in _CENTRAL_NAMES if low.startswith(prefix)), s)


def _jurisdiction(f: _Found, meta: Metadata) -> tuple[str | None, str | None, str | None, float, str | None]:
    """(level, province, district, confidence, issuer) of a mentioned local document."""
    return _jurisdiction_of(f.number, f.issuer, f.plenum, f.law, f.summary, meta.level, meta.province, meta.district)


@lru_cache(maxsize=16384)
def _jurisdiction_of(num: numbers.DocNumber | None, f_issuer: str | None, plenum: int | None, law: str | None,
                     summary: str | None, meta_level: str | None, meta_province: str | None,
                     meta_district: str | None) -> tuple[str | None, str | None, str | None, float, str | None]:
    """:func:`_jurisdiction` from the fields it reads (the same citation recurs: cached)."""
    issuer = _canonical_issuer(f_issuer)
    low = key(issuer) if issuer else ""
    if num is not None and not num.local:
        return "central", None, None, 1.0, issuer
    if num is None and (plenum is not None or law):
        return "central", None, None, 1.0, issuer
    if low and low.startswith(_CENTRAL_ISSUERS) and (num is None or num.level in ("local", "central")):
        return "central", None, None, 0.9, issuer
    level = num.level if num is not None else None
    confidence = 1.0
    province, district = None, None
    hits = _places_in(issuer) if issuer else []
    if summary and not hits:
        hits = [h for h in _places_in(summary) if h.unit.level == "province"]
        if hits:
            confidence = 0.8
    for h in hits:
        if h.unit.level == "province" and province is None:
            province = h.unit.name
        elif h.unit.level == "district" and district is None:
            if meta_province and h.unit.province and key(h.unit.province) != key(meta_province):
                continue
            district, province = h.unit.name, h.unit.province
    # the level the issuer's name implies
    if low:
        if _DISTRICT_ISSUER.search(low):
            level = "district"
        elif _PROVINCE_ISSUER.search(low):
            level = "province"
        elif "thành ủy" in low or "thành phố" in low:
            level = "district" if district else "province"
    if level in (None, "local"):
        # a UBND/HĐND number with no issuer: a province-level hint, else the citing document's level
        level = "province" if province and not district else (meta_level or "province")
        confidence = min(confidence, 0.6)
    if level == "central":
        return "central", None, None, confidence, issuer
    if level == "province":
        district = None
    if province is None:
        province = meta_province
        confidence = min(confidence, 0.9 if issuer else 0.7)
    if level in ("district", "commune") and district is None:
        if meta_level in ("district", "commune"):
            district = meta_district
            confidence = min(confidence, 0.8)
        else:
            confidence = min(confidence, 0.4)
    issuer = _full_issuer(issuer, level, province, district)
    return level, province, district, confidence, issuer


def _full_issuer(issuer: str | None, level: str | None, province: str | None, district: str | None) -> str | None:
    """Add the jurisdiction a short issuer name leaves implicit ("UBND tỉnh" -> "... tỉnh Đắk Lắk")."""
    if not issuer:
        return None
    place = district if level in ("district", "commune") else province
    if place and key(place) not in key(issuer) and _ENDS_WITH_UNIT.search(issuer):
        return f"{issuer} {place}"
    return issuer


# -- relations ----------------------------------------------------------------------------------

def preamble_end(text: str, title_end: int = 0) -> int:
    """Where the body starts: the first section heading after the title."""
    m = _SECTION_START.search(text, title_end)
    return m.start() if m else min(len(text), title_end + 3000)


def _sentence_start(text: str, i: int, floor: int) -> int:
    """Where the sentence holding offset ``i`` starts (not before ``floor``)."""
    best = max(text.rfind("\n", floor, i), text.rfind(";", floor, i))
    best = best + 1 if best >= 0 else floor
    dot = text.rfind(". ", best, i)
    while dot >= 0:
        nxt = text[dot + 2: dot + 3]
        if nxt and (nxt.isupper() or nxt.isdigit()):
            return dot + 2
        dot = text.rfind(". ", best, dot)
    colon = text.rfind(":\n", floor, i)
    return max(best, colon + 2) if colon >= 0 else best


#: the ladder of the relations a document states about another, strongest first: a document cited
#: several times keeps the strongest (implements > based_on > cites). The relations of law
#: (amends, replaces, repeals, guides) stand beside it: a decision can be based on a document and
#: replace it.
LADDER = {name: rel.strength for name, rel in vocab.RELATIONS.items()
          if name in vocab.DOCUMENT_RELATIONS and (rel.cascade or name in (BASED_ON, CITES))}

# -- the public function -------------------------------------------------------------------------

def _local_key(m: Mention) -> str:
    if m.number:
        return f"{m.number.casefold()}@{m.province or ''}/{m.district or ''}"
    if m.plenum is not None:
        return f"nqtw{m.plenum}@{m.term}"
    return f"{(m.type or '').casefold()}:{key(m.summary or m.number or m.alias or '')}"


def mention_key(m: Mention) -> str:
    """The key two mentions of one document share inside one text."""
    return _local_key(m)


def extract_references(ct: CleanText, meta: Metadata, source: str, *, title_end: int = 0,
                       self_number: str | None = None, header_end: int = 0) -> tuple[tuple[Mention, ...], tuple[Relation, ...], list[str]]:
    """Mentions and relations of one document.

    Args:
        ct: the cleaned text (spans are mapped back to ``ct.raw``).
        meta: the document's own metadata (its province and level attribute local numbers).
        source: the file name recorded in the evidence.
        title_end: offset where the title ends (title and preamble carry the cascade relations).
        self_number: the document's own number, so that it is not taken for a mention.
        header_end: where the header block ends; numbers in it are the document's own, unless a clause
            of the preamble governs them (a header read too far).

    Returns:
        (mentions, relations, warnings)
    """
    text = ct.text
    found = _find(text)
    warnings: list[str] = []
    body_start = preamble_end(text, title_end)
    self_key = key(self_number) if self_number else None
    # the document's own number describes nothing: it does not end a clause
    cited = [f.start for f in found if not (
        f.number is not None and self_key and key(f.number.text) == self_key and _is_self(f, meta))]
    index = clauses.ClauseIndex(clauses.find_clauses(text, cited, body_start, (header_end, title_end)))

    def evidence(a: int, b: int) -> Evidence:
        s = _sentence_start(text, a, max(0, a - 400))
        e_match = _SENTENCE_END.search(text, b, min(len(text), b + 600))
        e = e_match.start() if e_match else min(len(text), b + 200)
        ra, rb = ct.original(a, b)
        sa, sb = ct.original(s, e)
        return Evidence(source, ra, rb, ct.raw[sa:sb].strip())

    for f in found:
        if f.number is not None and f.number.repair:
            warnings.append(f"{source}: '{f.printed}' read as {f.number.text} ({f.number.repair})")
        elif f.number is not None and f.number.trimmed:
            warnings.append(f"{source}: '{text[f.start:f.end][:60]}' holds {f.number.text} glued to the "
                            f"next word")

    notes = _fix_type_codes(found, source, warnings)

    # mentions with their jurisdiction
    mentions: list[Mention] = []
    index_of: dict[int, int] = {}
    seen_numbers: dict[str, int] = {}
    for i, f in enumerate(found):
        if f.short is not None:
            continue
        if f.start < header_end and not getattr(index.at(f.start), "opens_line", False):
            continue                                  # the header's own number, or page chrome
        if f.number is not None and self_key and key(f.number.text) == self_key and _is_self(f, meta):
            continue                                  # the document naming itself
        level, province, district, confidence, issuer = _jurisdiction(f, meta)
        first = seen_numbers.get(key(f.number.text)) if f.number is not None and not f.issuer else None
        if first is not None:                         # a later short citation of a number cited in full
            m0 = mentions[first]
            level, province, district = m0.level, m0.province, m0.district
            confidence, issuer = m0.confidence, m0.issuer
        elif f.number is not None and f.issuer:
            seen_numbers.setdefault(key(f.number.text), len(mentions))
        if province and level != "central":
            province, issuer = _named_on_date(province, issuer, f.date or meta.date)
        branch = None
        if f.number is not None:
            branch = f.number.family
        elif f.plenum is not None:
            branch = "party"
        elif f.law:
            branch = "state"
        index_of[i] = len(mentions)
        mentions.append(Mention(
            id=f"m{len(mentions) + 1}", type=f.type, number=f.number.text if f.number else None,
            evidence=evidence(f.start, f.end), date=f.date, issuer=issuer, branch=branch, level=level,
            province=province if level != "central" else None,
            district=district if level in ("district", "commune") else None,
            plenum=f.plenum, term=f.term, summary=f.law or f.summary, confidence=confidence, note=notes.get(i)))

    # short forms ("Kết luận số 93") resolve against full citations of the same type and number
    full: dict[tuple[str, str | None], Mention] = {}
    for j in sorted(index_of):
        g = found[j]
        if g.number is not None:
            full.setdefault((g.number.number.lstrip("0"), g.type), mentions[index_of[j]])
    for i, f in enumerate(found):
        if f.short is None:
            continue
        target = full.get((str(f.short), f.type))
        if target is None:
            continue
        index_of[i] = len(mentions)
        mentions.append(replace(target, id=f"m{len(mentions) + 1}", evidence=evidence(f.start, f.end),
                                alias=f.printed, confidence=min(target.confidence, 0.9),
                                note="short form of " + (target.number or "")))

    relations = _relations(text, found, mentions, index_of, index, evidence,
                           _programme_links(text, found, index_of, index, title_end))
    order = {m.id: n for n, m in enumerate(mentions)}
    relations.sort(key=lambda r: (r.source != "self", order.get(r.source, -1), order.get(r.target, 0)))
    return tuple(mentions), tuple(relations), warnings


def _named_on_date(province: str, issuer: str | None, date: str | None) -> tuple[str, str | None]:
    """The province of a cited local document as documents of its date named it (a 2019 plan of "huyện
    Phú Vang" is of Thừa Thiên Huế, not of the city of Huế), unless its issuer names the city itself."""
    name, kind = places.province_name_on(province, date)
    city = rf"(?:thành phố|Thành ủy|thành ủy)\s+{re.escape(province)}\b"
    if name == province or (issuer and re.search(city, issuer)):
        return province, issuer
    if issuer and kind is not None and name not in issuer:
        issuer = issuer.replace(f"thành phố {province}", f"{kind} {name}").replace(f" {province}", f" {name}")
    return name, issuer


def _is_self(f: _Found, meta: Metadata) -> bool:
    """Whether a mention carrying the document's own number is the document itself.

    Numbers restart every year (state) or term (Party): a citation dated otherwise, or issued by
    another body's jurisdiction, is another document with the same number.
    """
    if f.date and meta.date and f.date[:len(meta.date)] != meta.date[:len(f.date)]:
        return False
    if not f.issuer:
        return True
    level, province, district, _, _ = _jurisdiction(f, meta)
    own_district = meta.district if meta.level != "province" else None
    return level == "central" or (key(province) == key(meta.province)
                                  and key(district if level != "province" else None) == key(own_district))


def _fix_type_codes(found: list[_Found], source: str, warnings: list[str]) -> dict[int, str]:
    """Fix a type code the type word and the rest of the document contradict ("Kết luận số 93-NQ/TW").

    Returns a note per corrected or contradicted mention (by index in ``found``).
    """
    by_digits: dict[tuple[str, str, str], set[str]] = {}
    for f in found:
        if f.number is not None and f.type:
            codes = numbers.code_of_type(f.type)
            if f.number.type_code and f.number.type_code.upper() in codes:
                by_digits.setdefault((f.number.number, f.number.issuer_code, f.number.family), set()).add(
                    f.number.type_code)
    notes: dict[int, str] = {}
    for i, f in enumerate(found):
        n = f.number
        if n is None or not f.type or not n.type_code:
            continue
        codes = numbers.code_of_type(f.type)
        if not codes or n.type_code.upper() in codes:
            continue
        seen = {c for c in by_digits.get((n.number, n.issuer_code, n.family), set()) if c.upper() in codes}
        if seen:
            fixed = numbers.with_type_code(n, sorted(seen)[0])
            parsed = numbers.parse_number(fixed)
            if parsed is not None:
                notes[i] = f"typo: printed {n.text}, the type word and other citations say {parsed.text}"
                warnings.append(f"{source}: '{f.type} số {n.text}' read as {parsed.text} (type word and other "
                                f"citations disagree with the printed code)")
                f.number = parsed
                continue
        notes[i] = f"the type word says {f.type}, the code {n.type_code} says {n.type}: the type word wins"
    return notes


def _chain(text: str, found: list[_Found], prev: int | None, prev_prev: int | None, i: int) -> str | None:
    """The relation the mention ``prev`` states about mention ``i`` when the text between them ends with
    a description verb ("Kế hoạch số 07-KH/TU ... thực hiện Kết luận số 93-KL/TW"), else None."""
    if prev is None or found[prev].is_alias:
        return None
    p, f = found[prev], found[i]
    if f.start - p.end >= 240 or _GAP_BREAK.search(text, p.end, f.start):
        return None
    if prev_prev is not None and _COORDINATION.fullmatch(text, found[prev_prev].end, p.start) is not None:
        return None                                   # "A và B thực hiện C": not B alone
    gap = _SPACES.sub(" ", text[p.end:f.start].translate(_GAP_NOISE)).strip().lower()
    m = _CHAIN_TAIL.search(gap)
    if m is None:
        return None
    return next((rel for group, rel in CHAIN_RELATIONS if m.group(group)), IMPLEMENTS)


# -- programmes approved by a decision ----------------------------------------------------------
#
# A plan often carries out a programme (Chiến lược, Đề án, Chương trình...) named by its title, not by the
# number of the decision that approved it: "Kế hoạch triển khai thực hiện Chiến lược phát triển giáo dục
# đến năm 2030" and, elsewhere in the text, "Quyết định số 1705/QĐ-TTg ... phê duyệt Chiến lược phát triển
# giáo dục đến năm 2030" or "... Chiến lược ... ban hành kèm theo Quyết định số 1705/QĐ-TTg". The plan then
# implements that decision; through a cited plan it implements when that plan carries out the same programme.

PROGRAMME_WORDS = ("chiến lược", "đề án", "chương trình", "quy hoạch", "dự án")
_PROGRAMME = re.compile(r"(?<!\w)(?:" + "|".join(PROGRAMME_WORDS) + r")(?!\w)", re.IGNORECASE)
_APPROVES = re.compile(r"\W{0,4}(?:về\s+việc\s+|về\s+)?(?:phê\s+duyệt|ban\s+hành)\s+(?:" + "|".join(
    p.replace(" ", r"\s+") for p in PROGRAMME_WORDS) + r")(?!\w)", re.IGNORECASE)
_APPROVED_BY = re.compile(r"(?:(?:được\s++)?phê\s++duyệt|ban\s++hành)?\s*+(?:kèm\s++theo|tại|theo)\s++\Z",
                          re.IGNORECASE)
_WORD = re.compile(r"\w+")
_NAME_RUN = 5            # words a programme's name and a decision's description must share, in a row
_TAIL_RUN = 6            # words before "tại Quyết định số ..." that must be a run of the programme's name


def _words(s: str, limit: int) -> list[str]:
    return [w.casefold() for w in _WORD.findall(s)][:limit]


def _has_run(words: list[str], run: list[str]) -> bool:
    n = len(run)
    return n > 0 and any(words[i:i + n] == run for i in range(len(words) - n + 1))


def _programme_links(text: str, found: list[_Found], index_of: dict[int, int], index: clauses.ClauseIndex,
                     title_end: int) -> list[tuple[int, list[str], int, int]]:
    """(decision index in ``found``, programme words, span) for each decision approving a programme that
    the document's own title carries out."""
    starts = sorted(found[i].start for i in index_of)
    programmes: list[tuple[list[str], int, int]] = []
    for c in index.ordinary:
        if c.relation not in (IMPLEMENTS, CONTINUES) or c.start >= title_end:
            continue
        k = bisect_left(starts, c.start)
        stop = min(c.end, starts[k]) if k < len(starts) else c.end
        for m in _PROGRAMME.finditer(text, c.start, stop):
            words = _words(text[m.end():m.end() + 240], 24)
            if len(words) >= _NAME_RUN:
                end = stop - (len(text[m.start():stop]) - len(text[m.start():stop].rstrip(" \t\n,;:")))
                programmes.append((words, m.start(), end))      # the programme as the title names it
    if not programmes:
        return []
    links = []
    for i, f in enumerate(found):
        if i not in index_of or f.number is None or f.type != "Quyết định":
            continue
        after = _APPROVES.match(text, f.end)
        name = _words(text[after.end():after.end() + 240], _NAME_RUN) if after else []
        before = _APPROVED_BY.search(text, max(0, f.start - 40), f.start)
        tail = _words(text[max(0, before.start() - 120):before.start()], 60)[-_TAIL_RUN:] if before else []
        for words, a, b in programmes:
            if ((len(name) == _NAME_RUN and _has_run(words, name))
                    or (len(tail) == _TAIL_RUN and _has_run(words, tail))):
                links.append((i, words, a, b))
                break
    return links


def _nested(text: str, found: list[_Found], prev: int | None, i: int, clause: clauses.Clause) -> bool:
    """Whether a mention stands inside the description of the mention ``prev`` of the same clause
    ("Thông tư số 25 ... hướng dẫn ... theo quy định tại Quyết định số 117"): then the clause's trigger
    does not govern it. A list goes on after ",", ";", "và" or "hoặc"; anything else ends a description."""
    if prev is None or found[prev].start < clause.start:
        return False
    p, f = found[prev], found[i]
    if f.start < p.end or f.start - p.end >= 300 or _GAP_BREAK.search(text, p.end, f.start):
        return False
    gap = text[p.end:f.start].rstrip(" \t\n\u00a0")
    return bool(gap) and not gap.endswith((",", ";", "(")) and not _LIST_WORD.search(gap)


_LIST_WORD = re.compile(r"(?:^|\s)(?:và|hoặc|cùng|VÀ)\Z")


def _relations(text: str, found: list[_Found], mentions: list[Mention], index_of: dict[int, int],
               index: clauses.ClauseIndex, evidence,
               programmes: list[tuple[int, list[str], int, int]]) -> list[Relation]:
    """Every relation the text states: the document's own (one per document on the ladder, plus each
    relation of law), and the ones it states between the documents it cites."""
    ladder: dict[str, tuple[int, Relation]] = {}
    legal: dict[tuple[str, str], Relation] = {}
    chains: dict[tuple[str, str], Relation] = {}
    prev: int | None = None
    prev_prev: int | None = None
    for i in sorted(index_of):
        f = found[i]
        m = mentions[index_of[i]]
        if f.is_alias:
            prev_prev, prev = prev, i
            continue
        clause = index.at(f.start)
        chained = _chain(text, found, prev, prev_prev, i)
        if chained is not None and clause is not None and clause.start >= found[prev].end:  # type: ignore[index]
            chained = None                                # the verb opens a clause of the document's own
        if chained is not None:
            pm = mentions[index_of[prev]]                          # type: ignore[index]
            pair = (_local_key(pm), _local_key(m))
            if pair[0] != pair[1] and pair not in chains:
                chains[pair] = Relation(pm.id, chained, m.id, evidence(found[prev].start, f.end))  # type: ignore[index]
        prev_prev, prev = prev, i
        nested = chained is None and clause is not None and _nested(text, found, prev_prev, i, clause)
        rtype = clause.relation if clause is not None and chained is None and not nested else CITES
        k = _local_key(m)
        if rtype not in LADDER:
            legal.setdefault((k, rtype), Relation("self", rtype, m.id, m.evidence))
            rtype = CITES
        if k not in ladder or LADDER[rtype] < ladder[k][0]:
            ladder[k] = (LADDER[rtype], Relation("self", rtype, m.id, m.evidence))
    for d, words, a, b in programmes:
        decision = mentions[index_of[d]]
        # a plan the document implements that carries out the same programme comes between
        via = [i for i in sorted(index_of)
               if i != d and ladder.get(_local_key(mentions[index_of[i]]), (9,))[0] == 0
               and _has_run(_words(text[found[i].end:found[i].end + 300], 40), words[:_NAME_RUN])]
        if via:
            pm = mentions[index_of[via[0]]]
            pair = (_local_key(pm), _local_key(decision))
            if pair[0] != pair[1]:
                ev = evidence(found[via[0]].start, found[via[0]].end)
                chains.setdefault(pair, Relation(pm.id, IMPLEMENTS, decision.id, ev))
        else:
            ladder[_local_key(decision)] = (0, Relation("self", IMPLEMENTS, decision.id, evidence(a, b)))
    stated = {k for k, _ in legal}
    own = [r for k, (_, r) in ladder.items() if not (r.type == CITES and k in stated)]
    return own + list(legal.values()) + list(chains.values())
