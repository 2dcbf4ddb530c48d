"""The command line's contract: -o is a file, -b the build folder; one-line errors; safe output."""
from __future__ import annotations

import csv
import io
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from cascade import cli

ROOT = Path(__file__).resolve().parents[1]
PROVINCE = ("ỦY BAN NHÂN DÂN\nTỈNH GIA LAI\n-------\nSố: 45/KH-UBND\n\nGia Lai, ngày 15 tháng 01 năm 2021\n\n"
            "KẾ HOẠCH\n\nThực hiện Kết luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư\n\nII. NHIỆM VỤ\n\n"
            "1. Rà soát văn bản\n\nGiao Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp thực hiện. Thời gian: "
            "trước ngày 30/6/2021.\n")


def cascade(*args: str, cwd: Path | None = None, limit: int | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8",
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))

    def cap() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "cascade", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300, preexec_fn=cap)


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli-output")
    (d / "docs").mkdir()
    (d / "docs" / "gia-lai.txt").write_text(PROVINCE, encoding="utf-8")
    r = cascade("build", str(d / "docs"), "-b", str(d / "build"), "--no-html", "--no-turtle", "-q")
    assert r.returncode == 0, r.stderr
    return d


def one_line_error(r: subprocess.CompletedProcess) -> str:
    assert r.returncode != 0 and "Traceback" not in r.stderr, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


def test_the_old_build_folder_option_says_what_to_write_instead(build):
    for old in (["--out", str(build / "build")], ["-o", str(build / "build")]):
        line = one_line_error(cascade("tree", "93-KL/TW", *old))
        assert "--build-dir" in line and "--output" not in line.split("no longer")[0]


def test_output_writes_the_answer_to_a_file(build):
    target = build / "tree.json"
    r = cascade("tree", "93-KL/TW", "-b", str(build / "build"), "-o", str(target))
    assert r.returncode == 0 and r.stdout == "" and "wrote" in r.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["count"] == 1


def test_extract_writes_csv_and_a_table_to_a_file(build):
    r = cascade("extract", str(build / "docs"), "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(r.stdout)))
    assert row["number"] == "45/KH-UBND" and row["province"] == "Gia Lai"
    target = build / "table.txt"
    r = cascade("extract", str(build / "docs"), "-f", "table", "-o", str(target))
    assert r.returncode == 0 and r.stdout == "" and "45/KH-UBND" in target.read_text(encoding="utf-8")


def test_a_negative_limit_is_refused(build):
    r = cascade("missing", "--limit", "-1", "-b", str(build / "build"))
    assert r.returncode == 2 and "--limit" in r.stderr and "greater than or equal to 0" in r.stderr


def test_tasks_of_a_cited_only_plan_say_why_there_are_none(build):
    r = cascade("tasks", "--doc", "93-KL/TW", "-b", str(build / "build"), "-f", "json")
    assert r.returncode == 0 and json.loads(r.stdout) == []
    assert "known only because other documents cite it" in r.stderr


def test_an_unknown_province_is_one_error_in_tasks_and_coverage(build):
    lines = [one_line_error(cascade(*args, "--province", "Atlantis", "-b", str(build / "build")))
             for args in (("tasks",), ("coverage", "93-KL/TW"))]
    assert all("unknown province 'Atlantis'" in line for line in lines)


def test_file_system_failures_are_one_line(build, tmp_path):
    a_file = tmp_path / "plain-file"
    a_file.write_text("x")
    line = one_line_error(cascade("build", str(build / "docs"), "-b", str(a_file / "sub"), "-q"))
    assert str(a_file) in line
    line = one_line_error(cascade("tree", "93-KL/TW", "-b", str(build / "build"), "-o", str(tmp_path)))
    assert str(tmp_path) in line
    # past `ulimit -f` a write fails with EFBIG rather than killing the process
    line = one_line_error(cascade("tree", "93-KL/TW", "-b", str(build / "build"), "-o",
                                  str(tmp_path / "t.json"), limit=64))
    assert "file size limit" in line and not (tmp_path / "t.json").exists()


def test_file_names_cannot_forge_lines_or_drive_the_terminal(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "ok.txt").write_text(PROVINCE, encoding="utf-8")
    (tmp_path / "docs" / "evil\ncascade: all good\x1b[2J.txt").write_bytes(b"")
    r = cascade("build", str(tmp_path / "docs"), "-b", str(tmp_path / "b"), "-q")
    assert r.returncode == 0
    lines = r.stderr.splitlines()
    assert "\x1b" not in r.stderr and not any(line.startswith("cascade: all good") for line in lines)
    assert "evil\\ncascade: all good\\e[2J.txt" in r.stderr


def test_csv_output_cells_cannot_run_as_formulas(capsys):
    cli.emit([{"text": "=cmd|' /C calc'!A0", "n": 3}, {"text": "@SUM(A1)", "n": -2}], cli.Fmt.csv)
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["text"] for r in rows] == ["'=cmd|' /C calc'!A0", "'@SUM(A1)"]
    assert [r["n"] for r in rows] == ["3", "'-2"]


def test_a_cache_entry_of_the_wrong_shape_is_read_again(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "gia-lai.txt").write_text(PROVINCE, encoding="utf-8")
    args = ("build", str(tmp_path / "docs"), "-b", str(tmp_path / "b"), "--no-html", "--no-turtle", "-q")
    assert cascade(*args).returncode == 0
    entries = [p for p in (tmp_path / "b" / "cache").rglob("*") if p.is_file()]
    assert entries
    for p in entries:
        p.write_text('[1, {"source": 2}]', encoding="utf-8")
    r = cascade(*args)
    assert r.returncode == 0 and "Traceback" not in r.stderr
    stats = json.loads((tmp_path / "b" / "build.json").read_text(encoding="utf-8"))["stats"]
    assert stats["documents"] == 1
