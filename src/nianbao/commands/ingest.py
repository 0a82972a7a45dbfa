"""``nianbao ingest``: put reports into the corpus store (parallel, idempotent, resumable)."""
from __future__ import annotations

import click

from ._limits import follow_links_option, limit_options, limits_of
from ._store_options import db_option, open_store


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True, help="并行解析的进程数。")
@click.option("--region", default=None, help="这些报告所属的地区（如 洛阳市），用于补全“市XX局”之类的机关名称。")
@click.option("--agency-map", type=click.Path(dir_okay=False), default=None,
              help="机关对照表 CSV：原名称,规范名称,地区,层级（用于规则无法判断的机关）。")
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条。")
@click.option("--retry-failed", is_flag=True,
              help="重试上次因解析进程崩溃、超时或内存超限而失败的文件（默认在文件未修改时跳过）。")
@limit_options
@follow_links_option
def ingest(paths: tuple[str, ...], db_url: str | None, jobs: int, region: str | None, agency_map: str | None,
           quiet: bool, retry_failed: bool, max_memory_mb: int, timeout_s: float, no_isolate: bool,
           follow_links: bool) -> None:
    """将年度报告读入数据库：解析、核查，并做跨年度核查。

    PATHS 可以是文件、文件夹（递归读取）或 @清单.txt（每行一个路径）。
    已入库且内容未变的文件自动跳过；内容变化的文件保存为新版本；
    中断后重新运行同一命令即可继续。失败的文件及原因会列出并保存（见 nianbao failures）。
    每个文件在独立的子进程中解析，受内存和时间上限约束：导致解析进程崩溃或超限的文件记为失败，
    其余文件照常入库，下次运行时跳过（文件修改后或使用 --retry-failed 时重试）。
    同一报告有多个来源时（PDF、其提取文本、扫描件），当前版本取最可靠的来源：
    原始文档文本层 > OCR 识别 > 提取的文本。

    \b
    示例：
      nianbao ingest reports/ --jobs 2
      nianbao ingest 报告.pdf --region 洛阳市 --db sqlite:///corpus.db
      nianbao ingest @清单.txt --agency-map 机关对照表.csv
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from ..store import StoreError
    from ..store.records import FAILED, STATUS_NAMES

    store = open_store(db_url)
    console = Console(stderr=True)
    counts = {"done": 0, "failed": 0}
    with Progress(TextColumn("入库"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[status]}"),
                  TimeRemainingColumn(), console=console, disable=quiet, transient=False) as bar:
        task = bar.add_task("ingest", total=None, status="")

        def on_total(n: int) -> None:
            bar.update(task, total=n)

        def on_item(item) -> None:
            counts["failed" if item.status == FAILED else "done"] += 1
            bar.update(task, advance=1, status=f"完成 {counts['done']}  失败 {counts['failed']}")

        try:
            result = store.ingest(paths, jobs=jobs, region=region, agency_map=agency_map, progress=on_item,
                                  on_total=on_total, limits=limits_of(max_memory_mb, timeout_s, no_isolate),
                                  follow_links=follow_links, retry_failed=retry_failed)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"{STATUS_NAMES['added']} {result.added} 份，{STATUS_NAMES['new_version']} {result.new_versions} 份，"
               f"{STATUS_NAMES['unchanged']} {result.unchanged} 份，{STATUS_NAMES['failed']} {len(result.failed)} 份。")
    notes = [item for item in result.items if item.note]
    if notes:
        click.echo("版本说明（当前版本取最可靠的来源：原始文档文本层 > OCR 识别 > 提取的文本）：")
        for item in notes:
            click.echo(f"  {item.path}：{item.note}")
    if result.failed:
        click.echo("以下文件未能入库：", err=True)
        for item in result.failed:
            click.echo(f"  {item.path}：{item.error}", err=True)
        raise SystemExit(2)


COMMANDS = [ingest]
