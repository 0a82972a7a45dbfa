"""``nianbao failures``: the files that could not be ingested, with their reasons."""
from __future__ import annotations

import json

import click

from ._store_options import db_option, open_store


@click.command("failures")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式。")
def failures(db_url: str | None, fmt: str) -> None:
    """列出未能入库的文件及原因（文件之后成功入库时自动移除）。

    \b
    示例：
      nianbao failures
      nianbao failures --format json
    """
    rows = open_store(db_url).failures()
    if fmt == "json":
        for f in rows:
            click.echo(json.dumps({"path": f.path, "reason": f.reason, "at": f.at.isoformat()}, ensure_ascii=False))
        return
    if not rows:
        click.echo("没有入库失败的文件。")
        return
    for f in rows:
        click.echo(f"{f.at:%Y-%m-%d %H:%M}  {f.path}：{f.reason}")
    click.echo(f"共 {len(rows)} 个文件未能入库。")


COMMANDS = [failures]
