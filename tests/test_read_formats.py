"""The sample plans as researchers get them: printed to PDF, scanned, saved as .doc and as a web page.

Every fixture is made here at run time from data/seeds/*.txt: Chromium prints each plan in
Liberation Serif (Times New Roman's metrics), PDFium rasterises the PDFs at 200 dpi into
image-only PDFs, LibreOffice saves the plans as .doc, and a site template written below
wraps them in a portal page. Each must give the record the .txt gives.

Tools missing on this machine skip their tests, except under CI=true, where they fail.
"""
from __future__ import annotations

import html
import os
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from cascade.extract.pipeline import extract_file
from cascade.models import Record
from cascade.read import ReadOptions, read_file

SEEDS = sorted((Path(__file__).parent.parent / "data" / "seeds").glob("*.txt"))
META_FIELDS = ("type", "number", "date", "issuer", "branch", "level", "province", "district", "title")


def need(*tools: str) -> None:
    """Skip (or fail under CI=true) when a program the test needs is missing."""
    missing = [t for t in tools if shutil.which(t) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} not installed (bash scripts/test.sh installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def chromium() -> str:
    need("chromium")
    return shutil.which("chromium") or "chromium"


# -- fixtures ----------------------------------------------------------------------------------------

PRINT_CSS = """
@page { size: A4; margin: 2cm 2cm 2cm 3cm; }
body { font-family: 'Liberation Serif', 'Times New Roman', serif; font-size: 13pt; text-align: justify; }
p { margin: 0 0 6pt 0; }
"""


def plan_paragraphs(txt: Path) -> list[str]:
    return [line.strip() for line in txt.read_text(encoding="utf-8").splitlines() if line.strip()]


def print_html(txt: Path) -> str:
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in plan_paragraphs(txt))
    return (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>{PRINT_CSS}</style></head>'
            f"<body>{body}</body></html>")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each sample plan printed to PDF by headless Chromium: seed stem -> PDF."""
    exe = chromium()
    folder = tmp_path_factory.mktemp("printed")
    out = {}
    for txt in SEEDS:
        page = folder / f"{txt.stem}.html"
        page.write_text(print_html(txt), encoding="utf-8")
        pdf = folder / f"{txt.stem}.pdf"
        subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf}", page.as_uri()],
                       capture_output=True, timeout=120, check=False)
        assert pdf.exists() and pdf.stat().st_size > 1000, f"Chromium did not print {page}"
        out[txt.stem] = pdf
    return out


def rasterise(pdf: Path, out: Path, dpi: int = 200) -> Path:
    """An image-only copy of ``pdf``: every page rendered at ``dpi`` and nothing else (no text layer)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    images = [doc[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(doc))]
    images[0].save(out, save_all=True, append_images=images[1:], resolution=dpi)
    doc.close()
    return out


def meta_of(rec: Record, without: tuple[str, ...] = ()) -> dict[str, object]:
    d = rec.to_dict()["document"]
    return {k: v for k, v in d.items() if k != "evidence" and k not in without}


def mentions_of(rec: Record) -> list[dict[str, object]]:
    return [{k: v for k, v in m.items() if k not in ("span", "quote")} for m in rec.to_dict()["mentions"]]


def assert_same_record(txt: Path, other: Path, without: tuple[str, ...] = ()) -> Record:
    """``other`` gives the record ``txt`` gives (metadata and mentions); spans point into its own text."""
    want = extract_file(txt, manifest={})
    got = extract_file(other, manifest={})
    assert meta_of(got, without) == meta_of(want, without)
    assert mentions_of(got) == mentions_of(want)
    text, own = read_file(txt, manifest={}).text, read_file(other, manifest={}).text
    for a, b in zip(want.mentions, got.mentions, strict=True):
        # the same words (the .txt puts a blank line between paragraphs, the other formats one line break)
        assert own[b.evidence.start:b.evidence.end].split() == text[a.evidence.start:a.evidence.end].split()
    return got


# -- printed PDFs ----------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("txt", SEEDS, ids=lambda p: p.stem[:3])
def test_printed_pdf_gives_the_txt_record(printed, txt):
    assert_same_record(txt, printed[txt.stem])


@pytest.mark.slow
def test_printed_pdf_paragraphs_are_the_txt_paragraphs(printed):
    """Wrapped lines are joined again and nothing is split or lost: paragraph for paragraph the .txt."""
    for txt in SEEDS:
        doc = read_file(printed[txt.stem], manifest={})
        assert doc.text.split("\n") == plan_paragraphs(txt)
        assert doc.pages[0] == 0 and list(doc.pages) == sorted(doc.pages) and len(doc.pages) >= 2
        assert not doc.ocr


# -- scans -----------------------------------------------------------------------------------------

def items(rec: Record) -> Counter[tuple[object, ...]]:
    d = rec.to_dict()
    found: Counter[tuple[object, ...]] = Counter(("meta", f, d["document"][f]) for f in META_FIELDS
                                                 if d["document"][f])
    found.update(("mention", m.get("type"), m.get("number"), m.get("date"), m.get("issuer"))
                 for m in d["mentions"])
    return found


@pytest.mark.slow
def test_scanned_pdfs_are_read_by_ocr(printed, tmp_path):
    need("tesseract")
    tp = fp = fn = 0
    for txt in SEEDS:
        scan = rasterise(printed[txt.stem], tmp_path / f"{txt.stem}.pdf")
        rec = extract_file(scan, manifest={})
        assert rec.ocr and rec.ocr_confidence is not None and 50 < rec.ocr_confidence <= 100
        text = read_file(scan, manifest={}).text
        for m in rec.mentions:                                 # spans point into the OCR text
            assert m.evidence.quote and text[m.evidence.start:m.evidence.end] in m.evidence.quote
        want, got = items(extract_file(txt, manifest={})), items(rec)
        both = sum((want & got).values())
        tp, fp, fn = tp + both, fp + sum(got.values()) - both, fn + sum(want.values()) - both
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.90, f"metadata and mentions F1 {f1:.3f} against the .txt records"


def test_scan_without_ocr_says_so(printed, tmp_path):
    scan = rasterise(printed[SEEDS[0].stem], tmp_path / "scan.pdf", dpi=50)
    message = read_error(scan, ReadOptions(ocr=False))
    assert message == "no text layer (scanned?): OCR is off (--no-ocr)"


def test_missing_tesseract_is_one_line_with_the_fix(printed, tmp_path, monkeypatch):
    from cascade.read import ocr

    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    scan = rasterise(printed[SEEDS[0].stem], tmp_path / "scan.pdf", dpi=50)
    message = read_error(scan)
    assert message.startswith("no text layer (scanned?): Tesseract is not installed: ")
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in message
    png = tmp_path / "page.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    assert "apt-get install tesseract-ocr" in read_error(png)


@pytest.mark.slow
def test_image_is_read_by_ocr(printed, tmp_path):
    need("tesseract")
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(printed[SEEDS[2].stem])
    image = tmp_path / "page1.png"
    doc[0].render(scale=200 / 72, grayscale=True).to_pil().save(image)
    got = read_file(image, manifest={})
    assert got.ocr and got.format == "png"
    first = plan_paragraphs(SEEDS[2])[:3]
    assert got.text.split("\n")[:3] == first


def read_error(path: Path, options: ReadOptions | None = None) -> str:
    from cascade.errors import ReadError

    with pytest.raises(ReadError) as info:
        read_file(path, manifest={}, options=options)
    message = str(info.value)
    assert "\n" not in message
    return message


# -- .doc ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def saved_doc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each sample plan saved as Word 97 .doc by LibreOffice: seed stem -> .doc."""
    need("soffice")
    folder = tmp_path_factory.mktemp("doc")
    for txt in SEEDS:
        (folder / txt.name).write_text("\n".join(plan_paragraphs(txt)) + "\n", encoding="utf-8")
    subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                    "--infilter=Text (encoded):UTF8,LF,,,", "--convert-to", "doc:MS Word 97",
                    "--outdir", str(folder / "out"), *[str(folder / t.name) for t in SEEDS]],
                   capture_output=True, timeout=300, check=False, env={**os.environ, "HOME": str(folder)})
    out = {t.stem: folder / "out" / f"{t.stem}.doc" for t in SEEDS}
    assert all(p.exists() for p in out.values()), "LibreOffice did not write the .doc files"
    return out


@pytest.mark.slow
@pytest.mark.parametrize("txt", SEEDS, ids=lambda p: p.stem[:3])
def test_doc_gives_the_txt_record(saved_doc, txt, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    doc = saved_doc[txt.stem]
    assert doc.read_bytes().startswith(b"\xd0\xcf\x11\xe0")            # a real Word 97 file
    assert_same_record(txt, doc)
    assert list((tmp_path / "cache" / "cascade" / "office").glob("*/*.docx"))


@pytest.mark.slow
def test_doc_is_converted_once_per_content(saved_doc, tmp_path, monkeypatch):
    from cascade.read import office

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = read_file(saved_doc[SEEDS[1].stem], manifest={})
    copy = tmp_path / "copy.doc"
    copy.write_bytes(saved_doc[SEEDS[1].stem].read_bytes())
    monkeypatch.setattr(office, "soffice", lambda: None)         # LibreOffice gone: the cache serves
    assert read_file(copy, manifest={}).text == first.text
    other = tmp_path / "other.doc"
    other.write_bytes(saved_doc[SEEDS[2].stem].read_bytes())
    message = read_error(other)
    assert "LibreOffice is not installed" in message and "libreoffice-writer-nogui" in message


# -- saved web pages -------------------------------------------------------------------------------

SITE_TEMPLATE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{title} - Cổng thông tin điện tử tỉnh</title>
<script>var _gaq = []; function timKiem() {{ return false; }}</script>
<style>.an {{ display: none }}</style></head>
<body>
<div id="top-header" class="site-header">
  <div class="logo">CỔNG THÔNG TIN ĐIỆN TỬ TỈNH</div>
  <form class="search-box" action="/tim-kiem"><input name="q" placeholder="Tìm kiếm văn bản">
    <button>Tìm kiếm</button></form>
</div>
<ul id="main-menu" class="menu">
  <li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li>
  <li><a href="/van-ban">Văn bản chỉ đạo điều hành</a></li><li><a href="/lien-he">Liên hệ</a></li>
</ul>
<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/van-ban">Văn bản</a> » Kế hoạch</div>
<div class="container">
  <div class="left-col">
    <table class="thuoc-tinh-van-ban">
      <tr><td>Số ký hiệu</td><td>{site_number}</td><td>Ngày ban hành</td><td>{site_date}</td></tr>
      <tr><td>Loại văn bản</td><td>Kế hoạch</td><td>Cơ quan ban hành</td><td>{site_issuer}</td></tr>
      <tr><td>Người ký</td><td>Văn phòng</td><td>Tình trạng hiệu lực</td><td>Còn hiệu lực</td></tr>
      <tr><td>Trích yếu</td><td colspan="3">{title}</td></tr>
    </table>
    <div class="share-tools"><a href="#">In trang</a> <a href="#">Chia sẻ Facebook</a>
      <a href="#">Zalo</a></div>
    <div id="noidung-vanban" class="content-detail">
{paragraphs}
    </div>
    <p class="an">Bản quyền nội dung ẩn</p>
    <div class="file-dinh-kem">Tải về: <a href="/files/kh.pdf">kh.pdf</a></div>
  </div>
  <div class="right-col sidebar">
    <h3>Văn bản liên quan</h3>
    <ul class="related-list">
      <li><a href="/vb/1">Kế hoạch số 15-KH/TU ngày 05/4/2021 của Tỉnh ủy</a></li>
      <li><a href="/vb/2">Chỉ thị số 42-CT/TW ngày 16/4/2010 của Bộ Chính trị</a></li>
      <li><a href="/vb/3">Quyết định số 1234/QĐ-UBND ngày 01/02/2021</a></li>
    </ul>
    <h3>Lượt truy cập</h3><div class="counter">Đang truy cập: 125</div>
  </div>
</div>
<div id="footer" class="footer">Cơ quan chủ quản: Văn phòng UBND tỉnh. Địa chỉ: số 9 đường Lê Lợi.
  Điện thoại: 0262.3852.000. Ghi rõ nguồn khi phát hành lại thông tin từ website này.</div>
</body></html>
"""


def site_page(txt: Path, site: dict[str, str]) -> str:
    paragraphs = "\n".join(f"      <p>{html.escape(line)}</p>" for line in plan_paragraphs(txt))
    return SITE_TEMPLATE.format(paragraphs=paragraphs, **{k: html.escape(v) for k, v in site.items()})


@pytest.mark.parametrize("txt", SEEDS, ids=lambda p: p.stem[:3])
def test_web_page_gives_the_txt_record(txt, tmp_path):
    want = extract_file(txt, manifest={})
    # the site shows its own spellings of what the plan states, and a number where the plan has none
    site = {"site_number": want.meta.number or "999/KH-UBND", "site_date": "01/07/2021",
            "site_issuer": "UBND tỉnh (cổng thông tin)", "title": "Kế hoạch triển khai (trích yếu của cổng)"}
    page = tmp_path / f"{txt.stem}.html"
    page.write_text(site_page(txt, site), encoding="utf-8")
    raw = read_file(page, manifest={})
    assert raw.text.split("\n") == plan_paragraphs(txt)          # no menu, search, table, links, footer
    assert raw.site["number"] == site["site_number"] and raw.site["date"] == "2021-07-01"
    assert raw.site["issuer"] == site["site_issuer"] and raw.site["type"] == "Kế hoạch"
    got = assert_same_record(txt, page, without=("number", "date", "issuer", "title", "type"))
    for f in ("number", "date", "issuer", "title", "type"):
        mine = getattr(want.meta, f)
        if mine is not None:                               # the document's own value wins
            assert getattr(got.meta, f) == mine and f not in got.from_site
        else:                                              # the site fills what the document leaves empty
            assert f in got.from_site and getattr(got.meta, f) == raw.site[f]
    assert got.to_dict()["site"]["number"] == site["site_number"]


def test_web_page_encodings_and_layout_tables(tmp_path):
    header = ("<table><tr><td><p>ỦY BAN NHÂN DÂN</p><p>TỈNH KON TUM</p><p>Số: 12/KH-UBND</p></td>"
              "<td><p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p><p>Độc lập - Tự do - Hạnh phúc</p>"
              "<p>Kon Tum, ngày 5 tháng 2 năm 2021</p></td></tr></table>")
    body = "<p>KẾ HOẠCH</p><p>Thực hiện Chỉ thị số 42-CT/TW<br>của Bộ Chính trị</p>"
    page = (f'<html><head><meta charset="windows-1258"></head><body><article>{header}{body}</article>'
            "</body></html>")
    path = tmp_path / "p.htm"
    from test_read import encode_cp1258

    path.write_bytes(encode_cp1258(page))
    got = read_file(path, manifest={})
    assert unicodedata.normalize("NFC", got.text).split("\n") == [
        "ỦY BAN NHÂN DÂN", "TỈNH KON TUM", "Số: 12/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Kon Tum, ngày 5 tháng 2 năm 2021", "KẾ HOẠCH",
        "Thực hiện Chỉ thị số 42-CT/TW", "của Bộ Chính trị"]
    assert got.site == {}


def test_web_page_without_text(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><body><nav><a href='/'>Trang chủ</a></nav><script>x()</script></body></html>")
    assert read_error(path) == "no document text in the web page"


def test_letter_spaced_titles_are_words_again(tmp_path):
    """Titles set with expanded letter spacing come back as words, not as ``K Ế H O Ạ C H``."""
    exe = chromium()
    page = tmp_path / "spaced.html"
    page.write_text('<!doctype html><meta charset="utf-8"><style>body { font-family: "Liberation Serif"; '
                    "font-size: 14pt } .a { letter-spacing: 0.25em } .b { letter-spacing: 0.6em }</style>"
                    '<p class="a">KẾ HOẠCH triển khai Kết luận số 93-KL/TW</p><p class="b">QUYẾT ĐỊNH</p>'
                    "<p>Về việc ban hành Kế hoạch</p>", encoding="utf-8")
    pdf = tmp_path / "spaced.pdf"
    subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, timeout=120, check=False)
    got = read_file(pdf, manifest={}, options=ReadOptions(ocr=False))
    assert got.text.split("\n") == ["KẾ HOẠCH triển khai Kết luận số 93-KL/TW", "QUYẾT ĐỊNH",
                                    "Về việc ban hành Kế hoạch"]
    assert not got.ocr


SITE = {"site_number": "1/KH", "site_date": "01/07/2021", "site_issuer": "UBND", "title": "Kế hoạch"}


def test_no_ocr_option_reaches_the_reader(printed, tmp_path):
    import sys

    scan = rasterise(printed[SEEDS[0].stem], tmp_path / "scan.pdf", dpi=50)
    page = tmp_path / "page.html"
    page.write_text(site_page(SEEDS[1], SITE), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "cascade", "extract", str(scan), str(page), "--no-ocr",
                        "--format", "jsonl"], capture_output=True, text=True, timeout=300,
                       env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})
    assert r.returncode == 0, r.stderr
    assert f"cascade: {scan}: no text layer (scanned?): OCR is off (--no-ocr)" in r.stderr.splitlines()
    assert len(r.stdout.splitlines()) == 1


def test_web_page_saved_as_doc(tmp_path):
    """Portals often serve a web page under a .doc name: it is read as the page it is."""
    path = tmp_path / "vanban.doc"
    path.write_text(site_page(SEEDS[2], SITE), encoding="utf-8")
    got = read_file(path, manifest={})
    assert got.text.split("\n") == plan_paragraphs(SEEDS[2])
    assert got.warnings[0] == "a web page saved as .doc: read as HTML"
