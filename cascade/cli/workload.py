"""Task commands: tasks, agencies, calendar."""
from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from cascade.vocab import ROLES

from .common import (
    Fmt,
    FmtOpt,
    OutOpt,
    OutputOpt,
    _capture,
    _console,
    _err,
    _fmt,
    _query_graph,
    app,
    emit,
)

_AgencyOpt = Annotated[str | None, typer.Option(
    "--agency", "-a",
    help="An agency, in any spelling: \"Sở KH&CN\", \"sở khoa học và công nghệ\", \"UBND huyện\".")]
_ProvinceOpt = Annotated[str | None, typer.Option("--province", "-p", help="Only plans of this province.")]
_MergersOpt = Annotated[bool, typer.Option(
    "--follow-mergers", help="Also the tasks a merged body's predecessors had before the 2025 merger. "
                             "Without it, mergers are followed only for plans dated after them; every "
                             "task found through another body is labelled.")]
_TASK_COLUMNS = ["plan", "label", "text", "lead", "cooperating", "deadline", "due", "recurrence", "role",
                 "matched_as", "matched_name", "file", "span"]


#: the --role choices: the roles of the vocabulary
Role = Enum("Role", {role: role for role in ROLES}, type=str)  # type: ignore[misc]


class Ongoing(str, Enum):  # noqa: UP042 - as Fmt above
    note = "note"
    skip = "skip"


def _task_flat(r: dict[str, Any]) -> dict[str, Any]:
    """A task row of :func:`cascade.query.tasks` on one line, for tables and CSV."""
    hit = r.get("agency") or {}
    span = r["evidence"]["span"]
    return {"plan": r["plan_label"], "plan_id": r["plan"], "plan_date": r["plan_date"], "label": r["label"],
            "text": r["text"], "lead": r["lead"], "cooperating": r["cooperating"],
            "deadline": r["deadline"]["text"], "due": r["due"], "recurrence": r["deadline"]["recurrence"],
            "overdue_days": r.get("overdue_days"), "role": hit.get("role"), "matched_as": hit.get("as"),
            "matched_name": hit.get("name"),
            "file": r["evidence"]["file"], "span": f"{span[0]}-{span[1]}" if span else None}


def _rows_out(value: list[dict[str, Any]], flat: list[dict[str, Any]], fmt: Fmt, columns: Sequence[str],
              render: Any) -> None:
    """json: the whole answer; jsonl: one answer row per line; csv: the flat rows; table: ``render()``."""
    f = _fmt(fmt)
    if f is Fmt.table:
        render()
    elif f is Fmt.csv:
        emit(flat, f, columns)
    else:
        emit(value, f)


def _why_no_tasks(G: Any, plan: str, filtered: bool) -> str:
    """Why ``tasks --doc`` found nothing: the text is not in the corpus, or it has no task, or the filters."""
    d = G.nodes[plan]
    label = d.get("label") or plan
    if not d.get("in_corpus"):
        return (f"{label} has no tasks here: it is known only because other documents cite it; "
                f"its text is not in the corpus (add its file and rebuild)")
    if filtered:
        return f"{label}: none of its tasks fits the filters"
    return f"{label}: no tasks were found in its text (no section assigns work to an agency)"


@app.command("tasks", rich_help_panel="Tasks and agencies")
def tasks_command(
    agency: _AgencyOpt = None,
    province: _ProvinceOpt = None,
    doc: Annotated[str | None, typer.Option("--doc", "-d", help="Only the tasks of this plan (id, number, "
                                            "phrase or file name).")] = None,
    due_before: Annotated[str | None, typer.Option("--due-before", help="Only tasks due before this ISO date "
                                                   "(2022 means before 2022-01-01).")] = None,
    overdue_as_of: Annotated[str | None, typer.Option(
        "--overdue-as-of",
        help="Only tasks whose day had passed on this ISO date, with the days since.")] = None,
    follow_mergers: _MergersOpt = False,
    out: OutOpt = None, output: OutputOpt = None,
    fmt: FmtOpt = Fmt.auto,
) -> None:
    """Tasks of the plans: who leads, who cooperates, by when, with the evidence.

    A task's [bold]due[/bold] day is the day it states or the last day of its period (Quý
    III/2021: 2021-09-30); recurring duties and "thường xuyên" have none and are left out by
    --due-before and --overdue-as-of. Overdue means the day had passed: the documents do not
    say what was done.

    Example: [bold]cascade tasks --agency "Sở KH&CN" --province "Đắk Lắk"[/bold]
    (or: cascade tasks --doc "07-KH/TU@Đắk Lắk" --format csv -o tasks.csv)
    """
    _capture(output)
    from cascade import query

    G = _query_graph(out)
    value = query.tasks(G, agency=agency, province=province, due_before=due_before,
                        overdue_as_of=overdue_as_of, doc=doc, follow_mergers=follow_mergers)
    if doc is not None and not value:
        _err(_why_no_tasks(G, query.find_one(G, doc), filtered=bool(agency or province or due_before
                                                                     or overdue_as_of)))
    flat = [_task_flat(r) for r in value]

    def render() -> None:
        from rich.table import Table

        from cascade.cli.terminal import markup as escape

        t = Table(title=f"{len(flat)} tasks" + (f" naming {agency}" if agency else ""), header_style="bold",
                  show_lines=True)
        for col in ("plan", "task", "lead", "cooperating", "deadline", "due"):
            t.add_column(col, overflow="fold", ratio=3 if col == "task" else None)
        for r in flat:
            task = f"[bold]{escape(str(r['label']))}[/bold] {escape(str(r['text'] or ''))[:160]}"
            if r["matched_as"] and r["matched_as"] != "named":
                task += f" [yellow](through its {r['matched_as']} {escape(str(r['matched_name']))})[/yellow]"
            due = r["due"] or r["recurrence"] or ""
            if r["overdue_days"] is not None:
                due += f" [red]+{r['overdue_days']} d[/red]"
            t.add_row(escape(str(r["plan"])), task, escape("; ".join(r["lead"])),
                      escape("; ".join(r["cooperating"])), escape(r["deadline"] or ""), due)
        _console().print(t)

    _rows_out(value, flat, fmt, _TASK_COLUMNS, render)


@app.command("agencies", rich_help_panel="Tasks and agencies")
def agencies_command(
    province: _ProvinceOpt = None,
    role: Annotated[Role | None, typer.Option(help="Only agencies with tasks in this role, ranked by "
                                              "them.")] = None,
    agency: _AgencyOpt = None,
    follow_mergers: _MergersOpt = False,
    limit: Annotated[int, typer.Option(min=0, help="Show at most this many (0 = all).")] = 0,
    out: OutOpt = None, output: OutputOpt = None,
    fmt: FmtOpt = Fmt.auto,
) -> None:
    """Workload per agency: tasks it leads and cooperates on, and in how many plans.

    An agency is one body in one jurisdiction (Sở Nội vụ of Đắk Lắk). Collectives ("các sở,
    ban, ngành") are listed as they are written. A body merged in 2025 shows its successor;
    a merged body shows its predecessors.

    Example: [bold]cascade agencies --province "Đắk Lắk" --role lead[/bold]
    """
    _capture(output)
    from cascade import query

    value = query.agencies(_query_graph(out), province=province, role=role.value if role else None,
                           agency=agency, follow_mergers=follow_mergers)
    value = value[:limit] if limit > 0 else value
    columns = ["agency", "province", "district", *ROLES, "tasks", "plans",
               "successor", "successor_since", "predecessors", "group", "id"]

    def render() -> None:
        from rich.table import Table

        from cascade.cli.terminal import markup as escape

        title = f"{len(value)} agencies" + (f" in {province}" if province else "")
        t = Table(title=title, header_style="bold")
        for col in ("agency", "jurisdiction", "lead", "cooperating", "plans", "2025 reform"):
            t.add_column(col, overflow="fold", justify="right" if col in ("lead", "cooperating", "plans")
                         else "left")
        for r in value:
            place = "/".join(x for x in (r["province"], r["district"]) if x)
            reform_note = (f"→ {r['successor']} ({r['successor_since']})" if r["successor"]
                           else ("← " + "; ".join(r["predecessors"]) if r["predecessors"] else ""))
            name = escape(r["agency"]) + (" [dim](group)[/dim]" if r["group"] else "")
            t.add_row(name, escape(place), str(r["lead"]), str(r["cooperating"]), str(r["plans"]),
                      escape(reform_note))
        _console().print(t)

    _rows_out(value, value, fmt, columns, render)


@app.command("calendar", rich_help_panel="Tasks and agencies")
def calendar_command(
    agency: Annotated[str, typer.Option("--agency", "-a", help="The agency, in any spelling (\"Sở KH&CN\").",
                                        show_default=False)],
    province: _ProvinceOpt = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The .ics file to write (\"-\": "
                                         "stdout).")] = Path("deadlines.ics"),
    cooperating: Annotated[bool, typer.Option("--cooperating", help="Also the tasks it cooperates "
                                              "on.")] = False,
    ongoing: Annotated[Ongoing, typer.Option(help="Ongoing tasks (\"thường xuyên\"): listed as notes, or "
                                             "skipped.")] = Ongoing.note,
    follow_mergers: _MergersOpt = False,
    out: OutOpt = None,
    fmt: FmtOpt = Fmt.auto,
) -> None:
    """Write an agency's deadlines and recurring reporting duties as an iCalendar (.ics) file.

    A stated day is an all-day event; a quarter or a month spans its days, a longer period
    falls on its last day; "hằng năm", "6 tháng", "hằng quý", "hằng tháng" duties repeat
    (RRULE). Each entry carries the task, its plan and the evidence file; UIDs stay the
    same from one build to the next. Prints the entries written.

    Example: [bold]cascade calendar --agency "Sở Nội vụ" --province "Đắk Lắk" -o deadlines.ics[/bold]
    """
    from cascade.outputs.calendar import write_calendar

    entries = write_calendar(_query_graph(out), output, agency, province=province,
                             roles=("lead", "cooperating") if cooperating else ("lead",),
                             ongoing=ongoing.value, follow_mergers=follow_mergers)
    events = sum(e["type"] == "event" for e in entries)
    if str(output) != "-":
        columns = ["type", "kind", "start", "end", "rrule", "summary", "deadline", "plan", "file", "uid"]
        f = _fmt(fmt)
        if f is Fmt.table:
            emit(entries, Fmt.table, ["type", "start", "rrule", "summary"],
                 title=f"{agency}: {events} events, {len(entries) - events} notes")
        else:
            emit(entries, f, columns)
    _err(f"wrote {output} ({events} events, {len(entries) - events} notes)")
