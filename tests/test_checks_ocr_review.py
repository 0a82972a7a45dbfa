"""OCR-ARITHMETIC-REVIEW: an OCR-read table whose template arithmetic fails is flagged whole."""
from __future__ import annotations

import nianbao
from conftest import SAMPLES
from nianbao.checks import run_checks


def _as_if_ocr(report):
    for _, v in report.iter_cells():
        if v.status == "number":
            v.confidence = 0.99
    return report


def test_review_follows_the_arithmetic_rules() -> None:
    clean = _as_if_ocr(nianbao.parse(SAMPLES / "003_2a799143023ee02c.txt"))
    assert not [f for f in run_checks(clean) if f.rule == "OCR-ARITHMETIC-REVIEW"]

    broken = _as_if_ocr(nianbao.parse(SAMPLES / "003_2a799143023ee02c.txt"))
    broken.applications["granted"][0].value = 61  # an OCR misreading of 16
    (finding,) = [f for f in run_checks(broken) if f.rule == "OCR-ARITHMETIC-REVIEW"]
    assert all(c.startswith("applications.") for c in finding.cells)
    assert "applications.granted.natural_person" in finding.cells
    assert any("自然人" in m for m in finding.data["relations"])  # B2 / B3 messages of the rules themselves


def test_no_review_for_a_report_read_without_ocr() -> None:
    report = nianbao.parse(SAMPLES / "003_2a799143023ee02c.txt")
    report.applications["granted"][0].value = 61
    rules = {f.rule for f in run_checks(report)}
    assert "T3-RESULT-SUM" in rules and "OCR-ARITHMETIC-REVIEW" not in rules
