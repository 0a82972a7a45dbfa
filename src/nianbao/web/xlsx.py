"""One report as an XLSX workbook: the three tables in the official layout (merged cells), its findings.

The corpus exports go through ``Store.export``; this is the single-report download of the report
page, built from the same :mod:`.layout` grids the page shows, so the sheet looks like the page.
"""
from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from ..checks import SEVERITY_NAMES
from ..render.layout import Grid, cells_label
from ..render.xlsx import append_row, write_grid
from .rendering import DECISION_NAMES


def report_workbook(stored: Any, grids: list[Grid]) -> bytes:
    """The bytes of the XLSX for one stored report (``Store.report`` result) and its laid-out grids."""
    wb = Workbook()
    ws = wb.active
    ws.title = "报告"
    rep, row = stored.report, stored.row
    for label, value in (("发布机关", row.agency), ("年度", row.year), ("模板", row.template), ("标题", rep.title),
                         ("文件", stored.source_name), ("版本", row.version)):
        append_row(ws, [label, value])
    ws.append([])
    flagged = {ref for f in stored.findings if f.decision != "dismissed" for ref in f.cells}
    for grid in grids:
        append_row(ws, [grid.title])
        ws.cell(ws.max_row, 1).font = Font(bold=True, size=12)
        write_grid(ws, grid, ws.max_row + 1, flagged)
        ws.append([])
    ws.column_dimensions["A"].width = 16
    for col in "BCDEFGHIJKLMNOP":
        ws.column_dimensions[col].width = 12
    fs = wb.create_sheet("核查发现")
    append_row(fs, ["规则", "严重程度", "说明", "涉及单元格", "审核结论", "审核备注", "审核人"])
    for f in stored.findings:
        append_row(fs, [f.rule, SEVERITY_NAMES.get(f.severity, f.severity), f.message,
                   "；".join(cells_label(f.cells, row.template)), DECISION_NAMES.get(f.decision, ""),
                   f.decision_note or "", f.decided_by or ""])
    fs.column_dimensions["C"].width = 80
    fs.column_dimensions["D"].width = 50
    ss = wb.create_sheet("正文")
    for key, sec in rep.sections.items():
        append_row(ss, [key, sec.heading, sec.text])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
