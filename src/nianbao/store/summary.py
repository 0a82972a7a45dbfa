"""The 汇总 of a selection of reports: sums of tables 二/三/四, what is missing, indicators, ranking.

Blank cells are not 0: sums add numbers only and the number of blank or placeholder
cells is reported beside them. Cells exist for current versions only, so a report
with three versions is counted once.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..templates import ALL_APPLICATION_ROWS, APPLICANT_KEYS, OUTCOME_KEYS, REVIEW_BLOCKS, TEMPLATES
from .models import Agency, CellRecord, ReportRecord
from .queries import report_rows, selected_ids
from .records import Summary
from .register import has_register, missing_reports

MONEY = {(r.key, f.key) for t in TEMPLATES.values() for r in t.active for f in r.fields if f.kind == "money"}
DENIED = tuple(r for r in ALL_APPLICATION_ROWS if r.startswith("denied_"))
UNABLE = tuple(r for r in ALL_APPLICATION_ROWS if r.startswith("unable_"))
RANKING_LIMIT = 100
_ACTIVE_ORDER = {r.key: i for i, r in reversed(list(enumerate(TEMPLATES["2021"].active + TEMPLATES["2019"].active)))}
_FIELD_ORDER = {f.key: i for t in (TEMPLATES["2019"], TEMPLATES["2021"]) for r in t.active for i, f in enumerate(r.fields)}


Cells = dict[str, tuple[float, int, int]]  # ref → (sum of numbers, numeric cells, blank/placeholder cells)


def _aggregate_by_year(s: Session, ids) -> dict[int, Cells]:
    """One grouped query for every year of the selection (a full scan of the cells costs the most)."""
    is_num = CellRecord.status == "number"
    stmt = (select(ReportRecord.year, CellRecord.tbl, CellRecord.row, CellRecord.col,
                   func.sum(case((is_num, CellRecord.number), else_=None)),
                   func.sum(case((is_num, 1), else_=0)),
                   func.sum(case((CellRecord.status.in_(("blank", "placeholder")), 1), else_=0)))
            .join(ReportRecord, ReportRecord.id == CellRecord.report_id)
            .where(CellRecord.report_id.in_(ids))
            .group_by(ReportRecord.year, CellRecord.tbl, CellRecord.row, CellRecord.col))
    out: dict[int, Cells] = defaultdict(dict)
    for year, tbl, row, col, total, n_num, n_blank in s.execute(stmt):
        out[year][f"{tbl}.{row}.{col}"] = (total or 0, int(n_num or 0), int(n_blank or 0))
    return dict(out)


def _merge(parts: list[Cells]) -> Cells:
    merged: dict[str, list] = {}
    for cells in parts:
        for ref, (total, n_num, n_blank) in cells.items():
            acc = merged.setdefault(ref, [0, 0, 0])
            acc[0] += total
            acc[1] += n_num
            acc[2] += n_blank
    return {ref: (a[0], a[1], a[2]) for ref, a in merged.items()}


def _blanks(cells: Cells) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for ref, (_, _, n_blank) in cells.items():
        out[ref.split(".")[0]] += n_blank
    return dict(out)


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 4) if a is not None and b else None


def indicators_of(get) -> dict[str, Any]:
    """Shares and correction rates from a getter ``get(ref) -> number | None``."""
    def total(rows):
        vals = [get(f"applications.{r}.total") for r in rows]
        return sum(v for v in vals if v is not None) if any(v is not None for v in vals) else None

    processed = get("applications.processed_total.total")
    out: dict[str, Any] = {
        "new": get("applications.new.total"),
        "processed": processed,
        "granted_share": _ratio(get("applications.granted.total"), processed),
        "partial_share": _ratio(get("applications.partial.total"), processed),
        "denied_share": _ratio(total(DENIED), processed),
        "unable_share": _ratio(total(UNABLE), processed),
    }
    lit = {k: None for k in OUTCOME_KEYS}
    for block, _ in REVIEW_BLOCKS:
        vals = {k: get(f"review_litigation.{block}.{k}") for k in OUTCOME_KEYS}
        decided = vals["total"] - vals["pending"] if vals["total"] is not None and vals["pending"] is not None else None
        if block == "review":
            out["review_total"] = vals["total"]
            out["review_correction_rate"] = _ratio(vals["corrected"], decided)
        else:
            for k, v in vals.items():
                if v is not None:
                    lit[k] = (lit[k] or 0) + v
    decided = lit["total"] - lit["pending"] if lit["total"] is not None and lit["pending"] is not None else None
    out["litigation_total"] = lit["total"]
    out["litigation_correction_rate"] = _ratio(lit["corrected"], decided)
    return out


def _per_report(s: Session, ids) -> list[dict[str, Any]]:
    wanted = ("total", "corrected", "pending")
    values: dict[int, dict[str, int]] = defaultdict(dict)
    for rid, tbl, row, col, value in s.execute(
            select(CellRecord.report_id, CellRecord.tbl, CellRecord.row, CellRecord.col, CellRecord.number)
            .where(CellRecord.report_id.in_(ids), CellRecord.status == "number", CellRecord.col.in_(wanted),
                   CellRecord.tbl.in_(("applications", "review_litigation")))):
        values[rid][f"{tbl}.{row}.{col}"] = int(value)
    meta = s.execute(select(ReportRecord.id, Agency.name, Agency.region, Agency.level, ReportRecord.year)
                     .join(Agency, Agency.id == ReportRecord.agency_id).where(ReportRecord.id.in_(ids))
                     .order_by(Agency.name, ReportRecord.year))
    return [{"report_id": rid, "agency": name, "region": region, "level": level, "year": year,
             **indicators_of(values[rid].get)} for rid, name, region, level, year in meta]


def _int(cells: dict, ref: str) -> int | None:
    c = cells.get(ref)
    return int(round(c[0])) if c and c[1] else None


def _year_over_year(s: Session, years: list[int], others: dict[str, Any], template: str | None
                    ) -> dict[int, dict[str, Any]]:
    """Each year against the year before, over the agencies that reported in both years only."""
    out = {}
    for cur in years:
        prev = cur - 1
        agencies = {y: set(s.scalars(_template_filter(selected_ids(**{**others, "year": y}), template)
                                     .with_only_columns(ReportRecord.agency_id))) for y in (prev, cur)}
        common = agencies[prev] & agencies[cur]
        if not agencies[prev]:
            continue
        ids = (_template_filter(selected_ids(**others), template)
               .where(ReportRecord.year.in_((prev, cur)), ReportRecord.agency_id.in_(common)))
        by_year = _aggregate_by_year(s, ids) if common else {}
        a, b = (indicators_of(_getter(by_year.get(y, {}))) for y in (prev, cur))
        change = {k: (round(b[k] - a[k], 4) if isinstance(b.get(k), int | float) and isinstance(a.get(k), int | float)
                      else None) for k in b}
        out[cur] = {**change, "compared_with": prev, "n_agencies": len(common),
                    "n_left_out": len(agencies[prev] ^ agencies[cur])}
    return out


def _getter(cells: Cells):
    return lambda ref: _int(cells, ref)


def _template_filter(stmt, template: str | None):
    return stmt.where(ReportRecord.template == template) if template else stmt


def _templates(s: Session, ids) -> dict[str, int]:
    """How many of the selected reports use each template."""
    stmt = (select(ReportRecord.template, func.count()).where(ReportRecord.id.in_(ids))
            .group_by(ReportRecord.template))
    return {t: int(n) for t, n in s.execute(stmt) if t}


def latest_year(s: Session) -> int | None:
    """The latest year that has reports: what a summary covers unless told otherwise."""
    return s.scalar(select(func.max(ReportRecord.year)).where(ReportRecord.current_version_id.is_not(None)))


def _missing(s: Session, filters: dict[str, Any], years: list[int]) -> list[str] | None:
    """应报未报: registered agencies (within region/level) expected in a year with no report for it.
    None without a register: who should have reported cannot be guessed from who did."""
    if not has_register(s):
        return None
    region, level = filters.get("region"), filters.get("level")
    if len(years) == 1:
        return missing_reports(s, years[0], region=region, level=level)
    return [f"{name}（{y}年）" for y in years for name in missing_reports(s, y, region=region, level=level)]


def summarize(s: Session, *, region: str | None = None, year: int | None = None, level: str | None = None,
              agency_id: int | None = None, q: str | None = None, template: str | None = None) -> Summary:
    """The 汇总 of one template's reports: with reports of both templates selected and no *template*
    given, the template most of them use (the other one's reports are counted in the notes, never added)."""
    given = {"region": region, "year": year, "level": level, "agency_id": agency_id, "q": q}
    filters = {k: v for k, v in given.items() if v is not None}
    counts = _templates(s, selected_ids(**filters))
    notes: list[str] = []
    if template is None and len(counts) > 1:
        template = max(counts, key=lambda t: (counts[t], t))
        left = {t: n for t, n in counts.items() if t != template}
        notes.append(f"所选报告使用了两种模板：只汇总 {template} 年版模板的 {counts[template]} 份，"
                     + "、".join(f"{t} 年版模板的 {n} 份" for t, n in left.items())
                     + "未计入合计（两种模板的表格不能相加；可用 --template 指定）。")
    ids = _template_filter(selected_ids(**filters), template)
    n = s.scalar(select(func.count()).select_from(ids.subquery())) or 0
    others = {k: v for k, v in filters.items() if k != "year"}
    by_year = _aggregate_by_year(s, ids)
    cells = _merge(list(by_year.values()))
    blanks = _blanks(cells)
    active: dict[str, dict[str, int | float | None]] = {}
    for ref, (total, n_num, _) in cells.items():
        tbl, row, col = ref.split(".")
        if tbl == "active":
            value = (round(total, 4) if (row, col) in MONEY else int(round(total))) if n_num else None
            active.setdefault(row, {})[col] = value
    active = {row: dict(sorted(fields.items(), key=lambda kv: _FIELD_ORDER.get(kv[0], 99)))
              for row, fields in sorted(active.items(), key=lambda kv: _ACTIVE_ORDER.get(kv[0], 99))}
    applications = {row: [_int(cells, f"applications.{row}.{c}") or 0 for c in APPLICANT_KEYS]
                    for row in ALL_APPLICATION_ROWS if any(f"applications.{row}.{c}" in cells for c in APPLICANT_KEYS)}
    review = {b: [_int(cells, f"review_litigation.{b}.{c}") or 0 for c in OUTCOME_KEYS]
              for b, _ in REVIEW_BLOCKS if any(f"review_litigation.{b}.{c}" in cells for c in OUTCOME_KEYS)}
    years = sorted(by_year)
    series = {y: {"n_reports": s.scalar(select(func.count()).select_from(
        _template_filter(selected_ids(**{**others, "year": y}), template).subquery())) or 0,
        **indicators_of(lambda ref, c=by_year[y]: _int(c, ref))} for y in years}
    indicators = {
        "overall": indicators_of(lambda ref: _int(cells, ref)),
        "per_agency": _per_report(s, ids),
        "by_year": series,
        "year_over_year": _year_over_year(s, years, others, template),
        "blank_cells": {ref: c[2] for ref, c in cells.items() if c[2]},
    }
    ranking = [(r, r.n_error, r.n_warning) for r in report_rows(s, order="findings", limit=RANKING_LIMIT, **filters)
               if (r.n_error or r.n_warning or r.n_info) and (template is None or r.template == template)]
    missing = _missing(s, filters, [year] if year is not None else years)
    if missing is None:
        notes.append("未导入机关名录，无法列出应报未报的机关（nianbao agencies import 名录.csv）。")
    out = Summary(n, active, applications, review, missing or [], indicators, ranking, blanks, filters, years)
    out.template = template or next(iter(counts), None)
    out.notes = notes
    out.has_register = missing is not None
    return out
