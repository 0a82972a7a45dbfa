"""Named settings kept in the store, so every process serving the same store agrees on them."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from .models import Setting


def get_setting(factory: sessionmaker, key: str) -> str | None:
    with factory() as s:
        return s.scalar(select(Setting.value).where(Setting.key == key))


def ensure_setting(factory: sessionmaker, key: str, value: str) -> str:
    """Store *value* under *key* unless one is there already; return the stored value.

    First writer wins, so two processes starting at once end up with the same value.
    """
    try:
        with factory.begin() as s:
            existing = s.scalar(select(Setting.value).where(Setting.key == key))
            if existing is not None:
                return existing
            s.add(Setting(key=key, value=value))
        return value
    except IntegrityError:
        stored = get_setting(factory, key)
        assert stored is not None
        return stored
