"""The one intermediate document model every ingester produces.

A :class:`Document` is a list of blocks in reading order: :class:`Paragraph`
for running text and :class:`Table` for grids of :class:`Cell`. Every block and
cell carries a :class:`Source` saying where it stands in the original file, so
any value the extractor reads can be traced back (line and column for text,
page and bounding box for PDF, table/row/column index for HTML and DOCX).

Text that reached us flattened (a table printed as tab- or space-separated
lines) is still a table: the text ingester turns each such line into a one-row
table whose cells keep their column offsets. The extractor reads rows, never
file formats.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Source:
    """Where something stands in the source file. Unused fields stay ``None``."""

    line: int | None = None  # 1-based line (text forms)
    column: int | None = None  # 1-based character column within the line
    page: int | None = None  # 1-based page (PDF, scans)
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom in PDF points
    table: int | None = None  # 0-based table index (HTML, DOCX)
    row: int | None = None  # 0-based grid row within that table
    col: int | None = None  # 0-based grid column within that table

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__ if getattr(self, k) is not None}


@dataclass(slots=True)
class Cell:
    """One grid cell. ``copy_of`` marks a position filled by a merged (spanning) cell."""

    text: str
    source: Source = field(default_factory=Source)
    copy_of: tuple[int, int] | None = None  # (row, col) of the cell that spans here
    confidence: float | None = None  # OCR confidence in [0, 1]; None when read exactly


@dataclass(slots=True)
class Paragraph:
    text: str
    source: Source = field(default_factory=Source)


@dataclass(slots=True)
class Table:
    """Rows of cells. Grids from HTML/DOCX/PDF are rectangular with spans expanded
    (copies marked by ``Cell.copy_of``); rows recovered from flattened text may be ragged."""

    rows: list[list[Cell]]
    source: Source = field(default_factory=Source)


Block = Paragraph | Table


@dataclass(slots=True)
class Document:
    """A normalized document: blocks in reading order plus what the container said."""

    blocks: list[Block]
    path: str | None = None
    form: str = "text"  # text | html | pdf | docx | image
    meta: dict[str, Any] = field(default_factory=dict)  # title, publish date, encoding, pages…
    warnings: list[str] = field(default_factory=list)  # ingestion notes shown to the user (Chinese)

    def text(self) -> str:
        """All text in reading order, cells of a row joined by tabs (for search and debugging)."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                out.append(block.text)
            else:
                for row in block.rows:
                    out.append("\t".join(c.text for c in row if c.copy_of is None))
        return "\n".join(out)
