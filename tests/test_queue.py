"""The review queue (CLI and web) and the finding keys `check` prints, which `review` takes."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from nianbao.cli import main
from nianbao.store import Store
from nianbao.web import create_app
from nianbao.web.auth import hash_password

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEED_002 = SAMPLES / "002_e36d426879923bc1.txt"
SEED_004 = SAMPLES / "004_075fb8c0c28ee6ce.txt"
PASSWORD = "correct-horse-1"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('queue') / 'q.db'}"
    assert run("ingest", str(SEED_002), str(SEED_004), "--db", url, "-q").exit_code == 0
    return url


def test_check_prints_the_keys_the_store_gives(db: str) -> None:
    out = json.loads(run("check", str(SEED_004), "--format", "json").output)
    printed = {f["key"]: f["rule"] for f in out["findings"]}
    rid = Store(db).reports(q="老城区")[0].id
    stored = {f.key: f.rule for f in Store(db).findings(rid)}
    assert printed == stored and len(printed) == 6
    text = run("check", str(SEED_004)).output
    blank = next(k for k, r in printed.items() if r == "CELL-NOT-FILLED")
    assert f"〔{blank}〕" in text and "nianbao review 编号" in text
    # the key works with review
    assert "已确认" in run("review", blank, "--confirm", "--note", "已核实", "--db", db).output
    run("review", blank, "--clear", "--db", db)


def test_queue_cli_filters_and_orders(db: str) -> None:
    lines = [json.loads(x) for x in run("queue", "--db", db, "--format", "json").output.splitlines()]
    assert [x["severity"] for x in lines] == sorted((x["severity"] for x in lines),
                                                    key=["error", "warning", "info"].index)
    assert lines[0]["rule"] == "PRIVACY-NAMES" and lines[0]["agency"] == "孟津区人民政府"
    warnings = run("queue", "--db", db, "--severity", "warning", "--agency", "老城区").output
    assert "【警告】老城区机关事务服务中心 · 2022年 · [CELL-NOT-FILLED]" in warnings and "共 1 个问题" in warnings
    key = lines[0]["key"]
    assert run("review", key, "--dismiss", "--note", "已删除姓名", "--db", db).exit_code == 0
    open_keys = [json.loads(x)["key"] for x in run("queue", "--db", db, "--open", "--format", "json").output.splitlines()]
    assert key not in open_keys and len(open_keys) == len(lines) - 1
    decided = run("queue", "--db", db, "--rule", "privacy-names").output
    assert "已排除：已删除姓名" in decided
    assert run("queue", "--db", db, "--open", "--agency", "没有这个机关").output.strip() == "没有待审核的问题。"
    run("review", key, "--clear", "--db", db)


def _client(app, username: str) -> TestClient:
    c = TestClient(app, follow_redirects=False)
    token = _CSRF.search(c.get("/login").text).group(1)
    r = c.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token, "next": "/queue"})
    assert r.status_code == 303
    return c


def test_queue_page_decides_in_place(db: str) -> None:
    store = Store(db)
    for name, role in (("viewer1", "viewer"), ("reviewer1", "reviewer")):
        store.create_user(name, hash_password(PASSWORD), role)
    app = create_app(store, secret="test-secret-key")
    viewer, reviewer = _client(app, "viewer1"), _client(app, "reviewer1")
    page = viewer.get("/queue")
    assert page.status_code == 200 and "审核队列" in page.text and 'class="decide"' not in page.text
    assert "第三部分 · （一）予以公开、（二）部分公开 · 自然人至其他（6 列）" in page.text
    key = next(i.finding.key for i in store.queue(rule="CELL-NOT-FILLED"))
    token = _CSRF.search(page.text).group(1)
    refused = viewer.post("/queue/decide", data={"csrf_token": token, "finding_key": key, "decision": "confirmed"})
    assert refused.status_code == 403
    page = reviewer.get("/queue?severity=warning")
    assert 'class="decide"' in page.text and key in page.text
    token = _CSRF.search(page.text).group(1)
    no_csrf = reviewer.post("/queue/decide", data={"finding_key": key, "decision": "confirmed"})
    assert no_csrf.status_code in (400, 403)
    r = reviewer.post("/queue/decide", data={"csrf_token": token, "finding_key": key, "decision": "confirmed",
                                             "note": "应填 0", "back": "severity=warning&state=open&evil=x"})
    assert r.status_code == 303 and r.headers["location"].endswith("/queue?severity=warning&state=open")
    assert store.finding(key).decision == "confirmed" and store.finding(key).decision_note == "应填 0"
    assert key not in reviewer.get("/queue?severity=warning").text  # decided: out of the open queue
    assert "应填 0" in reviewer.get("/queue?state=all&rule=CELL-NOT-FILLED").text
    bad = reviewer.post("/queue/decide", data={"csrf_token": token, "finding_key": "nokey", "decision": "confirmed"})
    assert bad.status_code == 400 and "找不到" in bad.text


def test_report_page_lists_findings_in_template_order(db: str) -> None:
    store = Store(db)
    app = create_app(store, secret="test-secret-key")
    page = _client(app, "viewer1").get(f"/reports/{store.reports(q='老城区')[0].id}").text
    rules = re.findall(r'<tr id="finding-[0-9a-f]+".*?<code>([A-Z0-9-]+)</code>', page, re.S)
    assert rules == ["PERIOD-MISSING", "TABLE-HEADER-LABELS", "CELL-NOT-FILLED", "TABLE-SHORT-ROW", "TABLE-SHORT-ROW",
                     "LABEL-VARIANT"]
    assert "第三部分 · （一）予以公开、（二）部分公开 · 自然人至其他（6 列）" in page
