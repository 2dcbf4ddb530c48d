"""Instructions to the units below the issuer: "các huyện ủy, thành ủy ... xây dựng kế hoạch".

:func:`read_order` reads which levels and branches a plan orders to issue their own plans
(or to report), and by when; the lateness analysis compares that with the plans they issued.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_UY = r"(?:ủy|uỷ)"
_SUB_PARTY = re.compile(
    rf"\b(?:(?P<p>tỉnh\s+{_UY}|thành\s+{_UY}\s+trực\s+thuộc\s+trung\s+ương)"
    rf"|(?P<d>huyện\s+{_UY}|quận\s+{_UY}|thị\s+{_UY}|đảng\s+{_UY}\s+(?:cơ\s+sở\s+)?trực\s+thuộc)"
    rf"|(?P<c>đảng\s+{_UY}\s+(?:các\s+)?(?:xã|phường|thị\s+trấn))"
    rf"|(?P<x>thành\s+{_UY}|cấp\s+{_UY}))", re.IGNORECASE)
_SUB_STATE = re.compile(r"\b(?:ủy|uỷ)\s+ban\s+nhân\s+dân|\bubnd\b", re.IGNORECASE)
_STATE_LEVEL = re.compile(
    r"\s+(?P<many>(?:các\s+)?(?:cấp\s+)?)(?:(?P<p>tỉnh)|(?P<d>huyện|quận|thị\s+xã)|(?P<c>xã|phường|thị\s+trấn))",
    re.IGNORECASE)
_LOCALITIES = re.compile(r"\bcác\s+(?:(?P<p>tỉnh)|(?P<d>huyện|địa\s+phương)|(?P<c>xã|phường))\b",
                         re.IGNORECASE)
_LIST_BEFORE = re.compile(r"\b(?:các|cấp)\s+(?:[^\W\d_][^,;.:\n]{0,29}?(?:\s*,\s*|\s+và\s+))*$",
                          re.IGNORECASE)
_SUBORDINATE_OF = re.compile(
    rf"\btrực\s+thuộc\s+(?P<parent>(?:ban\s+thường\s+vụ\s+)?(?:tỉnh|thành|huyện)\s+{_UY})", re.IGNORECASE)
_CAC = re.compile(r"các\s+$", re.IGNORECASE)
_PLAN_ACT = re.compile(r"\b(?:xây\s+dựng|ban\s+hành|cụ\s+thể\s+h(?:óa|oá))\s+(?:\S+\s+){0,3}?"
                       r"(?:kế\s+hoạch|chương\s+trình|đề\s+án)", re.IGNORECASE)
_REPORT_ACT = re.compile(r"\bbáo\s+cáo\b", re.IGNORECASE)
#: regex group -> level of the addressees
_LEVEL_GROUPS = {"p": "province", "d": "district", "c": "commune"}


def _plural(head: str, start: int) -> bool:
    """Whether the bodies named at ``start`` close a list that opens with "các" or "cấp":
    "Các huyện ủy, thị ủy, | đảng ủy trực thuộc" (items of at most 30 characters, joined by
    commas or "và"), so "tổ chức các hoạt động ..., UBND thị xã" is no list."""
    return bool(_LIST_BEFORE.search(head[max(0, start - 120):start]))


@dataclass(frozen=True, slots=True)
class Order:
    """An instruction a plan gives to the jurisdictions below its issuer.

    ``kind`` is "plan" (build or issue their own plan: "các huyện ủy ... xây dựng kế hoạch
    thực hiện") or "report" ("báo cáo kết quả về ..."); ``branch`` is "party" (huyện ủy,
    thị ủy, đảng ủy trực thuộc...), "state" (UBND các huyện...) or None when both or neither
    are named ("các địa phương"); ``level`` is "province", "district" or "commune" (các đảng ủy
    xã, UBND các xã, phường, thị trấn) when the words say it and None when only the issuer's
    level tells (a "thành ủy" is either). A single body ("UBND huyện", "Ban Tuyên giáo Tỉnh ủy")
    is the issuer's own, not a subordinate: the list must open with "các" or "cấp". ``start``/``end`` is
    the span of the addressees' words in the text read.
    """

    kind: str
    branch: str | None
    level: str | None
    start: int
    end: int


def read_order(text: str) -> Order | None:
    """The instruction to subordinate jurisdictions in one task's text, or None.

    Only the words before the action count as addressees, so the body reported to ("về Ban
    Thường vụ Tỉnh ủy") is not one; "trực thuộc Tỉnh ủy" names the parent, not an addressee.

    >>> o = read_order("Các huyện ủy, thị ủy, đảng ủy trực thuộc Tỉnh ủy xây dựng kế hoạch thực hiện, "
    ...                "hoàn thành trước ngày 30/6/2021.")
    >>> o.kind, o.branch, o.level
    ('plan', 'party', 'district')
    >>> o = read_order("UBND các huyện, thị xã, thành phố báo cáo kết quả về Sở Nội vụ "
    ...                "trước ngày 15/12 hằng năm.")
    >>> o.kind, o.branch, o.level
    ('report', 'state', 'district')
    >>> read_order("Sở Nội vụ báo cáo kết quả về Ban Thường vụ Tỉnh ủy trước ngày 15/12.") is None
    True
    """
    plan, report = _PLAN_ACT.search(text), _REPORT_ACT.search(text)
    acts = [m for m in (plan, report) if m is not None]
    if not acts:
        return None
    act = min(acts, key=lambda m: m.start())
    kind = "plan" if act is plan else "report"
    def blank_parent(m: re.Match[str]) -> str:
        return m.group()[:m.start("parent") - m.start()] + " " * len(m.group("parent"))

    head = _SUBORDINATE_OF.sub(blank_parent, text[:act.start()])
    branches: set[str] = set()
    levels: set[str] = set()
    spans: list[tuple[int, int]] = []
    for m in _SUB_PARTY.finditer(head):
        if not (_plural(head, m.start()) or "trực" in m.group().lower()):
            continue                          # "Ban Tuyên giáo Tỉnh ủy": a body of the committee itself
        branches.add("party")
        spans.append(m.span())
        levels.update(lvl for k, lvl in _LEVEL_GROUPS.items() if m.group(k))
    for m in _SUB_STATE.finditer(head):
        lv = _STATE_LEVEL.match(head, m.end())
        if lv is None or not (lv.group("many") or _plural(head, m.start())):
            continue                          # "UBND huyện", "Văn phòng HĐND&UBND quận": the issuer's own
        branches.add("state")
        spans.append((m.start(), lv.end()))
        levels.update(lvl for k, lvl in _LEVEL_GROUPS.items() if lv.group(k))
    if not spans:
        for m in _LOCALITIES.finditer(head):
            spans.append(m.span())
            levels.update(lvl for k, lvl in _LEVEL_GROUPS.items() if m.group(k))
    if not spans:
        return None
    start = min(a for a, _ in spans)
    cac = _CAC.search(head, max(0, start - 6), start)
    return Order(kind=kind, branch=branches.pop() if len(branches) == 1 else None,
                 level=levels.pop() if len(levels) == 1 else None,
                 start=cac.start() if cac else start, end=max(b for _, b in spans))
