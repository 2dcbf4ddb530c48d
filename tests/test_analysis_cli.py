"""The research commands end to end, in-process, on the hand-written Bắc Kạn corpus."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from analysis_corpus import write
from typer.testing import CliRunner

import cascade
from cascade import cli

runner = CliRunner()


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("acli")
    cascade.build([write(root)], root / "out", use_cache=False)
    return root / "out"


def run(*args: str) -> object:
    r = runner.invoke(cli.app, list(args), catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r


def test_lateness_csv(out: Path) -> None:
    r = run("lateness", "15-KH/TU@Bắc Kạn", "--build-dir", str(out), "-f", "csv")
    rows = {row["jurisdiction"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    assert (rows["Bắc Kạn/Na Rì"]["status"], rows["Bắc Kạn/Na Rì"]["days"]) == ("late", "10")


def test_panel_file_and_stdout(out: Path, tmp_path: Path) -> None:
    run("panel", "15-KH/TU@Bắc Kạn", "--level", "district", "--output", str(tmp_path / "p.csv"),
        "--build-dir", str(out))
    rows = list(csv.DictReader((tmp_path / "p.csv").open(encoding="utf-8")))
    assert sum(int(r["event"]) for r in rows) == 4                  # four dated district plans
    r = run("panel", "15-KH/TU@Bắc Kạn", "--level", "district", "--build-dir", str(out), "-f", "json")
    assert json.loads(r.stdout)["events"] == 4


def test_geomap_reuse_diff(out: Path, tmp_path: Path) -> None:
    run("geomap", "15-KH/TU@Bắc Kạn", "--level", "district", "--output", str(tmp_path / "m.html"),
        "--build-dir", str(out))
    assert (tmp_path / "m.html").read_text(encoding="utf-8").count('<circle class="unit"') == 8
    v = json.loads(run("reuse", "88-CT/TW", "--build-dir", str(out), "-f", "json").stdout)
    assert {r["level"] for r in v["rows"]} == {"province", "district"}
    assert all(0 < r["text_share"] < 1 for r in v["rows"])
    d = json.loads(run("diff", str(out), str(out), "-f", "json").stdout)
    assert d["documents"]["added"] == [] and d["links"]["removed"] == []


def test_survival(out: Path, tmp_path: Path) -> None:
    pytest.importorskip("lifelines")
    r = run("survival", "15-KH/TU@Bắc Kạn", "--level", "district", "--by", "branch", "--no-cox",
            "--figure", str(tmp_path / "km"), "--build-dir", str(out), "-f", "json")
    # eight districts; Chợ Đồn's Party plan has no day, so it cannot be placed on the Party curve
    assert json.loads(r.stdout)["groups"] == {"party": 7, "state": 8}
    assert (tmp_path / "km.png").exists() and (tmp_path / "km.svg").exists()
