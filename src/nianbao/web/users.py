"""Pages: sign in (throttled), sign out, change one's password, and (admins) manage users."""
from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..store.audit import LOGOUT
from . import csrf
from .auth import (
    ROLES,
    User,
    address_of,
    admin,
    authenticate,
    hash_password,
    now_of,
    optional_user,
    sign_in,
    sign_out,
    store_of,
    viewer,
)
from .rendering import render
from .throttle import LoginRefused, sign_in_attempt

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
    try:
        user = sign_in_attempt(request, username, password)
    except LoginRefused as exc:
        response = render(request, "login.html", status_code=exc.status_code, next=safe_next(next), error=exc.reason,
                          username=username)
        response.headers.update(exc.headers)
        return response
    sign_in(request, user)
    return RedirectResponse(safe_next(next), status_code=303)


def log_sign_out(request: Request, user: User) -> None:
    store_of(request).record_event(LOGOUT, user.username, address_of(request), at=now_of(request))
    sign_out(request)


@router.post("/logout", include_in_schema=False, dependencies=[Depends(csrf.verify)])
def logout(request: Request, user: User = Depends(viewer)) -> Response:
    log_sign_out(request, user)
    return RedirectResponse("/login", status_code=303)


def change_password(request: Request, user: User, current: str, new: str) -> str | None:
    """Check and set a new password (the Chinese reason when refused). Every other session of the user
    ends; this one carries on under a fresh token, so a copy of the old cookie is worthless too."""
    store = store_of(request)
    if authenticate(store, user.username, current) is None:
        return "当前密码不正确。"
    if len(new) < MIN_PASSWORD:
        return f"新密码至少 {MIN_PASSWORD} 个字符。"
    if new == current:
        return "新密码不能与当前密码相同。"
    store.set_password_hash(user.username, hash_password(new), by=user.username)  # ends all its sessions
    sign_in(request, user)
    return None


@router.get("/account", response_class=HTMLResponse, summary="我的账户（修改密码）")
def account_page(request: Request, user: User = Depends(viewer), done: bool = False) -> Response:
    return render(request, "account.html", done=done)


@router.post("/account/password", summary="修改自己的密码（表单）", dependencies=[Depends(csrf.verify)])
def account_password(request: Request, current_password: str = Form(...), new_password: str = Form(...),
                     user: User = Depends(viewer)) -> Response:
    problem = change_password(request, user, current_password, new_password)
    if problem:
        return render(request, "account.html", status_code=400, done=False, error=problem)
    return RedirectResponse("/account?done=true", status_code=303)


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
    store.create_user(username, hash_password(password), role, by=user.username)
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{username}/role", summary="修改用户角色（表单）", dependencies=[Depends(csrf.verify)])
def users_role(request: Request, username: str, role: str = Form(...), user: User = Depends(admin)) -> Response:
    if role not in ROLES:
        return _users_error(request, "角色无效。")
    if username == user.username and role != "admin":
        return _users_error(request, "不能降低自己的角色（以免系统中没有管理员）。")
    try:
        store_of(request).set_user_role(username, role, by=user.username)
    except (ValueError, LookupError) as exc:
        return _users_error(request, str(exc))
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{username}/delete", summary="删除用户（表单）", dependencies=[Depends(csrf.verify)])
def users_delete(request: Request, username: str, user: User = Depends(admin)) -> Response:
    if username == user.username:
        return _users_error(request, "不能删除自己的账户。")
    try:
        store_of(request).delete_user(username, by=user.username)
    except (ValueError, LookupError) as exc:
        return _users_error(request, str(exc))
    return RedirectResponse("/users", status_code=303)
