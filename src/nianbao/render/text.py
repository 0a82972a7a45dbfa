"""A readable summary of one report, the three tables laid out as in the official format."""
from __future__ import annotations

import io
from collections.abc import Callable

from rich.console import Console
from rich.table import Table

from ..report import BLANK, NUMBER, PLACEHOLDER, TEXT, Report, Value
from ..templates import APPLICANT_COLUMNS, OUTCOME_COLUMNS, REVIEW_BLOCKS, TEMPLATES, Template


def _cell(v: Value) -> str:
    if v.status == NUMBER:
        return str(v.value)
    if v.status == BLANK:
        return "（空）"
    if v.status in (PLACEHOLDER, TEXT):
        return v.raw or ""
    return "—缺—"


CellText = Callable[[str, str], str]  # (row key, column key) → what the cell shows


def table_active(tpl: Template, cell: CellText, title: str = "二、主动公开政府信息情况") -> Table:
    """Table 二 as the template prints it: block caption, item, then each field with its value."""
    t = Table(title=title)
    t.add_column("信息内容")
    t.add_column("数值")
    for row in tpl.active:
        t.add_row(f"{row.caption} {row.label}", "；".join(f"{f.label}：{cell(row.key, f.key)}" for f in row.fields))
    return t


def table_applications(tpl: Template, cell: CellText, title: str = "三、收到和处理政府信息公开申请情况") -> Table:
    """Table 三: the 25 (2021) or 23 (2019) rows under the seven applicant columns."""
    t = Table(title=title)
    t.add_column("")
    for c in APPLICANT_COLUMNS:
        t.add_column(c.label, justify="right")
    for row in tpl.applications:
        t.add_row(f"{row.group or ''}{row.label}", *(cell(row.key, c.key) for c in APPLICANT_COLUMNS))
    return t


def table_review(cell: CellText, title: str = "四、政府信息公开行政复议、行政诉讼情况") -> Table:
    """Table 四: the three blocks of five outcomes."""
    t = Table(title=title)
    t.add_column("")
    for c in OUTCOME_COLUMNS:
        t.add_column(c.label, justify="right")
    for block, label in REVIEW_BLOCKS:
        t.add_row(label, *(cell(block, c.key) for c in OUTCOME_COLUMNS))
    return t


def console(buf: io.StringIO, width: int = 140) -> Console:
    return Console(file=buf, width=width, force_terminal=False, color_system=None)


def render_report(report: Report, file: str | None = None, width: int = 140) -> str:
    buf = io.StringIO()
    con = console(buf, width)
    tpl = TEMPLATES.get(report.template or "2021", TEMPLATES["2021"])
    con.print(f"文件：{file or report.path}")
    con.print(f"标题：{report.title or '（未识别）'}")
    con.print(f"发布机关：{report.agency or '（未识别）'}    年度：{report.year or '（未识别）'}    "
              f"模板：{report.template}（{tpl.document}）")
    con.print("部分：" + "  ".join(
        f"{s.number}、{s.title}{'✓' if s.key in report.sections else '✗'}" for s in tpl.sections))
    con.print(table_active(tpl, lambda r, f: _cell(report.cell(f"active.{r}.{f}"))))
    con.print(table_applications(tpl, lambda r, c: _cell(report.cell(f"applications.{r}.{c}"))))
    con.print(table_review(lambda b, c: _cell(report.cell(f"review_litigation.{b}.{c}"))))
    return buf.getvalue()
