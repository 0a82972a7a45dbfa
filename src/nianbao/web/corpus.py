"""Pages: the corpus — filters, the 汇总 tables, charts, exports (through ``Store.export``)."""
from __future__ import annotations

import json
import shutil
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from ..render.layout import ref_label, report_grids
from ..templates import TEMPLATES, template_for_year
from . import queries
from .auth import User, store_of, viewer
from .params import Text, level_param, year_param
from .rendering import render
from .views import display

router = APIRouter()
EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", ".csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "parquet": ("application/vnd.apache.parquet", ".parquet"),
    "jsonl": ("application/x-ndjson; charset=utf-8", ".jsonl"),
}
RANKING_SIZE = 15
# Names of the store's overall indicators (Summary.indicators["overall"]); unknown keys show as is.
INDICATOR_NAMES = {
    "new": "本年新收申请（件）", "processed": "办理结果总计（件）", "granted_share": "予以公开占比",
    "partial_share": "部分公开占比", "denied_share": "不予公开占比", "unable_share": "无法提供占比",
    "review_total": "行政复议（件）", "review_correction_rate": "行政复议纠错率",
    "litigation_total": "行政诉讼（件）", "litigation_correction_rate": "行政诉讼纠错率",
}


def indicator_rows(summary: Any) -> list[tuple[str, str]]:
    """The overall indicators as (name, shown value): shares and rates as percentages."""
    overall = (summary.indicators or {}).get("overall") or {}
    rows = []
    for key, value in overall.items():
        if isinstance(value, float) and (key.endswith("_share") or key.endswith("_rate")):
            shown = f"{value * 100:.1f}%"
        else:
            shown = "—" if value is None else display(value)
        rows.append((INDICATOR_NAMES.get(key, key), shown))
    return rows


def corpus_filters(region: str | None, year: str | None, level: str | None) -> dict[str, Any]:
    """The filters given (empty form fields mean 'all'); a bad year or level is a :class:`BadParameter`."""
    return {k: v for k, v in (("region", region), ("year", year_param(year)), ("level", level_param(level)))
            if v not in (None, "")}


_CACHE: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
_CACHE_LOCK = threading.Lock()
CACHE_SIZE = 32


def corpus_view(store: Any, filters: dict[str, Any]) -> dict[str, Any]:
    """The corpus view, cached until the data changes (``Store.summary`` scans every report's cells,
    which takes most of a second at a few thousand reports; the fingerprint query takes milliseconds)."""
    key = (id(store), tuple(sorted(filters.items())), queries.data_version(store))
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    view = build_corpus_view(store, filters)
    with _CACHE_LOCK:
        _CACHE[key] = view
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return view


def build_corpus_view(store: Any, filters: dict[str, Any]) -> dict[str, Any]:
    """The summary, its grids, and the chart data (as JSON for the page's script)."""
    summary = store.summary(**filters)
    # the grids of the template that was summed (one template per summary)
    template = TEMPLATES.get(summary.template or "") or template_for_year(filters.get("year"))
    grids = report_grids(template.id, summary.value)
    trends = queries.year_trends(store, **filters)
    by_region = queries.region_breakdown(store, **filters)
    outcome_rows = [r for r in template.applications if r.key in template.result_rows]
    charts = {
        "outcomes": {"labels": [ref_label(f"applications.{r.key}.total", template.id).split(" · ")[1]
                                for r in outcome_rows],
                     "data": [(summary.applications.get(r.key) or [0])[-1] or 0 for r in outcome_rows]},
        "trends": {"labels": [str(y) for y in trends["years"]], "reports": trends["reports"],
                   "series": [{"label": ref_label(ref).split(" · ", 1)[1], "data": data}
                              for ref, data in trends["series"].items()]},
        "ranking": {"labels": [f"{row.agency}（{row.year}）" for row, _e, _w in summary.ranking[:RANKING_SIZE]],
                    "error": [e for _r, e, _w in summary.ranking[:RANKING_SIZE]],
                    "warning": [w for _r, _e, w in summary.ranking[:RANKING_SIZE]]},
        "regions": {"labels": [d["region"] for d in by_region], "reports": [d["reports"] for d in by_region],
                    "error": [d["error"] for d in by_region], "warning": [d["warning"] for d in by_region]},
    }
    return {"summary": summary, "grids": grids, "template": template, "by_region": by_region,
            "ranking": summary.ranking[:RANKING_SIZE], "charts_json": json.dumps(charts, ensure_ascii=False),
            "indicators": indicator_rows(summary), "templates": TEMPLATES}


@router.get("/", include_in_schema=False)
def home(user: User = Depends(viewer)) -> Response:
    return RedirectResponse("/corpus", status_code=303)


@router.get("/corpus", response_class=HTMLResponse, summary="全部报告汇总")
def corpus_page(request: Request, region: Text = None, year: Text = None, level: Text = None,
                user: User = Depends(viewer)) -> Response:
    store = store_of(request)
    filters = corpus_filters(region, year, level)
    view = corpus_view(store, filters)
    years = sorted({y for a in store.agencies() for y in a.years})  # every year, whichever template was summed
    return render(request, "corpus.html", **view, filters=filters, regions=queries.regions(store), years=years)


def export_response(store: Any, fmt: str, filters: dict[str, Any]) -> Response:
    """Write the export to a private temp dir (never a name from the request), stream it, then delete it."""
    media, suffix = EXPORT_FORMATS[fmt]
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-export-"))
    try:
        path = Path(store.export(fmt, tmp / f"export{suffix}", shape="long", **filters))
    except Exception:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    name = "年报汇总" + "".join(f"-{v}" for v in filters.values()) + suffix
    return FileResponse(path, media_type=media, background=BackgroundTask(shutil.rmtree, tmp, True),
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@router.get("/corpus/export.{fmt}", summary="导出汇总数据（CSV、XLSX、Parquet、JSONL）")
def corpus_export(request: Request, fmt: str, region: Text = None, year: Text = None,
                  level: Text = None, user: User = Depends(viewer)) -> Response:
    if fmt not in EXPORT_FORMATS:
        return render(request, "error.html", status_code=404, message="不支持的导出格式。")
    return export_response(store_of(request), fmt, corpus_filters(region, year, level))
