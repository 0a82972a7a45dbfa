"""DOCX ingestion speed: documents per second and peak Python memory, ingest + extract.

    .venv/bin/python benchmarks/bench_docx.py [FILES…] [--repeat N]

Defaults to the DOCX fixtures in tests/fixtures/forms. Peak memory is tracemalloc's
(Python allocations, including lxml's Python objects, not the C heap) plus the process's max RSS.
"""
from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from pathlib import Path

from nianbao.extract import extract
from nianbao.ingest import read_document

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    files = args.files or sorted((ROOT / "tests" / "fixtures" / "forms").glob("*.docx"))
    for f in files:  # warm-up (imports, first parse)
        extract(read_document(f))
    tracemalloc.start()
    t0 = time.perf_counter()
    n = 0
    for _ in range(args.repeat):
        for f in files:
            extract(read_document(f))
            n += 1
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n} documents in {elapsed:.2f} s: {n / elapsed:.1f} documents/s, "
          f"{1000 * elapsed / n:.1f} ms each; peak traced {peak / 1048576:.1f} MiB, max RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
