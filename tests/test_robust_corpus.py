"""The robustness corpus: seeds 001–003 as other people's tools extracted them, plus hand-made hazards.

``tests/fixtures/robust/`` is built by ``scripts/make_robust.py`` (pdftotext in its three modes,
pdfminer, pdfplumber, html2text, markdownify, pandoc, docx2txt, a browser copy-paste, and the
FORMAT.md E.3/E.4 hazards). Every file must give its truth cell by cell, agency, year and template
included. The few that cannot are listed in :data:`KNOWN_FAILURES` with the reason; they are
strict xfails, so a fix that makes one pass must move it out of the list.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import assert_reads_like_truth, assert_still_fails, corpus_sources

ROBUST = Path(__file__).resolve().parent / "fixtures" / "robust"
DOCS = corpus_sources(ROBUST)

_PDFMINER = ("pdfminer's layout analysis groups the table into column boxes: labels, then the values "
             "column by column (new 12 0 2 0 …), so which value belongs to which row is not in the text order")
KNOWN_FAILURES: dict[str, str] = {
    "001.pdfminer.chromium.txt": _PDFMINER + " (table 二 only)",
    "001.pdfminer.lo.txt": _PDFMINER,
    "002.pdfminer.chromium.txt": _PDFMINER,
    "002.pdfminer.lo.txt": _PDFMINER,
    "003.pdfminer.chromium.txt": _PDFMINER,
    "003.pdfminer.lo.txt": _PDFMINER,
}


def test_corpus_is_there() -> None:
    assert len(DOCS) >= 50
    assert sum(p.stat().st_size for p in ROBUST.iterdir()) < 1024 * 1024


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_robust_document(path: Path) -> None:
    assert_reads_like_truth(path, KNOWN_FAILURES)


@pytest.mark.parametrize("name", sorted(KNOWN_FAILURES))
def test_known_failures_still_fail(name: str) -> None:
    """A known failure that starts passing must leave :data:`KNOWN_FAILURES` (it is a strict list)."""
    assert_still_fails(ROBUST / name)
