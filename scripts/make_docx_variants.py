#!/usr/bin/env python3
"""Build ``tests/fixtures/docx-variants/``: the seeds' reports as DOCX the way Word and WPS write it.

Why: every other DOCX fixture went through LibreOffice, which writes very regular OOXML (a full
``w:tblGrid``, ``w:gridSpan`` everywhere, ``w:vMerge w:val="restart"``, one run per cell). Real
reports come from Word or WPS. These files are written DIRECTLY (python-docx for the package, lxml
for the body), from the seed's truth (the tables) and the seed's text (title, headings, prose; see
``make_fixtures.load_seed``). Each variant exercises one OOXML habit, or a realistic bundle:

=====================  ========================================================================
``word``               the plain Word rendering (baseline): tblGrid, gridSpan, vMerge restart
``gridbefore``         every row of every table starts with ``w:gridBefore`` and ends with
                       ``w:gridAfter`` (an indented table); the grid has the extra columns
``vmerge-bare``        merged cells start with ``<w:vMerge/>`` (no ``restart``), as some
                       WPS versions write; the first cell of the merge follows an unmerged one
``tcw-only``           no ``w:gridSpan``: spans only visible as wider ``w:tcW``; the
                       ``w:tblGrid`` has as many columns as the longest row
``sdt``                each table inside a block content control (``w:sdt``), rows and cells
                       inside ``w:sdt`` too, the title in a run-level ``w:sdt``
``textbox``            table 三 inside a text box (``wps:txbx/w:txbxContent``, with the VML
                       fallback copy), table 四 inside a frame (``w:framePr`` / ``w:tblpPr``)
``runs``               every number split into one run per digit (with ``w:proofErr``,
                       bookmarks and rPr between), labels split at random places
``tab-br``             ``w:tab`` before and ``w:br`` after the values, labels broken by ``w:br``
``hyphen``             soft hyphens (U+00AD and ``w:softHyphen``) inside labels and numbers,
                       ``w:noBreakHyphen`` in 本年增/减 and in labels
``fields``             numbers as ``w:fldSimple`` (``=12``) and as complex fields
                       (``w:instrText`` + cached result), a TOC-like field in the prose
``headers``            a header with the agency and a footer with ``第 X 页 共 Y 页`` fields
``t3-pagebreak``       table 三 split in two tables by a page-break paragraph (header repeated
                       with ``w:tblHeader`` on the first part only)
``t2-split``           each table-二 block (第二十条第（X）项) its own table
``blank-paras``        empty paragraphs between the row groups of table 三 (the table cut into
                       pieces) and empty paragraphs inside cells around the values
``t4-two-rows``        table 四's 15 values over two value rows (复议+直接起诉, then 复议后起诉)
``wps-bundle``         a WPS-like bundle: vmerge-bare + runs + tab-br + headers + sdt
=====================  ========================================================================

Seeds: 001 (the 2019 template), 002 and 003 (2021 template); not every variant for every seed.
Every fixture's truth is its seed's truth, copied as ``<name-without-ext>.truth.json``.

Usage: ``python scripts/make_docx_variants.py`` (deterministic; rerunnable; needs python-docx).
"""
from __future__ import annotations

import io
import json
import re
import shutil
import sys
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fixtures as mf  # noqa: E402  (the seed loader and the official table labels)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "docx-variants"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
V = "urn:schemas-microsoft-com:vml"
NSMAP = {"w": W, "r": R, "mc": MC, "wps": WPS, "wp": WP, "a": A, "v": V}


def q(tag: str) -> str:
    prefix, local = tag.split(":")
    return f"{{{NSMAP[prefix]}}}{local}"


def el(tag: str, parent: etree._Element | None = None, **attrs: str) -> etree._Element:
    node = etree.Element(q(tag)) if parent is None else etree.SubElement(parent, q(tag))
    for k, v in attrs.items():
        node.set(q("w:" + k) if ":" not in k else q(k), str(v))
    return node


# ----------------------------------------------------------------------------- options

@dataclass(frozen=True)
class Opt:
    vmerge: str = "restart"  # restart | bare
    pad: int = 0  # gridBefore / gridAfter on every row
    tcw_only: bool = False
    sdt: bool = False
    textbox: bool = False
    runs: bool = False
    tab_br: bool = False
    hyphen: bool = False
    fields: bool = False
    headers: bool = False
    t3_pagebreak: bool = False
    t2_split: bool = False
    blank_paras: bool = False
    t4_two_rows: bool = False
    extra: dict = field(default_factory=dict)


VARIANTS: dict[str, Opt] = {
    "word": Opt(),
    "gridbefore": Opt(pad=1),
    "vmerge-bare": Opt(vmerge="bare"),
    "tcw-only": Opt(tcw_only=True),
    "sdt": Opt(sdt=True),
    "textbox": Opt(textbox=True),
    "runs": Opt(runs=True),
    "tab-br": Opt(tab_br=True),
    "hyphen": Opt(hyphen=True),
    "fields": Opt(fields=True),
    "headers": Opt(headers=True),
    "t3-pagebreak": Opt(t3_pagebreak=True),
    "t2-split": Opt(t2_split=True),
    "blank-paras": Opt(blank_paras=True),
    "t4-two-rows": Opt(t4_two_rows=True),
    "wps-bundle": Opt(vmerge="bare", runs=True, tab_br=True, headers=True, sdt=True),
}
# Which seeds get which variant (all for the 2019 template; a spread for the others, to stay small).
PLAN = {
    mf.S001: list(VARIANTS),
    mf.S002: ["word", "gridbefore", "vmerge-bare", "tcw-only", "textbox", "runs", "fields", "t3-pagebreak",
              "t4-two-rows", "wps-bundle"],
    mf.S003: ["word", "sdt", "tab-br", "hyphen", "headers", "t2-split", "blank-paras", "tcw-only", "wps-bundle"],
}


# ----------------------------------------------------------------------------- runs

def _rpr(parent: etree._Element, size: int = 21, font: str = "宋体") -> None:
    rpr = el("w:rPr", parent)
    el("w:rFonts", rpr, ascii=font, hAnsi=font, eastAsia=font)
    el("w:sz", rpr, val=size)
    el("w:szCs", rpr, val=size)


def run(parent: etree._Element, text: str, size: int = 21) -> etree._Element:
    """A ``w:r`` for *text*: ``\\n`` → ``w:br``, ``\\t`` → ``w:tab``."""
    r = el("w:r", parent)
    _rpr(r, size)
    for i, part in enumerate(re.split(r"([\n\t])", text)):
        if part == "\n":
            el("w:br", r)
        elif part == "\t":
            el("w:tab", r)
        elif part:
            t = el("w:t", r)
            t.text = part
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        del i
    return r


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(\.\d+)?", text))


_counter = [0]


def cell_content(p: etree._Element, text: str, opt: Opt, *, head: bool) -> None:
    """The runs of one cell paragraph, written the way the option says."""
    _counter[0] += 1
    k = _counter[0]
    if not text:
        return
    number = _is_number(text)
    if opt.hyphen:
        if number and len(text) > 1:
            text = text[:1] + "\u00ad" + text[1:]
        elif not number and len(text) > 3:
            run(p, text[:2])
            el("w:softHyphen", el("w:r", p))
            run(p, text[2:].replace("/", "/\u00ad"))
            return
        if number and text.startswith("-"):
            el("w:noBreakHyphen", el("w:r", p))
            text = text[1:]
    if opt.fields and number and not head:
        if k % 2:
            fs = el("w:fldSimple", p, instr=f" ={text} \\# \"0\" ")
            run(fs, text)
        else:
            el("w:fldChar", el("w:r", p), fldCharType="begin")
            it = el("w:instrText", el("w:r", p))
            it.text = f" = {text} "
            el("w:fldChar", el("w:r", p), fldCharType="separate")
            run(p, text)
            el("w:fldChar", el("w:r", p), fldCharType="end")
        return
    if opt.tab_br and not head:
        if number:
            text = "\t" + text + "\n"
        elif len(text) > 4 and "\n" not in text:
            text = text[:4] + "\n" + text[4:]
    if opt.runs:
        pieces = list(text) if number else [text[i:i + 3] for i in range(0, len(text), 3)]
        for i, piece in enumerate(pieces):
            if i == 1:
                el("w:proofErr", p, type="spellStart")
                el("w:bookmarkStart", p, id=k, name=f"_Hlk{k}")
            run(p, piece)
            if i == 1:
                el("w:bookmarkEnd", p, id=k)
                el("w:proofErr", p, type="spellEnd")
        return
    run(p, text)


# ----------------------------------------------------------------------------- logical tables

@dataclass
class LCell:
    text: str
    span: int = 1
    rows: int = 1  # vertical span (rows below get continue cells)
    head: bool = False


def c(text: object, span: int = 1, rows: int = 1, head: bool = False) -> LCell:
    return LCell("" if text is None else str(text), span, rows, head)


def h(text: str, span: int = 1, rows: int = 1) -> LCell:
    return LCell(text, span, rows, True)


COL_W = 600  # twips per grid column


def build_table(rows: list[list[LCell]], ncols: int, opt: Opt, *, header_rows: int = 0) -> etree._Element:
    """A ``w:tbl`` from logical rows; vertically merged cells get continue cells in the rows below."""
    tbl = el("w:tbl")
    tblpr = el("w:tblPr", tbl)
    el("w:tblStyle", tblpr, val="TableGrid")
    el("w:tblW", tblpr, w=COL_W * ncols, type="dxa")
    if opt.textbox and opt.extra.get("floating"):
        el("w:tblpPr", tblpr, leftFromText=180, rightFromText=180, vertAnchor="text", tblpY=200)
    borders = el("w:tblBorders", tblpr)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el("w:" + side, borders, val="single", sz=4, space=0, color="auto")
    el("w:tblLayout", tblpr, type="fixed")
    el("w:tblLook", tblpr, val="04A0")
    pad = opt.pad
    # Expand to a placement grid: (row, col) → ("cell", LCell) | ("cont", LCell) | None
    placed: dict[tuple[int, int], tuple[str, LCell]] = {}
    order: list[list[tuple[int, str, LCell]]] = [[] for _ in rows]
    for r, row in enumerate(rows):
        col = 0
        for cell in row:
            while (r, col) in placed:
                col += placed[(r, col)][1].span
            placed[(r, col)] = ("cell", cell)
            order[r].append((col, "cell", cell))
            for dr in range(1, cell.rows):
                placed[(r + dr, col)] = ("cont", cell)
                order[r + dr].append((col, "cont", cell))
            col += cell.span
    grid = el("w:tblGrid", tbl)
    if opt.tcw_only:
        longest = max(len(o) for o in order)
        for _ in range(longest):
            el("w:gridCol", grid, w=COL_W * ncols // longest)
    else:
        for _ in range(ncols + 2 * pad):
            el("w:gridCol", grid, w=COL_W)
    for r, cells in enumerate(order):
        tr = el("w:tr", tbl)
        trpr = el("w:trPr", tr)
        if pad:
            el("w:gridBefore", trpr, val=pad)
            el("w:wBefore", trpr, w=COL_W * pad, type="dxa")
            el("w:gridAfter", trpr, val=pad)
            el("w:wAfter", trpr, w=COL_W * pad, type="dxa")
        if r < header_rows:
            el("w:tblHeader", trpr)
        el("w:jc", trpr, val="center")
        holder = tr
        for i, (_col, kind, cell) in enumerate(sorted(cells, key=lambda x: x[0])):
            if opt.sdt and i == len(cells) - 1 and r % 3 == 0:
                sdt = el("w:sdt", tr)
                el("w:sdtPr", sdt)
                holder = el("w:sdtContent", sdt)
            tc = el("w:tc", holder)
            tcpr = el("w:tcPr", tc)
            el("w:tcW", tcpr, w=COL_W * cell.span, type="dxa")
            if cell.span > 1 and not opt.tcw_only:
                el("w:gridSpan", tcpr, val=cell.span)
            if cell.rows > 1 and kind == "cell":
                if opt.vmerge == "bare":
                    el("w:vMerge", tcpr)
                else:
                    el("w:vMerge", tcpr, val="restart")
            elif kind == "cont":
                vm = el("w:vMerge", tcpr)
                if r % 2 and opt.vmerge != "bare":
                    vm.set(q("w:val"), "continue")
            el("w:vAlign", tcpr, val="center")
            if opt.blank_paras and kind == "cell" and _is_number(cell.text):
                el("w:p", tc)
            p = el("w:p", tc)
            ppr = el("w:pPr", p)
            el("w:jc", ppr, val="center")
            if kind == "cell":
                cell_content(p, cell.text, opt, head=cell.head)
            if opt.blank_paras and kind == "cell" and _is_number(cell.text):
                el("w:p", tc)
    return tbl


# ----------------------------------------------------------------------------- the three tables

def active_tables(seed: mf.Seed, opt: Opt) -> list[list[list[LCell]]]:
    blocks = mf.T2_2019 if seed.truth["template"] == "2019" else mf.T2_2021
    over = mf.LABEL_OVERRIDES.get(seed.id, {})
    out = []
    for caption, columns, items in blocks:
        rows = [[c(caption, 4)]]
        head = [h("信息内容")]
        for i, col in enumerate(columns):
            head.append(h(over.get(col, col), 4 - len(columns) if i == len(columns) - 1 else 1))
        rows.append(head)
        for key, label in items:
            values = list(seed.truth["active"][key].values())
            rows.append([h(over.get(label, label))] + [c(v, 4 - len(values) if i == len(values) - 1 else 1)
                                                       for i, v in enumerate(values)])
        out.append(rows)
    return out if opt.t2_split else [[row for block in out for row in block]]


T3_HEAD = mf._T3_HEAD.replace("\n", "")


def applications_rows(seed: mf.Seed) -> tuple[list[list[LCell]], list[int]]:
    """Table 三's logical rows, and the row indexes where a group starts (for cutting it)."""
    apps = seed.truth["applications"]
    t2019 = seed.truth["template"] == "2019"

    def values(key: str) -> list[LCell]:
        return [c(v) for v in apps[key]]

    rows = [[h(T3_HEAD, 3, 3), h("申请人情况", 7)],
            [h("自然人", 1, 2), h("法人或其他组织", 5), h("总计", 1, 2)],
            [h(x.replace("\n", "")) for x in mf._T3_COLS],
            [h("一、本年新收政府信息公开申请数量", 3)] + values("new"),
            [h("二、上年结转政府信息公开申请数量", 3)] + values("carried_over")]
    cuts = [len(rows)]
    n_results = 20 if t2019 else 22
    rows.append([h("三、本年度办理结果", 1, n_results), h("（一）予以公开", 2)] + values("granted"))
    rows.append([h("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2)] + values("partial"))
    for group, labels in mf._T3_GROUPS.items():
        cuts.append(len(rows))
        if t2019 and group == "（六）其他处理":
            rows.append([h("（六）其他处理", 2)] + values("other"))
            continue
        for i, (label, key) in enumerate(zip(labels, mf._T3_KEYS[group])):
            lead = [h(group, 1, len(labels))] if i == 0 else []
            rows.append(lead + [h(label)] + values(key))
    cuts.append(len(rows))
    rows.append([h("（七）总计", 2)] + values("processed_total"))
    rows.append([h("四、结转下年度继续办理", 3)] + values("carried_forward"))
    return rows, cuts


_OUT = [o.replace("\n", "") for o in mf._OUTCOMES]


def review_rows(seed: mf.Seed, opt: Opt) -> tuple[list[list[LCell]], int]:
    rl = seed.truth["review_litigation"]
    vals = []
    for block in ("review", "litigation_direct", "litigation_after_review"):
        vals += [c(v) for v in (rl[block] if rl[block] is not None else [None] * 5)]
    if opt.t4_two_rows:
        return [[h("行政复议", 5), h("行政诉讼（未经复议直接起诉）", 5)],
                [h(o) for o in _OUT * 2],
                vals[:10],
                [h("行政诉讼（复议后起诉）", 5)] + [c("") for _ in range(5)],
                [h(o) for o in _OUT] + [c("") for _ in range(5)],
                vals[10:] + [c("") for _ in range(5)]], 10
    return [[h("行政复议", 5), h("行政诉讼", 10)],
            [h(o, 1, 2) for o in _OUT] + [h("未经复议直接起诉", 5), h("复议后起诉", 5)],
            [h(o) for o in _OUT * 2],
            vals], 15


# ----------------------------------------------------------------------------- the body

def para(text: str, opt: Opt, *, size: int = 32, bold: bool = False, center: bool = False) -> etree._Element:
    p = el("w:p")
    ppr = el("w:pPr", p)
    if center:
        el("w:jc", ppr, val="center")
    else:
        el("w:ind", ppr, firstLineChars=200, firstLine=640)
    r = run(p, text, size)
    if bold:
        el("w:b", r.find(q("w:rPr")))
    return p


def page_break() -> etree._Element:
    p = el("w:p")
    el("w:br", el("w:r", p), type="page")
    return p


def sdt_block(children: list[etree._Element], alias: str) -> etree._Element:
    sdt = el("w:sdt")
    pr = el("w:sdtPr", sdt)
    el("w:alias", pr, val=alias)
    el("w:id", pr, val=zlib.crc32(alias.encode()) % 100000)
    content = el("w:sdtContent", sdt)
    for ch in children:
        content.append(ch)
    return sdt


def textbox_para(tbl: etree._Element) -> etree._Element:
    """A paragraph anchoring a text box holding *tbl* (DrawingML choice + VML fallback, as Word 2010+ writes)."""
    p = el("w:p")
    r = el("w:r", p)
    ac = el("mc:AlternateContent", r)
    choice = el("mc:Choice", ac)
    choice.set("Requires", "wps")
    drawing = el("w:drawing", choice)
    anchor = etree.SubElement(drawing, q("wp:anchor"), behindDoc="0", distT="0", distB="0", distL="114300",
                              distR="114300", simplePos="0", locked="0", layoutInCell="1", allowOverlap="1",
                              relativeHeight="251659264")
    etree.SubElement(anchor, q("wp:simplePos"), x="0", y="0")
    etree.SubElement(anchor, q("wp:extent"), cx="5940000", cy="6400000")
    etree.SubElement(anchor, q("wp:docPr"), id="1", name="文本框 1")
    graphic = etree.SubElement(anchor, q("a:graphic"))
    gdata = etree.SubElement(graphic, q("a:graphicData"), uri=WPS)
    wsp = etree.SubElement(gdata, q("wps:wsp"))
    txbx = etree.SubElement(wsp, q("wps:txbx"))
    content = el("w:txbxContent", txbx)
    content.append(tbl)
    el("w:p", content)
    etree.SubElement(wsp, q("wps:bodyPr"))
    fallback = el("mc:Fallback", ac)
    pict = el("w:pict", fallback)
    shape = etree.SubElement(pict, q("v:shape"), id="文本框 1", style="position:absolute;width:468pt;height:504pt")
    vtb = etree.SubElement(shape, q("v:textbox"))
    content2 = el("w:txbxContent", vtb)
    content2.append(etree.fromstring(etree.tostring(tbl)))
    el("w:p", content2)
    return p


def body_elements(seed: mf.Seed, opt: Opt) -> list[etree._Element]:
    out: list[etree._Element] = []
    title = para(seed.title, opt, size=44, bold=True, center=True)
    if opt.sdt:  # a run-level content control around the title's run
        r = title.find(q("w:r"))
        sdt = el("w:sdt")
        el("w:alias", el("w:sdtPr", sdt), val="标题")
        content = el("w:sdtContent", sdt)
        title.replace(r, sdt)
        content.append(r)
    out.append(title)
    if opt.fields:  # a TOC-ish field whose instruction must not show
        p = el("w:p")
        el("w:fldChar", el("w:r", p), fldCharType="begin")
        el("w:instrText", el("w:r", p)).text = ' DOCPROPERTY "Company" \\* MERGEFORMAT '
        el("w:fldChar", el("w:r", p), fldCharType="separate")
        el("w:fldChar", el("w:r", p), fldCharType="end")
        out.append(p)
    for kind, text in seed.blocks:
        if kind == "h":
            out.append(para(text, opt, bold=True))
        elif kind == "p":
            out.append(para(text, opt))
        elif text == "active":
            tables = [build_table(rows, 4, opt) for rows in active_tables(seed, opt)]
            for i, t in enumerate(tables):
                if i:
                    out.append(el("w:p"))
                out.append(sdt_block([t], "表二") if opt.sdt else t)
        elif text == "applications":
            rows, cuts = applications_rows(seed)
            if opt.t3_pagebreak:
                cut = cuts[3]
                first = build_table(_cut_rows(rows, 0, cut), 10, opt, header_rows=3)
                second = build_table(_cut_rows(rows, cut), 10, opt)
                out += [first, page_break(), second]
            elif opt.blank_paras:
                bounds = [0, cuts[0], cuts[2], cuts[4], len(rows)]
                for i in range(len(bounds) - 1):
                    if i:
                        out += [el("w:p"), el("w:p")]
                    out.append(build_table(_cut_rows(rows, bounds[i], bounds[i + 1]), 10, opt))
            else:
                t = build_table(rows, 10, opt, header_rows=3)
                if opt.textbox:
                    out.append(textbox_para(t))
                elif opt.sdt:
                    out.append(sdt_block([t], "表三"))
                else:
                    out.append(t)
        else:
            rows, ncols = review_rows(seed, opt)
            if opt.textbox:  # a frame: a floating table and a framed paragraph before it
                p = para("（单位：件）", opt, size=21)
                el("w:framePr", p.find(q("w:pPr")), w=3000, hSpace=180, wrap="around", vAnchor="text",
                   hAnchor="page", x=1800, y=1)
                out.append(p)
                out.append(build_table(rows, ncols, replace(opt, extra={"floating": True})))
            else:
                t = build_table(rows, ncols, opt, header_rows=3)
                out.append(sdt_block([t], "表四") if opt.sdt else t)
    return out


def _cut_rows(rows: list[list[LCell]], start: int, stop: int | None = None) -> list[list[LCell]]:
    """Rows[start:stop] with vertical spans clipped to the piece (a cut merged cell restarts in the piece)."""
    stop = len(rows) if stop is None else stop
    placed: dict[tuple[int, int], tuple[LCell, int]] = {}  # (row, col) → (cell, row it starts in)
    for r, row in enumerate(rows):
        col = 0
        for cell in row:
            while (r, col) in placed:
                col += placed[(r, col)][0].span
            for dr in range(cell.rows):
                placed[(r + dr, col)] = (cell, r)
            col += cell.span
    out: list[list[LCell]] = []
    for r in range(start, stop):
        row = []
        for col in sorted(cc for (rr, cc) in placed if rr == r):
            cell, origin = placed[(r, col)]
            if origin == r or r == start:
                row.append(replace(cell, rows=min(cell.rows - (r - origin), stop - r)))
        out.append(row)
    return out


# ----------------------------------------------------------------------------- headers / footers

def add_header_footer(document, seed: mf.Seed) -> None:  # noqa: ANN001 (python-docx Document)
    section = document.sections[0]
    agency = seed.truth["agency"]
    hp = section.header.paragraphs[0]
    hp.text = f"{agency}　　政府信息公开工作年度报告"
    hp2 = section.header.add_paragraph(f"{agency}办公室　2021年1月")
    del hp2
    fp = section.footer.paragraphs[0]._p
    run(fp, "第 ")
    el("w:fldSimple", fp, instr=" PAGE ").append(run(el("w:r"), "1"))
    run(fp, " 页 共 ")
    el("w:fldChar", el("w:r", fp), fldCharType="begin")
    el("w:instrText", el("w:r", fp)).text = " NUMPAGES "
    el("w:fldChar", el("w:r", fp), fldCharType="separate")
    run(fp, "6")
    el("w:fldChar", el("w:r", fp), fldCharType="end")
    run(fp, " 页")


# ----------------------------------------------------------------------------- writing

def build(seed: mf.Seed, opt: Opt) -> bytes:
    import docx

    document = docx.Document()
    body = document.element.body
    sect = body.find(q("w:sectPr"))
    for node in body_elements(seed, opt):
        sect.addprevious(node)
    if opt.headers:
        add_header_footer(document, seed)
    document.core_properties.author = "Administrator"
    document.core_properties.title = ""
    buf = io.BytesIO()
    document.save(buf)
    return _deterministic(buf.getvalue())


_DROP = ("docProps/thumbnail.jpeg", "word/stylesWithEffects.xml")


def _deterministic(data: bytes) -> bytes:
    """Rezip with fixed timestamps (and a fixed core-properties date) so reruns are byte-identical;
    python-docx's template parts nobody reads (the thumbnail, stylesWithEffects) are dropped to stay small."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in _DROP:
                continue
            payload = src.read(info.filename)
            if info.filename.endswith(".rels") or info.filename == "[Content_Types].xml":
                for name in _DROP:
                    payload = re.sub(rb"<(Relationship|Override)[^>]*" + re.escape(name.split("/")[-1].encode())
                                     + rb"\"[^>]*/>", b"", payload)
            if info.filename == "docProps/core.xml":
                payload = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2021-01-29T09:12:00Z", payload)
            zi = zipfile.ZipInfo(info.filename, date_time=(2021, 1, 29, 9, 12, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, payload)
    return out.getvalue()


def main() -> int:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    total = 0
    for seed_id, names in PLAN.items():
        seed = mf.load_seed(seed_id)
        for name in names:
            _counter[0] = 0
            stem = f"{seed_id[:3]}.{name}"
            data = build(seed, VARIANTS[name])
            (OUT / f"{stem}.docx").write_bytes(data)
            (OUT / f"{stem}.truth.json").write_text(json.dumps(seed.truth, ensure_ascii=False, indent=1) + "\n",
                                                    encoding="utf-8")
            total += len(data)
    print(f"{sum(len(v) for v in PLAN.values())} files, {total / 1024:.0f} KiB in {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
