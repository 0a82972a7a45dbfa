"""The application factory: one store in, one FastAPI app out, every route behind sign-in.

``create_app(store)`` wires the session middleware (key from :mod:`.secret`), the static files
(served by the app itself — no CDN), the error handlers that turn the guards' exceptions into a
redirect to sign-in (pages), 401/403 JSON (API) or a Chinese error page, and the routers of each
area. FastAPI's Swagger/ReDoc pages are off (their assets come from a CDN); the schema is served at
``/api/openapi.json`` behind sign-in, with a local page at ``/api/docs``.

Security limits (session timeouts, sign-in throttle, page-image size) come from a :class:`.policy.Policy`
(``Policy.from_env()`` by default); ``clock`` lets tests step time forward instead of sleeping.
"""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from .. import __version__
from ..isolate import DEFAULT_LIMITS, ParseLimits
from . import agencies, api, audit, corpus, queue, reports, upload, users
from .auth import Forbidden, NotSignedIn
from .csrf import CsrfError
from .jobs import DEFAULT_QUEUE_BYTES, BatchRunner
from .params import BadParameter, describe_errors
from .policy import Policy
from .provenance import PageCache
from .rendering import render
from .secret import session_secret
from .uploads import BodyLimit, Limits, UploadRefused

STATIC_DIR = Path(__file__).parent / "static"
SESSION_COOKIE = "nianbao_session"
PUBLIC_PATHS = ("/login", "/static")  # everything else needs a session
log = logging.getLogger(__name__)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.headers.get("accept", "").startswith("application/json")


def _error(request: Request, status_code: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status_code)
    return render(request, "error.html", status_code=status_code, message=message)


def create_app(store: Any, *, limits: Limits | None = None, secret: str | None = None,
               https_only: bool = False, policy: Policy | None = None,
               clock: Callable[[], datetime] | None = None, queue_dir: str | Path | None = None,
               max_queue_bytes: int = DEFAULT_QUEUE_BYTES, parse_limits: ParseLimits = DEFAULT_LIMITS) -> FastAPI:
    """Build the web app over *store* (a :class:`nianbao.store.Store`).

    Uploads wait in *queue_dir* (default: beside a SQLite database, see :func:`.jobs.default_queue_dir`)
    until ingested, each parsed in a child process under *parse_limits*.
    """
    policy = policy or Policy.from_env()
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.batches.stop()  # let the ingest worker finish the file in hand

    app = FastAPI(lifespan=lifespan, title="nianbao 年报审核", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url=None, swagger_ui_oauth2_redirect_url=None,
                  description="政府信息公开工作年度报告：上传核查、单份报告、发布机关历年对比、全部汇总与导出。"
                              "所有接口均需登录；修改类请求需附带 X-CSRF-Token。")
    app.state.store = store
    app.state.limits = limits or Limits()
    app.state.batches = BatchRunner(store, queue_dir, max_queue_bytes=max_queue_bytes, limits=parse_limits)
    app.state.policy = policy
    app.state.clock = clock
    app.state.page_cache = PageCache(policy.page_image_cache_bytes)
    # The cookie lives as long as the longest session may; the store decides whether it still is one.
    app.add_middleware(SessionMiddleware, secret_key=secret or session_secret(store), session_cookie=SESSION_COOKIE,
                       max_age=int(policy.absolute.total_seconds()), same_site="lax", https_only=https_only)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
        return response

    # outermost: a body past its limit is cut off while it streams in, whatever the route does with it
    app.add_middleware(BodyLimit, limits=lambda: app.state.limits)

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": "请先登录"}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    # A refused request may have had its form parsed (CSRF check): close its spooled files now.
    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        await request.close()
        return _error(request, 403, exc.reason)

    @app.exception_handler(CsrfError)
    async def csrf_failed(request: Request, exc: CsrfError) -> Response:
        await request.close()
        return _error(request, 403, "请求缺少有效的 CSRF 令牌：请刷新页面后重试。")

    @app.exception_handler(UploadRefused)
    async def upload_refused(request: Request, exc: UploadRefused) -> Response:
        await request.close()
        return _error(request, exc.status_code, exc.reason)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "请求无效"
        if exc.status_code == 404 and message == "Not Found":
            message = "页面不存在。"
        if exc.status_code == 405:
            message = "不支持此请求方法。"
        return _error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        await request.close()
        message = describe_errors(list(exc.errors()))
        if _wants_json(request):
            return JSONResponse({"detail": message, "errors": jsonable_encoder(exc.errors())}, status_code=422)
        return _error(request, 422, message + "。")

    @app.exception_handler(BadParameter)
    async def bad_parameter(request: Request, exc: BadParameter) -> Response:
        return _error(request, 422, exc.message + ("" if _wants_json(request) else "。"))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        """A bug, not bad input: logged with its traceback, answered with a Chinese page, never plain text."""
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error(request, 500, f"服务器处理此请求时出错（{type(exc).__name__}），请联系管理员查看日志。")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (users, audit, corpus, upload, reports, queue, agencies, api):
        app.include_router(module.router)

    return app
