"""Fuzz the ingesters with mutated real fixtures, then run the hostile files of issue 13.

    .venv/bin/python benchmarks/fuzz_ingest.py [--inputs 100000] [--workers 2] [--seed 1] [--minutes M]
                                               [--timeout 60] [--skip-hostile] [--crashes DIR]

Every input is a mutated copy of a committed fixture (HTML, text, DOCX, PDF, DOC, image): byte
flips, inserted/deleted/duplicated ranges, truncation, splices, and numbers swapped for huge
ones (spans, lengths, counts); DOCX inputs are mostly mutated *inside* ``word/document.xml`` and
re-zipped, so the XML walker is reached and not only the ZIP check. Each input is read the way
the CLI reads a file (``read_bytes`` then ``extract``) in one of ``--workers`` worker processes,
which measure, per input, wall time and peak resident memory (``VmHWM`` after resetting it
through ``/proc/self/clear_refs``, so it is the whole process's peak while reading that file).

A *crash* is any exception other than :class:`NianbaoError`, a reason saying 内部错误, or a worker
that died; a *timeout* is a file still running after ``--timeout`` seconds (the worker is killed;
OCR of a scan is about 2 s a page, more on a loaded machine). Crashing inputs are written to
``--crashes`` (default ``artifacts/fuzz-crashes``) for ``tests/fixtures/fuzz-regressions/``.

Then ``scripts/make_hostile.py`` writes the hostile files (2 GiB inflate bomb, 50 MB page, span
bombs, corrupt ZIPs, Big5/Shift-JIS/UTF-16 pages, a 300-page PDF…) into ``artifacts/hostile``
and each is read in a fresh worker: outcome, time, memory, and whether it meets the expectation
and the targets (≤ 30 s, ≤ 1 GB).

Prints a summary; exit status 1 if any crash or any hostile file misses its expectation.
"""
from __future__ import annotations

import argparse
import collections
import contextlib
import multiprocessing as mp
import os
import random
import re
import sys
import time
import traceback
import zipfile
from dataclasses import dataclass
from io import BytesIO
from multiprocessing.connection import Connection, wait
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEED_DIRS = ("forms", "variants", "docx-variants", "pdf-variants", "robust")
TARGET_SECONDS = 30.0
TARGET_BYTES = 1024**3
# Share of inputs per form (OCR and LibreOffice take about a second per input: few of them).
# "scan" is a PDF whose pages are images (read through OCR).
FORM_WEIGHTS = {"html": 30, "text": 25, "docx": 25, "pdf": 19.4, "doc": 0.2, "image": 0.2, "scan": 0.2}
HUGE = (b"0", b"-1", b"99999", b"1000000000", b"4294967296", b"99999999999999999999", b"1e308", b"nan")


# ------------------------------------------------------------------------------------------ inputs

def seed_files() -> dict[str, list[Path]]:
    """The fixtures by form (the form the ingester will see, sniffed from the bytes)."""
    from nianbao.ingest import sniff

    by_form: dict[str, list[Path]] = collections.defaultdict(list)
    for d in SEED_DIRS:
        for f in sorted((FIXTURES / d).rglob("*")):
            if f.is_file() and not f.name.endswith(".json") and f.name not in ("READY",):
                form = sniff(f.read_bytes(), f.name)
                by_form["scan" if form == "pdf" and "scan" in f.name else form].append(f)
    return dict(by_form)


def _ranges(rng: random.Random, n: int) -> tuple[int, int]:
    a = rng.randrange(max(n, 1))
    return a, min(n, a + rng.choice((1, 2, 4, 16, 64, 512, 4096)))


def mutate_bytes(data: bytes, rng: random.Random, other: bytes) -> bytes:
    """One to four random byte-level mutations of *data* (*other* is a second seed for splices)."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        n = len(buf)
        op = rng.randrange(9)
        if n == 0:
            buf += other[:64]
            continue
        if op == 0:  # flip bits
            for _ in range(rng.randint(1, 8)):
                buf[rng.randrange(n)] ^= 1 << rng.randrange(8)
        elif op == 1:  # random bytes over a range
            a, b = _ranges(rng, n)
            buf[a:b] = rng.randbytes(b - a)
        elif op == 2:  # insert
            a = rng.randrange(n)
            buf[a:a] = rng.choice((rng.randbytes(rng.randint(1, 64)), b"\x00" * 8, b"<table>", b"<td colspan=1000>",
                                   b"stream\n", b"endobj", b"\xff\xfe", b"<w:tbl>"))
        elif op == 3:  # delete
            a, b = _ranges(rng, n)
            del buf[a:b]
        elif op == 4:  # duplicate a range (repetition is what parsers expand)
            a, b = _ranges(rng, n)
            buf[a:a] = bytes(buf[a:b]) * rng.choice((2, 8, 64))
        elif op == 5:  # truncate
            del buf[rng.randrange(n):]
        elif op == 6:  # splice another seed
            a = rng.randrange(n)
            c = rng.randrange(max(len(other), 1))
            buf[a:] = other[c:c + rng.randint(1, 100_000)]
        elif op == 7:  # a number becomes a huge/odd one
            numbers = list(re.finditer(rb"\d+", bytes(buf[: 2_000_000])))
            if numbers:
                m = rng.choice(numbers)
                buf[m.start():m.end()] = rng.choice(HUGE)
        else:  # swap two bytes far apart
            i, j = rng.randrange(n), rng.randrange(n)
            buf[i], buf[j] = buf[j], buf[i]
    return bytes(buf)


def mutate_docx(data: bytes, rng: random.Random, other: bytes) -> bytes:
    """Mostly: mutate ``word/document.xml`` (markup-aware: spans and counts) and re-zip; else raw bytes."""
    if rng.random() < 0.25:
        return mutate_bytes(data, rng, other)
    try:
        src = zipfile.ZipFile(BytesIO(data))
        xml = src.read("word/document.xml")
    except Exception:
        return mutate_bytes(data, rng, other)
    if rng.random() < 0.5:
        attrs = list(re.finditer(rb'<w:(gridSpan|gridBefore|gridAfter|vMerge|hMerge|gridCol|tcW)\b[^>]*/>', xml))
        for _ in range(rng.randint(1, 3)):
            if attrs:
                m = rng.choice(attrs)
                tag = m.group(1).decode()
                xml = xml.replace(m.group(0), f'<w:{tag} w:val="{rng.choice(HUGE).decode()}" w:w="{rng.choice(HUGE).decode()}"/>'.encode(), 1)
        if rng.random() < 0.3:  # nest a table in a cell, or duplicate a row many times
            rows = list(re.finditer(rb"<w:tr\b.*?</w:tr>", xml, re.S))
            if rows:
                m = rng.choice(rows)
                xml = xml[: m.end()] + m.group(0) * rng.choice((10, 100, 1000)) + xml[m.end():]
    else:
        xml = mutate_bytes(xml, rng, other[:4096])
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, xml if info.filename == "word/document.xml" else src.read(info.filename))
    return out.getvalue()


def make_input(form: str, seeds: list[bytes], rng: random.Random, all_seeds: list[bytes]) -> bytes:
    data = rng.choice(seeds)
    other = rng.choice(all_seeds)
    if form == "docx":
        return mutate_docx(data, rng, other)
    return mutate_bytes(data, rng, other)


# ------------------------------------------------------------------------------------------ worker

def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def _peak_bytes() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def read_one(data: bytes, name: str) -> tuple[str, str]:
    """``(outcome, detail)``: ok, error:<kind>, or crash (detail: reason or traceback)."""
    from nianbao.errors import NianbaoError
    from nianbao.extract import extract
    from nianbao.ingest import read_bytes

    try:
        extract(read_bytes(data, name))
    except NianbaoError as exc:
        if "内部错误" in exc.reason:
            return "crash", exc.reason
        return f"error:{exc.kind}", exc.reason
    except Exception:
        return "crash", traceback.format_exc(limit=12)
    return "ok", ""


def regenerate(task: tuple, seed_paths: dict[str, list[str]]) -> bytes:
    """The input of a fuzz task again (inputs are a pure function of the task), e.g. after a timeout."""
    _, form, n, base = task
    seeds = {f: [Path(p).read_bytes() for p in paths] for f, paths in seed_paths.items()}
    all_seeds = [d for ds in seeds.values() for d in ds]
    return make_input(form, seeds[form], random.Random(base * 1_000_003 + n), all_seeds)


def worker(conn: Connection, seed_paths: dict[str, list[str]]) -> None:
    """Serve tasks: ("fuzz", form, n) builds the n-th mutated input; ("file", path) reads a file."""
    seeds = {form: [Path(p).read_bytes() for p in paths] for form, paths in seed_paths.items()}
    all_seeds = [d for ds in seeds.values() for d in ds]
    for form in ("html", "text", "docx", "pdf"):  # imports outside the measurement
        if seeds.get(form):
            read_one(seeds[form][0], f"warm-up.{_SUFFIX[form]}")
    while True:
        task = conn.recv()
        if task is None:
            return
        if task[0] == "fuzz":
            _, form, n, base = task
            rng = random.Random(base * 1_000_003 + n)
            data = make_input(form, seeds[form], rng, all_seeds)
            name = f"fuzz-{n}.{_SUFFIX.get(form, 'bin')}"
        else:
            name = task[1]
            data = Path(name).read_bytes()
        _reset_peak()
        t0 = time.perf_counter()
        outcome, detail = read_one(data, name)
        elapsed = time.perf_counter() - t0
        conn.send((outcome, detail, elapsed, _peak_bytes(), data if outcome == "crash" and task[0] == "fuzz" else b""))


_SUFFIX = {"html": "html", "text": "txt", "docx": "docx", "pdf": "pdf", "doc": "doc", "image": "png", "scan": "pdf"}


@dataclass
class Slot:
    proc: mp.Process
    conn: Connection
    task: tuple | None = None
    started: float = 0.0


class Pool:
    """Worker processes with a per-task deadline: a worker over time is killed and replaced."""

    def __init__(self, n: int, seed_paths: dict[str, list[str]], timeout: float) -> None:
        self.ctx = mp.get_context("fork")
        self.seed_paths = seed_paths
        self.timeout = timeout
        self.slots = [self._spawn() for _ in range(n)]

    def _spawn(self) -> Slot:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=worker, args=(child, self.seed_paths), daemon=True)
        proc.start()
        return Slot(proc, parent)

    def run(self, tasks, on_result, deadline: float = float("inf")) -> None:
        """Run *tasks*, calling ``on_result(task, result)``; no new task starts after *deadline*."""
        tasks = iter(tasks)
        pending = True
        while True:
            if time.perf_counter() > deadline:
                pending = False
            for slot in self.slots:
                if slot.task is None and pending:
                    task = next(tasks, None)
                    if task is None:
                        pending = False
                    else:
                        slot.task, slot.started = task, time.perf_counter()
                        slot.conn.send(task)
            busy = [s for s in self.slots if s.task is not None]
            if not busy:
                return
            ready = wait([s.conn for s in busy], timeout=1.0)
            now = time.perf_counter()
            for i, slot in enumerate(self.slots):
                if slot.task is None:
                    continue
                if slot.conn in ready:
                    try:
                        result = slot.conn.recv()
                    except EOFError:
                        result = ("crash", f"worker died (exit code {slot.proc.exitcode})", now - slot.started, 0, b"")
                        self._replace(i)
                    on_result(slot.task, result)
                    self.slots[i].task = None
                elif now - slot.started > self.timeout:
                    on_result(slot.task, ("timeout", f"over {self.timeout:.0f} s", now - slot.started, 0, b""))
                    self._replace(i)

    def _replace(self, i: int) -> None:
        slot = self.slots[i]
        slot.proc.kill()
        slot.proc.join(10)
        self.slots[i] = self._spawn()

    def close(self) -> None:
        for slot in self.slots:
            with contextlib.suppress(OSError):
                slot.conn.send(None)
            slot.proc.join(5)
            if slot.proc.is_alive():
                slot.proc.kill()


# ------------------------------------------------------------------------------------------ main

def fuzz(args, seed_paths: dict[str, list[str]]) -> int:
    forms = [f for f in FORM_WEIGHTS if seed_paths.get(f)]
    weights = [FORM_WEIGHTS[f] for f in forms]
    rng = random.Random(args.seed)
    plan = [("fuzz", rng.choices(forms, weights)[0], n, args.seed) for n in range(args.inputs)]
    stats = collections.Counter()
    per_form: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    max_time: dict[str, tuple[float, str]] = {}
    max_mem: dict[str, tuple[int, str]] = {}
    crashes: dict[str, tuple[str, int]] = {}
    args.crashes.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    done = 0

    def on_result(task, result) -> None:
        nonlocal done
        _, form, n, _ = task
        outcome, detail, elapsed, peak, data = result
        done += 1
        stats[outcome.split(":")[0]] += 1
        per_form[form][outcome] += 1
        if elapsed > max_time.get(form, (0.0, ""))[0]:
            max_time[form] = (elapsed, f"#{n}")
        if peak > max_mem.get(form, (0, ""))[0]:
            max_mem[form] = (peak, f"#{n}")
        if outcome in ("crash", "timeout"):
            key = f"{outcome}: " + (detail.strip().splitlines()[-1][:160] if detail.strip() else "?")
            key += f" ({form})" if outcome == "timeout" else ""
            if key not in crashes or len(crashes) < 50:
                crashes.setdefault(key, (detail, n))
                (args.crashes / f"crash-{n}.{_SUFFIX.get(form, 'bin')}").write_bytes(data or regenerate(task, seed_paths))
        if done % 2000 == 0:
            rate = done / (time.perf_counter() - t0)
            print(f"  {done:,} inputs, {rate:.0f}/s, crashes {stats['crash']}", flush=True)

    pool = Pool(args.workers, seed_paths, args.timeout)
    try:
        pool.run(plan, on_result, t0 + args.minutes * 60)
    finally:
        pool.close()
    wall = time.perf_counter() - t0
    cut = f", stopped by --minutes {args.minutes:g} of {args.inputs:,} planned" if done < args.inputs else ""
    print(f"\nfuzz: {done:,} mutated inputs in {wall:.0f} s ({done / wall:.0f}/s, {args.workers} workers, "
          f"seed {args.seed}{cut})")
    print(f"  outcomes: ok {stats['ok']:,}, clear error {stats['error']:,}, crash {stats['crash']:,}, "
          f"over the {args.timeout:.0f} s timeout {stats['timeout']:,}")
    for form in forms:
        c = per_form[form]
        t, tn = max_time.get(form, (0.0, ""))
        m, mn = max_mem.get(form, (0, ""))
        errors = ", ".join(f"{k[6:]} {v}" for k, v in c.most_common() if k.startswith("error:"))
        print(f"  {form:6s} {sum(c.values()):7,} inputs  ok {c['ok']:6,}  crash {c['crash']:3}  timeout {c['timeout']:3}  "
              f"max time {t:6.2f} s ({tn})  max memory {m / 1048576:7.0f} MB ({mn})  errors: {errors}")
    worst_t = max((v[0] for v in max_time.values()), default=0.0)
    worst_m = max((v[0] for v in max_mem.values()), default=0)
    print(f"  max time per file {worst_t:.2f} s (target ≤ {TARGET_SECONDS:.0f} s), "
          f"max memory per file {worst_m / 1048576:.0f} MB (target ≤ {TARGET_BYTES // 1048576} MB)")
    for key, (detail, n) in crashes.items():
        print(f"\n  {key.split(':')[0].upper()} #{n}: {key}\n" + "\n".join("    " + ln for ln in detail.strip().splitlines()[-8:]))
    ok = not crashes and worst_t <= TARGET_SECONDS and worst_m <= TARGET_BYTES  # timeouts are in crashes too
    return 0 if ok else 1


def hostile(args, seed_paths: dict[str, list[str]]) -> int:
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_hostile

    out = ROOT / "artifacts" / "hostile"
    print(f"\nhostile files (scripts/make_hostile.py → {out.relative_to(ROOT)}):")
    expected = make_hostile.build(out)
    failures = 0
    results: dict[str, tuple] = {}
    pool = Pool(1, {k: v[:1] for k, v in seed_paths.items()}, args.timeout)
    try:
        pool.run([("file", str(out / name)) for name in expected], lambda task, r: results.__setitem__(task[1], r))
    finally:
        pool.close()
    for name, expect in expected.items():
        outcome, detail, elapsed, peak, _ = results[str(out / name)]
        meets = {"error": outcome.startswith("error:"), "read": outcome == "ok",
                 "error 编码": outcome == "error:encoding" and "编码" in detail,
                 "read or error": outcome == "ok" or outcome.startswith("error:")}[expect]
        within = elapsed <= TARGET_SECONDS and peak <= TARGET_BYTES
        failures += not (meets and within)
        shown = detail.splitlines()[-1] if detail else ("读取成功" if outcome == "ok" else "")
        print(f"  {'ok ' if meets and within else 'BAD'} {name:28s} {(out / name).stat().st_size / 1048576:8.1f} MB  "
              f"{elapsed:6.2f} s  {peak / 1048576:6.0f} MB  expect {expect:13s} → {outcome}: {shown[:110]}")
    return 1 if failures else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--inputs", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--minutes", type=float, default=float("inf"), help="time budget: start no input after it")
    ap.add_argument("--skip-hostile", action="store_true")
    ap.add_argument("--crashes", type=Path, default=ROOT / "artifacts" / "fuzz-crashes")
    args = ap.parse_args()
    seeds = seed_files()
    seed_paths = {form: [str(p) for p in paths] for form, paths in seeds.items()}
    print("seeds: " + ", ".join(f"{form} {len(p)}" for form, p in sorted(seeds.items())), flush=True)
    status = fuzz(args, seed_paths) if args.inputs else 0
    if not args.skip_hostile:
        status |= hostile(args, seed_paths)
    sys.exit(status)


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # OCR: one thread per worker, the workers are the parallelism
    main()
