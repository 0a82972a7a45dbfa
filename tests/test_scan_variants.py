"""OCR on the scan variants (``scripts/make_scan_variants.py``): cells vs truth, every wrong cell flagged.

Each file is read once per session (OCR costs seconds a page; 10 pages in all).
"""
from __future__ import annotations

import importlib.util
import json
import re

import pytest

from conftest import ROOT, wrong_cells
from nianbao.checks import run_checks
from nianbao.extract import extract
from nianbao.ingest import read_bytes
from nianbao.templates import APPLICANT_KEYS, OUTCOME_KEYS

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("rapidocr") is None or importlib.util.find_spec("onnxruntime") is None,
    reason="rapidocr/onnxruntime not installed (pip install 'nianbao[ocr]')",
)

DIR = ROOT / "tests" / "fixtures" / "scan-variants"
VARIANTS = ["000.rgb.pdf", "001.300dpi.pdf", "001.png300.png", "002.100dpi.pdf"]
# Not yet at 99 % (none now: the cells the detector missed and the boxes it misread are read again
# on their own). Every wrong cell is still flagged (asserted below).
BELOW_TARGET: set[str] = set()
_CACHE: dict[str, tuple] = {}


def _ref(name: str) -> str:
    name = name.split(":")[0]
    m = re.match(r"(\w+)\.(\w+)\[(\d)\]", name)
    if not m:
        return name
    keys = APPLICANT_KEYS if m.group(1) == "applications" else OUTCOME_KEYS
    return f"{m.group(1)}.{m.group(2)}.{keys[int(m.group(3))]}"


def _read(name: str) -> tuple[list[str], int, set[str]]:
    if name not in _CACHE:
        path = DIR / name
        if not path.exists():
            pytest.skip(f"{name} missing: python scripts/make_scan_variants.py")
        truth = json.loads((DIR / (name.rsplit(".", 1)[0] + ".truth.json")).read_text(encoding="utf-8"))
        report = extract(read_bytes(path.read_bytes(), str(path)))
        wrong = wrong_cells(report.to_dict(), truth)
        # accuracy over the cells the file prints (a table the page does not hold is null in the truth)
        present = [t for t in ("active", "applications", "review_litigation") if truth.get(t) is not None]
        total = sum(1 for ref, _ in report.iter_cells() if ref.split(".")[0] in present)
        flagged = {c for f in run_checks(report) if f.rule.startswith("OCR-") for c in f.cells}
        _CACHE[name] = (wrong, total, flagged)
    return _CACHE[name]


@pytest.mark.parametrize("name", VARIANTS)
def test_every_wrong_cell_flagged(name: str) -> None:
    wrong, total, flagged = _read(name)
    assert total >= 150
    assert [w for w in wrong if _ref(w) not in flagged] == []


@pytest.mark.parametrize("name", VARIANTS)
def test_cell_accuracy(name: str, request: pytest.FixtureRequest) -> None:
    if name in BELOW_TARGET:
        request.applymarker(pytest.mark.xfail(reason="below the 99 % target; see BELOW_TARGET", strict=False))
    wrong, total, _ = _read(name)
    assert 1 - len(wrong) / total >= 0.99, wrong
