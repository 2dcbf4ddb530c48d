#!/usr/bin/env python3
"""CPU per document of the references stage, beside another checkout's in the same process.

    python benchmarks/bench_references.py FOLDER --base CHECKOUT [--every 3] [--rounds 7]

The stage's own modules (``cascade/extract/{mentions,clauses,relations,references}.py``) are
loaded a second time from ``CHECKOUT`` under other names; what they import (numbers, dates,
the gazetteer, cleaning) comes from this checkout, so the figures compare the stage's code and
nothing else. Both versions read the same cleaned texts with the same metadata, in turns (which
version goes first alternates), and their outputs are checked equal first. Timing in one process
takes out what separate processes differ by on a shared machine (±10% between identical runs);
caches the two share (dates, numbers) are warm for both.

Printed per part (``extract_references``, ``find_mentions``, ``find_clauses`` as extract_references
calls it: with the mentions' starts and a bound after the last one): the best and the
median of ``--rounds`` passes in microseconds of CPU per document, and their ratios (this checkout
over the base).
"""
from __future__ import annotations

import argparse
import gc
import importlib.util
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cascade.extract import clauses, mentions, references  # noqa: E402
from cascade.extract.header import extract_metadata  # noqa: E402
from cascade.text.normalize import clean  # noqa: E402


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{path}: cannot be loaded")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module                      # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


def _base(checkout: Path) -> tuple[ModuleType, ModuleType, ModuleType]:
    """(references, mentions, clauses) of ``checkout``, wired to each other rather than to this checkout's."""
    extract = checkout / "cascade" / "extract"
    base_clauses = _load(extract / "clauses.py", "base_clauses")
    base_mentions = _load(extract / "mentions.py", "base_mentions")
    base_relations = _load(extract / "relations.py", "base_relations")
    base_relations.clauses = base_clauses
    base_references = _load(extract / "references.py", "base_references")
    base_references.clauses = base_clauses
    base_references.find_mentions = base_mentions.find_mentions
    base_references.derive_relations = base_relations.derive_relations
    base_references.programme_links = base_relations.programme_links
    return base_references, base_mentions, base_clauses


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path, help="a folder of .txt plans")
    ap.add_argument("--base", type=Path, required=True, help="the checkout to compare with")
    ap.add_argument("--every", type=int, default=3, help="read every n-th file of the folder (default 3)")
    ap.add_argument("--rounds", type=int, default=7)
    a = ap.parse_args()
    base_refs, base_mentions, base_clauses = _base(a.base)
    docs = []
    for f in sorted(a.folder.rglob("*.txt"))[::a.every]:
        ct = clean(f.read_text(encoding="utf-8", errors="replace"))
        meta, header_end, title_end, _ = extract_metadata(ct, f.name)
        # what extract_references asks find_clauses: the mentions' starts, the body's start, a bound
        starts = [m.start for m in mentions.find_mentions(ct.text)]
        asked = (starts, references.preamble_end(ct.text, title_end), (header_end, title_end),
                 max(max(starts, default=0) + 1, title_end))
        docs.append((ct, meta, f.name, header_end, title_end, asked))
    if not docs:
        raise SystemExit(f"{a.folder}: no .txt files")

    def refs(module: ModuleType) -> Callable[[], None]:
        def run() -> None:
            for ct, meta, source, header_end, title_end, _ in docs:
                module.extract_references(ct, meta, source, title_end=title_end, self_number=meta.number,
                                          header_end=header_end)
        return run

    def found(module: ModuleType) -> Callable[[], None]:
        return lambda: [module.find_mentions(d[0].text) for d in docs] and None

    def governed(module: ModuleType) -> Callable[[], None]:
        return lambda: [module.find_clauses(d[0].text, *d[5][:3], until=d[5][3]) for d in docs] and None

    for ct, meta, source, header_end, title_end, _ in docs:
        kw = {"title_end": title_end, "self_number": meta.number, "header_end": header_end}
        if references.extract_references(ct, meta, source, **kw) != base_refs.extract_references(
                ct, meta, source, **kw):
            raise SystemExit(f"{source}: the two checkouts read its references differently")
    parts = (("extract_references", refs(references), refs(base_refs)),
             ("find_mentions", found(mentions), found(base_mentions)),
             ("find_clauses", governed(clauses), governed(base_clauses)))
    gc.freeze()
    times: dict[tuple[str, str], list[float]] = {}
    for n in range(a.rounds):
        for name, ours, theirs in parts:
            turns = (("this", ours), ("base", theirs))
            for side, run in turns if n % 2 else turns[::-1]:
                c0 = time.process_time()
                run()
                times.setdefault((name, side), []).append((time.process_time() - c0) / len(docs) * 1e6)
    print(f"{len(docs)} documents, {a.rounds} rounds; µs of CPU per document (best / median)")
    for name, _, _ in parts:
        this, base = times[(name, "this")], times[(name, "base")]
        print(f"{name:20s} base {min(base):7.1f} / {statistics.median(base):7.1f}   "
              f"this {min(this):7.1f} / {statistics.median(this):7.1f}   "
              f"ratio {min(this) / min(base):.3f} / {statistics.median(this) / statistics.median(base):.3f}")


if __name__ == "__main__":
    main()
