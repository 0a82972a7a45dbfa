"""``nianbao export``: the selected reports as CSV, XLSX (official layout), Parquet or JSONL."""
from __future__ import annotations

import click

from ._store_options import db_option, filter_options, open_existing_store


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "parquet", "jsonl"]), required=True,
              help="导出格式。xlsx 为官方表样（每张表一个工作表，另含报告明细与问题清单）。")
@click.option("--shape", type=click.Choice(["long", "wide"]), default="long", show_default=True,
              help="long：每个单元格一行；wide：每份报告一行（列名如 applications.new.total）。")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False), help="输出文件。")
@click.option("--keys", is_flag=True,
              help="CSV/XLSX 只用键名作表头（如 applications.new.total，层级写 county），供程序读取；"
                   "默认第一行为中文表头、第二行为键名，层级等写中文。")
@filter_options
@db_option
def export(fmt: str, shape: str, output: str, keys: bool, region: str | None, year: int | None,
           level: str | None, db_url: str | None) -> None:
    """导出数据库中的报告数据（只取每份报告的最新版本）。

    \b
    示例：
      nianbao export --format xlsx -o 汇总.xlsx --year 2022 --region 洛阳市
      nianbao export --format csv --shape wide -o 2022.csv --year 2022
      nianbao export --format parquet -o cells.parquet
    """
    from ..store import StoreError

    try:
        path = open_existing_store(db_url).export(fmt, output, shape=shape, header="keys" if keys else "zh",
                                                  region=region, year=year, level=level)
    except (StoreError, OSError) as exc:
        raise click.ClickException(f"导出失败：{exc}") from exc
    click.echo(f"已导出：{path}")


COMMANDS = [export]
