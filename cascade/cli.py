"""The ``cascade`` command line: thin commands over the library.

Data goes to stdout, messages to stderr. ``--format`` chooses the output: a rich table in a
terminal, clean JSON when piped (``auto``), or ``table``, ``json``, ``jsonl``, ``csv``.
Errors are one line on stderr and a non-zero exit.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from . import __version__
from .errors import CascadeError

app = typer.Typer(
    name="cascade", no_args_is_help=True, rich_markup_mode="rich", add_completion=False,
    help="Turn Vietnamese directive and plan documents into a knowledge graph of implementation cascades.\n\n"
         "Start with [bold]cascade build data/[/bold]; then ask: [bold]cascade tree 42-CT/TW[/bold].",
    epilog="Docs: README.md. The last build lives in ./cascade-out (or $CASCADE_OUT, or --out).")


class Fmt(str, Enum):
    auto = "auto"
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Build folder (default ./cascade-out or $CASCADE_OUT).")]
FmtOpt = Annotated[Fmt, typer.Option("--format", "-f", help="auto: a table in a terminal, JSON when piped.")]


def _err(message: str) -> None:
    typer.echo(f"cascade: {message}", err=True)


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
        rows = [{"field": k, "value": v if not isinstance(v, (list, dict)) else json.dumps(v, ensure_ascii=False)}
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
            w.writerow({c: _cell(r.get(c)) for c in cols})
        typer.echo(buf.getvalue(), nl=False)
    else:
        from rich.console import Console
        from rich.table import Table

        t = Table(title=title, show_lines=False, header_style="bold")
        for c in cols:
            t.add_column(c, overflow="fold")
        for r in rows:
            t.add_row(*(_cell(r.get(c)) for c in cols))
        Console().print(t)


def _cell(v: Any) -> str:
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


# -- extraction and build --------------------------------------------------------------------------

@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt, .md, .docx, .pdf).")],
    fmt: Annotated[Fmt, typer.Option("--format", "-f", help="jsonl (one record per line), json, or table.")] = Fmt.jsonl,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes (0 = choose).")] = 0,
) -> None:
    """Extract one record per document: metadata, mentions, relations, tasks.

    The records follow shared/INTERFACES.md. Bad files are reported on stderr, one line
    each, and skipped; the exit code is non-zero only when nothing could be read.

    Example: [bold]cascade extract data/seeds/ --format jsonl > records.jsonl[/bold]
    """
    from .corpus import extract_paths
    from .resolve import place_ambiguous

    records, errors, _ = extract_paths(paths, workers=workers, progress=True)
    for e in errors:
        _err(str(e))
    if not records:
        raise CascadeError("nothing could be read" + (f" ({len(errors)} bad files)" if errors else ""))
    records = place_ambiguous(records)
    dicts = [r.to_dict() for r in records]
    if fmt is Fmt.table or (fmt is Fmt.auto and sys.stdout.isatty() and output is None):
        emit([{"source": d["source"], "type": d["document"]["type"], "number": d["document"]["number"],
               "date": d["document"]["date"], "issuer": d["document"]["issuer"],
               "mentions": len(d["mentions"]), "tasks": len(d["tasks"])} for d in dicts], Fmt.table)
        return
    if fmt is Fmt.json:
        text = json.dumps(dicts, ensure_ascii=False, indent=1) + "\n"
    else:
        text = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in dicts)
    if output is not None:
        from .export import write_text

        write_text(output, text)
    else:
        sys.stdout.write(text)
    if errors:
        _err(f"{len(records)} documents read, {len(errors)} skipped")


@app.command()
def build(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt, .md, .docx, .pdf).")],
    out: OutOpt = None,
    workers: Annotated[int, typer.Option(help="Worker processes (0 = choose).")] = 0,
    cache: Annotated[bool, typer.Option(help="Reuse records of unchanged files.")] = True,
    base: Annotated[str | None, typer.Option(help="Base IRI of the Turtle export.")] = None,
    turtle: Annotated[bool, typer.Option(help="Write cascade.ttl.")] = True,
    html: Annotated[bool, typer.Option(help="Write map.html, the interactive map of the whole corpus.")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary.")] = False,
) -> None:
    """Build the corpus graph: extract, resolve one node per document, write the outputs.

    Writes records.jsonl, graph.json (node-link), cascade.ttl, map.html and build.json into
    the build folder, then prints a summary. Unchanged files are not re-read.

    Example: [bold]cascade build data/ --out cascade-out[/bold]
    """
    from .corpus import build as run

    b = run(paths, out, workers=workers, use_cache=cache, progress=not quiet, extras=_extras(turtle, html, base))
    for e in b.errors:
        _err(str(e))
    if not quiet:
        _summary(b)


def _extras(turtle: bool, html: bool, base: str | None) -> list[Any]:
    """Writers that later stages add to a build (Turtle, map)."""
    extras: list[Any] = []
    if turtle:
        try:
            from .rdf import build_extra as ttl_extra
        except ImportError:
            ttl_extra = None
        if ttl_extra is not None:
            extras.append(lambda b: ttl_extra(b, base=base))
    if html:
        try:
            from .viz import build_extra as map_extra
        except ImportError:
            map_extra = None
        if map_extra is not None:
            extras.append(map_extra)
    return extras


def _summary(b: Any) -> None:
    from rich.console import Console

    from .graph import KIND, RELATION

    G, s = b.graph, b.stats
    kinds: dict[str, int] = {}
    for _, k in G.nodes(data=KIND):
        kinds[k] = kinds.get(k, 0) + 1
    rels: dict[str, int] = {}
    for _, _, r in G.edges(data=RELATION):
        rels[r] = rels.get(r, 0) + 1
    docs = [d for _, d in G.nodes(data=True) if d.get(KIND) == "document"]
    c = Console(stderr=False)
    c.print(f"[bold]cascade[/bold] built {s['documents']} documents "
            f"({s.get('cached', 0)} from cache) in {s.get('seconds_total', '?')} s -> {b.out}/")
    c.print(f"  {kinds.get('document', 0)} documents in the graph: {sum(1 for d in docs if d.get('in_corpus'))} "
            f"read, {sum(1 for d in docs if not d.get('in_corpus'))} cited but not in the folder")
    c.print("  relations: " + ", ".join(f"{k} {v}" for k, v in sorted(rels.items(), key=lambda kv: -kv[1])))
    c.print(f"  tasks {kinds.get('task', 0)}, agencies {kinds.get('agency', 0)}, "
            f"conflicts {s.get('conflicts', 0)}, bad files {len(b.errors)}")
    c.print("  wrote: " + ", ".join(p.name for p in b.written))


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="node-link, records, graphml, gexf, csv "
                                     "(and ttl, nt, jsonld, trig, nq once linked data is built).")] = "node-link",
    output: Annotated[Path | None, typer.Option("--output", help="Write here (a folder for csv) instead of stdout.")] = None,
    out: OutOpt = None,
) -> None:
    """Export the graph of the last build in another format.

    Example: [bold]cascade export --format node-link > graph.json[/bold]
    """
    from . import export as ex
    from .corpus import load, load_records

    f = fmt.lower()
    if f in ("node-link", "nodelink", "json"):
        data = json.dumps(ex.node_link(load(out).graph), ensure_ascii=False) + "\n"
    elif f in ("records", "jsonl"):
        data = "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in load_records(out))
    elif f in ("graphml", "gexf"):
        if output is None:
            raise CascadeError(f"--format {f} needs --output FILE")
        (ex.write_graphml if f == "graphml" else ex.write_gexf)(output, load(out).graph)
        _err(f"wrote {output}")
        return
    elif f == "csv":
        if output is None:
            raise CascadeError("--format csv needs --output FOLDER (it writes nodes.csv and edges.csv)")
        for p in ex.write_csv(output, load(out).graph):
            _err(f"wrote {p}")
        return
    else:
        data = _export_linked_data(f, out)
    if output is not None:
        ex.write_text(output, data)
        _err(f"wrote {output}")
    else:
        sys.stdout.write(data)


def _export_linked_data(fmt: str, out: Path | None) -> str:
    try:
        from .rdf import export_text
    except ImportError:
        raise CascadeError(f"unknown format {fmt!r}: use node-link, records, graphml, gexf or csv") from None
    return export_text(fmt, out)


@app.command()
def stats(out: OutOpt = None, fmt: FmtOpt = Fmt.auto) -> None:
    """Counts of the last build: documents, relations, tasks, conflicts.

    Example: [bold]cascade stats --format json[/bold]
    """
    from .corpus import load
    from .graph import KIND, RELATION

    b = load(out)
    G = b.graph
    row: dict[str, Any] = {"built": G.graph.get("built"), "documents_read": b.stats.get("documents")}
    for _, k in G.nodes(data=KIND):
        row[f"nodes_{k}"] = row.get(f"nodes_{k}", 0) + 1
    for _, _, r in G.edges(data=RELATION):
        row[f"edges_{r}"] = row.get(f"edges_{r}", 0) + 1
    row["conflicts"] = b.stats.get("conflicts")
    emit(row, fmt)


# == query commands (issue 3: tree, chain, coverage, lag, missing, conflicts, show) ==================

# == linked data commands (issue 4: validate, sparql, push) ========================================

# == task commands (issue 5: tasks, agencies, calendar) ============================================

# == visual commands (issue 6: map, report, plot) ==================================================


def main() -> None:
    """Entry point: runs the app and turns errors into one line and an exit code."""
    try:
        app(standalone_mode=False)
    except CascadeError as e:
        _err(f"error: {e}")
        sys.exit(1)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except SystemExit:
        raise
    except Exception as e:  # click exceptions: usage errors
        import click

        if isinstance(e, click.exceptions.ClickException):
            e.show()
            sys.exit(e.exit_code)
        if isinstance(e, click.exceptions.Abort):
            sys.exit(1)
        raise


if __name__ == "__main__":
    main()
