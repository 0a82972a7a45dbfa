"""Document blocks → logical lines of classified pieces.

The one extractor reads every form through this view: a paragraph becomes one
line whose pieces are its whitespace-separated tokens; a table row becomes one
line whose pieces are its cells (merged-cell copies skipped, blank cells kept,
because a blank cell's position is what tells which column a value belongs to).
Each piece is classified once: a *value* (number, placeholder or blank) or a
*label* (anything else).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..document import Document, Paragraph, Source
from ..normalize import join_cjk_spaces, label_key

# A printed number, optionally with thousands separators (the full-width ， too: Word documents typed
# with full-width digits print ５，０６９) and a unit inside the cell.
NUMBER = re.compile(
    r"^(?P<sign>[+\-−]?)\s*(?P<int>\d{1,3}(?:[,，]\d{3})+|\d+)(?P<frac>\.\d+)?\s*(?P<unit>万元|万|元|件|个|项|条|宗|次)?$"
)
# What reports print in a cell instead of a number (D-09): kept as such, never read as 0.
PLACEHOLDERS = frozenset({"/", "／", "\\", "—", "——", "-", "--", "－", "–", "―", "一一", "无", "空", "×", "*", "/ /"})

LABEL, NUMERIC, PLACEHOLDER, EMPTY = "label", "number", "placeholder", "empty"
UNRESOLVED = "unresolved"  # a cell of a glued run that more than one split of the digits can fill


@dataclass(slots=True)
class Piece:
    text: str
    source: Source
    kind: str
    confidence: float | None = None


@dataclass(slots=True)
class Line:
    pieces: list[Piece]
    source: Source
    text: str  # the whole line as printed (cells joined by a space)
    is_row: bool  # came from a table row (blank cells are meaningful)
    key: str = field(default="")  # label_key of the text, for heading search
    flat: bool = False  # a row cut out of a glued paragraph: its values may be one run of cells

    def split(self) -> tuple[list[Piece], list[Piece]]:
        """``(labels, values)``: label pieces, and the value pieces after the last label."""
        last = -1
        for i, p in enumerate(self.pieces):
            if p.kind == LABEL:
                last = i
        labels = [p for p in self.pieces[: last + 1] if p.kind == LABEL]
        return labels, self.pieces[last + 1:]


def classify(text: str) -> str:
    t = text.strip()
    if not t:
        return EMPTY
    if t in PLACEHOLDERS:
        return PLACEHOLDER
    if NUMBER.match(t):
        return NUMERIC
    return LABEL


def _token_pieces(p: Paragraph) -> list[Piece]:
    src = p.source
    pieces = []
    for m in re.finditer(r"\S+", p.text):
        col = (src.column or 1) + m.start() if src.line is not None else None
        s = Source(line=src.line, column=col, page=src.page, bbox=src.bbox) if col is not None else src
        pieces.append(Piece(m.group(), s, classify(m.group())))
    return pieces


def document_lines(doc: Document) -> list[Line]:
    lines: list[Line] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if not block.text.strip():
                continue
            text = block.text.strip()
            lines.append(Line(_token_pieces(block), block.source, text, False, label_key(text)))
            continue
        for row in block.rows:
            cells = [c for c in row if c.copy_of is None]
            if not any(c.text.strip() for c in cells):
                continue
            pieces = []
            for c in cells:
                text = c.text.strip()
                tokens = text.split()
                if len(tokens) > 1 and all(classify(t) in (NUMERIC, PLACEHOLDER) for t in tokens):
                    # several numbers in one cell ("0 0 0"): a flattened row inside a cell
                    pieces += [Piece(t, c.source, classify(t), c.confidence) for t in tokens]
                else:
                    pieces.append(Piece(join_cjk_spaces(text), c.source, classify(text), c.confidence))
            text = " ".join(c.text.strip() for c in cells if c.text.strip())
            lines.append(Line(pieces, cells[0].source, text, True, label_key(text)))
    return lines
