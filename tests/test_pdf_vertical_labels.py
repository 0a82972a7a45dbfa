"""Merged group labels printed one character per line (「三、本年度办理结果」 beside the rows it spans).

The text of a cell that spans rows belongs to that cell, never to the labels of the rows it stands
beside: ruled, the cell's box comes from the rules; unruled, the lone characters stacked in one
narrow column are found as one piece of text (:func:`nianbao.ingest.pdfgrid.vertical_stacks`).
The PDFs are ``tests/fixtures/shapes/*.vlabels-*.pdf`` (``scripts/make_shapes.py``).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import assert_reads_like_truth
from nianbao.document import Paragraph, Table
from nianbao.ingest import read_document
from nianbao.ingest.pdfgrid import Char, Edge, fill_grid, find_grids, layout_page, vertical_stacks

SHAPES = Path(__file__).resolve().parent / "fixtures" / "shapes"
SIZE = 9.0


def _text(s: str, x: float, y: float) -> list[Char]:
    """A line of characters of SIZE points, side by side from (x, y)."""
    return [Char(ch, x + i * SIZE, y, x + (i + 1) * SIZE, y + SIZE) for i, ch in enumerate(s)]


def _down(s: str, x: float, y: float, pitch: float = 11.0) -> list[Char]:
    """Characters one per line from (x, y) downwards."""
    return [Char(ch, x, y + i * pitch, x + SIZE, y + i * pitch + SIZE) for i, ch in enumerate(s)]


ROWS = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及三安全一稳定", "4.保护第三方合法权益",
        "5.属于三类内部事务信息", "6.属于四类过程性信息"]


def _rows(x: float) -> list[Char]:
    chars: list[Char] = []
    for i, label in enumerate(ROWS):
        y = 100 + i * 16
        chars += _text(label, x, y) + [c for k in range(7) for c in _text(str(i), 300 + 30 * k, y)]
    return chars


def test_vertical_stack_is_one_text_not_part_of_the_rows() -> None:
    chars = _rows(40) + _down("（三）不予公开", 20, 104)
    (stack,) = vertical_stacks(chars)
    assert stack.text == "（三）不予公开"
    layout = layout_page(chars, [])
    assert [st.text for st in layout.stacks] == ["（三）不予公开"]
    labels = [line.text.split(" ")[0] for line in layout.lines]
    assert labels == ROWS  # no 「（ 1.属于国家秘密」, 「三 2.其他…」
    # digits stacked in a value column and running text are never stacks
    assert vertical_stacks(_rows(40)) == []
    assert vertical_stacks(_text("正文一行", 20, 10) + _text("正文二行", 20, 27) + _text("正文三行", 20, 44)) == []
    placeholders = [c for i in range(4) for c in _text("无", 300, 100 + 16 * i) + _text("／", 330, 100 + 16 * i)]
    assert vertical_stacks(_rows(40) + placeholders) == []  # 无 and ／ in a value column stay values
    assert vertical_stacks(_down("是是是是", 20, 100)) == []  # one character repeated is no label


def test_two_merged_cells_one_above_the_other_are_two_stacks() -> None:
    chars = _down("（四）无法提供", 20, 100) + _down("（五）不予处理", 20, 100 + 7 * 11 + 12)
    assert [st.text for st in vertical_stacks(chars)] == ["（四）无法提供", "（五）不予处理"]


def test_ruled_merged_cell_keeps_its_characters() -> None:
    """Rules: a narrow column 10–34 spanning the six rows, row labels 34–290, values after it."""
    top, bottom = 96.0, 96.0 + 6 * 16
    rules = [Edge("v", x, top, x, bottom) for x in (10, 34, 290, 520)]
    rules += [Edge("h", 10, top, 520, top), Edge("h", 10, bottom, 520, bottom)]
    rules += [Edge("h", 34, top + 16 * i, 520, top + 16 * i) for i in range(1, 6)]  # not across the merged cell
    chars = _rows(40) + _down("（三）不予公开", 17, 104)
    (grid,) = find_grids(rules)
    fill_grid(grid, [c for c in chars if grid.contains(c)])
    merged = grid.regions[grid.owner[0][0]]
    assert (merged.r0, merged.r1) == (0, 5) and merged.text == "（三）不予公开"
    assert [grid.regions[grid.owner[r][1]].text for r in range(6)] == ROWS


@pytest.mark.parametrize("name", ["002.vlabels-ruled.pdf", "003.vlabels-ruled.pdf", "003.vlabels-unruled.pdf"])
def test_fixture_reads_every_cell(name: str) -> None:
    assert_reads_like_truth(SHAPES / name, {})


def test_fixture_rows_carry_clean_labels() -> None:
    """The unruled PDF: the group labels are lines of their own, the row labels carry none of their characters."""
    doc = read_document(SHAPES / "003.vlabels-unruled.pdf")
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    for group in ("三、本年度办理结果", "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"):
        assert group in paragraphs
    labels = [row[0].text for b in doc.blocks if isinstance(b, Table) for row in b.rows]
    assert "1.本机关不掌握相关政府信息" in labels and "3.危及“三安全一稳定”" in labels
    ruled = read_document(SHAPES / "003.vlabels-ruled.pdf")
    t3 = next(b for b in ruled.blocks if isinstance(b, Table) and any("国家秘密" in c.text for r in b.rows for c in r))
    column = [row[0] for row in t3.rows if row[0].text == "三、本年度办理结果"]
    assert len(column) == 22 and column[0].copy_of is None and all(c.copy_of for c in column[1:])
