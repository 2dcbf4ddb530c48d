"""An agency's deadlines as an iCalendar file: what it must do by when, in any calendar app.

Built on the ``icalendar`` package from the rows of :func:`cascade.query.tasks`. Each task
the agency leads (by default; ``roles`` widens it) gives at most one entry, and so does
each reporting duty of a task it leads (the reporter is the task's lead unless the text
names another):

* a stated day ("Trước ngày 30/6/2022") is an all-day event on that day;
* a period ("Quý III/2021") is an all-day event spanning it when it is short (up to
  ``span_days``), else an event on its last day: the day it is due;
* a recurring duty is an all-day event that repeats: "Định kỳ trước ngày 05 tháng 12 hằng
  năm" repeats yearly on 5 December, semiannual ones every six months, quarterly every
  three, monthly every month (``RRULE``), from the first such day on or after the plan's
  date (or the period's start) until the end of the period when the text gives one. A
  duty that states no day falls on the last day of each period; "định kỳ" with a day and
  month and no period repeats yearly;
* an ongoing task ("Thường xuyên") is no event: it is listed as a note (``VJOURNAL``), or
  left out with ``ongoing="skip"``; so is a recurring duty with nothing to date it from.

Every entry's description carries the task's text, its plan and the evidence (file and
character span); its ``UID`` is derived from the task's node id, so a rebuilt corpus gives
the same UIDs and a calendar app updates entries instead of duplicating them.

>>> import networkx as nx
>>> G = nx.MultiDiGraph(built="2024-01-01T00:00:00+00:00")
>>> G.add_node("p", kind="document", label="07-KH/UBND", date="2021-06-30", province="Gia Lai")
>>> G.add_node("t", kind="task", label="II.1", text="Báo cáo kết quả", due="12-05", recurrence="annual",
...            deadline_text="Định kỳ trước ngày 05 tháng 12 hằng năm")
>>> G.add_node("a", kind="agency", name="Sở Nội vụ", province="Gia Lai")
>>> _ = G.add_edge("p", "t", key="has_task", relation="has_task")
>>> _ = G.add_edge("t", "a", key="lead", relation="lead")
>>> ev = agency_calendar(G, "Sở NV").walk("VEVENT")[0]
>>> ev.decoded("DTSTART"), ev["RRULE"].to_ical()
(datetime.date(2021, 12, 5), b'FREQ=YEARLY')
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
from icalendar import Calendar, Event, Journal, vRecur

from cascade import __version__
from cascade.outputs.export import atomic_open
from cascade.query import tasks as task_rows
from cascade.vn.dates import period_end, period_start

#: what a recurrence repeats by: (frequency, interval in that frequency, months between due days)
_RULES = {"annual": ("YEARLY", 1, 12), "semiannual": ("MONTHLY", 6, 6), "quarterly": ("MONTHLY", 3, 3),
          "monthly": ("MONTHLY", 1, 1), "periodic": ("YEARLY", 1, 12)}
_ROLE_WORDS = {"lead": "leads", "cooperating": "cooperates on", "focal": "is the focal point of",
               "requested": "is asked to act on"}


# -- dates -----------------------------------------------------------------------------------------

def _first_day(value: str | None) -> dt.date | None:
    """The first day a (partial) ISO date means: "2021-07" -> 1 July 2021."""
    if not value or not value[:4].isdigit():
        return None
    try:
        return dt.date.fromisoformat(period_start(value[:10]))
    except ValueError:
        return None


def _last_day(value: str | None) -> dt.date | None:
    """The last day a (partial) ISO date means: "2021-09" -> 30 September 2021."""
    if value is None or _first_day(value) is None:          # the month must exist
        return None
    return dt.date.fromisoformat(period_end(value[:10]))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date.fromisoformat(period_end(f"{year:04d}-{month:02d}"))


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + month - 1 + n
    return k // 12, k % 12 + 1


def _on(year: int, month: int, day: int | None) -> dt.date:
    """Day ``day`` of the month, or its last day (None, or a day the month lacks)."""
    end = _month_end(year, month)
    return end if day is None or day > end.day else dt.date(year, month, day)


def _month_day(due: str | None) -> tuple[int, int] | None:
    """(month, day) of a due day written "12-05" or "2021-12-05"."""
    if not due:
        return None
    parts = due.split("-")
    try:
        month, day = (int(parts[-2]), int(parts[-1])) if len(parts) >= 2 else (0, 0)
    except ValueError:
        return None
    return (month, day) if 1 <= month <= 12 and 1 <= day <= 31 else None


def _first_occurrence(recurrence: str, due: str | None, anchor: dt.date) -> tuple[dt.date, int | None] | None:
    """The first due day of a recurring duty on or after ``anchor``, and the day of the month it
    falls on (None: the month's last day). None when the duty states no day it could fall on."""
    md = _month_day(due)
    step = _RULES[recurrence][2]
    if md is None:
        if recurrence == "periodic":
            return None
        # no day stated: the last day of each period (year, half, quarter, month)
        month = ((anchor.month - 1) // step + 1) * step
        return _month_end(anchor.year, month), None
    month, day = md
    if day >= 29 and step < 12:
        day_rule: int | None = None                        # "30/6 and 31/12": the month's last day
    else:
        day_rule = day
    # the candidate months: ``month`` and every ``step`` months from it, in the anchor's year or after
    first = (month - 1) % step + 1
    y, m = anchor.year, first
    while True:
        d = _on(y, m, day_rule if step < 12 else day)
        if d >= anchor:
            return d, day_rule
        y, m = _add_months(y, m, step)


# -- entries ---------------------------------------------------------------------------------------

def _uid(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:24] + "@cascade"


def _stamp(G: nx.MultiDiGraph) -> dt.datetime:
    """When the graph was built (so that the same build always gives the same file)."""
    built = G.graph.get("built")
    try:
        stamp = dt.datetime.fromisoformat(str(built)) if built else None
    except ValueError:
        stamp = None
    if stamp is None:
        stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


_ICS_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def _ics_text(text: str) -> str:
    """Text an iCalendar TEXT value may hold: control characters other than the newline
    (RFC 5545 §3.1 forbids them; icalendar escapes the newline) become U+FFFD."""
    return _ICS_FORBIDDEN.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def _summary(row: dict[str, Any], prefix: str = "") -> str:
    text = " ".join(str(row.get("text") or "").split())
    if len(text) > 90:
        text = text[:87].rstrip() + "..."
    return f"{prefix}{row['label']} {text} ({row['plan_label']})".strip()


def _description(row: dict[str, Any], agency: str, extra: Iterable[str] = ()) -> str:
    hit = row.get("agency") or {}
    ev = row["evidence"]
    span = ev.get("span")
    lines = [" ".join(str(row.get("text") or "").split()), ""]
    lines += list(extra)
    role = _ROLE_WORDS.get(hit.get("role", "lead"), "leads")
    who = hit.get("name") or agency
    if hit.get("as") in ("successor", "predecessor"):
        who += f" ({hit['as']} of the body asked for, merger of {hit['since']})"
    lines += [
        f"{who} {role} task {row['label']} of {row['plan_label']}"
        + (f" ({row['plan_date']}" + (f", {row['jurisdiction']})" if row.get("jurisdiction") else ")")
           if row.get("plan_date") else ""),
        "Lead: " + ("; ".join(row.get("lead") or []) or "-"),
    ]
    if row.get("cooperating"):
        lines.append("Cooperating: " + "; ".join(row["cooperating"]))
    if row["deadline"].get("text"):
        lines.append(f"Deadline: {row['deadline']['text']}")
    lines.append(f"Plan: {row['plan']}")
    if ev.get("file"):
        lines.append(f"Evidence: {ev['file']}" + (f", characters {span[0]}-{span[1]}" if span else ""))
    return "\n".join(lines)


def _entries(row: dict[str, Any], deadline: dict[str, Any], *, kind: str, agency: str, span_days: int,
             summary_prefix: str = "", extra: Iterable[str] = ()) -> tuple[str, dict[str, Any]] | None:
    """``("event" | "note", fields)`` for one deadline of a task row, None when it dates nothing."""
    recurrence = deadline.get("recurrence")
    due, start, end = deadline.get("due"), deadline.get("start"), deadline.get("end")
    summary = _summary(row, summary_prefix)
    description = _description(row, agency, extra)
    fields: dict[str, Any] = {"summary": summary, "description": description, "kind": kind,
                              "deadline": deadline.get("text")}
    if recurrence == "ongoing":
        fields["note"] = "ongoing: no day to put it on"
        return "note", fields
    if recurrence in _RULES:
        anchors = [d for d in (_first_day(row.get("plan_date")), _first_day(start)) if d is not None]
        found = _first_occurrence(recurrence, due, max(anchors)) if anchors else None
        if found is None:
            fields["note"] = "recurring, with no day or date to start from"
            return "note", fields
        first, day_rule = found
        freq, interval, _ = _RULES[recurrence]
        rule: dict[str, Any] = {"FREQ": freq}
        if interval > 1:
            rule["INTERVAL"] = interval
        if freq == "MONTHLY":
            rule["BYMONTHDAY"] = day_rule if day_rule is not None else -1
        until = _last_day(end)
        if until is not None and until >= first:
            rule["UNTIL"] = until
        fields.update(start=first, end=first + dt.timedelta(days=1), rrule=rule)
        return "event", fields
    day = dt.date.fromisoformat(due) if isinstance(due, str) and len(due) == 10 else None
    if day is not None:
        fields.update(start=day, end=day + dt.timedelta(days=1))
        return "event", fields
    begin, last = _first_day(start), _last_day(end)
    if begin is not None and last is not None and last >= begin and (last - begin).days < span_days:
        fields.update(start=begin, end=last + dt.timedelta(days=1))
        return "event", fields
    if last is not None:
        fields.update(start=last, end=last + dt.timedelta(days=1))
        return "event", fields
    if begin is not None:
        fields.update(start=begin, end=begin + dt.timedelta(days=1), summary="(from) " + summary)
        return "event", fields
    return None


def calendar_entries(G: nx.MultiDiGraph, agency: str, *, province: str | None = None,
                     roles: Iterable[str] = ("lead",), ongoing: str = "note", span_days: int = 92,
                     follow_mergers: bool = False) -> list[dict[str, Any]]:
    """The entries of :func:`agency_calendar`, as plain rows (one per event or note).

    Each row: ``uid``, ``type`` ("event" | "note"), ``kind`` ("task" | "report"), ``summary``,
    ``start`` / ``end`` (ISO days, the end exclusive, as iCalendar has it), ``rrule`` (e.g.
    "FREQ=YEARLY") or None, ``deadline`` (the phrase), ``task``, ``plan``, ``file``, ``note``.
    """
    if ongoing not in ("note", "skip"):
        raise ValueError(f"ongoing must be 'note' or 'skip', not {ongoing!r}")
    roles = tuple(roles)
    rows = task_rows(G, agency=agency, province=province, follow_mergers=follow_mergers)
    out: list[dict[str, Any]] = []
    for row in rows:
        hit = row.get("agency") or {}
        if hit.get("role") not in roles:
            continue
        made: list[tuple[str, dict[str, Any], str, tuple[str, ...], str]] = [
            ("task", row["deadline"], "", (), row["id"])]
        if hit.get("role") == "lead":                      # the lead reports, unless the text says otherwise
            for r in row["reporting"]:
                if not (r.get("due") or r.get("recurrence")):
                    continue                               # no time stated: nothing to put in a calendar
                deadline = {"text": r.get("text"), "due": r.get("due"), "recurrence": r.get("recurrence"),
                            "start": row["deadline"].get("start"), "end": row["deadline"].get("end")}
                made.append(("report", deadline, f"Report to {r['to']}: ", (f"Report to: {r['to']}",),
                             f"{row['id']}|report|{r['to']}|{r.get('text')}"))
        for kind, deadline, prefix, extra, uid_key in made:
            entry = _entries(row, deadline, kind=kind, agency=agency, span_days=span_days,
                             summary_prefix=prefix, extra=extra)
            if entry is None or (entry[0] == "note" and ongoing == "skip"):
                continue
            typ, f = entry
            rule = f.get("rrule")
            out.append({
                "uid": _uid(uid_key, kind), "type": typ, "kind": kind, "summary": f["summary"],
                "start": f["start"].isoformat() if "start" in f else None,
                "end": f["end"].isoformat() if "end" in f else None,
                "rrule": vRecur(rule).to_ical().decode() if rule else None, "deadline": f.get("deadline"),
                "task": row["id"], "plan": row["plan"], "file": row["evidence"]["file"],
                "note": f.get("note"),
                "_fields": f,
            })
    return out


def agency_calendar(G: nx.MultiDiGraph, agency: str, **options: Any) -> Calendar:
    """An :class:`icalendar.Calendar` of an agency's deadlines and recurring reporting duties.

    ``agency`` is a phrase as :func:`cascade.query.find_agencies` reads it ("Sở KH&CN");
    the options are those of :func:`calendar_entries` (``province``, ``roles``, ``ongoing``,
    ``span_days``, ``follow_mergers``).
    """
    return _calendar(G, agency, calendar_entries(G, agency, **options), options.get("province"))


def _calendar(G: nx.MultiDiGraph, agency: str, entries: list[dict[str, Any]],
              province: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", f"-//cascade {__version__}//agency deadlines//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _ics_text(f"cascade: {agency}" + (f" ({province})" if province else "")))
    stamp = _stamp(G)
    for e in entries:
        f = e["_fields"]
        comp: Event | Journal = Event() if e["type"] == "event" else Journal()
        comp.add("uid", e["uid"])
        comp.add("dtstamp", stamp)
        comp.add("summary", _ics_text(f["summary"]))
        description = f["description"] + (f"\n({f['note']})" if f.get("note") else "")
        comp.add("description", _ics_text(description))
        comp.add("categories", ["cascade", e["kind"]])
        if e["type"] == "event":
            comp.add("dtstart", f["start"])
            comp.add("dtend", f["end"])
            comp.add("transp", "TRANSPARENT")
            if f.get("rrule"):
                comp.add("rrule", f["rrule"])
        cal.add_component(comp)
    return cal


def write_calendar(G: nx.MultiDiGraph, path: str | Path, agency: str, **options: Any) -> list[dict[str, Any]]:
    """Write an agency's calendar (see :func:`agency_calendar`) to ``path`` ("-": stdout).

    The file is written to a temporary file and renamed into place. Returns the entries
    written (:func:`calendar_entries`, without their internal fields).
    """
    entries = calendar_entries(G, agency, **options)
    data = _calendar(G, agency, entries, options.get("province")).to_ical()
    if str(path) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        with atomic_open(path, "wb", encoding=None) as f:
            f.write(data)
    return [{k: v for k, v in e.items() if not k.startswith("_")} for e in entries]
