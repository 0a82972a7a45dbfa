"""The reviewers' web app in a real browser: Debian's Chromium driven by Playwright (sync API).

The app runs under uvicorn in a background thread on 127.0.0.1 (a free port) over a temporary
SQLite store. Screenshots of the main pages go to artifacts/screenshots/ (git-ignored) so a person
can look at them. Skipped when /usr/bin/chromium is absent — except under CI=true, where that is a
failure (CI installs it with .ci/chromium.sh).
"""
from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
SEEDS = sorted(SAMPLES.glob("*.txt"))
SHOTS = ROOT / "artifacts" / "screenshots"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
PASSWORD = "browser-test-pw"

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but /usr/bin/chromium is missing: run .ci/chromium.sh first", pytrace=False)
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed: run .ci/chromium.sh to enable "
                "the browser tests", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from nianbao.store import Store
    from nianbao.web import create_app
    from nianbao.web.auth import hash_password

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.db'}")
    store.create_user("reviewer", hash_password(PASSWORD), "reviewer")
    store.create_user("boss", hash_password(PASSWORD), "admin")
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN", accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.console_errors = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    yield pg
    context.close()


def shot(pg, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(pg, base: str, user: str = "reviewer") -> None:
    pg.goto(base + "/corpus")
    assert "/login" in pg.url
    shot(pg, "01-login")
    pg.fill("input[name=username]", user)
    pg.fill("input[name=password]", PASSWORD)
    pg.click("form button[type=submit]")
    pg.wait_for_url(re.compile(r".*/corpus$"))


def upload_files(pg, base: str, files: list[Path]) -> None:
    pg.goto(base + "/upload")
    pg.set_input_files("#upload-files", [str(f) for f in files])
    pg.click("#upload-form button[type=submit]")
    pg.wait_for_url(re.compile(r".*/batches/[^/]+$"))
    pg.wait_for_selector("text=全部完成", timeout=120_000)


def report_link(pg, seed_prefix: str):
    return pg.locator("#batch-table a", has_text=seed_prefix)


def test_review_flow(page, server) -> None:
    pg, base = page, server
    sign_in(pg, base)

    # upload the seeds, watch them processed, read the results table
    upload_files(pg, base, SEEDS)
    rows = pg.locator("#batch-table tbody tr")
    assert rows.count() == len(SEEDS)
    assert pg.locator("#batch-table td.status-failed").count() == 0
    shot(pg, "02-batch-results")
    pg.fill("[data-filter-table=batch-table]", "偃师")
    assert pg.locator("#batch-table tbody tr:not(.hidden)").count() == 1
    pg.fill("[data-filter-table=batch-table]", "")

    # seed 002: the privacy finding is listed
    report_link(pg, "002_").click()
    pg.wait_for_url(re.compile(r".*/reports/\d+$"))
    privacy = pg.locator("#findings-table tr.finding", has_text="PRIVACY")
    assert privacy.count() >= 1
    assert "姓名" in privacy.first.inner_text()
    shot(pg, "03-report-002-privacy")

    # seed 003: the blank 行政复议 cells are highlighted, a click shows the finding and the source
    pg.go_back()
    report_link(pg, "003_").click()
    pg.wait_for_url(re.compile(r".*/reports/\d+$"))
    url_003 = pg.url
    for col in ("upheld", "corrected", "other", "pending", "total"):
        cell = pg.locator(f"td[data-ref='review_litigation.review.{col}']")
        classes = cell.get_attribute("class") or ""
        assert "flag" in classes and "blank" in classes, (col, classes)
    blank = pg.locator("td[data-ref='review_litigation.review.upheld']")
    bg = blank.evaluate("el => getComputedStyle(el).backgroundImage + ' ' + getComputedStyle(el).boxShadow")
    assert "gradient" in bg or "rgb" in bg
    blank.click()
    pg.wait_for_selector("#cell-panel-source .source")
    assert pg.locator("#cell-panel-findings .finding-item").count() >= 1
    shot(pg, "04-report-003-blank-review")
    value = pg.locator("td[data-ref='review_litigation.litigation_after_review.total']")
    value.click()
    pg.wait_for_selector("#cell-panel-source mark")
    assert pg.locator("#cell-panel-source mark").inner_text().strip() == value.inner_text().strip()
    shot(pg, "05-report-003-provenance")

    # dismiss the blank-cells finding with a note
    finding = pg.locator("#findings-table tr.finding", has=pg.locator("a.cell-link[data-ref^='review_litigation.review']"))
    fid = finding.first.get_attribute("id")
    finding.first.locator("input[name=note]").fill("已电话核实：本年无行政复议")
    finding.first.locator("button[value=dismissed]").click()
    pg.wait_for_load_state("load")
    assert pg.locator(f"#{fid} .decision-state").inner_text() == "已驳回"

    # re-upload seed 003 (the same file, then a corrected version): the decision stays
    seed_003 = next(p for p in SEEDS if p.name.startswith("003_"))
    changed = Path(str(SHOTS.parent / "003_changed.txt"))
    changed.parent.mkdir(parents=True, exist_ok=True)
    changed.write_bytes(seed_003.read_bytes() + "\n（排版更正）\n".encode())
    for files in ([seed_003], [changed]):
        upload_files(pg, base, files)
        pg.goto(url_003)
        assert pg.locator(f"#{fid} .decision-state").inner_text() == "已驳回"
        assert "已电话核实" in pg.locator(f"#{fid}").inner_text()
    cell_classes = pg.locator("td[data-ref='review_litigation.review.upheld']").get_attribute("class") or ""
    assert "sev-error" not in cell_classes
    changed.unlink()
    shot(pg, "06-report-003-dismissed")

    # the agency page
    pg.click("text=该机关历年报告")
    pg.wait_for_selector("#chart-agency-trend")
    shot(pg, "07-agency")

    # the corpus: charts drawn by the vendored Chart.js, the XLSX export downloads
    pg.goto(base + "/corpus")
    pg.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length >= 4")
    shot(pg, "08-corpus")
    with pg.expect_download() as info:
        pg.click("#export-xlsx")
    download = info.value
    path = download.path()
    assert path and Path(path).read_bytes()[:2] == b"PK"
    assert download.suggested_filename.endswith(".xlsx")

    # no script errors and no CSP violations on the way
    assert not pg.console_errors, pg.console_errors


def test_admin_pages(page, server) -> None:
    pg, base = page, server
    sign_in(pg, base, "boss")
    pg.goto(base + "/users")
    assert pg.locator("table.data tbody tr").count() == 2
    shot(pg, "09-users")
    pg.goto(base + "/reports")
    shot(pg, "10-reports")
    pg.goto(base + "/upload")
    shot(pg, "11-upload")
    pg.goto(base + "/api/docs")
    assert pg.locator("code", has_text="/api/reports").count() >= 1
    assert not pg.console_errors, pg.console_errors
