"""The ``nianbao`` command: a thin mirror of the Python API (see :mod:`nianbao.api`)."""
from __future__ import annotations

import json
import sys

import click

from . import __version__
from .api import process
from .checks import ERROR, SEVERITY_NAMES, SEVERITY_ORDER, WARNING, Context
from .commands._limits import follow_links_option, limit_options, limits_of
from .ingest import DEFAULT_MAX_BYTES
from .store.keys import report_finding_keys

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _parse_settings(pairs: tuple[str, ...]) -> dict[str, object]:
    """``("fee_decimals=4",)`` → ``{"fee_decimals": 4}`` (numbers as numbers)."""
    out: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"应为 键=值 的形式：{pair}", param_hint="--set")
        v = value.strip()
        out[key.strip()] = int(v) if v.lstrip("-").isdigit() else v
    return out


def _max_size_option(f):
    return click.option("--max-size", "max_mb", type=float, default=DEFAULT_MAX_BYTES / 1048576, show_default=True,
                        help="单个文件大小上限（MB）。")(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nianbao")
def main() -> None:
    """nianbao：政府信息公开工作年度报告的读取、核查与汇总工具（离线、确定性）。"""


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（多个文件时每行一个 JSON 对象）。")
@click.option("--no-provenance", is_flag=True, help="JSON 中不输出每个单元格的来源位置。")
@_max_size_option
@limit_options
@follow_links_option
def parse(files: tuple[str, ...], as_json: bool, no_provenance: bool, max_mb: float, max_memory_mb: int,
          timeout_s: float, no_isolate: bool, follow_links: bool) -> None:
    """读取年度报告，输出元数据、六个部分和三张统计表。

    FILES 可以是文件、文件夹（递归读取）或 @清单.txt（每行一个路径）。

    \b
    示例：
      nianbao parse 报告.txt
      nianbao parse 报告.pdf --json
      nianbao parse reports/ --json > reports.jsonl
    """
    from .render.text import render_report

    failed = 0
    limits = limits_of(max_memory_mb, timeout_s, no_isolate)
    for result in process(files, check=False, max_bytes=int(max_mb * 1048576), limits=limits,
                          follow_links=follow_links):
        if not result.ok:
            failed += 1
            click.echo(f"错误：{result.file}：{result.error}", err=True)
            if as_json:
                click.echo(_dump({"file": result.file, "error": result.error}))
            continue
        assert result.report is not None
        if as_json:
            d = {"file": result.file, **result.report.to_dict(provenance=not no_provenance)}
            click.echo(_dump(d))
        else:
            click.echo(render_report(result.report, result.file))
    sys.exit(EXIT_UNREADABLE if failed else EXIT_OK)


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式：text（按严重程度分组）或 json（每个文件一个 JSON 对象）。")
@click.option("--set", "settings", multiple=True, metavar="键=值",
              help="本地核查设置，可重复，如 --set fee_decimals=4（收费金额保留小数位数）。")
@_max_size_option
@limit_options
@follow_links_option
def check(files: tuple[str, ...], fmt: str, settings: tuple[str, ...], max_mb: float, max_memory_mb: int,
          timeout_s: float, no_isolate: bool, follow_links: bool) -> None:
    """核查年度报告：勾稽关系、完整性、模板、隐私、收费单位等。

    退出状态：0 无错误级问题；1 至少一个错误级问题；2 有文件无法读取。

    \b
    示例：
      nianbao check 报告.txt
      nianbao check reports/ --format json > findings.jsonl
      nianbao check 报告.pdf --set fee_decimals=4
    """
    any_error = failed = read = with_errors = with_warnings = 0
    context = Context(settings=_parse_settings(settings))
    limits = limits_of(max_memory_mb, timeout_s, no_isolate)
    for result in process(files, check=True, max_bytes=int(max_mb * 1048576), context=context, limits=limits,
                          follow_links=follow_links):
        if not result.ok:
            failed += 1
            if fmt == "json":
                click.echo(_dump({"file": result.file, "error": result.error}))
            click.echo(f"错误：{result.file}：{result.error}", err=True)
            continue
        rep = result.report
        assert rep is not None
        read += 1
        has_error = any(f.severity == ERROR for f in result.findings)
        any_error |= has_error
        with_errors += has_error
        with_warnings += any(f.severity == WARNING for f in result.findings)
        keys = report_finding_keys(rep.agency, rep.year, result.findings)
        if fmt == "json":
            click.echo(_dump({
                "file": result.file,
                "report": {"agency": rep.agency, "year": rep.year, "template": rep.template},
                "findings": [{"key": k, **f.to_dict()} for f, k in zip(result.findings, keys)],
            }))
            continue
        click.echo(f"== {result.file}")
        click.echo(f"   {rep.agency or '（未识别发布机关）'} · {rep.year or '年份不详'}年 · 模板 {rep.template}")
        if not result.findings:
            click.echo("   未发现问题。")
        else:
            counts = "，".join(f"{SEVERITY_NAMES[sev]} {n} 项" for sev in sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.get)
                              if (n := sum(f.severity == sev for f in result.findings)))
            click.echo(f"   {counts}（按表格和行的顺序列出；〔〕内为问题编号，入库后可用 nianbao review 编号 "
                       "--confirm 或 --dismiss 审核）")
        for f, key in zip(result.findings, keys):
            where = f"（第 {f.location.line} 行）" if f.location and f.location.line else ""
            if f.location and f.location.page:
                where = f"（第 {f.location.page} 页）"
            tag = f"〔{key}〕" if key else ""
            click.echo(f"    - 【{SEVERITY_NAMES[f.severity]}】[{f.rule}] {f.message}{where}{tag}")
    if fmt == "text" and read + failed > 1:
        click.echo(f"合计：读取 {read} 份，无法读取 {failed} 份；有错误的 {with_errors} 份，有警告的 {with_warnings} 份。")
    if failed:
        sys.exit(EXIT_UNREADABLE)
    sys.exit(EXIT_FINDINGS if any_error else EXIT_OK)


def _register_command_modules() -> None:
    """Add the commands of every module in :mod:`nianbao.commands` (ingest, summary, export, serve …)."""
    import importlib
    import pkgutil

    from . import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            main.add_command(command)


_register_command_modules()

if __name__ == "__main__":  # pragma: no cover
    main()
