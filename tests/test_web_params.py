"""Bad request parameters get a 4xx with a Chinese reason, never a 500 (issue 14).

Walks every route of the app: each path and query parameter gets values past 2^63, negative, not a
number, and absurdly long, as an admin (so no guard stops the request first) with a valid CSRF token.
"""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from conftest import SAMPLES
from nianbao.store import Store
from nianbao.web import create_app
from nianbao.web.auth import hash_password
from test_web_app import all_routes

PASSWORD = "params-pass-1"
HUGE = str(2**63)
BAD_VALUES = (HUGE, str(2**64 + 7), "-1", "0", "abc", "1e3", "9" * 40, "x" * 5000)


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> TestClient:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('params') / 'p.db'}")
    store.ingest([str(next(SAMPLES.glob("003_*.txt")))])
    store.create_user("admin1", hash_password(PASSWORD), "admin")
    c = TestClient(create_app(store, secret="params"), follow_redirects=False, raise_server_exceptions=False)
    r = c.post("/api/session", json={"username": "admin1", "password": PASSWORD})
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    c.report_id = store.reports()[0].id
    c.agency_id = store.reports()[0].agency_id
    return c


def _path(path: str, client: TestClient, override: tuple[str, str] | None = None) -> str:
    def value(m: re.Match) -> str:
        name = m.group(1)
        if override and override[0] == name:
            return override[1]
        return {"fmt": "csv", "report_id": str(client.report_id), "agency_id": str(client.agency_id),
                "username": "nobody", "batch_id": "none"}.get(name, "1")
    return re.sub(r"\{([^}]+)\}", value, path)


def test_every_parameter_of_every_route_is_validated(client: TestClient) -> None:
    tried = 0
    for path, route in all_routes(client.app.routes):
        if path in ("/login", "/logout", "/api/session"):
            continue
        for method in route.methods:
            dep = route.dependant
            for p in dep.path_params:
                for bad in BAD_VALUES:
                    r = client.request(method, _path(path, client, (p.name, bad)))
                    tried += 1
                    assert r.status_code < 500, (method, path, p.name, bad[:30], r.status_code, r.text[:200])
            for p in dep.query_params:
                for bad in BAD_VALUES:
                    r = client.request(method, _path(path, client), params={p.name: bad})
                    tried += 1
                    assert r.status_code < 500, (method, path, p.name, bad[:30], r.status_code, r.text[:200])
    assert tried > 300


@pytest.mark.parametrize("url, name", [
    ("/api/reports?order=bogus", "order"),
    (f"/api/reports?year={HUGE}", "year"),
    (f"/api/reports?agency_id={HUGE}", "agency_id"),
    (f"/api/reports?offset={HUGE}", "offset"),
    (f"/api/reports?limit={HUGE}", "limit"),
    ("/api/reports?level=planet", "level"),
    (f"/api/reports/{HUGE}", "report_id"),
    (f"/api/reports/{HUGE}/findings", "report_id"),
    (f"/api/agencies/{HUGE}", "agency_id"),
    (f"/api/summary?year={HUGE}", "year"),
    ("/api/summary?year=abc", "year"),
    (f"/api/export/csv?year={HUGE}", "year"),
    ("/api/audit?event=bogus", "event"),
])
def test_api_answers_422_in_chinese(client: TestClient, url: str, name: str) -> None:
    r = client.get(url)
    assert r.status_code == 422, (url, r.status_code, r.text[:200])
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["detail"].startswith(f"参数 {name} 无效：")


@pytest.mark.parametrize("url, name", [
    ("/reports?order=bogus", "order"),
    (f"/reports?page={HUGE}", "page"),
    (f"/reports?year={HUGE}", "year"),
    ("/reports?year=twenty", "year"),
    (f"/reports/{HUGE}", "report_id"),
    (f"/reports/{HUGE}/download.xlsx", "report_id"),
    (f"/reports/{HUGE}/page.png?ref=applications.new.total", "report_id"),
    (f"/agencies/{HUGE}", "agency_id"),
    (f"/corpus?year={HUGE}", "year"),
    ("/corpus?level=planet", "level"),
    (f"/corpus/export.csv?year={HUGE}", "year"),
    (f"/audit?page={HUGE}", "page"),
])
def test_pages_answer_422_with_a_chinese_page(client: TestClient, url: str, name: str) -> None:
    r = client.get(url)
    assert r.status_code == 422, (url, r.status_code)
    assert r.headers["content-type"].startswith("text/html")
    assert f"参数 {name} 无效" in r.text and "<html" in r.text


def test_good_parameters_still_work(client: TestClient) -> None:
    assert client.get("/api/reports", params={"order": "year", "year": 2022, "offset": 0}).json()["total"] == 1
    assert client.get("/reports", params={"year": "", "level": "", "page": 1}).status_code == 200
    assert client.get("/corpus", params={"year": "2022", "level": "county"}).status_code == 200
    assert client.get(f"/reports/{client.report_id}").status_code == 200
    assert client.get("/api/reports/2147483647").status_code == 404
