"""The ``nianbao`` command: a thin mirror of the Python API (see :mod:`nianbao.api`)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__, click_zh
from .api import Result, expand_paths, process
from .checks import ERROR, SEVERITY_NAMES, SEVERITY_ORDER, WARNING, Context, run_checks
from .ingest import DEFAULT_MAX_BYTES

click_zh.install()
EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


def _is_zip_archive(path: str) -> bool:
    """A .zip of reports (not a DOCX, which is a zip too)."""
    import zipfile

    try:
        with open(path, "rb") as fh:
            if fh.read(4) != b"PK\x03\x04":
                return False
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (OSError, zipfile.BadZipFile):
        return False
    return "word/document.xml" not in names and "[Content_Types].xml" not in names


def _zip_results(path: str, *, check: bool, max_bytes: int, context: Context | None):
    """Each member of a zip read like the web upload reads it (same caps, nested zips refused)."""
    from .errors import NianbaoError
    from .extract import extract
    from .ingest import read_bytes
    from .web.uploads import Limits, UploadRefused, _expand_zip

    try:
        data = Path(path).read_bytes()
        items = _expand_zip(path, data, Limits(max_file_bytes=max_bytes), room=100_000)
    except (OSError, UploadRefused) as exc:
        yield Result(path, error=getattr(exc, "reason", None) or f"无法读取压缩包：{exc}", error_kind="zip")
        return
    for item in items:
        if item.error or item.data is None:
            yield Result(item.name, error=item.error or "无法读取", error_kind="zip")
            continue
        try:
            report = extract(read_bytes(item.data, item.name))
        except NianbaoError as exc:
            yield Result(item.name, error=exc.reason, error_kind=exc.kind)
            continue
        except Exception as exc:  # a bug must not stop a batch
            yield Result(item.name, error=f"内部错误（请报告此问题）：{type(exc).__name__}: {exc}", error_kind="internal")
            continue
        yield Result(item.name, report, run_checks(report, context=context) if check else [])


def _results(files: tuple[str, ...], *, check: bool, max_bytes: int, context: Context | None = None,
             progress: bool = False):
    """Every file's result, zips read member by member; a rich progress bar on stderr when asked."""
    paths = list(expand_paths(files))
    bar = None
    if progress:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        bar.start()
        task = bar.add_task("读取与核查", total=len(paths))
    try:
        for path in paths:
            if bar is not None:
                bar.update(task, description=f"读取与核查（扫描件需文字识别，较慢）：{path[-40:]}")
            if _is_zip_archive(path):
                yield from _zip_results(path, check=check, max_bytes=max_bytes, context=context)
            else:
                yield from process([path], check=check, max_bytes=max_bytes, context=context)
            if bar is not None:
                bar.advance(task)
    finally:
        if bar is not None:
            bar.stop()


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
def parse(files: tuple[str, ...], as_json: bool, no_provenance: bool, max_mb: float) -> None:
    """读取年度报告，输出元数据、六个部分和三张统计表。

    FILES 可以是文件、文件夹（递归读取）、.zip 压缩包（逐个读取其中的文件）或 @清单.txt（每行一个路径）。

    \b
    示例：
      nianbao parse 报告.txt
      nianbao parse 报告.pdf --json
      nianbao parse reports/ --json > reports.jsonl
    """
    from .render.text import render_report

    failed = 0
    for result in _results(files, check=False, max_bytes=int(max_mb * 1048576)):
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
def check(files: tuple[str, ...], fmt: str, settings: tuple[str, ...], max_mb: float) -> None:
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
    from .store.agencies import identify

    for result in _results(files, check=True, max_bytes=int(max_mb * 1048576), context=context,
                           progress=sys.stderr.isatty()):
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
        identity = identify(rep.agency).name if rep.agency else None
        if fmt == "json":
            click.echo(_dump({
                "file": result.file,
                "report": {"agency": rep.agency, "agency_identity": identity, "year": rep.year,
                           "template": rep.template},
                "findings": [f.to_dict() for f in result.findings],
            }))
            continue
        click.echo(f"== {result.file}")
        # the name the store and the web app file the report under, beside the name the report prints
        shown = rep.agency or "（未识别发布机关）"
        if identity and identity != rep.agency:
            shown = f"{identity}（报告所署：{rep.agency}）"
        click.echo(f"   {shown} · {rep.year or '年份不详'}年 · 模板 {rep.template}")
        if not result.findings:
            click.echo("   未发现问题。")
        for sev in sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.get):
            group = [f for f in result.findings if f.severity == sev]
            if not group:
                continue
            click.echo(f"   【{SEVERITY_NAMES[sev]}】{len(group)} 项")
            for f in group:
                where = f"（第 {f.location.line} 行）" if f.location and f.location.line else ""
                if f.location and f.location.page:
                    where = f"（第 {f.location.page} 页）"
                click.echo(f"    - [{f.rule}] {f.message}{where}")
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
click_zh.localize_usage(main)

if __name__ == "__main__":  # pragma: no cover
    main()
