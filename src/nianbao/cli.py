"""The ``nianbao`` command: a thin mirror of the Python API (see :mod:`nianbao.api`)."""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from . import __version__, click_zh
from .api import Result, iter_inputs, process
from .checks import ERROR, SEVERITY_NAMES, SEVERITY_ORDER, WARNING, Context
from .commands._limits import follow_links_option, limit_options, limits_of
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


MAX_ZIP_MEMBERS = 2000  # files one zip may bring (the web upload's own limit is set per request)


def _zip_results(path: str, *, check: bool, max_bytes: int, context: Context | None, limits) -> Iterator[Result]:
    """Each member of a zip of reports, read like any file (in a child process, under the same limits):
    members are copied to a private temporary folder first, each capped at *max_bytes* while it is
    copied (a declared size is not trusted); nested zips are refused."""
    import shutil
    import tempfile
    import zipfile

    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        yield Result(path, error=f"无法读取压缩包：{exc}", error_kind="zip")
        return
    with zf, tempfile.TemporaryDirectory(prefix="nianbao-zip-") as tmp:
        members = [m for m in zf.infolist() if not m.is_dir()]
        if len(members) > MAX_ZIP_MEMBERS:
            yield Result(path, error=f"压缩包内文件过多（{len(members)} 个，上限 {MAX_ZIP_MEMBERS} 个）",
                         error_kind="too_large")
            return
        names: dict[str, str] = {}
        for i, m in enumerate(members):
            label = f"{path}/{m.filename}"
            if m.filename.lower().endswith(".zip"):
                yield Result(label, error="压缩包中嵌套的压缩包不予读取", error_kind="zip")
                continue
            target = Path(tmp) / f"{i}{Path(m.filename).suffix[:10]}"
            try:
                with zf.open(m) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(_capped(src, max_bytes), dst)
            except _TooLarge:
                yield Result(label, error=f"文件超过大小上限（{max_bytes / 1048576:g} MB）", error_kind="too_large")
                continue
            except (OSError, zipfile.BadZipFile, EOFError, RuntimeError, NotImplementedError) as exc:
                yield Result(label, error=f"压缩包内文件损坏，无法解压：{exc}", error_kind="zip")
                continue
            names[str(target)] = label
        for result in process(list(names), check=check, max_bytes=max_bytes, context=context, limits=limits):
            result.file = names.get(result.file, result.file)
            yield result


class _TooLarge(Exception):
    pass


class _capped:
    """A file object that refuses to give more than *limit* bytes."""

    def __init__(self, src, limit: int) -> None:
        self.src, self.left = src, limit

    def read(self, n: int = -1) -> bytes:
        data = self.src.read(65536 if n is None or n < 0 else min(n, 65536))
        self.left -= len(data)
        if self.left < 0:
            raise _TooLarge
        return data


def _results(files: tuple[str, ...], *, check: bool, max_bytes: int, context: Context | None = None,
             limits=None, follow_links: bool = False, progress: bool = False) -> Iterator[Result]:
    """Every file's result (a zip member by member); a rich progress bar on stderr when asked.

    Plain files go to :func:`nianbao.api.process` together (a few per child process); a progress bar
    asks for one at a time so that it can say which file (a scan's OCR is slow)."""
    from .isolate import DEFAULT_LIMITS

    limits = limits or DEFAULT_LIMITS
    inputs = list(iter_inputs(files, follow_links=follow_links))
    bar = task = None
    if progress:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        bar.start()
        task = bar.add_task("读取与核查", total=len(inputs))
    try:
        batch: list = []

        def flush() -> Iterator[Result]:
            if batch:
                yield from process(list(batch), check=check, max_bytes=max_bytes, context=context, limits=limits,
                                   follow_links=True)
                batch.clear()

        for item in inputs:
            if isinstance(item, str) and _is_zip_archive(item):
                yield from flush()
                yield from _zip_results(item, check=check, max_bytes=max_bytes, context=context, limits=limits)
            elif not isinstance(item, str):
                yield from flush()
                yield Result(item.path, error=item.reason, error_kind=item.kind)
            else:
                batch.append(item)
                if bar is None:
                    continue
                bar.update(task, description=f"读取与核查（扫描件需文字识别，较慢）：{item[-40:]}")
                yield from flush()
            if bar is not None:
                bar.advance(task)
        yield from flush()
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
@limit_options
@follow_links_option
def parse(files: tuple[str, ...], as_json: bool, no_provenance: bool, max_mb: float, max_memory_mb: int,
          timeout_s: float, no_isolate: bool, follow_links: bool) -> None:
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
    limits = limits_of(max_memory_mb, timeout_s, no_isolate)
    for result in _results(files, check=False, max_bytes=int(max_mb * 1048576), limits=limits,
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
    from .store.agencies import identify
    from .store.keys import report_finding_keys

    limits = limits_of(max_memory_mb, timeout_s, no_isolate)
    for result in _results(files, check=True, max_bytes=int(max_mb * 1048576), context=context, limits=limits,
                           follow_links=follow_links, progress=sys.stderr.isatty()):
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
        identity = identify(rep.agency).name if rep.agency else None
        if fmt == "json":
            click.echo(_dump({
                "file": result.file,
                "report": {"agency": rep.agency, "agency_identity": identity, "year": rep.year,
                           "template": rep.template},
                "findings": [{"key": k, **f.to_dict()} for f, k in zip(result.findings, keys)],
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
click_zh.localize_usage(main)

if __name__ == "__main__":  # pragma: no cover
    main()
