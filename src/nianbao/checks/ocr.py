"""Checks for values read by OCR (scans, photos, image-only PDF pages).

OCR can misread a digit with a high score, so a scanned table is trusted only
when two independent signals agree: every cell was read confidently, *and* the
template arithmetic of tables 三 and 四 holds. Each rule here covers one signal:

* ``OCR-LOW-CONFIDENCE`` lists the cells whose OCR confidence is below
  :data:`LOW_CONFIDENCE` (misread characters, letters repaired into digits, empty
  cells that hold unread ink), one finding per table.
* ``OCR-ARITHMETIC-REVIEW`` flags a whole OCR-read table 三 or 四 whose
  arithmetic fails: a misread digit anywhere in it would break exactly these
  sums, and which cell is wrong cannot be told from the numbers alone, so a
  person must compare the table with the scan.

Only cells that carry a confidence (i.e. came from OCR) are considered, so the
rules are silent for text-layer PDFs, DOCX, HTML and text.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..report import ABSENT, Report, Value
from ..templates import APPLICANT_KEYS, OUTCOME_KEYS, REVIEW_BLOCKS, TEMPLATES
from . import ERROR, WARNING, Context, Finding, rule
from ._common import cell_name

LOW_CONFIDENCE = 0.9  # below this OCR confidence a cell is listed for checking against the scan
MAX_LISTED = 12  # cells named in one message (all are in Finding.cells)

_TABLE_NAMES = {"active": "第二部分（主动公开）", "applications": "第三部分（依申请公开）",
                "review_litigation": "第四部分（行政复议、行政诉讼）"}


def _read_by_ocr(report: Report) -> bool:
    """Whether any cell came from OCR (cheap: most reports have none, and the rules then stop here)."""
    return any(v.confidence is not None for _, v in report.iter_cells())


def _ocr_cells(report: Report, table: str) -> list[tuple[str, Value]]:
    return [(ref, v) for ref, v in report.iter_cells() if ref.startswith(table + ".") and v.confidence is not None]


@rule("OCR-LOW-CONFIDENCE", severity=WARNING)
def low_confidence(report: Report, ctx: Context) -> Iterator[Finding]:
    """OCR-read cells whose confidence is below LOW_CONFIDENCE: compare them with the scan."""
    if not _read_by_ocr(report):
        return
    threshold = float(ctx.settings.get("ocr_low_confidence", LOW_CONFIDENCE))
    for table, name in _TABLE_NAMES.items():
        low = [(ref, v) for ref, v in _ocr_cells(report, table) if v.confidence < threshold]  # type: ignore[operator]
        if _ocr_cells(report, table):
            # A cell the lattice lost (a missed rule merged two rows, a row cut off) has no value and no
            # confidence at all: it is as unread as a low-confidence one, and is listed with them.
            low += [(ref, Value(None, confidence=0.0)) for ref in _missing_cells(report, table)]
        if not low:
            continue
        shown = "、".join(f"{cell_name(report, ref)}＝{_shown(v)}（{v.confidence:.2f}）" for ref, v in low[:MAX_LISTED])
        more = f" 等 {len(low)} 个" if len(low) > MAX_LISTED else ""
        yield Finding(
            "OCR-LOW-CONFIDENCE", WARNING,
            f"{name}有 {len(low)} 个单元格的 OCR 识别置信度低于 {threshold:.2f}，请对照原件核对：{shown}{more}",
            cells=[ref for ref, _ in low],
            location=low[0][1].source,
            data={"threshold": threshold, "confidence": {ref: v.confidence for ref, v in low}},
        )


@rule("OCR-ARITHMETIC-REVIEW", severity=ERROR)
def arithmetic_review(report: Report, ctx: Context) -> Iterator[Finding]:
    """An OCR-read table 三 or 四 whose template arithmetic fails: the whole table needs a human look."""
    if not _read_by_ocr(report):
        return
    for table, broken in _breaks(report, ctx).items():
        cells = _ocr_cells(report, table)
        if not cells or not broken:
            continue
        yield Finding(
            "OCR-ARITHMETIC-REVIEW", ERROR,
            f"{_TABLE_NAMES[table]}由 OCR 识别，且表内勾稽关系不成立（{'；'.join(broken[:4])}）："
            f"识别错误与原表错误无法区分，请对照原件逐格核对整张表",
            cells=[ref for ref, _ in cells],
            location=cells[0][1].source,
            data={"relations": broken},
        )


def _missing_cells(report: Report, table: str) -> list[str]:
    """Template cells of an OCR-read table 三 or 四 that came out with no value (row or cell absent)."""
    out: list[str] = []
    if table == "applications":
        template = TEMPLATES.get(report.template or "2021", TEMPLATES["2021"])
        for row in template.applications:
            vals = report.applications.get(row.key) or [None] * len(APPLICANT_KEYS)
            out += [f"applications.{row.key}.{k}" for k, v in zip(APPLICANT_KEYS, vals) if _absent(v)]
    elif table == "review_litigation":
        for block, _ in REVIEW_BLOCKS:
            vals = report.review_litigation.get(block) or [None] * len(OUTCOME_KEYS)
            out += [f"review_litigation.{block}.{k}" for k, v in zip(OUTCOME_KEYS, vals) if _absent(v)]
    return out


def _absent(v: Value | None) -> bool:
    return v is None or (v.value is None and v.status == ABSENT)


# The template's own arithmetic rules (checks/arithmetic.py): their findings decide which tables break.
ARITHMETIC_RULES = ("T3-COLUMN-BALANCE", "T3-RESULT-SUM", "T3-ROW-TOTAL", "T4-BLOCK-TOTAL")


def _breaks(report: Report, ctx: Context) -> dict[str, list[str]]:
    """table → messages of the arithmetic relations that fail in it (B1, B2, B3, B6)."""
    from . import REGISTRY

    out: dict[str, list[str]] = {}
    for rid in ARITHMETIC_RULES:
        for f in REGISTRY[rid].func(report, ctx):
            out.setdefault(f.cells[0].split(".")[0], []).append(f.message)
    return out


def _shown(v: Value) -> str:
    return v.raw if v.raw else "（空白）"
