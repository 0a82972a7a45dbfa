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
from .queries import count_reports, report_rows, selected_ids
from .records import Summary

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


def _series(s: Session, by_year: dict[int, Cells], filters: dict[str, Any]) -> dict[int, dict[str, Any]]:
    out = {}
    for y in sorted(by_year):
        cells = by_year[y]
        out[y] = {"n_reports": count_reports(s, **{**filters, "year": y}),
                  **indicators_of(lambda ref, c=cells: _int(c, ref))}
    return out


def _int(cells: dict, ref: str) -> int | None:
    c = cells.get(ref)
    return int(round(c[0])) if c and c[1] else None


def _changes(series: dict[int, dict[str, Any]]) -> dict[int, dict[str, Any]]:
    out = {}
    years = sorted(series)
    for prev, cur in zip(years, years[1:]):
        a, b = series[prev], series[cur]
        out[cur] = {k: (round(b[k] - a[k], 4) if isinstance(b.get(k), int | float) and isinstance(a.get(k), int | float)
                        else None) for k in b}
        out[cur]["compared_with"] = prev
    return out


def _missing(s: Session, filters: dict[str, Any], year: int | None) -> list[str]:
    """Agencies (within region/level) with a report in another year but not in the selected year(s)."""
    base = {k: v for k, v in filters.items() if k in ("region", "level", "agency_id", "q")}
    have: dict[int, set[int]] = defaultdict(set)
    names: dict[int, str] = {}
    for aid, name, y in s.execute(select(Agency.id, Agency.name, ReportRecord.year)
                                  .join(ReportRecord, ReportRecord.agency_id == Agency.id)
                                  .where(ReportRecord.id.in_(selected_ids(**base)))):
        have[aid].add(y)
        names[aid] = name
    all_years = sorted({y for ys in have.values() for y in ys})
    if year is not None:
        return sorted(names[a] for a, ys in have.items() if year not in ys)
    return sorted(f"{names[a]}（{y}年）" for a, ys in have.items() for y in all_years
                  if y not in ys and min(ys) < y < max(ys))


def summarize(s: Session, *, region: str | None = None, year: int | None = None, level: str | None = None,
              agency_id: int | None = None, q: str | None = None) -> Summary:
    given = {"region": region, "year": year, "level": level, "agency_id": agency_id, "q": q}
    filters = {k: v for k, v in given.items() if v is not None}
    ids = selected_ids(**filters)
    n = count_reports(s, **filters)
    others = {k: v for k, v in filters.items() if k != "year"}
    if year is None:
        by_year = _aggregate_by_year(s, ids)
        cells = _merge(list(by_year.values()))
    else:  # the previous year too, for the year-over-year change
        by_year = _aggregate_by_year(s, selected_ids(**others).where(ReportRecord.year.in_((year - 1, year))))
        cells = by_year.get(year, {})
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
    years = sorted(y for y in by_year if year is None or y == year)
    series = _series(s, by_year, others)
    indicators = {
        "overall": indicators_of(lambda ref: _int(cells, ref)),
        "per_agency": _per_report(s, ids),
        "by_year": series,
        "year_over_year": _changes(series),
        "blank_cells": {ref: c[2] for ref, c in cells.items() if c[2]},
    }
    ranking = [(r, r.n_error, r.n_warning) for r in report_rows(s, order="findings", limit=RANKING_LIMIT, **filters)
               if r.n_error or r.n_warning or r.n_info]
    return Summary(n, active, applications, review, _missing(s, filters, year), indicators, ranking, blanks,
                   filters, years)
