#!/usr/bin/env python3
"""Throughput and peak memory of the HTML ingester (plus the extractor) on the HTML fixtures.

Why: portals publish thousands of reports; a batch run must stay fast and small. Usage::

    python benchmarks/bench_html.py [N] [--no-extract]

Parses every HTML/JSON fixture of ``tests/fixtures/forms`` (and the real pingtan page when
present) N times; prints documents/s and the peak Python heap (tracemalloc, measured in a
separate pass so it does not slow the timing) and the process's max RSS.
"""
from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from pathlib import Path

from nianbao.extract import extract
from nianbao.ingest.html import read

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted((ROOT / "tests" / "fixtures" / "forms").glob("*.html")) + sorted(
    (ROOT / "tests" / "fixtures" / "forms").glob("*.json"))
FILES = [f for f in FILES if f.name != "MANIFEST.json"]
PINGTAN = Path("/work/shared/corpus-dev/fj-2021-pingtan-gov-html.html")
if PINGTAN.exists():
    FILES.append(PINGTAN)


def run(n: int, with_extract: bool) -> float:
    blobs = [(str(f), f.read_bytes()) for f in FILES]
    t0 = time.perf_counter()
    for _ in range(n):
        for name, data in blobs:
            doc = read(data, name)
            if with_extract:
                extract(doc)
    return time.perf_counter() - t0


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 20
    with_extract = "--no-extract" not in sys.argv
    run(1, with_extract)  # warm-up (imports, regex compilation)
    seconds = run(n, with_extract)
    docs = n * len(FILES)
    tracemalloc.start()
    run(1, with_extract)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = sum(f.stat().st_size for f in FILES) / len(FILES) / 1024
    what = "ingest+extract" if with_extract else "ingest only"
    print(f"{len(FILES)} pages (mean {size:.0f} KiB) x {n}: {docs / seconds:.1f} documents/s ({what}), "
          f"{1000 * seconds / docs:.1f} ms/document, peak Python heap {peak / 1048576:.1f} MiB, max RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
