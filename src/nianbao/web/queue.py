"""The review queue page: open findings across reports, decided in place (reviewers), seen by viewers.

Decisions go through the same store call as the report page (``Store.decide``: decision and
audit line in one transaction), behind the same CSRF check and reviewer role.
"""
from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..render.layout import cells_label
from . import csrf
from .auth import User, address_of, reviewer, store_of, viewer
from .contract import DECISIONS
from .params import MAX_ID, Text, year_param
from .rendering import render

router = APIRouter()
PAGE_SIZE = 100
MAX_NOTE = 2000
Severity = Literal["", "error", "warning", "info"]
State = Literal["open", "all"]


def _filters(severity: str | None, agency: str | None, rule: str | None, year: str | None, state: str) -> dict:
    return {"severity": severity or None, "agency": agency or None, "rule": rule or None,
            "year": year_param(year), "open_only": state == "open"}


def _query(severity: str | None, agency: str | None, rule: str | None, year: str | None, state: str) -> str:
    pairs = {"severity": severity, "agency": agency, "rule": rule, "year": year, "state": state}
    return urlencode({k: v for k, v in pairs.items() if v})


@router.get("/queue", response_class=HTMLResponse, name="queue_page", summary="审核队列")
def queue_page(request: Request, severity: Annotated[Severity, Query()] = "", agency: Text = None,
               rule: Text = None, year: Text = None, state: Annotated[State, Query()] = "open",
               page: Annotated[int, Query(ge=1, le=MAX_ID // PAGE_SIZE)] = 1,
               user: User = Depends(viewer)) -> Response:
    store = store_of(request)
    filters = _filters(severity, agency, rule, year, state)
    total = store.count_queue(**filters)
    items = store.queue(**filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render(request, "queue.html", items=items, total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)),
                  form={"severity": severity, "agency": agency or "", "rule": rule or "", "year": year or "",
                        "state": state},
                  query=_query(severity, agency, rule, year, state), cells_label=cells_label)


@router.post("/queue/decide", summary="在审核队列中确认或驳回一个核查发现（表单）",
             dependencies=[Depends(csrf.verify)])
def queue_decide(request: Request, finding_key: Annotated[str, Form(max_length=64)],
                 decision: Annotated[str, Form(max_length=20)], note: str = Form(""),
                 back: Annotated[str, Form(max_length=2000)] = "", user: User = Depends(reviewer)) -> Response:
    store = store_of(request)
    if decision not in DECISIONS or store.finding(finding_key) is None:
        return render(request, "error.html", status_code=400, message="审核结论无效或找不到这个核查发现。")
    try:
        store.decide(finding_key, decision, note[:MAX_NOTE], user=user.username, address=address_of(request))
    except ValueError as exc:  # StoreError: a Chinese line for the user
        return render(request, "error.html", status_code=400, message=str(exc))
    kept = {k: v for k, v in parse_qsl(back) if k in ("severity", "agency", "rule", "year", "state", "page")}
    query = urlencode(kept)
    url = str(request.url_for("queue_page")) + (f"?{query}" if query else "")
    return RedirectResponse(url, status_code=303)
