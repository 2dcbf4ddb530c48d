#!/usr/bin/env python3
"""Time to write the whole-corpus map, and time until it is usable in headless Chromium.

    python benchmarks/bench_map.py [--directives 10] [--seed 7] [--dir /tmp/cascade-bench] [--repeat 3]

Generates the synthetic corpus with ../shared/synth/make_corpus.py and builds it (once,
reused on later runs), then, on the graph of that build:

* writes ``map.html`` (``cascade map --all``) ``--repeat`` times and reports the best time
  and the file size;
* opens it from file:// in Debian's headless Chromium (every other request aborted), and
  reports the time from navigation until the map has drawn its first frame
  (``window.cascadeReady``), with the page's own split (parse the data, build the network,
  first drawing), then the time of a search, of a click highlight, and of a redraw;
* does the same for the map of the largest directive's cascade.

Medians over ``--repeat`` page loads. Results also go to benchmarks/results/bench_map.json
(git-ignored).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def corpus_build(directives: int, seed: int, where: Path) -> Path:
    """The build folder of the synthetic corpus, made if missing."""
    corpus, out = where / f"synth-{directives}-{seed}", where / f"build-{directives}-{seed}"
    if not (corpus / "gold.json").exists():
        subprocess.run([sys.executable, str(SHARED / "synth" / "make_corpus.py"), str(corpus),
                        "--directives", str(directives), "--seed", str(seed)], check=True)
    if not (out / "build.json").exists():
        from cascade.corpus.build import build

        build([corpus / "docs"], out)
    return out


def page_times(path: Path, repeat: int, probe: str) -> dict[str, Any]:
    """Load ``path`` ``repeat`` times in a fresh Chromium; medians of the timings."""
    from playwright.sync_api import sync_playwright

    runs: list[dict[str, float]] = []
    with sync_playwright() as p:
        for _ in range(repeat):
            with tempfile.TemporaryDirectory() as profile:
                ctx = p.chromium.launch_persistent_context(
                    profile, executable_path=CHROMIUM, args=ARGS, headless=True,
                    viewport={"width": 1400, "height": 900})
                page = ctx.new_page()
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                           else r.abort())
                t = time.perf_counter()
                page.goto(path.as_uri())
                page.wait_for_function("window.cascadeReady === true", timeout=300_000)
                usable = time.perf_counter() - t
                inner = page.evaluate("cascadeMap.timing")
                actions = page.evaluate("""probe => {
                    const m = window.cascadeMap, t0 = performance.now();
                    const found = m.search(probe);
                    const t1 = performance.now();
                    m.select(found[0]);
                    const t2 = performance.now();
                    m.network.redraw();
                    const t3 = performance.now();
                    m.clear();
                    return {search: t1 - t0, highlight: t2 - t1, redraw: t3 - t2, found: found.length};
                }""", probe)
                runs.append({"usable_s": usable, "parse_ms": inner["parsed"] - inner["start"],
                             "network_ms": inner["network"] - inner["parsed"],
                             "first_draw_ms": inner["drawn"] - inner["setup"],
                             "search_ms": actions["search"], "highlight_ms": actions["highlight"],
                             "redraw_ms": actions["redraw"]})
                ctx.close()
    return {k: round(statistics.median(r[k] for r in runs), 3 if k.endswith("_s") else 0) for k in runs[0]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--directives", type=int, default=10)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/cascade-bench"))
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from cascade.corpus.build import load
    from cascade.graph import DOCUMENT, KIND, cascade_view
    from cascade.outputs import maps as viz

    G = load(corpus_build(a.directives, a.seed, a.dir)).graph
    docs = sum(1 for _, k in G.nodes(data=KIND) if k == DOCUMENT)
    view = cascade_view(G)
    top = max((n for n in view if view.in_degree(n)), key=lambda n: len(view.pred[n]))
    results: dict[str, Any] = {"documents": docs, "edges": G.number_of_edges()}
    for name, doc in (("all", None), ("directive", top)):
        path = a.dir / f"map-{name}.html"
        best = min(_timed(lambda d=doc, p=path: viz.write_map(G, p, d)) for _ in range(a.repeat))
        nodes = len(viz.corpus_members(G).nodes if doc is None else viz.cascade_members(G, doc).nodes)
        row = {"doc": doc, "nodes": nodes, "write_s": round(best, 3),
               "mb": round(path.stat().st_size / 1e6, 1)}
        row.update(page_times(path, a.repeat, str(G.nodes[top].get("number") or top)))
        results[name] = row
        print(f"{name}: {nodes} nodes, wrote {row['mb']} MB in {row['write_s']} s; usable after "
              f"{row['usable_s']} s (parse {row['parse_ms']} ms, network {row['network_ms']} ms, "
              f"first draw {row['first_draw_ms']} ms); search {row['search_ms']} ms, "
              f"highlight {row['highlight_ms']} ms, redraw {row['redraw_ms']} ms")
    out = ROOT / "benchmarks" / "results" / "bench_map.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _timed(fn: Any) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
