#!/usr/bin/env python3
"""Reading PDFs: the old reader (pypdf, as on ``main`` before the PDFium reader) beside the new one.

    python benchmarks/bench_read.py [--repeat 3] [--ocr-pages 2] [--dir /tmp/cascade-bench-read]

The five sample plans (data/seeds/*.txt) are printed to PDF by headless Chromium in
Liberation Serif, as in tests/test_read_formats.py. Both readers read the same files in
this process, best of ``--repeat`` runs each, and the script prints pages per second for
each and the ratio. The old reader is the module ``cascade/read/__init__.py`` of the
commit before the split (taken from git), so the figures compare like with like. Then,
when Tesseract is installed, ``--ocr-pages`` pages are rasterised at 200 dpi into an
image-only PDF and read by OCR: seconds per page.
"""
from __future__ import annotations

import argparse
import html
import importlib.util
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
#: the last commit whose reader used pypdf
OLD_READER = "b296fc4:cascade/read/__init__.py"
CSS = ("@page { size: A4; margin: 2cm 2cm 2cm 3cm; } body { font-family: 'Liberation Serif', serif; "
       "font-size: 13pt; text-align: justify; } p { margin: 0 0 6pt 0; }")


def print_seeds(folder: Path) -> list[Path]:
    exe = shutil.which("chromium")
    if exe is None:
        sys.exit("chromium is needed to print the sample plans (apt-get install chromium fonts-liberation)")
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for txt in sorted((ROOT / "data" / "seeds").glob("*.txt")):
        pdf = folder / f"{txt.stem}.pdf"
        if not pdf.exists():
            lines = [ln.strip() for ln in txt.read_text(encoding="utf-8").splitlines() if ln.strip()]
            page = folder / f"{txt.stem}.html"
            page.write_text(f'<!doctype html><meta charset="utf-8"><style>{CSS}</style>'
                            + "".join(f"<p>{html.escape(ln)}</p>" for ln in lines), encoding="utf-8")
            subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                            f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, check=False)
        out.append(pdf)
    return out


def old_reader(folder: Path):  # type: ignore[no-untyped-def]
    """The old reader's module, or None when this checkout lacks that commit (a shallow clone)."""
    got = subprocess.run(["git", "-C", str(ROOT), "show", OLD_READER], capture_output=True, text=True)
    if got.returncode:
        return None
    source = got.stdout
    path = folder / "old_read.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_read", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_read"] = module                  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ocr-pages", type=int, default=2)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/cascade-bench-read"))
    args = ap.parse_args()

    import pypdfium2 as pdfium

    from cascade.read import ReadOptions, pdf

    pdfs = print_seeds(args.dir)
    datas = [p.read_bytes() for p in pdfs]
    pages = sum(len(pdfium.PdfDocument(d)) for d in datas)
    old = old_reader(args.dir)
    options = ReadOptions(ocr=False)
    t_new = best(lambda: [pdf.read(d, p, options) for d, p in zip(datas, pdfs, strict=True)], args.repeat)
    print(f"text PDFs: {len(pdfs)} files, {pages} pages (Chromium, Liberation Serif), best of {args.repeat}")
    if old is None:
        print(f"  old reader (pypdf)    not timed: commit {OLD_READER.split(':')[0]} is not in this clone "
              "(git fetch --unshallow)")
    else:
        t_old = best(lambda: [old._read_pdf(d) for d in datas], args.repeat)
        print(f"  old reader (pypdf)    {pages / t_old:8.1f} pages/s   {t_old:7.3f} s")
    print(f"  new reader (PDFium)   {pages / t_new:8.1f} pages/s   {t_new:7.3f} s")
    if old is not None:
        print(f"  speed-up              {t_old / t_new:8.1f} x")

    if args.ocr_pages <= 0:
        return
    from cascade.read import ocr

    why = ocr.missing()
    if why:
        print(f"OCR: skipped ({why})")
        return
    doc = pdfium.PdfDocument(datas[0])
    n = min(args.ocr_pages, len(doc))
    images = [doc[i].render(scale=200 / 72, grayscale=True).to_pil() for i in range(n)]
    scan = args.dir / "scan.pdf"
    images[0].save(scan, save_all=True, append_images=images[1:], resolution=200)
    t = time.perf_counter()
    got = pdf.read(scan.read_bytes(), scan, ReadOptions())
    dt = time.perf_counter() - t
    print(f"OCR (Tesseract, vie, 200 dpi scan rendered at {pdf.OCR_DPI} dpi): {n} pages, "
          f"{dt / n:.1f} s/page, mean word confidence {got.ocr_confidence}")


if __name__ == "__main__":
    main()
