"""Commands that answer questions about a build: show, tree, chain, coverage, lag, missing, conflicts."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from cascade.errors import CascadeError
from cascade.vocab import IMPLEMENTS

from .common import (
    DocArg,
    Fmt,
    FmtOpt,
    Level,
    OutOpt,
    OutputOpt,
    _answer,
    _capture,
    _console,
    _doc_text,
    _query_graph,
    app,
    emit,
)

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



def _cascade_of(out: Path | None, doc: str, *, upwards: bool = False,
                latest: bool = False) -> tuple[Any, str]:
    """The graph a question about one document reads (tree, chain, coverage, lag), and the document.

    When the build's database knows ``doc`` by its id, in any spelling, only that
    document's cascade is read (:func:`cascade.corpus.store.read_cascade`: the answer starts
    in a fraction of a second whatever the size of the build); otherwise the whole graph and
    ``doc`` as given, for the query's own lookup (numbers of several provinces, phrases,
    file names) and its suggestions.
    """
    from cascade.corpus import store
    from cascade.query.lookup import find_by_id

    with store.open_build(Path(out) if out is not None else store.default_out()) as (con, _):
        root = find_by_id(doc, lambda n: store.has_document(con, n),
                          lambda digits: store.documents_with_digits(con, digits))
        if root is not None:
            return store.read_cascade(con, root, upwards=upwards, latest=latest), root
    return _query_graph(out, cascade_only=True), doc


@app.command("show", rich_help_panel="Ask the graph")
def show_command(doc: DocArg, out: OutOpt = None, output: OutputOpt = None, fmt: FmtOpt = Fmt.auto) -> None:
    """One document: its attributes, what it implements and what implements it, with evidence.

    Every link shows the sentence that states it, the file it was read from and the
    character span, so you can check why cascade says a plan implements a directive.
    Disagreeing claims about the document (conflicts) are listed too.

    Example: [bold]cascade show "07-KH/TU@Đắk Lắk"[/bold]
    """
    _capture(output)
    from cascade import query
    from cascade.corpus import store

    folder = Path(out) if out is not None else store.default_out()
    value = _show(folder, doc)
    try:
        value["conflicts"] = [c for c in query.conflicts(folder) if c["node"] == value["id"]]
    except CascadeError:
        value["conflicts"] = []
    sections = ("implements", "implemented_by", "cites", "cited_by")
    rows = [{"direction": s, **{k: v for k, v in link.items() if k != "asserted_by"},
             "asserted_by": link["asserted_by"]} for s in sections for link in value[s]]

    def render() -> None:
        from rich.table import Table

        from cascade.cli.terminal import markup as escape

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
                said = link.get("statements") or [link]       # every statement, or the one the graph keeps
                evidence = "\n".join(_evidence_text(x, escape) for x in said)
                t.add_row(link["relation"], _doc_text(link), evidence)
            c.print(t)
        for cf in value["conflicts"]:
            vals = "; ".join(f"{v['value']} ({', '.join(v['sources'])})" for v in cf["values"])
            c.print(f"[red]conflict[/red] on {cf['field']}: {escape(vals)}")

    _answer(value, rows, fmt, _COLUMNS["show"], render)


def _show(folder: Path, doc: str) -> dict[str, Any]:
    """:func:`cascade.query.show` of ``doc``: when the build's database knows it by its id, from its
    links and their statements alone (:func:`cascade.corpus.store.read_document`), otherwise from
    the whole graph and every statement (a phrase, a number several provinces share)."""
    from cascade import query
    from cascade.corpus import store
    from cascade.graph import read_statements
    from cascade.query.lookup import find_by_id

    with store.open_build(folder) as (con, _):
        root = find_by_id(doc, lambda n: store.has_document(con, n),
                          lambda digits: store.documents_with_digits(con, digits))
        if root is not None:
            return query.show(store.read_document(con, root), root, store.read_statements_of(con, root))
    return query.show(_query_graph(folder), doc, read_statements(folder))


def _evidence_text(statement: dict[str, Any], escape: Any) -> str:
    """One statement of a link for a table cell: the quoted sentence, then file:start-end."""
    where = statement["file"] or ""
    if statement["span"]:
        where += f":{statement['span'][0]}-{statement['span'][1]}"
    quote = statement["quote"] or ""
    quote = quote if len(quote) <= 300 else quote[:297] + "..."
    return f"“{escape(quote)}”\n[dim]{escape(where)}[/dim]"


@app.command("tree", rich_help_panel="Ask the graph")
def tree_command(doc: DocArg, out: OutOpt = None, output: OutputOpt = None, fmt: FmtOpt = Fmt.auto) -> None:
    """Everything that implements a document, transitively: the cascade under it.

    Each document appears once, under the deepest document it implements, with its date,
    jurisdiction and branch; documents known only from citations are marked.

    Example: [bold]cascade tree 42-CT/TW[/bold]  (or: cascade tree "Kết luận 93" --format csv)
    """
    _capture(output)
    from cascade import query

    value = query.tree(*_cascade_of(out, doc))

    def render() -> None:
        from rich.tree import Tree

        nodes = value["nodes"]
        root = Tree(_doc_text(nodes[0]))
        branches = {nodes[0]["id"]: root}
        for r in nodes[1:]:
            parent = branches.get(r["parent"], root)
            rel = "" if r["relation"] == IMPLEMENTS else f"[dim]{r['relation']}[/dim] "
            branches[r["id"]] = parent.add(rel + _doc_text(r))
        c = _console()
        c.print(root)
        levels = ", ".join(f"{k} {v}" for k, v in value["levels"].items())
        n = value["count"]
        count = f"{n} {'document implements' if n == 1 else 'documents implement'} {value['root']}"
        count += f" ({levels})" if levels else ""
        c.print(f"[dim]{count}[/dim]")

    _answer(value, value["nodes"], fmt, _COLUMNS["tree"], render)


@app.command("chain", rich_help_panel="Ask the graph")
def chain_command(doc: DocArg, out: OutOpt = None, output: OutputOpt = None, fmt: FmtOpt = Fmt.auto) -> None:
    """The path(s) from a document up to the directives it ultimately carries out.

    Follows implements and continues links upwards until documents that implement
    nothing; a plan that cites its province's plan and the directive has two paths.

    Example: [bold]cascade chain data/seeds/004_5f6ac51fd7d22cf5.txt[/bold]
    """
    _capture(output)
    from cascade import query

    value = query.chain(*_cascade_of(out, doc, upwards=True))
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




@app.command("coverage", rich_help_panel="Ask the graph")
def coverage_command(
    doc: DocArg,
    level: Annotated[Level, typer.Option(help="Provinces, or districts (of --province, or of all).")] = (
        Level.province),
    province: Annotated[str | None, typer.Option(help="Only this province (or its districts).")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Count plans dated on or before this ISO date; also picks the map "
                        "(63 provinces before 2025-07-01, 34 after).")] = None,
    out: OutOpt = None, output: OutputOpt = None,
    fmt: FmtOpt = Fmt.auto,
) -> None:
    """Which provinces or districts have a Party plan and a state plan implementing a document.

    The gazetteer is the denominator, so the jurisdictions that have issued nothing are
    listed too. Plans known only because others cite them count as issued.

    Example: [bold]cascade coverage 93-KL/TW --as-of 2021-06-30[/bold]
    (or: cascade coverage 93-KL/TW --level district --province "Gia Lai")
    """
    _capture(output)
    from cascade import query

    value = query.coverage(*_cascade_of(out, doc), level=level.value, as_of=as_of, province=province)
    rows = value["rows"]

    def render() -> None:
        from rich.table import Table

        from cascade.cli.terminal import markup as escape

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


@app.command("lag", rich_help_panel="Ask the graph")
def lag_command(
    doc: DocArg,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="End of observation: jurisdictions that had not acted by then are censored there "
                        "(default: the latest date in the corpus).")] = None,
    out: OutOpt = None, output: OutputOpt = None,
    fmt: FmtOpt = Fmt.auto,
) -> None:
    """How long each level took: days from parent to child, and the share that had acted.

    Transitions (central->province, province->district, party->state within a level) give
    the median and quartiles of the days between a document and its implementing plan. The
    share of jurisdictions that had acted N days later is a Kaplan-Meier estimate: those
    that never acted count as censored, not dropped.

    Example: [bold]cascade lag 93-KL/TW[/bold]
    """
    _capture(output)
    from cascade import query

    value = query.lag(*_cascade_of(out, doc, latest=not as_of), as_of=as_of)
    rows = [{"transition": k, **v} for k, v in value["transitions"].items()]

    def render() -> None:
        from rich.table import Table

        from cascade.cli.terminal import markup as escape

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
                          str(cv["censored"]),
                          str(cv["median_days"] if cv["median_days"] is not None else "—"),
                          *(f"{cv['share_after'][m]:.0%}" for m in marks))
            c.print(k)
            for cv in value["curves"]:
                c.print(escape(f"{cv['level']}: out of {cv['denominator']['text']}; shares are of the "
                               f"{cv['timed']} units with dates"), style="dim")

    _answer(value, rows, fmt, _COLUMNS["lag"], render)


@app.command("missing", rich_help_panel="Ask the graph")
def missing_command(
    limit: Annotated[int, typer.Option(min=0, help="Show at most this many (0 = all).")] = 0,
    out: OutOpt = None, output: OutputOpt = None,
    fmt: FmtOpt = Fmt.auto,
) -> None:
    """Documents cited but not in the corpus: what to collect next, most cited first.

    Ranked by how many input files cite each one, then by how many times it is cited.

    Example: [bold]cascade missing --limit 20[/bold]
    """
    _capture(output)
    from cascade import query
    from cascade.corpus import store

    with store.open_build(Path(out) if out is not None else store.default_out()) as (con, _):
        rows = query.orphans(*store.read_uncollected(con))
    rows = rows[:limit] if limit > 0 else rows
    columns = _COLUMNS["missing"]

    def render() -> None:
        emit(rows, Fmt.table, columns, title=f"{len(rows)} documents cited but not collected")

    _answer(rows, rows, fmt, columns, render)


@app.command("conflicts", rich_help_panel="Ask the graph")
def conflicts_command(out: OutOpt = None, output: OutputOpt = None, fmt: FmtOpt = Fmt.auto) -> None:
    """Claims the documents disagree on (one dates 52-KL/TW 2012, another 2019), with their sources.

    Example: [bold]cascade conflicts --format json[/bold]
    """
    _capture(output)
    from cascade import query
    from cascade.corpus import store

    folder = Path(out) if out is not None else store.default_out()
    with store.open_build(folder) as (con, _):
        claims = query.conflicts(folder)
        value = query.conflicts(claims, store.read_documents(con, dict.fromkeys(c["node"] for c in claims)))
    rows = [{"node": c["node"], "label": c["label"], "field": c["field"], "kept": c["kept"],
             "value": v["value"], "sources": v["sources"]} for c in value for v in c["values"]]

    def render() -> None:
        emit(rows, Fmt.table, ["node", "field", "kept", "value", "sources"],
             title=f"{len(value)} conflicts in {folder}/")

    _answer(value, rows, fmt, _COLUMNS["conflicts"], render)
