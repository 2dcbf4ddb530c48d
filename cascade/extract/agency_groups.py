"""Groups of agencies that stay groups: "các sở, ban, ngành", "UBND các huyện, thị xã, thành phố".

A group names no one body: it is kept as one name, in its canonical wording, and never split
into the known agencies it may cover. A group may go on over a line break ("các sở,\nban,
ngành"): :func:`line_end` and :func:`cut_after` say where the text may be cut without cutting one.
"""
from __future__ import annotations

import re
from functools import lru_cache

from cascade.text.normalize import key, nfc

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
GROUP_BODY = re.compile(
    rf"(?:các|những|mọi)\s+{_GNOUN}(?:\s*(?:,|và|/)\s*(?!các\b|những\b|ủy\s+ban\b|ubnd\b){_GNOUN}(?![\w]))*"
    rf"(?:\s+{_GQUAL})*(?![\w])", re.IGNORECASE)
GROUP_TRIGGER = re.compile(r"(?:các|Các|những|Những|mọi|Mọi)\s")
# words that may come before "các" and belong to the group ("Chủ tịch UBND các huyện")
_GPARENTS = ("ủy ban nhân dân ", "ubnd ", "hội đồng nhân dân ", "hđnd ", "cấp ủy ", "ban thường vụ ",
             "tất cả ")
_GTITLES = ("thủ trưởng ", "lãnh đạo ", "chủ tịch ", "giám đốc ", "người đứng đầu ", "trưởng ")
# "Các Sở: Tài chính, Nội vụ" / "các sở Y tế, Giáo dục và Đào tạo": one head for several names
DISTRIBUTIVE_RE = re.compile(r"(?:các|Các)\s+(?P<head>[Ss]ở|[Pp]hòng|[Bb]an|[Bb]ộ)\s*(?::\s*|\s)(?=[A-ZĐ])")
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


def match_group(text: str, p: int, end: int) -> tuple[int, int] | None:
    """The span of the group whose "các" (or "những", "mọi") is at ``p``, a title and a parent
    body before it included, if one is."""
    e = group_end(text, p, end)
    return None if e is None else (_group_start(text, p), e)


def group_end(text: str, p: int, end: int) -> int | None:
    """Where the group whose "các" is at ``p`` ends, if one is (see :func:`match_group`)."""
    sp = text.find(" ", p, p + 8)
    if sp < 0:
        return None
    nxt = text[sp + 1:sp + 10].split(maxsplit=1)
    if not nxt or nxt[0].rstrip(",;:.").casefold() not in _GROUP_FIRST:
        return None
    m = GROUP_BODY.match(text, p, end)
    return m.end() if m else None


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
    for m in GROUP_TRIGGER.finditer(t):
        g = match_group(t, m.start(), len(t))
        return bool(g and g[0] == 0 and g[1] >= len(t.rstrip(" .;,")))
    return False


def drop_title(text: str) -> str:
    """"Chủ tịch UBND các huyện" -> "UBND các huyện"; "Thủ trưởng các sở" stays (it names a group)."""
    m = _TITLE_RE.match(text)
    if m and not m.group(0).strip().casefold().startswith("thủ trưởng"):
        return text[m.end():]
    return text


@lru_cache(maxsize=4096)
def group_name(text: str) -> str:
    """The group as written, with initials expanded, one space between words, a capital first."""
    t = drop_title(text)
    t = re.sub(r"\bUBND\b", "Ủy ban nhân dân", t)
    t = re.sub(r"\bHĐND\b", "Hội đồng nhân dân", t)
    t = re.sub(r"^(?:tất\s+cả|mọi)\s+(?=các\b)", "", re.sub(r"\s+", " ", t).strip(" ,;"), flags=re.IGNORECASE)
    return t[:1].upper() + t[1:]


# -- where a group may go on over a line break ------------------------------------------------------

_ABBREVIATIONS = ("UBND", "HĐND", "UBMTTQVN", "LĐLĐ", "BHXH")


# every word the group patterns are made of (and some letters of their escapes: no harm)
_GROUP_WORDS = frozenset(w.casefold()
                         for w in re.findall(r"[^\W\d_]+", GROUP_BODY.pattern + DISTRIBUTIVE_RE.pattern))


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
    return ASK if GROUP_TRIGGER.search(line + "\n") else NO_TRIGGER


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
    if kind == OPEN or (kind == NO_TRIGGER and (piece == line or text[piece:line].isspace())):
        return kind != OPEN                             # (blank lines start no group)
    for m in GROUP_TRIGGER.finditer(text, piece, nl + 1):   # does a group that starts here go on?
        p = m.start()
        d = DISTRIBUTIVE_RE.match(text, p, end)
        if d and d.end() > nl:
            return False
        g = group_end(text, p, end)
        if g is not None and g > nl:
            return False
    return True
