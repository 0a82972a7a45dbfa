"""The PDF page-layout variants: the seeds' reports as text-layer PDFs laid out as real reports are.

``tests/fixtures/pdf-variants/`` is built by ``scripts/make_pdf_variants.py`` (Chromium prints of the
seeds' reports with CSS changes, some post-processed with pypdfium2): landscape pages, landscape table
pages stored portrait with ``/Rotate 90`` or ``/Rotate 270``, three-line tables, tables without rules,
shaded header cells, 6.5pt and 5.5pt table type, table 三 over two pages with its header repeated,
running heads over a rule and ``第 X 页 共 Y 页`` feet, dashed rules, every cell its own stroked
rectangle (and, as in every Chromium print, rules drawn as thin filled rectangles, as WPS does).
Every file must give its truth cell by cell, agency, year and template included. Known failures are
strict xfails listed in :data:`KNOWN_FAILURES` with the reason.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import assert_reads_like_truth, assert_still_fails
from nianbao.ingest.pdfgrid import Char, aligned_rows, group_lines

VARIANTS = Path(__file__).resolve().parent / "fixtures" / "pdf-variants"
DOCS = sorted(VARIANTS.glob("*.pdf"))

# None today; a variant that cannot be read goes here with the reason (and must keep failing).
KNOWN_FAILURES: dict[str, str] = {}



def test_corpus_is_there() -> None:
    import pypdfium2 as pdfium

    assert len(DOCS) >= 10
    assert sum(p.stat().st_size for p in VARIANTS.iterdir()) < 2 * 1024 * 1024
    rotations = set()
    for name in ("002.rotate90.pdf", "002.rotate270-norules.pdf"):
        pdf = pdfium.PdfDocument(str(VARIANTS / name))
        rotations |= {pdf[i].get_rotation() for i in range(len(pdf))}
        pdf.close()
    assert rotations == {0, 90, 270}


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_pdf_variant(path: Path) -> None:
    assert_reads_like_truth(path, KNOWN_FAILURES)


@pytest.mark.parametrize("name", sorted(KNOWN_FAILURES) or ["-"])
def test_known_failures_still_fail(name: str) -> None:
    """A known failure that starts passing must leave :data:`KNOWN_FAILURES` (it is a strict list)."""
    if name == "-":
        pytest.skip("no known failures")
    assert_still_fails(VARIANTS / name)


# ----------------------------------------------------------------------------- the mechanisms, in isolation

def _word(text: str, x: float, top: float, size: float = 10.0) -> list[Char]:
    return [Char(ch, x + size * i, top, x + size * (i + 1), top + size) for i, ch in enumerate(text)]


def test_staggered_cells_do_not_chain_two_lines_of_one_column() -> None:
    """Three cells side by side, their lines 4pt apart: the growing band must not swallow column A's next line."""
    chars = (_word("度办", 0, 10) + _word("部分公开", 40, 14) + _word("区分", 100, 18)
             + _word("理结", 0, 22) + _word("只计这一", 40, 26))
    lines = group_lines(chars)
    for line in lines:
        ink = sorted(line.chars, key=lambda c: c.x0)
        assert all(b.x0 >= a.x1 - 1 for a, b in zip(ink, ink[1:])), line.text
    texts = [line.text for line in lines]
    assert any(t.startswith("度办") for t in texts) and any(t.startswith("理结") for t in texts)


def test_one_line_band_still_takes_mixed_sizes() -> None:
    """A line of CJK and smaller Latin/digit boxes stays one line (no two characters share an x-range)."""
    chars = _word("规章", 0, 10) + [Char("1", 30, 12, 35, 19), Char("2", 35, 12, 40, 19)] + _word("件", 40, 10)
    assert [line.text for line in group_lines(chars)] == ["规章 12件"]


def test_value_under_a_spanning_header_keeps_its_column() -> None:
    """Unruled table 二: a 2-column block's last value (centred under a header spanning columns 2–3) is column 2."""
    rows = [_word("规章", 0, 10) + _word("0", 100, 10) + _word("0", 200, 10) + _word("0", 300, 10),
            _word("规范性文件", 0, 30) + _word("1", 100, 30) + _word("1", 200, 30) + _word("2", 300, 30),
            _word("行政事业性收费", 0, 60) + _word("3", 100, 60) + _word("4", 250, 60)]
    lines = group_lines([c for r in rows for c in r])
    got = aligned_rows(lines)
    assert [len(r.values) for r in got] == [3, 3, 3]
    last = got[-1].values
    assert [None if v is None else "".join(c.text for c in v) for v in last] == ["3", "4", None]
