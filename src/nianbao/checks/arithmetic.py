"""Arithmetic relations within one report (FORMAT.md section B: B1, B2, B3, B6, B10).

A relation is computed only from cells that print an integer. A blank cell or a
placeholder means "not filled", not 0: the relation is skipped and the cell is
reported by the blank-cell rule (``CELL-NOT-FILLED``), so one omission never turns
into a chain of arithmetic errors.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..report import Report
from ..templates import APPLICANT_COLUMNS, OUTCOME_COLUMNS, PARTY_KEYS, REVIEW_BLOCKS
from . import ERROR, INFO, Context, Finding, rule
from ._common import (
    BLOCK_LABEL,
    COLUMN_LABEL,
    OUTCOME_LABEL,
    TABLE_NAME,
    absent,
    active_labels,
    application_row_label,
    first_source,
    int_value,
    template_of,
)

_T3, _T4 = TABLE_NAME["applications"], TABLE_NAME["review_litigation"]
_OUTCOME_PARTS = tuple(c.key for c in OUTCOME_COLUMNS if c.key != "total")


def _num(report: Report, row: str, i: int):
    vals = report.applications.get(row)
    if not vals or int_value(vals[i]) is None:
        return None
    return vals[i]


@rule("T3-COLUMN-BALANCE", defect="D-10", severity=ERROR)
def column_balance(report: Report, ctx: Context) -> Iterator[Finding]:
    """B1: 本年新收 + 上年结转 = （七）总计 + 结转下年度继续办理, in every column of table 三.

    The only relation the template prints itself (the 勾稽关系 note), so a break is an error.
    """
    rows = ("new", "carried_over", "processed_total", "carried_forward")
    names = [application_row_label(report, r) for r in rows]
    for i, col in enumerate(APPLICANT_COLUMNS):
        parts = [_num(report, r, i) for r in rows]
        if any(p is None for p in parts):
            continue
        new, old, done, fwd = (p.value for p in parts)
        left, right = new + old, done + fwd
        if left != right:
            yield Finding(
                "T3-COLUMN-BALANCE", ERROR,
                f"{_T3}「{col.label}」列：{names[0]}({new})+{names[1]}({old})={left}，"
                f"{names[2]}({done})+{names[3]}({fwd})={right}，相差 {left - right}",
                cells=[f"applications.{r}.{col.key}" for r in rows],
                location=parts[0].source,
                data={"column": col.key, "left": left, "right": right},
            )


@rule("T3-RESULT-SUM", defect="D-11", severity=ERROR)
def result_sum(report: Report, ctx: Context) -> Iterator[Finding]:
    """B2: （七）总计 = the sum of the result rows （一）…（六）, in every column of table 三.

    The result rows come from the template the document uses (``Template.result_rows``).
    A 2021 report that prints （六）其他处理 as one row has its two numbered sub-rows
    absent: they count as part of that one row. Any other missing row skips the relation
    (the row-missing rule reports it).
    """
    template = template_of(report)
    rows = list(template.result_rows)
    total_row = report.applications.get("processed_total")
    if absent(total_row):
        return
    split = ("other_no_correction", "other_unpaid_fee")
    if all(absent(report.applications.get(r)) for r in split) and not absent(report.applications.get("other")):
        rows = [r for r in rows if r not in split]
    if any(absent(report.applications.get(r)) for r in rows):
        return
    for i, col in enumerate(APPLICANT_COLUMNS):
        total = int_value(total_row[i])
        parts = [int_value(report.applications[r][i]) for r in rows]
        if total is None or any(p is None for p in parts):
            continue
        s = sum(parts)
        if s != total:
            nonzero = "+".join(f"{application_row_label(report, r)}({p})" for r, p in zip(rows, parts) if p)
            yield Finding(
                "T3-RESULT-SUM", ERROR,
                f"{_T3}「{col.label}」列：「{application_row_label(report, 'processed_total')}」为 {total}，"
                f"但各办理结果之和为 {s}（{nonzero or '全部为0'}），相差 {total - s}",
                cells=[f"applications.processed_total.{col.key}"] + [f"applications.{r}.{col.key}" for r in rows],
                location=total_row[i].source,
                data={"column": col.key, "total": total, "sum": s},
            )


@rule("T3-ROW-TOTAL", defect="D-12", severity=ERROR)
def row_total(report: Report, ctx: Context) -> Iterator[Finding]:
    """B3: in every row of table 三, 总计 = the sum of the six applicant columns.

    Rows whose 总计 or any applicant cell is blank are skipped (reported as not filled).
    """
    for key in (r.key for r in template_of(report).applications):
        vals = report.applications.get(key)
        if absent(vals):
            continue
        total = int_value(vals[-1])
        parts = [int_value(v) for v in vals[: len(PARTY_KEYS)]]
        if total is None or any(p is None for p in parts):
            continue
        s = sum(parts)
        if s != total:
            shown = "+".join(f"{COLUMN_LABEL[c]}({p})" for c, p in zip(PARTY_KEYS, parts))
            yield Finding(
                "T3-ROW-TOTAL", ERROR,
                f"{_T3}「{application_row_label(report, key)}」行：「{COLUMN_LABEL['total']}」为 {total}，"
                f"但六类申请人之和为 {s}（{shown}），相差 {total - s}",
                cells=[f"applications.{key}.{c}" for c in (*PARTY_KEYS, "total")],
                location=vals[-1].source or first_source(vals),
                data={"row": key, "total": total, "sum": s},
            )


@rule("T4-BLOCK-TOTAL", defect="D-13", severity=ERROR)
def block_total(report: Report, ctx: Context) -> Iterator[Finding]:
    """B6: in each block of table 四 (行政复议 and the two 行政诉讼 blocks), 总计 = the four outcomes' sum."""
    for block, _ in REVIEW_BLOCKS:
        vals = report.review_litigation.get(block)
        if absent(vals):
            continue
        total = int_value(vals[-1])
        parts = [int_value(v) for v in vals[:-1]]
        if total is None or any(p is None for p in parts):
            continue
        s = sum(parts)
        if s != total:
            shown = "+".join(f"{OUTCOME_LABEL[c]}({p})" for c, p in zip(_OUTCOME_PARTS, parts))
            yield Finding(
                "T4-BLOCK-TOTAL", ERROR,
                f"{_T4}「{BLOCK_LABEL[block]}」：「{OUTCOME_LABEL['total']}」为 {total}，"
                f"但四项之和为 {s}（{shown}），相差 {total - s}",
                cells=[f"review_litigation.{block}.{c}" for c in (*_OUTCOME_PARTS, "total")],
                location=vals[-1].source or first_source(vals),
                data={"block": block, "total": total, "sum": s},
            )


@rule("T2-2019-ITEMS", defect=None, severity=INFO)
def items_2019(report: Report, ctx: Context) -> Iterator[Finding]:
    """B10 (soft, 2019 template only): 上一年项目数量 + 本年增/减 must not fall below 0, and
    对外公开总数量 should not be smaller than 本年新公开数量. Heuristic, so only info."""
    if template_of(report).id != "2019":
        return
    for item, fields in report.active.items():
        prior, change = int_value(fields.get("prior_items")), int_value(fields.get("change"))
        if prior is not None and change is not None and prior + change < 0:
            rlabel, plabel = active_labels(report, item, "prior_items")
            clabel = active_labels(report, item, "change")[1]
            yield Finding(
                "T2-2019-ITEMS", INFO,
                f"{TABLE_NAME['active']}「{rlabel}」：{plabel}({prior})+{clabel}({change})={prior + change}，项目数量不能为负",
                cells=[f"active.{item}.prior_items", f"active.{item}.change"],
                location=fields["change"].source,
            )
        pub, total = int_value(fields.get("published")), int_value(fields.get("total_published"))
        if pub is not None and total is not None and total < pub:
            rlabel, tlabel = active_labels(report, item, "total_published")
            plabel = active_labels(report, item, "published")[1]
            yield Finding(
                "T2-2019-ITEMS", INFO,
                f"{TABLE_NAME['active']}「{rlabel}」：{tlabel}({total})小于{plabel}({pub})，请核对",
                cells=[f"active.{item}.published", f"active.{item}.total_published"],
                location=fields["total_published"].source,
            )
