"""Plain text (and markdown) as other tools extracted it → :class:`Document`.

Lines that carry tab- or pipe-separated cells become table rows whose cells keep
their line and column; every other line is a paragraph. The ingester does not
guess which paragraphs are flattened table rows (``规章 0 0 0``): that is the
extractor's job, for every form alike.

Markdown converters disagree on tables, so all their forms are rows: pipe tables
with edges (``| a | b |``, pandoc, markdownify) and without (``a | b``, html2text),
grid tables (``+---+`` rules dropped), and raw ``<table>`` blocks that pandoc and
others embed when a table has merged cells: those are real grids and go through the
HTML ingester's span expansion, keeping their line numbers in this file. Tables that
text browsers draw with box characters (w3m, elinks) are read as rasters with their
spans (:mod:`.boxtable`).
"""
from __future__ import annotations

import html
import re

from ..document import Cell, Document, Paragraph, Source, Table
from ..normalize import repair
from .boxtable import has_box, read_box_table
from .encoding import decode
from .limits import MAX_TEXT_BYTES, MiB, exceeded

_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
# Rules: "-----", "=====", grid-table borders "+----+:===+". A lone "-" is not a rule but a
# placeholder a one-cell-per-line extraction printed for a blank cell.
_DASHES = re.compile(r"^[\s|+:\t]*[-=_]{3,}[\s\-=_|+:\t]*$")
_TABLE_OPEN = re.compile(r"<table\b", re.I)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.I)


_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{2,6}|#x[0-9A-Fa-f]{2,5});")
_INLINE_TAG = re.compile(r"<\s*/?\s*(?:br|span|font|b|strong|i|em|u|p|div|o:p)\b[^>]*>", re.I)


def _strip_markup(line: str) -> str:
    """HTML left in extracted text (``&nbsp;``, ``<br>``, ``<span …>``): entities decoded, inline tags
    dropped (``<br>`` becomes a space). Only lines that hold such markup change (and their columns)."""
    if "<" in line and _INLINE_TAG.search(line):
        line = _INLINE_TAG.sub(lambda m: " " if m.group().lower().lstrip("< /").startswith("br") else "", line)
    if "&" in line and _ENTITY.search(line):
        line = html.unescape(line)
    return line


def _split_cells(line: str, sep: str, lineno: int) -> list[Cell]:
    cells: list[Cell] = []
    col = 0
    parts = line.split(sep)
    if sep == "|":  # markdown: drop the empty edges of "| a | b |"
        if parts and not parts[0].strip():
            col += len(parts[0]) + 1
            parts = parts[1:]
        if parts and not parts[-1].strip():
            parts = parts[:-1]
    for part in parts:
        lead = len(part) - len(part.lstrip())
        cells.append(Cell(part.strip(), Source(line=lineno, column=col + lead + 1)))
        col += len(part) + 1
    return cells


def _html_tables(chunk: str, first_line: int, index: int) -> list[Table]:
    """The leaf tables of a raw HTML block, spans expanded, lines counted in this file."""
    import lxml.html  # only markdown with embedded tables pays for the import

    from .html import table_grid

    try:
        root = lxml.html.fragment_fromstring(chunk, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return []
    tables: list[Table] = []
    for el in root.iter("table"):
        if el.find(".//table") is not None:
            continue
        grid = table_grid(el, index + len(tables))
        if not any(c.text for row in grid for c in row):
            continue
        for row in grid:
            for cell in row:
                line = first_line + (cell.source.line or 1) - 1
                cell.source = Source(line=line, table=cell.source.table, row=cell.source.row, col=cell.source.col)
        tables.append(Table(grid, Source(line=first_line + (el.sourceline or 1) - 1, table=index + len(tables))))
    return tables


def _pipe_row(line: str) -> bool:
    """A markdown pipe-table row, with edges (``| a | b |``) or without (``a | b``, html2text)."""
    stripped = line.strip()
    if stripped.startswith("|"):
        return stripped.count("|") >= 2
    return " | " in stripped or stripped.count("|") >= 2


def _box_to_pipes(line: str) -> str:
    """A line of a box drawing we could not read as a raster: strokes become pipes, rules dashes."""
    return "".join("|" if has_box(ch) and ch not in "─━═" else ("-" if has_box(ch) else ch) for ch in line)


def read_text(text: str, path: str | None = None, encoding: str | None = None) -> Document:
    """Build a document from already-decoded text."""
    blocks: list[Paragraph | Table] = []
    rows: list[list[Cell]] = []
    html_tables = 0

    def flush() -> None:
        if rows:
            blocks.append(Table(list(rows), rows[0][0].source if rows[0] else Source()))
            rows.clear()

    raw_lines = text.splitlines()
    lineno = 0
    while lineno < len(raw_lines):
        raw = raw_lines[lineno]
        lineno += 1
        if "<" in raw and _TABLE_OPEN.search(raw):
            start = lineno
            chunk = [raw]
            while not _TABLE_CLOSE.search(chunk[-1]) and lineno < len(raw_lines):
                chunk.append(raw_lines[lineno])
                lineno += 1
            flush()
            found = _html_tables(repair("\n".join(chunk)), start, html_tables)
            html_tables += len(found)
            blocks.extend(found)
            continue
        if has_box(raw):
            start = lineno
            chunk = [raw]
            while lineno < len(raw_lines) and has_box(raw_lines[lineno]):
                chunk.append(raw_lines[lineno])
                lineno += 1
            flush()
            if (boxed := read_box_table(chunk, start)) is not None:
                for row in boxed.rows:
                    for cell in row:
                        cell.text = repair(cell.text)
                blocks.append(boxed)
                continue
            raw_lines[start - 1:lineno] = [_box_to_pipes(line) for line in chunk]
            lineno = start - 1
            continue
        line = repair(_strip_markup(raw))  # columns survive (1:1 but for invisible characters and markup)
        if not line.strip():
            continue  # blank lines carry no cells; a table may continue after one
        if _DASHES.match(line) or _MD_RULE.match(line):
            continue  # markdown rules and "-----" separators
        if "\t" in line:
            rows.append(_split_cells(line.rstrip("\r\n"), "\t", lineno))
        elif "|" in line and _pipe_row(line):
            rows.append(_split_cells(line, "|", lineno))
        else:
            flush()
            stripped = line.lstrip()
            blocks.append(Paragraph(line.strip(), Source(line=lineno, column=len(line) - len(stripped) + 1)))
    flush()
    meta = {"encoding": encoding} if encoding else {}
    return Document(blocks, path=path, form="text", meta=meta)


def read(data: bytes, path: str | None = None) -> Document:
    """The ingester entry point: bytes of a text file → document."""
    if len(data) > MAX_TEXT_BYTES:
        raise exceeded(path, "文本文件大小", f"{len(data) / MiB:.1f} MB", f"{MAX_TEXT_BYTES // MiB} MB")
    text, encoding = decode(data, path)
    return read_text(text, path, encoding)
