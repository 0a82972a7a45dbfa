#!/usr/bin/env python3
"""Build ``tests/fixtures/pdf-variants/``: the seeds' reports as text-layer PDFs in the *page layouts* real reports have.

Why: ``tests/fixtures/forms/*.pdf`` and ``tests/fixtures/variants/*.pdf`` print every table fully
ruled, on portrait A4, in 10pt type. Real text-layer PDFs (FORMAT.md E.4) also come as:

=====================  ======================================================================================
``landscape``          every page A4 landscape (wide tables printed across)
``rotate90``           portrait prose pages; the tables on landscape pages stored as PORTRAIT media boxes
                       with ``/Rotate 90`` and the content drawn turned (as Word/WPS save landscape sections)
``norules``            tables without any rule (cells placed by whitespace only)
``shaded``             header cells on filled (grey) rectangles
``small``              the tables in 6.5pt type
``t3-rephead``         table 三 broken over two pages, its header (``<thead>``) repeated on the second
``three-line-running`` "three-line" tables (only a top rule, a rule below the header, a bottom rule; the header
                       repeated where table 三 breaks), a running head naming the agency over a rule across the
                       page, and ``第 X 页 共 Y 页`` feet on every page
``rotate270-norules``  the ``rotate90`` layout with ``/Rotate 270`` (content turned clockwise), tables unruled
``three-line-small``   three-line tables in 5.5pt type (2019 template)
``dashed``             dashed rules (stroked dash patterns, not filled rectangles)
``cell-rects``         every cell its own bordered box (``border-collapse: separate``): each cell a rectangle
=====================  ======================================================================================

(Chromium itself draws every rule as a thin filled rectangle, as WPS does, so every file here covers
that too.) Each file is the seed's ``tests/fixtures/forms`` report (``make_fixtures.article_body``) with CSS
changes, printed by headless Chromium, sometimes post-processed with pypdfium2 (``rotate90``). It is
named ``<seed-number>.<variant>.pdf``; its truth is the seed's truth, copied as ``<stem>.truth.json``.

Usage: ``python scripts/make_pdf_variants.py`` (needs Chromium and pypdfium2; the tests never do).
"""
from __future__ import annotations

import dataclasses
import html
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fixtures as mf  # noqa: E402  (reuse the seed loader, the article and the Chromium renderer)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "pdf-variants"

_BASE_CSS = """
@page { size: A4; margin: 2cm 1.8cm }
body, p, td, span, b { font-family: "WenQuanYi Zen Hei", sans-serif !important; font-weight: normal !important }
p { margin: 0 0 4px 0 } td p { margin: 0 }
table { border-collapse: collapse; margin: 6px 0 } td { border: 1px solid #000; font-size: 10pt }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact }
"""

# variant → (seed, extra CSS, markup options)
VARIANTS: dict[str, tuple[str, str, dict]] = {
    "landscape": (mf.S001, "@page { size: A4 landscape }", {}),
    "rotate90": (mf.S002, "@page wide { size: A4 landscape } table { page: wide }", {"rotate": 90}),
    "norules": (mf.S001, "td { border: none !important; padding: 1px 4px }", {}),
    "shaded": (mf.S002, "thead td { background: #d9d9d9 }", {"thead": True}),
    "small": (mf.S003, "td, td p, td span { font-size: 6.5pt !important; line-height: 1.1 }", {}),
    "t3-rephead": (mf.S002, "thead { display: table-header-group }", {"thead": True, "push_t3": True}),
    "three-line-running": (mf.S003, """td { border: none !important }
body, p, td, span, b { font-family: "AR PL UMing CN", serif !important }
table { border-top: 1.5px solid #000 !important; border-bottom: 1.5px solid #000 !important }
thead { border-bottom: 1px solid #000 }
@page {
  @top-center { content: "{agency}政府信息公开工作年度报告"; font-family: "WenQuanYi Zen Hei"; font-size: 9pt;
                vertical-align: bottom; border-bottom: 0.75px solid #000 }
  @bottom-center { content: "第 " counter(page) " 页 共 " counter(pages) " 页"; font-family: "WenQuanYi Zen Hei";
                   font-size: 9pt } }""", {"thead": True}),
    "rotate270-norules": (mf.S002, "@page wide { size: A4 landscape } table { page: wide }"
                          " td { border: none !important; padding: 1px 4px }", {"rotate": 270}),
    "three-line-small": (mf.S001, """td { border: none !important; font-size: 5.5pt !important }
td p, td span { font-size: 5.5pt !important; line-height: 1.1 }
table { border-top: 1px solid #000 !important; border-bottom: 1px solid #000 !important }
thead { border-bottom: 0.5px solid #000 }""", {"thead": True}),
    "dashed": (mf.S003, "td { border: 0.75px dashed #000 !important }", {}),
    "cell-rects": (mf.S001, "table { border-collapse: separate !important; border-spacing: 0 }"
                   " td { border: 0.75px solid #000 }", {}),
}

_HEADER_ROWS = (2, 3, 3)  # rows of the header of tables 二, 三, 四 (二: the first caption + column heads)


def _tables_marked(body: str, thead: bool) -> str:
    """Strip the inline Word border style (the CSS decides) and put each table's header rows in a ``<thead>``."""
    body = body.replace(f" style='{mf._TD_STYLE}'", "")
    if not thead:
        return body
    parts = re.split(r"(<table[^>]*>)", body)
    for n, i in enumerate(range(1, len(parts), 2)):
        head = _HEADER_ROWS[min(n, 2)]
        rows = parts[i + 1].split("</tr>")
        parts[i + 1] = ("<thead>" + "</tr>".join(rows[:head]) + "</tr></thead><tbody>"
                        + "</tr>".join(rows[head:]).replace("</table>", "</tbody></table>", 1))
    return "".join(parts)


def short_seed(seed: mf.Seed) -> mf.Seed:
    """The seed with its prose cut to the first sentence of each section (the embedded CJK font subset, which
    makes most of a file's size, shrinks with the prose; the tables, title and headings are untouched)."""
    blocks: list[tuple[str, str]] = []
    for kind, text in seed.blocks:
        if kind == "p":
            if blocks and blocks[-1][0] == "p":
                continue
            text = text.split("。")[0][:24] + "。"
        blocks.append((kind, text))
    return dataclasses.replace(seed, blocks=blocks)


def page_html(seed: mf.Seed, css: str, opts: dict) -> str:
    body = _tables_marked(mf.article_body(short_seed(seed)), opts.get("thead", False))
    if opts.get("push_t3"):
        body = body.replace("<div class=t3-wrap>", "<div style='height:520px'></div><div class=t3-wrap>", 1)
    agency = mf.SITES[seed.id]["site"]
    return (f"<html><head><meta charset=\"utf-8\"><title>{html.escape(seed.title)}</title>\n<style>{_BASE_CSS}\n"
            f"{css.replace('{agency}', agency)}\n</style></head><body>\n{body}\n</body></html>\n")


def rotate_landscape_pages(src: Path, out: Path, rotation: int) -> None:
    """Store each landscape page as a portrait page with ``/Rotate`` 90 or 270, its content drawn turned back
    (90° anticlockwise for 90, clockwise for 270), so that a viewer shows it upright."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(src))
    for i in range(len(pdf)):
        page = pdf[i]
        w, h = page.get_size()
        if w <= h:
            continue
        turn = (pdfium.PdfMatrix(0, 1, -1, 0, h, 0) if rotation == 90  # (x, y) → (h − y, x)
                else pdfium.PdfMatrix(0, -1, 1, 0, 0, w))  # (x, y) → (y, w − x)
        for obj in list(page.get_objects(max_depth=1)):
            obj.transform(turn)
        page.set_mediabox(0, 0, h, w)
        page.set_cropbox(0, 0, h, w)
        page.gen_content()
        page.set_rotation(rotation)
    pdf.save(str(out))


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    seeds: dict[str, mf.Seed] = {}
    with tempfile.TemporaryDirectory(prefix="nianbao-pdfvar-") as tmp:
        work = Path(tmp)
        for name, (sid, css, opts) in VARIANTS.items():
            seed = seeds.setdefault(sid, mf.load_seed(sid))
            stem = f"{sid[:3]}.{name}"
            src = work / f"{stem}.html"
            src.write_text(page_html(seed, css, opts), encoding="utf-8")
            pdf = work / f"{stem}.pdf"
            mf.chromium_pdf(src, pdf, work)
            if opts.get("rotate"):
                rotate_landscape_pages(pdf, OUT / f"{stem}.pdf", opts["rotate"])
            else:
                shutil.copy(pdf, OUT / f"{stem}.pdf")
            shutil.copy(mf.SAMPLES / f"{sid}.truth.json", OUT / f"{stem}.truth.json")
            print(f"{stem}.pdf  {(OUT / f'{stem}.pdf').stat().st_size // 1024} KB")
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"total {total / 1024 / 1024:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
