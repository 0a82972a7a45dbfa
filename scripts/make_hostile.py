#!/usr/bin/env python3
"""Write the hostile inputs of issue 13 (and two legitimate large reports) into a folder.

Why: every ingester must answer a bomb, a corrupt file or an unexpected encoding with a clear
Chinese error within bounded time and memory, and still read a legitimately large report. The
files are built from the committed form fixtures; the large ones (50 MB page, 2 GiB inflate
bomb) are NOT committed: ``benchmarks/fuzz_ingest.py`` runs this script into a scratch folder.

=============================  ==========================================================  ========
file                           what it is                                                  expect
=============================  ==========================================================  ========
docx-gridbefore.docx           first table row with ``w:gridBefore w:val="100000000"``     error
docx-gridspan.docx             first table cell with ``w:gridSpan w:val="1000000000"``     error
docx-bad-crc.docx              ``word/document.xml``'s stored CRC-32 wrong                 error
docx-bad-deflate.docx          a byte of ``word/document.xml``'s deflate data flipped      error
docx-truncated-xml.docx        ``word/document.xml`` cut in the middle of an element       error
html-50mb-one-table.html       a 50 MB page holding one table                              error
pdf-inflate-2gib.pdf           a page whose content stream inflates to 2 GiB               error
pdf-dense-content.pdf          15 MiB of drawing operators (1.1 million paths) on one page error
pdf-bad-xref.pdf               a seed PDF with its cross-reference table garbled           read or error
page-big5.html                 a seed page in Traditional script, Big5, declared big5      read
page-big5-nometa.html          the same without a charset declaration                      read
page-utf16le.html              a seed page in UTF-16LE without BOM                         read
page-utf32le.html              a seed page in UTF-32LE without BOM                         read
text-big5.txt                  a seed's text in Big5                                       read
text-utf16le.txt               a seed's text in UTF-16LE without BOM                       read
page-shiftjis.html             a Japanese page in Shift-JIS                                error 编码
large-300-pages.pdf            a seed PDF's pages repeated to 300 pages                    read
large-120k.html                a seed page padded with prose to 120 KiB                    read
=============================  ==========================================================  ========

Usage: ``python scripts/make_hostile.py [OUT_DIR]`` (default ``artifacts/hostile``; deterministic).
Prints one line per file: name, size, expected outcome. ``--small`` writes only the files under
64 KB: the committed copies in ``tests/fixtures/hostile/`` are made with
``python scripts/make_hostile.py --small tests/fixtures/hostile``.
"""
from __future__ import annotations

import io
import re
import struct
import sys
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMS = ROOT / "tests" / "fixtures" / "forms"
SEED = "002_e36d426879923bc1"
INFLATE_BYTES = 2 * 1024**3  # the PDF bomb's content stream, inflated
HTML_BYTES = 50 * 1024**2
EXPECT: dict[str, str] = {}  # file name -> "error" | "read" | "error 编码" | "read or error"


def _docx_with(xml_edit) -> bytes:
    """The seed DOCX with ``word/document.xml`` passed through *xml_edit* (str -> str)."""
    src = zipfile.ZipFile(FORMS / f"{SEED}.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = xml_edit(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


def _first_row_grid_before(xml: str) -> str:
    return re.sub(r"(<w:tr\b[^>]*>)", r'\1<w:trPr><w:gridBefore w:val="100000000"/></w:trPr>', xml, count=1)


def _first_cell_grid_span(xml: str) -> str:
    return re.sub(r"(<w:tc\b[^>]*>)", r'\1<w:tcPr><w:gridSpan w:val="1000000000"/></w:tcPr>', xml, count=1)


def _local_header(data: bytes, name: str) -> tuple[int, int]:
    """Offset of the local file header of *name* and of its compressed data."""
    pos = data.index(b"PK\x03\x04")  # the first local header
    while True:
        n_len, x_len = struct.unpack_from("<HH", data, pos + 26)
        fname = data[pos + 30:pos + 30 + n_len].decode("utf-8")
        start = pos + 30 + n_len + x_len
        if fname == name:
            return pos, start
        pos = data.index(b"PK\x03\x04", start)


def bad_crc_docx() -> bytes:
    data = bytearray((FORMS / f"{SEED}.docx").read_bytes())
    header, _ = _local_header(bytes(data), "word/document.xml")
    crc_at = header + 14
    wrong = struct.unpack_from("<I", data, crc_at)[0] ^ 0xDEADBEEF
    struct.pack_into("<I", data, crc_at, wrong)
    pos = bytes(data).index(b"PK\x01\x02")
    while pos != -1:  # the central directory copy of the CRC too
        n_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46:pos + 46 + n_len]) == b"word/document.xml":
            struct.pack_into("<I", data, pos + 16, wrong)
        pos = bytes(data).find(b"PK\x01\x02", pos + 4)
    return bytes(data)


def bad_deflate_docx() -> bytes:
    data = bytearray((FORMS / f"{SEED}.docx").read_bytes())
    _, start = _local_header(bytes(data), "word/document.xml")
    for k in range(40, 48):
        data[start + k] ^= 0x5A
    return bytes(data)


def truncated_xml_docx() -> bytes:
    return _docx_with(lambda xml: xml[: len(xml) // 2])


def html_one_table(size: int) -> bytes:
    row = "<tr>" + "".join(f"<td>{i}</td>" for i in range(10)) + "</tr>\n"
    n = size // len(row)
    return ("<html><head><meta charset='utf-8'><title>2023年政府信息公开工作年度报告</title></head><body><table>"
            + row * n + "</table></body></html>").encode("utf-8")


def inflate_bomb_pdf(inflated: int = INFLATE_BYTES, unit: bytes = b" ") -> bytes:
    """A one-page PDF whose content stream is *inflated* bytes of *unit* repeated, Flate-compressed."""
    comp = zlib.compressobj(9)
    chunk = unit * (16 * 1024 * 1024 // len(unit))
    parts = []
    left = inflated
    while left > 0:
        piece = chunk if left >= len(chunk) else chunk[:left - left % len(unit)] or unit
        parts.append(comp.compress(piece))
        left -= len(piece)
    parts.append(comp.flush())
    stream = b"".join(parts)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def bad_xref_pdf() -> bytes:
    data = bytearray((FORMS / f"{SEED}.lo.pdf").read_bytes())
    at = bytes(data).rfind(b"xref")
    for k in range(at, min(at + 400, len(data))):
        if data[k] in b"0123456789":
            data[k] = ord("9")
    return bytes(data)


def _seed_page() -> str:
    return (FORMS / f"{SEED}.html").read_text(encoding="utf-8")


def big5_page(declare: bool) -> bytes:
    import opencc

    page = opencc.OpenCC("s2t").convert(_seed_page())
    page = page.replace('charset="utf-8"', 'charset="big5"').replace("charset=utf-8", "charset=big5")
    if not declare:
        page = re.sub(r"<meta[^>]*charset[^>]*>", "", page, flags=re.I)
    return page.encode("big5", errors="replace")


def shift_jis_page() -> bytes:
    text = ("<html><head><meta charset='shift_jis'><title>令和四年度 情報公開の実施状況について</title></head><body>"
            + "<p>本市における情報公開制度の運用状況をお知らせします。請求件数は前年度と比べて増加しました。</p>" * 40
            + "<table><tr><td>区分</td><td>件数</td></tr><tr><td>開示</td><td>12</td></tr></table></body></html>")
    return text.encode("shift_jis")


def seed_text() -> str:
    return (ROOT.parent / "shared" / "seeds" / f"{SEED}.txt").read_text(encoding="utf-8")


def large_pdf(pages: int = 300) -> bytes:
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument((FORMS / f"{SEED}.lo.pdf").read_bytes())
    dst = pdfium.PdfDocument.new()
    while len(dst) < pages:
        take = list(range(min(len(src), pages - len(dst))))
        dst.import_pages(src, take)
    out = io.BytesIO()
    dst.save(out)
    return out.getvalue()


def large_html(size: int = 120 * 1024) -> bytes:
    page = _seed_page()
    prose = "<p>本机关持续推进政府信息公开工作，围绕重点领域加大主动公开力度，及时回应社会关切。</p>\n"
    need = size - len(page.encode("utf-8"))
    pad = prose * max(0, need // len(prose.encode("utf-8")) + 1)
    return page.replace("</body>", pad + "</body>").encode("utf-8")


SMALL = ("docx-gridbefore.docx", "docx-gridspan.docx", "docx-bad-crc.docx", "docx-bad-deflate.docx",
         "docx-truncated-xml.docx", "text-big5.txt", "text-utf16le.txt", "page-shiftjis.html")


def build(out: Path, *, small: bool = False) -> dict[str, str]:
    """Write every hostile file (only :data:`SMALL` ones if *small*) into *out*; return ``{name: expected}``."""
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "docx-gridbefore.docx": (lambda: _docx_with(_first_row_grid_before), "error"),
        "docx-gridspan.docx": (lambda: _docx_with(_first_cell_grid_span), "error"),
        "docx-bad-crc.docx": (bad_crc_docx, "error"),
        "docx-bad-deflate.docx": (bad_deflate_docx, "error"),
        "docx-truncated-xml.docx": (truncated_xml_docx, "error"),
        "html-50mb-one-table.html": (lambda: html_one_table(HTML_BYTES), "error"),
        "pdf-inflate-2gib.pdf": (inflate_bomb_pdf, "error"),
        "pdf-dense-content.pdf": (lambda: inflate_bomb_pdf(15 * 1024**2, b"0 0 m 1 1 l S\n"), "error"),
        "pdf-bad-xref.pdf": (bad_xref_pdf, "read or error"),
        "page-big5.html": (lambda: big5_page(True), "read"),
        "page-big5-nometa.html": (lambda: big5_page(False), "read"),
        "page-utf16le.html": (lambda: _seed_page().replace('charset="utf-8"', "").encode("utf-16-le"), "read"),
        "page-utf32le.html": (lambda: _seed_page().replace('charset="utf-8"', "").encode("utf-32-le"), "read"),
        "text-big5.txt": (lambda: __import__("opencc").OpenCC("s2t").convert(seed_text()).encode("big5", "replace"),
                          "read"),
        "text-utf16le.txt": (lambda: seed_text().encode("utf-16-le"), "read"),
        "page-shiftjis.html": (shift_jis_page, "error 编码"),
        "large-300-pages.pdf": (large_pdf, "read"),
        "large-120k.html": (large_html, "read"),
    }
    expected: dict[str, str] = {}
    for name, (make, expect) in files.items():
        if small and name not in SMALL:
            continue
        target = out / name
        if not target.exists():  # the bombs take a while; rerunning keeps what is there
            tmp = target.with_suffix(target.suffix + ".part")
            tmp.write_bytes(make())
            tmp.replace(target)
        expected[name] = expect
    return expected


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--small"]
    out = Path(args[0]) if args else ROOT / "artifacts" / "hostile"
    for name, expect in build(out, small="--small" in sys.argv).items():
        print(f"{name}\t{(out / name).stat().st_size}\t{expect}")


if __name__ == "__main__":
    main()
