"""A map of the country: who has acted on a directive, who was late, who has not yet.

Provinces are drawn as polygons (Natural Earth outlines, simplified; see
``cascade/resources/SOURCES.md``) of the era the as-of date falls in: the 63 provinces before
1 July 2025, the 34 after. Districts, when asked, are dots at the gazetteer's coordinates
over the pre-2025 outlines (the resources hold no district outlines).

:func:`write_html` writes one self-contained HTML file: the map is inline SVG, the script is
inline, nothing is fetched (no tile server, no fonts, no network request). A switch recolours
the map by days to act. :func:`write_figure` draws the same map with matplotlib (PNG and SVG).
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import Any

import networkx as nx

from cascade.analysis.geography import outlines
from cascade.analysis.lateness import lateness
from cascade.outputs.export import write_text
from cascade.outputs.plots import save_png_and_svg

#: status -> (label, fill); fills differ in lightness too, so they stay apart in greyscale
STATUS = {
    "acted": ("acted", "#1b7837"),
    "on_time": ("acted on time", "#1b7837"),
    "late": ("acted late", "#e08214"),
    "date_unknown": ("acted, date unknown", "#9e9ac8"),
    "not_yet": ("not yet", "#f4f4f4"),
}
#: days-to-act bins (upper bounds) and their fills, light (fast) to dark (slow)
DAY_BINS = (
    (30, "#fde0c5"),
    (60, "#facba6"),
    (90, "#f59e72"),
    (180, "#e05c5c"),
    (365, "#a8325e"),
    (math.inf, "#5c1a4a"),
)
NOT_ACTED_FILL = "#f4f4f4"
WIDTH, HEIGHT = 520, 900


def statuses(
    G: nx.MultiDiGraph, doc: str, *, level: str = "province", as_of: str | None = None
) -> dict[str, Any]:
    """Per jurisdiction of ``level``: status, days to act from ``doc``'s date, the plans; plus the
    era and counts. Built on :func:`cascade.analysis.lateness.lateness`, so on
    :func:`cascade.query.coverage`: ``not_yet`` exactly when coverage lists no plan; otherwise
    ``on_time`` or ``late`` against the parent's deadline, ``date_unknown``, or ``acted`` (no
    deadline was set, or only the branch not ordered acted)."""
    import datetime as dt

    late = lateness(G, doc, level=level, as_of=as_of)
    start = G.nodes[late["doc"]].get("date")
    units = {}
    for r in late["rows"]:
        s = r["status"]
        if s in ("no_deadline", "not_yet"):  # not_yet with plans: only the other branch acted
            if not r["all_plans"]:
                s = "not_yet"
            elif r["acted"] or any(len(G.nodes[p].get("date") or "") == 10 for p in r["all_plans"]):
                s = "acted"
            else:
                s = "date_unknown"
        first = min(
            (G.nodes[p]["date"] for p in r["all_plans"] if len(G.nodes[p].get("date") or "") == 10),
            default=None,
        )
        days = None
        if first and start and len(start) == 10:
            days = (dt.date.fromisoformat(first) - dt.date.fromisoformat(start)).days
        units[r["jurisdiction"]] = {
            "province": r["province"],
            "district": r["district"],
            "status": s,
            "days": days,
            "deadline": r["deadline"],
            "late_by": r["days"] if s == "late" else None,
            "plans": r["all_plans"],
        }
    counts: dict[str, int] = {}
    for u in units.values():
        counts[u["status"]] = counts.get(u["status"], 0) + 1
    return {
        "doc": late["doc"],
        "level": level,
        "as_of": late["as_of"],
        "era": late["era"] if level == "province" else "pre2025",
        "counts": counts,
        "units": units,
    }


def _day_fill(days: int | None) -> str:
    if days is None:
        return NOT_ACTED_FILL
    return next(fill for bound, fill in DAY_BINS if days <= bound)


def _project(era: str) -> tuple[list[tuple[str, list[list[tuple[float, float]]]]], Any]:
    """Each province's rings in SVG coordinates, and the lon/lat -> x/y function."""
    feats = [f for f in outlines()["features"] if f["properties"]["era"] == era]
    xs, ys = [], []
    for f in feats:
        for ring in _rings(f["geometry"]):
            xs += [p[0] for p in ring]
            ys += [p[1] for p in ring]
    lon0, lon1, lat0, lat1 = min(xs), max(xs), min(ys), max(ys)
    k = math.cos(math.radians((lat0 + lat1) / 2))
    scale = min((WIDTH - 20) / ((lon1 - lon0) * k), (HEIGHT - 20) / (lat1 - lat0))

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return round(10 + (lon - lon0) * k * scale, 1), round(10 + (lat1 - lat) * scale, 1)

    return [
        (f["properties"]["name"], [[xy(*p) for p in ring] for ring in _rings(f["geometry"])]) for f in feats
    ], xy


def _rings(geom: dict[str, Any]) -> list[list[list[float]]]:
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    return [ring for poly in polys for ring in poly]


def _path(rings: list[list[tuple[float, float]]]) -> str:
    return " ".join("M" + " L".join(f"{x},{y}" for x, y in ring) + " Z" for ring in rings)


def _legend() -> str:
    items = [("acted (on time, or no deadline set)", STATUS["acted"][1])]
    items += [(STATUS[k][0], STATUS[k][1]) for k in ("late", "date_unknown", "not_yet")]
    status = "".join(f'<li><i style="background:{c}"></i>{html.escape(t)}</li>' for t, c in items)
    prev = 0
    days = []
    for bound, fill in DAY_BINS:
        label = f"{prev}–{int(bound)} days" if bound != math.inf else f"over {prev} days"
        days.append(f'<li><i style="background:{fill}"></i>{label}</li>')
        prev = int(bound) if bound != math.inf else prev
    days.append(f'<li><i style="background:{NOT_ACTED_FILL}"></i>not yet</li>')
    return (
        f'<ul class="legend" data-mode="status">{status}</ul>'
        f'<ul class="legend" data-mode="days" hidden>{"".join(days)}</ul>'
    )


_CSS = """body{font:14px system-ui,sans-serif;margin:16px;color:#222}
main{display:flex;gap:24px;align-items:flex-start}svg{border:1px solid #ccc;background:#fff}
path.unit{stroke:#555;stroke-width:.5}path.unit:hover{stroke:#000;stroke-width:1.5}
circle.unit{stroke:#333;stroke-width:.4}path.outline{fill:#fafafa;stroke:#999;stroke-width:.4}
.legend{list-style:none;padding:0}.legend i{display:inline-block;width:14px;height:14px;margin-right:6px;
border:1px solid #888;vertical-align:middle}#tip{min-height:3em;white-space:pre-line}"""

_JS = """(function(){
var paths=document.querySelectorAll('.unit'),tip=document.getElementById('tip');
function mode(m){paths.forEach(function(p){
p.style.fill=p.getAttribute(m==='days'?'data-day-fill':'data-fill');});
document.querySelectorAll('.legend').forEach(function(l){l.hidden=l.getAttribute('data-mode')!==m;});}
document.querySelectorAll('input[name=mode]').forEach(function(r){r.addEventListener('change',function(){
mode(r.value);});});
paths.forEach(function(p){p.addEventListener('mouseenter',function(){tip.textContent=p.getAttribute('data-tip');});});
mode('status');window.cascadeReady=true;})();"""


def render(result: dict[str, Any]) -> str:
    """The HTML page of :func:`statuses`' result."""
    era = result["era"]
    shapes, xy = _project(era)
    units = result["units"]
    body = []
    if result["level"] == "province":
        for name, rings in shapes:
            u = units.get(name, {"status": "not_yet", "days": None, "plans": []})
            body.append(_element("path", name, u, f'd="{_path(rings)}"'))
    else:
        from cascade.vn import places

        body += [
            f'<path class="outline" d="{_path(rings)}"><title>{html.escape(n)}</title></path>'
            for n, rings in shapes
        ]
        for jur, u in units.items():
            found = [d for d in places.districts(u["province"]) if d.name == u["district"]]
            if not found or found[0].lat is None:
                continue
            x, y = xy(found[0].lon, found[0].lat)
            body.append(_element("circle", jur, u, f'cx="{x}" cy="{y}" r="2.6"'))
    counts = ", ".join(f"{STATUS[k][0]}: {v}" for k, v in sorted(result["counts"].items()))
    title = f"{result['doc']}: {result['level']}s by {result['as_of'] or 'the latest date'}"
    n_units = len(shapes) if result["level"] == "province" else len(units)
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:\">"
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f'<h1 style="font-size:18px">{html.escape(title)}</h1>'
        f"<p>{n_units} units ({'1 July 2025 map' if era == '2025' else 'pre-2025 map'}). "
        f"{html.escape(counts)}</p><main>"
        f'<svg id="map" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" data-era="{era}" role="img">{"".join(body)}</svg>'
        "<div><fieldset><legend>Colour by</legend>"
        '<label><input type="radio" name="mode" value="status" checked> status</label> '
        '<label><input type="radio" name="mode" value="days"> days to act</label></fieldset>'
        f'{_legend()}<p id="tip">Point at a unit.</p>'
        '<p style="font-size:11px;color:#666">Outlines: Natural Earth (public domain), simplified.</p>'
        f"</div></main><script>{_JS}</script></body></html>\n"
    )


def _element(tag: str, name: str, u: dict[str, Any], geom: str) -> str:
    label = STATUS[u["status"]][0]
    tip = f"{name}\n{label}"
    if u.get("days") is not None:
        tip += f"\n{u['days']} days after the directive"
    if u.get("late_by"):
        tip += f" ({u['late_by']} days after the deadline {u['deadline']})"
    if u.get("plans"):
        tip += "\n" + ", ".join(u["plans"][:4])
    fill, day_fill = STATUS[u["status"]][1], _day_fill(u.get("days"))
    return (
        f'<{tag} class="unit" {geom} data-unit="{html.escape(name)}" data-status="{u["status"]}" '
        f'data-fill="{fill}" data-day-fill="{day_fill}" data-tip="{html.escape(tip)}" '
        f'style="fill:{fill}"><title>{html.escape(tip)}</title></{tag}>'
    )


def write_html(result: dict[str, Any], path: str | Path) -> Path:
    """Write the offline HTML map of :func:`statuses`' result to ``path``."""
    return write_text(path, render(result))


def write_figure(result: dict[str, Any], out: str | Path, *, by: str = "status") -> list[Path]:
    """Draw the map with matplotlib, coloured by ``by`` ("status" or "days"); write ``out``.png and .svg."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Polygon

    shapes, xy = _project(result["era"])
    fig, ax = plt.subplots(figsize=(4.2, 7.2))
    units = result["units"]
    for name, rings in shapes:
        u = units.get(name) if result["level"] == "province" else None
        fill = (
            "#fafafa" if u is None else (STATUS[u["status"]][1] if by == "status" else _day_fill(u["days"]))
        )
        for ring in rings:
            ax.add_patch(Polygon(ring, closed=True, facecolor=fill, edgecolor="#555", linewidth=0.3))
    if result["level"] == "district":
        from cascade.vn import places

        for u in units.values():
            d = next((d for d in places.districts(u["province"]) if d.name == u["district"]), None)
            if d is not None and d.lat is not None:
                x, y = xy(d.lon, d.lat)
                fill = STATUS[u["status"]][1] if by == "status" else _day_fill(u["days"])
                ax.plot(x, y, "o", ms=2.2, mfc=fill, mec="#333", mew=0.2)
    ax.set_xlim(0, WIDTH)
    ax.set_ylim(HEIGHT, 0)
    ax.set_aspect("equal")
    ax.axis("off")
    if by == "status":
        handles = [
            Patch(facecolor=STATUS["acted"][1], edgecolor="#555", label="acted (on time, or no deadline)")
        ]
        handles += [
            Patch(facecolor=STATUS[k][1], edgecolor="#555", label=STATUS[k][0])
            for k in ("late", "date_unknown", "not_yet")
        ]
    else:
        handles = [
            Patch(facecolor=f, edgecolor="#555", label=f"≤ {b:g} days" if b != math.inf else "longer")
            for b, f in DAY_BINS
        ] + [Patch(facecolor=NOT_ACTED_FILL, edgecolor="#555", label="not yet")]
    ax.legend(handles=handles, loc="lower left", fontsize=6, frameon=False)
    ax.set_title(f"{result['doc']} ({result['as_of'] or ''})", fontsize=8)
    fig.tight_layout()
    paths = save_png_and_svg(fig, out)
    plt.close(fig)
    return paths
