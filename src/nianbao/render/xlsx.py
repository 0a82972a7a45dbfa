"""Laid-out tables (:mod:`.layout` grids) written into openpyxl worksheets with their merged cells.

One writer for every workbook nianbao makes: the report download of the web app and the 汇总
export of the store, so a sheet looks the same wherever it comes from.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..report import NUMBER, Value
from .layout import Grid

_THIN = Side(style="thin", color="999999")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEAD_FILL = PatternFill("solid", fgColor="EEF2F7")
FLAG_FILL = PatternFill("solid", fgColor="FDE2E1")

# What a spreadsheet may read as the start of a formula (OWASP, CSV injection): report text and agency
# names are whatever a website printed, so "=HYPERLINK(...)" or "@SUM(...)" must stay text.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:,\d{3})*|\d*)(?:\.\d+)?%?$")
_DASHES = re.compile(r"^-+$")


def formula_like(value: Any) -> bool:
    """True for text a spreadsheet would take for a formula; a number written as text ("-5", "+3.2")
    and a dash placeholder ("-", "--") are not formulas and stay as they are."""
    if not isinstance(value, str) or not value.startswith(FORMULA_LEADS):
        return False
    core = value.strip()
    return not ((core and any(ch.isdigit() for ch in core) and _PLAIN_NUMBER.match(core)) or _DASHES.match(core))


def csv_safe(value: Any) -> Any:
    """A CSV field that cannot run as a formula: formula-like text gets a leading apostrophe (OWASP);
    numbers, and text that does not look like a formula, are unchanged."""
    return "'" + value if formula_like(value) else value


def as_text(cell: Cell) -> Cell:
    """Keep a formula-like value of *cell* as text: a string cell (openpyxl would write "=…" as a
    formula), with Excel's quote prefix so that editing the cell does not turn it into one either."""
    if formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """``ws.cell(row, column, value)`` with formula-like text kept as text."""
    return as_text(ws.cell(row, column, value))


def append_row(ws: Worksheet, values: Iterable[Any]) -> None:
    """``ws.append(values)`` with formula-like text kept as text (every sheet nianbao writes uses this)."""
    values = list(values)
    ws.append(values)
    row = ws.max_row
    for column, value in enumerate(values, start=1):
        if formula_like(value):
            as_text(ws.cell(row, column))


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
            target = put(ws, r, c, cell.text if cell.kind != "value" else cell_value(cell.value))
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


def _width(text: Any) -> float:
    """Display width of a value in Excel's character units (a CJK character is two)."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(text if text is not None else ""))


def fit_columns(ws: Worksheet, first_row: int = 1, *, least: float = 6, most: float = 40) -> None:
    """Set every column's width from its longest value (below *first_row*; merged titles excluded)."""
    widest: dict[int, float] = {}
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if cell.value is not None and hasattr(cell, "column_letter"):
                widest[cell.column] = max(widest.get(cell.column, 0), _width(cell.value))
    for column, width in widest.items():
        ws.column_dimensions[get_column_letter(column)].width = min(most, max(least, width + 2))


def finish_list_sheet(ws: Worksheet, *, header_rows: int, frozen_columns: int = 0,
                      widths: dict[int, float] | None = None) -> None:
    """A list sheet a reader can scroll: header rows bold and frozen (with the first *frozen_columns*),
    columns as wide as their content (capped), *widths* where given."""
    fit_columns(ws, least=8, most=30)
    for column, width in (widths or {}).items():
        ws.column_dimensions[get_column_letter(column)].width = width
    for row in ws.iter_rows(min_row=1, max_row=header_rows):
        for cell in row:
            cell.font = Font(bold=True)
            cell.fill = HEAD_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.freeze_panes = ws.cell(header_rows + 1, frozen_columns + 1)


def write_table_sheet(ws: Worksheet, grid: Grid, note: str, flagged: Collection[str] = ()) -> None:
    """A sheet holding one table: its title (row 1) and a note (row 2) across the table, the table from row 3;
    columns sized to their content, the title rows and the table's head frozen."""
    for r, text, font in ((1, grid.title, Font(bold=True, size=13)), (2, note, None)):
        cell = put(ws, r, 1, text)
        if font:
            cell.font = font
        if grid.ncols > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=grid.ncols)
    write_grid(ws, grid, 3, flagged)
    fit_columns(ws, 3, least=8, most=36)
    ws.freeze_panes = ws.cell(3 + len(grid.head), 1)
