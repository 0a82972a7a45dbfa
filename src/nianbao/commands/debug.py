"""``nianbao debug-grid``: draw what the PDF ingester saw on a page image.

When a PDF table comes out wrong, the question is always which step went wrong:
the characters (lines rebuilt from them), the ruling lines, or the merged cells
built over them. This draws every layer on the rendered page, in the spirit of
pdfplumber's visual debugging, so the faulty layer is visible at a glance.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import NianbaoError

DEFAULT_SCALE = 2.0  # render at 144 dpi: cell borders stay distinct, the PNG stays small
MAX_PIXELS = 40_000_000  # refuse renders larger than this (a page box could be huge)

LINE_COLOR = (30, 110, 255)  # text lines outside tables
RULE_COLOR = (230, 30, 30)  # drawn ruling lines
SYNTHETIC_COLOR = (255, 150, 0)  # outer rules supplied by the ingester (page-break continuation)
CELL_COLOR = (0, 160, 60)  # merged cells (regions) of the grid
ALIGNED_COLOR = (160, 0, 200)  # value columns of tables printed without rules


def draw_page(data: bytes, page_number: int, out: Path, scale: float = DEFAULT_SCALE, path: str | None = None) -> str:
    """Render page *page_number* (1-based) with its lines, rules and cells drawn; returns a summary line."""
    from PIL import ImageDraw

    from ..ingest.pdf import open_pdf, read_page
    from ..ingest.pdfgrid import aligned_rows

    pdf = open_pdf(data, path)
    try:
        if not 1 <= page_number <= len(pdf):
            raise NianbaoError(path, f"页码超出范围（共 {len(pdf)} 页）", kind="unsupported")
        read = read_page(pdf, page_number - 1, path)
        page = pdf[page_number - 1]
        try:
            w, h = read.frame.width * scale, read.frame.height * scale
            if w * h > MAX_PIXELS:
                scale = (MAX_PIXELS / (read.frame.width * read.frame.height)) ** 0.5
            image = page.render(scale=scale).to_pil().convert("RGB")
        finally:
            page.close()
    finally:
        pdf.close()

    draw = ImageDraw.Draw(image)

    def box(b: tuple[float, float, float, float], color: tuple[int, int, int], width: int = 1) -> None:
        draw.rectangle([b[0] * scale, b[1] * scale, b[2] * scale, b[3] * scale], outline=color, width=width)

    if read.layout is None:
        image.save(out)
        kind = "扫描图像（需要 OCR）" if read.needs_ocr else "空白"
        return f"第 {page_number} 页：{kind}，无文字层"
    layout = read.layout
    for line in layout.lines:
        box(line.bbox, LINE_COLOR)
    rows = aligned_rows(layout.lines)
    for row in rows:
        line = layout.lines[row.line]
        for b0, b1 in row.bands:
            box((b0, line.top, b1, line.bottom), ALIGNED_COLOR, 2)
    for stack in layout.stacks:  # a merged cell printed one character per line (unruled)
        box(stack.bbox, ALIGNED_COLOR, 2)
    for grid in layout.grids:
        for reg in grid.regions:
            x0, top, x1, bottom = reg.bbox
            box((x0 + 1.5, top + 1.5, x1 - 1.5, bottom - 1.5), CELL_COLOR)
        for e in grid.edges:
            color = SYNTHETIC_COLOR if e.synthetic else RULE_COLOR
            draw.line([e.x0 * scale, e.top * scale, e.x1 * scale, e.bottom * scale], fill=color, width=2)
    image.save(out)
    cells = sum(len(g.regions) for g in layout.grids)
    return (f"第 {page_number} 页：{len(layout.lines)} 行文字，{len(layout.grids)} 个有框线表格（{cells} 个单元格），"
            f"{len(rows)} 行无框线对齐的数值行，{len(layout.stacks)} 处逐字竖排的合并单元格 → {out}")


@click.command("debug-grid")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--page", "-p", "page_number", type=int, default=1, show_default=True, help="页码（从 1 开始）。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="输出的 PNG 图片路径。")
@click.option("--scale", type=float, default=DEFAULT_SCALE, show_default=True, help="渲染倍率（1 = 72 dpi）。")
def debug_grid(file: Path, page_number: int, output: Path, scale: float) -> None:
    """把 PDF 某一页识别出的文字行、框线和单元格画在页面图像上，用于排查表格读取错误。

    \b
    图例：蓝框 = 表格外的文字行；红线 = 框线；橙线 = 补出的外框线（跨页续表缺少的顶线）；
          绿框 = 合并后的单元格；紫框 = 无框线表格中按对齐识别出的数值列。

    \b
    示例：
      nianbao debug-grid 报告.pdf --page 4 -o 第4页.png
      nianbao debug-grid 报告.pdf -p 2 -o p2.png --scale 3
    """
    try:
        summary = draw_page(file.read_bytes(), page_number, output, scale, str(file))
    except NianbaoError as exc:
        raise click.ClickException(exc.reason) from exc
    except OSError as exc:
        raise click.ClickException(f"无法读写文件：{exc}") from exc
    click.echo(summary)


COMMANDS = [debug_grid]
