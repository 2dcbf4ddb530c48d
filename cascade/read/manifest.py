"""``manifest.csv``: known metadata (number, date, issuer...) for the files of a folder.

A malformed manifest costs only what is wrong in it: a bad row is skipped with a warning,
a manifest that cannot be used at all (no ``file`` column, binary data) gives no metadata
and one warning; it never stops the documents of its folder from being read.
"""
from __future__ import annotations

import codecs
import csv
import functools
import io
import os
import unicodedata
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from cascade.errors import ReadError
from cascade.read.base import one_line

MANIFEST_NAME = "manifest.csv"
MANIFEST_FIELDS = ("number", "date", "issuer", "province", "district", "url", "type", "title")
#: the largest manifest read (a manifest lists files; it is never this big)
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
#: the longest cell kept (a title is a few hundred characters)
MAX_FIELD = 4096
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def load_manifest(folder: str | Path) -> dict[str, dict[str, str]]:
    """Read ``manifest.csv`` in ``folder``: file name or relative path -> known metadata.

    The file is CSV (UTF-8 with or without a BOM as Excel writes it, UTF-16 with a BOM;
    other bytes are read as Windows-1258 or Latin-1 with a warning; ``,`` ``;`` or tab
    separators) with a header row. The ``file`` column names the document, by file name
    or by path relative to the folder; the columns of :data:`MANIFEST_FIELDS` give its
    metadata, other columns are ignored, and empty cells are left out.

    Returns ``{}`` when there is no manifest. See :func:`read_manifest` for the warnings.

    Raises:
        ReadError: the manifest exists but cannot be opened.
    """
    return read_manifest(folder)[0]


def read_manifest(folder: str | Path) -> tuple[dict[str, dict[str, str]], list[str]]:
    """:func:`load_manifest` and the warnings: rows skipped (too many fields, no file name,
    a file listed twice: the first row wins), cells cut, the encoding guessed."""
    path = Path(folder) / MANIFEST_NAME
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError:
        return {}, []
    except OSError as e:
        raise ReadError(f"{path}: {e.strerror or e}") from e
    if len(data) > MAX_MANIFEST_BYTES:
        return {}, [f"{MANIFEST_NAME} ignored (larger than {MAX_MANIFEST_BYTES // 2**20} MB)"]
    text, warnings = _decode(data)
    if text is None:
        return {}, warnings
    return _parse(text, warnings)


def _decode(data: bytes) -> tuple[str | None, list[str]]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), []
    if b"\0" in data[:4096]:
        even, odd = data[0:4096:2].count(0), data[1:4096:2].count(0)
        if max(even, odd) > 4 * min(even, odd) + 4:
            encoding = "utf-16-le" if odd > even else "utf-16-be"
            return data.decode(encoding, errors="replace"), [f"{MANIFEST_NAME} read as {encoding.upper()}"]
        return None, [f"{MANIFEST_NAME} ignored (binary data)"]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258"), [f"{MANIFEST_NAME} is not UTF-8: read as Windows-1258"]
    except UnicodeDecodeError:
        return data.decode("latin-1"), [f"{MANIFEST_NAME} is not UTF-8: read as Latin-1"]


def _rows(text: str, delimiter: str, warnings: list[str]) -> list[tuple[int, list[str]]]:
    """The rows with their line numbers; a row the CSV reader cannot parse is skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as e:
            warnings.append(f"{MANIFEST_NAME}: line {line} skipped ({one_line(e, 60)})")
            if reader.line_num < line:       # the reader did not move on: stop rather than spin
                return rows
            continue
        rows.append((line, row))


def _parse(text: str, warnings: list[str]) -> tuple[dict[str, dict[str, str]], list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    rows = _rows(text.replace("\0", ""), delimiter, warnings)
    if not rows:
        return {}, warnings
    columns = [c.strip().lower() for c in rows[0][1]]
    if "file" not in columns:
        return {}, [*warnings, f"{MANIFEST_NAME} ignored (no 'file' column in the header)"]
    index = {name: columns.index(name) for name in ("file", *MANIFEST_FIELDS) if name in columns}
    out: dict[str, dict[str, str]] = {}
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            warnings.append(f"{MANIFEST_NAME}: line {line} skipped "
                            f"({len(row)} fields, the header {len(columns)})")
            continue
        cells = {k: unicodedata.normalize("NFC", row[i].strip()) if i < len(row) else ""
                 for k, i in index.items()}
        name = _manifest_key(cells.pop("file"))
        if not name:
            warnings.append(f"{MANIFEST_NAME}: line {line} skipped (no file name)")
            continue
        if name in out:
            warnings.append(f"{MANIFEST_NAME}: line {line} skipped ({name} listed a second time)")
            continue
        for k, v in cells.items():
            if len(v) > MAX_FIELD:
                cells[k] = ""
                warnings.append(f"{MANIFEST_NAME}: line {line}: {k} ignored "
                                f"(longer than {MAX_FIELD} characters)")
        out[name] = {k: v for k, v in cells.items() if v}
    return out, warnings


def _manifest_key(name: str) -> str:
    key = PurePosixPath(name.strip().replace("\\", "/")).as_posix()
    return "" if key == "." else key.removeprefix("./")


@functools.lru_cache(maxsize=256)
def _cached_manifest(folder: str, mtime_ns: int,
                     size: int) -> tuple[dict[str, dict[str, str]], tuple[str, ...]]:
    try:
        manifest, warnings = read_manifest(folder)
    except ReadError as e:
        return {}, (f"{MANIFEST_NAME} ignored ({one_line(e)})",)
    return manifest, tuple(warnings)


def folder_manifest(folder: Path) -> tuple[Mapping[str, Mapping[str, str]], tuple[str, ...]]:
    """The manifest next to a file and its warnings, parsed once per folder and version of the manifest."""
    name = os.path.join(folder, MANIFEST_NAME)
    try:
        if not os.access(name, os.F_OK):         # the usual case, no manifest: cheaper than a stat that fails
            return {}, ()
        st = os.stat(name)
    except (OSError, ValueError):
        return {}, ()
    return _cached_manifest(str(folder), st.st_mtime_ns, st.st_size)


def manifest_entry(path: Path, manifest: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """The entry for ``path``: the longest manifest key that ends the path wins."""
    if not manifest:
        return {}
    parts = PurePosixPath(path.as_posix()).parts
    for i in range(len(parts)):
        entry = manifest.get("/".join(parts[i:]).removeprefix("/"))
        if entry is not None:
            return {k: v for k, v in entry.items() if k in MANIFEST_FIELDS and v}
    return {}
