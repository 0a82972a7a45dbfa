"""Read queries: report lists, one stored report, agencies, findings (plain records out)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from ..checks import ERROR, INFO, SEVERITY_ORDER, WARNING
from .models import Agency, Decision, FindingRecord, ReportRecord, ReportVersion
from .records import AgencyRow, ReportRow, SourceVersion, StoredFinding, StoredReport, StoreError
from .serialize import report_from_json
from .sources import describe, version_kind


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def filter_reports(stmt: Select, *, region: str | None = None, year: int | None = None, level: str | None = None,
                   agency_id: int | None = None, q: str | None = None) -> Select:
    """Apply the common filters (the statement must join Agency and ReportVersion)."""
    if region:
        stmt = stmt.where(Agency.region.like(_like(region), escape="\\"))
    if year is not None:
        stmt = stmt.where(ReportRecord.year == int(year))
    if level:
        stmt = stmt.where(Agency.level == level)
    if agency_id is not None:
        stmt = stmt.where(ReportRecord.agency_id == agency_id)
    if q:
        stmt = stmt.where(or_(Agency.name.like(_like(q), escape="\\"),
                              ReportVersion.file_name.like(_like(q), escape="\\")))
    return stmt


def selected_ids(**filters: Any) -> Select:
    """The ids of the reports the filters select (current versions only, by construction)."""
    stmt = (select(ReportRecord.id).join(Agency, Agency.id == ReportRecord.agency_id)
            .join(ReportVersion, ReportVersion.id == ReportRecord.current_version_id))
    return filter_reports(stmt, **filters)


def _finding_counts():
    """Per report: errors, warnings, infos — dismissed findings do not count."""
    live = or_(Decision.decision.is_(None), Decision.decision != "dismissed")
    return (select(FindingRecord.report_id.label("rid"),
                   *[func.sum(case((and_(FindingRecord.severity == sev, live), 1), else_=0)).label(f"n_{sev}")
                     for sev in (ERROR, WARNING, INFO)])
            .outerjoin(Decision, Decision.finding_key == FindingRecord.key)
            .group_by(FindingRecord.report_id).subquery())


_ORDERS = {
    "agency": lambda c: (Agency.name, ReportRecord.year.desc()),
    "year": lambda c: (ReportRecord.year, Agency.name),
    "-year": lambda c: (ReportRecord.year.desc(), Agency.name),
    "findings": lambda c: (func.coalesce(c.n_error, 0).desc(), func.coalesce(c.n_warning, 0).desc(),
                           func.coalesce(c.n_info, 0).desc(), Agency.name, ReportRecord.year),
    "ingested": lambda c: (ReportVersion.ingested_at.desc(), ReportRecord.id.desc()),
    "region": lambda c: (Agency.region, Agency.name, ReportRecord.year),
}


def _row_select(c) -> Select:
    return (select(ReportRecord.id, ReportRecord.agency_id, Agency.name, Agency.region, Agency.level,
                   ReportRecord.year, ReportRecord.template, ReportVersion.file_name, ReportVersion.form,
                   ReportVersion.ingested_at, ReportVersion.version,
                   func.coalesce(c.c.n_error, 0), func.coalesce(c.c.n_warning, 0), func.coalesce(c.c.n_info, 0))
            .join(Agency, Agency.id == ReportRecord.agency_id)
            .join(ReportVersion, ReportVersion.id == ReportRecord.current_version_id)
            .outerjoin(c, c.c.rid == ReportRecord.id))


def _rows(s: Session, stmt: Select) -> list[ReportRow]:
    return [ReportRow(*r[:11], int(r[11]), int(r[12]), int(r[13])) for r in s.execute(stmt)]


def report_rows(s: Session, *, order: str = "agency", limit: int | None = None, offset: int = 0,
                **filters: Any) -> list[ReportRow]:
    if order not in _ORDERS:
        raise StoreError(f"不支持的排序方式：{order}（可选：{'、'.join(_ORDERS)}）")
    c = _finding_counts()
    stmt = filter_reports(_row_select(c), **filters).order_by(*_ORDERS[order](c.c), ReportRecord.id).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return _rows(s, stmt)


def count_reports(s: Session, **filters: Any) -> int:
    return s.scalar(select(func.count()).select_from(selected_ids(**filters).subquery())) or 0


def findings_of(s: Session, report_ids: list[int] | None = None) -> list[StoredFinding]:
    stmt = (select(FindingRecord, Decision).outerjoin(Decision, Decision.finding_key == FindingRecord.key))
    if report_ids is not None:
        stmt = stmt.where(FindingRecord.report_id.in_(report_ids))
    out = [StoredFinding(f.key, f.rule, f.defect, f.severity, f.message, list(f.cells or []), f.location,
                         f.other_report_id, d.decision if d else None, d.note if d else None,
                         d.decided_by if d else None, d.decided_at if d else None, f.report_id)
           for f, d in s.execute(stmt)]
    out.sort(key=lambda f: (f.report_id or 0, SEVERITY_ORDER.get(f.severity, 9), f.rule, f.key))
    return out


def stored_report(s: Session, report_id: int) -> StoredReport | None:
    found = _rows(s, _row_select(_finding_counts()).where(ReportRecord.id == report_id))
    if not found:
        return None
    rep = s.get(ReportRecord, report_id)
    version = s.get(ReportVersion, rep.current_version_id) if rep and rep.current_version_id else None
    if version is None:
        return None
    rows = s.execute(select(ReportVersion.id, ReportVersion.version, ReportVersion.content_hash,
                            ReportVersion.ingested_at, ReportVersion.form, ReportVersion.file_name)
                     .where(ReportVersion.report_id == report_id).order_by(ReportVersion.version)).all()
    versions = [(r.version, r.content_hash, r.ingested_at) for r in rows]
    sources = []
    for r in rows:
        rj = version.report_json if r.id == version.id else s.scalar(
            select(ReportVersion.report_json).where(ReportVersion.id == r.id))
        kind = version_kind(r.form, rj)
        sources.append(SourceVersion(r.version, r.form, kind, describe(kind, r.form), r.file_name, r.ingested_at,
                                     r.id == version.id))
    return StoredReport(found[0], report_from_json(version.report_json), findings_of(s, [report_id]),
                        version.file_name, bytes(version.source), versions, sources)


def agency_rows(s: Session, *, region: str | None = None, level: str | None = None, q: str | None = None,
                agency_id: int | None = None) -> list[AgencyRow]:
    stmt = select(Agency.id, Agency.name, Agency.region, Agency.level, ReportRecord.year).outerjoin(
        ReportRecord, ReportRecord.agency_id == Agency.id)
    if region:
        stmt = stmt.where(Agency.region.like(_like(region), escape="\\"))
    if level:
        stmt = stmt.where(Agency.level == level)
    if q:
        stmt = stmt.where(Agency.name.like(_like(q), escape="\\"))
    if agency_id is not None:
        stmt = stmt.where(Agency.id == agency_id)
    out: dict[int, AgencyRow] = {}
    for aid, name, reg, lvl, year in s.execute(stmt.order_by(Agency.name, Agency.id, ReportRecord.year)):
        row = out.setdefault(aid, AgencyRow(aid, name, reg, lvl, 0, []))
        if year is not None:
            row.years.append(year)
            row.n_reports += 1
    return list(out.values())
