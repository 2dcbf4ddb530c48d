"""The known agency names (``resources/agencies.csv``, ``agency_aliases.csv``) and their index.

Names are compared as casefolded words with connectors dropped; a name written with initials
("Sở KH&CN") is found through the initials of the known names under the same head noun.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cascade.text.normalize import canon_tone, key, nfc


@dataclass(frozen=True, slots=True)
class AgencyInfo:
    """A known agency name: its level and what a jurisdiction written after it means."""

    name: str
    level: str          # central | province | district | commune | any
    suffix: str         # drop | keep | party | none (see agencies.csv)


def resource_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("cascade.resources").joinpath(name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines))


# Words between parts of a name that do not distinguish names ("Kinh tế và Hạ tầng" is
# "Kinh tế - Hạ tầng" is "Kinh tế Hạ tầng").
CONNECTORS = frozenset({"và", "&", "-", ",", "/"})
# Initials standing for whole words, expanded before lookup; upper case only ("VP", not "vp").
EXPAND = {
    "UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân", "UBMTTQVN": "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc", "UBMT": "Ủy ban Mặt trận", "MTTQVN": "Mặt trận Tổ quốc Việt Nam",
    "MTTQ": "Mặt trận Tổ quốc", "VN": "Việt Nam", "VP": "Văn phòng", "BQL": "Ban Quản lý",
    "BCĐ": "Ban Chỉ đạo", "BTV": "Ban Thường vụ", "UBKT": "Ủy ban Kiểm tra", "TW": "Trung ương",
    "TƯ": "Trung ương", "BCH": "Ban Chấp hành", "ĐBQH": "đại biểu Quốc hội", "LĐLĐ": "Liên đoàn Lao động",
    "BHXH": "Bảo hiểm xã hội", "TP": "thành phố", "TX": "thị xã",
}
EXPAND_TOKENS = {k: tuple(v.split()) for k, v in EXPAND.items()}
# Head nouns, longest first; initials are compared only under the same head.
HEADS = sorted((tuple(h.split()) for h in (
    "ủy ban", "hội đồng", "ban", "sở", "phòng", "trung tâm", "liên hiệp", "liên đoàn", "liên minh", "hội",
    "đài", "báo", "văn phòng", "thanh tra", "công an", "bộ chỉ huy", "ban chỉ huy", "bộ", "cục",
    "chi cục", "viện", "trường", "kho bạc", "ngân hàng", "bảo hiểm", "đảng ủy", "đoàn", "tòa án",
    "bệnh viện", "quỹ")), key=len, reverse=True)
UNIT_WORDS = {("tỉnh",): "tỉnh", ("huyện",): "huyện", ("thị", "xã"): "thị xã", ("thành", "phố"): "thành phố",
               ("quận",): "quận", ("xã",): "xã", ("phường",): "phường", ("thị", "trấn"): "thị trấn",
               ("đặc", "khu"): "đặc khu"}
PARTY_WORDS = {("tỉnh", "ủy"): "Tỉnh ủy", ("huyện", "ủy"): "Huyện ủy", ("thành", "ủy"): "Thành ủy",
                ("thị", "ủy"): "Thị ủy", ("quận", "ủy"): "Quận ủy", ("đảng", "ủy"): "Đảng ủy",
                ("trung", "ương"): "Trung ương"}
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+|&|[-,;:.()/]")


def is_acronym(tok: str) -> bool:
    return len(tok) >= 2 and tok.isupper() and tok.isalpha()


def _fold(s: str) -> str:
    return s.replace("Đ", "D").replace("đ", "d")


def _words(name: str) -> list[str]:
    """Casefolded word tokens of a name, initials for whole words expanded, connectors dropped."""
    out: list[str] = []
    for m in _TOKEN.finditer(canon_tone(nfc(name))):
        t = m.group(0)
        if t in EXPAND_TOKENS:
            out.extend(w.casefold() for w in EXPAND_TOKENS[t])
        elif t.casefold() not in CONNECTORS and t not in ".;:()":
            out.append(t.casefold())
    return out


def split_head(words: list[str]) -> tuple[tuple[str, ...], list[str]] | None:
    for head in HEADS:
        if tuple(words[:len(head)]) == head:
            return head, words[len(head):]
    return None


def initials_of(tokens: list[str]) -> str:
    """"Lao động TBXH" -> "LDTBXH": an initial per word, acronym tokens kept whole."""
    return "".join(_fold(t).upper() if is_acronym(t) else _fold(t[0]).upper() for t in tokens)


@dataclass(slots=True)
class _Index:
    by_words: dict[str, AgencyInfo]
    prefixes: frozenset[str]
    by_initials: dict[tuple[tuple[str, ...], str], AgencyInfo]
    infos: dict[str, AgencyInfo]          # key(canonical name) -> info
    fast: re.Pattern[str]                 # every known name spelled out in full, as one trie regex


_SEP = r"(?: *[-&,] *| +và +| +)"


def _trie_regex(keys: list[str]) -> str:
    """One regex for many word sequences, factored as a trie so a match costs one pass.

    Words are joined by any connector ("và", "-", "&", ","); the longest name wins.
    """
    trie: dict = {}
    for k in keys:
        node = trie
        for w in k.split():
            node = node.setdefault(w, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = []
        for w in sorted((w for w in node if w), key=len, reverse=True):
            child = node[w]
            rest = [c for c in child if c]
            body = re.escape(w) + r"(?![^\W_])"
            if rest:
                tail = _SEP + emit(child)
                body += f"(?:{tail})" + ("?" if "" in child else "")
            alts.append(body)
        return "(?:" + "|".join(alts) + ")"

    return emit(trie)


@cache
def known_index() -> _Index:
    infos: dict[str, AgencyInfo] = {}
    by_words: dict[str, AgencyInfo] = {}
    for row in resource_rows("agencies.csv"):
        info = AgencyInfo(row["name"].strip(), row["level"].strip(), row["suffix"].strip())
        infos[key(info.name)] = info
        by_words[" ".join(_words(info.name))] = info
    for row in resource_rows("agency_aliases.csv"):
        target = infos.get(key(row["name"]))
        if target:
            by_words.setdefault(" ".join(_words(row["alias"])), target)
    # initials are ambiguous now and then ("Sở NV": Nội vụ or Ngoại vụ): the row listed first wins,
    # and agencies.csv lists the common bodies first
    initials: dict[tuple[tuple[str, ...], str], AgencyInfo] = {}
    for words, info in by_words.items():
        split = split_head(words.split())
        if split and split[1]:
            initials.setdefault((split[0], initials_of(split[1])), info)
    prefixes = {" ".join(w.split()[:i]) for w in by_words for i in range(1, len(w.split()) + 1)}
    fast = re.compile(_trie_regex([k for k in by_words if k]), re.IGNORECASE)
    return _Index(by_words, frozenset(prefixes), initials, infos, fast)
