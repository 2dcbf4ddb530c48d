"""Hostile files written by the tests themselves: broken and encrypted PDFs, a zip-bomb .docx.

Shared by tests/test_hostile.py (whole builds) and tests/test_fuzz.py (readers).
"""
from __future__ import annotations

import io
import zipfile

import pytest

PLAN_HEAD = ("ỦY BAN NHÂN DÂN\nTỈNH GIA LAI\n\nSố: 15/KH-UBND\n\nGia Lai, ngày 3 tháng 5 năm 2021\n\n"
             "KẾ HOẠCH\nThực hiện Kết luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư\n\n")


def pdf_bytes(text: str, tounicode: bytes | None = None) -> bytes:
    """A one-page PDF showing ``text`` in Helvetica (optionally with a ToUnicode map), offsets exact."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
            font + (b" /ToUnicode 6 0 R >>" if tounicode else b" >>")]
    if tounicode:
        objs.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(tounicode), tounicode))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


SURROGATE_CMAP = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
                  b"/CMapName /Bad def 1 begincodespacerange <00> <FF> endcodespacerange\n"
                  b"2 beginbfchar <41> <D800> <42> <DC00> endbfchar\n"
                  b"endcmap CMapName currentdict /CMap defineresource pop end end")


def aes_pdf(text: str) -> bytes:
    """A PDF encrypted with AES-256 and an empty user password (pypdf + cryptography)."""
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("cryptography")
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes(text)))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.encrypt(user_password="", owner_password="owner-secret", algorithm="AES-256")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def zip_bomb_docx(unpacked: int = 200 * 2**20) -> bytes:
    """A .docx of a few hundred KB whose document.xml unpacks to ``unpacked`` bytes of spaces."""
    buf = io.BytesIO()
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w='
            b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
                   '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
                   'formats.org/officeDocument/2006/relationships/officeDocument" '
                   'Target="word/document.xml"/></Relationships>')
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(head)
            chunk = b" " * 2**20
            for _ in range(unpacked // len(chunk)):
                f.write(chunk)
            f.write(tail)
    return buf.getvalue()
