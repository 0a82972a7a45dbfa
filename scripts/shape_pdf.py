"""Text-layer PDFs of the seed reports with table 三's merged group labels printed one character per line.

Why: in real Word/WPS exports the group cells 「三、本年度办理结果」, 「（三）不予公开」, 「（四）无法提供」 …
are narrow columns spanning many rows; their text stands one character per line beside the rows
they span. The reader must give those characters to the merged cell, never to the labels of the
rows they stand beside. Chromium and LibreOffice (make_pdf_variants.py) would need the whole
browser or office suite; fpdf2 draws the same page directly: cells are laid out here as regions
of a grid (row heights grown so that every merged cell's text fits), each region framed by its
own rules (or by none: ``ruled=False``), its text wrapped character by character and centred.

Needs ``pip install 'nianbao[fixtures]'`` (fpdf2) and a CJK TrueType font (Debian
``fonts-wqy-microhei``); the tests never do.
"""
from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from pathlib import Path

import make_fixtures as mf

FONTS = (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"))
PAGE_W, PAGE_H, MARGIN = 595.0, 842.0, 48.0  # A4 in points
SIZE, LEADING, PAD = 9.0, 11.0, 3.0  # table type size, line height, cell padding
PROSE_SIZE, PROSE_LEADING = 11.0, 17.0
CREATED = datetime.datetime(2023, 1, 16, 9, 0, tzinfo=datetime.UTC)  # fixed: regenerating gives the same bytes


@dataclass
class Region:
    """A (merged) cell: rows r0..r1 and columns c0..c1 inclusive, its text."""

    r0: int
    c0: int
    r1: int
    c1: int
    text: str


def _font() -> Path:
    for path in FONTS:
        if path.exists():
            return path
    raise SystemExit("no CJK TrueType font: apt-get install fonts-wqy-microhei")


class Writer:
    """A flowing A4 document: paragraphs, and tables drawn from regions (a table never breaks)."""

    def __init__(self) -> None:
        from fpdf import FPDF

        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.add_font("cjk", fname=str(_font()))
        self.pdf.set_creation_date(CREATED)
        self.pdf.add_page()
        self.y = MARGIN

    def _lines(self, text: str, width: float, size: float) -> list[str]:
        """*text* wrapped character by character to *width* (CJK has no spaces to break at)."""
        self.pdf.set_font("cjk", size=size)
        out: list[str] = []
        for para in text.split("\n"):
            line = ""
            for ch in para:
                if line and self.pdf.get_string_width(line + ch) > width:
                    out.append(line)
                    line = ""
                line += ch
            out.append(line)
        return [ln for ln in out if ln] or [""]

    def paragraph(self, text: str, *, bold: bool = False) -> None:
        lines = self._lines(text, PAGE_W - 2 * MARGIN, PROSE_SIZE)
        if self.y + len(lines) * PROSE_LEADING > PAGE_H - MARGIN:
            self.new_page()
        self.pdf.set_font("cjk", size=PROSE_SIZE)
        for ln in lines:
            self.pdf.text(MARGIN, self.y + PROSE_SIZE, ln)
            self.y += PROSE_LEADING
        self.y += 4

    def new_page(self) -> None:
        self.pdf.add_page()
        self.y = MARGIN

    def table(self, widths: list[float], regions: list[Region], *, ruled: bool = True,
              left: set[int] | frozenset[int] = frozenset()) -> None:
        """Draw a grid of *regions* over columns of *widths*; rows grow to fit every region's text.

        Text is centred, except in regions starting in a column of *left* (left-aligned, as Word
        sets row labels)."""
        n_rows = max(r.r1 for r in regions) + 1
        heights = [0.0] * n_rows
        wrapped = {}
        for reg in regions:
            wrapped[id(reg)] = self._lines(reg.text, sum(widths[reg.c0:reg.c1 + 1]) - 2 * PAD, SIZE)
        for reg in sorted(regions, key=lambda g: g.r1 - g.r0):  # single rows first, then spans
            need = len(wrapped[id(reg)]) * LEADING + 2 * PAD
            rows = range(reg.r0, reg.r1 + 1)
            have = sum(heights[r] for r in rows)
            if have < need:
                for r in rows:
                    heights[r] += (need - have) / len(rows)
        if self.y + sum(heights) > PAGE_H - MARGIN:
            self.new_page()
        xs = [MARGIN + sum(widths[:c]) for c in range(len(widths) + 1)]
        ys = [self.y + sum(heights[:r]) for r in range(n_rows + 1)]
        self.pdf.set_font("cjk", size=SIZE)
        self.pdf.set_line_width(0.5)
        for reg in regions:
            x0, x1, y0, y1 = xs[reg.c0], xs[reg.c1 + 1], ys[reg.r0], ys[reg.r1 + 1]
            if ruled:
                self.pdf.rect(x0, y0, x1 - x0, y1 - y0)
            lines = wrapped[id(reg)]
            top = (y0 + y1) / 2 - len(lines) * LEADING / 2
            for i, ln in enumerate(lines):
                w = self.pdf.get_string_width(ln)
                x = x0 + PAD if reg.c0 in left else (x0 + x1 - w) / 2
                self.pdf.text(x, top + i * LEADING + SIZE * 0.88, ln)
        self.y = ys[-1] + 10

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())


# ----------------------------------------------------------------------------- the three tables as regions

def active_regions(seed: mf.Seed) -> list[Region]:
    blocks = mf.T2_2019 if seed.truth["template"] == "2019" else mf.T2_2021
    over = mf.LABEL_OVERRIDES.get(seed.id, {})
    out: list[Region] = []
    r = 0
    for caption, columns, items in blocks:
        out.append(Region(r, 0, r, 3, caption))
        r += 1
        out.append(Region(r, 0, r, 0, "信息内容"))
        for i, col in enumerate(columns):
            last = 3 if i == len(columns) - 1 else i + 1
            out.append(Region(r, i + 1, r, last, over.get(col, col)))
        r += 1
        for key, label in items:
            out.append(Region(r, 0, r, 0, over.get(label, label)))
            values = list(seed.truth["active"][key].values())
            for i, v in enumerate(values):
                last = 3 if i == len(values) - 1 else i + 1
                out.append(Region(r, i + 1, r, last, "" if v is None else str(v)))
            r += 1
    return out


def applications_regions(seed: mf.Seed) -> list[Region]:
    """The official table 三 over 10 columns: two narrow group columns, the row labels, 7 values."""
    apps = seed.truth["applications"]
    out = [Region(0, 0, 2, 2, mf._T3_HEAD.replace("\n", "")), Region(0, 3, 0, 9, "申请人情况"),
           Region(1, 3, 2, 3, "自然人"), Region(1, 4, 1, 8, "法人或其他组织"), Region(1, 9, 2, 9, "总计")]
    out += [Region(2, 4 + i, 2, 4 + i, c.replace("\n", "")) for i, c in enumerate(mf._T3_COLS)]

    def values(r: int, key: str) -> list[Region]:
        return [Region(r, 3 + i, r, 3 + i, "" if v is None else str(v)) for i, v in enumerate(apps[key])]

    r = 3
    for label, key in (("一、本年新收政府信息公开申请数量", "new"), ("二、上年结转政府信息公开申请数量", "carried_over")):
        out += [Region(r, 0, r, 2, label), *values(r, key)]
        r += 1
    start = r
    singles = [("（一）予以公开", "granted"), ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partial")]
    for label, key in singles:
        out += [Region(r, 1, r, 2, label), *values(r, key)]
        r += 1
    for group, labels in mf._T3_GROUPS.items():
        if seed.truth["template"] == "2019" and group == "（六）其他处理":
            out += [Region(r, 1, r, 2, group), *values(r, "other")]
            r += 1
            continue
        out.append(Region(r, 1, r + len(labels) - 1, 1, group))
        for label, key in zip(labels, mf._T3_KEYS[group]):
            out += [Region(r, 2, r, 2, label), *values(r, key)]
            r += 1
    out += [Region(r, 1, r, 2, "（七）总计"), *values(r, "processed_total")]
    out.append(Region(start, 0, r, 0, "三、本年度办理结果"))
    r += 1
    out += [Region(r, 0, r, 2, "四、结转下年度继续办理"), *values(r, "carried_forward")]
    return out


def review_regions(seed: mf.Seed) -> list[Region]:
    rl = seed.truth["review_litigation"]
    outcomes = [o.replace("\n", "") for o in mf._OUTCOMES]
    out = [Region(0, 0, 0, 4, "行政复议"), Region(0, 5, 0, 14, "行政诉讼"),
           Region(1, 5, 1, 9, "未经复议直接起诉"), Region(1, 10, 1, 14, "复议后起诉")]
    out += [Region(1, i, 2, i, o) for i, o in enumerate(outcomes)]
    out += [Region(2, 5 + i, 2, 5 + i, o) for i, o in enumerate(outcomes * 2)]
    values = [v for block in ("review", "litigation_direct", "litigation_after_review")
              for v in (rl[block] if rl[block] is not None else [None] * 5)]
    out += [Region(3, i, 3, i, "" if v is None else str(v)) for i, v in enumerate(values)]
    return out


def short_prose(seed: mf.Seed) -> mf.Seed:
    """The seed with each section's prose cut to its first sentence (the embedded font subset stays small)."""
    blocks: list[tuple[str, str]] = []
    for kind, text in seed.blocks:
        if kind == "p":
            if blocks and blocks[-1][0] == "p":
                continue
            text = text.split("。")[0][:40] + "。"
        blocks.append((kind, text))
    return dataclasses.replace(seed, blocks=blocks)


def vertical_labels_pdf(seed: mf.Seed, *, ruled: bool = True, left_labels: bool = False) -> bytes:
    """The seed report; table 三's group columns one character wide (its labels one character per line)."""
    w = Writer()
    seed = short_prose(seed)
    w.paragraph(seed.title.replace(" ", ""))
    narrow = 15.0  # one CJK character of SIZE and the padding
    for kind, text in seed.blocks:
        if kind != "table":
            w.paragraph(text)
        elif text == "active":
            w.table([120.0, 110.0, 110.0, 110.0], active_regions(seed), ruled=ruled)
        elif text == "applications":
            w.table([narrow, narrow, 150.0] + [38.0] * 7, applications_regions(seed), ruled=ruled,
                    left={2} if left_labels else set())
        else:
            w.table([32.0] * 15, review_regions(seed), ruled=ruled)
    return w.bytes()
