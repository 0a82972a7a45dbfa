"""Is each number a valid number of its kind? Counts are integers ≥ 0 (D-15, B9); the
signed 本年增/减 of the 2019 template may be negative; money is a decimal ≥ 0 in the unit
the header names (D-16).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from ..normalize import label_key
from ..report import NUMBER, TEXT, Report, Value
from . import ERROR, INFO, WARNING, Context, Finding, rule
from ._common import cell_name, iter_rows, narrative, sentences, template_of


def _kinds(report: Report) -> dict[str, str]:
    """``ref → kind`` (count | signed | money) for table 二; tables 三/四 are all counts."""
    kinds: dict[str, str] = {}
    for row in template_of(report).active:
        for f in row.fields:
            kinds[f"active.{row.key}.{f.key}"] = f.kind
    return kinds


def _is_negative(v: Value) -> bool:
    return (isinstance(v.value, int) and v.value < 0) or (isinstance(v.value, str) and v.value.startswith("-"))


@rule("VALUE-NOT-INTEGER", defect="D-15", severity=ERROR)
def not_integer(report: Report, ctx: Context) -> Iterator[Finding]:
    """A count cell printing a fraction (``2.5``): counts of 件 are whole numbers.
    (The extractor keeps such a value as the printed string.)"""
    kinds = _kinds(report)
    for _, _, cells in iter_rows(report):
        for ref, _, v in cells:
            if v.status == NUMBER and isinstance(v.value, str) and kinds.get(ref, "count") != "money":
                yield Finding("VALUE-NOT-INTEGER", ERROR,
                              f"{cell_name(report, ref)}填写为「{v.raw}」，件数应为整数",
                              cells=[ref], location=v.source)


@rule("VALUE-NEGATIVE", defect="D-15", severity=ERROR)
def negative(report: Report, ctx: Context) -> Iterator[Finding]:
    """A negative count or amount. Only the 2019 template's 本年增/减 (kind ``signed``) may be negative."""
    kinds = _kinds(report)
    for _, _, cells in iter_rows(report):
        for ref, _, v in cells:
            if v.status == NUMBER and _is_negative(v) and kinds.get(ref, "count") != "signed":
                yield Finding("VALUE-NEGATIVE", ERROR,
                              f"{cell_name(report, ref)}填写为负数「{v.raw}」",
                              cells=[ref], location=v.source)


@rule("VALUE-TEXT", defect="D-15", severity=WARNING)
def text_in_cell(report: Report, ctx: Context) -> Iterator[Finding]:
    """Words where a number belongs (``详见附件``, ``0件以上``): not a number, not a known placeholder."""
    for _, _, cells in iter_rows(report):
        for ref, _, v in cells:
            if v.status == TEXT:
                yield Finding("VALUE-TEXT", WARNING, f"{cell_name(report, ref)}填写为文字「{v.raw}」，应为数字",
                              cells=[ref], location=v.source)


_UNIT_IN_HEADER = re.compile(r"单位(万元|元)")


def header_unit(report: Report, item: str, field: str) -> str | None:
    """The unit the template or the printed header gives a money column (万元 / 元), if any."""
    row = next((r for r in template_of(report).active if r.key == item), None)
    f = next((f for f in row.fields if f.key == field), None) if row else None
    if f is None:
        return None
    m = _UNIT_IN_HEADER.search(label_key(f.label))
    if m:
        return m.group(1)
    text = (report.meta.get("table_text") or {}).get("active_disclosure") or ""
    pos = text.find(label_key(f.label))
    if pos >= 0:
        m = _UNIT_IN_HEADER.match(text, pos + len(label_key(f.label)))
        if m:
            return m.group(1)
    return None


@rule("UNIT-IN-CELL", defect="D-16", severity=WARNING)
def unit_in_cell(report: Report, ctx: Context) -> Iterator[Finding]:
    """A unit printed inside a cell (``251000元``). It contradicts the header's unit
    (元 in a 万元 column: the value is likely 10 000 times off) → warning; the header's own
    unit or 件 repeated in the cell → info (the value is read without it)."""
    for table, row, cells in iter_rows(report):
        for ref, col, v in cells:
            if v.status != NUMBER or not v.unit:
                continue
            unit = header_unit(report, row, col) if table == "active" else None
            if unit and v.unit in ("元", "万元") and v.unit != unit:
                yield Finding("UNIT-IN-CELL", WARNING,
                              f"{cell_name(report, ref)}填写为「{v.raw}」：表头单位为{unit}，单元格内却写了{v.unit}，"
                              f"数值可能相差 10000 倍",
                              cells=[ref], location=v.source, data={"unit": v.unit, "header_unit": unit})
            else:
                yield Finding("UNIT-IN-CELL", INFO,
                              f"{cell_name(report, ref)}填写为「{v.raw}」，单元格内不应写单位（已按数值 {v.value} 读取）",
                              cells=[ref], location=v.source, data={"unit": v.unit})


_NARRATIVE_FEE = re.compile(r"行政事业性收费[^。；，,\d]{0,12}?(\d+(?:\.\d+)?)\s*(万元|元)")
MAGNITUDE_RATIO = 1000  # a narrative amount this many times off the table's is a unit slip, not rounding


@rule("FEE-MAGNITUDE", defect="D-16", severity=WARNING)
def fee_magnitude(report: Report, ctx: Context) -> Iterator[Finding]:
    """The table-二 fee (万元) against an amount the narrative gives for 行政事业性收费
    (``行政事业性收费…X万元/元``): off by three orders of magnitude or more means one of them
    was written in 元 in a 万元 place (or the reverse)."""
    fields = report.active.get("fees") or {}
    v = fields.get("amount")
    if v is None or v.status != NUMBER or header_unit(report, "fees", "amount") != "万元":
        return
    try:
        table_wan = Decimal(str(v.value))
    except InvalidOperation:
        return
    if table_wan <= 0:
        return
    for _, text, _source in narrative(report):
        for sentence in sentences(text):
            for m in _NARRATIVE_FEE.finditer(sentence):
                amount = Decimal(m.group(1))
                wan = amount if m.group(2) == "万元" else amount / 10000
                if wan <= 0:
                    continue
                ratio = wan / table_wan
                if ratio >= MAGNITUDE_RATIO or ratio <= Decimal(1) / MAGNITUDE_RATIO:
                    yield Finding("FEE-MAGNITUDE", WARNING,
                                  f"{cell_name(report, 'active.fees.amount')}为 {v.raw} 万元，"
                                  f"正文却写「{m.group(0)}」（约 {wan.normalize()} 万元），数量级不符，请核对单位",
                                  cells=["active.fees.amount"], location=v.source)
                    return
