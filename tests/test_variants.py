"""The structural variants: the seeds' reports in the table structures real sites print.

``tests/fixtures/variants/`` is built by ``scripts/make_variants.py`` (each table-二 block its own
table, table 三 split with or without a repeated header, ``<th>``/``<thead>``, other header
arrangements, group headings as rows, one label column, the pingtan ``colspan=2`` misalignment,
WPS export markup, table 四 over two rows or two tables, units in cells; a subset rendered to
DOCX/PDF). Every file must give its truth cell by cell, agency, year and template included.
Known failures are strict xfails listed in :data:`KNOWN_FAILURES` with the reason.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import assert_reads_like_truth, assert_still_fails, corpus_sources

VARIANTS = Path(__file__).resolve().parent / "fixtures" / "variants"
DOCS = corpus_sources(VARIANTS)

# None today; a variant that cannot be read goes here with the reason (and must keep failing).
KNOWN_FAILURES: dict[str, str] = {}



def test_corpus_is_there() -> None:
    assert len(DOCS) >= 50
    assert {p.suffix for p in DOCS} >= {".html", ".docx", ".pdf"}
    assert sum(p.stat().st_size for p in VARIANTS.iterdir()) < 2 * 1024 * 1024


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_variant(path: Path) -> None:
    assert_reads_like_truth(path, KNOWN_FAILURES)


@pytest.mark.parametrize("name", sorted(KNOWN_FAILURES) or ["-"])
def test_known_failures_still_fail(name: str) -> None:
    """A known failure that starts passing must leave :data:`KNOWN_FAILURES` (it is a strict list)."""
    if name == "-":
        pytest.skip("no known failures")
    assert_still_fails(VARIANTS / name)


# ----------------------------------------------------------------------------- the mechanisms, in isolation

def _lines(rows: list[list[str]]):
    from nianbao.document import Cell, Document, Table
    from nianbao.extract.lines import document_lines

    return document_lines(Document([Table([[Cell(t) for t in r] for r in rows])]))


def test_group_heading_row_of_blanks_names_the_rows_below() -> None:
    """（六）其他处理 printed as a row of its own with blank cells is a heading, not the blank row ``other``."""
    from nianbao.extract.tables import read_rows
    from nianbao.templates import TEMPLATES

    rows = TEMPLATES["2021"].applications
    lines = _lines([["（六）其他处理"] + [""] * 7,
                    ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"] + ["1"] * 7,
                    ["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"] + ["2"] * 7,
                    ["3.其他"] + ["5"] * 7])
    hits, notes = read_rows(lines, rows, {r.key: 7 for r in rows})
    assert [p.text for p in hits["other"].values] == ["5"] * 7
    assert not [n for n in notes if n.kind == "duplicate_row"]


def test_label_cut_by_a_page_break_names_its_row() -> None:
    """A row broken over a page prints ``2.其他法律行政法规`` with its values; ``禁止公开`` follows later."""
    from nianbao.extract.tables import read_rows
    from nianbao.templates import TEMPLATES

    rows = TEMPLATES["2021"].applications
    lines = _lines([["1.属于国家秘密"] + ["0"] * 7, ["2.其他法律行政法规"] + ["3"] * 7,
                    ["自然人", "商业企业"], ["禁止公开"] + [""] * 7, ["3.危及“三安全一稳定”"] + ["4"] * 7])
    hits, _ = read_rows(lines, rows, {r.key: 7 for r in rows})
    assert [p.text for p in hits["denied_law_prohibited"].values] == ["3"] * 7
    assert [p.text for p in hits["denied_three_safety"].values] == ["4"] * 7
    # too short a piece names nothing
    short = _lines([["2.其他法"] + ["3"] * 7])
    assert "denied_law_prohibited" not in read_rows(short, rows, {r.key: 7 for r in rows})[0]
