"""What every command shares: the typer app, the build-folder and output options, output formats."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from cascade import __version__
from cascade.cli.terminal import clean_text
from cascade.outputs.cells import spreadsheet_cell


def _err(message: str) -> None:
    """One line on stderr (control characters from file names or texts shown escaped)."""
    typer.echo(f"cascade: {clean_text(message)}", err=True)


_CAPTURED: list[tuple[Path, io.StringIO, contextlib.redirect_stdout[io.StringIO]]] = []


def _capture(output: Path | None) -> None:
    """Send what this command prints to ``output``; the file is written when the command succeeds."""
    if output is None:
        return
    buf = io.StringIO()
    redirect = contextlib.redirect_stdout(buf)
    redirect.__enter__()
    _CAPTURED.append((output, buf, redirect))


def _release(write: bool) -> None:
    """Stop capturing; write the captured answer (through a temporary file) when ``write``."""
    while _CAPTURED:
        output, buf, redirect = _CAPTURED.pop()
        redirect.__exit__(None, None, None)
        if write:
            from cascade.outputs.export import write_text

            write_text(output, buf.getvalue())
            _err(f"wrote {output}")


def _done(*_: Any, **__: Any) -> None:
    _release(True)


app = typer.Typer(
    name="cascade", no_args_is_help=True, rich_markup_mode="rich", add_completion=False,
    help="Turn Vietnamese directive and plan documents into a knowledge graph of implementation cascades.\n\n"
         "Start with [bold]cascade build data/[/bold]; then ask: [bold]cascade tree 42-CT/TW[/bold].",
    result_callback=_done,
    epilog="Docs: README.md. The last build lives in ./cascade-out (or $CASCADE_OUT, or --build-dir/-b); "
           "-o/--output always names a file to write.")


class Fmt(str, Enum):  # noqa: UP042 - a str Enum, as typer shows its values
    auto = "auto"
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class Level(StrEnum):
    """The jurisdictions a figure counts: provinces or districts."""

    province = "province"
    district = "district"


#: the build folder, in every command (-o/--output is always a file to write)
OutOpt = Annotated[Path | None, typer.Option(
    "--build-dir", "-b", help="Build folder (default ./cascade-out or $CASCADE_OUT).")]
#: where a command that prints its answer writes it instead
OutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write the answer to this file instead of the terminal.")]
FmtOpt = Annotated[Fmt, typer.Option("--format", "-f", help="auto: a table in a terminal, JSON when piped.")]




def _fmt(fmt: Fmt) -> Fmt:
    if fmt is Fmt.auto:
        return Fmt.table if sys.stdout.isatty() else Fmt.json
    return fmt


def emit(rows: Sequence[dict[str, Any]] | dict[str, Any], fmt: Fmt, columns: Iterable[str] | None = None,
         title: str | None = None) -> None:
    """Print rows (or one object) in the chosen format."""
    fmt = _fmt(fmt)
    if isinstance(rows, dict):
        if fmt in (Fmt.json, Fmt.jsonl):
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=None if fmt is Fmt.jsonl else 1))
            return
        rows = [{"field": k,
                 "value": v if not isinstance(v, (list, dict)) else json.dumps(v, ensure_ascii=False)}
                for k, v in rows.items()]
        columns = ["field", "value"]
    cols = list(columns) if columns else (list(rows[0]) if rows else [])
    if fmt is Fmt.json:
        typer.echo(json.dumps(list(rows), ensure_ascii=False, indent=1))
    elif fmt is Fmt.jsonl:
        for r in rows:
            typer.echo(json.dumps(r, ensure_ascii=False))
    elif fmt is Fmt.csv:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: spreadsheet_cell(_cell(r.get(c))) for c in cols})
        typer.echo(buf.getvalue(), nl=False)
    else:
        from rich.table import Table

        from cascade.cli.terminal import markup as escape

        t = Table(title=escape(clean_text(title)) if title else None, show_lines=False, header_style="bold")
        for c in cols:
            t.add_column(c, overflow="fold")
        for r in rows:
            t.add_row(*(escape(clean_text(_cell(r.get(c)))) for c in cols))
        _console().print(t)


def _cell(v: Any) -> str:
    """One value as table or CSV text: lists joined with "; ", objects as JSON."""
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        return "; ".join(map(str, v))
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cascade {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Show the version and exit.")] = False) -> None:
    """Turn Vietnamese directive and plan documents into a knowledge graph of implementation cascades."""



DocArg = Annotated[str, typer.Argument(
    help="A document: its id (93-KL/TW, 07-KH/TU@Đắk Lắk), its number, a phrase (\"Kết luận 93\") "
         "or a file name.", show_default=False)]

def _query_graph(out: Path | None, documents_only: bool = False, cascade_only: bool = False) -> Any:
    """The graph of the last build, never re-reading text; ``documents_only``: its documents
    and their links; ``cascade_only``: its documents and implementation links (see
    :func:`cascade.corpus.build.load`).

    A command loads one graph, answers and exits, so the garbage collector is kept off the
    graph: paused while loading, then told to leave its objects alone, and the graph is
    never freed object by object at exit (:func:`cascade.runtime.keep_until_exit`).
    """
    from cascade.corpus.build import load
    from cascade.runtime import keep_until_exit, paused_gc

    with paused_gc():
        G = load(out, documents_only=documents_only, cascade_only=cascade_only).graph
    keep_until_exit(G)
    return G


def _answer(value: Any, rows: Sequence[dict[str, Any]], fmt: Fmt, columns: Sequence[str],
            render: Any) -> None:
    """JSON prints the whole answer; jsonl and csv its rows; a table calls ``render()``."""
    f = _fmt(fmt)
    if f is Fmt.json:
        typer.echo(json.dumps(value, ensure_ascii=False, indent=1))
    elif f is Fmt.table:
        render()
    else:
        emit(rows, f, columns)


def _console() -> Any:
    """A rich console on stdout; one that writes to a file or a pipe does not fold tables at 80 columns."""
    from rich.console import Console

    return Console(highlight=False, width=None if sys.stdout.isatty() else 200)


def _doc_text(r: dict[str, Any]) -> str:
    """One document on one line of a rich table or tree: label, date, place, branch."""
    from cascade.cli.terminal import markup as escape

    bits = [f"[bold]{escape(str(r.get('label') or r['id']))}[/bold]"]
    if r.get("label") != r["id"] and not str(r["id"]).startswith("file:"):
        bits.append(f"[dim]{escape(r['id'])}[/dim]")
    bits += [escape(str(r[k])) for k in ("date", "jurisdiction", "branch") if r.get(k)]
    if not r.get("in_corpus", True):
        bits.append("[yellow](cited only)[/yellow]")
    return "  ".join(bits)
