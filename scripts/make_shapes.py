#!/usr/bin/env python3
"""Build ``tests/fixtures/shapes/``: the real seed reports in the *shapes* real tools and sites print.

Why: the parser reads its own fixtures perfectly and real reports it was never tuned to less well.
The misses come from a handful of shapes that are not structures of a grid (those are
``tests/fixtures/variants/``) but ways the text of a table reaches us. Each fixture here is one
seed report (``../shared/seeds/<id>.txt``: its title, headings and prose; its tables rebuilt from
its truth file) with ONE shape applied, in the form the shape is seen in:

===============  ==============================================================================
``typo``         a character or two missing in printed row labels (``2.其他法律行政止公开``,
                 ``1.本机关不掌握相关政府息``) — Markdown, text, HTML
``wrap``         long labels wrapped so that their continuation line stands between the label and
                 its values (``2.其他法律行政法规禁止`` / ``公开`` / ``0 0 0 …``) — text and Markdown
``label-block``  Markdown as PDF converters (marker, pymupdf4llm, docling) print table 三: the label
                 column as a block of its own, then the value rows alone, in order (``| 0 | 0 | … |``)
``row-tables``   HTML where every table-三 row is its own small table under a repeated
                 ``类别 | 数据1 | … | 总计`` header, labels without their ``一、``/``（一）``/``1.`` numbering
``t3-pieces``    table 三 cut into many pieces: several tables, or paragraphs (续表, page footers)
                 between the pieces — HTML, Markdown, text
``t2-prose``     table 二 rows written as sentences (``规章：本年制发0件，废止0件，现行有效0件``)
``script-*``     the article written by the page's JavaScript: ``document.write`` per line, a
                 ``var content = "…"`` set into ``#zoom``, literals joined with ``+``, entity-encoded
``vlabels-*``    text-layer PDFs whose table-三 group cells are one character wide, their labels printed
                 one character per line beside the rows they span, ruled or not (``shape_pdf.py``)
===============  ==============================================================================

Every shape is generated from at least two seeds (001 for the 2019 template, 002 and 003 for 2021).
Each fixture's truth is its seed's truth (the shapes print the same numbers under the same rows),
with ``id`` set to the fixture's stem, the shape added to ``source_defects`` and a ``provenance``.

Usage: ``python scripts/make_shapes.py``. Needs the seed files in ``../shared/seeds`` (relative to
the repository root) and, for the PDFs, fpdf2 (``pip install -e '.[fixtures]'``) and a CJK TrueType
font (Debian ``fonts-wqy-microhei``); the tests need none of them.
"""
from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fixtures as mf  # noqa: E402  (the seed loader and the table-二 captions)
import make_variants as mv  # noqa: E402  (the compact CMS page and its HTML tables)
import shape_pdf  # noqa: E402  (the PDFs with group labels one character per line)

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT.parent / "shared" / "seeds"
OUT = ROOT / "tests" / "fixtures" / "shapes"
mf.SAMPLES = SEEDS_DIR  # read the real seeds themselves (samples/ holds copies of them)

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
T4_OUTCOMES = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


# ----------------------------------------------------------------------------- the table contents

def t3_rows(seed: mf.Seed) -> list[tuple[list[str], str]]:
    """``(labels from the outermost merged cell inwards, key)`` for every table-三 value row, in order."""
    top = "三、本年度办理结果"
    rows: list[tuple[list[str], str]] = [(["一、本年新收政府信息公开申请数量"], "new"),
                                         (["二、上年结转政府信息公开申请数量"], "carried_over"),
                                         ([top, "（一）予以公开"], "granted"),
                                         ([top, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"], "partial")]
    for group, labels in mf._T3_GROUPS.items():
        if seed.truth["template"] == "2019" and group == "（六）其他处理":
            rows.append(([top, group], "other"))
            continue
        rows += [([top, group, label], key) for label, key in zip(labels, mf._T3_KEYS[group])]
    rows += [([top, "（七）总计"], "processed_total"), (["四、结转下年度继续办理"], "carried_forward")]
    return rows


def fmt(value: object) -> str:
    return "" if value is None else str(value)


def t3_values(seed: mf.Seed, key: str) -> list[str]:
    return [fmt(v) for v in seed.truth["applications"][key]]


def t4_values(seed: mf.Seed) -> list[str]:
    rl = seed.truth["review_litigation"]
    return [fmt(v) for block in ("review", "litigation_direct", "litigation_after_review")
            for v in (rl[block] if rl[block] is not None else [None] * 5)]


def t2_blocks(seed: mf.Seed) -> list[tuple[str, list[str], list[tuple[str, str, list[str]]]]]:
    """``(caption, column headings, [(key, label, values)])`` for every table-二 block."""
    blocks = mf.T2_2019 if seed.truth["template"] == "2019" else mf.T2_2021
    over = mf.LABEL_OVERRIDES.get(seed.id, {})
    return [(caption, [over.get(c, c) for c in columns],
             [(key, over.get(label, label), [fmt(v) for v in seed.truth["active"][key].values()])
              for key, label in items])
            for caption, columns, items in blocks]


# ----------------------------------------------------------------------------- Markdown and text tables

def md_rows(rows: list[list[str]], head: int = 1) -> str:
    """A pipe table; the rule goes after the first *head* rows (PDF converters take row 1 as the header)."""
    width = max(len(r) for r in rows)
    out = []
    for i, r in enumerate(rows):
        out.append("| " + " | ".join(c.replace("\n", "") for c in r + [""] * (width - len(r))) + " |")
        if i == head - 1:
            out.append("|" + "---|" * width)
    return "\n".join(out)


def md_active(seed: mf.Seed) -> str:
    rows: list[list[str]] = []
    for caption, columns, items in t2_blocks(seed):
        rows.append([caption, "", "", ""])
        rows.append(["信息内容", *columns])
        rows += [[label, *values] for _, label, values in items]
    return md_rows(rows)


def md_t3_head() -> list[list[str]]:
    return [[T3_NOTE, "", "", "申请人情况", "", "", "", "", "", ""],
            ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
            ["", "", "", "", *T3_COLS[1:6], ""]]


def md_t3_row(labels: list[str], values: list[str], first: set[str]) -> list[str]:
    """Three label columns, a merged cell printed only on its first row (as converters print spans)."""
    cells = ["", "", ""]
    if len(labels) == 1:
        cells[0] = labels[0]
    else:
        for depth, label in enumerate(labels[:-1]):
            if label not in first:
                first.add(label)
                cells[depth] = label
        cells[len(labels) - 1] = labels[-1]
    return cells + values


def md_applications(seed: mf.Seed, label: Callable[[str], str] = str) -> str:
    first: set[str] = set()
    rows = md_t3_head() + [md_t3_row([label(x) for x in labels], t3_values(seed, key), first)
                           for labels, key in t3_rows(seed)]
    return md_rows(rows, head=3)


def md_review(seed: mf.Seed) -> str:
    return md_rows([["行政复议", "", "", "", "", "行政诉讼", *[""] * 9],
                    [*T4_OUTCOMES, "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
                    [*[""] * 5, *T4_OUTCOMES, *T4_OUTCOMES],
                    t4_values(seed)], head=3)


def txt_active(seed: mf.Seed) -> str:
    """Table 二 as pdftotext prints it (the seeds' own form): one line per row, values after spaces."""
    lines = []
    for caption, columns, items in t2_blocks(seed):
        lines += [caption, "信息内容 " + " ".join(columns)]
        lines += [f"{label} {' '.join(values)}" for _, label, values in items]
    return "\n\n".join(lines)


def txt_t3_head() -> list[str]:
    return [T3_NOTE, "申请人情况", "自然人", "法人或其他组织", "总计", " ".join(T3_COLS[1:6])]


def txt_applications(seed: mf.Seed, label: Callable[[str], str] = str) -> str:
    """Table 三 as pdftotext prints it: a merged label on a line of its own, then label and values."""
    lines = txt_t3_head()
    seen: set[str] = set()
    for labels, key in t3_rows(seed):
        for outer in labels[:-1]:
            if outer not in seen:
                seen.add(outer)
                lines.append(label(outer))
        lines.append(f"{label(labels[-1])} {' '.join(t3_values(seed, key))}")
    return "\n\n".join(lines)


def txt_review(seed: mf.Seed) -> str:
    """Table 四 tab-separated (blank cells keep their place), as seed 003 prints it."""
    return "\n".join(["行政复议\t\t\t\t\t行政诉讼",
                      "\t".join(T4_OUTCOMES) + "\t未经复议直接起诉\t\t\t\t\t复议后起诉",
                      "\t" * 5 + "\t".join(T4_OUTCOMES * 2),
                      "\t".join(t4_values(seed))])


# ----------------------------------------------------------------------------- documents

def document(seed: mf.Seed, tables: dict[str, str], *, markdown: bool) -> str:
    """The seed's title, headings and prose with *tables* (active / applications / review) in place."""
    out = [("# " if markdown else "") + seed.title]
    for kind, text in seed.blocks:
        if kind == "table":
            out.append(tables[text])
        elif kind == "h":
            out.append(("## " if markdown else "") + text)
        else:
            out.append(text)
    return "\n\n".join(out) + "\n"


def md_document(seed: mf.Seed, **tables: str) -> str:
    return document(seed, {"active": md_active(seed), "applications": md_applications(seed),
                           "review": md_review(seed)} | tables, markdown=True)


def txt_document(seed: mf.Seed, **tables: str) -> str:
    return document(seed, {"active": txt_active(seed), "applications": txt_applications(seed),
                           "review": txt_review(seed)} | tables, markdown=False)


def html_page(seed: mf.Seed, applications: str | None = None) -> str:
    """The compact CMS page of make_variants.py (official table structure), table 三 optionally replaced."""
    page = mv.page(seed, mv.Opt())
    if applications is not None:
        official = mv.table_applications(seed, mv.Opt())
        assert official in page
        page = page.replace(official, applications)
    return page


# ----------------------------------------------------------------------------- a. typos

TYPOS = {
    "2.其他法律行政法规禁止公开": "2.其他法律行政止公开",
    "1.本机关不掌握相关政府信息": "1.本机关不掌握相关政府息",
    "4.保护第三方合法权益": "4.保护第三方合法权",
    "3.补正后申请内容仍不明确": "3.补正后申请内容不明确",
    "2.没有现成信息需要另行制作": "2.没有现成信息需另行制作",
}


def typo(label: str) -> str:
    return TYPOS.get(label, label)


def typo_html(seed: mf.Seed) -> str:
    page = html_page(seed)
    for right, wrong in TYPOS.items():
        page = page.replace(f">{right}<", f">{wrong}<")
    return page


# ----------------------------------------------------------------------------- b. wrapped labels

WRAP_WIDTH = 11  # characters per line of the narrow label column


def wrapped(label: str) -> list[str]:
    return [label[i:i + WRAP_WIDTH] for i in range(0, len(label), WRAP_WIDTH)]


def txt_wrapped_applications(seed: mf.Seed) -> str:
    """A long label's lines first, the values on a line of their own after its continuation."""
    lines = txt_t3_head()
    seen: set[str] = set()
    for labels, key in t3_rows(seed):
        for outer in labels[:-1]:
            if outer not in seen:
                seen.add(outer)
                lines.append(outer)
        parts = wrapped(labels[-1])
        values = " ".join(t3_values(seed, key))
        lines += parts + [values] if len(parts) > 1 else [f"{parts[0]} {values}"]
    return "\n\n".join(lines)


def md_wrapped_applications(seed: mf.Seed) -> str:
    """Each line of a wrapped label a row of its own with blank cells, then the values under a blank label."""
    first: set[str] = set()
    rows = md_t3_head()
    for labels, key in t3_rows(seed):
        parts = wrapped(labels[-1])
        values = t3_values(seed, key)
        if len(parts) == 1:
            rows.append(md_t3_row(labels, values, first))
            continue
        rows.append(md_t3_row([*labels[:-1], parts[0]], [""] * 7, first))
        rows += [md_t3_row([*labels[:-1], part], [""] * 7, first) for part in parts[1:]]
        rows.append(md_t3_row([*labels[:-1], ""], values, first))
    return md_rows(rows, head=3)


# ----------------------------------------------------------------------------- c. label block, value rows alone

def label_block_applications(seed: mf.Seed, *, as_table: bool) -> str:
    """The label column in reading order (paragraphs or a one-column table), then the value rows alone."""
    labels: list[str] = []
    for path, _ in t3_rows(seed):
        labels += [label for label in path if label not in labels]
    values = [t3_values(seed, key) for _, key in t3_rows(seed)]
    head = f"{T3_NOTE}\n\n申请人情况"
    if as_table:
        return "\n\n".join([head, md_rows([[x] for x in labels]), md_rows([T3_COLS, *values])])
    return "\n\n".join([head, *labels, *(md_rows([v], head=0) for v in values)])


# ----------------------------------------------------------------------------- d. one small table per row

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)\s*")


def row_tables_applications(seed: mf.Seed) -> str:
    """Each value row its own table under ``类别 | 数据1 … 数据6 | 总计``, labels without numbering."""
    head = mv.row([mv.cell(c, mv.Opt(), head=True) for c in ["类别", *(f"数据{i}" for i in range(1, 7)), "总计"]])
    tables = []
    for labels, key in t3_rows(seed):
        cells = [mv.cell(_NUMBERING.sub("", labels[-1]), mv.Opt())]
        cells += [mv.cell(v, mv.Opt()) for v in t3_values(seed, key)]
        tables.append(mv.table([head, mv.row(cells)], mv.Opt()))
    return f"<p class=MsoNormal>{T3_NOTE}</p>\n" + "\n".join(tables)


# ----------------------------------------------------------------------------- e. table 三 in pieces

def _cuts(rows: list[tuple[list[str], str]]) -> list[int]:
    """Where a page break cuts table 三: after 部分公开, inside 不予公开, inside 不予处理, before 总计."""
    keys = [key for _, key in rows]
    return [keys.index("partial") + 1, keys.index("denied_third_party") + 1,
            keys.index("rejected_duplicate") + 1, keys.index("processed_total")]


def pieces(seed: mf.Seed) -> list[list[tuple[list[str], str]]]:
    rows = t3_rows(seed)
    bounds = [0, *_cuts(rows), len(rows)]
    return [rows[a:b] for a, b in zip(bounds, bounds[1:])]


def html_pieces_applications(seed: mf.Seed) -> str:
    """Several tables, the merged cells cut at every break (continued as blank cells), no repeated header."""
    opt = mv.Opt()
    out = []
    parts = pieces(seed)
    for n, part in enumerate(parts):
        rows = mv._t3_header(opt, 3) if n == 0 else []
        spans: dict[str, int] = {}
        for labels, _ in part:
            for outer in labels[:-1]:
                spans[outer] = spans.get(outer, 0) + 1
        started: set[str] = set()
        for labels, key in part:
            cells = []
            for outer in labels[:-1]:
                if outer not in started:
                    started.add(outer)
                    opened_before = any(outer in prev for p in parts[:n] for prev, _ in p)
                    cells.append(mv.cell("" if opened_before else outer, opt, rs=spans[outer]))
            cells.append(mv.cell(labels[-1], opt, cs=4 - len(labels)))
            cells += [mv.cell(v, opt) for v in t3_values(seed, key)]
            rows.append(mv.row(cells))
        out.append(mv.table(rows, opt))
    return "\n<p class=MsoNormal>（续表）</p>\n".join(out)


def md_pieces_applications(seed: mf.Seed) -> str:
    """Pipe-table pieces with the page's footer and a 续表 line between them (each piece's row 1 its header)."""
    out = []
    first: set[str] = set()
    for n, part in enumerate(pieces(seed)):
        rows = md_t3_head() if n == 0 else []
        rows += [md_t3_row(labels, t3_values(seed, key), first) for labels, key in part]
        out.append(md_rows(rows, head=3 if n == 0 else 1))
    return "\n\n".join(f"{piece}\n\n— {n + 4} —\n\n续表" if n < len(out) - 1 else piece for n, piece in enumerate(out))


def txt_pieces_applications(seed: mf.Seed) -> str:
    """pdftotext pages: a running footer and head between the pieces, the merged labels not repeated."""
    out = []
    seen: set[str] = set()
    for n, part in enumerate(pieces(seed)):
        lines = txt_t3_head() if n == 0 else []
        for labels, key in part:
            for outer in labels[:-1]:
                if outer not in seen:
                    seen.add(outer)
                    lines.append(outer)
            lines.append(f"{labels[-1]} {' '.join(t3_values(seed, key))}")
        out.append("\n\n".join(lines))
    title = seed.title.replace(" ", "")
    return "\n\n".join(f"{piece}\n\n第 {n + 3} 页 共 8 页\n\n\f{title}" if n < len(out) - 1 else piece
                       for n, piece in enumerate(out))


# ----------------------------------------------------------------------------- f. table 二 as sentences

PROSE_2021 = {
    "regulations": "{label}：本年制发{0}件，废止{1}件，现行有效{2}件。",
    "normative_documents": "{label}：本年制发{0}件，废止{1}件，现行有效{2}件。",
    "licensing": "{label}：本年处理决定{0}件。",
    "punishment": "{label}：本年处理决定{0}件。",
    "coercion": "{label}：本年处理决定{0}件。",
    "fees": "{label}：本年收费金额{0}万元。",
}
PROSE_2019 = {
    "regulations": "{label}：本年新制作{0}件，本年新公开{1}件，对外公开总数量{2}件。",
    "normative_documents": "{label}：本年新制作{0}件，本年新公开{1}件，对外公开总数量{2}件。",
    "licensing": "{label}：上一年项目数量{0}项，本年增/减{1}项，处理决定数量{2}件。",
    "other_services": "{label}：上一年项目数量{0}项，本年增/减{1}项，处理决定数量{2}件。",
    "punishment": "{label}：上一年项目数量{0}项，本年增/减{1}项，处理决定数量{2}件。",
    "coercion": "{label}：上一年项目数量{0}项，本年增/减{1}项，处理决定数量{2}件。",
    "fees": "{label}：上一年项目数量{0}项，本年增/减{1}项。",
    "procurement": "{label}：采购项目数量{0}个，采购总金额{1}万元。",
}


def prose_active(seed: mf.Seed, *, bullets: bool) -> str:
    """Each table-二 row a sentence under its 第二十条 caption (a list in Markdown)."""
    forms = PROSE_2019 if seed.truth["template"] == "2019" else PROSE_2021
    out = []
    for caption, _, items in t2_blocks(seed):
        out.append(f"**{caption}**" if bullets else caption)
        out += [("- " if bullets else "") + forms[key].format(*values, label=label) for key, label, values in items]
    return "\n\n".join(out)


# ----------------------------------------------------------------------------- g. the page written by a script

def _js_literal(text: str, quote: str, *, lt: str = "<") -> str:
    """*text* as a JavaScript string literal the way CMS templates escape it (``\\/`` in end tags)."""
    body = text.replace("\\", "\\\\").replace(quote, "\\" + quote).replace("\n", "\\n").replace("</", "<\\/")
    return quote + body.replace("<", lt) + quote


def script_page(seed: mf.Seed, kind: str) -> str:
    """The compact CMS page whose article a script writes (the HTML holds only the chrome).

    ``write``: one ``document.write('…')`` per markup line, in place; ``var``: the article in a
    ``var content = "…"`` in ``<head>`` with ``\\x3c`` for ``<``, written by ``$("#zoom").html(content)``;
    ``concat``: ``$("#zoom").html('…' + '…' + …)`` with ``\\u003c``; ``entities``: the article
    HTML-entity encoded in a string, decoded and set as ``innerHTML`` by the page's script.
    """
    page = html_page(seed)
    article = mv.article(seed, mv.Opt())
    inline = f"<div class=article-content>\n{article}\n</div>"
    assert inline in page
    lines = article.split("\n")
    if kind == "write":
        calls = "\n".join(f"document.write({_js_literal(line, chr(39))});" for line in lines)
        return page.replace(inline, f"<div class=article-content>\n<script type=\"text/javascript\">\n{calls}\n</script>\n</div>")
    loading = "<div class=article-content id=\"zoom\"><p>正在加载……</p></div>"
    if kind == "var":
        head = f"<script>var content = {_js_literal(article, chr(34), lt=chr(92) + 'x3c')};</script>\n</head>"
        page = page.replace("</head>", head, 1)
        return page.replace(inline, loading + '\n<script>$(function () { $("#zoom").html(content); });</script>')
    if kind == "concat":
        joined = " +\n    ".join(_js_literal(line + "\n", chr(39), lt=chr(92) + "u003c") for line in lines)
        return page.replace(inline, loading + f'\n<script>\n$("#zoom").html(\n    {joined});\n</script>')
    encoded = html.escape(article, quote=False).replace("'", "&#39;").replace("\n", "")
    script = (f"<script>\nvar content = '{encoded}';\n"
              "function decodeEntities(s) { var t = document.createElement('textarea'); t.innerHTML = s; return t.value; }\n"
              "document.getElementById('zoom').innerHTML = decodeEntities(content);\n</script>")
    return page.replace(inline, loading + "\n" + script)


# ----------------------------------------------------------------------------- the corpus

S001, S002, S003 = mf.S001, mf.S002, mf.S003
SHAPES: list[tuple[str, str, str, Callable[[mf.Seed], str], str]] = [
    # (seed, shape, extension, builder, source_defects entry)
    (S002, "typo", "md", lambda s: md_document(s, applications=md_applications(s, typo)),
     "shape: table-三 row labels with characters missing (TYPOS in scripts/make_shapes.py); Markdown"),
    (S003, "typo", "txt", lambda s: txt_document(s, applications=txt_applications(s, typo)),
     "shape: table-三 row labels with characters missing (TYPOS in scripts/make_shapes.py); text"),
    (S001, "typo", "html", typo_html,
     "shape: table-三 row labels with characters missing (TYPOS in scripts/make_shapes.py); HTML"),
    (S001, "wrap", "txt", lambda s: txt_document(s, applications=txt_wrapped_applications(s)),
     "shape: long table-三 labels wrapped, continuation line between label and values; text"),
    (S002, "wrap", "txt", lambda s: txt_document(s, applications=txt_wrapped_applications(s)),
     "shape: long table-三 labels wrapped, continuation line between label and values; text"),
    (S001, "wrap", "md", lambda s: md_document(s, applications=md_wrapped_applications(s)),
     "shape: long table-三 labels wrapped into rows of their own, values in a row with a blank label; Markdown"),
    (S003, "wrap", "md", lambda s: md_document(s, applications=md_wrapped_applications(s)),
     "shape: long table-三 labels wrapped into rows of their own, values in a row with a blank label; Markdown"),
    (S001, "label-block", "md", lambda s: md_document(s, applications=label_block_applications(s, as_table=False)),
     "shape: table-三 labels as paragraphs, then the value rows alone as one-line pipe rows; Markdown"),
    (S002, "label-block", "md", lambda s: md_document(s, applications=label_block_applications(s, as_table=False)),
     "shape: table-三 labels as paragraphs, then the value rows alone as one-line pipe rows; Markdown"),
    (S003, "label-block", "md", lambda s: md_document(s, applications=label_block_applications(s, as_table=True)),
     "shape: table-三 labels as a one-column table, then a table of the value rows alone; Markdown"),
    (S002, "row-tables", "html", lambda s: html_page(s, row_tables_applications(s)),
     "shape: every table-三 row its own table under 类别|数据1…|总计, labels without numbering; HTML"),
    (S003, "row-tables", "html", lambda s: html_page(s, row_tables_applications(s)),
     "shape: every table-三 row its own table under 类别|数据1…|总计, labels without numbering; HTML"),
    (S002, "t3-pieces", "html", lambda s: html_page(s, html_pieces_applications(s)),
     "shape: table 三 in five tables, merged cells cut, no repeated header, 续表 between; HTML"),
    (S003, "t3-pieces", "md", lambda s: md_document(s, applications=md_pieces_applications(s)),
     "shape: table 三 in five pipe tables, page number and 续表 paragraphs between; Markdown"),
    (S001, "t3-pieces", "txt", lambda s: txt_document(s, applications=txt_pieces_applications(s)),
     "shape: table 三 over five pages, page footer and running title between the pieces; text"),
    (S001, "t2-prose", "txt", lambda s: txt_document(s, active=prose_active(s, bullets=False)),
     "shape: table-二 rows written as sentences under their captions; text"),
    (S002, "t2-prose", "md", lambda s: md_document(s, active=prose_active(s, bullets=True)),
     "shape: table-二 rows written as sentences in a bulleted list under bold captions; Markdown"),
    (S003, "t2-prose", "txt", lambda s: txt_document(s, active=prose_active(s, bullets=False)),
     "shape: table-二 rows written as sentences under their captions; text"),
    (S002, "script-write", "html", lambda s: script_page(s, "write"),
     "shape: the article written by document.write('…') calls, one per markup line (\\' and <\\/ escapes); HTML"),
    (S003, "script-var", "html", lambda s: script_page(s, "var"),
     'shape: the article in var content = "…" in <head> (\\" \\n \\x3c escapes), set by $("#zoom").html(content); HTML'),
    (S001, "script-concat", "html", lambda s: script_page(s, "concat"),
     "shape: the article as string literals joined with + in $(\"#zoom\").html(…) (\\u003c escapes); HTML"),
    (S002, "script-entities", "html", lambda s: script_page(s, "entities"),
     "shape: the article HTML-entity encoded in a script string, decoded into #zoom.innerHTML; HTML"),
    (S002, "vlabels-ruled", "pdf", lambda s: shape_pdf.vertical_labels_pdf(s),
     "shape: table-三 group cells (三、本年度办理结果, （三）不予公开 …) one character wide, their labels one "
     "character per line beside the rows they span; ruled text-layer PDF (fpdf2)"),
    (S003, "vlabels-ruled", "pdf", lambda s: shape_pdf.vertical_labels_pdf(s, left_labels=True),
     "shape: table-三 group cells one character wide, labels one character per line, row labels left-aligned; "
     "ruled text-layer PDF (fpdf2)"),
    (S003, "vlabels-unruled", "pdf", lambda s: shape_pdf.vertical_labels_pdf(s, ruled=False, left_labels=True),
     "shape: table-三 group labels one character per line beside the rows they span, no rules at all, row labels "
     "left-aligned; text-layer PDF (fpdf2)"),
]


def truth_for(seed: mf.Seed, stem: str, defect: str) -> dict:
    truth = json.loads(json.dumps(seed.truth))
    truth["id"] = stem
    truth["source_defects"] = list(truth.get("source_defects") or []) + [defect]
    truth["provenance"] = f"scripts/make_shapes.py: seed {seed.id}, tables rebuilt from its truth; {defect}"
    return truth


def write(name: str, data: str | bytes, truth: dict) -> None:
    path = OUT / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    (OUT / f"{name.rsplit('.', 1)[0]}.truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> int:
    if not SEEDS_DIR.is_dir():
        print(f"seed reports not found: {SEEDS_DIR}", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    seeds = {sid: mf.load_seed(sid) for sid in {s for s, *_ in SHAPES}}
    twice = {(sid, shape) for sid, shape, *_ in SHAPES if sum(s[:2] == (sid, shape) for s in SHAPES) > 1}
    for sid, shape, ext, build, defect in SHAPES:
        # one source per stem (score.py pairs <stem>.<ext> with <stem>.truth.json)
        stem = f"{sid[:3]}.{shape}" + (f"-{ext}" if (sid, shape) in twice else "")
        write(f"{stem}.{ext}", build(seeds[sid]), truth_for(seeds[sid], stem, defect))
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"{len(SHAPES)} shapes, {total / 1024:.0f} KiB in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
