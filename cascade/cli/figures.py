"""Commands that draw: map, plot, report."""
from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from cascade.errors import CascadeError

from .common import (
    DocArg,
    OutOpt,
    _err,
    _query_graph,
    app,
)


class PlotKind(StrEnum):
    timeline = "timeline"
    coverage = "coverage"
    lag = "lag"


@app.command("map", rich_help_panel="Maps, figures and reports")
def map_command(
    doc: Annotated[str | None, typer.Argument(help="A document (id, number, phrase or file name); "
                                              "leave out with --all.", show_default=False)] = None,
    all_docs: Annotated[bool, typer.Option("--all", help="Map the whole corpus, grouped by "
                                           "province.")] = False,
    tasks: Annotated[bool, typer.Option("--tasks", help="Add the plans' tasks and the agencies that must "
                                        "act.")] = False,
    cited: Annotated[bool, typer.Option(help="Add the documents the cascade cites (one document's "
                                        "map).")] = True,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to "
                                         "write.")] = Path("map.html"),
    out: OutOpt = None,
) -> None:
    """Write an interactive map: one self-contained HTML file that works offline.

    Hover for the evidence, click to highlight a chain, search by number, filter by province.

    Example: [bold]cascade map 93-KL/TW -o map.html[/bold] or [bold]cascade map --all -o corpus.html[/bold]
    """
    from cascade.outputs.maps import write_map

    if (doc is None) == (not all_docs):
        raise CascadeError("give a document or --all (not both)")
    write_map(_query_graph(out), output, None if all_docs else doc, tasks=tasks, cited=cited)
    _err(f"wrote {output}")


@app.command("plot", rich_help_panel="Maps, figures and reports")
def plot_command(
    kind: Annotated[PlotKind, typer.Argument(help="timeline, coverage (by province) or lag (by level).")],
    doc: DocArg,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="A .png or .svg file "
                                                "(default KIND.png).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Count plans dated up to this day "
                                              "(coverage, lag).")] = None,
    level: Annotated[str, typer.Option(help="coverage: province or district.")] = "province",
    province: Annotated[str | None, typer.Option(help="coverage: the districts of this province.")] = None,
    dpi: Annotated[int, typer.Option(help="PNG resolution.")] = 200,
    out: OutOpt = None,
) -> None:
    """Draw a figure for a paper: PNG or SVG, by the file's suffix.

    Example: [bold]cascade plot coverage 93-KL/TW -o coverage.svg[/bold]
    """
    from cascade.outputs.plots import plot, save

    options: dict[str, Any] = {}
    if kind is PlotKind.coverage:
        options = {"as_of": as_of, "level": level, "province": province}
    elif kind is PlotKind.lag:
        options = {"as_of": as_of}
    target = output or Path(f"{kind.value}.png")
    save(plot(kind.value, _query_graph(out), doc, **options), target, dpi=dpi)
    _err(f"wrote {target}")


@app.command("report", rich_help_panel="Maps, figures and reports")
def report_command(
    doc: DocArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to "
                                         "write.")] = Path("report.html"),
    as_of: Annotated[str | None, typer.Option("--as-of", help="Count plans dated up to this day.")] = None,
    tasks: Annotated[bool, typer.Option("--tasks", help="Show tasks and agencies on the map.")] = False,
    out: OutOpt = None,
) -> None:
    """Write one offline HTML report: summary, tree, coverage, lag, figures and the map.

    Example: [bold]cascade report 93-KL/TW -o report.html[/bold]
    """
    from cascade.outputs.report import write_report

    write_report(_query_graph(out), output, doc, as_of=as_of, tasks=tasks)
    _err(f"wrote {output}")
