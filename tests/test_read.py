"""Tests for cascade.read and cascade.text.legacy_encodings; every input is written here, in tmp_path."""
from __future__ import annotations

import codecs
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cascade.errors import ReadError
from cascade.read import RawDocument, ReadOptions, iter_files, load_manifest, read_file, split_front_matter
from cascade.read.manifest import read_manifest
from cascade.text import legacy_encodings

SENTENCE = ("Thực hiện Kế hoạch số 07-KH/TU ngày 23/12/2020 của Ban Thường vụ Tỉnh ủy, "
            "Ủy ban nhân dân tỉnh xây dựng kế hoạch triển khai thực hiện như sau: "
            "đẩy mạnh công nghiệp hóa, hiện đại hóa đất nước; nâng cao chất lượng, hiệu quả hoạt động "
            "của Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam trong thời kỳ mới.")
SEEDS = sorted((Path(__file__).parent.parent / "data" / "seeds").glob("*.txt"))


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def read_error(path: Path) -> str:
    with pytest.raises(ReadError) as info:
        read_file(path, manifest={})
    message = str(info.value)
    assert "\n" not in message
    return message


# -- encoders written for the tests, from the module's tables --------------------------------------

TCVN3_INVERSE = {u: k for k, u in legacy_encodings.TCVN3.items()}


def encode_tcvn3(text: str) -> str:
    """Unicode -> TCVN3 as it looks read as Latin-1; upper-case toned letters use the lower-case
    codes, as the .VnTimeH fonts did."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in TCVN3_INVERSE:
            out.append(TCVN3_INVERSE[ch])
        elif not ch.isascii() and ch.lower() in TCVN3_INVERSE:
            out.append(TCVN3_INVERSE[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


def encode_vni(text: str) -> str:
    inverse: dict[str, str] = {}
    for code, letter in legacy_encodings.VNI.items():
        # prefer codes whose case matches the letter's (lower mark after lower base...)
        if code == code.lower() if letter.islower() else code == code.upper():
            inverse.setdefault(letter, code)
    return "".join(inverse.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


CP1258_TONES = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 keeps â ê ô ơ ư ă đ whole and writes tone marks as combining characters."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in CP1258_TONES))
        tones = "".join(c for c in decomposed if c in CP1258_TONES)
        out += (base + tones).encode("cp1258")
    return bytes(out)


# -- plain text encodings --------------------------------------------------------------------------

def test_utf8(tmp_path):
    doc = read_file(write(tmp_path, "a.txt", SENTENCE), manifest={})
    assert isinstance(doc, RawDocument)
    assert (doc.text, doc.format, doc.warnings, doc.manifest) == (SENTENCE, "txt", (), {})
    assert doc.source == str(tmp_path / "a.txt")
    assert doc.sha256 == __import__("hashlib").sha256(SENTENCE.encode()).hexdigest()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-32"])
def test_bom(tmp_path, encoding):
    boms = {"utf-16-le-bom": (codecs.BOM_UTF16_LE, "utf-16-le"),
            "utf-16-be-bom": (codecs.BOM_UTF16_BE, "utf-16-be")}
    if encoding in boms:
        bom, codec = boms[encoding]
        data = bom + SENTENCE.encode(codec)
    else:
        data = SENTENCE.encode(encoding)
    doc = read_file(write(tmp_path, "a.txt", data), manifest={})
    assert doc.text == SENTENCE
    assert doc.warnings == ()


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(tmp_path, encoding):
    doc = read_file(write(tmp_path, "a.txt", SENTENCE.encode(encoding)), manifest={})
    assert doc.text == SENTENCE
    assert doc.warnings == (f"read as {encoding.upper()} without a BOM",)


def test_crlf_is_kept(tmp_path):
    text = "KẾ HOẠCH\r\nTriển khai thực hiện\r\n"
    assert read_file(write(tmp_path, "a.txt", text), manifest={}).text == text


def test_windows_1258(tmp_path):
    doc = read_file(write(tmp_path, "a.txt", encode_cp1258(SENTENCE)), manifest={})
    assert unicodedata.normalize("NFC", doc.text) == SENTENCE
    assert doc.text != SENTENCE                       # combining marks: NFC is normalize.py's job
    assert doc.warnings[0].startswith("decoded as Windows-1258")


def test_latin1_that_is_not_vietnamese_is_refused(tmp_path):
    text = "Le comité a étudié le problème de la forêt. Müller prüft die Größe."
    assert read_error(write(tmp_path, "a.txt", text.encode("latin-1"))).startswith(
        "not UTF-8 or UTF-16 text (invalid byte 0xE9 at offset")


def test_binary_junk(tmp_path):
    junk = bytes(range(256)) * 8
    assert read_error(write(tmp_path, "a.txt", junk)) == "not UTF-8 or UTF-16 text (binary data)"
    no_nul = bytes((i * 37 + 11) % 255 + 1 for i in range(3000))
    assert read_error(write(tmp_path, "b.txt", no_nul)).startswith("not UTF-8 or UTF-16 text (invalid byte")
    pdf_as_text = write(tmp_path, "c.md", b"%PDF-1.4\n...")
    assert read_error(pdf_as_text) == "not UTF-8 or UTF-16 text (looks like a PDF file)"


@pytest.mark.parametrize("name", ["a.txt", "a.md", "a.docx", "a.pdf"])
def test_empty_file(tmp_path, name):
    assert read_error(write(tmp_path, name, b"")) == "empty file"


def test_blank_text_is_empty(tmp_path):
    assert read_error(write(tmp_path, "a.txt", " \n\r\n\t")) == "empty file"
    assert read_error(write(tmp_path, "b.md", "---\ntitle: x\n---\n\n")) == "no text after the front matter"


def test_unsupported_and_missing(tmp_path):
    assert read_error(write(tmp_path, "a.xyz", "x")) == "unsupported file type .xyz"
    # .doc is read now (through LibreOffice); a .doc that is no Word, RTF or OpenDocument file is refused
    assert (read_error(write(tmp_path, "a.doc", "x"))
            == "not a valid .doc (neither a Word, RTF nor OpenDocument file)")
    assert read_error(tmp_path / "missing.txt") == "no such file"


def test_suffix_is_case_insensitive(tmp_path):
    assert read_file(write(tmp_path, "A.TXT", SENTENCE), manifest={}).format == "txt"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom"]))
def test_any_unicode_text_reads_back(tmp_path, text, encoding):
    assume(text.strip() and not text.startswith(("\ufeff", "---")))
    assume(legacy_encodings.to_unicode(text) is None)     # mojibake-like text is converted on purpose
    if encoding == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    if encoding == "utf-8" and data.startswith((b"%PDF-", b"PK\x03\x04", b"{\\rtf")):
        return
    path = write(tmp_path, "p.txt", data)
    assert read_file(path, manifest={}).text == text


# -- front matter and manifest ---------------------------------------------------------------------

FRONT = "---\nnumber: 123/KH-UBND\ndate: 2021-02-05\nprovince: Kon Tum\ntags: [a, b]\n---\n"


def test_front_matter_keeps_offsets(tmp_path):
    body = "KẾ HOẠCH\nThực hiện Kế hoạch số 07-KH/TU của Tỉnh ủy\n"
    path = write(tmp_path, "a.md", FRONT + body)
    doc = read_file(path, manifest={})
    file_text = path.read_text(encoding="utf-8")
    phrase = "Kế hoạch số 07-KH/TU"
    a = file_text.index(phrase)
    assert doc.text[a:a + len(phrase)] == phrase
    assert len(doc.text) == len(file_text)
    assert doc.text[:len(FRONT)].strip() == ""
    assert doc.text.count("\n") == file_text.count("\n")
    assert doc.manifest == {"number": "123/KH-UBND", "date": "2021-02-05", "province": "Kon Tum"}


def test_front_matter_crlf_and_values():
    raw = "---\r\nissuer: UBND tỉnh\r\nnumber: 7\r\nlist: [1]\r\n---\r\nBody"
    text, meta, warnings = split_front_matter(raw)
    assert meta == {"issuer": "UBND tỉnh", "number": "7"}
    assert text.endswith("\r\nBody") and len(text) == len(raw)
    assert warnings == []


def test_front_matter_invalid_yaml_is_left_as_text():
    raw = "---\nnumber: [unclosed\n---\nBody"
    text, meta, warnings = split_front_matter(raw)
    assert (text, meta) == (raw, {})
    assert warnings and warnings[0].startswith("front matter not read")


def test_no_front_matter_unless_at_the_top():
    raw = "Body\n---\nnumber: 1\n---\n"
    assert split_front_matter(raw) == (raw, {}, [])


def test_manifest(tmp_path):
    write(tmp_path, "manifest.csv", "\ufefffile;number;date;issuer;notes\n"
                                    "a.txt;07-KH/TU;2020-12-23;Tỉnh ủy Đắk Lắk;x\n"
                                    "sub/b.md;;2021;;\n\n")
    manifest = load_manifest(tmp_path)
    assert manifest == {"a.txt": {"number": "07-KH/TU", "date": "2020-12-23", "issuer": "Tỉnh ủy Đắk Lắk"},
                        "sub/b.md": {"date": "2021"}}
    a = write(tmp_path, "a.txt", SENTENCE)
    b = write(tmp_path, "sub/b.md", "---\ndate: 2021-06-30\ntitle: Kế hoạch\n---\n" + SENTENCE)
    assert read_file(a).manifest["number"] == "07-KH/TU"            # found next to the file
    assert read_file(a, manifest={}).manifest == {}
    # front matter wins over the manifest
    assert read_file(b, manifest=manifest).manifest == {"date": "2021-06-30", "title": "Kế hoạch"}
    assert load_manifest(tmp_path / "sub") == {}


@pytest.mark.parametrize(("content", "kept", "problem"), [
    ("name,number\na.txt,1\n", {}, "no 'file' column"),
    ("file,number\na.txt,1,2\nb.txt,3\n", {"b.txt": {"number": "3"}},
     "line 2 skipped (3 fields, the header 2)"),
    ("file,number\na.txt,1\n./a.txt,2\n", {"a.txt": {"number": "1"}},
     "line 3 skipped (a.txt listed a second time)"),
    ("file,number\n,1\nb.txt,2\n", {"b.txt": {"number": "2"}}, "line 2 skipped (no file name)"),
    ("file;number\na.txt;1\nb.txt\n", {"a.txt": {"number": "1"}, "b.txt": {}}, None),
    ("file,title\na.txt," + "x" * 200_000 + "\nb.txt,Kế hoạch\n", {"b.txt": {"title": "Kế hoạch"}}, "line 2"),
])
def test_malformed_manifest_costs_only_its_bad_rows(tmp_path, content, kept, problem):
    # a bad row used to make the whole manifest (and every document of its folder) fail (issue 16)
    write(tmp_path, "manifest.csv", content)
    manifest, warnings = read_manifest(tmp_path)
    assert {k: v for k, v in manifest.items() if k in kept or v} == kept
    if problem:
        assert any(problem in w for w in warnings), warnings
    assert all("\n" not in w for w in warnings)
    doc = write(tmp_path, "b.txt", SENTENCE)
    read_file(doc)                                          # the folder's documents are still read


@pytest.mark.parametrize("encoding", ["utf-16", "cp1258", "latin-1"])
def test_manifest_in_other_encodings(tmp_path, encoding):
    issuer = "Sở Tài chính" if encoding != "latin-1" else "Département"
    content = f"file,issuer\na.txt,{issuer}\n"
    data = encode_cp1258(content) if encoding == "cp1258" else content.encode(encoding)
    write(tmp_path, "manifest.csv", data)
    manifest, warnings = read_manifest(tmp_path)
    assert manifest == {"a.txt": {"issuer": issuer}}
    assert bool(warnings) == (encoding != "utf-16")


def test_manifest_binary_is_ignored(tmp_path):
    write(tmp_path, "manifest.csv", bytes(range(256)) * 4)
    assert read_manifest(tmp_path) == ({}, ["manifest.csv ignored (binary data)"])


# -- legacy encodings ------------------------------------------------------------------------------

def test_tcvn3_example_from_the_conventions():
    found = legacy_encodings.to_unicode("Uû ban nh©n d©n")
    assert found is not None and (found.encoding, found.text) == ("TCVN3", "Uỷ ban nhân dân")


@pytest.mark.parametrize("as_bytes", [True, False])
def test_tcvn3_round_trip(tmp_path, as_bytes):
    header = "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    body = "Uỷ ban nhân dân tỉnh Đắk Lắk ban hành kế hoạch. " + SENTENCE.replace("Ủy", "Uỷ") + "\n"
    mojibake = encode_tcvn3(header + body)
    assert "©" in mojibake and "§" in mojibake
    data = mojibake.encode("latin-1") if as_bytes else mojibake.encode("utf-8")
    doc = read_file(write(tmp_path, "a.txt", data), manifest={})
    assert doc.text == header + body
    assert doc.warnings == ("converted from TCVN3",)


def test_tcvn3_number_line_keeps_its_case():
    assert legacy_encodings.decode_tcvn3(encode_tcvn3("Số: 123/KH-UBND")) == "Số: 123/KH-UBND"


def test_tcvn3_leaves_unicode_lines_alone():
    mixed = encode_tcvn3("Uỷ ban nhân dân tỉnh Kon Tum ban hành kế hoạch") + "\n" + SENTENCE
    found = legacy_encodings.to_unicode(mixed)
    assert found is not None and found.text == "Uỷ ban nhân dân tỉnh Kon Tum ban hành kế hoạch\n" + SENTENCE


@pytest.mark.skipif(shutil.which("iconv") is None, reason="needs iconv")
def test_tcvn3_table_matches_glibc():
    data = bytes(range(0xA1, 0x100))
    run = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=data, capture_output=True)
    if run.returncode:
        pytest.skip("iconv has no TCVN5712-1")
    glibc = dict(zip(data, run.stdout.decode("utf-8"), strict=True))
    for char, letter in legacy_encodings.TCVN3.items():
        assert glibc[ord(char)] == letter, hex(ord(char))


@pytest.mark.parametrize("as_bytes", [True, False])
def test_vni_round_trip(tmp_path, as_bytes):
    text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n" + SENTENCE + "\nỦy ban nhân dân huyện Ia H'Drai.\n"
    mojibake = encode_vni(text)
    assert "Vieät" in mojibake and "nhaân" in mojibake
    data = mojibake.encode("cp1252") if as_bytes else mojibake.encode("utf-8")
    doc = read_file(write(tmp_path, "a.txt", data), manifest={})
    assert doc.text == text
    assert doc.warnings == ("converted from VNI",)


def test_damaged_vni_is_refused(tmp_path):
    words = encode_vni(SENTENCE * 2).split(" ")
    damaged = " ".join(w + "ø" if i % 6 == 0 else w for i, w in enumerate(words))   # stray marks
    assert read_error(write(tmp_path, "a.txt", damaged)) == (
        "legacy VNI encoding: convert the file to Unicode (e.g. with UniKey) and read it again")


@pytest.mark.parametrize("text", [
    "Copyright © 2024 Acme Corporation. Microsoft® Word® and Excel® are trademarks of ©Microsoft.",
    "Ông nói «Hà Nội» và «Sài Gòn» đều đẹp; nhiệt độ 25°C, liều 5µg, 1½ giờ · Uỷ ban nhân dân.",
    "Le comité où il a goûté la forêt; Müller prüft die Größe der Straße für Bäume und Öl.",
    "Tỉnh ÐẢNG ÐOÀN Ðắk Lắk (Eth letters from OCR) ñ ü ø",
    SENTENCE,
])
def test_no_false_positive(tmp_path, text):
    assert legacy_encodings.to_unicode(text) is None
    assert read_file(write(tmp_path, "a.txt", text), manifest={}).text == text


@pytest.mark.skipif(not SEEDS, reason="sample corpus not present")
def test_no_false_positive_on_the_sample_corpus():
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        assert legacy_encodings.to_unicode(text) is None, seed.name
        found = legacy_encodings.to_unicode(encode_vni(text))
        assert found is not None and found.text == unicodedata.normalize("NFC", text), seed.name


# -- Word ------------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NUMBERING = f"""<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
</w:abstractNum>"""


def _numbered(doc, text: str, level: int) -> None:
    from docx.oxml import parse_xml

    p = doc.add_paragraph(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))


def _add_footnote(doc, text: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W_NS}">'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           f'<w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote></w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                xml.encode("utf-8"), doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)


def make_docx(path: Path) -> Path:
    import docx
    from docx.oxml import parse_xml

    doc = docx.Document()
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(NUMBERING))
    numbering.append(parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    header = doc.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.text = "ỦY BAN NHÂN DÂN"
    left.add_paragraph("TỈNH KON TUM")
    left.add_paragraph("Số: 123/KH-UBND")
    right.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    right.add_paragraph("Kon Tum, ngày 05 tháng 02 năm 2021")
    doc.add_paragraph("KẾ HOẠCH")
    doc.add_paragraph("Triển khai thực hiện Kế hoạch số 07-KH/TU ngày 23/12/2020 của Tỉnh ủy")
    _numbered(doc, "MỤC ĐÍCH, YÊU CẦU", 0)
    _numbered(doc, "Mục đích", 1)
    _numbered(doc, "Yêu cầu", 1)
    _numbered(doc, "NHIỆM VỤ", 0)
    _numbered(doc, "Nhiệm vụ chung", 1)
    for k in range(7):
        _numbered(doc, f"điểm {k + 1}", 2)
    _numbered(doc, "ý gạch đầu dòng", 3)
    doc.add_paragraph("Bước một", style="List Number")
    doc.add_paragraph("Bước hai", style="List Number")
    doc.add_paragraph("Một ý", style="List Bullet")
    tasks = doc.add_table(rows=3, cols=4)
    for row, cells in zip(tasks.rows, [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"],
                                       ["1", "Tuyên truyền", "Sở Thông tin và Truyền thông", "Quý I/2021"],
                                       ["2", "Tổng kết", "Sở Nội vụ", "Năm 2022"]], strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    tasks.rows[1].cells[1].add_paragraph("và phổ biến")
    sign = doc.add_table(rows=1, cols=2)
    sign.rows[0].cells[0].text = "Nơi nhận:"
    sign.rows[0].cells[0].add_paragraph("- Như trên;")
    sign.rows[0].cells[1].text = "TM. ỦY BAN NHÂN DÂN"
    sign.rows[0].cells[1].add_paragraph("KT. CHỦ TỊCH")
    sign.rows[0].cells[1].add_paragraph("Nguyễn Văn A")
    _add_footnote(doc, "Kế hoạch số 07-KH/TU ngày 23/12/2020 của Ban Thường vụ Tỉnh ủy.")
    doc.save(str(path))
    return path


def test_docx(tmp_path):
    doc = read_file(make_docx(tmp_path / "plan.docx"), manifest={})
    assert doc.format == "docx"
    lines = doc.text.split("\n")
    assert lines[:8] == [
        "ỦY BAN NHÂN DÂN", "TỈNH KON TUM", "Số: 123/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Kon Tum, ngày 05 tháng 02 năm 2021",
        "KẾ HOẠCH", "Triển khai thực hiện Kế hoạch số 07-KH/TU ngày 23/12/2020 của Tỉnh ủy",
    ]
    assert lines[8:24] == [
        "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "2. Yêu cầu", "II. NHIỆM VỤ", "1. Nhiệm vụ chung",
        "a) điểm 1", "b) điểm 2", "c) điểm 3", "d) điểm 4", "đ) điểm 5", "e) điểm 6", "g) điểm 7",
        "- ý gạch đầu dòng", "1. Bước một", "2. Bước hai", "- Một ý",
    ]
    assert lines[24:27] == ["STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian",
                            "1 | Tuyên truyền và phổ biến | Sở Thông tin và Truyền thông | Quý I/2021",
                            "2 | Tổng kết | Sở Nội vụ | Năm 2022"]
    assert lines[27:32] == ["Nơi nhận:", "- Như trên;", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "Nguyễn Văn A"]
    assert lines[-1] == "[1] Kế hoạch số 07-KH/TU ngày 23/12/2020 của Ban Thường vụ Tỉnh ủy."
    assert doc.warnings == ("footnotes appended at the end",)


def test_docx_in_tcvn3_is_converted(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph(encode_tcvn3("Uỷ ban nhân dân tỉnh Kon Tum ban hành kế hoạch thực hiện chỉ thị"))
    d.save(str(tmp_path / "old.docx"))
    doc = read_file(tmp_path / "old.docx", manifest={})
    assert doc.text == "Uỷ ban nhân dân tỉnh Kon Tum ban hành kế hoạch thực hiện chỉ thị"
    assert doc.warnings == ("converted from TCVN3",)


def test_corrupt_docx(tmp_path):
    not_zip = write(tmp_path, "a.docx", b"this is not a zip")
    assert read_error(not_zip) == "not a valid .docx (not a ZIP archive)"
    import zipfile

    with zipfile.ZipFile(tmp_path / "b.docx", "w") as z:
        z.writestr("hello.txt", "hi")
    assert read_error(tmp_path / "b.docx").startswith("not a valid .docx (")
    ole = write(tmp_path, "c.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert read_error(ole).startswith("not a valid .docx (an old Word .doc")


# -- PDF -------------------------------------------------------------------------------------------

def make_pdf(path: Path, pages: list[list[str]], image: bool = False) -> Path:
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"pdf.fonttype": 42, "font.family": "DejaVu Sans", "font.size": 9}), \
            PdfPages(path) as pdf:
        for lines in pages:
            fig = Figure(figsize=(8.27, 11.69))
            for k, line in enumerate(lines):
                fig.text(0.1, 0.95 - 0.03 * k, line)
            if image:
                import numpy as np

                fig.figimage(np.random.default_rng(0).random((200, 300)), 50, 50)
            pdf.savefig(fig)
    return path


BODY_PAGES = [
    ["ỦY BAN NHÂN DÂN TỈNH KON TUM", "Số: 123/KH-UBND", "KẾ HOẠCH",
     "Thực hiện Chỉ thị số 42-CT/TW của Bộ Chính trị", "I. MỤC ĐÍCH, YÊU CẦU"],
    ["2", "Kế hoạch số 123/KH-UBND ngày 05/02/2021", "1. Sở Nội vụ chủ trì, phối hợp với Sở Tài chính",
     "2. Sở Khoa học và Công nghệ thực hiện trong năm 2021"],
    ["3", "Kế hoạch số 123/KH-UBND ngày 05/02/2021", "II. TỔ CHỨC THỰC HIỆN",
     "Ủy ban nhân dân huyện, thành phố"],
    ["4", "Kế hoạch số 123/KH-UBND ngày 05/02/2021", "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"],
]


def test_pdf(tmp_path):
    doc = read_file(make_pdf(tmp_path / "plan.pdf", BODY_PAGES), manifest={})
    assert doc.format == "pdf"
    assert len(doc.pages) == 4
    pages = [doc.text[a:b].strip() for a, b in zip(doc.pages, [*doc.pages[1:], len(doc.text)], strict=True)]
    assert pages[0].split("\n")[:2] == ["ỦY BAN NHÂN DÂN TỈNH KON TUM", "Số: 123/KH-UBND"]
    assert pages[1].split("\n") == BODY_PAGES[1][2:]            # page number and running header gone
    assert "Thực hiện Chỉ thị số 42-CT/TW của Bộ Chính trị" in doc.text
    assert set(doc.warnings) == {"page numbers removed", "page headers removed"}


def test_scanned_pdf(tmp_path):
    path = make_pdf(tmp_path / "scan.pdf", [[], []], image=True)
    with pytest.raises(ReadError, match=r"^no text layer \(scanned\?\): OCR is off \(--no-ocr\)$"):
        read_file(path, manifest={}, options=ReadOptions(ocr=False))


def test_encrypted_pdf(tmp_path):
    from pypdf import PdfReader, PdfWriter

    source = make_pdf(tmp_path / "plain.pdf", BODY_PAGES[:1])
    for user, name in (("secret", "locked.pdf"), ("", "open.pdf")):
        writer = PdfWriter(clone_from=PdfReader(source))
        writer.encrypt(user_password=user, owner_password="owner", algorithm="RC4-128")
        with open(tmp_path / name, "wb") as f:
            writer.write(f)
    assert read_error(tmp_path / "locked.pdf") == "encrypted PDF"
    doc = read_file(tmp_path / "open.pdf", manifest={})
    assert "Số: 123/KH-UBND" in doc.text
    assert "encrypted PDF opened with an empty password" in doc.warnings


def test_broken_pdf(tmp_path):
    assert read_error(write(tmp_path, "a.pdf", b"%PDF-1.4\ngarbage")).startswith("not a valid PDF (")


# -- finding files ---------------------------------------------------------------------------------

def test_iter_files(tmp_path):
    for name in ["b.txt", "a.md", "sub/c.DOCX", "sub/deep/d.pdf", "sub/e.xlsx", ".hidden.txt", ".git/f.txt",
                 "sub/~$lock.docx", "manifest.csv", "sub/Manifest.txt", "notes.doc"]:
        write(tmp_path, name, "x")
    found = iter_files([tmp_path, tmp_path / "b.txt", str(tmp_path / "sub" / ".." / "a.md")])
    assert found == sorted(found)
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.md", "b.txt", "notes.doc", "sub/c.DOCX", "sub/deep/d.pdf"]
    # a file named on purpose is kept even with an unsupported suffix: reading it says why
    assert iter_files([tmp_path / "notes.doc"]) == [tmp_path / "notes.doc"]
    assert iter_files([tmp_path / "sub" / "~$lock.docx"]) == []
    with pytest.raises(ReadError, match="nowhere: no such file or folder"):
        iter_files([tmp_path / "nowhere"])


def test_front_matter_needs_metadata_keys():
    raw = "---\nSố: 12/KH-UBND\n---\nNội dung"
    assert split_front_matter(raw) == (raw, {}, [])


def test_docx_spacer_column_and_restarted_list(tmp_path):
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(NUMBERING))
    numbering.append(parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(parse_xml(
        f'<w:num xmlns:w="{W_NS}" w:numId="91"><w:abstractNumId w:val="90"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>'))
    header = d.add_table(rows=2, cols=3)
    header.rows[0].cells[0].text = "TỈNH ỦY KON TUM"
    header.rows[0].cells[2].text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    header.rows[1].cells[0].text = "Số 07-KH/TU"
    header.rows[1].cells[2].text = "Kon Tum, ngày 23 tháng 12 năm 2020"
    _numbered(d, "MỘT", 0)
    p = d.add_paragraph("BA")
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="0"/><w:numId w:val="91"/></w:numPr>'))
    d.save(str(tmp_path / "party.docx"))
    assert read_file(tmp_path / "party.docx", manifest={}).text.split("\n") == [
        "TỈNH ỦY KON TUM", "Số 07-KH/TU", "ĐẢNG CỘNG SẢN VIỆT NAM", "Kon Tum, ngày 23 tháng 12 năm 2020",
        "I. MỘT", "III. BA"]


def test_a_manifest_written_after_a_first_read_of_its_folder_is_read(tmp_path):
    # the folder's manifest is looked for at each file (its absence is not kept)
    a = write(tmp_path, "a.txt", SENTENCE)
    assert read_file(a).manifest == {}
    write(tmp_path, "manifest.csv", "file,number\na.txt,07-KH/TU\n")
    assert read_file(a).manifest == {"number": "07-KH/TU"}
    (tmp_path / "manifest.csv").unlink()
    assert read_file(a).manifest == {}


def test_every_bom_and_magic_number_is_still_told_apart():
    # a first-byte test skips the BOM and magic-number checks for other data: each must pass it
    from cascade.read.text import _BOMS, _MAGIC, _decode_text

    for bom, encoding in _BOMS:
        assert _decode_text(bom + "Số 07".encode(encoding)) == ("Số 07", [])
    for magic, what in _MAGIC:
        with pytest.raises(ReadError, match=f"looks like {what}"):
            _decode_text(magic + b" trailing bytes")
    assert _decode_text("Phòng".encode()) == ("Phòng", [])     # "P", the first byte of a ZIP's magic
