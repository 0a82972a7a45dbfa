"""Ingest: any published form of a report → one :class:`~nianbao.document.Document`.

The form is chosen by content (magic bytes), not only by the file name:

============  ======================================  ===================
form          recognised by                           module
============  ======================================  ===================
pdf           ``%PDF``                                :mod:`.pdf`
docx          ZIP holding ``word/document.xml``       :mod:`.docx`
doc / wps     OLE2 compound file                      :mod:`.docx` (LibreOffice)
image         PNG / JPEG / TIFF / BMP                 :mod:`.ocr`
html          markup in the first bytes, or .htm(l)   :mod:`.html`
text          anything else that decodes as text      :mod:`.text`
============  ======================================  ===================

Every module exposes ``read(data: bytes, path: str | None) -> Document``.
"""
from __future__ import annotations

import importlib
import os
import re
from pathlib import Path

from ..document import Document
from ..errors import NianbaoError
from .encoding import SIMPLIFIED_MARK, declared_charset, decode_original, looks_binary, wide_encoding
from .limits import MAX_FILE_BYTES

DEFAULT_MAX_BYTES = MAX_FILE_BYTES

_HTML_HEAD = re.compile(rb"<\s*(!doctype\s+html|html|head|body|table|div|meta|p)\b", re.I)


def sniff(data: bytes, path: str | None = None) -> str:
    """Name the form of *data*: pdf, docx, doc, image, html or text."""
    head = data[:2048]
    if head.lstrip()[:5] == b"%PDF-" or data[:1024].find(b"%PDF-") != -1:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"  # the docx ingester says so when the ZIP holds no Word document
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")):
        return "image"
    suffix = Path(path).suffix.lower() if path else ""
    if (wide := wide_encoding(data)) is not None:  # BOM-less UTF-16/32: look at the characters, not the bytes
        head = data[:8192].decode(wide, errors="ignore").encode("utf-8", errors="ignore")
    if suffix in (".htm", ".html", ".shtml", ".xhtml") or _HTML_HEAD.search(head):
        return "html"
    stripped = head.lstrip()
    if stripped[:1] in (b"{", b"[") and re.search(rb"<\s*table", data[:2_000_000], re.I):
        return "html"  # a saved API response with the page in a JSON string
    return "text"


_MODULES = {"pdf": "pdf", "docx": "docx", "doc": "docx", "image": "ocr", "html": "html", "text": "text"}
_FORM_NAMES = {"pdf": "PDF", "docx": "DOCX", "doc": "DOC/WPS", "image": "图片", "html": "网页（HTML）", "text": "文本"}


def read_bytes(data: bytes, path: str | None = None) -> Document:
    """Ingest bytes already in memory (the web app's uploads take this path)."""
    if not data.strip():
        raise NianbaoError(path, "文件为空", kind="empty")
    form = sniff(data, path)
    if form == "text" and looks_binary(data):
        raise NianbaoError(path, "不是可识别的文档（二进制内容，既非 PDF、DOCX、网页也非文本；如是文本，其编码无法识别）",
                           kind="binary")
    try:
        module = importlib.import_module(f"{__name__}.{_MODULES[form]}")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith(__name__):
            raise NianbaoError(path, f"暂不支持读取{_FORM_NAMES[form]}格式", kind="unsupported") from exc
        raise
    doc: Document = module.read(data, path)
    doc.path = path
    if str(doc.meta.get("encoding", "")).endswith(SIMPLIFIED_MARK):
        # Traditional text was converted for matching; the text as published is kept beside it.
        doc.meta["original_text"] = decode_original(data, path, declared_charset(data))[0]
    return doc


def read_file(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of the file at *path*, or :class:`NianbaoError` naming why it cannot be read."""
    name = str(path)
    p = Path(path)
    if not p.exists():
        raise NianbaoError(name, "文件不存在", kind="missing")
    if p.is_dir():
        raise NianbaoError(name, "这是一个文件夹，不是文件", kind="unsupported")
    size = p.stat().st_size
    if size == 0:
        raise NianbaoError(name, "文件为空", kind="empty")
    if size > max_bytes:
        raise NianbaoError(name, f"文件过大（{size / 1048576:.1f} MB，上限 {max_bytes / 1048576:.0f} MB）",
                           kind="too_large")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise NianbaoError(name, f"无法读取文件：{exc.strerror or exc}", kind="unreadable") from exc


def read_document(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read the file at *path* into a document, choosing the ingester by content."""
    return read_bytes(read_file(path, max_bytes=max_bytes), str(path))
