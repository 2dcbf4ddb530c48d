"""Relations between the documents a text names: chains, programmes, and the ladder of each mention.

* chains the text states about other documents: in "Kế hoạch số 07-KH/TU ... thực hiện
  Kết luận số 93-KL/TW ... về tiếp tục thực hiện Chỉ thị số 42-CT/TW" the plan implements
  the conclusion, which continues the directive;
* programmes approved by a decision: a plan that carries out "Chiến lược ..." implements the
  decision that approved it;
* the document itself (``"self"``) relates to each head mention as the clause that governs it
  says (:mod:`cascade.extract.clauses`); a document cited several times keeps the strongest
  relation of the :data:`LADDER`.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from cascade import vocab
from cascade.extract import clauses
from cascade.extract.mentions import SPACES, FoundMention
from cascade.models import Mention, Relation
from cascade.text.normalize import key
from cascade.vn.cues import (
    BASED_ON,
    CHAIN_RELATIONS,
    CITES,
    CONTINUES,
    IMPLEMENTS,
    PROGRAMME_WORDS,
)

# the end of the text between two mentions (spaces collapsed, lower case) that makes the first relate to
# the second: "Kế hoạch số 07-KH/TU ... thực hiện Kết luận số 93-KL/TW", "Nghị định số 187/2025/NĐ-CP ...
# sửa đổi, bổ sung một số điều của Nghị định số 78/2025/NĐ-CP"
_CHAIN_TAIL = re.compile(
    r"(?:(?:về|để|nhằm|trong) )?(?:việc )?(?:(?P<cont>tiếp tục) )?(?:(?:triển khai|tổ chức) )?"
    r"(?:thực hiện|triển khai|quán triệt|cụ thể hóa|cụ thể hoá)(?: (?:các|có hiệu quả))? ?\Z"
    r"|(?P<amend>sửa đổi,? bổ sung)(?: (?:một số|các) (?:điều|nội dung|khoản))?(?: của)? ?\Z"
    r"|(?P<replace>thay thế) ?\Z|(?P<repeal>bãi bỏ) ?\Z"
    r"|(?P<guide>hướng dẫn (?:thi hành|thực hiện)|quy định chi tiết(?: thi hành)?)"
    r"(?: (?:một số|các) (?:điều|nội dung|khoản))?(?: của)? ?\Z")
_GAP_NOISE = str.maketrans({c: " " for c in "*“”\"\n\t\u00a0"})
# what a gap between two mentions of one chain may not hold: a list break (a new list item) or the main clause
_GAP_BREAK = re.compile(r";|\n[ \t\u00a0]*\n|\.[ \t\u00a0]*\n|\.[ \t\u00a0]+[A-ZĐ\d]"
                        r"|\n[ \t\u00a0]*(?:[-+•*–]|[a-zđ]\)|\d+(?:\.\d+)*[.)])[ \t\u00a0]")
_COORDINATION = re.compile(r"\s*+(?:và|hoặc|,)\s*+")          # "A và B": B is not a chain link of A
#: the ladder of the relations a document states about another, strongest first: a document cited
#: several times keeps the strongest (implements > based_on > cites). The relations of law
#: (amends, replaces, repeals, guides) stand beside it: a decision can be based on a document and
#: replace it.
LADDER: dict[str, int] = {name: rel.strength for name, rel in vocab.RELATIONS.items()
                          if rel.strength is not None and name in vocab.DOCUMENT_RELATIONS
                          and (rel.cascade or name in (BASED_ON, CITES))}


def _local_key(m: Mention) -> str:
    if m.number:
        return f"{m.number.casefold()}@{m.province or ''}/{m.district or ''}"
    if m.plenum is not None:
        return f"nqtw{m.plenum}@{m.term}"
    return f"{(m.type or '').casefold()}:{key(m.summary or m.number or m.alias or '')}"


def mention_key(m: Mention) -> str:
    """The key two mentions of one document share inside one text."""
    return _local_key(m)


def _chain(text: str, found: list[FoundMention], prev: int | None, prev_prev: int | None,
           i: int) -> str | None:
    """The relation the mention ``prev`` states about mention ``i`` when the text between them ends with
    a description verb ("Kế hoạch số 07-KH/TU ... thực hiện Kết luận số 93-KL/TW"), else None."""
    if prev is None or found[prev].is_alias:
        return None
    p, f = found[prev], found[i]
    if f.start - p.end >= 240:
        return None
    if prev_prev is not None and _COORDINATION.fullmatch(text, found[prev_prev].end, p.start) is not None:
        return None                                   # "A và B thực hiện C": not B alone
    return _gap_relation(text[p.end:f.start])


@lru_cache(maxsize=4096)
def _gap_relation(gap: str) -> str | None:
    """The chain relation the text between two mentions states: None when it holds a list break, else
    the relation of the description verb it ends with, if any (cached: the same gaps recur from one
    document to the next, "ngày 20/4/2018 của Ban Thường vụ Tỉnh ủy thực hiện")."""
    if _GAP_BREAK.search(gap):
        return None
    m = _CHAIN_TAIL.search(SPACES.sub(" ", gap.translate(_GAP_NOISE)).strip().lower())
    if m is None:
        return None
    return next((rel for group, rel in CHAIN_RELATIONS if m.group(group)), IMPLEMENTS)


_PROGRAMME = re.compile(r"(?<!\w)(?:" + "|".join(PROGRAMME_WORDS) + r")(?!\w)", re.IGNORECASE)
_APPROVES = re.compile(r"\W{0,4}(?:về\s+việc\s+|về\s+)?(?:phê\s+duyệt|ban\s+hành)\s+(?:" + "|".join(
    p.replace(" ", r"\s+") for p in PROGRAMME_WORDS) + r")(?!\w)", re.IGNORECASE)
_APPROVED_BY = re.compile(r"(?:(?:được\s++)?phê\s++duyệt|ban\s++hành)?\s*+(?:kèm\s++theo|tại|theo)\s++\Z",
                          re.IGNORECASE)
_WORD = re.compile(r"\w+")
_NAME_RUN = 5            # words a programme's name and a decision's description must share, in a row
_TAIL_RUN = 6            # words before "tại Quyết định số ..." that must be a run of the programme's name


def _words(s: str, limit: int) -> list[str]:
    return [w.casefold() for w in _WORD.findall(s)][:limit]


def _has_run(words: list[str], run: list[str]) -> bool:
    n = len(run)
    return n > 0 and any(words[i:i + n] == run for i in range(len(words) - n + 1))


def programme_links(text: str, found: list[FoundMention], index_of: dict[int, int],
                    index: clauses.ClauseIndex, title_end: int) -> list[tuple[int, list[str], int, int]]:
    """(decision index in ``found``, programme words, span) for each decision approving a programme that
    the document's own title carries out."""
    starts = sorted(found[i].start for i in index_of)
    programmes: list[tuple[list[str], int, int]] = []
    for c in index.ordinary:
        if c.relation not in (IMPLEMENTS, CONTINUES) or c.start >= title_end:
            continue
        k = bisect_left(starts, c.start)
        stop = min(c.end, starts[k]) if k < len(starts) else c.end
        for m in _PROGRAMME.finditer(text, c.start, stop):
            words = _words(text[m.end():m.end() + 240], 24)
            if len(words) >= _NAME_RUN:
                end = stop - (len(text[m.start():stop]) - len(text[m.start():stop].rstrip(" \t\n,;:")))
                programmes.append((words, m.start(), end))      # the programme as the title names it
    if not programmes:
        return []
    links = []
    for i, f in enumerate(found):
        if i not in index_of or f.number is None or f.type != "Quyết định":
            continue
        after = _APPROVES.match(text, f.end)
        name = _words(text[after.end():after.end() + 240], _NAME_RUN) if after else []
        before = _APPROVED_BY.search(text, max(0, f.start - 40), f.start)
        tail = _words(text[max(0, before.start() - 120):before.start()], 60)[-_TAIL_RUN:] if before else []
        for words, a, b in programmes:
            if ((len(name) == _NAME_RUN and _has_run(words, name))
                    or (len(tail) == _TAIL_RUN and _has_run(words, tail))):
                links.append((i, words, a, b))
                break
    return links


def _nested(text: str, found: list[FoundMention], prev: int | None, i: int, clause: clauses.Clause) -> bool:
    """Whether a mention stands inside the description of the mention ``prev`` of the same clause
    ("Thông tư số 25 ... hướng dẫn ... theo quy định tại Quyết định số 117"): then the clause's trigger
    does not govern it. A list goes on after ",", ";", "và" or "hoặc"; anything else ends a description."""
    if prev is None or found[prev].start < clause.start:
        return False
    p, f = found[prev], found[i]
    if f.start < p.end or f.start - p.end >= 300 or _GAP_BREAK.search(text, p.end, f.start):
        return False
    gap = text[p.end:f.start].rstrip(" \t\n\u00a0")
    return bool(gap) and not gap.endswith((",", ";", "(")) and not _LIST_WORD.search(gap)


_LIST_WORD = re.compile(r"(?:^|\s)(?:và|hoặc|cùng|VÀ)\Z")


def derive_relations(text: str, found: list[FoundMention], mentions: list[Mention], index_of: dict[int, int],
               index: clauses.ClauseIndex, evidence,
               programmes: list[tuple[int, list[str], int, int]]) -> list[Relation]:
    """Every relation the text states: the document's own (one per document on the ladder, plus each
    relation of law), and the ones it states between the documents it cites."""
    ladder: dict[str, tuple[int, Relation]] = {}
    legal: dict[tuple[str, str], Relation] = {}
    chains: dict[tuple[str, str], Relation] = {}
    prev: int | None = None
    prev_prev: int | None = None
    for i in sorted(index_of):
        f = found[i]
        m = mentions[index_of[i]]
        if f.is_alias:
            prev_prev, prev = prev, i
            continue
        clause = index.at(f.start)
        chained = _chain(text, found, prev, prev_prev, i)
        if chained is not None and clause is not None and clause.start >= found[prev].end:  # type: ignore[index]
            chained = None                                # the verb opens a clause of the document's own
        if chained is not None:
            pm = mentions[index_of[prev]]                          # type: ignore[index]
            pair = (_local_key(pm), _local_key(m))
            if pair[0] != pair[1] and pair not in chains:
                chains[pair] = Relation(pm.id, chained, m.id, evidence(found[prev].start, f.end))  # type: ignore[index]
        prev_prev, prev = prev, i
        nested = chained is None and clause is not None and _nested(text, found, prev_prev, i, clause)
        rtype = clause.relation if clause is not None and chained is None and not nested else CITES
        k = _local_key(m)
        if rtype not in LADDER:
            legal.setdefault((k, rtype), Relation("self", rtype, m.id, m.evidence))
            rtype = CITES
        if k not in ladder or LADDER[rtype] < ladder[k][0]:
            ladder[k] = (LADDER[rtype], Relation("self", rtype, m.id, m.evidence))
    for d, words, a, b in programmes:
        decision = mentions[index_of[d]]
        # a plan the document implements that carries out the same programme comes between
        via = [i for i in sorted(index_of)
               if i != d and ladder.get(_local_key(mentions[index_of[i]]), (9,))[0] == 0
               and _has_run(_words(text[found[i].end:found[i].end + 300], 40), words[:_NAME_RUN])]
        if via:
            pm = mentions[index_of[via[0]]]
            pair = (_local_key(pm), _local_key(decision))
            if pair[0] != pair[1]:
                ev = evidence(found[via[0]].start, found[via[0]].end)
                chains.setdefault(pair, Relation(pm.id, IMPLEMENTS, decision.id, ev))
        else:
            ladder[_local_key(decision)] = (0, Relation("self", IMPLEMENTS, decision.id, evidence(a, b)))
    stated = {k for k, _ in legal}
    own = [r for k, (_, r) in ladder.items() if not (r.type == CITES and k in stated)]
    return own + list(legal.values()) + list(chains.values())
