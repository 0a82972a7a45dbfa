"""Real reports as real text tools print them (``tests/fixtures/tool-dumps``, made by
``scripts/make_tool_dumps.py`` from ../shared/corpus-dev and two seed renderings).

- ``w3m``/``elinks`` dumps draw tables with box characters: cells wrap over lines and the vertical
  「三、本年度办理结果」 runs through the rules of the rows it spans;
- ``pdftotext`` of the real PDF prints table 四's columns out of order;
- ``pdftotext`` of the real web page printed by Chromium prints table 三's labels in one block and
  its numbers, one per line, in another;
- pdfplumber's table finder as Markdown: ruled (``lines``) and unruled (``text``) detection.
Every file must give its truth cell by cell, but for the strict known failures below; the
mechanisms are also tested on small inputs.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import assert_reads_like_truth, assert_still_fails, corpus_sources
from nianbao.api import check_report, parse_file
from nianbao.document import Table
from nianbao.ingest.boxtable import read_box_table
from nianbao.ingest.text import read_text

DUMPS = Path(__file__).resolve().parent / "fixtures" / "tool-dumps"
DOCS = corpus_sources(DUMPS)

KNOWN_FAILURES = {
    "huaian-2024.pdfplumber-text.md": "the tool's unruled column detection cuts 61 into 「6 | 1」 in （七）总计 and "
                                      "scrambles table 四 (「64 17 | 8 | 37 351」): printed numbers destroyed",
}


def test_corpus_is_there() -> None:
    names = {p.name for p in DOCS}
    assert {"pingtan-2021.w3m.txt", "pingtan-2021.elinks.txt", "huaian-2024.pdftotext.txt",
            "pingtan-2021.chromium.pdftotext.txt"} <= names
    assert sum(p.stat().st_size for p in DUMPS.iterdir()) < 512 * 1024


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_dump(path: Path) -> None:
    assert_reads_like_truth(path, KNOWN_FAILURES)


@pytest.mark.parametrize("name", sorted(KNOWN_FAILURES))
def test_known_failures_still_fail(name: str) -> None:
    assert_still_fails(DUMPS / name)


def test_unruled_markdown_rows_that_survive() -> None:
    """Markdown of unruled detection: labels cut into cells and wrapped over rows of blanks, the
    values on the middle piece, gaps between values — those rows are read."""
    apps = parse_file(DUMPS / "huaian-2024.pdfplumber-text.md").applications
    assert [v.value for v in apps["unable_needs_creation"]] == [11, 0, 0, 0, 0, 0, 11]
    assert [v.value for v in apps["other_no_correction"]] == [67, 3, 0, 0, 1, 0, 71]
    assert [v.value for v in apps["other_unpaid_fee"]] == [6, 0, 0, 0, 0, 0, 6]
    assert [v.value for v in apps["rejected_confirmation"]] == [1, 0, 0, 0, 0, 0, 1]


BOX = """\
┌────────┬──────────────┬──────┬──────┐
│        │（一）予以公开│27    │30    │
│        ├──────────────┼──────┼──────┤
│三、本年│（二）部分公开│5     │5     │
│度办理结│（区分处理的）│      │      │
│果      ├──────────────┼──────┼──────┤
│        │（七）总计    │63    │69    │
├────────┴──────────────┼──────┼──────┤
│四、结转下年度继续办理 │1     │1     │
└───────────────────────┴──────┴──────┘
"""


def test_box_table_is_a_grid_with_spans() -> None:
    """The spanning label is one cell copied down its rows, a wrapped label one cell, and the text
    on a rule line belongs to the cell that spans the rule."""
    table = read_box_table(BOX.splitlines(), 1)
    assert table is not None
    rows = [[c.text for c in row] for row in table.rows]
    assert rows == [
        ["三、本年度办理结果", "（一）予以公开", "27", "30"],
        ["三、本年度办理结果", "（二）部分公开（区分处理的）", "5", "5"],
        ["三、本年度办理结果", "（七）总计", "63", "69"],
        ["四、结转下年度继续办理", "四、结转下年度继续办理", "1", "1"],
    ]
    assert table.rows[1][0].copy_of == (0, 0) and table.rows[0][0].copy_of is None
    assert (table.rows[0][0].source.line, table.rows[0][0].source.column) == (4, 2)  # 「三、本年」
    assert (table.rows[1][2].source.line, table.rows[1][2].source.column) == (4, 15)  # 「5」: the 15th character of line 4


def test_box_table_in_text_keeps_paragraphs_around_it() -> None:
    doc = read_text("前言\n" + BOX + "后记\n")
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Table", "Paragraph"]
    assert isinstance(doc.blocks[1], Table) and doc.blocks[1].source.line == 2


def test_unreadable_box_lines_fall_back_to_pipes() -> None:
    """Box characters that draw no grid (no rule) are read as pipe-separated cells."""
    doc = read_text("规章│0│0│5\n")
    assert [[c.text for c in row] for row in doc.blocks[0].rows] == [["规章", "0", "0", "5"]]


def test_table_four_regrouped_and_said() -> None:
    """pdftotext of the real PDF: 72 64 178 37 | 12 1 1 6 | 351 | 13 4 8 1 26 | 20 → three blocks that
    add up, named by the 「复议后起诉」 printed before its group; an info finding says so."""
    report = parse_file(DUMPS / "huaian-2024.pdftotext.txt")
    review = {k: [v.value for v in vals] for k, vals in report.review_litigation.items()}
    assert review == {"review": [72, 64, 178, 37, 351], "litigation_direct": [13, 4, 8, 1, 26],
                      "litigation_after_review": [12, 1, 1, 6, 20]}
    assert {v.via for vals in report.review_litigation.values() for v in vals} == {"arithmetic"}
    found = [f for f in check_report(report) if f.rule == "VALUES-REGROUPED"]
    assert len(found) == 1 and found[0].severity == "info"
    assert "72 64 178 37 12 1 1 6 351" in found[0].message
    assert not [f for f in check_report(report) if f.severity == "error"]


def test_table_three_read_as_stream_and_said() -> None:
    report = parse_file(DUMPS / "pingtan-2021.chromium.pdftotext.txt")
    assert [v.value for v in report.applications["unable_not_held"]] == [22, 0, 0, 0, 0, 3, 25]
    assert report.applications["granted"][0].via == "order"
    found = [f for f in check_report(report) if f.rule == "VALUES-READ-IN-ORDER"]
    assert len(found) == 1 and "175 个数值" in found[0].message and "25 行 × 7 列" in found[0].message


def test_stream_needs_every_relation() -> None:
    """One number lost from the stream: the count no longer fits, nothing is read by order."""
    text = (DUMPS / "pingtan-2021.chromium.pdftotext.txt").read_text(encoding="utf-8")
    broken = text.replace("\n22\n", "\n", 1)
    assert broken != text
    report = parse_file_text(broken)
    assert not [n for n in report.notes if n.kind == "read_as_stream"]
    assert [v.value for v in report.applications["unable_not_held"]] != [22, 0, 0, 0, 0, 3, 25]


def parse_file_text(text: str):
    from nianbao.extract import extract

    return extract(read_text(text, "broken.txt"))
