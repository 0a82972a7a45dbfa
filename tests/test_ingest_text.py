"""Text as extraction tools leave it: flattened tables in several shapes, encodings, bad files."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import nianbao
from conftest import load_truth, seed_text, wrong_cells
from nianbao.errors import NianbaoError, NotAReportError
from nianbao.normalize import label_key, repair

SEED3 = "003_2a799143023ee02c"


def _parse_text(tmp_path: Path, text: str, name: str = "r.txt", encoding: str = "utf-8") -> dict:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return nianbao.parse(path).to_dict()


def test_markdown_pipe_tables(tmp_path: Path) -> None:
    lines = []
    for line in seed_text(SEED3).splitlines():
        lines.append("| " + " | ".join(line.split("\t")) + " |" if "\t" in line else line)
    got = _parse_text(tmp_path, "\n".join(lines))
    assert wrong_cells(got, load_truth(SEED3)) == []


def test_space_separated_rows(tmp_path: Path) -> None:
    """Tabs flattened to spaces: the blank 行政复议 cells vanish, right-alignment restores them."""
    text = re.sub(r"\t+", " ", seed_text(SEED3))
    got = _parse_text(tmp_path, text)
    assert wrong_cells(got, load_truth(SEED3)) == []
    assert got["review_litigation"]["review"] == [None] * 5


def test_one_value_per_line(tmp_path: Path) -> None:
    out = []
    for line in seed_text(SEED3).splitlines():
        out.extend(c for c in line.split("\t") if c.strip()) if "\t" in line else out.append(line)
    got = _parse_text(tmp_path, "\n".join(out))
    assert wrong_cells(got, load_truth(SEED3)) == []


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    got = _parse_text(tmp_path, seed_text(SEED3), encoding=encoding)
    assert got["agency"] == "偃师区人民政府办公室"
    assert wrong_cells(got, load_truth(SEED3)) == []


def test_repair_radicals_and_fullwidth() -> None:
    assert repair("⼀⼆⼯⼈⺠⻔⼾") == "一二工人民门户"
    assert repair("１２３．５") == "123.5"
    assert repair("（一）予以公开") == "（一）予以公开"  # CJK punctuation kept for display
    assert label_key("（二）部分公开（区分处 理的，只计这一情形）") == label_key("(二)部分公开(区分处理的,只计这一情形)")


@pytest.mark.parametrize(
    ("content", "kind", "reason"),
    [
        (b"", "empty", "文件为空"),
        (b"   \n\n", "empty", "文件为空"),
        (bytes(range(256)) * 40, "binary", "二进制"),
        ("今天天气很好，我们去公园散步。\n晚上吃饭。\n".encode(), "not_a_report", "不是政府信息公开工作年度报告"),
    ],
)
def test_bad_input_gives_a_clear_reason(tmp_path: Path, content: bytes, kind: str, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(NianbaoError) as err:
        nianbao.parse(path)
    assert err.value.kind == kind
    assert reason in err.value.reason
    assert str(path) in str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NianbaoError, match="文件不存在"):
        nianbao.parse(tmp_path / "nope.txt")


def test_pre2019_report_is_rejected(tmp_path: Path) -> None:
    text = ("某某县统计局2016年政府信息公开工作年度报告\n一、概述\n本局2016年……\n二、主动公开政府信息情况\n"
            "三、依申请公开政府信息情况\n非本部门掌握\t2\n信息不存在\t1\n四、政府信息公开的收费及减免情况\n无\n")
    with pytest.raises(NotAReportError, match="2019年以前"):
        _parse_text(tmp_path, text)


def test_agency_from_the_line_above_a_title_without_one(tmp_path: Path) -> None:
    text = seed_text(SEED3).replace("偃师区人民政府办公室2022年政府信息公开 工作年度报告",
                                    "偃师区人民政府办公室\n2022年度政府信息公开工作年度报告")
    got = _parse_text(tmp_path, text)
    assert got["agency"] == "偃师区人民政府办公室"
    assert got["year"] == 2022


def test_table4_header_and_values_interleaved() -> None:
    """``结果维持 1 结果纠正 0 …``: each header label followed by its value."""
    report = nianbao.parse(Path(__file__).parent / "fixtures" / "interleaved-t4.txt")
    assert [v.value for v in report.review_litigation["review"]] == [1, 0, 0, 0, 1]
    assert [v.value for v in report.review_litigation["litigation_direct"]] == [0, 2, 0, 0, 2]
    assert [v.value for v in report.review_litigation["litigation_after_review"]] == [0, 0, 0, 3, 3]


def test_rows_numbered_differently_or_not_at_all(tmp_path: Path) -> None:
    """（1）属于国家秘密 / 属于国家秘密 with no number: matched by the label core."""
    text = seed_text(SEED3).replace("1.属于国家 秘密", "（1）属于国家秘密").replace("2.重复申请", "重复申请")
    got = _parse_text(tmp_path, text)
    assert wrong_cells(got, load_truth(SEED3)) == []


def test_tables_found_by_their_anchor_lines_when_headings_are_missing(tmp_path: Path) -> None:
    """No 二/三/四 headings: each table starts at its own header line and ends where the next starts."""
    text = seed_text(SEED3)
    for heading in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"):
        text = text.replace(heading + "\n", "")
    report = nianbao.parse(_write(tmp_path, text))
    assert wrong_cells(report.to_dict(), load_truth(SEED3)) == []
    assert "applications" not in report.sections


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_html_markup_left_in_text(tmp_path: Path) -> None:
    """``&nbsp;`` blank cells and ``<br>`` inside labels, as naive HTML-to-text tools leave them."""
    original = seed_text(SEED3)
    text = original.replace("(二) 部分公开", "(二) 部分<br>公开").replace("\t\t49\t", "\t&nbsp;\t49\t")
    text = text.replace("行政许可\t27732", "行政许可\t<span style=\"mso-x\">27732</span>")
    assert text.count("<br>") == 1 and text.count("&nbsp;") == 1 and text.count("<span") == 1
    got = _parse_text(tmp_path, text)
    assert wrong_cells(got, load_truth(SEED3)) == []


def test_a_subtotal_column_the_template_lacks(tmp_path: Path) -> None:
    """A locality's 小计 column after 其他: read around, left out, and reported (D-08)."""
    lines = []
    for line in seed_text(SEED3).splitlines():
        cells = line.split("\t")
        while cells and not cells[-1].strip():
            cells.pop()
        if line.startswith("\t\t人\t"):  # the header row of the five 法人 columns
            cells.append("小计")
        elif (len(cells) >= 8 and all(c.strip().isdigit() for c in cells[-7:])
              and any(c.strip() and not c.strip().isdigit() for c in cells)):  # labelled table-三 rows
            orgs = sum(int(c) for c in cells[-6:-1])
            cells.insert(len(cells) - 1, str(orgs))
        lines.append("\t".join(cells))
    text = "\n".join(lines)
    assert "小计" in text and "\t49\t1\t0\t0\t0\t0\t1\t50" in text
    report = nianbao.parse(_write(tmp_path, text))
    assert wrong_cells(report.to_dict(), load_truth(SEED3)) == []
    assert [n.data["index"] for n in report.notes if n.kind == "extra_column"] == [6]
    assert "TABLE-EXTRA-COLUMN" in {f.rule for f in nianbao.check_report(report)}
