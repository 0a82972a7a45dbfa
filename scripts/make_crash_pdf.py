#!/usr/bin/env python3
"""Build ``tests/fixtures/hostile/``: small files that attack the parser process itself.

``crash-20m-objects.pdf`` (about 1 KB): one page whose content stream, Flate-compressed twice,
expands to 20 million ``0 0 1 1 re f`` rectangles (260 MB of operators). pdfium builds a page
object for each one: about 7 GB of memory, and with any memory ceiling below that (a small
machine, or the worker limit of :mod:`nianbao.isolate`) its allocator aborts the process with
``SIGABRT``, which no ``try`` can catch. It is the file issue 14 found killing the web server and
stopping ``ingest`` batches.

Usage: ``python scripts/make_crash_pdf.py`` (standard library only).
"""
from __future__ import annotations

import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "hostile"
RECTANGLES = 20_000_000


def pdf_with_content(content: bytes) -> bytes:
    """A one-page PDF (A4) whose content stream is *content*, compressed with two Flate passes."""
    stream = zlib.compress(zlib.compress(content, 9), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / "crash-20m-objects.pdf"
    target.write_bytes(pdf_with_content(b"0 0 1 1 re f " * RECTANGLES))
    print(f"{target}: {target.stat().st_size} bytes")


if __name__ == "__main__":
    main()
