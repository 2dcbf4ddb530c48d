"""Mentions of other documents, and the relation each one carries: the references stage.

:func:`extract_references` runs the stage on a cleaned text: it finds the mentions
(:mod:`cascade.extract.mentions`), fills in what each one says about the cited document and where
it applies, and derives the relations (:mod:`cascade.extract.relations`, governed by the clauses
of :mod:`cascade.extract.clauses`): the document itself (``"self"``) implements / continues / is
based on / cites each head mention, depending on the trigger that governs it in the title or
preamble ("Thực hiện", "Triển khai", "tiếp tục thực hiện", "Căn cứ"); in the body it cites.

Jurisdiction of local numbers (…/TU, …-UBND) comes from the issuer named after "của" or,
failing that, from the citing document, with a lower confidence.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from cascade.extract import clauses, numbers
from cascade.extract.mentions import SPACES, FoundMention, find_mentions
from cascade.extract.relations import derive_relations, programme_links
from cascade.models import Evidence, Mention, Metadata, Relation
from cascade.text.normalize import CleanText, key
from cascade.vn import place_mentions, places

# -- vocabulary ---------------------------------------------------------------------------------


_SENTENCE_END = re.compile(r"\n|;|\.(?=[ \t]{1,8}[A-ZĐ\d])|:[ \t]{0,8}\n")
_UBND = re.compile(r"^(?:UBND|Ubnd)\b")
_HDND = re.compile(r"^(?:HĐND)\b")
_TINH_UY = re.compile(r"\bTỉnh uỷ\b|\btỉnh ủy\b")
_TERM_TAIL = re.compile(r"\s*+\(\s*+khóa\s++[IVXL]++\s*+\)$")
_DISTRICT_ISSUER = re.compile(r"huyện ủy|quận ủy|ủy ban nhân dân (?:huyện|quận|thị xã)"
                              r"|hội đồng nhân dân (?:huyện|quận|thị xã)"
                              r"|\bhuyện\b|\bquận\b|thị xã|thị ủy")
_PROVINCE_ISSUER = re.compile(r"tỉnh ủy|ủy ban nhân dân tỉnh|hội đồng nhân dân tỉnh|\btỉnh\b")
_ENDS_WITH_UNIT = re.compile(r"(?:ủy|tỉnh|huyện|quận|thị xã)$", re.I)
_SECTION_START = re.compile(r"^[ \t]*(?:[IVX]{1,5}[ \t]*[.\-–]|1[ \t]*[.\-][ \t]|Điều[ \t]+1\b"
                            r"|Phần[ \t]+(?:[IVX]+|thứ)"
                            r"|PHẦN[ \t]+[IVX]|QUYẾT[ \t]+ĐỊNH[ \t]*:|QUYẾT[ \t]+NGHỊ[ \t]*:)", re.M)


# -- jurisdiction -------------------------------------------------------------------------------

_CENTRAL_ISSUERS = ("bộ chính trị", "ban bí thư", "ban chấp hành trung ương", "chính phủ", "thủ tướng",
                    "quốc hội", "ủy ban thường vụ quốc hội", "trung ương", "văn phòng trung ương", "bộ ")


@lru_cache(maxsize=8192)
def _places_in(phrase: str) -> list[places.PlaceHit]:
    """Places named in a short phrase (an issuer, a summary); phrases repeat, so cached."""
    return place_mentions.find_places(phrase)


# "Ban Bí thư Trung ương Đảng", "Bộ Chính trị (khóa X)": one name for each central body
_CENTRAL_NAMES = (("ban bí thư", "Ban Bí thư"), ("bộ chính trị", "Bộ Chính trị"),
                  ("thủ tướng", "Thủ tướng Chính phủ"))


@lru_cache(maxsize=16384)
def _canonical_issuer(issuer: str | None) -> str | None:
    if not issuer:
        return None
    s = SPACES.sub(" ", issuer).strip(" ,.")
    s = _UBND.sub("Ủy ban nhân dân", s)
    s = _HDND.sub("Hội đồng nhân dân", s)
    s = _TINH_UY.sub("Tỉnh ủy", s)
    s = _TERM_TAIL.sub("", s)
    low = s.lower()
    return next((name for prefix, name in _CENTRAL_NAMES if low.startswith(prefix)), s)


#: (level, province, district, confidence, issuer) of a cited document
_Where = tuple[str | None, str | None, str | None, float, str | None]


def _jurisdiction(f: FoundMention, meta: Metadata) -> _Where:
    """(level, province, district, confidence, issuer) of a mentioned local document."""
    return _jurisdiction_of(f.number.level if f.number is not None else None, f.issuer, f.plenum, f.law,
                            f.summary, meta.level, meta.province, meta.district)


@lru_cache(maxsize=16384)
def _jurisdiction_of(num_level: str | None, f_issuer: str | None, plenum: int | None, law: str | None,
                     summary: str | None, meta_level: str | None, meta_province: str | None,
                     meta_district: str | None) -> _Where:
    """:func:`_jurisdiction` from the fields it reads (the same citation recurs: cached). Of the number
    only its level counts (``num_level``: None for a mention without a number), and a key of strings is
    hashed faster than the number itself."""
    issuer = _canonical_issuer(f_issuer)
    low = key(issuer) if issuer else ""
    if num_level == "central":
        return "central", None, None, 1.0, issuer
    if num_level is None and (plenum is not None or law):
        return "central", None, None, 1.0, issuer
    if low and low.startswith(_CENTRAL_ISSUERS) and num_level in (None, "local", "central"):
        return "central", None, None, 0.9, issuer
    level = num_level
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


def _full_issuer(issuer: str | None, level: str | None, province: str | None,
                 district: str | None) -> str | None:
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


# -- the public function -------------------------------------------------------------------------


def extract_references(ct: CleanText, meta: Metadata, source: str, *, title_end: int = 0,
                       self_number: str | None = None, header_end: int = 0
                       ) -> tuple[tuple[Mention, ...], tuple[Relation, ...], list[str]]:
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
    found = find_mentions(text)
    warnings: list[str] = []
    body_start = preamble_end(text, title_end)
    self_key = key(self_number) if self_number else None
    # the document's own number describes nothing: it does not end a clause
    cited = [f.start for f in found if not (
        f.number is not None and self_key and key(f.number.text) == self_key and _is_self(f, meta))]
    # the clauses are asked which governs a mention, and which of the title carry out a programme:
    # those that start after the last mention and the title are never asked for
    until = max(max((f.start for f in found), default=0) + 1, title_end)
    index = clauses.ClauseIndex(clauses.find_clauses(text, cited, body_start, (header_end, title_end),
                                                     until=until))

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
            plenum=f.plenum, term=f.term, summary=f.law or f.summary, confidence=confidence,
            note=notes.get(i)))

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

    relations = derive_relations(text, found, mentions, index_of, index, evidence,
                                programme_links(text, found, index_of, index, title_end))
    order = {m.id: n for n, m in enumerate(mentions)}
    relations.sort(key=lambda r: (r.source != "self", order.get(r.source, -1), order.get(r.target, 0)))
    return tuple(mentions), tuple(relations), warnings


@lru_cache(maxsize=256)
def _names_city(province: str) -> re.Pattern[str]:
    """A pattern for a name of the city ``province`` is named after ("thành phố Huế", "Thành ủy Huế")."""
    return re.compile(rf"(?:thành phố|Thành ủy|thành ủy)\s+{re.escape(province)}\b")


def _named_on_date(province: str, issuer: str | None, date: str | None) -> tuple[str, str | None]:
    """The province of a cited local document as documents of its date named it (a 2019 plan of "huyện
    Phú Vang" is of Thừa Thiên Huế, not of the city of Huế), unless its issuer names the city itself."""
    name, kind = places.province_name_on(province, date)
    if name == province or (issuer and _names_city(province).search(issuer)):
        return province, issuer
    if issuer and kind is not None and name not in issuer:
        issuer = issuer.replace(f"thành phố {province}", f"{kind} {name}").replace(f" {province}", f" {name}")
    return name, issuer


def _is_self(f: FoundMention, meta: Metadata) -> bool:
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


def _fix_type_codes(found: list[FoundMention], source: str, warnings: list[str]) -> dict[int, str]:
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
                warnings.append(f"{source}: '{f.type} số {n.text}' read as {parsed.text} (type word and "
                                f"other citations disagree with the printed code)")
                f.number = parsed
                continue
        notes[i] = f"the type word says {f.type}, the code {n.type_code} says {n.type}: the type word wins"
    return notes


# -- programmes approved by a decision ----------------------------------------------------------
#
# A plan often carries out a programme (Chiến lược, Đề án, Chương trình...) named by its title, not by the
# number of the decision that approved it: "Kế hoạch triển khai thực hiện Chiến lược phát triển giáo dục
# đến năm 2030" and, elsewhere in the text, "Quyết định số 1705/QĐ-TTg ... phê duyệt Chiến lược phát triển
# giáo dục đến năm 2030" or "... Chiến lược ... ban hành kèm theo Quyết định số 1705/QĐ-TTg". The plan then
# implements that decision; through a cited plan it implements when that plan carries out the same programme.


