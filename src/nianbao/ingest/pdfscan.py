"""Inflate-bomb guard for PDF: measure every Flate stream before pdfium inflates it.

Why: pdfium inflates a page's content stream whole when the page is loaded; a 2 MB file whose
content stream inflates to 2 GiB costs gigabytes before any of our per-page checks can run.
pypdfium2 has no public API to look at a stream's decoded length without decoding it, so the
bytes are pre-scanned here: each ``stream … endstream`` whose first filter is ``/FlateDecode``
is inflated incrementally (a bounded window of output at a time, nothing kept), and the file is
refused as soon as one stream or all of them together pass their limit.

Streams are found by their keywords, not through the cross-reference table, so a damaged xref
does not hide one (streams are never inside object streams, the PDF spec forbids it). A stream
that does not inflate (encrypted, damaged) is left to pdfium. Images and embedded fonts have a
larger limit than content streams, because their decoded size is legitimately larger.
"""
from __future__ import annotations

import re
import zlib

from .limits import MAX_BINARY_STREAM_INFLATED, MAX_STREAM_INFLATED, MAX_TOTAL_INFLATED, MiB, exceeded

_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_FIRST_FILTER = re.compile(rb"/Filter\s*(?:\[\s*)?/([A-Za-z0-9]+)")
_BINARY_KIND = re.compile(rb"/Subtype\s*/Image|/Type\s*/EmbeddedFile|/Length[123]\b|/Subtype\s*/(?:Type1C|CIDFontType0C|OpenType)")
DICT_WINDOW = 4096  # bytes before the ``stream`` keyword searched for the stream's dictionary
IN_CHUNK = 1 << 20  # compressed bytes handed to zlib at a time
OUT_CHUNK = 4 << 20  # inflated bytes produced at a time (then dropped)


def inflated_size(data: bytes | memoryview, limit: int) -> int:
    """Bytes the zlib stream *data* inflates to, counting stops once past *limit* (damage ends it early)."""
    inflater = zlib.decompressobj()
    total = 0
    view = memoryview(data)
    try:
        for at in range(0, len(view), IN_CHUNK):
            pending: bytes | memoryview = view[at:at + IN_CHUNK]
            while pending:
                total += len(inflater.decompress(pending, OUT_CHUNK))
                if total > limit or inflater.eof:
                    return total
                pending = inflater.unconsumed_tail
    except zlib.error:
        pass
    return total


def check_streams(data: bytes, path: str | None) -> int:
    """Raise :func:`~.limits.exceeded` when a Flate stream (or all together) inflates past its limit.

    Returns the total inflated size of the Flate streams (for benchmarks and tests).
    """
    total = 0
    pos = 0
    view = memoryview(data)
    while (m := _STREAM.search(data, pos)) is not None:
        start = m.end()
        end = data.find(b"endstream", start)
        if end == -1:
            end = len(data)
        pos = end
        head = data[max(0, m.start() - DICT_WINDOW):m.start()]
        obj = head.rfind(b" obj")
        if obj != -1:
            head = head[obj:]
        first = _FIRST_FILTER.search(head)
        if first is None or first.group(1) not in (b"FlateDecode", b"Fl"):
            continue
        binary = _BINARY_KIND.search(head) is not None
        limit = MAX_BINARY_STREAM_INFLATED if binary else MAX_STREAM_INFLATED
        size = inflated_size(view[start:end], limit)
        if size > limit:
            what = "PDF 图像或字体数据解压后的大小" if binary else "PDF 内容流解压后的大小"
            raise exceeded(path, what, None, f"{limit // MiB} MB")
        total += size
        if total > MAX_TOTAL_INFLATED:
            raise exceeded(path, "PDF 全部数据流解压后的总大小", None, f"{MAX_TOTAL_INFLATED // MiB} MB")
    return total
