#!/usr/bin/env python3
"""Per-document cost of structure parsing, agency scanning, task extraction and the whole extraction.

    python benchmarks/bench_tasks.py [FOLDER] [--directives 2] [--seed 7] [--runs 5] [--warmup 100]
                                     [--code CHECKOUT] [--base CHECKOUT] [--profile N] [--json]

FOLDER holds the ``.txt`` plans (default: a synthetic corpus generated once with
``../shared/synth/make_corpus.py`` under ``/tmp/cascade-bench``). Each stage is timed in a
fresh process, once per run, so that no run profits from what another cached:

* ``structure``: :func:`cascade.extract.structure.parse_structure` on the clean text;
* ``agencies``: the agencies of the whole clean text, read as extraction reads them
  (:func:`cascade.extract.agencies.scan_pieces`; plain :func:`~cascade.extract.agencies.scan` in a checkout
  that has no ``scan_pieces``);
* ``tasks``: :func:`cascade.extract.tasks.extract_tasks` (which parses the structure and reads the
  agencies of the task sections itself);
* ``extract_text``: :func:`cascade.extract.pipeline.extract_text`, the whole per-document pipeline
  (reading the text, metadata, references and tasks).

In each process the first ``--warmup`` plans are read untimed (regexes compiled, the agency
index built, caches primed as a real build's first plans prime them), then one pass over
the others is timed: wall time and CPU time per document, the garbage collector set as in a
build's worker (what was loaded frozen, the worker's thresholds). The figures are the median and
the best of ``--runs`` processes, in microseconds per document; the machine may be shared,
so compare medians, and CPU times when it is busy.

``--code`` times another checkout's package (e.g. ``git worktree add /tmp/before HEAD~3``),
for before/after figures on the same corpus; ``--base CHECKOUT`` times that checkout beside
``--code`` in the same run (the processes of the two alternate, so both see the same load) and
prints the ratio of their CPU medians. ``--profile N`` prints the N most expensive
functions of ``extract_tasks`` over the corpus under cProfile.
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SYNTH = ROOT.parent / "shared" / "synth" / "make_corpus.py"
STAGES = ("structure", "agencies", "tasks", "extract_text")


def _corpus(a: argparse.Namespace) -> Path:
    if a.folder is not None:
        return a.folder
    corpus = Path("/tmp/cascade-bench") / f"synth-{a.directives}-{a.seed}"
    if not (corpus / "gold.json").exists():
        subprocess.run([sys.executable, str(SYNTH), str(corpus), "--directives", str(a.directives),
                        "--seed", str(a.seed)], check=True)
    return corpus / "docs" if (corpus / "docs").is_dir() else corpus


def _child(stage: str, folder: Path, warmup: int, code: Path) -> None:
    """One timed pass (run in its own process): prints {"wall": µs, "cpu": µs, "documents": n}."""
    sys.path.insert(0, str(code))
    from cascade.extract import agencies
    from cascade.extract.pipeline import extract_text
    from cascade.extract.structure import parse_structure
    from cascade.extract.tasks import extract_tasks
    from cascade.text.normalize import clean

    raws = [(f.read_text(encoding="utf-8"), str(f)) for f in sorted(folder.rglob("*.txt"))]
    if stage == "extract_text":
        def run(i: int) -> object:
            return extract_text(*raws[i])
    else:
        cts = [clean(t) for t, _ in raws]
        scan = getattr(agencies, "scan_pieces", agencies.scan)
        run = {"structure": lambda i: parse_structure(cts[i].text), "agencies": lambda i: scan(cts[i].text),
               "tasks": lambda i: extract_tasks(cts[i], raws[i][1], year=2021)}[stage]
    # the collector as a worker of a build sets it (see cascade.runtime): what extraction leaves to it
    # (reference cycles) costs here what it costs there
    import gc

    from cascade import runtime
    gc.freeze()
    gc.set_threshold(*getattr(runtime, "WORKER_GC", gc.get_threshold()))
    warmup = min(warmup, len(raws) // 2)
    for i in range(warmup):
        run(i)
    c0, w0 = time.process_time(), time.perf_counter()
    for i in range(warmup, len(raws)):
        run(i)
    w1, c1 = time.perf_counter(), time.process_time()
    n = len(raws) - warmup
    print(json.dumps({"wall": (w1 - w0) / n * 1e6, "cpu": (c1 - c0) / n * 1e6, "documents": n}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path, nargs="?")
    ap.add_argument("--directives", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=100, help="plans read untimed first, in each process")
    ap.add_argument("--stages", default=",".join(STAGES))
    ap.add_argument("--code", type=Path, default=ROOT, help="the checkout whose cascade package to time")
    ap.add_argument("--base", type=Path, help="another checkout to time beside --code, in the same run")
    ap.add_argument("--profile", type=int, default=0, metavar="N")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args()
    folder = _corpus(a)
    if a.child:
        _child(a.child, folder, a.warmup, a.code)
        return
    n = len(list(folder.rglob("*.txt")))
    codes = [a.code] + ([a.base] if a.base else [])
    figures: list[dict[str, dict[str, float]]] = [{} for _ in codes]     # per checkout: stage -> figures
    for stage in a.stages.split(","):
        runs: list[list[dict[str, float]]] = [[] for _ in codes]
        for _ in range(a.runs):
            for k, code in enumerate(codes):
                argv = [sys.executable, __file__, str(folder), "--child", stage, "--warmup", str(a.warmup),
                        "--code", str(code)]
                p = subprocess.run(argv, capture_output=True, text=True, check=True)
                runs[k].append(json.loads(p.stdout.strip().splitlines()[-1]))
        for per_stage, code_runs in zip(figures, runs, strict=True):
            per_stage[stage] = {f"{k}_{f.__name__}": round(f(r[k] for r in code_runs), 1)
                                for k in ("wall", "cpu") for f in (statistics.median, min)}
    results = [{"corpus": str(folder), "documents": n, "warmup": a.warmup, "runs": a.runs, "code": str(code),
                "python": platform.python_version(), "us_per_doc": per_stage}
               for code, per_stage in zip(codes, figures, strict=True)]
    if a.json:
        print(json.dumps(results[0] if len(results) == 1 else results, indent=1))
    else:
        for code, per_stage in zip(codes, figures, strict=True):
            print(f"corpus: {folder} ({n} plans; {a.warmup} read first, untimed), code: {code}")
            print(f"µs per document, {a.runs} fresh processes")
            print(f"{'stage':<14}{'wall median':>12}{'wall best':>11}{'cpu median':>12}{'cpu best':>10}")
            for stage, v in per_stage.items():
                print(f"{stage:<14}{v['wall_median']:>12.1f}{v['wall_min']:>11.1f}{v['cpu_median']:>12.1f}"
                      f"{v['cpu_min']:>10.1f}")
        if a.base:
            now, base = figures
            print(f"cpu median, {a.code} / {a.base}: " + ", ".join(
                f"{stage} {now[stage]['cpu_median'] / base[stage]['cpu_median']:.2f}" for stage in now))
    if a.profile:
        import cProfile
        import pstats

        sys.path.insert(0, str(a.code))
        from cascade.extract.tasks import extract_tasks
        from cascade.text.normalize import clean

        cts = [(clean(f.read_text(encoding="utf-8")), str(f)) for f in sorted(folder.rglob("*.txt"))]
        prof = cProfile.Profile()
        prof.enable()
        for ct, name in cts:
            extract_tasks(ct, name, year=2021)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(a.profile)


if __name__ == "__main__":
    main()
