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

import re
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

from cascade.extract.agency_data import (
    CONNECTORS,
    EXPAND,
    EXPAND_TOKENS,
    HEADS,
    PARTY_WORDS,
    UNIT_WORDS,
    AgencyInfo,
    initials_of,
    is_acronym,
    known_index,
    split_head,
)
from cascade.extract.agency_groups import (
    DISTRIBUTIVE_RE,
    GROUP_TRIGGER,
    cut_after,
    drop_title,
    group_name,
    is_group,
    match_group,
)
from cascade.text.normalize import canon_tone, nfc

# -- reference data --------------------------------------------------------------------------


# -- groups ---------------------------------------------------------------------------------------


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
    if (w0, w1) in PARTY_WORDS:
        return None, PARTY_WORDS[(w0, w1)], _skip_place(toks, j + 2)
    k = j
    if w0 == "cấp":
        k += 1
        w0, w1 = w1, toks.word(k + 1).casefold()
    tok = toks.word(k)
    if tok in ("TP", "TX"):
        k += 1 + (toks.word(k + 1) == ".")
        return ("thành phố" if tok == "TP" else "thị xã"), None, _skip_place(toks, k)
    if (w0, w1) in UNIT_WORDS:
        return UNIT_WORDS[(w0, w1)], None, _skip_place(toks, k + 2)
    if (w0,) in UNIT_WORDS:
        return UNIT_WORDS[(w0,)], None, _skip_place(toks, k + 1)
    return None, None, j


def _skip_place(toks: _Toks, j: int) -> int:
    """Skip a place name (capitalised words or a number: "Ia H'Drai", "Quận 1") after a unit word."""
    while True:
        t = toks.word(j)
        if not t or not ((_is_cap(t) and t[0].isalpha()) or t.isdigit()):
            return j
        if (t.casefold(), toks.word(j + 1).casefold()) in PARTY_WORDS or t in EXPAND_TOKENS:
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
    idx = known_index()
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
        if low in CONNECTORS:
            j += 1
            continue
        if tok in ".;:()\"“”*![]?":
            break
        is_acr = len(tok) >= 2 and tok.isupper()
        if acronym_seen and not is_acr and not tok[0].isupper():
            break
        if tok in EXPAND_TOKENS:
            exp = EXPAND_TOKENS[tok]
            words.extend(w.casefold() for w in exp)
            raw.extend(exp)
        else:
            words.append(low)
            raw.append(tok)
            if is_acr and not acronym_seen:
                acronym_seen = True
                split = split_head(words)
                if split is None or not split[1]:
                    break
                split_at = len(split[0])
        k = " ".join(words)
        info = idx.by_words.get(k)
        if info is None and acronym_seen:
            info = idx.by_initials.get((tuple(words[:split_at]), initials_of(raw[split_at:])))
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
            if low in _STOP or (low,) in UNIT_WORDS or lower_run >= 3:
                break
            if (low, toks.word(j + 1).casefold()) in UNIT_WORDS:
                break
            lower_run += 1
        last = j
        j += 1
    return None if last is None else last + 1


def _head_len(toks: _Toks, i: int) -> int:
    words = (toks.word(i).casefold(), toks.word(i + 1).casefold(), toks.word(i + 2).casefold())
    for head in HEADS:
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
        if not (_is_cap(nxt) or is_acronym(nxt)):
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
    words = [EXPAND.get(toks.word(k), toks.word(k)) for k in range(i, stop)]
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
    return known_index().by_words.get(" ".join(w for w in t.split() if w != "và"))


@lru_cache(maxsize=64)
def _known_abbreviated(abbreviation: str) -> AgencyInfo | None:
    """The known agency an abbreviation alone stands for ("UBND": Ủy ban nhân dân)."""
    return known_index().by_words.get(" ".join(EXPAND[abbreviation].casefold().split()))


@lru_cache(maxsize=8192)
def _suffixed(info: AgencyInfo, party: str | None, unit: str | None, level: bool) -> tuple[str | None, bool]:
    """The name of ``info`` followed by a Party committee or a unit word, and whether it is a group.

    ``level`` is true for "cấp": "UBND cấp xã" is every commune's, a group.
    """
    if party:
        words = party.casefold().split()
        party, unit = PARTY_WORDS.get((words[0], words[-1]), party), None
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
        m = known_index().fast.match(text, s, end)
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
    for m in GROUP_TRIGGER.finditer(text, start, end):
        p = m.start()
        if p < gpos or (p > 0 and text[p - 1].isalnum()):
            continue
        d = DISTRIBUTIVE_RE.match(text, p, end)
        if d:
            items = _distributive(text, d, end)
            if items:
                groups.extend(items)
                gpos = items[-1].end
                continue
        g = match_group(text, p, end)
        if g:
            groups.append(Found(group_name(text[g[0]:g[1]]), g[0], g[1], True))
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
    t = drop_title(t)
    if is_group(t):
        return group_name(t)
    t = t[:1].upper() + t[1:]
    toks = _Toks(t, 0, len(t))
    got = _name_at(toks, 0)
    if got and got[1] >= len(toks):
        return got[0]
    out = " ".join(EXPAND.get(w, w) for w in t.split())
    return out[:1].upper() + out[1:]


def info(name: str) -> AgencyInfo | None:
    """The known agency a name refers to (without its jurisdiction), if any."""
    c = canonical(name)
    hit = _match_known(_Toks(c, 0, len(c)), 0)
    return hit[0] if hit else None


