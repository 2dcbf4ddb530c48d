#!/usr/bin/env python3
"""CPU of the build's publish phase (cascade.ttl, statements.jsonl, map.html) per plan, beside another
checkout's in the same run.

    python benchmarks/bench_publish.py CORPUS [--against /path/to/other/checkout] [--rounds 3]

Each run is a fresh process, ``python -m cascade build CORPUS --no-cache --quiet --workers 1`` into
a temporary folder with ``PYTHONPATH`` set to the checkout, and reads ``cpu_publish`` (CPU seconds
of the writers after the build's own files) and ``documents`` from its build.json. With
``--against``, the two checkouts run one after the other in each round, so both see the same load;
the other checkout must time the phase too (``cpu_publish``, since the commit that added it). Prints
every run and the median of each checkout, in milliseconds of CPU per plan.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def publish_cpu(checkout: Path, corpus: Path) -> tuple[float, int]:
    """(CPU seconds of the publish phase, documents) of one build of ``corpus`` with ``checkout``'s code."""
    with tempfile.TemporaryDirectory(prefix="bench-publish-") as tmp:
        out = Path(tmp) / "build"
        env = {**os.environ, "PYTHONPATH": str(checkout), "SOURCE_DATE_EPOCH": "1609459200"}
        subprocess.run([sys.executable, "-m", "cascade", "build", str(corpus), "--build-dir", str(out),
                        "--no-cache", "--quiet", "--workers", "1"], env=env, check=True, cwd=tmp)
        stats = json.loads((out / "build.json").read_text(encoding="utf-8"))["stats"]
    if "cpu_publish" not in stats:
        raise SystemExit(f"{checkout} does not time the publish phase (no cpu_publish in build.json)")
    return float(stats["cpu_publish"]), int(stats["documents"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path, help="a folder of input texts")
    ap.add_argument("--against", type=Path, help="another checkout to run beside this one")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    checkouts = {"this": ROOT} | ({"against": args.against.resolve()} if args.against else {})
    per_plan: dict[str, list[float]] = {name: [] for name in checkouts}
    for r in range(1, args.rounds + 1):
        for name, checkout in checkouts.items():
            cpu, docs = publish_cpu(checkout, args.corpus)
            per_plan[name].append(1000 * cpu / docs)
            print(f"round {r} {name:8s} {cpu:7.3f} s CPU for {docs} plans = {per_plan[name][-1]:.3f} ms/plan",
                  flush=True)
    for name, values in per_plan.items():
        print(f"median   {name:8s} {statistics.median(values):.3f} ms/plan ({checkouts[name]})")


if __name__ == "__main__":
    main()
