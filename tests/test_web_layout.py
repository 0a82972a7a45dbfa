"""Pure pieces of the web app: the official table layout, provenance rendering, upload name handling."""
from __future__ import annotations

import io

import pytest

from nianbao.document import Source
from nianbao.render.layout import Grid, ref_label, report_grids
from nianbao.templates import TEMPLATES
from nianbao.web.provenance import page_png, text_excerpt
from nianbao.web.uploads import display_name


def occupancy(grid: Grid) -> list[int]:
    """Columns covered in each row of head+body, spans from rows above included."""
    rows = grid.head + grid.body
    covered = [0] * len(rows)
    for r, row in enumerate(rows):
        for cell in row:
            for dr in range(cell.rowspan):
                if r + dr < len(rows):
                    covered[r + dr] += cell.colspan
    return covered


@pytest.mark.parametrize("template_id", sorted(TEMPLATES))
def test_grids_are_rectangular(template_id: str) -> None:
    for grid in report_grids(template_id, lambda ref: None):
        assert set(occupancy(grid)) == {grid.ncols}, (template_id, grid.key, occupancy(grid))


@pytest.mark.parametrize("template_id", sorted(TEMPLATES))
def test_every_template_cell_has_a_value_cell(template_id: str) -> None:
    tpl = TEMPLATES[template_id]
    grids = {g.key: g for g in report_grids(template_id, lambda ref: ref)}
    refs = {c.ref for g in grids.values() for c in g.value_cells()}
    assert {f"active.{r.key}.{f.key}" for r in tpl.active for f in r.fields} <= refs
    assert {f"applications.{r.key}.{c.key}" for r in tpl.applications for c in tpl.applicant_columns} <= refs
    assert {f"review_litigation.{b}.{c.key}" for b, _ in tpl.review_blocks for c in tpl.outcome_columns} <= refs
    # the lookup result is what the cell carries
    assert all(c.value == c.ref for g in grids.values() for c in g.value_cells())


def test_table_three_groups_and_table_four_header() -> None:
    grids = {g.key: g for g in report_grids("2021", lambda ref: None)}
    t3 = grids["applications"]
    labels = [c.text for row in t3.body for c in row if c.kind == "label"]
    results = next(c for row in t3.body for c in row if c.text == "三、本年度办理结果")
    assert results.rowspan == len(TEMPLATES["2021"].result_rows) + 1  # result rows + （七）总计
    assert "（三）不予公开" in labels and "（六）其他处理" in labels
    t4 = grids["review_litigation"]
    assert [c.text for c in t4.head[0]] == ["行政复议", "行政诉讼"]
    assert [c.colspan for c in t4.head[0]] == [5, 10]
    assert [c.text for c in t4.head[1]] == ["未经复议直接起诉", "复议后起诉"] or "未经复议直接起诉" in [
        c.text for c in t4.head[1]]


def test_ref_label() -> None:
    assert ref_label("applications.granted.natural_person") == "第三部分 · （一）予以公开 · 自然人"
    assert ref_label("review_litigation.review.total") == "第四部分 · 行政复议 · 总计"
    assert ref_label("active.procurement.amount", "2019").startswith("第二部分 · 政府集中采购")


def test_text_excerpt_marks_the_value() -> None:
    data = "第一行\n规章\t0\t12\t3\n第三行\n".encode()
    lines = text_excerpt(data, "x.txt", Source(line=2, column=6), "12")
    focus = next(ln for ln in lines if ln.focus)
    assert focus.number == 2 and focus.marked == "12"


def test_page_png_draws_the_bbox() -> None:
    pdfium = pytest.importorskip("pypdfium2")
    from PIL import Image

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(200, 100)
    buf = io.BytesIO()
    pdf.save(buf)
    png = page_png(buf.getvalue(), "pdf", Source(page=1, bbox=(50.0, 20.0, 120.0, 60.0)))
    img = Image.open(io.BytesIO(png)).convert("RGB")
    assert img.size == (400, 200)  # rendered at 2× scale
    top_edge = img.getpixel((100, 40 - 2))  # bbox top 20pt × 2, less the 3 px padding, 4 px wide
    assert top_edge[0] > 200 and top_edge[1] < 80  # red
    assert img.getpixel((170, 80)) == (255, 255, 255)  # inside the box: untouched


@pytest.mark.parametrize("raw,want", [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\a\\报告.pdf", "报告.pdf"),
    ("a\x00b\nc.txt", "abc.txt"),
    ("", "未命名文件"),
    (".hidden", "hidden"),
])
def test_display_name(raw: str, want: str) -> None:
    assert display_name(raw) == want
