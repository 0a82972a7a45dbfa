"""Arithmetic relations within one report (FORMAT.md section B: B1, B2, B3, B6)."""
from __future__ import annotations

from collections.abc import Iterator

from ..report import NUMBER, Report
from ..templates import APPLICANT_COLUMNS, TEMPLATES
from . import ERROR, Context, Finding, rule

_COL_LABEL = {c.key: c.label for c in APPLICANT_COLUMNS}


def _num(report: Report, row: str, i: int):
    vals = report.applications.get(row)
    if not vals or vals[i].status != NUMBER or not isinstance(vals[i].value, int):
        return None
    return vals[i]


@rule("T3-COLUMN-BALANCE", defect="D-10", severity=ERROR)
def column_balance(report: Report, ctx: Context) -> Iterator[Finding]:
    """B1: 本年新收 + 上年结转 = （七）总计 + 结转下年度继续办理, in every column of table 三."""
    for i, col in enumerate(APPLICANT_COLUMNS):
        parts = [_num(report, r, i) for r in ("new", "carried_over", "processed_total", "carried_forward")]
        if any(p is None for p in parts):
            continue
        new, old, done, fwd = (p.value for p in parts)
        left, right = new + old, done + fwd
        if left != right:
            yield Finding(
                "T3-COLUMN-BALANCE", ERROR,
                f"第三部分 {col.label} 列：本年新收({new})+上年结转({old})={left}，"
                f"办理结果总计({done})+结转下年度继续办理({fwd})={right}，相差 {left - right}",
                cells=[f"applications.{r}.{col.key}" for r in ("new", "carried_over", "processed_total", "carried_forward")],
                location=parts[0].source,
                data={"column": col.key, "left": left, "right": right},
            )


_ = TEMPLATES  # the result rows come from the template of the report (see totals rules)
