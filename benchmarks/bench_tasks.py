#!/usr/bin/env python3
"""Per-document cost of structure parsing, task extraction and the whole extraction.

    python benchmarks/bench_tasks.py [FOLDER] [--directives 2] [--seed 7] [--runs 5] [--profile N]

Reads every ``.txt`` of ``FOLDER`` (default: a synthetic corpus generated once with
``../shared/synth/make_corpus.py`` under ``/tmp/cascade-bench``), cleans each text once,
then times, per document and in this one process:

* ``structure``: :func:`cascade.structure.parse_structure` on the clean text;
* ``agencies``: :func:`cascade.agencies.scan` over the whole clean text (an upper bound of
  what tasks need: they scan only the task sections);
* ``tasks``: :func:`cascade.tasks.extract_tasks` (which parses the structure itself);
* ``extract_text``: :func:`cascade.extract.extract_text`, the whole per-document pipeline.

Each stage runs over the corpus ``--runs`` times; the first run warms the caches (the
agency index, compiled patterns, ``lru_cache`` lookups) and the figures are the median
and the best of the runs, in microseconds per document. The machine may be shared, so
compare medians. ``--profile N`` prints the N most expensive functions of one pass of
``extract_tasks`` under cProfile.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import platform
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SYNTH = ROOT.parent / "shared" / "synth" / "make_corpus.py"

from cascade.agencies import scan  # noqa: E402
from cascade.extract import extract_text  # noqa: E402
from cascade.normalize import clean  # noqa: E402
from cascade.structure import parse_structure  # noqa: E402
from cascade.tasks import extract_tasks  # noqa: E402


def _corpus(a: argparse.Namespace) -> Path:
    if a.folder is not None:
        return a.folder
    corpus = Path("/tmp/cascade-bench") / f"synth-{a.directives}-{a.seed}"
    if not (corpus / "gold.json").exists():
        subprocess.run([sys.executable, str(SYNTH), str(corpus), "--directives", str(a.directives),
                        "--seed", str(a.seed)], check=True)
    return corpus / "docs" if (corpus / "docs").is_dir() else corpus


def _time(fn: Callable[[int], object], n: int, runs: int) -> tuple[float, float]:
    """(median, best) microseconds per document over ``runs`` passes after a warm-up pass."""
    for i in range(n):
        fn(i)
    per_doc = []
    for _ in range(runs):
        t = time.perf_counter()
        for i in range(n):
            fn(i)
        per_doc.append((time.perf_counter() - t) / n * 1e6)
    return statistics.median(per_doc), min(per_doc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path, nargs="?")
    ap.add_argument("--directives", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--profile", type=int, default=0, metavar="N")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    a = ap.parse_args()
    folder = _corpus(a)
    files = sorted(folder.rglob("*.txt"))
    raws = [(f.read_text(encoding="utf-8"), str(f)) for f in files]
    cts = [clean(t) for t, _ in raws]
    n = len(cts)
    stages: dict[str, Callable[[int], object]] = {
        "structure": lambda i: parse_structure(cts[i].text),
        "agencies": lambda i: scan(cts[i].text),
        "tasks": lambda i: extract_tasks(cts[i], raws[i][1], year=2021),
        "extract_text": lambda i: extract_text(*raws[i]),
    }
    result = {"corpus": str(folder), "documents": n, "python": platform.python_version(), "runs": a.runs,
              "us_per_doc": {}}
    for name, fn in stages.items():
        med, best = _time(fn, n, a.runs)
        result["us_per_doc"][name] = {"median": round(med, 1), "best": round(best, 1)}
    if a.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"corpus: {folder} ({n} documents), {a.runs} runs after a warm-up, µs per document")
        print(f"{'stage':<14}{'median':>10}{'best':>10}")
        for name, v in result["us_per_doc"].items():
            print(f"{name:<14}{v['median']:>10.1f}{v['best']:>10.1f}")
    if a.profile:
        prof = cProfile.Profile()
        prof.enable()
        for i in range(n):
            extract_tasks(cts[i], raws[i][1], year=2021)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(a.profile)


if __name__ == "__main__":
    main()
