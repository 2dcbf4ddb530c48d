"""One offline HTML report on the cascade under a document.

``cascade report DOC -o report.html`` writes, in one file that loads nothing from
anywhere: summary figures, the chain above the document, the tree of everything that
carries it out, the coverage by province, the lag by level, the three figures of
:mod:`cascade.outputs.plots` (SVG as data URIs, which cannot run script) and the interactive map
of :mod:`cascade.outputs.maps`. Every text from the documents is HTML-escaped.
"""
from __future__ import annotations

import base64
import datetime as dt
import html
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from cascade import __version__
from cascade.graph import RELATION

__all__ = ["report_html", "write_report"]


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _img(fig: Any, alt: str) -> str:
    from cascade.outputs.plots import svg

    data = base64.b64encode(svg(fig)).decode("ascii")
    return f'<img class="plot" alt="{_e(alt)}" src="data:image/svg+xml;base64,{data}">'


def _doc_line(r: dict[str, Any]) -> str:
    """One document in a list: label (bold), then date, place, branch and how it was found."""
    bits = [f'<span class="lbl">{_e(r.get("label") or r["id"])}</span>']
    meta = [r.get(k) for k in ("type", "date", "jurisdiction", "branch") if r.get(k)]
    if meta:
        bits.append(f'<span class="meta">{_e(" · ".join(map(str, meta)))}</span>')
    if r.get("relation"):
        bits.append(f'<span class="rel">{_e(str(r["relation"]).replace("_", " "))}</span>')
    if not r.get("in_corpus", True):
        bits.append('<span class="cited">cited only</span>')
    return " ".join(bits)


def _chain_step(s: dict[str, Any]) -> str:
    rel = f' <span class="rel">{_e(s["relation"])}</span>' if s.get("relation") else ""
    return _e(s.get("label") or s["id"]) + rel


def _tree(rows: list[dict[str, Any]]) -> str:
    """Nested lists from depth-first rows with a ``depth``."""
    out: list[str] = []
    depth = -1
    for r in rows:
        d = int(r["depth"])
        if d > depth:
            out.append("<ul>" * (d - depth))
        else:
            out.append("</li>" + "</ul></li>" * (depth - d))
        out.append(f"<li>{_doc_line(r)}")
        depth = d
    out.append("</li>" + "</ul></li>" * depth + "</ul>" if rows else "")
    return "".join(out)


def _table(head: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    body = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>" for row in rows)
    return ("<table><thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr></thead><tbody>"
            + body + "</tbody></table>")


def _card(value: object, label: str, note: str = "") -> str:
    n = f'<div class="note">{_e(note)}</div>' if note else ""
    return f'<div class="card"><div class="v">{_e(value)}</div><div class="k">{_e(label)}</div>{n}</div>'


def _days(value: float | None) -> str:
    """A number of days as printed: "143", "72.5", or a dash when unknown.

    >>> _days(143.0), _days(72.5), _days(None)
    ('143', '72.5', '–')
    """
    if value is None:
        return "–"
    return str(int(value)) if float(value).is_integer() else str(value)


def _unknown(n: int) -> str:
    return f"; {n} on a date unknown" if n else ""


def _labels(G: nx.MultiDiGraph, ids: list[str]) -> str:
    return ", ".join(str(G.nodes[n].get("number") or G.nodes[n].get("label") or n) for n in ids)


def report_html(G: nx.MultiDiGraph, doc: str, *, as_of: str | None = None, tasks: bool = False) -> str:
    """The report page on ``doc`` (see the module docstring).

    Raises:
        ResolutionError: ``doc`` names no document, or several.
    """
    from cascade.outputs import plots
    from cascade.outputs.maps import map_fragment, page, short_label
    from cascade.query import chain, coverage, find_one, lag, tree

    root = find_one(G, doc)
    d = G.nodes[root]
    name = short_label(d, root)
    t = tree(G, root)
    ch = chain(G, root)
    cov = coverage(G, root, level="province", as_of=as_of)
    dcov = coverage(G, root, level="district", as_of=as_of)
    lg = lag(G, root, as_of=as_of)
    members = [r["id"] for r in t["nodes"]]
    n_tasks = sum(1 for n in members for _, _, r in G.out_edges(n, data=RELATION) if r == "has_task")
    cited_only = sum(1 for r in t["nodes"][1:] if not r.get("in_corpus"))

    head = [f'<h1>Cascade report: {_e(name)}</h1>']
    facts = [("type", d.get("type")), ("number", d.get("number")), ("date", d.get("date")),
             ("issuer", d.get("issuer")), ("title", d.get("title")), ("source", d.get("source")),
             ("id", root)]
    head.append("<dl class=\"facts\">" + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts if v)
                + "</dl>")

    cp = lg["transitions"].get("central->province", {})
    pd = lg["transitions"].get("province->district", {})
    undated_docs = sum(1 for r in t["nodes"][1:] if not r.get("date"))
    cards = [
        _card(t["count"], "documents carry it out",
              ", ".join(f"{v} {k}" for k, v in t["levels"].items()) + (f"; {cited_only} cited only"
                                                                         if cited_only else "")
              + (f"; {undated_docs} with date unknown" if undated_docs else "")),
        _card(f"{cov['with_any']} / {cov['total']}", "provinces acted",
              f"Party {cov['with_party']}, state {cov['with_state']}, both {cov['with_both']}"
              + _unknown(cov["date_unknown"]) + f". Out of {cov['denominator']['text']}."),
        _card(f"{dcov['with_any']} / {dcov['total']}", "districts acted",
              f"Party {dcov['with_party']}, state {dcov['with_state']}" + _unknown(dcov["date_unknown"])
              + f". Out of {dcov['denominator']['text']}."),
        _card(_days(cp.get("median")), "median days, central to province", f"n = {cp.get('n', 0)}"),
        _card(_days(pd.get("median")), "median days, province to district", f"n = {pd.get('n', 0)}"),
    ]
    if n_tasks:
        cards.append(_card(n_tasks, "tasks assigned", "in the plans of the cascade"))
    when = f" by {cov['as_of']}" if cov.get("as_of") else ""

    parts = ["<header>", *head, "</header>", f'<section><h2>Summary{_e(when)}</h2><div class="cards">',
             *cards, "</div></section>"]
    paths = [p for p in ch["paths"] if len(p) > 1]
    if paths:
        items = "".join("<li>" + " → ".join(map(_chain_step, p)) + "</li>" for p in paths)
        parts.append(f"<section><h2>Chain above</h2><ul class=\"chain\">{items}</ul></section>")
    parts.append(f'<section><h2>Tree</h2><p class="hint">Everything that carries out {_e(name)}, each under '
                 f'the document it implements.</p><div class="tree">{_tree(t["nodes"])}</div></section>')

    acted = sorted((r for r in cov["rows"] if r["party"] or r["state"] or r["other"]),
                   key=lambda r: (r["first"] or "9999", r["jurisdiction"]))
    cov_rows = [(r["jurisdiction"], _labels(G, r["party"]) or "–", _labels(G, r["state"] + r["other"]) or "–",
                 r["first"] or ("date unknown" if r["date_unknown"] else "")) for r in acted]
    notes = []
    if cov["undated"]:
        notes.append(f"{len(cov['undated'])} plan(s) carry no date: their province acted, date unknown "
                     f"(counted above, marked “date unknown” below)")
    if cov["unplaced"]:
        notes.append(f"{len(cov['unplaced'])} plan(s) with no known province")
    if cov["after_as_of"]:
        notes.append(f"{len(cov['after_as_of'])} plan(s) dated after {cov['as_of']}, not counted")
    extra = f'<p class="hint">{_e("; ".join(notes))}.</p>' if notes else ""
    parts.append(f"<section><h2>Coverage by province</h2><p>{cov['with_any']} of {cov['total']} provinces "
                 f"have a plan{_e(when)}: {cov['with_party']} a Party plan, {cov['with_state']} a state "
                 f"plan{_e(_unknown(cov['date_unknown']))}. Denominator: {_e(cov['denominator']['text'])}. "
                 f"No plan: {_e(', '.join(cov['none']) or 'none')}.</p>{extra}"
                 + _table(("province", "Party plan", "state plan", "first"), cov_rows) + "</section>")

    lag_rows = [(k, v["n"], v["median"], v["q1"], v["q3"], v["min"], v["max"], v["undated"])
                for k, v in lg["transitions"].items()]
    curve_rows = [(c["level"], c["units"], c["acted"], c["acted_date_unknown"], c["censored"],
                   _days(c["median_days"]), c["denominator"]["text"]) for c in lg["curves"]]
    parts.append("<section><h2>Lag by level</h2><p class=\"hint\">Days from the implemented document to the "
                 "implementing one, for pairs both dated to the day; “undated” counts the pairs with a "
                 "side whose day is unknown.</p>"
                 + _table(("transition", "n", "median", "q1", "q3", "min", "max", "undated"), lag_rows)
                 + "<p class=\"hint\">Share of jurisdictions that acted: those that acted on an unknown day "
                 "are counted, not placed on the curve; those that never acted are censored.</p>"
                 + _table(("level", "units", "acted", "of them date unknown", "not yet", "median days",
                           "denominator"), curve_rows)
                 + "</section>")

    figs = [(plots.timeline(G, root), "Timeline: documents by date and level"),
            (plots.coverage(G, root, as_of=as_of, max_rows=40), "Coverage by province"),
            (plots.lag(G, root, as_of=as_of), "Lag by level")]
    parts.append("<section><h2>Figures</h2>" + "".join(f"<figure>{_img(f, a)}<figcaption>{_e(a)}</figcaption>"
                                                        f"</figure>" for f, a in figs) + "</section>")
    parts.append(f"<section><h2>Map</h2>{map_fragment(G, root, tasks=tasks, height='80vh')}</section>")
    built = G.graph.get("built")
    parts.append(f'<footer>Made by cascade {_e(__version__)} on {_e(dt.date.today().isoformat())}'
                 + (f" from the build of {_e(built)}" if built else "")
                 + ". This file works offline.</footer>")
    return page(f"Cascade report: {name}", "\n".join(parts), css=_CSS)


def write_report(G: nx.MultiDiGraph, path: str | Path, doc: str, *, as_of: str | None = None,
                 tasks: bool = False) -> Path:
    """Write the report on ``doc`` to ``path`` (through a temporary file) and return ``path``."""
    from cascade.outputs.export import write_text

    return write_text(path, report_html(G, doc, as_of=as_of, tasks=tasks))


_CSS = """
body { max-width: 1280px; margin: 0 auto; padding: 0 1.2rem 2rem; }
header { padding: 1rem 0 .4rem; border-bottom: 2px solid #2c3e50; }
h1 { font-size: 1.45rem; margin: 0 0 .5rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; border-bottom: 1px solid #d5dbdb; padding-bottom: .2rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .8rem; margin: 0; }
.facts dt { color: #5d6d7e; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.cards { display: flex; flex-wrap: wrap; gap: .7rem; }
.card { border: 1px solid #d5dbdb; border-radius: 6px; padding: .6rem .8rem; min-width: 11rem;
  background: #fbfcfc; }
.card .v { font-size: 1.5rem; font-weight: bold; }
.card .k { color: #2c3e50; }
.card .note { color: #5d6d7e; font-size: .8rem; }
.tree { max-height: 34rem; overflow: auto; border: 1px solid #eaeded; padding: .3rem .6rem; }
.tree ul { list-style: none; padding-left: 1.2rem; margin: 0; border-left: 1px dotted #d5dbdb; }
.tree > ul { border-left: 0; padding-left: 0; }
.lbl { font-weight: bold; }
.meta { color: #5d6d7e; }
.rel { font-size: .75rem; background: #eaf2f8; color: #1a5276; border-radius: 3px; padding: 0 .3rem; }
.cited { font-size: .75rem; background: #fef5e7; color: #9a7d0a; border-radius: 3px; padding: 0 .3rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid #eaeded; vertical-align: top; }
th { background: #f4f6f6; }
figure { margin: 1rem 0; }
img.plot { max-width: 100%; height: auto; border: 1px solid #eaeded; }
figcaption { color: #5d6d7e; font-size: .85rem; }
footer { margin-top: 2rem; color: #7f8c8d; font-size: .85rem; }
"""
