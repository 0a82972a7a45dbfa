"""Title, agency and year in the shapes titles take."""
from __future__ import annotations

import pytest

import nianbao
from nianbao.extract.meta import parse_title


@pytest.mark.parametrize(
    ("title", "agency", "year"),
    [
        ("洛阳市政务服务和大数据管理局 2020 年政府信息公开工作 年度报告", "洛阳市政务服务和大数据管理局", 2020),
        ("2022年度洛阳市机关事务管理局政府信息公开工作年度报告", "洛阳市机关事务管理局", 2022),
        ("洛阳市机关事务管理局关于印发2022年政府信息公开工作年度报告", "洛阳市机关事务管理局", 2022),
        ("2022年政府信息公开工作年度报告_洛阳市机关事务管理局", "洛阳市机关事务管理局", 2022),
        ("2022年度政府信息公开工作年度报告-偃师区人民政府", "偃师区人民政府", 2022),
        ("XX县人民政府2023年政务公开工作年度报告", "XX县人民政府", 2023),
        ("2022年政府信息公开工作年度报告", None, 2022),
    ],
)
def test_parse_title(title: str, agency: str | None, year: int) -> None:
    assert parse_title(title) == (agency, year)


def test_agency_from_the_page_title_when_the_heading_has_none() -> None:
    page = """<html><head><title>2022年政府信息公开工作年度报告_老城区机关事务服务中心</title></head><body>
    <h1>2022年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>本年度……</p>
    <p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>
    <p>四、政府信息公开行政复议、行政诉讼情况</p><p>五、存在的主要问题及改进情况</p><p>无</p>
    <p>六、其他需要报告的事项</p><p>无</p></body></html>"""
    report = nianbao.parse_bytes(page.encode("utf-8"), "page.html")
    assert report.agency == "老城区机关事务服务中心" and report.year == 2022
