"""DOCX as Word and WPS write it: the seeds' reports rebuilt directly in OOXML.

``tests/fixtures/docx-variants/`` is built by ``scripts/make_docx_variants.py`` (python-docx + lxml,
no LibreOffice round trip): ``w:gridBefore``/``w:gridAfter`` rows, ``w:vMerge`` without ``restart``,
spans only in ``w:tcW``, content controls, a table in a text box and one in a frame, numbers split
into runs, ``w:tab``/``w:br`` in cells, soft and non-breaking hyphens, fields with cached results,
headers/footers, table 三 cut by a page break or by empty paragraphs, each table-二 block its own
table, table 四 over two rows; seeds 001 (2019 template), 002 and 003. Every file must give its
truth cell by cell, agency, year and template included. Known failures are strict xfails listed in
:data:`KNOWN_FAILURES` with the reason.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import assert_reads_like_truth, assert_still_fails, truth_of

VARIANTS = Path(__file__).resolve().parent / "fixtures" / "docx-variants"
DOCS = sorted(VARIANTS.glob("*.docx"))

# A variant that cannot be read goes here with the reason (and must keep failing).
KNOWN_FAILURES: dict[str, str] = {}



def test_corpus_is_there() -> None:
    assert len(DOCS) >= 30
    assert all(p.with_name(p.name[:-5] + ".truth.json").is_file() for p in DOCS)
    assert sum(p.stat().st_size for p in VARIANTS.iterdir()) < 1.5 * 1024 * 1024


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_docx_variant(path: Path) -> None:
    assert_reads_like_truth(path, KNOWN_FAILURES)


@pytest.mark.parametrize("name", sorted(KNOWN_FAILURES) or ["-"])
def test_known_failures_still_fail(name: str) -> None:
    """A known failure that starts passing must leave :data:`KNOWN_FAILURES` (it is a strict list)."""
    if name == "-":
        pytest.skip("no known failures")
    assert_still_fails(VARIANTS / name)


# ----------------------------------------------------------------------------- the grid, not only the values
# The extractor is lenient enough to read some of these files from a wrong grid; the grid itself is
# what later checks (sources, copies, column positions) rely on, so it is pinned here.

def _tables(name: str) -> list:
    from nianbao.document import Table
    from nianbao.ingest.docx import read

    doc = read((VARIANTS / name).read_bytes(), name)
    return [b for b in doc.blocks if isinstance(b, Table)]


def _t3(name: str):
    return next(t for t in _tables(name) if any("申请人情况" in c.text for c in t.rows[0]))


@pytest.mark.parametrize("name", ["001.word.docx", "001.vmerge-bare.docx", "002.tcw-only.docx", "003.tcw-only.docx",
                                  "002.gridbefore.docx", "002.textbox.docx", "001.sdt.docx"])
def test_table3_grid(name: str) -> None:
    """自然人 / 总计 in grid columns 3 and 9 (merged down), 三、本年度办理结果 merged down column 0."""
    t3 = _t3(name)
    pad = 1 if "gridbefore" in name else 0
    row1 = [c.text for c in t3.rows[1]]
    assert row1[3 + pad] == "自然人" and t3.rows[1][3 + pad].copy_of is None
    assert row1[9 + pad] == "总计"
    assert t3.rows[2][3 + pad].copy_of == (1, 3 + pad)
    assert [c.text for c in t3.rows[2][4 + pad:9 + pad]] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert t3.rows[5][pad].text == "三、本年度办理结果" and t3.rows[5][pad].copy_of is None
    assert t3.rows[6][pad].copy_of == (5, pad)
    assert len(t3.rows[3]) == 10 + 2 * pad


def test_bare_vmerge_does_not_swallow_the_cell_above() -> None:
    """A ``<w:vMerge/>`` under an unmerged cell starts a merge (WPS writes it on the first cell)."""
    t4 = next(t for t in _tables("001.vmerge-bare.docx") if t.rows[0][0].text == "行政复议")
    assert [c.text for c in t4.rows[1][:5]] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert all(c.copy_of is None for c in t4.rows[1][:5])
    assert t4.rows[2][0].copy_of == (1, 0)


def test_text_box_table_is_read_once() -> None:
    """The table in a text box is a table of its own, read from the DrawingML copy only (not the VML fallback)."""
    t3s = [t for t in _tables("002.textbox.docx") if any("申请人情况" in c.text for c in t.rows[0])]
    assert len(t3s) == 1


def test_headers_and_footers_stay_out_of_the_body() -> None:
    from nianbao.document import Paragraph
    from nianbao.ingest.docx import read

    doc = read((VARIANTS / "001.headers.docx").read_bytes(), "001.headers.docx")
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert not [t for t in texts if "页" in t and "共" in t]
    assert not [t for t in texts if "办公室　2021年1月" in t]


def test_fields_show_their_cached_result_only() -> None:
    from nianbao.document import Paragraph
    from nianbao.ingest.docx import read

    doc = read((VARIANTS / "002.fields.docx").read_bytes(), "002.fields.docx")
    assert not [b for b in doc.blocks if isinstance(b, Paragraph) and "DOCPROPERTY" in b.text]
    t3 = next(t for t in doc.blocks if not isinstance(t, Paragraph) and any("申请人情况" in c.text for c in t.rows[0]))
    assert [c.text for c in t3.rows[3][3:]] == [str(v) for v in truth_of(VARIANTS / "002.fields.docx")["applications"]["new"]]
