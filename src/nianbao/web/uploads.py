"""Turning an HTTP upload into checked, named, size-limited files — before anything is ingested.

Limits are enforced three times: the request's Content-Length, each file's size, the number of
files (zip members included). A zip is opened in memory and each member read with a hard cap, so a
zip bomb stops at the cap. Forms are decided by content (:func:`nianbao.ingest.sniff`), never by the
file name; the name a browser sends is kept only as a display label, stripped of any path.
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from ..ingest import sniff
from ..ingest.encoding import looks_binary
from .jobs import FAILED, BatchItem

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_bytes: int = 50 * MB
    max_files: int = 200
    max_request_bytes: int = 300 * MB

    def describe(self) -> str:
        return (f"单个文件不超过 {self.max_file_bytes / MB:g} MB，每次最多 {self.max_files} 个文件，"
                f"每次上传合计不超过 {self.max_request_bytes / MB:g} MB")


class UploadRefused(Exception):
    """The whole upload is refused (413 or 400) with a Chinese reason."""

    def __init__(self, reason: str, status_code: int = 413) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status_code = status_code


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


def _item(name: str, data: bytes, limits: Limits) -> BatchItem:
    """One file, its form sniffed from its bytes; refused files become failed items (shown, not ingested)."""
    if len(data) > limits.max_file_bytes:
        return BatchItem(name, status=FAILED,
                         error=f"文件过大（{len(data) / MB:.1f} MB，上限 {limits.max_file_bytes / MB:g} MB）")
    if not data.strip():
        return BatchItem(name, status=FAILED, error="文件为空")
    form = sniff(data, None)
    if form == "text" and looks_binary(data):
        return BatchItem(name, status=FAILED, error="不是可识别的文档（既非 PDF、DOCX、网页、图片也非文本）")
    return BatchItem(name, form=form, data=data)


def _expand_zip(name: str, data: bytes, limits: Limits, room: int) -> list[BatchItem]:
    """The members of a zip, each read with the per-file cap; at most *room* of them."""
    items: list[BatchItem] = []
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return [BatchItem(name, status=FAILED, error="压缩包已损坏，无法打开")]
    with zf:
        members = [m for m in zf.infolist() if not m.is_dir() and not display_name(m.filename, "").startswith(".")
                   and "__MACOSX" not in m.filename]
        if len(members) > room:
            raise UploadRefused(f"文件数量超过上限（压缩包 {name} 含 {len(members)} 个文件）：{limits.describe()}。")
        for m in members:
            label = f"{name}/{display_name(m.filename)}"
            if m.flag_bits & 0x1:
                items.append(BatchItem(label, status=FAILED, error="压缩包内文件已加密，无法读取"))
                continue
            try:
                with zf.open(m) as fh:
                    body = fh.read(limits.max_file_bytes + 1)
            except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as exc:
                items.append(BatchItem(label, status=FAILED, error=f"无法解压：{exc}"))
                continue
            if body.startswith(b"PK\x03\x04"):
                try:
                    with zipfile.ZipFile(io.BytesIO(body)) as inner:
                        nested = not _is_word(inner)
                except zipfile.BadZipFile:
                    nested = False
                if nested:
                    items.append(BatchItem(label, status=FAILED, error="压缩包内嵌套的压缩包不予处理，请解压后上传"))
                    continue
            items.append(_item(label, body, limits))
    return items


async def read_upload(request: Request, limits: Limits, field: str = "files") -> list[BatchItem]:
    """The files of a multipart upload as batch items (zips expanded); refuses the whole upload past a limit."""
    check_request_size(request, limits)
    try:
        form = await request.form(max_files=limits.max_files + 1, max_fields=50)
    except HTTPException as exc:  # Starlette's multipart parser refuses too many files or fields
        if "Too many" in str(exc.detail):
            raise UploadRefused(f"文件数量超过上限：{limits.describe()}。") from exc
        raise UploadRefused("上传内容无法解析，请重新选择文件后上传。", status_code=400) from exc
    try:
        return await _items(form, field, limits)
    finally:
        await form.close()  # the spooled temporary files of the parts


async def _items(form: Any, field: str, limits: Limits) -> list[BatchItem]:
    """Each uploaded part read with the per-file cap; zips expanded in place, in upload order."""
    uploads = [u for u in form.getlist(field) if isinstance(u, UploadFile)]
    uploads = [u for u in uploads if u.filename or (u.size or 0) > 0]
    if not uploads:
        raise UploadRefused("请选择至少一个文件。", status_code=400)
    if len(uploads) > limits.max_files:
        raise UploadRefused(f"文件数量超过上限（{len(uploads)} 个）：{limits.describe()}。")
    items: list[BatchItem] = []
    for upload in uploads:
        name = display_name(upload.filename)
        data = await upload.read(limits.max_file_bytes + 1)
        if len(data) > limits.max_file_bytes:
            raise UploadRefused(f"文件“{name}”过大：{limits.describe()}。")
        if data.startswith(b"PK\x03\x04"):
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as zf:
                    archive = not _is_word(zf)
            except zipfile.BadZipFile:
                archive = False
            if archive:
                items.extend(_expand_zip(name, data, limits, limits.max_files - len(items)))
                continue
        items.append(_item(name, data, limits))
        if len(items) > limits.max_files:
            raise UploadRefused(f"文件数量超过上限：{limits.describe()}。")
    return items
