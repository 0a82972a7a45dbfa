"""Build ``tests/fixtures/tool-dumps/``: real reports as real text tools print them.

    .venv/bin/python scripts/make_tool_dumps.py [--out tests/fixtures/tool-dumps]

Needs the Debian packages ``w3m``, ``elinks``, ``poppler-utils`` (pdftotext) and ``chromium`` (only
to build the files; the tests read the committed output). The sources are the real reports of
``../shared/corpus-dev`` (a government web page and a text-layer PDF) and two HTML renderings of
seed reports already committed under ``tests/fixtures/variants`` (2019 template, spans):

- ``w3m -dump`` and ``elinks -dump`` of web pages: tables drawn with box characters, wrapped cell
  text, row-spanning labels running through rules (ingest/boxtable.py);
- ``pdftotext`` (no ``-layout``) of the real PDF: table 四's columns printed out of order
  (extract/regroup.py);
- ``pdftotext`` of the web page printed to PDF by Chromium: table 三's labels in one block, its
  numbers one per line in another (extract/stream.py), and table 四 out of order;
- Markdown from pdfplumber's table finder (what PDF-to-Markdown converters built on it print):
  ruled tables (``lines``) and unruled detection (``text``), whose columns cut labels into pieces,
  leave gaps between values and let the vertical 「三、本年度办理结果」 leak into row labels.

Each output gets the truth of its source (``id`` renamed to the output's name).
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus-dev"
VARIANTS = ROOT / "tests" / "fixtures" / "variants"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run")


def _run(cmd: list[str], out: Path) -> None:
    out.write_bytes(subprocess.run(cmd, check=True, capture_output=True, timeout=120).stdout)


def _truth(source: Path, name: str, how: str, out_dir: Path) -> None:
    truth = json.loads(source.with_name(source.name.rsplit(".", 1)[0] + ".truth.json").read_text(encoding="utf-8"))
    truth["id"] = name
    truth["provenance"] = f"{how} of {source.name} (scripts/make_tool_dumps.py); cells as the source's truth"
    (out_dir / f"{name}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                                encoding="utf-8")


def pdf_markdown(pdf: Path, strategy: str) -> str:
    """A PDF as Markdown the way converters built on pdfplumber write it: text lines outside tables,
    each table a pipe table (``<br>`` for line breaks in a cell), in page order."""
    import pdfplumber

    settings = {} if strategy == "lines" else {"vertical_strategy": "text", "horizontal_strategy": "text"}
    pages: list[str] = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            tables = [t for t in page.find_tables(settings) if t.rows and max(len(r.cells) for r in t.rows) > 1]
            boxes = [t.bbox for t in tables]

            def outside(obj: dict, boxes: list = boxes) -> bool:
                return not any(b[0] <= obj["x0"] and obj["x1"] <= b[2] and b[1] <= obj["top"] and obj["bottom"] <= b[3]
                               for b in boxes)

            items = [(line["top"], line["text"]) for line in page.filter(outside).extract_text_lines()]
            for table in tables:
                rows = table.extract()
                width = max(len(r) for r in rows)
                md = []
                for i, row in enumerate(rows):
                    cells = [(c or "").replace("\n", "<br>") for c in row] + [""] * (width - len(row))
                    md.append("| " + " | ".join(cells) + " |")
                    if i == 0:
                        md.append("|" + "---|" * width)
                items.append((table.bbox[1], "\n" + "\n".join(md) + "\n"))
            pages.append("\n".join(text for _, text in sorted(items, key=lambda x: x[0])))
    return "\n\n".join(pages)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "fixtures" / "tool-dumps")
    out = ap.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    page = SHARED / "fj-2021-pingtan-gov-html.html"
    pdf = SHARED / "js-2024-huaian-gov.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        local = work / "report.html"  # a neutral name: Chromium prints the file's URL in the page footer
        shutil.copy(page, local)
        pages = [(page, "pingtan-2021"), (VARIANTS / "001.t3-group-span.html", "seed001-2019"),
                 (VARIANTS / "002.t4-two-rows.html", "seed002")]
        for html, stem in pages:
            if not html.exists():
                continue
            _run(["w3m", "-dump", "-cols", "100", "-T", "text/html", "-O", "utf-8", str(html)], out / f"{stem}.w3m.txt")
            _truth(html, f"{stem}.w3m", "w3m -dump -cols 100", out)
            _run(["elinks", "-dump", "-dump-charset", "utf-8", "-dump-width", "120", str(html)],
                 out / f"{stem}.elinks.txt")
            _truth(html, f"{stem}.elinks", "elinks -dump -dump-width 120", out)
        for strategy in ("lines", "text"):
            (out / f"huaian-2024.pdfplumber-{strategy}.md").write_text(pdf_markdown(pdf, strategy), encoding="utf-8")
            _truth(pdf, f"huaian-2024.pdfplumber-{strategy}", f"pdfplumber tables ({strategy} strategy) as Markdown", out)
        _run(["pdftotext", str(pdf), "-"], out / "huaian-2024.pdftotext.txt")
        _truth(pdf, "huaian-2024.pdftotext", "pdftotext (no -layout)", out)
        printed = work / "report.pdf"
        subprocess.run(["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={work / 'profile'}",
                        f"--print-to-pdf={printed}", local.as_uri()], check=True, capture_output=True, timeout=120)
        _run(["pdftotext", str(printed), "-"], out / "pingtan-2021.chromium.pdftotext.txt")
        _truth(page, "pingtan-2021.chromium.pdftotext", "Chromium print to PDF, then pdftotext (no -layout)", out)
    for path in sorted(out.iterdir()):
        print(f"{path.stat().st_size:>8}  {path.name}")


if __name__ == "__main__":
    main()
