"""Upload batches: accepted at once, ingested by one background worker, progress polled by the page.

One worker thread (not one per request) feeds :meth:`Store.ingest_bytes`, so a burst of uploads
queues instead of fighting over SQLite's single writer, and the order of work is the order of
arrival (deterministic). Batches live in memory only — the reports themselves are in the store;
a batch is just the progress view of one upload — and the oldest are forgotten past a bound.
"""
from __future__ import annotations

import logging
import queue
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

QUEUED, PROCESSING, FAILED = "queued", "processing", "failed"
MAX_BATCHES = 500


@dataclass(slots=True)
class BatchItem:
    name: str  # display name only (never a path on this machine)
    form: str | None = None
    data: bytes | None = None  # dropped once ingested
    status: str = QUEUED
    error: str | None = None
    report_id: int | None = None
    agency: str | None = None
    year: int | None = None
    template: str | None = None
    n_error: int = 0
    n_warning: int = 0
    n_info: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__ if k != "data"}


@dataclass(slots=True)
class Batch:
    id: str
    user: str
    created: float
    items: list[BatchItem] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.status not in (QUEUED, PROCESSING))

    @property
    def finished(self) -> bool:
        return self.done == len(self.items)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "total": len(self.items), "done": self.done, "finished": self.finished,
                "items": [i.to_dict() for i in self.items]}


class BatchRunner:
    """The queue of upload batches and the one thread that ingests them."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._batches: OrderedDict[str, Batch] = OrderedDict()
        self._lock = threading.Lock()
        self._queue: queue.Queue[tuple[Batch, BatchItem] | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ public
    def submit(self, user: str, items: list[BatchItem]) -> Batch:
        batch = Batch(secrets.token_urlsafe(12), user, time.time(), items)
        with self._lock:
            self._batches[batch.id] = batch
            while len(self._batches) > MAX_BATCHES:
                self._batches.popitem(last=False)
            self._ensure_thread()
        for item in items:
            if item.status == QUEUED:
                self._queue.put((batch, item))
        return batch

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
        if self._thread and self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout=10)

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
        """Ingest one uploaded file and note what the results table shows of it."""
        item.status = PROCESSING
        try:
            result = self.store.ingest_bytes(item.data or b"", item.name, user=batch.user)
            item.report_id = result.report_id
            item.error = result.error
            if result.report_id is not None and result.status != FAILED:
                stored = self.store.report(result.report_id)
                if stored is not None:
                    row = stored.row
                    item.agency, item.year, item.template = row.agency, row.year, row.template
                    item.n_error, item.n_warning, item.n_info = row.n_error, row.n_warning, row.n_info
            item.status = result.status
        except Exception as exc:  # one bad file must not stop the worker or the batch
            log.exception("ingest of %s failed", item.name)
            item.status, item.error = FAILED, f"内部错误（请报告此问题）：{type(exc).__name__}: {exc}"
        finally:
            item.data = None
