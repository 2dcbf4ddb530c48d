"""Static figures of a cascade for papers: timeline, coverage by province, lag by level.

Each function takes the corpus graph and a document and returns a matplotlib ``Figure``
drawn with the Agg canvas (no pyplot, no display needed); :func:`save` writes it as PNG
or SVG by the file's suffix, :func:`svg` and :func:`png` give the bytes for embedding.
The numbers come from :mod:`cascade.query`; colours and shapes match the HTML map.
Text is never parsed as mathtext, so a title with ``$`` prints as it is.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("d", kind="document", level="central", date="2021-01-01", number="1-CT/TW")
>>> G.add_node("p", kind="document", level="province", province="Gia Lai", branch="party", date="2021-02-01")
>>> _ = G.add_edge("p", "d", key="implements", relation="implements")
>>> svg(timeline(G, "d")).startswith(b"<?xml")
True
"""
from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx
from matplotlib import dates as mdates
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from cascade import query
from cascade.errors import CascadeError
from cascade.outputs.maps import LEVEL_COLORS, short_label
from cascade.text.normalize import ascii_fold
from cascade.vn.dates import day
from cascade.vocab import LEVELS

__all__ = ["timeline", "coverage", "lag", "PLOTS", "plot", "save", "save_png_and_svg", "svg", "png"]

MARKERS = {"party": "D", "state": "o"}
#: matplotlib settings of every figure (typed loosely: the stubs key rcParams by literal names)
_RC: dict[Any, Any] = {"text.parse_math": False, "svg.hashsalt": "cascade", "svg.fonttype": "path",
                       "font.size": 9, "font.family": "DejaVu Sans", "axes.spines.top": False,
                       "axes.spines.right": False}
_PARTY, _STATE, _NONE = "#b03a2e", "#1f6fb2", "#bfc9ca"


@contextmanager
def _style() -> Iterator[None]:
    with rc_context(_RC):
        yield


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _when(value: object) -> tuple[dt.date | None, bool]:
    """A plotting date for an ISO date and whether it is exact: "2021-06" -> (15 June 2021, False)."""
    if not isinstance(value, str) or len(value) < 4 or not value[:4].isdigit():
        return None, False
    try:
        if len(value) >= 10:
            full = day(value[:10])
            return (full, True) if full else (None, False)
        if len(value) >= 7:
            return dt.date(int(value[:4]), int(value[5:7]), 15), False
        return dt.date(int(value[:4]), 7, 1), False
    except ValueError:
        return None, False


def _name(G: nx.MultiDiGraph, n: str) -> str:
    return short_label(G.nodes[n], n)


# -- timeline -----------------------------------------------------------------------------------------------

def timeline(G: nx.MultiDiGraph, doc: str) -> Figure:
    """When each level acted: documents by date (x) and level (y), a line from each parent to its child.

    Party documents are diamonds, state ones circles; a hollow marker has only a month or a
    year. Documents with no date are drawn in a grey "date unknown" band right of the
    dated ones, and the title counts them.
    """
    t = query.tree(G, doc)
    rows = t["nodes"]
    root = t["root"]
    pos: dict[str, tuple[dt.date, float]] = {}
    exact: dict[str, bool] = {}
    seen: dict[tuple[str, str], int] = {}
    for r in sorted(rows, key=lambda r: (str(r.get("date") or "9999"), r["id"])):
        when, full = _when(r.get("date"))
        if when is None:
            continue
        level = r.get("level") if r.get("level") in LEVELS else "province"
        branch = r.get("branch") or "?"
        i = seen.get((level, branch), 0)
        seen[(level, branch)] = i + 1
        offset = {"party": 0.17, "state": -0.17}.get(branch, 0.0) + ((i % 5) - 2) * 0.045
        pos[r["id"]] = (when, -LEVELS[level].tier + offset)
        exact[r["id"]] = full
    dated_days = [w for w, _ in pos.values()]
    undated_ids = sorted(r["id"] for r in rows if r["id"] not in pos)
    unknown_x: dt.date | None = None
    if undated_ids:
        # documents with no date sit in a band right of the dated ones: counted, never dropped
        lo, hi = (min(dated_days), max(dated_days)) if dated_days else (dt.date(2000, 1, 1),) * 2
        unknown_x = hi + dt.timedelta(days=max(30, (hi - lo).days // 8))
        by_id = {r["id"]: r for r in rows}
        for i, n in enumerate(undated_ids):
            level = by_id[n].get("level") if by_id[n].get("level") in LEVELS else "province"
            pos[n] = (unknown_x, -LEVELS[level].tier + ((i % 7) - 3) * 0.05)
            exact[n] = False
    undated = len(undated_ids)
    levels_used = sorted({LEVELS[r["level"]].tier for r in rows if r.get("level") in LEVELS} | {1})
    with _style():
        fig = _figure(8.0, 1.1 + 0.9 * len(levels_used))
        ax = fig.add_subplot()
        groups: dict[tuple[str, str, bool, bool], list[tuple[dt.date, float]]] = {}
        for r in rows:
            if r["id"] in pos:
                level = r.get("level") if r.get("level") in LEVELS else "unknown"
                marker = MARKERS.get(r.get("branch") or "", "s")
                groups.setdefault((level, marker, exact[r["id"]], r["id"] == root), []).append(pos[r["id"]])
        for (level, marker, full, is_root), points in groups.items():
            color = LEVEL_COLORS.get(level, LEVEL_COLORS["unknown"])
            ax.scatter([p[0] for p in points], [p[1] for p in points], marker=marker, s=70 if is_root else 26,  # type: ignore[arg-type]  # matplotlib converts dates
                       zorder=3, linewidths=1.0, edgecolors=color, facecolors=color if full else "white")
        segments = [(pos[r["parent"]], pos[r["id"]]) for r in rows
                    if r.get("parent") in pos and r["id"] in pos]
        ax.add_collection(LineCollection([[(mdates.date2num(a[0]), a[1]), (mdates.date2num(b[0]), b[1])]
                                          for a, b in segments], colors="#95a5a6", linewidths=0.6, alpha=0.45,
                                         zorder=1))
        if len(pos) <= 25:
            for n, (x, y) in pos.items():
                ax.annotate(_name(G, n), (x, y), xytext=(4, 4), textcoords="offset points",
                            fontsize=7, color="#2c3e50")
        elif root in pos:
            ax.annotate(_name(G, root), pos[root], xytext=(5, 5), textcoords="offset points", fontsize=8,
                        weight="bold")
        ax.set_yticks([-i for i in levels_used], [list(LEVELS)[i] for i in levels_used])
        ax.set_ylim(-max(levels_used) - 0.5, -min(levels_used) + 0.5)
        ax.grid(axis="x", color="#eaeded", lw=0.6)
        ax.set_xlabel("date")
        ax.legend(handles=[Line2D([], [], ls="", marker="D", color="#555", label="Party"),
                           Line2D([], [], ls="", marker="o", color="#555", label="state"),
                           Line2D([], [], ls="", marker="o", mfc="white", color="#555",
                                  label="month or year only")],
                  loc="upper left", fontsize=7, frameon=False, ncols=3, bbox_to_anchor=(0, 1.0))
        if unknown_x is not None:
            ax.axvspan(unknown_x - dt.timedelta(days=12), unknown_x + dt.timedelta(days=12), color="#f4f6f6",  # type: ignore[arg-type]  # matplotlib converts dates
                       zorder=0)
            ax.annotate("date unknown", (unknown_x, 1), xycoords=("data", "axes fraction"), xytext=(0, -9),
                        textcoords="offset points", ha="center", fontsize=7, color="#7f8c8d")
        note = f"; {undated} with date unknown (grey band)" if undated else ""
        ax.set_title(f"{_name(G, root)}: {t['count']} documents carry it out{note}", loc="left", fontsize=10)
        if not dated_days:
            ax.text(0.5, 0.5, "no dated document", transform=ax.transAxes, ha="center", color="#7f8c8d")
            ax.set_xticks([])
        else:
            fig.autofmt_xdate()
    return fig


# -- coverage -----------------------------------------------------------------------------------------------

def coverage(G: nx.MultiDiGraph, doc: str, *, level: str = "province", as_of: str | None = None,
             province: str | None = None, max_rows: int = 120) -> Figure:
    """Who has acted and who has not: one row per province (or district), the first Party and state plans.

    Rows with no plan are grey and say so; past ``max_rows`` rows only the jurisdictions that
    acted are drawn, and the title counts the others.
    """
    c = query.coverage(G, doc, level=level, as_of=as_of, province=province)
    root_date, _ = _when(G.nodes[c["doc"]].get("date"))

    def first(ids: list[str]) -> tuple[dt.date | None, bool]:
        dates = [w for w in (_when(G.nodes[n].get("date")) for n in ids) if w[0] is not None]
        return min(dates) if dates else (None, False)

    rows = []
    for r in c["rows"]:
        acted = bool(r["party"] or r["state"] or r["other"])
        party, state = first(r["party"]), first(r["state"] + r["other"])
        rows.append((r["jurisdiction"], acted, party, state))
    hidden = 0
    if len(rows) > max_rows:
        hidden = sum(1 for r in rows if not r[1])
        rows = [r for r in rows if r[1]]
    rows.sort(key=lambda r: (not r[1], min([d for d in (r[2][0], r[3][0]) if d] or [dt.date.max]),
                             ascii_fold(r[0]).lower()))
    with _style():
        fig = _figure(7.5, 1.4 + 0.16 * max(len(rows), 3))
        ax = fig.add_subplot()
        dated = [d for _, _, p, s in rows for d in (p[0], s[0]) if d]
        lo = min(dated + ([root_date] if root_date else []), default=None)
        for i, (_, acted, party, state) in enumerate(rows):
            y = -i
            if not acted:
                ax.plot([0.012], [y], marker="x", ms=4, color=_NONE, transform=ax.get_yaxis_transform())
                continue
            ax.axhline(y, color="#f2f3f4", lw=0.6, zorder=0)
            for (when, full), color, marker in ((party, _PARTY, "D"), (state, _STATE, "o")):
                if when is not None:
                    ax.scatter([when], [y], marker=marker, s=28, zorder=3, edgecolors=color,  # type: ignore[arg-type]  # matplotlib converts dates
                               facecolors=color if full else "white")
            if party[0] is None and state[0] is None:
                ax.text(0.01, y, "acted, date unknown", transform=ax.get_yaxis_transform(), va="center",
                        fontsize=7, color="#2c3e50")
        if root_date is not None:
            ax.axvline(root_date, color="#b03a2e", lw=0.8, ls="--")  # type: ignore[arg-type]  # matplotlib converts dates
            ax.annotate(_name(G, c["doc"]), (root_date, 1), xycoords=("data", "axes fraction"),
                        xytext=(3, -10), textcoords="offset points", fontsize=7, color="#b03a2e")
        ax.set_yticks([-i for i in range(len(rows))], [r[0] for r in rows], fontsize=7)
        for tick, r in zip(ax.get_yticklabels(), rows, strict=True):
            tick.set_color("#2c3e50" if r[1] else "#95a5a6")
        ax.set_ylim(-len(rows) + 0.5, 0.8)
        if lo is None:
            ax.set_xticks([])
        else:
            fig.autofmt_xdate()
        ax.legend(handles=[Line2D([], [], ls="", marker="D", color=_PARTY, label="first Party plan"),
                           Line2D([], [], ls="", marker="o", color=_STATE, label="first state plan"),
                           Line2D([], [], ls="", marker="o", mfc="white", color="#555",
                                  label="month or year only"),
                           Line2D([], [], ls="", marker="x", color=_NONE, label="no plan")],
                  loc="lower right", fontsize=7, frameon=True, framealpha=0.9, edgecolor="#eaeded")
        what = "provinces" if level == "province" else "districts"
        more = f"; {hidden} more without a plan not drawn" if hidden else ""
        by_day = f" by {c['as_of']}" if c.get("as_of") else ""
        unknown = f", {c['date_unknown']} of them on a date unknown" if c["date_unknown"] else ""
        ax.set_title(f"{_name(G, c['doc'])}: {c['with_any']} of {c['total']} {what} acted{by_day}{unknown} "
                     f"(Party {c['with_party']}, state {c['with_state']}){more}\n"
                     f"out of {c['denominator']['text']}", loc="left", fontsize=9)
    return fig


# -- lag -----------------------------------------------------------------------------------------------------

def lag(G: nx.MultiDiGraph, doc: str, *, as_of: str | None = None) -> Figure:
    """How long each level took: days from parent to child by transition, and the share acted over time.

    Left: a box per transition ("central->province", "party->state (province)"...) with
    every measured pair as a dot. Right (when there is a level below the document): the
    Kaplan-Meier share of provinces and districts that had acted N days on, counting the
    ones that never did.
    """
    result = query.lag(G, doc, as_of=as_of)
    groups: dict[str, list[int]] = {}
    for p in result["pairs"]:
        groups.setdefault(p["transition"], []).append(p["days"])
    kinds = [k for k in result["transitions"] if groups.get(k)]
    outside = 0
    curves = [c for c in result["curves"] if c["units"]]
    with _style():
        fig = _figure(9.0 if curves else 6.5, 1.6 + 0.45 * max(len(kinds), 3))
        axes = fig.subplots(1, 2, width_ratios=(1.3, 1)) if curves else [fig.add_subplot()]
        ax = axes[0]
        if kinds:
            data = [groups[k] for k in kinds]
            ax.boxplot(data, orientation="horizontal", widths=0.5, showfliers=False,
                       medianprops={"color": "#b03a2e"}, boxprops={"color": "#566573"},
                       whiskerprops={"color": "#566573"}, capprops={"color": "#566573"})
            for i, values in enumerate(data, start=1):
                jitter = [((j * 37) % 11 - 5) * 0.025 for j in range(len(values))]
                child = _child_level(kinds[i - 1])
                ax.scatter(values, [i + d for d in jitter], s=9, alpha=0.6, zorder=3,
                           color=LEVEL_COLORS.get(child, LEVEL_COLORS["unknown"]))
            lo, hi = _core_range([v for vs in data for v in vs])
            outside = sum(1 for vs in data for v in vs if v < lo or v > hi)
            if outside:
                pad = (hi - lo) * 0.05 + 1
                ax.set_xlim(lo - pad, hi + pad)
            ax.set_yticks(range(1, len(kinds) + 1),
                          [f"{k}  (n={result['transitions'][k]['n']})" for k in kinds], fontsize=8)
            ax.invert_yaxis()
        else:
            ax.text(0.5, 0.5, "no parent and child both dated to the day", transform=ax.transAxes,
                    ha="center", color="#7f8c8d")
            ax.set_yticks([])
        ax.set_xlabel("days from the implemented document to the implementing one")
        ax.grid(axis="x", color="#eaeded", lw=0.6)
        off = f" ({outside} far outliers not drawn)" if outside else ""
        ax.set_title(f"{_name(G, result['doc'])}: lag by level{off}", loc="left", fontsize=10)
        if curves:
            ax2 = axes[1]
            for c in curves:
                xs = [0] + [s[0] for s in c["steps"]]
                ys = [0.0] + [s[1] for s in c["steps"]]
                color = LEVEL_COLORS.get(c["level"], LEVEL_COLORS["unknown"])
                unknown = f", {c['acted_date_unknown']} date unknown" if c["acted_date_unknown"] else ""
                ax2.step(xs, ys, where="post", color=color,
                         label=f"{c['level']}: {c['acted']} of {c['units']} acted{unknown}; "
                               f"curve over the {c['timed']} with dates")
            ax2.set_ylim(0, 1.02)
            ax2.set_xlabel("days after the level above acted")
            ax2.set_ylabel("share that had acted")
            ax2.grid(color="#eaeded", lw=0.6)
            ax2.legend(fontsize=7, frameon=False, loc="upper left")
            until = result.get("observed_until")
            ax2.set_title("share acted" + (f", observed to {until}" if until else ""), loc="left",
                          fontsize=10)
    return fig


def _core_range(values: list[int]) -> tuple[float, float]:
    """The range to draw: all values, unless a few lie far beyond the 2nd-98th percentiles.

    >>> _core_range([1, 2, 3, 4]), _core_range(list(range(100)) + [10_000])
    ((1, 4), (2, 98))
    """
    xs = sorted(values)
    lo, hi = xs[int(0.02 * (len(xs) - 1))], xs[math.ceil(0.98 * (len(xs) - 1))]
    if xs[-1] - xs[0] <= 3 * max(hi - lo, 1):
        return xs[0], xs[-1]
    return lo, hi


def _child_level(transition: str) -> str:
    """The level of the child in a transition: "central->province" -> "province".

    >>> _child_level("central->province"), _child_level("party->state (district)")
    ('province', 'district')
    """
    if " (" in transition:
        return transition.split(" (", 1)[1].rstrip(")")
    return transition.split("->")[-1]


# -- one entry point and the writers -------------------------------------------------------------------------

PLOTS: dict[str, Callable[..., Figure]] = {"timeline": timeline, "coverage": coverage, "lag": lag}


def plot(kind: str, G: nx.MultiDiGraph, doc: str, **options: Any) -> Figure:
    """The figure ``kind`` (timeline, coverage, lag) of ``doc``; options go to that function.

    Raises:
        CascadeError: an unknown kind.
    """
    try:
        fn = PLOTS[kind]
    except KeyError:
        raise CascadeError(f"unknown plot {kind!r}: use {', '.join(PLOTS)}") from None
    return fn(G, doc, **{k: v for k, v in options.items() if v is not None})


def _bytes(fig: Figure, fmt: str, dpi: int) -> bytes:
    buf = io.BytesIO()
    with _style():
        fig.savefig(buf, format=fmt, dpi=dpi, metadata={"Date": None} if fmt == "svg" else None)
    return buf.getvalue()


def svg(fig: Figure) -> bytes:
    """The figure as SVG (text drawn as paths, no date stamp: the same figure gives the same bytes)."""
    return _bytes(fig, "svg", 72)


def png(fig: Figure, dpi: int = 160) -> bytes:
    """The figure as PNG."""
    return _bytes(fig, "png", dpi)


def save_png_and_svg(fig: Figure, out: str | Path) -> list[Path]:
    """Write ``fig`` twice, as ``out`` with the suffix .png and with .svg; the two paths."""
    out = Path(out)
    return [save(fig, out.with_suffix(suffix)) for suffix in (".png", ".svg")]


def save(fig: Figure, path: str | Path, dpi: int = 200) -> Path:
    """Write ``fig`` to ``path`` as PNG or SVG (by its suffix), through a temporary file.

    Raises:
        CascadeError: a suffix other than .png or .svg.
    """
    from cascade.outputs.export import atomic_open

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise CascadeError(f"{path}: write a .png or an .svg file")
    data = svg(fig) if fmt == "svg" else png(fig, dpi)
    with atomic_open(path, "wb", None) as f:
        f.write(data)
    return path
