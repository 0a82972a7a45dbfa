"""Tables drawn with box-drawing characters (w3m, elinks, emacs, psql …) → grids with spans.

Text browsers dump a web page's tables as a character raster::

    ├─────────┬──────────────────┼──────┤
    │         │（二）部分公开（区│5     │
    │         │分处理的）        │      │
    │三、本年 ├──────────────────┼──────┤

A cell is a rectangle of that raster: its text may wrap over several lines, and a cell that spans
rows has no border through it (the vertical 「三、本年度办理结果」 above continues past the
``├──`` of its neighbours). Reading such lines one by one, as rows, gives the spanning cell's
fragments to the rows it crosses and splits wrapped labels; so the raster is read as what it is:

1. every line is laid out in *display* columns (CJK characters are two wide; the ambiguous width
   of the box characters themselves is chosen so the table's lines come out the same width);
2. the x positions of vertical strokes cut the raster into atomic columns, the lines made only of
   strokes (*rules*) cut it into atomic rows;
3. neighbouring atomic cells belong to one cell where no stroke separates them (no ``│`` between
   two columns in any line of the row, a blank instead of ``─`` in the rule between two rows);
4. each cell's text is its lines' segments joined (no space between CJK characters), and the grid
   is expanded like an HTML table: spanned positions are copies of the origin (``Cell.copy_of``).
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence

from ..document import Cell, Source, Table

BOX_FIRST, BOX_LAST = 0x2500, 0x257F
VERTICAL = frozenset("│┃║╎╏┆┇┊┋")
HORIZONTAL = frozenset("─━═╌╍┄┅┈┉")
# Junctions carry a vertical stroke where they stand (├ ┼ ┬ …); corners too (┌ ┐ └ ┘).
MIN_TABLE_LINES = 3  # a box table has at least a top rule, one content line and a bottom rule
MAX_RASTER_CELLS = 2_000_000  # lines × display columns read per table (a hostile dump stays bounded)


def is_box_char(ch: str) -> bool:
    return BOX_FIRST <= ord(ch) <= BOX_LAST


def has_box(line: str) -> bool:
    """A line that belongs to a box-drawn table (holds at least one box-drawing character)."""
    return any(BOX_FIRST <= ord(ch) <= BOX_LAST for ch in line)


def _width(ch: str, ambiguous: int) -> int:
    kind = unicodedata.east_asian_width(ch)
    if kind in ("W", "F"):
        return 2
    if kind == "A":
        return ambiguous
    return 0 if unicodedata.combining(ch) else 1


def _layout(line: str, ambiguous: int) -> list[tuple[int, int, str]]:
    """(display x, character index, character) for each character of *line*."""
    out: list[tuple[int, int, str]] = []
    x = 0
    for i, ch in enumerate(line):
        out.append((x, i, ch))
        x += _width(ch, ambiguous)
    return out


def _ambiguous_width(lines: Sequence[str]) -> int:
    """1 or 2: the width of ambiguous characters that makes the most lines equally wide."""
    best, best_score = 1, -1
    for amb in (1, 2):
        widths = Counter(sum(_width(ch, amb) for ch in line.rstrip()) for line in lines)
        score = widths.most_common(1)[0][1] if widths else 0
        if score > best_score:
            best, best_score = amb, score
    return best


def _is_rule(line: str) -> bool:
    """A line made only of strokes and blanks (``├───┼───┤``, or ``│    ├───┤`` under a row span)."""
    return any(ch in HORIZONTAL for ch in line) and all(ch.isspace() or is_box_char(ch) for ch in line)


def _is_vertical_at(ch: str) -> bool:
    """A character that draws a vertical stroke through its position (``│ ├ ┼ ┐`` …, not ``─``)."""
    return is_box_char(ch) and ch not in HORIZONTAL


def _join(parts: list[str]) -> str:
    """Wrapped pieces of one cell: no space between CJK text, one space between Latin words."""
    text = ""
    for part in parts:
        if not part:
            continue
        if text and not (_cjk(text[-1]) or _cjk(part[0])):
            text += " "
        text += part
    return text


def _cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def read_box_table(lines: Sequence[str], first_line: int) -> Table | None:
    """The grid of a box-drawn table whose lines are *lines* (the first is file line *first_line*).

    ``None`` when the lines do not form a readable raster (no rules, no strokes); the caller then
    reads them as ordinary lines.
    """
    if len(lines) < MIN_TABLE_LINES or not any(_is_rule(line) for line in lines):
        return None
    amb = _ambiguous_width(lines)
    laid = [_layout(line.rstrip(), amb) for line in lines]
    if sum(len(row) for row in laid) > MAX_RASTER_CELLS:
        return None
    at: list[dict[int, tuple[int, str]]] = [{x: (i, ch) for x, i, ch in row} for row in laid]
    # Atomic columns: between consecutive x positions where a vertical stroke stands.
    xs = sorted({x for row in laid for x, _, ch in row if _is_vertical_at(ch)})
    if len(xs) < 2:
        return None
    columns = list(zip(xs, xs[1:], strict=False))

    def segment(n: int, c: int) -> list[tuple[int, str]]:
        x0, x1 = columns[c]
        return [(i, ch) for x, i, ch in laid[n] if x0 < x < x1]

    def is_stroke(seg: list[tuple[int, str]]) -> bool:
        return any(ch in HORIZONTAL for _, ch in seg) and all(ch.isspace() or is_box_char(ch) for _, ch in seg)

    # A line is a rule where it draws a stroke across at least one column; in the other columns it
    # may still carry the text of a cell that spans the rule (「│三、本年 ├────┼──」).
    stroke = [[is_stroke(segment(n, c)) for c in range(len(columns))] for n in range(len(laid))]
    boundary = [any(row) for row in stroke]
    row_lines: list[list[int]] = []
    current: list[int] = []
    for n, is_boundary in enumerate(boundary):
        if is_boundary:
            if current:
                row_lines.append(current)
                current = []
        else:
            current.append(n)
    if current:
        row_lines.append(current)
    if not row_lines:
        return None

    def stroke_through(n: int, x: int) -> bool:
        hit = at[n].get(x)
        return hit is not None and _is_vertical_at(hit[1])

    # Union-find over atomic cells.
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(a: tuple[int, int]) -> tuple[int, int]:
        root = a
        while parent.setdefault(root, root) != root:
            root = parent[root]
        return root

    def union(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    n_rows, n_cols = len(row_lines), len(columns)
    for r, members in enumerate(row_lines):
        for c in range(n_cols - 1):
            if not any(stroke_through(n, columns[c][1]) for n in members):
                union((r, c), (r, c + 1))
        if r + 1 < n_rows:
            between = range(members[-1] + 1, row_lines[r + 1][0])
            for c in range(n_cols):
                if not any(stroke[n][c] for n in between):
                    union((r, c), (r + 1, c))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            groups.setdefault(find((r, c)), []).append((r, c))
    grid: dict[tuple[int, int], Cell] = {}
    for members in groups.values():
        r0, r1 = min(r for r, _ in members), max(r for r, _ in members)
        c0, c1 = min(c for _, c in members), max(c for _, c in members)
        if len(members) != (r1 - r0 + 1) * (c1 - c0 + 1):
            return None  # not a rectangle: the drawing is not a grid we can trust
        x0, x1 = columns[c0][0], columns[c1][1]
        parts: list[str] = []
        first: tuple[int, int] | None = None
        for n in range(row_lines[r0][0], row_lines[r1][-1] + 1):
            chars = [(i, ch) for x, i, ch in laid[n] if x0 < x < x1]
            if is_stroke(chars):
                continue
            text = "".join(ch for _, ch in chars).strip()
            if text:
                parts.append(text)
                if first is None:
                    first = (n, next(i for i, ch in chars if not ch.isspace()))
        line_no, column = first if first is not None else (row_lines[r0][0], 0)
        source = Source(line=first_line + line_no, column=column + 1)
        text = _join(parts)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                grid[(r, c)] = Cell(text, source, copy_of=None if (r, c) == (r0, c0) else (r0, c0))
    rows = [[grid[(r, c)] for c in range(n_cols)] for r in range(n_rows)]
    return Table(rows, Source(line=first_line))
