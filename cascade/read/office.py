"""Old Word ``.doc``, ``.rtf`` and ``.odt``: converted to ``.docx`` by LibreOffice, then read as Word.

LibreOffice runs headless as a separate program (``soffice``; Debian package
``libreoffice-writer-nogui``), with a profile of its own in a temporary folder so that
conversions in parallel workers do not share one, and with macros never run. Each file is
converted once per content: the ``.docx`` is kept under ``<cache>/office/<sha256>.docx``
(see :meth:`ReadOptions.cache_root`) and reused while the file's bytes stay the same.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from cascade.errors import ReadError
from cascade.read.base import ReadOptions, Text
from cascade.read.docx import read_docx
from cascade.runtime import cache_put

SUFFIXES = (".doc", ".rtf", ".odt")
INSTALL_HINT = ("LibreOffice is not installed: install it to read .doc and .rtf files "
                "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui), or save the file as .docx")
#: how the files LibreOffice is given begin: OLE2 (Word 97-2003), RTF, ZIP (OpenDocument)
_MAGIC = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf", b"PK\x03\x04")
#: seconds one conversion may take
TIMEOUT = 180


def soffice() -> str | None:
    """The LibreOffice program, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(data: bytes, path: Path, options: ReadOptions) -> Text:
    """The text of the file as LibreOffice converts it to ``.docx``."""
    what = path.suffix.lower() or ".doc"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype html", b"<meta", b"<?xml")) and b"<html" in head:
        from cascade.read import html  # portals often serve a web page named .doc
        page = html.read(data, path, options)
        page.warnings.insert(0, f"a web page saved as {what}: read as HTML")
        return page
    if not data.startswith(_MAGIC):
        raise ReadError(f"not a valid {what} (neither a Word, RTF nor OpenDocument file)")
    converted = _converted(data, what, options)
    text, warnings = read_docx(converted, what)
    return Text(text, [*warnings, f"converted from {what} by LibreOffice"])


def _converted(data: bytes, what: str, options: ReadOptions) -> bytes:
    digest = hashlib.sha256(data).hexdigest()
    cached = options.cache_root() / "office" / digest[:2] / f"{digest}.docx"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    exe = soffice()
    if exe is None:
        raise ReadError(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="cascade-office-") as tmp:
        source = Path(tmp, "in" + what)
        source.write_bytes(data)
        profile = Path(tmp, "profile").as_uri()
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(Path(tmp, "out")), str(source)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False, stdin=subprocess.DEVNULL,
                           env={**os.environ, "HOME": tmp})
        except subprocess.TimeoutExpired as e:
            raise ReadError(f"LibreOffice took longer than {TIMEOUT} s to convert the file") from e
        except OSError as e:
            raise ReadError(f"LibreOffice could not be run ({e.strerror or e})") from e
        out = Path(tmp, "out", "in.docx")
        if not out.exists():
            raise ReadError(f"LibreOffice could not convert the file (not a valid {what}?)")
        converted = out.read_bytes()
    cache_put(cached, converted)                # no cache: converted again next time
    return converted
