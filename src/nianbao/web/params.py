"""Request parameters, validated before they reach the store: ids, years, levels, orders, paging.

Python integers are unbounded but database columns are not (PostgreSQL ``integer`` ends at 2^31−1,
SQLite at 2^63−1): an unchecked ``?year=9223372036854775808`` used to surface as a plain-text 500.
Every numeric parameter therefore carries bounds, every closed set (order, level) is checked, and a
bad value is answered 422 with a Chinese reason naming the parameter (JSON under /api, a page
elsewhere) by the handlers in :mod:`.app`.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path, Query

from .contract import LEVEL_NAMES, LEVELS

MAX_ID = 2**31 - 1  # the largest value of an Integer column on every backend
MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_TEXT = 200  # a search term or a region name

ReportId = Annotated[int, Path(ge=1, le=MAX_ID, description="报告编号")]
AgencyId = Annotated[int, Path(ge=1, le=MAX_ID, description="发布机关编号")]
Order = Literal["agency", "year", "findings", "ingested"]
ORDER_NAMES = {"agency": "发布机关", "year": "年度", "findings": "问题数", "ingested": "读入时间"}
Text = Annotated[str | None, Query(max_length=MAX_TEXT)]


class BadParameter(Exception):
    """A parameter the routes check themselves (free-text forms); answered 422 like a validation error."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name, self.reason = name, reason

    @property
    def message(self) -> str:
        return f"参数 {self.name} 无效：{self.reason}"


def year_param(value: str | None, name: str = "year") -> int | None:
    """A year from a form field: empty means 'any year'; otherwise four digits within bounds."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise BadParameter(name, f"年度应为 {MIN_YEAR}–{MAX_YEAR} 之间的四位数字，如 2022")
    return int(text)


def level_param(value: str | None, name: str = "level") -> str | None:
    if value is None or not value.strip():
        return None
    if value not in LEVELS:
        raise BadParameter(name, "层级应为 " + "、".join(f"{k}（{LEVEL_NAMES[k]}）" for k in LEVELS))
    return value


# ------------------------------------------------------------------ FastAPI's validation errors in Chinese
_REASONS = {
    "int_parsing": "应为整数", "int_type": "应为整数", "bool_parsing": "应为 true 或 false",
    "missing": "缺少此参数", "string_type": "应为文本", "json_invalid": "JSON 格式错误",
    "model_attributes_type": "应为 JSON 对象", "dict_type": "应为 JSON 对象", "too_long": "过长",
    "float_parsing": "应为数字",
}


def _reason(error: dict[str, Any]) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "less_than_equal":
        return f"应不大于 {ctx.get('le')}"
    if kind == "greater_than_equal":
        return f"应不小于 {ctx.get('ge')}"
    if kind == "string_too_long":
        return f"最长 {ctx.get('max_length')} 个字符"
    if kind == "literal_error":
        return f"可选值：{ctx.get('expected', '')}".replace("'", "")
    return _REASONS.get(kind, "格式不正确")


def describe_errors(errors: list[dict[str, Any]]) -> str:
    """One Chinese line naming each bad parameter, e.g. ``参数 year 无效：应不大于 2100``."""
    parts = []
    for e in errors:
        loc = [str(p) for p in e.get("loc", ()) if p not in ("query", "path", "body", "form", "header", "cookie")]
        name = ".".join(loc) or "请求体"
        parts.append(f"参数 {name} 无效：{_reason(e)}")
    return "；".join(dict.fromkeys(parts)) or "请求参数无效"
