"""Speed and memory of the query layer on a large synthetic corpus.

    python benchmarks/bench_query.py FOLDER [--directives 50] [--seed 7] [--runs 5] [--rebuild]

Generates ``FOLDER/corpus`` with ``../shared/synth/make_corpus.py`` unless it is there,
builds it into ``FOLDER/build`` (timed, in a child process, without the Turtle and HTML
extras) unless a build is there, then measures in this process: loading the build
(``cascade.corpus.build.load``, and with the garbage collector paused as the CLI does), the
first lookup (which builds the find index), and the latency of ``tree``, ``chain``,
``coverage`` (province and district), ``lag``, ``find`` and ``orphans`` (on the loaded graph, and
from cascade.db as ``cascade missing`` computes it): each over several documents,
repeated ``--runs`` times, reported as median and maximum. Peak memory is the maximum
resident set size of the build process and of this one. The figures are printed and
written to ``FOLDER/bench_query.json``.

Targets (issue 3): load < 3 s; tree, chain and coverage < 50 ms each.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SYNTH = ROOT.parent / "shared" / "synth" / "make_corpus.py"


def _max_rss_mb(who: int) -> float:
    """Peak resident memory in MB (``ru_maxrss`` is in KB on Linux, bytes on macOS)."""
    rss = resource.getrusage(who).ru_maxrss
    return round(rss / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def generate(corpus: Path, directives: int, seed: int) -> float:
    """Write the synthetic corpus unless it exists; seconds taken (0 when reused)."""
    if (corpus / "gold.json").exists():
        return 0.0
    if not SYNTH.exists():
        sys.exit(f"no generator at {SYNTH}: pass a FOLDER that already holds corpus/")
    t = time.perf_counter()
    subprocess.run([sys.executable, str(SYNTH), str(corpus), "--directives", str(directives),
                    "--seed", str(seed)], check=True)
    return time.perf_counter() - t


def build(corpus: Path, out: Path, workers: int, rebuild: bool) -> dict[str, Any]:
    """Build in a child process (so its memory is measured apart); reuse an earlier build unless told."""
    done = out / "build.json"
    if done.exists() and not rebuild:
        stats = json.loads(done.read_text(encoding="utf-8"))["stats"]
        return {"reused": True, "seconds": stats.get("seconds_total"), "stats": stats, "max_rss_mb": None}
    cmd = [sys.executable, "-m", "cascade", "build", str(corpus / "docs"), "--build-dir", str(out),
           "--workers", str(workers), "--no-turtle", "--no-html", "--quiet"]
    if rebuild:
        cmd.append("--no-cache")
    t = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT)
    seconds = time.perf_counter() - t
    stats = json.loads(done.read_text(encoding="utf-8"))["stats"]
    return {"reused": False, "seconds": round(seconds, 2), "stats": stats,
            "max_rss_mb": _max_rss_mb(resource.RUSAGE_CHILDREN)}


_LOAD = """
import gc, sys, time
from cascade.corpus.build import load
t, c = time.perf_counter(), time.process_time()
if sys.argv[2] == "paused":
    gc.disable()
load(sys.argv[1])
print(time.perf_counter() - t, time.process_time() - c)
"""


def _load_in_child(out: Path, paused: bool) -> tuple[float, float]:
    """(wall, CPU) seconds ``cascade.corpus.build.load`` takes in a fresh process (imports not counted)."""
    r = subprocess.run([sys.executable, "-c", _LOAD, str(out), "paused" if paused else "plain"], check=True,
                       capture_output=True, text=True, cwd=ROOT)
    wall, cpu = r.stdout.split()
    return float(wall), float(cpu)


def _cli_seconds(args: Sequence[str]) -> float:
    """Wall time of one ``cascade`` command, start to finish, output discarded."""
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cascade", *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def cpu_timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """(wall, CPU) seconds of one call: CPU time does not count other processes on a busy machine."""
    t, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t, time.process_time() - c


def latency(fn: Callable[[Any], Any], args: Sequence[Any], runs: int) -> dict[str, float]:
    """Median and maximum milliseconds of ``fn(arg)``, every arg ``runs`` times (after a warm-up)."""
    fn(args[0])
    times = [cpu_timed(lambda a=a: fn(a)) for _ in range(runs) for a in args]
    wall, cpu = [t for t, _ in times], [c for _, c in times]
    return {"median_ms": round(statistics.median(wall) * 1000, 2), "max_ms": round(max(wall) * 1000, 2),
            "cpu_median_ms": round(statistics.median(cpu) * 1000, 2), "calls": len(times)}


def _phrases(plan: dict[str, Any]) -> list[str]:
    """What a user types to find a plan of the corpus: its number, and its type, the number's digits
    and its province ("Kế hoạch 14 Bắc Kạn")."""
    number = plan["number"]
    digits = number.split("-")[0].split("/")[0]
    return [number, " ".join(x for x in (plan.get("type"), digits, plan.get("province")) if x)]


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--directives", type=int, default=50)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=5, help="repetitions of each query (default 5)")
    ap.add_argument("--loads", type=int, default=3, help="repetitions of each load (default 3)")
    ap.add_argument("--workers", type=int, default=0, help="build workers (0 = choose)")
    ap.add_argument("--rebuild", action="store_true", help="build again even if FOLDER/build holds a build")
    a = ap.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from cascade import query
    from cascade.corpus.build import load

    corpus, out = a.folder / "corpus", a.folder / "build"
    report: dict[str, Any] = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                          "platform": platform.platform()},
                              "directives": a.directives, "seed": a.seed}
    report["generate_seconds"] = round(generate(corpus, a.directives, a.seed), 2)
    report["build"] = build(corpus, out, a.workers, a.rebuild)

    # each load in a fresh process, as a command line user meets it (a graph held in this process
    # would slow the next load down: networkx graphs hold reference cycles, freed only by the collector)
    loads = [_load_in_child(out, paused=False) for _ in range(a.loads)]
    paused_loads = [_load_in_child(out, paused=True) for _ in range(a.loads)]
    gc.disable()
    try:
        G = load(out).graph
    finally:
        gc.enable()
    report["graph"] = {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                       "documents": sum(1 for _, k in G.nodes(data="kind") if k == "document")}
    for key, runs in (("load_seconds", loads), ("load_seconds_gc_paused", paused_loads)):
        report[key] = {"median": round(statistics.median(w for w, _ in runs), 3),
                       "cpu_median": round(statistics.median(c for _, c in runs), 3),
                       "runs": [round(w, 3) for w, _ in runs]}

    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    roots = sorted(gold["queries"]["descendants"])
    rng = random.Random(a.seed)
    files = rng.sample(sorted(gold["documents"]), 20)
    # the first lookup by phrase or file name builds the find index
    report["first_find_ms"] = round(timed(lambda: query.find_one(G, f"{files[0]}.txt")) * 1000, 1)
    plans = [query.find_one(G, f"{f}.txt") for f in files]
    sample = roots[:10]
    report["tree_size"] = {"median": statistics.median(query.tree(G, r)["count"] for r in sample),
                           "max": max(query.tree(G, r)["count"] for r in sample)}
    report["latency"] = {
        "tree": latency(lambda r: query.tree(G, r), sample, a.runs),
        "chain": latency(lambda p: query.chain(G, p), plans, a.runs),
        "coverage": latency(lambda r: query.coverage(G, r), sample, a.runs),
        "coverage_district": latency(lambda r: query.coverage(G, r, level="district"), sample, a.runs),
        "lag": latency(lambda r: query.lag(G, r), sample, a.runs),
        "show": latency(lambda p: query.show(G, p), plans, a.runs),
        "find_phrase": latency(lambda f: query.find(G, f), [*_phrases(G.nodes[plans[0]]),
                                                             roots[0].lower(), f"{files[0]}.txt"], a.runs),
        "orphans": latency(lambda _: query.orphans(G), [None], 1),
        "orphans_from_db": latency(lambda _: _orphans_from_db(out), [None], 1),
    }
    report["max_rss_mb"] = _max_rss_mb(resource.RUSAGE_SELF)
    report["cli_seconds"] = {
        " ".join(["cascade", *args]): round(statistics.median(
            _cli_seconds([*args, "--build-dir", str(out), "--format", "json"]) for _ in range(3)), 2)
        for args in (["tree", roots[0]], ["coverage", roots[0]], ["chain", f"{files[0]}.txt"],
                     ["show", plans[0]], ["missing"])}
    text = json.dumps(report, ensure_ascii=False, indent=1)
    (a.folder / "bench_query.json").write_text(text, encoding="utf-8")
    _print(report)
    return report


def _orphans_from_db(out: Path) -> list[dict[str, Any]]:
    """What ``cascade missing`` computes, from cascade.db (the links into uncollected documents counted)."""
    from cascade import query
    from cascade.corpus import store

    with store.open_build(out) as (con, _):
        return query.orphans(*store.read_uncollected(con))


def _print(r: dict[str, Any]) -> None:
    b = r["build"]
    s = b["stats"]
    print(f"corpus: {s.get('documents')} plans, {r['graph']['documents']} document nodes, "
          f"{r['graph']['nodes']} nodes, {r['graph']['edges']} edges")
    when = "earlier run" if b["reused"] else "this run"
    print(f"build ({when}): {b['seconds']} s"
          + (f", peak {b['max_rss_mb']} MB" if b["max_rss_mb"] else "")
          + f" (extract {s.get('seconds_extract')} s, resolve+graph {s.get('seconds_resolve')} s, "
            f"workers {s.get('workers')})")
    plain, paused = r["load_seconds"], r["load_seconds_gc_paused"]
    print(f"load: {plain['median']} s, CPU {plain['cpu_median']} s (gc paused, as the CLI loads: "
          f"{paused['median']} s, CPU {paused['cpu_median']} s); first lookup {r['first_find_ms']} ms")
    print(f"tree sizes: median {r['tree_size']['median']}, max {r['tree_size']['max']} documents")
    for name, v in r["latency"].items():
        print(f"  {name:18} median {v['median_ms']:8.2f} ms   max {v['max_ms']:8.2f} ms"
              f"   CPU median {v['cpu_median_ms']:8.2f} ms   ({v['calls']} calls)")
    print(f"peak memory of this process (load + queries): {r['max_rss_mb']} MB")
    for cmd, sec in r["cli_seconds"].items():
        print(f"  {cmd}: {sec} s end to end")


if __name__ == "__main__":
    main()
