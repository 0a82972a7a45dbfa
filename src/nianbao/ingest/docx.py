"""Word documents → :class:`~nianbao.document.Document`.

DOCX (OOXML) is read with python-docx's parsed XML, walked by hand because the
high-level API loses exactly what the extractor needs:

* ``doc.paragraphs`` and ``doc.tables`` are two separate lists, so headings and
  tables lose their order. We walk the body's children in document order
  (descending into content controls ``w:sdt`` and ``w:customXml`` wrappers).
* ``row.cells`` repeats a merged cell at every position it covers, so a blank
  cell and a merged one look alike. We expand ``w:gridSpan`` and ``w:vMerge`` (and
  the old ``w:hMerge``) into a rectangular grid whose covered positions carry
  ``copy_of`` (and the text of the cell that spans there), and honour
  ``w:gridBefore`` / ``w:gridAfter`` with blank cells, because a cell's grid
  column is what tells which column a value belongs to. A ``w:vMerge`` continues
  the cell above only when that cell is vertically merged itself (WPS and some
  Word versions write a bare ``<w:vMerge/>`` on the *first* cell of a merge). A
  table that declares no spans at all and lays its rows out by ``w:tcW`` alone
  gets its columns from the union of the rows' cell edges.
* ``Paragraph.text`` only sees runs that are direct children of the paragraph;
  text inside tracked insertions, smart tags or field results would be lost. We
  collect ``w:t`` / ``w:tab`` / ``w:br`` in document order instead, skipping
  deleted text and field instructions (a field shows its cached result).
* Text boxes (``w:txbxContent``, which may hold whole tables) are not part of
  their anchor paragraph's text: their content follows the anchor as blocks of
  its own (paragraphs with the anchor's source), read from the DrawingML copy;
  the VML ``mc:Fallback`` copy of the same box is skipped.

Sources
-------
* A body paragraph: ``Source(line=n)`` where *n* is the 1-based index of the
  paragraph among the body's paragraphs in document order, empty ones included
  (so ``line=n`` is the n-th ``w:p`` of the body, the same count as
  ``python-docx``'s ``doc.paragraphs[n - 1]`` when there are no content controls).
* A table cell: ``Source(table=t, row=r, col=c)``: *t* counts every ``w:tbl`` of
  the document in document order, nested ones included (0-based); *r*, *c* are
  grid positions after span expansion (0-based).
* A table that contains other tables is a layout container, not a statistics
  table (portal pages saved as Word wrap the whole report in one): its cells are
  walked in reading order as if they were body text, their paragraphs get
  ``Source(table=t, row=r, col=c)`` of the container cell, and the tables inside
  become blocks of their own.

Paragraphs inside one cell are joined with a newline. Every text goes through
:func:`nianbao.normalize.repair`.

DOC and WPS (OLE2 compound files) are converted to DOCX by LibreOffice
(``soffice --headless --convert-to docx``) with a private, temporary profile per
call (concurrent conversions sharing a profile block each other), then read as
above. An OLE file holding an ``EncryptionInfo`` stream is a password-protected
OOXML document; an OLE Word file whose FIB says ``fEncrypted`` is a protected
DOC. Both are refused as ``encrypted`` before LibreOffice is started.
"""
from __future__ import annotations

import bisect
import io
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ..document import Block, Cell, Document, Paragraph, Source, Table
from ..errors import NianbaoError
from ..normalize import repair
from .limits import (
    MAX_DOCUMENT_CELLS,
    MAX_TABLE_CELLS,
    MAX_TABLE_COLUMNS,
    MAX_TABLE_NESTING,
    MAX_TABLE_ROWS,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_PART_BYTES,
    MAX_ZIP_TOTAL_BYTES,
    MiB,
    exceeded,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = f"{{{W}}}"

LIBREOFFICE_TIMEOUT = 120  # seconds for one conversion; a normal report takes about 1 s (mostly start-up)
CELL_PARAGRAPH_JOINER = "\n"  # paragraphs inside one table cell

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FIB_MAGIC = 0xA5EC  # wIdent of a Word 97-2003 File Information Block
_FIB_ENCRYPTED = 0x0100  # fEncrypted bit of the FIB flags word

# Elements whose whole subtree is not visible text.
_SKIP = frozenset({
    _W + "del", _W + "delText", _W + "instrText", _W + "delInstrText", _W + "txbxContent",
    f"{{{MC}}}Fallback", _W + "rPr", _W + "pPr", _W + "fldData",
})
# Wrappers around blocks (or table cells) that carry no layout of their own.
_TRANSPARENT = frozenset({_W + "sdt", _W + "sdtContent", _W + "customXml", f"{{{MC}}}AlternateContent",
                          f"{{{MC}}}Choice", _W + "ins", _W + "moveTo"})

MSG_NOT_WORD = "ZIP 文件中没有 Word 文档（word/document.xml）"
MSG_CORRUPT = "DOCX 文件已损坏，无法读取"
MSG_ENCRYPTED = "文档设有打开密码（已加密），请去除密码后再试"
MSG_NO_LIBREOFFICE = "读取 DOC/WPS 需要 LibreOffice（未安装 soffice），请安装 libreoffice-writer 或另存为 DOCX"


# ---------------------------------------------------------------- entry point
def read(data: bytes, path: str | None = None) -> Document:
    """The ingester entry point: bytes of a DOCX, DOC or WPS file → document."""
    if data.startswith(OLE_MAGIC):
        return _read_ole(data, path)
    return read_docx(data, path)


def read_docx(data: bytes, path: str | None = None, *, meta: dict | None = None) -> Document:
    """Read DOCX bytes (raises :class:`NianbaoError` for a ZIP that is not Word, or a damaged file)."""
    check_package(data, path)
    import docx  # python-docx; imported here so a text-only user does not pay for it

    try:
        wdoc = docx.Document(io.BytesIO(data))
        body = wdoc.element.body
    except NianbaoError:
        raise
    except etree.XMLSyntaxError as exc:
        raise NianbaoError(path, f"{MSG_CORRUPT}（XML 内容不完整或格式错误：{exc.msg}）", kind="corrupt") from exc
    except Exception as exc:  # python-docx raises many kinds (KeyError, ValueError…)
        raise NianbaoError(path, f"{MSG_CORRUPT}（{_package_reason(exc)}）", kind="corrupt") from exc
    blocks = list(_Walker(path).blocks(body))
    out_meta: dict = dict(meta or {})
    try:
        title = (wdoc.core_properties.title or "").strip()
    except Exception:  # a damaged docProps/core.xml must not cost the document
        title = ""
    if title:
        out_meta["title"] = repair(title)  # the extractor uses it only when the body has no title line
    out_meta["tables"] = sum(1 for b in blocks if isinstance(b, Table))
    return Document(blocks, path=path, form="docx", meta=out_meta)


# Reading a damaged member: bad CRC (BadZipFile), bad deflate data (zlib.error), unsupported
# compression or a password-protected member (NotImplementedError, RuntimeError), truncation (EOFError).
_ZIP_DAMAGE = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, zlib.error, NotImplementedError,
               RuntimeError, ValueError, UnicodeDecodeError)


def check_package(data: bytes, path: str | None) -> None:
    """The ZIP is a Word package, within the limits, and every member reads back with a good CRC.

    Sizes are the ones the central directory declares; zipfile never inflates a member past its
    declared size (it reports a CRC error instead), so checking them bounds what python-docx,
    which keeps every part in memory, will inflate.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise exceeded(path, "DOCX 压缩包内的文件数", len(infos), MAX_ZIP_MEMBERS)
            if not any(i.filename == "word/document.xml" for i in infos):
                raise NianbaoError(path, MSG_NOT_WORD, kind="unsupported")
            biggest = max(infos, key=lambda i: i.file_size)
            if biggest.file_size > MAX_ZIP_PART_BYTES:
                raise exceeded(path, f"DOCX 内部文件 {biggest.filename} 解压后的大小",
                               f"{biggest.file_size / MiB:.0f} MB", f"{MAX_ZIP_PART_BYTES // MiB} MB")
            total = sum(i.file_size for i in infos)
            if total > MAX_ZIP_TOTAL_BYTES:
                raise exceeded(path, "DOCX 解压后的总大小", f"{total / MiB:.0f} MB", f"{MAX_ZIP_TOTAL_BYTES // MiB} MB")
            bad = zf.testzip()
    except NianbaoError:
        raise
    except _ZIP_DAMAGE as exc:
        raise NianbaoError(path, f"{MSG_CORRUPT}（压缩数据损坏：{_zip_reason(exc)}）", kind="corrupt") from exc
    if bad is not None:
        raise NianbaoError(path, f"{MSG_CORRUPT}（内部文件 {bad} 校验失败）", kind="corrupt")


def _zip_reason(exc: BaseException) -> str:
    if isinstance(exc, RuntimeError) and ("password" in str(exc).lower() or "encrypted" in str(exc).lower()):
        return "内部文件已加密"
    if isinstance(exc, NotImplementedError):
        return "不支持的压缩方式"
    if isinstance(exc, zlib.error):
        return "解压失败"
    if isinstance(exc, EOFError):
        return "文件被截断"
    return "不是有效的 ZIP 文件" if isinstance(exc, zipfile.BadZipFile) else type(exc).__name__


def _package_reason(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"缺少内部文件 {exc.args[0] if exc.args else ''}".strip()
    return f"文档结构无效：{type(exc).__name__}"


# ---------------------------------------------------------------- walking the body
class _Walker:
    """Turns body XML into blocks; counts paragraphs and tables in document order."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self.paragraphs = 0
        self.tables = 0
        self.cells = 0  # grid positions of all tables so far (MAX_DOCUMENT_CELLS)
        self.depth = 0  # tables entered and not left (MAX_TABLE_NESTING)

    def blocks(self, container: etree._Element, where: Source | None = None) -> Iterator[Block]:
        """Blocks of a container (the body or a layout cell), in document order."""
        for el in _block_elements(container):
            if el.tag == _W + "p":
                self.paragraphs += 1
                src = where if where is not None else Source(line=self.paragraphs)
                yield Paragraph(repair(paragraph_text(el)), src)
                for box in _text_boxes(el):
                    # A text box's content (paragraphs, even whole tables) follows its anchor paragraph;
                    # its paragraphs carry the anchor's source and do not count as body paragraphs.
                    count = self.paragraphs
                    yield from self.blocks(box, src)
                    self.paragraphs = count
            else:
                yield from self.table(el)

    def table(self, tbl: etree._Element) -> Iterator[Block]:
        if self.depth >= MAX_TABLE_NESTING:
            raise exceeded(self.path, "DOCX 表格嵌套层数", self.depth + 1, MAX_TABLE_NESTING)
        self.depth += 1
        try:
            yield from self._table(tbl)
        finally:
            self.depth -= 1

    def _table(self, tbl: etree._Element) -> Iterator[Block]:
        index = self.tables
        self.tables += 1
        grid = expand_grid(tbl, self.path)
        self.cells += sum(len(row) for row in grid)
        if self.cells > MAX_DOCUMENT_CELLS:
            raise exceeded(self.path, "DOCX 全部表格的单元格总数", self.cells, MAX_DOCUMENT_CELLS)
        if any(el.tag == _W + "tbl" for tc in _cells_of(tbl) for el in _block_elements(tc)):
            # A layout container: read its cells like body text, its inner tables as tables.
            seen: set[int] = set()
            for r, row in enumerate(grid):
                for c, (tc, origin) in enumerate(row):
                    if tc is None or origin is not None or id(tc) in seen:
                        continue
                    seen.add(id(tc))
                    yield from self.blocks(tc, Source(table=index, row=r, col=c))
            return
        rows: list[list[Cell]] = []
        for r, row in enumerate(grid):
            cells: list[Cell] = []
            for c, (tc, origin) in enumerate(row):
                src = Source(table=index, row=r, col=c)
                if origin is not None:
                    cells.append(Cell(rows[origin[0]][origin[1]].text if origin[0] < r else cells[origin[1]].text,
                                      src, copy_of=origin))
                else:
                    cells.append(Cell(repair(cell_text(tc)) if tc is not None else "", src))
            rows.append(cells)
        yield Table(rows, Source(table=index, row=0, col=0))


def _block_elements(container: etree._Element) -> Iterator[etree._Element]:
    """``w:p`` and ``w:tbl`` children of *container*, looking through content-control wrappers."""
    for el in container:
        if el.tag in (_W + "p", _W + "tbl"):
            yield el
        elif el.tag in _TRANSPARENT:
            yield from _block_elements(el)


def _text_boxes(p: etree._Element) -> Iterator[etree._Element]:
    """The ``w:txbxContent`` of the text boxes anchored in paragraph *p*, outermost only.

    Word 2010+ writes each text box twice: a DrawingML ``mc:Choice`` and a VML ``mc:Fallback``
    copy; only the first is read. Old (VML-only) text boxes have no fallback and are read too.
    Text boxes inside a text box are reached when that box's own paragraphs are walked.
    """
    stack = list(reversed(p))
    while stack:
        node = stack.pop()
        tag = node.tag
        if not isinstance(tag, str) or tag == f"{{{MC}}}Fallback" or tag in (_W + "pPr", _W + "rPr"):
            continue
        if tag == _W + "txbxContent":
            yield node
            continue
        stack.extend(reversed(node))


def _cells_of(tr_or_tbl: etree._Element) -> Iterator[etree._Element]:
    """The ``w:tc`` of a row (or of every row of a table), looking through wrappers."""
    for el in tr_or_tbl:
        if el.tag == _W + "tc":
            yield el
        elif el.tag == _W + "tr" or el.tag in _TRANSPARENT:
            yield from _cells_of(el)


def _rows_of(tbl: etree._Element) -> Iterator[etree._Element]:
    for el in tbl:
        if el.tag == _W + "tr":
            yield el
        elif el.tag in _TRANSPARENT:
            yield from _rows_of(el)


def paragraph_text(p: etree._Element) -> str:
    """The visible text of a ``w:p``: text, tabs and line breaks in order; deletions and field codes skipped."""
    out: list[str] = []
    _collect(p, out)
    return "".join(out)


def _collect(el: etree._Element, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _W + "t":
            out.append(child.text or "")
        elif tag == _W + "tab" or tag == _W + "ptab":
            out.append("\t")
        elif tag == _W + "br":
            if child.get(_W + "type") in (None, "textWrapping"):
                out.append("\n")
        elif tag == _W + "cr":
            out.append("\n")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
        elif tag == _W + "p":  # a paragraph nested in something inline (rare): keep it apart
            if out and not out[-1].endswith("\n"):
                out.append("\n")
            _collect(child, out)
        else:
            _collect(child, out)


def cell_text(tc: etree._Element, depth: int = 0) -> str:
    """A cell's paragraphs joined (nested tables' text included, row by row, so nothing is lost).

    Nested tables deeper than :data:`MAX_TABLE_NESTING` contribute no text (their depth is refused
    by the walker before a cell's text is read, so this only bounds the recursion)."""
    parts: list[str] = []
    for el in _block_elements(tc):
        if el.tag == _W + "p":
            parts.append(paragraph_text(el))
        elif depth < MAX_TABLE_NESTING:
            for tr in _rows_of(el):
                parts.append("\t".join(cell_text(c, depth + 1) for c in _cells_of(tr)))
    return CELL_PARAGRAPH_JOINER.join(parts).strip()


def _int_attr(parent: etree._Element | None, child: str, default: int) -> int:
    if parent is None:
        return default
    el = parent.find(_W + child)
    if el is None:
        return default
    try:
        return max(0, int(el.get(_W + "val", default)))
    except ValueError:
        return default


Slot = tuple[etree._Element | None, tuple[int, int] | None]  # (w:tc or None for padding, copy_of)


def _columns(path: str | None, width: int) -> int:
    """*width* if a table row may be that wide, else the ``too_large`` error (before anything is allocated)."""
    if width > MAX_TABLE_COLUMNS:
        raise exceeded(path, "DOCX 表格列数（含合并与缩进）", width, MAX_TABLE_COLUMNS)
    return width


def expand_grid(tbl: etree._Element, path: str | None = None) -> list[list[Slot]]:
    """The table as a rectangular grid of ``(tc, copy_of)``: spans expanded, short rows padded.

    ``copy_of`` is ``(row, col)`` of the cell that covers the position (always a
    real cell, never another copy); ``tc`` is ``None`` for padding positions
    (``w:gridBefore``/``w:gridAfter``, or rows shorter than the grid). Every declared count
    (gridBefore, gridSpan, gridAfter, gridCol) is checked against the table limits before the
    row grows, so ``w:gridSpan w:val="1000000000"`` costs nothing.
    """
    rows = list(_rows_of(tbl))
    if len(rows) > MAX_TABLE_ROWS:
        raise exceeded(path, "DOCX 表格行数", len(rows), MAX_TABLE_ROWS)
    n_cells = sum(1 for _ in _cells_of(tbl))
    if n_cells > MAX_TABLE_CELLS:
        raise exceeded(path, "DOCX 表格单元格数", n_cells, MAX_TABLE_CELLS)
    grid: list[list[Slot]] = []
    width_spans = _spans_from_widths(tbl)
    for r, tr in enumerate(rows):
        trpr = tr.find(_W + "trPr")
        row: list[Slot] = [(None, None)] * _columns(path, _int_attr(trpr, "gridBefore", 0))
        for tc in _cells_of(tr):
            tcpr = tc.find(_W + "tcPr")
            span = width_spans.get(tc) or max(1, _int_attr(tcpr, "gridSpan", 1))
            _columns(path, len(row) + span)
            vmerge = tcpr.find(_W + "vMerge") if tcpr is not None else None
            hmerge = tcpr.find(_W + "hMerge") if tcpr is not None else None
            c = len(row)
            origin: tuple[int, int] | None = None
            if vmerge is not None and vmerge.get(_W + "val", "continue") == "continue" and r > 0:
                # A continuation joins the cell above only when that cell is itself vertically merged:
                # Word and WPS also write a bare <w:vMerge/> on the FIRST cell of a merge, which then
                # starts it (the cell above is an ordinary one).
                above = grid[r - 1][c] if c < len(grid[r - 1]) else (None, None)
                if above[0] is not None and _vmerged(above[0]):
                    origin = above[1] or (r - 1, c)
            if origin is None and hmerge is not None and hmerge.get(_W + "val", "continue") == "continue" and row:
                left = row[-1]
                if left[0] is not None:
                    origin = left[1] or (r, c - 1)
            row.append((tc, origin))
            for _ in range(span - 1):
                row.append((tc, origin or (r, c)))
        row += [(None, None)] * (_columns(path, len(row) + _int_attr(trpr, "gridAfter", 0)) - len(row))
        grid.append(row)
    width = max((len(row) for row in grid), default=0)
    grid_cols = tbl.find(_W + "tblGrid")
    if grid_cols is not None:
        width = max(width, _columns(path, len(grid_cols.findall(_W + "gridCol"))))
    if width * len(grid) > MAX_TABLE_CELLS:
        raise exceeded(path, "DOCX 表格单元格数（行 × 列）", width * len(grid), MAX_TABLE_CELLS)
    for row in grid:
        row += [(None, None)] * (width - len(row))
    return grid


def _vmerged(tc: etree._Element) -> bool:
    tcpr = tc.find(_W + "tcPr")
    return tcpr is not None and tcpr.find(_W + "vMerge") is not None


def _cell_width(tc: etree._Element) -> tuple[str, float] | None:
    tcw = tc.find(f"{_W}tcPr/{_W}tcW")
    if tcw is None:
        return None
    kind = tcw.get(_W + "type", "dxa")
    try:
        value = float(tcw.get(_W + "w", "").rstrip("%"))
    except ValueError:
        return None
    return (kind, value) if kind in ("dxa", "pct") and value > 0 else None


def _spans_from_widths(tbl: etree._Element) -> dict[etree._Element, int]:
    """Grid spans read from cell widths, for tables that declare no spans at all.

    Some writers (HTML-to-Word converters, older WPS, hand-built templates) lay a table out by
    ``w:tcW`` alone: no ``w:gridSpan``, no ``w:gridBefore``, a ``w:tblGrid`` that does not match, so
    a wide cell is one ``w:tc`` and every row has its own cell count. Then the columns are the union
    of every row's cell edges (x offsets from the left, edges closer than a tolerance are one), and
    a cell spans the columns between its edges. Only when the rows do differ in cell count, every
    cell has a width of one kind, and no span is declared; otherwise ``{}`` (the declared grid wins).
    Keys are the ``w:tc`` elements themselves (holding them keeps lxml's proxies, so lookups, stable).
    """
    rows = [list(_cells_of(tr)) for tr in _rows_of(tbl)]
    if len({len(r) for r in rows if r}) < 2:
        return {}
    for tr in _rows_of(tbl):
        trpr = tr.find(_W + "trPr")
        if _int_attr(trpr, "gridBefore", 0) or _int_attr(trpr, "gridAfter", 0):
            return {}
    edges_by_row: list[list[float]] = []
    kinds: set[str] = set()
    for cells in rows:
        x = 0.0
        edges = [0.0]
        for tc in cells:
            tcpr = tc.find(_W + "tcPr")
            if tcpr is not None and (tcpr.find(_W + "gridSpan") is not None or tcpr.find(_W + "hMerge") is not None):
                return {}
            width = _cell_width(tc)
            if width is None:
                return {}
            kinds.add(width[0])
            x += width[1]
            edges.append(x)
        edges_by_row.append(edges)
    if len(kinds) != 1:
        return {}
    total = max(e[-1] for e in edges_by_row)
    tolerance = max(total * 0.005, 15.0 if kinds == {"dxa"} else 0.0)
    columns: list[float] = []
    for x in sorted(x for edges in edges_by_row for x in edges):
        if not columns or x - columns[-1] > tolerance:
            columns.append(x)

    def column(x: float) -> int:  # the nearest column edge (columns are sorted)
        i = bisect.bisect_left(columns, x)
        return min((j for j in (i - 1, i) if 0 <= j < len(columns)), key=lambda j: abs(columns[j] - x))

    spans: dict[etree._Element, int] = {}
    for cells, edges in zip(rows, edges_by_row):
        for i, tc in enumerate(cells):
            spans[tc] = max(1, column(edges[i + 1]) - column(edges[i]))
    return spans


# ---------------------------------------------------------------- DOC / WPS via LibreOffice
def _read_ole(data: bytes, path: str | None) -> Document:
    """An OLE2 compound file: a protected OOXML, or a Word 97–2003 / WPS document to convert."""
    if ole_has_stream(data, "EncryptionInfo") or ole_has_stream(data, "EncryptedPackage"):
        raise NianbaoError(path, MSG_ENCRYPTED, kind="encrypted")
    if doc_is_encrypted(data):
        raise NianbaoError(path, MSG_ENCRYPTED, kind="encrypted")
    converted = convert_with_libreoffice(data, path)
    return read_docx(converted, path, meta={"converted_from": "doc", "converter": "libreoffice"})


def _ole_entries(data: bytes, name: str) -> Iterator[int]:
    """File offsets of OLE directory entries named *name*.

    Directory entries are 128 bytes, and sectors are aligned to at least 512
    bytes, so an entry always starts at a multiple of 128; matching the UTF-16
    name there, with its length field, avoids parsing the FAT for this one question.
    """
    needle = name.encode("utf-16-le")
    start = 512
    while (pos := data.find(needle, start)) != -1:
        start = pos + 1
        if pos % 128 or pos + 128 > len(data):
            continue
        (name_len,) = struct.unpack_from("<H", data, pos + 64)
        if name_len == len(needle) + 2:
            yield pos


def ole_has_stream(data: bytes, name: str) -> bool:
    """Whether the compound file has a directory entry called *name*."""
    return next(_ole_entries(data, name), None) is not None


def doc_is_encrypted(data: bytes) -> bool:
    """Whether a Word 97–2003 file is password protected (``fEncrypted`` in its FIB).

    The FIB sits at the start of the ``WordDocument`` stream, which is never in the
    mini-stream (it is far over 4 KB), so its first sector is enough.
    """
    if len(data) < 512:
        return False
    sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    for entry in _ole_entries(data, "WordDocument"):
        (first_sector,) = struct.unpack_from("<I", data, entry + 0x74)
        offset = (first_sector + 1) * sector_size
        if offset + 12 > len(data):
            continue
        ident, _, _, _, flags = struct.unpack_from("<HHHHH", data, offset)
        if ident == _FIB_MAGIC:
            return bool(flags & _FIB_ENCRYPTED)
    return False


def find_libreoffice() -> str | None:
    """The LibreOffice executable on PATH (``soffice`` or ``libreoffice``), if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(data: bytes, path: str | None, *, timeout: float = LIBREOFFICE_TIMEOUT) -> bytes:
    """DOC/WPS bytes → DOCX bytes, by a headless LibreOffice with a throw-away profile."""
    exe = find_libreoffice()
    if exe is None:
        raise NianbaoError(path, MSG_NO_LIBREOFFICE, kind="missing_tool")
    suffix = Path(path).suffix.lower() if path else ""
    if suffix not in (".doc", ".wps", ".dot", ".wpt"):
        suffix = ".doc"  # LibreOffice sniffs the content anyway; the suffix only helps the filter choice
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as tmp:
        src = Path(tmp, "input" + suffix)
        src.write_bytes(data)
        outdir = Path(tmp, "out")
        argv = [exe, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless", "--invisible",
                "--nologo", "--norestore", "--nolockcheck", "--nodefault",
                "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(src)]
        env = dict(os.environ, HOME=tmp)  # LibreOffice also writes under $HOME; keep it private
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                start_new_session=True)  # its own process group, so a timeout kills soffice.bin too
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _kill_group(proc)
            raise NianbaoError(path, f"LibreOffice 转换超时（超过 {timeout:.0f} 秒）", kind="unreadable") from exc
        out = outdir / "input.docx"
        if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            detail = err.decode("utf-8", "replace").strip().splitlines()
            hint = f"：{detail[-1][:200]}" if detail else ""
            raise NianbaoError(path, f"LibreOffice 无法转换此 DOC/WPS 文件（文件可能已损坏）{hint}", kind="corrupt")
        return out.read_bytes()


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.communicate()
