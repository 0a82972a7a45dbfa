#!/usr/bin/env python3
"""Build the committed multi-form fixtures in ``tests/fixtures/forms/`` from the seed reports.

Why: every ingester (HTML, DOCX, DOC, PDF, scan/OCR) must turn *the same report* into the
same numbers. So each seed's prose and its truth file (``samples/<seed>.txt`` and
``samples/<seed>.truth.json``) are rebuilt here as the forms reports are really published in:

* ``<seed>.html`` (seeds 000, 001, 002, 003): a CMS article page (nav, breadcrumbs, 相关链接,
  附件下载, share bar, 上一篇/下一篇, footer, scripts) around the report, whose three tables
  are rebuilt in the official template structure (FORMAT.md A.2-A.4: rowspan/colspan exactly as
  in the templates, 001 with the 2019 template) with Word-export markup (``MsoNormal``,
  ``mso-`` styles, ``<o:p>``), ``&nbsp;`` blank cells and ``<br>`` in header cells.
  Seed 000 writes Kangxi / CJK-radical code points (⼀ ⼯ ⾏ ⻔ ⺠ ⼾ …) for ordinary ideographs: its
  prose keeps them as they are, and the rebuilt table labels are spelled the same way (every
  ideograph the seed only ever writes as a Kangxi radical is written as that radical), so the
  HTML — and the DOCX/PDF text layers made from it — carry them too.
* ``003….gbk.html`` / ``003….gbk-nometa.html``: an older portal page (layout tables around the
  content, upper-case tags, omitted ``</td></tr>``), GBK-encoded, declaring ``charset=gb2312`` (or
  nothing), with the GBK-only character 喆 in the chrome.
* ``002….json``: the page embedded in a JSON API response string (``ensure_ascii``, ``\\/``).
* ``<seed>.docx`` (LibreOffice HTML→DOCX), ``<seed>.lo.pdf`` (DOCX→PDF), ``<seed>.chromium.pdf``
  (headless Chromium print), ``002….chromium-split.pdf`` (table 三 pushed so that it breaks over a
  page with no repeated header), ``003….doc`` (DOCX→DOC).
* ``003….scan.pdf``: the LibreOffice PDF rasterized at 150 dpi, rotated 0.7°, noised and
  JPEG-compressed, wrapped back as an image-only PDF; ``003….scan-p2.png``: its page 2.

Each fixture's truth is its seed's truth file (``MANIFEST.json`` maps fixture → truth); only
``scan-p2.png`` is partial (one page). When everything is written, ``READY`` is created.

Debian requirements (only to *regenerate*; the tests never need them)::

    apt-get install -y --no-install-recommends libreoffice-writer-nogui chromium \\
        fonts-wqy-zenhei fonts-arphic-uming poppler-utils

TrueType CJK fonts are used on purpose: Noto CJK (OTF/CFF) makes Chromium write Type 3 fonts.
Python: the project venv (Pillow, numpy, pypdfium2 come with pdfplumber/rapidocr).

Usage: ``python scripts/make_fixtures.py [--seeds ID …] [--html-only] [--score]``. ``--seeds`` builds
only the fixtures of those seeds (full ids or their 3-digit prefix) and leaves every other file as it
is (the Chromium PDFs embed timestamps: regenerating them makes needless diffs); MANIFEST.json is
updated in place. ``--score`` runs ``../shared/tools/score.py`` on every fixture of the built
seeds (one temporary folder per fixture).
"""
from __future__ import annotations

import argparse
import html
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
OUT = ROOT / "tests" / "fixtures" / "forms"
SCORE = ROOT.parent / "shared" / "tools" / "score.py"  # ../shared beside the repository

S000 = "000_a122145f4d95bb2d"
S001 = "001_203072e8f6b1ea52"
S002 = "002_e36d426879923bc1"
S003 = "003_2a799143023ee02c"
SEEDS = (S000, S001, S002, S003)

# Where each seed was "published" (invented site chrome; the report itself is the seed's).
SITES = {
    S000: {"site": "洛阳市机关事务管理局", "date": "2023-01-18 16:05", "source": "办公室", "domain": "jgswglj.ly.gov.cn"},
    S001: {"site": "洛阳市政务服务和大数据管理局", "date": "2021-01-29 09:12", "source": "办公室", "domain": "zwfw.ly.gov.cn"},
    S002: {"site": "洛阳市孟津区人民政府", "date": "2023-01-16 15:40", "source": "区政府办公室", "domain": "www.mengjin.gov.cn"},
    S003: {"site": "洛阳市偃师区人民政府", "date": "2023-01-18 10:30", "source": "区政府办公室", "domain": "www.yanshi.gov.cn"},
}

# ----------------------------------------------------------------------------- the seed's prose

_SECTION = re.compile(r"^(?:#+\s*)?\s*([一二三四五六])、\s*(总体情况|主动公开|收到和处理|政府信息公开行政复议|因政府信息公开|存在的主要问题|其他需要报告)")
_TITLE = re.compile(r"20\d\d\s*年.*(年度报告|工作\s*年度报告)")
_SENTENCE_END = tuple("。；：！？!?;:")
_RADICALS = re.compile("[\u2e80-\u2fdf]")


def fold_radicals(text: str) -> str:
    """Kangxi radicals (U+2F00–2FD5) → the ideographs they stand for (their NFKC form), for *matching*
    only. CJK Radicals Supplement code points (⻔ ⺠ …) have no NFKC form and stay; no heading or template
    label needs them. (Deliberately independent of nianbao's own repair table, which the fixtures test.)"""
    return _RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def radical_spellings(text: str) -> dict[str, str]:
    """Ideograph → the Kangxi radical *text* writes for it, for every ideograph it only ever writes that way."""
    out = {}
    for ch in set(_RADICALS.findall(text)):
        unified = fold_radicals(ch)
        if unified != ch and unified not in text:
            out[unified] = ch
    return out


@dataclass
class Seed:
    id: str
    title: str
    blocks: list[tuple[str, str]]  # ("h", heading) | ("p", text) | ("table", "active"|"applications"|"review")
    truth: dict
    spellings: dict[str, str]  # ideograph → the radical code point the seed writes instead (see radical_spellings)

    def spell(self, markup: str) -> str:
        """Write *markup*'s text nodes (never its attributes: font names) the way the seed writes them."""
        if not self.spellings:
            return markup
        table = str.maketrans(self.spellings)
        return re.sub(r">([^<>]+)<", lambda m: ">" + m.group(1).translate(table) + "<", markup)


def load_seed(seed: str) -> Seed:
    """Split a seed text into title, section headings and prose; the table regions are dropped
    (the tables are rebuilt from the truth, in the template's structure).

    Headings, the title and paragraph starts are recognised on the radical-folded line (seed 000 prints
    ``⼀、总体情况``, ``四、政府信息公开⾏政复议…``, ``（⼀）``, ``⼀是``); what is kept is the line as printed.
    The title may come after the first heading (seed 000). A table region runs from its section heading
    to the next section heading, whatever its rows look like (tab- or space-separated, wrapped labels)."""
    text = (SAMPLES / f"{seed}.txt").read_text(encoding="utf-8")
    truth = json.loads((SAMPLES / f"{seed}.truth.json").read_text(encoding="utf-8"))
    title = ""
    blocks: list[tuple[str, str]] = []
    in_table = False
    for raw in text.splitlines():
        line = raw.strip().lstrip("#").strip()
        if not line:
            continue
        folded = fold_radicals(line)
        if not title and len(line) <= 60 and _TITLE.search(folded):
            title = re.sub(r"\s+", "", line) if seed != S001 else line
            continue
        m = _SECTION.match(folded)
        if m:
            blocks.append(("h", line))
            number = m.group(1)
            table = {"二": "active", "三": "applications", "四": "review"}.get(number)
            if table:
                blocks.append(("table", table))
            in_table = table is not None
            continue
        if in_table:
            continue
        # Seeds carry hard line wraps: join a long unfinished line with its continuation.
        if blocks and blocks[-1][0] == "p" and len(blocks[-1][1]) >= 45 and not blocks[-1][1].endswith(_SENTENCE_END) \
                and not re.match(r"^（[一二三四五六七八九十]+）|^[一二三四五六七八九十]是", folded):
            blocks[-1] = ("p", blocks[-1][1] + line)
        else:
            blocks.append(("p", line))
    return Seed(seed, title, blocks, truth, radical_spellings(text))


# ----------------------------------------------------------------------------- Word-export cells

_TD_STYLE = "border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt"


def _fmt(value: object) -> str:
    return "" if value is None else str(value)


def td(text: str, *, rowspan: int = 1, colspan: int = 1, width: int = 60, upper: bool = False, close: bool = True) -> str:
    """One Word-exported cell: ``<td><p class=MsoNormal><span style='mso-…'>text<o:p></o:p></span></p></td>``.

    ``text`` may hold ``\\n`` (rendered as ``<br>``); an empty text becomes ``&nbsp;``.
    """
    attrs = f" width={width}"
    if rowspan > 1:
        attrs += f" rowspan={rowspan}"
    if colspan > 1:
        attrs += f" colspan={colspan}"
    body = "<br>\n".join(html.escape(part, quote=False) for part in text.split("\n")) if text else "&nbsp;"
    span = ("<span lang=EN-US style='font-size:10.5pt;mso-font-kerning:0pt'>" if text[:1].isdigit() or not text else
            "<span style='font-size:10.5pt;font-family:宋体;\nmso-font-kerning:0pt'>")
    cell = (f"<td{attrs} style='{_TD_STYLE}'>\n<p class=MsoNormal align=center "
            f"style='text-align:center'>{span}{body}<o:p></o:p></span></p>")
    if upper:
        cell = cell.replace("<td", "<TD").replace("<p ", "<P ").replace("</p>", "</P>")
    return cell + ("</td>" if close else "")


def tr(cells: list[str], *, close: bool = True, upper: bool = False) -> str:
    opening = "<TR style='mso-yfti-irow:1'>" if upper else "<tr style='mso-yfti-irow:1;height:20.0pt'>"
    return opening + "\n" + "\n".join(cells) + ("\n</tr>" if close else "")


def table(rows: list[str], *, upper: bool = False) -> str:
    open_tag = ("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=3 width=\"100%\" "
                "style='width:100.0%;border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;"
                "mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>")
    if upper:
        open_tag = open_tag.replace("<table", "<TABLE")
    return open_tag + "\n" + "\n".join(rows) + ("\n</TABLE>" if upper else "\n</table>")


# ----------------------------------------------------------------------------- the three tables

T2_2021 = [
    ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
     [("regulations", "规章"), ("normative_documents", "行政规范性文件")]),
    ("第二十条第（五）项", ["本年处理决定数量"], [("licensing", "行政许可")]),
    ("第二十条第（六）项", ["本年处理决定数量"], [("punishment", "行政处罚"), ("coercion", "行政强制")]),
    ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("fees", "行政事业性收费")]),
]
T2_2019 = [
    ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
     [("regulations", "规章"), ("normative_documents", "规范性文件")]),
    ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
     [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")]),
    ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
     [("punishment", "行政处罚"), ("coercion", "行政强制")]),
    ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], [("fees", "行政事业性收费")]),
    ("第二十条第（九）项", ["采购项目数量", "采购总金额"], [("procurement", "政府集中采购")]),
]
# Labels the seed itself prints instead of the template's (kept: a rebuilt table must still be *this* report).
LABEL_OVERRIDES = {S003: {"行政规范性文件": "规范性文件"}, S002: {"本年收费金额（单位：万元）": "本年收费金额（单位：万元，保留4位小数）"},
                   S000: {"本年收费金额（单位：万元）": "本年收费金额（单位：万元，保留4位小数）"}}


def table_active(seed: Seed, upper: bool = False) -> str:
    """Table 二: 4-column grid, full-width caption rows, the last header/value cell spanning the rest."""
    blocks = T2_2019 if seed.truth["template"] == "2019" else T2_2021
    over = LABEL_OVERRIDES.get(seed.id, {})
    rows = []
    for caption, columns, items in blocks:
        rows.append(tr([td("  " + caption, colspan=4, width=568).replace("align=center style='text-align:center;",
                                                                          "style='")], upper=upper))
        head = [td("信息内容", width=142)]
        for i, col in enumerate(columns):
            span = 4 - len(columns) if i == len(columns) - 1 else 1
            head.append(td(over.get(col, col), colspan=span, width=142 * span))
        rows.append(tr(head, upper=upper))
        for key, label in items:
            cells = [td(over.get(label, label), width=142)]
            values = list(seed.truth["active"][key].values())
            for i, value in enumerate(values):
                span = 4 - len(values) if i == len(values) - 1 else 1
                cells.append(td(_fmt(value), colspan=span, width=142 * span))
            rows.append(tr(cells, upper=upper))
    return table(rows, upper=upper)


_T3_HEAD = "（本列数据的勾稽关系为：第一项加第二项之和，\n等于第三项加第四项之和）"
_T3_COLS = ["商业\n企业", "科研\n机构", "社会公益\n组织", "法律服务\n机构", "其他"]
_T3_GROUPS = {
    "（三）不予公开": ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
                 "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"],
    "（四）无法提供": ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"],
    "（五）不予处理": ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                 "5.要求行政机关确认或重新出具已获取信息"],
    "（六）其他处理": ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                 "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"],
}
_T3_KEYS = {
    "（三）不予公开": ["denied_state_secret", "denied_law_prohibited", "denied_three_safety", "denied_third_party",
                 "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_admin_query"],
    "（四）无法提供": ["unable_not_held", "unable_needs_creation", "unable_unclear"],
    "（五）不予处理": ["rejected_petition", "rejected_duplicate", "rejected_publication", "rejected_excessive",
                 "rejected_confirmation"],
    "（六）其他处理": ["other_no_correction", "other_unpaid_fee", "other"],
}


def table_applications(seed: Seed, upper: bool = False, omit_heading_note: bool = False) -> str:
    """Table 三 (FORMAT.md A.3): 3 header rows over a 10-column grid, rowspans for the result groups."""
    apps = seed.truth["applications"]
    t2019 = seed.truth["template"] == "2019"

    def values(key: str) -> list[str]:
        return [td(_fmt(v), width=50) for v in apps[key]]

    rows = [
        tr([td("" if omit_heading_note else _T3_HEAD, rowspan=3, colspan=3, width=260), td("申请人情况", colspan=7, width=400)],
           upper=upper),
        tr([td("自然人", rowspan=2, width=50), td("法人或其他组织", colspan=5, width=250), td("总计", rowspan=2, width=50)],
           upper=upper),
        tr([td(c, width=50) for c in _T3_COLS], upper=upper),
        tr([td("一、本年新收政府信息公开申请数量", colspan=3, width=260)] + values("new"), upper=upper),
        tr([td("二、上年结转政府信息公开申请数量", colspan=3, width=260)] + values("carried_over"), upper=upper),
    ]
    n_results = 20 if t2019 else 22
    rows.append(tr([td("三、本年度办理结果", rowspan=n_results, width=40), td("（一）予以公开", colspan=2, width=220)]
                   + values("granted"), upper=upper))
    rows.append(tr([td("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", colspan=2, width=220)] + values("partial"),
                   upper=upper))
    for group, labels in _T3_GROUPS.items():
        if t2019 and group == "（六）其他处理":
            rows.append(tr([td("（六）其他处理", colspan=2, width=220)] + values("other"), upper=upper))
            continue
        for i, (label, key) in enumerate(zip(labels, _T3_KEYS[group])):
            lead = [td(group[:3] + "\n" + group[3:], rowspan=len(labels), width=60)] if i == 0 else []
            rows.append(tr(lead + [td(label, width=160)] + values(key), upper=upper))
    rows.append(tr([td("（七）总计", colspan=2, width=220)] + values("processed_total"), upper=upper))
    rows.append(tr([td("四、结转下年度继续办理", colspan=3, width=260)] + values("carried_forward"), upper=upper))
    return table(rows, upper=upper)


_OUTCOMES = ["结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计"]


def table_review(seed: Seed, upper: bool = False) -> str:
    """Table 四 (FORMAT.md A.4): 15 columns, 行政复议 colspan 5 / 行政诉讼 colspan 10, two sub-blocks.

    The portal style (``upper``) also omits ``</td>`` and ``</tr>``, as old CMS pages do."""
    rl = seed.truth["review_litigation"]
    close = not upper
    rows = [
        tr([td("行政复议", colspan=5, width=190, upper=upper, close=close),
            td("行政诉讼", colspan=10, width=380, upper=upper, close=close)], close=close, upper=upper),
        tr([td(o, rowspan=2, width=38, upper=upper, close=close) for o in _OUTCOMES]
           + [td("未经复议直接起诉", colspan=5, width=190, upper=upper, close=close),
              td("复议后起诉", colspan=5, width=190, upper=upper, close=close)], close=close, upper=upper),
        tr([td(o, width=38, upper=upper, close=close) for o in _OUTCOMES * 2], close=close, upper=upper),
    ]
    values = []
    for block in ("review", "litigation_direct", "litigation_after_review"):
        values += rl[block] if rl[block] is not None else [None] * 5
    rows.append(tr([td(_fmt(v), width=38, upper=upper, close=close) for v in values], close=close, upper=upper))
    return table(rows, upper=upper)


# ----------------------------------------------------------------------------- the article

def article_body(seed: Seed, *, upper: bool = False) -> str:
    """The report as Word exports it: MsoNormal paragraphs, headings in bold spans, the three tables."""
    out = [f"<div class=WordSection1 style='layout-grid:15.6pt'>\n<p class=MsoNormal align=center style='text-align:center'>"
           f"<b><span style='font-size:16.0pt;font-family:宋体'>{html.escape(seed.title)}<o:p></o:p></span></b></p>"]
    for kind, text in seed.blocks:
        if kind == "table":
            if kind == "table" and text == "active":
                out.append(seed.spell(table_active(seed, upper)))
            elif text == "applications":
                out.append("<div class=t3-wrap>" + seed.spell(table_applications(seed, upper)) + "</div>")
            else:
                out.append(seed.spell(table_review(seed, upper)))
            continue
        esc = html.escape(text, quote=False)
        if kind == "h":
            out.append(f"<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0'><b><span "
                       f"style='font-size:16.0pt;font-family:黑体;mso-hansi-font-family:\"Times New Roman\"'>{esc}"
                       "<o:p></o:p></span></b></p>")
        else:
            out.append(f"<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0;line-height:28.0pt;"
                       f"mso-line-height-rule:exactly'><span style='font-size:16.0pt;font-family:仿宋_GB2312;\n"
                       f"mso-hansi-font-family:\"Times New Roman\"'>{esc}<o:p></o:p></span></p>")
    out.append("</div>")
    body = "\n".join(out)
    if upper:
        body = body.replace("<p class=MsoNormal", "<P class=MsoNormal").replace("</p>", "</P>")
        body = body.replace("<span", "<SPAN").replace("</span>", "</SPAN>")
    return body


def _other_years(seed: Seed) -> list[str]:
    """Links to *other* annual reports of the same agency: chrome that looks like a report title."""
    agency = seed.truth["agency"]
    year = seed.truth["year"]
    return [f"{agency}{year - 1}年政府信息公开工作年度报告", f"{agency}{year - 2}年政府信息公开工作年度报告",
            f"{year}年度政府信息公开工作年度报告编制说明"]


def cms_page(seed: Seed) -> str:
    """A modern CMS article page (UTF-8, div layout) with all the chrome around the report."""
    site = SITES[seed.id]
    title = seed.title.replace(" ", "")
    others = _other_years(seed)
    attachments = "\n".join(
        f'<li><a href="/u/cms/www/{i}.{ext}">{html.escape(title)}（{kind}）.{ext}</a></li>'
        for i, (kind, ext) in enumerate((("正式文件", "pdf"), ("统计表", "xls"))))
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="SiteName" content="{site['site']}">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ArticleTitle" content="{html.escape(title)}">
<meta name="PubDate" content="{site['date']}">
<meta name="ContentSource" content="{site['source']}">
<title>{html.escape(title)}_政府信息公开年报_{site['site']}</title>
<link rel="stylesheet" href="/css/common.css">
<style>
body {{ font-family: "宋体", SimSun, serif; margin: 0 }}
.header {{ background: #b30000; color: #fff }} .nav li {{ display: inline-block; padding: 0 1em }}
.TRS_Editor p {{ line-height: 2 }} .share a {{ margin-right: .5em }}
</style>
<script src="/js/jquery-1.12.4.min.js"></script>
<script>var _hmt = _hmt || []; var siteTitle = "{site['site']}政府信息公开工作年度报告专栏";</script>
</head>
<body>
<div class="top-bar"><div class="w1200"><span>欢迎访问{site['site']}门户网站！</span>
<a href="/">设为首页</a> | <a href="#">加入收藏</a> | <a href="/wza/">无障碍浏览</a> | <a href="/old/">长者模式</a></div></div>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="{site['site']}"><h2>{site['site']}</h2></div>
<form class="search" action="/search"><input type="text" name="q" placeholder="请输入关键字"><button>搜索</button></form></div>
<div class="nav" id="nav"><span class="nav-title">网站导航</span><ul>
<li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/zjxx/">走进{site['site'][:5]}</a></li><li><a href="/ztzl/">专题专栏</a></li>
</ul></div>
<div class="main w1200">
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/xxgk/">政府信息公开</a> &gt; <a href="/zwgk/xxgk/nb/">政府信息公开年报</a></div>
<div class="left-side">
<div class="side-title">政府信息公开</div>
<ul class="side-menu"><li><a href="/zwgk/zn/">政府信息公开指南</a></li><li><a href="/zwgk/zd/">政府信息公开制度</a></li>
<li class="on"><a href="/zwgk/nb/">政府信息公开年报</a></li><li><a href="/zwgk/ysq/">依申请公开</a></li></ul>
</div>
<div class="article">
<h1 class="art-title">{html.escape(title)}</h1>
<div class="art-info"><span>发布日期：{site['date']}</span><span>来源：{site['source']}</span><span>浏览次数：<em id="hits">1024</em></span>
<span>字号：[<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>]</span></div>
<div class="TRS_Editor" id="zoom">
{article_body(seed)}
</div>
<div class="attachments"><p class="att-title">附件下载：</p><ul>
{attachments}
</ul></div>
<div class="share">分享到：<a class="wx" href="#">微信</a><a class="wb" href="#">微博</a><a class="qz" href="#">QQ空间</a></div>
<div class="art-tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="prev-next"><p>上一篇：<a href="/zwgk/nb/1.html">{html.escape(others[0])}</a></p>
<p>下一篇：<a href="/zwgk/nb/3.html">{html.escape(others[2])}</a></p></div>
</div>
<div class="related"><h3>相关链接</h3><ul>
<li><a href="/zwgk/nb/1.html">{html.escape(others[0])}</a></li>
<li><a href="/zwgk/nb/0.html">{html.escape(others[1])}</a></li>
</ul></div>
</div>
<div class="footer"><p>主办单位：{site['site']}办公室　承办单位：{site['site']}大数据中心</p>
<p>网站标识码：4103060001　<a href="https://beian.miit.gov.cn/">豫ICP备05001234号-1</a>　豫公网安备 41030602000123号</p>
<p>联系电话：0379-67712345　地址：{site['site'][:5]}人民路1号　网站地图</p></div>
<script>
$(function () {{ $.get("/api/hits?id=80613", function (d) {{ $("#hits").text(d.hits); }}); }});
function doZoom(size) {{ document.getElementById("zoom").style.fontSize = size + "px"; }}
</script>
</body>
</html>
"""


def portal_page(seed: Seed, *, declare: bool) -> str:
    """An older portal page: XHTML doctype, layout tables around nested tables, upper-case Word markup,
    omitted end tags, chrome with the GBK-only name 王喆. Encoded to GBK by the caller."""
    site = SITES[seed.id]
    title = seed.title.replace(" ", "")
    others = _other_years(seed)
    meta = '<META http-equiv="Content-Type" content="text/html; charset=gb2312">' if declare else ""
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<HTML xmlns="http://www.w3.org/1999/xhtml">
<HEAD>
{meta}
<TITLE>{html.escape(title)}--{site['site']}</TITLE>
<SCRIPT language=javascript src="/js/menu.js"></SCRIPT>
<STYLE type=text/css>.f14 {{ font-size: 14px; line-height: 26px }} TD {{ font-size: 12px }}</STYLE>
</HEAD>
<BODY leftMargin=0 topMargin=0>
<TABLE cellSpacing=0 cellPadding=0 width=1000 align=center border=0>
<TR><TD><IMG src="/images/top_banner.jpg" width=1000 height=150></TD></TR>
<TR><TD class=menu height=36><A href="/">网站首页</A> | <A href="/zwgk/">政务公开</A> | <A href="/bsfw/">办事服务</A> | <A href="/gzcy/">公众参与</A> | <A href="/sitemap.html">网站导航</A></TD></TR>
</TABLE>
<TABLE cellSpacing=0 cellPadding=0 width=1000 align=center border=0>
<TR>
<TD vAlign=top width=220>
<TABLE cellSpacing=0 cellPadding=0 width="100%" border=0>
<TR><TD class=lm_title>信息公开目录</TD></TR>
<TR><TD><A href="/zwgk/nb/">政府信息公开年报</A><BR><A href="/zwgk/zn/">政府信息公开指南</A><BR><A href="/zwgk/zd/">政府信息公开制度</A></TD></TR>
<TR><TD class=lm_title>相关链接</TD></TR>
<TR><TD><A href="/zwgk/nb/1.html">{html.escape(others[0])}</A><BR><A href="/zwgk/nb/0.html">{html.escape(others[1])}</A></TD></TR>
</TABLE>
</TD>
<TD vAlign=top width=780>
<TABLE cellSpacing=0 cellPadding=0 width="100%" border=0>
<TR><TD class=position>您现在的位置：<A href="/">首页</A> &gt;&gt; <A href="/zwgk/">政务公开</A> &gt;&gt; 政府信息公开年报</TD></TR>
<TR><TD align=center height=50><FONT style="FONT-SIZE: 20px; COLOR: #c00"><B>{html.escape(title)}</B></FONT></TD></TR>
<TR><TD align=center>发布时间：{site['date'][:10]}　　发布机构：{site['source']}　　点击数：<SCRIPT>document.write(hits)</SCRIPT></TD></TR>
<TR><TD class=f14 id=zoom>
{article_body(seed, upper=True)}
</TD></TR>
<TR><TD>附件下载：<A href="/uploadfile/2023/0118/nb2022.doc">{html.escape(title)}.doc</A></TD></TR>
<TR><TD align=right>责任编辑：王喆　　【<A href="javascript:window.print()">打印此页</A>】【<A href="javascript:window.close()">关闭窗口</A>】</TD></TR>
</TABLE>
</TD>
</TR>
</TABLE>
<TABLE cellSpacing=0 cellPadding=0 width=1000 align=center border=0>
<TR><TD class=foot align=center>版权所有：{site['site']}　技术支持：{site['site'][:5]}网络信息中心<BR>备案号：豫ICP备05004567号</TD></TR>
</TABLE>
<SCRIPT>var hits = 321;</SCRIPT>
</BODY>
</HTML>
"""


def bare_page(seed: Seed, *, split_t3: bool = False) -> str:
    """Only the report (what an agency saves from Word): the input for the DOCX/PDF renderings.

    ``split_t3`` pushes table 三 down so that Chromium breaks it over a page (no <thead>: no repeat)."""
    spacer = "<div style='height:560px'></div>" if split_t3 else ""
    body = article_body(seed)
    if split_t3:
        body = body.replace("<div class=t3-wrap>", spacer + "<div class=t3-wrap>", 1)
    return f"""<html><head><meta charset="utf-8"><title>{html.escape(seed.title)}</title>
<style>
@page {{ size: A4; margin: 2cm 1.8cm }}
body, p, td, span, b {{ font-family: "AR PL UMing CN", "WenQuanYi Zen Hei", serif !important; font-weight: normal !important }}
p {{ margin: 0 0 4px 0 }} td p {{ margin: 0 }}
table {{ border-collapse: collapse; margin: 6px 0 }} td {{ border: 1px solid #000; font-size: 10pt }}
</style></head><body>
{body}
</body></html>
"""


# ----------------------------------------------------------------------------- renderings

def _run(argv: list[str], cwd: Path, timeout: int = 180) -> None:
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, timeout=timeout, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{proc.stdout}\n{proc.stderr}")


def soffice(src: Path, target: str, work: Path) -> Path:
    """Convert with LibreOffice in its own profile (never the user's)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise SystemExit("需要 LibreOffice：apt-get install -y --no-install-recommends libreoffice-writer-nogui")
    profile = work / "lo_profile"
    _run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
          "--outdir", str(work), str(src)], work)
    ext = target.split(":")[0]
    return work / f"{src.stem}.{ext}"


def chromium_pdf(src: Path, out: Path, work: Path) -> None:
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not exe:
        raise SystemExit("需要 Chromium：apt-get install -y --no-install-recommends chromium")
    _run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
          "--disable-component-update", f"--user-data-dir={work / 'chrome_profile'}", "--no-pdf-header-footer",
          f"--print-to-pdf={out}", src.as_uri()], work)


def scan(pdf: Path, out_pdf: Path, out_png: Path, page_for_png: int = 2, seed: int = 7) -> None:
    """Rasterize at 150 dpi, rotate 0.7°, add light noise, JPEG-compress (q35), wrap as an image-only PDF."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(str(pdf))
    pages: list[Image.Image] = []
    for i in range(len(doc)):
        img = doc[i].render(scale=150 / 72, grayscale=True).to_pil().convert("L")
        img = img.rotate(0.7, resample=Image.BICUBIC, expand=False, fillcolor=255)
        img = img.filter(ImageFilter.GaussianBlur(0.4))
        arr = np.asarray(img, dtype=np.int16)
        arr = arr + rng.normal(0, 2.5, arr.shape).astype(np.int16)  # sensor noise
        salt = rng.random(arr.shape)
        arr[salt < 0.0008] = 40  # dust specks
        arr = np.clip(arr, 0, 255).astype(np.uint8)
        buf = io.BytesIO()
        Image.fromarray(arr, "L").save(buf, "JPEG", quality=35)
        buf.seek(0)
        pages.append(Image.open(buf).convert("L"))
    pages[0].save(out_pdf, "PDF", resolution=150.0, save_all=True, append_images=pages[1:], quality=35)
    # The PNG page: cleaner (a phone photo of a print would be a JPEG; a PNG is a screenshot/scan export),
    # quantized to 8 grey levels so it stays small.
    png = pages[page_for_png - 1].point(lambda v: (v // 32) * 36)
    png.save(out_png, "PNG", optimize=True)


# ----------------------------------------------------------------------------- main

def write_html_forms(manifest: dict[str, dict], selected: tuple[str, ...] = SEEDS) -> dict[str, Seed]:
    seeds = {s: load_seed(s) for s in selected}
    OUT.mkdir(parents=True, exist_ok=True)
    for sid, seed in seeds.items():
        path = OUT / f"{sid}.html"
        path.write_text(cms_page(seed), encoding="utf-8")
        manifest[path.name] = {"truth": f"samples/{sid}.truth.json", "form": "html", "encoding": "utf-8"}
    if S003 in seeds:
        write_gbk_forms(seeds[S003], manifest)
    if S002 in seeds:
        write_json_form(seeds[S002], manifest)
    return seeds


def write_gbk_forms(s3: Seed, manifest: dict[str, dict]) -> None:
    for name, declare in ((f"{S003}.gbk.html", True), (f"{S003}.gbk-nometa.html", False)):
        data = portal_page(s3, declare=declare).encode("gbk")
        assert "喆".encode("gbk") in data and "喆".encode("gbk") not in "".encode("gb2312", "ignore")
        (OUT / name).write_bytes(data.replace(b"\n", b"\r\n"))
        manifest[name] = {"truth": f"samples/{S003}.truth.json", "form": "html", "encoding": "gbk",
                          "declared": "gb2312" if declare else None}


def write_json_form(s2: Seed, manifest: dict[str, dict]) -> None:
    api = {"code": 200, "msg": "success", "data": {
        "id": 80613, "title": s2.title, "pubDate": SITES[S002]["date"], "source": SITES[S002]["source"],
        "channel": "政府信息公开年报", "content": cms_page(s2), "attachments": []}}
    text = json.dumps(api, ensure_ascii=True).replace("/", "\\/")
    (OUT / f"{S002}.json").write_text(text, encoding="ascii")
    manifest[f"{S002}.json"] = {"truth": f"samples/{S002}.truth.json", "form": "html", "encoding": "json"}


def write_renderings(seeds: dict[str, Seed], manifest: dict[str, dict]) -> None:
    with tempfile.TemporaryDirectory(prefix="nianbao-fixtures-") as tmp:
        work = Path(tmp)
        for sid, seed in seeds.items():
            bare = work / f"{sid}.html"
            bare.write_text(bare_page(seed), encoding="utf-8")
            docx = soffice(bare, "docx:MS Word 2007 XML", work)
            shutil.copy(docx, OUT / f"{sid}.docx")
            manifest[f"{sid}.docx"] = {"truth": f"samples/{sid}.truth.json", "form": "docx", "made_by": "LibreOffice HTML→DOCX"}
            pdf = soffice(docx, "pdf", work)
            shutil.copy(pdf, OUT / f"{sid}.lo.pdf")
            manifest[f"{sid}.lo.pdf"] = {"truth": f"samples/{sid}.truth.json", "form": "pdf", "made_by": "LibreOffice DOCX→PDF"}
            chromium_pdf(bare, OUT / f"{sid}.chromium.pdf", work)
            manifest[f"{sid}.chromium.pdf"] = {"truth": f"samples/{sid}.truth.json", "form": "pdf",
                                               "made_by": "Chromium print"}
            if sid == S003:
                doc = soffice(docx, "doc:MS Word 97", work)
                shutil.copy(doc, OUT / f"{sid}.doc")
                manifest[f"{sid}.doc"] = {"truth": f"samples/{sid}.truth.json", "form": "doc", "made_by": "LibreOffice DOCX→DOC"}
                scan(pdf, OUT / f"{sid}.scan.pdf", OUT / f"{sid}.scan-p2.png")
                manifest[f"{sid}.scan.pdf"] = {"truth": f"samples/{sid}.truth.json", "form": "pdf-image",
                                               "made_by": "LO PDF rasterized 150 dpi, 0.7°, noise, JPEG q35"}
                manifest[f"{sid}.scan-p2.png"] = {"truth": f"samples/{sid}.truth.json", "form": "image", "partial": True,
                                                  "note": "page 2 of scan.pdf only: compare the cells printed on it"}
            if sid == S002:
                split = work / f"{sid}.split.html"
                split.write_text(bare_page(seed, split_t3=True), encoding="utf-8")
                chromium_pdf(split, OUT / f"{sid}.chromium-split.pdf", work)
                manifest[f"{sid}.chromium-split.pdf"] = {
                    "truth": f"samples/{sid}.truth.json", "form": "pdf", "made_by": "Chromium print",
                    "note": "table 三 breaks over a page; the continuation has no repeated header and no top rule"}


def score_all(manifest: dict[str, dict], selected: tuple[str, ...] = SEEDS) -> int:
    """Run score.py per fixture of the *selected* seeds (each in its own folder, as score.py wants one
    source per truth)."""
    exe = ROOT / ".venv" / "bin" / "nianbao"
    status = 0
    for name, entry in sorted(manifest.items()):
        if entry.get("partial") or not name.startswith(selected):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            stem = Path(entry["truth"]).name[: -len(".truth.json")]
            suffix = name[len(stem):]
            os.symlink(OUT / name, Path(tmp) / f"x{suffix}")
            shutil.copy(ROOT / entry["truth"], Path(tmp) / "x.truth.json")
            proc = subprocess.run([sys.executable, str(SCORE), tmp, "--cmd", f"{exe} parse {{src}} --json"],
                                  capture_output=True, text=True)
            last = (proc.stdout.strip().splitlines() or [proc.stderr.strip()])[-1]
            print(f"{name:45s} {last}")
            status |= proc.returncode
    return status


def select_seeds(wanted: list[str] | None) -> tuple[str, ...]:
    """``--seeds`` values (full ids, or any unambiguous prefix such as ``000``) → seed ids, in SEEDS order."""
    if not wanted:
        return SEEDS
    chosen = set()
    for w in wanted:
        hits = [s for s in SEEDS if s.startswith(w)]
        if len(hits) != 1:
            raise SystemExit(f"--seeds {w}: {'ambiguous' if hits else 'unknown'} (seeds: {', '.join(SEEDS)})")
        chosen.add(hits[0])
    return tuple(s for s in SEEDS if s in chosen)


def write_if_changed(path: Path, text: str) -> None:
    """Leave an up-to-date file alone (not even its mtime)."""
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", nargs="+", metavar="ID",
                    help="build only these seeds (ids or prefixes, e.g. 000_a122145f4d95bb2d or 000); "
                         "the other seeds' fixtures are not touched")
    ap.add_argument("--html-only", action="store_true", help="only the HTML/JSON forms (no LibreOffice/Chromium)")
    ap.add_argument("--score", action="store_true", help="score the built seeds' fixtures with score.py afterwards")
    args = ap.parse_args()
    selected = select_seeds(args.seeds)
    random.seed(7)
    manifest_path = OUT / "MANIFEST.json"
    manifest: dict[str, dict] = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    seeds = write_html_forms(manifest, selected)
    if not args.html_only:
        write_renderings(seeds, manifest)
    write_if_changed(manifest_path, json.dumps(dict(sorted(manifest.items())), ensure_ascii=False, indent=1) + "\n")
    total = sum((OUT / n).stat().st_size for n in manifest if (OUT / n).exists())
    print(f"{len(manifest)} fixtures, {total / 1048576:.2f} MB in {OUT}; built: {', '.join(selected)}")
    if not args.html_only:
        write_if_changed(OUT / "READY",
                         "Fixtures ready. MANIFEST.json maps each fixture to its truth (samples/<seed>.truth.json).\n"
                         "Score one form: python scripts/make_fixtures.py --html-only --score (or see score_all()).\n")
    if args.score:
        return score_all(manifest, selected)
    return 0


if __name__ == "__main__":
    sys.exit(main())
