"""The current version of a report is its most trustworthy source, not the last one ingested (issue 8)."""
from __future__ import annotations

from click.testing import CliRunner
from fastapi.testclient import TestClient

from conftest import ROOT, SAMPLES
from nianbao.cli import main
from nianbao.store import Store
from nianbao.store.records import ADDED, NEW_VERSION
from nianbao.store.sources import EXTRACTED, LAYER, OCR, source_kind

SEED = "000_a122145f4d95bb2d"
TEXT = SAMPLES / f"{SEED}.txt"
PDF = ROOT / "tests" / "fixtures" / "forms" / f"{SEED}.lo.pdf"


def test_source_kinds():
    assert source_kind("pdf", {"pages": 4}) == LAYER
    assert source_kind("pdf", {"pages": 4, "ocr_pages": [1, 2, 3]}) == OCR
    assert source_kind("pdf", {"pages": 10, "ocr_pages": [10]}) == LAYER  # a scanned seal page
    assert source_kind("image", {}) == OCR
    assert (source_kind("html", None), source_kind("docx", None), source_kind("doc", None)) == (LAYER,) * 3
    assert source_kind("text", {}) == EXTRACTED


def test_the_pdf_stays_current_over_its_extracted_text(tmp_path):
    later_text = tmp_path / "later.txt"
    later_text.write_bytes(TEXT.read_bytes() + "\n（转载）\n".encode())
    db = f"sqlite:///{tmp_path / 's.db'}"
    with Store(db) as store:
        [first] = store.ingest([TEXT]).items
        assert first.status == ADDED and first.source == EXTRACTED and first.note is None
        [second] = store.ingest([PDF]).items
        assert second.status == NEW_VERSION and second.current
        assert second.note == "第 2 版（PDF（原始文档文本层））为当前版本"
        [third] = store.ingest([later_text]).items
        assert third.status == NEW_VERSION and not third.current and third.source == LAYER
        assert third.note == ("已保存为第 3 版（文本（提取的文本）），当前版本仍为第 2 版"
                              "（PDF（原始文档文本层），来源更可靠）")
        assert store.count_reports() == 1
        stored = store.report(first.report_id)
        assert stored.row.version == 2 and stored.row.form == "pdf" and stored.source_name == str(PDF)
        assert [(s.version, s.kind, s.current) for s in stored.sources] == [
            (1, EXTRACTED, False), (2, LAYER, True), (3, EXTRACTED, False)]
        assert stored.current_source.label == "PDF（原始文档文本层）"
        assert {c.report_id for c in [first, second, third]} == {first.report_id}


def test_cli_and_web_page_say_which_source_is_used(tmp_path):
    from nianbao.web import create_app
    from nianbao.web.auth import hash_password

    db = f"sqlite:///{tmp_path / 'w.db'}"
    r = CliRunner().invoke(main, ["ingest", str(PDF), "--db", db, "-q"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["ingest", str(TEXT), "--db", db, "-q"], catch_exceptions=False)
    assert r.exit_code == 0 and "版本说明" in r.output
    assert f"{TEXT}：已保存为第 2 版（文本（提取的文本）），当前版本仍为第 1 版（PDF（原始文档文本层），来源更可靠）" \
        in r.output
    store = Store(db)
    store.create_user("v", hash_password("pw-123456"), "viewer")
    c = TestClient(create_app(store, secret="s", queue_dir=tmp_path / "q"))
    assert c.post("/api/session", json={"username": "v", "password": "pw-123456"}).status_code == 200
    [row] = store.reports()
    page = c.get(f"/reports/{row.id}").text
    assert "采用的来源</dt><dd>PDF（原始文档文本层）" in page
    assert "第 1 版 · PDF（原始文档文本层）" in page and "<strong>（当前采用）</strong>" in page
    assert "第 2 版 · 文本（提取的文本）" in page
    store.close()
