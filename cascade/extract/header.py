"""A document's own metadata: header, type line, title, signature, recipients.

The header of a state document (NĐ 30/2020) or a Party document (HD 36/2018) gives the
issuing body, the number, the place and the date. Three of the five sample plans have
lost their header in conversion: then the issuer and the jurisdiction are inferred from
the body ("UBND tỉnh xây dựng kế hoạch...", "trên địa bàn huyện Phú Thiện", "Báo Bình
Thuận") and listed in ``Metadata.inferred``.
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import cache
from importlib import resources
from typing import Any

from cascade.extract import layout, numbers
from cascade.models import Evidence, Metadata, Signer
from cascade.text.normalize import LOWER, UPPER, CleanText, ascii_fold, fold_letters, key
from cascade.vn import dates, places
from cascade.vn.cues import POSITIONS

_BLANK_NUMBER = re.compile(r"[ *_]*(?:Số"
                           r"|SỐ)\s*:?\s*[ .…_]*(?P<sym>/\s?[A-ZĐ][A-Za-zĐđ&]*(?:-[A-ZĐ][A-Za-zĐđ&0-9]*)*)")
_COMMITTEE = re.compile(r"^(?:ban thường vụ\s+|ban chấp hành đảng bộ\s+)?(?P<kind>tỉnh|thành|huyện|quận"
                        r"|thị)\s+ủy\s*(?P<place>.*)$")
_PEOPLE = re.compile(r"^(?P<body>ủy ban nhân dân|ubnd|hội đồng nhân dân|hđnd)\s*(?P<unit>tỉnh|thành phố"
                     r"|tp\.?|huyện|quận|"
                     r"thị xã|xã|phường|thị trấn)?\s*(?P<place>.*)$")
_PARTY_BODY = re.compile(r"^(?P<lead>ban chấp hành|ban thường vụ)?\s{0,3}(?P<body>đảng bộ|đảng ủy)\s{1,3}"
                         r"(?P<unit>tỉnh|thành phố|huyện|quận|thị xã|xã|phường"
                         r"|thị trấn)\s{1,3}(?P<place>.*)$")
_UNIT_LEVEL = {"tỉnh": "province", "huyện": "district", "quận": "district", "thị xã": "district", "thị": "district",
               "xã": "commune", "phường": "commune", "thị trấn": "commune", "đặc khu": "commune"}
_COMMITTEE_NAME = {"tỉnh": "Tỉnh ủy", "thành": "Thành ủy", "huyện": "Huyện ủy", "quận": "Quận ủy", "thị": "Thị ủy"}

# "UBND tỉnh xây dựng kế hoạch", "Ủy ban nhân dân huyện Ia H'Drai ban hành Kế hoạch", "Ban Thường vụ Huyện ủy ..."
_SELF_ISSUER = re.compile(
    r"(?P<body>Ủy ban nhân dân|ủy ban nhân dân|UBND|Ban Thường vụ(?:\s{1,3}(?:Tỉnh|Thành|Huyện|Quận"
    r"|Thị)\s{1,3}ủy)?|"
    r"(?:Tỉnh|Thành|Huyện|Quận|Thị)\s{1,3}ủy|Ban Chấp hành Đảng bộ)"
    r"(?:\s{1,3}(?P<unit>tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|Tỉnh|Huyện|Quận|Thị xã|Xã"
    r"|Phường))?"
    r"(?P<place>(?:\s{1,3}[" + UPPER + r"][\w'’\-]{0,20}){0,4})?(?:\s{0,3}\([^()\n]{1,40}\))?"
    r"\s{1,3}(?:đã\s{1,3}|vừa\s{1,3})?(?:ban hành|xây dựng|triển khai|thông báo)\s{1,3}"
    r"(?:[Kk]ế hoạch|[Cc]hương trình|[Hh]ướng dẫn|[Qq]uy chế|[Nn]ghị quyết|[Cc]hỉ thị|các|lịch|về|việc|để"
    r"|cho|đến)")
_SCOPE = re.compile(r"trên địa bàn\s+(?P<unit>tỉnh|thành phố|huyện|quận"
                    r"|thị xã)\s+(?P<place>[" + UPPER + r"][\w'’\- ]{1,30}?)"
                    r"(?=\s*(?:[,.;:(]|/|$|\s(?:như|và|theo|trong|để|với)\b))", re.M)
_NEWSPAPER = re.compile(r"\bBáo\s+(?P<place>[" + UPPER + r"][\w'’\-]*(?:\s+[" + UPPER + r"][\w'’\-]*){0,3})")

# a provincial newspaper's site, named "bao" + the province without diacritics (baophutho.vn, baobinhduong.vn)
_NEWS_SITE = re.compile(r"(?<![\w.])bao(?P<slug>[a-z]{3,20})\.(?:com\.)?vn\b")


@cache
def _province_slugs() -> dict[str, places.Unit]:
    """"phutho" -> Phú Thọ: each province's name without diacritics or spaces, both eras."""
    out: dict[str, places.Unit] = {}
    for era in places.ERAS:
        for p in places.provinces(era):
            out.setdefault(ascii_fold(p.name).replace(" ", "").replace("-", ""), p)
    return out


_PARENT_BODY = re.compile(r"(?i)đảng bộ|ubnd\b|ủy ban nhân dân \w")
_BARE_BODY = re.compile(r"(?i)ủy ban nhân dân|hội đồng nhân dân")
_PARTY_COMMITTEE = re.compile(r"(Tỉnh|Thành|Huyện|Quận|Thị)\s+ủy")
_NOT_A_PLACE = re.compile(r"[/]|\d{3}")
_DATE = re.compile(dates.DATE)
_RECIPIENTS = re.compile(r"Nơi nhận\s*:?")
_RECIPIENTS_INDENT = re.compile(r"[ *_]*")
_TYPE_IN_BODY = re.compile(r"ban hành\s{1,3}(Kế hoạch|Chương trình|Quyết định|Hướng dẫn)"
                           r"|(Kế hoạch|Quyết định|Chương trình|Quy chế|Quy định|Hướng dẫn|Thông báo"
                           r"|Đề án) này"
                           r"|(?:UBND|Ủy ban nhân dân)(?: (?:tỉnh|huyện|quận|thị xã|xã|phường))? (thông báo) "
                           r"(?=để|cho|đến|về|lịch)")
_STRIPPED_LINE = re.compile(r"\S(?:[^\n]*\S)?")      # a line without the white space around it

_POSITIONS = POSITIONS
_POSITION_LINE = re.compile(r"^[ *_]*(?P<title>" + "|".join(sorted(map(re.escape, _POSITIONS), key=len, reverse=True))
                            + r")(?:[ ]{1,3}(?:QUỐC HỘI|CHÍNH PHỦ|BỘ[ ]{1,3}[" + UPPER + r" ,]{2,60}))?"
                            r"[ *_]*$")     # "CHỦ TỊCH QUỐC HỘI", "BỘ TRƯỞNG BỘ TÀI CHÍNH": the body it heads
_CAPACITY = re.compile(r"^[ *_]*(?P<cap>TM\.|T/M|KT\.|K/T|TL\.|T/L|TUQ\.|Q\.)\s*(?P<rest>[^\n*]*?)[ *_]*$")
_CAPACITY_REACH = 3                 # capacity lines (TM., KT....) are looked for up to 3 lines above the position
_SIGNATURE_REACH = 600              # _last_signature reads the lines of the last 600 characters first
_NAME = re.compile(r"^[ *_]*(?P<name>(?:[" + UPPER + r"][" + LOWER + r"]+|[" + UPPER + r"]+)(?:\s+(?:[" + UPPER + r"][" + LOWER + r"]+|[" + UPPER + r"]+)){1,4})"
                   r"[ *_.…]*$")


def _sentence_case(upper: str) -> str:
    words = upper.lower().split()
    return " ".join([words[0].capitalize(), *words[1:]]) if words else upper


_TYPE_SUFFIX = re.compile(r"^(.*?)\s*\((huyện|thị xã|thành phố|quận|Huyện|Thị xã|Thành phố|Quận|HUYỆN|THỊ XÃ|"
                          r"THÀNH PHỐ|QUẬN)\)$")


def _commune_units(name: str, province: str | None, unit_type: str | None, context: Iterable[str],
                   era: str) -> list[places.Unit]:
    """Communes a name may be, best first: in the province given, else in the provinces the text names
    (most named first), else anywhere when the name is unique in the country."""
    if province:
        return places.find_commune(name, province, era, unit_type)
    found = places.find_commune(name, None, era, unit_type)
    if not found:
        return found
    for prov in context:
        p = places.find_province(prov, era) or places.find_province(prov)
        near = [u for u in found if p is not None and u.province_code == p.code and u.era == p.era] or \
            [u for u in found if key(u.province) == key(prov)]
        if near:
            return near
    return found if len(found) == 1 and not any(True for _ in context) else (found if len(found) > 1 else [])


def _place_units(name: str, level_hint: str | None = None, province: str | None = None,
                 unit_type: str | None = None, context: Iterable[str] = (),
                 era: str = "pre2025") -> list[places.Unit]:
    """Gazetteer units a bare place name may be, best first; more than one means ambiguous.

    District names repeat across provinces (Hoàng Mai is a quận of Hà Nội and a thị xã of
    Nghệ An): the unit type and the provinces the text names (``context``, most named
    first) break the tie when they can. "Thành phố Bắc Kạn" is the provincial city, not
    the province, because the province of that name is a tỉnh.
    """
    name = name.strip(" .,*")
    if level_hint == "commune" or unit_type in places.COMMUNE_TYPES:
        return _commune_units(name, province, unit_type, context, era)
    m = _TYPE_SUFFIX.match(name)              # "Kỳ Anh (Huyện)": a list's way of telling two units apart
    if m:
        name, unit_type = m.group(1), unit_type or m.group(2).lower()
        name = f"{name} ({m.group(2).capitalize()})" if places.find_district(f"{name} ({m.group(2).capitalize()})") \
            else name
    if not name:
        return []
    p = places.find_province(name) if level_hint != "district" else None
    if p is not None and (unit_type is None or unit_type == p.type or unit_type == "tỉnh"):
        return [p]
    ds = places.find_district(name, province)
    if len(ds) > 1 and unit_type:
        ds = [d for d in ds if d.type == unit_type] or ds
    if len(ds) > 1:
        for prov in context:
            near = [d for d in ds if d.province and key(d.province) == key(prov)]
            if len(near) == 1:
                return near
    if ds:
        return ds
    if level_hint == "district" or p is not None:
        q = places.find_province(name)
        return [q] if q is not None else []
    return []


class _Context:
    """The provinces a text names, computed only when an ambiguous name needs them."""

    def __init__(self, text: str):
        self.text = text
        self._value: tuple[str, ...] | None = None

    def __iter__(self):
        if self._value is None:
            self._value = _context_provinces(self.text)
        return iter(self._value)


def _context_provinces(text: str) -> tuple[str, ...]:
    """Provinces the text names, most often first (to place an ambiguous district)."""
    counts: Counter[str] = Counter()
    for h in places.find_places(text):
        if h.unit.level == "province":
            counts[h.unit.name] += 1
        elif h.unit.province and len(places.find_district(h.unit.name)) == 1:   # a district name found once
            counts[h.unit.province] += 1
    return tuple(p for p, _ in counts.most_common() if p)


class _Builder:
    """Collects fields with their evidence and whether they were inferred."""

    def __init__(self, ct: CleanText, source: str):
        self.ct, self.source = ct, source
        self.values: dict[str, Any] = {}         # str, Signer or tuple[str, ...] by field
        self.evidence: dict[str, Evidence] = {}
        self.inferred: set[str] = set()

    def set(self, field: str, value: object, span: tuple[int, int] | None = None, inferred: bool = False,
            overwrite: bool = False) -> None:
        if value is None or (field in self.values and not overwrite):
            return
        self.values[field] = value
        if span is not None:
            a, b = self.ct.original(*span)
            self.evidence[field] = Evidence(self.source, a, b, self.ct.raw[a:b])
        if inferred:
            self.inferred.add(field)
        else:
            self.inferred.discard(field)


# "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ": the position is not the body; "... KHÓA III - KỲ HỌP THỨ 14": nor the term
_AUTHORITY_HEAD = re.compile(r"^(?:CHỦ TỊCH|THỦ TƯỚNG|BỘ TRƯỞNG|GIÁM ĐỐC"
                             r"|TRƯỞNG BAN)[ ]{1,3}(?=[" + UPPER + r"]{2})")
_AUTHORITY_TAIL = re.compile(r"[ ,-]{1,3}(?:KHÓA|KHOÁ|NHIỆM KỲ|KỲ HỌP|VỀ|V/V)\b[^\n]{0,80}$")
_ATTACHED = re.compile(r"\((?:[Bb]an hành\s{1,3})?[Kk]èm theo[^()]{0,200}\)")
_LEADING_NOISE = re.compile(r"^[a-zđ](?=[A-ZĐ" + UPPER[3:] + r"]{2})")   # "cBAN CHẤP HÀNH": a stray letter
# "SỐ 16/2001/CT-TTg" in a title line that starts with the type ("CHỈ THỊ ... SỐ 16/2001/CT-TTg NGÀY ...")
_TITLE_NUMBER = re.compile(r"(?:SỐ|Số|số)[ ]{0,3}:?[ ]{0,3}(?=\d)")
_TITLE_TRIGGER = re.compile(r"(?i)thực hiện|triển khai|căn cứ|sửa đổi|bổ sung|thay thế|về việc|\bvề\b"
                            r"|hướng dẫn")
# a page that reports the document instead of printing its header: "Ngày 23/8/2017, Tỉnh ủy X đã ban hành
# Chương trình số 27-CTr/TU ...", "giới thiệu toàn văn Nghị quyết số 10-NQ/TU, ngày 18/8/2021 của ..."
_LEAD_TYPES = ("Kế hoạch|Chỉ thị|Nghị quyết|Chương trình|Quyết định|Thông báo|Hướng dẫn|Kết luận|Quy chế"
               "|Quy định"
               "|Đề án|Báo cáo|Công văn")
_LEAD_ISSUED = re.compile(
    r"(?:[Nn]gày[ ]{1,3}(?P<date>\d{1,2}[/-]\d{1,2}(?:[/-](?:19|20)\d\d)?|\d{1,2} tháng \d{1,2} năm (?:19"
    r"|20)\d\d)"
    r"[ ]{0,3},?[ ]{0,3})?"
    r"(?P<who>(?:Ban Thường vụ|Thường trực|Ban Chấp hành|Ủy ban nhân dân|Uỷ ban nhân dân|UBND"
    r"|Hội đồng nhân dân|HĐND"
    r"|Tỉnh [Ủủ]y|Thành [Ủủ]y|Huyện [Ủủ]y|Quận [Ủủ]y|Thị [Ủủ]y)[^,.;\n]{0,60}?)"
    r"[ ]{1,3}(?:đã[ ]{1,3}|vừa[ ]{1,3})?(?:ký ban hành|ban hành"
    r"|xây dựng)[ ]{1,3}(?P<type>(?i:" + _LEAD_TYPES + r"))[ ]{1,3}(?:số[ ]{0,3})?"
    r"(?P<num>\d[\w/.-]{0,30})(?:[ ]{0,3},?[ ]{0,3}ngày[ ]{1,3}(?P<date2>\d{1,2}[/-]\d{1,2}[/-](?:19"
    r"|20)\d\d))?")
_LEAD_FULLTEXT = re.compile(
    r"toàn văn[ ]{1,3}(?P<type>" + _LEAD_TYPES + r")[ ]{1,3}số[ ]{0,3}(?P<num>\d[\w/.-]{0,30}?)"
    r"[ ]{0,3},?[ ]{0,3}"
    r"ngày[ ]{1,3}(?P<date2>\d{1,2}[/-]\d{1,2}[/-](?:19|20)\d\d)[ ]{0,3}của[ ]{1,3}(?P<who>[^,.;\n]{3,60}?)"
    r"(?=[ ]{1,3}(?:về|V/v)\b|[,.;\n])")
_LEAD_REACH = 1500


def _own_number(b: _Builder, lay: layout.Layout, text: str, source: str,
                warnings: list[str]) -> numbers.DocNumber | None:
    """The document's own number: the "Số:" line, or a number printed only in the type-and-title line."""
    if lay.number_rest is not None and lay.number is not None:
        a, e = lay.number_rest
        found = numbers.find_numbers(text[a:e])
        if found and found[0][1] < 4:
            n, x, y = found[0]
            b.set("number", n.text, (a + x, a + y))
            _title_sentence(b, text, lay.number.start, e, None)     # "CHỈ THỊ SỐ 05-CT/TW CỦA ... VỀ ..."
            return n
        blank = _BLANK_NUMBER.match(text, lay.number.start, lay.number.end)
        if blank:
            sym = blank.group("sym").lstrip("/ ")
            parsed = numbers.parse_number("1/" + sym)
            warnings.append(f"{source}: the number is blank ('Số: /{sym}'): a draft or an unnumbered copy")
            return parsed
    if lay.type_cell is not None and lay.title is not None and lay.title.start < lay.type_cell.end:
        line = text[lay.type_cell.start:lay.title.end]
        m = _TITLE_NUMBER.search(line)
        if m and not _TITLE_TRIGGER.search(line, 0, m.start()):
            found = numbers.find_numbers(line[m.end():m.end() + 40])
            if found and found[0][1] == 0:
                n = found[0][0]
                if n.type is None or n.type == lay.type_name:
                    a = lay.type_cell.start + m.end()
                    b.set("number", n.text, (a, a + found[0][2]))
                    _title_sentence(b, text, lay.type_cell.start, lay.title.end, lay.type_name)
                    return n
    return None


_FOLDED_TYPES = sorted(((fold_letters(k), v) for k, v in layout.TYPE_WORDS.items()), key=lambda kv: -len(kv[0]))
_FOLDED_TYPE = re.compile(r"[ *#_]{0,5}(?P<type>" + "|".join(re.escape(k) for k, _ in _FOLDED_TYPES)
                          + r")[ ]{1,3}"
                          r"(?:(?P<of>cua[ ]{1,3}[^\n]{2,120}?)[ ]{1,3})?(?:so[ ]{0,3}:?[ ]{0,3})?(?=\d)")
_FOLDED_DATE = re.compile(r"[ ,]{0,3}(?=ngay)")
_FOLDED_OF = re.compile(r"[ ,]{0,3}cua[ ]{1,3}(?P<body>[^\n]{2,150}?)(?=[ ,.:]{1,3}ve[ ]|[ ]{0,3}$)")
_FOLDED_SUBJECT = re.compile(r"[ ,.:]{0,3}(?P<subject>ve[ ]{1,3}\S[^\n]{0,600})")
_BODY_LIST = re.compile(r"[ ]{0,3}(?:,|[ ]va[ ])[ ]{0,3}")
_SENTENCE_LINES = 6                 # a title sentence opens the page: it is looked for in its first lines


def _title_sentence(b: _Builder, text: str, start: int, end: int, type_name: str | None
                    ) -> numbers.DocNumber | None:
    """A title that is one sentence: TYPE [CỦA BODY] [SỐ] NUMBER [NGÀY date] [CỦA BODY] [VỀ subject].

    Gazette indexes and news pages print documents so ("CHỈ THỊ CỦA THỦ TƯỚNG CHÍNH PHỦ SỐ
    16/2001/CT-TTg NGÀY 10 THÁNG 5 NĂM 2001 VỀ VIỆC ...", "KẾT LUẬN 127-KL/TW CỦA BỘ CHÍNH TRỊ, BAN
    BÍ THƯ VỀ ..."). Fills the number, date, issuer (a central body the table knows) and title
    that are still empty; returns the number read, or None when ``text[start:end]`` is no such title."""
    line = text[start:end]
    folded = fold_letters(line)
    m = _FOLDED_TYPE.match(folded)
    if m is None:
        return None
    typ = dict(_FOLDED_TYPES)[m.group("type")]
    if type_name is not None and type_name != typ:
        return None
    found = numbers.find_numbers(line[m.end():m.end() + 60])
    if not found or found[0][1] != 0 or (found[0][0].type is not None and found[0][0].type != typ):
        return None
    n, _, width = found[0]
    at = m.end() + width
    if "number" not in b.values:
        b.set("type", typ, (start + m.start("type"), start + m.end("type")), inferred=True)
        b.set("number", n.text, (start + m.end(), start + at))
        b.set("branch", n.family, inferred=True)
    lead = _FOLDED_DATE.match(folded, at)
    dm = dates.DATE_RE.match(line, lead.end()) if lead else None        # the date words keep their marks
    if dm is not None:
        b.set("date", dates.from_match(dm), (start + dm.start(), start + dm.end()))
        at = dm.end()
    of = _FOLDED_OF.match(folded, at)
    body = (of.start("body"), of.end("body")) if of else None
    if of is not None:
        at = of.end()
    elif m.group("of"):
        body = (m.start("of") + 3 + len(m.group("of")[3:]) - len(m.group("of")[3:].lstrip()), m.end("of"))
    if body is not None:
        names = [_folded_names().get(" ".join(x.split())) for x in _BODY_LIST.split(folded[body[0]:body[1]])]
        if names and all(names) and n.level == "central":
            b.set("issuer", ", ".join(x.name for x in names), (start + body[0], start + body[1]),
                  overwrite=True)
            b.set("level", "central")
    subject = _FOLDED_SUBJECT.match(folded, at)
    if subject is not None and (dm is not None or of is not None or "title" not in b.values):
        a, e = subject.span("subject")
        b.set("title", line[a:e].strip(), (start + a, start + a + len(line[a:e].strip())), overwrite=True)
    return n


#: "... được Quốc hội ... khóa XV, kỳ họp thứ 8 thông qua ngày 29 tháng 11 năm 2024": the closing sentence
#: of a Luật or a Nghị quyết of Quốc hội (and of a Pháp lệnh of its standing committee)
_PASSED = re.compile(r"thông[ ]{1,3}qua[ ]{1,3}" + dates.DATE, re.IGNORECASE)
_PASSED_REACH = 6000
# a consolidated text (VBHN) prints its own number after the certification at the end
_CONSOLIDATED = re.compile(r"XÁC[ ]{1,3}THỰC[ ]{1,3}VĂN[ ]{1,3}BẢN[ ]{1,3}HỢP[ ]{1,3}NHẤT")
_END_NUMBER = re.compile(r"(?:Số|SỐ)[ ]{0,3}:?[ ]{0,3}(?=\d{1,5}/VBHN-)")


def _consolidated_number(b: _Builder, text: str) -> None:
    """Number and date of a consolidated text: printed after "XÁC THỰC VĂN BẢN HỢP NHẤT" at its end."""
    cm = _CONSOLIDATED.search(text, max(0, len(text) - _PASSED_REACH))
    if cm is None:
        return
    nm = _END_NUMBER.search(text, cm.end())
    found = numbers.find_numbers(text[nm.end():nm.end() + 40]) if nm else []
    if found and found[0][1] == 0:
        b.set("number", found[0][0].text, (nm.end(), nm.end() + found[0][2]))
        b.set("type", "Văn bản hợp nhất", cm.span(), overwrite=True)
        dm = dates.DATE_RE.search(text, cm.end(), min(len(text), cm.end() + 200))
        if dm is not None:
            b.set("date", dates.from_match(dm), dm.span(), overwrite=True)


def _central_issuer(lines: list[str], nm: numbers.DocNumber | None) -> numbers.Issuer | None:
    """The central body a header names (CHÍNH PHỦ, BỘ NỘI VỤ, BỘ CHÍNH TRỊ ...) or the number's code names."""
    names = _central_names()
    # a name wrapped over lines: "BỘ LAO ĐỘNG - THƯƠNG BINH / VÀ XÃ HỘI"
    for i in range(len(lines) - 1):
        for j in range(len(lines), i + 1, -1):
            wrapped = names.get(key(" ".join(lines[i:j])))
            if wrapped is not None:
                return wrapped
    for k in range(len(lines) - 1, -1, -1):
        found = names.get(key(lines[k]))
        if found is not None:
            own = _code_issuer(nm)
            # "BAN CHẤP HÀNH TRUNG ƯƠNG / BAN TỔ CHỨC" over 42-HD/BTCTW: the unit below, named by its code
            if k < len(lines) - 1 and own is not None and own.code != found.code \
                    and own.family == found.family:
                return own
            return found
    if len(lines) == 1 and _JOINT.search(lines[0]):
        # "BỘ TÀI CHÍNH - BỘ NỘI VỤ" over a TTLT: every issuer of a joint text, in the header's order
        parts = [names.get(key(x)) for x in _JOINT.split(lines[0])]
        if all(parts):
            first = parts[0]
            return numbers.Issuer(first.code, first.family, "central", " - ".join(x.name for x in parts))
    if lines and len(lines) > 1 and any(key(x) in names for x in lines[:1]):
        parent = names[key(lines[0])]
        return numbers.Issuer(parent.code, parent.family, "central", _sentence_case(lines[-1]))
    if nm is not None and nm.level == "central" and not any(_LOCAL_LINE.search(x) for x in lines):
        if lines:                                    # a central body the table lacks: its header names it
            return numbers.Issuer(nm.issuer_code, nm.family, "central", _sentence_case(" ".join(lines)))
        issuer = _code_issuer(nm)
        if issuer is not None:
            return issuer
    return None


_JOINT = re.compile(r"[ ]{1,3}[-–][ ]{1,3}")


def _code_issuer(nm: numbers.DocNumber | None) -> numbers.Issuer | None:
    """The central body the number's issuer code names (QH15 -> Quốc hội, BTCTW -> Ban Tổ chức Trung ương)."""
    if nm is None or nm.level != "central" or not nm.issuer_code:
        return None
    table = numbers.issuers()
    return table.get(nm.issuer_code.upper()) or table.get(nm.issuer_code.upper().rstrip("0123456789"))


_LOCAL_LINE = re.compile(r"(?i)tỉnh|thành phố|huyện|quận|thị xã|xã|phường|ủy ban nhân dân|uỷ ban nhân dân|"
                         r"hội đồng nhân dân|ubnd|hđnd|\bsở\b|tỉnh ủy|đảng bộ")


def _issuer_rows() -> list[dict[str, str]]:
    with resources.files("cascade").joinpath("resources", "issuers.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def _central_names() -> dict[str, numbers.Issuer]:
    """Key of a central body's name (and of the other names its header prints) -> its issuer row."""
    out: dict[str, numbers.Issuer] = {}
    for row in _issuer_rows():
        if row["level"] != "central":
            continue
        issuer = numbers.issuers()[row["code"].upper()]
        for name in [row["name"], *filter(None, (row.get("header_names") or "").split("|"))]:
            shown = numbers.Issuer(issuer.code, issuer.family, "central", name)
            out.setdefault(key(name), shown)
    return out


@cache
def _folded_names() -> dict[str, numbers.Issuer]:
    """Central body names (and the other names their headers print), folded by :func:`_fold`."""
    return {fold_letters(" ".join(k.split())): i for k, i in _central_names().items()}


def _name_on_date(b: _Builder) -> None:
    """Write the province as documents of the document's date wrote it (Thừa Thiên Huế before 2025)."""
    province, date = b.values.get("province"), b.values.get("date")
    if not isinstance(province, str) or not isinstance(date, str):
        return
    name, kind = places.province_name_on(province, date)
    if name == province:
        return
    issuer = b.values.get("issuer")
    unit = places.find_province(province)
    if isinstance(issuer, str) and unit is not None and kind != unit.type and (
            f"{unit.type} {province}".casefold() in issuer.casefold() or f"Thành ủy {province}" in issuer):
        return              # "thành phố Huế", "Thành ủy Huế" of 2020: the city itself, named as it was
    b.values["province"] = name
    if isinstance(issuer, str) and kind is not None:
        old_kind = unit.type if unit is not None else "thành phố"
        issuer = issuer.replace(f"{old_kind} {province}", f"{kind} {name}")
        if kind == "tỉnh":
            issuer = issuer.replace(f"Thành ủy {province}", f"Tỉnh ủy {name}")
        b.values["issuer"] = issuer.replace(f" {province}", f" {name}") if name not in issuer else issuer


_COMMUNE_OF = re.compile(r"(?i:xã|phường|thị trấn)[ ]{1,3}(?P<name>[^,;()\n]{2,40})$")


def _district_on_date(b: _Builder) -> None:
    """A commune's district as it was on the document's date: the district merged since (Đông Sơn,
    Cửa Lò, Lộc Hà ...) rather than the one the early-2025 list puts the commune in."""
    v = b.values
    if v.get("level") != "commune" or not all(isinstance(v.get(f), str)
                                              for f in ("date", "district", "province")):
        return
    m = _COMMUNE_OF.search(str(v.get("issuer") or ""))
    name = m.group("name") if m else v.get("place")
    if not isinstance(name, str):
        return
    units = [u for u in places.find_commune(name, v["province"]) if u.district == v["district"]]
    was = {places.district_on(u, v["date"]) for u in units}
    if len(was) == 1 and (d := was.pop()) != v["district"]:
        v["district"] = d


_TW_BODY = re.compile(r"[ ]{0,3},?[ ]{0,3}(?:ngày[ ]{1,3}[\d/.-]{6,10}[ ]{0,3},?[ ]{0,3})?của[ ]{1,3}"
                      r"(?P<body>Bộ Chính trị|Ban Bí thư)")


def _central_party_body(b: _Builder, text: str, nm: numbers.DocNumber) -> None:
    """The Party's central header is always "BAN CHẤP HÀNH TRUNG ƯƠNG"; the body that issued under it
    (Bộ Chính trị, Ban Bí thư) is named where the text gives the document's own number "... của Bộ Chính trị"."""
    pos = 0
    while (at := text.find(nm.text, pos, min(len(text), layout.HEAD_LIMIT))) >= 0:
        m = _TW_BODY.match(text, at + len(nm.text))
        if m is not None:
            b.set("issuer", m.group("body"), m.span("body"), inferred=True, overwrite=True)
            return
        pos = at + len(nm.text)


def _site_fields(b: _Builder, lay: layout.Layout, nm: numbers.DocNumber | None) -> None:
    """What a hosting site's metadata table says, for the fields the document itself leaves empty."""
    site = lay.site
    if "number" in site and "number" not in b.values:
        found = numbers.find_numbers(site["number"][0])
        parsed = found[0][0] if found and found[0][1] == 0 else None
        if parsed is not None:
            b.set("number", parsed.text, site["number"][1], inferred=True)
            nm = nm or parsed
            b.set("branch", parsed.family, inferred=True)
    if "type" in site and "type" not in b.values:
        b.set("type", layout.TYPE_WORDS[site["type"][0].upper()], site["type"][1], inferred=True)
    if "date" in site and "date" not in b.values:
        b.set("date", dates.parse_date("ngày " + site["date"][0]), site["date"][1], inferred=True)
    if "issuer" in site and "issuer" not in b.values:
        central = _central_names().get(key(site["issuer"][0]))
        if central is None and nm is not None and nm.level == "central":
            central = _central_issuer([site["issuer"][0]], nm)
        if central is not None:
            b.set("issuer", central.name, site["issuer"][1], inferred=True)
            b.set("branch", central.family, inferred=True)
            b.set("level", "central", inferred=True)


# the fixed issuer code of a Party committee in its documents' symbols (HD 36/2018: number-TYPE/ISSUER)
_COMMITTEE_CODE = {"tỉnh ủy": "TU", "huyện ủy": "HU", "quận ủy": "QU"}


def _party_number(num: str, type_name: str, who: str) -> numbers.DocNumber | None:
    """"Chỉ thị số 17" of "Ban Thường vụ Tỉnh ủy X": 17-CT/TU, as every Party committee writes its symbols."""
    if not num.isdigit():
        return None
    committee = next((c for k, c in _COMMITTEE_CODE.items() if k in key(who)), None)
    codes = sorted(numbers.code_of_type(type_name))
    if committee is None or len(codes) != 1:
        return None
    return numbers.parse_number(f"{num}-{codes[0]}/{committee}")


def _lead_sentence(b: _Builder, text: str, lay: layout.Layout) -> None:
    """Number, date, type and issuer of a page that reports the document instead of printing its header."""
    m = _LEAD_FULLTEXT.search(text, 0, min(len(text), _LEAD_REACH)) or \
        _LEAD_ISSUED.search(text, 0, min(len(text), _LEAD_REACH))
    if m is None:
        return
    typ = m.group("type")[:1].upper() + m.group("type")[1:].lower()
    known = b.values.get("type") or lay.page_type
    same = known is None or key(str(known)) == key(typ)
    raw_date = m.group("date2") or (m.groupdict().get("date") or "")
    full = raw_date.count("/") + raw_date.count("-") == 2 or "năm" in raw_date
    date = dates.parse_date("ngày " + raw_date) if full else None
    if same:
        b.set("type", typ, m.span("type"), inferred=True)
        num = m.group("num").rstrip(".,;")
        parsed = numbers.parse_number(num) or _party_number(num, typ, m.group("who"))
        b.set("number", parsed.text if parsed else num, m.span("num"), inferred=True)
        if parsed is not None:
            b.set("branch", parsed.family, inferred=True)
    if date and "date" not in b.values:
        b.set("date", date, m.span("date2") if m.group("date2") else m.span("date"), inferred=True)


def _issuer_from_lines(lines: list[str], context: Iterable[str] = (), lay: layout.Layout | None = None,
                       nm: numbers.DocNumber | None = None) -> dict[str, object] | None:
    """Issuer, branch, level, province, district from upper-case header lines."""
    if not lines:
        return None
    # a parent body on the first line (ĐẢNG BỘ TỈNH X, UBND TỈNH X) when more lines follow
    parent = lines[0] if len(lines) > 1 and _PARENT_BODY.match(lines[0]) else None
    own = lines[1:] if parent else lines
    if parent is None and len(lines) > 1 and _BARE_BODY.fullmatch(lines[0].strip()):
        own = [" ".join(lines)]
    joined = " ".join(own)
    suffix = _TYPE_SUFFIX.match(joined.strip())
    text = key(suffix.group(1) if suffix else joined)
    tail = f" ({suffix.group(2).lower()})" if suffix else ""
    m = _COMMITTEE.match(text)
    if m:
        kind = m.group("kind")
        place = m.group("place").strip() + tail
        name = _COMMITTEE_NAME[kind]
        level = {"tỉnh": "province", "huyện": "district", "quận": "district", "thị": "district"}.get(kind)
        utype = {"thành": "thành phố", "thị": "thị xã", "huyện": "huyện", "quận": "quận"}.get(kind)
        units = _place_units(place, level, None, utype, context) if place else []
        if not place and kind == "tỉnh":
            # "BAN THƯỜNG VỤ TỈNH ỦY" without its province: the province the text names most
            top = next(iter(context), None)
            units = [u for u in [places.find_province(top)] if u is not None] if top else []
        unit = units[0] if units else None
        if kind == "thành" and unit is not None:
            level = unit.level
        if text.startswith("ban thường vụ"):
            name = "Ban Thường vụ " + name
        return _unit_fields(name, "party", level or "province", unit, place, units[1:], context)
    m = _PARTY_BODY.match(text)
    if m:
        leads = {"ban chấp hành": "Ban Chấp hành ", "ban thường vụ": "Ban Thường vụ "}
        lead = leads.get(m.group("lead") or "", "")
        body = "Đảng ủy" if m.group("body").startswith("đảng ủy") else "Đảng bộ"
        unit_word = m.group("unit")
        level = _UNIT_LEVEL.get(unit_word) or ("province" if unit_word == "thành phố" else None)
        place = m.group("place").strip() + tail
        era = places.era_of(lay.place_date.date if lay is not None and lay.place_date is not None else None)
        units = _place_units(place, level, None, unit_word, context, era) if place else []
        unit = units[0] if units else None
        if unit is not None and unit_word == "thành phố":
            level = unit.level
        return _unit_fields(f"{lead}{body} {unit_word}", "party", level or "province", unit, place, units[1:],
                            context)
    m = _PEOPLE.match(text)
    if m:
        body = "Ủy ban nhân dân" if m.group("body") in ("ủy ban nhân dân", "ubnd") else "Hội đồng nhân dân"
        unit_word = (m.group("unit") or "").replace("tp.", "thành phố").replace("tp", "thành phố")
        place = m.group("place").strip() + tail
        level = _UNIT_LEVEL.get(unit_word)
        era = places.era_of(lay.place_date.date if lay is not None and lay.place_date is not None else None)
        units = _place_units(place, level, None, unit_word or None, context, era) if place else []
        unit = units[0] if units else None
        if not place and not unit_word and lay is not None and lay.place_date is not None:
            # "ỦY BAN NHÂN DÂN" alone: the place line names the seat, which is the unit itself
            place = lay.place_date.place
            units = _place_units(place, None, None, None, context, era)
            unit = units[0] if units else None
            if unit is None and not places.find_district(place):
                units = _commune_units(place, None, None, context, era)   # not a province nor a district
                unit = units[0] if units else None
            if unit is not None:
                unit_word, level = unit.type, unit.level
        if unit is not None and unit.level == "district" and unit_word and unit_word != unit.type \
                and unit_word in ("huyện", "quận", "thị xã"):
            level = "district"
        if unit_word == "thành phố" and unit is not None:
            level = unit.level
        if unit is not None and len(units) > 1 and unit.level == "commune" and \
                len({(u.province, u.district) for u in units}) > 1:
            unit = places.Unit(unit.code, unit.name, unit.type, "commune", unit.era, None)   # where: unknown
        return _unit_fields(f"{body} {unit_word}".strip(), "state", level or "province", unit, place, units[1:],
                            context)
    if parent:                                  # SỞ X under UBND TỈNH Y; BAN X under TỈNH ỦY Y
        outer = _issuer_from_lines([parent.replace("ĐẢNG BỘ", "").strip()], context, lay) or {}
        return dict(outer, issuer=_body_under(" ".join(own), outer), level=outer.get("level"))
    return None


def _body_under(name: str, outer: Mapping[str, object]) -> str:
    """"SỞ Y TẾ" under "UBND TỈNH X" -> "Sở Y tế tỉnh X": the data table's spelling, the parent's unit."""
    known = _body_names().get(key(name))
    shown = known or _sentence_case(name)
    parent = str(outer.get("issuer") or "")
    unit = _PARENT_UNIT.search(parent)
    where = unit.group(0) if unit else str(outer.get("province") or "")
    return f"{shown} {where}".strip()


_PARENT_UNIT = re.compile(r"(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn) .+$"
                          r"|(?<=Ủy ban nhân dân )Quận .+$")


@cache
def _body_names() -> dict[str, str]:
    """Key -> spelling of the bodies the issuer table names (Sở Lao động - Thương binh và Xã hội ...)."""
    return {key(row["name"]): row["name"] for row in _issuer_rows()}


def _province_district(unit: places.Unit | None) -> tuple[str | None, str | None]:
    """(province, district) of a gazetteer unit."""
    if unit is None:
        return None, None
    if unit.level == "province":
        return unit.name, None
    if unit.level == "commune":
        return unit.province, unit.district
    return unit.province, unit.name


def _where(u: places.Unit) -> str:
    if u.level == "commune":
        return f"{u.province}/{u.district}" if u.district else str(u.province)
    return u.name if u.level == "province" else f"{u.province}/{u.name}"


def _unit_fields(name: str, branch: str, level: str, unit: places.Unit | None, place: str,
                 others: Sequence[places.Unit] = (), context: Iterable[str] = ()) -> dict[str, object]:
    province, district = _province_district(unit)
    if unit is None and level == "commune" and place:
        # a commune the gazetteer does not place: its province is the one the text names most
        province = next(iter(context), None)
    shown = (unit.base_name if unit is not None else place.title()) if (unit or place) else ""
    for word in ("quận", "phường", "huyện", "xã"):          # "Quận 8", "Phường 3": the name says its type
        if name.endswith(" " + word) and key(shown).startswith(word + " "):
            name = name[: -len(word) - 1]
    issuer = f"{name} {shown}".strip()
    return {"issuer": issuer, "branch": branch, "level": level, "province": province, "district": district,
            "candidates": tuple(_where(u) for u in others)}


def _signature(lines: list[tuple[int, int, str]]) -> tuple[Signer | None, tuple[int, int] | None]:
    """The last signature block: capacity prefixes, position, name."""
    found = _last_position(lines)
    return _signer_at(lines, *found) if found else (None, None)


def _last_position(lines: list[tuple[int, int, str]]) -> tuple[int, re.Match[str]] | None:
    """The index of the last position line (CHỦ TỊCH, BÍ THƯ...) and its match, or None."""
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i][2]
        m = _POSITION_LINE.match(line.upper() if line.isupper() else line)
        if m:
            return i, m
    return None


def _signer_at(lines: list[tuple[int, int, str]], i: int, m: re.Match[str]
               ) -> tuple[Signer, tuple[int, int] | None]:
    """The signer of the block whose position line is ``lines[i]``, matched as ``m``."""
    title = _POSITIONS[m.group("title")]
    capacity = on_behalf = None
    for j in range(i - 1, max(-1, i - 1 - _CAPACITY_REACH), -1):
        c = _CAPACITY.match(lines[j][2])
        if c:
            capacity = capacity or c.group("cap")          # the prefix closest to the title
            if c.group("cap") in ("TM.", "T/M"):
                on_behalf = _sentence_case(c.group("rest")) if c.group("rest") else None
                if on_behalf:
                    on_behalf = on_behalf.replace("thường vụ", "Thường vụ").replace("ủy ban", "Ủy ban")
    for k in range(i + 1, min(len(lines), i + 6)):
        n = _NAME.match(lines[k][2])
        if n and not _POSITION_LINE.match(lines[k][2]) and len(n.group("name").split()) >= 2:
            name = n.group("name")
            if name.isupper():
                name = " ".join(w.capitalize() for w in name.split())
            return Signer(name, title, capacity, on_behalf), (lines[k][0], lines[k][0] + len(name))
    return Signer("", title, capacity, on_behalf), None


def _last_signature(text: str, start: int) -> tuple[Signer | None, tuple[int, int] | None]:
    """``_signature(_lines(text, start))``, reading only the last lines when the block is among them."""
    cut = text.rfind("\n", start, max(start, len(text) - _SIGNATURE_REACH))
    if cut >= 0:
        lines = _lines(text, cut + 1)
        found = _last_position(lines)
        if found and found[0] >= _CAPACITY_REACH:          # the lines above it that count are read too
            return _signer_at(lines, *found)
    return _signature(_lines(text, start))


def _lines(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, stripped line) of the non-blank lines of ``text[start:end]``."""
    out = []
    pos = start
    for raw in text[start:end].split("\n"):
        line = raw.strip()
        if line:
            lead = len(raw) - len(raw.lstrip())
            out.append((pos + lead, pos + lead + len(line), line))
        pos += len(raw) + 1
    return out


def _recipients_start(text: str, start: int) -> int | None:
    """Where the list under the first "Nơi nhận:" line from ``start`` on begins, or None.

    The line may begin with spaces, ``*`` and ``_`` (Markdown); ``start`` counts as a line start.
    """
    for m in _RECIPIENTS.finditer(text, start):
        line_start = max(start, text.rfind("\n", start, m.start()) + 1)
        if _RECIPIENTS_INDENT.fullmatch(text, line_start, m.start()):
            return m.end()
    return None


def extract_metadata(ct: CleanText, source: str, manifest: Mapping[str, str] | None = None
                     ) -> tuple[Metadata, int, int, list[str]]:
    """The document's own metadata.

    Returns:
        (metadata, header_end, title_end, warnings): clean-text offsets where the header
        block ends (the type line) and where the title (trích yếu) ends, so that
        references know what is the document's own number and where the preamble starts.
    """
    text = ct.text
    b = _Builder(ct, source)
    warnings: list[str] = []

    # 1. the header's blocks (layout.py), then the fields they hold
    lay = layout.read_layout(text)
    header_end, title_end = lay.header_end, lay.title_end
    if lay.type_cell is not None and lay.type_name:
        word = lay.type_cell.text.split("  ")[0]
        b.set("type", lay.type_name, (lay.type_cell.start, lay.type_cell.start + len(word)))
    if lay.title is not None:
        b.set("title", lay.title.text, (lay.title.start, lay.title.end))

    # 2. the header block: number, place and date, issuer lines
    nm = _own_number(b, lay, text, source, warnings)
    if lay.place_date is not None and not _NOT_A_PLACE.search(lay.place_date.place):
        b.set("date", lay.place_date.date, lay.place_date.date_span)
        b.set("place", lay.place_date.place, lay.place_date.place_span)
    issuer_lines = [_LEADING_NOISE.sub("", c.text) for c in lay.issuer if c.text.strip(" *")]
    context = _Context(text)
    central = _central_issuer(issuer_lines, nm)
    header_fields = None
    if central is not None:
        hspan = (lay.issuer[0].start, lay.issuer[-1].end) if lay.issuer else None
        b.set("issuer", central.name, hspan)
        b.set("branch", central.family)
        b.set("level", "central")
    else:
        header_fields = _issuer_from_lines(issuer_lines, context, lay, nm)
        if not (header_fields and header_fields.get("issuer")) and lay.authority is not None:
            # no issuer block: the enacting body under the title names the issuer
            named = _AUTHORITY_TAIL.sub("", _AUTHORITY_HEAD.sub("", lay.authority.text)).strip()
            central = _central_issuer([named], None) if _central_names().get(key(named)) else None
            if central is not None:
                b.set("issuer", central.name, (lay.authority.start, lay.authority.end))
                b.set("branch", central.family)
                b.set("level", "central")
            else:
                header_fields = _issuer_from_lines([named], context, lay, nm)
        bare = header_fields and str(header_fields.get("issuer", "")).startswith("Ủy ban nhân dân")
        if bare and nm is not None \
                and nm.issuer_code not in ("UBND", "HĐND") and nm.level in ("province", "district"):
            # "ỦY BAN NHÂN DÂN" printed over a number of "SGDĐT": the department issued it, under that UBND
            dept = numbers.issuers().get(nm.issuer_code.upper())
            if dept is not None and len(issuer_lines) == 1:
                header_fields = dict(header_fields, issuer=_body_under(dept.name, header_fields))
        if header_fields:
            hspan = (lay.issuer[0].start, lay.issuer[-1].end) if lay.issuer else None
            for f in ("issuer", "branch", "level", "province", "district", "candidates"):
                b.set(f, header_fields.get(f) or None, hspan if f == "issuer" else None)
    if central is not None and central.code == "TW" and nm is not None:
        _central_party_body(b, text, nm)
        named = _central_names().get(key(lay.authority.text)) if lay.authority is not None else None
        if named is not None and named.code == "TW":     # "CHỈ THỊ / CỦA BỘ CHÍNH TRỊ": the body below
            b.set("issuer", named.name, (lay.authority.start, lay.authority.end), overwrite=True)
    if lay.branch_motto:
        b.set("branch", lay.branch_motto)
    if nm is not None:
        b.set("branch", nm.family, inferred=True)
    if not lay.has_header:
        for a, e, _ in _lines(text, 0, min(len(text), _LEAD_REACH))[:_SENTENCE_LINES]:
            read = _title_sentence(b, text, a, e, None)
            if read is not None:
                nm = nm or read
                break
    if not lay.has_header:
        _lead_sentence(b, text, lay)
    _site_fields(b, lay, nm)
    if "date" not in b.values and "number" not in b.values:
        # an attached text (Quy chế, Quy định ...) is dated by the decision it is issued with
        att = _ATTACHED.search(text, 0, min(len(text), layout.HEAD_LIMIT))
        if att is not None:
            dm = dates.DATE_RE.search(att.group(0))
            if dm is not None:
                b.set("date", dates.from_match(dm), (att.start() + dm.start(), att.start() + dm.end()),
                      inferred=True)

    if "number" not in b.values:
        _consolidated_number(b, text)
    if "date" not in b.values:
        # a Luật, a Pháp lệnh, a Nghị quyết of Quốc hội has no date line: it is dated the day it was passed
        passed = _PASSED.search(text, max(0, len(text) - _PASSED_REACH))
        if passed is not None:
            b.set("date", dates.from_match(passed), passed.span())

    # 3. signature and recipients
    tail_start = max(0, len(text) - 3000)
    signer, sspan = _last_signature(text, tail_start)
    if signer is not None and signer.name:
        b.set("signer", signer, sspan)
    listed = _recipients_start(text, tail_start)
    recipients: list[str] = []
    if listed is not None:
        for line in _STRIPPED_LINE.findall(text, listed):
            if line.startswith(("-", "+", "•")):
                recipients.append(line.lstrip("-+• ").rstrip(";,. "))
            elif recipients:
                break
    if signer is not None:
        if signer.on_behalf_of and "thường vụ" in signer.on_behalf_of.lower() or signer.title in ("Bí thư", "Phó Bí thư"):
            b.set("branch", "party", inferred=True)
        elif signer.title in ("Chủ tịch", "Phó Chủ tịch"):
            b.set("branch", "state", inferred=True)

    if (header_fields and header_fields.get("branch") == "party" and signer is not None and signer.on_behalf_of
            and "thường vụ" in signer.on_behalf_of.lower() and not str(b.values.get("issuer", "")).startswith("Ban")):
        b.set("issuer", f"Ban Thường vụ {b.values['issuer']}", overwrite=True)

    # 4. what the body says about the issuer when the header does not
    if "issuer" not in b.values:
        _infer_issuer(b, text, title_end, signer)
    if "type" not in b.values:
        tm = _TYPE_IN_BODY.search(text)
        if nm is not None and nm.type:
            b.set("type", nm.type, inferred=True)
        elif lay.page_type:
            b.set("type", lay.page_type, inferred=True)
        elif tm:
            found = tm.group(1) or tm.group(2) or tm.group(3)
            b.set("type", found[:1].upper() + found[1:], tm.span(), inferred=True)

    # 5. the manifest wins; say where it disagrees
    if manifest:
        for f, given in manifest.items():
            if f not in ("type", "number", "date", "issuer", "province", "district", "title", "level", "branch"):
                continue
            old = b.values.get(f)
            if old is not None and key(str(old)) != key(str(given)):
                warnings.append(f"{source}: manifest says {f} = {given!r}, the text says {old!r}; using the manifest")
            b.set(f, given, overwrite=True)
            b.evidence.pop(f, None)
        if manifest.get("province") and not manifest.get("district") and b.values.get("level") == "province":
            b.values.pop("district", None)

    _name_on_date(b)
    _district_on_date(b)
    v = b.values
    meta = Metadata(
        type=v.get("type"), number=v.get("number"), date=v.get("date"), issuer=v.get("issuer"),
        branch=v.get("branch"), level=v.get("level"), province=v.get("province"), district=v.get("district"),
        place=v.get("place"), title=v.get("title"), signer=v.get("signer"), recipients=tuple(recipients),
        inferred=tuple(sorted(b.inferred)), evidence=tuple(sorted(b.evidence.items())),
        candidates=tuple(v.get("candidates") or ()))
    return meta, header_end, title_end, warnings


def _infer_issuer(b: _Builder, text: str, title_end: int, signer: Signer | None) -> None:
    """Issuer, level and jurisdiction from the body, marked as inferred."""
    m = _SELF_ISSUER.search(text, title_end, min(len(text), title_end + 4000))
    body = unit_word = place = None
    span = None
    if m:
        body, unit_word, place = m.group("body"), m.group("unit"), (m.group("place") or "").strip()
        body = "Ủy ban nhân dân" if body == "ủy ban nhân dân" else body
        unit_word = unit_word.lower() if unit_word else None
        span = m.span()
    branch = b.values.get("branch")
    if body:
        branch = "state" if body in ("Ủy ban nhân dân", "UBND") else "party"
    elif signer is not None and signer.on_behalf_of:
        branch = "state" if "ủy ban" in signer.on_behalf_of.lower() else "party"
    level = _UNIT_LEVEL.get(unit_word or "")
    committee = None
    party = _PARTY_COMMITTEE.search(body) if body else None
    if party:
        kind = party.group(1).lower()
        committee = _COMMITTEE_NAME[kind]
        level = level or {"tỉnh": "province", "huyện": "district", "quận": "district", "thị": "district"}.get(kind)
    # where: the scope phrase, the header place, the provincial newspaper, the places named most often
    context = _Context(text)
    era = places.era_of(b.values.get("date") if isinstance(b.values.get("date"), str) else None)
    if not place and level == "commune" and b.values.get("place"):
        place = str(b.values["place"])             # a commune's seat is the commune: "Hưng Đạo, ngày ..."
    alternatives: list[places.Unit] = []
    units = _place_units(place, level, None, unit_word, context, era) if place else []
    unit = units[0] if units else None
    alternatives = units[1:]
    if unit is not None and unit.level == "commune" and len({(u.province, u.district) for u in units}) > 1:
        unit, alternatives = None, []              # a commune name found in several places: where is unknown
    scope_unit = None
    scope_alternatives: list[places.Unit] = []
    for s in _SCOPE.finditer(text):
        u_level = _UNIT_LEVEL.get(s.group("unit"))
        cands = _place_units(s.group("place"), u_level, None, s.group("unit"), context)
        cand = cands[0] if cands else None
        if cand is not None:
            scope_unit = cand
            scope_alternatives = cands[1:]
            if level is None or cand.level == level:
                break
    if unit is None and scope_unit is not None and (level is None or scope_unit.level == level or
                                                    (level == "province" and scope_unit.level == "province")):
        unit, alternatives = scope_unit, scope_alternatives
    if unit is None and b.values.get("place"):
        units = _place_units(str(b.values["place"]), level, None, None, context)
        unit, alternatives = (units[0], units[1:]) if units else (None, [])
    if unit is None:
        counts: Counter[tuple[str, str]] = Counter()
        keep: dict[tuple[str, str], places.Unit] = {}
        for n in _NEWSPAPER.finditer(text):
            p = places.find_province(n.group("place"))
            if p is not None:
                counts[("province", p.name)] += 3
                keep[("province", p.name)] = p
        for n in _NEWS_SITE.finditer(text, 0, min(len(text), 3000)):
            p = _province_slugs().get(n.group("slug"))      # "baophutho.vn": the Phú Thọ newspaper
            if p is not None:
                counts[("province", p.name)] += 3
                keep[("province", p.name)] = p
        for h in places.find_places(text):
            counts[(h.unit.level, h.unit.name)] += 1
            keep[(h.unit.level, h.unit.name)] = h.unit
        wanted = [k for k, _ in counts.most_common() if level is None or k[0] == level]
        if wanted:
            unit = keep[wanted[0]]
    if level is None and unit is not None:
        level = unit.level
    if level is None and unit_word is None and body in ("UBND", "Ủy ban nhân dân"):
        level = "province"
    province, district = _province_district(unit)
    if level == "province" and unit is not None and unit.level == "district":
        province, district = unit.province, None
    if branch == "state":
        word = unit_word or ("tỉnh" if level == "province" else None)
        if unit is not None and unit.level == level and not unit_word:      # the text's own unit word wins
            word = unit.type
        own = (unit.base_name if unit is not None and unit.level == level else
               (place or None) if level == "commune" else district or province)
        name = " ".join(x for x in ("Ủy ban nhân dân", word, own) if x)
    elif branch == "party":
        if committee is None:
            if unit is not None and unit.level == "district":
                committee = {"huyện": "Huyện ủy", "quận": "Quận ủy", "thị xã": "Thị ủy"}.get(unit.type, "Thành ủy")
            elif unit is not None:
                committee = "Thành ủy" if unit.type == "thành phố" else "Tỉnh ủy"
            else:
                committee = "Tỉnh ủy"
        lead = "Ban Thường vụ " if (body and body.startswith("Ban Thường vụ")) or (
            signer and signer.on_behalf_of and "thường vụ" in signer.on_behalf_of.lower()) else ""
        if body and body.startswith("Ban Chấp hành Đảng bộ"):
            name = f"Ban Chấp hành Đảng bộ {unit_word or 'tỉnh'} {district or province or ''}".strip()
        else:
            name = f"{lead}{committee} {district or province or ''}".strip()
    else:
        name = None
    b.set("branch", branch, inferred=True)
    b.set("issuer", name, span, inferred=True)
    b.set("province", province, inferred=True)
    if name is None:
        return              # no body says who issued: the places the text names give the province only
    b.set("level", level, span, inferred=True)
    b.set("district", district if level in ("district", "commune") else None, inferred=True)
    if alternatives and unit is not None:
        b.set("candidates", tuple(_where(u) for u in alternatives if u.level == unit.level))


def with_manifest(meta: Metadata, manifest: Mapping[str, str]) -> Metadata:
    """``meta`` with the manifest's values (used when records are re-read from a cache)."""
    fields: dict[str, Any] = {k: v for k, v in manifest.items()
                              if k in {"type", "number", "date", "issuer", "province", "district", "title"}}
    return replace(meta, **fields)
