"""The plain records the store hands out (contract: docs/STORE_API.md).

They are dataclasses, not ORM objects, so callers (CLI, web app) never hold a
session open and never trigger lazy loads after the session is gone.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from ..report import Report

ADDED, UNCHANGED, NEW_VERSION, FAILED = "added", "unchanged", "new_version", "failed"
STATUS_NAMES = {ADDED: "新增", UNCHANGED: "未变化", NEW_VERSION: "新版本", FAILED: "失败"}
LEVELS = ("province", "city", "county", "township", "zone", "department")
LEVEL_NAMES = {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇级",
               "zone": "功能区", "department": "部门"}
ROLES = ("viewer", "reviewer", "admin")
DECISIONS = ("confirmed", "dismissed")


class StoreError(ValueError):
    """A request the store cannot satisfy; ``str(exc)`` is one Chinese line for the user."""


@dataclass(slots=True)
class IngestItem:
    path: str
    status: str  # added | unchanged | new_version | failed
    report_id: int | None = None
    version_id: int | None = None
    error: str | None = None
    agency: str | None = None
    year: int | None = None
    current: bool = True  # False: stored as a version, but a more trustworthy source stays current
    note: str | None = None  # which version is current and why (new versions only)
    source: str | None = None  # the source kind of the current version (store.sources: layer | ocr | text)

    @property
    def name(self) -> str:
        return self.path


@dataclass(slots=True)
class IngestSummary:
    added: int = 0
    unchanged: int = 0
    new_versions: int = 0
    failed: list[IngestItem] = field(default_factory=list)
    items: list[IngestItem] = field(default_factory=list)

    def count(self, item: IngestItem) -> None:
        self.items.append(item)
        if item.status == ADDED:
            self.added += 1
        elif item.status == UNCHANGED:
            self.unchanged += 1
        elif item.status == NEW_VERSION:
            self.new_versions += 1
        else:
            self.failed.append(item)


@dataclass(slots=True)
class ReportRow:
    id: int
    agency_id: int
    agency: str
    region: str | None
    level: str
    year: int
    template: str | None
    file_name: str
    form: str
    ingested_at: datetime
    version: int
    n_error: int = 0
    n_warning: int = 0
    n_info: int = 0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["ingested_at"] = self.ingested_at.isoformat()
        return d


@dataclass(slots=True)
class StoredFinding:
    key: str
    rule: str
    defect: str | None
    severity: str
    message: str
    cells: list[str]
    location: dict | None
    other_report_id: int | None
    decision: str | None = None
    decision_note: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    report_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["decided_at"] = self.decided_at.isoformat() if self.decided_at else None
        return d


@dataclass(slots=True)
class SourceVersion:
    """One stored version of a report and how trustworthy its source is (see store.sources)."""

    version: int
    form: str
    kind: str  # layer | ocr | text
    label: str  # e.g. "PDF（原始文档文本层）"
    file_name: str
    ingested_at: datetime
    current: bool


@dataclass(slots=True)
class StoredReport:
    row: ReportRow
    report: Report
    findings: list[StoredFinding]
    source_name: str
    source_bytes: bytes
    versions: list[tuple[int, str, datetime]]
    sources: list[SourceVersion] = field(default_factory=list)  # every version, oldest first

    @property
    def current_source(self) -> SourceVersion | None:
        """The version whose values are shown and summed: the most trustworthy source stored."""
        return next((s for s in self.sources if s.current), None)


@dataclass(slots=True)
class AgencyRow:
    id: int
    name: str
    region: str | None
    level: str
    n_reports: int
    years: list[int]


@dataclass(slots=True)
class FailureRow:
    path: str
    reason: str
    at: datetime


@dataclass(slots=True)
class UserRow:
    id: int
    username: str
    password_hash: str
    role: str
    created_at: datetime


@dataclass(slots=True)
class AuditRow:
    """One line of the audit log (``Store.audit``)."""

    at: datetime
    event: str
    username: str | None
    address: str | None
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "event": self.event, "username": self.username,
                "address": self.address, "detail": self.detail}


@dataclass(slots=True)
class ThrottleState:
    """Recent sign-in failures (``Store.login_failures``): per account since its last success, per address."""

    account_failures: int
    account_last: datetime | None
    address_failures: int
    address_last: datetime | None


@dataclass(slots=True)
class Summary:
    n_reports: int
    active: dict[str, dict[str, int | float]]
    applications: dict[str, list[int]]
    review_litigation: dict[str, list[int]]
    missing: list[str]
    indicators: dict[str, Any]
    ranking: list[tuple[ReportRow, int, int]]
    blanks: dict[str, int] = field(default_factory=dict)  # blank/placeholder cells per table (not counted as 0)
    filters: dict[str, Any] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)
    template: str | None = None  # the one template whose reports are summed
    notes: list[str] = field(default_factory=list)  # what the reader must know (Chinese): templates left out …
    has_register: bool = False  # whether ``missing`` comes from an agency register

    def value(self, ref: str) -> Any:
        """The summed value at ``table.row.column`` (None where nothing was summed): the lookup
        :func:`nianbao.render.layout.report_grids` takes to lay a 汇总 out as the official tables."""
        from ..templates import APPLICANT_KEYS, OUTCOME_KEYS

        table, row, col = ref.split(".")
        if table == "active":
            return (self.active.get(row) or {}).get(col)
        vals = (self.applications if table == "applications" else self.review_litigation).get(row)
        keys = APPLICANT_KEYS if table == "applications" else OUTCOME_KEYS
        return vals[keys.index(col)] if vals else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "filters": self.filters,
            "n_reports": self.n_reports,
            "years": self.years,
            "template": self.template,
            "notes": self.notes,
            "has_register": self.has_register,
            "active": self.active,
            "applications": self.applications,
            "review_litigation": self.review_litigation,
            "blanks": self.blanks,
            "missing": self.missing,
            "indicators": self.indicators,
            "ranking": [{**row.to_dict(), "n_error": e, "n_warning": w} for row, e, w in self.ranking],
        }
