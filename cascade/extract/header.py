"""A document's own metadata: header, type line, title, signature, recipients.

The header of a state document (NĐ 30/2020) or a Party document (HD 36/2018) gives the
issuing body, the number, the place and the date. Three of the five sample plans have
lost their header in conversion: then the issuer and the jurisdiction are inferred from
the body ("UBND tỉnh xây dựng kế hoạch...", "trên địa bàn huyện Phú Thiện", "Báo Bình
Thuận") and listed in ``Metadata.inferred``.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from typing import Any

from cascade.extract import layout, numbers
from cascade.extract.fields import FieldBuilder
from cascade.extract.issuers import (
    COMMITTEE_NAME,
    UNIT_LEVEL,
    body_under,
    central_issuer,
    central_names,
    issuer_from_lines,
    place_units,
    province_district,
    unit_where,
)
from cascade.extract.signature import last_signature, recipients_start, text_lines
from cascade.extract.title import (
    LEAD_REACH,
    PASSED_REACH,
    consolidated_number,
    lead_sentence,
    own_number,
    title_sentence,
)
from cascade.models import Metadata, Signer
from cascade.text.normalize import UPPER, CleanText, ascii_fold, key
from cascade.text.phrases import lower_case
from cascade.vn import dates, place_mentions, places

# "UBND tỉnh xây dựng kế hoạch", "Ủy ban nhân dân huyện Ia H'Drai ban hành Kế hoạch",
# "Ban Thường vụ Huyện ủy ..."
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


_PARTY_COMMITTEE = re.compile(r"(Tỉnh|Thành|Huyện|Quận|Thị)\s+ủy")
_NOT_A_PLACE = re.compile(r"[/]|\d{3}")
_DATE = re.compile(dates.DATE)
_TYPE_IN_BODY = re.compile(r"ban hành\s{1,3}(Kế hoạch|Chương trình|Quyết định|Hướng dẫn)"
                           r"|(Kế hoạch|Quyết định|Chương trình|Quy chế|Quy định|Hướng dẫn|Thông báo"
                           r"|Đề án) này"
                           r"|(?:UBND|Ủy ban nhân dân)(?: (?:tỉnh|huyện|quận|thị xã|xã|phường))? (thông báo) "
                           r"(?=để|cho|đến|về|lịch)")
_STRIPPED_LINE = re.compile(r"\S(?:[^\n]*\S)?")      # a line without the white space around it


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
    for h in place_mentions.find_places(text):
        if h.unit.level == "province":
            counts[h.unit.name] += 1
        elif h.unit.province and len(places.find_district(h.unit.name)) == 1:   # a district name found once
            counts[h.unit.province] += 1
    return tuple(p for p, _ in counts.most_common() if p)


# "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ": the position is not the body; "... KHÓA III - KỲ HỌP THỨ 14": nor the term
_AUTHORITY_HEAD = re.compile(r"^(?:CHỦ TỊCH|THỦ TƯỚNG|BỘ TRƯỞNG|GIÁM ĐỐC"
                             r"|TRƯỞNG BAN)[ ]{1,3}(?=[" + UPPER + r"]{2})")
_AUTHORITY_TAIL = re.compile(r"[ ,-]{1,3}(?:KHÓA|KHOÁ|NHIỆM KỲ|KỲ HỌP|VỀ|V/V)\b[^\n]{0,80}$")
_ATTACHED = re.compile(r"\((?:[Bb]an hành\s{1,3})?[Kk]èm theo[^()]{0,200}\)")
_LEADING_NOISE = re.compile(r"^[a-zđ](?=[A-ZĐ" + UPPER[3:] + r"]{2})")   # "cBAN CHẤP HÀNH": a stray letter


_SENTENCE_LINES = 6                 # a title sentence opens the page: it is looked for in its first lines


#: "... được Quốc hội ... khóa XV, kỳ họp thứ 8 thông qua ngày 29 tháng 11 năm 2024": the closing sentence
#: of a Luật or a Nghị quyết of Quốc hội (and of a Pháp lệnh of its standing committee)
_PASSED = re.compile(r"thông[ ]{1,3}qua[ ]{1,3}" + dates.DATE, re.IGNORECASE)


def _name_on_date(b: FieldBuilder) -> None:
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


def _district_on_date(b: FieldBuilder) -> None:
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


def _district_gone(b: FieldBuilder, source: str, warnings: list[str]) -> None:
    """Warn when a district's document is dated after its district was merged away (a 2022 plan of
    "Quận 9", merged into Thủ Đức on 1 January 2021). The header is kept as written: a wrong date
    (or a year misread) is likelier than a body that no longer existed."""
    v = b.values
    district, province, date = v.get("district"), v.get("province"), v.get("date")
    if v.get("level") != "district" or not (isinstance(district, str) and isinstance(province, str)
                                            and isinstance(date, str)):
        return
    units = places.find_district(district, province)
    if not units or not all(u.former and u.valid_to and date > u.valid_to for u in units):
        return
    u = units[0]
    into = f" into {u.successor}" if u.successor else ""
    name = u.base_name if u.base_name.lower().startswith(u.type) else f"{u.type} {u.base_name}"   # Quận 9
    warnings.append(f"{source}: {name} was merged{into} after {u.valid_to}, "
                    f"but the document is dated {date}; check the date")


_TW_BODY = re.compile(r"[ ]{0,3},?[ ]{0,3}(?:ngày[ ]{1,3}[\d/.-]{6,10}[ ]{0,3},?[ ]{0,3})?của[ ]{1,3}"
                      r"(?P<body>Bộ Chính trị|Ban Bí thư)")


def _central_party_body(b: FieldBuilder, text: str, nm: numbers.DocNumber) -> None:
    """The Party's central header is always "BAN CHẤP HÀNH TRUNG ƯƠNG"; the body that issued under it
    (Bộ Chính trị, Ban Bí thư) is named where the text gives the document's own number
    "... của Bộ Chính trị"."""
    pos = 0
    while (at := text.find(nm.text, pos, min(len(text), layout.HEAD_LIMIT))) >= 0:
        m = _TW_BODY.match(text, at + len(nm.text))
        if m is not None:
            b.set("issuer", m.group("body"), m.span("body"), inferred=True, overwrite=True)
            return
        pos = at + len(nm.text)


def _site_fields(b: FieldBuilder, lay: layout.Layout, nm: numbers.DocNumber | None) -> None:
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
        central = central_names().get(key(site["issuer"][0]))
        if central is None and nm is not None and nm.level == "central":
            central = central_issuer([site["issuer"][0]], nm)
        if central is not None:
            b.set("issuer", central.name, site["issuer"][1], inferred=True)
            b.set("branch", central.family, inferred=True)
            b.set("level", "central", inferred=True)


def extract_metadata(ct: CleanText, source: str, manifest: Mapping[str, str] | None = None
                     ) -> tuple[Metadata, int, int, list[str]]:
    """The document's own metadata.

    Returns:
        (metadata, header_end, title_end, warnings): clean-text offsets where the header
        block ends (the type line) and where the title (trích yếu) ends, so that
        references know what is the document's own number and where the preamble starts.
    """
    text = ct.text
    b = FieldBuilder(ct, source)
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
    nm = own_number(b, lay, text, source, warnings)
    if lay.place_date is not None and not _NOT_A_PLACE.search(lay.place_date.place):
        b.set("date", lay.place_date.date, lay.place_date.date_span)
        b.set("place", lay.place_date.place, lay.place_date.place_span)
    issuer_lines = [_LEADING_NOISE.sub("", c.text) for c in lay.issuer if c.text.strip(" *")]
    context = _Context(text)
    central = central_issuer(issuer_lines, nm)
    header_fields = None
    if central is not None:
        hspan = (lay.issuer[0].start, lay.issuer[-1].end) if lay.issuer else None
        b.set("issuer", central.name, hspan)
        b.set("branch", central.family)
        b.set("level", "central")
    else:
        header_fields = issuer_from_lines(issuer_lines, context, lay, nm)
        if not (header_fields and header_fields.get("issuer")) and lay.authority is not None:
            # no issuer block: the enacting body under the title names the issuer
            named = _AUTHORITY_TAIL.sub("", _AUTHORITY_HEAD.sub("", lay.authority.text)).strip()
            central = central_issuer([named], None) if central_names().get(key(named)) else None
            if central is not None:
                b.set("issuer", central.name, (lay.authority.start, lay.authority.end))
                b.set("branch", central.family)
                b.set("level", "central")
            else:
                header_fields = issuer_from_lines([named], context, lay, nm)
        bare = header_fields and str(header_fields.get("issuer", "")).startswith("Ủy ban nhân dân")
        if bare and nm is not None \
                and nm.issuer_code not in ("UBND", "HĐND") and nm.level in ("province", "district"):
            # "ỦY BAN NHÂN DÂN" printed over a number of "SGDĐT": the department issued it, under that UBND
            dept = numbers.issuers().get(nm.issuer_code.upper())
            if dept is not None and len(issuer_lines) == 1 and header_fields:
                header_fields = dict(header_fields, issuer=body_under(dept.name, header_fields))
        if header_fields:
            hspan = (lay.issuer[0].start, lay.issuer[-1].end) if lay.issuer else None
            for f in ("issuer", "branch", "level", "province", "district", "candidates"):
                b.set(f, header_fields.get(f) or None, hspan if f == "issuer" else None)
    if central is not None and central.code == "TW" and nm is not None:
        _central_party_body(b, text, nm)
        below = central_names().get(key(lay.authority.text)) if lay.authority is not None else None
        # "CHỈ THỊ / CỦA BỘ CHÍNH TRỊ": the body below the type line
        if below is not None and below.code == "TW" and lay.authority is not None:
            b.set("issuer", below.name, (lay.authority.start, lay.authority.end), overwrite=True)
    if lay.branch_motto:
        b.set("branch", lay.branch_motto)
    if nm is not None:
        b.set("branch", nm.family, inferred=True)
    if not lay.has_header:
        for a, e, _ in text_lines(text, 0, min(len(text), LEAD_REACH))[:_SENTENCE_LINES]:
            read = title_sentence(b, text, a, e, None)
            if read is not None:
                nm = nm or read
                break
    if not lay.has_header:
        lead_sentence(b, text, lay)
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
        consolidated_number(b, text)
    if "date" not in b.values:
        # a Luật, a Pháp lệnh, a Nghị quyết of Quốc hội has no date line: it is dated the day it was passed
        start = max(0, len(text) - PASSED_REACH)
        # a match holds "thông" in some case: looked for first in the lower-cased text (which the layout
        # made already), much faster than the pattern's case-insensitive scan
        passed = _PASSED.search(text, start) if lower_case(text).find("thông", start) >= 0 else None
        if passed is not None:
            b.set("date", dates.from_match(passed), passed.span())

    # 3. signature and recipients
    tail_start = max(0, len(text) - 3000)
    signer, sspan = last_signature(text, tail_start)
    if signer is not None and signer.name:
        b.set("signer", signer, sspan)
    listed = recipients_start(text, tail_start)
    recipients: list[str] = []
    if listed is not None:
        for line in _STRIPPED_LINE.findall(text, listed):
            if line.startswith(("-", "+", "•")):
                recipients.append(line.lstrip("-+• ").rstrip(";,. "))
            elif recipients:
                break
    if signer is not None:
        if signer.on_behalf_of and "thường vụ" in signer.on_behalf_of.lower() \
                or signer.title in ("Bí thư", "Phó Bí thư"):
            b.set("branch", "party", inferred=True)
        elif signer.title in ("Chủ tịch", "Phó Chủ tịch"):
            b.set("branch", "state", inferred=True)

    if (header_fields and header_fields.get("branch") == "party" and signer is not None
            and signer.on_behalf_of and "thường vụ" in signer.on_behalf_of.lower()
            and not str(b.values.get("issuer", "")).startswith("Ban")):
        b.set("issuer", f"Ban Thường vụ {b.values['issuer']}", overwrite=True)

    # 4. what the body says about the issuer when the header does not
    if "issuer" not in b.values:
        _infer_issuer(b, text, title_end, signer)
    if "type" not in b.values:
        if nm is not None and nm.type:
            b.set("type", nm.type, inferred=True)
        elif lay.page_type:
            b.set("type", lay.page_type, inferred=True)
        elif tm := _TYPE_IN_BODY.search(text):            # searched only when the others say nothing
            found = tm.group(1) or tm.group(2) or tm.group(3)
            b.set("type", found[:1].upper() + found[1:], tm.span(), inferred=True)

    # 5. the manifest wins; say where it disagrees
    if manifest:
        for f, given in manifest.items():
            if f not in ("type", "number", "date", "issuer", "province", "district", "title", "level",
                         "branch"):
                continue
            old = b.values.get(f)
            if old is not None and key(str(old)) != key(str(given)):
                warnings.append(f"{source}: manifest says {f} = {given!r}, the text says {old!r}; "
                                "using the manifest")
            b.set(f, given, overwrite=True)
            b.evidence.pop(f, None)
        if manifest.get("province") and not manifest.get("district") and b.values.get("level") == "province":
            b.values.pop("district", None)

    _name_on_date(b)
    _district_on_date(b)
    _district_gone(b, source, warnings)
    v = b.values
    meta = Metadata(
        type=v.get("type"), number=v.get("number"), date=v.get("date"), issuer=v.get("issuer"),
        branch=v.get("branch"), level=v.get("level"), province=v.get("province"), district=v.get("district"),
        place=v.get("place"), title=v.get("title"), signer=v.get("signer"), recipients=tuple(recipients),
        inferred=tuple(sorted(b.inferred)), evidence=tuple(sorted(b.evidence.items())),
        candidates=tuple(v.get("candidates") or ()))
    return meta, header_end, title_end, warnings


def _infer_issuer(b: FieldBuilder, text: str, title_end: int, signer: Signer | None) -> None:
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
    level = UNIT_LEVEL.get(unit_word or "")
    committee = None
    party = _PARTY_COMMITTEE.search(body) if body else None
    if party:
        kind = party.group(1).lower()
        committee = COMMITTEE_NAME[kind]
        level = level or {"tỉnh": "province", "huyện": "district", "quận": "district",
                          "thị": "district"}.get(kind)
    # where: the scope phrase, the header place, the provincial newspaper, the places named most often
    context = _Context(text)
    era = places.era_of(b.values.get("date") if isinstance(b.values.get("date"), str) else None)
    if not place and level == "commune" and b.values.get("place"):
        place = str(b.values["place"])             # a commune's seat is the commune: "Hưng Đạo, ngày ..."
    alternatives: list[places.Unit] = []
    units = place_units(place, level, None, unit_word, context, era) if place else []
    unit = units[0] if units else None
    alternatives = units[1:]
    if unit is not None and unit.level == "commune" and len({(u.province, u.district) for u in units}) > 1:
        unit, alternatives = None, []              # a commune name found in several places: where is unknown
    scope_unit = None
    scope_alternatives: list[places.Unit] = []
    for s in _SCOPE.finditer(text):
        u_level = UNIT_LEVEL.get(s.group("unit"))
        cands = place_units(s.group("place"), u_level, None, s.group("unit"), context)
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
        units = place_units(str(b.values["place"]), level, None, None, context)
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
        for h in place_mentions.find_places(text):
            counts[(h.unit.level, h.unit.name)] += 1
            keep[(h.unit.level, h.unit.name)] = h.unit
        wanted = [k for k, _ in counts.most_common() if level is None or k[0] == level]
        if wanted:
            unit = keep[wanted[0]]
    if level is None and unit is not None:
        level = unit.level
    if level is None and unit_word is None and body in ("UBND", "Ủy ban nhân dân"):
        level = "province"
    province, district = province_district(unit)
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
                committee = {"huyện": "Huyện ủy", "quận": "Quận ủy",
                             "thị xã": "Thị ủy"}.get(unit.type, "Thành ủy")
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
        b.set("candidates", tuple(unit_where(u) for u in alternatives if u.level == unit.level))


def with_manifest(meta: Metadata, manifest: Mapping[str, str]) -> Metadata:
    """``meta`` with the manifest's values (used when records are re-read from a cache)."""
    fields: dict[str, Any] = {k: v for k, v in manifest.items()
                              if k in {"type", "number", "date", "issuer", "province", "district", "title"}}
    return replace(meta, **fields)
