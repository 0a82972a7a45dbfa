"""XLSX in the official layout: one sheet per table (二/三/四) holding the 汇总 of the selected reports
(for a single report: its own values), plus a sheet of reports (one row each) and a findings sheet.

The tables are laid out by :mod:`nianbao.render.layout` from the template data and written by
:mod:`nianbao.render.xlsx`, the same code the web app's report download uses.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy.orm import Session

from ..checks import SEVERITY_NAMES
from ..render.layout import report_grids
from ..render.xlsx import append_row, finish_list_sheet, write_table_sheet
from ..templates import TEMPLATES
from .export import WIDE_META, all_refs, column_name, human_row, wide_rows
from .queries import findings_of, report_rows
from .summary import summarize

SHEET_NAMES = ("二、主动公开", "三、依申请公开", "四、复议诉讼")


def write_xlsx(s: Session, path: Path, header: str = "zh", **filters: Any) -> None:
    """The workbook. The 汇总 sheets hold one template's reports (the one :func:`summarize` chose, laid
    out with that template's own rows, 2019-only items included); the detail sheet has every report."""
    summary = summarize(s, **filters)
    rows = report_rows(s, order="agency", **filters)
    tpl = TEMPLATES[summary.template or "2021"]
    blanks = sum(summary.blanks.values())
    note = (f"共 {summary.n_reports} 份报告的汇总（{tpl.id} 年版模板）" if summary.n_reports != 1
            else f"{rows[0].agency} {rows[0].year}年")
    note += f"；空白或占位单元格 {blanks} 个（未计为 0）" if blanks else ""
    note += "".join(f"；{n.rstrip('。')}" for n in summary.notes if "模板" in n)
    wb = Workbook()
    wb.remove(wb.active)
    for name, grid in zip(SHEET_NAMES, report_grids(tpl.id, summary.value)):
        write_table_sheet(wb.create_sheet(name), grid, note)
    detail = wb.create_sheet("报告明细")
    columns = list(WIDE_META) + all_refs()
    if header == "zh":
        append_row(detail, [column_name(c) for c in columns])
    append_row(detail, columns)
    for row in wide_rows(s, **filters):
        row = human_row(row) if header == "zh" else row
        append_row(detail, [row.get(c) for c in columns])
    finish_list_sheet(detail, header_rows=2 if header == "zh" else 1, frozen_columns=2,
                      widths={1: 8, 2: 28, 3: 28, 4: 18})
    fs = wb.create_sheet("问题")
    append_row(fs, ["发布机关", "年度", "严重程度", "规则", "问题类型", "说明", "涉及单元格", "审核结论", "审核意见", "问题编号"])
    by_id = {r.id: r for r in rows}
    for f in findings_of(s, list(by_id)):
        r = by_id[f.report_id]
        append_row(fs, [r.agency, r.year, SEVERITY_NAMES.get(f.severity, f.severity), f.rule, f.defect, f.message,
                   "，".join(f.cells), {"confirmed": "确认", "dismissed": "排除"}.get(f.decision or "", ""),
                   f.decision_note or "", f.key])
    finish_list_sheet(fs, header_rows=1, frozen_columns=1, widths={1: 28, 2: 8, 3: 10, 4: 22, 5: 10, 6: 60, 7: 40})
    wb.save(path)
