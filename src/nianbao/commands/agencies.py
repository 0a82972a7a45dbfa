"""``nianbao agencies``: the agency register (who is expected to report): import, list, export."""
from __future__ import annotations

import click

from ._store_options import db_option, open_existing_store, open_store


@click.group("agencies")
def agencies() -> None:
    """机关名录：应当发布年度报告的机关（名称、层级、地区、上级、起止年度）。

    名录决定机关的层级和地区，并据此计算每个年度的「应报未报」。

    \b
    名录文件（CSV，第一行为表头；或 YAML：条目列表）：
      名称,层级,地区,上级,起始年度,终止年度
      平潭综合实验区管理委员会,功能区,平潭综合实验区,福建省人民政府,,
      平潭综合实验区公安局,部门,平潭综合实验区,平潭综合实验区管理委员会,2020,
    层级可填：省级、市级、县级、乡镇级、功能区、部门（留空则按名称推断）。
    """


@agencies.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
def import_cmd(file: str, db_url: str | None) -> None:
    """导入机关名录 FILE（CSV 或 YAML）；已有的机关按名称更新。"""
    from ..store import StoreError

    try:
        added, updated = open_store(db_url).import_register(file)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已导入机关名录：新增 {added} 个，更新 {updated} 个。")


@agencies.command("list")
@click.option("--region", default=None, help="地区（名称包含即可）。")
@db_option
def list_cmd(region: str | None, db_url: str | None) -> None:
    """列出名录中的机关，以及已有报告的年度。"""
    from ..store.records import LEVEL_NAMES

    store = open_existing_store(db_url)
    entries = store.register(region=region)
    if not entries:
        click.echo("尚未导入机关名录（nianbao agencies import 名录.csv）。")
        return
    years = {a.name: a.years for a in store.agencies(region=region)}
    for e in entries:
        span = f"{e.first_year or ''}–{e.last_year or ''}年" if e.first_year or e.last_year else "每年"
        have = "、".join(map(str, years.get(e.name, []))) or "无"
        click.echo(f"{e.name}\t{LEVEL_NAMES.get(e.level or '', '—')}\t{e.region or '—'}\t上级：{e.parent or '—'}\t"
                   f"应报：{span}\t已有报告：{have}")
    click.echo(f"共 {len(entries)} 个机关。")


@agencies.command("export")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False), help="输出的 CSV 文件。")
@click.option("--region", default=None, help="地区（名称包含即可）。")
@db_option
def export_cmd(output: str, region: str | None, db_url: str | None) -> None:
    """把机关名录导出为 CSV（可编辑后再导入）。"""
    try:
        path = open_existing_store(db_url).export_register(output, region=region)
    except OSError as exc:
        raise click.ClickException(f"导出失败：{output}：{exc.strerror or exc}") from exc
    click.echo(f"已导出机关名录：{path}")


COMMANDS = [agencies]
