"""Web pages (and pages saved inside JSON/JavaScript strings) → :class:`Document`.

Reports are published as CMS article pages: the report (often exported from Word, with
``MsoNormal`` paragraphs, ``mso-`` styles and ``<o:p>``) sits inside site chrome -
navigation, breadcrumbs, 相关链接 lists holding *other* reports' titles, 附件下载 lists,
share bars, 上一篇/下一篇, footers and scripts. The steps, each general (no site selectors):

1. **Decode** the bytes ourselves (BOM → declared charset → strict UTF-8 → GB18030 →
   charset-normalizer), because lxml fed with bytes silently truncates GBK pages declared
   gb2312 at the first GBK-only character (LIBRARIES.md §4). Only the decoded ``str`` is parsed.
2. **Unwrap** markup saved inside a JSON/JSONP/JavaScript string (a saved API response), or
   written by the page's own scripts (``html_script.py``: put where the browser would put it).
3. **Drop junk and chrome**: scripts, styles, forms controls, hidden elements; elements named
   like chrome (nav, breadcrumb, share, 相关链接 …) or starting with chrome words (当前位置,
   附件下载, 上一篇 …) — but never an element that holds the report's anchors.
4. **Choose the container**: the lowest common ancestor of the report's anchors (section
   headings and the statistics tables). The title is taken from the page (``<meta>``,
   ``<h1>``, title-like elements, ``<title>``) and prepended when the container lacks it.
5. **Emit blocks** in reading order: every *leaf* data table becomes a :class:`Table` whose
   grid has rowspan/colspan expanded (copies carry ``copy_of``); layout tables and everything
   else become paragraphs (one per block element or ``<br>`` line).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import lxml.html
from lxml import etree

from ..document import Cell, Document, Paragraph, Source, Table
from ..errors import NianbaoError
from ..normalize import label_key, repair
from .encoding import declared_charset, decode, looks_binary
from .html_script import MARKUP_TAG as _TAG
from .html_script import inline_scripts, markup_candidates
from .html_script import markup_score as _markup_score
from .limits import (
    MAX_DOCUMENT_CELLS,
    MAX_HTML_BYTES,
    MAX_HTML_DEPTH,
    MAX_HTML_TABLES,
    MAX_HTML_TAGS,
    MAX_TABLE_CELLS,
    MAX_TABLE_COLUMNS,
    MAX_TABLE_ROWS,
    MiB,
    exceeded,
)

# ----------------------------------------------------------------------------- decoding

def decode_html(data: bytes, path: str | None = None) -> tuple[str, str]:
    """Decode page bytes; return ``(text, encoding)``. Raises ``NianbaoError(kind="encoding")``.

    :func:`.encoding.decode` with the page's declared charset: BOM, BOM-less UTF-16/32, declared
    charset (gb2312/gbk read as GB18030; a Western single-byte declaration ignored; a GB
    declaration on valid multi-byte UTF-8 yields to UTF-8), strict UTF-8, GB18030 unless it reads
    as rare characters, Big5 (converted to Simplified), Shift-JIS refused, charset-normalizer.
    """
    return decode(data, path, declared_charset(data))


# ----------------------------------------------------------------------------- markup in JSON / JS strings

_JSONP = re.compile(r"^\s*[\w$.]+\s*\(\s*(?P<body>[\[{].*[\]}])\s*\)\s*;?\s*$", re.S)
_TITLE_KEYS = ("articletitle", "doctitle", "title", "subject", "name")
_DATE_KEYS = ("pubdate", "publishdate", "publishtime", "pubtime", "releasedate", "docreltime", "fbrq", "fwrq",
              "cwrq", "date", "createtime", "createdate")


def _walk_json(obj: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _walk_json(v, str(k))
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk_json(v, key)
    elif isinstance(obj, str):
        yield key, obj


def unwrap_embedded(text: str) -> tuple[str, dict[str, str]] | None:
    """Markup stored in a JSON, JSONP or JavaScript string: ``(markup, meta)``, or ``None``.

    A JSON document is parsed properly (its title/date fields feed the metadata); anything
    else is scanned for quoted string literals, whose escapes are decoded.
    """
    stripped = text.strip()
    strings: list[tuple[str, str]] = []
    m = _JSONP.match(stripped)
    body = m.group("body") if m else stripped
    if body[:1] in "{[":
        try:
            strings = list(_walk_json(json.loads(body)))
        except (ValueError, RecursionError):
            strings = []
    if not strings:
        strings = [("", markup) for markup in markup_candidates(text)]
    best = max(strings, key=lambda kv: _markup_score(kv[1]), default=None)
    if best is None or len(_TAG.findall(best[1])) < 3:
        return None
    meta: dict[str, str] = {}
    for key, value in strings:
        k = re.sub(r"[^a-z]", "", key.lower())
        if "title" not in meta and k in _TITLE_KEYS and 4 <= len(value) <= 120 and "<" not in value:
            meta["title"] = value.strip()
        if "published" not in meta and k in _DATE_KEYS and (d := _iso_date(value)):
            meta["published"] = d
    return best[1], meta


# ----------------------------------------------------------------------------- page metadata

_DATE = re.compile(r"(20\d{2}|19\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_DATE_FIELD = re.compile(r"(发布日期|发文日期|发布时间|成文日期|公开日期|生成日期|日期)\s*[：:]\s*(20\d{2}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2})")
_REPORT_TITLE = re.compile(r"20\d{2}\s*年.{0,40}?(政府信息公开|政务公开|信息公开).{0,8}?(年度报告|年报)")
_META_TITLE = ("articletitle", "og:title", "dc.title", "title")
_META_DATE = ("pubdate", "publishdate", "article:published_time", "dc.date", "dc.date.issued", "firstpublishedtime",
              "publishtime", "pubtime")


def _iso_date(text: str) -> str | None:
    m = _DATE.search(text)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", repair(text)).strip()


def page_meta(root: lxml.html.HtmlElement) -> tuple[dict[str, str], list[str]]:
    """``({'title', 'published'}, [title candidates from <meta>/<title>])`` read before any chrome is dropped."""
    meta: dict[str, str] = {}
    titles: list[str] = []
    for el in root.iter("meta"):
        name = (el.get("name") or el.get("property") or "").strip().lower()
        content = _clean(el.get("content") or "")
        if not content:
            continue
        if name in _META_TITLE:
            titles.append(content)
        elif name in _META_DATE and "published" not in meta and (d := _iso_date(content)):
            meta["published"] = d
    title_el = root.find(".//title")
    if title_el is not None and title_el.text_content().strip():
        full = _clean(title_el.text_content())
        meta["page_title"] = full  # kept whole: it often adds the agency (…年度报告_XX局)
        titles += [p.strip() for p in re.split(r"\s*[_|｜—–-]{1,2}\s*", full) if p.strip()] + [full]
    if "published" not in meta:
        body = root.find("body")
        text = _clean((body if body is not None else root).text_content())
        m = _DATE_FIELD.search(text)
        if m and (d := _iso_date(m.group(2))):
            meta["published"] = d
    return meta, titles


# ----------------------------------------------------------------------------- chrome

_JUNK_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "select",
              "textarea", "button", "input", "option", "link", "meta", "head", "title", "map", "audio", "video", "xml"}
_CHROME_TAGS = {"nav", "header", "footer", "aside", "form", "menu"}
_CHROME_NAME = re.compile(
    r"(^|[\s_\-])(nav|navbar|menu|header|topbar|footer|foot|copyright|banner|breadcrumbs?|crumbs?|"
    r"position|location|weizhi|dqwz|share|bdshare|fenxiang|related|relate|xglj|links?|friendlink|fujian|attach(ments?)?|"
    r"download|xiazai|prev|next|prevnext|pager|pagination|sidebar|side-?menu|search|login|toolbar|"
    r"comment|qrcode|ewm|gotop|lm_title|lmtitle|subnav|art-info)($|[\s_\-\d])",
    re.I,
)
_CHROME_START = re.compile(
    r"^\s*(当前位置|您现在的位置|您的位置|现在位置|所在位置|位置\s*[:：]|首页\s*[>＞»]|上一篇|下一篇|上一条|下一条|附件下载|"
    r"相关附件|附件\s*[:：]|相关链接|相关文章|相关阅读|相关新闻|相关信息|分享到|扫一扫|【?\s*打印|【?\s*关闭|"
    r"发布日期|发布时间|发文日期|来源\s*[:：]|浏览次数|访问量|字号|责任编辑|网站地图|主办单位|版权所有|"
    r"政府网站标识码|网站标识码|ICP备|[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]ICP备)"
)
_SECTION_ANCHOR = re.compile(
    r"^(?:第)?[一二三四五六](?:部分)?(总体情况|概述|主动公开政府信息|收到和处理政府信息公开申请|政府信息公开行政复议|"
    r"因政府信息公开|存在的主要问题|政府信息公开工作存在的主要问题|其他需要报告)"
)
_TABLE_WORDS = ("信息内容", "规章", "行政许可", "行政处罚", "予以公开", "本年新收", "自然人", "商业企业", "行政复议",
                "行政诉讼", "结果维持", "不予公开", "第二十条")
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
               "section", "article", "main", "center", "address", "pre", "table", "tr", "td", "th", "tbody", "thead",
               "tfoot", "caption", "hr", "form", "header", "footer", "nav", "aside", "figure", "figcaption", "body",
               "html", "fieldset", "legend", "details", "summary"}
_CJK = re.compile(r"[\u3400-\u9fff]")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _is_element(el: Any) -> bool:
    return isinstance(el, lxml.html.HtmlElement) and isinstance(el.tag, str)


def _drop(el: lxml.html.HtmlElement) -> None:
    """Remove *el* but keep its tail text (it belongs to the parent's flow)."""
    el.drop_tree()


def _anchors(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Elements that belong to the report itself: section headings and the statistics tables."""
    found: list[lxml.html.HtmlElement] = []
    for el in root.iter():
        if not _is_element(el):
            continue
        if el.tag == "table":
            if el.find(".//table") is None:
                key = label_key(el.text_content()[:4000])
                if sum(w in key for w in _TABLE_WORDS) >= 2:
                    found.append(el)
        elif el.tag in _BLOCK_TAGS or el.tag in ("span", "b", "strong", "font"):
            text = el.text_content()
            if len(text) <= 80:
                key = label_key(text)
                if _SECTION_ANCHOR.match(key):
                    found.append(el)
    return found


def strip_junk(root: lxml.html.HtmlElement) -> None:
    """Scripts, styles, comments and form controls never carry report text."""
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        parent = el.getparent()
        if parent is not None:
            if el.tail:
                prev = el.getprevious()
                if prev is not None:
                    prev.tail = (prev.tail or "") + el.tail
                else:
                    parent.text = (parent.text or "") + el.tail
            parent.remove(el)
    for el in list(root.iter(*_JUNK_TAGS)):
        if el.getparent() is not None:
            _drop(el)


def strip_chrome(root: lxml.html.HtmlElement) -> None:
    """Drop site chrome, never anything that holds a report anchor."""
    # The proxies are kept alive: lxml makes a new proxy per access, and a freed one's id() is reused.
    keep = [el for a in _anchors(root) for el in (a, *a.iterancestors())]
    marked = {id(el) for el in keep}
    victims = []
    for el in root.iter():
        if not _is_element(el) or id(el) in marked or el.tag in ("html", "body"):
            continue
        name = f"{el.get('class') or ''} {el.get('id') or ''}"
        text = el.text_content()
        if (
            el.tag in _CHROME_TAGS
            or _HIDDEN.search(el.get("style") or "")
            or el.get("hidden") is not None
            or (name.strip() and _CHROME_NAME.search(name))
            or (len(text) < 400 and _CHROME_START.match(repair(text)))
        ):
            victims.append(el)
    for el in victims:
        # an ancestor may already be gone; a detached subtree is harmless to drop again
        if el.getparent() is not None:
            _drop(el)


def _lca(elements: list[lxml.html.HtmlElement]) -> lxml.html.HtmlElement:
    paths = [[*reversed(list(e.iterancestors())), e] for e in elements]
    common = paths[0][0]
    for level in zip(*paths):
        if all(x is level[0] for x in level):
            common = level[0]
        else:
            break
    return common


def _cjk_count(el: lxml.html.HtmlElement) -> int:
    return len(_CJK.findall(el.text_content()))


def choose_container(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The element that holds the report: LCA of its anchors, else the body."""
    body = root.find("body")
    if body is None:
        body = root
    anchors = _anchors(body)
    if not anchors:
        return body
    container = _lca(anchors)
    headings = [a for a in anchors if a.tag != "table"]
    if len(headings) < 2:
        # Only tables were recognised: climb while the parent adds real prose (not just a wrapper).
        while container is not body and container.getparent() is not None:
            parent = container.getparent()
            if _cjk_count(parent) > 1.1 * _cjk_count(container) + 20:
                container = parent
                if _anchors_cover(container):
                    break
            else:
                container = parent
    if container.tag == "table" or container.tag in ("tr", "tbody", "thead"):
        # all anchors inside one leaf table: the table alone is not the report
        parent = container.getparent()
        container = parent if parent is not None else container
    return container


def _anchors_cover(el: lxml.html.HtmlElement) -> bool:
    return sum(1 for a in _anchors(el) if a.tag != "table") >= 2


_TITLE_RANK = {"h1": 0, "h2": 1, "h3": 1, "h4": 2, "strong": 2, "b": 2, "font": 2}


def _link_text_share(el: lxml.html.HtmlElement) -> float:
    total = len(el.text_content().strip()) or 1
    return sum(len(a.text_content().strip()) for a in el.iter("a")) / total


def find_title(root: lxml.html.HtmlElement, meta_titles: list[str]) -> tuple[str | None, int | None]:
    """The report title and its source line (``None`` when only <meta>/<title> had it).

    Page elements rank by kind (h1, then h2/h3 and elements named *title*, then bold text, then
    any short block); link lists (相关链接, 上一篇) never count. <meta> titles rank after h1.
    """
    best: tuple[float, int, int, str, int | None] | None = None
    for order, el in enumerate(root.iter("h1", "h2", "h3", "h4", "strong", "b", "font", "td", "p", "div", "span")):
        text = _clean(el.text_content())
        if not (8 <= len(text) <= 80) or not _REPORT_TITLE.search(text.replace(" ", "")):
            continue
        if any(a.tag == "a" for a in el.iterancestors()) or _link_text_share(el) > 0.5:
            continue
        rank: float = _TITLE_RANK.get(el.tag, 3)
        if rank > 1 and "title" in f"{el.get('class') or ''} {el.get('id') or ''}".lower():
            rank = 1
        # bold/plain candidates: the tightest element wins (a short wrapper may hold title and more)
        key = (rank, len(text) if rank >= 2 else 0, order)
        if best is None or key < best[:3]:
            best = (rank, key[1], order, text, el.sourceline)
    heads = [t for t in meta_titles if _REPORT_TITLE.search(t.replace(" ", ""))]
    if best is not None and (best[0] == 0 or not heads):
        return best[3], best[4]
    if heads:
        return heads[0], None
    return None, None


# ----------------------------------------------------------------------------- tables

_CJK_OR_PUNCT = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’、]"
_JOIN_CJK_NEWLINE = re.compile(rf"(?<={_CJK_OR_PUNCT})\n+(?={_CJK_OR_PUNCT})")


def _span(value: str | None, limit: int) -> int:
    try:
        n = int(str(value).strip().rstrip(";").split(".")[0]) if value is not None else 1
    except ValueError:
        return 1
    if n == 0:
        return limit  # HTML: rowspan=0 spans to the end of the table section
    return max(1, min(n, limit))


def cell_text(el: lxml.html.HtmlElement) -> str:
    """A cell's text: inline runs collapsed, ``<br>``/block children as line breaks.

    Line breaks between two CJK characters are dropped (``结<br>果`` is one label), others
    are kept as ``\\n`` so that digits in separate paragraphs are never glued together.
    """
    parts: list[str] = []

    def walk(node: lxml.html.HtmlElement) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if _is_element(child):
                if child.tag == "br":
                    parts.append("\n")
                elif child.tag in _BLOCK_TAGS:
                    parts.append("\n")
                    walk(child)
                    parts.append("\n")
                else:
                    walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    raw = repair("".join(parts))
    lines = [re.sub(r"[ \t\r\f\v]+", " ", ln).strip() for ln in raw.replace("\r", "\n").split("\n")]
    text = "\n".join(ln for ln in lines if ln)
    return _JOIN_CJK_NEWLINE.sub("", text)


def table_grid(table: lxml.html.HtmlElement, index: int, path: str | None = None) -> list[list[Cell]]:
    """Expand a (leaf) table into a rectangular grid; spanned positions are copies of the origin.

    Bounded by the table limits: every span is clamped to :data:`MAX_TABLE_COLUMNS` /
    :data:`MAX_TABLE_ROWS`, and the positions visited (copies and overlaps included) may not pass
    :data:`MAX_TABLE_CELLS`, so ``rowspan``/``colspan`` bombs stop before they cost anything.
    """
    trs = [tr for tr in table.iter("tr") if _owning_table(tr) is table]
    n_rows = len(trs)
    if n_rows > MAX_TABLE_ROWS:
        raise exceeded(path, "网页表格行数", n_rows, MAX_TABLE_ROWS)
    check_depth(table, path)
    grid: dict[tuple[int, int], Cell] = {}
    width = 0
    budget = MAX_TABLE_CELLS
    for r, tr in enumerate(trs):
        c = 0
        for td in tr:
            if not _is_element(td) or td.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            rowspan = _span(td.get("rowspan"), n_rows - r)
            colspan = _span(td.get("colspan"), MAX_TABLE_COLUMNS) if td.get("colspan") not in ("0",) else 1
            budget -= rowspan * colspan
            if budget < 0 or c + colspan > MAX_TABLE_COLUMNS:
                raise exceeded(path, "网页表格单元格数（含合并单元格展开）" if budget < 0 else "网页表格列数",
                               MAX_TABLE_CELLS - budget if budget < 0 else c + colspan,
                               MAX_TABLE_CELLS if budget < 0 else MAX_TABLE_COLUMNS)
            text = cell_text(td)
            line = td.sourceline
            for dr in range(rowspan):
                for dc in range(colspan):
                    pos = (r + dr, c + dc)
                    if pos in grid:
                        continue  # overlapping spans in broken markup: the first cell keeps the place
                    copy = None if (dr, dc) == (0, 0) else (r, c)
                    grid[pos] = Cell(text, Source(line=line, table=index, row=pos[0], col=pos[1]), copy_of=copy)
            c += colspan
            width = max(width, c)
    if n_rows * width > MAX_TABLE_CELLS:
        raise exceeded(path, "网页表格单元格数（行 × 列）", n_rows * width, MAX_TABLE_CELLS)
    rows: list[list[Cell]] = []
    for r in range(n_rows):
        row = []
        for c in range(width):
            cell = grid.get((r, c))
            if cell is None:  # a short row: pad with blanks so the grid stays rectangular
                cell = Cell("", Source(line=trs[r].sourceline, table=index, row=r, col=c))
            row.append(cell)
        rows.append(row)
    return rows


def check_depth(root: etree._Element, path: str | None) -> None:
    """Refuse markup nested deeper than :data:`MAX_HTML_DEPTH` (the walkers here recurse per level)."""
    depth = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > MAX_HTML_DEPTH:
            raise exceeded(path, "网页元素嵌套层数", None, MAX_HTML_DEPTH)


def _owning_table(el: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    for a in el.iterancestors():
        if a.tag == "table":
            return a
    return None


def _is_layout_table(table: lxml.html.HtmlElement) -> bool:
    """A leaf table that only lays text out (one column, or cells holding whole paragraphs of prose)."""
    rows = [tr for tr in table.iter("tr")]
    if not rows:
        return True
    max_cells = max(sum(1 for td in tr if _is_element(td) and td.tag in ("td", "th")) for tr in rows)
    if max_cells <= 1:
        return True
    return any(len(_CJK.findall(td.text_content())) > 300 for td in table.iter("td", "th"))


# ----------------------------------------------------------------------------- blocks

class _Flow:
    """Collects inline text into paragraphs; block boundaries and ``<br>`` end a paragraph."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self.blocks: list[Paragraph | Table] = []
        self.buf: list[str] = []
        self.line: int | None = None
        self.tables = 0
        self.cells = 0  # grid positions of all tables so far (MAX_DOCUMENT_CELLS)

    def text(self, s: str | None, line: int | None) -> None:
        if s:
            if self.line is None and s.strip():
                self.line = line
            self.buf.append(s)

    def flush(self) -> None:
        text = re.sub(r"\s+", " ", repair("".join(self.buf))).strip()
        if text:
            self.blocks.append(Paragraph(text, Source(line=self.line)))
        self.buf, self.line = [], None

    def walk(self, el: lxml.html.HtmlElement) -> None:
        tag = el.tag
        if tag == "br":
            self.flush()
            return
        if tag == "table":
            self.flush()
            if el.find(".//table") is None and not _is_layout_table(el):
                rows = table_grid(el, self.tables, self.path)
                self.cells += sum(len(row) for row in rows)
                if self.cells > MAX_DOCUMENT_CELLS:
                    raise exceeded(self.path, "网页全部表格的单元格总数", self.cells, MAX_DOCUMENT_CELLS)
                if rows and any(c.text for row in rows for c in row):
                    self.blocks.append(Table(rows, Source(line=el.sourceline, table=self.tables)))
                    self.tables += 1
                return
            self._children(el)
            return
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
        self._children(el)
        if block:
            self.flush()

    def _children(self, el: lxml.html.HtmlElement) -> None:
        self.text(el.text, el.sourceline)
        for child in el:
            if _is_element(child):
                self.walk(child)
            if child.tail:
                self.text(child.tail, child.sourceline)


# Characters XML cannot hold: lxml parses them into text nodes but refuses them when a node is edited.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _parse(text: str) -> lxml.html.HtmlElement | None:
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", _NOT_XML.sub("", text))
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


_JSONP_START = re.compile(r"^\s*[\w$.]+\s*\(\s*[\[{]")


def read_html_text(text: str, path: str | None = None, encoding: str | None = None) -> Document:
    """Build a document from already-decoded markup (a page or a JSON/JS response holding one)."""
    meta: dict[str, Any] = {"encoding": encoding} if encoding else {}
    lead = text.lstrip()[:200]
    if lead[:1] in "{[" or _JSONP_START.match(lead) or re.match(r"^\s*(var|let|const|window\.|document\.)", lead):
        found = unwrap_embedded(text)
        if found is not None:
            text, extra = found
            meta.update(extra)
            meta["embedded"] = "json/js"
    tags = text.count("<")
    if tags > MAX_HTML_TAGS:
        raise exceeded(path, "网页标记（标签）数量", tags, MAX_HTML_TAGS)
    root = _parse(text)
    if root is None:
        return Document([], path=path, form="html", meta=meta, warnings=["网页内容为空"])
    check_depth(root, path)
    n_tables = sum(1 for _ in root.iter("table"))
    if n_tables > MAX_HTML_TABLES:
        raise exceeded(path, "网页表格数量", n_tables, MAX_HTML_TABLES)
    page_info, meta_titles = page_meta(root)
    if inline_scripts(root, _parse, _anchors):  # the article written by a script (document.write …)
        meta["embedded"] = "script"
    for k, v in page_info.items():
        meta.setdefault(k, v)
    strip_junk(root)
    strip_chrome(root)
    container = choose_container(root)
    title, title_line = find_title(root, ([meta["title"]] if "title" in meta else []) + meta_titles)
    if title:
        meta["title"] = title
    flow = _Flow(path)
    flow.walk(container)
    flow.flush()
    blocks = flow.blocks
    if title and title_line is not None and not _has_title(blocks, title):
        blocks.insert(0, Paragraph(title, Source(line=title_line)))
    return Document(blocks, path=path, form="html", meta=meta)


def _has_title(blocks: list[Paragraph | Table], title: str) -> bool:
    key = label_key(title)
    for b in blocks[:15]:
        if isinstance(b, Paragraph) and _REPORT_TITLE.search(b.text.replace(" ", "")):
            k = label_key(b.text)
            return key in k or k in key
    return False


def read(data: bytes, path: str | None = None) -> Document:
    """The ingester entry point: bytes of a web page (or saved API response) → document."""
    if len(data) > MAX_HTML_BYTES:
        raise exceeded(path, "网页文件大小", f"{len(data) / MiB:.1f} MB", f"{MAX_HTML_BYTES // MiB} MB")
    if looks_binary(data):
        raise NianbaoError(path, "无法识别网页的字符编码（内容含有二进制数据，且不是 UTF-16/UTF-32 文本）", kind="encoding")
    text, encoding = decode_html(data, path)
    return read_html_text(text, path, encoding)
