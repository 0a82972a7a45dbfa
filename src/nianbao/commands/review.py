"""``nianbao review``: a reviewer confirms or dismisses a finding (kept across re-ingest and re-check)."""
from __future__ import annotations

import click

from ._store_options import db_option, open_store


@click.command("review")
@click.argument("finding_key")
@click.option("--confirm", "decision", flag_value="confirmed", help="确认问题属实。")
@click.option("--dismiss", "decision", flag_value="dismissed", help="排除（误报或已说明）。")
@click.option("--clear", "decision", flag_value="clear", help="撤销此前的审核结论。")
@click.option("--note", default="", help="审核意见。")
@click.option("--user", default=None, help="审核人。")
@db_option
def review(finding_key: str, decision: str | None, note: str, user: str | None, db_url: str | None) -> None:
    """记录对某个问题的审核结论（按问题编号，重新入库、重新核查后依然保留）。

    \b
    示例：
      nianbao review 3f2a9c0d1e2b4a5c6d7e8f90 --confirm --note "已电话核实"
      nianbao review 3f2a9c0d1e2b4a5c6d7e8f90 --dismiss --note "机构合并，结转数不可比"
    """
    from ..store import StoreError

    if not decision:
        raise click.ClickException("请指定 --confirm（确认）、--dismiss（排除）或 --clear（撤销）")
    try:
        open_store(db_url).decide(finding_key, decision, note, user)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo({"confirmed": "已确认", "dismissed": "已排除", "clear": "已撤销审核结论"}[decision] + f"：{finding_key}")


COMMANDS = [review]
