"""Plain text (and markdown) as other tools extracted it → :class:`Document`.

Lines that carry tab- or pipe-separated cells become table rows whose cells keep
their line and column; every other line is a paragraph. The ingester does not
guess which paragraphs are flattened table rows (``规章 0 0 0``): that is the
extractor's job, for every form alike.
"""
from __future__ import annotations

import re

from ..document import Cell, Document, Paragraph, Source, Table
from ..normalize import repair
from .encoding import decode

_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_DASHES = re.compile(r"^[\s\-=_|\t]+$")


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


def read_text(text: str, path: str | None = None, encoding: str | None = None) -> Document:
    """Build a document from already-decoded text."""
    blocks: list[Paragraph | Table] = []
    rows: list[list[Cell]] = []

    def flush() -> None:
        if rows:
            blocks.append(Table(list(rows), rows[0][0].source if rows[0] else Source()))
            rows.clear()

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = repair(raw)  # one pass per line; columns survive (1:1 but for invisible characters)
        if not line.strip():
            continue  # blank lines carry no cells; a table may continue after one
        if _DASHES.match(line) or _MD_RULE.match(line):
            continue  # markdown rules and "-----" separators
        if "\t" in line:
            rows.append(_split_cells(line.rstrip("\r\n"), "\t", lineno))
        elif line.count("|") >= 2 and line.strip().startswith("|"):
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
    text, encoding = decode(data, path)
    return read_text(text, path, encoding)
