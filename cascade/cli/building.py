"""Commands that make and export a build: extract, build, export, stats."""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

from cascade.cli.terminal import clean_text
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

# -- extraction and build --------------------------------------------------------------------------

OcrOpt = Annotated[bool, typer.Option("--ocr/--no-ocr", help="Read scans (PDF pages without text, images) "
                                      "with Tesseract when it is installed.")]
MaxSizeOpt = Annotated[float, typer.Option("--max-file-size", help="Skip files larger than this many MB.")]
LinksOpt = Annotated[bool, typer.Option("--follow-links",
                                        help="Follow symbolic links out of the folders given.")]


def _read_options(ocr: bool, max_file_size: float, follow_links: bool) -> Any:
    from cascade.read import ReadOptions

    return ReadOptions(ocr=ocr, max_bytes=int(max_file_size * 2**20), follow_links=follow_links)


@app.command(rich_help_panel="Build")
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt .docx .pdf .doc .html...).")],
    fmt: Annotated[Fmt, typer.Option(
        "--format", "-f", help="jsonl (one record per line), json, csv (one row per document) or table.")] = (
        Fmt.jsonl),
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write here instead of stdout.")] = None,
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
    _capture(output)
    if fmt is Fmt.auto:
        fmt = Fmt.table if sys.stdout.isatty() else Fmt.jsonl
    if fmt in (Fmt.table, Fmt.csv):
        rows = [{"source": d["source"], "type": d["document"]["type"], "number": d["document"]["number"],
                 "date": d["document"]["date"], "issuer": d["document"]["issuer"],
                 "level": d["document"]["level"], "province": d["document"]["province"],
                 "district": d["document"]["district"], "mentions": len(d["mentions"]),
                 "relations": len(d["relations"]), "tasks": len(d["tasks"])} for d in dicts]
        emit(rows, fmt)
    elif fmt is Fmt.json:
        sys.stdout.write(json.dumps(dicts, ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(b"".join(orjson.dumps(d) + b"\n" for d in dicts).decode())
    if errors:
        _err(f"{len(records)} documents read, {len(errors)} skipped")


@app.command(rich_help_panel="Build")
def build(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt .docx .pdf .doc .html...).")],
    out: OutOpt = None,
    workers: Annotated[int, typer.Option(help="Worker processes (0 = choose).")] = 0,
    cache: Annotated[bool, typer.Option(help="Reuse records of unchanged files.")] = True,
    base: Annotated[str | None, typer.Option(help="Base IRI of the Turtle export.")] = None,
    turtle: Annotated[bool, typer.Option(help="Write cascade.ttl.")] = True,
    html: Annotated[bool, typer.Option(
        help="Write map.html, the interactive map of the whole corpus.")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary.")] = False,
    scheduler: Annotated[str | None, typer.Option(
        envvar="CASCADE_SCHEDULER", help="Extract on this Dask scheduler (tcp://host:8786); needs "
                                         "cascade\\[dask] and storage every worker sees.")] = None,
    ocr: OcrOpt = True,
    max_file_size: MaxSizeOpt = 64,
    follow_links: LinksOpt = False,
) -> None:
    """Build the corpus graph: extract, resolve one node per document, write the outputs.

    Writes records.jsonl, graph.json (node-link), cascade.db (SQLite), cascade.ttl, map.html
    and build.json into the build folder, then prints a summary. Unchanged files are not re-read.

    Example: [bold]cascade build data/ --build-dir cascade-out[/bold]
    """
    from cascade.corpus.build import build as run
    from cascade.runtime import keep_until_exit

    b = run(paths, out, workers=workers, use_cache=cache, progress=not quiet, turtle=turtle, html=html,
            base=base, scheduler=scheduler, options=_read_options(ocr, max_file_size, follow_links))
    for e in b.errors:
        _err(str(e))
    if not quiet:
        _summary(b)
    keep_until_exit(b)                    # the process ends without freeing the build object by object


def _extras(turtle: bool, html: bool, base: str | None) -> list[Any]:
    """The writers ``cascade build`` runs after its own files (Turtle, map): the library's."""
    from cascade.corpus.build import extra_writers

    return extra_writers(turtle, html, base)


#: kinds of build warnings, by what their text says (first match wins)
_WARNING_KINDS = (
    ("unnumbered file matched by a guess", re.compile(r"no number in its header; guessed")),
    ("unnumbered file left apart (several fit)", re.compile(r"fit .* equally well: left apart")),
    ("district placed among same-named ones", re.compile(r": placed in .* rather than ")),
    ("one number in several years, kept apart",
     re.compile(r"input files with this number in different years")),
    ("duplicate input files", re.compile(r"input files are the same document")),
    ("blank number (draft or copy)", re.compile(r"the number is blank")),
    ("manifest", re.compile(r"manifest", re.IGNORECASE)),
    ("number read another way", re.compile(r" read as ")),
    ("legacy encoding converted", re.compile(r"converted from ")),
    ("PDF text layer", re.compile(r"\bpages?\b|OCR|PDF|scanned")),
)


def warning_kinds(warnings: Iterable[str]) -> Counter[str]:
    """How many build warnings of each kind ("other" for the rest).

    >>> dict(warning_kinds(["a.txt: the number is blank ('Số: /KH')", "b.txt: something else"]))
    {'blank number (draft or copy)': 1, 'other': 1}
    """
    counts: Counter[str] = Counter()
    for w in warnings:
        counts[next((k for k, rx in _WARNING_KINDS if rx.search(w)), "other")] += 1
    return counts


def _summary(b: Any) -> None:
    from rich.console import Console

    from cascade.cli.terminal import markup as escape
    from cascade.graph import KIND, RELATION
    from cascade.vocab import DOCUMENT_RELATIONS

    # the documents and the links between them (what a build holds in memory); the other kinds counted
    G, s = b.document_graph, b.stats
    kinds = b.kinds()
    rels: dict[str, int] = {}
    for _, _, r in G.edges(data=RELATION):
        rels[r] = rels.get(r, 0) + 1
    docs = [d for _, d in G.nodes(data=True) if d.get(KIND) == "document"]
    c = Console(stderr=False, soft_wrap=True)
    c.print(f"[bold]cascade[/bold] built {s['documents']} documents "
            f"({s.get('cached', 0)} from cache) in {s.get('seconds_total', '?')} s -> "
            + escape(clean_text(f"{b.out}/")))
    read = sum(1 for d in docs if d.get("in_corpus"))
    c.print(f"  {kinds.get('document', 0)} documents in the graph: {read} "
            f"read, {sum(1 for d in docs if not d.get('in_corpus'))} cited but not in the folder")
    doc_rels = {k: v for k, v in rels.items() if k in DOCUMENT_RELATIONS}
    c.print("  links between documents: " + ", ".join(f"{k} {v}" for k, v in sorted(doc_rels.items(),
                                                                                     key=lambda kv: -kv[1])))
    c.print(f"  tasks {kinds.get('task', 0)}, agencies {kinds.get('agency', 0)}, "
            f"conflicts {s.get('conflicts', 0)}, bad files {len(b.errors)}")
    warnings = list(b.corpus.warnings) if b.corpus is not None else []
    if warnings:
        by_kind = warning_kinds(warnings)
        c.print(f"  [yellow]warnings {len(warnings)}[/yellow]: "
                + escape("; ".join(f"{k} {v}" for k, v in by_kind.most_common()))
                + escape(f" (each one in {b.out}/build.json, under \"warnings\")"))
    c.print("  wrote: " + escape(clean_text(", ".join(p.name for p in b.written))))


@app.command(rich_help_panel="Build")
def export(
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="node-link, records, graphml, gexf, csv (and ttl, nt, jsonld, trig, nq once "
                               "linked data is built).")] = "node-link",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write here (a folder for csv) instead of stdout.")] = None,
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


@app.command(rich_help_panel="Build")
def stats(out: OutOpt = None, output: OutputOpt = None, fmt: FmtOpt = Fmt.auto) -> None:
    """Counts of the last build: documents, relations, tasks, conflicts.

    Example: [bold]cascade stats --format json[/bold]
    """
    _capture(output)
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
