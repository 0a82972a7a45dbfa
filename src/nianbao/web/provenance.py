"""Where a value came from, shown to a reviewer: the text excerpt, the source table, or the PDF page.

Everything is rebuilt from the bytes the store kept (``StoredReport.source_bytes``) and the
:class:`~nianbao.document.Source` the extractor recorded — line/column for text, table/row/col for
HTML and DOCX, page/bbox for PDF and scans. Nothing here reads a file by a name from a request.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from ..document import Source
from ..document import Table as DocTable

CONTEXT_LINES = 3
PDF_SCALE = 2.0  # pixels per PDF point: sharp enough to read a table cell
BOX_COLOR = (220, 30, 30)
BOX_WIDTH = 4


@dataclass(slots=True)
class ExcerptLine:
    number: int
    before: str
    marked: str = ""
    after: str = ""
    focus: bool = False


@dataclass(slots=True)
class SourceTable:
    """A table of the source document with one cell marked (HTML, DOCX)."""

    index: int
    rows: list[list[tuple[str, bool]]] = field(default_factory=list)


def text_excerpt(data: bytes, name: str | None, source: Source, raw: str | None) -> list[ExcerptLine]:
    """The lines around ``source.line`` with the printed value (``raw``) marked at ``source.column``."""
    from ..ingest.encoding import decode

    text, _ = decode(data, name)
    lines = text.splitlines()
    if not source.line or source.line > len(lines):
        return []
    out: list[ExcerptLine] = []
    lo, hi = max(1, source.line - CONTEXT_LINES), min(len(lines), source.line + CONTEXT_LINES)
    for n in range(lo, hi + 1):
        line = lines[n - 1].replace("\t", "  ")
        if n != source.line:
            out.append(ExcerptLine(n, line))
            continue
        original = lines[n - 1]
        start = (source.column or 1) - 1
        length = len(raw or "")
        if raw and original[start:start + length] != raw:
            found = original.find(raw)
            start = found if found >= 0 else start
        before, marked, after = original[:start], original[start:start + length], original[start + length:]
        out.append(ExcerptLine(n, before.replace("\t", "  "), marked, after.replace("\t", "  "), focus=True))
    return out


def source_table(data: bytes, name: str | None, source: Source) -> SourceTable | None:
    """The source table holding ``source.table``/``row``/``col``, re-read from the stored bytes."""
    from ..ingest import read_bytes

    if source.table is None:
        return None
    doc = read_bytes(data, name)
    tables = [b for b in doc.blocks if isinstance(b, DocTable)]
    # Prefer the table whose cells carry this table index (ingesters number their own tables).
    for tbl in tables:
        cells = [c for row in tbl.rows for c in row]
        if cells and cells[0].source.table == source.table:
            return _mark(tbl, source)
    if 0 <= source.table < len(tables):
        return _mark(tables[source.table], source)
    return None


def _mark(tbl: DocTable, source: Source) -> SourceTable:
    out = SourceTable(source.table or 0)
    for row in tbl.rows:
        out.rows.append([(c.text, c.source.row == source.row and c.source.col == source.col) for c in row])
    return out


def page_png(data: bytes, form: str, source: Source) -> bytes:
    """The page (PDF) or image (scan) holding the value, with its bbox drawn in red, as PNG bytes."""
    from PIL import Image, ImageDraw

    if form == "pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            index = max(0, min(len(pdf) - 1, (source.page or 1) - 1))
            page = pdf[index]
            image = page.render(scale=PDF_SCALE).to_pil().convert("RGB")
            page.close()
        finally:
            pdf.close()
        scale = PDF_SCALE
    else:
        image = Image.open(io.BytesIO(data))
        if getattr(image, "n_frames", 1) > 1:  # a multi-page TIFF scan
            image.seek(max(0, (source.page or 1) - 1))
        image = image.convert("RGB")
        scale = 1.0
    if source.bbox:
        x0, top, x1, bottom = (v * scale for v in source.bbox)
        pad = 3
        ImageDraw.Draw(image).rectangle((x0 - pad, top - pad, x1 + pad, bottom + pad), outline=BOX_COLOR,
                                        width=BOX_WIDTH)
    buf = io.BytesIO()
    image.save(buf, "PNG", optimize=False)
    return buf.getvalue()


def describe(source: Source | None) -> str:
    """A reader's account of a source position (Chinese)."""
    if source is None:
        return "来源位置未知"
    parts: list[str] = []
    if source.page:
        parts.append(f"第 {source.page} 页")
    if source.table is not None:
        parts.append(f"第 {source.table + 1} 个表格")
    if source.row is not None:
        parts.append(f"第 {source.row + 1} 行")
    if source.col is not None:
        parts.append(f"第 {source.col + 1} 列")
    if source.line:
        parts.append(f"第 {source.line} 行")
    if source.column:
        parts.append(f"第 {source.column} 字")
    return "，".join(parts) or "来源位置未知"


def has_page(form: str, source: Source | None) -> bool:
    return bool(source and source.page and form in ("pdf", "image"))

