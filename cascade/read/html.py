"""Saved web pages (``.html``, ``.htm``): the document's own text, and the site's metadata block apart.

Legal portals wrap a document in menus, search boxes, breadcrumbs, lists of related
documents, share buttons and a table of the document's attributes (``Số hiệu``, ``Ngày ban
hành``, ``Cơ quan ban hành``...). The reader keeps only the document's text:

* the page is parsed with lxml (libxml2's HTML parser, which takes any tag soup);
* the content is the element that holds the document: an ``<article>``, ``<main>`` or an
  element whose id or class names the content (``content``, ``noidung``, ``toanvan``,
  ``fulltext``, ``vanban``...); without one, the element whose paragraphs hold the most
  text that is not link text;
* inside it, navigation, forms, scripts, hidden elements and widgets (related lists,
  share, tags, comments, print tools) are dropped;
* a site's metadata block (a table or list with at least two attribute labels) is read
  into :attr:`Text.site` and left out of the text. It is evidence of another kind: the
  caller uses a value only where the document itself says nothing;
* block elements end lines; a two-column header or signature table is read column by
  column as in Word files, other tables row by row.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cascade.errors import ReadError
from cascade.read.base import ReadOptions, Text, legacy, one_line, quiet
from cascade.read.docx import is_layout

SUFFIXES = (".html", ".htm", ".xhtml")

_DROP_TAGS = {"script", "style", "noscript", "template", "iframe", "nav", "form", "button", "select", "input",
              "textarea", "svg", "canvas", "object", "embed", "head", "aside", "menu", "dialog", "audio",
              "video"}
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3", "h4", "h5",
               "h6",
               "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "center", "address",
               "figure", "figcaption", "hr", "body", "html", "tbody", "thead", "tfoot", "caption", "fieldset"}
#: id/class words of site furniture (matched against the words of an id or class, split at - and _)
_NOISE = re.compile(
    r"^(?:nav|navbar|navigation|menu|menus|mainmenu|topmenu|breadcrumbs?|search|searchbox|timkiem|sidebar|"
    r"related|lienquan|tinlienquan|vblienquan|share|social|sharing|comments?|binhluan|tags?|pagination|"
    r"toolbar|tools|print|login|advert|ads|banner|cookie|popup|modal|footer|copyright|hotline|rating)$")
_CONTENT = re.compile(
    r"(?:content|noidung|toanvan|fulltext|vanban|articlebody|article|docbody|document|entry|detail|chitiet)",
    re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_WORDS = re.compile(r"[a-z0-9]+")

#: labels of a site's metadata block -> the metadata field they give
SITE_LABELS: dict[str, str] = {
    "số hiệu": "number", "số ký hiệu": "number", "số/ký hiệu": "number", "ký hiệu": "number",
    "số văn bản": "number", "số hiệu văn bản": "number",
    "ngày ban hành": "date", "ngày ký": "date", "ngày ký ban hành": "date",
    "cơ quan ban hành": "issuer", "nơi ban hành": "issuer", "cơ quan ban hành/chức danh": "issuer",
    "loại văn bản": "type", "hình thức văn bản": "type",
    "trích yếu": "title", "trích yếu nội dung": "title", "tiêu đề": "title",
    "người ký": "signer",
}
_DATE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")


def read(data: bytes, path: Path, options: ReadOptions) -> Text:
    """The document's text from a saved web page, with the site's metadata block apart."""
    import lxml.html

    source = _decode(data)
    try:
        with quiet():
            root = lxml.html.document_fromstring(source, parser=lxml.html.HTMLParser(
                remove_comments=True, remove_pis=True, no_network=True, huge_tree=False))
    except Exception as e:  # noqa: BLE001 - lxml raises several kinds on hopeless input
        raise ReadError(f"not a readable web page ({one_line(e, 80)})") from e
    body = root.find("body")
    if body is None:
        body = root
    for el in list(body.iter()):
        if _dropped(el) and el.getparent() is not None:
            _remove(el)
    site, blocks = site_metadata(body)
    for block in blocks:
        if block.getparent() is not None:
            _remove(block)
    content = _content(body)
    for el in list(content.iter()):
        if el is not content and _noise(el) and el.getparent() is not None:
            _remove(el)
    text = "\n".join(line for line in _lines(content) if line)
    if not text.strip():
        raise ReadError("no document text in the web page")
    warnings: list[str] = []
    text = legacy(text, warnings)
    if site:
        shown = ", ".join(f"{k}={v!r}" for k, v in site.items() if k != "signer")
        warnings.append(f"the site's metadata block kept apart ({shown})")
    return Text(text, warnings, site=site)


def _decode(data: bytes) -> str:
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    declared = re.search(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_-]{1,30})""", data[:4096],
                         re.IGNORECASE)
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii").lower(), errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace")


def _remove(el: Any) -> None:
    """Drop an element but keep the text that follows it (its tail)."""
    parent = el.getparent()
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _tag(el: Any) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _dropped(el: Any) -> bool:
    tag = _tag(el)
    if not tag or tag in _DROP_TAGS:
        return True
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    if _HIDDEN_STYLE.search(el.get("style") or ""):
        return True
    role = (el.get("role") or "").lower()
    return role in ("navigation", "search", "banner", "contentinfo", "complementary")


def _noise(el: Any) -> bool:
    words = _WORDS.findall(f"{el.get('id') or ''} {el.get('class') or ''}".lower())
    return any(_NOISE.match(w) for w in words)


# -- the site's metadata block -----------------------------------------------------------------

def _label(text: str) -> str | None:
    key = " ".join(unicodedata.normalize("NFC", text).strip().rstrip(":：").split()).lower()
    return SITE_LABELS.get(key)


def site_metadata(body: Any) -> tuple[dict[str, str], list[Any]]:
    """The site's metadata (field -> value) and the elements that hold it.

    A block is a table (label cell, value cell) or a definition list (``dt``/``dd``) with at
    least two known labels (:data:`SITE_LABELS`). The first value of each field wins; dates
    become ISO dates.
    """
    site: dict[str, str] = {}
    blocks: list[Any] = []
    for table in body.iter("table", "dl"):
        if any(table in b.iterancestors() or table is b for b in blocks):
            continue
        pairs = list(_pairs(table))
        found = [(f, v) for f, v in pairs if f]
        if len({f for f, _ in found}) < 2:
            continue
        blocks.append(table)
        for f, v in found:
            if v and f not in site:
                site[f] = _site_value(f, v)
    return site, blocks


def _pairs(block: Any) -> Iterator[tuple[str | None, str]]:
    if _tag(block) == "dl":
        label = None
        for el in block:
            if _tag(el) == "dt":
                label = _label(el.text_content())
            elif _tag(el) == "dd" and label:
                yield label, " ".join(el.text_content().split())
                label = None
        return
    for tr in block.iter("tr"):
        cells = [c for c in tr if _tag(c) in ("td", "th")]
        for a, b in zip(cells, cells[1:], strict=False):        # label, value; several pairs a row
            label = _label(a.text_content())
            if label:
                yield label, " ".join(b.text_content().split())


def _site_value(field: str, value: str) -> str:
    value = unicodedata.normalize("NFC", value)
    if field == "date" and (m := _DATE.search(value)):
        day, month, year = (int(g) for g in m.groups())
        if 1 <= day <= 31 and 1 <= month <= 12:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return value


# -- the document's own text -------------------------------------------------------------------

def _content(body: Any) -> Any:
    """The element that holds the document (see the module docstring)."""
    hinted = [el for el in body.iter()
              if _tag(el) in ("article", "main") or el.get("itemprop") == "articleBody"
              or _CONTENT.search(f"{el.get('id') or ''} {el.get('class') or ''}")]
    scored = [(len(_own_text(el)), el) for el in hinted]
    scored = [(n, el) for n, el in scored if n >= 200]
    if scored:
        best = max(n for n, _ in scored)
        # the innermost hinted element with most of the text: a wrapper around it adds furniture
        keep = [el for n, el in scored if n >= 0.8 * best]
        return min(keep, key=lambda el: sum(1 for _ in el.iter()))
    totals: dict[Any, int] = {}
    for p in body.iter("p", "td", "li", "h1", "h2", "h3", "div"):
        if _tag(p) == "div" and any(_tag(c) in _BLOCK_TAGS for c in p):
            continue
        parent = p.getparent()
        if parent is not None:
            totals[parent] = totals.get(parent, 0) + len(_own_text(p))
    if not totals:
        return body
    return max(totals, key=totals.__getitem__)


def _own_text(el: Any) -> str:
    """The element's text without the text of its links (menus and lists are mostly links)."""
    links = sum(len(a.text_content()) for a in el.iter("a"))
    text = el.text_content()
    return text if not links else text[: max(0, len(text) - links)]


def _lines(el: Any) -> list[str]:
    """The element's text as lines: block elements end lines, inline text runs on."""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = " ".join("".join(current).split())
        if line:
            lines.append(line)
        current.clear()

    def walk(node: Any, pre: bool = False) -> None:
        tag = _tag(node)
        if tag == "br":
            flush()
        elif tag == "table":
            flush()
            lines.extend(_table_lines(node))
        else:
            block = tag in _BLOCK_TAGS
            if block:
                flush()
            if node.text:
                current.append(node.text)
            for child in node:
                walk(child, pre or tag == "pre")
                if child.tail:
                    current.append(child.tail)
            if block:
                flush()

    walk(el)
    flush()
    return lines


def _table_lines(table: Any) -> list[str]:
    rows = [[_lines(cell) for cell in tr if _tag(cell) in ("td", "th")] for tr in table.iter("tr")
            if _nearest_table(tr) is table]
    rows = [r for r in rows if r]
    if not rows:
        return []
    if is_layout(rows):
        width = max(len(r) for r in rows)
        return [line for col in range(width) for row in rows if col < len(row) for line in row[col]]
    return [" | ".join(" ".join(cell) for cell in row) for row in rows if any(cell for cell in row)]


def _nearest_table(tr: Any) -> Any:
    for a in tr.iterancestors():
        if _tag(a) == "table":
            return a
    return None
