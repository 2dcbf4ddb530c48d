#!/usr/bin/env python3
"""Linked-data export speed and memory of cascade's writer.

    python benchmarks/bench_rdf.py --directives 10
    python benchmarks/bench_rdf.py --directives 50 --formats ttl nt jsonld
    python benchmarks/bench_rdf.py --build cascade-out             # an existing build

Generates the synthetic corpus with ../shared/synth/make_corpus.py and builds it (both
once, kept under --dir), then exports the merged graph of the build in each format, every
run in a fresh process. (Issue 13 compared this writer with rdflib's and Oxigraph's
serialisers and kept it alone: the same statements, several times faster.)

A run loads the build (cascade.db), warms the gazetteer and vocabulary caches on a
tiny graph, then times the export from the graph in memory to a file on disk. It
reports triples per second (wall time, and the CPU time of the main process) and the peak
resident memory of the process, also above what it held once the build was loaded; "child
MB" is the peak resident set of any child process. Results also go to
benchmarks/results/bench_rdf.json.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

RUN = """
import json, resource, sys, time
import networkx as nx
from cascade import rdf
from cascade.corpus.build import load
build, fmt, path = sys.argv[1:4]
src = rdf._Source(load(build).graph)
tiny = nx.MultiDiGraph()
tiny.add_node("1-KH/TU@Gia Lai", kind="document", level="province", province="Gia Lai", type="Kế hoạch")
rdf.dumps(tiny, "ttl")
base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
w0, c0 = time.perf_counter(), time.process_time()
with open(path, "w", encoding="utf-8") as out:
    n = rdf._write(src, fmt, out, rdf.DEFAULT_BASE)
wall, cpu = time.perf_counter() - w0, time.process_time() - c0
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"triples": n, "wall_s": wall, "cpu_s": cpu, "loaded_mb": base_kb / 1024,
                  "peak_mb": peak_kb / 1024, "child_peak_mb": child_kb / 1024,
                  "bytes": __import__("os").path.getsize(path)}))
"""


def _corpus(directives: int, seed: int, folder: Path) -> Path:
    """The build of a synthetic corpus, made once."""
    corpus = folder / f"synth-{directives}-{seed}"
    if not (corpus / "gold.json").exists():
        subprocess.run([sys.executable, str(SHARED / "synth" / "make_corpus.py"), str(corpus),
                        "--directives", str(directives), "--seed", str(seed)], check=True)
    out = folder / f"build-{directives}-{seed}"
    if not (out / "build.json").exists():
        subprocess.run([sys.executable, "-m", "cascade", "build", str(corpus / "docs"),
                        "--build-dir", str(out), "--no-html", "--no-turtle", "-q"], check=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--directives", type=int, default=10)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--build", type=Path, help="export this build folder instead of a synthetic corpus")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/cascade-bench"))
    ap.add_argument("--formats", nargs="+", default=["ttl", "nt"])
    ap.add_argument("--repeat", type=int, default=1, help="runs per case; the fastest is kept")
    a = ap.parse_args()
    a.dir.mkdir(parents=True, exist_ok=True)
    build = a.build or _corpus(a.directives, a.seed, a.dir)
    stats = json.loads((build / "build.json").read_text(encoding="utf-8")).get("stats", {})
    print(f"build: {build} ({stats.get('documents', '?')} documents, {stats.get('nodes', '?')} nodes, "
          f"{stats.get('edges', '?')} edges); load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    results = []
    print(f"{'format':6} {'triples':>10} {'wall s':>8} {'cpu s':>8} {'triples/s (wall)':>17} "
          f"{'triples/s (cpu)':>16} {'peak MB':>8} {'+MB':>6} {'child MB':>9}")
    for fmt in a.formats:
        best = None
        for _ in range(a.repeat):
            target = a.dir / f"export.{fmt}"
            p = subprocess.run([sys.executable, "-c", RUN, str(build), fmt, str(target)],
                               capture_output=True, text=True, check=True)
            r = json.loads(p.stdout.strip().splitlines()[-1])
            if best is None or r["wall_s"] < best["wall_s"]:
                best = r
            target.unlink(missing_ok=True)
        assert best is not None
        best.update(format=fmt, triples_per_s_wall=best["triples"] / best["wall_s"],
                    triples_per_s_cpu=best["triples"] / best["cpu_s"])
        results.append(best)
        print(f"{fmt:6} {best['triples']:>10,} {best['wall_s']:>8.2f} {best['cpu_s']:>8.2f} "
              f"{best['triples_per_s_wall']:>17,.0f} {best['triples_per_s_cpu']:>16,.0f} "
              f"{best['peak_mb']:>8.0f} {best['peak_mb'] - best['loaded_mb']:>6.0f} "
              f"{best['child_peak_mb'] or 0:>9.0f}")
    out = ROOT / "benchmarks" / "results" / "bench_rdf.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    when = time.strftime("%Y-%m-%dT%H:%M:%S")
    doc = {"build": str(build), "stats": stats, "results": results, "when": when}
    out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
