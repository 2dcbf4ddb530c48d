"""End to end over data/: the CLI builds the sample corpus and the shared scorer grades it."""
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
needs_shared = pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(),
                                  reason="../shared is not beside the repo")


def cascade(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "cascade", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    r = cascade("build", "data/", "--build-dir", str(out))
    assert r.returncode == 0, r.stderr
    return out, r


def test_build_writes_the_outputs_and_a_summary(built):
    out, r = built
    for name in ("records.jsonl", "graph.json", "build.json", "conflicts.json"):
        assert (out / name).exists(), name
    assert "built 5 documents" in r.stdout
    stats = json.loads((out / "build.json").read_text(encoding="utf-8"))["stats"]
    assert stats["documents"] == 5 and stats["failed"] == 0
    # every phase is timed, and the Turtle file and the map (written by default) take their own
    phases = ("extract", "resolve", "write", "publish")
    assert all(stats[f"seconds_{p}"] >= 0 and stats[f"cpu_{p}"] >= 0 for p in phases)
    assert stats["cpu_publish"] > 0 and stats["seconds_publish"] <= stats["seconds_total"]


def test_the_conflicting_date_of_52_kl_tw_is_reported(built):
    out, _ = built
    conflicts = json.loads((out / "conflicts.json").read_text(encoding="utf-8"))
    assert any(c["node"] == "52-KL/TW" and c["field"] == "date" for c in conflicts)


def test_rebuild_reads_nothing_again(built):
    out, _ = built
    r = cascade("build", "data/", "--build-dir", str(out))
    assert r.returncode == 0
    stats = json.loads((out / "build.json").read_text(encoding="utf-8"))["stats"]
    assert stats["cached"] == 5 and stats["extracted"] == 0


def test_a_bad_file_is_reported_in_one_line_and_skipped(tmp_path):
    (tmp_path / "good.txt").write_text("KẾ HOẠCH\n\nThực hiện Kết luận số 93-KL/TW của Ban Bí thư.\n",
                                       encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 not really")
    r = cascade("build", str(tmp_path), "--build-dir", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    bad = [line for line in r.stderr.splitlines() if "empty.txt" in line or "scan.pdf" in line]
    assert len(bad) == 2 and all(": " in line for line in bad)
    r = cascade("build", str(tmp_path / "empty.txt"), "--build-dir", str(tmp_path / "out2"))
    assert r.returncode != 0 and "nothing could be read" in r.stderr
    assert len(r.stderr.strip().splitlines()) <= 2


def _score():
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@needs_shared
def test_the_shared_scorer_on_the_sample_plans(built, tmp_path):
    out, _ = built
    seeds = sorted(str(p) for p in (ROOT / "data" / "seeds").glob("*.txt"))
    r = cascade("extract", *seeds, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    records = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    g = cascade("export", "--format", "node-link", "--build-dir", str(out))
    graph = json.loads(g.stdout)
    gold = json.loads((SHARED / "gold" / "seeds.json").read_text(encoding="utf-8"))
    result = _score().score(gold, records, graph)
    assert result["metadata"]["accuracy"] >= 0.95, result["metadata"]["wrong"]
    assert result["mentions"]["f1"] >= 0.97, (result["mentions"]["missed"], result["mentions"]["extra"])
    assert result["edges"]["f1"] >= 0.95, (result["edges"]["missed"], result["edges"]["extra"])
    assert result["graph"]["passed"] == result["graph"]["total"], result["graph"]["failed"]
    lead = result["lead_agencies"]
    assert lead["f1"] >= 0.90, (lead["missed"], lead["extra"])
    assert result["tasks"]["accuracy"] >= 0.90, result["tasks"]["wrong"]


@needs_shared
@pytest.mark.slow
def test_the_shared_scorer_on_a_synthetic_corpus(tmp_path):
    gen = subprocess.run([sys.executable, str(SHARED / "synth" / "make_corpus.py"), str(tmp_path / "synth"),
                          "--directives", "1", "--seed", "11"], capture_output=True, text=True, timeout=300)
    assert gen.returncode == 0, gen.stderr
    out = tmp_path / "out"
    r = cascade("build", str(tmp_path / "synth" / "docs"), "--build-dir", str(out),
                "--no-html", "--no-turtle", "-q")
    assert r.returncode == 0, r.stderr
    records = [json.loads(line) for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    gold = json.loads((tmp_path / "synth" / "gold.json").read_text(encoding="utf-8"))
    result = _score().score(gold, records, graph)
    assert result["mentions"]["f1"] >= 0.97
    assert result["edges"]["f1"] >= 0.95
    assert result["metadata"]["accuracy"] >= 0.90
    assert result["lead_agencies"]["f1"] >= 0.95
    assert result["tasks"]["accuracy"] >= 0.95
    assert result["graph"]["passed"] == result["graph"]["total"], result["graph"]["failed"][:5]
