"""The store's web sessions and audit log (migration 0003) on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nianbao.store import Store
from test_store_support import store_fixture, store_url_fixture  # noqa: F401  (fixtures: SQLite and PostgreSQL)

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
IDLE, ABSOLUTE = timedelta(minutes=30), timedelta(hours=12)


def test_sessions_end_on_timeouts_and_account_changes(store: Store) -> None:
    store.create_user("甲", "hash-1", "reviewer")
    store.create_user("乙", "hash-2", "viewer")
    a, b, c = (store.create_session("甲", T0, "10.0.0.1") for _ in range(3))
    other = store.create_session("乙", T0)
    assert len({a, b, c}) == 3 and store.count_sessions("甲") == 3
    assert store.session_user(a, T0 + timedelta(minutes=29), idle=IDLE, absolute=ABSOLUTE).role == "reviewer"
    # b was not used for 31 minutes: gone for good, even if the clock went back
    assert store.session_user(b, T0 + timedelta(minutes=31), idle=IDLE, absolute=ABSOLUTE) is None
    assert store.session_user(b, T0, idle=IDLE, absolute=ABSOLUTE) is None
    assert store.end_session(c) and not store.end_session(c)
    assert store.count_sessions("甲") == 1
    store.set_password_hash("甲", "hash-3")
    assert store.session_user(a, T0 + timedelta(minutes=30), idle=IDLE, absolute=ABSOLUTE) is None
    assert store.session_user(other, T0 + timedelta(minutes=1), idle=IDLE, absolute=ABSOLUTE).username == "乙"
    d = store.create_session("甲", T0)
    store.set_user_role("甲", "admin", by="乙")
    assert store.session_user(d, T0, idle=IDLE, absolute=ABSOLUTE) is None
    e = store.create_session("甲", T0)
    store.delete_user("甲")
    assert store.session_user(e, T0, idle=IDLE, absolute=ABSOLUTE) is None
    late = store.create_session("乙", T0 - ABSOLUTE)
    assert store.purge_sessions(T0 + timedelta(minutes=45), idle=IDLE, absolute=ABSOLUTE) == 2  # other, late
    assert store.session_user(late, T0, idle=IDLE, absolute=ABSOLUTE) is None
    events = [(e.event, e.username, e.detail) for e in store.audit() if e.event != "user_created"]
    assert ("role_changed", "甲", "reviewer → admin（操作人 乙）") in events
    assert [e for e, *_ in events].count("password_changed") == 1 and ("user_deleted", "甲", "") in events


def test_login_failures_count_per_account_and_address(store: Store) -> None:
    for i, (user, addr) in enumerate([("甲", "1.1.1.1"), ("甲", "1.1.1.1"), ("乙", "1.1.1.1"), ("甲", "2.2.2.2")]):
        store.record_event("login_failure", user, addr, at=T0 + timedelta(minutes=i))
    state = store.login_failures("甲", "1.1.1.1", T0)
    assert (state.account_failures, state.address_failures) == (3, 3)
    assert state.account_last == T0 + timedelta(minutes=3) and state.address_last == T0 + timedelta(minutes=2)
    assert store.login_failures("甲", "1.1.1.1", T0 + timedelta(minutes=2)).account_failures == 1  # window
    store.record_event("login_success", "甲", "2.2.2.2", at=T0 + timedelta(minutes=4))
    after = store.login_failures("甲", "1.1.1.1", T0)
    assert (after.account_failures, after.address_failures) == (0, 3)  # a success clears the account only
    assert store.count_audit(event="login_failure") == 4
    assert [e.username for e in store.audit(event="login_failure", limit=2)] == ["甲", "乙"]
