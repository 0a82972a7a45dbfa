"""Benchmark of the reviewers' web app, on loopback only.

1. Builds a store of N generated reports (default 2,000): the seed texts with the agency in the title
   replaced (N/4 agencies — 20 places × 3 kinds × 25 departments at most — over 4 years), ingested with ``Store.ingest``.
2. Starts ``nianbao serve`` on 127.0.0.1 (a free port) as a separate process.
3. 50 concurrent uploads of the five seeds (one request each, ``wait=true``) → counts errors.
4. Page times of the corpus page, the report list, one report and one agency, sequentially: the first
   request (cold: the corpus page computes ``Store.summary`` and caches it until the data changes),
   then p50 and p95 of the next ``--repeat`` requests.

Every loop is bounded in count and time; the server is stopped at the end.

    .venv/bin/python benchmarks/bench_web.py            # N = 2000
    .venv/bin/python benchmarks/bench_web.py --n 500 --uploads 20 --repeat 10
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
PASSWORD = "bench-password"
PLACES = ["东阳", "西平", "南川", "北流", "中牟", "上林", "下陆", "新安", "宜阳", "嵩县", "汝阳", "栾川", "洛宁",
          "伊川", "孟津", "偃师", "吉利", "瀍河", "涧西", "老城"]
DEPTS = ["教育局", "财政局", "民政局", "公安局", "司法局", "交通运输局", "水利局", "农业农村局", "商务局", "文化广电和旅游局",
         "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "林业局",
         "自然资源局", "生态环境局", "住房和城乡建设局", "人力资源和社会保障局", "发展和改革委员会", "科学技术局",
         "工业和信息化局"]
TITLE = re.compile(r"^.*\d{4}年(度)?政府信息公开.*年度报告\s*$", re.M)
YEARS = (2021, 2022, 2023, 2024)
SUFFIXES = ("县", "区", "市")  # 20 places × 3 × 25 departments = 1,500 agencies, × 4 years = 6,000 reports


def generated_texts(n: int) -> list[tuple[str, str]]:
    """(file name, text) for *n* reports: seeds of the 2021 template, new agency in the title, new year."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    seeds = [s for s in seeds if TITLE.search(s) and "本年制发件数" in s.replace(" ", "")] or seeds
    out = []
    agencies = [f"{place}{suffix}{dept}" for dept in DEPTS for suffix in SUFFIXES for place in PLACES]
    if n > len(agencies) * len(YEARS):
        raise SystemExit(f"--n at most {len(agencies) * len(YEARS)} (distinct agency-years)")
    for i in range(n):
        agency = agencies[(i // len(YEARS)) % len(agencies)]
        year = YEARS[i % len(YEARS)]
        text = seeds[i % len(seeds)]
        text = TITLE.sub(f"{agency}{year}年政府信息公开工作年度报告", text, count=1).replace("2022年", f"{year}年")
        out.append((f"gen_{i:05d}.txt", text))
    return out


def build_store(db_url: str, n: int, workdir: Path, jobs: int) -> tuple[float, int]:
    from nianbao.store import Store
    from nianbao.web.auth import hash_password

    store = Store(db_url)
    store.create_user("bench", hash_password(PASSWORD), "reviewer")
    paths = []
    for name, text in generated_texts(n):
        path = workdir / "gen" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    t0 = time.perf_counter()
    store.ingest(paths, jobs=jobs)  # the region comes from the agency name (e.g. 东阳县)
    seconds = time.perf_counter() - t0
    count = store.count_reports()
    store.close()
    return seconds, count


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_url: str, port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "nianbao.cli", "serve", "--db", db_url, "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}") from None
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("server did not start within 60 s")


def sign_in(base: str) -> tuple[httpx.Cookies, str]:
    with httpx.Client(base_url=base, timeout=60) as c:
        r = c.post("/api/session", json={"username": "bench", "password": PASSWORD})
        r.raise_for_status()
        return c.cookies, r.json()["csrf_token"]


def one_upload(base: str, cookies: httpx.Cookies, token: str, files: list[tuple[str, bytes]]) -> tuple[int, float]:
    """Errors in one upload request (HTTP failure counts all its files) and its duration."""
    t0 = time.perf_counter()
    try:
        with httpx.Client(base_url=base, cookies=cookies, timeout=600) as c:
            r = c.post("/api/uploads?wait=true", headers={"X-CSRF-Token": token},
                       files=[("files", (name, data, "text/plain")) for name, data in files])
        if r.status_code != 200:
            return len(files), time.perf_counter() - t0
        return sum(1 for i in r.json()["items"] if i["status"] == "failed"), time.perf_counter() - t0
    except httpx.HTTPError:
        return len(files), time.perf_counter() - t0


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def time_page(base: str, cookies: httpx.Cookies, path: str, repeat: int) -> dict[str, float]:
    times = []
    with httpx.Client(base_url=base, cookies=cookies, timeout=300) as c:
        t0 = time.perf_counter()
        c.get(path).raise_for_status()  # the first request: templates compiled, the corpus cache filled
        cold = time.perf_counter() - t0
        for _ in range(repeat):
            t0 = time.perf_counter()
            r = c.get(path)
            times.append(time.perf_counter() - t0)
            r.raise_for_status()
    return {"first_ms": round(cold * 1000, 1), "p50_ms": round(statistics.median(times) * 1000, 1),
            "p95_ms": round(percentile(times, 95) * 1000, 1), "n": repeat}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="reports in the store (default 2000)")
    ap.add_argument("--uploads", type=int, default=50, help="concurrent uploads of the seeds (default 50)")
    ap.add_argument("--repeat", type=int, default=20, help="timed requests per page (default 20)")
    ap.add_argument("--jobs", type=int, default=2, help="parser processes while building the store")
    ap.add_argument("--keep", metavar="DIR", help="build the store in DIR and keep it; reuse it when it exists")
    args = ap.parse_args()
    args.uploads = max(1, min(args.uploads, 200))  # bounded
    args.repeat = max(1, min(args.repeat, 200))

    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nianbao-bench-web-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{workdir / 'bench.db'}"
    proc = None
    try:
        if args.keep and (workdir / "bench.db").exists():
            from nianbao.store import Store

            build_s, count = 0.0, Store(db_url).count_reports()
        else:
            build_s, count = build_store(db_url, args.n, workdir, args.jobs)
        print(f"store: {count} reports (N={args.n} generated) built in {build_s:.1f} s", flush=True)
        port = free_port()
        proc = start_server(db_url, port)
        base = f"http://127.0.0.1:{port}"
        cookies, token = sign_in(base)

        seeds = [(p.name, p.read_bytes()) for p in sorted(SAMPLES.glob("*.txt"))]
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.uploads) as pool:
            results = list(pool.map(lambda _i: one_upload(base, cookies, token, seeds), range(args.uploads)))
        wall = time.perf_counter() - t0
        errors = sum(e for e, _ in results)
        durations = [d for _, d in results]
        print(f"uploads: {args.uploads} concurrent × {len(seeds)} seeds → {errors} errors; wall {wall:.1f} s, "
              f"per request p50 {statistics.median(durations):.2f} s, p95 {percentile(durations, 95):.2f} s",
              flush=True)

        with httpx.Client(base_url=base, cookies=cookies, timeout=60) as c:
            some = c.get("/api/reports", params={"limit": 1}).json()["reports"][0]
        pages = {"/corpus": "corpus", "/corpus?year=2022": "corpus (year filter)", "/reports": "report list",
                 f"/reports/{some['id']}": "one report", f"/agencies/{some['agency_id']}": "one agency"}
        timings = {}
        for path, label in pages.items():
            timings[label] = time_page(base, cookies, path, args.repeat)
            t = timings[label]
            print(f"page {label:22s} first {t['first_ms']:8.1f} ms   p50 {t['p50_ms']:8.1f} ms   "
                  f"p95 {t['p95_ms']:8.1f} ms", flush=True)
        print(json.dumps({"n_reports": count, "build_s": round(build_s, 1), "uploads": args.uploads,
                          "upload_errors": errors, "upload_wall_s": round(wall, 1), "pages": timings},
                         ensure_ascii=False))
        return 1 if errors else 0
    finally:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
