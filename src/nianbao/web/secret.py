"""The key that signs session cookies: from the environment, else generated once and kept in the DB.

Keeping it in the database (not in a file beside the code) means every worker and every restart of
``nianbao serve`` on the same store signs with the same key, so reviewers stay signed in, while a
fresh store gets a fresh random key. The store contract has no settings table, so this module keeps
its own one-table metadata on the store's engine; it never touches the store's own tables.
"""
from __future__ import annotations

import os
import secrets
from typing import Any

from sqlalchemy import Column, MetaData, String, Table, insert, select
from sqlalchemy.exc import IntegrityError

ENV_VAR = "NIANBAO_SECRET"
_META = MetaData()
_SETTINGS = Table(
    "web_settings",
    _META,
    Column("key", String(64), primary_key=True),
    Column("value", String(512), nullable=False),
)
_KEY = "session_secret"


def _engine(store: Any) -> Any:
    """The store's SQLAlchemy engine, under whichever attribute name the store exposes it."""
    for name in ("engine", "_engine"):
        engine = getattr(store, name, None)
        if engine is not None:
            return engine
    return None


def session_secret(store: Any) -> str:
    """$NIANBAO_SECRET, else the key stored in the DB, else a new random key (stored for next time)."""
    env = os.environ.get(ENV_VAR)
    if env:
        return env
    for name in ("get_setting",):  # a store that grows a settings API is preferred
        getter = getattr(store, name, None)
        if callable(getter):
            value = getter(_KEY)
            if value:
                return str(value)
            value = secrets.token_urlsafe(48)
            store.set_setting(_KEY, value)
            return value
    engine = _engine(store)
    if engine is None:  # a store without an engine (a test double): a per-process key
        return secrets.token_urlsafe(48)
    _META.create_all(engine, checkfirst=True)
    with engine.begin() as conn:
        row = conn.execute(select(_SETTINGS.c.value).where(_SETTINGS.c.key == _KEY)).first()
        if row:
            return str(row[0])
    value = secrets.token_urlsafe(48)
    try:
        with engine.begin() as conn:
            conn.execute(insert(_SETTINGS).values(key=_KEY, value=value))
    except IntegrityError:  # another process generated it first: use theirs
        with engine.begin() as conn:
            value = str(conn.execute(select(_SETTINGS.c.value).where(_SETTINGS.c.key == _KEY)).scalar_one())
    return value
