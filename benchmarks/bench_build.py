#!/usr/bin/env python3
"""Throughput of extract + build over a synthetic corpus, with 1 and 2 worker processes.

    python benchmarks/bench_build.py [--directives 10] [--seed 7] [--dir /tmp/cascade-bench]

Generates the corpus with ../shared/synth/make_corpus.py (once), then builds it from
scratch (no cache) with each worker count and reports documents per second, the CPU per
plan of writing graph.json and cascade.db (stats cpu_write), and peak
memory (the largest resident set of this process and its children). Each run is a fresh
process, so runs do not share caches. No Turtle or map is written: this measures
extraction, resolution and the graph. With ``--cli`` it also times the whole command a
user runs, ``cascade build DOCS --build-dir DIR --no-cache`` (Turtle and the HTML map included),
from process start to exit.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

RUN = """
import inspect, json, resource, sys, time
from cascade.corpus.build import build
# builds write Turtle and the map since they do what the command does: not measured here
skip = {k: False for k in ("turtle", "html") if k in inspect.signature(build).parameters}
t = time.perf_counter()
b = build([sys.argv[1]], sys.argv[2], workers=int(sys.argv[3]), use_cache=False, **skip)
dt = time.perf_counter() - t
peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": dt, "documents": b.stats["documents"], "extract_s": b.stats["seconds_extract"],
                  "resolve_s": b.stats["seconds_resolve"],
                  "write_s": b.stats.get("seconds_write", 0.0),
                  "cpu_write_ms_per_plan": 1000 * b.stats.get("cpu_write", 0.0) / b.stats["documents"],
                  "peak_mb": max(peak_self, peak_children) / 1024}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--directives", type=int, default=10)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/cascade-bench"))
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--cli", action="store_true", help="also time the cascade build command (Turtle, map)")
    a = ap.parse_args()
    corpus = a.dir / f"synth-{a.directives}-{a.seed}"
    if not (corpus / "gold.json").exists():
        subprocess.run([sys.executable, str(SHARED / "synth" / "make_corpus.py"), str(corpus),
                        "--directives", str(a.directives), "--seed", str(a.seed)], check=True)
    n = len(list((corpus / "docs").glob("*.txt")))
    print(f"corpus: {corpus} ({n} plans)")
    for w in a.workers:
        best = None
        for _ in range(a.repeat):
            out = a.dir / f"out-{w}"
            shutil.rmtree(out, ignore_errors=True)
            p = subprocess.run([sys.executable, "-c", RUN, str(corpus / "docs"), str(out), str(w)],
                               capture_output=True, text=True, check=True)
            r = json.loads(p.stdout.strip().splitlines()[-1])
            if best is None or r["seconds"] < best["seconds"]:
                best = r
        print(f"workers={w}: {best['documents']} plans in {best['seconds']:.2f} s = "
              f"{best['documents'] / best['seconds']:.0f} plans/s (extract {best['extract_s']:.2f} s, "
              f"resolve+graph {best['resolve_s']:.2f} s, write {best['write_s']:.2f} s, "
              f"{best.get('cpu_write_ms_per_plan', 0):.3f} ms of CPU per plan), "
              f"peak RSS {best['peak_mb']:.0f} MB")
    if a.cli:
        cascade = Path(sys.executable).with_name("cascade")
        times = []
        for _ in range(a.repeat):
            out = a.dir / "out-cli"
            shutil.rmtree(out, ignore_errors=True)
            t = time.perf_counter()
            subprocess.run([str(cascade), "build", str(corpus / "docs"), "--build-dir", str(out),
                            "--no-cache", "--quiet"], check=True)
            times.append(time.perf_counter() - t)
        print("cascade build (records, graph, Turtle, map; default workers): "
              f"{n} plans in {min(times):.2f} s = "
              f"{n / min(times):.0f} plans/s")


if __name__ == "__main__":
    main()
