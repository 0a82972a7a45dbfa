"""Where a value came from, shown to a reviewer: the text excerpt, the source table, or the PDF page.

Everything is rebuilt from the bytes the store kept (``StoredReport.source_bytes``) and the
:class:`~nianbao.document.Source` the extractor recorded — line/column for text, table/row/col for
HTML and DOCX, page/bbox for PDF and scans. Nothing here reads a file by a name from a request.
"""
from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..document import Source
from ..document import Table as DocTable

CONTEXT_LINES = 3
PDF_SCALE = 2.0  # pixels per PDF point: sharp enough to read a table cell
BOX_COLOR = (220, 30, 30)
BOX_WIDTH = 4
MAX_PAGE_PIXELS = 6_000_000  # the default of Policy.page_image_max_pixels: A4 at scale 2 is 1.9 MP, A3 4.0 MP
MIN_SHRINK = 0.25  # shown at less than this fraction of its normal scale, a page is unreadable: refused
MIN_WINDOW = 200.0  # points: a cropped window is at least this tall (about a third of an A4 page)


class PageTooLarge(Exception):
    """The page cannot be shown within the pixel limit (it has no marked box to crop around)."""

    def __init__(self, width: float, height: float) -> None:
        super().__init__(f"{width:.0f}x{height:.0f}")
        size = f"（{width:.0f}×{height:.0f}）" if width and height else ""
        self.reason = f"来源页面过大{size}，缩小后也无法清晰显示，请下载原文件查看。"


@dataclass(frozen=True, slots=True)
class Window:
    """What to render of a page: the scale, and the margins cut from (left, top, right, bottom)."""

    scale: float
    left: float = 0.0
    top: float = 0.0
    right: float = 0.0
    bottom: float = 0.0


def fit_window(width: float, height: float, bbox: tuple[float, ...] | None, scale: float,
               max_pixels: int) -> Window:
    """The largest view of a *width* × *height* page within *max_pixels* at *scale*.

    The whole page when it fits; else, when a box is marked, a window around the box at full scale
    (the full width and as tall as the limit allows, or a square for absurdly wide pages); else the
    whole page scaled down, refused (:class:`PageTooLarge`) below :data:`MIN_SHRINK` of *scale*.
    """
    if width * height * scale * scale <= max_pixels:
        return Window(scale)
    max_pixels = int(max_pixels * 0.99)  # room for the renderer rounding each side up to whole pixels
    if bbox:
        x0, top, x1, bottom = bbox
        tall = max_pixels / (width * scale * scale)
        if tall >= min(height, MIN_WINDOW):
            win_w, win_h = width, tall
        else:
            win_w = win_h = (max_pixels ** 0.5) / scale
        cx, cy = (x0 + x1) / 2, (top + bottom) / 2
        left = min(max(0.0, cx - win_w / 2), max(0.0, width - win_w))
        upper = min(max(0.0, cy - win_h / 2), max(0.0, height - win_h))
        return Window(scale, left, upper, max(0.0, width - left - win_w), max(0.0, height - upper - win_h))
    shrunk = (max_pixels / (width * height)) ** 0.5
    if shrunk < MIN_SHRINK * scale:
        raise PageTooLarge(width, height)
    return Window(shrunk)


class PageCache:
    """Rendered page images, least recently used first out, bounded by their total size in bytes.

    Rendering a page costs a second or more; a reviewer clicking through the values of one page asks
    for the same page again and again. At most :attr:`slots` renderings run at once, so a burst of
    requests queues instead of taking every core and the memory of many pages at the same time.
    """

    def __init__(self, max_bytes: int, slots: int = 2) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(slots)
        self.hits = self.misses = 0

    def get(self, key: tuple, make: Callable[[], bytes]) -> bytes:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
        with self._slots:
            value = make()
        with self._lock:
            if key not in self._items and len(value) <= self.max_bytes:
                self._items[key] = value
                self._size += len(value)
                while self._size > self.max_bytes:
                    _, old = self._items.popitem(last=False)
                    self._size -= len(old)
        return value

    @property
    def size(self) -> int:
        return self._size

    def __len__(self) -> int:
        return len(self._items)


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


def page_png(data: bytes, form: str, source: Source, max_pixels: int = MAX_PAGE_PIXELS) -> bytes:
    """The page (PDF) or image (scan) holding the value, with its bbox drawn in red, as PNG bytes.

    Never more than *max_pixels*: a larger page is shown as a window around the value (or scaled
    down, see :func:`fit_window`), so a 14,400-point-tall page costs what an ordinary one does.
    """
    from PIL import Image, ImageDraw

    if form == "pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            index = max(0, min(len(pdf) - 1, (source.page or 1) - 1))
            page = pdf[index]
            width, height = page.get_size()
            win = fit_window(width, height, source.bbox, PDF_SCALE, max_pixels)
            image = page.render(scale=win.scale, crop=(win.left, win.bottom, win.right, win.top)).to_pil()
            image = image.convert("RGB")
            page.close()
        finally:
            pdf.close()
    else:
        try:
            image = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError as exc:  # beyond Pillow's own limit: not shown at all
            raise PageTooLarge(0, 0) from exc
        if getattr(image, "n_frames", 1) > 1:  # a multi-page TIFF scan
            image.seek(max(0, (source.page or 1) - 1))
        width, height = image.size
        win = fit_window(width, height, source.bbox, 1.0, max_pixels)
        if win.scale < 1.0:
            image.draft("RGB", (int(width * win.scale), int(height * win.scale)))  # JPEG: decode small
        image = image.convert("RGB")
        if (win.left, win.top, win.right, win.bottom) != (0, 0, 0, 0):
            image = image.crop((int(win.left), int(win.top), int(width - win.right), int(height - win.bottom)))
        elif win.scale < 1.0:
            image = image.resize((max(1, int(width * win.scale)), max(1, int(height * win.scale))))
    if source.bbox:
        x0, top, x1, bottom = ((v - off) * win.scale for v, off in zip(source.bbox, (win.left, win.top) * 2))
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

