"""Hostile input (issue 13): limits, encodings, corrupt packages, each answered with a clear Chinese error.

The small hostile files are committed in tests/fixtures/hostile (``scripts/make_hostile.py --small``);
the large ones (2 GiB inflate bomb, 50 MB page) are built here at a small scale with the limit
lowered, so the same code path is taken in milliseconds.
"""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

from nianbao.errors import NianbaoError
from nianbao.extract import extract
from nianbao.ingest import docx as docx_ingest
from nianbao.ingest import html as html_ingest
from nianbao.ingest import limits, pdfscan, read_bytes, read_document
from nianbao.ingest import text as text_ingest
from nianbao.ingest.encoding import decode, wide_encoding

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
FORMS = ROOT / "tests" / "fixtures" / "forms"
SEED = "002_e36d426879923bc1"
AGENCY = "孟津区人民政府办公室"

sys.path.insert(0, str(ROOT / "scripts"))
import make_hostile  # noqa: E402  (the generator of the hostile files)


def _error(path: Path | str, data: bytes | None = None) -> NianbaoError:
    with pytest.raises(NianbaoError) as err:
        if data is None:
            read_document(path)
        else:
            read_bytes(data, str(path))
    assert "内部错误" not in err.value.reason
    return err.value


# --------------------------------------------------------------------------- DOCX

@pytest.mark.parametrize(("name", "value"), [("docx-gridbefore.docx", "100,000,000"),
                                             ("docx-gridspan.docx", "1,000,000,000")])
def test_docx_span_bombs_are_refused_naming_the_limit(name: str, value: str) -> None:
    err = _error(HOSTILE / name)
    assert err.kind == "too_large"
    assert err.path == str(HOSTILE / name)
    assert f"DOCX 表格列数（含合并与缩进）超出上限（{value}，上限 1,000）" in err.reason


@pytest.mark.parametrize(("name", "detail"), [
    ("docx-bad-crc.docx", "内部文件 word/document.xml 校验失败"),
    ("docx-bad-deflate.docx", "压缩数据损坏：解压失败"),
    ("docx-truncated-xml.docx", "XML 内容不完整或格式错误"),
])
def test_damaged_docx_says_what_is_damaged(name: str, detail: str) -> None:
    err = _error(HOSTILE / name)
    assert err.kind == "corrupt"
    assert err.reason.startswith("DOCX 文件已损坏，无法读取（") and detail in err.reason


def test_docx_table_cells_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (FORMS / f"{SEED}.docx").read_bytes()
    assert extract(read_bytes(data, "ok.docx")).agency == AGENCY
    monkeypatch.setattr(docx_ingest, "MAX_TABLE_CELLS", 50)
    err = _error("small.docx", data)
    assert err.kind == "too_large" and "DOCX 表格单元格数" in err.reason and "上限 50" in err.reason


def test_docx_nesting_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    def nest(xml: str) -> str:  # the first table placed inside a cell of itself, three levels deep
        start, end = xml.index("<w:tbl>"), xml.index("</w:tbl>") + len("</w:tbl>")
        table = xml[start:end]
        inner = table
        for _ in range(3):
            inner = table.replace("</w:tc>", inner + "<w:p/></w:tc>", 1)
        return xml[:start] + inner + xml[end:]

    data = make_hostile._docx_with(nest)
    monkeypatch.setattr(docx_ingest, "MAX_TABLE_NESTING", 2)
    err = _error("nested.docx", data)
    assert err.kind == "too_large" and "DOCX 表格嵌套层数超出上限（3，上限 2）" in err.reason


def test_zip_bomb_sizes_are_checked_before_inflating(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<w:document/>")
        zf.writestr("word/media/bomb.bin", b"\0" * (3 * limits.MiB))
    monkeypatch.setattr(docx_ingest, "MAX_ZIP_PART_BYTES", 2 * limits.MiB)
    err = _error("bomb.docx", out.getvalue())
    assert err.kind == "too_large" and "word/media/bomb.bin 解压后的大小超出上限（3 MB，上限 2 MB）" in err.reason


# --------------------------------------------------------------------------- HTML and text

def test_html_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_ingest, "MAX_HTML_BYTES", 1024 * 1024)
    err = _error("big.html", make_hostile.html_one_table(2 * 1024 * 1024))
    assert err.kind == "too_large" and "网页文件大小超出上限（2.0 MB，上限 1 MB）" in err.reason


def test_html_span_bomb_stops_at_the_cell_limit() -> None:
    row = '<tr><td>规章</td><td rowspan="65534" colspan="999">1</td></tr>'
    page = f"<html><body><table>{row * 300}</table></body></html>".encode()
    err = _error("spans.html", page)
    assert err.kind == "too_large" and "网页表格单元格数（含合并单元格展开）超出上限" in err.reason
    assert f"上限 {limits.MAX_TABLE_CELLS:,}" in err.reason


def test_html_tag_and_depth_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    deep = ("<html><body>" + "<div>" * 300 + "2023年政府信息公开工作年度报告" + "</div>" * 300 + "</body></html>").encode()
    err = _error("deep.html", deep)
    assert err.kind == "too_large" and "网页元素嵌套层数超出上限（上限 200）" in err.reason
    monkeypatch.setattr(html_ingest, "MAX_HTML_TAGS", 100)
    err = _error("tags.html", make_hostile.html_one_table(4096))
    assert "网页标记（标签）数量超出上限" in err.reason


def test_legitimate_large_page_reads() -> None:
    data = make_hostile.large_html(120 * 1024)
    assert len(data) >= 120 * 1024
    report = extract(read_bytes(data, "large.html"))
    assert report.agency == AGENCY and report.year == 2022


def test_text_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_ingest, "MAX_TEXT_BYTES", 1000)
    err = _error("long.txt", "年度报告\n".encode() * 200)
    assert err.kind == "too_large" and "文本文件大小超出上限" in err.reason


# --------------------------------------------------------------------------- PDF

def test_pdf_inflate_bomb_refused_before_pdfium(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfscan, "MAX_STREAM_INFLATED", limits.MiB)
    bomb = make_hostile.inflate_bomb_pdf(3 * limits.MiB)
    assert len(bomb) < 20_000
    err = _error("bomb.pdf", bomb)
    assert err.kind == "too_large" and err.reason.startswith("PDF 内容流解压后的大小超出上限（上限 1 MB）")
    ok = make_hostile.inflate_bomb_pdf(limits.MiB // 2)  # under the limit: read (a blank page)
    assert pdfscan.check_streams(ok, "ok.pdf") == limits.MiB // 2


def test_pdf_total_inflated_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (FORMS / f"{SEED}.lo.pdf").read_bytes()
    total = pdfscan.check_streams(data, "seed.pdf")
    assert total > 100_000  # fonts and page contents
    monkeypatch.setattr(pdfscan, "MAX_TOTAL_INFLATED", total - 1)
    with pytest.raises(NianbaoError) as err:
        pdfscan.check_streams(data, "seed.pdf")
    assert "PDF 全部数据流解压后的总大小超出上限" in err.value.reason


def test_inflated_size_stops_counting_past_the_limit() -> None:
    import zlib

    stream = zlib.compress(b"x" * (10 * limits.MiB))
    assert pdfscan.inflated_size(stream, 100 * limits.MiB) == 10 * limits.MiB
    assert limits.MiB < pdfscan.inflated_size(stream, limits.MiB) <= limits.MiB + pdfscan.OUT_CHUNK
    assert pdfscan.inflated_size(b"not zlib at all", limits.MiB) == 0


# --------------------------------------------------------------------------- encodings

def _seed_page() -> str:
    return (FORMS / f"{SEED}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("declare", [True, False])
def test_big5_page_reads_as_simplified_and_keeps_the_original(declare: bool) -> None:
    data = make_hostile.big5_page(declare)
    doc = read_bytes(data, "big5.html")
    assert doc.meta["encoding"] == "big5hkscs→简体"
    assert "政府資訊公開" in doc.meta["original_text"] or "政府信息公開" in doc.meta["original_text"]
    report = extract(doc)
    assert report.agency == AGENCY and report.year == 2022
    assert [v.value for v in report.applications["new"]] == [12, 2, 0, 0, 0, 0, 14]  # the statistics table read


def test_big5_text_reads() -> None:
    doc = read_document(HOSTILE / "text-big5.txt")
    assert doc.meta["encoding"] == "big5hkscs→简体" and "報告" in doc.meta["original_text"]
    assert extract(doc).agency == AGENCY


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_pages_without_bom_read(encoding: str) -> None:
    data = _seed_page().replace('charset="utf-8"', "").encode(encoding)
    assert wide_encoding(data) == encoding
    assert extract(read_bytes(data, "page.html")).agency == AGENCY
    assert extract(read_bytes(data, None)).agency == AGENCY  # sniffed as HTML without a file name


def test_utf16_text_without_bom_reads() -> None:
    assert extract(read_document(HOSTILE / "text-utf16le.txt")).agency == AGENCY


def test_shift_jis_is_an_encoding_error() -> None:
    err = _error(HOSTILE / "page-shiftjis.html")
    assert err.kind == "encoding" and "编码" in err.reason and "日文" in err.reason
    text_err = _error("jp.txt", "情報公開の実施状況について、請求件数をお知らせします。\n".encode("shift_jis") * 20)
    assert text_err.kind == "encoding" and "编码" in text_err.reason


def test_simplified_gbk_is_not_mistaken_for_big5() -> None:
    data = (FORMS / "003_2a799143023ee02c.gbk-nometa.html").read_bytes()
    text, encoding = decode(data)
    assert encoding == "gb18030" and "王喆" in text


def test_binary_with_nuls_is_still_refused() -> None:
    err = _error("blob.txt", bytes(range(256)) * 64)
    assert err.kind == "binary"


# --------------------------------------------------------------------------- images and scans (OCR)

def test_image_pixel_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("rapidocr")
    from nianbao.ingest import ocr

    monkeypatch.setattr(ocr, "MAX_IMAGE_PIXELS", 1_000_000)
    err = _error(FORMS / "003_2a799143023ee02c.scan-p2.png")
    assert err.kind == "too_large" and "图片像素数超出上限" in err.reason and "上限 1,000,000" in err.reason


def test_ocr_page_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("rapidocr")
    from nianbao.ingest import ocr

    monkeypatch.setattr(ocr, "MAX_OCR_PAGES", 2)
    err = _error(FORMS / "003_2a799143023ee02c.scan.pdf")
    assert err.kind == "too_large" and "需要 OCR 识别的扫描页数超出上限（4，上限 2）" in err.reason
