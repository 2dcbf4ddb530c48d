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
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from cascade import __version__
from cascade.errors import CascadeError

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

OcrOpt = Annotated[bool, typer.Option("--ocr/--no-ocr", help="Read scans (PDF pages without text, images) "
                                      "with Tesseract when it is installed.")]
MaxSizeOpt = Annotated[float, typer.Option("--max-file-size", help="Skip files larger than this many MB.")]
LinksOpt = Annotated[bool, typer.Option("--follow-links",
                                        help="Follow symbolic links out of the folders given.")]


def _read_options(ocr: bool, max_file_size: float, follow_links: bool) -> Any:
    from cascade.read import ReadOptions

    return ReadOptions(ocr=ocr, max_bytes=int(max_file_size * 2**20), follow_links=follow_links)


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt .docx .pdf .doc .html...).")],
    fmt: Annotated[Fmt, typer.Option("--format", "-f", help="jsonl (one record per line), json, or table.")] = Fmt.jsonl,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes (0 = choose).")] = 0,
    ocr: OcrOpt = True,
    max_file_size: MaxSizeOpt = 64,
    follow_links: LinksOpt = False,
) -> None:
    """Extract one record per document: metadata, mentions, relations, tasks.

    The records follow shared/INTERFACES.md. Bad files are reported on stderr, one line
    each, and skipped; the exit code is non-zero only when nothing could be read.

    Example: [bold]cascade extract data/seeds/ --format jsonl > records.jsonl[/bold]
    """
    import orjson

    from cascade.corpus.build import extract_paths
    from cascade.identity.documents import place_ambiguous

    records, errors, _ = extract_paths(paths, workers=workers, progress=True,
                                       options=_read_options(ocr, max_file_size, follow_links))
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
        text = b"".join(orjson.dumps(d) + b"\n" for d in dicts).decode()
    if output is not None:
        from cascade.outputs.export import write_text

        write_text(output, text)
    else:
        sys.stdout.write(text)
    if errors:
        _err(f"{len(records)} documents read, {len(errors)} skipped")


@app.command()
def build(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt .docx .pdf .doc .html...).")],
    out: OutOpt = None,
    workers: Annotated[int, typer.Option(help="Worker processes (0 = choose).")] = 0,
    cache: Annotated[bool, typer.Option(help="Reuse records of unchanged files.")] = True,
    base: Annotated[str | None, typer.Option(help="Base IRI of the Turtle export.")] = None,
    turtle: Annotated[bool, typer.Option(help="Write cascade.ttl.")] = True,
    html: Annotated[bool, typer.Option(help="Write map.html, the interactive map of the whole corpus.")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary.")] = False,
    scheduler: Annotated[str | None, typer.Option(
        envvar="CASCADE_SCHEDULER", help="Extract on this Dask scheduler (tcp://host:8786); needs "
                                         "cascade[dask] and storage every worker sees.")] = None,
    ocr: OcrOpt = True,
    max_file_size: MaxSizeOpt = 64,
    follow_links: LinksOpt = False,
) -> None:
    """Build the corpus graph: extract, resolve one node per document, write the outputs.

    Writes records.jsonl, graph.json (node-link), cascade.db (SQLite), cascade.ttl, map.html
    and build.json into the build folder, then prints a summary. Unchanged files are not re-read.

    Example: [bold]cascade build data/ --out cascade-out[/bold]
    """
    from cascade.corpus.build import build as run
    from cascade.runtime import keep_until_exit

    b = run(paths, out, workers=workers, use_cache=cache, progress=not quiet, turtle=turtle, html=html, base=base,
            scheduler=scheduler, options=_read_options(ocr, max_file_size, follow_links))
    for e in b.errors:
        _err(str(e))
    if not quiet:
        _summary(b)
    keep_until_exit(b)                    # the process ends without freeing the build object by object


def _extras(turtle: bool, html: bool, base: str | None) -> list[Any]:
    """The writers ``cascade build`` runs after its own files (Turtle, map): the library's."""
    from cascade.corpus.build import extra_writers

    return extra_writers(turtle, html, base)


def _summary(b: Any) -> None:
    from rich.console import Console

    from cascade.graph import DOC_RELATIONS, KIND, RELATION

    G, s = b.graph, b.stats
    kinds: dict[str, int] = {}
    for _, k in G.nodes(data=KIND):
        kinds[k] = kinds.get(k, 0) + 1
    rels: dict[str, int] = {}
    for _, _, r in G.edges(data=RELATION):
        rels[r] = rels.get(r, 0) + 1
    docs = [d for _, d in G.nodes(data=True) if d.get(KIND) == "document"]
    c = Console(stderr=False, soft_wrap=True)
    c.print(f"[bold]cascade[/bold] built {s['documents']} documents "
            f"({s.get('cached', 0)} from cache) in {s.get('seconds_total', '?')} s -> {b.out}/")
    c.print(f"  {kinds.get('document', 0)} documents in the graph: {sum(1 for d in docs if d.get('in_corpus'))} "
            f"read, {sum(1 for d in docs if not d.get('in_corpus'))} cited but not in the folder")
    doc_rels = {k: v for k, v in rels.items() if k in DOC_RELATIONS}
    c.print("  links between documents: " + ", ".join(f"{k} {v}" for k, v in sorted(doc_rels.items(),
                                                                                     key=lambda kv: -kv[1])))
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
    from cascade.corpus.build import load, load_records
    from cascade.outputs import export as ex

    f = fmt.lower()
    if f in ("node-link", "nodelink", "json"):
        data = ex.node_link_json(load(out).graph).decode() + "\n"
    elif f in ("records", "jsonl"):
        data = b"".join(ex.record_json(r) + b"\n" for r in load_records(out)).decode()
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
        from cascade.rdf import export_text
    except ImportError:
        raise CascadeError(f"unknown format {fmt!r}: use node-link, records, graphml, gexf or csv") from None
    return export_text(fmt, out)


@app.command()
def stats(out: OutOpt = None, fmt: FmtOpt = Fmt.auto) -> None:
    """Counts of the last build: documents, relations, tasks, conflicts.

    Example: [bold]cascade stats --format json[/bold]
    """
    from cascade.corpus.build import load
    from cascade.graph import KIND, RELATION

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

DocArg = Annotated[str, typer.Argument(
    help="A document: its id (93-KL/TW, 07-KH/TU@Đắk Lắk), its number, a phrase (\"Kết luận 93\") "
         "or a file name.", show_default=False)]
_COLUMNS = {
    "show": ["direction", "relation", "id", "label", "date", "quote", "file", "span"],
    "tree": ["depth", "id", "label", "type", "level", "date", "jurisdiction", "branch", "relation", "parent",
             "in_corpus"],
    "chain": ["path", "step", "id", "label", "type", "level", "date", "jurisdiction", "branch", "relation"],
    "coverage": ["jurisdiction", "province", "district", "has_party", "has_state", "party", "state", "other",
                 "first"],
    "lag": ["transition", "n", "median", "q1", "q3", "min", "max", "undated"],
    "missing": ["id", "type", "date", "level", "jurisdiction", "files", "cited", "implemented_by"],
    "conflicts": ["node", "label", "field", "kept", "value", "sources"],
}


def _query_graph(out: Path | None, documents_only: bool = False, cascade_only: bool = False) -> Any:
    """The graph of the last build (or a part: see :func:`cascade.corpus.build.load`), never
    re-reading text.

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
    from rich.console import Console

    return Console(highlight=False)


def _doc_text(r: dict[str, Any]) -> str:
    """One document on one line of a rich table or tree: label, date, place, branch."""
    from rich.markup import escape

    bits = [f"[bold]{escape(str(r.get('label') or r['id']))}[/bold]"]
    if r.get("label") != r["id"] and not str(r["id"]).startswith("file:"):
        bits.append(f"[dim]{escape(r['id'])}[/dim]")
    bits += [escape(str(r[k])) for k in ("date", "jurisdiction", "branch") if r.get(k)]
    if not r.get("in_corpus", True):
        bits.append("[yellow](cited only)[/yellow]")
    return "  ".join(bits)


@app.command("show")
def show_command(doc: DocArg, out: OutOpt = None, fmt: FmtOpt = Fmt.auto) -> None:
    """One document: its attributes, what it implements and what implements it, with evidence.

    Every link shows the sentence that states it, the file it was read from and the
    character span, so you can check why cascade says a plan implements a directive.
    Disagreeing claims about the document (conflicts) are listed too.

    Example: [bold]cascade show 07-KH/TU@Đắk Lắk[/bold]
    """
    from cascade import query

    G = _query_graph(out)
    value = query.show(G, doc)
    try:
        from cascade.corpus.build import default_out

        value["conflicts"] = [c for c in query.conflicts(out or default_out()) if c["node"] == value["id"]]
    except CascadeError:
        value["conflicts"] = []
    sections = ("implements", "implemented_by", "cites", "cited_by")
    rows = [{"direction": s, **{k: v for k, v in link.items() if k != "asserted_by"},
             "asserted_by": link["asserted_by"]} for s in sections for link in value[s]]

    def render() -> None:
        from rich.markup import escape
        from rich.table import Table

        c = _console()
        attrs = Table(title=escape(value["id"]), show_header=False, title_style="bold")
        attrs.add_column("field", style="dim")
        attrs.add_column("value", overflow="fold")
        for k, v in value["attributes"].items():
            attrs.add_row(k, escape(str(v)))
        attrs.add_row("tasks", str(value["tasks"]))
        c.print(attrs)
        for s in sections:
            if not value[s]:
                continue
            t = Table(title=s.replace("_", " "), header_style="bold", show_lines=True, title_justify="left")
            t.add_column("relation")
            t.add_column("document", overflow="fold")
            t.add_column("evidence", overflow="fold", ratio=3)
            for link in value[s]:
                where = link["file"] or ""
                if link["span"]:
                    where += f":{link['span'][0]}-{link['span'][1]}"
                quote = link["quote"] or ""
                quote = quote if len(quote) <= 300 else quote[:297] + "..."
                evidence = f"“{escape(quote)}”\n[dim]{escape(where)}[/dim]"
                t.add_row(link["relation"], _doc_text(link), evidence)
            c.print(t)
        for cf in value["conflicts"]:
            vals = "; ".join(f"{v['value']} ({', '.join(v['sources'])})" for v in cf["values"])
            c.print(f"[red]conflict[/red] on {cf['field']}: {escape(vals)}")

    _answer(value, rows, fmt, _COLUMNS["show"], render)


@app.command("tree")
def tree_command(doc: DocArg, out: OutOpt = None, fmt: FmtOpt = Fmt.auto) -> None:
    """Everything that implements a document, transitively: the cascade under it.

    Each document appears once, under the deepest document it implements, with its date,
    jurisdiction and branch; documents known only from citations are marked.

    Example: [bold]cascade tree 42-CT/TW[/bold]  (or: cascade tree "Kết luận 93" --format csv)
    """
    from cascade import query

    value = query.tree(_query_graph(out, cascade_only=True), doc)

    def render() -> None:
        from rich.tree import Tree

        nodes = value["nodes"]
        root = Tree(_doc_text(nodes[0]))
        branches = {nodes[0]["id"]: root}
        for r in nodes[1:]:
            parent = branches.get(r["parent"], root)
            rel = "" if r["relation"] == "implements" else f"[dim]{r['relation']}[/dim] "
            branches[r["id"]] = parent.add(rel + _doc_text(r))
        c = _console()
        c.print(root)
        levels = ", ".join(f"{k} {v}" for k, v in value["levels"].items())
        count = f"{value['count']} documents implement {value['root']}" + (f" ({levels})" if levels else "")
        c.print(f"[dim]{count}[/dim]")

    _answer(value, value["nodes"], fmt, _COLUMNS["tree"], render)


@app.command("chain")
def chain_command(doc: DocArg, out: OutOpt = None, fmt: FmtOpt = Fmt.auto) -> None:
    """The path(s) from a document up to the directives it ultimately carries out.

    Follows implements and continues links upwards until documents that implement
    nothing; a plan that cites its province's plan and the directive has two paths.

    Example: [bold]cascade chain data/seeds/004_5f6ac51fd7d22cf5.txt[/bold]
    """
    from cascade import query

    value = query.chain(_query_graph(out, cascade_only=True), doc)
    rows = [{"path": i, "step": j, **step} for i, path in enumerate(value["paths"], 1)
            for j, step in enumerate(path)]

    def render() -> None:
        from rich.tree import Tree

        c = _console()
        for i, path in enumerate(value["paths"], 1):
            t = Tree(f"[dim]path {i}[/dim]  " + _doc_text(path[0]))
            node = t
            for prev, step in zip(path, path[1:], strict=False):
                node = node.add(f"[dim]{prev['relation']}[/dim] " + _doc_text(step))
            c.print(t)
        if value["truncated"]:
            c.print("[yellow]more paths exist; showing the first ones[/yellow]")

    _answer(value, rows, fmt, _COLUMNS["chain"], render)


class Level(str, Enum):  # noqa: UP042 - as Fmt above
    province = "province"
    district = "district"


@app.command("coverage")
def coverage_command(
    doc: DocArg,
    level: Annotated[Level, typer.Option(help="Provinces, or districts (of --province, or of all).")] = (
        Level.province),
    province: Annotated[str | None, typer.Option(help="Only this province (or its districts).")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Count plans dated on or before this ISO date; also picks the map "
                        "(63 provinces before 2025-07-01, 34 after).")] = None,
    out: OutOpt = None,
    fmt: FmtOpt = Fmt.auto,
) -> None:
    """Which provinces or districts have a Party plan and a state plan implementing a document.

    The gazetteer is the denominator, so the jurisdictions that have issued nothing are
    listed too. Plans known only because others cite them count as issued.

    Example: [bold]cascade coverage 93-KL/TW --as-of 2021-06-30[/bold]
    (or: cascade coverage 93-KL/TW --level district --province "Gia Lai")
    """
    from cascade import query

    value = query.coverage(_query_graph(out, cascade_only=True), doc, level=level.value, as_of=as_of,
                           province=province)
    rows = value["rows"]

    def render() -> None:
        from rich.markup import escape
        from rich.table import Table

        unit = "provinces" if value["level"] == "province" else "districts"
        unknown = f", {value['date_unknown']} on a date unknown" if value["date_unknown"] else ""
        title = (f"{value['doc']}: {value['with_party']}/{value['total']} {unit} with a Party plan, "
                 f"{value['with_state']} with a state plan, {len(value['none'])} with none{unknown}"
                 + (f" (as of {value['as_of']})" if value["as_of"] else ""))
        t = Table(title=escape(title), caption=escape("Out of " + value["denominator"]["text"]),
                  header_style="bold")
        for col in ("jurisdiction", "party", "state", "first"):
            t.add_column(col, overflow="fold")
        for r in rows:
            first = r["first"] or ("[yellow]date unknown[/yellow]" if r["date_unknown"] else "")
            t.add_row(escape(r["jurisdiction"]), escape(", ".join(r["party"])) or "[red]—[/red]",
                      escape(", ".join(r["state"])) or "[red]—[/red]", first)
        _console().print(t)

    _answer(value, rows, fmt, _COLUMNS["coverage"], render)


@app.command("lag")
def lag_command(
    doc: DocArg,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="End of observation: jurisdictions that had not acted by then are censored there "
                        "(default: the latest date in the corpus).")] = None,
    out: OutOpt = None,
    fmt: FmtOpt = Fmt.auto,
) -> None:
    """How long each level took: days from parent to child, and the share that had acted.

    Transitions (central->province, province->district, party->state within a level) give
    the median and quartiles of the days between a document and its implementing plan. The
    share of jurisdictions that had acted N days later is a Kaplan-Meier estimate: those
    that never acted count as censored, not dropped.

    Example: [bold]cascade lag 93-KL/TW[/bold]
    """
    from cascade import query

    value = query.lag(_query_graph(out, cascade_only=True), doc, as_of=as_of)
    rows = [{"transition": k, **v} for k, v in value["transitions"].items()]

    def render() -> None:
        from rich.markup import escape
        from rich.table import Table

        c = _console()
        t = Table(title=f"{value['doc']} ({value['date'] or 'undated'}): days from parent to child",
                  header_style="bold")
        for col in ("transition", "n", "median", "q1", "q3", "min", "max", "undated"):
            t.add_column(col, justify="left" if col == "transition" else "right")
        for r in rows:
            t.add_row(*(str(r[k]) if r[k] is not None else "" for k in
                        ("transition", "n", "median", "q1", "q3", "min", "max", "undated")))
        c.print(t)
        if value["curves"]:
            marks = list(value["curves"][0]["share_after"])
            k = Table(title=f"share that had acted (observed until {value['observed_until']})",
                      header_style="bold")
            for col in ("level", "units", "acted", "date unknown", "censored", "median days",
                        *(f"{m} d" for m in marks)):
                k.add_column(col, justify="left" if col == "level" else "right")
            for cv in value["curves"]:
                k.add_row(cv["level"], str(cv["units"]), str(cv["acted"]), str(cv["acted_date_unknown"]),
                          str(cv["censored"]), str(cv["median_days"] if cv["median_days"] is not None else "—"),
                          *(f"{cv['share_after'][m]:.0%}" for m in marks))
            c.print(k)
            for cv in value["curves"]:
                c.print(escape(f"{cv['level']}: out of {cv['denominator']['text']}; shares are of the "
                               f"{cv['timed']} units with dates"), style="dim")

    _answer(value, rows, fmt, _COLUMNS["lag"], render)


@app.command("missing")
def missing_command(
    limit: Annotated[int, typer.Option(help="Show at most this many (0 = all).")] = 0,
    out: OutOpt = None,
    fmt: FmtOpt = Fmt.auto,
) -> None:
    """Documents cited but not in the corpus: what to collect next, most cited first.

    Ranked by how many input files cite each one, then by how many times it is cited.

    Example: [bold]cascade missing --limit 20[/bold]
    """
    from cascade import query

    rows = query.orphans(_query_graph(out, documents_only=True))
    rows = rows[:limit] if limit > 0 else rows
    columns = _COLUMNS["missing"]

    def render() -> None:
        emit(rows, Fmt.table, columns, title=f"{len(rows)} documents cited but not collected")

    _answer(rows, rows, fmt, columns, render)


@app.command("conflicts")
def conflicts_command(out: OutOpt = None, fmt: FmtOpt = Fmt.auto) -> None:
    """Claims the documents disagree on (one dates 52-KL/TW 2012, another 2019), with their sources.

    Example: [bold]cascade conflicts --format json[/bold]
    """
    from cascade import query
    from cascade.corpus.build import default_out, load

    b = load(out)
    value = query.conflicts(b)
    rows = [{"node": c["node"], "label": c["label"], "field": c["field"], "kept": c["kept"],
             "value": v["value"], "sources": v["sources"]} for c in value for v in c["values"]]

    def render() -> None:
        emit(rows, Fmt.table, ["node", "field", "kept", "value", "sources"],
             title=f"{len(value)} conflicts in {out or default_out()}/")

    _answer(value, rows, fmt, _COLUMNS["conflicts"], render)


# == linked data commands (issue 4: validate, sparql, push) ========================================

def _build_turtle(out: Path | None) -> Path:
    """The cascade.ttl of the last build."""
    from cascade.corpus.build import default_out
    from cascade.rdf import TURTLE_FILE

    path = (out if out is not None else default_out()) / TURTLE_FILE
    if not path.exists():
        raise CascadeError(f"no {path} (run cascade build, or give a file)")
    return path


@app.command("validate")
def validate_command(
    file: Annotated[Path | None, typer.Argument(
        help="A .ttl, .nt, .jsonld, .trig or .nq file (default: the last build's cascade.ttl).")] = None,
    out: OutOpt = None,
) -> None:
    """Check linked data against cascade's SHACL shapes (resources/shapes.ttl).

    Prints one line per violation: focus node, property path, message. Exits with 1 when
    the data does not conform. A dataset (TriG, N-Quads) is checked as one merged graph.

    Example: [bold]cascade validate[/bold]  (or: cascade validate corpus.trig)
    """
    from cascade import rdf

    path = file if file is not None else _build_turtle(out)
    result = rdf.validate(path)
    for v in result.violations:
        typer.echo(str(v))
    if not result.conforms:
        raise CascadeError(f"{path}: {len(result.violations)} violations in {result.triples} triples")
    _err(f"{path}: conforms to the shapes ({result.triples} triples)")


def _params(pairs: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in pairs or ():
        name, sep, value = p.partition("=")
        if not sep or not name.strip():
            raise CascadeError(f"--param takes NAME=VALUE, not {p!r}")
        out[name.strip()] = value
    return out


@app.command("sparql")
def sparql_command(
    query: Annotated[str | None, typer.Argument(help="A SPARQL query, or a .rq file.",
                                                show_default=False)] = None,
    named: Annotated[str | None, typer.Option(
        "--named", "-n", help="A shipped query: tree, coverage, orphans, agency-tasks (see --list).")] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="NAME=VALUE for $NAME in the query; repeatable.")] = None,
    data: Annotated[list[Path] | None, typer.Option(
        "--data", help="Query these RDF files instead of the last build; repeatable.")] = None,
    endpoint: Annotated[str | None, typer.Option(help="Query this SPARQL endpoint instead.")] = None,
    graph: Annotated[str | None, typer.Option(help="With --endpoint: the default graph IRI.")] = None,
    user: Annotated[str | None, typer.Option(
        help="With --endpoint: user name; the password is read from $CASCADE_SPARQL_PASSWORD "
             "or asked.")] = None,
    allow_service: Annotated[bool, typer.Option(
        "--allow-service", help="Let the query call other endpoints (SERVICE).")] = False,
    limit: Annotated[int, typer.Option(min=1, help="Return at most this many rows or triples.")] = 500_000,
    timeout: Annotated[float, typer.Option(min=0.1, help="Stop the query after this many seconds.")] = 600.0,
    list_: Annotated[bool, typer.Option("--list", help="List the shipped queries and exit.")] = False,
    out: OutOpt = None,
    fmt: FmtOpt = Fmt.auto,
) -> None:
    """Run a SPARQL query over the last build (all graphs), files, or an endpoint.

    The store holds the merged graph and one named graph per input file with the evidence;
    patterns outside GRAPH see them all. Parameters are written $name in the query; a
    document parameter accepts what [bold]cascade tree[/bold] accepts.

    Example: [bold]cascade sparql --named tree --param doc=93-KL/TW[/bold]
    """
    from cascade import rdf

    queries = rdf.named_queries()
    if list_:
        rows = [{"name": q.name, "description": q.description,
                 "params": ", ".join(k + ("" if req else "?") for k, (req, _) in q.params.items())}
                for q in queries.values()]
        emit(rows, fmt, ["name", "params", "description"])
        return
    if (query is None) == (named is None):
        raise CascadeError("give a query (text or .rq file) or --named NAME, not both")
    declared: dict[str, tuple[bool, str]] = {}
    if named is not None:
        if named not in queries:
            raise CascadeError(f"no named query {named!r}: use {', '.join(queries)}")
        text, declared = queries[named].text, queries[named].params
    elif query is not None and query.endswith(".rq") and Path(query).exists():
        text = Path(query).read_text(encoding="utf-8")
    else:
        text = query or ""
    params = _params(param)
    if "doc" in params and endpoint is None and not data:
        from cascade import query as q
        from cascade.corpus.build import load

        params["doc"] = q.find_one(load(out).graph, params["doc"])
    if endpoint is not None:
        result = rdf.run_remote_query(endpoint, text, params, declared, graph=graph, user=user,
                                      password=rdf.password_for(user), timeout=timeout)
    else:
        store = rdf.load_store(out, data or ())
        result = rdf.run_query(store, text, params, declared, limit=limit, timeout=timeout,
                               allow_service=allow_service)
    if result.truncated:
        _err(f"only the first {limit} answers (--limit)")
    if result.boolean is not None:
        emit({"result": result.boolean}, fmt)
    elif result.graph is not None:
        sys.stdout.write(result.graph)
    else:
        emit(result.rows, fmt, result.variables)


@app.command("push")
def push_command(
    endpoint: Annotated[str, typer.Option(
        help="SPARQL 1.1 Graph Store endpoint, e.g. http://localhost:8890/sparql-graph-crud-auth",
        show_default=False)],
    graph: Annotated[str | None, typer.Option(
        help="Graph IRI to replace (default: the dataset IRI).")] = None,
    user: Annotated[str | None, typer.Option(
        help="User name (HTTP digest or basic authentication); the password is read from "
             "$CASCADE_SPARQL_PASSWORD or asked.")] = None,
    timeout: Annotated[float, typer.Option(min=1, help="Give up after this many seconds.")] = 600.0,
    dataset: Annotated[bool, typer.Option(
        "--dataset", help="Also push each input file's named graph, with the evidence.")] = False,
    out: OutOpt = None,
) -> None:
    """Load the last build into a triple store through the SPARQL Graph Store Protocol.

    The graph is replaced (HTTP PUT of N-Triples, in pieces for large corpora). With
    --dataset each input file's graph goes to its own graph IRI as well.

    Example: [bold]CASCADE_SPARQL_PASSWORD=dba cascade push --endpoint
    http://localhost:8890/sparql-graph-crud-auth --user dba[/bold]
    """
    from cascade import rdf
    from cascade.corpus.build import default_out

    report = rdf.push(endpoint, out if out is not None else default_out(), graph=graph, dataset=dataset,
                      user=user, password=rdf.password_for(user), timeout=timeout)
    total = sum(report.graphs.values())
    _err(f"pushed {total} triples in {len(report.graphs)} graph(s) to {rdf.redact(endpoint)} "
         f"({report.requests} requests, {report.bytes // 1024} KiB)")


# == task commands (issue 5: tasks, agencies, calendar) ============================================

# -o names the calendar file, so the build folder is --out only
_TaskBuild = Annotated[Path | None, typer.Option("--out", help="Build folder (default ./cascade-out or "
                                                             "$CASCADE_OUT).")]
_AgencyOpt = Annotated[str | None, typer.Option(
    "--agency", "-a",
    help="An agency, in any spelling: \"Sở KH&CN\", \"sở khoa học và công nghệ\", \"UBND huyện\".")]
_ProvinceOpt = Annotated[str | None, typer.Option("--province", "-p", help="Only plans of this province.")]
_MergersOpt = Annotated[bool, typer.Option(
    "--follow-mergers", help="Also the tasks a merged body's predecessors had before the 2025 merger. "
                             "Without it, mergers are followed only for plans dated after them; every "
                             "task found through another body is labelled.")]
_TASK_COLUMNS = ["plan", "label", "text", "lead", "cooperating", "deadline", "due", "recurrence", "role",
                 "matched_as", "matched_name", "file", "span"]


class Role(str, Enum):  # noqa: UP042 - as Fmt above
    lead = "lead"
    cooperating = "cooperating"
    focal = "focal"
    requested = "requested"


class Ongoing(str, Enum):  # noqa: UP042 - as Fmt above
    note = "note"
    skip = "skip"


def _task_flat(r: dict[str, Any]) -> dict[str, Any]:
    """A task row of :func:`cascade.query.tasks` on one line, for tables and CSV."""
    hit = r.get("agency") or {}
    span = r["evidence"]["span"]
    return {"plan": r["plan_label"], "plan_id": r["plan"], "plan_date": r["plan_date"], "label": r["label"],
            "text": r["text"], "lead": r["lead"], "cooperating": r["cooperating"],
            "deadline": r["deadline"]["text"], "due": r["due"], "recurrence": r["deadline"]["recurrence"],
            "overdue_days": r.get("overdue_days"), "role": hit.get("role"), "matched_as": hit.get("as"),
            "matched_name": hit.get("name"),
            "file": r["evidence"]["file"], "span": f"{span[0]}-{span[1]}" if span else None}


def _rows_out(value: list[dict[str, Any]], flat: list[dict[str, Any]], fmt: Fmt, columns: Sequence[str],
              render: Any) -> None:
    """json: the whole answer; jsonl: one answer row per line; csv: the flat rows; table: ``render()``."""
    f = _fmt(fmt)
    if f is Fmt.table:
        render()
    elif f is Fmt.csv:
        emit(flat, f, columns)
    else:
        emit(value, f)


@app.command("tasks")
def tasks_command(
    agency: _AgencyOpt = None,
    province: _ProvinceOpt = None,
    doc: Annotated[str | None, typer.Option("--doc", "-d", help="Only the tasks of this plan (id, number, "
                                            "phrase or file name).")] = None,
    due_before: Annotated[str | None, typer.Option("--due-before", help="Only tasks due before this ISO date "
                                                   "(2022 means before 2022-01-01).")] = None,
    overdue_as_of: Annotated[str | None, typer.Option(
        "--overdue-as-of",
        help="Only tasks whose day had passed on this ISO date, with the days since.")] = None,
    follow_mergers: _MergersOpt = False,
    out: OutOpt = None,
    fmt: FmtOpt = Fmt.auto,
) -> None:
    """Tasks of the plans: who leads, who cooperates, by when, with the evidence.

    A task's [bold]due[/bold] day is the day it states or the last day of its period (Quý
    III/2021: 2021-09-30); recurring duties and "thường xuyên" have none and are left out by
    --due-before and --overdue-as-of. Overdue means the day had passed: the documents do not
    say what was done.

    Example: [bold]cascade tasks --agency "Sở KH&CN" --province "Đắk Lắk"[/bold]
    (or: cascade tasks --doc 07-KH/TU@Đắk Lắk --format csv > tasks.csv)
    """
    from cascade import query

    value = query.tasks(_query_graph(out), agency=agency, province=province, due_before=due_before,
                        overdue_as_of=overdue_as_of, doc=doc, follow_mergers=follow_mergers)
    flat = [_task_flat(r) for r in value]

    def render() -> None:
        from rich.markup import escape
        from rich.table import Table

        t = Table(title=f"{len(flat)} tasks" + (f" naming {agency}" if agency else ""), header_style="bold",
                  show_lines=True)
        for col in ("plan", "task", "lead", "cooperating", "deadline", "due"):
            t.add_column(col, overflow="fold", ratio=3 if col == "task" else None)
        for r in flat:
            task = f"[bold]{escape(str(r['label']))}[/bold] {escape(str(r['text'] or ''))[:160]}"
            if r["matched_as"] and r["matched_as"] != "named":
                task += f" [yellow](through its {r['matched_as']} {escape(str(r['matched_name']))})[/yellow]"
            due = r["due"] or r["recurrence"] or ""
            if r["overdue_days"] is not None:
                due += f" [red]+{r['overdue_days']} d[/red]"
            t.add_row(escape(str(r["plan"])), task, escape("; ".join(r["lead"])),
                      escape("; ".join(r["cooperating"])), escape(r["deadline"] or ""), due)
        _console().print(t)

    _rows_out(value, flat, fmt, _TASK_COLUMNS, render)


@app.command("agencies")
def agencies_command(
    province: _ProvinceOpt = None,
    role: Annotated[Role | None, typer.Option(help="Only agencies with tasks in this role, ranked by "
                                              "them.")] = None,
    agency: _AgencyOpt = None,
    follow_mergers: _MergersOpt = False,
    limit: Annotated[int, typer.Option(help="Show at most this many (0 = all).")] = 0,
    out: OutOpt = None,
    fmt: FmtOpt = Fmt.auto,
) -> None:
    """Workload per agency: tasks it leads and cooperates on, and in how many plans.

    An agency is one body in one jurisdiction (Sở Nội vụ of Đắk Lắk). Collectives ("các sở,
    ban, ngành") are listed as they are written. A body merged in 2025 shows its successor;
    a merged body shows its predecessors.

    Example: [bold]cascade agencies --province "Đắk Lắk" --role lead[/bold]
    """
    from cascade import query

    value = query.agencies(_query_graph(out), province=province, role=role.value if role else None,
                           agency=agency, follow_mergers=follow_mergers)
    value = value[:limit] if limit > 0 else value
    columns = ["agency", "province", "district", "lead", "cooperating", "focal", "requested", "tasks",
               "plans",
               "successor", "successor_since", "predecessors", "group", "id"]

    def render() -> None:
        from rich.markup import escape
        from rich.table import Table

        title = f"{len(value)} agencies" + (f" in {province}" if province else "")
        t = Table(title=title, header_style="bold")
        for col in ("agency", "jurisdiction", "lead", "cooperating", "plans", "2025 reform"):
            t.add_column(col, overflow="fold", justify="right" if col in ("lead", "cooperating", "plans")
                         else "left")
        for r in value:
            place = "/".join(x for x in (r["province"], r["district"]) if x)
            reform_note = (f"→ {r['successor']} ({r['successor_since']})" if r["successor"]
                           else ("← " + "; ".join(r["predecessors"]) if r["predecessors"] else ""))
            name = escape(r["agency"]) + (" [dim](group)[/dim]" if r["group"] else "")
            t.add_row(name, escape(place), str(r["lead"]), str(r["cooperating"]), str(r["plans"]),
                      escape(reform_note))
        _console().print(t)

    _rows_out(value, value, fmt, columns, render)


@app.command("calendar")
def calendar_command(
    agency: Annotated[str, typer.Option("--agency", "-a", help="The agency, in any spelling (\"Sở KH&CN\").",
                                        show_default=False)],
    province: _ProvinceOpt = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The .ics file to write (\"-\": "
                                         "stdout).")] = Path("deadlines.ics"),
    cooperating: Annotated[bool, typer.Option("--cooperating", help="Also the tasks it cooperates "
                                              "on.")] = False,
    ongoing: Annotated[Ongoing, typer.Option(help="Ongoing tasks (\"thường xuyên\"): listed as notes, or "
                                             "skipped.")] = Ongoing.note,
    follow_mergers: _MergersOpt = False,
    out: _TaskBuild = None,
    fmt: FmtOpt = Fmt.auto,
) -> None:
    """Write an agency's deadlines and recurring reporting duties as an iCalendar (.ics) file.

    A stated day is an all-day event; a quarter or a month spans its days, a longer period
    falls on its last day; "hằng năm", "6 tháng", "hằng quý", "hằng tháng" duties repeat
    (RRULE). Each entry carries the task, its plan and the evidence file; UIDs stay the
    same from one build to the next. Prints the entries written.

    Example: [bold]cascade calendar --agency "Sở Nội vụ" --province "Đắk Lắk" -o deadlines.ics[/bold]
    """
    from cascade.outputs.calendar import write_calendar

    entries = write_calendar(_query_graph(out), output, agency, province=province,
                             roles=("lead", "cooperating") if cooperating else ("lead",),
                             ongoing=ongoing.value, follow_mergers=follow_mergers)
    events = sum(e["type"] == "event" for e in entries)
    if str(output) != "-":
        columns = ["type", "kind", "start", "end", "rrule", "summary", "deadline", "plan", "file", "uid"]
        f = _fmt(fmt)
        if f is Fmt.table:
            emit(entries, Fmt.table, ["type", "start", "rrule", "summary"],
                 title=f"{agency}: {events} events, {len(entries) - events} notes")
        else:
            emit(entries, f, columns)
    _err(f"wrote {output} ({events} events, {len(entries) - events} notes)")

# == visual commands (issue 6: map, report, plot) ==================================================

# -o names the file written here, so the build folder is --out only
_VizBuild = Annotated[Path | None, typer.Option("--out", help="Build folder (default ./cascade-out or "
                                                            "$CASCADE_OUT).")]


class PlotKind(StrEnum):
    timeline = "timeline"
    coverage = "coverage"
    lag = "lag"


@app.command("map")
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
    out: _VizBuild = None,
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


@app.command("plot")
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
    out: _VizBuild = None,
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


@app.command("report")
def report_command(
    doc: DocArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to "
                                         "write.")] = Path("report.html"),
    as_of: Annotated[str | None, typer.Option("--as-of", help="Count plans dated up to this day.")] = None,
    tasks: Annotated[bool, typer.Option("--tasks", help="Show tasks and agencies on the map.")] = False,
    out: _VizBuild = None,
) -> None:
    """Write one offline HTML report: summary, tree, coverage, lag, figures and the map.

    Example: [bold]cascade report 93-KL/TW -o report.html[/bold]
    """
    from cascade.outputs.report import write_report

    write_report(_query_graph(out), output, doc, as_of=as_of, tasks=tasks)
    _err(f"wrote {output}")


from cascade.cli import analysis as _analysis  # noqa: E402,F401  (registers lateness, panel, survival, geomap...)


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
    except Exception as e:  # usage errors of the click that typer runs on
        if hasattr(e, "show") and hasattr(e, "exit_code"):
            e.show()
            sys.exit(e.exit_code)
        if type(e).__name__ == "Abort":
            sys.exit(1)
        raise


if __name__ == "__main__":
    main()
