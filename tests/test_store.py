"""The build as a database: cascade.db, loading without pickle, a lock, outputs that appear together."""
from __future__ import annotations

import fcntl
import json
import os
import pickle
import sqlite3
import time
from pathlib import Path

import pytest

from cascade.corpus import build as corpus
from cascade.corpus.build import build, extract_paths, load, load_records
from cascade.errors import BuildError
from cascade.graph import DOCUMENT, KIND
from cascade.vocab import DOCUMENT_RELATIONS

PLANS = {
    "gia-lai.txt": "KẾ HOẠCH\n\nThực hiện Kết luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư, "
                   "UBND tỉnh Gia Lai ban hành kế hoạch:\n\n1. Sở Nội vụ chủ trì tuyên truyền, hoàn thành "
                   "trong năm 2021.\n2. Sở Tài chính phối hợp bố trí kinh phí.\n",
    "kon-tum.txt": "KẾ HOẠCH\n\nThực hiện Kết luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư, "
                   "UBND tỉnh Kon Tum ban hành kế hoạch:\n\n1. Sở Tư pháp chủ trì rà soát.\n",
    "dak-lak.txt": "KẾ HOẠCH\n\nThực hiện Kết luận số 93-KL/TW ngày 20/12/2020 của Ban Bí thư, "
                   "UBND tỉnh Đắk Lắk ban hành kế hoạch:\n\n1. Sở Khoa học và Công nghệ chủ trì.\n",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "docs"
    src.mkdir()
    for name, text in PLANS.items():
        (src / name).write_text(text, encoding="utf-8")
    return src


def _same_graph(a, b) -> None:
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
    assert a.graph == b.graph


def test_load_gives_back_the_graph_the_build_made(folder, tmp_path):
    b = build([folder], tmp_path / "out", workers=1, turtle=False, html=False)
    _same_graph(load(tmp_path / "out").graph, b.graph)


def test_documents_only_is_the_documents_and_their_links(folder, tmp_path):
    G = build([folder], tmp_path / "out", workers=1, turtle=False, html=False).graph
    H = load(tmp_path / "out", documents_only=True).graph
    docs = [n for n, k in G.nodes(data=KIND) if k == DOCUMENT]
    assert list(H.nodes) == docs and len(docs) == 4
    want = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if k in DOCUMENT_RELATIONS]
    assert sorted(H.edges(keys=True, data=True), key=str) == sorted(want, key=str) and want


def test_the_database_holds_documents_mentions_relations_tasks_and_conflicts(folder, tmp_path):
    b = build([folder], tmp_path / "out", workers=1, turtle=False, html=False)
    con = sqlite3.connect(tmp_path / "out" / "cascade.db")
    assert con.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 3
    rows = con.execute("SELECT source, file, quote FROM relations WHERE target = '93-KL/TW' AND relation = "
                       "'implements' ORDER BY file").fetchall()
    assert [Path(f).name for _, f, _ in rows] == ["dak-lak.txt", "gia-lai.txt", "kon-tum.txt"]
    assert all("93-KL/TW" in q for *_, q in rows)
    tasks = con.execute("SELECT t.label, a.name FROM tasks t JOIN task_agencies ta ON ta.task = t.id "
                        "JOIN agencies a ON a.id = ta.agency "
                        "WHERE t.file LIKE '%gia-lai.txt' AND ta.role = 'lead'").fetchall()
    assert ("1", "Sở Nội vụ") in tasks
    assert con.execute("SELECT COUNT(*) FROM mentions WHERE document = '93-KL/TW'").fetchone()[0] == 3
    conflicts = con.execute("SELECT DISTINCT document, field FROM conflicts").fetchall()
    assert conflicts == [("93-KL/TW", "date")] == [(c.node, c.field) for c in b.corpus.conflicts]
    con.close()


def test_no_pickle_is_ever_read_from_a_build_folder(folder, tmp_path):
    out = tmp_path / "out"
    build([folder], out, workers=1, turtle=False, html=False)
    assert not (out / "graph.pickle").exists()
    trap = tmp_path / "ran"

    class Boom:
        def __reduce__(self):
            return (os.mkdir, (str(trap),))

    (out / "graph.pickle").write_bytes(pickle.dumps(Boom()))
    load(out)
    load(out, documents_only=True)
    assert not trap.exists()
    old = tmp_path / "old"                          # a folder of an older version: a pickle only
    old.mkdir()
    (old / "graph.pickle").write_bytes(pickle.dumps(Boom()))
    with pytest.raises(BuildError, match="no build"):
        load(old)
    assert not trap.exists()


def test_a_second_build_into_a_busy_folder_fails_in_one_line(folder, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out / ".lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(BuildError, match="another build") as e:
            build([folder], out, workers=1, turtle=False, html=False)
        assert "\n" not in str(e.value)
    finally:
        os.close(fd)
    build([folder], out, workers=1, turtle=False, html=False)      # free again


def test_files_of_two_builds_are_refused(folder, tmp_path):
    out = tmp_path / "out"
    build([folder], out, workers=1, turtle=False, html=False)
    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    manifest["build"] = "another"
    (out / "build.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BuildError, match="two builds"):
        load(out)


def test_a_failed_build_leaves_the_previous_one_whole_and_no_temporary_files(folder, tmp_path):
    out = tmp_path / "out"
    build([folder], out, workers=1, turtle=False, html=False)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def broken(b):
        (Path(b.out) / "half.txt").write_text("x")
        raise OSError(28, "No space left on device")

    (folder / "kon-tum.txt").unlink()
    with pytest.raises(BuildError, match="No space left"):
        build([folder], out, workers=1, turtle=False, html=False, extras=[broken])
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert not list(out.glob(".build-*")) and not list(out.rglob("*.tmp"))
    assert len(load_records(out)) == 3


def test_the_library_build_writes_what_the_command_writes(folder, tmp_path):
    b = build([folder], tmp_path / "out", workers=1)
    names = {p.name for p in b.written}
    assert {"records.jsonl", "graph.json", "cascade.db", "cascade.ttl", "map.html", "build.json"} <= names
    assert all(p.parent == tmp_path / "out" and p.exists() for p in b.written)


def _slow_or_crashing(real):
    def extract(path, *args, **kwargs):
        name = Path(path).name
        if name == "slow.txt":
            time.sleep(3600)
        if name == "crash.txt":
            os._exit(3)                                 # a reader that takes the whole process down
        return real(path, *args, **kwargs)
    return extract


def test_a_file_over_its_time_budget_or_killing_its_worker_costs_only_it(folder, tmp_path, monkeypatch):
    from cascade.extract import pipeline

    monkeypatch.setattr(pipeline, "extract_file", _slow_or_crashing(pipeline.extract_file))
    (folder / "crash.txt").write_text("KẾ HOẠCH\n", encoding="utf-8")
    (folder / "slow.txt").write_text("KẾ HOẠCH\n", encoding="utf-8")
    b = build([folder], tmp_path / "out", workers=2, turtle=False, html=False, file_timeout=1)
    problems = {Path(e.path).name: e.message for e in b.errors}
    assert set(problems) == {"crash.txt", "slow.txt"}
    assert "longer than 1 s" in problems["slow.txt"] and "exit code 3" in problems["crash.txt"]
    assert sorted(Path(r.source).name for r in load_records(tmp_path / "out")) == sorted(PLANS)


def test_a_record_that_cannot_be_serialised_costs_only_its_file(folder, tmp_path, monkeypatch):
    from cascade.corpus import extraction

    real = extraction.record_json

    def record_json(rec):
        if rec.source.endswith("kon-tum.txt"):
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return real(rec)

    monkeypatch.setattr(extraction, "record_json", record_json)
    b = build([folder], tmp_path / "out", workers=1, use_cache=False, turtle=False, html=False)
    assert [Path(e.path).name for e in b.errors] == ["kon-tum.txt"]
    assert "UnicodeEncodeError" in b.errors[0].message and b.stats["documents"] == 2


def test_one_and_two_workers_build_the_same(folder, tmp_path):
    texts = list(PLANS.values())
    for i in range(30):                                  # enough files for several batches
        (folder / f"extra-{i:02d}.txt").write_text(texts[i % 3] + f"2. Sở Y tế chủ trì việc số {i}.\n",
                                                   encoding="utf-8")
    build([folder], tmp_path / "one", workers=1, use_cache=False, turtle=False, html=False)
    build([folder], tmp_path / "two", workers=2, use_cache=False, turtle=False, html=False)
    for name in ("records.jsonl", "conflicts.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    one = load(tmp_path / "one").graph
    _same_graph(one, _with_time(load(tmp_path / "two").graph, one))


def _with_time(G, like):
    G.graph["built"] = like.graph["built"]
    return G


def test_extract_paths_gives_whole_records(folder):
    records, errors, counts = extract_paths([folder], workers=1)
    assert not errors and counts["extracted"] == 3
    assert all(r.tasks for r in records)


def test_the_cache_is_json(folder, tmp_path):
    build([folder], tmp_path / "out", workers=1, turtle=False, html=False)
    entries = list((tmp_path / "out" / "cache").glob("*/*.json"))
    assert len(entries) == 3
    assert {json.loads(p.read_bytes())["source"] for p in entries} == {str(folder / n) for n in PLANS}


def test_dask_builds_what_the_local_pool_builds(folder, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    build([folder], tmp_path / "local", workers=2, use_cache=False, turtle=True, html=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        build([folder], tmp_path / "dask", use_cache=False, turtle=True, html=False,
              scheduler=cluster.scheduler_address)
    for name in ("records.jsonl", "conflicts.json"):
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes()
    a, b = load(tmp_path / "local").graph, load(tmp_path / "dask").graph
    _same_graph(a, _with_time(b, a))
    assert load(tmp_path / "dask").stats["documents"] == 3


def test_an_unreachable_scheduler_is_one_line(folder, tmp_path):
    pytest.importorskip("dask.distributed")
    with pytest.raises(BuildError, match="Dask scheduler"):
        build([folder], tmp_path / "out", turtle=False, html=False, scheduler="tcp://127.0.0.1:9")


def test_the_fingerprint_is_sent_to_the_workers(folder, tmp_path, monkeypatch):
    build([folder], tmp_path / "out", workers=2, turtle=False, html=False)
    monkeypatch.setattr(corpus, "code_fingerprint", lambda: "another-version-of-the-extractor")
    b = build([folder], tmp_path / "out", workers=2, turtle=False, html=False)
    assert b.stats["extracted"] == 3 and b.stats["cached"] == 0


SLOW_BUILD = """
import sys, time
from cascade.extract import pipeline
def slow(path, *args, **kwargs):
    time.sleep(3600)
pipeline.extract_file = slow
from cascade.corpus.build import build
from cascade.errors import BuildError
try:
    build([sys.argv[1]], sys.argv[2], workers=2, turtle=False, html=False)
except BuildError as e:
    print(e)
    sys.exit(1)
"""


def test_a_terminated_build_removes_its_temporary_files_and_its_workers(folder, tmp_path):
    import signal
    import subprocess
    import sys

    out = tmp_path / "out"
    p = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(folder), str(out)], stdout=subprocess.PIPE,
                         text=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    deadline = time.monotonic() + 60
    while not list(out.glob(".build-*/shards/*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(p.pid)
    assert workers
    p.send_signal(signal.SIGTERM)
    stdout, _ = p.communicate(timeout=60)
    assert p.returncode == 1 and stdout.strip() == "the build was terminated"
    assert not list(out.glob(".build-*"))
    time.sleep(0.5)
    assert not [w for w in workers if Path(f"/proc/{w}").exists() and "Z" not in _state(w)]


def _children(pid: int) -> list[int]:
    found = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(d.name))
            except (OSError, IndexError, ValueError):
                pass
    return found


def _state(pid: int) -> str:
    try:
        return (Path(f"/proc/{pid}") / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_a_file_name_that_is_not_utf8_is_read_and_named_with_escapes(folder, tmp_path):
    try:
        bad = Path(os.fsdecode(bytes(folder) + b"/\xff-plan.txt"))
        bad.write_text(PLANS["gia-lai.txt"].replace("Gia Lai", "Kon Tum"), encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system does not take such names")
    b = build([folder], tmp_path / "out", workers=1, turtle=False, html=False)
    assert b.errors == []
    lines = (tmp_path / "out" / "records.jsonl").open(encoding="utf-8")
    sources = [json.loads(line)["source"] for line in lines]
    assert any(s.endswith("\\xff-plan.txt") for s in sources)
    assert b.stats["documents"] == 4
