"""``nianbao audit``: the audit log — sign-ins (success, failure, lockout), account changes, decisions."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import click

from ._store_options import db_option, open_store

EVENT_CHOICES = ("login_success", "login_failure", "login_locked", "logout", "password_changed", "role_changed",
                 "user_created", "user_deleted", "decision")


def _since(value: str | None) -> datetime | None:
    """``2024-05-01`` (a day, UTC) or ``7d`` / ``12h`` (that long ago)."""
    if not value:
        return None
    text = value.strip()
    try:
        if text[-1:] in ("d", "h") and text[:-1].isdigit():
            amount = int(text[:-1])
            return datetime.now(UTC) - (timedelta(days=amount) if text[-1] == "d" else timedelta(hours=amount))
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except (ValueError, OverflowError) as exc:
        raise click.BadParameter(f"无法识别的时间 {value!r}：请写成 2024-05-01，或 7d（7 天内）、12h（12 小时内）",
                                 param_hint="--since") from exc


@click.command("audit")
@click.option("--event", type=click.Choice(EVENT_CHOICES), default=None, help="只看这一类事件。")
@click.option("--user", "username", default=None, help="只看这个用户名的记录。")
@click.option("--since", default=None, metavar="TIME", help="起始时间：2024-05-01（UTC）或 7d、12h。")
@click.option("--limit", type=click.IntRange(1, 100_000), default=100, show_default=True, help="最多列出多少条。")
@click.option("--json", "as_json", is_flag=True, help="每行输出一个 JSON 对象。")
@db_option
def audit(event: str | None, username: str | None, since: str | None, limit: int, as_json: bool,
          db_url: str | None) -> None:
    """查看审计日志（最新的在前）：登录成功、失败、锁定，退出，用户与密码变更，审核结论。

    \b
    示例：
      nianbao audit
      nianbao audit --event login_failure --since 7d
      nianbao audit --user 张三 --json
    """
    from ..store.audit import EVENT_NAMES

    store = open_store(db_url)
    rows = store.audit(event=event, username=username, since=_since(since), limit=limit)
    for e in rows:
        if as_json:
            click.echo(json.dumps(e.to_dict(), ensure_ascii=False))
        else:
            click.echo("\t".join((e.at.strftime("%Y-%m-%d %H:%M:%S"), EVENT_NAMES.get(e.event, e.event),
                                  e.username or "-", e.address or "-", e.detail)))
    if not rows and not as_json:
        click.echo("没有符合条件的审计记录。", err=True)


COMMANDS = [audit]
