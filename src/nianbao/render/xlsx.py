"""Laid-out tables (:mod:`.layout` grids) written into openpyxl worksheets with their merged cells.

One writer for every workbook nianbao makes: the report download of the web app and the 汇总
export of the store, so a sheet looks the same wherever it comes from.
"""
from __future__ import annotations

from collections.abc import Collection
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from ..report import NUMBER, Value
from .layout import Grid

_THIN = Side(style="thin", color="999999")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEAD_FILL = PatternFill("solid", fgColor="EEF2F7")
FLAG_FILL = PatternFill("solid", fgColor="FDE2E1")


def cell_value(v: Any) -> Any:
    """What a sheet cell holds: numbers as numbers, money as its decimal text, other printed text as is."""
    if isinstance(v, Value):
        if v.status == NUMBER:
            return v.value
        return v.raw or None
    return v


def write_grid(ws: Worksheet, grid: Grid, top: int, flagged: Collection[str] = ()) -> int:
    """Write *grid* (head rows, then body rows) from row *top*; return the first row after it.

    Cells a finding concerns (their ``ref`` in *flagged*) are filled in red.
    """
    occupied: set[tuple[int, int]] = set()
    rows = grid.head + grid.body
    for r_off, row in enumerate(rows):
        r = top + r_off
        c = 1
        for cell in row:
            while (r, c) in occupied:
                c += 1
            target = ws.cell(r, c, cell.text if cell.kind != "value" else cell_value(cell.value))
            target.border = BORDER
            target.alignment = Alignment(wrap_text=True, vertical="center",
                                         horizontal="center" if cell.kind in ("head", "value") else "left")
            if cell.kind in ("head", "caption"):
                target.fill = HEAD_FILL
                target.font = Font(bold=True)
            if cell.ref and cell.ref in flagged:
                target.fill = FLAG_FILL
            if cell.colspan > 1 or cell.rowspan > 1:
                ws.merge_cells(start_row=r, start_column=c, end_row=r + cell.rowspan - 1,
                               end_column=c + cell.colspan - 1)
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied.add((r + dr, c + dc))
            c += cell.colspan
    return top + len(rows)


def write_table_sheet(ws: Worksheet, grid: Grid, note: str, flagged: Collection[str] = ()) -> None:
    """A sheet holding one table: its title (row 1) and a note (row 2) across the table, the table from row 3."""
    for r, text, font in ((1, grid.title, Font(bold=True, size=13)), (2, note, None)):
        cell = ws.cell(r, 1, text)
        if font:
            cell.font = font
        if grid.ncols > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=grid.ncols)
    write_grid(ws, grid, 3, flagged)
