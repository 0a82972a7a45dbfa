"""The JSON API: the same operations as the pages, under /api, described by the OpenAPI schema.

Authentication is the same signed session cookie: ``POST /api/session`` with a JSON body signs in
and returns the CSRF token that every state-changing call must send as ``X-CSRF-Token``. A JSON body
cannot be posted cross-site without a CORS preflight (which this app never grants), so sign-in itself
needs no token.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from . import csrf
from .agencies import agency_view
from .audit import PAGE_SIZE as AUDIT_PAGE
from .audit import Event, UserName, audit_filters
from .auth import ROLES, User, address_of, admin, hash_password, reviewer, sign_in, store_of, viewer
from .contract import DECISIONS
from .corpus import EXPORT_FORMATS, corpus_filters, export_response
from .params import MAX_ID, MAX_YEAR, MIN_YEAR, AgencyId, Order, ReportId, Text, level_param
from .queries import region_breakdown, year_trends
from .rendering import render
from .throttle import LoginRefused, sign_in_attempt
from .upload import limits_of, size_guard
from .uploads import UploadRefused, read_upload
from .users import change_password, log_sign_out, validate_new_user
from .views import report_json

router = APIRouter(prefix="/api", tags=["api"])
MAX_LIMIT = 1000


class Credentials(BaseModel):
    username: str
    password: str


class DecisionIn(BaseModel):
    finding_key: str
    decision: str = Field(description="confirmed（确认）或 dismissed（驳回）")
    note: str = Field("", max_length=2000)


class NewUser(BaseModel):
    username: str
    password: str
    role: str = Field(description="viewer | reviewer | admin")


class RoleIn(BaseModel):
    role: str


class PasswordIn(BaseModel):
    current_password: str
    new_password: str


def _json_only(request: Request) -> None:
    if not request.headers.get("content-type", "").startswith("application/json"):
        raise HTTPException(415, "请求体必须是 JSON（Content-Type: application/json）")


@router.post("/session", summary="登录（返回 CSRF 令牌）", dependencies=[Depends(_json_only)])
def api_login(request: Request, creds: Credentials) -> Any:
    """Throttled like the sign-in form: too many failures answer 429 with Retry-After."""
    try:
        user = sign_in_attempt(request, creds.username, creds.password)
    except LoginRefused as exc:
        return JSONResponse({"detail": exc.reason.rstrip("。")}, status_code=exc.status_code, headers=exc.headers)
    sign_in(request, user)
    return {"username": user.username, "role": user.role, "csrf_token": csrf.token(request)}


@router.delete("/session", summary="退出登录", dependencies=[Depends(csrf.verify)])
def api_logout(request: Request, user: User = Depends(viewer)) -> dict[str, Any]:
    log_sign_out(request, user)
    return {"ok": True}


@router.put("/me/password", summary="修改自己的密码（其他会话全部失效）",
            dependencies=[Depends(csrf.verify)])
def api_password(request: Request, body: PasswordIn, user: User = Depends(viewer)) -> dict[str, Any]:
    problem = change_password(request, user, body.current_password, body.new_password)
    if problem:
        raise HTTPException(400, problem.rstrip("。"))
    return {"ok": True, "csrf_token": csrf.token(request)}


@router.get("/me", summary="当前用户与 CSRF 令牌")
def api_me(request: Request, user: User = Depends(viewer)) -> dict[str, Any]:
    return {"username": user.username, "role": user.role, "csrf_token": csrf.token(request)}


@router.get("/reports", summary="报告列表（可筛选）")
def api_reports(request: Request, region: Text = None,
                year: Annotated[int | None, Query(ge=MIN_YEAR, le=MAX_YEAR)] = None, level: Text = None,
                q: Text = None, agency_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
                order: Order = "agency", limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
                offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
                user: User = Depends(viewer)) -> dict[str, Any]:
    store = store_of(request)
    filters = {k: v for k, v in (("region", region), ("year", year), ("level", level_param(level)), ("q", q),
                                 ("agency_id", agency_id)) if v not in (None, "")}
    return {"total": store.count_reports(**filters),
            "reports": [r.to_dict() for r in store.reports(**filters, order=order, limit=limit, offset=offset)]}


@router.get("/reports/{report_id}", summary="一份报告（数据、来源、核查发现）")
def api_report(request: Request, report_id: ReportId, user: User = Depends(viewer)) -> dict[str, Any]:
    stored = store_of(request).report(report_id)
    if stored is None:
        raise HTTPException(404, "找不到这份报告")
    return report_json(stored)


@router.get("/reports/{report_id}/findings", summary="一份报告的核查发现")
def api_findings(request: Request, report_id: ReportId, user: User = Depends(viewer)) -> list[dict[str, Any]]:
    store = store_of(request)
    if store.report(report_id) is None:
        raise HTTPException(404, "找不到这份报告")
    return [f.to_dict() for f in store.findings(report_id)]


@router.post("/decisions", summary="确认或驳回一个核查发现", dependencies=[Depends(csrf.verify)])
def api_decide(request: Request, body: DecisionIn, user: User = Depends(reviewer)) -> dict[str, Any]:
    if body.decision not in DECISIONS:
        raise HTTPException(422, "decision 必须是 confirmed 或 dismissed")
    try:
        store_of(request).decide(body.finding_key, body.decision, body.note, user=user.username,
                                 address=address_of(request))
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    return {"ok": True, "finding_key": body.finding_key, "decision": body.decision}


@router.post("/uploads", summary="上传一批报告（multipart，字段名 files；wait=true 时等待处理完成）",
             dependencies=[Depends(size_guard), Depends(reviewer), Depends(csrf.verify)])
async def api_upload(request: Request, wait: bool = False, user: User = Depends(reviewer)) -> Response:
    try:
        items = await read_upload(request, limits_of(request))
    except UploadRefused as exc:
        return JSONResponse({"detail": exc.reason}, status_code=exc.status_code)
    runner = request.app.state.batches
    batch = runner.submit(user.username, items)
    if wait:
        import anyio

        await anyio.to_thread.run_sync(runner.wait, batch)
    return JSONResponse(batch.to_dict(), status_code=200 if batch.finished else 202)


@router.get("/uploads/{batch_id}", summary="一批上传的进度与结果")
def api_upload_status(request: Request, batch_id: str, user: User = Depends(viewer)) -> dict[str, Any]:
    from .upload import batch_for

    batch = batch_for(request, batch_id, user)
    if batch is None:
        raise HTTPException(404, "找不到这批上传")
    return batch.to_dict()


@router.get("/agencies", summary="发布机关列表")
def api_agencies(request: Request, region: Text = None, level: Text = None, q: Text = None,
                 user: User = Depends(viewer)) -> list[dict[str, Any]]:
    filters = {k: v for k, v in (("region", region), ("level", level_param(level)), ("q", q)) if v}
    return [{"id": a.id, "name": a.name, "region": a.region, "level": a.level, "n_reports": a.n_reports,
             "years": a.years} for a in store_of(request).agencies(**filters)]


@router.get("/agencies/{agency_id}", summary="一个发布机关：历年报告、跨年度发现、趋势")
def api_agency(request: Request, agency_id: AgencyId, user: User = Depends(viewer)) -> dict[str, Any]:
    view = agency_view(store_of(request), agency_id)
    if view is None:
        raise HTTPException(404, "找不到这个发布机关")
    a = view["agency"]
    return {"id": a.id, "name": a.name, "region": a.region, "level": a.level,
            "reports": [s.row.to_dict() for s in view["stored"]],
            "comparison": [{"ref": r["ref"], "label": r["label"], "values": [c["text"] for c in r["cells"]]}
                           for r in view["table"]],
            "cross_year_findings": [f.to_dict() for _s, f in view["cross"]]}


@router.get("/summary", summary="汇总（按地区、年度、层级筛选）")
def api_summary(request: Request, region: Text = None, year: Text = None, level: Text = None,
                user: User = Depends(viewer)) -> dict[str, Any]:
    store = store_of(request)
    filters = corpus_filters(region, year, level)
    out = store.summary(**filters).to_dict()
    out["trends"] = year_trends(store, **filters)
    out["regions"] = region_breakdown(store, **filters)
    return out


@router.get("/export/{fmt}", summary="导出（csv、xlsx、parquet、jsonl）")
def api_export(request: Request, fmt: str, region: Text = None, year: Text = None,
               level: Text = None, user: User = Depends(viewer)) -> Response:
    if fmt not in EXPORT_FORMATS:
        raise HTTPException(404, "不支持的导出格式")
    return export_response(store_of(request), fmt, corpus_filters(region, year, level))


@router.get("/users", summary="用户列表（管理员）")
def api_users(request: Request, user: User = Depends(admin)) -> list[dict[str, Any]]:
    return [{"username": u.username, "role": u.role, "created_at": u.created_at.isoformat()}
            for u in store_of(request).list_users()]


@router.post("/users", summary="新建用户（管理员）", status_code=201, dependencies=[Depends(csrf.verify)])
def api_users_create(request: Request, body: NewUser, user: User = Depends(admin)) -> dict[str, Any]:
    store = store_of(request)
    problem = validate_new_user(body.username.strip(), body.password, body.role)
    if problem is None and store.get_user(body.username.strip()) is not None:
        problem = "该用户名已存在"
    if problem:
        raise HTTPException(400, problem)
    store.create_user(body.username.strip(), hash_password(body.password), body.role, by=user.username)
    return {"username": body.username.strip(), "role": body.role}


@router.put("/users/{username}/role", summary="修改用户角色（管理员）", dependencies=[Depends(csrf.verify)])
def api_users_role(request: Request, username: str, body: RoleIn,
                   user: User = Depends(admin)) -> dict[str, Any]:
    if body.role not in ROLES:
        raise HTTPException(400, "角色无效")
    if username == user.username and body.role != "admin":
        raise HTTPException(400, "不能降低自己的角色")
    try:
        store_of(request).set_user_role(username, body.role, by=user.username)
    except (ValueError, LookupError) as exc:
        raise HTTPException(400, str(exc)) from exc
    return {"username": username, "role": body.role}


@router.delete("/users/{username}", summary="删除用户（管理员）", dependencies=[Depends(csrf.verify)])
def api_users_delete(request: Request, username: str, user: User = Depends(admin)) -> dict[str, Any]:
    if username == user.username:
        raise HTTPException(400, "不能删除自己的账户")
    try:
        store_of(request).delete_user(username, by=user.username)
    except (ValueError, LookupError) as exc:
        raise HTTPException(400, str(exc)) from exc
    return {"ok": True}


@router.get("/audit", summary="审计日志（管理员；最新的在前）")
def api_audit(request: Request, event: Event | None = None, username: UserName = None,
              limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = AUDIT_PAGE,
              offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0, user: User = Depends(admin)) -> dict[str, Any]:
    store = store_of(request)
    filters = audit_filters(event, username)
    return {"total": store.count_audit(**filters),
            "events": [e.to_dict() for e in store.audit(**filters, limit=limit, offset=offset)]}


@router.get("/openapi.json", summary="OpenAPI 接口描述", include_in_schema=False)
def api_openapi(request: Request, user: User = Depends(viewer)) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@router.get("/docs", response_class=HTMLResponse, summary="接口文档（本地页面，无外部资源）", include_in_schema=False)
def api_docs(request: Request, user: User = Depends(viewer)) -> Response:
    """A plain page listing the operations of the schema: Swagger UI would load its assets from a CDN."""
    schema = request.app.openapi()
    ops = [(method.upper(), path, op.get("summary", ""), [p["name"] for p in op.get("parameters", [])])
           for path, item in schema.get("paths", {}).items() for method, op in item.items()]
    return render(request, "api_docs.html", ops=ops)
