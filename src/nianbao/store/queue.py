"""The review queue: findings across reports, by severity and agency, with their decisions.

Why a query of its own: a reviewer works through one region's open findings, not one report at
a time; the queue filters on the finding (severity, rule, decided or not) and on the agency,
and orders most severe first so the errors are decided before the hints.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from ..checks import ERROR, INFO, WARNING
from .models import Agency, Decision, FindingRecord, ReportRecord
from .queries import _like
from .records import StoredFinding, StoreError

SEVERITIES = (ERROR, WARNING, INFO)


@dataclass(slots=True)
class QueueItem:
    """One finding in the queue, with the report it belongs to."""

    finding: StoredFinding
    agency: str
    year: int
    template: str | None


def _filtered(stmt: Select, *, severity: str | None, agency: str | None, rule: str | None,
              open_only: bool, year: int | None) -> Select:
    if severity:
        if severity not in SEVERITIES:
            raise StoreError(f"无效的严重程度：{severity}（可选：error 错误、warning 警告、info 提示）")
        stmt = stmt.where(FindingRecord.severity == severity)
    if agency:
        stmt = stmt.where(Agency.name.like(_like(agency), escape="\\"))
    if rule:
        stmt = stmt.where(FindingRecord.rule == rule.strip().upper())
    if open_only:
        stmt = stmt.where(Decision.finding_key.is_(None))
    if year is not None:
        stmt = stmt.where(ReportRecord.year == int(year))
    return stmt


def _joined(stmt: Select) -> Select:
    return (stmt.join(ReportRecord, ReportRecord.id == FindingRecord.report_id)
            .join(Agency, Agency.id == ReportRecord.agency_id)
            .outerjoin(Decision, Decision.finding_key == FindingRecord.key))


def queue(s: Session, *, severity: str | None = None, agency: str | None = None, rule: str | None = None,
          open_only: bool = False, year: int | None = None, limit: int | None = None,
          offset: int = 0) -> list[QueueItem]:
    """Findings of the current versions, most severe first, then by agency, year and rule."""
    rank = case({ERROR: 0, WARNING: 1, INFO: 2}, value=FindingRecord.severity, else_=3)
    stmt = _joined(select(FindingRecord, Decision, Agency.name, ReportRecord.year, ReportRecord.template))
    stmt = _filtered(stmt, severity=severity, agency=agency, rule=rule, open_only=open_only, year=year)
    stmt = stmt.order_by(rank, Agency.name, ReportRecord.year.desc(), FindingRecord.rule, FindingRecord.id)
    stmt = stmt.offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    out = []
    for f, d, name, yr, template in s.execute(stmt):
        out.append(QueueItem(_stored(f, d), name, yr, template))
    return out


def count(s: Session, *, severity: str | None = None, agency: str | None = None, rule: str | None = None,
          open_only: bool = False, year: int | None = None) -> int:
    stmt = _joined(select(func.count(FindingRecord.id)))
    stmt = _filtered(stmt, severity=severity, agency=agency, rule=rule, open_only=open_only, year=year)
    return s.scalar(stmt) or 0


def by_key(s: Session, key: str) -> StoredFinding | None:
    row = s.execute(select(FindingRecord, Decision).outerjoin(Decision, Decision.finding_key == FindingRecord.key)
                    .where(FindingRecord.key == key).limit(1)).first()
    if row is None:
        return None
    return _stored(*row)


def _stored(f: FindingRecord, d: Decision | None) -> StoredFinding:
    return StoredFinding(f.key, f.rule, f.defect, f.severity, f.message, list(f.cells or []), f.location,
                         f.other_report_id, d.decision if d else None, d.note if d else None,
                         d.decided_by if d else None, d.decided_at if d else None, f.report_id)
