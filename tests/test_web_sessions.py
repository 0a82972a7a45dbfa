"""Server-side sessions, timeouts, the sign-in throttle and the audit log (issue 13).

Time is a :class:`FakeClock` handed to ``create_app``: the tests step it past the limits instead of
sleeping. Each test gets its own store, so the throttle's memory of one test never leaks into another.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from nianbao.cli import main
from nianbao.errors import NianbaoError
from nianbao.store import Store
from nianbao.web import create_app
from nianbao.web.auth import hash_password
from nianbao.web.policy import Policy

PASSWORD = "correct-horse-1"
COOKIE = "nianbao_session"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'sessions.db'}")
    for name, role in (("viewer1", "viewer"), ("reviewer1", "reviewer"), ("admin1", "admin")):
        s.create_user(name, hash_password(PASSWORD), role)
    yield s
    s.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(store, clock):
    policy = Policy(session_idle_minutes=30, session_absolute_hours=12, login_window_minutes=15,
                    login_max_failures_account=5, login_max_failures_address=8, login_lockout_minutes=15)
    return create_app(store, secret="sessions-test", policy=policy, clock=clock)


def token_of(c: TestClient, path: str = "/login") -> str:
    r = c.get(path)
    assert r.status_code == 200, (path, r.status_code)
    return _CSRF.search(r.text).group(1)


def login(c: TestClient, username: str, password: str = PASSWORD):
    token = token_of(c, "/corpus" if c.get("/login").status_code == 303 else "/login")  # signed in already?
    return c.post("/login", data={"username": username, "password": password, "csrf_token": token})


def signed_in(app, username: str) -> TestClient:
    c = TestClient(app, follow_redirects=False)
    assert login(c, username).status_code == 303
    return c


def replay(app, cookie: str) -> TestClient:
    """A fresh client holding only a copy of another client's session cookie."""
    c = TestClient(app, follow_redirects=False)
    c.cookies.set(COOKIE, cookie)
    return c


# ------------------------------------------------------------------------------ revocation
def test_cookie_replayed_after_logout_is_refused(app, store) -> None:
    c = signed_in(app, "reviewer1")
    copied = c.cookies[COOKIE]
    assert replay(app, copied).get("/api/me").status_code == 200
    assert store.count_sessions("reviewer1") == 1
    assert c.post("/logout", data={"csrf_token": token_of(c, "/corpus")}).status_code == 303
    assert store.count_sessions("reviewer1") == 0
    thief = replay(app, copied)
    assert thief.get("/api/me").status_code == 401
    r = thief.get("/corpus")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_api_logout_ends_the_session(app) -> None:
    c = TestClient(app)
    r = c.post("/api/session", json={"username": "viewer1", "password": PASSWORD})
    copied = c.cookies[COOKIE]
    assert c.delete("/api/session", headers={"X-CSRF-Token": r.json()["csrf_token"]}).status_code == 200
    assert replay(app, copied).get("/api/reports").status_code == 401


def test_password_change_ends_every_other_session(app, store) -> None:
    laptop, phone = signed_in(app, "reviewer1"), signed_in(app, "reviewer1")
    old_cookie = laptop.cookies[COOKIE]
    token = token_of(laptop, "/account")
    wrong = laptop.post("/account/password", data={"csrf_token": token, "current_password": "nope-nope",
                                                     "new_password": "brand-new-pass"})
    assert wrong.status_code == 400 and "当前密码不正确" in wrong.text
    assert phone.get("/api/me").status_code == 200  # a refused change ends nothing
    r = laptop.post("/account/password", data={"csrf_token": token, "current_password": PASSWORD,
                                                 "new_password": "brand-new-pass"})
    assert r.status_code == 303 and r.headers["location"] == "/account?done=true"
    assert phone.get("/api/me").status_code == 401
    assert replay(app, old_cookie).get("/api/me").status_code == 401
    assert laptop.get("/api/me").json()["username"] == "reviewer1"  # the changer carries on, new token
    assert login(TestClient(app, follow_redirects=False), "reviewer1").status_code == 401
    assert login(TestClient(app, follow_redirects=False), "reviewer1", "brand-new-pass").status_code == 303


def test_password_reset_from_the_cli_ends_sessions(app, store, tmp_path) -> None:
    c = signed_in(app, "viewer1")
    r = CliRunner().invoke(main, ["users", "password", "viewer1", "--password-stdin", "--db", store.url],
                           input="another-password\n")
    assert r.exit_code == 0, r.output
    assert c.get("/api/me").status_code == 401


def test_role_change_ends_the_users_sessions(app, store) -> None:
    target, other = signed_in(app, "reviewer1"), signed_in(app, "viewer1")
    admin = signed_in(app, "admin1")
    assert target.get("/api/me").json()["role"] == "reviewer"
    r = admin.post("/users/reviewer1/role", data={"csrf_token": token_of(admin, "/users"), "role": "viewer"})
    assert r.status_code == 303
    assert target.get("/api/me").status_code == 401
    assert other.get("/api/me").status_code == 200 and admin.get("/api/me").status_code == 200
    again = signed_in(app, "reviewer1")
    assert again.get("/api/me").json()["role"] == "viewer"
    # the same through the store (as `nianbao users role` does), and an unchanged role ends nothing
    store.set_user_role("reviewer1", "viewer")
    assert again.get("/api/me").status_code == 200
    store.set_user_role("reviewer1", "reviewer")
    assert again.get("/api/me").status_code == 401


def test_cli_logout_ends_all_sessions(app, store) -> None:
    a, b = signed_in(app, "viewer1"), signed_in(app, "viewer1")
    r = CliRunner().invoke(main, ["users", "logout", "viewer1", "--db", store.url])
    assert r.exit_code == 0 and "2 个登录会话" in r.output
    assert a.get("/api/me").status_code == 401 and b.get("/api/me").status_code == 401


# ------------------------------------------------------------------------------ timeouts
def test_idle_timeout(app, clock) -> None:
    c = signed_in(app, "viewer1")
    for _ in range(3):  # active every 29 minutes: never idle for 30
        clock.advance(minutes=29)
        assert c.get("/api/me").status_code == 200
    clock.advance(minutes=31)
    assert c.get("/api/me").status_code == 401
    clock.advance(minutes=-31)  # the session is gone, not merely hidden by the clock
    assert c.get("/api/me").status_code == 401


def test_absolute_timeout(app, clock) -> None:
    c = signed_in(app, "viewer1")
    for _ in range(int(12 * 60 / 20)):  # busy all day, a request every 20 minutes
        clock.advance(minutes=20)
        assert c.get("/api/me").status_code == 200, clock.now
    clock.advance(minutes=1)  # 12 h + 1 min after signing in
    assert c.get("/api/me").status_code == 401
    assert signed_in(app, "viewer1").get("/api/me").status_code == 200


def test_policy_from_environment() -> None:
    p = Policy.from_env({"NIANBAO_SESSION_IDLE_MINUTES": "5", "NIANBAO_LOGIN_MAX_FAILURES_ACCOUNT": "3"})
    assert p.idle == timedelta(minutes=5) and p.login_max_failures_account == 3
    assert p.absolute == timedelta(hours=12)
    with pytest.raises(NianbaoError) as err:
        Policy.from_env({"NIANBAO_LOGIN_LOCKOUT_MINUTES": "abc"})
    assert "NIANBAO_LOGIN_LOCKOUT_MINUTES" in err.value.reason and "正数" in err.value.reason


# ------------------------------------------------------------------------------ throttle
def test_account_lockout_with_retry_after(app, clock, store) -> None:
    c = TestClient(app, follow_redirects=False)
    codes = [login(c, "reviewer1", f"wrong-{i}").status_code for i in range(5)]
    assert codes == [401, 401, 401, 401, 429]
    locked = login(c, "reviewer1")  # even the right password, while locked
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.text and "15 分钟" in locked.text
    assert int(locked.headers["retry-after"]) == 15 * 60
    clock.advance(minutes=10)
    again = login(c, "reviewer1")
    assert again.status_code == 429 and int(again.headers["retry-after"]) == 5 * 60
    # other accounts from elsewhere are not affected by this account's lock
    assert login(TestClient(app, follow_redirects=False), "viewer1").status_code == 303
    clock.advance(minutes=5, seconds=1)
    assert login(c, "reviewer1").status_code == 303
    events = [e.event for e in store.audit(username="reviewer1") if e.event != "user_created"][::-1]
    assert events == ["login_failure"] * 5 + ["login_locked"] * 2 + ["login_success"]


def test_success_clears_the_account_count(app, clock) -> None:
    c = TestClient(app, follow_redirects=False)
    for _ in range(4):
        assert login(c, "viewer1", "wrong-pass").status_code == 401
    assert login(c, "viewer1").status_code == 303
    for _ in range(3):  # without the reset the first of these would be the account's fifth failure
        assert login(c, "viewer1", "wrong-pass").status_code == 401
    assert login(c, "viewer1", "wrong-pass").status_code == 429  # the address's eighth failure


def test_address_lockout_across_accounts(app, store) -> None:
    c = TestClient(app, follow_redirects=False)  # every TestClient request comes from "testclient"
    codes = [login(c, f"guess{i}", "wrong-pass").status_code for i in range(8)]
    assert codes == [401] * 7 + [429]
    assert login(c, "admin1").status_code == 429  # that address is locked, whichever account
    failures = store.audit(event="login_failure")
    assert len(failures) == 8 and failures[0].detail == "用户不存在" and failures[0].address == "testclient"


def test_api_sign_in_is_throttled_too(app) -> None:
    c = TestClient(app)
    codes = [c.post("/api/session", json={"username": "admin1", "password": "bad"}).status_code for _ in range(5)]
    assert codes == [401] * 4 + [429]
    r = c.post("/api/session", json={"username": "admin1", "password": PASSWORD})
    assert r.status_code == 429 and "请" in r.json()["detail"] and int(r.headers["retry-after"]) > 0


# ------------------------------------------------------------------------------ audit log
def test_audit_page_api_and_cli(app, store, tmp_path) -> None:
    login(TestClient(app, follow_redirects=False), "viewer1", "wrong-pass")
    admin = signed_in(app, "admin1")
    token = token_of(admin, "/users")
    admin.post("/users/viewer1/role", data={"csrf_token": token, "role": "reviewer"})
    page = admin.get("/audit")
    assert page.status_code == 200
    assert "登录失败" in page.text and "登录成功" in page.text and "修改角色" in page.text
    assert "viewer → reviewer（操作人 admin1）" in page.text
    only = admin.get("/audit", params={"event": "login_failure"}).text
    assert "登录失败" in only and "修改角色</td>" not in only
    assert admin.get("/audit", params={"event": "nonsense"}).status_code == 422
    api = admin.get("/api/audit", params={"username": "viewer1"}).json()
    assert api["total"] == 3
    assert [e["event"] for e in api["events"] if e["event"] != "user_created"] == ["role_changed", "login_failure"]
    for who in ("viewer1", "reviewer1"):
        c = signed_in(app, who)
        assert c.get("/audit").status_code == 403 and c.get("/api/audit").status_code == 403
    r = CliRunner().invoke(main, ["audit", "--event", "login_failure", "--db", store.url])
    assert r.exit_code == 0 and "登录失败\tviewer1\ttestclient\t密码错误" in r.output
    r = CliRunner().invoke(main, ["audit", "--user", "admin1", "--json", "--since", "2024-03-01", "--db", store.url])
    assert r.exit_code == 0 and '"event": "login_success"' in r.output
    bad = CliRunner().invoke(main, ["audit", "--since", "yesterday", "--db", store.url])
    assert bad.exit_code != 0 and "无法识别的时间" in bad.output


def test_review_decisions_are_audited(app, store) -> None:
    from conftest import SAMPLES

    store.ingest([str(next(SAMPLES.glob("003_*.txt")))])
    rid = store.reports()[0].id
    key = store.findings(rid)[0].key
    c = signed_in(app, "reviewer1")
    r = c.post(f"/reports/{rid}/decide", data={"csrf_token": token_of(c, f"/reports/{rid}"), "finding_key": key,
                                               "decision": "dismissed", "note": "已核实"})
    assert r.status_code == 303
    store.decide(key, "confirmed", "命令行复核", user="张三")
    rows = store.audit(event="decision")
    assert [(e.username, e.detail) for e in rows] == [("张三", f"{key} confirmed 命令行复核"),
                                                      ("reviewer1", f"{key} dismissed 已核实")]
    assert rows[1].address == "testclient"


def test_serve_refuses_a_bad_setting_in_chinese(tmp_path) -> None:
    r = CliRunner().invoke(main, ["serve", "--db", f"sqlite:///{tmp_path / 's.db'}", "--port", "1"],
                           env={"NIANBAO_LOGIN_MAX_FAILURES_ACCOUNT": "0"})
    assert r.exit_code != 0 and "NIANBAO_LOGIN_MAX_FAILURES_ACCOUNT 应为正整数" in r.output
    assert "Traceback" not in r.output


def test_event_lists_agree() -> None:
    """The CLI and the web page name the same events the store records (kept apart for import speed)."""
    from nianbao.commands.audit import EVENT_CHOICES
    from nianbao.store.audit import EVENTS
    from nianbao.web.audit import Event

    assert EVENT_CHOICES == EVENTS == Event.__args__
