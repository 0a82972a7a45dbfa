"""Who is asking, and may they: argon2 password hashes, server-side sessions, the three roles.

Every page and API route depends on :func:`viewer`, :func:`reviewer` or :func:`admin`; only the sign-in
page and the static files are public. The session cookie (Starlette's ``SessionMiddleware``, signed
with itsdangerous, HttpOnly, SameSite=Lax) holds a random session token and the CSRF token, never the
user name: the session itself lives in the store (``web_sessions``), so sign-out, a password change, a
role change or deleting the user ends it for good — a copied cookie replayed later is worthless — and
the idle and absolute timeouts of :class:`~.policy.Policy` are enforced there, against the app's clock.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from fastapi import Depends, Request

VIEWER, REVIEWER, ADMIN = "viewer", "reviewer", "admin"
ROLES: tuple[str, ...] = (VIEWER, REVIEWER, ADMIN)
ROLE_NAMES = {VIEWER: "查看者", REVIEWER: "审核员", ADMIN: "管理员"}
_RANK = {r: i for i, r in enumerate(ROLES)}
SESSION_TOKEN = "sid"

_HASHER = PasswordHasher()
# Verifying against this when the user does not exist keeps the answer time the same either way.
_DUMMY_HASH = _HASHER.hash("nianbao-no-such-user")


@dataclass(frozen=True, slots=True)
class User:
    username: str
    role: str

    def can(self, role: str) -> bool:
        """True when this user's role includes *role* (admin ⊃ reviewer ⊃ viewer)."""
        return _RANK.get(self.role, -1) >= _RANK[role]

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)


class NotSignedIn(Exception):
    """Raised by the guards; the app answers 401 (API) or a redirect to the sign-in page."""


class Forbidden(Exception):
    """Raised when a signed-in user lacks the role; the app answers 403 with a Chinese reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-effort check: a missing user costs the same argon2 work as a wrong password."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def store_of(request: Request) -> Any:
    return request.app.state.store


def authenticate(store: Any, username: str, password: str) -> User | None:
    row = store.get_user(username) if username else None
    if not verify_password(row.password_hash if row else None, password):
        return None
    assert row is not None
    return User(row.username, row.role)


def clock_of(request: Request) -> Callable[[], datetime]:
    """The app's clock (tests inject one to step past the timeouts without sleeping)."""
    return getattr(request.app.state, "clock", None) or (lambda: datetime.now(UTC))


def now_of(request: Request) -> datetime:
    return clock_of(request)()


def policy_of(request: Request) -> Any:
    from .policy import Policy

    return getattr(request.app.state, "policy", None) or Policy()


def address_of(request: Request) -> str | None:
    """The peer address (behind a reverse proxy, run uvicorn with --proxy-headers so this is the client)."""
    return request.client.host if request.client else None


def sign_in(request: Request, user: User) -> None:
    """Start a fresh session (a new CSRF token too), so a session fixed before sign-in is worthless."""
    from .csrf import new_token

    store, now, policy = store_of(request), now_of(request), policy_of(request)
    store.purge_sessions(now, idle=policy.idle, absolute=policy.absolute)  # sessions nobody came back to
    request.session.clear()
    request.session[SESSION_TOKEN] = store.create_session(user.username, now, address_of(request))
    request.state.__dict__.pop("_user_cache", None)
    new_token(request)


def sign_out(request: Request) -> None:
    """End the session in the store (the cookie alone can never sign in again), then clear the cookie."""
    token = request.session.get(SESSION_TOKEN)
    if token:
        store_of(request).end_session(token)
    request.session.clear()


def session_token(request: Request) -> str | None:
    token = request.session.get(SESSION_TOKEN)
    return token if isinstance(token, str) else None


def optional_user(request: Request) -> User | None:
    """The user of this request's live session, or None (signed out, expired, revoked, user deleted)."""
    cache = request.state.__dict__
    if "_user_cache" not in cache:
        token = session_token(request)
        user = None
        if token:
            policy = policy_of(request)
            row = store_of(request).session_user(token, now_of(request), idle=policy.idle,
                                                 absolute=policy.absolute)
            if row is None:
                request.session.pop(SESSION_TOKEN, None)  # ended or expired: drop it from the cookie
            else:
                user = User(row.username, row.role)
        cache["_user_cache"] = user
    return cache["_user_cache"]


def viewer(request: Request) -> User:
    """Guard: any signed-in user."""
    user = optional_user(request)
    if user is None:
        raise NotSignedIn()
    request.state.user = user
    return user


def reviewer(user: User = Depends(viewer)) -> User:
    """Guard: reviewers and admins (upload, decide)."""
    if not user.can(REVIEWER):
        raise Forbidden("权限不足：此操作需要审核员或管理员角色。")
    return user


def admin(user: User = Depends(viewer)) -> User:
    """Guard: admins only (manage users)."""
    if not user.can(ADMIN):
        raise Forbidden("权限不足：此操作需要管理员角色。")
    return user
