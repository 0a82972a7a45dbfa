"""Pages: sign in, sign out, and (admins) manage users."""
from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from . import csrf
from .auth import ROLES, User, admin, authenticate, hash_password, optional_user, sign_in, sign_out, store_of, viewer
from .rendering import render

router = APIRouter()
USERNAME = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{1,64}$")
MIN_PASSWORD = 8


def safe_next(value: str | None) -> str:
    """Only a local path may follow sign-in (no open redirect to another site)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/corpus"


def validate_new_user(username: str, password: str, role: str) -> str | None:
    """The Chinese reason a new account is refused, or None."""
    if not USERNAME.match(username):
        return "用户名只能包含字母、数字、汉字、点、下划线和连字符，长度 1–64。"
    if len(password) < MIN_PASSWORD:
        return f"密码至少 {MIN_PASSWORD} 个字符。"
    if role not in ROLES:
        return "角色无效。"
    return None


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str | None = None) -> Response:
    if optional_user(request):
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", next=safe_next(next))


@router.post("/login", include_in_schema=False, dependencies=[Depends(csrf.verify)])
def login_submit(request: Request, username: str = Form(""), password: str = Form(""),
                 next: str = Form("/corpus")) -> Response:
    user = authenticate(store_of(request), username.strip(), password)
    if user is None:
        return render(request, "login.html", status_code=401, next=safe_next(next), error="用户名或密码错误。",
                      username=username)
    sign_in(request, user)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout", include_in_schema=False, dependencies=[Depends(csrf.verify)])
def logout(request: Request, user: User = Depends(viewer)) -> Response:
    sign_out(request)
    return RedirectResponse("/login", status_code=303)


@router.get("/users", response_class=HTMLResponse, summary="用户管理")
def users_page(request: Request, user: User = Depends(admin)) -> Response:
    return render(request, "users.html", users=store_of(request).list_users(), roles=ROLES)


def _users_error(request: Request, message: str, status_code: int = 400) -> Response:
    return render(request, "users.html", status_code=status_code, users=store_of(request).list_users(), roles=ROLES,
                  error=message)


@router.post("/users", summary="新建用户（表单）", dependencies=[Depends(csrf.verify)])
def users_create(request: Request, username: str = Form(...), password: str = Form(...), role: str = Form(...),
                 user: User = Depends(admin)) -> Response:
    store = store_of(request)
    username = username.strip()
    problem = validate_new_user(username, password, role)
    if problem is None and store.get_user(username) is not None:
        problem = "该用户名已存在。"
    if problem:
        return _users_error(request, problem)
    store.create_user(username, hash_password(password), role)
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{username}/role", summary="修改用户角色（表单）", dependencies=[Depends(csrf.verify)])
def users_role(request: Request, username: str, role: str = Form(...), user: User = Depends(admin)) -> Response:
    if role not in ROLES:
        return _users_error(request, "角色无效。")
    if username == user.username and role != "admin":
        return _users_error(request, "不能降低自己的角色（以免系统中没有管理员）。")
    try:
        store_of(request).set_user_role(username, role)
    except (ValueError, LookupError) as exc:
        return _users_error(request, str(exc))
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{username}/delete", summary="删除用户（表单）", dependencies=[Depends(csrf.verify)])
def users_delete(request: Request, username: str, user: User = Depends(admin)) -> Response:
    if username == user.username:
        return _users_error(request, "不能删除自己的账户。")
    try:
        store_of(request).delete_user(username)
    except (ValueError, LookupError) as exc:
        return _users_error(request, str(exc))
    return RedirectResponse("/users", status_code=303)
