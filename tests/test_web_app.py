"""The reviewers' web app through FastAPI's TestClient, against a temporary SQLite store.

Covers what a reviewer relies on: nothing is served without signing in, roles are enforced, CSRF is
required, uploads are limited, report text is escaped, the seeds' findings show on the report page,
and decisions survive re-uploads.
"""
from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from nianbao.checks import REGISTRY
from nianbao.store import Store
from nianbao.web import create_app
from nianbao.web.auth import hash_password
from nianbao.web.uploads import Limits

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEEDS = sorted(SAMPLES.glob("*.txt"))
SEED_002 = next(p for p in SEEDS if p.name.startswith("002_"))
SEED_003 = next(p for p in SEEDS if p.name.startswith("003_"))
SEED_000 = next(p for p in SEEDS if p.name.startswith("000_"))
PASSWORD = "correct-horse-1"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    db = tmp_path_factory.mktemp("web") / "web.db"
    s = Store(f"sqlite:///{db}")
    for name, role in (("viewer1", "viewer"), ("reviewer1", "reviewer"), ("admin1", "admin")):
        s.create_user(name, hash_password(PASSWORD), role)
    return s


@pytest.fixture(scope="module")
def app(store: Store):
    return create_app(store, secret="test-secret-key")


def client_for(app, username: str | None = None) -> TestClient:
    """A client, signed in through the real sign-in form when *username* is given."""
    c = TestClient(app, follow_redirects=False)
    if username:
        token = csrf_of(c, "/login")
        r = c.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token, "next": "/corpus"})
        assert r.status_code == 303, r.text
    return c


def csrf_of(c: TestClient, path: str = "/corpus") -> str:
    r = c.get(path)
    assert r.status_code == 200, (path, r.status_code)
    m = _CSRF.search(r.text)
    assert m, f"no CSRF token on {path}"
    return m.group(1)


def upload(c: TestClient, files: list[tuple[str, bytes]], token: str | None = None) -> dict:
    """Upload through the JSON API and wait for the batch to finish."""
    token = token or csrf_of(c, "/upload")
    r = c.post("/api/uploads?wait=true", headers={"X-CSRF-Token": token},
               files=[("files", (name, data, "application/octet-stream")) for name, data in files])
    assert r.status_code == 200, r.text
    batch = r.json()
    assert batch["finished"]
    return batch


def report_id_of(batch: dict, name_start: str) -> int:
    item = next(i for i in batch["items"] if i["name"].startswith(name_start))
    assert item["report_id"], item
    return item["report_id"]


@pytest.fixture(scope="module")
def reviewer(app) -> TestClient:
    return client_for(app, "reviewer1")


@pytest.fixture(scope="module")
def seeded(reviewer: TestClient) -> dict:
    return upload(reviewer, [(p.name, p.read_bytes()) for p in SEEDS])


# --------------------------------------------------------------------------- sign-in for everything
PUBLIC = {("GET", "/login"), ("POST", "/login"), ("POST", "/api/session")}  # sign-in itself


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda m: "csv" if m.group(0) == "{fmt}" else "1", path)


def all_routes(routes, prefix: str = ""):
    """``(path, route)`` of every API route of ``app.routes``, included routers expanded
    (newer FastAPI keeps an included router as one entry holding the original router)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from all_routes(inner.routes, prefix + (getattr(context, "prefix", "") or ""))
        elif isinstance(route, APIRoute):
            yield prefix + route.path, route


def test_every_route_refuses_without_a_session(app) -> None:
    c = TestClient(app, follow_redirects=False)
    checked = 0
    for path, route in all_routes(app.routes):
        for method in route.methods:
            if (method, path) in PUBLIC:
                continue
            r = c.request(method, _concrete(path))
            checked += 1
            if method == "GET" and not path.startswith("/api/"):
                assert r.status_code == 303 and r.headers["location"].startswith("/login"), (method, path)
            elif not path.startswith("/api/") and r.status_code == 303:
                assert r.headers["location"].startswith("/login"), (method, path)  # a page form: sign in first
            else:
                # 401 without a session; state-changing calls may be refused earlier for the missing CSRF token.
                assert r.status_code in (401, 403), (method, path, r.status_code)
    assert checked > 30
    # FastAPI's own docs (CDN assets) are off; the schema is behind sign-in.
    assert c.get("/docs").status_code == 404
    assert c.get("/redoc").status_code == 404
    assert c.get("/openapi.json").status_code == 404
    assert c.get("/api/openapi.json").status_code == 401


def test_static_is_served_locally_without_cdn(app) -> None:
    c = TestClient(app)
    assert c.get("/static/vendor/chartjs/chart.umd.min.js").status_code == 200
    page = c.get("/login").text
    assert "http://" not in page and "https://" not in page
    for css in (Path(__file__).resolve().parent.parent / "src/nianbao/web/static/css").glob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert "@import" not in text and "url(http" not in text and "@font-face" not in text


def test_session_cookie_flags_and_wrong_password(app) -> None:
    c = TestClient(app, follow_redirects=False)
    token = csrf_of(c, "/login")
    bad = c.post("/login", data={"username": "reviewer1", "password": "nope", "csrf_token": token})
    assert bad.status_code == 401 and "用户名或密码错误" in bad.text
    ok = c.post("/login", data={"username": "reviewer1", "password": PASSWORD, "csrf_token": token})
    assert ok.status_code == 303
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert PASSWORD not in ok.headers["set-cookie"]


def test_open_redirect_refused(app) -> None:
    c = TestClient(app, follow_redirects=False)
    token = csrf_of(c, "/login")
    r = c.post("/login", data={"username": "viewer1", "password": PASSWORD, "csrf_token": token,
                               "next": "//evil.example/"})
    assert r.headers["location"] == "/corpus"


# --------------------------------------------------------------------------- CSRF and roles
def test_form_posts_without_csrf_are_refused(app, seeded) -> None:
    c = client_for(app, "admin1")
    rid = report_id_of(seeded, "003_")
    key = c.get(f"/api/reports/{rid}").json()["findings"][0]["key"]
    assert c.post(f"/reports/{rid}/decide", data={"finding_key": key, "decision": "confirmed"}).status_code == 403
    assert c.post("/users", data={"username": "x1", "password": "abcdefghij", "role": "viewer"}).status_code == 403
    r = c.post("/upload", files=[("files", ("a.txt", b"hello", "text/plain"))])
    assert r.status_code == 403 and "CSRF" in r.text
    assert c.post("/logout").status_code == 403
    assert c.post("/api/decisions", json={"finding_key": key, "decision": "confirmed"}).status_code == 403
    wrong = c.post("/api/decisions", json={"finding_key": key, "decision": "confirmed"},
                   headers={"X-CSRF-Token": "forged"})
    assert wrong.status_code == 403
    anon = TestClient(app, follow_redirects=False)
    assert anon.post("/login", data={"username": "admin1", "password": PASSWORD}).status_code == 403


def test_viewer_cannot_upload_or_decide(app, seeded) -> None:
    c = client_for(app, "viewer1")
    token = csrf_of(c)
    rid = report_id_of(seeded, "003_")
    assert c.get("/upload").status_code == 403
    r = c.post("/upload", data={"csrf_token": token}, files=[("files", ("a.txt", SEED_000.read_bytes(), "text/plain"))])
    assert r.status_code == 403 and "权限不足" in r.text
    r = c.post("/api/uploads", headers={"X-CSRF-Token": token}, files=[("files", ("a.txt", b"x", "text/plain"))])
    assert r.status_code == 403
    key = c.get(f"/api/reports/{rid}").json()["findings"][0]["key"]
    r = c.post(f"/reports/{rid}/decide", data={"csrf_token": token, "finding_key": key, "decision": "dismissed"})
    assert r.status_code == 403
    r = c.post("/api/decisions", headers={"X-CSRF-Token": token}, json={"finding_key": key, "decision": "dismissed"})
    assert r.status_code == 403
    assert c.get("/users").status_code == 403
    # but a viewer reads everything
    page = c.get(f"/reports/{rid}")
    assert page.status_code == 200 and 'class="decide"' not in page.text


def test_reviewer_cannot_manage_users(app) -> None:
    c = client_for(app, "reviewer1")
    token = csrf_of(c)
    assert c.get("/users").status_code == 403
    r = c.post("/users", data={"csrf_token": token, "username": "x2", "password": "abcdefghij", "role": "admin"})
    assert r.status_code == 403


def test_admin_manages_users(app, store) -> None:
    c = client_for(app, "admin1")
    token = csrf_of(c, "/users")
    r = c.post("/users", data={"csrf_token": token, "username": "新用户", "password": "abcdefghij", "role": "viewer"})
    assert r.status_code == 303
    assert store.get_user("新用户").role == "viewer"
    r = c.post("/users/%E6%96%B0%E7%94%A8%E6%88%B7/role", data={"csrf_token": token, "role": "reviewer"})
    assert r.status_code == 303 and store.get_user("新用户").role == "reviewer"
    short = c.post("/users", data={"csrf_token": token, "username": "y", "password": "short", "role": "viewer"})
    assert short.status_code == 400 and "密码至少" in short.text
    r = c.post("/users/%E6%96%B0%E7%94%A8%E6%88%B7/delete", data={"csrf_token": token})
    assert r.status_code == 303 and store.get_user("新用户") is None
    assert c.post("/users/admin1/delete", data={"csrf_token": token}).status_code == 400


def test_deleted_user_loses_session(app, store) -> None:
    store.create_user("temp1", hash_password(PASSWORD), "viewer")
    c = client_for(app, "temp1")
    assert c.get("/corpus").status_code == 200
    store.delete_user("temp1")
    assert c.get("/corpus").status_code == 303


# --------------------------------------------------------------------------- uploads
def test_upload_over_the_size_limit_is_refused_in_chinese(store) -> None:
    small = create_app(store, secret="s", limits=Limits(max_file_bytes=2000, max_files=3, max_request_bytes=50_000))
    c = client_for(small, "reviewer1")
    token = csrf_of(c, "/upload")
    r = c.post("/upload", data={"csrf_token": token}, files=[("files", ("big.txt", b"x" * 5000, "text/plain"))])
    assert r.status_code == 413 and "过大" in r.text and "MB" in r.text
    r = c.post("/api/uploads", headers={"X-CSRF-Token": token},
               files=[("files", (f"f{i}.txt", b"abc", "text/plain")) for i in range(5)])
    assert r.status_code == 413 and "数量" in r.json()["detail"]
    r = c.post("/api/uploads", headers={"X-CSRF-Token": token},
               files=[("files", ("huge.txt", b"x" * 60_000, "text/plain"))])
    assert r.status_code == 413 and "过大" in r.json()["detail"]
    # a zip whose members break the per-file limit: the member is refused, not inflated
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomb.txt", b"0" * 1_000_000)
    r = c.post("/api/uploads?wait=true", headers={"X-CSRF-Token": token},
               files=[("files", ("a.zip", buf.getvalue(), "application/zip"))])
    item = r.json()["items"][0]
    assert item["status"] == "failed" and "过大" in item["error"]


def test_upload_sniffs_content_and_strips_names(reviewer) -> None:
    batch = upload(reviewer, [("../../etc/passwd.pdf", SEED_000.read_bytes()),
                              ("report.txt", b"\x00\x01\x02\x03binary\x00" * 50)])
    first, second = batch["items"]
    assert first["name"] == "passwd.pdf" and first["form"] == "text" and first["status"] != "failed"
    assert second["status"] == "failed" and "不是可识别的文档" in second["error"]


def test_zip_of_reports(reviewer) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for p in SEEDS[:3]:
            zf.writestr(f"dir/{p.name}", p.read_bytes())
        zf.writestr("__MACOSX/._junk", b"junk")
    batch = upload(reviewer, [("batch.zip", buf.getvalue())])
    assert [i["name"] for i in batch["items"]] == [f"batch.zip/{p.name}" for p in SEEDS[:3]]
    assert all(i["status"] in ("added", "unchanged", "new_version") for i in batch["items"])


def test_upload_page_progress_and_results(reviewer) -> None:
    token = csrf_of(reviewer, "/upload")
    r = reviewer.post("/upload", data={"csrf_token": token},
                      files=[("files", (p.name, p.read_bytes(), "text/plain")) for p in SEEDS])
    assert r.status_code == 303
    batch_url = r.headers["location"]
    status_url = batch_url + "/status"
    for _ in range(600):
        st = reviewer.get(status_url).json()
        if st["finished"]:
            break
        time.sleep(0.05)
    assert st["finished"] and st["done"] == len(SEEDS)
    page = reviewer.get(batch_url)
    assert page.status_code == 200
    assert "偃师区" in page.text and "batch-table" in page.text
    # another user cannot see this batch
    other = client_for(reviewer.app, "admin1")
    assert other.get(batch_url).status_code == 200  # admins may
    viewer = client_for(reviewer.app, "viewer1")
    assert viewer.get(batch_url).status_code == 404


# --------------------------------------------------------------------------- the report page
def test_seed_002_privacy_finding_is_shown(reviewer, seeded) -> None:
    rid = report_id_of(seeded, "002_")
    page = reviewer.get(f"/reports/{rid}").text
    privacy_rules = [r for r in REGISTRY if "PRIVACY" in r]
    assert privacy_rules
    shown = [r for r in privacy_rules if r in page]
    assert shown, "no privacy finding on seed 002's page"
    assert "姓名" in page


def test_seed_003_blank_review_cells_are_highlighted(reviewer, seeded) -> None:
    rid = report_id_of(seeded, "003_")
    page = reviewer.get(f"/reports/{rid}").text
    for col in ("upheld", "corrected", "other", "pending", "total"):
        m = re.search(rf'<td[^>]*data-ref="review_litigation\.review\.{col}"[^>]*>', page)
        assert m, col
        cls = re.search(r'class="([^"]*)"', m.group(0)).group(1).split()
        assert "blank" in cls and "flag" in cls and any(c.startswith("sev-") for c in cls), (col, cls)
        assert "title=" in m.group(0)
    # litigation cells were printed: not flagged as blank
    m = re.search(r'<td[^>]*data-ref="review_litigation\.litigation_after_review\.total"[^>]*>', page)
    assert "blank" not in m.group(0)


def test_report_page_layout(reviewer, seeded) -> None:
    rid = report_id_of(seeded, "003_")
    page = reviewer.get(f"/reports/{rid}").text
    assert "三、本年度办理结果" in page and "申请人情况" in page and "法人或其他组织" in page
    assert "行政复议" in page and "未经复议直接起诉" in page and "复议后起诉" in page
    for title in ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert title in page


def test_value_provenance_text_excerpt(reviewer, seeded) -> None:
    rid = report_id_of(seeded, "003_")
    r = reviewer.get(f"/reports/{rid}/source", params={"ref": "review_litigation.litigation_after_review.total"})
    assert r.status_code == 200
    assert "<mark>2</mark>" in r.text and "第 82 行" in r.text
    assert reviewer.get(f"/reports/{rid}/source", params={"ref": "../../etc"}).status_code == 400
    assert reviewer.get(f"/reports/{rid}/page.png", params={"ref": "applications.new.total"}).status_code == 404


def test_finding_location_excerpt(reviewer, seeded) -> None:
    rid = report_id_of(seeded, "002_")
    findings = reviewer.get(f"/api/reports/{rid}").json()["findings"]
    f = next(f for f in findings if "PRIVACY" in f["rule"])
    if not (f["location"] or {}).get("line"):
        pytest.skip("the privacy rule gives no line")
    r = reviewer.get(f"/reports/{rid}/finding-source", params={"key": f["key"]})
    assert r.status_code == 200 and f"第 {f['location']['line']} 行" in r.text and 'class="ln focus"' in r.text


def test_report_text_is_escaped(reviewer) -> None:
    text = SEED_000.read_text(encoding="utf-8")
    evil = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
    lines = text.splitlines()
    lines.insert(3, f"本机关{evil}持续推进政务公开。")
    batch = upload(reviewer, [("evil.txt", "\n".join(lines).encode("utf-8"))])
    rid = batch["items"][0]["report_id"]
    page = reviewer.get(f"/reports/{rid}").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(" in page
    fragment = reviewer.get(f"/reports/{rid}/source", params={"ref": "applications.new.total"}).text
    assert "<script>alert" not in fragment
    assert reviewer.get(f"/reports/{rid}").headers["content-security-policy"].startswith("default-src 'self'")


def test_dismissed_finding_stays_dismissed_after_reupload(app, reviewer, store) -> None:
    data = SEED_003.read_bytes()
    rid = report_id_of(upload(reviewer, [(SEED_003.name, data)]), "003_")
    token = csrf_of(reviewer, f"/reports/{rid}")
    key = next(f["key"] for f in reviewer.get(f"/api/reports/{rid}").json()["findings"] if f["cells"])
    r = reviewer.post(f"/reports/{rid}/decide", data={"csrf_token": token, "finding_key": key,
                                                       "decision": "dismissed", "note": "已与发布机关核实"})
    assert r.status_code == 303
    assert _decision_row(reviewer.get(f"/reports/{rid}").text, key) == "已驳回"
    # the same file again, and a new version of it (a changed byte): the decision survives both
    for again in (data, data + "\n（本报告已更正排版。）\n".encode()):
        batch = upload(reviewer, [(SEED_003.name, again)])
        assert batch["items"][0]["status"] in ("unchanged", "new_version")
        rid2 = batch["items"][0]["report_id"]
        assert rid2 == rid
        page = reviewer.get(f"/reports/{rid2}").text
        assert _decision_row(page, key) == "已驳回"
        assert "已与发布机关核实" in page
    f = next(f for f in store.findings(rid) if f.key == key)
    assert f.decision == "dismissed" and f.decided_by == "reviewer1"
    # the dismissed cells are no longer drawn as live findings
    cells = next(x["cells"] for x in reviewer.get(f"/api/reports/{rid}").json()["findings"] if x["key"] == key)
    m = re.search(rf'<td[^>]*data-ref="{re.escape(cells[0])}"[^>]*>', reviewer.get(f"/reports/{rid}").text)
    others = [x for x in store.findings(rid) if cells[0] in x.cells and x.decision != "dismissed"]
    if not others:
        assert "flag-dismissed" in m.group(0)


def _decision_row(page: str, key: str) -> str:
    row = page.split(f'id="finding-{key}"', 1)[1].split("</tr>", 1)[0]
    return re.search(r'<span class="decision-state">([^<]*)</span>', row).group(1)


def test_downloads(reviewer, seeded) -> None:
    rid = report_id_of(seeded, "003_")
    j = reviewer.get(f"/reports/{rid}/download.json")
    assert j.status_code == 200 and "attachment" in j.headers["content-disposition"]
    body = j.json()
    assert body["report"]["agency"] and body["findings"]
    x = reviewer.get(f"/reports/{rid}/download.xlsx")
    assert x.status_code == 200 and x.content[:2] == b"PK"
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(x.content))
    assert wb.sheetnames[:2] == ["报告", "核查发现"]
    assert any(rng for rng in wb["报告"].merged_cells.ranges)


# --------------------------------------------------------------------------- agency and corpus
def test_agency_page(reviewer, seeded) -> None:
    agencies = reviewer.get("/api/agencies").json()
    assert agencies
    a = agencies[0]
    page = reviewer.get(f"/agencies/{a['id']}")
    assert page.status_code == 200 and a["name"] in page.text and "历年报告对比" in page.text
    assert reviewer.get("/agencies").status_code == 200
    assert reviewer.get("/agencies/999999").status_code == 404
    gov = next(x for x in agencies if x["name"] == "偃师区人民政府")
    assert "报告所署：偃师区人民政府办公室" in reviewer.get(f"/agencies/{gov['id']}").text
    old = next(x for x in agencies if x["name"] == "洛阳市政务服务和大数据管理局")  # its 2020 report, 2019 template
    text = reviewer.get(f"/agencies/{old['id']}").text
    assert "本年新制作数量" in text and " · made<" not in text and "上一年项目数量" in text


def test_corpus_page_and_exports(reviewer, seeded) -> None:
    page = reviewer.get("/corpus")
    assert page.status_code == 200
    assert "chart.umd.min.js" in page.text and "汇总表" in page.text and "三、本年度办理结果" in page.text
    # one template per summary, said on the page; no 应报未报 list without a register
    assert "2021 年版模板" in page.text and "2019 年版模板的 1 份未计入合计" in page.text
    assert "无法列出应报未报的机关" in page.text and "依机关名录" not in page.text
    assert '<option value="2020" >2020</option>' in page.text  # the other template's years stay selectable
    assert reviewer.get("/corpus", params={"year": "2022", "level": "county"}).status_code == 200
    assert reviewer.get("/corpus", params={"region": "洛阳"}).status_code == 200
    for fmt, magic in (("xlsx", b"PK"), ("csv", None), ("parquet", b"PAR1")):
        r = reviewer.get(f"/corpus/export.{fmt}", params={"year": "2022"})
        assert r.status_code == 200, (fmt, r.text[:200])
        assert "attachment" in r.headers["content-disposition"]
        if magic:
            assert r.content[:len(magic)] == magic
    assert reviewer.get("/corpus/export.exe").status_code == 404
    assert reviewer.get("/reports", params={"q": "偃师"}).status_code == 200


# --------------------------------------------------------------------------- the JSON API
def test_json_api_session_and_decision(app, seeded) -> None:
    c = TestClient(app)
    assert c.post("/api/session", json={"username": "reviewer1", "password": "bad"}).status_code == 401
    r = c.post("/api/session", json={"username": "reviewer1", "password": PASSWORD})
    assert r.status_code == 200
    token = r.json()["csrf_token"]
    reports = c.get("/api/reports").json()
    assert reports["total"] >= len(SEEDS)
    rid = report_id_of(seeded, "004_")
    findings = c.get(f"/api/reports/{rid}/findings").json()
    key = findings[0]["key"]
    assert c.post("/api/decisions", json={"finding_key": key, "decision": "maybe"},
                  headers={"X-CSRF-Token": token}).status_code == 422
    r = c.post("/api/decisions", json={"finding_key": key, "decision": "confirmed", "note": "属实"},
               headers={"X-CSRF-Token": token})
    assert r.status_code == 200
    assert next(f for f in c.get(f"/api/reports/{rid}/findings").json() if f["key"] == key)["decision"] == "confirmed"
    summary = c.get("/api/summary").json()
    # one template per summary: the seeds' one 2019-template report is named in the notes, not added
    assert summary["n_reports"] == len(SEEDS) - 1 and summary["template"] == "2021" and "trends" in summary
    assert "2019 年版模板的 1 份未计入合计" in summary["notes"][0]
    schema = c.get("/api/openapi.json").json()
    assert "/api/reports" in schema["paths"] and "/api/decisions" in schema["paths"]
    assert c.get("/api/docs").status_code == 200
    assert c.delete("/api/session", headers={"X-CSRF-Token": token}).status_code == 200
    assert c.get("/api/reports").status_code == 401


def test_corpus_cache_follows_the_data(app, store, reviewer, seeded) -> None:
    from nianbao.web.queries import data_version

    before = data_version(store)
    assert data_version(store) == before
    rid = report_id_of(seeded, "004_")
    f = store.findings(rid)[0]
    store.decide(f.key, "confirmed" if f.decision != "confirmed" else "dismissed", "缓存", user="reviewer1")
    assert data_version(store) != before
    assert reviewer.get("/corpus").status_code == 200
