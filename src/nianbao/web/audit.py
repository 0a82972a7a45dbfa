"""The audit log for admins: sign-ins (success, failure, lockout), sign-outs, account changes, decisions."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..store.audit import EVENT_NAMES
from .auth import User, admin, store_of
from .rendering import render

router = APIRouter()
PAGE_SIZE = 100
MAX_PAGE = 100_000
# The events of nianbao.store.audit.EVENTS, spelled out for the OpenAPI schema (tests keep them equal).
Event = Literal["login_success", "login_failure", "login_locked", "logout", "password_changed", "role_changed",
                "user_created", "user_deleted", "decision"]
UserName = Annotated[str | None, Query(max_length=100)]


def audit_filters(event: str | None, username: str | None) -> dict[str, Any]:
    return {k: v for k, v in (("event", event), ("username", (username or "").strip())) if v}


@router.get("/audit", response_class=HTMLResponse, summary="审计日志（管理员）")
def audit_page(request: Request, event: Event | None = None, username: UserName = None,
               page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1, user: User = Depends(admin)) -> Response:
    store = store_of(request)
    filters = audit_filters(event, username)
    total = store.count_audit(**filters)
    rows = store.audit(**filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render(request, "audit.html", rows=rows, total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)),
                  filters=filters, event_names=EVENT_NAMES)
