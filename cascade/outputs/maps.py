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
* The page is made in pieces, the data one node and one edge at a time: ``write_map``
  writes them to a temporary file as they come (a national map is never held whole),
  ``map_html`` joins the same pieces. :func:`network` gives the same dicts as a pyvis
  ``Network`` (appended directly: its ``add_node`` scans a list on every call).
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
import itertools
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import orjson

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
    TASK,
    split,
)
from cascade.vocab import (
    BASED_ON,
    BRANCHES,
    CASCADE,
    DOCUMENT_RELATIONS,
    LEVELS,
    RELATIONS,
    STYLED,
    TASK_RELATIONS,
)

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
_LAYOUT_RELATIONS = (*CASCADE, BASED_ON)
_TIER = {**{name: lv.tier for name, lv in LEVELS.items()}, TASK: 4, AGENCY: 5}
_DX, _DY = 170.0, 105.0                   # one cell of the layout grid, in canvas pixels
_CENTRAL, _NOWHERE = "\x00central", "\x00unknown"
_TEXT_MAX = {"title": 300, "evidence": 400, "text": 300}
_HEIGHT = "calc(100vh - 7.5rem)"         # a map's height on its own page


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
    attrs = G._node
    for n in nodes:
        if attrs[n].get(KIND) == TASK:
            for p, edges in G._pred[n].items():
                if any(e.get(RELATION) == "has_task" for e in edges.values()):
                    owner[n] = p
                    break
    return owner


def _block(G: nx.MultiDiGraph, n: str, owner: dict[str, str]) -> str:
    d = G._node[n]
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
    step: dict[str, int] = {}
    tier = {n: _tier(G._node[n]) for n in nodes}
    found: dict[str, list[str]] = {}

    def parents(n: str) -> list[str]:
        p = found.get(n)
        if p is None:
            p = found[n] = _same_row_parents(G, n, tier, block)
        return p

    for start in nodes:
        if start in step:
            continue
        stack: list[tuple[str, bool]] = [(start, False)]
        on_stack: set[str] = set()
        while stack:
            n, expanded = stack.pop()
            if expanded:
                on_stack.discard(n)
                step[n] = max((step.get(p, 0) + 1 for p in parents(n)), default=0)
                continue
            if n in step or n in on_stack:
                continue
            on_stack.add(n)
            stack.append((n, True))
            stack.extend((p, False) for p in parents(n) if p not in step and p not in on_stack)
    return step


def _same_row_parents(G: nx.MultiDiGraph, n: str, tier: dict[str, int], block: dict[str, str]) -> list[str]:
    """What ``n`` implements (or is based on) in its block and tier (``tier`` holds the map's nodes only)."""
    mine, where = tier[n], block[n]
    return [p for p, edges in G._succ[n].items()
            if p != n and tier.get(p) == mine and block[p] == where
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
    attrs = G._node
    for n in nodes:
        rows[block[n]][(_tier(attrs[n]), n in aside, step[n])].append(n)

    def sort_key(n: str) -> tuple[Any, ...]:
        d = attrs[n]
        if d.get(KIND) == TASK and n in owner:
            o = attrs[owner[n]]
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
    """``text`` with each run of white space one space, cut to ``n`` characters (an ellipsis ends a cut)."""
    text = " ".join(text.split())
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
    return sum(1 for p, edges in G._pred[n].items() if p != n and any(e.get(RELATION) in CASCADE
                                                                       for e in edges.values()))


def network(G: nx.MultiDiGraph, nodes: Sequence[str], where: Layout) -> Network:
    """A pyvis ``Network`` holding the vis-network node and edge dicts of ``nodes`` at ``where``.

    Nodes carry ``lv`` (level or kind), ``pv`` (province) and ``info`` (the fields shown
    in tooltips); edges carry ``rel`` and their evidence (``ev``, ``es``, ``sp``, ``n``:
    the number of input files stating it). Styles by relation are applied in the page.
    """
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="remote")
    net.nodes.extend(_node_items(G, nodes, where))
    net.edges.extend(_edge_items(G, nodes))
    net.options = _options(len(net.nodes) > BIG)
    return net


def _node_items(G: nx.MultiDiGraph, nodes: Sequence[str], where: Layout) -> Iterator[dict[str, Any]]:
    """The vis-network dict of each of ``nodes``, made one at a time (a national map writes each as made)."""
    attrs, pos = G._node, where.pos
    for n in nodes:
        d = attrs[n]
        kind = d.get(KIND)
        level = str(d.get("level") or "unknown") if kind == DOCUMENT else str(kind)
        if level not in LEVEL_COLORS:
            level = "unknown"
        k = _implementers(G, n) if kind == DOCUMENT else 0
        shape = KIND_SHAPES.get(str(kind)) or BRANCH_SHAPES.get(str(d.get("branch")),
                                                                 BRANCH_SHAPES["unknown"])
        x, y = pos[n]
        info = _info(d)
        if k:
            info["implementers"] = k
        yield {"id": n, "label": short_label(d, n), "x": round(x, 1), "y": round(y, 1),
               "shape": shape, "size": round(min(44.0, 12 + 5 * math.sqrt(k)), 1),
               "color": LEVEL_COLORS[level], "lv": level, "pv": str(d.get("province") or ""),
               "info": info}


def _edge_items(G: nx.MultiDiGraph, nodes: Sequence[str]) -> Iterator[dict[str, Any]]:
    """The vis-network dict of each document or task relation between ``nodes``, one at a time."""
    inside = set(nodes)
    wanted = set(DOCUMENT_RELATIONS) | set(TASK_RELATIONS)
    succ = G._succ
    for a in nodes:
        for b, edges in succ[a].items():
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
                    item["n"] = len(split(e[ASSERTED_BY]))
                for name in ("due", "deadline_text"):
                    if e.get(name):
                        item[name] = e[name]
                yield item


def _options(big: bool) -> dict[str, Any]:
    """vis-network's options for a map; ``big`` (more than :data:`BIG` nodes) trades looks for speed."""
    return {
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


# -- the page ----------------------------------------------------------------------------------------------

def _script_json(obj: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``</script``, ``<!--`` or line separators survive.

    >>> _script_json({"t": "</script><!-- & \u2028"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003c!-- \\\\u0026 \\\\u2028"}'
    """
    return _script_escape(_COMPACT.encode(obj))


#: ``json.dumps(obj, ensure_ascii=False, separators=(",", ":"))``, the encoder made once
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _compact_json(obj: Any) -> str:
    """What :data:`_COMPACT` writes for ``obj``, by orjson when it writes the same text: for dicts, lists,
    strings, integers, booleans and None, and floats it prints as Python does (not nan or infinity,
    none below 1e-4 but 0: ``1e-05`` is orjson's ``0.00001``)."""
    if _orjson_writes_alike(obj):
        try:
            return orjson.dumps(obj).decode("utf-8")
        except orjson.JSONEncodeError:              # an integer past 64 bits, a lone surrogate
            pass
    return _COMPACT.encode(obj)


def _orjson_writes_alike(obj: Any) -> bool:
    t = type(obj)
    if t is dict:
        for k, v in obj.items():
            tv = type(v)
            if type(k) is not str or not (tv is str or tv is int or v is None or _orjson_writes_alike(v)):
                return False
        return True
    if t is list:
        return all(map(_orjson_writes_alike, obj))
    if t is float:
        return obj == 0 or 1e-4 <= abs(obj) < math.inf
    return t is str or t is int or t is bool or obj is None


def _script_escape(text: str) -> str:
    """``text`` with each character that could end or confuse a ``<script>`` written as a JSON escape.

    Each rule replaces one character, so escaping a text piece by piece gives the same result as
    escaping it whole (the map's data is written one node at a time).
    """
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _script_json_list(items: Iterable[Any]) -> Iterator[str]:
    """The pieces of the JSON array of ``items`` (without its brackets), as :func:`_script_json` writes it:
    a few hundred items a piece, escaped together (escaping goes character by character)."""
    encode = _compact_json
    batch: list[str] = []
    comma = ""
    for item in items:
        batch.append(encode(item))
        if len(batch) == 256:
            yield comma + _script_escape(",".join(batch))
            batch.clear()
            comma = ","
    if batch:
        yield comma + _script_escape(",".join(batch))


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
    return "".join(_page_pieces(title, (body,), css=css))


def _page_pieces(title: str, body: Iterable[str], *, css: str = "") -> Iterator[str]:
    """The pieces of :func:`page`, with ``body`` given in pieces (the page's one template).

    The CSP hashes cover the two inlined scripts only; the map's data sits in a
    ``type="application/json"`` element, which never runs, so it is written as it is made.
    """
    js = [_vis_js(), _asset("map.js")]
    csp = ("default-src 'none'; base-uri 'none'; form-action 'none'; img-src data:; "
           "style-src 'unsafe-inline'; script-src " + " ".join(_sha256(s) for s in js))
    yield (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
           f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
           f"<title>{html.escape(title)}</title>\n<style>{_asset('map.css')}{css}</style>\n</head>\n<body>\n")
    yield from body
    yield "\n"
    for s in js:
        yield f"<script>{s}</script>\n"
    yield "</body>\n</html>\n"


def map_fragment(G: nx.MultiDiGraph, doc: str | None = None, *, tasks: bool = False, cited: bool = True,
                 height: str = _HEIGHT) -> str:
    """The markup of one map (its data included), to place in :func:`page`.

    ``doc`` None maps the whole corpus. Raises ResolutionError for an unknown ``doc``.
    """
    return "".join(_fragment_pieces(G, doc, tasks=tasks, cited=cited, height=height))


def _fragment_pieces(G: nx.MultiDiGraph, doc: str | None, *, tasks: bool, cited: bool,
                     height: str) -> Iterator[str]:
    """The pieces of :func:`map_fragment`: its data one node and one edge at a time.

    The nodes are chosen and placed here (so an unknown ``doc`` fails before anything is
    written); the node and edge dicts are made while the pieces are consumed.
    """
    sel = corpus_members(G, tasks=tasks) if doc is None else cascade_members(G, doc, tasks=tasks, cited=cited)
    where = layout(G, sel.nodes, sel.root, context=sel.context)
    return _fragment_stream(G, sel, where, height)


def _fragment_stream(G: nx.MultiDiGraph, sel: Selection, where: Layout, height: str) -> Iterator[str]:
    big = len(sel.nodes) > BIG
    # dashed lines cost vis-network ten times more to draw than plain ones: large maps go by colour only
    styles = {k: dict(v, dashes=False) for k, v in RELATION_STYLES.items()} if big else RELATION_STYLES
    rest = {
        "frames": [[f.key, f.label, round(f.x, 1), round(f.y, 1), round(f.w, 1), round(f.h, 1)]
                   for f in where.frames],
        "central": _CENTRAL, "cascade": list(CASCADE), "big": big, "hidden": ["cites"] if big else [],
        "options": _options(big),
        "styles": {"levels": {k: {"color": c, "name": LEVEL_NAMES[k]} for k, c in LEVEL_COLORS.items()},
                   "relations": styles},
    }
    # the JSON of {"root", "nodes", "edges", **rest}, written a node and an edge at a time
    yield (f'<section class="cascade-map" style="--cm-height:{html.escape(height)}">\n'
           f'<script type="application/json" class="cm-data">{{"root":{_script_json(sel.root)},"nodes":[')
    yield from _script_json_list(_node_items(G, sel.nodes, where))
    yield '],"edges":['
    yield from _script_json_list(_edge_items(G, sel.nodes))
    yield "]," + _script_json(rest)[1:]
    yield f"</script>\n{_asset('map-controls.html')}</section>"


def map_html(G: nx.MultiDiGraph, doc: str | None = None, *, tasks: bool = False, cited: bool = True) -> str:
    """The whole offline page of the map of ``doc`` (or of the corpus when ``doc`` is None)."""
    return "".join(_map_pieces(G, doc, tasks=tasks, cited=cited))


def _map_pieces(G: nx.MultiDiGraph, doc: str | None, *, tasks: bool, cited: bool) -> Iterator[str]:
    """The pieces of :func:`map_html` (``doc`` is resolved and the map laid out before the first piece)."""
    if doc is None:
        heading = "cascade map: the whole corpus"
    else:
        from cascade.query import find_one

        doc = find_one(G, doc)
        heading = f"cascade map: {short_label(G.nodes[doc], doc)}"
    fragment = _fragment_pieces(G, doc, tasks=tasks, cited=cited, height=_HEIGHT)
    head = (f'<header class="page-head"><h1>{html.escape(heading)}</h1>'
            f'<p class="hint">Hover for details, click a document to highlight its chain, '
            f"use the legend to filter.</p></header>\n")
    return _page_pieces(heading, itertools.chain((head,), fragment))


def write_map(G: nx.MultiDiGraph, path: str | Path, doc: str | None = None, *, tasks: bool = False,
              cited: bool = True) -> Path:
    """Write the map page to ``path`` (through a temporary file) and return ``path``.

    The page is written as it is made, one node and one edge at a time: a national map is never
    held whole in memory. The file is the same as :func:`map_html`'s string.
    """
    from cascade.outputs.export import atomic_open

    pieces = _map_pieces(G, doc, tasks=tasks, cited=cited)
    with atomic_open(path) as f:
        for piece in pieces:
            f.write(piece)
    return Path(path)


def build_extra(build: Build) -> list[Path]:
    """Write ``map.html``, the map of the whole corpus, into the build folder (the map of the documents
    reads only them and the links between them: the build's document graph)."""
    return [write_map(build.document_graph, Path(build.out) / "map.html")]


# -- the page's own markup, style and script ----------------------------------------------------------------

ASSETS = files("cascade") / "resources" / "assets"


@cache
def _asset(name: str) -> str:
    """A file of ``resources/assets`` (the map's controls, style and script), as written there."""
    try:
        text = (ASSETS / name).read_bytes().decode("utf-8")
    except OSError as e:
        raise CascadeError(f"the map asset {name} is missing: reinstall cascade") from e
    if name.endswith(".js") and re.search(r"</script|<!--", text, flags=re.IGNORECASE):
        raise CascadeError(f"the map asset {name} cannot be inlined (it contains </script or <!--)")
    return text
