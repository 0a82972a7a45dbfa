"""Provenance of values from other forms: PDF (page image with the cell boxed), DOCX and HTML (source table).

Uses the rendered fixtures of tests/fixtures/forms when present (they are produced by the fixtures
build); each form gets its own store so versions of the same report do not replace each other.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from nianbao.store import Store
from nianbao.web import create_app
from nianbao.web.auth import hash_password

FORMS = Path(__file__).resolve().parent / "fixtures" / "forms"
PASSWORD = "forms-password"


def _signed_in(tmp_path: Path) -> TestClient:
    store = Store(f"sqlite:///{tmp_path / 'forms.db'}")
    store.create_user("r", hash_password(PASSWORD), "reviewer")
    c = TestClient(create_app(store, secret="forms"), follow_redirects=False)
    r = c.post("/api/session", json={"username": "r", "password": PASSWORD})
    c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return c


def _upload(c: TestClient, path: Path) -> int:
    r = c.post("/api/uploads?wait=true", files=[("files", (path.name, path.read_bytes(), "application/octet-stream"))])
    item = r.json()["items"][0]
    if item["status"] == "failed":
        pytest.skip(f"{path.name} is not readable here: {item['error']}")
    return item["report_id"]


def _fixture(name: str) -> Path:
    path = FORMS / name
    if not path.exists():
        pytest.skip(f"fixture {name} not built")
    return path


def test_pdf_value_shows_the_page_with_its_box(tmp_path: Path) -> None:
    c = _signed_in(tmp_path)
    rid = _upload(c, _fixture("003_2a799143023ee02c.lo.pdf"))
    prov = c.get(f"/api/reports/{rid}").json()["report"]["provenance"]
    ref = next((r for r, p in prov.items() if p.get("source", {}).get("bbox") and p["status"] == "number"), None)
    if ref is None:
        pytest.skip("the PDF ingester gave no cell boxes")
    fragment = c.get(f"/reports/{rid}/source", params={"ref": ref}).text
    assert "page.png" in fragment and "第 " in fragment
    png = c.get(f"/reports/{rid}/page.png", params={"ref": ref})
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    from PIL import Image

    img = Image.open(io.BytesIO(png.content)).convert("RGB")
    x0, top, x1, bottom = prov[ref]["source"]["bbox"]
    y = int(top * 2) - 2  # the top edge of the red box (2× render scale, 3 px padding)
    red = [img.getpixel((x, y)) for x in range(int(x0 * 2), int(x1 * 2))]
    assert any(p[0] > 180 and p[1] < 90 and p[2] < 90 for p in red)
    page = c.get(f"/reports/{rid}").text
    assert 'data-ref="review_litigation.review.upheld"' in page


@pytest.mark.parametrize("name", ["003_2a799143023ee02c.docx", "003_2a799143023ee02c.html"])
def test_table_value_shows_the_source_table(tmp_path: Path, name: str) -> None:
    c = _signed_in(tmp_path)
    rid = _upload(c, _fixture(name))
    prov = c.get(f"/api/reports/{rid}").json()["report"]["provenance"]
    ref = next((r for r, p in prov.items() if p.get("source", {}).get("table") is not None
                and p["status"] == "number"), None)
    if ref is None:
        pytest.skip(f"the {name} ingester gave no table positions")
    fragment = c.get(f"/reports/{rid}/source", params={"ref": ref}).text
    assert 'class="source-table"' in fragment
    marked = re.findall(r'<td class="marked">([^<]*)</td>', fragment)
    assert marked == [prov[ref]["raw"]]
