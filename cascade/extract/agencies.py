"""Agency names: finding them in text, their canonical names, identities and successors.

A plan names the bodies it puts to work in many ways: in full ("Sở Khoa học và Công nghệ"),
by initials ("Sở KH&CN", "Phòng KT&HT"), half abbreviated ("Phòng Lao động TBXH"), with or
without the unit ("Trung tâm Y tế huyện Ia H'Drai"), in lower case ("phòng Kinh tế Hạ tầng"),
as a distributive list ("Các Sở: Tài chính, Nội vụ") or as a group that must stay a group
("các sở, ban, ngành", "UBND các huyện, thị xã, thành phố").

The known names live in ``resources/agencies.csv`` (with irregular spellings in
``agency_aliases.csv`` and the 2025 mergers in ``agency_mergers.csv``). Initials are not
listed: a name written with initials matches the known name whose words have those
initials, under the same head noun ("Sở", "Phòng", "Hội"...).

>>> canonical("Sở KH&CN")
'Sở Khoa học và Công nghệ'
>>> canonical("phòng Kinh tế Hạ tầng")
'Phòng Kinh tế và Hạ tầng'
>>> canonical("Trung tâm Y tế huyện Ia H'Drai")
'Trung tâm Y tế huyện'
>>> [n for n, _, _ in find_agencies("Giao Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành")]
['Sở Nội vụ', 'Các sở, ban, ngành']
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from operator import itemgetter
from typing import NamedTuple

from cascade.text.normalize import canon_tone, key, nfc

# -- reference data --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgencyInfo:
    """A known agency name: its level and what a jurisdiction written after it means."""

    name: str
    level: str          # central | province | district | commune | any
    suffix: str         # drop | keep | party | none (see agencies.csv)


@dataclass(frozen=True, slots=True)
class Merger:
    """``old`` became (part of) ``new`` on ``date``."""

    old: str
    new: str
    date: dt.date
    basis: str
    note: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("cascade.resources").joinpath(name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines))


# Words between parts of a name that do not distinguish names ("Kinh tế và Hạ tầng" is
# "Kinh tế - Hạ tầng" is "Kinh tế Hạ tầng").
_CONNECTORS = frozenset({"và", "&", "-", ",", "/"})
# Initials standing for whole words, expanded before lookup; upper case only ("VP", not "vp").
_EXPAND = {
    "UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân", "UBMTTQVN": "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc", "UBMT": "Ủy ban Mặt trận", "MTTQVN": "Mặt trận Tổ quốc Việt Nam",
    "MTTQ": "Mặt trận Tổ quốc", "VN": "Việt Nam", "VP": "Văn phòng", "BQL": "Ban Quản lý",
    "BCĐ": "Ban Chỉ đạo", "BTV": "Ban Thường vụ", "UBKT": "Ủy ban Kiểm tra", "TW": "Trung ương",
    "TƯ": "Trung ương", "BCH": "Ban Chấp hành", "ĐBQH": "đại biểu Quốc hội", "LĐLĐ": "Liên đoàn Lao động",
    "BHXH": "Bảo hiểm xã hội", "TP": "thành phố", "TX": "thị xã",
}
_EXPAND_TOKENS = {k: tuple(v.split()) for k, v in _EXPAND.items()}
# Head nouns, longest first; initials are compared only under the same head.
_HEADS = sorted((tuple(h.split()) for h in (
    "ủy ban", "hội đồng", "ban", "sở", "phòng", "trung tâm", "liên hiệp", "liên đoàn", "liên minh", "hội",
    "đài", "báo", "văn phòng", "thanh tra", "công an", "bộ chỉ huy", "ban chỉ huy", "bộ", "cục",
    "chi cục", "viện", "trường", "kho bạc", "ngân hàng", "bảo hiểm", "đảng ủy", "đoàn", "tòa án",
    "bệnh viện", "quỹ")), key=len, reverse=True)

_UNIT_WORDS = {("tỉnh",): "tỉnh", ("huyện",): "huyện", ("thị", "xã"): "thị xã", ("thành", "phố"): "thành phố",
               ("quận",): "quận", ("xã",): "xã", ("phường",): "phường", ("thị", "trấn"): "thị trấn",
               ("đặc", "khu"): "đặc khu"}
_PARTY_WORDS = {("tỉnh", "ủy"): "Tỉnh ủy", ("huyện", "ủy"): "Huyện ủy", ("thành", "ủy"): "Thành ủy",
                ("thị", "ủy"): "Thị ủy", ("quận", "ủy"): "Quận ủy", ("đảng", "ủy"): "Đảng ủy",
                ("trung", "ương"): "Trung ương"}

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+|&|[-,;:.()/]")


def _is_acronym(tok: str) -> bool:
    return len(tok) >= 2 and tok.isupper() and tok.isalpha()


def _fold(s: str) -> str:
    return s.replace("Đ", "D").replace("đ", "d")


def _words(name: str) -> list[str]:
    """Casefolded word tokens of a name, initials for whole words expanded, connectors dropped."""
    out: list[str] = []
    for m in _TOKEN.finditer(canon_tone(nfc(name))):
        t = m.group(0)
        if t in _EXPAND_TOKENS:
            out.extend(w.casefold() for w in _EXPAND_TOKENS[t])
        elif t.casefold() not in _CONNECTORS and t not in ".;:()":
            out.append(t.casefold())
    return out


def _split_head(words: list[str]) -> tuple[tuple[str, ...], list[str]] | None:
    for head in _HEADS:
        if tuple(words[:len(head)]) == head:
            return head, words[len(head):]
    return None


def _initials(tokens: list[str]) -> str:
    """"Lao động TBXH" -> "LDTBXH": an initial per word, acronym tokens kept whole."""
    return "".join(_fold(t).upper() if _is_acronym(t) else _fold(t[0]).upper() for t in tokens)


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
def _index() -> _Index:
    infos: dict[str, AgencyInfo] = {}
    by_words: dict[str, AgencyInfo] = {}
    for row in _rows("agencies.csv"):
        info = AgencyInfo(row["name"].strip(), row["level"].strip(), row["suffix"].strip())
        infos[key(info.name)] = info
        by_words[" ".join(_words(info.name))] = info
    for row in _rows("agency_aliases.csv"):
        target = infos.get(key(row["name"]))
        if target:
            by_words.setdefault(" ".join(_words(row["alias"])), target)
    # initials are ambiguous now and then ("Sở NV": Nội vụ or Ngoại vụ): the row listed first wins,
    # and agencies.csv lists the common bodies first
    initials: dict[tuple[tuple[str, ...], str], AgencyInfo] = {}
    for words, info in by_words.items():
        split = _split_head(words.split())
        if split and split[1]:
            initials.setdefault((split[0], _initials(split[1])), info)
    prefixes = {" ".join(w.split()[:i]) for w in by_words for i in range(1, len(w.split()) + 1)}
    fast = re.compile(_trie_regex([k for k in by_words if k]), re.IGNORECASE)
    return _Index(by_words, frozenset(prefixes), initials, infos, fast)


@cache
def mergers() -> tuple[Merger, ...]:
    """The agency mergers of ``resources/agency_mergers.csv``, oldest first."""
    out = [Merger(canonical(r["old"]), canonical(r["new"]), dt.date.fromisoformat(r["date"].strip()),
                  r.get("basis", "").strip(), (r.get("note") or "").strip())
           for r in _rows("agency_mergers.csv")]
    return tuple(sorted(out, key=lambda m: m.date))


# -- groups ---------------------------------------------------------------------------------------

# A collective ("các sở, ban, ngành", "UBND các huyện, thị xã, thành phố") is a group, never a list
# of made-up agencies. Nouns that can follow "các":
_GNOUN = (r"(?:ban\s+ngành|phòng\s+ban|sở|ban|ngành|đoàn\s+thể(?:\s+chính\s+trị\s*-\s*xã\s+hội)?|"
          r"cơ\s+quan(?:\s+chuyên\s+môn|\s+báo\s+chí|\s+nhà\s+nước|\s+chức\s+năng|\s+thông\s+tấn)?|"
          r"đơn\s+vị(?:\s+sự\s+nghiệp|\s+trực\s+thuộc)?|địa\s+phương|huyện|thị\s+xã|thành\s+phố|quận|"
          r"xã|phường|thị\s+trấn|đặc\s+khu|"
          r"tổ\s+chức(?:\s+chính\s+trị\s*-\s*xã\s+hội(?:\s*-\s*nghề\s+nghiệp)?"
          r"|\s+xã\s+hội(?:\s*-\s*nghề\s+nghiệp)?"
          r"|\s+cơ\s+sở\s+đảng|\s+đảng|\s+hội|\s+thành\s+viên)?|"
          r"hội(?:\s+thành\s+viên|\s+đoàn\s+thể|\s+quần\s+chúng|\s+chuyên\s+ngành)?|phòng|"
          r"cấp\s+ủy(?:\s+đảng)?|chi\s+bộ|đảng\s+bộ|trường(?:\s+học)?|cơ\s+sở(?:\s+giáo\s+dục)?|"
          r"doanh\s+nghiệp|cá\s+nhân|lực\s+lượng(?:\s+vũ\s+trang)?|chính\s+quyền|mặt\s+trận|"
          r"ngành\s+chức\s+năng|"
          r"bộ|thành\s+viên|ủy\s+ban|hợp\s+tác\s+xã|cấp(?=\s*$|[\s,.;)]))")
_GQUAL = (r"(?:(?:có\s+)?liên\s+quan|cấp\s+(?:tỉnh|huyện|xã|cơ\s+sở)|trong\s+(?:tỉnh|huyện)|"
          r"trên\s+địa\s+bàn(?:\s+(?:tỉnh|huyện|thành\s+phố|thị\s+xã))?|(?:của|thuộc)\s+(?:tỉnh|huyện)|"
          r"thuộc\s+(?:UBND|Ủy\s+ban\s+nhân\s+dân)\s+(?:tỉnh|huyện)|trực\s+thuộc|tỉnh|huyện|"
          r"thành\s+viên|chức\s+năng|"
          r"được\s+giao(?:\s+(?:nhiệm\s+vụ|chủ\s+trì))?(?:\s+tại\s+kế\s+hoạch(?:\s+này)?)?|"
          r"đoàn\s+thể)")
_GROUP_BODY = re.compile(
    rf"(?:các|những|mọi)\s+{_GNOUN}(?:\s*(?:,|và|/)\s*(?!các\b|những\b|ủy\s+ban\b|ubnd\b){_GNOUN}(?![\w]))*"
    rf"(?:\s+{_GQUAL})*(?![\w])", re.IGNORECASE)
_GROUP_TRIGGER = re.compile(r"(?:các|Các|những|Những|mọi|Mọi)\s")
# words that may come before "các" and belong to the group ("Chủ tịch UBND các huyện")
_GPARENTS = ("ủy ban nhân dân ", "ubnd ", "hội đồng nhân dân ", "hđnd ", "cấp ủy ", "ban thường vụ ",
             "tất cả ")
_GTITLES = ("thủ trưởng ", "lãnh đạo ", "chủ tịch ", "giám đốc ", "người đứng đầu ", "trưởng ")
# "Các Sở: Tài chính, Nội vụ" / "các sở Y tế, Giáo dục và Đào tạo": one head for several names
_DISTRIBUTIVE_RE = re.compile(r"(?:các|Các)\s+(?P<head>[Ss]ở|[Pp]hòng|[Bb]an|[Bb]ộ)\s*(?::\s*|\s)(?=[A-ZĐ])")
_TITLE_RE = re.compile(r"^\s*(?:đồng\s+chí\s+)?(?:(?:thủ\s+trưởng|lãnh\s+đạo|chủ\s+tịch|giám\s+đốc|"
                       r"người\s+đứng\s+đầu|trưởng)\s+)", re.IGNORECASE)


# last words of the parents and titles above (a cheap test before comparing them)
_GROUP_LEAD_WORDS = frozenset({w.split()[-1] for w in _GPARENTS + _GTITLES})


def _group_start(text: str, p: int) -> int:
    """Where a group whose "các" is at ``p`` starts, a title and a parent body included."""
    before = text[max(0, p - 40):p].casefold()
    words = before.split()
    if not words or words[-1] not in _GROUP_LEAD_WORDS:
        return p
    start = p
    for parent in _GPARENTS:
        if before.endswith(parent):
            start -= len(parent)
            before = before[:-len(parent)]
            break
    for title in _GTITLES:
        if before.endswith(title) and (len(before) == len(title) or not before[-len(title) - 1].isalnum()):
            start -= len(title)
            break
    return start


# first words of the nouns a group can be made of (a cheap test before the full pattern)
_GROUP_FIRST = frozenset({
    "sở", "ban", "ngành", "đoàn", "cơ", "đơn", "địa", "huyện", "thị", "thành", "quận", "xã", "phường",
    "đặc", "tổ", "hội", "phòng", "cấp", "chi", "đảng", "trường", "doanh", "cá", "lực", "chính", "mặt", "bộ",
    "ủy", "hợp"})


def _match_group(text: str, p: int, end: int) -> tuple[int, int] | None:
    sp = text.find(" ", p, p + 8)
    if sp < 0:
        return None
    nxt = text[sp + 1:sp + 10].split(maxsplit=1)
    if not nxt or nxt[0].rstrip(",;:.").casefold() not in _GROUP_FIRST:
        return None
    m = _GROUP_BODY.match(text, p, end)
    return (_group_start(text, p), m.end()) if m else None


def is_group(name: str) -> bool:
    """Whether ``name`` is a collective ("các sở, ban, ngành") rather than one agency.

    >>> is_group("UBND các huyện, thị xã, thành phố"), is_group("Ủy ban nhân dân huyện")
    (True, False)
    """
    k = key(name)
    if k.startswith(("các ", "những ", "mọi ", "tất cả ", "thủ trưởng ", "cấp ủy", "lãnh đạo các ")):
        return True
    if re.search(r" (?:các )?cấp(?: (?:tỉnh|huyện|xã|cơ sở))?$", k):
        return True                                     # "Ủy ban nhân dân cấp xã", "chính quyền các cấp"
    t = nfc(name).strip()
    for m in _GROUP_TRIGGER.finditer(t):
        g = _match_group(t, m.start(), len(t))
        return bool(g and g[0] == 0 and g[1] >= len(t.rstrip(" .;,")))
    return False


def _drop_title(text: str) -> str:
    """"Chủ tịch UBND các huyện" -> "UBND các huyện"; "Thủ trưởng các sở" stays (it names a group)."""
    m = _TITLE_RE.match(text)
    if m and not m.group(0).strip().casefold().startswith("thủ trưởng"):
        return text[m.end():]
    return text


@lru_cache(maxsize=4096)
def _group_name(text: str) -> str:
    """The group as written, with initials expanded, one space between words, a capital first."""
    t = _drop_title(text)
    t = re.sub(r"\bUBND\b", "Ủy ban nhân dân", t)
    t = re.sub(r"\bHĐND\b", "Hội đồng nhân dân", t)
    t = re.sub(r"^(?:tất\s+cả|mọi)\s+(?=các\b)", "", re.sub(r"\s+", " ", t).strip(" ,;"), flags=re.IGNORECASE)
    return t[:1].upper() + t[1:]


# -- scanning -------------------------------------------------------------------------------------

# Head nouns that start an agency name, written with a capital (no look-behind: the literal prefix
# keeps the search fast), and the few written in lower case before a capitalised name.
_HEAD_RE = re.compile(
    r"(?:Sở|Phòng|Ban|Ủy ban|Hội đồng|Trung tâm|Liên hiệp|Liên đoàn|Liên minh|Hội|Văn phòng|Thanh tra|"
    r"Công an|Bộ|Cục|Chi cục|Viện|Trường|Kho bạc|Ngân hàng|Bảo hiểm|Đảng ủy|Đảng đoàn|Bệnh viện|Tòa án|"
    r"Đài|Báo|Tỉnh ủy|Huyện ủy|Thành ủy|Thị ủy|Quận ủy|Tỉnh đoàn|Thành đoàn|Huyện đoàn|Thị đoàn|Đoàn|"
    r"Mặt trận|Thường trực|Chính phủ|Thủ tướng|Quốc hội|UBND|HĐND|UBMTTQVN|UBMTTQ|UBMT|MTTQVN|MTTQ|VP|BQL|"
    r"BCĐ|BTV|BCH|LĐLĐ|BHXH|UBKT)(?![\w])")
_LOWER_HEAD_RE = re.compile(r"(?:sở|phòng|ban|hội|đài|cục) (?=[A-ZĐ])")
# lower-case words that end an unknown name ("Hội đồng Khoa học tỉnh tổ chức ...")
_STOP = frozenset({
    "chủ", "phối", "tham", "thực", "triển", "tổ", "có", "được", "làm", "xây", "chỉ", "nghiên", "đề", "rà",
    "kiểm", "hướng", "theo", "tại", "về", "để", "cho", "với", "trong", "của", "đến", "trên", "là", "các",
    "những",
    "thường", "định", "hằng", "hàng", "báo", "tăng", "đẩy", "tiếp", "bảo", "hỗ", "cân", "phân", "căn", "giúp",
    "đôn", "phổ", "tuyên", "quán", "chịu", "trực", "lập", "ban", "gửi", "nắm", "kịp", "sớm", "đồng", "cùng",
    "nếu", "khi", "từ", "trước", "sau", "hoặc", "nhằm", "tạo", "thu", "khuyến", "đảm", "vận", "chuyển", "ứng",
    "phát", "nâng", "đổi", "mở", "giám", "lãnh", "quản", "sử", "tập", "tổng", "thống", "đánh", "lựa", "phê",
    "trình", "ký", "giao", "bố", "cấp", "thẩm", "cung", "nhận", "hoàn", "ra", "vào", "này", "đó", "sẽ", "đã",
    "đang", "cần", "phải", "mình", "thì", "mà", "như", "bằng", "do", "qua", "tới"})
_MAX_NAME_TOKENS = 16


class Found(NamedTuple):
    """An agency or group found in a text: canonical name and clean-text span.

    A named tuple rather than a dataclass: a plan names dozens of bodies and a tuple is
    several times cheaper to make.
    """

    name: str
    start: int
    end: int
    group: bool = False


_PUNCT = tuple("&,;:.()/\"“”‘*[]!?-")


class _Toks:
    """The words of a text from a position, split on spaces and punctuation (a name never spans a line).

    Splitting with ``str.split`` is several times faster than a regex; offsets are only worked
    out for the few tokens that end a name.
    """

    __slots__ = ("text", "start", "w", "_pos")

    def __init__(self, text: str, start: int, end: int, span: int = 160) -> None:
        window = text[start:min(end, start + span)]
        nl = window.find("\n")
        if nl >= 0:
            window = window[:nl]
        self.text = window
        self.start = start
        for c in _PUNCT:                                 # str.replace beats translate() and re here
            if c in window:
                window = window.replace(c, f" {c} ")
        self.w = window.split()
        self._pos: list[int] = []

    def word(self, i: int) -> str:
        return self.w[i] if i < len(self.w) else ""

    def __len__(self) -> int:
        return len(self.w)

    def _span(self, i: int) -> tuple[int, int]:
        pos = self._pos
        cursor = pos[-1] if pos else 0
        while len(pos) <= i:
            k = len(pos)
            cursor = self.text.find(self.w[k], cursor) + len(self.w[k])
            pos.append(cursor)
        return pos[i] - len(self.w[i]), pos[i]

    def begin(self, i: int) -> int:
        """Offset (in the full text) where token ``i`` starts."""
        return self.start + self._span(i)[0]

    def end(self, i: int) -> int:
        """Offset (in the full text) where token ``i`` ends."""
        return self.start + self._span(i)[1]


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper()


def _suffix(toks: _Toks, j: int) -> tuple[str | None, str | None, int]:
    """Read a jurisdiction after a name at token ``j``: (unit word, Party committee, next index)."""
    w0 = toks.word(j).casefold()
    if not w0:
        return None, None, j
    w1 = toks.word(j + 1).casefold()
    if (w0, w1) in _PARTY_WORDS:
        return None, _PARTY_WORDS[(w0, w1)], _skip_place(toks, j + 2)
    k = j
    if w0 == "cấp":
        k += 1
        w0, w1 = w1, toks.word(k + 1).casefold()
    tok = toks.word(k)
    if tok in ("TP", "TX"):
        k += 1 + (toks.word(k + 1) == ".")
        return ("thành phố" if tok == "TP" else "thị xã"), None, _skip_place(toks, k)
    if (w0, w1) in _UNIT_WORDS:
        return _UNIT_WORDS[(w0, w1)], None, _skip_place(toks, k + 2)
    if (w0,) in _UNIT_WORDS:
        return _UNIT_WORDS[(w0,)], None, _skip_place(toks, k + 1)
    return None, None, j


def _skip_place(toks: _Toks, j: int) -> int:
    """Skip a place name (capitalised words or a number: "Ia H'Drai", "Quận 1") after a unit word."""
    while True:
        t = toks.word(j)
        if not t or not ((_is_cap(t) and t[0].isalpha()) or t.isdigit()):
            return j
        if (t.casefold(), toks.word(j + 1).casefold()) in _PARTY_WORDS or t in _EXPAND_TOKENS:
            return j
        j += 1


def _compose(info: AgencyInfo, unit: str | None, party: str | None) -> str | None:
    if info.suffix == "party":
        if party:
            return f"{info.name} {party}"
        if info.name in ("Văn phòng", "Thường trực", "Ban Chấp hành"):
            return None                                  # too generic without its committee
        return f"{info.name} {unit}" if unit else info.name
    if info.suffix == "keep" and unit:
        return f"{info.name} {unit}"
    if info.suffix == "keep" and party:
        return f"{info.name} {party}"
    return info.name


def _match_known(toks: _Toks, i: int, head: tuple[str, ...] = ()) -> tuple[AgencyInfo, int] | None:
    """The longest known name starting at token ``i`` (after a virtual ``head``): (info, end index).

    Words are compared in full first; once initials appear ("Sở KH&CN", "Phòng Lao động TBXH")
    the words after the head are compared by their initials, and reading stops at the first
    lower-case word after the initials.
    """
    idx = _index()
    words: list[str] = list(head)
    raw: list[str] = list(head)
    split_at = len(head) if head else 0             # where the head noun ends, once known
    acronym_seen = False
    best: tuple[AgencyInfo, int] | None = None
    j = i
    while j - i < _MAX_NAME_TOKENS:
        tok = toks.word(j)
        if not tok:
            break
        low = tok.casefold()
        if low in _CONNECTORS:
            j += 1
            continue
        if tok in ".;:()\"“”*![]?":
            break
        is_acr = len(tok) >= 2 and tok.isupper()
        if acronym_seen and not is_acr and not tok[0].isupper():
            break
        if tok in _EXPAND_TOKENS:
            exp = _EXPAND_TOKENS[tok]
            words.extend(w.casefold() for w in exp)
            raw.extend(exp)
        else:
            words.append(low)
            raw.append(tok)
            if is_acr and not acronym_seen:
                acronym_seen = True
                split = _split_head(words)
                if split is None or not split[1]:
                    break
                split_at = len(split[0])
        k = " ".join(words)
        info = idx.by_words.get(k)
        if info is None and acronym_seen:
            info = idx.by_initials.get((tuple(words[:split_at]), _initials(raw[split_at:])))
        if info is not None:
            best = (info, j + 1)
        if not acronym_seen and k not in idx.prefixes:
            nxt = toks.word(j + 1)
            if not (len(nxt) >= 2 and nxt.isupper()):
                break
        j += 1
    return best


def _match_unknown(toks: _Toks, i: int, n_head: int) -> int | None:
    """End index of an unknown name: a head noun, then capitalised words and a few lower-case ones."""
    j = i + n_head
    first = toks.word(j)
    if not (first and _is_cap(first) and first[0].isalpha()):
        return None
    last = None
    lower_run = 0
    while j - i < _MAX_NAME_TOKENS:
        tok = toks.word(j)
        if not tok:
            break
        low = tok.casefold()
        if low in ("và", "&", "-"):
            nxt = toks.word(j + 1)
            if nxt and _is_cap(nxt) and nxt[0].isalpha():
                j += 1
                continue
            break
        if not tok[0].isalpha():
            break
        if _is_cap(tok):
            lower_run = 0
        else:
            if low in _STOP or (low,) in _UNIT_WORDS or lower_run >= 3:
                break
            if (low, toks.word(j + 1).casefold()) in _UNIT_WORDS:
                break
            lower_run += 1
        last = j
        j += 1
    return None if last is None else last + 1


def _head_len(toks: _Toks, i: int) -> int:
    words = (toks.word(i).casefold(), toks.word(i + 1).casefold(), toks.word(i + 2).casefold())
    for head in _HEADS:
        if words[:len(head)] == head:
            return len(head)
    return 1


def _name_at(toks: _Toks, i: int, head: tuple[str, ...] = ()) -> tuple[str, int] | None:
    """The canonical name starting at token ``i`` and the index after it (jurisdiction included)."""
    first = toks.word(i)
    if not first:
        return None
    if not head and not _is_cap(first):
        nxt = toks.word(i + 1)
        if not (_is_cap(nxt) or _is_acronym(nxt)):
            return None
    hit = _match_known(toks, i, head)
    if hit:
        info, j = hit
        unit, party, j2 = _suffix(toks, j)
        name = _compose(info, unit, party)
        return (name, j2) if name else None
    if head or toks.word(i) in ("Bộ", "bộ"):         # every ministry is known; "Bộ Tiêu chí" is not one
        return None
    stop = _match_unknown(toks, i, _head_len(toks, i))
    if stop is None:
        return None
    unit, party, j2 = _suffix(toks, stop)
    words = [_EXPAND.get(toks.word(k), toks.word(k)) for k in range(i, stop)]
    name = re.sub(r"\s+,", ",", " ".join(words))
    name = name[:1].upper() + name[1:]
    if party:
        name = f"{name} {party}"
    elif unit:
        name = f"{name} {unit}"
    return name, j2


def _distributive(text: str, m: re.Match[str], end: int) -> list[Found]:
    """Names after "Các Sở: ..." each with the head noun put back."""
    head = (m.group("head").casefold(),)
    toks = _Toks(text, m.end(), end)
    out: list[Found] = []
    i = 0
    while i < len(toks):
        hit = _name_at(toks, i, head)
        if hit is None:
            break
        name, j = hit
        # the first name's span starts at "Các" so the list reads as starting there
        out.append(Found(name, toks.begin(i) if out else m.start(), toks.end(j - 1)))
        i = j
        if toks.word(i) in (",", ";"):
            i += 1
        if toks.word(i).casefold() == "và":
            i += 1
        if not _is_cap(toks.word(i)):
            break
    return out


_UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_SUFFIX_RE = re.compile(
    r" +(?:(?P<party>(?:Tỉnh|Huyện|Thành|Thị|Quận|Đảng|tỉnh|huyện|thành|thị|quận|đảng) +ủy|Trung +ương)"
    r"|(?P<level>cấp +)?"
    r"(?P<unit>tỉnh|huyện|thị +xã|thành +phố|quận|xã|phường|thị +trấn|đặc +khu|TP\.?|TX\.?))"
    r"(?![^\W_])"                                         # then a place name: "Ia H'Drai", "Quận 1"
    rf"(?: +(?!(?:Tỉnh|Huyện|Thành|Thị|Quận) +ủy)(?:[{_UPPER}][^\W_]*(?:['’][^\W_]+)?|\d+)(?![^\W_]))*")
_ABBREVIATED = re.compile(r"(?:UBND|HĐND|UBMTTQVN|LĐLĐ|BHXH)(?![\w])(?!\s*(?:[-&]\s*)?[A-ZĐ])")
_ACRONYM_NEXT = re.compile(rf" *[-&]? *[{_UPPER}]{{2}}")


@lru_cache(maxsize=4096)
def _known_spelled(matched: str) -> AgencyInfo | None:
    """The known agency a fully spelled name (a match of the trie regex) stands for.

    None also when neither the first word nor the second is capitalised ("phòng ban"): a
    name in running text starts with a capital.
    """
    if not (matched[0].isupper() or matched[matched.find(" ") + 1:][:1].isupper()):
        return None
    t = matched.casefold()
    for c in "&-,":
        t = t.replace(c, " ")
    return _index().by_words.get(" ".join(w for w in t.split() if w != "và"))


@lru_cache(maxsize=64)
def _known_abbreviated(abbreviation: str) -> AgencyInfo | None:
    """The known agency an abbreviation alone stands for ("UBND": Ủy ban nhân dân)."""
    return _index().by_words.get(" ".join(_EXPAND[abbreviation].casefold().split()))


@lru_cache(maxsize=8192)
def _suffixed(info: AgencyInfo, party: str | None, unit: str | None, level: bool) -> tuple[str | None, bool]:
    """The name of ``info`` followed by a Party committee or a unit word, and whether it is a group.

    ``level`` is true for "cấp": "UBND cấp xã" is every commune's, a group.
    """
    if party:
        words = party.casefold().split()
        party, unit = _PARTY_WORDS.get((words[0], words[-1]), party), None
    elif unit:
        u = unit.rstrip(".")
        unit = {"TP": "thành phố", "TX": "thị xã"}.get(u, " ".join(u.split()))
    name = _compose(info, unit, party)
    if name is not None and unit and level:
        return f"{info.name} cấp {unit}", True
    return name, False


# bodies named after the body they sit in: "Đảng đoàn Hội đồng nhân dân tỉnh"
_OF_BODIES = frozenset({"Đảng đoàn", "Ban cán sự đảng"})


def _fast_name(text: str, s: int, end: int) -> Found | None:
    """A name spelled out in full, read with the trie regex; None sends it to the token reader.

    The regexes do the reading; what is made of their matches is looked up in caches keyed
    by the matched words, which repeat from one plan to the next.
    """
    a = _ABBREVIATED.match(text, s, end)
    if a:                                                # "UBND tỉnh", "HĐND huyện"
        info = _known_abbreviated(a.group(0))
        e = a.end()
    else:
        m = _index().fast.match(text, s, end)
        if not m:
            return None
        e = m.end()
        info = _known_spelled(m.group(0))
        if info is not None and info.name not in _OF_BODIES and _ACRONYM_NEXT.match(text, e, end):
            return None                                  # "Phòng Lao động TBXH": let the tokens decide
    if info is None:
        return None
    if info.name in _OF_BODIES:                           # "Đảng đoàn HĐND tỉnh", "Ban cán sự đảng UBND tỉnh"
        k = e
        while k < end and text[k] == " ":
            k += 1
        inner = _fast_name(text, k, end) if k > e else None
        if inner is not None:
            return Found(f"{info.name} {inner.name}", s, inner.end)
    sm = _SUFFIX_RE.match(text, e, end)
    if sm is None:
        name = _suffixed(info, None, None, False)[0]
        return Found(name, s, e) if name is not None else None
    name, group = _suffixed(info, sm["party"], sm["unit"], sm["level"] is not None)
    return Found(name, s, sm.end(), group) if name is not None else None


_START = itemgetter(1)                                   # Found.start


def scan(text: str, start: int = 0, end: int | None = None) -> list[Found]:
    """Every agency and group in ``text[start:end]``, in order, with canonical names.

    A group that starts with an agency's head ("UBND các huyện") is a group; a "các" inside a
    name ("Liên hiệp các Hội ...") is part of the name.
    """
    end = len(text) if end is None else end
    agencies: list[Found] = []
    pos = start
    heads = [(m.start(), m.end()) for m in _HEAD_RE.finditer(text, start, end)]
    lower = [(m.start(), m.end()) for m in _LOWER_HEAD_RE.finditer(text, start, end)]
    if lower:
        heads = sorted(heads + lower)
    for s, hend in heads:
        if s < pos or (s > 0 and (text[s - 1].isalnum() or text[s - 1] in "-/")) \
                or text[hend:hend + 1] in _HEAD_STOPS:
            continue
        fast = _fast_name(text, s, end)
        if fast:
            agencies.append(fast)
            pos = fast.end
            continue
        toks = _Toks(text, s, end)
        hit = _name_at(toks, 0)
        if hit is None:
            continue
        name, j = hit
        e = toks.end(j - 1)
        agencies.append(Found(name, s, e))
        pos = e
    groups: list[Found] = []
    gpos = start
    for m in _GROUP_TRIGGER.finditer(text, start, end):
        p = m.start()
        if p < gpos or (p > 0 and text[p - 1].isalnum()):
            continue
        d = _DISTRIBUTIVE_RE.match(text, p, end)
        if d:
            items = _distributive(text, d, end)
            if items:
                groups.extend(items)
                gpos = items[-1].end
                continue
        g = _match_group(text, p, end)
        if g:
            groups.append(Found(_group_name(text[g[0]:g[1]]), g[0], g[1], True))
            gpos = g[1]
    if not groups:
        return agencies
    # the first to start wins (a group before an agency starting at the same place); overlaps go.
    # Both lists are in text order and a sort is stable: groups first, then by start.
    kept: list[Found] = []
    cur_end = -1
    for f in sorted(groups + agencies, key=_START):
        if f.start >= cur_end:
            kept.append(f)
            cur_end = f.end
    return kept


# what may not follow a head noun for it to start a name ("Sở," is a word, not a name)
_HEAD_STOPS = (",", ";", ".", ":", ")")


@lru_cache(maxsize=4096)
def _scan_piece(piece: str) -> tuple[Found, ...]:
    return tuple(scan(piece))


def scan_pieces(text: str, start: int = 0, end: int | None = None) -> list[Found]:
    """:func:`scan`, read piece by piece, each piece cached: the same answer, sooner.

    The text is cut at the line breaks nothing read goes over (see :func:`cut_after`) and
    each piece is read on its own; a piece another plan has already shown (plans down a
    cascade copy each other's wording) is not read again. ``start`` must begin a line and
    ``end`` must not be followed by punctuation; otherwise this is :func:`scan`.

    >>> t = "Giao Sở Nội vụ chủ trì\\nCác sở, ban, ngành phối hợp với UBND huyện."
    >>> scan_pieces(t) == scan(t)
    True
    """
    end = len(text) if end is None else end
    if (start > 0 and text[start - 1] != "\n") or text[end:end + 1] in _HEAD_STOPS:
        return scan(text, start, end)
    out: list[Found] = []
    piece = line = start
    nl = text.find("\n", start, end)
    while nl >= 0:
        if cut_after(text, piece, line, nl, end):
            _shifted(out, _scan_piece(text[piece:nl]), piece)
            piece = nl + 1
        line = nl + 1
        nl = text.find("\n", line, end)
    if piece < end:
        _shifted(out, _scan_piece(text[piece:end]), piece)
    return out


_ABBREVIATIONS = ("UBND", "HĐND", "UBMTTQVN", "LĐLĐ", "BHXH")
# every word the group patterns are made of (and some letters of their escapes: no harm)
_GROUP_WORDS = frozenset(w.casefold()
                         for w in re.findall(r"[^\W\d_]+", _GROUP_BODY.pattern + _DISTRIBUTIVE_RE.pattern))
# how a line ends, for cutting the text there (see line_end)
SENTENCE, FREE, OPEN, NO_TRIGGER, ASK = range(5)


@lru_cache(maxsize=4096)
def line_end(line: str) -> int:
    """How what :func:`scan` reads may go on from ``line`` into the next line.

    Names never span lines; what may is a group ("các sở,\\nban, ngành", "Các Sở:\\nTài
    chính...") and "UBND" before a capital. SENTENCE: the line ends a sentence, which no
    group goes over; FREE: its last word is none a group is made of, so no group is under
    way at its end; OPEN: it is blank or ends with an abbreviation; NO_TRIGGER: no group
    starts in it ("các", "những", "mọi"); ASK: one may, and may reach its end.
    """
    t = line.rstrip()
    if not t:
        return OPEN
    if t[-1] in ".;!?)":
        return SENTENCE
    k = len(t)
    while k and (t[k - 1].isspace() or t[k - 1] in "-&"):
        k -= 1
    if t.endswith(_ABBREVIATIONS, 0, k):
        return OPEN
    if t[-1].isalnum():
        k = len(t)
        while k and t[k - 1].isalnum():
            k -= 1
        if t[k:].casefold() not in _GROUP_WORDS:
            return FREE
    return ASK if _GROUP_TRIGGER.search(line + "\n") else NO_TRIGGER


def cut_after(text: str, piece: int, line: int, nl: int, end: int) -> bool:
    """Whether :func:`scan` may read ``text[piece:nl]`` and what follows the line break at ``nl``
    separately: nothing it reads goes over the break. ``line`` is where the last line starts.

    >>> t = "Thực hiện các nhiệm vụ của Kế hoạch\\nGiao Sở Nội vụ chủ trì"
    >>> cut_after(t, 0, 0, t.index("\\n"), len(t)), cut_after("các sở,\\nban", 0, 0, 7, 11)
    (True, False)
    """
    kind = line_end(text[line:nl])
    if kind <= FREE:
        return True
    if kind == OPEN or (kind == NO_TRIGGER and piece == line):
        return kind != OPEN
    for m in _GROUP_TRIGGER.finditer(text, piece, nl + 1):   # does a group that starts here go on?
        p = m.start()
        d = _DISTRIBUTIVE_RE.match(text, p, end)
        if d and d.end() > nl:
            return False
        g = _match_group(text, p, end)
        if g and g[1] > nl:
            return False
    return True


def _shifted(out: list[Found], found: tuple[Found, ...], by: int) -> None:
    if by:
        out.extend([Found(f[0], f[1] + by, f[2] + by, f[3]) for f in found])
    else:
        out.extend(found)


def find_agencies(text: str) -> list[tuple[str, int, int]]:
    """``(canonical name, start, end)`` of every agency and group named in ``text``.

    >>> find_agencies("Các Sở: Lao động - Thương binh và Xã hội, Tài chính")[0][0]
    'Sở Lao động - Thương binh và Xã hội'
    """
    t = canon_tone(nfc(text)) if not text.isascii() else text
    return [(f.name, f.start, f.end) for f in scan(t)]


# -- names and identities ---------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def canonical(name: str) -> str:
    """The canonical full name of an agency, without adding a jurisdiction.

    A unit word that is part of the name stays ("Công an tỉnh", "Ban Tuyên giáo Huyện ủy");
    the place name after it goes ("Ủy ban nhân dân huyện Phú Thiện" -> "Ủy ban nhân dân huyện").
    Unknown names come back tidied (initials expanded, first letter capitalised).

    >>> canonical("Sở LĐ-TB&XH"), canonical("UBND huyện")
    ('Sở Lao động - Thương binh và Xã hội', 'Ủy ban nhân dân huyện')
    >>> canonical("Ủy ban MTTQ Việt Nam tỉnh")
    'Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh'
    """
    t = re.sub(r"\s+", " ", canon_tone(nfc(name)).replace("*", "")).strip(" .,;:")
    if not t:
        return t
    t = _drop_title(t)
    if is_group(t):
        return _group_name(t)
    t = t[:1].upper() + t[1:]
    toks = _Toks(t, 0, len(t))
    got = _name_at(toks, 0)
    if got and got[1] >= len(toks):
        return got[0]
    out = " ".join(_EXPAND.get(w, w) for w in t.split())
    return out[:1].upper() + out[1:]


def info(name: str) -> AgencyInfo | None:
    """The known agency a name refers to (without its jurisdiction), if any."""
    c = canonical(name)
    hit = _match_known(_Toks(c, 0, len(c)), 0)
    return hit[0] if hit else None


@lru_cache(maxsize=4096)
def level_of(name: str) -> str | None:
    """The administrative level an agency name implies: central, province, district or commune."""
    c = canonical(name)
    words = c.split()
    for w, lvl in (("xã", "commune"), ("phường", "commune"), ("huyện", "district"), ("quận", "district"),
                   ("tỉnh", "province")):
        if w in words[-2:]:
            return lvl
    for party, lvl in (("Huyện ủy", "district"), ("Quận ủy", "district"), ("Thị ủy", "district"),
                       ("Tỉnh ủy", "province"), ("Trung ương", "central")):
        if c.endswith(party):
            return lvl
    i = info(c)
    if i and i.level != "any":
        return i.level
    return None


def agency_key(name: str, province: str | None = None, district: str | None = None) -> str:
    """An identity key: the same name in another province or district is another agency.

    >>> agency_key("Sở Nội vụ", "Đắk Lắk") == agency_key("Sở NV", "Đắk Lắk")
    True
    >>> agency_key("Sở Nội vụ", "Đắk Lắk") == agency_key("Sở Nội vụ", "Bình Thuận")
    False
    """
    c = canonical(name)
    lvl = level_of(c)
    if lvl == "central":
        scope = "VN"
    elif lvl == "province" or not district:
        scope = key(province) if province else "?"
    else:
        scope = f"{key(province) if province else '?'}/{key(district)}"
    return f"{key(c)}@{scope}"


def successor(name: str, on: dt.date) -> str | None:
    """The body that carries on ``name``'s work on date ``on``, if it was merged by then.

    Follows chains of mergers; None when the agency still existed on that date (or is unknown).

    >>> successor("Sở Kế hoạch và Đầu tư", dt.date(2025, 6, 1))
    'Sở Tài chính'
    >>> successor("Sở KH&ĐT", dt.date(2024, 6, 1)) is None
    True
    """
    current = canonical(name)
    suffix = ""
    base = _index().infos.get(key(current))
    if base is None:                                    # "Ban Tuyên giáo Tỉnh ủy": merge on the known part
        for m in mergers():
            if key(current).startswith(key(m.old) + " "):
                suffix = current[len(m.old):]
                current = m.old
                break
    result = None
    seen = set()
    while current not in seen:
        seen.add(current)
        nxt = next((m for m in mergers() if key(m.old) == key(current) and m.date <= on), None)
        if nxt is None:
            break
        current = result = nxt.new
    return result + suffix if result else None


def _split_known(name: str, names: set[str]) -> tuple[str, str]:
    """``(known part, suffix)``: "Ban Tuyên giáo Tỉnh ủy" -> ("Ban Tuyên giáo", " Tỉnh ủy") when
    "Ban Tuyên giáo" is one of ``names`` (canonical), else ``(name, "")``."""
    k = key(name)
    if k in {key(n) for n in names}:
        return name, ""
    for n in sorted(names, key=len, reverse=True):
        if k.startswith(key(n) + " "):
            return name[:len(n)], name[len(n):]
    return name, ""


def lineage(name: str) -> list[tuple[str, str, dt.date]]:
    """The bodies that carry on ``name``'s work after a merger, and those whose work it carries on.

    ``(name, "successor" | "predecessor", date of the merger)``, nearest first, following chains
    of mergers; empty for a body no merger touched. A successor takes over on the merger's
    date; a predecessor's work, before or after it, is now the body's.

    >>> lineage("Sở TT&TT")
    [('Sở Khoa học và Công nghệ', 'successor', datetime.date(2025, 3, 1))]
    >>> lineage("Sở Khoa học và Công nghệ")
    [('Sở Thông tin và Truyền thông', 'predecessor', datetime.date(2025, 3, 1))]
    >>> [n for n, _, _ in lineage("Ban Tuyên giáo Tỉnh ủy")]
    ['Ban Tuyên giáo và Dân vận Tỉnh ủy']
    """
    all_mergers = mergers()
    out: list[tuple[str, str, dt.date]] = []
    known = {m.old for m in all_mergers} | {m.new for m in all_mergers}
    current, suffix = _split_known(canonical(name), known)
    seen = {key(current)}
    todo = [current]                                    # successors: follow old -> new
    while todo:
        k = key(todo.pop())
        for m in all_mergers:
            if key(m.old) == k and key(m.new) not in seen:
                seen.add(key(m.new))
                out.append((m.new + suffix, "successor", m.date))
                todo.append(m.new)
    todo = [current]                                    # predecessors: follow new -> old
    while todo:
        k = key(todo.pop())
        for m in all_mergers:
            if key(m.new) == k and key(m.old) not in seen:
                seen.add(key(m.old))
                out.append((m.old + suffix, "predecessor", m.date))
                todo.append(m.old)
    return out
