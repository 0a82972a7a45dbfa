"""Pages whose report a script writes: the script's strings → markup → read like inline markup."""
from __future__ import annotations

import lxml.html
import pytest

from nianbao.errors import NianbaoError
from nianbao.ingest.html import read
from nianbao.ingest.html_script import inline_scripts, js_unescape, markup_candidates, string_values

_TABLE = ("<table><tr><td rowspan=2>信息内容</td><td>规章</td><td>行政许可</td></tr>"
          "<tr><td>3</td><td>4</td></tr></table>")
_ARTICLE = ("<p>某局2022年政府信息公开工作年度报告</p><p>一、总体情况</p><p>正文。</p>"
            "<p>二、主动公开政府信息情况</p>" + _TABLE + "<p>六、其他需要报告的事项</p><p>无。</p>")


def test_escapes_are_decoded() -> None:
    assert js_unescape(r"a\'b\"c\/d\ne\x3cf\u003eg\u{4e00}") == "a'b\"c/d\ne<f>g一"
    assert js_unescape("line\\\ncontinued") == "linecontinued"


def test_literals_joined_by_plus_are_one_value() -> None:
    source = """var a = '<p>' + "x" + // a comment
        '</p>'; /* 'not this' */ var b = '<td>' + n.count + '</td>';
        s += '<tr>'; s += `<td>${v}</td>`;"""
    assert list(string_values(source)) == ["<p>x</p>", "<td></td>", "<tr>", "<td>${v}</td>"]
    assert list(string_values("f('http://a/b')")) == ["http://a/b"]


def test_markup_candidates_largest_value_then_all_in_order() -> None:
    writes = "\n".join(f"document.write('<p>{i}<\\/p>');" for i in range(4))
    assert markup_candidates(writes) == ["<p>0</p><p>1</p><p>2</p><p>3</p>"]
    one = "var t = '<span>x</span>'; var c = '<div><p>a</p><table><tr><td>1</td></tr></table></div>';"
    assert markup_candidates(one) == ["<div><p>a</p><table><tr><td>1</td></tr></table></div>",
                                      "<span>x</span><div><p>a</p><table><tr><td>1</td></tr></table></div>"]
    encoded = "var c = '&lt;div&gt;&lt;p&gt;a&amp;nbsp;&lt;/p&gt;&lt;span&gt;b&lt;/span&gt;&lt;/div&gt;';"
    assert markup_candidates(encoded) == ["<div><p>a&nbsp;</p><span>b</span></div>"]
    assert markup_candidates("var a = '<a href=x>link</a>';") == []  # a snippet, not an article


def _tree(page: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(page)


def _anchors(root: lxml.html.HtmlElement) -> list:
    return [el for el in root.iter("p") if (el.text or "").startswith(("一、", "二、", "六、"))]


def test_written_markup_goes_where_the_browser_puts_it() -> None:
    parse = _tree
    # into the element the script names
    root = _tree("<html><head><script>var c = '" + _ARTICLE + "';</script></head><body><nav>首页</nav>"
                 "<div id=zoom><p>加载中</p></div><script>$('#zoom').html(c);</script></body></html>")
    assert inline_scripts(root, parse, _anchors)
    zoom = root.get_element_by_id("zoom")
    assert [p.text for p in zoom.iter("p")][:2] == ["某局2022年政府信息公开工作年度报告", "一、总体情况"]
    assert "加载中" not in zoom.text_content()
    # in place of the script, the text around it kept
    root = _tree("<html><body><div>前<script>document.write('" + _ARTICLE.replace("/", "\\/") + "')</script>后"
                 "</div></body></html>")
    assert inline_scripts(root, parse, _anchors)
    div = root.find(".//div")
    assert div.text_content().startswith("前某局") and div.text_content().endswith("无。后")
    # nothing to write: a page whose own markup holds as many anchors
    root = _tree("<html><body>" + _ARTICLE + "<script>document.write('" + _ARTICLE + "')</script></body></html>")
    assert not inline_scripts(root, parse, _anchors)


@pytest.mark.parametrize("script", [
    "document.write('" + _ARTICLE.replace("/", "\\/").replace("<", "\\x3c") + "');",
    "var content = \"" + _ARTICLE.replace("<", "\\u003c").replace("\"", "\\\"") + "\";\n$(\"#zoom\").html(content);",
    "$('#zoom').html(" + " +\n".join(f"'{part}'" for part in _ARTICLE.split("<p>")[1:] for part in ["<p>" + part]) + ");",
    "var c = '" + _ARTICLE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "';\n"
    "document.getElementById('zoom').innerHTML = decode(c);",
], ids=["document.write-x3c", "var-u003c", "concat", "entities"])
def test_page_written_by_a_script_reads_like_inline_markup(script: str) -> None:
    page = ("<html><head><title>某局2022年政府信息公开工作年度报告_某局</title></head><body>"
            "<div class=nav><a href=/>首页</a> <a href=/zwgk/>政务公开</a></div>"
            f"<div id=zoom></div><script>{script}</script><div class=footer>版权所有：某局</div></body></html>")
    doc = read(page.encode("utf-8"), "page.html")
    assert doc.meta["embedded"] == "script"
    texts = [b.text for b in doc.blocks if hasattr(b, "text")]
    assert "一、总体情况" in texts and "六、其他需要报告的事项" in texts
    assert not any("首页" in t or "版权所有" in t for t in texts)  # chrome removed as for inline markup
    (table,) = [b for b in doc.blocks if hasattr(b, "rows")]
    assert [[c.text for c in row] for row in table.rows] == [["信息内容", "规章", "行政许可"], ["信息内容", "3", "4"]]
    assert table.rows[1][0].copy_of == (0, 0)


def test_page_without_a_report_in_its_scripts_is_still_refused(tmp_path) -> None:
    from nianbao.api import parse_file

    page = tmp_path / "news.html"
    page.write_text("<html><body><p>新闻</p><script>document.write('<div><p>广告</p><span>x</span></div>')"
                    "</script></body></html>", encoding="utf-8")
    with pytest.raises(NianbaoError, match="不是政府信息公开工作年度报告"):
        parse_file(page)
