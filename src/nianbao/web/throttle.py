"""Sign-in with a throttle: too many failures on one account, or from one address, lock it for a while.

Every attempt is written to the audit log (success, failure, refused while locked), and the throttle
counts the failures there, so it holds across restarts and across processes serving the same store.
While locked, the password is not even checked: a guesser learns nothing, and the answer is a 429
with ``Retry-After`` and a Chinese reason. A success clears its account's count (not the address's).
"""
from __future__ import annotations

import math
from datetime import datetime

from fastapi import Request

from ..store.audit import LOGIN_FAILURE, LOGIN_LOCKED, LOGIN_SUCCESS
from .auth import User, address_of, authenticate, now_of, policy_of, store_of


class LoginRefused(Exception):
    """Wrong credentials (401) or a lock (429, ``retry_after`` seconds); ``reason`` is Chinese."""

    def __init__(self, status_code: int, reason: str, retry_after: int | None = None) -> None:
        super().__init__(reason)
        self.status_code, self.reason, self.retry_after = status_code, reason, retry_after

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)} if self.retry_after else {}


def locked_until(store, policy, username: str, address: str | None, now: datetime) -> datetime | None:
    """When the lock on this account or address ends, or None when neither is locked."""
    state = store.login_failures(username, address, now - policy.window)
    ends = []
    if state.account_failures >= policy.login_max_failures_account and state.account_last:
        ends.append(state.account_last + policy.lockout)
    if state.address_failures >= policy.login_max_failures_address and state.address_last:
        ends.append(state.address_last + policy.lockout)
    until = max(ends, default=None)
    return until if until is not None and until > now else None


def _locked(until: datetime, now: datetime) -> LoginRefused:
    seconds = max(1, math.ceil((until - now).total_seconds()))
    minutes = max(1, math.ceil(seconds / 60))
    return LoginRefused(429, f"登录失败次数过多，已暂时锁定：请 {minutes} 分钟后再试。", retry_after=seconds)


def sign_in_attempt(request: Request, username: str, password: str) -> User:
    """The user for these credentials, or :class:`LoginRefused`; every outcome goes to the audit log."""
    store, policy, now, address = store_of(request), policy_of(request), now_of(request), address_of(request)
    name = username.strip()[:100]
    until = locked_until(store, policy, name, address, now)
    if until is not None:
        store.record_event(LOGIN_LOCKED, name, address, at=now)
        raise _locked(until, now)
    user = authenticate(store, name, password)
    if user is None:
        store.record_event(LOGIN_FAILURE, name, address, at=now,
                           detail="密码错误" if name and store.get_user(name) else "用户不存在")
        until = locked_until(store, policy, name, address, now)
        if until is not None:
            raise _locked(until, now)
        raise LoginRefused(401, "用户名或密码错误。")
    store.record_event(LOGIN_SUCCESS, name, address, at=now)
    return user
