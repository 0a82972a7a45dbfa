"""One report as an XLSX workbook: the three tables in the official layout (merged cells), its findings.

The corpus exports go through ``Store.export``; this is the single-report download of the report
page, built from the same :mod:`.layout` grids the page shows, so the sheet looks like the page.
"""
from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from ..checks import SEVERITY_NAMES
from ..report import NUMBER, Value
from .layout import Grid, ref_label
from .rendering import DECISION_NAMES

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="EEF2F7")
_FLAG_FILL = PatternFill("solid", fgColor="FDE2E1")


def cell_value(v: Any) -> Any:
    """What a sheet cell holds: numbers as numbers, money as its decimal text, other printed text as is."""
    if isinstance(v, Value):
        if v.status == NUMBER:
            return v.value
        return v.raw or None
    return v


def _write_grid(ws: Any, grid: Grid, flagged: set[str]) -> None:
    ws.append([grid.title])
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=12)
    top = ws.max_row + 1
    occupied: set[tuple[int, int]] = set()
    for r_off, row in enumerate(grid.head + grid.body):
        r = top + r_off
        c = 1
        for cell in row:
            while (r, c) in occupied:
                c += 1
            target = ws.cell(r, c, cell.text if cell.kind != "value" else cell_value(cell.value))
            target.border = _BORDER
            target.alignment = Alignment(wrap_text=True, vertical="center",
                                         horizontal="center" if cell.kind in ("head", "value") else "left")
            if cell.kind in ("head", "caption"):
                target.fill = _HEAD_FILL
                target.font = Font(bold=True)
            if cell.ref and cell.ref in flagged:
                target.fill = _FLAG_FILL
            if cell.colspan > 1 or cell.rowspan > 1:
                ws.merge_cells(start_row=r, start_column=c, end_row=r + cell.rowspan - 1,
                               end_column=c + cell.colspan - 1)
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied.add((r + dr, c + dc))
            c += cell.colspan
    ws.append([])


def report_workbook(stored: Any, grids: list[Grid]) -> bytes:
    """The bytes of the XLSX for one stored report (``Store.report`` result) and its laid-out grids."""
    wb = Workbook()
    ws = wb.active
    ws.title = "报告"
    rep, row = stored.report, stored.row
    for label, value in (("发布机关", row.agency), ("年度", row.year), ("模板", row.template), ("标题", rep.title),
                         ("文件", stored.source_name), ("版本", row.version)):
        ws.append([label, value])
    ws.append([])
    flagged = {ref for f in stored.findings if f.decision != "dismissed" for ref in f.cells}
    for grid in grids:
        _write_grid(ws, grid, flagged)
    ws.column_dimensions["A"].width = 16
    for col in "BCDEFGHIJKLMNOP":
        ws.column_dimensions[col].width = 12
    fs = wb.create_sheet("核查发现")
    fs.append(["规则", "严重程度", "说明", "涉及单元格", "审核结论", "审核备注", "审核人"])
    for f in stored.findings:
        fs.append([f.rule, SEVERITY_NAMES.get(f.severity, f.severity), f.message,
                   "；".join(ref_label(c, row.template) for c in f.cells), DECISION_NAMES.get(f.decision, ""),
                   f.decision_note or "", f.decided_by or ""])
    fs.column_dimensions["C"].width = 80
    fs.column_dimensions["D"].width = 50
    ss = wb.create_sheet("正文")
    for key, sec in rep.sections.items():
        ss.append([key, sec.heading, sec.text])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
