"""Settings kept in the store: first writer wins, and a reopened store sees the same value."""
from __future__ import annotations

from nianbao.store import Store
from nianbao.web.secret import SETTING_KEY, session_secret
from test_store_support import store_fixture, store_url_fixture  # noqa: F401  (fixtures: SQLite and PostgreSQL)


def test_first_writer_wins(store: Store) -> None:
    assert store.get_setting("k") is None
    assert store.ensure_setting("k", "first") == "first"
    assert store.ensure_setting("k", "second") == "first"
    assert store.get_setting("k") == "first"


def test_session_secret_is_kept_across_restarts(store_url: str, monkeypatch) -> None:
    monkeypatch.delenv("NIANBAO_SECRET", raising=False)
    first = Store(store_url)
    key = session_secret(first)
    assert len(key) > 40 and first.get_setting(SETTING_KEY) == key
    first.close()
    assert session_secret(Store(store_url)) == key
