"""Tasks given as table rows ("| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |").

Each row is a task labelled by its STT under the enclosing item, or under "PL" ("PLII.3") in an
appendix after the signature; the column headers say which cell holds the lead, the cooperating
bodies and the deadline.
"""
from __future__ import annotations

import re

from cascade.extract.agencies import (
    scan,
)
from cascade.extract.assignments import TaskContext, span_evidence
from cascade.extract.structure import Item, walk
from cascade.models import Deadline, Task
from cascade.vn.dates import parse_deadline

_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.MULTILINE)
_RULE_CELL = re.compile(r"^\s*:?-{2,}:?\s*$")
_ROMAN_STT = re.compile(r"^(?:[IVX]{1,5}|[A-HK-UY])\.?$")
_NUM_STT = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
_APPENDIX = re.compile(r"(?:PHỤ\s+LỤC|Phụ\s+lục)(?:\s+(?:số\s+)?(?P<n>[IVX]{1,5}|\d{1,2})\b)?")


def _column_role(header: str) -> str | None:
    h = " ".join(header.casefold().replace("*", " ").split())
    if "phối hợp" in h:
        return "cooperating"
    if "chủ trì" in h or "đầu mối" in h or "trách nhiệm" in h or (
            ("cơ quan" in h or "đơn vị" in h) and "thực hiện" in h):
        return "lead"
    if any(w in h for w in ("thời gian", "thời hạn", "tiến độ", "hoàn thành", "thời điểm")):
        return "deadline"
    if "sản phẩm" in h or "kết quả" in h:
        return "deliverable"
    if h in ("stt", "tt", "số tt", "số thứ tự", "thứ tự"):
        return "stt"
    if any(w in h for w in ("nhiệm vụ", "nội dung", "công việc", "hoạt động", "tên", "giải pháp")):
        return "task"
    return None


def _cells(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Spans of the cells of a table row ``text[a:b]`` (without the outer bars)."""
    bars = [i for i in range(a, b) if text[i] == "|"]
    return [(bars[k] + 1, bars[k + 1]) for k in range(len(bars) - 1)]


def _cell_text(text: str, span: tuple[int, int] | None) -> str:
    if span is None:
        return ""
    t = text[span[0]:span[1]].replace("<br>", " ").replace("<br/>", " ").replace("*", " ")
    return " ".join(t.split()).strip(" .;")


def _tables(text: str) -> list[list[tuple[int, int]]]:
    """Blocks of consecutive table rows: each a list of row spans."""
    blocks: list[list[tuple[int, int]]] = []
    last_end = -2
    for m in _TABLE_ROW.finditer(text):
        if blocks and text[last_end:m.start()].strip() == "":
            blocks[-1].append(m.span())
        else:
            blocks.append([m.span()])
        last_end = m.end()
    return blocks


def read_table_tasks(ctx: TaskContext, items: list[Item],
                     body_end: int) -> tuple[list[Task], list[tuple[int, int]]]:
    """Tasks from tables of tasks, in the body or in an appendix; also the spans the tables cover."""
    text = ctx.text
    out: list[Task] = []
    spans: list[tuple[int, int]] = []
    for rows in _tables(text):
        header = _cells(text, *rows[0])
        roles = [_column_role(text[a:b]) for a, b in header]
        if "task" not in roles or "lead" not in roles:
            continue
        spans.append((rows[0][0], rows[-1][1]))
        col = {r: i for i, r in reversed(list(enumerate(roles))) if r}
        if rows[0][0] >= body_end:
            found = [m for m in _APPENDIX.finditer(text, body_end, rows[0][0])]
            prefix = "PL" + (found[-1]["n"] or "" if found else "")
            section = "appendix"
        else:
            host = None
            for it in walk(items):
                if it.numbered and it.start <= rows[0][0] < it.end:
                    host = it
            prefix, section = (host.label, host.section) if host else ("", "tasks")
        group = ""
        last: Task | None = None
        for ra, rb in rows[1:]:
            cells = _cells(text, ra, rb)
            if not cells or all(_RULE_CELL.match(text[a:b]) or not text[a:b].strip() for a, b in cells):
                continue
            cell = _cell_of(cells, col)
            stt = _cell_text(text, cell("stt")) if "stt" in col else ""
            names = scan(text, *cell("lead")) if cell("lead") else []
            coop_cell = cell("cooperating")
            coop = scan(text, *coop_cell) if coop_cell else []
            split = text.find("phối hợp", *cell("lead")) if cell("lead") else -1
            lead = [f.name for f in names if split < 0 or f.start < split]
            cooperating = [f.name for f in names if split >= 0 and f.start > split] + [f.name for f in coop]
            if _ROMAN_STT.match(stt) and not lead:
                group = stt.rstrip(".")
                continue
            if not stt and last is not None and lead:          # a row continued on the next line
                out[-1] = last = Task(**{**{f: getattr(last, f) for f in Task.__slots__},
                                         "lead": tuple(dict.fromkeys(last.lead + tuple(lead)))})
                continue
            if not stt:
                continue
            label = ".".join(x for x in (prefix, group, stt.rstrip(".")) if x)
            dl_text = _cell_text(text, cell("deadline"))
            deadline = (parse_deadline(dl_text, year=ctx.year) or Deadline(text=dl_text)) if dl_text else None
            ev = span_evidence(ctx, ra, rb, ctx.ct.raw_slice(ra, rb).strip())
            last = Task(label=label, text=_cell_text(text, cell("task")), lead=tuple(dict.fromkeys(lead)),
                        cooperating=tuple(n for n in dict.fromkeys(cooperating) if n not in lead),
                        deadline=deadline, deliverable=_cell_text(text, cell("deliverable")) or None,
                        section=section, evidence=ev)
            out.append(last)
    return out, spans


def _cell_of(cells: list[tuple[int, int]], col: dict[str, int]):
    """A lookup of a row's cell by column role (None when the row is short)."""
    def cell(role: str) -> tuple[int, int] | None:
        i = col.get(role)
        return cells[i] if i is not None and i < len(cells) else None
    return cell
