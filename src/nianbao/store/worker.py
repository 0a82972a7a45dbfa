"""The work done in the ingest worker processes: read, parse, check — no database.

A worker (a child process under :mod:`nianbao.isolate`) returns a :class:`Parsed` (picklable,
plain data); the parent process does every write, one transaction per report.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..checks import run_checks
from ..errors import NianbaoError
from ..extract import extract
from ..ingest import DEFAULT_MAX_BYTES, read_bytes, sniff
from ..ingest import read_file as ingest_read_file
from ..report import Report
from .serialize import report_json
from .sources import EXTRACTED, source_kind


@dataclass(slots=True)
class Parsed:
    path: str
    content_hash: str | None = None
    data: bytes = b""
    form: str = "text"
    source_kind: str = EXTRACTED  # see .sources: which version of a report becomes current
    agency: str | None = None
    year: int | None = None
    template: str | None = None
    report: str = "{}"  # Report JSON, encoded here so the writer does not have to
    cells: list[tuple] = field(default_factory=list)  # CELL_COLUMNS order
    sections: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    error_kind: str | None = None


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_file(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes, or :class:`NianbaoError` with a Chinese reason (the ingesters' own reader)."""
    return ingest_read_file(path, max_bytes=max_bytes)


def parse_path(path: str) -> Parsed:
    """Worker entry point for a file on disk."""
    try:
        data = read_file(path)
    except NianbaoError as exc:
        return Parsed(path, error=exc.reason, error_kind=exc.kind)
    return parse_data(data, path)


def parse_upload(task: tuple[bytes, str]) -> Parsed:
    """Worker entry point for bytes received by the web app: ``(data, display name)``."""
    return parse_data(*task)


def parse_data(data: bytes, name: str) -> Parsed:
    """Parse and check bytes; any failure becomes ``Parsed.error`` (never raised).

    A ``MemoryError`` is the exception: it propagates to the worker wrapper
    (:mod:`nianbao.isolate`), which reports the memory ceiling that was reached.
    """
    out = Parsed(name, content_hash=content_hash(data), data=data)
    try:
        out.form = sniff(data, name)
        doc = read_bytes(data, name)
        report = extract(doc)
        findings = run_checks(report)
    except NianbaoError as exc:
        out.error, out.error_kind = exc.reason, exc.kind
        return out
    except MemoryError:
        raise
    except Exception as exc:  # a bug must not stop a batch of thousands of reports
        out.error, out.error_kind = f"内部错误（请报告此问题）：{type(exc).__name__}: {exc}", "internal"
        return out
    out.form = report.form or out.form
    out.source_kind = source_kind(out.form, doc.meta)
    report.meta["source_kind"] = out.source_kind
    out.agency, out.year, out.template = report.agency, report.year, report.template
    out.report = json.dumps(report_json(report), ensure_ascii=False)
    out.cells = cell_rows(report)
    out.sections = [{"key": s.key, "heading": s.heading, "text": s.text} for s in report.sections.values()]
    out.findings = [{**f.to_dict(), "data": _plain(f.data)} for f in findings]
    return out


CELL_COLUMNS = ("tbl", "row", "col", "value", "number", "raw", "status", "provenance")


def cell_rows(report: Report) -> list[tuple]:
    """One tuple per cell in CELL_COLUMNS order, provenance already JSON-encoded."""
    rows = []
    for ref, v in report.iter_cells():
        tbl, row, col = ref.split(".")
        prov = json.dumps(v.source.as_dict(), ensure_ascii=False) if v.source else None
        rows.append((tbl, row, col, None if v.value is None else str(v.value), _number(v.value), v.raw, v.status,
                     prov))
    return rows


def _number(value: int | str | None) -> float | None:
    if value is None:
        return None
    if isinstance(value, int):
        return float(value)
    try:
        return float(Decimal(value))
    except (InvalidOperation, ValueError):
        return None


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """Finding data as JSON-safe values."""
    out = {}
    for k, v in (data or {}).items():
        out[k] = v if isinstance(v, str | int | float | bool | type(None) | list | dict) else str(v)
    return out
