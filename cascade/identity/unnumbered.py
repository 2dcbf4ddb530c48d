"""Match input files whose header lost its number to the number other documents cite them by.

Saved copies of plans often lose the header (number, date, issuing body) while other plans
in the folder still cite them by number: "Căn cứ Kế hoạch số 36-KH/HU ngày 19/10/2014 của
Ban Thường vụ Huyện ủy". Left alone, the plan is two nodes: the file and a "cited only"
number. This module pairs them from what both sides say:

* they must agree (or a pair is never considered): document type, branch, level and
  jurisdiction; the issuing body where both name it (a People's Committee is not a People's
  Council); the date where both give one; what the document implements, where both say;
  and the file cannot cite a document issued after the date the citations give it;
* evidence for a pair: the same date, the same document implemented, documents that the
  file and the plans citing the number both refer to (the directive they all serve), the
  words of the title.

A pair is *sure* when each side is the other's only candidate and some evidence links them,
or when strong evidence (same date or same parent) beats every alternative. Otherwise, when
one pair is still the best on both sides, it is a *guess*: merged, with a lower confidence
and a warning. Ties are not merged; a warning names the candidates. Two input files that
both carry numbers are never matched here: only files without a number are.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cascade.identity.jurisdictions import province_name
from cascade.models import DocNode, Record
from cascade.text.normalize import key as norm_key
from cascade.vocab import CASCADE

#: confidence of a sure match, and the range of a guess's confidence
SURE = 0.95
GUESS_FLOOR, GUESS_CEILING = 0.5, 0.8
_WORD = re.compile(r"\w+")
# words every plan title has; they say nothing about which plan it is
_TITLE_STOP = frozenset(norm_key(
    "kế hoạch thực hiện triển khai về việc của số ngày và các trên địa bàn tỉnh huyện thành phố quận thị xã "
    "ban thường vụ ủy nhân dân năm tháng nghị quyết chỉ thị kết luận quyết định hành đến giai đoạn").split())


@dataclass(frozen=True, slots=True)
class Match:
    """An input file with no number identified as the document others cite as ``key``."""

    source: str
    key: str
    confidence: float
    sure: bool
    reasons: tuple[str, ...]

    def describe(self) -> str:
        how = "identified as" if self.sure else f"guessed to be (confidence {self.confidence:.2f})"
        return f"{self.source}: no number in its header; {how} {self.key}: {'; '.join(self.reasons)}"


@dataclass(slots=True)
class _Side:
    """What one side (an unnumbered file, or a number only cited) says about the document."""

    key: str
    block: tuple[str, ...]
    organ: str | None
    date: str | None
    parents: set[str] = field(default_factory=set)
    ancestors: set[str] = field(default_factory=set)   # parents and what they implement, transitively
    context: set[str] = field(default_factory=set)
    floor: str | None = None          # the file cites documents of this date, so it is not older
    ceiling: str | None = None        # the earliest document citing the number
    words: frozenset[str] = frozenset()


def _organ(issuer: str | None, number: str | None = None) -> str | None:
    """The kind of state body behind an issuer name or a number's issuer code."""
    text = " ".join(norm_key(x) for x in (issuer, number) if x)
    if "hội đồng nhân dân" in text or "hđnd" in text:
        return "hđnd"
    if "ủy ban nhân dân" in text or "ubnd" in text:
        return "ubnd"
    return None


def _words(title: str | None) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(norm_key(title))
                     if len(w) > 2 and w not in _TITLE_STOP and not any(ch.isdigit() for ch in w))


def _block(n: DocNode) -> tuple[str, ...] | None:
    """The attributes two sides must share exactly; None when too little is known to match."""
    if not n.type or not n.level:
        return None
    if n.level == "central":
        return (norm_key(n.type), "central", norm_key(n.issuer)) if n.issuer else None
    if not n.province or (n.level in ("district", "commune") and not n.district):
        return None
    return (norm_key(n.type), n.branch or "", n.level, norm_key(province_name(n.province)),
            norm_key(n.district) if n.level in ("district", "commune") else "")


def _earlier(a: str, b: str) -> bool:
    """``a`` is surely before ``b`` (partial ISO dates compare on their common precision)."""
    k = min(len(a), len(b))
    return a[:k] < b[:k]


def _same_date(a: str, b: str) -> bool:
    k = min(len(a), len(b))
    return a[:k] == b[:k]


def _best_claim(n: DocNode, name: str) -> str | None:
    values = Counter(str(c.value) for c in n.claims.get(name, ()))
    return max(values.items(), key=lambda kv: (kv[1], len(kv[0])))[0] if values else None


def _closure(start: set[str], up: Mapping[str, set[str]]) -> set[str]:
    seen = set(start)
    todo = list(start)
    while todo:
        for p in up.get(todo.pop(), ()):
            if p not in seen:
                seen.add(p)
                todo.append(p)
    return seen


def _score(u: _Side, c: _Side) -> tuple[float, list[str]] | None:
    """Evidence that ``u`` and ``c`` are one document, or None when they cannot be."""
    if u.organ and c.organ and u.organ != c.organ:
        return None
    if u.date and c.date and not _same_date(u.date, c.date):
        return None
    if c.date and u.floor and _earlier(c.date, u.floor):
        return None
    if u.date and c.ceiling and _earlier(c.ceiling, u.date):
        return None
    if u.ancestors and c.ancestors and not (u.ancestors & c.ancestors):
        return None                               # they serve different directives
    if c.key in u.context:                        # the file cites the number: it is another document
        return None
    score, reasons = 0.0, []
    if u.date and c.date:
        score += 3
        reasons.append(f"same date {c.date}")
    shared_parents = u.parents & c.parents
    if shared_parents:
        score += 3
        reasons.append("both implement " + ", ".join(sorted(shared_parents)))
    elif (u.parents & c.ancestors) or (c.parents & u.ancestors):
        score += 2
        shared_parents = (u.parents & c.ancestors) | (c.parents & u.ancestors)
        reasons.append("both carry out " + ", ".join(sorted(shared_parents)))
    shared = sorted(u.context & c.context - shared_parents - {u.key, c.key})
    if shared:
        score += min(len(shared), 2)
        reasons.append("both cited with " + ", ".join(shared[:3]) + (" ..." if len(shared) > 3 else ""))
    if u.words and c.words:
        overlap = len(u.words & c.words) / len(u.words | c.words)
        if overlap >= 0.3:
            score += 2 * overlap
            reasons.append(f"title words agree ({overlap:.0%})")
    return score, reasons


def match_unnumbered(records: Sequence[Record], nodes: Mapping[str, DocNode], record_nodes: Mapping[str, str],
                     mention_nodes: Mapping[tuple[str, str], str]) -> tuple[list[Match], list[str]]:
    """Pair unnumbered input files with numbers only cited; returns the matches and warnings."""
    by_source = {r.source: r for r in records}
    files: dict[str, _Side] = {}
    cited: dict[str, _Side] = {}
    for source, k in record_nodes.items():
        n = nodes[k]
        r = by_source[source]
        if r.meta.number or not k.startswith("file:") or len(n.sources) != 1:
            continue
        block = _block(n)
        if block is not None:
            files[source] = _Side(k, block, _organ(n.issuer), n.date, words=_words(n.title))
    for k, n in nodes.items():
        if n.source is None and n.number and n.cited:
            block = _block(n)
            if block is not None:
                cited[k] = _Side(k, block, _organ(n.issuer, n.number), _best_claim(n, "date"),
                                 words=_words(n.title))
    if not files or not cited:
        return [], []
    blocks = {s.block for s in files.values()} & {s.block for s in cited.values()}
    files = {s: v for s, v in files.items() if v.block in blocks}
    cited = {k: v for k, v in cited.items() if v.block in blocks}

    # what each side implements, what it is mentioned with, and dates around it
    up: dict[str, set[str]] = defaultdict(set)
    for r in records:
        self_key = record_nodes[r.source]
        ends = {m.id: mention_nodes.get((r.source, m.id)) for m in r.mentions}
        keys = {k for k in ends.values() if k}
        u = files.get(r.source)
        if u is not None:
            u.context = keys
            dated = [m.date for m in r.mentions if m.date]
            u.floor = max(dated) if dated else None
        for k in keys & cited.keys():
            c = cited[k]
            c.context |= keys | {self_key}
            if r.meta.date and (c.ceiling is None or _earlier(r.meta.date, c.ceiling)):
                c.ceiling = r.meta.date
        for rel in r.relations:
            if rel.type not in CASCADE:
                continue
            a = self_key if rel.source == "self" else ends.get(rel.source)
            b = self_key if rel.target == "self" else ends.get(rel.target)
            if not a or not b:
                continue
            up[a].add(b)
            if rel.source == "self" and u is not None:
                u.parents.add(b)
            elif a in cited:
                cited[a].parents.add(b)

    for side in (*files.values(), *cited.values()):
        side.ancestors = _closure(side.parents, up)

    by_block: dict[tuple[str, ...], tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for s, v in files.items():
        by_block[v.block][0].append(s)
    for k, v in cited.items():
        by_block[v.block][1].append(k)

    matches: list[Match] = []
    warnings: list[str] = []
    for block in sorted(by_block):
        block_files, block_cited = by_block[block]
        pairs: dict[tuple[str, str], tuple[float, list[str]]] = {}
        for s in block_files:
            for k in block_cited:
                got = _score(files[s], cited[k])
                if got is not None and got[0] > 0:
                    pairs[(s, k)] = got
        options_u: dict[str, int] = Counter(s for s, _ in pairs)
        options_c: dict[str, int] = Counter(k for _, k in pairs)
        while pairs:
            best_u: dict[str, list[tuple[float, str]]] = defaultdict(list)
            best_c: dict[str, list[tuple[float, str]]] = defaultdict(list)
            for (s, k), (sc, _) in pairs.items():
                best_u[s].append((sc, k))
                best_c[k].append((sc, s))
            chosen = []
            for (s, k), (sc, reasons) in sorted(pairs.items()):
                others = [x for x, kk in best_u[s] if kk != k] + [x for x, ss in best_c[k] if ss != s]
                if all(sc > x for x in others):
                    chosen.append((s, k, sc, reasons, max(others, default=0.0)))
            if not chosen:
                break
            for s, k, sc, reasons, runner_up in chosen:
                alone = options_u[s] == 1 and options_c[k] == 1
                sure = alone or (sc >= 3 and sc - runner_up >= 2)
                conf = SURE if sure else min(GUESS_CEILING, GUESS_FLOOR + 0.1 * (sc - runner_up))
                if not sure:
                    rivals = options_u[s] + options_c[k] - 2
                    reasons = [*reasons, f"{rivals} other candidate(s) fit less well"]
                matches.append(Match(s, k, round(conf, 2), sure, tuple(reasons)))
            taken_s = {s for s, *_ in chosen}
            taken_k = {k for _, k, *_ in chosen}
            pairs = {p: v for p, v in pairs.items() if p[0] not in taken_s and p[1] not in taken_k}
        for k in sorted({k for _, k in pairs}):
            tied = sorted(s for s, kk in pairs if kk == k)
            fitting = sorted({kk for s, kk in pairs if s in tied})
            warnings.append(f"{k}: cited by number; the input file(s) without a number {', '.join(tied)} fit "
                            f"{', '.join(fitting)} equally well: left apart")
    return matches, warnings
