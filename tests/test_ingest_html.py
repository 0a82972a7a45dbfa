"""The HTML ingester: every web form of a seed gives the seed's numbers; grids, chrome, encodings, errors.

Fixtures come from ``scripts/make_fixtures.py`` (committed; no LibreOffice/Chromium needed here).
"""
from __future__ import annotations

import pytest

import nianbao
from conftest import ROOT, load_truth, wrong_cells
from nianbao.document import Paragraph, Table
from nianbao.errors import NianbaoError, NotAReportError
from nianbao.extract import extract
from nianbao.ingest import read_bytes, read_document, sniff
from nianbao.ingest.html import cell_text, decode_html, read, table_grid, unwrap_embedded

FORMS = ROOT / "tests" / "fixtures" / "forms"
PINGTAN = ROOT.parent / "shared" / "corpus-dev" / "fj-2021-pingtan-gov-html.html"  # ../shared beside the repository

HTML_FORMS = [
    "001_203072e8f6b1ea52.html",
    "002_e36d426879923bc1.html",
    "003_2a799143023ee02c.html",
    "003_2a799143023ee02c.gbk.html",
    "003_2a799143023ee02c.gbk-nometa.html",
    "002_e36d426879923bc1.json",
]


def _seed(name: str) -> str:
    return name.split(".", 1)[0]


@pytest.mark.parametrize("name", HTML_FORMS)
def test_every_cell_of_every_html_form_matches_the_seed_truth(name: str) -> None:
    report = nianbao.parse(FORMS / name)
    truth = load_truth(_seed(name))
    assert report.form == "html"
    assert wrong_cells(report.to_dict(), truth) == []
    assert report.agency == truth["agency"]
    assert report.year == truth["year"]
    assert report.template == truth["template"]


@pytest.mark.parametrize("name", HTML_FORMS)
def test_chrome_is_not_in_the_paragraphs(name: str) -> None:
    doc = read_document(FORMS / name)
    text = "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    for chrome in ("导航", "附件下载", "相关链接", "当前位置", "您现在的位置", "上一篇", "下一篇", "分享到", "版权所有",
                   "备案号", "ICP备", "责任编辑", "喆", "浏览次数", "打印", "doZoom", "_hmt"):
        assert chrome not in text, chrome
    # The 相关链接/上一篇 lists name *other* years' reports: none of them may leak in.
    year = load_truth(_seed(name))["year"]
    assert f"{year - 1}年政府信息公开工作年度报告" not in text
    assert [b for b in doc.blocks if isinstance(b, Table)].__len__() == 3


@pytest.mark.parametrize("name", HTML_FORMS)
def test_meta_title_and_published_date(name: str) -> None:
    doc = read_document(FORMS / name)
    truth = load_truth(_seed(name))
    assert truth["agency"] in doc.meta["title"] and str(truth["year"]) in doc.meta["title"]
    assert doc.meta["published"] in ("2021-01-29", "2023-01-16", "2023-01-18")


def test_gbk_pages_decode_with_and_without_declaration() -> None:
    declared = (FORMS / "003_2a799143023ee02c.gbk.html").read_bytes()
    bare = (FORMS / "003_2a799143023ee02c.gbk-nometa.html").read_bytes()
    assert b"charset=gb2312" in declared and b"charset" not in bare
    for data in (declared, bare):
        text, encoding = decode_html(data)
        assert encoding == "gb18030"
        assert "王喆" in text  # the GBK-only character (not in GB2312) survives
        assert text.rstrip().endswith("</HTML>")  # nothing truncated after it


def test_json_response_is_unwrapped() -> None:
    data = (FORMS / "002_e36d426879923bc1.json").read_bytes()
    assert sniff(data, "x.json") == "html"
    doc = read(data, "x.json")
    assert doc.meta["embedded"] == "json/js"
    assert doc.meta["published"] == "2023-01-16"


def test_javascript_string_is_unwrapped() -> None:
    markup, meta = unwrap_embedded("var title = '标题'; var content = '<div><p>一、总体情况<\\/p>"
                                   "<p>\\u4e8c\\u3001x</p><table><tr><td>1</td></tr></table></div>';")
    assert markup.startswith("<div><p>一、总体情况</p><p>二、x</p>")
    assert meta == {}


def test_grid_expansion_of_rowspan_and_colspan() -> None:
    import lxml.html

    html = """<table>
      <tr><td rowspan=2 colspan=2>A</td><td colspan=2>B</td></tr>
      <tr><td>c</td><td rowspan=2>d</td></tr>
      <tr><td>e</td><td>&nbsp;</td><td>f<br>g</td></tr>
      <tr><td colspan=3>h</td></tr>
    </table>"""
    table = lxml.html.fragment_fromstring(html)
    rows = table_grid(table, 4)
    got = [[(c.text, c.copy_of) for c in row] for row in rows]
    assert got == [
        [("A", None), ("A", (0, 0)), ("B", None), ("B", (0, 2))],
        [("A", (0, 0)), ("A", (0, 0)), ("c", None), ("d", None)],
        [("e", None), ("", None), ("f\ng", None), ("d", (1, 3))],
        [("h", None), ("h", (3, 0)), ("h", (3, 0)), ("", None)],  # short row padded with a blank
    ]
    assert rows[2][2].source.table == 4 and (rows[2][2].source.row, rows[2][2].source.col) == (2, 2)
    assert rows[2][2].source.line == 4


def test_cell_text_word_markup_and_line_breaks() -> None:
    import lxml.html

    def text(markup: str) -> str:
        return cell_text(lxml.html.fragment_fromstring(markup))

    assert text("<td><p class=MsoNormal><span style='mso-bidi-font-family:x'>&nbsp;<o:p></o:p></span></p></td>") == ""
    assert text("<td><p><span>&nbsp;5</span></p></td>") == "5"
    assert text("<td><p>结</p><p>果<br>纠</p><p>正</p></td>") == "结果纠正"
    assert text("<td><p>12</p><p>3</p></td>") == "12\n3"  # digits never glued together
    assert text("<td>１２</td>") == "12"  # repaired (full-width digits)


def test_nested_layout_tables_only_leaf_tables_become_tables() -> None:
    page = """<html><body><table><tr><td>
      <table><tr><td><p>偃师区2022年政府信息公开工作年度报告</p><p>一、总体情况</p><p>正文。</p></td></tr></table>
      <table border=1><tr><td>信息内容</td><td>本年处理决定数量</td></tr><tr><td>行政许可</td><td>7</td></tr></table>
    </td></tr></table></body></html>"""
    doc = read(page.encode("utf-8"), "x.html")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    paras = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert len(tables) == 1 and tables[0].rows[1][1].text == "7"
    assert paras[:3] == ["偃师区2022年政府信息公开工作年度报告", "一、总体情况", "正文。"]


def test_page_without_report_is_not_a_report() -> None:
    page = "<html><head><title>首页</title></head><body><div class=nav>网站导航</div><p>欢迎访问。</p></body></html>"
    with pytest.raises(NotAReportError):
        extract(read_bytes(page.encode("utf-8"), "index.html"))


def test_malformed_markup_is_read_leniently() -> None:
    page = "<p>一、总体情况<p>正文<table><tr><td>规章<td>1<td>2<td>3<tr><td>行政许可<td>4</table><div><span>三、"
    doc = read(page.encode("utf-8"), "broken.html")
    assert any(isinstance(b, Table) for b in doc.blocks)


def test_undecodable_bytes_raise_an_encoding_error() -> None:
    data = b"<html><body>" + bytes(range(0x80, 0x100)) * 40
    with pytest.raises(NianbaoError) as info:
        read(data, "bad.html")
    assert info.value.kind == "encoding"
    assert "编码" in info.value.reason


def test_wrong_gb_declaration_on_utf8_bytes() -> None:
    page = '<html><head><meta charset="gb2312"></head><body><p>一、总体情况 政府信息公开</p></body></html>'
    text, encoding = decode_html(page.encode("utf-8"))
    assert encoding == "utf-8" and "总体情况" in text


@pytest.mark.skipif(not PINGTAN.exists(), reason=f"{PINGTAN} is not available (../shared/corpus-dev)")
def test_real_pingtan_page() -> None:
    import json

    truth = json.loads(PINGTAN.with_name("fj-2021-pingtan-gov-html.truth.json").read_text(encoding="utf-8"))
    report = nianbao.parse(PINGTAN)
    assert wrong_cells(report.to_dict(), truth) == []
    assert report.agency == "平潭综合实验区" and report.year == 2021 and report.template == "2021"
    doc = read_document(PINGTAN)
    assert doc.meta["published"] == "2022-02-08"
    text = "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    assert "新媒体矩阵" not in text  # site chrome after the article
