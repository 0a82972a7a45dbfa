"""Pages: the list of reports, one report (tables, provenance, sections, findings, decisions), downloads."""
from __future__ import annotations

import json
import re
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ..render.layout import cells_label, ref_label
from ..report import ABSENT
from . import csrf, provenance
from .auth import User, address_of, policy_of, reviewer, store_of, viewer
from .contract import DECISIONS
from .params import MAX_ID, Order, ReportId, Text, level_param, year_param
from .rendering import render
from .views import report_json, report_view, source_of
from .xlsx import report_workbook

router = APIRouter()
PAGE_SIZE = 100
_REF = re.compile(r"^(active|applications|review_litigation)\.[a-z_]+\.[a-z_]+$")
MAX_NOTE = 2000


def filters_from(region: str | None, year: int | None, level: str | None, q: str | None) -> dict:
    """Only the filters actually given (empty form fields are 'no filter')."""
    return {k: v for k, v in (("region", region), ("year", year), ("level", level), ("q", q)) if v not in (None, "")}


def _not_found(request: Request) -> Response:
    return render(request, "error.html", status_code=404, message="找不到这份报告。")


def download_name(stored, suffix: str) -> str:
    base = f"{stored.row.agency or '报告'}-{stored.row.year or ''}".strip("-")
    return f"attachment; filename*=UTF-8''{quote(base + suffix)}"


@router.get("/reports", response_class=HTMLResponse, summary="报告列表")
def reports_page(request: Request, region: Text = None, year: Text = None, level: Text = None, q: Text = None,
                 page: Annotated[int, Query(ge=1, le=MAX_ID // PAGE_SIZE)] = 1, order: Order = "agency",
                 user: User = Depends(viewer)) -> Response:
    store = store_of(request)
    filters = filters_from(region, year_param(year), level_param(level), q)
    total = store.count_reports(**filters)
    rows = store.reports(**filters, order=order, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render(request, "reports.html", rows=rows, total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)),
                  filters=filters, order=order)


@router.get("/reports/{report_id}", response_class=HTMLResponse, name="report_page", summary="一份报告")
def report_page(request: Request, report_id: ReportId, user: User = Depends(viewer)) -> Response:
    stored = store_of(request).report(report_id)
    if stored is None:
        return _not_found(request)
    view = report_view(stored)
    return render(request, "report.html", **view, ref_label=ref_label, cells_label=cells_label, decisions=DECISIONS,
                  findings_json=json.dumps([f.key for f in view["findings"]]))


@router.get("/reports/{report_id}/source", response_class=HTMLResponse, name="report_source",
            summary="某个数值的来源（HTML 片段）")
def report_source(request: Request, report_id: ReportId, ref: str, user: User = Depends(viewer)) -> Response:
    """Where one value came from: text excerpt, source table, or a link to the marked page image."""
    if not _REF.match(ref):
        return HTMLResponse("<p class=muted>单元格引用无效。</p>", status_code=400)
    stored = store_of(request).report(report_id)
    if stored is None:
        return HTMLResponse("<p class=muted>找不到这份报告。</p>", status_code=404)
    value = stored.report.cell(ref)
    src = value.source
    form = stored.row.form or stored.report.form
    excerpt = table = None
    error = None
    if value.status != ABSENT and src is not None:
        try:
            if src.table is not None and not provenance.has_page(form, src):  # HTML, DOCX: the grid itself
                table = provenance.source_table(stored.source_bytes, stored.source_name, src)
            if table is None and src.line and not provenance.has_page(form, src):
                excerpt = provenance.text_excerpt(stored.source_bytes, stored.source_name, src, value.raw)
        except Exception as exc:  # provenance is a convenience: never break the page over it
            error = f"无法显示来源：{type(exc).__name__}"
    return render(request, "_source.html", stored=stored, ref=ref, label=ref_label(ref, stored.row.template),
                  value=value, src=src, where=provenance.describe(src), excerpt=excerpt, table=table,
                  page=provenance.has_page(form, src), error=error)


@router.get("/reports/{report_id}/finding-source", response_class=HTMLResponse, summary="核查发现所在的原文（HTML 片段）")
def finding_source(request: Request, report_id: ReportId, key: Annotated[str, Query(max_length=64)], user: User = Depends(viewer)) -> Response:
    """The text around a finding's location (findings about section text carry a line, not a cell)."""
    stored = store_of(request).report(report_id)
    finding = next((f for f in stored.findings if f.key == key), None) if stored else None
    if stored is None or finding is None:
        return HTMLResponse("<p class=muted>找不到这个核查发现。</p>", status_code=404)
    src = source_of(finding.location)
    excerpt = None
    if src is not None and src.line:
        try:
            excerpt = provenance.text_excerpt(stored.source_bytes, stored.source_name, src, None)
        except Exception:  # provenance is a convenience: never break the page over it
            excerpt = None
    return render(request, "_source.html", stored=stored, ref="", label=f"[{finding.rule}] 所在原文", value=None,
                  src=src, where=provenance.describe(src), excerpt=excerpt, table=None, page=False, error=None)


@router.get("/reports/{report_id}/page.png", name="report_page_png", summary="来源页面图像（标出单元格位置）")
def report_page_png(request: Request, report_id: ReportId, ref: str, user: User = Depends(viewer)) -> Response:
    if not _REF.match(ref):
        return JSONResponse({"detail": "单元格引用无效"}, status_code=400)
    stored = store_of(request).report(report_id)
    if stored is None:
        return JSONResponse({"detail": "找不到这份报告"}, status_code=404)
    src = stored.report.cell(ref).source
    form = stored.row.form or stored.report.form
    if not provenance.has_page(form, src):
        return JSONResponse({"detail": "此数值没有页面位置"}, status_code=404)
    assert src is not None
    limit = policy_of(request).page_image_max_pixels
    key = (report_id, stored.row.version, src.page, src.bbox, form, limit)
    try:
        png = request.app.state.page_cache.get(
            key, lambda: provenance.page_png(stored.source_bytes, form, src, max_pixels=limit))
    except provenance.PageTooLarge as exc:
        return JSONResponse({"detail": exc.reason}, status_code=413)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


@router.post("/reports/{report_id}/decide", summary="确认或驳回一个核查发现（表单）",
             dependencies=[Depends(csrf.verify)])
def report_decide(request: Request, report_id: ReportId, finding_key: str = Form(...), decision: str = Form(...),
                  note: str = Form(""), user: User = Depends(reviewer)) -> Response:
    store = store_of(request)
    stored = store.report(report_id)
    if stored is None:
        return _not_found(request)
    if decision not in DECISIONS or finding_key not in {f.key for f in stored.findings}:
        return render(request, "error.html", status_code=400, message="审核结论无效。")
    try:
        store.decide(finding_key, decision, note[:MAX_NOTE], user=user.username, address=address_of(request))
    except ValueError as exc:  # StoreError: a Chinese line for the user
        return render(request, "error.html", status_code=400, message=str(exc))
    url = str(request.url_for("report_page", report_id=report_id)) + f"#finding-{finding_key}"
    return RedirectResponse(url, status_code=303)


@router.get("/reports/{report_id}/download.json", summary="下载报告（JSON）")
def report_download_json(request: Request, report_id: ReportId, user: User = Depends(viewer)) -> Response:
    stored = store_of(request).report(report_id)
    if stored is None:
        return JSONResponse({"detail": "找不到这份报告"}, status_code=404)
    body = json.dumps(report_json(stored), ensure_ascii=False, indent=1)
    return Response(body, media_type="application/json; charset=utf-8",
                    headers={"Content-Disposition": download_name(stored, ".json")})


@router.get("/reports/{report_id}/download.xlsx", summary="下载报告（XLSX）")
def report_download_xlsx(request: Request, report_id: ReportId, user: User = Depends(viewer)) -> Response:
    stored = store_of(request).report(report_id)
    if stored is None:
        return JSONResponse({"detail": "找不到这份报告"}, status_code=404)
    view = report_view(stored)
    return Response(report_workbook(stored, view["grids"]),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": download_name(stored, ".xlsx")})

