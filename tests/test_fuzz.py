"""Fuzzing every reader and extraction stage with hostile inputs (issue 16).

The other property tests feed well-formed Unicode text; these feed what a hostile corpus
holds: arbitrary and mutated file bytes for every reader, lone surrogates and control
characters (a broken PDF text layer), and long runs of the characters patterns repeat over
(spaces, newlines, dots, slashes, digits) next to the phrases they anchor on. Readers may
refuse a file only with a one-line ReadError; extraction never raises, keeps every span
inside the text and serialises to valid JSON.

The budget is fixed: ``max_examples`` per test and bounded input sizes, so the suite takes
the same time in CI on every run. The per-example ``deadline`` is generous (a loaded machine
must not fail it); it is there so that a pattern that turned quadratic or worse shows up
as a failing example instead of a slow suite.
"""
from __future__ import annotations

import contextlib
import io
import signal
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import orjson
import pytest
from hostile_corpus import pdf_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cascade.errors import ReadError
from cascade.extract.header import extract_metadata
from cascade.extract.pipeline import extract_text
from cascade.extract.references import extract_references
from cascade.extract.tasks import extract_tasks
from cascade.outputs.export import record_json
from cascade.read import ReadOptions, read_file, split_front_matter
from cascade.read.manifest import read_manifest
from cascade.text.normalize import clean

FUZZ = settings(max_examples=60, deadline=10_000, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])

#: phrases the patterns anchor on, and the characters they repeat over
ANCHORS = ["Nghị quyết Trung ương", "Đắk Lắk, ngày", "ngày", "tháng", "năm", "Số:", "số", "Kế hoạch",
           "Kết luận", "Chỉ thị", "-KH/TU", "/QĐ-UBND", "của", "Ban Thường vụ", "UBND tỉnh", "huyện", "khóa",
           "(sau đây gọi tắt là", "Căn cứ", "Thực hiện", "I.", "1.", "a)", "-", "chủ trì", "phối hợp",
           "Sở Nội vụ", "trước ngày", "Quý", "năm 2021", "KẾ HOẠCH", "T/M", "Nơi nhận:", "Điều"]
RUNS = [" ", "\n", "\t", ".", "/", "-", "1", "0", ",", "(", ")", "\u00a0", "\u200b", "a", "Đ", "\r\n", ": ",
        "số ", "ngày ", "và ", "\x0c", "\u0301"]

#: characters a broken text layer or a hostile file puts in text
NASTY = st.sampled_from(["\ud800", "\udfff", "\udc80", "\x00", "\x1b[31m", "\x07", "\x08", "\u202e", "\ufeff",
                         "\ufffe", "\uffff", "\u2028", "\u0085", "\x7f", "\U0010ffff", "\u0300\u0301\u0302"])

runs = st.tuples(st.sampled_from(RUNS), st.integers(1, 1500)).map(lambda t: t[0] * t[1])
pieces = st.one_of(st.sampled_from(ANCHORS), runs, NASTY, st.text(max_size=20))
plan_text = st.lists(pieces, max_size=25).map("".join)
any_char = st.characters(min_codepoint=0, max_codepoint=0x10FFFF)


def check_record(text: str) -> None:
    """Extraction over ``text`` does not raise, spans lie inside it, the record serialises."""
    rec = extract_text(text, "fuzz.txt")
    n = len(text)
    for m in rec.mentions:
        assert 0 <= m.evidence.start <= m.evidence.end <= n
    for t in rec.tasks:
        if t.evidence is not None:
            assert 0 <= t.evidence.start <= t.evidence.end <= n
    for _, e in rec.meta.evidence:
        assert 0 <= e.start <= e.end <= n
    line = record_json(rec)
    assert b"\n" not in line
    orjson.loads(line)
    line.decode("utf-8")


@contextlib.contextmanager
def hang_guard(seconds: int = 30) -> Iterator[None]:
    """Turn a hang into a failure: SIGALRM interrupts even a regular expression that backtracks."""
    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"no answer within {seconds} s (a pattern backtracking without end?)")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# -- extraction stages -----------------------------------------------------------------------------

@pytest.mark.parametrize("anchor", ANCHORS)
def test_anchor_then_a_long_run(anchor):
    """Each phrase a pattern anchors on, then 1,500 blanks of each kind and a letter: linear, so quick."""
    for run in (" ", "\n", "\u00a0", " \n"):
        for tail in ("x", "1", "Đ"):
            with hang_guard():
                check_record(anchor + run * 1500 + tail)



@FUZZ
@given(plan_text)
def test_extract_text_on_adversarial_runs(text):
    with hang_guard():
        check_record(text)


@FUZZ
@given(st.text(alphabet=any_char, max_size=600))
def test_extract_text_with_surrogates_and_controls(text):
    """Any code point, lone surrogates included (the other suites leave them out)."""
    check_record(text)


@FUZZ
@given(plan_text)
def test_clean_maps_every_position_back(text):
    ct = clean(text)
    n = len(ct.text)
    for a, b in ((0, n), (0, n // 2), (n // 3, n)):
        s, e = ct.original(a, b)
        assert 0 <= s <= e <= len(text)


@FUZZ
@given(plan_text)
def test_header_stage(text):
    ct = clean(text)
    meta, header_end, title_end, warnings = extract_metadata(ct, "fuzz.txt", None)
    assert 0 <= header_end <= len(ct.text) and 0 <= title_end <= len(ct.text)
    for _, e in meta.evidence:
        assert text[e.start:e.end] == e.quote


@FUZZ
@given(plan_text)
def test_references_stage(text):
    ct = clean(text)
    meta, header_end, title_end, _ = extract_metadata(ct, "fuzz.txt", None)
    mentions, relations, _ = extract_references(ct, meta, "fuzz.txt", title_end=title_end,
                                                self_number=meta.number, header_end=header_end)
    ids = {m.id for m in mentions} | {"self"}
    for m in mentions:
        assert 0 <= m.evidence.start <= m.evidence.end <= len(text)
    for r in relations:
        assert r.source in ids and r.target in ids


@FUZZ
@given(plan_text, st.sampled_from([None, "Đắk Lắk", "Gia Lai"]), st.sampled_from([None, 2021]))
def test_tasks_stage(text, province, year):
    tasks = extract_tasks(clean(text), "fuzz.txt", province=province, year=year)
    for t in tasks:
        if t.evidence is not None:
            assert 0 <= t.evidence.start <= t.evidence.end <= len(text)


@FUZZ
@given(st.text(max_size=300), st.text(alphabet=any_char, max_size=60))
def test_front_matter_never_raises(body, value):
    """YAML front matter with any value, escapes that make lone surrogates included."""
    escaped = "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else c for c in value)
    for text in (f"---\ntitle: \"{escaped}\"\nnumber: {value}\n---\n{body}", f"---\n{value}\n---\n{body}",
                 f"---\n{body}"):
        rest, meta, warnings = split_front_matter(text)
        assert isinstance(rest, str)
        orjson.dumps(meta)               # values are strings JSON can hold (no lone surrogates)


# -- readers ---------------------------------------------------------------------------------------

SMALL = ReadOptions(ocr=False, max_bytes=1 << 20)


def read_or_refuse(path: Path) -> None:
    """Reading ``path`` gives text or a one-line ReadError, nothing else."""
    try:
        raw = read_file(path, manifest={}, options=SMALL)
    except ReadError as e:
        assert "\n" not in str(e) and str(e)
        return
    assert isinstance(raw.text, str)
    check_record(raw.text)


@cache
def valid_pdf() -> bytes:
    return pdf_bytes("Ke hoach so 15/KH-UBND ngay 3/5/2021 cua UBND tinh Gia Lai")


@cache
def valid_docx() -> bytes:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH")
    d.add_paragraph("Thực hiện Kết luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "Sở Nội vụ"
    t.cell(1, 1).text = "Quý III/2021"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def mutate(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    b = bytearray(data)
    for pos, val in edits:
        b[pos % len(b)] = val
    return bytes(b[:cut] if cut is not None else b)


edits = st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=12)
cuts = st.one_of(st.none(), st.integers(1, 4000))


@FUZZ
@given(st.binary(max_size=4000), st.sampled_from([".txt", ".md", ".html", ".htm", ".pdf", ".docx"]))
def test_any_bytes_under_any_suffix(tmp_path, data, suffix):
    p = tmp_path / f"fuzz{suffix}"
    p.write_bytes(data)
    read_or_refuse(p)


@FUZZ
@given(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"---\n", b"%PDF-1.4\n",
                        b"PK\x03\x04", b"<html><body>", b"{\\rtf1 "]), st.binary(max_size=2000))
def test_text_reader_on_misleading_starts(tmp_path, start, rest):
    p = tmp_path / "fuzz.txt"
    p.write_bytes(start + rest)
    read_or_refuse(p)


@FUZZ
@given(edits, cuts)
def test_mutated_pdf(tmp_path, changes, cut):
    p = tmp_path / "fuzz.pdf"
    p.write_bytes(mutate(valid_pdf(), changes, cut))
    read_or_refuse(p)


@FUZZ
@given(edits, cuts)
def test_mutated_docx(tmp_path, changes, cut):
    p = tmp_path / "fuzz.docx"
    p.write_bytes(mutate(valid_docx(), changes, cut))
    read_or_refuse(p)


@FUZZ
@given(st.text(alphabet=any_char, max_size=400))
def test_docx_with_any_text(tmp_path, text):
    """Text Word would never write (controls, surrogates as XML escapes) inside a well-formed package."""
    from xml.sax.saxutils import escape

    xml = "".join(f"&#{ord(c)};" if ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF else escape(c) for c in text)
    src = zipfile.ZipFile(io.BytesIO(valid_docx()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace("KẾ HOẠCH".encode(), xml.encode("utf-8", "surrogatepass"))
            z.writestr(item, data)
    p = tmp_path / "fuzz.docx"
    p.write_bytes(buf.getvalue())
    read_or_refuse(p)


@FUZZ
@given(st.text(alphabet=any_char, max_size=400))
def test_html_with_any_text(tmp_path, text):
    p = tmp_path / "fuzz.html"
    p.write_bytes(f"<html><head><title>{text}</title></head><body><p>{text}</p></body></html>"
                  .encode("utf-8", "surrogatepass"))
    read_or_refuse(p)


@FUZZ
@given(st.one_of(st.binary(max_size=3000),
                 st.lists(st.lists(st.text(max_size=30), max_size=8).map(",".join), max_size=20)
                 .map(lambda rows: "\n".join(["file,number,date,issuer,title", *rows])
                      .encode("utf-8", "surrogatepass"))),
       st.sampled_from(["", "utf-16"]))
def test_manifest_never_raises(tmp_path, data, encoding):
    if encoding:
        data = data.decode("utf-8", "replace").encode(encoding)
    (tmp_path / "manifest.csv").write_bytes(data)
    entries, warnings = read_manifest(tmp_path)
    orjson.dumps(entries)                 # keys and values JSON can hold
    assert all("\n" not in w for w in warnings)
