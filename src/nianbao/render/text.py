"""A readable summary of one report, the three tables laid out as in the official format."""
from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

from ..report import BLANK, NUMBER, PLACEHOLDER, TEXT, Report, Value
from ..templates import APPLICANT_COLUMNS, OUTCOME_COLUMNS, REVIEW_BLOCKS, TEMPLATES


def _cell(v: Value) -> str:
    if v.status == NUMBER:
        return str(v.value)
    if v.status == BLANK:
        return "（空）"
    if v.status in (PLACEHOLDER, TEXT):
        return v.raw or ""
    return "—缺—"


def render_report(report: Report, file: str | None = None, width: int = 140) -> str:
    buf = io.StringIO()
    con = Console(file=buf, width=width, force_terminal=False, color_system=None)
    tpl = TEMPLATES.get(report.template or "2021")
    con.print(f"文件：{file or report.path}")
    con.print(f"标题：{report.title or '（未识别）'}")
    con.print(f"发布机关：{report.agency or '（未识别）'}    年度：{report.year or '（未识别）'}    "
              f"模板：{report.template}（{tpl.document if tpl else ''}）")
    names = {s.key: f"{s.number}、{s.title}" for s in (tpl.sections if tpl else ())}
    con.print("部分：" + "  ".join(
        f"{names[k]}{'✓' if k in report.sections else '✗'}" for k in names))

    t2 = Table(title="二、主动公开政府信息情况", show_lines=False)
    t2.add_column("信息内容")
    t2.add_column("数值")
    for row in tpl.active if tpl else ():
        values = report.active.get(row.key, {})
        t2.add_row(f"{row.caption} {row.label}",
                   "；".join(f"{f.label}：{_cell(values[f.key])}" for f in row.fields if f.key in values))
    con.print(t2)

    t3 = Table(title="三、收到和处理政府信息公开申请情况")
    t3.add_column("")
    for c in APPLICANT_COLUMNS:
        t3.add_column(c.label, justify="right")
    for row in tpl.applications if tpl else ():
        vals = report.applications.get(row.key)
        label = f"{row.group or ''}{row.label}"
        t3.add_row(label, *([_cell(v) for v in vals] if vals else ["—缺—"] * 7))
    con.print(t3)

    t4 = Table(title="四、政府信息公开行政复议、行政诉讼情况")
    t4.add_column("")
    for c in OUTCOME_COLUMNS:
        t4.add_column(c.label, justify="right")
    for block, label in REVIEW_BLOCKS:
        vals = report.review_litigation.get(block) or []
        t4.add_row(label, *[_cell(v) for v in vals])
    con.print(t4)
    return buf.getvalue()
