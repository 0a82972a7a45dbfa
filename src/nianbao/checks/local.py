"""Local rules: requirements a province or city adds to the national template [L].

They register like any built-in rule and read their configuration from
``Context.settings`` (the API's ``Context(settings={"fee_decimals": 4})``), so a
locality can switch them on without code. Without a setting each rule follows
what the report's own header asks for, if anything.

Settings:

``fee_decimals``
    the number of decimals the table-二 fee (万元) must keep (洛阳: 4, i.e. to the 元).
    Default: the number printed in the header (``保留4位小数``), else no check.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..report import NUMBER, Report
from . import WARNING, Context, Finding, rule
from ._common import cell_name, template_of

_KEEP_DECIMALS = re.compile(r"保留(\d)位小数")


def fee_decimals_required(report: Report, ctx: Context) -> int | None:
    """The decimals the fee must keep: the setting, else what the printed header says."""
    setting = ctx.settings.get("fee_decimals")
    if setting is not None and str(setting).strip() != "":
        return int(setting)
    m = _KEEP_DECIMALS.search((report.meta.get("table_text") or {}).get("active_disclosure") or "")
    return int(m.group(1)) if m else None


@rule("FEE-DECIMALS", defect="D-16", severity=WARNING)
def fee_decimals(report: Report, ctx: Context) -> Iterator[Finding]:
    """Money cells of table 二 with more decimals than allowed (``保留4位小数``: 4 decimals of
    万元 is one 元, so a fifth decimal is a unit or typing slip). Fewer decimals are fine
    (``0``, ``12.5``)."""
    n = fee_decimals_required(report, ctx)
    if n is None:
        return
    for row in template_of(report).active:
        for f in row.fields:
            if f.kind != "money":
                continue
            v = (report.active.get(row.key) or {}).get(f.key)
            if v is None or v.status != NUMBER or not isinstance(v.value, str):
                continue
            decimals = len(v.value.partition(".")[2])
            if decimals > n:
                ref = f"active.{row.key}.{f.key}"
                yield Finding("FEE-DECIMALS", WARNING,
                              f"{cell_name(report, ref)}填写为「{v.raw}」，有 {decimals} 位小数，应保留 {n} 位小数",
                              cells=[ref], location=v.source, data={"decimals": decimals, "required": n})
