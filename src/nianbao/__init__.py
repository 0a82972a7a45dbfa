"""nianbao — read, check and summarize 政府信息公开工作年度报告.

The Python API the CLI mirrors::

    import nianbao
    report = nianbao.parse("report.pdf")        # the typed report
    findings = nianbao.check("report.pdf")      # its findings
    doc = nianbao.read_document("report.html")  # the normalized document only
"""
from __future__ import annotations

import os

from .checks import Finding, run_checks
from .document import Document
from .errors import NianbaoError, NotAReportError
from .extract import extract
from .ingest import read_bytes, read_document
from .report import Report

__version__ = "0.1.0"
__all__ = ["Document", "NianbaoError", "NotAReportError", "Report", "check", "check_report", "extract", "parse",
           "parse_bytes", "read_document", "read_bytes", "__version__"]


def parse(path: str | os.PathLike[str]) -> Report:
    """Read the report at *path* (any supported form) into a typed :class:`Report`."""
    return extract(read_document(path))


def check(path: str | os.PathLike[str]) -> list[Finding]:
    """Parse the report at *path* and return its findings, most severe first."""
    return run_checks(parse(path))


def check_report(report: Report) -> list[Finding]:
    """The findings for a report already parsed."""
    return run_checks(report)


def parse_bytes(data: bytes, name: str | None = None) -> Report:
    """Like :func:`parse`, for bytes already in memory (uploads)."""
    return extract(read_bytes(data, name))
