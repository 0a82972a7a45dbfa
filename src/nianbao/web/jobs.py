"""Upload batches: accepted into a queue on disk, ingested by one background worker, progress polled.

Why on disk: an upload answered 202 is a promise. The bytes of every accepted file wait in the
queue directory until they are ingested, and each batch's progress (``batch.json``, replaced
atomically after every file) is there too, so a restart — or a crash — of the server loses no
accepted upload: the next start re-queues what was not finished, in the order of arrival. The
queue is bounded by bytes (not by count): an upload that would overfill it is refused with 503
before its bytes are kept, so memory never holds more than the file being ingested.

One worker thread (not one per request) feeds :meth:`Store.ingest_bytes`, which parses each file
in a child process under the parse limits (:mod:`nianbao.isolate`): a file that kills its parser
fails alone and the server answers the next request. The thread keeps SQLite's single writer
uncontended and the order of work the order of arrival (deterministic).

Layout: ``<queue>/<batch id>/batch.json`` and ``<queue>/<batch id>/<n>.part`` (files still to be
ingested); ``<queue>/staging/`` holds the files of an upload still being received (emptied at start).
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..isolate import DEFAULT_LIMITS, ParseLimits

log = logging.getLogger(__name__)

QUEUED, PROCESSING, FAILED = "queued", "processing", "failed"
MAX_BATCHES = 500  # finished batches kept for their progress pages (the reports are in the store)
MAX_ATTEMPTS = 3  # a file the server went down on this often is given up (it cannot crash it: see isolate)
MB = 1024 * 1024
DEFAULT_QUEUE_BYTES = 2048 * MB
STAGING = "staging"
_ID_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


class QueueFull(Exception):
    """The queue cannot take these bytes now; ``reason`` is Chinese (the app answers 503)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class BatchItem:
    name: str  # display name only (never a path on this machine)
    form: str | None = None
    file: str | None = None  # the queued bytes: a path while waiting, None once ingested
    size: int = 0
    status: str = QUEUED
    error: str | None = None
    report_id: int | None = None
    agency: str | None = None
    year: int | None = None
    template: str | None = None
    n_error: int = 0
    n_warning: int = 0
    n_info: int = 0
    note: str | None = None  # which version of the report is current, when a version was added
    attempts: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__ if k not in ("file", "attempts")}

    def to_json(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__slots__}
        d["file"] = Path(self.file).name if self.file else None
        return d


@dataclass(slots=True)
class Batch:
    id: str
    user: str
    created: float
    items: list[BatchItem] = field(default_factory=list)
    directory: Path | None = None

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.status not in (QUEUED, PROCESSING))

    @property
    def finished(self) -> bool:
        return self.done == len(self.items)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "total": len(self.items), "done": self.done, "finished": self.finished,
                "items": [i.to_dict() for i in self.items]}


def default_queue_dir(url: str) -> Path:
    """Next to a SQLite database file (``corpus.db.uploads``); otherwise ``$NIANBAO_QUEUE_DIR`` or a
    per-database folder in the user's cache (an in-memory database gets a temporary folder)."""
    import hashlib

    from sqlalchemy.engine import make_url

    if os.environ.get("NIANBAO_QUEUE_DIR"):
        return Path(os.environ["NIANBAO_QUEUE_DIR"])
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            db = Path(parsed.database)
            return db.with_name(db.name + ".uploads")
        return Path(tempfile.mkdtemp(prefix="nianbao-uploads-"))
    key = hashlib.sha256(parsed.render_as_string(hide_password=True).encode()).hexdigest()[:12]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "nianbao" / f"uploads-{key}"


def _write_json(path: Path, data: Any) -> None:
    """Atomic: a crash leaves the old file or the new one, never half of one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class BatchRunner:
    """The on-disk queue of upload batches and the one thread that ingests them."""

    def __init__(self, store: Any, queue_dir: Path | str | None = None, *, max_queue_bytes: int = DEFAULT_QUEUE_BYTES,
                 limits: ParseLimits = DEFAULT_LIMITS) -> None:
        self.store = store
        self.limits = limits
        self.max_queue_bytes = max_queue_bytes
        self.dir = Path(queue_dir) if queue_dir else default_queue_dir(store.url)
        self.staging = self.dir / STAGING
        self._batches: dict[str, Batch] = {}
        self._lock = threading.Lock()
        self._queue: queue.Queue[tuple[Batch, BatchItem] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._pending = 0  # bytes of staged and queued files
        self._recover()

    # ------------------------------------------------------------ receiving
    def reserve(self, n: int) -> None:
        """Count *n* more bytes against the queue bound, or refuse them (:class:`QueueFull`)."""
        with self._lock:
            if self._pending + n > self.max_queue_bytes:
                raise QueueFull(f"服务器待处理的上传已满（上限 {self.max_queue_bytes / MB:g} MB），请稍后再试。")
            self._pending += n

    def release(self, n: int) -> None:
        with self._lock:
            self._pending = max(0, self._pending - n)

    @property
    def pending_bytes(self) -> int:
        return self._pending

    def staged_file(self) -> Path:
        """A new empty file in the staging folder for the bytes of one uploaded file."""
        self.staging.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.staging, suffix=".part")
        os.close(fd)
        return Path(name)

    def discard(self, items: list[BatchItem]) -> None:
        """Drop the staged files of an upload that was refused."""
        for item in items:
            if item.file:
                with contextlib.suppress(OSError):
                    os.unlink(item.file)
                self.release(item.size)
                item.file = None

    def submit(self, user: str, items: list[BatchItem]) -> Batch:
        """Move the staged files into a new batch, record it on disk, queue it; then it is accepted."""
        batch_id = secrets.token_urlsafe(12)
        directory = self.dir / batch_id
        directory.mkdir(parents=True)
        for n, item in enumerate(items):
            if item.file:
                target = directory / f"{n}.part"
                os.replace(item.file, target)
                item.file = str(target)
        batch = Batch(batch_id, user, time.time(), items, directory)
        self._save(batch)
        with self._lock:
            self._batches[batch.id] = batch
            self._prune()
            self._ensure_thread()
        for item in items:
            if item.status == QUEUED:
                self._queue.put((batch, item))
        return batch

    # ------------------------------------------------------------ reading
    def get(self, batch_id: str) -> Batch | None:
        with self._lock:
            return self._batches.get(batch_id)

    def wait(self, batch: Batch, timeout: float = 600.0) -> bool:
        """Block until *batch* is finished (the API's ``wait=true``); False on timeout."""
        deadline = time.monotonic() + timeout
        while not batch.finished:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def stop(self) -> None:
        """Stop after the file in hand; what is still queued stays on disk for the next start."""
        if self._thread and self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout=30)

    # ------------------------------------------------------------ disk
    def _save(self, batch: Batch, done: tuple[BatchItem, str] | None = None) -> None:
        """Write ``batch.json``; *done* records one item as finished with that status (and no file)."""
        assert batch.directory is not None
        items = [i.to_json() for i in batch.items]
        if done is not None:
            finished = items[batch.items.index(done[0])]
            finished["status"], finished["file"] = done[1], None
        _write_json(batch.directory / "batch.json", {
            "id": batch.id, "user": batch.user, "created": batch.created, "items": items})

    def _load(self, directory: Path) -> Batch | None:
        try:
            d = json.loads((directory / "batch.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        names = {f.name for f in fields(BatchItem)}
        items = [BatchItem(**{k: v for k, v in raw.items() if k in names}) for raw in d.get("items", [])]
        for item in items:
            if item.file:
                item.file = str(directory / Path(item.file).name)
        return Batch(str(d["id"]), str(d["user"]), float(d["created"]), items, directory)

    def _recover(self) -> None:
        """Load the batches on disk; re-queue what was accepted and not yet ingested (after a restart)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.staging, ignore_errors=True)  # uploads still being received when we stopped
        batches = []
        for directory in self.dir.iterdir():
            if directory.name == STAGING or not directory.is_dir() or not set(directory.name) <= _ID_CHARS:
                continue
            batch = self._load(directory)
            if batch is None:  # never accepted (the server stopped between receiving and recording)
                shutil.rmtree(directory, ignore_errors=True)
                continue
            batches.append(batch)
        requeue = []
        for batch in sorted(batches, key=lambda b: b.created):
            self._batches[batch.id] = batch
            changed = False
            for item in batch.items:
                if item.status not in (QUEUED, PROCESSING):
                    continue
                changed = True
                if not item.file or not Path(item.file).exists():
                    item.status, item.error = FAILED, "服务器重启后找不到这个文件的数据，请重新上传"
                elif item.attempts >= MAX_ATTEMPTS:
                    item.status = FAILED
                    item.error = f"处理这个文件时服务器已中断 {item.attempts} 次，已放弃"
                    self._drop_file(item, release=False)
                else:
                    item.status = QUEUED
                    self._pending += item.size
                    requeue.append((batch, item))
            if changed:
                self._save(batch)
        self._prune()
        for job in requeue:
            self._queue.put(job)
        if requeue:
            log.info("re-queued %d uploaded files after a restart", len(requeue))
            self._ensure_thread()

    def _prune(self) -> None:
        """Forget the oldest finished batches past the bound (call with the lock held, or at start)."""
        finished = [b for b in self._batches.values() if b.finished]
        excess = len(self._batches) - MAX_BATCHES
        for batch in sorted(finished, key=lambda b: b.created)[:max(0, excess)]:
            del self._batches[batch.id]
            if batch.directory:
                shutil.rmtree(batch.directory, ignore_errors=True)

    def _drop_file(self, item: BatchItem, release: bool = True) -> None:
        if item.file:
            with contextlib.suppress(OSError):
                os.unlink(item.file)
            item.file = None
            if release:
                self.release(item.size)

    # ------------------------------------------------------------ worker
    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="nianbao-ingest", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            batch, item = job
            self.process(batch, item)

    def process(self, batch: Batch, item: BatchItem) -> None:
        """Ingest one uploaded file and note what the results table shows of it.

        The item's final status is set last, after its queued bytes are gone and its result is
        on disk: whoever sees the batch finished sees it recorded.
        """
        item.status = PROCESSING
        item.attempts += 1
        self._save(batch)  # a restart in the middle of this file counts the attempt
        status = FAILED
        try:
            data = Path(item.file).read_bytes() if item.file else b""
            result = self.store.ingest_bytes(data, item.name, user=batch.user, limits=self.limits)
            del data
            item.report_id = result.report_id
            item.error = result.error
            item.note = result.note
            if result.report_id is not None and result.status != FAILED:
                stored = self.store.report(result.report_id)
                if stored is not None:
                    row = stored.row
                    item.agency, item.year, item.template = row.agency, row.year, row.template
                    item.n_error, item.n_warning, item.n_info = row.n_error, row.n_warning, row.n_info
            status = result.status
        except Exception as exc:  # one bad file must not stop the worker or the batch
            log.exception("ingest of %s failed", item.name)
            item.error = f"内部错误（请报告此问题）：{type(exc).__name__}: {exc}"
        finally:
            # On disk first (final status, no file): a crash now leaves an orphan file, not a lost result.
            # In memory the status changes last, once the file is gone (wait() may return right then).
            try:
                self._save(batch, done=(item, status))
            except OSError:
                log.exception("could not record the progress of batch %s", batch.id)
            self._drop_file(item)
            item.status = status
