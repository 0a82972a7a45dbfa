"""A report laid out as `pdftotext -layout` prints it: padded columns, a vertical
三、本年度办理结果, labels wrapped with the numbers on the second line, and a table 四
whose header is broken mid-word over several lines. Built from seed 003's truth."""
from __future__ import annotations

from pathlib import Path

import nianbao
from conftest import load_truth, wrong_cells
from nianbao.templates import T2021

SEED3 = "003_2a799143023ee02c"
HEAD = """偃师区人民政府办公室2022年政府信息公开工作年度报告
一、总体情况
    本年度……
二、主动公开政府信息情况
              第二十条第（一）项
  信息内容      本年制发件数    本年废止件数     现行有效件数
  规章               0              0                0
  行政规范性文件     5             38               47
              第二十条第（五）项
  信息内容                 本年处理决定数量
  行政许可                      27732
              第二十条第（六）项
  信息内容                 本年处理决定数量
  行政处罚                       4068
  行政强制                        219
              第二十条第（八）项
  信息内容            本年收费金额（单位：万元）
  行政事业性收费                11384.8489
三、收到和处理政府信息公开申请情况
                                              申请人情况
  （本列数据的勾稽关系为：第一项加                          法人或其他组织
  第二项之和，等于第三项加第四项之和）      自然人   商业   科研   社会公   法律服   其他    总计
                                                  企业   机构   益组织   务机构
"""
TAIL = """四、政府信息公开行政复议、行政诉讼情况
            行政复议                                  行政诉讼
  结果   结果   其他   尚未   总计      未经复议直接起诉              复议后起诉
  维持   纠正   结果   审结             结果 结果 其他 尚未 总计  结果 结果 其他 尚未 总计
                                       维持 纠正 结果 审结       维持 纠正 结果 审结
                                         0    0    0    0    0     1    1    0    0    2
五、存在的主要问题及改进情况
  无
六、其他需要报告的事项
  无
"""


def layout_text() -> str:
    truth = load_truth(SEED3)
    vertical = iter("三、本年度办理结果")
    lines = []
    for row in T2021.applications:
        values = "  ".join(str(v) for v in truth["applications"][row.key])
        side = "" if row.key in ("new", "carried_over") else next(vertical, "")
        if row.group and row.label.startswith("1."):
            lines.append(f"  {side}   {row.group}")
            side = ""
        if len(row.label) > 16:
            lines.append(f"  {side}   {row.label[:16]}")
            lines.append(f"      {row.label[16:]}    {values}")
        else:
            lines.append(f"  {side}   {row.label}      {values}")
    return HEAD + "\n".join(lines) + "\n" + TAIL


def test_layout_text_reads_like_the_tab_text(tmp_path: Path) -> None:
    path = tmp_path / "layout.txt"
    path.write_text(layout_text(), encoding="utf-8")
    report = nianbao.parse(path)
    assert wrong_cells(report.to_dict(), load_truth(SEED3)) == []
    assert report.review_litigation["review"][0].status == "blank"
    assert list(report.sections) == ["overview", "active_disclosure", "applications", "review_litigation",
                                     "problems", "other_matters"]
