"""XLSX in the official layout: one sheet per table (二/三/四) holding the 汇总 of the selected reports
(for a single report: its own values), plus a sheet of reports (one row each) and a findings sheet.

All labels come from :mod:`nianbao.templates`; only the few header captions the templates do not
carry (申请人情况, 法人或其他组织, 三、本年度办理结果, 信息内容) are named here.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from ..checks import SEVERITY_NAMES
from ..templates import APPLICANT_COLUMNS, OUTCOME_COLUMNS, REVIEW_BLOCKS, SECTION_BY_KEY, TEMPLATES, Template
from .export import WIDE_META, all_refs, wide_rows
from .queries import findings_of, report_rows
from .summary import summarize

APPLICANTS_CAPTION = "申请人情况"
ORGS_CAPTION = "法人或其他组织"
RESULTS_CAPTION = "三、本年度办理结果"
CONTENT_CAPTION = "信息内容"
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
BOLD = Font(bold=True)


def _title(ws: Worksheet, text: str, width: int, note: str) -> int:
    ws.cell(1, 1, text).font = Font(bold=True, size=13)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(2, 1, note)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    return 3


def _merge(ws: Worksheet, r1: int, c1: int, r2: int, c2: int, value: Any) -> None:
    ws.cell(r1, c1, value).alignment = CENTER
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _sheet_active(ws: Worksheet, tpl: Template, active: dict, note: str) -> None:
    width = 1 + max(len(r.fields) for r in tpl.active)
    r = _title(ws, f"{SECTION_BY_KEY['active_disclosure'].number}、{SECTION_BY_KEY['active_disclosure'].title}",
               width, note)
    caption = None
    fields: tuple = ()
    for row in tpl.active:
        if row.caption != caption or row.fields != fields:
            caption, fields = row.caption, row.fields
            _merge(ws, r, 1, r, width, row.caption)
            ws.cell(r, 1).font = BOLD
            r += 1
            ws.cell(r, 1, CONTENT_CAPTION).font = BOLD
            for j, f in enumerate(row.fields, 2):
                ws.cell(r, j, f.label).alignment = CENTER
            r += 1
        ws.cell(r, 1, row.label)
        for j, f in enumerate(row.fields, 2):
            ws.cell(r, j, (active.get(row.key) or {}).get(f.key))
        r += 1
    ws.column_dimensions["A"].width = 24


def _sheet_applications(ws: Worksheet, tpl: Template, apps: dict, note: str) -> None:
    width = 3 + len(APPLICANT_COLUMNS)
    top = _title(ws, f"{SECTION_BY_KEY['applications'].number}、{SECTION_BY_KEY['applications'].title}", width, note)
    _merge(ws, top, 1, top + 2, 3, "")
    _merge(ws, top, 4, top, width, APPLICANTS_CAPTION)
    first, *orgs, last = APPLICANT_COLUMNS
    _merge(ws, top + 1, 4, top + 2, 4, first.label)
    _merge(ws, top + 1, 5, top + 1, 4 + len(orgs), ORGS_CAPTION)
    for j, c in enumerate(orgs, 5):
        _merge(ws, top + 2, j, top + 2, j, c.label)
    _merge(ws, top + 1, width, top + 2, width, last.label)
    r = top + 3
    rows = list(tpl.applications)
    results = set(tpl.result_rows)
    res_start = None
    i = 0
    while i < len(rows):
        row = rows[i]
        if row.key in results:
            res_start = res_start or r
            if row.group:
                n = sum(1 for x in rows[i:] if x.group == row.group)
                if n > 1:
                    _merge(ws, r, 2, r + n - 1, 2, row.group)
                    for k in range(n):
                        ws.cell(r + k, 3, rows[i + k].label)
                        _values(ws, r + k, apps.get(rows[i + k].key))
                    r, i = r + n, i + n
                    continue
            _merge(ws, r, 2, r, 3, row.label)
        else:
            if res_start:
                _merge(ws, res_start, 1, r - 1, 1, RESULTS_CAPTION)
                res_start = None
            _merge(ws, r, 1, r, 3, row.label)
        _values(ws, r, apps.get(row.key))
        r, i = r + 1, i + 1
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 36


def _values(ws: Worksheet, r: int, values: list | None) -> None:
    for j, v in enumerate(values or [None] * len(APPLICANT_COLUMNS), 4):
        ws.cell(r, j, v)


def _sheet_review(ws: Worksheet, review: dict, note: str) -> None:
    n = len(OUTCOME_COLUMNS)
    width = n * len(REVIEW_BLOCKS)
    top = _title(ws, f"{SECTION_BY_KEY['review_litigation'].number}、{SECTION_BY_KEY['review_litigation'].title}",
                 width, note)
    kinds: dict[str, list[int]] = {}
    for b, (_, label) in enumerate(REVIEW_BLOCKS):
        kinds.setdefault(label.split("·")[0], []).append(b)
    for kind, blocks in kinds.items():
        _merge(ws, top, blocks[0] * n + 1, top, (blocks[-1] + 1) * n, kind)
    for b, (key, label) in enumerate(REVIEW_BLOCKS):
        c0 = b * n + 1
        if "·" in label:
            _merge(ws, top + 1, c0, top + 1, c0 + n - 1, label.split("·", 1)[1])
            for j, c in enumerate(OUTCOME_COLUMNS):
                _merge(ws, top + 2, c0 + j, top + 2, c0 + j, c.label)
        else:
            for j, c in enumerate(OUTCOME_COLUMNS):
                _merge(ws, top + 1, c0 + j, top + 2, c0 + j, c.label)
        for j, v in enumerate(review.get(key) or [None] * n):
            ws.cell(top + 3, c0 + j, v)


def write_xlsx(s: Session, path: Path, **filters: Any) -> None:
    summary = summarize(s, **filters)
    rows = report_rows(s, order="agency", **filters)
    templates = {r.template for r in rows if r.template}
    tpl = TEMPLATES[max(templates) if templates else "2021"]
    blanks = sum(summary.blanks.values())
    note = (f"共 {summary.n_reports} 份报告的汇总" if summary.n_reports != 1 else f"{rows[0].agency} {rows[0].year}年")
    note += f"；空白或占位单元格 {blanks} 个（未计为 0）" if blanks else ""
    if len(templates) > 1:
        note += "；所选报告使用了两种模板，第二部分按 2021 年模板列出"
    wb = Workbook()
    ws = wb.active
    ws.title = "二、主动公开"
    _sheet_active(ws, tpl, summary.active, note)
    _sheet_applications(wb.create_sheet("三、依申请公开"), tpl, summary.applications, note)
    _sheet_review(wb.create_sheet("四、复议诉讼"), summary.review_litigation, note)
    detail = wb.create_sheet("报告明细")
    columns = list(WIDE_META) + all_refs()
    detail.append(columns)
    for row in wide_rows(s, **filters):
        detail.append([row.get(c) for c in columns])
    fs = wb.create_sheet("问题")
    fs.append(["发布机关", "年度", "严重程度", "规则", "问题类型", "说明", "涉及单元格", "审核结论", "审核意见", "问题编号"])
    by_id = {r.id: r for r in rows}
    for f in findings_of(s, list(by_id)):
        r = by_id[f.report_id]
        fs.append([r.agency, r.year, SEVERITY_NAMES.get(f.severity, f.severity), f.rule, f.defect, f.message,
                   "，".join(f.cells), {"confirmed": "确认", "dismissed": "排除"}.get(f.decision or "", ""),
                   f.decision_note or "", f.key])
    wb.save(path)
