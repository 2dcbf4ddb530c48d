"""Plain text (``.txt``, ``.md``): bytes -> text, with YAML front matter taken out.

Encodings: UTF-8 (with or without BOM), UTF-16 and UTF-32 with a BOM, UTF-16 without a BOM
(told by its NUL bytes), Windows-1258 when the bytes are clearly Vietnamese, and the legacy
font encodings TCVN3 and VNI (see :mod:`cascade.text.legacy_encodings`). YAML front matter
supplies metadata and is blanked out (see :func:`split_front_matter`).
"""
from __future__ import annotations

import codecs
import datetime as dt
import re
from pathlib import Path

from cascade.errors import ReadError
from cascade.read.base import ReadOptions, Text, legacy, legacy_error, one_line
from cascade.read.manifest import MANIFEST_FIELDS
from cascade.text import legacy_encodings

SUFFIXES = (".txt", ".md")
LIBRARIES = False      # no third-party library reads these: nothing to silence (see base.quiet)


def read(data: bytes, path: Path, options: ReadOptions) -> Text:
    """A text file's text, front matter blanked out and its metadata in :attr:`Text.meta`."""
    decoded, warnings = _decode_text(data)
    text, front, more = split_front_matter(decoded)
    warnings += more
    if not text or text.isspace():
        raise ReadError("empty file" if text is decoded else "no text after the front matter")
    return Text(text, warnings, meta=front)


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_MAGIC = ((b"%PDF-", "a PDF file"), (b"PK\x03\x04", "a ZIP archive, e.g. a .docx file"),
          (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word .doc or other Office file"),
          (b"{\\rtf", "an RTF file"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"))

#: the first byte of each BOM and magic number, each as a one-byte string
_FIRST_BYTES = frozenset(b[:1] for b, _ in (*_BOMS, *_MAGIC))


def _decode_text(data: bytes) -> tuple[str, list[str]]:
    """Bytes of a text file -> text and warnings; see the module docstring for the encodings.

    >>> _decode_text("Số: 07-KH/TU".encode("utf-16"))
    ('Số: 07-KH/TU', [])
    """
    if data[:1] in _FIRST_BYTES:           # else no BOM and no magic number starts the data (usually)
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
    return legacy(text, warnings), warnings


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
        raise legacy_error(legacy.encoding)
    bad = data[error.start]
    raise ReadError(f"not UTF-8 or UTF-16 text (invalid byte 0x{bad:02X} at offset {error.start})") from error


# -- front matter --------------------------------------------------------------------------------

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)
_NOT_NEWLINE = re.compile(r"[^\r\n]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
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
        return text, {}, [f"front matter not read (invalid YAML: {one_line(e).split(':')[0]})"]
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
            clean = _LONE_SURROGATE.sub("\ufffd", str(value)).strip()
            if clean != str(value).strip():
                warnings.append(f"front matter field {name!r}: unpaired surrogate escapes replaced")
            if clean:
                meta[name] = clean
        else:
            warnings.append(f"front matter field {name!r} ignored (not a single value)")
    blank = _NOT_NEWLINE.sub(" ", text[:m.end()])
    return blank + text[m.end():], meta, warnings

