"""How trustworthy a stored version's source is, so the current version is the best one, not the last.

The same report often arrives several times: the published PDF, its pdftotext output, a scan of
the printed copy. Values read from a document's own text layer (PDF, HTML, DOCX) are exact;
OCR guesses glyphs; extracted text has lost the table grid and its cells had to be re-aligned.
A version becomes current when its source is at least as trustworthy as the current one's (a
later file of the same kind is a correction); a less trustworthy one is kept as a version only.
"""
from __future__ import annotations

from typing import Any

LAYER, OCR, EXTRACTED = "layer", "ocr", "text"
TRUST = {LAYER: 3, OCR: 2, EXTRACTED: 1}
KIND_NAMES = {LAYER: "原始文档文本层", OCR: "OCR 识别", EXTRACTED: "提取的文本"}
OCR_SHARE = 0.5  # a PDF with at least this share of scanned pages is read by OCR


def source_kind(form: str, meta: dict[str, Any] | None) -> str:
    """The kind of a document's source: its form, and for a PDF how many pages needed OCR."""
    meta = meta or {}
    if form == "image":
        return OCR
    if form == "text":
        return EXTRACTED
    if form == "pdf":
        pages = int(meta.get("pages") or 0)
        ocr_pages = len(meta.get("ocr_pages") or [])
        if ocr_pages and (not pages or ocr_pages >= OCR_SHARE * pages):
            return OCR
    return LAYER


def version_kind(form: str, report_json: dict[str, Any] | None) -> str:
    """The kind recorded with a stored version (older versions: inferred from the form alone)."""
    meta = (report_json or {}).get("meta") or {}
    kind = meta.get("source_kind")
    return kind if kind in TRUST else source_kind(form, None)


def describe(kind: str, form: str) -> str:
    """``"PDF（原始文档文本层）"`` — how the CLI and the web page name a version's source."""
    from ..ingest import _FORM_NAMES

    return f"{_FORM_NAMES.get(form, form)}（{KIND_NAMES.get(kind, kind)}）"
