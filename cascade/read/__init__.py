"""Files in, text out: ``.txt``, ``.md``, ``.docx`` and ``.pdf`` -> :class:`RawDocument`.

The text a reader returns is the text *as read*: every evidence span in the project points
into it, so nothing here cleans it for parsing (``normalize.py`` does that, with an offset
map). What the readers do:

* plain text: UTF-8 (with or without BOM), UTF-16 and UTF-32 with a BOM, UTF-16 without a
  BOM (told by its NUL bytes), Windows-1258 when the bytes are clearly Vietnamese, and the
  legacy font encodings TCVN3 and VNI (see :mod:`cascade.text.legacy_encodings`). YAML front
  matter supplies metadata and is blanked out (see :func:`split_front_matter`);
* Word: paragraphs and tables in document order, two-column header and signature tables
  column by column, other tables row by row, automatic list numbers rendered, footnotes
  and endnotes appended;
* PDF: the text layer page by page, running headers, footers and page numbers removed.

Known metadata (number, date, issuer...) comes from a ``manifest.csv`` next to the files
and from front matter; front matter wins.

Errors are :class:`~cascade.errors.ReadError` with a one-line message naming the problem;
the caller prefixes the file name.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import hashlib
import io
import math
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from cascade.errors import ReadError
from cascade.text import legacy_encodings

__all__ = ["MANIFEST_FIELDS", "MANIFEST_NAME", "SUPPORTED", "RawDocument", "iter_files", "load_manifest",
           "read_file", "split_front_matter"]

SUPPORTED = (".txt", ".md", ".docx", ".pdf")
MANIFEST_NAME = "manifest.csv"
MANIFEST_FIELDS = ("number", "date", "issuer", "province", "district", "url", "type", "title")


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One file as read.

    Attributes:
        source: the path as given to :func:`read_file`.
        text: the decoded text as read; evidence spans point into this string.
        format: ``"txt"``, ``"md"``, ``"docx"`` or ``"pdf"``.
        sha256: hex digest of the file's bytes.
        manifest: known metadata from ``manifest.csv`` and front matter (keys of
            :data:`MANIFEST_FIELDS` that have a value).
        warnings: one-line notes on what the reader did or doubted.
    """

    source: str
    text: str
    format: str
    sha256: str
    manifest: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


# -- finding files -------------------------------------------------------------------------------

#: files that describe a folder rather than being documents in it (found while walking a folder)
FOLDER_NOTES = ("readme", "license", "licence", "changelog", "contributing", "notice", "sources")


def _skipped(name: str) -> bool:
    """Hidden files, Office lock files (``~$plan.docx``) and manifests are never documents."""
    return name.startswith((".", "~$")) or Path(name).stem.lower() == "manifest"


def _folder_note(name: str) -> bool:
    """README.md, LICENSE.txt...: a folder's own notes, skipped when walking the folder."""
    return Path(name).stem.lower().split(".")[0] in FOLDER_NOTES


def iter_files(paths: Iterable[str | Path]) -> list[Path]:
    """The document files under ``paths``: files as named, folders searched recursively.

    In folders, only files with a :data:`SUPPORTED` suffix (any case) are kept, and hidden
    files and folders, Office lock files (``~$...``), manifest files and a folder's own
    notes (README.md, LICENSE...) are skipped. A file
    named explicitly is kept whatever its suffix (so that reading it reports an unsupported
    type rather than silently doing nothing), unless it is a lock or manifest file.

    Returns the paths sorted, each file once (two spellings of one file count once).

    Raises:
        ReadError: a path that does not exist.
    """
    found: dict[Path, Path] = {}
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files: Iterable[Path] = _walk(path)
        elif path.is_file():
            lock_or_manifest = path.name.startswith("~$") or path.stem.lower() == "manifest"
            files = [] if lock_or_manifest else [path]
        else:
            raise ReadError(f"{given}: no such file or folder")
        for f in files:
            found.setdefault(f.resolve(), f)
    return sorted(found.values())


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not _skipped(name) and not _folder_note(name) and os.path.splitext(name)[1].lower() in SUPPORTED:
                yield Path(root, name)


# -- manifest ------------------------------------------------------------------------------------

def load_manifest(folder: str | Path) -> dict[str, dict[str, str]]:
    """Read ``manifest.csv`` in ``folder``: file name or relative path -> known metadata.

    The file is UTF-8 CSV (a BOM, as Excel writes it, is fine; so are ``;`` or tab
    separators) with a header row. The ``file`` column names the document, by file name
    or by path relative to the folder; the columns of :data:`MANIFEST_FIELDS` give its
    metadata, other columns are ignored, and empty cells are left out.

    Returns ``{}`` when there is no manifest.

    Raises:
        ReadError: a manifest that is not UTF-8, has no ``file`` column, a row longer than
            the header, a row without a file name, or the same file twice.
    """
    path = Path(folder) / MANIFEST_NAME
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise ReadError(f"{path}: {e.strerror or e}") from e
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ReadError(f"{path}: not UTF-8 (byte 0x{data[e.start]:02X} at offset {e.start})") from e
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as e:
        raise ReadError(f"{path}: malformed CSV ({e})") from e
    if not rows:
        return {}
    columns = [c.strip().lower() for c in rows[0]]
    if "file" not in columns:
        raise ReadError(f"{path}: no 'file' column in the header")
    if len(set(columns)) != len(columns):
        raise ReadError(f"{path}: a column name appears twice in the header")
    out: dict[str, dict[str, str]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            raise ReadError(f"{path}: line {line} has {len(row)} fields, the header {len(columns)}")
        record = dict(zip(columns, row, strict=False))
        name = _manifest_key(record.get("file", ""))
        if not name:
            raise ReadError(f"{path}: line {line} has no file name")
        if name in out:
            raise ReadError(f"{path}: line {line} lists {name} a second time")
        out[name] = {k: v.strip() for k, v in record.items() if k in MANIFEST_FIELDS and v.strip()}
    return out


def _manifest_key(name: str) -> str:
    key = PurePosixPath(name.strip().replace("\\", "/")).as_posix()
    return "" if key == "." else key.removeprefix("./")


@functools.lru_cache(maxsize=256)
def _cached_manifest(folder: str, mtime_ns: int, size: int) -> dict[str, dict[str, str]]:
    return load_manifest(folder)


def _folder_manifest(folder: Path) -> Mapping[str, Mapping[str, str]]:
    """The manifest next to a file, parsed once per folder and version of the manifest."""
    try:
        st = os.stat(os.path.join(folder, MANIFEST_NAME))
    except OSError:
        return {}
    return _cached_manifest(str(folder), st.st_mtime_ns, st.st_size)


def _manifest_entry(path: Path, manifest: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """The entry for ``path``: the longest manifest key that ends the path wins."""
    if not manifest:
        return {}
    parts = PurePosixPath(path.as_posix()).parts
    for i in range(len(parts)):
        entry = manifest.get("/".join(parts[i:]).removeprefix("/"))
        if entry is not None:
            return {k: v for k, v in entry.items() if k in MANIFEST_FIELDS and v}
    return {}


# -- reading -------------------------------------------------------------------------------------

def read_file(path: str | Path, manifest: Mapping[str, Mapping[str, str]] | None = None) -> RawDocument:
    """Read one document file.

    Args:
        path: a ``.txt``, ``.md``, ``.docx`` or ``.pdf`` file.
        manifest: known metadata as :func:`load_manifest` returns it. None reads the
            ``manifest.csv`` next to the file, if any (parsed once per folder); pass ``{}``
            to use none.

    Raises:
        ReadError: with a one-line message such as ``"empty file"``, ``"not UTF-8 or UTF-16
            text (...)"``, ``"legacy VNI encoding: ..."``, ``"not a valid .docx (...)"``,
            ``"encrypted PDF"``, ``"no text layer (scanned?)"``, ``"unsupported file type .xyz"``.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED:
        hint = " (save it as .docx)" if suffix in (".doc", ".rtf", ".odt") else ""
        raise ReadError(f"unsupported file type {p.suffix or '(no suffix)'}{hint}")
    try:
        with open(p, "rb") as f:
            data = f.read()
    except FileNotFoundError as e:
        raise ReadError("no such file") from e
    except IsADirectoryError as e:
        raise ReadError("a folder, not a file") from e
    except OSError as e:
        raise ReadError(f"cannot read the file ({e.strerror or e})") from e
    if not data:
        raise ReadError("empty file")
    fmt = suffix[1:]
    front: dict[str, str] = {}
    if fmt in ("txt", "md"):
        decoded, warnings = _decode_text(data)
        text, front, more = split_front_matter(decoded)
        warnings += more
        if not text or text.isspace():
            raise ReadError("empty file" if text is decoded else "no text after the front matter")
    elif fmt == "docx":
        text, warnings = _read_docx(data)
    else:
        text, warnings = _read_pdf(data)
    meta = _manifest_entry(p, _folder_manifest(p.parent) if manifest is None else manifest)
    meta.update(front)
    return RawDocument(str(path), text, fmt, hashlib.sha256(data).hexdigest(), meta, tuple(warnings))


def _one_line(e: BaseException) -> str:
    msg = " ".join(str(e).split()) or type(e).__name__
    return msg if len(msg) <= 120 else msg[:117] + "..."


def _legacy_error(encoding: str) -> ReadError:
    return ReadError(f"legacy {encoding} encoding: convert the file to Unicode (e.g. with UniKey) "
                     "and read it again")


def _legacy(text: str, warnings: list[str]) -> str:
    """Convert TCVN3/VNI mojibake, or refuse the file when it cannot be done reliably."""
    found = legacy_encodings.to_unicode(text)
    if found is None:
        return text
    if found.text is None:
        raise _legacy_error(found.encoding)
    warnings.append(f"converted from {found.encoding}")
    return found.text


# -- plain text ----------------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_MAGIC = ((b"%PDF-", "a PDF file"), (b"PK\x03\x04", "a ZIP archive, e.g. a .docx file"),
          (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word .doc or other Office file"),
          (b"{\\rtf", "an RTF file"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"))


def _decode_text(data: bytes) -> tuple[str, list[str]]:
    """Bytes of a text file -> text and warnings; see the module docstring for the encodings.

    >>> _decode_text("Số: 07-KH/TU".encode("utf-16"))
    ('Số: 07-KH/TU', [])
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), []
            except UnicodeDecodeError as e:
                raise ReadError(f"not UTF-8 or UTF-16 text (invalid {encoding.upper()} "
                                f"at byte {e.start + len(bom)} after a BOM)") from e
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ReadError(f"not UTF-8 or UTF-16 text (looks like {what})")
    if b"\0" in data:
        guess = _utf16_without_bom(data)
        if guess:
            try:
                return data.decode(guess), [f"read as {guess.upper()} without a BOM"]
            except UnicodeDecodeError:
                pass
        raise ReadError("not UTF-8 or UTF-16 text (binary data)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return _decode_8bit(data, e)
    warnings: list[str] = []
    return _legacy(text, warnings), warnings


def _utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when NUL bytes sit in every other position, else None.

    Vietnamese text is mostly ASCII letters and spaces, whose high byte is NUL.
    """
    if len(data) % 2:
        return None
    sample = data[:8192]
    pairs = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.3 * pairs and even <= 0.02 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.02 * pairs:
        return "utf-16-be"
    return None


_COMBINING_TONES = re.compile("[\u0300\u0301\u0303\u0309\u0323]")


def _decode_8bit(data: bytes, error: UnicodeDecodeError) -> tuple[str, list[str]]:
    """Bytes that are not UTF-8: TCVN3, VNI or Windows-1258 when clearly Vietnamese, else refuse."""
    legacy = legacy_encodings.to_unicode(data.decode("latin-1"))
    try:
        cp1258: str | None = data.decode("cp1258")
    except UnicodeDecodeError:
        cp1258 = None
    cp_valid = 0
    if cp1258 is not None and _COMBINING_TONES.search(cp1258):
        valid, total = legacy_encodings.vietnamese_words(cp1258)
        if valid >= 2 and valid >= 0.85 * total and legacy_encodings.syllable_share(cp1258) >= 0.8:
            cp_valid = valid
    if legacy is not None and legacy.text is not None and legacy.valid >= cp_valid:
        return legacy.text, [f"converted from {legacy.encoding}"]
    if cp_valid and cp1258 is not None:
        return cp1258, ["decoded as Windows-1258 (tone marks are combining characters; NFC comes later)"]
    if legacy is not None:
        raise _legacy_error(legacy.encoding)
    bad = data[error.start]
    raise ReadError(f"not UTF-8 or UTF-16 text (invalid byte 0x{bad:02X} at offset {error.start})") from error


# -- front matter --------------------------------------------------------------------------------

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)
_NOT_NEWLINE = re.compile(r"[^\r\n]")
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_ -]*")


def split_front_matter(text: str) -> tuple[str, dict[str, str], list[str]]:
    """Take YAML front matter (``---`` ... ``---`` at the very top) out of ``text``.

    The block is replaced by spaces of the same length, line breaks kept, rather than cut:
    so every character after it keeps its offset in the file, and a span found in the
    returned text can be shown to the user at the same place in the file they wrote.

    Returns the text, the metadata fields of :data:`MANIFEST_FIELDS` found in the block
    (as strings; YAML dates become ISO dates), and warnings. Text without front matter,
    or whose block is not valid YAML, is returned unchanged (the latter with a warning).

    >>> text, meta, _ = split_front_matter("---\\nnumber: 07-KH/TU\\n---\\nKế hoạch")
    >>> meta, text.index("Kế hoạch")
    ({'number': '07-KH/TU'}, 25)
    """
    if not text.startswith("---"):
        return text, {}, []
    m = _FRONT.match(text)
    if m is None:
        return text, {}, []
    import yaml  # only files with front matter pay for it

    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError as e:
        return text, {}, [f"front matter not read (invalid YAML: {_one_line(e).split(':')[0]})"]
    if data is not None and not (isinstance(data, dict) and all(isinstance(k, str) and _KEY.fullmatch(k)
                                                                for k in data)):
        return text, {}, []             # not metadata: prose between two rules, "Số: 12" lines...
    meta: dict[str, str] = {}
    warnings: list[str] = []
    for key, value in (data or {}).items():
        name = str(key).strip().lower()
        if name not in MANIFEST_FIELDS or value is None:
            continue
        if isinstance(value, dt.date):
            meta[name] = (value.date() if isinstance(value, dt.datetime) else value).isoformat()
        elif isinstance(value, str | int | float | bool):
            if str(value).strip():
                meta[name] = str(value).strip()
        else:
            warnings.append(f"front matter field {name!r} ignored (not a single value)")
    blank = _NOT_NEWLINE.sub(" ", text[:m.end()])
    return blank + text[m.end():], meta, warnings


# -- Word ----------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _SDT, _SDT_CONTENT, _R = (f"{_W}{t}" for t in ("p", "tbl", "sdt", "sdtContent", "r"))
_TR, _TC, _T, _VAL = (f"{_W}{t}" for t in ("tr", "tc", "t", "val"))
_TABS = {f"{_W}tab", f"{_W}ptab"}
_BREAKS = {f"{_W}br", f"{_W}cr"}
# containers whose runs are part of the paragraph's text (w:del and w:moveFrom are not)
_RUN_CONTAINERS = {f"{_W}{t}" for t in ("hyperlink", "ins", "smartTag", "customXml", "fldSimple", "moveTo",
                                         "dir", "bdo")}


def _read_docx(data: bytes) -> tuple[str, list[str]]:
    """A .docx file's text: see :class:`_DocxText`."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError("not a valid .docx (an old Word .doc or an encrypted file; save it as .docx)")
    import docx  # python-docx, only for Word files
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001 - any failure to open means the same to the user
        reason = "not a ZIP archive" if not data.startswith(b"PK") else _one_line(e)
        raise ReadError(f"not a valid .docx ({reason})") from e
    reader = _DocxText(document)
    text = "\n".join(reader.block_lines(document.element.body))
    warnings = []
    notes = reader.notes()
    if notes:
        text += "\n\n" + "\n".join(notes)
        warnings.append("footnotes appended at the end")
    if not text.strip():
        raise ReadError("no text in the document (only images?)")
    return _legacy(text, warnings), warnings


class _DocxText:
    """Walks a Word body in document order and renders it as lines.

    * A paragraph is one line (a manual line break inside it starts a new line), with its
      automatic list number in front (:class:`_Numbering`).
    * A layout table (two columns, or three with a spacer, holding a header or a signature
      block: the national motto, ``ĐẢNG CỘNG SẢN VIỆT NAM``, ``Số: ...``, the place and date,
      ``Nơi nhận``, ``TM.``/``KT.``) is read column by column, each paragraph on its own
      line, so the number and the date land on separate lines.
    * Any other table is read row by row, cells joined by ``" | "``, the paragraphs of a
      cell joined by spaces.

    Not rendered: text boxes and shapes, headers and footers of the page, deleted revisions,
    field codes (their results are kept), comments.
    """

    def __init__(self, document: Any) -> None:
        self.document = document
        self.numbering = _Numbering(document)

    def block_lines(self, parent: Any) -> Iterator[str]:
        for el in parent.iterchildren():
            if el.tag == _P:
                yield self.paragraph(el)
            elif el.tag == _TBL:
                yield from self.table(el)
            elif el.tag == _SDT:
                content = el.find(_SDT_CONTENT)
                if content is not None:
                    yield from self.block_lines(content)

    def paragraph(self, p: Any) -> str:
        label = self.numbering.label(p)
        text = self.runs(p)
        return f"{label}{text}" if label else text

    def runs(self, el: Any) -> str:
        parts: list[str] = []
        for child in el.iterchildren():
            tag = child.tag
            if tag == _R:
                for piece in child.iterchildren():
                    t = piece.tag
                    if t == _T:
                        parts.append(piece.text or "")
                    elif t in _TABS:
                        parts.append("\t")
                    elif t in _BREAKS:
                        parts.append("\n")
                    elif t == f"{_W}noBreakHyphen":
                        parts.append("-")
            elif tag in _RUN_CONTAINERS:
                parts.append(self.runs(child))
            elif tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    parts.append(self.runs(content))
        return "".join(parts)

    def cell_lines(self, tc: Any) -> list[str]:
        return [line for paragraph in self.block_lines(tc) for line in paragraph.split("\n")]

    def table(self, tbl: Any) -> list[str]:
        rows = [[self.cell_lines(tc) for tc in tr.iterchildren(_TC)] for tr in tbl.iterchildren(_TR)]
        if _is_layout(rows):
            width = max(len(r) for r in rows)
            return [line.strip() for col in range(width) for row in rows if col < len(row)
                    for line in row[col] if line.strip()]
        return [" | ".join(" ".join(line.strip() for line in cell if line.strip()) for cell in row)
                for row in rows if any(any(line.strip() for line in cell) for cell in row)]

    def notes(self) -> list[str]:
        """Footnotes, then endnotes, as ``[n] text`` lines, numbered in order."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from lxml import etree

        out: list[str] = []
        for reltype, tag in ((RT.FOOTNOTES, "footnote"), (RT.ENDNOTES, "endnote")):
            for rel in self.document.part.rels.values():
                if rel.reltype != reltype or rel.is_external:
                    continue
                root = etree.fromstring(rel.target_part.blob)
                for note in root.iterchildren(f"{_W}{tag}"):
                    if note.get(f"{_W}type") not in (None, "normal"):
                        continue                        # separators
                    text = " ".join(" ".join(line.split()) for line in self.block_lines(note) if line.strip())
                    if text:
                        out.append(f"[{len(out) + 1}] {text}")
        return out


_LAYOUT_LINE = re.compile(
    r"CỘNG\s+H[OÒ][AÀ]\s+XÃ\s+HỘI|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM|Độc\s+lập\s*[-–]\s*Tự\s+do"
    r"|^\s*Số\s*:?\s*[\d.…_ ]*[-/]|,\s*ngày\b.*\bnăm\b|Nơi\s+nhận|^\s*(?:T/?M|K/?T|TL|TUQ)\.?\s",
    re.IGNORECASE)


def _is_layout(rows: list[list[list[str]]]) -> bool:
    """A table of two columns (three with a spacer) holding a header or signature block."""
    if not rows or not 2 <= max(len(r) for r in rows) <= 3 or len(rows) > 6:
        return False
    return any(_LAYOUT_LINE.search(unicodedata.normalize("NFC", line))
               for row in rows for cell in row for line in cell)


# Vietnamese lists run a) b) c) d) đ) e) g) h) i) k) ...: no f, j, w, z.
_VN_LETTERS = "abcdđeghiklmnopqrstuvxy"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(n: int) -> str:
    """Lower-case Roman numerals.

    >>> _roman(14)
    'xiv'
    """
    out = []
    for value, digits in _ROMAN:
        count, n = divmod(n, value)
        out.append(digits * count)
    return "".join(out)


def _format_number(n: int, fmt: str) -> str:
    """A list counter in a Word number format; unknown formats fall back to decimal.

    >>> [_format_number(n, "lowerLetter") for n in (1, 4, 5, 6, 7, 24)]
    ['a', 'd', 'đ', 'e', 'g', 'aa']
    >>> _format_number(4, "upperRoman"), _format_number(7, "decimalZero")
    ('IV', '07')
    """
    if fmt in ("lowerLetter", "upperLetter"):
        letter = _VN_LETTERS[(n - 1) % len(_VN_LETTERS)] * ((n - 1) // len(_VN_LETTERS) + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


@dataclass(slots=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    legal: bool = False


class _Numbering:
    """Renders the numbers Word draws for automatic lists (``w:numPr``).

    Handled: numbering set on the paragraph or inherited through its style; level formats
    decimal, decimalZero, lower/upperLetter (in Vietnamese order, a b c d đ e g ..., as
    Vietnamese documents number their points, although Word itself would print a b c d e f),
    lower/upperRoman, bullet (rendered ``-``, or ``+`` when the bullet is a plus sign) and
    none; multi-level texts such as ``%1.%2.``; start values and start overrides; deeper
    levels restarting after a higher one; lists linked through a numbering style.

    Not handled: other formats (ordinal, cardinal text, East Asian counters...) render as
    decimal; ``w:lvlRestart`` other than the default; counters shared between two list
    instances of one abstract list (each ``w:num`` counts on its own); legal numbering
    (``w:isLgl``) is honoured only as decimal.
    """

    def __init__(self, document: Any) -> None:
        self.lists: dict[str, dict[int, _Level]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        self._styles(document)
        if root is not None:
            self._parse(root)

    def _styles(self, document: Any) -> None:
        try:
            styles = document.part.styles.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        own: dict[str, tuple[str | None, int | None]] = {}
        based: dict[str, str] = {}
        for st in styles.iterchildren(f"{_W}style"):
            sid = st.get(f"{_W}styleId")
            if sid is None:
                continue
            parent = st.find(f"{_W}basedOn")
            if parent is not None:
                based[sid] = parent.get(_VAL)
            num = st.find(f"{_W}pPr/{_W}numPr")
            if num is not None:
                own[sid] = _num_pr(num)
        for sid in {*own, *based}:
            seen: set[str] = set()
            cur: str | None = sid
            num_id, ilvl = None, None
            while cur and cur not in seen:
                seen.add(cur)
                n, lv = own.get(cur, (None, None))
                num_id = num_id if num_id is not None else n
                ilvl = ilvl if ilvl is not None else lv
                cur = based.get(cur)
            if num_id and num_id != "0":
                self.style_num[sid] = (num_id, ilvl or 0)

    def _parse(self, root: Any) -> None:
        abstract: dict[str, Any] = {a.get(f"{_W}abstractNumId"): a
                                    for a in root.iterchildren(f"{_W}abstractNum")}
        nums = {n.get(f"{_W}numId"): n for n in root.iterchildren(f"{_W}num")}

        def levels_of(abstract_id: str | None, depth: int = 0) -> dict[int, _Level]:
            a = abstract.get(abstract_id or "")
            if a is None:
                return {}
            link = a.find(f"{_W}numStyleLink")
            if link is not None and depth < 3:     # the list is defined by a numbering style
                linked = self.style_num.get(link.get(_VAL))
                if linked and linked[0] in nums:
                    ref = nums[linked[0]].find(f"{_W}abstractNumId")
                    return levels_of(ref.get(_VAL) if ref is not None else None, depth + 1)
            return {int(lvl.get(f"{_W}ilvl", "0")): _level(lvl) for lvl in a.iterchildren(f"{_W}lvl")}

        for num_id, num in nums.items():
            ref = num.find(f"{_W}abstractNumId")
            levels = dict(levels_of(ref.get(_VAL) if ref is not None else None))
            for override in num.iterchildren(f"{_W}lvlOverride"):
                ilvl = int(override.get(f"{_W}ilvl", "0"))
                lvl = override.find(f"{_W}lvl")
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
                start = override.find(f"{_W}startOverride")
                if start is not None and ilvl in levels:
                    levels[ilvl] = _Level(_int(start.get(_VAL), 1), levels[ilvl].fmt, levels[ilvl].text,
                                          levels[ilvl].suffix, levels[ilvl].legal)
            self.lists[num_id] = levels

    def label(self, p: Any) -> str:
        """The number (with its separator) that Word shows before paragraph ``p``, or ``""``."""
        num = p.find(f"{_W}pPr/{_W}numPr")
        num_id, ilvl = _num_pr(num) if num is not None else (None, None)
        if num_id is None:
            style = p.find(f"{_W}pPr/{_W}pStyle")
            sid = style.get(_VAL) if style is not None else None
            if sid in self.style_num:
                num_id, style_ilvl = self.style_num[sid]
                ilvl = ilvl if ilvl is not None else style_ilvl
        if not num_id or num_id == "0" or num_id not in self.lists:
            return ""
        levels = self.lists[num_id]
        ilvl = ilvl or 0
        level = levels.get(ilvl)
        if level is None:
            return ""
        counts = self.counters.setdefault(num_id, {})
        counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else level.start
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        if level.fmt == "bullet":
            label = "+" if level.text.strip() == "+" else "-"
        else:
            def counter(m: re.Match[str]) -> str:
                k = int(m.group(1)) - 1
                other = levels.get(k, _Level())
                value = counts.get(k, other.start)
                return _format_number(value, "decimal" if level.legal and k != ilvl else other.fmt)
            label = re.sub(r"%([1-9])", counter, level.text)
        if not label:
            return ""
        return label + ("" if level.suffix == "nothing" else " ")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _num_pr(num: Any) -> tuple[str | None, int | None]:
    num_id = num.find(f"{_W}numId")
    ilvl = num.find(f"{_W}ilvl")
    return (num_id.get(_VAL) if num_id is not None else None,
            _int(ilvl.get(_VAL), 0) if ilvl is not None else None)


def _level(lvl: Any) -> _Level:
    def val(tag: str) -> str | None:
        el = lvl.find(f"{_W}{tag}")
        return el.get(_VAL) if el is not None else None

    legal = lvl.find(f"{_W}isLgl")
    return _Level(start=_int(val("start"), 1), fmt=val("numFmt") or "decimal",
                  text=val("lvlText") or "",
                  suffix=val("suff") or "tab",
                  legal=legal is not None and legal.get(_VAL, "1") not in ("0", "false"))


# -- PDF -----------------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^\s*[-–—]?\s*(?:trang|page)?\s*(\d{1,4})\s*(?:(?:/|của|of)\s*\d{1,4})?\s*[-–—]?\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_UNUSABLE = re.compile("[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]")
_EDGE = 2           # lines at the top and at the bottom of a page where headers and footers live


def _read_pdf(data: bytes) -> tuple[str, list[str]]:
    """A PDF's text layer, page by page, without running headers, footers and page numbers."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    warnings: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError, PdfReadError) as e:
                raise ReadError("encrypted PDF") from e
            if not opened:
                raise ReadError("encrypted PDF")
            warnings.append("encrypted PDF opened with an empty password")
        pages = list(reader.pages)
    except ReadError:
        raise
    except FileNotDecryptedError as e:
        raise ReadError("encrypted PDF") from e
    except Exception as e:  # noqa: BLE001 - pypdf raises many kinds on broken files
        raise ReadError(f"not a valid PDF ({_one_line(e)})") from e
    texts: list[list[str]] = []
    for number, page in enumerate(pages, start=1):
        try:
            texts.append((page.extract_text() or "").splitlines())
        except Exception as e:  # noqa: BLE001 - one broken page must not lose the others
            warnings.append(f"page {number}: no text extracted ({_one_line(e)})")
            texts.append([])
    texts, removed = _strip_page_furniture(texts)
    warnings += removed
    visible = [sum(len("".join(line.split())) for line in lines) for lines in texts]
    if sum(visible) < 16 * max(1, len(texts)):
        raise ReadError("no text layer (scanned?)")
    text = "\n\n".join("\n".join(lines) for lines in texts if any(line.strip() for line in lines))
    if len(_UNUSABLE.findall(text)) > 0.3 * sum(visible):
        raise ReadError("no usable text layer (fonts without a Unicode map)")
    empty = [str(i) for i, v in enumerate(visible, start=1) if v < 10]
    if empty:
        warnings.append(f"no text on page{'s' if len(empty) > 1 else ''} {', '.join(empty)} (scanned?)")
    return _legacy(text, warnings), warnings


def _strip_page_furniture(pages: list[list[str]]) -> tuple[list[list[str]], list[str]]:
    """Drop page numbers and running headers/footers from the top and bottom lines of pages.

    * A page number is a line with a bare number (``12``, ``- 12 -``, ``Trang 12``,
      ``12/30``) whose value follows the page's position with the same offset on at least
      half of the pages.
    * A running header or footer is a line found, digits aside, among the top or bottom lines
      of at least 60% of the pages after the first (and of three or more). The first page
      keeps it: it usually holds the document's real header.
    """
    n = len(pages)
    warnings: list[str] = []
    edges = [_edge_indexes(lines) for lines in pages]
    offsets: Counter[int] = Counter()
    for i, (lines, idx) in enumerate(zip(pages, edges, strict=True)):
        seen = {int(m.group(1)) - i for j in idx if (m := _PAGE_NUMBER.match(lines[j]))}
        offsets.update(seen)
    drop: list[set[int]] = [set() for _ in pages]
    if n >= 2 and offsets:
        offset, count = offsets.most_common(1)[0]
        if count >= max(2, math.ceil(n / 2)):
            for i, (lines, idx) in enumerate(zip(pages, edges, strict=True)):
                drop[i] |= {j for j in idx
                            if (m := _PAGE_NUMBER.match(lines[j])) and int(m.group(1)) - i == offset}
            warnings.append("page numbers removed")
    if n >= 4:
        keys: Counter[str] = Counter()
        for lines, idx in zip(pages[1:], edges[1:], strict=True):
            keys.update({_furniture_key(lines[j]) for j in idx})
        need = max(3, math.ceil(0.6 * (n - 1)))
        running = {k for k, c in keys.items() if c >= need and k}
        if running:
            for i in range(1, n):
                drop[i] |= {j for j in edges[i] if _furniture_key(pages[i][j]) in running}
            warnings.append("page headers removed")
    cleaned = [[line for j, line in enumerate(lines) if j not in d]
               for lines, d in zip(pages, drop, strict=True)]
    return cleaned, warnings


def _edge_indexes(lines: list[str]) -> list[int]:
    filled = [j for j, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:_EDGE] + filled[-_EDGE:]))


def _furniture_key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split())).casefold()
