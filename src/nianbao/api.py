"""The batch-level API the CLI mirrors: results per file, failures kept, never raised."""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .checks import Context, Finding, run_checks
from .errors import NianbaoError
from .extract import extract
from .ingest import DEFAULT_MAX_BYTES, read_document
from .report import Report


@dataclass(slots=True)
class Result:
    """One file's outcome: a report and its findings, or the reason it could not be read."""

    file: str
    report: Report | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    error_kind: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def parse_file(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Report:
    """Read one file into a report (raises :class:`NianbaoError`)."""
    return extract(read_document(path, max_bytes=max_bytes))


def check_report(report: Report, *, rules: Iterable[str] | None = None, context: Context | None = None) -> list[Finding]:
    return run_checks(report, rules=rules, context=context)


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """Files as given; folders recursively (sorted); ``@list.txt`` reads one path per line."""
    for p in paths:
        s = str(p)
        if s.startswith("@") and Path(s[1:]).is_file():
            for line in Path(s[1:]).read_text(encoding="utf-8").splitlines():
                if line.strip() and not line.startswith("#"):
                    yield line.strip()
        elif Path(s).is_dir():
            for f in sorted(Path(s).rglob("*")):
                if f.is_file() and not f.name.startswith(".") and not f.name.endswith(".truth.json"):
                    yield str(f)
        else:
            yield s


def process(paths: Iterable[str | os.PathLike[str]], *, check: bool = True, max_bytes: int = DEFAULT_MAX_BYTES,
            context: Context | None = None) -> Iterator[Result]:
    """Parse (and check) every file; a bad file yields a failed result and the batch goes on."""
    for path in expand_paths(paths):
        try:
            report = parse_file(path, max_bytes=max_bytes)
        except NianbaoError as exc:
            yield Result(path, error=exc.reason, error_kind=exc.kind)
            continue
        except Exception as exc:  # a bug must not stop a batch of hundreds of reports
            yield Result(path, error=f"内部错误（请报告此问题）：{type(exc).__name__}: {exc}", error_kind="internal")
            continue
        findings = run_checks(report, context=context) if check else []
        yield Result(path, report, findings)
