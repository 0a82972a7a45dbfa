"""Server-side web sessions: a random token in the cookie, its SHA-256 in ``web_sessions``.

Because the session lives here and not in the cookie, it can be ended: sign-out deletes it, a password
or role change deletes all of the user's sessions (in the same transaction as the change), and a
session idle too long or older than the absolute limit is deleted when it is next presented.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from .models import User, WebSession
from .records import UserRow

# last_seen_at is written at most this often per session: a page view is not a database write.
TOUCH_EVERY = timedelta(seconds=60)


def aware(dt: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything here is UTC."""
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def token_id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_session(s: Session, username: str, now: datetime, address: str | None = None) -> str:
    """A new session for *username*; returns the token for the cookie (never stored as such)."""
    user_id = s.scalar(select(User.id).where(User.username == username))
    if user_id is None:
        from .records import StoreError

        raise StoreError(f"用户 {username} 不存在")
    token = secrets.token_urlsafe(32)
    s.add(WebSession(id=token_id(token), user_id=user_id, created_at=now, last_seen_at=now,
                     address=(address or "")[:64] or None))
    return token


def session_user(s: Session, token: str, now: datetime, *, idle: timedelta, absolute: timedelta) -> UserRow | None:
    """The user of a live session, or None. An expired session is deleted; a live one is touched."""
    row = s.execute(select(WebSession, User).join(User, User.id == WebSession.user_id)
                    .where(WebSession.id == token_id(token))).first()
    if row is None:
        return None
    sess, user = row
    if now - aware(sess.last_seen_at) > idle or now - aware(sess.created_at) > absolute:
        s.delete(sess)
        return None
    if now - aware(sess.last_seen_at) > TOUCH_EVERY:
        sess.last_seen_at = now
    return UserRow(user.id, user.username, user.password_hash, user.role, user.created_at)


def end_session(s: Session, token: str) -> bool:
    return bool(s.execute(delete(WebSession).where(WebSession.id == token_id(token))).rowcount)


def end_user_sessions(s: Session, username: str, keep: str | None = None) -> int:
    """End every session of *username* (but *keep*, a token, when given); returns how many ended."""
    stmt = delete(WebSession).where(WebSession.user_id.in_(select(User.id).where(User.username == username)))
    if keep:
        stmt = stmt.where(WebSession.id != token_id(keep))
    return s.execute(stmt).rowcount or 0


def purge_expired(s: Session, now: datetime, *, idle: timedelta, absolute: timedelta) -> int:
    """Delete sessions past either limit (they would be refused anyway); keeps the table small."""
    return s.execute(delete(WebSession).where(or_(WebSession.last_seen_at < now - idle,
                                                  WebSession.created_at < now - absolute))).rowcount or 0


def count_sessions(s: Session, username: str) -> int:
    from sqlalchemy import func

    return s.scalar(select(func.count(WebSession.id)).join(User, User.id == WebSession.user_id)
                    .where(User.username == username)) or 0
