"""Incremental builds: the cache re-reads only what changed, and a build never stops for one bad file."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from cascade.corpus import build as corpus
from cascade.corpus.build import build, load, load_records
from cascade.errors import BuildError

PLANS = {
    "gia-lai.txt": "KẾ HOẠCH\n\nThực hiện Kết luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư, "
                   "UBND tỉnh Gia Lai ban hành kế hoạch:\n\n1. Sở Nội vụ chủ trì tuyên truyền.\n",
    "kon-tum.txt": "KẾ HOẠCH\n\nThực hiện Chỉ thị số 42-CT/TW ngày 16/4/2010 của Bộ Chính trị, "
                   "UBND tỉnh Kon Tum ban hành kế hoạch:\n\n1. Sở Tư pháp chủ trì rà soát.\n",
    "dak-lak.txt": "KẾ HOẠCH\n\nThực hiện Quyết định số 569/QĐ-TTg ngày 11/5/2022 của Thủ tướng Chính phủ, "
                   "UBND tỉnh Đắk Lắk ban hành kế hoạch:\n\n1. Sở Khoa học và Công nghệ chủ trì.\n",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "docs"
    src.mkdir()
    for name, text in PLANS.items():
        (src / name).write_text(text, encoding="utf-8")
    return src


def _stats(out: Path) -> dict:
    return json.loads((out / "build.json").read_text(encoding="utf-8"))["stats"]


def _counts(out: Path) -> tuple[int, int]:
    s = _stats(out)
    return s["cached"], s["extracted"]


def _cache_entries(out: Path) -> int:
    return len(list((out / "cache").glob("*/*.json")))


def test_a_rebuild_reads_only_the_files_that_changed(folder, tmp_path):
    out = tmp_path / "out"
    build([folder], out, workers=1)
    assert _counts(out) == (0, 3)
    build([folder], out, workers=1)
    assert _counts(out) == (3, 0)
    (folder / "kon-tum.txt").write_text(PLANS["kon-tum.txt"] + "\n2. Sở Tài chính bố trí kinh phí.\n",
                                        encoding="utf-8")
    b = build([folder], out, workers=1)
    assert _counts(out) == (2, 1)
    assert b.stats["documents"] == 3 and _cache_entries(out) == 3       # the old entry is pruned


def test_the_cached_build_equals_a_fresh_one(folder, tmp_path):
    build([folder], tmp_path / "out", workers=1)
    again = build([folder], tmp_path / "out", workers=1).graph
    fresh = build([folder], tmp_path / "fresh", workers=1, use_cache=False).graph
    assert sorted(again.nodes) == sorted(fresh.nodes)
    assert sorted(again.edges(keys=True)) == sorted(fresh.edges(keys=True))
    assert not (tmp_path / "fresh" / "cache").exists()


def test_removing_a_file_removes_its_facts(folder, tmp_path):
    out = tmp_path / "out"
    G = build([folder], out, workers=1).graph
    assert "569/QĐ-TTg" in G
    (folder / "dak-lak.txt").unlink()
    build([folder], out, workers=1)
    G = load(out).graph
    assert "569/QĐ-TTg" not in G and not any("dak-lak" in str(n) for n in G)
    assert {Path(r.source).name for r in load_records(out)} == {"gia-lai.txt", "kon-tum.txt"}
    assert _counts(out) == (2, 0) and _cache_entries(out) == 2


def test_a_renamed_file_is_reused_under_its_new_name(folder, tmp_path):
    out = tmp_path / "out"
    build([folder], out, workers=1)
    (folder / "gia-lai.txt").rename(folder / "gia-lai-2021.txt")
    b = build([folder], out, workers=1)
    assert _counts(out) == (3, 0)
    sources = {Path(r.source).name for r in b.corpus.records}
    assert sources == {"gia-lai-2021.txt", "kon-tum.txt", "dak-lak.txt"}
    rec = next(r for r in b.corpus.records if r.source.endswith("gia-lai-2021.txt"))
    assert all(m.evidence.source == rec.source for m in rec.mentions)
    # the whole record (the build's corpus keeps no evidence of the metadata) is in records.jsonl
    whole = next(r for r in load_records(out) if r.source == rec.source)
    assert whole.meta.evidence and all(e.source == rec.source for _, e in whole.meta.evidence)


def test_changed_code_invalidates_the_cache(folder, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build([folder], out, workers=1)
    monkeypatch.setattr(corpus, "code_fingerprint", lambda: "another-version-of-the-extractor")
    build([folder], out, workers=1)
    assert _counts(out) == (0, 3)


def test_a_changed_manifest_rereads_its_folder(folder, tmp_path):
    out = tmp_path / "out"
    build([folder], out, workers=1)
    (folder / "manifest.csv").write_text("file,number,date\ngia-lai.txt,105/KH-UBND,2021-03-02\n",
                                         encoding="utf-8")
    G = build([folder], out, workers=1).graph
    assert _counts(out) == (0, 3)
    assert "105/KH-UBND@Gia Lai" in G


def test_one_bad_file_is_reported_and_skipped(folder, tmp_path):
    out = tmp_path / "out"
    (folder / "broken.docx").write_bytes(b"this is not a zip archive")
    b = build([folder], out, workers=1)
    assert [Path(e.path).name for e in b.errors] == ["broken.docx"]
    assert "\n" not in b.errors[0].message
    assert b.stats["documents"] == 3 and b.stats["failed"] == 1
    written = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert [Path(e["path"]).name for e in written["errors"]] == ["broken.docx"]
    b = build([folder], out, workers=1)                  # still reported on the next build
    assert len(b.errors) == 1 and _counts(out) == (3, 0)


def test_nothing_read_is_a_build_error(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(BuildError, match="nothing could be read"):
        build([empty], tmp_path / "out", workers=1)
    (empty / "broken.docx").write_bytes(b"not a zip")
    with pytest.raises(BuildError, match="broken.docx"):
        build([empty], tmp_path / "out", workers=1)
    assert not (tmp_path / "out" / "cascade.db").exists()
    assert not list((tmp_path / "out").glob(".build-*"))          # the staging folder is gone


def test_load_without_a_build_is_a_build_error(tmp_path):
    with pytest.raises(BuildError, match="cascade build"):
        load(tmp_path / "nothing-here")
    with pytest.raises(BuildError):
        load_records(tmp_path / "nothing-here")


def test_records_read_back_whole_when_a_quote_holds_a_line_separator(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(
        "KẾ HOẠCH\n\nThực hiện Kế hoạch số 07-KH/TU ngày 23/12/2020\u2028của Ban Thường vụ Tỉnh ủy, "
        "UBND tỉnh Gia Lai ban hành kế hoạch:\n", encoding="utf-8")
    b = build([tmp_path / "docs"], tmp_path / "out", workers=1)
    [rec] = load_records(tmp_path / "out")
    # the build's corpus holds the record as resolution reads it: without the evidence of its metadata
    assert rec.meta.evidence and replace(rec, meta=replace(rec.meta, evidence=())) == b.corpus.records[0]
    assert "\u2028" in rec.mentions[0].evidence.quote
