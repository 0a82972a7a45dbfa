"""Pages: the agencies, and one agency's reports over the years side by side with trends."""
from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ..checks import SEVERITY_ORDER
from ..render.layout import ref_label
from ..report import NUMBER
from ..templates import OUTCOME_KEYS, REVIEW_BLOCKS, TEMPLATES
from .auth import User, store_of, viewer
from .params import AgencyId, Text, level_param
from .rendering import render
from .views import display

router = APIRouter()
# The one column of table 三 the year-by-year view compares (the row totals), by key from templates.
TOTAL = "total"


def comparison_refs(template_ids: list[str]) -> list[str]:
    """The cells compared across years: table 二 in full, table 三's totals, table 四 in full, template order."""
    refs: list[str] = []
    for tid in sorted(set(template_ids) or {"2021"}, reverse=True):
        tpl = TEMPLATES.get(tid) or TEMPLATES["2021"]
        refs += [f"active.{r.key}.{f.key}" for r in tpl.active for f in r.fields]
        refs += [f"applications.{r.key}.{TOTAL}" for r in tpl.applications]
    refs += [f"review_litigation.{b}.{c}" for b, _ in REVIEW_BLOCKS for c in OUTCOME_KEYS]
    return list(dict.fromkeys(refs))


def template_label(ref: str, template_ids: list[str]) -> str:
    """The label of *ref* from the template that has that row and column (a 2019-only column such as
    ``made`` must read 本年新制作数量, not its key), trying the agency's own templates first."""
    column = ref.rsplit(".", 1)[-1]
    for tid in [*dict.fromkeys(template_ids), *TEMPLATES]:
        label = ref_label(ref, tid)
        if not label.endswith(f" · {column}"):
            return label
    return ref_label(ref)


def _worst_by_cell(findings: list[Any]) -> dict[str, str]:
    """The most severe live (not dismissed) finding's severity for every cell a finding concerns."""
    worst: dict[str, str] = {}
    for f in findings:
        if f.decision == "dismissed":
            continue
        for ref in f.cells:
            if ref not in worst or SEVERITY_ORDER.get(f.severity, 9) < SEVERITY_ORDER.get(worst[ref], 9):
                worst[ref] = f.severity
    return worst


def agency_view(store: Any, agency_id: int) -> dict[str, Any] | None:
    """The agency, its reports by year (full), the comparison grid, trends and cross-year findings."""
    agency = store.agency(agency_id)
    if agency is None:
        return None
    rows = sorted(store.reports(agency_id=agency_id, order="year"), key=lambda r: r.year or 0)
    stored = [s for s in (store.report(r.id) for r in rows) if s is not None]
    template_ids = [s.row.template or "2021" for s in stored]
    refs = comparison_refs(template_ids)
    flagged = [_worst_by_cell(s.findings) for s in stored]
    table = []
    for ref in refs:
        values = [s.report.cell(ref) for s in stored]
        if all(v.status == "absent" for v in values):
            continue
        table.append({"ref": ref, "label": template_label(ref, template_ids), "cells": [
            {"text": display(v), "flag": flagged[i].get(ref), "status": v.status} for i, v in enumerate(values)]})
    cross = [(s, f) for s in stored for f in s.findings if f.other_report_id is not None]

    def series(ref: str) -> list[int | None]:
        out: list[int | None] = []
        for s in stored:
            v = s.report.cell(ref)
            out.append(v.value if v.status == NUMBER and isinstance(v.value, int) else None)
        return out

    trend_refs = ["applications.new.total", "applications.processed_total.total", "applications.granted.total",
                  "review_litigation.review.total", "review_litigation.litigation_direct.total",
                  "review_litigation.litigation_after_review.total"]
    chart = {"labels": [str(s.row.year) for s in stored],
             "datasets": [{"label": ref_label(r).split(" · ", 1)[1], "data": series(r)} for r in trend_refs],
             "findings": {"labels": [str(s.row.year) for s in stored],
                          "error": [s.row.n_error for s in stored], "warning": [s.row.n_warning for s in stored]}}
    return {"agency": agency, "stored": stored, "table": table, "cross": cross, "chart_json": json.dumps(
        chart, ensure_ascii=False)}


@router.get("/agencies", response_class=HTMLResponse, summary="发布机关列表")
def agencies_page(request: Request, region: Text = None, level: Text = None, q: Text = None,
                  user: User = Depends(viewer)) -> Response:
    filters = {k: v for k, v in (("region", region), ("level", level_param(level)), ("q", q)) if v}
    rows = store_of(request).agencies(**filters)
    return render(request, "agencies.html", rows=rows, filters=filters)


@router.get("/agencies/{agency_id}", response_class=HTMLResponse, name="agency_page", summary="一个发布机关的历年报告")
def agency_page(request: Request, agency_id: AgencyId, user: User = Depends(viewer)) -> Response:
    view = agency_view(store_of(request), agency_id)
    if view is None:
        return render(request, "error.html", status_code=404, message="找不到这个发布机关。")
    return render(request, "agency.html", **view)
