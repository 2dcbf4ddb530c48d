"""Speed of single stages on 5 KB of text, beside a baseline measured in the same run.

Moved here from the tests (a test never asserts wall-clock time): reading a plain UTF-8
file, finding places, cleaning a text, reading its metadata and its references, extracting
tasks. Each figure is the best of several runs, in
milliseconds per 5 KB, and as a multiple of the baseline (lower-casing and splitting the
same text), which absorbs how fast the machine is at the moment.

    python benchmarks/bench_parts.py
"""
from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cascade.extract.header import extract_metadata
from cascade.extract.references import extract_references
from cascade.extract.tasks import extract_tasks
from cascade.read import read_file
from cascade.text.normalize import CleanText, clean
from cascade.vn.place_mentions import find_places

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = ("Thực hiện Kế hoạch số 07-KH/TU ngày 23/12/2020 của Ban Thường vụ Tỉnh ủy Đắk Lắk, UBND tỉnh "
            "giao Sở Khoa học và Công nghệ chủ trì, phối hợp với UBND các huyện, thị xã, thành phố và "
            "UBND thành phố Buôn Ma Thuột, thị xã Buôn Hồ, huyện Krông Pắc triển khai thực hiện. ")


def best(f: Callable[[], object], runs: int = 20) -> float:
    f()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def _references(ct: CleanText) -> Callable[[], object]:
    """The references stage as the pipeline runs it, given the metadata it needs (read once, here)."""
    meta, header_end, title_end, _ = extract_metadata(ct, "x")
    return lambda: extract_references(ct, meta, "x", title_end=title_end, self_number=meta.number,
                                      header_end=header_end)


def main() -> None:
    text = (SENTENCE * (5000 // len(SENTENCE) + 1))[:5000]
    plan = next((ROOT / "data" / "seeds").glob("000_*.txt")).read_text(encoding="utf-8")
    ct = clean(plan)
    scale = 5000 / len(ct.text)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "a.txt"
        path.write_text(text, encoding="utf-8")
        base = best(lambda: text.lower().split())
        rows = [("baseline (lower + split)", base),
                ("read_file, plain UTF-8", best(lambda: read_file(path, manifest={}))),
                ("find_places", best(lambda: find_places(text))),
                ("clean (sample plan)", best(lambda: clean(plan)) * scale),
                ("extract_metadata (sample plan)", best(lambda: extract_metadata(ct, "x")) * scale),
                ("extract_references (sample plan)", best(_references(ct)) * scale),
                ("extract_tasks (sample plan)", best(lambda: extract_tasks(ct, "x"), runs=5) * scale)]
    for name, seconds in rows:
        print(f"{name:34} {seconds * 1000:8.3f} ms per 5 KB  {seconds / base:8.1f} x baseline")


if __name__ == "__main__":
    main()
