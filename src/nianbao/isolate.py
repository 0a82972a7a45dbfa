"""Parse untrusted files in child processes the parent outlives, under a memory and a time ceiling.

Why: a crafted file can make a native library (pdfium, onnxruntime, libxml2) abort the whole
process — a ``SIGABRT`` no ``try`` can catch — or eat all memory or time. Files are therefore
parsed in short-lived children (a few consecutive files each, every result sent back as soon as it
is ready, so the file in hand when a child dies is known): the child sets ``RLIMIT_DATA`` (heap and private mappings; a
ceiling on address space, ``RLIMIT_AS``, would also count the reservations of thread stacks and
allocator arenas and fail honest files) and sends its result back through a pipe; the parent kills
it at the time ceiling. A child that dies, overruns or runs out of memory becomes a failure for
that one file with a Chinese reason naming the limit; the other files go on.

Cost: a fork is ~5 ms, and the caches a parse needs (jieba's dictionary, the ingesters) are warmed
once in the parent (:func:`warm_up`) so children inherit them; measured with
``benchmarks/bench_ingest.py -n 1000 --jobs 2``: 18.0 ms CPU per report against 15.1 in process. The parent forks directly when
it runs a single thread (the CLI's ``parse``/``check``); with other threads running (a progress
bar, the web server) forking is unsafe, so children come from a ``forkserver`` started once with
the parsing modules preloaded.
"""
from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
MB = 1024 * 1024

DEFAULT_MEMORY_MB = 2048  # a 300-page scan through OCR stays well below this
DEFAULT_SECONDS = 600.0  # OCR takes ~2 s a page: a 300-page scan (the PDF ingester's page cap) fits
INGESTERS = ["nianbao.ingest.pdf", "nianbao.ingest.html", "nianbao.ingest.docx", "nianbao.ingest.text"]
PRELOAD = ["nianbao.store.worker", "nianbao.api", "nianbao._preload"]  # the forkserver imports these once

MAX_CHUNK = 16  # files a child parses one after another (each result sent as soon as it is ready)

# kinds of the failures made here (stored with the failure; see store.ingest.WORKER_KINDS)
CRASHED, MEMORY_LIMIT, TIMEOUT = "crashed", "memory_limit", "timeout"


@dataclass(frozen=True, slots=True)
class ParseLimits:
    """The ceilings of one file's parse. ``isolate=False`` parses in this process (no ceilings)."""

    memory_mb: int | None = DEFAULT_MEMORY_MB
    seconds: float | None = DEFAULT_SECONDS
    isolate: bool = True

    def describe(self) -> str:
        parts = []
        if self.memory_mb:
            parts.append(f"内存上限 {self.memory_mb} MB")
        if self.seconds:
            parts.append(f"时间上限 {self.seconds:g} 秒")
        return "，".join(parts) or "无上限"


DEFAULT_LIMITS = ParseLimits()


@dataclass(frozen=True, slots=True)
class WorkerFailure:
    """Why a child produced no result: a Chinese reason and a machine kind."""

    reason: str
    kind: str


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"信号 {number}"


def _child(fn: Callable[[Any], Any], args: list[Any], conn: Connection, memory_mb: int | None) -> None:
    """Child side: set the ceilings, then for each arg in turn send ``("ok", result)``; stop after a
    ``("memory", None)`` (the heap may be exhausted: the parent goes on in a fresh child)."""
    import faulthandler
    import gc
    import resource

    gc.freeze()  # the objects inherited from the parent are not this child's garbage: never scan (and copy) them
    faulthandler.disable()  # the parent reports the signal; no stack dump of the parent's code on stderr
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort must not leave a core file behind
    if memory_mb:
        limit = memory_mb * MB
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    for arg in args:
        try:
            message: tuple[str, Any] = ("ok", fn(arg))
        except MemoryError:
            message = ("memory", None)
        except Exception as exc:  # fn should not raise; if it does, the file still fails alone
            message = ("error", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(message)
        except MemoryError:  # the result itself did not fit under the ceiling
            message = ("memory", None)
            conn.send(message)
        if message[0] == "memory":
            break
    conn.close()


_forkserver_ready = False
_forkserver_lock = threading.Lock()


FORK_MAX_DATA_MB = 256  # a forked child inherits the parent's heap, and the memory ceiling counts it


def _parent_data_mb() -> float:
    """This process's data segment (VmData), the part of it a forked child's RLIMIT_DATA counts."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return float("inf")


def _context() -> multiprocessing.context.BaseContext:
    """fork when this process is small and runs one thread (cheapest: the CLI); otherwise a
    preloaded forkserver (a threaded server, or a big process whose heap a fork would inherit)."""
    global _forkserver_ready
    if threading.active_count() == 1 and _parent_data_mb() < FORK_MAX_DATA_MB:
        return multiprocessing.get_context("fork")
    ctx = multiprocessing.get_context("forkserver")
    with _forkserver_lock:
        if not _forkserver_ready:
            ctx.set_forkserver_preload(PRELOAD)
            _forkserver_ready = True
    return ctx


def warm_up() -> None:
    """Do once, before forking, what every child would otherwise redo: import the common ingesters
    (compiled from source when no bytecode cache is written) and load the checks' word lists (jieba's
    dictionary takes about a second). Measured: 0.24 s → 0.035 s per small report in a child."""
    import importlib

    for name in INGESTERS:
        importlib.import_module(name)
    from .checks.privacy import _jieba, surnames

    surnames()
    _jieba()


@dataclass(slots=True)
class _Running:
    """A child and the indices it still owes a result for (the first is the one in hand)."""

    indices: list[int]
    process: multiprocessing.process.BaseProcess
    conn: Connection
    deadline: float | None


def _failure_of(run: _Running, limits: ParseLimits, timed_out: bool) -> WorkerFailure:
    if timed_out:
        return WorkerFailure(f"解析超时（超过时间上限 {limits.seconds:g} 秒），已中止", TIMEOUT)
    code = run.process.exitcode
    hint = f"，或所需内存超过上限（{limits.memory_mb} MB）" if limits.memory_mb else ""
    if code is not None and code < 0:
        return WorkerFailure(f"解析进程异常终止（{_signal_name(-code)}）：文件可能已损坏或为异常构造{hint}，已跳过",
                             CRASHED)
    return WorkerFailure(f"解析进程意外退出（退出码 {code}）：文件可能已损坏或为异常构造{hint}，已跳过", CRASHED)


def _result_of(kind: str, value: Any, limits: ParseLimits) -> Any:
    if kind == "memory":
        return WorkerFailure(f"解析所需内存超过上限（{limits.memory_mb} MB），已中止", MEMORY_LIMIT)
    if kind == "error":
        return WorkerFailure(f"内部错误（请报告此问题）：{value}", "internal")
    return value


def _stop(run: _Running, kill: bool) -> None:
    if kill:
        run.process.kill()
    run.process.join(timeout=None if kill else 10)
    if run.process.exitcode is None:  # sent its results but hangs on exit
        run.process.kill()
        run.process.join()
    run.conn.close()


def chunk_size(n: int, jobs: int) -> int:
    """Files per child: one fork for several small files, yet enough chunks to keep *jobs* busy."""
    return max(1, min(MAX_CHUNK, n // (jobs * 4) or 1))


def run_each(fn: Callable[[T], R], args: Iterable[T], *, jobs: int = 1,
             limits: ParseLimits = DEFAULT_LIMITS) -> Iterator[tuple[T, R | WorkerFailure]]:
    """``(arg, fn(arg))`` for every arg, in input order; up to *jobs* children at a time.

    A child takes a few consecutive args (a fork costs more than parsing a small text report) and
    sends each result as soon as it has it, so when it dies or overruns the arg in hand is known:
    that one becomes a :class:`WorkerFailure`, and the rest of its share goes to a fresh child.
    The time ceiling applies to each arg. *fn* must be a module-level function and must not raise
    (it turns its own errors into its result).
    """
    items = list(args)
    if not limits.isolate:
        for arg in items:
            yield arg, fn(arg)
        return
    ctx = _context()
    jobs = max(1, jobs)
    size = chunk_size(len(items), jobs)
    todo: deque[list[int]] = deque(list(range(i, min(i + size, len(items)))) for i in range(0, len(items), size))
    done: dict[int, R | WorkerFailure] = {}
    running: list[_Running] = []
    emitted = 0

    def deadline() -> float | None:
        return time.monotonic() + limits.seconds if limits.seconds else None

    try:
        while emitted < len(items):
            while todo and len(running) < jobs:
                indices = todo.popleft()
                recv_end, send_end = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_child, args=(fn, [items[i] for i in indices], send_end, limits.memory_mb),
                                   daemon=True, name=f"nianbao-parse-{indices[0]}")
                proc.start()
                send_end.close()
                running.append(_Running(indices, proc, recv_end, deadline()))
            deadlines = [r.deadline for r in running if r.deadline is not None]
            timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            ready = wait([r.conn for r in running], timeout)
            for run in [r for r in running if r.conn in ready]:
                try:
                    kind, value = run.conn.recv()
                except (EOFError, OSError):  # exited: normally after its last result, else it died
                    _stop(run, kill=False)
                    running.remove(run)
                    if run.indices:
                        done[run.indices.pop(0)] = _failure_of(run, limits, timed_out=False)
                        if run.indices:
                            todo.appendleft(run.indices)
                    continue
                done[run.indices.pop(0)] = _result_of(kind, value, limits)
                run.deadline = deadline()
                if kind == "memory":  # the child stops after this; its remaining share goes to a new one
                    _stop(run, kill=False)
                    running.remove(run)
                    if run.indices:
                        todo.appendleft(run.indices)
            now = time.monotonic()
            for run in [r for r in running if r.deadline is not None and r.deadline <= now]:
                _stop(run, kill=True)
                running.remove(run)
                done[run.indices.pop(0)] = _failure_of(run, limits, timed_out=True)
                if run.indices:
                    todo.appendleft(run.indices)
            while emitted in done:
                yield items[emitted], done.pop(emitted)
                emitted += 1
    finally:  # the consumer stopped early (or Ctrl+C): leave no child behind
        for run in running:
            _stop(run, kill=True)


def run_one(fn: Callable[[T], R], arg: T, limits: ParseLimits = DEFAULT_LIMITS) -> R | WorkerFailure:
    """``fn(arg)`` in one child under *limits* (a web upload)."""
    for _arg, result in run_each(fn, [arg], limits=limits):
        return result
    raise AssertionError("unreachable")
