"""Benchmark the PDF ingester: reports/s and pages/s on one core, and peak memory.

Parses every PDF fixture made from the seeds (tests/fixtures/forms, text-layer
PDFs only) and the real 淮安 2024 report when the shared corpus is mounted,
N times each, in this one process (one core). Two figures per pass: the
ingester alone (PDF → Document) and the whole parse (Document → Report too).

    .venv/bin/python benchmarks/bench_pdf.py [-n 10] [FILE.pdf ...]
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMS = ROOT / "tests" / "fixtures" / "forms"
HUAIAN = Path("/work/shared/corpus-dev/js-2024-huaian-gov.pdf")


def default_files() -> list[Path]:
    files: list[Path] = []
    manifest = FORMS / "MANIFEST.json"
    if manifest.exists():
        entries = json.loads(manifest.read_text(encoding="utf-8"))
        files += sorted(FORMS / name for name, e in entries.items() if e.get("form") == "pdf")
    if HUAIAN.exists():
        files.append(HUAIAN)
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("-n", type=int, default=10, help="passes over the files (default 10)")
    args = ap.parse_args()
    files = args.files or default_files()
    if not files:
        print("no PDF files to benchmark (generate tests/fixtures/forms first)", file=sys.stderr)
        return 1

    from nianbao.extract import extract
    from nianbao.ingest.pdf import read

    blobs = [(str(f), f.read_bytes()) for f in files]
    pages = 0
    for name, data in blobs:  # warm-up (imports, pdfium init) and page count
        pages += int(read(data, name).meta["pages"])

    t0 = time.perf_counter()
    for _ in range(args.n):
        for name, data in blobs:
            read(data, name)
    ingest_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    for _ in range(args.n):
        for name, data in blobs:
            extract(read(data, name))
    parse_s = time.perf_counter() - t0

    tracemalloc.start()
    for name, data in blobs:
        extract(read(data, name))
    _, py_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    reports = len(blobs) * args.n
    print(f"{len(blobs)} PDFs, {pages} pages, {args.n} passes")
    for label, secs in (("ingest (PDF → Document)", ingest_s), ("parse  (PDF → Report)  ", parse_s)):
        print(f"{label}: {reports / secs:7.1f} reports/s  {pages * args.n / secs:7.1f} pages/s  "
              f"{secs / reports * 1000:6.1f} ms/report")
    print(f"peak memory: {rss_mb:.0f} MB RSS (process), {py_peak / 1048576:.1f} MB Python heap for one pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
