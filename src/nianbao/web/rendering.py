"""Jinja2 set-up shared by every page: autoescape always on, the common context, Chinese labels.

Autoescape is forced on for every template (not chosen by file suffix), so report text — which is
whatever a government website printed, ``<script>`` included — always reaches the page as text.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..checks import SEVERITY_NAMES
from . import csrf
from .auth import ROLE_NAMES, optional_user
from .contract import LEVEL_NAMES, LEVELS

TEMPLATE_DIR = Path(__file__).parent / "templates"
STATUS_NAMES = {"added": "已读取（新增）", "unchanged": "已读取（未变化）", "new_version": "已读取（新版本）",
                "failed": "读取失败", "queued": "排队中", "processing": "处理中"}
DECISION_NAMES = {"confirmed": "已确认", "dismissed": "已驳回", None: "待处理"}
FORM_NAMES = {"pdf": "PDF", "docx": "DOCX", "doc": "DOC/WPS", "image": "图片", "html": "网页", "text": "文本"}


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        SEVERITY_NAMES=SEVERITY_NAMES, STATUS_NAMES=STATUS_NAMES, DECISION_NAMES=DECISION_NAMES,
        ROLE_NAMES=ROLE_NAMES, FORM_NAMES=FORM_NAMES, LEVEL_NAMES=LEVEL_NAMES, LEVELS=LEVELS,
    )
    from .views import display

    env.globals["display"] = display
    env.filters["dt"] = lambda v: v.strftime("%Y-%m-%d %H:%M") if hasattr(v, "strftime") else (v or "")
    env.filters["qs"] = lambda d: urlencode({k: v for k, v in d.items() if v not in (None, "")})
    env.filters["num"] = lambda v: "" if v is None else (f"{v:,}" if isinstance(v, int) else str(v))
    return env


TEMPLATES = Jinja2Templates(env=_environment())


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page with what every page needs: the user, the CSRF token, the current path."""
    user = optional_user(request)
    base = {"request": request, "user": user, "csrf_token": csrf.token(request), "path": request.url.path}
    base.update(context)
    return TEMPLATES.TemplateResponse(request, name, base, status_code=status_code)
