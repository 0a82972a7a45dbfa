"""Ingest benchmark: N text reports rendered from the seeds (varied agencies, years and numbers) into SQLite.

Prints reports/s, peak memory (parent and workers), database size and the summary query time.
Target: ≥ 100 reports/s with --jobs 2.

    .venv/bin/python benchmarks/bench_ingest.py            # 10,000 reports
    .venv/bin/python benchmarks/bench_ingest.py -n 2000 --jobs 2 --keep /tmp/bench
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
# seed file → (the publisher text to replace, how to name the i-th agency, the seed's year, the years to render)
SEEDS = {
    "000_a122145f4d95bb2d": ("机关事务管理局", "{p}事务管理局", "2022", ("2021", "2022", "2023")),
    "001_203072e8f6b1ea52": ("政务服务和大数据管理局", "{p}数据管理局", "2020", ("2019", "2020")),
    "002_e36d426879923bc1": ("孟津区", "{p}区", "2022", ("2021", "2022", "2023")),
    "003_2a799143023ee02c": ("偃师区", "{p}区", "2022", ("2021", "2022", "2023")),
    "004_075fb8c0c28ee6ce": ("老城区机关事务服务中心", "{p}区机关事务服务中心", "2022", ("2021", "2022", "2023")),
}
CHARS = "安宝昌丰福广贵海恒弘华吉嘉金锦康乐丽隆茂明宁平庆瑞润盛顺泰通万文祥欣兴旭延阳益永裕源云长振正"
_INT_CELL = re.compile(r"(?<=\t)(\d+)(?=\t|\s*$)")
_INT_LINE = re.compile(r"^\s*\d+(?:\s+\d+)*\s*$")


def place(i: int) -> str:
    n = len(CHARS)
    return CHARS[i % n] + CHARS[(i // n) % n] + (CHARS[(i // n // n) % n] if i >= n * n else "")


def vary(text: str, k: int) -> str:
    """Multiply the table counts by k (keeps every in-report balance true)."""
    out = []
    for line in text.split("\n"):
        if _INT_LINE.match(line):
            line = re.sub(r"\d+", lambda m: str(int(m.group()) * k), line)
        elif "\t" in line:
            line = _INT_CELL.sub(lambda m: str(int(m.group()) * k), line)
        out.append(line)
    return "\n".join(out)


def generate(folder: Path, n: int) -> int:
    texts = {sid: (SAMPLES / f"{sid}.txt").read_text(encoding="utf-8") for sid in SEEDS}
    made, agency = 0, 0
    while made < n:
        sid = list(SEEDS)[agency % len(SEEDS)]
        old, pattern, seed_year, years = SEEDS[sid]
        base = texts[sid].replace(old, pattern.format(p=place(agency)))
        for j, year in enumerate(years):
            if made >= n:
                break
            body = vary(base.replace(seed_year, year), 1 + (agency + j) % 5)
            sub = folder / f"{made // 1000:02d}"
            sub.mkdir(exist_ok=True)
            (sub / f"r{made:05d}.txt").write_text(body, encoding="utf-8")
            made += 1
        agency += 1
    return made


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    ap.add_argument("--no-isolate", action="store_true",
                    help="parse in this process, one file after another (to measure what the child processes cost)")
    args = ap.parse_args()

    from nianbao.isolate import ParseLimits
    from nianbao.store import Store

    limits = ParseLimits(isolate=not args.no_isolate)

    work = args.keep or Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    reports, db = work / "reports", work / "bench.db"
    shutil.rmtree(reports, ignore_errors=True)
    for f in work.glob("bench.db*"):
        f.unlink()
    reports.mkdir()
    t0 = time.perf_counter()
    n = generate(reports, args.n)
    print(f"generated {n} reports in {time.perf_counter() - t0:.1f} s ({work})")

    store = Store(f"sqlite:///{db}")
    cpu0 = _cpu()
    t0 = time.perf_counter()
    result = store.ingest([str(reports)], jobs=args.jobs, limits=limits)
    took = time.perf_counter() - t0
    cpu = _cpu() - cpu0
    print(f"ingest: {result.added} added, {len(result.failed)} failed in {took:.1f} s "
          f"= {result.added / took:.1f} reports/s (jobs={args.jobs}, incl. cross-report checks, "
          f"{'in process' if args.no_isolate else 'in child processes, a few files each'})")
    # Wall time depends on whatever else runs on the machine; CPU time per report does not.
    print(f"cpu: {cpu:.1f} s in parent + workers = {cpu / max(1, result.added) * 1000:.1f} ms/report "
          f"(≈ {max(1, result.added) / cpu * min(args.jobs, os.cpu_count() or 1):.0f} reports/s "
          f"if {args.jobs} cores were free)")
    for item in result.failed[:5]:
        print("  failed:", item.path, item.error)
    t0 = time.perf_counter()
    again = store.ingest([str(reports)], jobs=args.jobs, limits=limits)
    print(f"re-ingest (nothing changed): {again.unchanged} unchanged in {time.perf_counter() - t0:.1f} s")
    for label, kwargs in (("summary (all)", {}), ("summary --year 2022", {"year": 2022})):
        t0 = time.perf_counter()
        sm = store.summary(**kwargs)
        print(f"{label}: {sm.n_reports} reports in {time.perf_counter() - t0:.2f} s")
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size = sum(f.stat().st_size for f in work.glob("bench.db*")) / 1048576
    print(f"peak memory: parent {self_mb:.0f} MB, largest worker {child_mb:.0f} MB; database {size:.0f} MB")
    store.close()
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
