"""Linked-data commands: validate, sparql, push."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cascade.errors import CascadeError

from .common import (
    Fmt,
    FmtOpt,
    OutOpt,
    OutputOpt,
    _capture,
    _err,
    app,
    emit,
)


def _build_turtle(out: Path | None) -> Path:
    """The cascade.ttl of the last build."""
    from cascade.corpus.build import default_out
    from cascade.rdf import TURTLE_FILE

    path = (out if out is not None else default_out()) / TURTLE_FILE
    if not path.exists():
        raise CascadeError(f"no {path} (run cascade build, or give a file)")
    return path


@app.command("validate", rich_help_panel="Linked data")
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


@app.command("sparql", rich_help_panel="Linked data")
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
    out: OutOpt = None, output: OutputOpt = None,
    fmt: FmtOpt = Fmt.auto,
) -> None:
    """Run a SPARQL query over the last build (all graphs), files, or an endpoint.

    The store holds the merged graph and one named graph per input file with the evidence;
    patterns outside GRAPH see them all. Parameters are written $name in the query; a
    document parameter accepts what [bold]cascade tree[/bold] accepts.

    Example: [bold]cascade sparql --named tree --param doc=93-KL/TW[/bold]
    """
    _capture(output)
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


@app.command("push", rich_help_panel="Linked data")
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
