"""Tasks and agencies: the queries (cascade.query.tasks, agencies, find_agencies) and the
``tasks``, ``agencies`` and ``calendar`` commands, on the sample build and on small plans."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from cascade import cli, query
from cascade.extract.pipeline import extract_text
from cascade.graph import build_graph
from cascade.identity.documents import resolve

runner = CliRunner()
TASK_COMMANDS = ["tasks", "agencies", "calendar"]


def run(*args: str, out: Path) -> object:
    return runner.invoke(cli.app, [*args, "--build-dir", str(out)], catch_exceptions=True)


def as_json(*args: str, out: Path) -> object:
    r = run(*args, "--format", "json", out=out)
    assert r.exit_code == 0, (r.output, r.exception)
    return json.loads(r.stdout)


def plan(number: str, date: str, body: str) -> str:
    d, m, y = date.split("/")
    return (
        f"ỦY BAN NHÂN DÂN\nTỈNH GIA LAI\nSố: {number}\nGia Lai, ngày {d} tháng {m} năm {y}\n\nKẾ HOẠCH\n"
        f"Thực hiện chuyển đổi số\n\nI. NHIỆM VỤ\n{body}\n\nNơi nhận:\n- Lưu: VT.\n"
    )


# three tasks of Gia Lai: in 2021 for the Sở TT&TT and for the Sở KH&CN, in 2025 for the latter
TEXTS = {
    "a.txt": plan(
        "10/KH-UBND",
        "10/3/2021",
        "1. Hạ tầng số\nGiao Sở Thông tin và Truyền thông chủ trì.\n"
        "Thời gian thực hiện: Trước ngày 30/6/2022.\n2. Nghiên cứu\nGiao Sở KH&CN chủ trì.\n"
        "Thời gian thực hiện: Quý III/2021.",
    ),
    "b.txt": plan(
        "20/KH-UBND",
        "15/8/2025",
        "1. Hạ tầng số\nGiao Sở Khoa học và Công nghệ chủ trì, phối hợp "
        "với Sở Tài chính.\nThời gian thực hiện: Năm 2026.",
    ),
}


@pytest.fixture(scope="module")
def reform_graph():
    return build_graph(resolve([extract_text(t, name) for name, t in TEXTS.items()]))


# -- queries ------------------------------------------------------------------------------------------


def labels(rows: list[dict]) -> list[tuple[str, str]]:
    return [(r["plan_label"], r["label"]) for r in rows]


def test_an_agency_is_followed_across_the_2025_reform(reform_graph) -> None:
    G = reform_graph
    old = query.tasks(G, agency="Sở TT&TT")
    # its own task, and the successor's task of a plan dated after the merger (not its 2021 science work)
    assert labels(old) == [("10/KH-UBND", "I.1"), ("20/KH-UBND", "I.1")]
    assert [r["agency"]["as"] for r in old] == ["named", "successor"] and old[1]["agency"][
        "since"
    ] == "2025-03-01"
    # the new body: its own tasks; the old body's 2021 task only when mergers are followed, and labelled
    new = query.tasks(G, agency="Sở Khoa học và Công nghệ")
    assert labels(new) == [("10/KH-UBND", "I.2"), ("20/KH-UBND", "I.1")]
    assert {r["agency"]["as"] for r in new} == {"named"}
    followed = query.tasks(G, agency="Sở Khoa học và Công nghệ", follow_mergers=True)
    assert labels(followed) == [("10/KH-UBND", "I.1"), ("10/KH-UBND", "I.2"), ("20/KH-UBND", "I.1")]
    assert {r["label"]: r["agency"]["as"] for r in followed if r["plan_label"] == "10/KH-UBND"} == {
        "I.1": "predecessor",
        "I.2": "named",
    }
    # the successor never brings its pre-merger work to the old body, asked or not
    assert labels(query.tasks(G, agency="Sở TT&TT", follow_mergers=True)) == labels(old)


def test_agency_phrases_accept_abbreviations_and_parts(reform_graph) -> None:
    for phrase in ("Sở KH&CN", "sở khoa học và công nghệ", "Sở KHCN"):
        assert [
            v["name"] for v in query.find_agencies(reform_graph, phrase, follow_mergers=False).values()
        ] == ["Sở Khoa học và Công nghệ"]
    assert {v["name"] for v in query.find_agencies(reform_graph, "truyền thông").values()} >= {
        "Sở Thông tin và Truyền thông"
    }
    with pytest.raises(query.UnknownAgency) as e:
        query.find_agencies(reform_graph, "Sở Ngoại vụ")
    assert "no agency matches" in str(e.value)
    assert query.find_agencies(reform_graph, "Sở Tài chính", province="Gia Lai")
    with pytest.raises(query.UnknownAgency):
        query.find_agencies(reform_graph, "Sở Tài chính", province="Kon Tum")


def test_task_rows_carry_deadline_and_evidence(reform_graph) -> None:
    row = query.tasks(reform_graph, doc="10/KH-UBND")[0]
    assert row["lead"] == ["Sở Thông tin và Truyền thông"] and row["cooperating"] == []
    assert row["deadline"] == {
        "text": "Trước ngày 30/6/2022",
        "start": None,
        "end": None,
        "due": "2022-06-30",
        "recurrence": None,
    }
    assert row["due"] == "2022-06-30" and row["evidence"]["file"] == "a.txt"
    a, b = row["evidence"]["span"]
    assert TEXTS["a.txt"][a:b].startswith("1. Hạ tầng số")  # the span points into the text as read
    assert json.loads(json.dumps(row)) == row


def test_due_and_overdue_filters(reform_graph) -> None:
    G = reform_graph
    assert labels(query.tasks(G, due_before="2022")) == [("10/KH-UBND", "I.2")]  # 2021-09-30
    assert labels(query.tasks(G, due_before="2022-07-01")) == [("10/KH-UBND", "I.1"), ("10/KH-UBND", "I.2")]
    late = query.tasks(G, overdue_as_of="2022-07-10")
    assert [(r["label"], r["overdue_days"]) for r in late] == [("I.1", 10), ("I.2", 283)]
    with pytest.raises(query.CascadeError):
        query.tasks(G, due_before="30/6/2022")


def test_workload_per_agency(reform_graph) -> None:
    rows = {r["agency"]: r for r in query.agencies(reform_graph)}
    kh = rows["Sở Khoa học và Công nghệ"]
    assert (kh["lead"], kh["cooperating"], kh["plans"], kh["predecessors"]) == (
        2,
        0,
        2,
        ["Sở Thông tin và Truyền thông"],
    )
    tt = rows["Sở Thông tin và Truyền thông"]
    assert (tt["successor"], tt["successor_since"]) == ("Sở Khoa học và Công nghệ", "2025-03-01")
    assert [r["agency"] for r in query.agencies(reform_graph, role="cooperating")] == ["Sở Tài chính"]
    matched = {r["agency"]: r["matched_as"] for r in query.agencies(reform_graph, agency="Sở KH&CN")}
    assert matched == {"Sở Khoa học và Công nghệ": "named"}
    matched = {r["agency"]: r["matched_as"]
               for r in query.agencies(reform_graph, agency="Sở KH&CN", follow_mergers=True)}
    assert matched == {"Sở Khoa học và Công nghệ": "named", "Sở Thông tin và Truyền thông": "predecessor"}
    with pytest.raises(query.CascadeError):
        query.agencies(reform_graph, role="chủ trì")


def test_queries_on_the_sample_build(sample_graph) -> None:
    rows = query.tasks(sample_graph, agency="Sở KH&CN", province="Dak Lak")
    assert rows and all(r["jurisdiction"] == "Đắk Lắk" for r in rows)
    assert all(
        "Sở Khoa học và Công nghệ" in r["lead"] + r["cooperating"] + r["focal"] + r["requested"]
        or r["agency"]["as"] == "predecessor"
        for r in rows
    )
    work = query.agencies(sample_graph, province="Đắk Lắk", role="lead")
    assert work == sorted(work, key=lambda r: -r["lead"]) and all(r["province"] == "Đắk Lắk" for r in work)


# -- commands -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", TASK_COMMANDS)
def test_help_shows_an_example(command) -> None:
    r = runner.invoke(cli.app, [command, "--help"])
    assert r.exit_code == 0 and "Example" in r.stdout and "cascade " + command in r.stdout
    assert "--format" in r.stdout and "--build-dir" in r.stdout


def test_tasks_command(sample_build: Path) -> None:
    rows = as_json("tasks", "--agency", "Sở KH&CN", "--province", "Đắk Lắk", out=sample_build)
    assert rows == query.tasks(query_graph(sample_build), agency="Sở KH&CN", province="Đắk Lắk")
    r = run("tasks", "--doc", "000_319b8b36a4c16e47.txt", "--format", "csv", out=sample_build)
    assert r.exit_code == 0, r.output
    table = list(csv.DictReader(io.StringIO(r.stdout)))
    assert table and table[0].keys() >= {"plan", "label", "lead", "deadline", "due", "file", "span"}
    r = run("tasks", "--overdue-as-of", "2030-01-01", "--format", "jsonl", out=sample_build)
    assert r.exit_code == 0 and all(json.loads(line)["overdue_days"] > 0 for line in r.stdout.splitlines())
    r = run("tasks", "--agency", "Sở TT&TT", "--format", "table", out=sample_build)
    assert r.exit_code == 0 and "tasks naming Sở TT&TT" in r.stdout


def test_agencies_command(sample_build: Path) -> None:
    rows = as_json("agencies", "--role", "lead", "--limit", "3", out=sample_build)
    assert len(rows) == 3 and rows[0]["lead"] >= rows[1]["lead"] >= rows[2]["lead"]
    r = run("agencies", "--province", "Đắk Lắk", "--format", "csv", out=sample_build)
    first = next(csv.DictReader(io.StringIO(r.stdout)))
    assert first.keys() >= {"agency", "lead", "cooperating", "plans", "successor", "predecessors"}
    rows = as_json("agencies", "--agency", "Sở Thông tin và Truyền thông", out=sample_build)
    assert {(r["agency"], r["matched_as"]) for r in rows} == {("Sở Thông tin và Truyền thông", "named")}
    rows = as_json("agencies", "--agency", "Sở Thông tin và Truyền thông", "--follow-mergers",
                   out=sample_build)
    assert {(r["agency"], r["matched_as"]) for r in rows} == {
        ("Sở Thông tin và Truyền thông", "named"),
        ("Sở Khoa học và Công nghệ", "successor"),
    }
    r = run("agencies", "--agency", "Sở Thông tin và Truyền thông", "--format", "table", out=sample_build)
    assert r.exit_code == 0 and "agencies" in r.stdout


def test_calendar_command(sample_build: Path, tmp_path: Path) -> None:
    path = tmp_path / "deadlines.ics"
    r = run(
        "calendar",
        "--agency",
        "Liên hiệp các Hội KH&KT tỉnh",
        "--province",
        "Đắk Lắk",
        "-o",
        str(path),
        "--format",
        "json",
        out=sample_build,
    )
    assert r.exit_code == 0, r.output
    entries = json.loads(r.stdout)
    cal = Calendar.from_ical(path.read_bytes())
    assert [str(e["UID"]) for e in cal.subcomponents] == [e["uid"] for e in entries] and entries
    assert "wrote" in r.stderr and str(path) in r.stderr
    r = run("calendar", "--agency", "Liên hiệp các Hội KH&KT tỉnh", "-o", "-", out=sample_build)
    assert r.exit_code == 0 and r.stdout.startswith("BEGIN:VCALENDAR")


def test_an_unknown_agency_is_one_line_and_exit_1(sample_build: Path, monkeypatch, capsys) -> None:
    for args in (["tasks", "--agency", "Sở Ngoại vụ"], ["calendar", "--agency", "Sở Ngoại vụ"]):
        monkeypatch.setattr(sys, "argv", ["cascade", *args, "--build-dir", str(sample_build)])
        with pytest.raises(SystemExit) as e:
            cli.main()
        err = capsys.readouterr().err
        assert e.value.code == 1 and err.count("\n") == 1 and "no agency matches 'Sở Ngoại vụ'" in err


def query_graph(out: Path):
    from cascade.corpus.build import load

    return load(out).graph
