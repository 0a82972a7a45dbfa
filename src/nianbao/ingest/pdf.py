"""PDF with a text layer → :class:`Document` (image-only pages go to the OCR ingester).

pypdfium2 does all the reading, because it is an order of magnitude faster than
pdfminer-based tools: the characters with their boxes come from the text page,
the ruling lines from the page's path objects. The geometry (characters →
lines, rules → grids) is in :mod:`.pdfgrid`.

Per page: ruled tables become :class:`Table` blocks with merged cells expanded
(copies carry ``copy_of``) and blank cells kept; the remaining characters become
one :class:`Paragraph` per printed line, in reading order (top to bottom, tables
placed where they start). Page numbers and running heads/feet are left out.
A table that continues on the next page is simply the next Table block.

Bad input never produces a traceback: encrypted, truncated, oversized or
bomb-like files raise :class:`NianbaoError` with the reason in Chinese.
"""
from __future__ import annotations

import ctypes
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..document import Block, Cell, Document, Paragraph, Source, Table
from ..errors import NianbaoError
from ..normalize import repair
from .limits import (
    MAX_FORM_DEPTH,
    MAX_PAGE_CHARS,
    MAX_PAGE_OBJECTS,
    MAX_PAGE_SIDE,
    MAX_PAGES,
    MAX_PATH_SEGMENTS,
    MAX_RULES,
    exceeded,
)
from .pdfgrid import (
    AXIS_TOL,
    RULE_MAX_THICKNESS,
    AlignedRow,
    Char,
    Edge,
    Grid,
    PageLayout,
    TextLine,
    aligned_rows,
    layout_page,
)
from .pdfscan import check_streams

# --- page furniture -------------------------------------------------------------------------------------
MARGIN_BAND = 0.09  # running heads/feet and page numbers sit within this share of the page height
FURNITURE_LINES = 2  # … and are among the first/last this many lines of the page
RUNNING_MIN_SHARE = 0.5  # a margin line repeated on at least this share of the pages is a running head
MIN_TEXT_CHARS = 1  # a page with fewer real characters (and an image) is a scan
GARBLED_SHARE = 0.5  # a text layer with this share of unmappable characters is unreadable → OCR

OCR_MISSING = "该 PDF 为扫描件，需要 OCR 组件：pip install 'nianbao[ocr]'"

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－_~·.\s]*\d{1,4}[-—–－_~·.\s]*"
    r"|第\s*\d{1,4}\s*页\s*[，,/]?\s*(?:共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[，,/]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)\s*$",
    re.I,
)
_DIGITS = re.compile(r"\d+")

_OBJ_TEXT, _OBJ_PATH, _OBJ_IMAGE, _OBJ_FORM = (
    pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM)
_SEG_LINE, _SEG_BEZIER, _SEG_MOVE = pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_BEZIERTO, pdfium_c.FPDF_SEGMENT_MOVETO

Matrix = tuple[float, float, float, float, float, float]


# --- coordinates ----------------------------------------------------------------------------------------

@dataclass(slots=True)
class PageFrame:
    """Maps PDF user space (y up) to display points (origin top-left of the crop box, rotation applied)."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int  # 0, 90, 180, 270 (clockwise, as /Rotate)

    @property
    def width(self) -> float:
        return (self.top - self.bottom) if self.rotation in (90, 270) else (self.right - self.left)

    @property
    def height(self) -> float:
        return (self.right - self.left) if self.rotation in (90, 270) else (self.top - self.bottom)

    def point(self, x: float, y: float) -> tuple[float, float]:
        r = self.rotation
        if r == 90:
            return y - self.bottom, x - self.left
        if r == 180:
            return self.right - x, y - self.bottom
        if r == 270:
            return self.top - y, self.right - x
        return x - self.left, self.top - y

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """A user-space rectangle as display ``(x0, top, x1, bottom)``."""
        ax, ay = self.point(left, bottom)
        bx, by = self.point(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def page_frame(page: pdfium.PdfPage) -> PageFrame:
    left, bottom, right, top = page.get_cropbox()
    return PageFrame(left, bottom, right, top, page.get_rotation() % 360)


# --- characters -----------------------------------------------------------------------------------------

def _garbled(ch: str) -> bool:
    o = ord(ch)
    return o == 0xFFFD or 0xE000 <= o <= 0xF8FF or (o < 32 and ch not in "\t\r\n")


def page_chars(textpage: pdfium.PdfTextPage, frame: PageFrame, path: str | None) -> tuple[list[Char], int]:
    """The page's printed characters (generated spaces and line breaks skipped) and how many are garbled."""
    raw = textpage.raw
    n = pdfium_c.FPDFText_CountChars(raw)
    if n > MAX_PAGE_CHARS:
        raise exceeded(path, "PDF 单页字符数", n, MAX_PAGE_CHARS)
    rect = pdfium_c.FS_RECTF()
    chars: list[Char] = []
    garbled = 0
    get_unicode, is_generated = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_IsGenerated
    loose_box = pdfium_c.FPDFText_GetLooseCharBox
    for i in range(n):
        code = get_unicode(raw, i)
        if code in (0, 0xFFFE, 0xFFFF) or is_generated(raw, i) == 1:
            continue
        if 0xD800 <= code <= 0xDFFF:
            continue  # a lone surrogate half; pdfium reports astral characters whole
        ch = chr(code)
        if ch in "\r\n":
            continue
        if not loose_box(raw, i, ctypes.byref(rect)):
            continue
        if _garbled(ch):
            garbled += 1
            continue
        x0, top, x1, bottom = frame.box(rect.left, rect.bottom, rect.right, rect.top)
        if x1 - x0 <= 0 and not ch.isspace():
            x1 = x0 + 0.1
        chars.append(Char(ch, x0, top, x1, bottom))
    return chars, garbled


# --- ruling lines ---------------------------------------------------------------------------------------

def _mul(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2)


def _matrix(obj: ctypes.c_void_p) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _invisible(obj: ctypes.c_void_p, stroke: bool) -> bool:
    """White or fully transparent paint draws nothing a reader sees as a rule."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    getter = pdfium_c.FPDFPageObj_GetStrokeColor if stroke else pdfium_c.FPDFPageObj_GetFillColor
    if not getter(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return False
    return a.value == 0 or min(r.value, g.value, b.value) >= 245


def _subpaths(obj: ctypes.c_void_p, m: Matrix) -> list[tuple[list[tuple[float, float]], bool]]:
    """The path's subpaths as transformed point lists with their closed flag; curves flattened to chords."""
    n = pdfium_c.FPDFPath_CountSegments(obj)
    if n <= 0 or n > MAX_PATH_SEGMENTS:
        return []
    a, b, c, d, e, f = m
    x, y = ctypes.c_float(), ctypes.c_float()
    out: list[tuple[list[tuple[float, float]], bool]] = []
    pts: list[tuple[float, float]] = []
    closed = False
    for i in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
            continue
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        p = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if kind == _SEG_MOVE:
            if len(pts) > 1:
                out.append((pts, closed))
            pts, closed = [p], False
        else:
            pts.append(p)
        if pdfium_c.FPDFPathSegment_GetClose(seg):
            closed = True
    if len(pts) > 1:
        out.append((pts, closed))
    return out


def _path_rules(obj: ctypes.c_void_p, m: Matrix, frame: PageFrame, out: list[Edge]) -> None:
    """Rules drawn by one path: stroked axis-aligned segments, and thin filled rectangles."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke)):
        return
    stroked = bool(stroke.value) and not _invisible(obj, True)
    filled = fill_mode.value != 0 and not _invisible(obj, False)
    if not stroked and not filled:
        return
    for pts, closed in _subpaths(obj, m):
        disp = [frame.point(px, py) for px, py in pts]
        if stroked:
            ring = disp + [disp[0]] if closed else disp
            for (ax, ay), (bx, by) in zip(ring, ring[1:]):
                if abs(ay - by) <= AXIS_TOL and abs(ax - bx) > AXIS_TOL:
                    y = (ay + by) / 2
                    out.append(Edge("h", min(ax, bx), y, max(ax, bx), y))
                elif abs(ax - bx) <= AXIS_TOL and abs(ay - by) > AXIS_TOL:
                    x = (ax + bx) / 2
                    out.append(Edge("v", x, min(ay, by), x, max(ay, by)))
        elif filled and len(disp) >= 3:
            xs_, ys_ = [p[0] for p in disp], [p[1] for p in disp]
            x0, x1, top, bottom = min(xs_), max(xs_), min(ys_), max(ys_)
            if bottom - top <= RULE_MAX_THICKNESS and x1 - x0 > bottom - top:
                y = (top + bottom) / 2
                out.append(Edge("h", x0, y, x1, y))
            elif x1 - x0 <= RULE_MAX_THICKNESS and bottom - top > x1 - x0:
                x = (x0 + x1) / 2
                out.append(Edge("v", x, top, x, bottom))
            # thicker filled shapes are shading / backgrounds, not rules


@dataclass(slots=True)
class PageContent:
    rules: list[Edge]
    images: int
    objects: int


def _walk(handles: Iterator[ctypes.c_void_p], m: Matrix, depth: int, frame: PageFrame, acc: PageContent,
          path: str | None) -> None:
    for obj in handles:
        acc.objects += 1
        if acc.objects > MAX_PAGE_OBJECTS:
            raise exceeded(path, "PDF 单页绘图对象数", acc.objects, MAX_PAGE_OBJECTS)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == _OBJ_PATH and len(acc.rules) < MAX_RULES:
            _path_rules(obj, _mul(_matrix(obj), m), frame, acc.rules)
        elif kind == _OBJ_IMAGE:
            acc.images += 1
        elif kind == _OBJ_FORM and depth < MAX_FORM_DEPTH:
            count = pdfium_c.FPDFFormObj_CountObjects(obj)
            inner = (pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(max(count, 0)))
            _walk(inner, _mul(_matrix(obj), m), depth + 1, frame, acc, path)


def page_content(page: pdfium.PdfPage, frame: PageFrame, path: str | None) -> PageContent:
    """Ruling lines and image count of a page (form XObjects followed, matrices composed)."""
    raw = page.raw
    n = pdfium_c.FPDFPage_CountObjects(raw)
    if n > MAX_PAGE_OBJECTS:
        raise exceeded(path, "PDF 单页绘图对象数", n, MAX_PAGE_OBJECTS)
    acc = PageContent([], 0, 0)
    identity: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    _walk((pdfium_c.FPDFPage_GetObject(raw, i) for i in range(n)), identity, 0, frame, acc, path)
    return acc


# --- opening --------------------------------------------------------------------------------------------

def open_pdf(data: bytes, path: str | None) -> pdfium.PdfDocument:
    """Open the PDF or say in Chinese why not (encrypted, damaged, too many pages, absurd page boxes)."""
    if data.rfind(b"%%EOF") == -1:
        raise NianbaoError(path, "PDF 文件不完整（缺少文件结尾，可能下载中断），请重新获取原文件", kind="corrupt")
    check_streams(data, path)  # before pdfium inflates anything
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise NianbaoError(path, "PDF 已加密（需要密码才能打开），无法读取", kind="encrypted") from exc
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise NianbaoError(path, "PDF 使用了不支持的加密方式，无法读取", kind="encrypted") from exc
        raise NianbaoError(path, "PDF 文件已损坏或不完整，无法读取", kind="corrupt") from exc
    n = len(pdf)
    if n == 0:
        pdf.close()
        raise NianbaoError(path, "PDF 文件已损坏或不完整（没有可读的页面）", kind="corrupt")
    if n > MAX_PAGES:
        pdf.close()
        raise NianbaoError(path, f"PDF 页数过多（{n} 页，上限 {MAX_PAGES} 页），不像一份年度报告", kind="too_large")
    return pdf


def _load_page(pdf: pdfium.PdfDocument, index: int, path: str | None) -> pdfium.PdfPage:
    try:
        page = pdf[index]
    except pdfium.PdfiumError as exc:
        raise NianbaoError(path, f"PDF 第 {index + 1} 页已损坏，无法读取", kind="corrupt") from exc
    w, h = page.get_size()
    if not (0 < w <= MAX_PAGE_SIDE and 0 < h <= MAX_PAGE_SIDE) or math.isnan(w + h):
        page.close()
        raise NianbaoError(path, f"PDF 第 {index + 1} 页尺寸异常（{w:.0f}×{h:.0f} 点），已拒绝读取", kind="too_large")
    return page


# --- page → blocks --------------------------------------------------------------------------------------

@dataclass(slots=True)
class PageRead:
    """One page as geometry, before page furniture is removed."""

    number: int  # 1-based
    frame: PageFrame
    layout: PageLayout | None  # None: image-only (needs OCR) or blank
    needs_ocr: bool = False


def read_page(pdf: pdfium.PdfDocument, index: int, path: str | None) -> PageRead:
    """Characters and rules of one page → its layout (lines outside tables, ruled grids)."""
    page = _load_page(pdf, index, path)
    try:
        frame = page_frame(page)
        textpage = page.get_textpage()
        try:
            chars, garbled = page_chars(textpage, frame, path)
        finally:
            textpage.close()
        content = page_content(page, frame, path)
    finally:
        page.close()
    real = sum(1 for c in chars if not c.text.isspace())
    if real < MIN_TEXT_CHARS or garbled > GARBLED_SHARE * (real + garbled):
        needs_ocr = content.images > 0 or garbled > 0
        return PageRead(index + 1, frame, None, needs_ocr)
    return PageRead(index + 1, frame, layout_page(chars, content.rules))


def _r(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    return (round(box[0], 2), round(box[1], 2), round(box[2], 2), round(box[3], 2))


def grid_table(grid: Grid, page: int) -> Table:
    """A grid as a Table: every fine position a cell; merged cells' other positions are copies."""
    rows: list[list[Cell]] = []
    anchors = {k: (reg.r0, reg.c0) for k, reg in enumerate(grid.regions)}
    texts = {k: repair(reg.text) for k, reg in enumerate(grid.regions)}
    for r in range(grid.n_rows):
        row: list[Cell] = []
        for c in range(grid.n_cols):
            k = grid.owner[r][c]
            reg = grid.regions[k]
            src = Source(page=page, bbox=_r(reg.bbox))
            anchor = anchors[k]
            if anchor == (r, c):
                row.append(Cell(texts[k], src))
            else:
                row.append(Cell(texts[k], src, copy_of=anchor))
        rows.append(row)
    return Table(rows, Source(page=page, bbox=_r(grid.bbox)))


def _furniture_key(text: str) -> str:
    return _DIGITS.sub("#", "".join(text.split()))


def find_furniture(pages: list[PageRead]) -> set[tuple[int, int]]:
    """(page, line index) of page numbers and running heads/feet: margin lines that are page numbers
    or that repeat (digits aside) on many pages."""
    candidates: list[tuple[int, int, str]] = []
    for p in pages:
        if p.layout is None:
            continue
        lines = p.layout.lines
        grid_top = min((g.ys[0] for g in p.layout.grids), default=math.inf)
        grid_bottom = max((g.ys[-1] for g in p.layout.grids), default=-math.inf)
        band = MARGIN_BAND * p.frame.height
        n = len(lines)
        for i, line in enumerate(lines):
            head = i < FURNITURE_LINES and line.bottom <= band and line.bottom <= grid_top
            foot = i >= n - FURNITURE_LINES and line.top >= p.frame.height - band and line.top >= grid_bottom
            if head or foot:
                candidates.append((p.number, i, line.text))
    drop = {(pn, i) for pn, i, text in candidates if _PAGE_NUMBER.match(text)}
    counts = Counter(_furniture_key(t) for pn, i, t in {(pn, i, t) for pn, i, t in candidates})
    pages_with_text = sum(1 for p in pages if p.layout is not None)
    need = max(2, math.ceil(RUNNING_MIN_SHARE * pages_with_text))
    for pn, i, text in candidates:
        if counts[_furniture_key(text)] >= need:
            drop.add((pn, i))
    return drop


def _aligned_table(row: AlignedRow, line: TextLine, page: int) -> list[Cell]:
    """One unruled table row as cells: the label (if any), then one cell per value column, blanks kept."""
    cells: list[Cell] = []
    if row.label:
        lab = TextLine(row.label)
        cells.append(Cell(repair(lab.text.strip()), Source(page=page, bbox=_r(lab.bbox))))
    for (b0, b1), chars in zip(row.bands, row.values):
        if chars is None:
            cells.append(Cell("", Source(page=page, bbox=_r((b0, line.top, b1, line.bottom)))))
        else:
            seg = TextLine(chars)
            cells.append(Cell(repair(seg.text.strip()), Source(page=page, bbox=_r(seg.bbox))))
    return cells


def page_blocks(p: PageRead, drop: set[tuple[int, int]]) -> list[Block]:
    """The page's blocks in reading order: lines and tables sorted by where they start.

    Lines of an unruled table (values in aligned columns) become table rows, so
    that a blank cell keeps its column; consecutive such rows share one Table.
    """
    assert p.layout is not None
    kept = [line for i, line in enumerate(p.layout.lines) if (p.number, i) not in drop]
    aligned = {row.line: row for row in aligned_rows(kept)}
    items: list[tuple[float, float, Block]] = []
    previous_row = -2
    # Merged cells printed downwards: a line of their own before the row in which they start (a wrapped
    # label's first line may stand above its values: the row starts after the previous complete row).
    stacks = list(p.layout.stacks)
    row_start: float | None = None
    for i, line in enumerate(kept):
        while stacks and stacks[0].bbox[1] < line.top:
            st = stacks.pop(0)
            at = (row_start if row_start is not None else line.top) - 0.01
            items.append((at, st.bbox[0], Paragraph(repair(st.text), Source(page=p.number, bbox=_r(st.bbox)))))
            previous_row = -2  # the rows after it are a new piece of the table
        row_start = None if i in aligned else (line.top if row_start is None else row_start)
        if i in aligned:
            cells = _aligned_table(aligned[i], line, p.number)
            last = items[-1][2] if items else None
            if previous_row == i - 1 and isinstance(last, Table):
                last.rows.append(cells)
            else:
                items.append((line.top, line.x0, Table([cells], Source(page=p.number, bbox=_r(line.bbox)))))
            previous_row = i
            continue
        text = repair(line.text.strip())
        if text:
            items.append((line.top, line.x0, Paragraph(text, Source(page=p.number, bbox=_r(line.bbox)))))
    for g in p.layout.grids:
        items.append((g.ys[0], g.xs[0], grid_table(g, p.number)))
    items += [(st.bbox[1], st.bbox[0], Paragraph(repair(st.text), Source(page=p.number, bbox=_r(st.bbox))))
              for st in stacks]
    items.sort(key=lambda t: (t[0], t[1]))
    return [b for _, _, b in items]


def _ocr(pdf: pdfium.PdfDocument, indexes: list[int], path: str | None) -> list[Block]:
    """Blocks of image-only pages from the OCR ingester (imported lazily: it is an optional extra)."""
    try:
        from .ocr import ocr_pdf_pages
    except ImportError as exc:
        raise NianbaoError(path, OCR_MISSING, kind="missing_tool") from exc
    blocks: list[Block] = ocr_pdf_pages(pdf, indexes, path)
    return blocks


def read_pages(pdf: pdfium.PdfDocument, path: str | None) -> tuple[list[Block], list[str], dict[str, object]]:
    """All pages → blocks; scanned pages through OCR. Returns blocks, warnings and meta."""
    pages = [read_page(pdf, i, path) for i in range(len(pdf))]
    drop = find_furniture(pages)
    scanned = [p.number - 1 for p in pages if p.layout is None and p.needs_ocr]
    warnings: list[str] = []
    ocr_blocks: dict[int, list[Block]] = {}
    if scanned:
        has_text = any(p.layout is not None for p in pages)
        try:
            for b in _ocr(pdf, scanned, path):
                page = b.source.page or (scanned[0] + 1)
                ocr_blocks.setdefault(page, []).append(b)
        except NianbaoError as exc:
            if exc.kind != "missing_tool" or not has_text:
                raise
            listed = "、".join(str(i + 1) for i in scanned)
            warnings.append(f"第 {listed} 页为扫描图像，未安装 OCR 组件，已跳过（安装：pip install 'nianbao[ocr]'）")
    blocks: list[Block] = []
    for p in pages:
        if p.layout is not None:
            blocks += page_blocks(p, drop)
        blocks += ocr_blocks.get(p.number, [])
    meta: dict[str, object] = {"pages": len(pages)}
    if scanned:
        meta["ocr_pages"] = [i + 1 for i in scanned]
    return blocks, warnings, meta


def read(data: bytes, path: str | None = None) -> Document:
    """The ingester entry point: bytes of a PDF → document."""
    pdf = open_pdf(data, path)
    try:
        blocks, warnings, meta = read_pages(pdf, path)
        try:
            info = pdf.get_metadata_dict(skip_empty=True)
        except (pdfium.PdfiumError, UnicodeDecodeError):
            info = {}
        if info.get("Title"):
            meta["title"] = repair(info["Title"].strip())
    except NianbaoError:
        raise
    except pdfium.PdfiumError as exc:
        raise NianbaoError(path, f"PDF 文件已损坏，无法读取：{exc}", kind="corrupt") from exc
    finally:
        pdf.close()
    return Document(blocks, path=path, form="pdf", meta=meta, warnings=warnings)
