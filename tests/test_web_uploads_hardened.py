"""Uploads the server must survive (issue 14): a parser-killing PDF, chunked and zipped bombs, restarts."""
from __future__ import annotations

import io
import threading
import time
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import ROOT, SAMPLES, SEED_IDS
from nianbao.isolate import ParseLimits
from nianbao.store import Store
from nianbao.web import create_app
from nianbao.web.auth import hash_password
from nianbao.web.jobs import BatchRunner
from nianbao.web.uploads import BodyLimit, Limits

CRASH_PDF = ROOT / "tests" / "fixtures" / "hostile" / "crash-20m-objects.pdf"
PASSWORD = "correct-horse-2"
MB = 1024 * 1024


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'up.db'}")
    s.create_user("rev", hash_password(PASSWORD), "reviewer")
    return s


def signed_in(app) -> tuple[TestClient, str]:
    c = TestClient(app, follow_redirects=False)
    r = c.post("/api/session", json={"username": "rev", "password": PASSWORD})
    assert r.status_code == 200, r.text
    return c, r.json()["csrf_token"]


def seeds(n: int) -> list[tuple[str, bytes]]:
    return [(f"{s}.txt", (SAMPLES / f"{s}.txt").read_bytes()) for s in SEED_IDS[:n]]


def test_the_crash_pdf_fails_alone_and_the_server_answers(store, tmp_path):
    app = create_app(store, secret="s", queue_dir=tmp_path / "q", parse_limits=ParseLimits(memory_mb=600))
    c, token = signed_in(app)
    files = seeds(1) + [("crash.pdf", CRASH_PDF.read_bytes())] + seeds(3)[1:]
    r = c.post("/api/uploads?wait=true", headers={"X-CSRF-Token": token},
               files=[("files", (n, d, "application/octet-stream")) for n, d in files])
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [i["status"] for i in items] == ["added", "failed", "added", "added"]
    assert items[1]["error"].startswith("解析进程异常终止（SIGABRT）") and "600 MB" in items[1]["error"]
    assert c.get("/api/reports").status_code == 200  # the server is still there
    assert store.count_reports() == 3
    assert [f.path for f in store.failures()] == ["crash.pdf"]
    assert list((tmp_path / "q").glob("*/*.part")) == []  # ingested files leave the queue


def _multipart(name: str, size: int):
    """A multipart body streamed in chunks (no Content-Length: Transfer-Encoding chunked)."""
    boundary = "b0undary"
    yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
           "Content-Type: text/plain\r\n\r\n").encode()
    chunk = b"x" * MB
    for _ in range(size // MB):
        yield chunk
    yield f"\r\n--{boundary}--\r\n".encode()


def test_a_chunked_body_over_the_limit_gets_413(store, tmp_path):
    app = create_app(store, secret="s", queue_dir=tmp_path / "q",
                     limits=Limits(max_file_bytes=50 * MB, max_request_bytes=5 * MB))
    c, token = signed_in(app)
    r = c.post("/api/uploads", headers={"X-CSRF-Token": token,
                                        "Content-Type": "multipart/form-data; boundary=b0undary"},
               content=_multipart("big.txt", 40 * MB))
    assert r.status_code == 413 and "上传内容过大" in r.json()["detail"]
    assert list((tmp_path / "q").rglob("*.part")) == []
    # any other request is bounded too (a sign-in form is small)
    r = c.post("/login", headers={"Content-Type": "application/x-www-form-urlencoded"},
               content=(b"a" * MB for _ in range(3)))
    assert r.status_code == 413
    assert c.get("/api/reports").status_code == 200


def test_the_body_limit_stops_reading_at_the_limit():
    """At the ASGI level (the test client hands over a body in one piece): chunks pulled, then 413."""
    import anyio
    from starlette.requests import Request

    pulled, sent = [], []

    async def receive():
        pulled.append(MB)
        return {"type": "http.request", "body": b"x" * MB, "more_body": len(pulled) < 40}

    async def send(message):
        sent.append(message)

    async def app(scope, receive, send):  # reads the whole body, as a form parser does
        async for _chunk in Request(scope, receive).stream():
            pass

    limited = BodyLimit(app, lambda: Limits(max_request_bytes=5 * MB))
    scope = {"type": "http", "method": "POST", "path": "/api/uploads", "headers": [], "query_string": b""}
    anyio.run(limited, scope, receive, send)
    assert len(pulled) == 6  # the sixth megabyte crosses the limit; nothing more is read
    assert sent[0]["status"] == 413 and "上传内容过大".encode() in sent[1]["body"]


def test_a_zip_bomb_is_refused_before_expansion(store, tmp_path):
    app = create_app(store, secret="s", queue_dir=tmp_path / "q",
                     limits=Limits(max_file_bytes=2 * MB, max_files=50, max_request_bytes=10 * MB))
    c, token = signed_in(app)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(20):  # 20 × 1.9 MB of zeros: each under the per-file cap, 38 MB together
            zf.writestr(f"r{i:02d}.txt", b"0" * (19 * MB // 10))
    assert len(buf.getvalue()) < 200_000
    runner = app.state.batches
    r = c.post("/api/uploads", headers={"X-CSRF-Token": token},
               files=[("files", ("bomb.zip", buf.getvalue(), "application/zip"))])
    assert r.status_code == 413 and "解压后合计 38.0 MB，超过上限，未解压" in r.json()["detail"]
    assert runner.pending_bytes == 0 and list((tmp_path / "q").rglob("*.part")) == []


def test_the_queue_is_bounded_by_bytes(store, tmp_path):
    app = create_app(store, secret="s", queue_dir=tmp_path / "q", max_queue_bytes=10_000)
    c, token = signed_in(app)
    r = c.post("/api/uploads", headers={"X-CSRF-Token": token},
               files=[("files", (n, d, "text/plain")) for n, d in seeds(5)])
    assert r.status_code == 503 and "待处理的上传已满" in r.json()["detail"]
    assert app.state.batches.pending_bytes == 0 and list((tmp_path / "q").rglob("*.part")) == []


class _StuckStore:
    """A store whose ingest never returns: the server 'dies' with the whole batch accepted but not stored."""

    def __init__(self, real: Store, release: threading.Event) -> None:
        self.real, self.release, self.url = real, release, real.url

    def __getattr__(self, name):
        return getattr(self.real, name)

    def ingest_bytes(self, *args, **kwargs):
        self.release.wait(60)
        raise RuntimeError("stopped")


def test_a_restart_loses_no_accepted_upload(store, tmp_path):
    queue = tmp_path / "q"
    release = threading.Event()
    try:
        before = create_app(_StuckStore(store, release), secret="s", queue_dir=queue)
        c, token = signed_in(before)
        r = c.post("/api/uploads", headers={"X-CSRF-Token": token},
                   files=[("files", (n, d, "text/plain")) for n, d in seeds(4)])
        assert r.status_code == 202
        batch_id = r.json()["id"]
        assert len(list((queue / batch_id).glob("*.part"))) == 4
        stuck = before.state.batches.get(batch_id)
        for _ in range(200):  # the old server is inside the first file when it "dies"
            if stuck.items[0].status == "processing":
                break
            time.sleep(0.02)

        after = create_app(store, secret="s", queue_dir=queue)  # the restarted server, same queue
        runner = after.state.batches
        batch = runner.get(batch_id)
        assert batch is not None and batch.user == "rev"
        assert runner.wait(batch, timeout=120)
        assert [i.status for i in batch.items] == ["added"] * 4
        assert store.count_reports() == 4
        c2, _ = signed_in(after)
        assert c2.get(f"/api/uploads/{batch_id}").json()["done"] == 4
    finally:
        release.set()


def test_recovery_gives_up_on_a_file_that_keeps_stopping_the_server(store, tmp_path):
    import json

    queue = tmp_path / "q"
    batch_dir = queue / "b1"
    batch_dir.mkdir(parents=True)
    (batch_dir / "0.part").write_bytes((SAMPLES / f"{SEED_IDS[0]}.txt").read_bytes())
    (batch_dir / "1.part").write_bytes((SAMPLES / f"{SEED_IDS[1]}.txt").read_bytes())
    (queue / "half-received").mkdir()  # no batch.json: the server stopped before accepting it
    items = [{"name": "a.txt", "file": "0.part", "size": 9, "status": "processing", "attempts": 3},
             {"name": "b.txt", "file": "1.part", "size": 9, "status": "queued", "attempts": 0}]
    (batch_dir / "batch.json").write_text(json.dumps({"id": "b1", "user": "rev", "created": 1.0, "items": items}))
    runner = BatchRunner(store, queue)
    batch = runner.get("b1")
    assert runner.wait(batch, timeout=120)
    first, second = batch.items
    assert first.status == "failed" and first.error == "处理这个文件时服务器已中断 3 次，已放弃"
    assert second.status == "added"
    assert not (queue / "half-received").exists() and list(batch_dir.glob("*.part")) == []
    saved = json.loads((batch_dir / "batch.json").read_text())
    assert [i["status"] for i in saved["items"]] == ["failed", "added"]
