"""CSRF tokens: one random token per session, required on every state-changing request.

Forms carry it as the hidden field ``csrf_token``; scripts and API clients send it in the
``X-CSRF-Token`` header. SameSite=Lax cookies already stop most cross-site posts; the token also
stops them from a same-site page and from old browsers. Comparison is constant-time.
"""
from __future__ import annotations

import hmac
import secrets

from fastapi import Request

FIELD = "csrf_token"
HEADER = "x-csrf-token"
_SESSION_KEY = "csrf"


class CsrfError(Exception):
    """Raised when a state-changing request lacks a valid token; the app answers 403."""


def new_token(request: Request) -> str:
    token = secrets.token_urlsafe(32)
    request.session[_SESSION_KEY] = token
    return token


def token(request: Request) -> str:
    """This session's token, created on first use (the sign-in form needs one before sign-in)."""
    return request.session.get(_SESSION_KEY) or new_token(request)


async def verify(request: Request) -> None:
    """Dependency for every POST/PUT/DELETE route: header or form field must match the session."""
    expected = request.session.get(_SESSION_KEY)
    given = request.headers.get(HEADER)
    if not given:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()  # Starlette caches the parsed form for the route itself
            value = form.get(FIELD)
            given = value if isinstance(value, str) else None
    if not expected or not given or not hmac.compare_digest(str(expected), str(given)):
        raise CsrfError()
