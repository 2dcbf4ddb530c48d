"""Bad, hostile and odd inputs to the readers (issue 16): each costs only itself, in one line.

Every input is made here, in tmp_path.
"""
from __future__ import annotations

import io
import os
import socket
import zipfile
from pathlib import Path

import pytest

from cascade.errors import ReadError
from cascade.read import ReadOptions, iter_files, read_file
from cascade.read.layout import Line, garbled, paragraphs, strip_page_furniture

PLAN = ("KẾ HOẠCH\nThực hiện Kế hoạch số 07-KH/TU ngày 23/12/2020 của Ban Thường vụ Tỉnh ủy, "
        "Ủy ban nhân dân tỉnh xây dựng kế hoạch triển khai thực hiện như sau.\n")


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def read_error(path: Path, options: ReadOptions | None = None) -> str:
    with pytest.raises(ReadError) as info:
        read_file(path, manifest={}, options=options)
    message = str(info.value)
    assert "\n" not in message
    return message


def walk(*paths: Path, follow_links: bool = False) -> tuple[list[str], dict[str, str]]:
    skipped: dict[str, str] = {}
    found = iter_files(paths, follow_links=follow_links,
                       on_skip=lambda p, why: skipped.__setitem__(p.name, why))
    return [p.name for p in found], skipped


# -- special files and links -----------------------------------------------------------------------

def test_fifo_is_skipped_not_read(tmp_path):
    write(tmp_path / "plan.txt", PLAN)
    os.mkfifo(tmp_path / "pipe.txt")
    names, skipped = walk(tmp_path)
    assert names == ["plan.txt"]
    assert skipped == {"pipe.txt": "a FIFO, not a regular file: skipped"}
    assert read_error(tmp_path / "pipe.txt") == "a FIFO, not a regular file: skipped"   # never blocks


def test_socket_and_device_are_skipped(tmp_path):
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tmp_path / "s.txt"))
        (tmp_path / "zero.txt").symlink_to("/dev/zero")
        names, skipped = walk(tmp_path)
        assert names == []
        assert skipped["s.txt"] == "a socket, not a regular file: skipped"
        assert skipped["zero.txt"] == "a device, not a regular file: skipped"
        assert read_error(tmp_path / "zero.txt") == "a device, not a regular file: skipped"
    finally:
        sock.close()


def test_links_stay_inside_the_folders_given(tmp_path):
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    write(corpus / "plan.txt", PLAN)
    secret = write(outside / "secret.txt", PLAN)
    (corpus / "secret.txt").symlink_to(secret)
    (corpus / "inside.txt").symlink_to(corpus / "plan.txt")
    (corpus / "elsewhere").symlink_to(outside, target_is_directory=True)
    names, skipped = walk(corpus)
    assert names == ["plan.txt"]                       # the inner link names a file read already
    assert skipped["secret.txt"].startswith("a link out of the folders given")
    assert skipped["elsewhere"].startswith("a link out of the folders given")
    names, skipped = walk(corpus, follow_links=True)
    assert sorted(names) == ["plan.txt", "secret.txt"] and not skipped


def test_a_file_named_several_ways_is_read_once_in_path_order(tmp_path):
    corpus = tmp_path / "corpus"
    for name in ("b/plan.txt", "a-b/plan.txt", "a/z.txt", "a/sub/plan.txt"):
        write(corpus / name, PLAN)
    spellings = [corpus, corpus / "a", tmp_path / "corpus" / ".." / "corpus" / "b", corpus / "a" / "z.txt"]
    found = iter_files(spellings)
    assert found == sorted(found)                      # Path order: "a/..." before "a-b/..."
    assert [p.relative_to(corpus).as_posix() for p in found] == [
        "a/sub/plan.txt", "a/z.txt", "a-b/plan.txt", "b/plan.txt"]


def test_link_loops_do_not_crash(tmp_path):
    write(tmp_path / "plan.txt", PLAN)
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)
    names, skipped = walk(tmp_path)
    assert names == ["plan.txt"]
    assert skipped["a.txt"] == skipped["b.txt"] == "a symbolic link loop: skipped"
    names, _ = walk(tmp_path, follow_links=True)
    assert names == ["plan.txt"]


def test_size_limit(tmp_path):
    big = write(tmp_path / "big.txt", PLAN * 100)
    message = read_error(big, ReadOptions(max_bytes=1000))
    assert message.startswith(f"{big.stat().st_size} bytes: larger than the 1000 bytes limit per file")
    assert "--max-file-size" in message
    assert read_file(big, manifest={}, options=ReadOptions(max_bytes=10**6)).text.startswith("KẾ HOẠCH")


def test_a_file_of_exactly_the_limit_is_read_whole(tmp_path):
    data = PLAN.encode("utf-8")
    exact = write(tmp_path / "exact.txt", data)
    assert read_file(exact, manifest={}, options=ReadOptions(max_bytes=len(data))).text == PLAN
    message = read_error(exact, ReadOptions(max_bytes=len(data) - 1))
    assert message.startswith(f"{len(data)} bytes: larger than the {len(data) - 1} bytes limit per file")


def test_a_file_that_grows_after_its_size_was_taken_is_read_on_to_the_limit(tmp_path):
    from cascade.read import _read_upto

    path = write(tmp_path / "growing.txt", b"x" * 10)
    fd = os.open(path, os.O_RDONLY)
    try:
        with path.open("ab") as f:                   # it grows after its size (10) was taken
            f.write(b"y" * 100_000)
        got = _read_upto(fd, 10, 70_000)
    finally:
        os.close(fd)
    assert got == b"x" * 10 + b"y" * 69_991          # one byte over the limit: enough to refuse it


def test_file_name_that_is_not_utf8(tmp_path):
    name = os.fsdecode(b"k\xe9 ho\xb8ch.txt")                      # Latin-1 / TCVN3 bytes in a name
    write(tmp_path / name, PLAN)
    names, _ = walk(tmp_path)
    assert names == [name]
    assert read_file(tmp_path / name, manifest={}).text == PLAN


def test_lone_surrogate_in_front_matter(tmp_path):
    path = write(tmp_path / "a.md", '---\ntitle: "Kế hoạch \\ud800 số 1"\nnumber: 07-KH/TU\n---\n' + PLAN)
    doc = read_file(path, manifest={})
    assert doc.manifest == {"title": "Kế hoạch \ufffd số 1", "number": "07-KH/TU"}
    assert any("surrogate" in w for w in doc.warnings)
    doc.manifest["title"].encode("utf-8")                         # serialisable


# -- hostile containers ----------------------------------------------------------------------------

def test_zip_bomb_docx_is_refused_before_it_is_unpacked(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w") as part:        # 300 MB of zeros, written 1 MB at a time
            zeros = b"\0" * 2**20
            for _ in range(300):
                part.write(zeros)
    path = write(tmp_path / "bomb.docx", buf.getvalue())
    assert path.stat().st_size < 2 * 2**20
    assert read_error(path).startswith("refused: the .docx would unpack to 300 MB (a zip bomb?)")


def test_aes_encrypted_pdf_with_an_empty_password_is_read(tmp_path):
    pytest.importorskip("cryptography")                  # pypdf writes AES with it
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    path = tmp_path / "aes.pdf"
    with open(path, "wb") as f:
        writer.write(f)
    message = read_error(path, ReadOptions(ocr=False))   # blank page: it opens, and has no text
    assert message.startswith("no text layer (scanned?)")
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    with open(path, "wb") as f:
        writer.write(f)
    assert read_error(path) == "encrypted PDF"


def test_broken_files_print_nothing(tmp_path, capfd):
    for name, data in [("a.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\ntrailer<<>>\n%%EOF"),
                       ("b.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 40),
                       ("c.docx", b"PK\x03\x04" + b"\0" * 100),
                       ("d.html", b"<html><body>" + b"<div>" * 5000),
                       ("e.png", b"\x89PNG\r\n\x1a\n" + b"\xff" * 100)]:
        with pytest.raises(ReadError):
            read_file(write(tmp_path / name, data), manifest={})
    out, err = capfd.readouterr()
    assert out == "" and err == ""


# -- layout rules ------------------------------------------------------------------------------------

def lines(*texts: str, right: float = 500, pitch: float = 15, top: float = 800) -> list[Line]:
    """Lines of a page one under the other; a text ending in '|' stops short of the right edge."""
    out = []
    for k, t in enumerate(texts):
        short = t.endswith("|")
        out.append(Line(t.rstrip("|"), 80, 300 if short else right, top - k * pitch - 12, top - k * pitch))
    return out


def test_wrapped_lines_are_joined_and_paragraphs_kept():
    page = lines("Thực hiện Kế hoạch số 07-", "KH/TU ngày 23/12/2020 của Ban Thường vụ Tỉnh", "ủy về việc.|",
                 "1. Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành và đơn vị có liên", "quan;",
                 "2. Sở Tài chính bảo đảm kinh phí thực hiện các nội dung về khoa học", "- công nghệ.|")
    text, starts = paragraphs([page])
    assert text.split("\n") == [
        "Thực hiện Kế hoạch số 07-KH/TU ngày 23/12/2020 của Ban Thường vụ Tỉnh ủy về việc.",
        "1. Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành và đơn vị có liên quan;",
        "2. Sở Tài chính bảo đảm kinh phí thực hiện các nội dung về khoa học - công nghệ."]
    assert starts == (0,)


def test_paragraph_spacing_and_indent_end_paragraphs():
    page = lines("Dòng một kín lề phải", "dòng hai sau khoảng cách thường", "Dòng ba kín lề phải", pitch=15)
    page[2] = Line(page[2].text, 80, 500, page[1].bottom - 25, page[1].top - 25)   # 10 pt more: paragraph
    page.append(Line("tiếp dòng ba", 80, 300, page[2].bottom - 15, page[2].top - 15))
    page.append(Line("Đoạn thụt đầu dòng", 110, 300, page[3].bottom - 15, page[3].top - 15))
    text, _ = paragraphs([page, page[:1]])
    assert text.split("\n") == ["Dòng một kín lề phải dòng hai sau khoảng cách thường",
                                "Dòng ba kín lề phải tiếp dòng ba", "Đoạn thụt đầu dòng",
                                "Dòng một kín lề phải"]


def test_gazette_heads_and_page_numbers_are_dropped():
    pages = [lines("CÔNG BÁO/Số 123 + 124/Ngày 15-3-2021", f"Nội dung trang {i} của văn bản.|", f"{i + 1}|")
             for i in range(3)]
    kept, warnings = strip_page_furniture(pages)
    assert [[ln.text for ln in page] for page in kept] == [[f"Nội dung trang {i} của văn bản."]
                                                           for i in range(3)]
    assert "gazette page heads removed" in warnings and "page numbers removed" in warnings


@pytest.mark.parametrize(("text", "why"), [
    ("K Ế HO Ạ CH tri ể n khai th ự c hi ệ n ngh ị quy ế t c ủ a t ỉ nh", "cut out of their words"),
    ("Kê\u0301 hoa\u0323ch " * 3 + "K \u0301ê ho \u0323a " * 10, "tone marks separated"),
    ("Kế hoạch \ue001\ue002\ue003 số \ufffd\ufffd " * 5, "unusable characters"),
])
def test_garbled_text_is_recognised(text, why):
    assert why in (garbled(text) or "")


def test_good_text_is_not_garbled():
    assert garbled("Ở đây, ý kiến của Ủy ban nhân dân tỉnh ạ: ô tô, ơ, ư. " + PLAN * 3) is None


def test_garbled_text_layer_is_refused_in_one_line(tmp_path, monkeypatch):
    from pypdf import PdfWriter

    from cascade.read import pdf

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    path = tmp_path / "garbled.pdf"
    with open(path, "wb") as f:
        writer.write(f)
    split = "K Ế HO Ạ CH tri ể n khai th ự c hi ệ n ngh ị quy ế t c ủ a t ỉ nh"
    monkeypatch.setattr(pdf, "page_lines", lambda page: [Line(split, 80, 500, 700, 712)] * 3)
    message = read_error(path, ReadOptions(ocr=False))
    assert message.startswith("garbled text layer (")
    assert "cut out of their words" in message and message.endswith("OCR is off (--no-ocr)")


def test_a_build_over_hostile_files_keeps_the_good_ones(tmp_path):
    from cascade.corpus.build import build

    corpus = tmp_path / "corpus"
    write(corpus / "plan.txt", PLAN)
    write(corpus / os.fsdecode(b"k\xe9.txt"), PLAN.replace("07-KH/TU", "08-KH/TU"))
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "passwd.txt").symlink_to(write(tmp_path / "outside.txt", PLAN))
    write(corpus / "manifest.csv", "file,number\nplan.txt,1,2\n")
    b = build([corpus], tmp_path / "out", workers=1)
    sources = sorted(r.source for r in b.corpus.records)
    assert sources == [str(corpus / "k\\xe9.txt"), str(corpus / "plan.txt")]
    assert sorted((Path(e.path).name, e.message.split(",")[0]) for e in b.errors) == [
        ("passwd.txt", "a link out of the folders given: not followed (use --follow-links)"),
        ("pipe.txt", "a FIFO")]
    (tmp_path / "out" / "records.jsonl").read_text(encoding="utf-8")


def test_ocr_renews_the_time_budget_at_each_page(tmp_path):
    """A scan is read page by page, and each page tells the build's worker it is still alive."""
    import shutil

    from pypdf import PdfWriter

    from cascade.read.base import heartbeat

    if shutil.which("tesseract") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("tesseract not installed")
        pytest.skip("tesseract not installed")
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(200, 200)
    path = tmp_path / "blank-scan.pdf"
    with open(path, "wb") as f:
        writer.write(f)
    beats: list[int] = []
    with heartbeat(lambda: beats.append(1)):
        assert read_error(path) == "no text recognised (OCR)"
    assert len(beats) == 3


@pytest.mark.parametrize("size", [10, 3, 0, 25])
def test_a_file_read_in_short_pieces_is_read_whole(tmp_path, monkeypatch, size):
    # a read may return fewer bytes than asked before the end (a network or FUSE file system, /proc): only a
    # read that returns nothing ends the file, whatever size was taken (a file that shrank or grew)
    import cascade.read as read

    path = write(tmp_path / "pieces.txt", b"0123456789")
    real_read = os.read
    monkeypatch.setattr(read.os, "read", lambda fd, n: real_read(fd, min(n, 4)))
    fd = os.open(path, os.O_RDONLY)
    try:
        assert read._read_upto(fd, size, 1000) == b"0123456789"
    finally:
        os.close(fd)
