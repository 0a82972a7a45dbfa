"""OCR ingestion: the scanned fixture's cells against the truth, and every wrong cell flagged.

Each page costs a few seconds, so the scan is read once per session (module fixture).
"""
from __future__ import annotations

import importlib.util
import re

import pytest

from conftest import ROOT, load_truth, wrong_cells
from nianbao.checks import run_checks
from nianbao.document import Document, Table
from nianbao.errors import NianbaoError
from nianbao.extract import extract
from nianbao.ingest import ocr, read_bytes
from nianbao.templates import APPLICANT_KEYS, OUTCOME_KEYS

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("rapidocr") is None or importlib.util.find_spec("onnxruntime") is None,
    reason="rapidocr/onnxruntime not installed (pip install 'nianbao[ocr]')",
)

FORMS = ROOT / "tests" / "fixtures" / "forms"
SEED = "003_2a799143023ee02c"
SCAN = FORMS / f"{SEED}.scan.pdf"
PNG = FORMS / f"{SEED}.scan-p2.png"


def _ref(name: str) -> str:
    """``applications.new[1]: want …`` → ``applications.new.commercial`` (the finding's cell name)."""
    name = name.split(":")[0]
    m = re.match(r"(\w+)\.(\w+)\[(\d)\]", name)
    if not m:
        return name
    keys = APPLICANT_KEYS if m.group(1) == "applications" else OUTCOME_KEYS
    return f"{m.group(1)}.{m.group(2)}.{keys[int(m.group(3))]}"


@pytest.fixture(scope="module")
def scan_report():
    if not SCAN.exists():
        pytest.skip(f"{SCAN.relative_to(ROOT)} is missing (scripts/make_fixtures.py)")
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(SCAN))
    pages = [1, 2, 3]  # tables 二, 三, 四 are on pages 2–4; page 1 (title, prose) is left out to save time
    doc = Document(ocr.ocr_pdf_pages(pdf, pages, str(SCAN)), path=str(SCAN), form="pdf")
    pdf.close()
    return extract(doc)


def test_scan_cells_vs_truth_and_every_wrong_cell_flagged(scan_report) -> None:
    truth = load_truth(SEED)
    wrong = wrong_cells(scan_report.to_dict(), truth)
    total = sum(1 for _ in scan_report.iter_cells())
    assert total >= 190
    assert 1 - len(wrong) / total >= 0.99, wrong
    flagged = {c for f in run_checks(scan_report) if f.rule.startswith("OCR-") for c in f.cells}
    unflagged = [w for w in wrong if _ref(w) not in flagged]
    assert unflagged == []


def test_scan_cells_carry_confidence_and_page_bbox(scan_report) -> None:
    v = scan_report.cell("applications.new.natural_person")
    assert v.value == 49 and v.confidence is not None
    assert v.source is not None and v.source.page == 3 and v.source.bbox is not None
    assert max(v.source.bbox) < 842  # PDF points, not pixels


def test_png_page() -> None:
    if not PNG.exists():
        pytest.skip(f"{PNG.relative_to(ROOT)} is missing (scripts/make_fixtures.py)")
    doc = read_bytes(PNG.read_bytes(), str(PNG))
    assert doc.form == "image"
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert tables
    rows = [[c.text for c in row if c.copy_of is None] for t in tables for row in t.rows]
    assert any("规章" in r[0] and r[1:] == ["0", "0", "0"] for r in rows if r)
    assert any("规范性文件" in r[0] and r[1:] == ["5", "38", "47"] for r in rows if r)


def test_number_repair() -> None:
    assert ocr.repair_number("O") == "0"
    assert ocr.repair_number("〇") == "0"
    assert ocr.repair_number("l2") == "12"
    assert ocr.repair_number("0.") == "0"
    assert ocr.repair_number("结果") == "结果"
    assert ocr.repair_number("I") == "I"  # a lone letter is not a number
    text, conf = ocr.cell_text([ocr.Word("O", 0, 0, 10, 10, 0.99)])
    assert text == "0" and conf <= ocr.REPAIRED_CONFIDENCE


def test_missing_ocr_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "rapidocr":
            raise ImportError("no rapidocr")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(ocr, "_ENGINE", None)
    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(NianbaoError) as exc:
        ocr.get_engine("x.png")
    assert exc.value.kind == "missing_tool" and "nianbao[ocr]" in exc.value.reason
