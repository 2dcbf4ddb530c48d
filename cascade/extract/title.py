"""The type line, the own number and the title of a document, and the sentences that state them.

The number may be printed in the number cell, only inside the title sentence ("CHỈ THỊ ... SỐ
16/2001/CT-TTg NGÀY ..."), at the end of a consolidated text (VBHN), or in a lead sentence that
a news site prints before the text ("Ban Thường vụ Tỉnh ủy ban hành Kế hoạch số ...").
"""
from __future__ import annotations

import re

from cascade.extract import layout, numbers
from cascade.extract.fields import FieldBuilder
from cascade.extract.issuers import folded_names
from cascade.text.normalize import fold_letters, key
from cascade.vn import dates

_BLANK_NUMBER = re.compile(r"[ *_]*(?:Số"
                           r"|SỐ)\s*:?\s*[ .…_]*(?P<sym>/\s?[A-ZĐ][A-Za-zĐđ&]*(?:-[A-ZĐ][A-Za-zĐđ&0-9]*)*)")
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
LEAD_REACH = 1500
# the most characters a _LEAD_ISSUED match holds before its verb ("ban hành", "xây dựng"): "Ngày", a date
# and a comma (4 + 3 + 20 + 7), the issuer (17 + 60), the spaces, "đã"/"vừa" and "ký " (3 + 6 + 3)
_LEAD_VERB_REACH = 34 + 77 + 12
# ... and from its verb on: the verb, the type, "số", the number and its date (8 + 3 + 12 + 3 + 5 + 31 + 24)
_LEAD_VERB_TAIL = 8 + 3 + 12 + 3 + 5 + 31 + 24


def own_number(b: FieldBuilder, lay: layout.Layout, text: str, source: str,
                warnings: list[str]) -> numbers.DocNumber | None:
    """The document's own number: the "Số:" line, or a number printed only in the type-and-title line."""
    if lay.number_rest is not None and lay.number is not None:
        a, e = lay.number_rest
        found = numbers.find_numbers(text[a:e])
        if found and found[0][1] < 4:
            n, x, y = found[0]
            b.set("number", n.text, (a + x, a + y))
            title_sentence(b, text, lay.number.start, e, None)     # "CHỈ THỊ SỐ 05-CT/TW CỦA ... VỀ ..."
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
                    title_sentence(b, text, lay.type_cell.start, lay.title.end, lay.type_name)
                    return n
    return None


_FOLDED_TYPES = sorted(((fold_letters(k), v) for k, v in layout.TYPE_WORDS.items()),
                       key=lambda kv: -len(kv[0]))
_FOLDED_TYPE = re.compile(r"[ *#_]{0,5}(?P<type>" + "|".join(re.escape(k) for k, _ in _FOLDED_TYPES)
                          + r")[ ]{1,3}"
                          r"(?:(?P<of>cua[ ]{1,3}[^\n]{2,120}?)[ ]{1,3})?(?:so[ ]{0,3}:?[ ]{0,3})?(?=\d)")
# how _FOLDED_TYPE starts, and how far into a line it reads for it: a line whose folded first characters do
# not start so is no title sentence, and only those characters are folded to know it
_FOLDED_TYPE_HEAD = re.compile(r"[ *#_]{0,5}(?:" + "|".join(re.escape(k) for k, _ in _FOLDED_TYPES) + r")[ ]")
_FOLDED_TYPE_HEAD_READS = 5 + max(len(k) for k, _ in _FOLDED_TYPES) + 1
_FOLDED_DATE = re.compile(r"[ ,]{0,3}(?=ngay)")
_FOLDED_OF = re.compile(r"[ ,]{0,3}cua[ ]{1,3}(?P<body>[^\n]{2,150}?)(?=[ ,.:]{1,3}ve[ ]|[ ]{0,3}$)")
_FOLDED_SUBJECT = re.compile(r"[ ,.:]{0,3}(?P<subject>ve[ ]{1,3}\S[^\n]{0,600})")
_BODY_LIST = re.compile(r"[ ]{0,3}(?:,|[ ]va[ ])[ ]{0,3}")


def title_sentence(b: FieldBuilder, text: str, start: int, end: int, type_name: str | None
                    ) -> numbers.DocNumber | None:
    """A title that is one sentence: TYPE [CỦA BODY] [SỐ] NUMBER [NGÀY date] [CỦA BODY] [VỀ subject].

    Gazette indexes and news pages print documents so ("CHỈ THỊ CỦA THỦ TƯỚNG CHÍNH PHỦ SỐ
    16/2001/CT-TTg NGÀY 10 THÁNG 5 NĂM 2001 VỀ VIỆC ...", "KẾT LUẬN 127-KL/TW CỦA BỘ CHÍNH TRỊ, BAN
    BÍ THƯ VỀ ..."). Fills the number, date, issuer (a central body the table knows) and title
    that are still empty; returns the number read, or None when ``text[start:end]`` is no such title."""
    line = text[start:end]
    if not _FOLDED_TYPE_HEAD.match(fold_letters(line[:_FOLDED_TYPE_HEAD_READS])):
        return None
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
        looked = [folded_names().get(" ".join(x.split())) for x in _BODY_LIST.split(folded[body[0]:body[1]])]
        names = [x for x in looked if x is not None]
        if names and len(names) == len(looked) and n.level == "central":
            b.set("issuer", ", ".join(x.name for x in names), (start + body[0], start + body[1]),
                  overwrite=True)
            b.set("level", "central")
    subject = _FOLDED_SUBJECT.match(folded, at)
    if subject is not None and (dm is not None or of is not None or "title" not in b.values):
        a, e = subject.span("subject")
        b.set("title", line[a:e].strip(), (start + a, start + a + len(line[a:e].strip())), overwrite=True)
    return n


PASSED_REACH = 6000
# a consolidated text (VBHN) prints its own number after the certification at the end
_CONSOLIDATED = re.compile(r"XÁC[ ]{1,3}THỰC[ ]{1,3}VĂN[ ]{1,3}BẢN[ ]{1,3}HỢP[ ]{1,3}NHẤT")
_END_NUMBER = re.compile(r"(?:Số|SỐ)[ ]{0,3}:?[ ]{0,3}(?=\d{1,5}/VBHN-)")


def consolidated_number(b: FieldBuilder, text: str) -> None:
    """Number and date of a consolidated text: printed after "XÁC THỰC VĂN BẢN HỢP NHẤT" at its end."""
    cm = _CONSOLIDATED.search(text, max(0, len(text) - PASSED_REACH))
    if cm is None:
        return
    nm = _END_NUMBER.search(text, cm.end())
    found = numbers.find_numbers(text[nm.end():nm.end() + 40]) if nm else []
    if nm is not None and found and found[0][1] == 0:
        b.set("number", found[0][0].text, (nm.end(), nm.end() + found[0][2]))
        b.set("type", "Văn bản hợp nhất", cm.span(), overwrite=True)
        dm = dates.DATE_RE.search(text, cm.end(), min(len(text), cm.end() + 200))
        if dm is not None:
            b.set("date", dates.from_match(dm), dm.span(), overwrite=True)


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


def lead_sentence(b: FieldBuilder, text: str, lay: layout.Layout) -> None:
    """Number, date, type and issuer of a page that reports the document instead of printing its header."""
    reach = min(len(text), LEAD_REACH)
    m = _LEAD_FULLTEXT.search(text, 0, reach) or _lead_issued(text, reach)
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


def _lead_issued(text: str, end: int) -> re.Match[str] | None:
    """``_LEAD_ISSUED.search(text, 0, end)``, read only around the verbs it needs (the same first match)."""
    verbs = [i for i in (text.find("ban hành", 0, end), text.find("xây dựng", 0, end)) if i >= 0]
    if not verbs:
        return None
    last = max(text.rfind("ban hành", 0, end), text.rfind("xây dựng", 0, end))
    return _LEAD_ISSUED.search(text, max(0, min(verbs) - _LEAD_VERB_REACH), min(end, last + _LEAD_VERB_TAIL))
