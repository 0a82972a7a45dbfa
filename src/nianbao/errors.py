"""Errors a user sees: one clear line naming the file and the reason, in Chinese."""
from __future__ import annotations


class NianbaoError(Exception):
    """A file could not be read as an annual report. ``reason`` is user-facing (Chinese)."""

    def __init__(self, path: str | None, reason: str, *, kind: str = "unreadable") -> None:
        self.path = path
        self.reason = reason
        self.kind = kind  # machine name: missing, empty, binary, encoding, too_large, unsupported,
        # corrupt, encrypted, missing_tool, not_a_report
        super().__init__(f"{path}: {reason}" if path else reason)


class NotAReportError(NianbaoError):
    """The file was read, but it is not a 政府信息公开工作年度报告 (or is a pre-2019 one)."""

    def __init__(self, path: str | None, reason: str) -> None:
        super().__init__(path, reason, kind="not_a_report")
