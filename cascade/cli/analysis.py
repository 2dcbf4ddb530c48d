"""Research commands: lateness, panel, survival, geomap, diff, reuse.

Registered on the main ``cascade`` app when :mod:`cascade.cli` imports this module. Each is a
thin layer over :mod:`cascade.analysis` or :mod:`cascade.outputs.geomap`: data to stdout
(``--format`` table, json, jsonl or csv), files where asked, messages to stderr.
"""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from cascade.cli.common import DocArg, Fmt, FmtOpt, Level, OutOpt, _cell, _fmt, app

Out = OutOpt                                  # the build folder: -b/--build-dir, as in every command
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="End of observation (ISO date); also picks the map (63 provinces before 2025-07-01, 34 after).",
    ),
]


class Period(StrEnum):
    month = "month"
    quarter = "quarter"
    day = "day"


class By(StrEnum):
    region = "region"
    level = "level"
    branch = "branch"




def _graph(out: Path | None) -> Any:
    from cascade.corpus.build import load

    return load(out).graph


def _say(message: str) -> None:
    typer.echo(f"cascade: {message}", err=True)


def _print(value: Any, rows: list[dict[str, Any]], columns: list[str], fmt: Fmt, title: str = "") -> None:
    """JSON prints the whole answer; jsonl and csv the rows; a table the rows' columns."""
    f = _fmt(fmt)
    if f is Fmt.json:
        typer.echo(json.dumps(value, ensure_ascii=False, indent=1, default=str))
    elif f is Fmt.jsonl:
        for r in rows:
            typer.echo(json.dumps(r, ensure_ascii=False, default=str))
    elif f is Fmt.csv:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows({c: _cell(r.get(c)) for c in columns} for r in rows)
        typer.echo(buf.getvalue(), nl=False)
    else:
        from rich.console import Console
        from rich.table import Table

        t = Table(title=title or None, header_style="bold")
        for c in columns:
            t.add_column(c, overflow="fold")
        for r in rows:
            t.add_row(*(_cell(r.get(c)) for c in columns))
        Console(highlight=False).print(t)


@app.command("lateness", rich_help_panel="Research analyses")
def lateness_command(
    doc: DocArg,
    level: Annotated[Level | None, typer.Option(help="Default: the level below the document.")] = None,
    as_of: AsOf = None,
    out: Out = None,
    fmt: FmtOpt = Fmt.auto,
) -> None:
    """Who acted on time, late (by how many days), not yet, or on an unknown date.

    Each unit below the document is measured against the deadline the parent plan set for it
    ("hoàn thành trước ngày 30/6/2021").

    Example: [bold]cascade lateness "07-KH/TU@Đắk Lắk"[/bold]
    """
    from cascade.analysis.lateness import lateness

    v = lateness(_graph(out), doc, level=level.value if level else None, as_of=as_of)
    counts = ", ".join(f"{k} {n}" for k, n in v["counts"].items() if n)
    _print(
        v,
        v["rows"],
        ["jurisdiction", "status", "deadline", "acted", "days", "plans"],
        fmt,
        f"{v['doc']}: {v['level']}s by {v['as_of']}: {counts}",
    )


@app.command("panel", rich_help_panel="Research analyses")
def panel_command(
    doc: DocArg,
    period: Annotated[Period, typer.Option(help="Length of a period.")] = Period.month,
    level: Annotated[Level, typer.Option(help="Provinces or districts.")] = Level.province,
    as_of: AsOf = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o",
                     help="Write the rows to a .csv or .parquet file (Parquet needs pyarrow)."),
    ] = None,
    out: Out = None,
    fmt: FmtOpt = Fmt.csv,
) -> None:
    """The event-history panel: one row per jurisdiction per period until it acts.

    Columns: the event, time at risk, level, branch of the acting plan, region, neighbours'
    exposure, the parent's deadline and the unit's pre- or post-2025 identity.

    Example: [bold]cascade panel 93-KL/TW --period quarter --output panel.parquet[/bold]
    """
    from cascade.analysis.panel import panel, write

    v = panel(_graph(out), doc, period=period.value, level=level.value, as_of=as_of)
    if output is not None:
        write(v, output)
        _say(f"wrote {output}: {len(v['rows'])} rows, {v['units']} units, {v['events']} events")
        return
    _print(v, v["rows"], v["columns"], fmt)


@app.command("survival", rich_help_panel="Research analyses")
def survival_command(
    doc: DocArg,
    by: Annotated[By, typer.Option(help="Group the curves by.")] = By.region,
    level: Annotated[Level, typer.Option(help="Provinces or districts (--by level: both).")] = (
        Level.province
    ),
    as_of: AsOf = None,
    figure: Annotated[
        Path | None, typer.Option("--figure", help="Write FIGURE.png and FIGURE.svg (Kaplan-Meier curves).")
    ] = None,
    cox: Annotated[bool, typer.Option(help="Fit a Cox model on the panel.")] = True,
    out: Out = None,
    fmt: FmtOpt = Fmt.auto,
) -> None:
    """Kaplan-Meier curves with 95% bands, a log-rank test and a Cox model.

    Needs the optional packages: pip install 'cascade\\[stats]'.

    Example: [bold]cascade survival 93-KL/TW --by region --figure km[/bold]
    """
    from cascade.analysis.survival import plot, survival

    v = survival(_graph(out), doc, by=by.value, level=level.value, as_of=as_of, cox=cox)
    if figure is not None:
        for p in plot(v, figure):
            _say(f"wrote {p}")
    rows = []
    for g, steps in v["curves"].items():
        half = next((s["time"] for s in steps if s["survival"] <= 0.5), None)
        rows.append(
            {
                "group": g,
                "units": v["groups"][g],
                "acted": sum(s["events"] for s in steps),
                "median_days": half,
                "share_acted": round(1 - steps[-1]["survival"], 4),
            }
        )
    title = f"{v['doc']} by {v['by']}"
    if v["logrank"]:
        lr = v["logrank"]
        title += f": log-rank chi2 {lr['statistic']:.2f}, df {lr['df']}, p {lr['p']:.3g}"
    _print(v, rows, ["group", "units", "acted", "median_days", "share_acted"], fmt, title)
    f = _fmt(fmt)
    if f is Fmt.table and v["cox"]:
        cov = [
            {"covariate": k} | {kk: round(vv, 4) for kk, vv in x.items()}
            for k, x in v["cox"]["covariates"].items()
        ]
        _print(v["cox"], cov, ["covariate", "coef", "hazard_ratio", "se", "p"], Fmt.table, "Cox model")


@app.command("geomap", rich_help_panel="Research analyses")
def geomap_command(
    doc: DocArg,
    level: Annotated[Level, typer.Option(help="Provinces, or districts as dots.")] = (Level.province),
    as_of: AsOf = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file.")] = Path("geomap.html"),
    figure: Annotated[
        Path | None, typer.Option("--figure", help="Also write FIGURE.png/.svg and FIGURE-days.png/.svg.")
    ] = None,
    out: Out = None,
) -> None:
    """A map of the country coloured by acted / late / not yet (and days to act): one offline HTML file.

    Example: [bold]cascade geomap 93-KL/TW --as-of 2021-06-30 --figure map[/bold]
    """
    from cascade.outputs import geomap

    v = geomap.statuses(_graph(out), doc, level=level.value, as_of=as_of)
    geomap.write_html(v, output)
    _say(f"wrote {output}")
    if figure is not None:
        paths = geomap.write_figure(v, figure) + geomap.write_figure(
            v, figure.with_name(figure.name + "-days"), by="days")
        for p in paths:
            _say(f"wrote {p}")


@app.command("diff", rich_help_panel="Research analyses")
def diff_command(
    old: Annotated[Path, typer.Argument(help="The earlier build folder.")],
    new: Annotated[Path, typer.Argument(help="The later build folder.")],
    fmt: FmtOpt = Fmt.auto,
) -> None:
    """What changed between two builds: documents, links, coverage and lag per directive.

    Example: [bold]cascade diff out-may out-june[/bold]
    """
    from cascade.analysis.diff import diff_builds, table

    v = diff_builds(old, new)
    f = _fmt(fmt)
    if f is Fmt.table:
        typer.echo(table(v))
        return
    rows = [
        {"change": c, "what": "document", "id": x["id"]}
        for c in ("added", "removed")
        for x in v["documents"][c]
    ]
    rows += [
        {"change": c, "what": "link", "id": f"{x['from']} -> {x['to']}"}
        for c in ("added", "removed", "retyped")
        for x in v["links"][c]
    ]
    _print(v, rows, ["change", "what", "id"], f)


@app.command("reuse", rich_help_panel="Research analyses")
def reuse_command(
    doc: DocArg,
    n: Annotated[int, typer.Option(help="Words per shingle.")] = 5,
    out: Out = None,
    fmt: FmtOpt = Fmt.auto,
) -> None:
    """How much of each plan's text and tasks is copied from its parent (shingled n-gram overlap).

    Example: [bold]cascade reuse 93-KL/TW[/bold]
    """
    from cascade.analysis.reuse import reuse

    v = reuse(_graph(out), doc, n=n)
    f = _fmt(fmt)
    if f is Fmt.table:
        rows = [{"by": "level", "group": g} | x for g, x in v["by_level"].items()]
        rows += [{"by": "province", "group": g} | x for g, x in v["by_province"].items()]
        _print(
            v,
            rows,
            ["by", "group", "plans", "text_share_mean", "text_share_median", "task_share"],
            f,
            f"{v['doc']}: reuse of the parent's text ({v['n']}-word shingles)",
        )
        return
    _print(
        v,
        v["rows"],
        [
            "plan",
            "parent",
            "level",
            "province",
            "district",
            "text_share",
            "tasks",
            "tasks_reused",
            "task_share",
        ],
        f,
    )
