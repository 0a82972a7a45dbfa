"""The PDF ingester: fixtures made from the seeds, the real 淮安 2024 report, geometry and bad input."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

import nianbao
from conftest import ROOT, load_truth, seed_text, wrong_cells
from nianbao.document import Paragraph, Table
from nianbao.errors import NianbaoError
from nianbao.ingest import pdf as pdf_ingest
from nianbao.ingest.pdfgrid import Char, Edge, build_grid, cell_text, find_grids

FORMS = ROOT / "tests" / "fixtures" / "forms"
MANIFEST = FORMS / "MANIFEST.json"
HUAIAN = ROOT.parent / "shared" / "corpus-dev" / "js-2024-huaian-gov.pdf"  # ../shared beside the repository


def _pdf_fixtures() -> list[tuple[str, str]]:
    if not MANIFEST.exists():
        return []
    entries = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return sorted((name, e["truth"]) for name, e in entries.items() if e.get("form") == "pdf")


PDF_FIXTURES = _pdf_fixtures()


def _any_fixture() -> Path:
    if not PDF_FIXTURES:
        pytest.skip("tests/fixtures/forms has no PDF fixtures (run scripts/make_fixtures.py)")
    return FORMS / PDF_FIXTURES[0][0]


# --- a hand-made PDF, so the geometry tests need no generator -----------------------------------------------

def make_pdf(pages: list[str], box: tuple[float, float] = (595, 842), trailer_extra: str = "",
             extra_objects: list[str] | None = None) -> bytes:
    """A minimal valid PDF: one content stream per page, Helvetica as /F1, xref computed."""
    objs: list[str] = []
    n_pages = len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objs.append("<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>")
    font_id = 3 + 2 * n_pages
    for i, content in enumerate(pages):
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {box[0]} {box[1]}] "
                    f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {4 + 2 * i} 0 R >>")
        data = content.encode("latin-1")
        objs.append(f"<< /Length {len(data)} >>\nstream\n{content}\nendstream")
    objs.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objs += extra_objects or []
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{k} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R {trailer_extra}>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _text(x: float, y: float, s: str, size: float = 10) -> str:
    return f"BT /F1 {size} Tf {x} {y} Td ({s}) Tj ET\n"


def ruled_table_page() -> str:
    """A 4-row × 3-column ruled table at the top of the page, with:
    a label printed one letter per line in a cell merged over rows 1–3 (column 0),
    a blank cell (row 2, column 2), a header merged over columns 1–2, and a page number at the foot."""
    left, right, top = 100, 400, 700
    xs = [100, 200, 300, 400]
    ys = [700, 680, 660, 640, 620]  # row tops, PDF user space (y up)
    c = "0.5 w\n"
    for y in ys:  # horizontal rules; row 1..3 of column 0 are merged: no rules there
        if y in (660, 640):
            c += f"200 {y} m 400 {y} l S\n"
        else:
            c += f"{left} {y} m {right} {y} l S\n"
    for x in xs:  # vertical rules; the header row 0 merges columns 1–2: no rule at x=300 in row 0
        if x == 300:
            c += f"{x} 680 m {x} 620 l S\n"
        else:
            c += f"{x} {top} m {x} 620 l S\n"
    c += _text(105, 686, "Items") + _text(205, 686, "Counts")
    for i, ch in enumerate("ABC"):  # a vertical label: one letter per line in the merged cell
        c += _text(145, 666 - 18 * i, ch)
    c += _text(205, 666, "Made") + _text(305, 666, "1")
    c += _text(205, 646, "Repealed")  # column 2 of this row stays blank
    c += _text(205, 626, "Total") + _text(305, 626, "7")
    c += _text(100, 500, "Body text after the table.")
    c += _text(290, 30, "- 1 -")  # page number in the foot margin
    return c


@pytest.fixture(scope="module")
def ruled_doc():
    return pdf_ingest.read(make_pdf([ruled_table_page()]), "ruled.pdf")


# --- the generated fixtures: every cell equals the seed truth ----------------------------------------------

@pytest.mark.parametrize(("name", "truth"), PDF_FIXTURES or [pytest.param("-", "-", marks=pytest.mark.skip(
    reason="tests/fixtures/forms has no PDF fixtures (run scripts/make_fixtures.py)"))])
def test_fixture_cells_match_seed_truth(name: str, truth: str) -> None:
    report = nianbao.parse(FORMS / name)
    want = load_truth(Path(truth).name[: -len(".truth.json")])
    assert wrong_cells(report.to_dict(), want) == []
    assert (report.agency, report.year, report.template) == (want["agency"], want["year"], want["template"])
    assert report.form == "pdf"


def test_split_table_continuation_row_recovered() -> None:
    """Chromium drops the top rule on the page where table 三 continues; its first row must still be read."""
    split = FORMS / "002_e36d426879923bc1.chromium-split.pdf"
    if not split.exists():
        pytest.skip(f"{split.relative_to(ROOT)} is not generated (scripts/make_fixtures.py)")
    doc = pdf_ingest.read(split.read_bytes(), str(split))
    table3 = [b for b in doc.blocks if isinstance(b, Table) and len(b.rows[0]) == 10]
    assert len(table3) == 2 and table3[1].source.page == table3[0].source.page + 1
    first = table3[1].rows[0]
    assert first[2].text == "2.没有现成信息需要另行制作"  # the row just below the page break
    assert [c.text for c in first[3:]] == ["0"] * 7


# --- the real 淮安 2024 report ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def huaian():
    if not HUAIAN.exists():
        pytest.skip(f"{HUAIAN} is not present (shared corpus-dev not mounted)")
    return HUAIAN


def test_huaian_cells_and_meta(huaian: Path) -> None:
    truth = json.loads(huaian.with_name("js-2024-huaian-gov.truth.json").read_text(encoding="utf-8"))
    report = nianbao.parse(huaian)
    assert wrong_cells(report.to_dict(), truth) == []
    assert (report.agency, report.year, report.template) == ("淮安市人民政府", 2024, "2021")


def test_huaian_provenance(huaian: Path) -> None:
    report = nianbao.parse(huaian)
    total = report.applications["new"][6]
    assert total.value == 3119
    assert total.source.page == 4
    x0, top, x1, bottom = total.source.bbox
    assert 400 < x0 < x1 < 595 and 0 < top < bottom < 842
    fee = report.active["fees"]["amount"]
    assert fee.value == "96171.6" and fee.source.page == 4
    # The table that continues on page 5 carries page 5.
    assert report.applications["other"][6].source.page == 5


def test_huaian_blocks(huaian: Path) -> None:
    doc = pdf_ingest.read(huaian.read_bytes(), str(huaian))
    paragraphs = [b for b in doc.blocks if isinstance(b, Paragraph)]
    texts = [p.text for p in paragraphs]
    assert not any(t.replace(" ", "") in {f"-{n}-" for n in range(1, 7)} for t in texts)  # page numbers left out
    assert texts[0] == "淮安市人民政府"
    assert all(p.source.page and p.source.bbox for p in paragraphs)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    # The vertical merged label of table 三 is one cell; its other rows are copies of it.
    label_rows = [row for t in tables for row in t.rows if row[0].text == "三、本年度办理结果"]
    anchor = next(r for r in label_rows if r[0].copy_of is None)
    assert anchor[1].text == "（一）予以公开"
    copies = [row[0] for t in tables for row in t.rows if row[0].copy_of is not None and row[0].text == "三、本年度办理结果"]
    assert len(copies) >= 10
    # Wrapped labels joined within their cell.
    assert any(c.text == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" for t in tables for row in t.rows
               for c in row)
    assert doc.meta["pages"] == 6 and doc.form == "pdf"


# --- geometry on the hand-made PDF ----------------------------------------------------------------------

def test_ruled_table_grid(ruled_doc) -> None:
    tables = [b for b in ruled_doc.blocks if isinstance(b, Table)]
    assert len(tables) == 1
    rows = tables[0].rows
    assert [len(r) for r in rows] == [3, 3, 3, 3]
    assert [c.text for c in rows[0]] == ["Items", "Counts", "Counts"]
    assert rows[0][2].copy_of == (0, 1)
    # one letter per line → one cell; Latin lines join with a space (CJK ones without: see below)
    assert rows[1][0].text == "A B C" and rows[1][0].copy_of is None
    assert rows[2][0].copy_of == (1, 0) and rows[3][0].copy_of == (1, 0)
    assert [c.text for c in rows[2][1:]] == ["Repealed", ""]  # the blank cell is kept in its column
    assert rows[2][2].copy_of is None
    blank = rows[2][2].source
    assert blank.page == 1 and blank.bbox == (300.0, 182.0, 400.0, 202.0)  # display points, origin top-left


def test_page_frame_does_not_swallow_the_table(ruled_doc) -> None:
    framed = pdf_ingest.read(make_pdf([ruled_table_page() + "1 w 20 20 555 802 re S\n"]), None)
    tables = [b for b in framed.blocks if isinstance(b, Table)]
    assert len(tables) == 1
    assert [[c.text for c in row] for row in tables[0].rows] == [
        [c.text for c in row] for row in next(b for b in ruled_doc.blocks if isinstance(b, Table)).rows]


def test_ruled_page_furniture_and_order(ruled_doc) -> None:
    texts = [b.text for b in ruled_doc.blocks if isinstance(b, Paragraph)]
    assert texts == ["Body text after the table."]  # "- 1 -" left out
    assert isinstance(ruled_doc.blocks[0], Table)


def test_running_heads_dropped() -> None:
    page = _text(100, 800, "Annual report 2024 of the office") + _text(100, 700, "Body {n}") + _text(280, 30, "Page {n} of 3")
    pages = [page.replace("{n}", str(i)) for i in (1, 2, 3)]
    doc = pdf_ingest.read(make_pdf(pages), None)
    assert [b.text for b in doc.blocks] == ["Body 1", "Body 2", "Body 3"]


def test_unruled_rows_keep_blank_columns() -> None:
    c = ""
    for i, (label, vals) in enumerate([("Regulations", ["1", "0", "11"]), ("Documents", ["8", None, "66"]),
                                       ("Other", ["3", "2", "5"])]):
        y = 700 - 20 * i
        c += _text(100, y, label)
        for x, v in zip((300, 360, 420), vals):
            if v is not None:
                c += _text(x, y, v)
    doc = pdf_ingest.read(make_pdf([c]), None)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(tables) == 1
    assert [[cell.text for cell in row] for row in tables[0].rows] == [
        ["Regulations", "1", "0", "11"], ["Documents", "8", "", "66"], ["Other", "3", "2", "5"]]


def test_missing_top_rule_is_supplied() -> None:
    """Vertical rules that start above the first horizontal rule mark an undrawn top rule (page-break case)."""
    edges = [Edge("v", x, 100, x, 160) for x in (0, 50, 100)]
    edges += [Edge("h", 0, y, 100, y) for y in (130, 160)]
    grid = build_grid(edges)
    assert grid is not None and grid.ys == [100, 130, 160] and grid.open_top and not grid.open_bottom
    assert len(find_grids(edges)) == 1


def test_cell_text_joins_wrapped_and_vertical_labels() -> None:
    vertical = [Char(ch, 10, 10 + 12 * i, 20, 20 + 12 * i) for i, ch in enumerate("三、本年度")]
    assert cell_text(vertical) == "三、本年度"
    wrapped = [Char(ch, 10 + 10 * i, 10, 20 + 10 * i, 20) for i, ch in enumerate("部分公开（区分")]
    wrapped += [Char(ch, 10 + 10 * i, 24, 20 + 10 * i, 34) for i, ch in enumerate("处理的）")]
    assert cell_text(wrapped) == "部分公开（区分处理的）"


RADICAL = re.compile("[\u2e80-\u2fdf]")  # CJK Radicals Supplement + Kangxi Radicals
S000 = "000_a122145f4d95bb2d"


@pytest.mark.parametrize("form", ["lo.pdf", "chromium.pdf"])
def test_kangxi_radicals_repaired(form: str) -> None:
    """Seed 000 writes ⼀ ⼯ ⾏ ⻔ ⺠ ⼾ … for 一 工 行 门 民 户: its PDFs carry them in the text layer, the parse does not."""
    fixture = FORMS / f"{S000}.{form}"
    if not fixture.exists():
        pytest.skip(f"{fixture.relative_to(ROOT)} (seed 000, the seed with radicals) is not generated: "
                    "scripts/make_fixtures.py --seeds 000")
    data = fixture.read_bytes()
    pdf = pdfium.PdfDocument(data)
    raw = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    # The text layer itself (no repair) holds every radical code point the seed has.
    assert set(RADICAL.findall(seed_text(S000))) <= set(RADICAL.findall(raw))
    assert "⼯作" in raw and "⼈⺠政府" in raw and "⻔⼾⽹站" in raw and "⾏政许可" in raw and "工作" not in raw
    doc = pdf_ingest.read(data, str(fixture))
    assert not RADICAL.search(doc.text())
    assert "工作" in doc.text() and "人民政府" in doc.text() and "门户网站" in doc.text()
    report = nianbao.parse(fixture)
    got = report.to_dict()
    assert not RADICAL.search(json.dumps(got, ensure_ascii=False))
    truth = load_truth(S000)
    assert wrong_cells(got, truth) == []
    assert (report.agency, report.year, report.template) == (truth["agency"], truth["year"], truth["template"])
    assert report.title == "市机关事务管理局2022年政府信息公开工作年度报告"


# --- bad input ------------------------------------------------------------------------------------------

def test_truncated_pdf(tmp_path: Path) -> None:
    data = _any_fixture().read_bytes()
    bad = tmp_path / "truncated.pdf"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(NianbaoError) as err:
        nianbao.parse(bad)
    assert err.value.kind == "corrupt" and "不完整" in err.value.reason


def test_garbage_pdf() -> None:
    with pytest.raises(NianbaoError) as err:
        pdf_ingest.read(b"%PDF-1.7\n" + b"\x00garbage" * 100 + b"\n%%EOF\n", "x.pdf")
    assert err.value.kind == "corrupt" and "损坏" in err.value.reason


def test_encrypted_pdf() -> None:
    """A PDF whose user password is not empty (handmade /Encrypt: no library here can encrypt)."""
    o = "<" + "11" * 32 + ">"
    u = "<" + "22" * 32 + ">"
    enc = f"<< /Filter /Standard /V 1 /R 2 /O {o} /U {u} /P -44 >>"
    data = make_pdf([_text(100, 700, "secret")], extra_objects=[enc],
                    trailer_extra="/Encrypt 6 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] ")
    with pytest.raises(NianbaoError) as err:
        pdf_ingest.read(data, "enc.pdf")
    assert err.value.kind == "encrypted" and "加密" in err.value.reason


def test_too_many_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_ingest, "MAX_PAGES", 2)
    with pytest.raises(NianbaoError) as err:
        pdf_ingest.read(make_pdf([_text(100, 700, str(i)) for i in range(3)]), None)
    assert err.value.kind == "too_large" and "页数过多" in err.value.reason


def test_absurd_page_box() -> None:
    with pytest.raises(NianbaoError) as err:
        pdf_ingest.read(make_pdf([_text(100, 700, "x")], box=(10_000_000, 10_000_000)), None)
    assert err.value.kind == "too_large" and "尺寸异常" in err.value.reason


def test_scanned_pdf_needs_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """An image-only PDF goes to the OCR ingester; without it the user is told what to install."""
    scan = FORMS / "003_2a799143023ee02c.scan.pdf"
    if not scan.exists():
        pytest.skip(f"{scan.relative_to(ROOT)} is not generated (scripts/make_fixtures.py)")
    import builtins

    real_import = builtins.__import__

    def no_ocr(name, scope=None, names=None, fromlist=(), level=0):
        if (name == "ocr" and level == 1) or name.endswith("ingest.ocr"):
            raise ImportError("simulated: OCR ingester absent")
        return real_import(name, scope, names, fromlist, level)

    monkeypatch.setattr(builtins, "__import__", no_ocr)
    with pytest.raises(NianbaoError) as err:
        pdf_ingest.read(scan.read_bytes(), str(scan))
    assert err.value.kind == "missing_tool" and err.value.reason == pdf_ingest.OCR_MISSING


def test_blank_text_page_with_image_only_goes_to_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[int]] = []

    def fake_ocr(pdf, indexes, path):
        calls.append(indexes)
        return [Paragraph("扫描页文字", pdf_ingest.Source(page=indexes[0] + 1))]

    monkeypatch.setattr(pdf_ingest, "_ocr", fake_ocr)
    scan = FORMS / "003_2a799143023ee02c.scan.pdf"
    if not scan.exists():
        pytest.skip(f"{scan.relative_to(ROOT)} is not generated (scripts/make_fixtures.py)")
    doc = pdf_ingest.read(scan.read_bytes(), None)
    assert calls and calls[0][0] == 0
    assert any(isinstance(b, Paragraph) and b.text == "扫描页文字" for b in doc.blocks)
