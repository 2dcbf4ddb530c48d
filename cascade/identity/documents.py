"""Identity across the corpus: one node per real document, with every claim about it.

Identity keys (DESIGN.md):

* a central number is national: ``93-KL/TW``, ``569/QĐ-TTg``;
* a local number belongs to a jurisdiction: ``07-KH/TU@Đắk Lắk``,
  ``12-KH/HU@Gia Lai/Phú Thiện``; when two input files share a key but not a year
  (Party numbers restart each term, state numbers each year) the year is added:
  ``07-KH/TU@Đắk Lắk#2020``;
* a plenum resolution cited by name: ``NQTW7@X``; a law cited by name: its name;
* an input file with no number (a draft): ``file:<path>``.

Before keys are made, a document whose district name fits several provinces (Châu Thành
is in nine) is placed where the documents it cites actually are, and every mention that
inherited the guess follows it.

>>> from cascade.extract.pipeline import extract_text
>>> a = extract_text("KẾ HOẠCH\\n\\nThực hiện Kết luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư, "
...                  "UBND tỉnh Gia Lai ban hành kế hoạch:\\n", "a.txt")
>>> c = resolve([a])
>>> sorted(c.nodes)
['93-KL/TW', 'file:a.txt']
>>> [(e.source, e.type, e.target) for e in c.edges]
[('file:a.txt', 'implements', '93-KL/TW')]
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from cascade.identity.jurisdictions import province_name as _province_name
from cascade.identity.unnumbered import Match, match_unnumbered
from cascade.models import Claim, DocNode, Edge, Evidence, Mention, Metadata, Record
from cascade.text.normalize import key as norm_key
from cascade.vn import dates
from cascade.vocab import CASCADE, CITED_BY_NAME, doc_type_named


def doc_key(number: str | None, level: str | None = None, province: str | None = None,
            district: str | None = None, *, plenum: int | None = None, term: str | None = None,
            law: str | None = None) -> str | None:
    """The identity key of a document from what is said about it.

    >>> doc_key("07-KH/TU", "province", "Đắk Lắk")
    '07-KH/TU@Đắk Lắk'
    >>> doc_key("12-KH/HU", "district", "Gia Lai", "Phú Thiện")
    '12-KH/HU@Gia Lai/Phú Thiện'
    >>> doc_key(None, plenum=7, term="x")
    'NQTW7@X'
    """
    if number:
        if level in (None, "central"):
            return number
        place = _province_name(province) if province else "?"
        if level in ("district", "commune"):
            place += f"/{district or '?'}"
        return f"{number}@{place}"
    if plenum is not None and term:
        return f"NQTW{plenum}@{term.upper()}"
    if law:
        return law
    return None


def party_term(date: str | None, *, central: bool) -> int | None:
    """The year of the congress that opened the Party committee term ``date`` falls in.

    Party documents are numbered from 01 in every term (vn-conventions.md §2.5). The
    national congress meets in January (2011, 2016, 2021, 2026), provincial and district
    congresses from spring to October of 2010, 2015, 2020, 2025. None when the date does
    not tell: no date, or a date in a congress year's meeting season (January-February
    centrally, April-October locally; a congress year without a month).

    >>> party_term("2019-05-30", central=True), party_term("2021-06-02", central=True)
    (2016, 2021)
    >>> party_term("2020-12-23", central=False), party_term("2020-06", central=False)
    (2020, None)
    """
    y = dates.year_of(date)
    if y is None or date is None:
        return None
    start = y - (y - (1 if central else 0)) % 5            # the congress year at or before y
    if y != start:
        return start
    month = int(date[5:7]) if len(date) >= 7 and date[5:7].isdigit() else None
    if month is None:
        return None
    if central:
        return start if month >= 3 else None
    return start if month >= 11 else start - 5 if month <= 3 else None


@dataclass(slots=True)
class Conflict:
    """Sources disagree about one attribute of one document."""

    node: str
    field: str
    claims: list[Claim]

    def to_dict(self) -> dict[str, object]:
        by_value: dict[str, list[str]] = defaultdict(list)
        for c in self.claims:
            by_value[str(c.value)].append(c.source)
        return {"node": self.node, "field": self.field,
                "values": [{"value": v, "sources": sorted(set(s))} for v, s in by_value.items()]}


@dataclass(slots=True)
class Corpus:
    """The resolved corpus: records, one node per document, edges, conflicts."""

    records: list[Record]
    nodes: dict[str, DocNode]
    edges: list[Edge]
    conflicts: list[Conflict] = field(default_factory=list)
    mention_nodes: dict[tuple[str, str], str] = field(default_factory=dict)   # (source, mention id) -> key
    record_nodes: dict[str, str] = field(default_factory=dict)                # source -> key
    warnings: list[str] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)   # unnumbered input files matched to a cited number


# -- 1. place documents whose district name is ambiguous -----------------------------------------

def _inherited(m: Mention, meta: Metadata) -> bool:
    """True when a mention's jurisdiction was taken from the citing document."""
    return (m.level not in (None, "central") and m.confidence < 1.0 and m.province == meta.province)


def _move(rec: Record, province: str, district: str | None, why: str) -> Record:
    meta = rec.meta
    old = meta.province if meta.level == "province" else f"{meta.province}/{meta.district}"
    mentions = []
    for m in rec.mentions:
        if _inherited(m, meta):
            new_district = m.district
            if m.level in ("district", "commune") and m.district == meta.district:
                new_district = district
            m = replace(m, province=province, district=new_district,
                        issuer=m.issuer.replace(meta.province or "\0", province) if m.issuer else m.issuer)
        mentions.append(m)
    new = f"{province}/{district}" if district else province
    candidates = tuple(c for c in (old, *meta.candidates) if c and c != new)
    issuer = meta.issuer
    if issuer and meta.province and meta.level == "province":
        issuer = issuer.replace(meta.province, province)
    new_meta = replace(meta, province=province, district=district if meta.level != "province" else None,
                       issuer=issuer, candidates=candidates)
    note = f"{rec.source}: placed in {new} rather than {old}: {why}"
    return replace(rec, meta=new_meta, mentions=tuple(mentions), warnings=rec.warnings + (note,))


def place_ambiguous(records: list[Record]) -> list[Record]:
    """Choose among the candidate jurisdictions of each ambiguous record by what it cites.

    A candidate wins when the local documents the record cites (with the jurisdiction the
    record's guess gave them) exist as input files in that candidate's province, and when
    documents there cite the record's own number, the more so when the dates match.
    """
    for _ in range(3):
        index: dict[tuple[str, str], list[str | None]] = defaultdict(list)
        # who cites what, where
        cited: dict[tuple[str, str, str], list[tuple[str, str | None]]] = defaultdict(list)
        for r in records:
            if r.meta.number and r.meta.province:
                index[(r.meta.number.casefold(), norm_key(r.meta.province))].append(r.meta.date)
            for m in r.mentions:
                if m.number and m.province:
                    cited[(m.number.casefold(), norm_key(m.province), norm_key(m.district))].append(
                        (r.source, m.date))
        changed = False
        out = []
        for r in records:
            if not r.meta.candidates:
                out.append(r)
                continue
            options = [(r.meta.province, r.meta.district)] + [
                tuple(c.split("/", 1)) if "/" in c else (c, None) for c in r.meta.candidates]
            scores = []
            for prov, dist in options:
                s = 0
                for m in r.mentions:
                    if not m.number or not _inherited(m, r.meta):
                        continue
                    dates_there = index.get((m.number.casefold(), norm_key(prov)))
                    if dates_there is not None:
                        s += 1 + (2 if m.date and m.date in dates_there else 0)
                    # other documents there cite the same document, with the same date
                    where = norm_key(dist) if m.level in ("district", "commune") else ""
                    s += sum(1 for src, d in cited.get((m.number.casefold(), norm_key(prov), where), ())
                             if src != r.source and m.date and d == m.date)
                if r.meta.number:               # documents there that cite this one
                    where = norm_key(dist) if r.meta.level in ("district", "commune") else ""
                    for src, d in cited.get((r.meta.number.casefold(), norm_key(prov), where), ()):
                        if src != r.source:
                            s += 1 + (2 if d and d == r.meta.date else 0)
                scores.append(s)
            best = max(range(len(options)), key=lambda i: (scores[i], -i))
            if best != 0 and scores[best] > scores[0]:
                prov, dist = options[best]
                assert prov is not None             # options after the first come from candidates: all named
                r = _move(r, prov, dist if r.meta.level != "province" else None,
                          f"the documents it cites are there ({scores[best]} against {scores[0]})")
                changed = True
            out.append(r)
        records = out
        if not changed:
            break
    return records


# -- 2. keys, nodes, edges -----------------------------------------------------------------------

def _mention_key(m: Mention) -> str | None:
    named = doc_type_named(m.type)
    law = m.summary if (named is not None and named.slug in CITED_BY_NAME and not m.number) else None
    return doc_key(m.number, m.level, m.province, m.district, plenum=m.plenum, term=m.term, law=law)


def _record_key(r: Record) -> str:
    k = doc_key(r.meta.number, r.meta.level, r.meta.province, r.meta.district) if r.meta.number else None
    return k or f"file:{r.source}"


def _same_date(a: str, b: str) -> bool:
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def resolve(records: Iterable[Record]) -> Corpus:
    """Resolve the records of a corpus into one node per real document."""
    records = place_ambiguous(list(records))
    warnings = [w for r in records for w in r.warnings]

    # input files: their own keys, split by year when one key holds several documents
    base_keys = {r.source: _record_key(r) for r in records}
    groups: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        groups[base_keys[r.source]].append(r)
    record_nodes: dict[str, str] = {}
    split: dict[str, dict[int, str]] = {}
    for base, rs in groups.items():
        years = {y for y in (dates.year_of(r.meta.date) for r in rs) if y is not None}
        if len(rs) > 1 and len(years) > 1:
            split[base] = {y: f"{base}#{y}" for y in years}
            for r in rs:
                y = dates.year_of(r.meta.date) or min(years)
                record_nodes[r.source] = split[base][y]
            warnings.append(f"{base}: {len(rs)} input files with this number in different years "
                            f"({', '.join(map(str, sorted(years)))}): kept apart")
        else:
            for r in rs:
                record_nodes[r.source] = base
            if len(rs) > 1:
                warnings.append(f"{base}: {len(rs)} input files are the same document: "
                                + ", ".join(r.source for r in rs))

    nodes: dict[str, DocNode] = {}

    def node(k: str) -> DocNode:
        if k not in nodes:
            nodes[k] = DocNode(key=k)
        return nodes[k]

    def claim(n: DocNode, fieldname: str, value: object, source: str, ev: Evidence | None) -> None:
        if value is not None and value != "":
            n.claims.setdefault(fieldname, []).append(Claim(value, source, ev))

    # the documents themselves: what they say of themselves is authoritative
    for r in records:
        n = node(record_nodes[r.source])
        meta = r.meta
        if n.source is None:
            n.source = r.source
            n.sources.append(r.source)
            for f in ("type", "number", "date", "issuer", "branch", "level", "province", "district", "title"):
                setattr(n, f, getattr(meta, f))
        else:
            n.sources.append(r.source)
        n.own.add(r.source)
        evidence = dict(meta.evidence)
        for f in ("type", "date", "issuer", "number"):
            claim(n, f, getattr(meta, f), r.source, evidence.get(f))

    # mentions
    mention_nodes: dict[tuple[str, str], str] = {}
    for r in records:
        citing_year = dates.year_of(r.meta.date)
        for m in r.mentions:
            k = _mention_key(m)
            if k is None:
                continue
            if k in split:
                year = dates.year_of(m.date)
                if year is None or year not in split[k]:
                    split_years = sorted(split[k])
                    before = [x for x in split_years if citing_year is None or x <= citing_year]
                    year = before[-1] if before else split_years[0]
                k = split[k][year]
            own = nodes.get(k)
            if own is not None and own.source is not None and m.number and m.date and own.date:
                if "/" in m.number.split("-")[0]:
                    # state numbers restart every year: the same number in another year is another document
                    if dates.year_of(m.date) and dates.year_of(own.date) != dates.year_of(m.date):
                        k = f"{k}#{dates.year_of(m.date)}"
                else:
                    # Party numbers restart every committee term: another term is another document
                    central = own.level == "central"
                    term = party_term(m.date, central=central)
                    if term is not None and party_term(own.date, central=central) not in (None, term):
                        k = f"{k}#{dates.year_of(m.date)}"
            mention_nodes[(r.source, m.id)] = k
            n = node(k)
            if n.source is None:
                for f in ("type", "number", "branch", "level", "province", "district", "plenum", "term"):
                    if getattr(n, f) is None and getattr(m, f) is not None:
                        setattr(n, f, getattr(m, f))
                if n.title is None and m.summary:
                    n.title = m.summary
                n.confidence = max(n.confidence if n.cited else 0.0, m.confidence)
            n.cited += 1
            n.cited_by.add(r.source)
            claim(n, "date", m.date, r.source, m.evidence)
            claim(n, "issuer", m.issuer, r.source, m.evidence)
            claim(n, "type", m.type, r.source, m.evidence)

    # attributes of cited documents from their claims; disagreements are conflicts
    conflicts: list[Conflict] = []
    for n in nodes.values():
        for f in ("date", "issuer", "type"):
            cs = n.claims.get(f, [])
            if not cs:
                continue
            own_claims = [c for c in cs if c.source in n.own]
            others = [c for c in cs if c.source not in n.own]
            if f == "date":
                values = {str(c.value) for c in cs}
                distinct = [v for v in values if not any(v != w and _same_date(v, w) and len(w) > len(v)
                                                        for w in values)]
                if len(distinct) > 1:
                    conflicts.append(Conflict(n.key, f, cs))
            # issuers are never a conflict: names vary too much ("Ban Bí thư", "Ban Bí thư Trung ương Đảng")
            elif f == "type" and len({c.value for c in cs}) > 1 and own_claims:
                conflicts.append(Conflict(n.key, f, cs))
            if own_claims:
                continue
            counts = Counter(str(c.value) for c in others)
            best = max(counts.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]
            if f == "date":
                # the most precise of the dates that agree with the most common one
                agreeing = [v for v in counts if _same_date(v, best)]
                best = max(agreeing, key=len)
            setattr(n, f, best)

    # input files that lost their number: one node with the number others cite them by
    matches, match_warnings = match_unnumbered(records, nodes, record_nodes, mention_nodes)
    warnings += match_warnings
    mentions_of: dict[str, list[tuple[str, str]]] = defaultdict(list)   # node -> its mentions
    if matches:
        for mention, node_key in mention_nodes.items():
            mentions_of[node_key].append(mention)
    for mt in matches:
        _merge_file_into(nodes, record_nodes, mention_nodes, mentions_of, conflicts, mt)
        if not mt.sure:
            warnings.append(mt.describe())

    # edges
    agg: dict[tuple[str, str, str], tuple[list[str], list[Evidence]]] = {}
    for r in records:
        self_key = record_nodes[r.source]
        for rel in r.relations:
            a = self_key if rel.source == "self" else mention_nodes.get((r.source, rel.source))
            b = self_key if rel.target == "self" else mention_nodes.get((r.source, rel.target))
            if not a or not b or a == b:
                continue
            who, evs = agg.setdefault((a, rel.type, b), ([], []))
            if r.source not in who:
                who.append(r.source)
            if rel.evidence is not None:
                evs.append(rel.evidence)
    edges = [Edge(a, t, b, tuple(who), tuple(evs)) for (a, t, b), (who, evs) in agg.items()]
    edges.sort(key=lambda e: (e.source, e.type, e.target))
    return Corpus(records=records, nodes=nodes, edges=edges, conflicts=conflicts, mention_nodes=mention_nodes,
                  record_nodes=record_nodes, warnings=warnings, matches=matches)


def _merge_file_into(nodes: dict[str, DocNode], record_nodes: dict[str, str],
                     mention_nodes: dict[tuple[str, str], str], mentions_of: dict[str, list[tuple[str, str]]],
                     conflicts: list[Conflict], mt: Match) -> None:
    """Make the node of an unnumbered input file and the number it was matched to one node.

    ``mentions_of`` indexes ``mention_nodes`` by node and is kept up to date, so a merge
    costs the mentions it moves, not a scan of every mention in the corpus."""
    old = record_nodes[mt.source]
    f = nodes.pop(old)
    n = nodes[mt.key]
    n.source = f.source
    n.sources = f.sources + [s for s in n.sources if s not in f.sources]
    n.own |= f.own
    for name, cs in f.claims.items():
        n.claims.setdefault(name, []).extend(cs)
    for name in ("type", "issuer", "branch", "level", "province", "district", "title", "date"):
        value = getattr(f, name)
        if value:
            setattr(n, name, value)
    n.cited += f.cited
    n.cited_by |= f.cited_by
    n.confidence = mt.confidence
    record_nodes[mt.source] = mt.key
    moved = mentions_of.pop(old, [])
    for k in moved:
        mention_nodes[k] = mt.key
    mentions_of[mt.key].extend(moved)
    for c in conflicts:
        if c.node == old:
            c.node = mt.key


def cascade_edges(corpus: Corpus) -> list[Edge]:
    """The implements/continues edges only."""
    return [e for e in corpus.edges if e.type in CASCADE]
