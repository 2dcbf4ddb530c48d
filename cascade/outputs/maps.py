"""Interactive maps of implementation cascades, each one self-contained offline HTML file.

``cascade map DOC`` draws the documents that carry out DOC (with the chain above it and
the documents they cite); ``cascade map --all`` draws the whole corpus, one block per
province. In the page: colour by level, shape by Party/state, line style by relation,
size by the number of implementing documents, tooltips with the evidence sentence, a
legend whose entries filter levels and relations, a province filter, search by number,
and a click highlights a document's chain up to its directive and its cascade below.

How the page is made, and why:

* Positions are computed here, physics stays off: vis-network draws thousands of fixed
  nodes in a few seconds but takes minutes to settle a simulation past ~1,500.
  Rows by level (and by step within a level: the Tỉnh ủy plan above the UBND plan that
  carries it out) inside one block per province; blocks on a grid, north to south.
* pyvis's ``Network`` holds the node and edge dicts, appended directly (its ``add_node``
  scans a list on every call, which is quadratic on a national corpus).
* The page template is this module's own. vis-network's standalone build is bundled in
  ``resources/vendor/vis-network`` (licences beside it) and inlined: no network request.
* Text from documents travels as JSON in ``<script type="application/json">`` with ``<``,
  ``>`` and ``&`` escaped, and reaches the page through ``textContent`` only. A
  Content-Security-Policy lists the hashes of the page's own scripts, so nothing else runs.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from cascade.errors import CascadeError
from cascade.graph import (
    AGENCY,
    ASSERTED_BY,
    DOCUMENT,
    EVIDENCE,
    EVIDENCE_SOURCE,
    EVIDENCE_SPAN,
    KIND,
    LABEL,
    RELATION,
    SEP,
    TASK,
)
from cascade.vocab import BRANCHES, CASCADE, DOCUMENT_RELATIONS, LEVELS, RELATIONS, STYLED, TASK_RELATIONS

if TYPE_CHECKING:
    from pyvis.network import Network

    from cascade.corpus.build import Build

__all__ = [
    "LEVEL_COLORS", "BRANCH_SHAPES", "RELATION_STYLES", "BIG", "Selection", "Frame", "Layout",
    "cascade_members", "corpus_members", "layout", "short_label", "network", "map_fragment", "page",
    "map_html", "write_map", "build_extra",
]

VENDOR = Path(__file__).resolve().parent.parent / "resources" / "vendor"
VIS_JS = VENDOR / "vis-network" / "vis-network.min.js"

#: colour of each level (documents) or kind (tasks, agencies); also used by :mod:`cascade.outputs.plots`
LEVEL_COLORS: dict[str, str] = {
    **{name: lv.color for name, lv in LEVELS.items()},
    TASK: "#7f8c8d", AGENCY: "#7d3c98", "unknown": "#95a5a6",
}
LEVEL_NAMES: dict[str, str] = {**{name: name for name in LEVELS}, TASK: "task", AGENCY: "agency",
                                "unknown": "level unknown"}
#: vis-network shape of a document by branch; tasks and agencies have their own
BRANCH_SHAPES: dict[str, str] = {**{name: b.shape for name, b in BRANCHES.items()}, "unknown": "square"}
KIND_SHAPES: dict[str, str] = {TASK: "triangleDown", AGENCY: "star"}
#: line style of each relation (dashes: False or a dash pattern in pixels)
RELATION_STYLES: dict[str, dict[str, Any]] = {name: RELATIONS[name].style() for name in STYLED}
#: nodes past which a map draws straight, undashed edges, hides them while dragging or zooming,
#: and starts with citations hidden
BIG = 1500
_LAYOUT_RELATIONS = (*CASCADE, "based_on")
_TIER = {**{name: lv.tier for name, lv in LEVELS.items()}, TASK: 4, AGENCY: 5}
_DX, _DY = 170.0, 105.0                   # one cell of the layout grid, in canvas pixels
_CENTRAL, _NOWHERE = "\x00central", "\x00unknown"
_TEXT_MAX = {"title": 300, "evidence": 400, "text": 300}


# -- which nodes --------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Selection:
    """The nodes of one map: ``root`` (None for the whole corpus), ``nodes`` in order, and
    ``context``, the documents shown only because the others cite them."""

    root: str | None
    nodes: list[str]
    context: frozenset[str] = frozenset()


def cascade_members(G: nx.MultiDiGraph, doc: str, *, tasks: bool = False, cited: bool = True) -> Selection:
    """The nodes of the map of one document.

    The root, everything that implements it (transitively), the chain above it, and, with
    ``cited``, the documents those cite; with ``tasks``, their tasks and agencies.

    Raises:
        ResolutionError: ``doc`` names no document, or several.
    """
    from cascade.query import chain, find_one, tree

    root = find_one(G, doc)
    members = dict.fromkeys(r["id"] for r in tree(G, root)["nodes"])
    for path in chain(G, root)["paths"]:
        members.update(dict.fromkeys(s["id"] for s in path))
    context: dict[str, None] = {}
    if cited:
        for n in members:
            for other, edges in G.succ[n].items():
                if other not in members and G.nodes[other].get(KIND) == DOCUMENT and any(
                        e.get(RELATION) in DOCUMENT_RELATIONS for e in edges.values()):
                    context[other] = None
    ids = list(members) + list(context)
    if tasks:
        ids += _tasks_of(G, ids)
    return Selection(root, ids, frozenset(context))


def corpus_members(G: nx.MultiDiGraph, *, tasks: bool = False) -> Selection:
    """Every document of the corpus (with their tasks and agencies when ``tasks``)."""
    ids = [n for n, k in G.nodes(data=KIND) if k == DOCUMENT]
    return Selection(None, ids + _tasks_of(G, ids) if tasks else ids)


def _tasks_of(G: nx.MultiDiGraph, docs: Iterable[str]) -> list[str]:
    found: dict[str, None] = {}
    for n in docs:
        for t, edges in G.succ[n].items():
            if any(e.get(RELATION) == "has_task" for e in edges.values()):
                found[t] = None
                for a, aedges in G.succ[t].items():
                    if G.nodes[a].get(KIND) == AGENCY and any(e.get(RELATION) in TASK_RELATIONS
                                                              for e in aedges.values()):
                        found[a] = None
    return list(found)


# -- where they go ------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Frame:
    """The box drawn behind one block of the layout (a province, or the central documents)."""

    key: str
    label: str
    x: float
    y: float
    w: float
    h: float


@dataclass(slots=True)
class Layout:
    """Node positions (canvas pixels, y down) and the block frames behind them."""

    pos: dict[str, tuple[float, float]] = field(default_factory=dict)
    frames: list[Frame] = field(default_factory=list)


@cache
def _province_order() -> dict[str, int]:
    """Gazetteer code of each province name (codes run roughly north to south)."""
    from cascade.vn import places

    order: dict[str, int] = {}
    for era in ("pre2025", "2025"):
        for u in places.provinces(era):
            order.setdefault(u.name, int(u.code) if u.code.isdigit() else 999)
    return order


def _province_rank(name: str) -> tuple[int, str]:
    code = _province_order().get(name)
    if code is None:
        from cascade.vn import places

        u = places.find_province(name)
        code = int(u.code) if u is not None and u.code.isdigit() else 999
    return code, name


def _task_owner(G: nx.MultiDiGraph, nodes: Iterable[str]) -> dict[str, str]:
    owner: dict[str, str] = {}
    for n in nodes:
        if G.nodes[n].get(KIND) == TASK:
            for p, edges in G.pred[n].items():
                if any(e.get(RELATION) == "has_task" for e in edges.values()):
                    owner[n] = p
                    break
    return owner


def _block(G: nx.MultiDiGraph, n: str, owner: dict[str, str]) -> str:
    d = G.nodes[n]
    kind = d.get(KIND)
    if kind == TASK and n in owner:
        return _block(G, owner[n], owner)
    if kind == DOCUMENT and d.get("level") == "central":
        return _CENTRAL
    if d.get("province"):
        return str(d["province"])
    return _CENTRAL if kind == AGENCY else _NOWHERE


def _tier(d: dict[str, Any]) -> int:
    kind = d.get(KIND)
    if kind in (TASK, AGENCY):
        return _TIER[kind]
    return _TIER.get(d.get("level") or "", 1)


def _steps(G: nx.MultiDiGraph, nodes: Sequence[str], block: dict[str, str]) -> dict[str, int]:
    """Step of each node within its row: 1 + the step of what it implements in the same block and tier."""
    inside = set(nodes)
    step: dict[str, int] = {}
    for start in nodes:
        if start in step:
            continue
        stack: list[tuple[str, bool]] = [(start, False)]
        on_stack: set[str] = set()
        while stack:
            n, expanded = stack.pop()
            if expanded:
                on_stack.discard(n)
                step[n] = max((step.get(p, 0) + 1 for p in _same_row_parents(G, n, inside, block)), default=0)
                continue
            if n in step or n in on_stack:
                continue
            on_stack.add(n)
            stack.append((n, True))
            stack.extend((p, False) for p in _same_row_parents(G, n, inside, block)
                         if p not in step and p not in on_stack)
    return step


def _same_row_parents(G: nx.MultiDiGraph, n: str, inside: set[str], block: dict[str, str]) -> list[str]:
    tier = _tier(G.nodes[n])
    return [p for p, edges in G.succ[n].items()
            if p in inside and p != n and block[p] == block[n] and _tier(G.nodes[p]) == tier
            and any(e.get(RELATION) in _LAYOUT_RELATIONS for e in edges.values())]


def layout(G: nx.MultiDiGraph, nodes: Sequence[str], root: str | None = None, *,
           context: Iterable[str] = (), aspect: float = 1.8) -> Layout:
    """Positions for ``nodes``: one block per province, rows by level inside each block.

    The central documents form a block on top; province blocks follow in gazetteer order
    (north to south), packed in shelves about ``aspect`` times wider than tall. Inside a
    block, each level starts a row and each step within a level another (a plan that
    carries out a plan of the same level sits below it); long rows wrap. ``context`` nodes
    (documents only cited) get rows of their own after the others of their level. ``root``
    is put in the middle of its row.
    """
    owner = _task_owner(G, nodes)
    block = {n: _block(G, n, owner) for n in nodes}
    step = _steps(G, nodes, block)
    aside = set(context)
    rows: dict[str, dict[tuple[int, bool, int], list[str]]] = defaultdict(lambda: defaultdict(list))
    for n in nodes:
        rows[block[n]][(_tier(G.nodes[n]), n in aside, step[n])].append(n)

    def sort_key(n: str) -> tuple[Any, ...]:
        d = G.nodes[n]
        if d.get(KIND) == TASK and n in owner:
            o = G.nodes[owner[n]]
            return (str(o.get("district") or ""), str(o.get("date") or "9999"), owner[n], n)
        return (str(d.get("district") or ""), str(d.get("date") or "9999"), str(d.get(LABEL) or n), n)

    def cols_for(block_rows: dict[tuple[int, bool, int], list[str]], limit: int | None = None) -> int:
        size = sum(map(len, block_rows.values()))
        widest = max(map(len, block_rows.values()))
        cols = min(widest, max(2, math.ceil(math.sqrt(size * 1.5))))
        return max(1, min(cols, limit) if limit else cols)

    def place(key: str, cols: int) -> tuple[list[tuple[str, float, float]], float, float]:
        """Cells of one block, relative to its top left corner, and its width and height."""
        cells: list[tuple[str, float, float]] = []
        line = 0
        for row_key in sorted(rows[key]):
            members = sorted(rows[key][row_key], key=sort_key)
            if root in members:
                members.remove(root)
                members.insert(min(len(members), cols) // 2, root)
            for i in range(0, len(members), cols):
                chunk = members[i:i + cols]
                left = (cols - len(chunk)) * _DX / 2
                cells += [(n, left + (j + 0.5) * _DX, (line + 0.5) * _DY) for j, n in enumerate(chunk)]
                line += 1
        return cells, cols * _DX, line * _DY

    pad, head = _DX * 0.35, 70.0
    others = sorted((k for k in rows if k not in (_CENTRAL, _NOWHERE)), key=_province_rank)
    if _NOWHERE in rows:
        others.append(_NOWHERE)
    placed = {k: place(k, cols_for(rows[k])) for k in others}
    area = sum((w + 2 * pad + _DX) * (h + 2 * pad + head + _DX) for _, w, h in placed.values())
    widest = max((w + 2 * pad for _, w, _h in placed.values()), default=0.0)
    target = max(widest, math.sqrt(area * aspect)) if placed else 0.0
    out = Layout()
    y = 0.0
    if _CENTRAL in rows:
        limit = max(1, int(target // _DX)) if target else None
        cells, w, h = place(_CENTRAL, cols_for(rows[_CENTRAL], limit))
        x0 = max(0.0, (target - w) / 2)
        out.frames.append(Frame(_CENTRAL, "central", x0 - pad, y - pad - head, w + 2 * pad,
                                h + 2 * pad + head))
        out.pos.update((n, (x0 + cx, y + cy)) for n, cx, cy in cells)
        y += h + 2 * pad + head + _DX
    x, shelf = 0.0, 0.0
    for k in others:
        cells, w, h = placed[k]
        if x > 0 and x + w + 2 * pad > target + 1e-6:
            x, y, shelf = 0.0, y + shelf + _DX, 0.0
        label = "unknown province" if k == _NOWHERE else k
        out.frames.append(Frame(k, label, x, y - pad - head, w + 2 * pad, h + 2 * pad + head))
        out.pos.update((n, (x + pad + cx, y + cy)) for n, cx, cy in cells)
        x += w + 2 * pad + _DX
        shelf = max(shelf, h + pad + head)
    return out


# -- the network data ---------------------------------------------------------------------------------------

def _short(text: str, n: int) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def short_label(d: dict[str, Any], n: str) -> str:
    """A short name for a node (at most 28 characters): a document's number, else its type and place,
    else its label.

    >>> short_label({"kind": "document", "type": "Kế hoạch", "district": "Phú Thiện"}, "file:x.txt")
    'Kế hoạch Phú Thiện'
    """
    if d.get(KIND) == DOCUMENT:
        if d.get("number"):
            return str(d["number"])
        if d.get("plenum") is not None:
            return f"NQ TW {d['plenum']} ({d.get('term') or '?'})"
        who = d.get("district") or d.get("province")
        if who:
            return _short(f"{d.get('type') or 'document'} {who}", 28)
    return _short(str(d.get(LABEL) or n), 28)


def _info(d: dict[str, Any]) -> dict[str, Any]:
    """The fields a tooltip or the details panel shows (texts shortened)."""
    keys = ("label", "type", "number", "date", "issuer", "branch", "level", "province", "district", "title",
            "source", "sources", "in_corpus", "confidence", "plenum", "term", "text", "section",
            "deadline_text", "due", "recurrence", "deliverable", "name", "evidence_source", "evidence_span")
    out: dict[str, Any] = {}
    for k in keys:
        v = d.get(k)
        if v is None or v == "":
            continue
        out[k] = _short(str(v), _TEXT_MAX[k]) if k in _TEXT_MAX and isinstance(v, str) else v
    return out


def _implementers(G: nx.MultiDiGraph, n: str) -> int:
    return sum(1 for p, edges in G.pred[n].items() if p != n and any(e.get(RELATION) in CASCADE
                                                                      for e in edges.values()))


def network(G: nx.MultiDiGraph, nodes: Sequence[str], where: Layout) -> Network:
    """A pyvis ``Network`` holding the vis-network node and edge dicts of ``nodes`` at ``where``.

    Nodes carry ``lv`` (level or kind), ``pv`` (province) and ``info`` (the fields shown
    in tooltips); edges carry ``rel`` and their evidence (``ev``, ``es``, ``sp``, ``n``:
    the number of input files stating it). Styles by relation are applied in the page.
    """
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="remote")
    inside = set(nodes)
    for n in nodes:
        d = G.nodes[n]
        kind = d.get(KIND)
        level = str(d.get("level") or "unknown") if kind == DOCUMENT else str(kind)
        if level not in LEVEL_COLORS:
            level = "unknown"
        k = _implementers(G, n) if kind == DOCUMENT else 0
        shape = KIND_SHAPES.get(str(kind)) or BRANCH_SHAPES.get(str(d.get("branch")),
                                                                 BRANCH_SHAPES["unknown"])
        x, y = where.pos[n]
        info = _info(d)
        if k:
            info["implementers"] = k
        net.nodes.append({"id": n, "label": short_label(d, n), "x": round(x, 1), "y": round(y, 1),
                          "shape": shape, "size": round(min(44.0, 12 + 5 * math.sqrt(k)), 1),
                          "color": LEVEL_COLORS[level], "lv": level, "pv": str(d.get("province") or ""),
                          "info": info})
    wanted = set(DOCUMENT_RELATIONS) | set(TASK_RELATIONS)
    for a in nodes:
        for b, edges in G.succ[a].items():
            if b not in inside:
                continue
            for e in edges.values():
                rel = e.get(RELATION)
                if rel not in wanted:
                    continue
                item: dict[str, Any] = {"from": a, "to": b, "rel": rel}
                if e.get(EVIDENCE):
                    item["ev"] = _short(str(e[EVIDENCE]), _TEXT_MAX["evidence"])
                if e.get(EVIDENCE_SOURCE):
                    item["es"] = e[EVIDENCE_SOURCE]
                if e.get(EVIDENCE_SPAN):
                    item["sp"] = e[EVIDENCE_SPAN]
                if e.get(ASSERTED_BY):
                    item["n"] = len(str(e[ASSERTED_BY]).split(SEP))
                for k in ("due", "deadline_text"):
                    if e.get(k):
                        item[k] = e[k]
                net.edges.append(item)
    big = len(net.nodes) > BIG
    net.options = {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "keyboard": False, "multiselect": False, "navigationButtons": False},
        "nodes": {"borderWidth": 1, "font": {"size": 18, "face": "DejaVu Sans, Arial, sans-serif",
                                             "color": "#17202a", "strokeWidth": 2, "strokeColor": "#ffffff"},
                  "scaling": {"label": {"drawThreshold": 7}}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.55}}, "selectionWidth": 1.5,
                  "smooth": False if big else {"enabled": True, "type": "curvedCW", "roundness": 0.12}},
    }
    return net


# -- the page ----------------------------------------------------------------------------------------------

def _script_json(obj: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``</script``, ``<!--`` or line separators survive.

    >>> _script_json({"t": "</script><!-- & \u2028"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003c!-- \\\\u0026 \\\\u2028"}'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


@cache
def _vis_js() -> str:
    """The bundled vis-network build, without its source-map comment."""
    try:
        text = VIS_JS.read_text(encoding="utf-8")
    except OSError as e:
        raise CascadeError(f"the bundled vis-network is missing ({VIS_JS}): reinstall cascade") from e
    text = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", text)
    if re.search(r"</script|<!--", text, flags=re.IGNORECASE):
        raise CascadeError(f"{VIS_JS} cannot be inlined (it contains </script or <!--)")
    return text


def _sha256(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def page(title: str, body: str, *, css: str = "") -> str:
    """A whole HTML document: ``body`` (trusted markup) with the map's styles and scripts inlined.

    Both scripts are listed by hash in the Content-Security-Policy; nothing is loaded from
    anywhere, and no other script can run.
    """
    js = [_vis_js(), _MAP_JS]
    csp = ("default-src 'none'; base-uri 'none'; form-action 'none'; img-src data:; "
           "style-src 'unsafe-inline'; script-src " + " ".join(_sha256(s) for s in js))
    tags = "".join(f"<script>{s}</script>\n" for s in js)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{_CSS}{css}</style>\n</head>\n<body>\n"
            f"{body}\n{tags}</body>\n</html>\n")


def map_fragment(G: nx.MultiDiGraph, doc: str | None = None, *, tasks: bool = False, cited: bool = True,
                 height: str = "calc(100vh - 7.5rem)") -> str:
    """The markup of one map (its data included), to place in :func:`page`.

    ``doc`` None maps the whole corpus. Raises ResolutionError for an unknown ``doc``.
    """
    sel = corpus_members(G, tasks=tasks) if doc is None else cascade_members(G, doc, tasks=tasks, cited=cited)
    root = sel.root
    where = layout(G, sel.nodes, root, context=sel.context)
    net = network(G, sel.nodes, where)
    big = len(net.nodes) > BIG
    # dashed lines cost vis-network ten times more to draw than plain ones: large maps go by colour only
    styles = {k: dict(v, dashes=False) for k, v in RELATION_STYLES.items()} if big else RELATION_STYLES
    data = {
        "root": root, "nodes": net.nodes, "edges": net.edges,
        "frames": [[f.key, f.label, round(f.x, 1), round(f.y, 1), round(f.w, 1), round(f.h, 1)]
                   for f in where.frames],
        "central": _CENTRAL, "cascade": list(CASCADE), "big": big, "hidden": ["cites"] if big else [],
        "options": net.options,
        "styles": {"levels": {k: {"color": c, "name": LEVEL_NAMES[k]} for k, c in LEVEL_COLORS.items()},
                   "relations": styles},
    }
    return (f'<section class="cascade-map" style="--cm-height:{html.escape(height)}">\n'
            f'<script type="application/json" class="cm-data">{_script_json(data)}</script>\n'
            f"{_MAP_SKELETON}</section>")


def map_html(G: nx.MultiDiGraph, doc: str | None = None, *, tasks: bool = False, cited: bool = True) -> str:
    """The whole offline page of the map of ``doc`` (or of the corpus when ``doc`` is None)."""
    if doc is None:
        heading = "cascade map: the whole corpus"
    else:
        from cascade.query import find_one

        doc = find_one(G, doc)
        heading = f"cascade map: {short_label(G.nodes[doc], doc)}"
    fragment = map_fragment(G, doc, tasks=tasks, cited=cited)
    body = (f'<header class="page-head"><h1>{html.escape(heading)}</h1>'
            f'<p class="hint">Hover for details, click a document to highlight its chain, '
            f"use the legend to filter.</p></header>\n{fragment}")
    return page(heading, body)


def write_map(G: nx.MultiDiGraph, path: str | Path, doc: str | None = None, *, tasks: bool = False,
              cited: bool = True) -> Path:
    """Write the map page to ``path`` (through a temporary file) and return ``path``."""
    from cascade.outputs.export import write_text

    return write_text(path, map_html(G, doc, tasks=tasks, cited=cited))


def build_extra(build: Build) -> list[Path]:
    """Write ``map.html``, the map of the whole corpus, into the build folder."""
    return [write_map(build.graph, Path(build.out) / "map.html")]


# -- the page's own markup, style and script ----------------------------------------------------------------

_MAP_SKELETON = """<div class="cm-bar">
<input type="search" class="cm-search" placeholder="Search a number, e.g. 93-KL/TW"
 aria-label="Search documents">
<select class="cm-province" aria-label="Province"><option value="">All provinces</option></select>
<button type="button" class="cm-fit">Fit</button>
<button type="button" class="cm-clear">Clear highlight</button>
<span class="cm-count" aria-live="polite"></span>
</div>
<div class="cm-body">
<div class="cm-stage"><div class="cm-canvas"></div><div class="cm-tip" role="tooltip" hidden></div></div>
<aside class="cm-side">
<div class="cm-details"><p class="hint">Click a document to see its details and highlight its chain.</p></div>
<div class="cm-results" aria-live="polite"></div>
<div class="cm-legend"></div>
</aside>
</div>
"""

_CSS = """
:root { --ink:#1b2631; --muted:#5d6d7e; --line:#d5dbdb; --bg:#fbfcfc; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 "DejaVu Sans", Arial, sans-serif; color: var(--ink); background: #fff; }
.page-head { padding: .5rem 1rem; border-bottom: 1px solid var(--line); }
.page-head h1 { font-size: 1.15rem; margin: 0; }
.hint { color: var(--muted); margin: .2rem 0; font-size: .85rem; }
.cascade-map { display: flex; flex-direction: column; height: var(--cm-height, 80vh); min-height: 420px;
  border: 1px solid var(--line); }
.cm-bar { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; padding: .4rem .6rem;
  border-bottom: 1px solid var(--line); background: var(--bg); }
.cm-bar input, .cm-bar select, .cm-bar button { font: inherit; padding: .2rem .45rem; }
.cm-search { width: 18rem; }
.cm-count { color: var(--muted); margin-left: auto; }
.cm-body { flex: 1; display: flex; min-height: 0; }
.cm-stage { position: relative; flex: 1; min-width: 0; }
.cm-canvas { position: absolute; inset: 0; }
.cm-side { width: 22rem; max-width: 40%; overflow: auto; border-left: 1px solid var(--line);
  padding: .5rem .7rem; background: var(--bg); }
.cm-side h3 { font-size: .95rem; margin: .6rem 0 .3rem; }
.cm-results ol { margin: 0 0 .5rem; padding-left: 1.2rem; }
.cm-results button, .cm-details button.cm-link { all: unset; cursor: pointer; color: #1a5276; }
.cm-results button:hover, .cm-details button.cm-link:hover { text-decoration: underline; }
.cm-details dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .6rem; margin: 0; }
.cm-details dt { color: var(--muted); }
.cm-details dd { margin: 0; overflow-wrap: anywhere; }
.cm-details ul { padding-left: 1rem; margin: .2rem 0; }
.cm-details .hint, .cm-results .hint { overflow-wrap: anywhere; }
.cm-details q { color: #424949; }
.cm-legend label { display: flex; align-items: center; gap: .4rem; cursor: pointer; }
.cm-legend .sw { display: inline-block; width: 14px; height: 14px; border-radius: 3px; }
.cm-legend .n { color: var(--muted); margin-left: auto; }
.cm-legend .shape { display: inline-block; width: 1.2rem; text-align: center; }
.cm-tip { position: absolute; z-index: 5; max-width: 26rem; pointer-events: none; background: #fff;
  border: 1px solid #aab7b8; border-radius: 4px; padding: .4rem .55rem; box-shadow: 0 2px 8px rgba(0,0,0,.18);
  font-size: 12.5px; white-space: normal; overflow-wrap: anywhere; }
.cm-tip b { display: block; font-size: 13.5px; }
.cm-tip .ev { font-style: italic; color: #424949; margin-top: .25rem; }
.cm-tip .src { color: var(--muted); margin-top: .2rem; }
"""

_MAP_JS = r"""
(function () {
  "use strict";
  var FONT = "#17202a";
  var HINT = "Click a document to see its details and highlight its chain.";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function norm(s) { return String(s == null ? "" : s).normalize("NFC").toLowerCase().replace(/\s+/g, ""); }
  function edgeColor(c, strong) { return {color: c, highlight: c, hover: c, opacity: strong ? 1 : 0.45}; }
  function push(map, k, v) { var a = map.get(k); if (a) a.push(v); else map.set(k, [v]); }
  function relName(r) { return r.replace("_", " "); }

  function setup(section) {
    var timing = {start: performance.now()};
    var data = JSON.parse(section.querySelector("script.cm-data").textContent);
    timing.parsed = performance.now();
    var stage = section.querySelector(".cm-stage"), box = section.querySelector(".cm-canvas");
    var tip = section.querySelector(".cm-tip"), details = section.querySelector(".cm-details");
    var results = section.querySelector(".cm-results"), legend = section.querySelector(".cm-legend");
    var count = section.querySelector(".cm-count"), search = section.querySelector(".cm-search");
    var provinceSelect = section.querySelector(".cm-province");
    var rels = data.styles.relations, levels = data.styles.levels, cascade = new Set(data.cascade);
    var byId = new Map(), outs = new Map(), ins = new Map(), up = new Map(), down = new Map();

    data.nodes.forEach(function (n) { n.base = n.color; byId.set(n.id, n); });
    data.edges.forEach(function (e, i) {
      var st = rels[e.rel] || {color: "#999999", width: 1, dashes: false};
      e.id = i; e.base = st.color; e.color = edgeColor(st.color, !data.big);
      e.width = st.width; e.dashes = st.dashes;
      push(outs, e.from, e); push(ins, e.to, e);
      if (cascade.has(e.rel)) { push(up, e.from, e.to); push(down, e.to, e.from); }
    });

    var shownRels = Object.keys(rels).filter(function (r) { return data.hidden.indexOf(r) < 0; });
    var state = {province: "", levels: new Set(Object.keys(levels)), rels: new Set(shownRels)};
    function visible(n) {
      return state.levels.has(n.lv) && (!state.province || !n.pv || n.pv === state.province);
    }
    var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
    var nodeView = new vis.DataView(nodes, {filter: visible});
    var edgeView = new vis.DataView(edges, {filter: function (e) { return state.rels.has(e.rel); }});
    var network = new vis.Network(box, {nodes: nodeView, edges: edgeView}, data.options);
    timing.network = performance.now();

    // one box per province (and one for the central documents) behind the nodes
    network.on("beforeDrawing", function (ctx) {
      var scale = network.getScale();
      ctx.save();
      data.frames.forEach(function (f) {
        var key = f[0], label = f[1], x = f[2], y = f[3], w = f[4], h = f[5];
        if (state.province && key !== state.province && key !== data.central) return;
        ctx.fillStyle = key === data.central ? "rgba(176,58,46,0.05)" : "rgba(31,111,178,0.05)";
        ctx.strokeStyle = "#d5dbdb"; ctx.lineWidth = 2;
        ctx.fillRect(x, y, w, h); ctx.strokeRect(x, y, w, h);
        var size = Math.round(Math.min(w / 6, Math.max(22, 14 / scale)));
        ctx.fillStyle = "#34495e"; ctx.textBaseline = "bottom";
        ctx.font = "bold " + size + "px DejaVu Sans, Arial, sans-serif";
        ctx.fillText(label, x + 10, size <= 56 ? y + 12 + size : y - 4, Math.max(40, w - 20));
      });
      ctx.restore();
    });

    // tooltips: built from text nodes only, never from markup
    var pointer = null;
    box.addEventListener("mousemove", function (ev) {
      var r = stage.getBoundingClientRect();
      pointer = {x: ev.clientX - r.left, y: ev.clientY - r.top};
    });
    function firstEvidence(id) {
      var list = outs.get(id) || [], best = null;
      list.forEach(function (e) { if (!best && cascade.has(e.rel) && e.ev) best = e; });
      list.forEach(function (e) { if (!best && e.ev) best = e; });
      return best;
    }
    function nodeLines(n) {
      var i = n.info, lines = [["b", i.number || i.label || n.id]];
      var head = [i.type, i.date].filter(Boolean).join(" · ");
      if (head) lines.push(["div", head]);
      if (i.issuer) lines.push(["div", i.issuer]);
      if (i.name && i.name !== i.label) lines.push(["div", i.name]);
      if (i.title) lines.push(["div", i.title]);
      if (i.text) lines.push(["div", i.text]);
      if (i.deadline_text) lines.push(["div", "Deadline: " + i.deadline_text]);
      if (i.implementers) lines.push(["div", "Implemented by " + i.implementers + " document(s)"]);
      var e = firstEvidence(n.id);
      if (e) lines.push(["ev", "“" + e.ev + "”"]);
      var src = i.source || (e && e.es) || i.evidence_source;
      if (src) lines.push(["src", "Source: " + src]);
      else if (i.in_corpus === false) lines.push(["src", "Cited only (not in the corpus)"]);
      return lines;
    }
    function edgeLines(e) {
      var a = byId.get(e.from), b = byId.get(e.to);
      var lines = [["b", (a ? a.label : e.from) + " " + relName(e.rel) + " " + (b ? b.label : e.to)]];
      if (e.ev) lines.push(["ev", "“" + e.ev + "”"]);
      if (e.es) lines.push(["src", "Source: " + e.es + (e.sp ? " [" + e.sp + "]" : "")]);
      if (e.n > 1) lines.push(["src", "Stated in " + e.n + " files"]);
      if (e.deadline_text) lines.push(["div", "Deadline: " + e.deadline_text]);
      return lines;
    }
    function showTip(lines, at) {
      tip.replaceChildren();
      lines.forEach(function (l) {
        tip.appendChild(l[0] === "b" ? el("b", "", l[1]) : el("div", l[0], l[1]));
      });
      tip.hidden = false;
      var x = Math.min(Math.max(4, at.x + 14), Math.max(4, stage.clientWidth - tip.offsetWidth - 4));
      var y = Math.min(Math.max(4, at.y + 14), Math.max(4, stage.clientHeight - tip.offsetHeight - 4));
      tip.style.left = x + "px"; tip.style.top = y + "px";
    }
    function nodePoint(id) { return network.canvasToDOM(network.getPosition(id)); }
    network.on("hoverNode", function (p) {
      var n = byId.get(p.node);
      if (n) showTip(nodeLines(n), pointer || nodePoint(n.id));
    });
    network.on("hoverEdge", function (p) {
      var e = edges.get(p.edge);
      if (e) showTip(edgeLines(e), pointer || {x: 10, y: 10});
    });
    ["blurNode", "blurEdge", "dragStart", "zoom"].forEach(function (ev) {
      network.on(ev, function () { tip.hidden = true; });
    });

    // a document's chain: what it carries out, up to the directive, and what carries it out
    function walk(adj, start, seen) {
      var stack = [start];
      while (stack.length) {
        var n = stack.pop();
        (adj.get(n) || []).forEach(function (m) { if (!seen.has(m)) { seen.add(m); stack.push(m); } });
      }
    }
    // Drawn over the map rather than by restyling nodes: on a large map any DataSet update costs
    // vis-network a pass over every node and edge (over a second at 6,000 nodes); this costs one frame.
    var chain = null, selected = null;
    function highlight(id) {
      chain = null;
      if (id !== null && byId.has(id)) {
        var keep = new Set([id]), links = [];
        walk(up, id, keep); walk(down, id, keep);
        keep.forEach(function (n) {
          (outs.get(n) || []).forEach(function (e) {
            if (cascade.has(e.rel) && keep.has(e.to)) links.push(e);
          });
        });
        chain = {nodes: keep, edges: links};
      }
      network.redraw();
      return chain ? chain.nodes.size : 0;
    }
    function shapePath(ctx, shape, x, y, r) {
      ctx.beginPath();
      if (shape === "diamond") {
        ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y);
      } else if (shape === "square") {
        ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
      } else if (shape === "triangleDown") {
        ctx.moveTo(x - r, y - r * 0.6); ctx.lineTo(x + r, y - r * 0.6); ctx.lineTo(x, y + r);
      } else if (shape === "star") {
        for (var k = 0; k < 10; k++) {
          var a = -Math.PI / 2 + k * Math.PI / 5, q = k % 2 ? r * 0.45 : r;
          ctx.lineTo(x + q * Math.cos(a), y + q * Math.sin(a));
        }
      } else {
        ctx.arc(x, y, r * 0.8, 0, 2 * Math.PI);
      }
      ctx.closePath();
    }
    network.on("afterDrawing", function (ctx) {
      if (!chain) return;
      var a = network.DOMtoCanvas({x: 0, y: 0});
      var b = network.DOMtoCanvas({x: box.clientWidth, y: box.clientHeight});
      var scale = network.getScale(), ids = Array.from(chain.nodes).filter(function (id) {
        return visible(byId.get(id));
      });
      var pos = network.getPositions(ids);
      ctx.save();
      ctx.fillStyle = "rgba(255,255,255,0.8)";
      ctx.fillRect(a.x, a.y, b.x - a.x, b.y - a.y);
      chain.edges.forEach(function (e) {
        var p = pos[e.from], q = pos[e.to];
        if (!p || !q || !state.rels.has(e.rel)) return;
        var st = rels[e.rel] || {color: "#999999", width: 1};
        var ang = Math.atan2(q.y - p.y, q.x - p.x), r = (byId.get(e.to).size || 12) * 0.9;
        var tx = q.x - r * Math.cos(ang), ty = q.y - r * Math.sin(ang);
        var h = Math.max(8, 10 / Math.sqrt(scale));
        ctx.strokeStyle = ctx.fillStyle = st.color;
        ctx.lineWidth = Math.max(2.5, st.width * 1.8);
        ctx.beginPath(); ctx.moveTo(p.x, p.y); ctx.lineTo(tx, ty); ctx.stroke();
        ctx.beginPath(); ctx.moveTo(tx, ty);
        ctx.lineTo(tx - h * Math.cos(ang - 0.45), ty - h * Math.sin(ang - 0.45));
        ctx.lineTo(tx - h * Math.cos(ang + 0.45), ty - h * Math.sin(ang + 0.45));
        ctx.closePath(); ctx.fill();
      });
      var font = Math.max(14, 13 / scale);
      ctx.font = "bold " + font + "px DejaVu Sans, Arial, sans-serif";
      ctx.textAlign = "center"; ctx.textBaseline = "top";
      ids.forEach(function (id) {
        var n = byId.get(id), p = pos[id];
        shapePath(ctx, n.shape, p.x, p.y, n.size);
        ctx.fillStyle = n.base; ctx.fill();
        ctx.lineWidth = id === selected ? 4 : 1.5; ctx.strokeStyle = id === selected ? "#f1c40f" : "#2c3e50";
        ctx.stroke();
        ctx.lineWidth = 4; ctx.strokeStyle = "#ffffff"; ctx.fillStyle = FONT;
        ctx.strokeText(n.label, p.x, p.y + n.size + 3); ctx.fillText(n.label, p.x, p.y + n.size + 3);
      });
      ctx.restore();
    });

    // the details panel
    function dl(pairs) {
      var d = el("dl");
      pairs.forEach(function (p) {
        if (p[1] === undefined || p[1] === null || p[1] === "") return;
        d.appendChild(el("dt", "", p[0])); d.appendChild(el("dd", "", p[1]));
      });
      return d;
    }
    function linkList(title, list, other) {
      if (!list.length) return null;
      var wrap = el("div"), ul = el("ul"), shown = list.slice().sort(function (a, b) {
        return (cascade.has(b.rel) ? 1 : 0) - (cascade.has(a.rel) ? 1 : 0);
      }).slice(0, 30);
      wrap.appendChild(el("h3", "", title + " (" + list.length + ")"));
      shown.forEach(function (e) {
        var li = el("li"), id = other(e), m = byId.get(id);
        var b = el("button", "cm-link", m ? m.label : id);
        b.type = "button";
        b.addEventListener("click", function () { focus(id); });
        li.appendChild(el("span", "", relName(e.rel) + " "));
        li.appendChild(b);
        if (e.ev) { li.appendChild(el("br")); li.appendChild(el("q", "", e.ev)); }
        if (e.es) li.appendChild(el("div", "hint", e.es + (e.sp ? " [" + e.sp + "]" : "")));
        ul.appendChild(li);
      });
      wrap.appendChild(ul);
      var more = list.length - shown.length;
      if (more > 0) wrap.appendChild(el("p", "hint", "and " + more + " more"));
      return wrap;
    }
    function select(id) {
      var n = byId.get(id);
      if (!n) return false;
      var i = n.info, corpus = i.in_corpus === undefined ? "" : (i.in_corpus ? "yes" : "no, cited only");
      details.replaceChildren(el("h3", "", i.number || i.label || n.id));
      details.appendChild(dl([
        ["type", i.type], ["date", i.date], ["issuer", i.issuer], ["branch", i.branch],
        ["level", (levels[n.lv] || {}).name], ["province", i.province], ["district", i.district],
        ["title", i.title], ["text", i.text], ["deadline", i.deadline_text], ["name", i.name],
        ["source", i.source], ["also in", i.sources], ["implemented by", i.implementers],
        ["in corpus", corpus], ["id", n.id]]));
      [linkList("Relations", outs.get(id) || [], function (e) { return e.to; }),
       linkList("Cited or implemented by", ins.get(id) || [], function (e) { return e.from; })]
        .forEach(function (x) { if (x) details.appendChild(x); });
      selected = id;
      var size = highlight(id);
      count.textContent = shownText() + " · chain of " + (size - 1) + " document(s) highlighted";
      return true;
    }
    function focus(id) {
      var n = byId.get(id);
      if (!n) return false;
      if (!visible(n)) {
        state.province = ""; provinceSelect.value = ""; state.levels.add(n.lv);
        syncLegend(); refresh();
      }
      select(id);
      network.focus(id, {scale: Math.max(network.getScale(), 0.9), animation: {duration: 300}});
      return true;
    }
    function clear() {
      selected = null;
      highlight(null);
      details.replaceChildren(el("p", "hint", HINT));
      count.textContent = shownText();
    }
    network.on("click", function (p) {
      if (p.nodes.length) select(p.nodes[0]);
      else if (!p.edges.length) clear();
    });

    // search by number first, then by any words of the label, title or issuer
    var keys = data.nodes.map(function (n) {
      var i = n.info;
      return [n.id, norm(i.number), norm([i.number, n.label, n.id, i.title, i.issuer, i.name].join(" "))];
    });
    function find(q) {
      var k = norm(q), exact = [], part = [];
      if (!k) return [];
      keys.forEach(function (t) {
        if (t[1] === k || norm(t[0]) === k) exact.push(t[0]);
        else if (t[2].indexOf(k) >= 0) part.push(t[0]);
      });
      return exact.concat(part);
    }
    function showResults(q) {
      results.replaceChildren();
      if (!norm(q)) return [];
      var ids = find(q), ol = el("ol");
      results.appendChild(el("h3", "", ids.length ? ids.length + " match(es)" : "No document matches"));
      ids.slice(0, 40).forEach(function (id) {
        var n = byId.get(id), li = el("li"), b = el("button", "", n.label);
        b.type = "button";
        b.addEventListener("click", function () { focus(id); });
        li.appendChild(b);
        var extra = [n.info.province, n.info.title || n.info.text || n.info.name].filter(Boolean).join(" · ");
        if (extra) li.appendChild(el("div", "hint", extra));
        ol.appendChild(li);
      });
      results.appendChild(ol);
      return ids;
    }
    var timer = null;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { showResults(search.value); }, 150);
    });
    search.addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter") return;
      var ids = showResults(search.value);
      if (ids.length) focus(ids[0]);
    });

    // filters: the province list, and the legend, whose entries are checkboxes
    var provinces = Array.from(new Set(data.nodes.map(function (n) { return n.pv; }).filter(Boolean)))
      .sort(function (a, b) { return a.localeCompare(b, "vi"); });
    provinces.forEach(function (p) {
      var o = el("option", "", p);
      o.value = p;
      provinceSelect.appendChild(o);
    });
    if (!provinces.length) provinceSelect.hidden = true;
    provinceSelect.addEventListener("change", function () {
      state.province = provinceSelect.value; refresh(); fitAll();
    });
    function tally(items, key) {
      var c = {};
      items.forEach(function (x) { c[x[key]] = (c[x[key]] || 0) + 1; });
      return c;
    }
    var levelCount = tally(data.nodes, "lv"), relCount = tally(data.edges, "rel"), boxes = [];
    function setOf(kind) { return kind === "level" ? state.levels : state.rels; }
    function checkRow(kind, key, name, n, sample) {
      var label = el("label"), cb = el("input");
      cb.type = "checkbox"; cb.checked = setOf(kind).has(key); cb.dataset.kind = kind; cb.dataset.key = key;
      cb.addEventListener("change", function () {
        if (cb.checked) setOf(kind).add(key); else setOf(kind).delete(key);
        refresh();
      });
      boxes.push(cb);
      [cb, sample, el("span", "", name), el("span", "n", n)].forEach(function (x) { label.appendChild(x); });
      return label;
    }
    function syncLegend() {
      boxes.forEach(function (cb) { cb.checked = setOf(cb.dataset.kind).has(cb.dataset.key); });
    }
    function svgLine(style) {
      var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
      var line = document.createElementNS(ns, "line");
      svg.setAttribute("width", "34"); svg.setAttribute("height", "10");
      [["x1", "1"], ["y1", "5"], ["x2", "33"], ["y2", "5"], ["stroke", style.color],
       ["stroke-width", String(style.width + 0.5)]].forEach(function (a) { line.setAttribute(a[0], a[1]); });
      if (style.dashes) line.setAttribute("stroke-dasharray", style.dashes.join(" "));
      svg.appendChild(line);
      return svg;
    }
    legend.appendChild(el("h3", "", "Levels"));
    Object.keys(levels).forEach(function (k) {
      if (!levelCount[k]) return;
      var sw = el("span", "sw");
      sw.style.background = levels[k].color;
      legend.appendChild(checkRow("level", k, levels[k].name, levelCount[k], sw));
    });
    legend.appendChild(el("h3", "", "Relations"));
    Object.keys(rels).forEach(function (k) {
      if (relCount[k]) legend.appendChild(checkRow("rel", k, relName(k), relCount[k], svgLine(rels[k])));
    });
    legend.appendChild(el("h3", "", "Shapes"));
    [["◆", "Party document"], ["●", "state document"], ["■", "branch unknown"], ["▼", "task"],
     ["★", "agency"]].forEach(function (s) {
        var p = el("div");
        p.appendChild(el("span", "shape", s[0])); p.appendChild(el("span", "", s[1]));
        legend.appendChild(p);
      });
    legend.appendChild(el("p", "hint", "Size: the number of documents that implement it. Arrows point from " +
                                       "the implementing document to the implemented one."));
    if (data.big) {
      legend.appendChild(el("p", "hint", "A large map: relations differ by colour only, and citations " +
                                         "start hidden (tick them to show)."));
    }

    function fitAll() {
      var fs = data.frames.filter(function (f) {
        return !state.province || f[0] === state.province || f[0] === data.central;
      });
      if (!fs.length || !box.clientWidth) { network.fit(); return; }
      var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      fs.forEach(function (f) {
        x0 = Math.min(x0, f[2]); y0 = Math.min(y0, f[3]);
        x1 = Math.max(x1, f[2] + f[4]); y1 = Math.max(y1, f[3] + f[5]);
      });
      var scale = Math.min(box.clientWidth / (x1 - x0), box.clientHeight / (y1 - y0)) * 0.96;
      network.moveTo({position: {x: (x0 + x1) / 2, y: (y0 + y1) / 2}, scale: Math.min(scale, 1.5)});
    }
    function shown() { return [nodeView.length, edgeView.length]; }
    function shownText() {
      var s = shown();
      return s[0] + " of " + data.nodes.length + " nodes · " + s[1] + " links";
    }
    function refresh() { nodeView.refresh(); edgeView.refresh(); count.textContent = shownText(); }

    section.querySelector(".cm-fit").addEventListener("click", fitAll);
    section.querySelector(".cm-clear").addEventListener("click", clear);
    count.textContent = shownText();

    var api = {network: network, nodes: nodes, edges: edges, data: data, find: find, search: showResults,
               focus: focus, select: select, clear: clear, fit: fitAll, highlight: highlight, shown: shown,
               chain: function () { return chain ? Array.from(chain.nodes) : []; },
               count: function () { return data.nodes.length; }, ready: false, timing: timing};
    timing.setup = performance.now();
    network.once("afterDrawing", function () {
      timing.drawn = performance.now();
      api.ready = true;
      section.dataset.ready = "1";
      window.cascadeReady = window.cascadeMaps.every(function (m) { return m.ready; });
    });
    window.cascadeMaps.push(api);
    if (!window.cascadeMap) window.cascadeMap = api;
    fitAll();
  }

  window.cascadeMaps = window.cascadeMaps || [];
  document.querySelectorAll("section.cascade-map").forEach(setup);
})();
"""
