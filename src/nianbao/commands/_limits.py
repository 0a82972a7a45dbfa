"""Options shared by every command that parses untrusted files: the worker ceilings and links."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ..isolate import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, ParseLimits


def limit_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--max-memory``, ``--timeout``, ``--no-isolate`` (the command turns them into :func:`limits_of`)."""
    f = click.option("--no-isolate", is_flag=True,
                     help="在主进程内解析（不使用子进程，也不设内存和时间上限；仅用于调试）。")(f)
    f = click.option("--timeout", "timeout_s", type=click.FloatRange(0), default=DEFAULT_SECONDS, show_default=True,
                     help="单个文件的解析时间上限（秒，0 表示不限）；超时的文件记为失败，其余文件继续。")(f)
    f = click.option("--max-memory", "max_memory_mb", type=click.IntRange(0), default=DEFAULT_MEMORY_MB,
                     show_default=True,
                     help="单个文件解析进程的内存上限（MB，0 表示不限）；超限的文件记为失败，其余文件继续。")(f)
    return f


def limits_of(max_memory_mb: int, timeout_s: float, no_isolate: bool) -> ParseLimits:
    return ParseLimits(memory_mb=max_memory_mb or None, seconds=timeout_s or None, isolate=not no_isolate)


def follow_links_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--follow-links", is_flag=True,
                        help="读取文件夹时也跟随指向文件夹之外的符号链接（默认跳过并列出）。")(f)
