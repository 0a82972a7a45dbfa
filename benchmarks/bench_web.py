"""Benchmark of the reviewers' web app under load, on loopback only.

1. Builds a store of N generated reports (default 2,000): the seed texts with the agency in the title
   replaced (N/4 agencies — 20 places × 3 kinds × 25 departments at most — over 4 years), ingested with ``Store.ingest``.
2. Starts ``nianbao serve`` on 127.0.0.1 (a free port) as a separate process.
3. Load: ``--clients`` (default 50) simulated reviewers for ``--duration`` seconds (default 60), each
   repeating: a page or API request chosen from a fixed mix (think time 0.5–1.5 s between requests), and
   one request in ten an upload of one or two *new* generated reports (answered 202, ingested in the
   background). One upload is the parser-killing PDF of ``tests/fixtures/hostile``. The server process
   tree's memory (RSS of the server and its parser children) is sampled every 0.2 s.
4. Restart: ``--restart-uploads`` (default 20) more uploads are accepted, the server is killed with
   SIGKILL straight after the last 202 and started again on the same database and queue.
5. Every accepted upload is polled until its batch is finished (bounded): an upload is *lost* when
   its batch is gone or a file in it never reaches a final status.
6. Page times of the corpus page, the report list, one report and one agency, sequentially: the first
   request (cold), then p50 and p95 of the next ``--repeat`` requests.

Prints errors (non-2xx/3xx answers and failed requests, by route), uploads lost, the server's memory
peak, and p50/p95 per route under load. Every loop is bounded in count and time; the server is
stopped at the end.

    .venv/bin/python benchmarks/bench_web.py                       # N = 2000, 50 clients, 60 s
    .venv/bin/python benchmarks/bench_web.py --n 500 --clients 20 --duration 20 --repeat 10
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CRASH_PDF = ROOT / "tests" / "fixtures" / "hostile" / "crash-20m-objects.pdf"
FINAL = {"added", "unchanged", "new_version", "failed"}
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
    cmd = [sys.executable, "-m", "nianbao.cli", "serve", "--db", db_url, "--host", "127.0.0.1", "--port", str(port),
           "--max-memory", "1024"]
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


def tree_rss_mb(pid: int) -> float:
    """RSS of *pid* and its descendants (the parser children), from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total / 1048576


class MemoryWatch(threading.Thread):
    """Samples the server tree's RSS every 0.2 s; ``peak_mb`` is the largest sample."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.pid: int | None = None
        self.peak_mb = 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            if self.pid:
                self.peak_mb = max(self.peak_mb, tree_rss_mb(self.pid))


class Load:
    """Per-route latencies, errors and accepted uploads of the load phase (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.accepted: list[tuple[str, int]] = []  # (batch id, files)

    def record(self, route: str, seconds: float, ok: bool) -> None:
        with self.lock:
            self.times.setdefault(route, []).append(seconds)
            if not ok:
                self.errors[route] = self.errors.get(route, 0) + 1


def upload(c: httpx.Client, token: str, files: list[tuple[str, bytes]], load: Load, route: str = "POST /api/uploads"
           ) -> None:
    t0 = time.perf_counter()
    try:
        r = c.post("/api/uploads", headers={"X-CSRF-Token": token},
                   files=[("files", (name, data, "application/octet-stream")) for name, data in files])
        ok = r.status_code in (200, 202)
        if ok:
            with load.lock:
                load.accepted.append((r.json()["id"], len(files)))
    except httpx.HTTPError:
        ok = False
    load.record(route, time.perf_counter() - t0, ok)


def client_loop(i: int, base: str, cookies: httpx.Cookies, token: str, routes: list[tuple[str, str]],
                fresh: list[tuple[str, bytes]], deadline: float, load: Load) -> None:
    """One simulated reviewer: requests from the mix until *deadline*; a tenth of them uploads."""
    rng = random.Random(i)
    with httpx.Client(base_url=base, cookies=cookies, timeout=120) as c:
        while time.monotonic() < deadline:
            if rng.random() < 0.1:
                with load.lock:
                    files = [fresh.pop() for _ in range(min(len(fresh), rng.choice((1, 2))))]
                if files:
                    upload(c, token, files, load)
            else:
                label, path = rng.choice(routes)
                t0 = time.perf_counter()
                try:
                    ok = c.get(path).status_code < 400
                except httpx.HTTPError:
                    ok = False
                load.record(label, time.perf_counter() - t0, ok)
            time.sleep(min(max(0.0, deadline - time.monotonic()), rng.uniform(0.5, 1.5)))


def lost_uploads(base: str, cookies: httpx.Cookies, accepted: list[tuple[str, int]], timeout: float) -> int:
    """Files of accepted uploads that never reached a final status within *timeout* seconds."""
    deadline = time.monotonic() + timeout
    pending = dict(accepted)
    lost = 0
    with httpx.Client(base_url=base, cookies=cookies, timeout=60) as c:
        while pending and time.monotonic() < deadline:
            for batch_id in list(pending):
                r = c.get(f"/api/uploads/{batch_id}")
                if r.status_code == 404:
                    lost += pending.pop(batch_id)
                elif r.status_code == 200 and r.json()["finished"]:
                    items = r.json()["items"]
                    lost += pending.pop(batch_id) - sum(1 for it in items if it["status"] in FINAL)
            time.sleep(0.5)
    return lost + sum(pending.values())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="reports in the store (default 2000)")
    ap.add_argument("--clients", type=int, default=50, help="simulated reviewers (default 50, at most 200)")
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60, at most 600)")
    ap.add_argument("--restart-uploads", type=int, default=20, help="uploads accepted just before the kill (default 20)")
    ap.add_argument("--repeat", type=int, default=20, help="timed requests per page afterwards (default 20)")
    ap.add_argument("--jobs", type=int, default=2, help="parser processes while building the store")
    ap.add_argument("--keep", metavar="DIR", help="build the store in DIR and keep it; reuse it when it exists")
    args = ap.parse_args()
    args.clients = max(1, min(args.clients, 200))  # bounded
    args.duration = max(1.0, min(args.duration, 600.0))
    args.restart_uploads = max(0, min(args.restart_uploads, 200))
    args.repeat = max(1, min(args.repeat, 200))

    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nianbao-bench-web-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{workdir / 'bench.db'}"
    proc = None
    watch = MemoryWatch()
    try:
        if args.keep and (workdir / "bench.db").exists():
            from nianbao.store import Store

            build_s, count = 0.0, Store(db_url).count_reports()
        else:
            build_s, count = build_store(db_url, args.n, workdir, args.jobs)
        print(f"store: {count} reports (N={args.n} generated) built in {build_s:.1f} s", flush=True)
        port = free_port()
        proc = start_server(db_url, port)
        watch.pid = proc.pid
        watch.start()
        base = f"http://127.0.0.1:{port}"
        cookies, token = sign_in(base)

        with httpx.Client(base_url=base, cookies=cookies, timeout=60) as c:
            some = c.get("/api/reports", params={"limit": 1}).json()["reports"][0]
        routes = [("GET /corpus", "/corpus"), ("GET /corpus?year", "/corpus?year=2022"),
                  ("GET /reports", "/reports"), ("GET /reports/{id}", f"/reports/{some['id']}"),
                  ("GET /agencies/{id}", f"/agencies/{some['agency_id']}"),
                  ("GET /api/reports", "/api/reports?limit=20")]
        # new reports for the uploads: agency-years the store does not hold yet
        capacity = 20 * 3 * 25 * 4
        spare = [(n, t.encode()) for n, t in generated_texts(capacity)[args.n:]]
        restart_files = [spare.pop() for _ in range(min(len(spare), args.restart_uploads))]
        load = Load()
        with httpx.Client(base_url=base, cookies=cookies, timeout=120) as c:
            upload(c, token, [("crash.pdf", CRASH_PDF.read_bytes())], load, "POST /api/uploads (crash PDF)")
        deadline = time.monotonic() + args.duration
        t0 = time.perf_counter()
        threads = [threading.Thread(target=client_loop, args=(i, base, cookies, token, routes, spare, deadline, load),
                                    daemon=True) for i in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.duration + 180)
        wall = time.perf_counter() - t0
        requests = sum(len(v) for v in load.times.values())
        print(f"load: {args.clients} clients × {wall:.0f} s → {requests} requests "
              f"({requests / wall:.1f}/s), {len(load.accepted)} uploads accepted", flush=True)

        # restart: accept uploads, kill the server at once, start it again on the same database and queue
        with httpx.Client(base_url=base, cookies=cookies, timeout=120) as c:
            for name, data in restart_files:
                upload(c, token, [(name, data)], load, "POST /api/uploads (before kill)")
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)
        proc = start_server(db_url, port)
        watch.pid = proc.pid
        cookies, token = sign_in(base)  # the session key is kept in the database: a new sign-in anyway
        lost = lost_uploads(base, cookies, load.accepted, timeout=600)
        errors = sum(load.errors.values())
        print(f"uploads: {len(load.accepted)} accepted ({sum(n for _, n in load.accepted)} files, "
              f"{len(restart_files)} of them just before a SIGKILL restart) → {lost} lost", flush=True)
        print(f"errors: {errors} {load.errors if errors else ''}", flush=True)
        print(f"server memory peak (server + parser children, RSS): {watch.peak_mb:.0f} MB", flush=True)
        per_route = {}
        for route, times in sorted(load.times.items()):
            per_route[route] = {"n": len(times), "p50_ms": round(statistics.median(times) * 1000, 1),
                                "p95_ms": round(percentile(times, 95) * 1000, 1)}
            t = per_route[route]
            print(f"  {route:34s} n {t['n']:5d}   p50 {t['p50_ms']:8.1f} ms   p95 {t['p95_ms']:8.1f} ms", flush=True)

        pages = {"/corpus": "corpus", "/corpus?year=2022": "corpus (year filter)", "/reports": "report list",
                 f"/reports/{some['id']}": "one report", f"/agencies/{some['agency_id']}": "one agency"}
        timings = {}
        for path, label in pages.items():
            timings[label] = time_page(base, cookies, path, args.repeat)
            t = timings[label]
            print(f"page {label:22s} first {t['first_ms']:8.1f} ms   p50 {t['p50_ms']:8.1f} ms   "
                  f"p95 {t['p95_ms']:8.1f} ms", flush=True)
        print(json.dumps({"n_reports": count, "build_s": round(build_s, 1), "clients": args.clients,
                          "duration_s": round(wall, 1), "requests": requests, "errors": load.errors,
                          "uploads_accepted": len(load.accepted), "uploads_lost": lost,
                          "server_memory_peak_mb": round(watch.peak_mb), "load": per_route, "pages": timings},
                         ensure_ascii=False))
        return 1 if errors or lost else 0
    finally:
        watch.stop.set()
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
