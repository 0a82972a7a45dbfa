"""The audit log: sign-ins and their failures and lockouts, sign-outs, account changes, review decisions.

The log is also what the sign-in throttle counts (:func:`login_failures`), so the throttle holds across
restarts and across every process serving the same store.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import AuditEvent, utcnow
from .records import AuditRow, ThrottleState
from .sessions import aware

LOGIN_SUCCESS, LOGIN_FAILURE, LOGIN_LOCKED = "login_success", "login_failure", "login_locked"
LOGOUT, PASSWORD_CHANGED, ROLE_CHANGED = "logout", "password_changed", "role_changed"
USER_CREATED, USER_DELETED, DECISION = "user_created", "user_deleted", "decision"
EVENT_NAMES = {
    LOGIN_SUCCESS: "登录成功", LOGIN_FAILURE: "登录失败", LOGIN_LOCKED: "登录被锁定", LOGOUT: "退出登录",
    PASSWORD_CHANGED: "修改密码", ROLE_CHANGED: "修改角色", USER_CREATED: "新建用户", USER_DELETED: "删除用户",
    DECISION: "审核结论",
}
EVENTS = tuple(EVENT_NAMES)


def record(s: Session, event: str, username: str | None = None, address: str | None = None, detail: str = "",
           at: datetime | None = None) -> None:
    if event not in EVENT_NAMES:
        raise ValueError(f"unknown audit event {event!r}")
    s.add(AuditEvent(at=at or utcnow(), event=event, username=(username or "")[:100] or None,
                     address=(address or "")[:64] or None, detail=detail or ""))


def events(s: Session, *, event: str | None = None, username: str | None = None, since: datetime | None = None,
           limit: int = 200, offset: int = 0) -> list[AuditRow]:
    """Newest first."""
    stmt = select(AuditEvent)
    if event:
        stmt = stmt.where(AuditEvent.event == event)
    if username:
        stmt = stmt.where(AuditEvent.username == username)
    if since is not None:
        stmt = stmt.where(AuditEvent.at >= since)
    stmt = stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit).offset(offset)
    return [AuditRow(aware(e.at), e.event, e.username, e.address, e.detail) for e in s.scalars(stmt)]


def count_events(s: Session, *, event: str | None = None, username: str | None = None,
                 since: datetime | None = None) -> int:
    stmt = select(func.count(AuditEvent.id))
    if event:
        stmt = stmt.where(AuditEvent.event == event)
    if username:
        stmt = stmt.where(AuditEvent.username == username)
    if since is not None:
        stmt = stmt.where(AuditEvent.at >= since)
    return s.scalar(stmt) or 0


def login_failures(s: Session, username: str, address: str | None, since: datetime) -> ThrottleState:
    """Failures since *since*: for the account, only those after its last successful sign-in."""
    last_ok = s.scalar(select(func.max(AuditEvent.id)).where(AuditEvent.username == username,
                                                              AuditEvent.event == LOGIN_SUCCESS,
                                                              AuditEvent.at >= since))
    account = select(func.count(AuditEvent.id), func.max(AuditEvent.at)).where(
        AuditEvent.username == username, AuditEvent.event == LOGIN_FAILURE, AuditEvent.at >= since)
    if last_ok is not None:
        account = account.where(AuditEvent.id > last_ok)
    n_acc, last_acc = s.execute(account).one()
    n_addr, last_addr = 0, None
    if address:
        n_addr, last_addr = s.execute(select(func.count(AuditEvent.id), func.max(AuditEvent.at))
                                      .where(AuditEvent.address == address, AuditEvent.event == LOGIN_FAILURE,
                                             AuditEvent.at >= since)).one()
    return ThrottleState(n_acc or 0, aware(last_acc) if last_acc else None, n_addr or 0,
                         aware(last_addr) if last_addr else None)
