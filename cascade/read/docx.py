"""Word ``.docx``: paragraphs and tables in document order -> text.

Two-column header and signature tables are read column by column, other tables row by
row; automatic list numbers are rendered; footnotes and endnotes are appended. A ZIP that
would unpack to far more than a document needs is refused before it is opened.
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cascade.errors import ReadError
from cascade.read.base import ReadOptions, Text, legacy, one_line, quiet

SUFFIXES = (".docx",)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _SDT, _SDT_CONTENT, _R = (f"{_W}{t}" for t in ("p", "tbl", "sdt", "sdtContent", "r"))
_TR, _TC, _T, _VAL = (f"{_W}{t}" for t in ("tr", "tc", "t", "val"))
_TABS = {f"{_W}tab", f"{_W}ptab"}
_BREAKS = {f"{_W}br", f"{_W}cr"}
# containers whose runs are part of the paragraph's text (w:del and w:moveFrom are not)
_RUN_CONTAINERS = {f"{_W}{t}" for t in ("hyperlink", "ins", "smartTag", "customXml", "fldSimple", "moveTo",
                                         "dir", "bdo")}


def read(data: bytes, path: Path, options: ReadOptions) -> Text:
    """A .docx file's text: see :class:`_DocxText`."""
    return Text(*read_docx(data))


def read_docx(data: bytes, what: str = ".docx") -> tuple[str, list[str]]:
    """The text and warnings of a Word (OOXML) file's bytes; ``what`` names the format in messages."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError(f"not a valid {what} (an old Word .doc or an encrypted file; save it as .docx)")
    _check_unpacked_size(data, what)
    import docx  # python-docx, only for Word files
    try:
        with quiet():
            document = docx.Document(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001 - any failure to open means the same to the user
        reason = "not a ZIP archive" if not data.startswith(b"PK") else one_line(e)
        raise ReadError(f"not a valid {what} ({reason})") from e
    reader = _DocxText(document)
    text = "\n".join(reader.block_lines(document.element.body))
    warnings = []
    notes = reader.notes()
    if notes:
        text += "\n\n" + "\n".join(notes)
        warnings.append("footnotes appended at the end")
    if not text.strip():
        raise ReadError("no text in the document (only images?)")
    return legacy(text, warnings), warnings


#: the most a Word file may unpack to (text, styles and images together)
MAX_UNPACKED = 256 * 1024 * 1024
#: the most any one part may expand (a zip bomb packs gigabytes of zeros a thousand to one)
MAX_RATIO = 200


def _check_unpacked_size(data: bytes, what: str) -> None:
    """Refuse a ZIP whose parts would unpack to more than :data:`MAX_UNPACKED` (a zip bomb).

    The sizes are those the archive declares; Python's zipfile never inflates a part past
    its declared size, so a lying archive fails its CRC check instead of filling memory.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return                                            # python-docx says why it is not a .docx
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED:
        raise ReadError(f"refused: the {what} would unpack to {total // 2**20} MB (a zip bomb?)")
    for i in infos:
        if i.file_size > 2**20 and i.file_size > MAX_RATIO * max(1, i.compress_size):
            ratio = i.file_size // max(1, i.compress_size)
            raise ReadError(f"refused: {i.filename!r} in the {what} expands {ratio} times (a zip bomb?)")


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
        if is_layout(rows):
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


def is_layout(rows: list[list[list[str]]]) -> bool:
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

