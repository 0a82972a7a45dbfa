"""Read-only aggregate queries the corpus charts need and the store API does not offer (yet).

``Store.summary`` sums one filter at a time; the charts want per-year and per-region series. Calling
``summary`` once per year would repeat the whole aggregation for each year, so these two grouped
queries read the store's tables directly — read-only, and against the store's own models, so a
schema change there shows up here as an import or attribute error, not as silently wrong numbers.
Cells exist for the current version of a report only, so nothing is counted twice.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..store.models import Agency, CellRecord, Decision, FindingRecord, ReportRecord, ReportVersion
from ..store.queries import selected_ids

# (table, row, column) of the values drawn as trends, by template key.
TREND_CELLS: tuple[tuple[str, str, str], ...] = (
    ("applications", "new", "total"),
    ("applications", "processed_total", "total"),
    ("applications", "granted", "total"),
    ("review_litigation", "review", "total"),
    ("review_litigation", "litigation_direct", "total"),
    ("review_litigation", "litigation_after_review", "total"),
)


def engine_of(store: Any) -> Any:
    """The store's SQLAlchemy engine, under whichever attribute the store keeps it."""
    for name in ("engine", "_engine"):
        engine = getattr(store, name, None)
        if engine is not None:
            return engine
    raise AttributeError("store has no engine")


def _filtered(stmt: Any, region: str | None, year: int | None, level: str | None) -> Any:
    """Restrict to the reports the store's own filters select (same semantics as ``Store.reports``)."""
    filters = {k: v for k, v in (("region", region), ("year", year), ("level", level)) if v not in (None, "")}
    return stmt.where(ReportRecord.id.in_(selected_ids(**filters))) if filters else stmt


def year_trends(store: Any, *, region: str | None = None, year: int | None = None,
                level: str | None = None) -> dict[str, Any]:
    """Per year: number of reports and the sums of :data:`TREND_CELLS` (printed numbers only)."""
    counts = _filtered(select(ReportRecord.year, func.count(ReportRecord.id))
                       .join(Agency, Agency.id == ReportRecord.agency_id), region, year, level)
    counts = counts.group_by(ReportRecord.year).order_by(ReportRecord.year)
    sums = (select(ReportRecord.year, CellRecord.tbl, CellRecord.row, CellRecord.col, func.sum(CellRecord.number))
            .join(ReportRecord, ReportRecord.id == CellRecord.report_id)
            .join(Agency, Agency.id == ReportRecord.agency_id)
            .where(CellRecord.status == "number")
            .where(or_(*[(CellRecord.tbl == t) & (CellRecord.row == r) & (CellRecord.col == c)
                         for t, r, c in TREND_CELLS])))
    sums = _filtered(sums, region, year, level).group_by(ReportRecord.year, CellRecord.tbl, CellRecord.row,
                                                         CellRecord.col)
    with Session(engine_of(store)) as session:
        n_by_year = {y: n for y, n in session.execute(counts) if y is not None}
        values: dict[tuple[str, str, str], dict[int, float]] = {}
        for y, t, r, c, total in session.execute(sums):
            values.setdefault((t, r, c), {})[y] = total or 0
    years = sorted(n_by_year)
    return {
        "years": years,
        "reports": [n_by_year[y] for y in years],
        "series": {f"{t}.{r}.{c}": [int(values.get((t, r, c), {}).get(y, 0)) for y in years] for t, r, c in TREND_CELLS},
    }


def region_breakdown(store: Any, *, region: str | None = None, year: int | None = None,
                     level: str | None = None, limit: int = 30) -> list[dict[str, Any]]:
    """Per region: reports, and live (not dismissed) findings by severity; largest regions first."""
    reports = _filtered(select(Agency.region, func.count(ReportRecord.id))
                        .join(Agency, Agency.id == ReportRecord.agency_id), region, year, level)
    reports = reports.group_by(Agency.region)
    findings = (select(Agency.region, FindingRecord.severity, func.count(FindingRecord.id))
                .join(ReportRecord, ReportRecord.id == FindingRecord.report_id)
                .join(Agency, Agency.id == ReportRecord.agency_id)
                .outerjoin(Decision, Decision.finding_key == FindingRecord.key)
                .where(or_(Decision.decision.is_(None), Decision.decision != "dismissed")))
    findings = _filtered(findings, region, year, level).group_by(Agency.region, FindingRecord.severity)
    out: dict[str | None, dict[str, Any]] = {}
    with Session(engine_of(store)) as session:
        for reg, n in session.execute(reports):
            out[reg] = {"region": reg or "（未知地区）", "reports": n, "error": 0, "warning": 0, "info": 0}
        for reg, sev, n in session.execute(findings):
            if reg in out and sev in ("error", "warning", "info"):
                out[reg][sev] = n
    return sorted(out.values(), key=lambda d: (-d["reports"], d["region"]))[:limit]


def regions(store: Any) -> list[str]:
    """Distinct regions of the agencies that have reports (the corpus filter's options)."""
    stmt = (select(Agency.region).join(ReportRecord, ReportRecord.agency_id == Agency.id)
            .where(Agency.region.is_not(None)).distinct().order_by(Agency.region))
    with Session(engine_of(store)) as session:
        return [r for (r,) in session.execute(stmt)]


def data_version(store: Any) -> tuple:
    """A cheap fingerprint of everything the corpus page shows: it changes with any new version,
    re-check (findings are re-inserted) or decision. Used to cache the expensive summary."""
    stmt = select(func.max(ReportVersion.id), func.count(ReportVersion.id),
                  select(func.max(FindingRecord.id)).scalar_subquery(),
                  select(func.count(FindingRecord.id)).scalar_subquery(),
                  select(func.max(Decision.decided_at)).scalar_subquery(),
                  select(func.count(Decision.finding_key)).scalar_subquery(),
                  select(func.count(ReportRecord.id)).scalar_subquery())
    with Session(engine_of(store)) as session:
        return tuple(session.execute(stmt).one())
