"""OCR speed: seconds per page and peak memory for the scanned fixture (or the given PDFs/images).

    .venv/bin/python benchmarks/bench_ocr.py [FILES…]

Engine load is timed separately (it happens once per process). Memory is the process's
max RSS (onnxruntime allocates outside Python, so tracemalloc would miss most of it).
"""
from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from nianbao.ingest import ocr

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*", type=Path)
    args = ap.parse_args()
    forms = ROOT / "tests" / "fixtures" / "forms"
    files = args.files or sorted(forms.glob("*.scan.pdf")) + sorted(forms.glob("*.scan-p*.png"))
    t0 = time.perf_counter()
    ocr.get_engine()
    print(f"engine load {time.perf_counter() - t0:.2f} s")
    for f in files:
        t0 = time.perf_counter()
        if f.suffix.lower() == ".pdf":
            import pypdfium2

            pdf = pypdfium2.PdfDocument(str(f))
            pages = len(pdf)
            ocr.ocr_pdf_pages(pdf, list(range(pages)), str(f))
            pdf.close()
        else:
            ocr.read(f.read_bytes(), str(f))
            pages = 1
        dt = time.perf_counter() - t0
        print(f"{f.name}: {pages} page(s), {dt:.1f} s, {dt / pages:.2f} s/page")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
