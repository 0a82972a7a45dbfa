#!/usr/bin/env python3
"""Build the robustness corpus ``tests/fixtures/robust/``: reports as real extraction tools print them.

Why: the hidden evaluation feeds nianbao text that *other* tools extracted from PDFs, Word files
and web pages. The committed multi-form fixtures (``tests/fixtures/forms/``) are read by our own
ingesters; this corpus is what the same reports look like after someone else's tool flattened
them, so that the extractor's general mechanism (row matching, width fitting, continuation
lines) is exercised on real damage instead of on our own clean renderings.

Two parts:

* **Tool outputs** of the fixtures of seeds 001–003 (``tests/fixtures/forms/``):
  ``pdftotext -layout`` / ``-raw`` / default (LibreOffice and Chromium PDFs), pdfminer
  ``extract_text``, pdfplumber ``extract_text``, html2text and markdownify markdown of the HTML
  page, pandoc DOCX→markdown (pipe and grid tables) and DOCX→plain, docx2txt, and a browser-like
  copy-paste of the HTML page (cells joined by tabs, rows by newlines, ``<br>`` kept as a newline
  inside the cell, cells covered by a rowspan absent).
* **Hand-crafted hazards** (FORMAT.md E.3/E.4) rendered from the truth of seeds 000–004:
  labels one character per line, wrapped 商业企/业 headers, full-width digits, thousands
  separators, ``/`` and ``—`` placeholders, the 2019 template, titles with the year first or the
  agency on the line above.

Each output ``<id>.txt`` / ``<id>.md`` gets ``<id>.truth.json``: the seed's truth with a new id and
``provenance``; the truth is changed only where the tool (or the hazard) really changed the
information, listed in ``source_defects``.

Requirements (generation only; the tests never need them): Debian ``poppler-utils`` and
``pandoc``; ``pip install pdfminer.six pdfplumber html2text markdownify docx2txt`` (+ lxml).

Usage: ``python scripts/make_robust.py [--score]``.
"""
from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
FORMS = ROOT / "tests" / "fixtures" / "forms"
OUT = ROOT / "tests" / "fixtures" / "robust"
SCORE = ROOT.parent / "shared" / "tools" / "score.py"  # ../shared beside the repository

S000 = "000_a122145f4d95bb2d"
S001 = "001_203072e8f6b1ea52"
S002 = "002_e36d426879923bc1"
S003 = "003_2a799143023ee02c"
S004 = "004_075fb8c0c28ee6ce"
SHORT = {S000: "000", S001: "001", S002: "002", S003: "003", S004: "004"}


def load_truth(seed: str) -> dict:
    return json.loads((SAMPLES / f"{seed}.truth.json").read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- tools
def run(argv: list[str], data: bytes | None = None) -> str:
    return subprocess.run(argv, input=data, capture_output=True, check=True).stdout.decode("utf-8")


def pdftotext(mode: str | None) -> Callable[[Path], str]:
    def tool(pdf: Path) -> str:
        return run(["pdftotext", *([mode] if mode else []), "-enc", "UTF-8", str(pdf), "-"])
    return tool


def pdfminer_text(pdf: Path) -> str:
    from pdfminer.high_level import extract_text
    return extract_text(str(pdf))


def pdfplumber_text(pdf: Path) -> str:
    import pdfplumber
    with pdfplumber.open(str(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def html2text_md(page: Path) -> str:
    import html2text
    h = html2text.HTML2Text()
    h.body_width = 0
    return h.handle(page.read_text(encoding="utf-8"))


def markdownify_md(page: Path) -> str:
    from markdownify import markdownify
    return markdownify(page.read_text(encoding="utf-8"), heading_style="ATX", strip=["script", "style"])


def pandoc(to: str) -> Callable[[Path], str]:
    def tool(docx: Path) -> str:
        return run(["pandoc", "-f", "docx", "-t", to, "--wrap=none", str(docx)])
    return tool


def docx2txt_text(docx: Path) -> str:
    import docx2txt
    return docx2txt.process(str(docx))


_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "header",
          "footer", "nav", "table", "form", "blockquote", "pre", "dl", "dt", "dd"}


def browser_copy(page: Path) -> str:
    """Select-all + copy in a browser: block elements on their own lines, a table row per line with
    its cells joined by tabs, ``<br>`` as a newline (even inside a cell), hidden elements skipped."""
    import lxml.html
    root = lxml.html.fromstring(page.read_bytes())
    for bad in root.xpath("//script|//style|//noscript|//head"):
        bad.getparent().remove(bad)

    def inner(el) -> str:
        parts: list[str] = [el.text or ""]
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "br":
                parts.append("\n")
            elif tag == "table":
                parts.append("\n" + table(child) + "\n")
            elif tag in _BLOCK:
                parts.append("\n" + inner(child) + "\n")
            else:
                parts.append(inner(child))
            parts.append(child.tail or "")
        return "".join(parts)

    def cell_text(td) -> str:
        lines = (re.sub(r"\s+", " ", part).strip() for part in inner(td).replace("\xa0", " ").split("\n"))
        return "\n".join(part for part in lines if part)

    def table(t) -> str:
        rows = []
        for tr in t.iter("tr"):
            cells = [cell_text(td) for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")]
            rows.append("\t".join(cells))
        return "\n".join(rows)

    text = inner(root.find("body") if root.find("body") is not None else root)
    lines = [re.sub(r"[ \u3000]{2,}", " ", line).rstrip() for line in text.replace("\xa0", " ").split("\n")]
    out: list[str] = []
    for line in lines:
        if line.strip() or (out and out[-1].strip()):
            out.append(line if "\t" in line else line.strip())
    return "\n".join(out) + "\n"


# (name, source suffix, tool, output extension)
TOOLS: list[tuple[str, str, Callable[[Path], str], str]] = [
    ("pdftotext-layout.lo", ".lo.pdf", pdftotext("-layout"), "txt"),
    ("pdftotext-layout.chromium", ".chromium.pdf", pdftotext("-layout"), "txt"),
    ("pdftotext-raw.lo", ".lo.pdf", pdftotext("-raw"), "txt"),
    ("pdftotext-raw.chromium", ".chromium.pdf", pdftotext("-raw"), "txt"),
    ("pdftotext.lo", ".lo.pdf", pdftotext(None), "txt"),
    ("pdftotext.chromium", ".chromium.pdf", pdftotext(None), "txt"),
    ("pdfminer.lo", ".lo.pdf", pdfminer_text, "txt"),
    ("pdfminer.chromium", ".chromium.pdf", pdfminer_text, "txt"),
    ("pdfplumber.lo", ".lo.pdf", pdfplumber_text, "txt"),
    ("pdfplumber.chromium", ".chromium.pdf", pdfplumber_text, "txt"),
    ("html2text", ".html", html2text_md, "md"),
    ("markdownify", ".html", markdownify_md, "md"),
    ("browser-copy", ".html", browser_copy, "txt"),
    ("pandoc-pipe", ".docx", pandoc("markdown-grid_tables-multiline_tables-simple_tables"), "md"),
    ("pandoc-grid", ".docx", pandoc("markdown-pipe_tables-multiline_tables-simple_tables"), "md"),
    ("pandoc-plain", ".docx", pandoc("plain"), "txt"),
    ("docx2txt", ".docx", docx2txt_text, "txt"),
]

# Where a tool destroyed information no convention can recover, the truth says so: (tool, seed) → defects.
# None so far: the one blank-cell case (seed 003's 行政复议 block) is recovered by right-alignment.
TOOL_DEFECTS: dict[tuple[str, str], list[str]] = {}


# ----------------------------------------------------------------------------- hand-crafted hazards
def _t3_rows(template: str) -> list[tuple[str, str, str | None]]:
    """(key, label, group) of table 三 for the template, as printed in the official form."""
    sys.path.insert(0, str(ROOT / "src"))
    from nianbao.templates import TEMPLATES
    return [(r.key, r.label, r.group) for r in TEMPLATES[template].applications]


def _active_rows(template: str):
    sys.path.insert(0, str(ROOT / "src"))
    from nianbao.templates import TEMPLATES
    return TEMPLATES[template].active


def _fmt(v, style: dict) -> str:
    if v is None:
        return style.get("blank", "")
    s = str(v)
    if style.get("thousands") and re.fullmatch(r"\d{4,}(\.\d+)?", s):
        whole, _, frac = s.partition(".")
        s = f"{int(whole):,}" + (f".{frac}" if frac else "")
    if style.get("fullwidth"):
        s = s.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789.,"})
    return s


def render_report(truth: dict, style: dict) -> str:
    """A whole report in a flattened-text layout from *truth*, with the hazards *style* names.

    style keys: title ('plain' | 'year-first' | 'agency-above'), layout ('layout' = pdftotext
    -layout-like padded columns with vertical 三、本年度办理结果 and split group cells, 'raw' = one
    space between cells), wrap_headers, thousands, fullwidth, blank (text printed for a null cell).
    """
    tpl = truth["template"]
    agency, year = truth["agency"], truth["year"]
    sep = "    " if style.get("layout") == "layout" else " "
    out: list[str] = []
    title = {
        "plain": [f"{agency}{year}年政府信息公开工作年度报告"],
        "year-first": [f"{year}年度{agency}政府信息公开工作年度报告"],
        "agency-above": [agency, f"{year}年政府信息公开工作年度报告"],
    }[style.get("title", "plain")]
    out += title
    out += ["", "一、总体情况", f"    {year}年，本单位认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息。",
            "二、主动公开政府信息情况"]
    current_caption = None
    for row in _active_rows(tpl):
        if row.caption != current_caption:
            current_caption = row.caption
            out.append(f"        {row.caption}")
            heads = [f.label for f in row.fields]
            if style.get("wrap_headers"):
                top = [h[: (len(h) + 1) // 2] for h in heads]
                bottom = [h[(len(h) + 1) // 2:] for h in heads]
                out.append(sep.join(["信息内容", *top]))
                out.append(sep.join(["        ", *bottom]))
            else:
                out.append(sep.join(["信息内容", *heads]))
        vals = truth["active"][row.key]
        out.append(sep.join([row.label if row.key != "normative_documents" or tpl == "2019" else "行政规范性文件",
                             *(_fmt(vals[f.key], style) for f in row.fields)]).rstrip())
    out.append("三、收到和处理政府信息公开申请情况")
    out.append(f"{sep * 6}申请人情况")
    if style.get("wrap_headers"):
        out += [
            f"（本列数据的勾稽关系为：第一项加{sep * 4}法人或其他组织",
            f"第二项之和，等于第三项加第四项之和）{sep}自然人{sep}商业企{sep}科研机{sep}社会公{sep}法律服{sep}其他{sep}总计",
            f"{sep * 6}业{sep}构{sep}益组织{sep}务机构",
        ]
    else:
        out += [
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            f"{sep * 3}自然人{sep}法人或其他组织{sep}总计",
            f"{sep * 4}商业企业{sep}科研机构{sep}社会公益组织{sep}法律服务机构{sep}其他",
        ]
    vertical = iter("三、本年度办理结果") if style.get("layout") == "layout" else iter(())
    group = None
    for key, label, grp in _t3_rows(tpl):
        values = truth["applications"][key]
        cells = [_fmt(v, style) for v in values]
        side = "" if key in ("new", "carried_over", "carried_forward") else next(vertical, "")
        if grp != group and grp is not None:
            group = grp
            if style.get("layout") == "layout":
                head, tail = grp[:5], grp[5:]  # （三）不/予公开
                out.append(f"{side}{sep}{head}")
                side = next(vertical, "")
                out.append(f"{side}{sep}{tail}")
                side = next(vertical, "")
            else:
                out.append(grp)
        elif grp is None:
            group = None
        if key == "granted" and style.get("layout") != "layout":
            out.append("三、本年度办理结果")
        out.append(sep.join([side, label, *cells]).strip() if side else (sep + sep.join([label, *cells])).rstrip())
    for ch in vertical:
        out.append(ch)
    out.append("四、政府信息公开行政复议、行政诉讼情况")
    out.append(f"{sep * 2}行政复议{sep * 6}行政诉讼")
    out.append(sep.join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"]))
    out.append(sep * 6 + sep.join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2))
    rl = truth["review_litigation"]
    out.append(sep.join(_fmt(v, style) for b in ("review", "litigation_direct", "litigation_after_review")
                        for v in rl[b]))
    out += ["五、存在的主要问题及改进情况", "    信息公开的及时性有待提高。", "六、其他需要报告的事项", "    无。", ""]
    return "\n".join(out)


def placeholders(truth: dict, every: int, marks: tuple[str, ...]) -> tuple[dict, dict]:
    """Replace every *every*-th printed 0 of table 三 with a placeholder; the truth gets null there.

    Returns (truth for the document, truth with placeholder strings to render)."""
    want, shown = copy.deepcopy(truth), copy.deepcopy(truth)
    n = 0
    for key, values in shown["applications"].items():
        if values is None:
            continue
        for i, v in enumerate(values):
            if v == 0:
                n += 1
                if n % every == 0:
                    values[i] = marks[(n // every) % len(marks)]
                    want["applications"][key][i] = None
    return want, shown


def hazards() -> list[tuple[str, str, str, dict, list[str]]]:
    """(id, extension, text, truth, source_defects) for each hand-crafted hazard file."""
    items: list[tuple[str, str, str, dict, list[str]]] = []
    for seed in (S000, S002, S003, S004):
        t = load_truth(seed)
        items.append((f"{SHORT[seed]}.hazard-layout-vertical", "txt",
                      render_report(t, {"layout": "layout", "wrap_headers": True, "title": "agency-above"}),
                      t, []))
    t2 = load_truth(S002)
    items.append(("002.hazard-fullwidth-thousands", "txt",
                  render_report(t2, {"layout": "raw", "fullwidth": True, "thousands": True,
                                           "title": "year-first"}), t2, []))
    t3 = load_truth(S003)
    items.append(("003.hazard-thousands-layout", "txt",
                  render_report(t3, {"layout": "layout", "thousands": True, "title": "year-first"}), t3, []))
    want, shown = placeholders(load_truth(S002), 3, ("/", "—", "－"))
    items.append(("002.hazard-placeholders", "txt",
                  render_report(shown, {"layout": "layout", "wrap_headers": True}), want, []))
    t1 = load_truth(S001)
    items.append(("001.hazard-2019-layout", "txt",
                  render_report(t1, {"layout": "layout", "wrap_headers": True, "title": "year-first"}), t1, []))
    items.append(("001.hazard-2019-raw", "txt",
                  render_report(t1, {"layout": "raw", "title": "agency-above", "fullwidth": True}), t1, []))
    want4, shown4 = placeholders(load_truth(S004), 2, ("/", "—"))
    items.append(("004.hazard-placeholders-raw", "txt",
                  render_report(shown4, {"layout": "raw", "blank": ""}), want4, []))
    return items


# ----------------------------------------------------------------------------- main
def write(doc_id: str, ext: str, text: str, truth: dict, provenance: dict, defects: list[str]) -> None:
    t = copy.deepcopy(truth)
    t["id"] = doc_id
    t["source_kind"] = "text" if ext == "txt" else "markdown"
    t["source_defects"] = list(defects)
    t["provenance"] = provenance
    t["verified_by"] = "generated by scripts/make_robust.py from the seed truth"
    (OUT / f"{doc_id}.{ext}").write_text(text, encoding="utf-8")
    (OUT / f"{doc_id}.truth.json").write_text(json.dumps(t, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--score", action="store_true", help="run score.py on the corpus afterwards")
    args = ap.parse_args()
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    for seed in (S001, S002, S003):
        truth = load_truth(seed)
        for name, suffix, tool, ext in TOOLS:
            src = FORMS / f"{seed}{suffix}"
            text = tool(src)
            doc_id = f"{SHORT[seed]}.{name}"
            defects = TOOL_DEFECTS.get((name, seed), [])
            write(doc_id, ext, text, truth, {"seed": seed, "fixture": src.name, "tool": name}, defects)
    for doc_id, ext, text, truth, defects in hazards():
        write(doc_id, ext, text, truth, {"seed": truth.get("provenance", {}).get("seed"), "tool": "hand-crafted"},
              defects)
    size = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"{len(list(OUT.glob('*.truth.json')))} documents, {size / 1024:.0f} KiB in {OUT}")
    if args.score:
        subprocess.run([sys.executable, str(SCORE), str(OUT), "--cmd",
                        f"{ROOT / '.venv/bin/nianbao'} parse {{src}} --json", "-v"], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
