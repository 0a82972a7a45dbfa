"""Click options shared by the store commands (no COMMANDS here: this module only helps the others)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

LEVEL_CHOICES = ("province", "city", "county", "township", "zone", "department")


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", "db_url", default=None, metavar="URL",
                        help="数据库地址（默认取环境变量 NIANBAO_DB，否则为 sqlite:///nianbao.db）。")(f)


def filter_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--level", type=click.Choice(LEVEL_CHOICES), default=None,
                     help="层级：province 省、city 市、county 县区、township 乡镇街道、zone 功能区（开发区、实验区、片区）、department 部门。")(f)
    f = click.option("--year", type=int, default=None, help="报告年度，如 2022。")(f)
    f = click.option("--region", default=None, help="地区（名称包含即可，如 洛阳市）。")(f)
    return f


def open_store(db_url: str | None):
    """Open the store; any failure becomes one Chinese line."""
    from ..store import Store, StoreError

    try:
        return Store(db_url)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


class StoreMissing(click.ClickException):
    """A read-only command pointed at a database that is not there: exit 2, like unreadable input."""

    exit_code = 2


def open_existing_store(db_url: str | None):
    """Open a store that must exist already (summary, export, agencies list): a missing or mistyped SQLite
    file is an error, never a new empty database."""
    from ..store.db import resolve_url

    url = resolve_url(db_url)
    if url.startswith("sqlite"):
        from sqlalchemy.engine import make_url

        path = make_url(url).database
        if path and path != ":memory:":
            from pathlib import Path

            if not Path(path).is_file():
                raise StoreMissing(f"数据库文件不存在：{path}（请检查 --db 或 NIANBAO_DB；先用 nianbao ingest 导入报告）")
            with Path(path).open("rb") as fh:
                if fh.read(16) != b"SQLite format 3\x00":
                    raise StoreMissing(f"{path} 不是 nianbao 数据库（不是 SQLite 文件）")
    try:
        return open_store(db_url)
    except click.ClickException as exc:
        raise StoreMissing(exc.message) from exc
