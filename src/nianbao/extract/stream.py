"""Table 三 whose numbers were printed apart from its labels: read the numbers as one stream.

Some tools lose a table's rows altogether. ``pdftotext`` without ``-layout`` on a PDF printed from
a web page, for one, writes the row labels in one block and the numbers, one per line, in another,
with label fragments and header words strewn between them. Row by row nothing can be matched, but
the numbers still come in the table's reading order: row after row, column after column.

So when reading by labels left table 三 incomplete or broken, and the region holds exactly as many
printed cells as the template's rows × columns, the numbers are cut into rows in template order and
the cut is kept only if *every* arithmetic relation of the table holds on it (each row's 总计, the
勾稽关系 of each column, the result rows adding up to （七）总计 — ``templates.relations``). A stray
number, a missing cell or a row printed out of order breaks the count or the sums, and then nothing
changes. Values are placed, never altered; the finding VALUES-READ-IN-ORDER says so.
"""
from __future__ import annotations

from collections.abc import Sequence

from .lines import NUMERIC, Line, Piece
from .lines import PLACEHOLDER as PLACEHOLDER_KIND

Relation = tuple[tuple[str, ...], tuple[str, ...]]


def stream(lines: Sequence[Line]) -> list[Piece]:
    """The printed cells of a table region in reading order: numbers and placeholders (``—``, ``/``)
    standing after a line's last label (「无 法 提 关政府信息」 is a label spread out, not a 无)."""
    return [p for line in lines for p in line.split()[1] if p.kind in (NUMERIC, PLACEHOLDER_KIND)]


def cut(pieces: list[Piece], rows: Sequence[str], width: int) -> dict[str, list[Piece]] | None:
    """*pieces* cut into *width*-cell rows named *rows*, when the count is exactly right."""
    if not rows or len(pieces) != width * len(rows):
        return None
    return {key: pieces[i * width:(i + 1) * width] for i, key in enumerate(rows)}


def relations_hold(cells: dict[str, int | None], relations: Sequence[Relation]) -> tuple[bool, int]:
    """``(all hold, how many could be checked)`` over the relations whose cells are all numbers."""
    checked = 0
    for left, right in relations:
        values = [cells.get(ref) for ref in (*left, *right)]
        if any(v is None for v in values):
            continue
        checked += 1
        if sum(values[:len(left)]) != sum(values[len(left):]):
            return False, checked
    return True, checked
