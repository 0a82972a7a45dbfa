"""Turning an HTTP upload into checked, named, size-limited files in the queue — before anything is ingested.

Limits are enforced while the body streams in, never after it has been held: :class:`BodyLimit`
counts the bytes of every request body as they arrive (a chunked body announces no length) and
answers 413 past the limit; each file is copied from the multipart parser's spooled part into the
queue on disk in chunks, with the per-file cap and the queue's byte bound (503 when full). A zip
is read from its spooled file: the sizes its directory declares are checked before one member is
expanded (a zip bomb is refused whole), and each member is then copied with the same caps.
Forms are decided by content (:func:`nianbao.ingest.sniff`), never by the file name; the name a
browser sends is kept only as a display label, stripped of any path.
"""
from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

import anyio
from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..ingest import sniff
from ..ingest.encoding import looks_binary
from .jobs import FAILED, BatchItem, BatchRunner, QueueFull

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_bytes: int = 50 * MB
    max_files: int = 200
    max_request_bytes: int = 300 * MB  # also the bound on what the files of one upload expand to
    max_form_bytes: int = 1 * MB  # the body of any other request (sign-in, decisions, user forms)

    def describe(self) -> str:
        return (f"单个文件不超过 {self.max_file_bytes / MB:g} MB，每次最多 {self.max_files} 个文件，"
                f"每次上传合计不超过 {self.max_request_bytes / MB:g} MB")


class UploadRefused(Exception):
    """The whole upload is refused (413 or 400) with a Chinese reason."""

    def __init__(self, reason: str, status_code: int = 413) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status_code = status_code


UPLOAD_PATHS = ("/upload", "/api/uploads")
CHUNK = 1 * MB
SNIFF_BYTES = 2 * MB  # sniff() looks for a JSON-embedded table this far


class BodyLimit:
    """ASGI middleware: a request body past its limit is cut off while it streams in (413).

    The upload routes get ``max_request_bytes``; every other request ``max_form_bytes``. The
    Content-Length is checked first; a chunked body is counted as it arrives. At the limit the app
    is told the client went away (``http.disconnect``: nothing more is read), whatever it answers
    or raises then is dropped, and the client gets the 413 with a Chinese reason.
    """

    def __init__(self, app: ASGIApp, limits: Callable[[], Limits]) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limits = self.limits()
        upload = scope["path"] in UPLOAD_PATHS
        limit = limits.max_request_bytes if upload else limits.max_form_bytes
        refusal = UploadRefused(f"上传内容过大：{limits.describe()}。" if upload else "请求内容过大。")
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            await self._refuse(scope, send, refusal)
            return
        received = 0
        overflow = started = False

        async def limited_receive() -> Message:
            nonlocal received, overflow
            if overflow:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    overflow = True
                    return {"type": "http.disconnect"}
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if overflow and not started:
                return  # the app's answer to a cut-off body is replaced by the 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except Exception:
            if not overflow or started:
                raise
        if overflow and not started:
            await self._refuse(scope, send, refusal)

    @staticmethod
    async def _refuse(scope: Scope, send: Send, exc: UploadRefused) -> None:
        async def no_body() -> Message:
            return {"type": "http.disconnect"}

        response = JSONResponse({"detail": exc.reason}, status_code=exc.status_code, headers={"Connection": "close"})
        await response(scope, no_body, send)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def display_name(raw: str | None, fallback: str = "未命名文件") -> str:
    """The last path component of a browser-sent name, without control characters, at most 120 chars."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    name = _CONTROL.sub("", name).strip().lstrip(".")
    return name[:120] or fallback


def check_request_size(request: Request, limits: Limits) -> None:
    """Refuse before reading a body that announces itself as too large."""
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limits.max_request_bytes:
        raise UploadRefused(f"上传内容过大（{int(length) / MB:.1f} MB）：{limits.describe()}。")


def _is_word(zf: zipfile.ZipFile) -> bool:
    names = set(zf.namelist())
    return "word/document.xml" in names or "[Content_Types].xml" in names


def _opens_as_archive(fh: IO[bytes]) -> bool:
    """A ZIP that is not a Word document (those are reports, not archives)."""
    fh.seek(0)
    try:
        with zipfile.ZipFile(fh) as zf:
            return not _is_word(zf)
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        fh.seek(0)


class _Receiver:
    """The files of one upload, copied into the queue's staging folder under the limits."""

    def __init__(self, runner: BatchRunner, limits: Limits) -> None:
        self.runner = runner
        self.limits = limits
        self.items: list[BatchItem] = []
        self.total = 0  # bytes kept so far (zip members counted expanded)

    def count(self, n: int) -> None:
        self.total += n
        if self.total > self.limits.max_request_bytes:
            raise UploadRefused(f"上传的文件合计超过上限（含压缩包解压后的大小）：{self.limits.describe()}。")
        try:
            self.runner.reserve(n)
        except QueueFull as exc:
            raise UploadRefused(exc.reason, status_code=503) from exc

    def copy(self, name: str, source: IO[bytes]) -> BatchItem | None:
        """Copy *source* to a staged file; None (and nothing kept) when it is over the per-file cap."""
        item = BatchItem(name, file=str(self.runner.staged_file()))
        self.items.append(item)
        with open(item.file, "wb") as out:
            while chunk := source.read(CHUNK):
                if item.size + len(chunk) > self.limits.max_file_bytes:
                    self.items.remove(item)
                    self.runner.discard([item])
                    return None
                self.count(len(chunk))
                item.size += len(chunk)
                out.write(chunk)
        self._check(item)
        return item

    def _check(self, item: BatchItem) -> None:
        """Sniff the staged file's form; an empty or binary file becomes a failed item (shown, not ingested)."""
        assert item.file is not None
        with open(item.file, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
        error = None
        if not head.strip() and item.size <= len(head):
            error = "文件为空"
        else:
            item.form = sniff(head, None)
            if item.form == "text" and looks_binary(head):
                error = "不是可识别的文档（既非 PDF、DOCX、网页、图片也非文本）"
        if error:
            self.fail(item, error)

    def fail(self, item: BatchItem, error: str) -> None:
        if item.file:
            self.runner.discard([item])
        item.status, item.error = FAILED, error
        if item not in self.items:
            self.items.append(item)

    def room(self) -> int:
        return self.limits.max_files - len(self.items)

    def expand_zip(self, name: str, fh: IO[bytes]) -> None:
        """The members of a zip, each copied with the caps; the declared sizes checked before any is read."""
        limits = self.limits
        try:
            zf = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, OSError, ValueError):
            self.fail(BatchItem(name), "压缩包已损坏，无法打开")
            return
        with zf:
            members = [m for m in zf.infolist() if not m.is_dir() and not display_name(m.filename, "").startswith(".")
                       and "__MACOSX" not in m.filename]
            if len(members) > self.room():
                raise UploadRefused(f"文件数量超过上限（压缩包 {name} 含 {len(members)} 个文件）：{limits.describe()}。")
            fitting = [m for m in members if m.file_size <= limits.max_file_bytes]
            declared = sum(m.file_size for m in fitting)
            if self.total + declared > limits.max_request_bytes:
                raise UploadRefused(f"压缩包 {name} 解压后合计 {declared / MB:.1f} MB，超过上限，未解压："
                                    f"{limits.describe()}。")
            for m in members:
                self._member(zf, m, f"{name}/{display_name(m.filename)}")

    def _member(self, zf: zipfile.ZipFile, m: zipfile.ZipInfo, label: str) -> None:
        limits = self.limits
        if m.file_size > limits.max_file_bytes:
            self.fail(BatchItem(label), f"文件过大（{m.file_size / MB:.1f} MB，上限 {limits.max_file_bytes / MB:g} MB）")
            return
        if m.flag_bits & 0x1:
            self.fail(BatchItem(label), "压缩包内文件已加密，无法读取")
            return
        try:
            with zf.open(m) as member:
                item = self.copy(label, member)
        except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError) as exc:
            staged = self.items[-1] if self.items and self.items[-1].name == label else BatchItem(label)
            self.fail(staged, f"无法解压：{exc}")
            return
        if item is None:
            self.fail(BatchItem(label), f"文件过大（上限 {limits.max_file_bytes / MB:g} MB）")
            return
        if item.file and item.status != FAILED:
            with open(item.file, "rb") as staged_fh:
                if staged_fh.read(4) == b"PK\x03\x04" and _opens_as_archive(staged_fh):
                    self.fail(item, "压缩包内嵌套的压缩包不予处理，请解压后上传")


async def read_upload(request: Request, limits: Limits, field: str = "files") -> list[BatchItem]:
    """The files of a multipart upload as batch items staged in the queue (zips expanded); refuses the
    whole upload past a limit, keeping nothing of it."""
    check_request_size(request, limits)
    try:
        form = await request.form(max_files=limits.max_files + 1, max_fields=50)
    except HTTPException as exc:  # Starlette's multipart parser refuses too many files or fields
        if "Too many" in str(exc.detail):
            raise UploadRefused(f"文件数量超过上限：{limits.describe()}。") from exc
        raise UploadRefused("上传内容无法解析，请重新选择文件后上传。", status_code=400) from exc
    receiver = _Receiver(request.app.state.batches, limits)
    try:  # file copies block: off the event loop, so other requests are served meanwhile
        await anyio.to_thread.run_sync(_items, form, field, receiver)
    except BaseException:
        receiver.runner.discard(receiver.items)
        raise
    finally:
        await form.close()  # the spooled temporary files of the parts
    return receiver.items


def _items(form: Any, field: str, receiver: _Receiver) -> None:
    """Each uploaded part copied with the per-file cap; zips expanded in place, in upload order."""
    limits = receiver.limits
    uploads = [u for u in form.getlist(field) if isinstance(u, UploadFile)]
    uploads = [u for u in uploads if u.filename or (u.size or 0) > 0]
    if not uploads:
        raise UploadRefused("请选择至少一个文件。", status_code=400)
    if len(uploads) > limits.max_files:
        raise UploadRefused(f"文件数量超过上限（{len(uploads)} 个）：{limits.describe()}。")
    for upload in uploads:
        name = display_name(upload.filename)
        fh = upload.file
        fh.seek(0)
        if fh.read(4) == b"PK\x03\x04" and _opens_as_archive(fh):
            receiver.expand_zip(name, fh)
            continue
        fh.seek(0)
        if receiver.copy(name, fh) is None:
            raise UploadRefused(f"文件“{name}”过大：{limits.describe()}。")
        if len(receiver.items) > limits.max_files:
            raise UploadRefused(f"文件数量超过上限：{limits.describe()}。")

