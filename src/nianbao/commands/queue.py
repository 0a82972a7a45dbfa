"""``nianbao queue``: the findings of many reports waiting for a reviewer, most severe first."""
from __future__ import annotations

import json

import click

from ..checks import SEVERITY_NAMES
from ._store_options import db_option, open_store

_DECISION_NAMES = {"confirmed": "已确认", "dismissed": "已排除"}


@click.command("queue")
@click.option("--severity", type=click.Choice(["error", "warning", "info"]), default=None,
              help="只看某一严重程度：error 错误、warning 警告、info 提示。")
@click.option("--agency", default=None, help="发布机关（名称包含即可）。")
@click.option("--rule", default=None, help="规则编号，如 CELL-NOT-FILLED。")
@click.option("--year", type=int, default=None, help="报告年度。")
@click.option("--open", "open_only", is_flag=True, help="只列出尚未审核的问题。")
@click.option("--limit", type=click.IntRange(1, 100000), default=200, show_default=True, help="最多列出多少条。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式：text 或 json（每行一个问题）。")
@db_option
def queue(severity: str | None, agency: str | None, rule: str | None, year: int | None, open_only: bool,
          limit: int, fmt: str, db_url: str | None) -> None:
    """审核队列：列出已入库报告的核查问题（按严重程度、发布机关排序），附问题编号。

    用 nianbao review 编号 --confirm 或 --dismiss 记录审核结论。

    \b
    示例：
      nianbao queue --open
      nianbao queue --severity error --agency 洛阳市
      nianbao queue --rule NARRATIVE-VS-TABLE --format json
    """
    from ..store import StoreError

    store = open_store(db_url)
    filters = {"severity": severity, "agency": agency, "rule": rule, "open_only": open_only, "year": year}
    try:
        total = store.count_queue(**filters)
        items = store.queue(**filters, limit=limit)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        for item in items:
            click.echo(json.dumps({"agency": item.agency, "year": item.year, **item.finding.to_dict()},
                                  ensure_ascii=False))
        return
    if not items:
        click.echo("没有符合条件的问题。" if not open_only else "没有待审核的问题。")
        return
    for item in items:
        f = item.finding
        state = _DECISION_NAMES.get(f.decision or "", "待审核")
        click.echo(f"【{SEVERITY_NAMES.get(f.severity, f.severity)}】{item.agency} · {item.year}年 · [{f.rule}] "
                   f"{f.message}")
        note = f"：{f.decision_note}" if f.decision_note else ""
        click.echo(f"    编号 {f.key} · {state}{note}")
    shown = f"，列出前 {len(items)} 条（用 --limit 调整）" if total > len(items) else ""
    click.echo(f"共 {total} 个问题{shown}。审核：nianbao review 编号 --confirm 或 --dismiss [--note 意见]")


COMMANDS = [queue]
