#!/usr/bin/env python3
"""Build ``tests/fixtures/variants/``: the seeds' reports in the table *structures* real sites print.

Why: ``tests/fixtures/forms/`` rebuilds every seed in ONE structure (the official template,
exported from Word). Real pages (FORMAT.md A/E, corpus-dev ``source_defects``) cut, merge and
mark up the same tables in many other ways, and each way can break the grid builder or the
row matcher. Each variant here changes one structural thing (or a realistic bundle, e.g. a WPS
export), for seeds 001 (2019 template), 002 and 003 (2021 template):

======================  ==========================================================================
``t2-split``            every table-二 block (第二十条第（X）项) is its own ``<table>``
``t2-nospan``           single-value table-二 rows do not span: value in column 2, columns 3-4 blank
``t3-split-rephead``    table 三 split into two ``<table>``s (a Word page break), header repeated
``t3-split-nohead``     the same, the second part without a header (the merged cells cut)
``thead-th``            header cells as ``<th>`` inside ``<thead>`` (tables 二, 三, 四)
``t3-hdr2``             table 三 header in two rows, no 申请人情况 row (自然人/总计 rowspan 2)
``t3-hdr-flat``         table 三 header: 自然人 and 总计 in the last header row, empty cells above
``t3-group-rows``       （三）不予公开 … as rows of their own (blank value cells), no rowspans
``t3-collapsed``        one label column: ``（三）不予公开 1.属于国家秘密`` in one cell
``colspan2``            the pingtan misalignment: 自然人 ``colspan=2``, 商业企业 cells ``colspan=2``
                        one column further right, ``&nbsp;`` padding (``&nbsp;5``)
``wps``                 WPS/Kingsoft export: ``class=MsoTableGrid``, ``x:num``, ``<td x:str>``, numbers
                        in ``<span>``s with ``mso-`` styles; a TRS_Editor wrapper inside
                        ``<div id=zoom>``, the 附件 list after it
``t4-two-rows``         table 四's 15 values over two value rows (复议+直接起诉, then 复议后起诉)
``t4-char-p``           table 四 header cells written one character per ``<p>``
``units``               units in the cells (``5件``, ``11384.8489万元``, ``0元``)
======================  ==========================================================================

Renderings (a subset, to keep the corpus small): LibreOffice HTML→DOCX and DOCX→PDF, and a
Chromium print, named ``<seed>.<variant>-<docx|lo|chromium>.<ext>`` (one source per truth stem).

Every fixture's truth is its seed's truth, copied as ``<name-without-ext>.truth.json``; no variant
prints anything the seed does not say (units are printed beside the same numbers), so
``source_defects`` only records the structure the variant has.

Usage: ``python scripts/make_variants.py [--html-only]``. Needs LibreOffice and Chromium for the
renderings (see scripts/make_fixtures.py); the tests never need them.
"""
from __future__ import annotations

import argparse
import html
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fixtures as mf  # noqa: E402  (reuse the seed loader and the renderers)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "variants"
SEEDS = (mf.S001, mf.S002, mf.S003)


# ----------------------------------------------------------------------------- options and cells

@dataclass(frozen=True)
class Opt:
    """One variant's structure switches."""

    t2: str = "one"  # one | split | nospan
    t3: str = "official"  # official | split-rephead | split-nohead | hdr2 | hdr-flat | group-rows | collapsed | colspan2
    t4: str = "official"  # official | two-rows | char-p
    th: bool = False  # header cells as <th> in <thead>
    wps: bool = False  # WPS/Kingsoft markup
    pad: bool = False  # &nbsp; padding around numbers
    units: bool = False  # units printed in value cells
    char_p: bool = False  # table-四 header one character per <p>
    caption_p: bool = False  # table-二 captions as paragraphs outside the tables (with t2="split")
    row_th: bool = False  # row labels as <th scope=row> too (accessible CMS templates)


def _fmt(value: object, unit: str = "", opt: Opt | None = None) -> str:
    if value is None:
        return ""
    text = str(value)
    if opt is not None and opt.units and unit:
        text += unit
    return text


def cell(text: str, opt: Opt, *, rs: int = 1, cs: int = 1, head: bool = False, char_p: bool = False,
         pad: bool = False) -> str:
    """One cell in the variant's markup (Word or WPS export); ``text`` may hold ``\\n``."""
    attrs = (f" rowspan={rs}" if rs > 1 else "") + (f" colspan={cs}" if cs > 1 else "")
    numeric = bool(text) and text[0].isdigit()
    tag = "th" if (head and opt.th) or (opt.row_th and not numeric and text and not head) else "td"
    if opt.wps:
        attrs += f' x:num="{text}"' if numeric and text.replace(".", "").isdigit() else (" x:str" if text else "")
        attrs = " class=xl66" + attrs
    if char_p and text:
        body = "".join(f"<p align=center style='text-align:center'><span style='font-size:9.0pt'>{html.escape(ch)}"
                       "</span></p>" for ch in text.replace("\n", ""))
        return f"<{tag}{attrs} valign=middle>{body}</{tag}>"
    esc = "<br>".join(html.escape(p, quote=False) for p in text.split("\n")) if text else "&nbsp;"
    if pad and text:
        esc = f"&nbsp;{esc}&nbsp;"
    if not opt.wps:  # compact Word markup (keeps the corpus small)
        return f"<{tag}{attrs}><p align=center>{esc}</p></{tag}>"
    if numeric:
        span = f"<span lang=EN-US style='font-size:10.5pt;mso-bidi-font-size:10.0pt;mso-font-kerning:0pt'>{esc}</span>"
    else:
        span = f"<span style='font-size:10.5pt;font-family:宋体;mso-ascii-font-family:\"Times New Roman\"'>{esc}</span>"
    return f"<{tag}{attrs}><p class=MsoNormal align=center style='text-align:center'>{span}</p></{tag}>"


def row(cells: list[str]) -> str:
    return "<tr>" + "".join(cells) + "</tr>"


def table(rows: list[str], opt: Opt, head_rows: int = 0) -> str:
    cls = "MsoTableGrid" if opt.wps else "MsoNormalTable"
    out = f"<table class={cls} border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;border:none'>"
    if opt.th and head_rows:
        out += "<thead>" + "".join(rows[:head_rows]) + "</thead><tbody>" + "".join(rows[head_rows:]) + "</tbody>"
    else:
        out += "".join(rows)
    return out + "</table>"


# ----------------------------------------------------------------------------- table 二

def table_active(seed: mf.Seed, opt: Opt) -> str:
    blocks = mf.T2_2019 if seed.truth["template"] == "2019" else mf.T2_2021
    over = mf.LABEL_OVERRIDES.get(seed.id, {})
    tables: list[list[str]] = [[]]
    heads: list[int] = [0]
    captions: list[str] = []
    for n, (caption, columns, items) in enumerate(blocks):
        if opt.t2 == "split" and n:
            tables.append([])
            heads.append(0)
        rows = tables[-1]
        if opt.caption_p:
            captions.append(caption)
        else:
            rows.append(row([cell(caption, opt, cs=4, head=True)]))
        head = [cell("信息内容", opt, head=True)]
        for i, col in enumerate(columns):
            span = 4 - len(columns) if i == len(columns) - 1 and opt.t2 != "nospan" else 1
            head.append(cell(over.get(col, col), opt, cs=span, head=True))
        if opt.t2 == "nospan":
            head += [cell("", opt, head=True) for _ in range(3 - len(columns))]
        rows.append(row(head))
        if n == 0 or opt.t2 == "split":
            heads[-1] = 1 if opt.caption_p else 2
        for key, label in items:
            cells = [cell(over.get(label, label), opt)]
            values = list(seed.truth["active"][key].values())
            unit = "万元" if key == "fees" and seed.truth["template"] == "2021" else (
                "元" if key == "procurement" else "件")
            for i, value in enumerate(values):
                span = 4 - len(values) if i == len(values) - 1 and opt.t2 != "nospan" else 1
                u = unit if not (key == "procurement" and i == 0) else "个"
                cells.append(cell(_fmt(value, u, opt), opt, cs=span, pad=opt.pad))
            if opt.t2 == "nospan":
                cells += [cell("", opt) for _ in range(3 - len(values))]
            rows.append(row(cells))
    if opt.caption_p:
        return "\n".join(f"<p class=MsoNormal><b>{html.escape(captions[i])}</b></p>\n" + table(rows, opt)
                         for i, rows in enumerate(tables))
    return "\n".join(table(rows, opt, heads[i] if opt.th else 0) for i, rows in enumerate(tables))


# ----------------------------------------------------------------------------- table 三

_NOTE = mf._T3_HEAD
_ORGS = mf._T3_COLS


def _t3_header(opt: Opt, labels: int) -> list[str]:
    """Header rows over ``labels`` label columns and the 7 data columns."""
    note = _NOTE if labels > 1 else "申请人情况\n\n办理情况"
    if opt.t3 == "hdr2":
        return [row([cell(note, opt, rs=2, cs=labels, head=True), cell("自然人", opt, rs=2, head=True),
                     cell("法人或其他组织", opt, cs=5, head=True), cell("总计", opt, rs=2, head=True)]),
                row([cell(c, opt, head=True) for c in _ORGS])]
    if opt.t3 == "hdr-flat":
        return [row([cell(note, opt, rs=3, cs=labels, head=True), cell("申请人情况", opt, cs=7, head=True)]),
                row([cell("", opt, head=True), cell("法人或其他组织", opt, cs=5, head=True), cell("", opt, head=True)]),
                row([cell("自然人", opt, head=True)] + [cell(c, opt, head=True) for c in _ORGS]
                    + [cell("总计", opt, head=True)])]
    if opt.t3 == "colspan2":
        # 平潭 2021: 自然人 spans two grid columns; the 商业企业 header and values start one column later.
        return [row([cell(note, opt, rs=3, cs=labels, head=True), cell("申请人情况", opt, cs=8, head=True)]),
                row([cell("自然人", opt, cs=2, head=True), cell("法人或其他组织", opt, cs=5, head=True),
                     cell("总计", opt, rs=2, head=True)]),
                row([cell("", opt, head=True), cell(_ORGS[0], opt, cs=2, head=True)]
                    + [cell(c, opt, head=True) for c in _ORGS[1:4]])]
    return [row([cell(note, opt, rs=3, cs=labels, head=True), cell("申请人情况", opt, cs=7, head=True)]),
            row([cell("自然人", opt, rs=2, head=True), cell("法人或其他组织", opt, cs=5, head=True),
                 cell("总计", opt, rs=2, head=True)]),
            row([cell(c, opt, head=True) for c in _ORGS])]


def _t3_items(seed: mf.Seed) -> list[tuple[str | None, str, str]]:
    """``(group, label, key)`` for every result row, in order."""
    items: list[tuple[str | None, str, str]] = [(None, "（一）予以公开", "granted"),
                                                (None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partial")]
    for group, labels in mf._T3_GROUPS.items():
        if seed.truth["template"] == "2019" and group == "（六）其他处理":
            items.append((None, group, "other"))
            continue
        items += [(group, label, key) for label, key in zip(labels, mf._T3_KEYS[group])]
    return items


def table_applications(seed: mf.Seed, opt: Opt) -> str:
    apps = seed.truth["applications"]

    def values(key: str) -> list[str]:
        vals = [cell(_fmt(v), opt, pad=opt.pad) for v in apps[key]]
        if opt.t3 == "colspan2":
            vals[1] = cell(_fmt(apps[key][1]), opt, cs=2, pad=True)
        return vals

    blanks = [cell("", opt) for _ in range(7)]
    items = _t3_items(seed)
    if opt.t3 == "collapsed":
        rows = _t3_header(opt, 1)
        rows.append(row([cell("一、本年新收政府信息公开申请数量", opt)] + values("new")))
        rows.append(row([cell("二、上年结转政府信息公开申请数量", opt)] + values("carried_over")))
        rows.append(row([cell("三、本年度办理结果", opt)] + blanks))
        for group, label, key in items:
            rows.append(row([cell(f"{group} {label}" if group else label, opt)] + values(key)))
        rows.append(row([cell("（七）总计", opt)] + values("processed_total")))
        rows.append(row([cell("四、结转下年度继续办理", opt)] + values("carried_forward")))
        return table(rows, opt, 3)
    if opt.t3 in ("group-rows", "group-span"):
        rows = _t3_header(opt, 2)
        rows.append(row([cell("一、本年新收政府信息公开申请数量", opt, cs=2)] + values("new")))
        rows.append(row([cell("二、上年结转政府信息公开申请数量", opt, cs=2)] + values("carried_over")))
        n = len(items) + len({g for g, _, _ in items if g}) + 1
        rows.append(row([cell("三、本年度办理结果", opt, rs=n)] + [cell(items[0][1], opt)] + values(items[0][2])))
        seen: set[str] = set()
        for group, label, key in items[1:]:
            if group and group not in seen:
                seen.add(group)
                rows.append(row([cell(group, opt, cs=8 if opt.t3 == "group-span" else 1)]
                                + ([] if opt.t3 == "group-span" else blanks)))
            rows.append(row([cell(label, opt)] + values(key)))
        rows.append(row([cell("（七）总计", opt)] + values("processed_total")))
        rows.append(row([cell("四、结转下年度继续办理", opt, cs=2)] + values("carried_forward")))
        return table(rows, opt, 3)

    # official structure (3 label columns), optionally split in two tables
    head = _t3_header(opt, 3)
    rows = list(head)
    rows.append(row([cell("一、本年新收政府信息公开申请数量", opt, cs=3)] + values("new")))
    rows.append(row([cell("二、上年结转政府信息公开申请数量", opt, cs=3)] + values("carried_over")))
    body: list[tuple[str | None, str, str]] = [*items, (None, "（七）总计", "processed_total")]
    split = opt.t3.startswith("split")
    cut = next(i for i, (g, lbl, _) in enumerate(body) if g == "（四）无法提供") + 1 if split else len(body)
    parts = [body[:cut], body[cut:]] if split else [body]
    out: list[str] = []
    for p, part in enumerate(parts):
        if p == 1:
            out.append(table(rows, opt, 3))
            rows = list(head) if opt.t3 == "split-rephead" else []
        groups: dict[str, int] = {}
        for g, _, _ in part:
            if g:
                groups[g] = groups.get(g, 0) + 1
        first_group: set[str] = set()
        for i, (group, label, key) in enumerate(part):
            lead = [cell("三、本年度办理结果" if p == 0 else "", opt, rs=len(part))] if i == 0 else []
            if group is None:
                rows.append(row(lead + [cell(label, opt, cs=2)] + values(key)))
                continue
            if group not in first_group:
                first_group.add(group)
                continued = p == 1 and any(g == group for g, _, _ in parts[0])
                lead.append(cell("" if continued else group[:3] + "\n" + group[3:], opt, rs=groups[group]))
            rows.append(row(lead + [cell(label, opt)] + values(key)))
    rows.append(row([cell("四、结转下年度继续办理", opt, cs=3)] + values("carried_forward")))
    out.append(table(rows, opt, 3 if len(parts) == 1 or opt.t3 == "split-rephead" else 0))
    return "\n<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>\n".join(out)


# ----------------------------------------------------------------------------- table 四

_OUTCOMES = mf._OUTCOMES


def table_review(seed: mf.Seed, opt: Opt) -> str:
    rl = seed.truth["review_litigation"]
    vals: list[object] = []
    for block in ("review", "litigation_direct", "litigation_after_review"):
        vals += rl[block] if rl[block] is not None else [None] * 5
    cp = opt.t4 == "char-p"
    unit = "件" if opt.units else ""
    cells = [cell(_fmt(v, unit, opt), opt, pad=opt.pad) for v in vals]
    if opt.t4 == "split":
        first = [row([cell("行政复议", opt, cs=5, head=True)]), row([cell(o, opt, head=True) for o in _OUTCOMES]),
                 row(cells[:5])]
        second = [row([cell("行政诉讼", opt, cs=10, head=True)]),
                  row([cell("未经复议直接起诉", opt, cs=5, head=True), cell("复议后起诉", opt, cs=5, head=True)]),
                  row([cell(o, opt, head=True) for o in _OUTCOMES * 2]), row(cells[5:])]
        return table(first, opt, 2) + "\n<p class=MsoNormal>&nbsp;</p>\n" + table(second, opt, 3)
    if opt.t4 == "label-col":
        rows = [row([cell("", opt, rs=3, head=True), cell("行政复议", opt, cs=5, head=True),
                     cell("行政诉讼", opt, cs=10, head=True)]),
                row([cell(o, opt, rs=2, head=True) for o in _OUTCOMES]
                    + [cell("未经复议直接起诉", opt, cs=5, head=True), cell("复议后起诉", opt, cs=5, head=True)]),
                row([cell(o, opt, head=True) for o in _OUTCOMES * 2]),
                row([cell("件数", opt)] + cells)]
        return table(rows, opt, 3)
    if opt.t4 == "two-rows":
        rows = [row([cell("行政复议", opt, cs=5, head=True), cell("行政诉讼（未经复议直接起诉）", opt, cs=5, head=True)]),
                row([cell(o, opt, head=True) for o in _OUTCOMES * 2]),
                row(cells[:10]),
                row([cell("行政诉讼（复议后起诉）", opt, cs=5, head=True)] + [cell("", opt) for _ in range(5)]),
                row([cell(o, opt, head=True) for o in _OUTCOMES] + [cell("", opt) for _ in range(5)]),
                row(cells[10:] + [cell("", opt) for _ in range(5)])]
        return table(rows, opt, 2)
    rows = [row([cell("行政复议", opt, cs=5, head=True, char_p=cp), cell("行政诉讼", opt, cs=10, head=True, char_p=cp)]),
            row([cell(o, opt, rs=2, head=True, char_p=cp) for o in _OUTCOMES]
                + [cell("未经复议直接起诉", opt, cs=5, head=True, char_p=cp),
                   cell("复议后起诉", opt, cs=5, head=True, char_p=cp)]),
            row([cell(o, opt, head=True, char_p=cp) for o in _OUTCOMES * 2]),
            row(cells)]
    return table(rows, opt, 3)


# ----------------------------------------------------------------------------- the page

def article(seed: mf.Seed, opt: Opt) -> str:
    out = [f"<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:16.0pt'>"
           f"{html.escape(seed.title)}</span></b></p>"]
    for kind, text in seed.blocks:
        if kind == "table":
            out.append({"active": table_active, "applications": table_applications,
                        "review": table_review}[text](seed, opt))
        elif kind == "h":
            out.append(f"<p class=MsoNormal style='text-indent:32.0pt'><b><span style='font-family:黑体'>"
                       f"{html.escape(text, quote=False)}</span></b></p>")
        else:
            out.append(f"<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'><span "
                       f"style='font-family:仿宋_GB2312'>{html.escape(text, quote=False)}</span></p>")
    return "\n".join(out)


def page(seed: mf.Seed, opt: Opt) -> str:
    """A compact CMS article page; the WPS variant sits in a TRS_Editor inside ``<div id=zoom>``."""
    site = mf.SITES[seed.id]
    title = html.escape(seed.title.replace(" ", ""))
    body = article(seed, opt)
    if opt.wps:
        body = (f"<div id=zoom><div class=TRS_Editor><div class=Custom_UnionStyle>\n{body}\n</div></div></div>\n"
                f"<div class=fjxz><p>附件：</p><p><a href='/u/1.xls'>1.{title}统计表.xls</a></p>"
                f"<p><a href='/u/2.pdf'>2.{title}.pdf</a></p></div>")
    else:
        body = f"<div class=article-content>\n{body}\n</div>"
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{site['date']}"><title>{title}_{site['site']}</title>
<script>var pageId = 80613;</script></head>
<body>
<div class="nav"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/zwgk/nb/">政府信息公开年报</a></div>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; 政府信息公开年报</div>
<h1 class="art-title">{title}</h1>
<div class="art-info">发布日期：{site['date']} 来源：{site['source']}</div>
{body}
<div class="footer"><p>主办单位：{site['site']}办公室</p><p>网站标识码：4103060001 豫ICP备05001234号-1</p></div>
</body></html>
"""


VARIANTS: dict[str, Opt] = {
    "t2-split": Opt(t2="split"),
    "t2-nospan": Opt(t2="nospan"),
    "t3-split-rephead": Opt(t3="split-rephead"),
    "t3-split-nohead": Opt(t3="split-nohead"),
    "thead-th": Opt(th=True),
    "t3-hdr2": Opt(t3="hdr2"),
    "t3-hdr-flat": Opt(t3="hdr-flat"),
    "t3-group-rows": Opt(t3="group-rows"),
    "t3-collapsed": Opt(t3="collapsed"),
    "colspan2": Opt(t3="colspan2", pad=True),
    "wps": Opt(wps=True),
    "t4-two-rows": Opt(t4="two-rows"),
    "t4-char-p": Opt(t4="char-p"),
    "units": Opt(units=True),
}
# Further structures, built for seeds 001 (2019) and 003 only (corpus size).
MORE: dict[str, Opt] = {
    "t2-caption-p": Opt(t2="split", caption_p=True),
    "t3-group-span": Opt(t3="group-span"),
    "th-rows": Opt(th=True, row_th=True),
    "t4-split": Opt(t4="split"),
    "t4-label-col": Opt(t4="label-col"),
}
DEFECTS: dict[str, str] = {
    "t2-split": "structure: each table-二 block is its own <table>",
    "t2-nospan": "structure: single-value table-二 rows do not span; value in column 2, columns 3-4 blank",
    "t3-split-rephead": "structure: table 三 split into two tables inside (四)无法提供, header repeated",
    "t3-split-nohead": "structure: table 三 split into two tables inside (四)无法提供, no repeated header, merged cells cut",
    "thead-th": "structure: header cells are <th> inside <thead>",
    "t3-hdr2": "structure: table 三 header in two rows without 申请人情况",
    "t3-hdr-flat": "structure: table 三 header with 自然人/总计 in the third header row, blank cells above",
    "t3-group-rows": "structure: table 三 group headings (（三）不予公开 …) are rows of their own with blank cells",
    "t3-collapsed": "structure: table 三 has one label column ('（三）不予公开 1.属于国家秘密' in one cell)",
    "colspan2": "structure: 自然人 header colspan=2, 商业企业 header and value cells colspan=2 one column right; &nbsp; padding",
    "wps": "structure: WPS export (MsoTableGrid, x:num, x:str) in TRS_Editor inside div#zoom, 附件 list after it",
    "t4-two-rows": "structure: table 四 values over two rows (复议+直接起诉, then 复议后起诉)",
    "t4-char-p": "structure: table 四 header cells one character per <p>",
    "units": "structure: units printed in value cells (件, 万元, 元, 个); the numbers are the seed's",
    "t2-caption-p": "structure: each table-二 block its own <table>, its caption a paragraph above it",
    "t3-group-span": "structure: table 三 group headings are full-width rows (colspan=8) of their own",
    "th-rows": "structure: header cells <th> in <thead>, row labels <th> too",
    "t4-split": "structure: table 四 as two tables (行政复议; 行政诉讼)",
    "t4-label-col": "structure: table 四 with a leading label column (件数) and a blank header corner",
}
# (seed, variant, forms) rendered with LibreOffice / Chromium
RENDER: list[tuple[str, str, tuple[str, ...]]] = [
    (mf.S003, "t3-group-rows", ("docx", "lo.pdf")),
    (mf.S003, "t3-collapsed", ("docx",)),
    (mf.S001, "t4-split", ("docx",)),
    (mf.S003, "thead-th", ("lo.pdf",)),  # LibreOffice cuts row 2.其他法律行政法规/禁止公开 over the page break
    (mf.S002, "t2-nospan", ("docx",)),
    (mf.S002, "t3-split-rephead", ("docx", "lo.pdf")),
    (mf.S001, "t3-collapsed", ("docx",)),
    (mf.S001, "t2-split", ("docx",)),
]


def _truth(seed: mf.Seed, variant: str) -> dict:
    truth = json.loads(json.dumps(seed.truth))
    truth["source_defects"] = list(truth.get("source_defects") or []) + [DEFECTS[variant]]
    truth["provenance"] = f"scripts/make_variants.py: seed {seed.id}, variant {variant}"
    return truth


def _write(name: str, data: bytes | str, truth: dict) -> None:
    path = OUT / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    stem = name.rsplit(".", 1)[0]
    (OUT / f"{stem}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--html-only", action="store_true", help="no LibreOffice/Chromium renderings")
    args = ap.parse_args(argv)
    seeds = {s: mf.load_seed(s) for s in SEEDS}
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    for sid, seed in seeds.items():
        for variant, opt in VARIANTS.items():
            _write(f"{sid[:3]}.{variant}.html", page(seed, opt), _truth(seed, variant))
        if sid != mf.S002:
            for variant, opt in MORE.items():
                _write(f"{sid[:3]}.{variant}.html", page(seed, opt), _truth(seed, variant))
    if not args.html_only:
        render(seeds)
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"{sum(1 for p in OUT.iterdir() if not p.name.endswith('.truth.json'))} variants, "
          f"{total / 1048576:.2f} MB in {OUT}")
    return 0


def render(seeds: dict[str, mf.Seed]) -> None:
    with tempfile.TemporaryDirectory(prefix="nianbao-variants-") as tmp:
        work = Path(tmp)
        for sid, variant, forms in RENDER:
            seed = seeds[sid]
            bare = work / f"{sid[:3]}.{variant}.html"
            opt = VARIANTS.get(variant) or MORE[variant]
            bare.write_text(mf.bare_page(seed).replace(mf.article_body(seed), article(seed, opt)),
                            encoding="utf-8")
            docx = mf.soffice(bare, "docx:MS Word 2007 XML", work)
            for form in forms:
                # distinct stems: score.py wants exactly one source file per <stem>.truth.json
                name = f"{sid[:3]}.{variant}-{form.replace('.pdf', '')}.{form.rsplit('.', 1)[-1]}"
                if form == "docx":
                    shutil.copy(docx, OUT / name)
                elif form == "lo.pdf":
                    shutil.copy(mf.soffice(docx, "pdf", work), OUT / name)
                else:
                    mf.chromium_pdf(bare, OUT / name, work)
                truth = _truth(seed, variant)
                truth["source_defects"].append(f"form: {form} rendered from the variant page")
                (OUT / f"{name.rsplit('.', 1)[0]}.truth.json").write_text(
                    json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
