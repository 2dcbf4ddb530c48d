"""The command line, one section per command, on a build of the sample corpus in data/.

Commands run in-process through typer's CliRunner; ``main()`` (which turns errors into one
line on stderr and an exit code) is called directly where that matters.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cascade import cli, query
from cascade.corpus.build import build
from cascade.errors import BuildError

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "seeds"
IA_HDRAI = SEEDS / "004_5f6ac51fd7d22cf5.txt"
PROVINCIAL_PARTY_PLANS = {"07-KH/TU@Đắk Lắk", "15-KH/TU@Bình Thuận", "25-KH/TU@Gia Lai"}

runner = CliRunner()


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """A build of data/ (the five sample plans), made once for this module."""
    folder = tmp_path_factory.mktemp("cli-build")
    build([ROOT / "data"], folder, workers=1)
    return folder


def run(*args: str, out: Path | None = None) -> object:
    argv = [*args] + (["--build-dir", str(out)] if out is not None else [])
    return runner.invoke(cli.app, argv, catch_exceptions=True)


def as_json(*args: str, out: Path) -> object:
    r = run(*args, "--format", "json", out=out)
    assert r.exit_code == 0, (r.output, r.exception)
    return json.loads(r.stdout)


def file_id(path: Path) -> str:
    return f"file:{path}"


# -- every query command --------------------------------------------------------------------------

QUERY_COMMANDS = ["show", "tree", "chain", "coverage", "lag", "missing", "conflicts"]


@pytest.mark.parametrize("command", QUERY_COMMANDS)
def test_help_shows_an_example(command):
    r = runner.invoke(cli.app, [command, "--help"])
    assert r.exit_code == 0 and "Example" in r.stdout and "cascade " + command in r.stdout


@pytest.mark.parametrize("command", QUERY_COMMANDS)
def test_without_a_build_the_error_says_how_to_make_one(command, tmp_path):
    args = [command] if command in ("missing", "conflicts") else [command, "93-KL/TW"]
    r = run(*args, out=tmp_path / "empty")
    assert r.exit_code != 0 and isinstance(r.exception, BuildError)
    assert "cascade build" in str(r.exception)


def test_ambiguous_and_unknown_documents_exit_non_zero_with_one_line(out, monkeypatch, capsys):
    r = run("tree", "52", out=out)                   # 52-KL/TW and 52-CT/TU@Bình Thuận
    assert r.exit_code == 1 and isinstance(r.exception, query.AmbiguousDocument)
    r = run("chain", "99-KL/TW", out=out)
    assert r.exit_code == 1 and isinstance(r.exception, query.UnknownDocument)
    for phrase, words in (("52", ["52-KL/TW", "52-CT/TU@Bình Thuận"]), ("99-KL/TW", ["93-KL/TW"])):
        monkeypatch.setattr(sys, "argv", ["cascade", "tree", phrase, "--build-dir", str(out)])
        with pytest.raises(SystemExit) as e:
            cli.main()
        err = capsys.readouterr().err
        assert e.value.code == 1 and err.count("\n") == 1 and err.startswith("cascade: error:")
        assert all(w in err for w in words), err


def test_piped_output_defaults_to_json(out):
    r = run("tree", "93-KL/TW", out=out)                # CliRunner's stdout is not a terminal
    assert json.loads(r.stdout)["root"] == "93-KL/TW"


# -- show ---------------------------------------------------------------------------------------------

def test_show_says_why_a_plan_implements_a_directive(out):
    s = as_json("show", "07-KH/TU@Đắk Lắk", out=out)
    assert s["attributes"]["number"] == "07-KH/TU" and s["attributes"]["date"] == "2020-12-23"
    up = {x["id"]: x for x in s["implements"]}["93-KL/TW"]
    assert "93-KL/TW" in up["quote"] and up["file"].endswith("000_319b8b36a4c16e47.txt")
    assert len(up["span"]) == 2 and up["span"][0] < up["span"][1]
    text = (SEEDS / "000_319b8b36a4c16e47.txt").read_text(encoding="utf-8")
    assert "07-KH/TU" in text[up["span"][0]:up["span"][1]]
    assert file_id(SEEDS / "000_319b8b36a4c16e47.txt") in {x["id"] for x in s["implemented_by"]}


def test_show_lists_conflicts_of_the_document(out):
    s = as_json("show", "52-KL/TW", out=out)
    assert s["conflicts"] and s["conflicts"][0]["field"] == "date"


def test_show_as_a_table_and_as_csv(out):
    r = run("show", "Kết luận 93", "--format", "table", out=out)
    assert r.exit_code == 0 and "implemented by" in r.stdout and "42-CT/TW" in r.stdout
    r = run("show", "93-KL/TW", "--format", "csv", out=out)
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {row["direction"] for row in rows} >= {"implements", "implemented_by"}


# -- tree ---------------------------------------------------------------------------------------------

def test_tree_of_42_ct_tw_reaches_the_provincial_plans_and_the_samples(out):
    t = as_json("tree", "42-CT/TW", out=out)
    by_id = {n["id"]: n for n in t["nodes"]}
    assert by_id["93-KL/TW"]["parent"] == "42-CT/TW" and by_id["93-KL/TW"]["relation"] == "continues"
    for plan in PROVINCIAL_PARTY_PLANS:
        assert by_id[plan]["parent"] == "93-KL/TW" and by_id[plan]["level"] == "province"
    parents = {n["parent"] for n in t["nodes"] if n["id"].startswith("file:")}
    assert parents == PROVINCIAL_PARTY_PLANS
    assert file_id(SEEDS / "002_174a28dc88bcd672.txt") in by_id      # Phú Thiện, under 25-KH/TU@Gia Lai


def test_tree_as_a_terminal_tree(out):
    r = run("tree", "42-CT/TW", "--format", "table", out=out)
    assert r.exit_code == 0
    for word in ("93-KL/TW", "07-KH/TU", "15-KH/TU", "25-KH/TU", "documents implement 42-CT/TW"):
        assert word in r.stdout


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_tree_rows_for_spreadsheets(out, fmt):
    r = run("tree", "93-KL/TW", "--format", fmt, out=out)
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(r.stdout)))
    else:
        rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert rows[0]["id"] == "93-KL/TW" and len(rows) == 7
    assert {"depth", "parent", "jurisdiction", "date", "branch"} <= set(rows[0])


# -- chain --------------------------------------------------------------------------------------------

def test_chain_of_the_ia_hdrai_plan_reaches_the_kon_tum_plan(out):
    c = as_json("chain", str(IA_HDRAI), out=out)
    # the Kon Tum plan carries out the strategy 569/QĐ-TTg approves (issue 10): the chain goes through 2629
    assert c["roots"] == ["569/QĐ-TTg"]
    assert c["paths"][0][0]["id"] == file_id(IA_HDRAI)
    assert "2629/KH-UBND@Kon Tum" in [step["id"] for step in c["paths"][0]]
    assert as_json("chain", IA_HDRAI.name, out=out) == c                # the file name alone will do


def test_chain_of_the_phu_thien_plan_has_two_paths(out):
    c = as_json("chain", "002_174a28dc88bcd672", out=out)
    assert c["roots"] == ["42-CT/TW"] and len(c["paths"]) == 2
    r = run("chain", "002_174a28dc88bcd672", "--format", "table", out=out)
    assert "path 2" in r.stdout and "25-KH/TU" in r.stdout


# -- coverage -----------------------------------------------------------------------------------------

def test_coverage_of_93_kl_tw_by_province(out):
    c = as_json("coverage", "93-KL/TW", out=out)
    assert c["total"] == 63 and c["with_party"] == 3 and c["with_state"] == 2
    have = {r["province"] for r in c["rows"] if r["has_party"]}
    assert have == {"Đắk Lắk", "Bình Thuận", "Gia Lai"}
    assert "Hà Nội" in c["none"] and len(c["none"]) == 60


def test_coverage_by_district_of_one_province_as_of_a_date(out):
    c = as_json("coverage", "93-KL/TW", "--level", "district", "--province", "Gia Lai", out=out)
    assert {r["district"] for r in c["rows"] if r["has_party"]} == {"Phú Thiện"}
    c = as_json("coverage", "93-KL/TW", "--level", "district", "--province", "Gia Lai",
                "--as-of", "2021-06-29", out=out)
    assert c["with_any"] == 0
    r = run("coverage", "93-KL/TW", "--as-of", "yesterday", out=out)
    assert r.exit_code != 0


def test_coverage_table_names_the_gaps(out):
    r = run("coverage", "93-KL/TW", "--format", "table", out=out)
    assert r.exit_code == 0 and "3/63 provinces with a Party plan" in r.stdout


# -- lag ----------------------------------------------------------------------------------------------

def test_lag_of_93_kl_tw(out):
    r = as_json("lag", "93-KL/TW", out=out)
    t = r["transitions"]["central->province"]
    assert t["n"] == 3 and t["min"] == 33                             # 20/11/2020 -> 23/12/2020
    assert r["curves"][0]["level"] == "province" and r["curves"][0]["acted"] == 3
    rows = list(csv.DictReader(io.StringIO(run("lag", "93-KL/TW", "--format", "csv", out=out).stdout)))
    assert "central->province" in {row["transition"] for row in rows}
    assert "share that had acted" in run("lag", "93-KL/TW", "--format", "table", out=out).stdout


# -- missing ------------------------------------------------------------------------------------------

def test_missing_lists_what_to_collect_next(out):
    rows = as_json("missing", out=out)
    ids = [r["id"] for r in rows]
    assert {"569/QĐ-TTg", "36-NQ/TW", "93-KL/TW", "42-CT/TW", "2629/KH-UBND@Kon Tum"} <= set(ids)
    assert not any(i.startswith("file:") for i in ids)
    assert ids[0] == "93-KL/TW"                                       # cited by three of the five files
    files = [r["files"] for r in rows]
    assert files == sorted(files, reverse=True)
    assert len(as_json("missing", "--limit", "3", out=out)) == 3


# -- conflicts ----------------------------------------------------------------------------------------

def test_conflicts_shows_the_two_dates_of_52_kl_tw(out):
    rows = as_json("conflicts", out=out)
    c = {r["node"]: r for r in rows}["52-KL/TW"]
    assert {v["value"] for v in c["values"]} == {"2012-05-30", "2019-05-30"}
    flat = list(csv.DictReader(io.StringIO(run("conflicts", "--format", "csv", out=out).stdout)))
    assert {r["value"] for r in flat if r["node"] == "52-KL/TW"} == {"2012-05-30", "2019-05-30"}


# -- export ---------------------------------------------------------------------------------------

def test_export_node_link_and_records_print_the_build(out):
    r = run("export", "--format", "node-link", out=out)
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["multigraph"] and {"07-KH/TU@Đắk Lắk", "93-KL/TW"} <= {n["id"] for n in data["nodes"]}
    r = run("export", "--format", "records", out=out)
    assert r.exit_code == 0, r.output
    printed = [json.loads(line) for line in r.stdout.splitlines() if line]
    lines = (out / "records.jsonl").read_text(encoding="utf-8").split("\n")
    written = [json.loads(line) for line in lines if line]
    assert printed == written and len(printed) == 5
