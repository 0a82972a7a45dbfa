#!/usr/bin/env python3
"""Parse thousands of text reports (the seeds, re-rendered with varied numbers) on one core.

Prints reports per second for parse alone and for parse + checks, and the peak
memory as the count grows (it should stay flat: nothing accumulates per report).

    python benchmarks/bench_text.py [--count 4000] [--checks]
"""
from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from nianbao.checks import run_checks  # noqa: E402
from nianbao.extract import extract  # noqa: E402
from nianbao.ingest.text import read  # noqa: E402

_NUMBER_CELL = re.compile(r"(?<=[\t ])\d+(?=[\t ]|$)")


def renderings(count: int, seed: int = 7) -> list[bytes]:
    """*count* report texts: each seed with the numbers of its table lines replaced at random."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]
    out = []
    for i in range(count):
        base = texts[i % len(texts)]
        lines = [_NUMBER_CELL.sub(lambda _m: str(rng.randint(0, 300)), ln) if ("\t" in ln or ln[-2:] in (" 0", " 1")) else ln
                 for ln in base.splitlines()]
        out.append("\n".join(lines).encode("utf-8"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=4000)
    ap.add_argument("--checks", action="store_true", help="also run every check rule")
    args = ap.parse_args()
    docs = renderings(args.count)
    print(f"{len(docs)} reports, {sum(map(len, docs)) / len(docs) / 1024:.1f} KiB each on average")
    extract(read(docs[0], "warmup"))  # imports, regex compilation
    tracemalloc.start()
    t0 = time.perf_counter()
    marks = {len(docs) // 4, len(docs) // 2, len(docs) - 1}
    for i, data in enumerate(docs):
        report = extract(read(data, f"r{i}.txt"))
        if args.checks:
            run_checks(report)
        if i in marks:
            cur, peak = tracemalloc.get_traced_memory()
            print(f"  after {i + 1:>6} reports: traced memory now {cur / 1e6:6.2f} MB, peak {peak / 1e6:6.2f} MB")
    elapsed = time.perf_counter() - t0
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    what = "parse + checks" if args.checks else "parse"
    print(f"{what}: {len(docs) / elapsed:.0f} reports/s on one core ({elapsed:.2f} s); max RSS {rss:.0f} MB "
          "(tracemalloc slows the loop: run without it for the rate)")
    t0 = time.perf_counter()
    for i, data in enumerate(docs):
        report = extract(read(data, f"r{i}.txt"))
        if args.checks:
            run_checks(report)
    elapsed = time.perf_counter() - t0
    print(f"{what} without tracing: {len(docs) / elapsed:.0f} reports/s ({elapsed:.2f} s)")


if __name__ == "__main__":
    main()
