"""Click options shared by the store commands (no COMMANDS here: this module only helps the others)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

LEVEL_CHOICES = ("province", "city", "county", "township", "department")


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", "db_url", default=None, metavar="URL",
                        help="数据库地址（默认取环境变量 NIANBAO_DB，否则为 sqlite:///nianbao.db）。")(f)


def filter_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--level", type=click.Choice(LEVEL_CHOICES), default=None,
                     help="层级：province 省、city 市、county 县区、township 乡镇街道、department 部门。")(f)
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
