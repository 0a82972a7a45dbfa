"""Checks: a registry of rules, each a small function that turns a report into findings.

A rule is registered with :func:`rule`::

    @rule("T3-COLUMN-BALANCE", defect="D-10", severity="error")
    def column_balance(report: Report, ctx: Context) -> Iterator[Finding]:
        '''B1: 本年新收 + 上年结转 = 办理结果总计 + 结转下年度, per column.'''
        ...

The built-in rules live in the modules imported at the bottom of this file; they
register exactly like a province's local rules would (see :mod:`.local`).
Rules read the template data (:mod:`nianbao.templates`), never hard-coded labels.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..document import Source
from ..report import Report

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
SEVERITY_NAMES = {ERROR: "错误", WARNING: "警告", INFO: "提示"}


@dataclass(slots=True)
class Finding:
    rule: str
    severity: str
    message: str  # Chinese, names the table, row and column and the values involved
    defect: str | None = None  # FORMAT.md section D id
    cells: list[str] = field(default_factory=list)  # table.row.column
    location: Source | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "defect": self.defect,
            "severity": self.severity,
            "cells": list(self.cells),
            "message": self.message,
            "location": self.location.as_dict() if self.location else None,
        }


@dataclass(slots=True)
class Context:
    """What a rule may know beyond the report: local settings (e.g. fee decimals)."""

    settings: dict[str, Any] = field(default_factory=dict)


RuleFunc = Callable[[Report, Context], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    defect: str | None
    severity: str  # the default severity of its findings
    func: RuleFunc
    doc: str


REGISTRY: dict[str, Rule] = {}


def rule(rule_id: str, *, defect: str | None = None, severity: str = WARNING) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under a stable id."""

    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in REGISTRY:
            raise ValueError(f"rule {rule_id} registered twice")
        REGISTRY[rule_id] = Rule(rule_id, defect, severity, func, (func.__doc__ or "").strip())
        return func

    return register


def run_checks(report: Report, *, rules: Iterable[str] | None = None, context: Context | None = None) -> list[Finding]:
    """All findings for *report* in the order a reviewer reads the report: by table and row
    (template order; findings about the whole report or a section first, by section), then
    most severe first, then by source position."""
    ctx = context or Context()
    selected = [REGISTRY[r] for r in rules] if rules is not None else list(REGISTRY.values())
    findings: list[Finding] = []
    for r in selected:
        for f in r.func(report, ctx):
            if f.defect is None:
                f.defect = r.defect
            findings.append(f)
    from ._common import finding_position

    findings.sort(key=lambda f: (finding_position(report, f), SEVERITY_ORDER[f.severity],
                                 (f.location.line or 0) if f.location else 0))
    return findings


def iter_rules() -> Iterator[Rule]:
    return iter(sorted(REGISTRY.values(), key=lambda r: r.id))


def _load_builtin_rules() -> None:
    """Import every module of this package: the built-in rules register themselves on import."""
    import importlib
    import pkgutil

    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        importlib.import_module(f"{__name__}.{info.name}")


_load_builtin_rules()
