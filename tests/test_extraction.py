"""A worker's batch (cascade.corpus.extraction): records and task layers to shards, compact results back."""
from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from cascade.corpus.extraction import Batch, decode_layer, layer_shard, run_batch, slim_record, unpacked
from cascade.errors import BuildError
from cascade.extract.pipeline import extract_file
from cascade.graph import task_layer
from cascade.outputs.export import record_json

PLAN = ("KẾ HOẠCH\n\nThực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị, "
        "UBND tỉnh {province} ban hành kế hoạch:\n\n1. Sở Nội vụ chủ trì tuyên truyền, hoàn thành "
        "trong năm 2017.\n2. Sở Tài chính phối hợp bố trí kinh phí.\n")


def _files(folder: Path) -> list[str]:
    folder.mkdir()
    paths = []
    for i, province in enumerate(("Gia Lai", "Kon Tum", "Lâm Đồng")):
        p = folder / f"plan-{i}.txt"
        p.write_text(PLAN.format(province=province), encoding="utf-8")
        paths.append(str(p))
    bad = folder / "empty.txt"
    bad.write_bytes(b"")
    paths.insert(1, str(bad))
    return paths


def _batch(paths: list[str], shard: Path, whole: bool = False) -> Batch:
    return Batch(0, tuple(paths), str(shard), None, "test", whole)


def test_each_record_and_task_layer_is_where_its_result_says(tmp_path):
    paths = _files(tmp_path / "docs")
    shard = tmp_path / "000000.jsonl"
    started: list[int] = []
    out = [unpacked(x) for x in run_batch(_batch(paths, shard), started.append)]
    assert started == [0, 1, 2, 3]
    assert [x.path for x in out] == paths
    assert out[1].record is None and out[1].error is not None and "empty file" in out[1].error.message
    lines, layers = shard.read_bytes(), Path(layer_shard(str(shard))).read_bytes()
    for x in (out[0], out[2], out[3]):
        whole = extract_file(x.path)
        line = lines[x.offset:x.offset + x.length]
        assert line == record_json(whole) and lines[x.offset + x.length:x.offset + x.length + 1] == b"\n"
        layer = decode_layer(layers[x.layer_offset:x.layer_offset + x.layer_length])
        made = task_layer(whole)
        assert layer.tasks and layer.jurisdiction == made.jurisdiction and layer.agencies == made.agencies
        assert orjson.dumps(layer.tasks) == orjson.dumps(made.tasks)
        assert x.record == slim_record(whole) and not x.cached and x.key is None


def test_whole_records_are_sent_back_when_asked(tmp_path):
    paths = _files(tmp_path / "docs")
    out = run_batch(_batch(paths, tmp_path / "000000.jsonl", whole=True))
    assert [x.record for x in out if x.record is not None] == [extract_file(p) for p in paths if "plan" in p]


def test_a_shard_that_cannot_be_written_fails_the_batch_in_one_line(tmp_path):
    paths = _files(tmp_path / "docs")
    with pytest.raises(BuildError, match="cannot write"):
        run_batch(_batch(paths, tmp_path / "no-such-folder" / "000000.jsonl"))
    if not os.path.exists("/dev/full"):
        return
    full = tmp_path / "full.jsonl"
    full.symlink_to("/dev/full")                     # every write fails: a full disk
    with pytest.raises(BuildError, match="cannot write"):
        run_batch(_batch(paths, full))


def test_with_a_cache_each_file_is_read_once_and_found_again(tmp_path, monkeypatch):
    import io

    from cascade.corpus.extraction import cache_key

    paths = _files(tmp_path / "docs")
    cache = tmp_path / "cache"
    opened: list[str] = []
    real_os_open, real_io_open = os.open, io.open

    def os_open(path, *args, **kwargs):
        if str(path).endswith(".txt"):
            opened.append(Path(path).name)
        return real_os_open(path, *args, **kwargs)

    def io_open(path, *args, **kwargs):
        if str(path).endswith(".txt"):
            opened.append(Path(path).name)
        return real_io_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(io, "open", io_open)
    first = [unpacked(x) for x in run_batch(Batch(0, tuple(paths), str(tmp_path / "a.jsonl"), str(cache),
                                                  "code"))]
    monkeypatch.undo()
    assert sorted(opened) == sorted(Path(p).name for p in paths)       # once each, the empty file too
    made = [x for x in first if x.record is not None]
    assert len(made) == 3 and not any(x.cached for x in made)
    assert [x.key for x in made] == [cache_key(Path(x.path), "code") for x in made]
    assert len(list(cache.glob("*/*.json"))) == 3
    again = [unpacked(x) for x in run_batch(Batch(1, tuple(paths), str(tmp_path / "b.jsonl"), str(cache),
                                                  "code"))]
    assert [x.cached for x in again if x.record is not None] == [True, True, True]
    assert [x.record for x in again] == [x.record for x in first]
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_a_packed_slim_record_unpacks_to_the_slim_record_with_every_field():
    """The worker sends the slim record as plain tuples (pack_slim); the main process gets back the very
    record slim_record gives, every field of every model in its place, through pickle too."""
    import pickle

    from cascade.corpus.extraction import pack_slim, unpack_slim
    from cascade.models import Evidence, Mention, Metadata, Record, Relation, Signer, Task, with_changes

    ev = Evidence("x.txt", 10, 42, "Thực hiện Kết luận số 93-KL/TW của Ban Bí thư")
    signer = Signer("Nguyễn Văn An", "Phó Chủ tịch", "KT.", "Chủ tịch")
    meta = Metadata("Kế hoạch", "12/KH-UBND", "2021-06-30", "UBND tỉnh Gia Lai", "state", "province",
                    "Gia Lai", "Chư Sê", "Pleiku", "Triển khai", signer, ("Sở Nội vụ",), ("level",),
                    (("number", ev),), ("Kon Tum",))
    rec = Record(
        "x.txt", "ab12", meta,
        mentions=(Mention("m1", "Kết luận", "93-KL/TW", ev, "2020-11-20", "Ban Bí thư", "party", "central",
                          None, None, 7, "XII", "về tổ chức", "KL93", 0.75, "sửa lỗi"),),
        relations=(Relation("self", "implements", "m1", Evidence("x.txt", 10, 42,
                                                                 "".join(list(ev.quote)))),
                   Relation("self", "cites", "m1")),
        tasks=(Task("1", "Tuyên truyền", lead=("Sở Nội vụ",)),), warnings=("ít dòng",), format="pdf",
        ocr=True, ocr_confidence=88.5, site=(("Số hiệu", "12/KH-UBND"),), from_site=("number",))
    packed = pickle.loads(pickle.dumps(pack_slim(rec)))
    slim = unpack_slim(packed)
    assert slim == with_changes(rec, tasks=(), meta=with_changes(rec.meta, evidence=()))
    assert slim.relations[0].evidence.quote is slim.mentions[0].evidence.quote     # one sentence held once
    # a record without a signer, mentions or relations
    bare = Record("y.txt", "cd34", Metadata())
    assert unpack_slim(pack_slim(bare)) == bare
