"""Mutation tests: one change to a seed's text, exactly the findings that change implies."""
from __future__ import annotations

import pytest

from conftest import seed_text
from nianbao.checks import ERROR, INFO, WARNING, Context, Finding, run_checks
from nianbao.extract import extract
from nianbao.ingest.text import read_text
from nianbao.report import Report

S000, S001, S002, S003 = "000_a122145f4d95bb2d", "001_203072e8f6b1ea52", "002_e36d426879923bc1", "003_2a799143023ee02c"
ARITHMETIC = {"T3-COLUMN-BALANCE", "T3-RESULT-SUM", "T3-ROW-TOTAL", "T4-BLOCK-TOTAL"}


def parse(text: str) -> Report:
    return extract(read_text(text, "mutated.txt"))


def check(text: str, **settings) -> list[Finding]:
    return run_checks(parse(text), context=Context(settings=settings))


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def rules_of(fs: list[Finding], severities=(ERROR, WARNING)) -> list[str]:
    return sorted(f.rule for f in fs if f.severity in severities)


def new_findings(before: list[Finding], after: list[Finding]) -> list[Finding]:
    old = {(f.rule, f.message) for f in before}
    return [f for f in after if (f.rule, f.message) not in old]


# ------------------------------------------------------------------ arithmetic
def test_one_number_changed_breaks_b2_and_b3_not_b1() -> None:
    text = seed_text(S003)
    after = check(replace_once(text, "(一) 予以公开\t16\t0", "(一) 予以公开\t17\t0"))
    fs = new_findings(check(text), after)
    assert sorted(f.rule for f in fs) == ["T3-RESULT-SUM", "T3-ROW-TOTAL"]
    b2 = next(f for f in fs if f.rule == "T3-RESULT-SUM")
    assert b2.data == {"column": "natural_person", "total": 56, "sum": 57}
    assert b2.cells[:2] == ["applications.processed_total.natural_person", "applications.granted.natural_person"]
    assert "自然人" in b2.message and "（七）总计" in b2.message and b2.location.line == 74
    b3 = next(f for f in fs if f.rule == "T3-ROW-TOTAL")
    assert b3.data == {"row": "granted", "total": 16, "sum": 17}
    assert b3.cells[-1] == "applications.granted.total" and "（一）予以公开" in b3.message
    assert all(f.severity == ERROR for f in fs)


def test_changed_total_breaks_b1_and_b2_in_that_column() -> None:
    text = seed_text(S003)
    mutated = replace_once(text, "(七) 总计\t56\t1", "(七) 总计\t55\t1")
    fs = [f for f in check(mutated) if f.rule in ARITHMETIC]
    assert sorted(f.rule for f in fs) == ["T3-COLUMN-BALANCE", "T3-RESULT-SUM", "T3-ROW-TOTAL"]
    balance = next(f for f in fs if f.rule == "T3-COLUMN-BALANCE")
    assert balance.data == {"column": "natural_person", "left": 56, "right": 55}
    assert balance.cells == [f"applications.{r}.natural_person"
                             for r in ("new", "carried_over", "processed_total", "carried_forward")]
    assert "一、本年新收政府信息公开申请数量(49)" in balance.message


def test_table4_block_total() -> None:
    text = seed_text(S003)
    mutated = replace_once(text, "0\t1\t1\t0\t0\t2\n", "0\t1\t1\t0\t0\t3\n")
    fs = [f for f in check(mutated) if f.rule in ARITHMETIC]
    assert [f.rule for f in fs] == ["T4-BLOCK-TOTAL"]
    assert fs[0].data == {"block": "litigation_after_review", "total": 3, "sum": 2}
    assert fs[0].cells[-1] == "review_litigation.litigation_after_review.total"
    assert "复议后起诉" in fs[0].message


def test_blank_cell_skips_the_relation_instead_of_counting_zero() -> None:
    text = seed_text(S003)
    mutated = replace_once(text, "(一) 予以公开\t16\t0", "(一) 予以公开\t\t0")
    fs = check(mutated)
    assert not [f for f in fs if f.rule in ARITHMETIC]
    blank = [f for f in fs if f.rule == "CELL-NOT-FILLED" and f.data["rows"] == ["granted"]]
    assert len(blank) == 1 and blank[0].cells == ["applications.granted.natural_person"]
    assert blank[0].severity == WARNING


def test_placeholder_in_total_is_a_warning_and_named() -> None:
    text = seed_text(S003)
    mutated = replace_once(text, "(一) 予以公开\t16\t0\t0\t0\t0\t0\t16", "(一) 予以公开\t16\t0\t0\t0\t0\t0\t/")
    fs = [f for f in check(mutated) if f.rule == "CELL-NOT-FILLED" and f.data["table"] == "applications"]
    assert len(fs) == 1 and fs[0].severity == WARNING
    assert fs[0].cells == ["applications.granted.total"]
    assert "「（一）予以公开」行总计填写为「/」" in fs[0].message


def test_many_blank_rows_are_one_finding_per_table() -> None:
    """Zero cells left blank across many rows: one finding for table 三, rows named once per
    column pattern, blanks and placeholders apart, in template order."""
    text = seed_text(S003)
    for label in ("2.其他法律 行政法规禁 止公开", "3.危及“三安 全一稳定”"):
        text = replace_once(text, label + "\t0\t0\t0\t0\t0\t0\t0", label + "\t" * 7)
    text = replace_once(text, "(一) 予以公开\t16\t0\t0\t0\t0\t0\t16", "(一) 予以公开\t16\t/\t/\t0\t0\t0\t16")
    fs = [f for f in check(text) if f.rule == "CELL-NOT-FILLED" and f.data["table"] == "applications"]
    assert len(fs) == 1 and fs[0].severity == WARNING
    assert fs[0].data["rows"] == ["granted", "denied_law_prohibited", "denied_three_safety"]
    assert len(fs[0].cells) == 2 + 14
    assert fs[0].message == (
        "第三部分有 16 个单元格未填写数字：「（一）予以公开」行商业企业、科研机构填写为「/」；"
        "「（三）不予公开 2.其他法律行政法规禁止公开」「（三）不予公开 3.危及“三安全一稳定”」行全部 7 列为空白。没有发生的应填 0")


# ------------------------------------------------------------------ values
def test_fraction_and_negative_counts() -> None:
    text = seed_text(S003)
    mutated = replace_once(text, "行政处罚\t4068", "行政处罚\t4068.5")
    mutated = replace_once(mutated, "行政强制\t219", "行政强制\t-219")
    fs = check(mutated)
    frac = [f for f in fs if f.rule == "VALUE-NOT-INTEGER"]
    neg = [f for f in fs if f.rule == "VALUE-NEGATIVE"]
    assert [f.cells for f in frac] == [["active.punishment.decisions"]]
    assert [f.cells for f in neg] == [["active.coercion.decisions"]]
    assert "4068.5" in frac[0].message and "行政处罚" in frac[0].message and "本年处理决定数量" in frac[0].message


def test_signed_change_of_2019_template_may_be_negative() -> None:
    text = seed_text(S001)
    mutated = replace_once(text, "行政许可\t0\t0\t0", "行政许可\t5\t-2\t0")
    fs = check(mutated)
    assert not [f for f in fs if f.rule == "VALUE-NEGATIVE"]
    mutated = replace_once(text, "行政许可\t0\t0\t0", "行政许可\t1\t-2\t0")
    soft = [f for f in check(mutated) if f.rule == "T2-2019-ITEMS"]
    assert len(soft) == 1 and soft[0].severity == INFO


def test_fee_decimals_header_rule_and_setting() -> None:
    text = seed_text(S000)  # header says 保留4位小数
    five = replace_once(text, "⾏政事业性收费 0", "⾏政事业性收费 12.34567")
    fs = [f for f in check(five) if f.rule == "FEE-DECIMALS"]
    assert len(fs) == 1 and fs[0].cells == ["active.fees.amount"] and fs[0].data == {"decimals": 5, "required": 4}
    four = replace_once(text, "⾏政事业性收费 0", "⾏政事业性收费 12.3456")
    assert not [f for f in check(four) if f.rule == "FEE-DECIMALS"]
    # seed 003 prints no decimals rule in its header: only a local setting turns the rule on
    t3 = seed_text(S003)
    assert not [f for f in check(t3) if f.rule == "FEE-DECIMALS"]
    assert [f.data for f in check(t3, fee_decimals=2) if f.rule == "FEE-DECIMALS"] == [{"decimals": 4, "required": 2}]


def test_unit_in_fee_cell() -> None:
    text = seed_text(S003)
    mutated = replace_once(text, "行政事业性收费\t11384.8489", "行政事业性收费\t251000元")
    fs = [f for f in check(mutated) if f.rule == "UNIT-IN-CELL"]
    assert len(fs) == 1 and fs[0].severity == WARNING and fs[0].cells == ["active.fees.amount"]
    assert "万元" in fs[0].message


def test_fee_narrative_magnitude() -> None:
    text = seed_text(S003)
    mutated = replace_once(text, "加强培训力度，提高工作人员履职能力。",
                           "全年行政事业性收费共计11384.8489元。")
    fs = [f for f in check(mutated) if f.rule == "FEE-MAGNITUDE"]
    assert len(fs) == 1 and fs[0].cells == ["active.fees.amount"]
    fine = replace_once(text, "加强培训力度，提高工作人员履职能力。", "全年行政事业性收费共计11384.85万元。")
    assert not [f for f in check(fine) if f.rule == "FEE-MAGNITUDE"]


# ------------------------------------------------------------------ completeness
@pytest.mark.parametrize("line,row", [
    ("2.重复申请 0 0 0 0 0 0 0\n", "rejected_duplicate"),
    ("（⼀）予以公开 0 0 0 0 0 0 0\n", "granted"),
    ("四、结转下年度继续办理 0 0 0 0 0 0 0\n", "carried_forward"),
])
def test_deleted_row_is_reported_for_exactly_that_row(line: str, row: str) -> None:
    fs = check(replace_once(seed_text(S000), line, ""))
    missing = [f for f in fs if f.rule == "ROW-MISSING"]
    assert [f.data["row"] for f in missing] == [row]
    assert missing[0].severity == ERROR and missing[0].cells[0] == f"applications.{row}.natural_person"


def test_deleted_active_row() -> None:
    fs = check(replace_once(seed_text(S000), "规章 0 0 0\n", ""))
    missing = [f for f in fs if f.rule == "ROW-MISSING"]
    assert [(f.data["table"], f.data["row"]) for f in missing] == [("active", "regulations")]
    assert "第二部分" in missing[0].message and "规章" in missing[0].message


def test_removed_section_is_missing() -> None:
    text = seed_text(S000)
    i, j = text.index("五、存在的主要问题"), text.index("六、其他需要报告")
    mutated = text[:i] + text[j:]
    fs = check(mutated)
    missing = [f for f in fs if f.rule == "SECTION-MISSING"]
    assert len(missing) == 1 and missing[0].data == {"section": "problems"} and missing[0].severity == ERROR
    assert "五、存在的主要问题及改进情况" in missing[0].message
    # located where it should have been: at the heading of 六
    assert missing[0].location.line == mutated[: mutated.index("六、其他需要报告")].count("\n") + 1
    assert rules_of(fs) == ["SECTION-MISSING"]


def test_removed_table_is_missing_once() -> None:
    text = seed_text(S000)
    i, j = text.index("四、政府信息公开⾏政复议"), text.index("五、存在的主要问题")
    fs = check(text[:i] + text[j:])
    tables = [f for f in fs if f.rule == "TABLE-MISSING"]
    assert [f.data["table"] for f in tables] == ["review_litigation"]
    assert [f.data["section"] for f in fs if f.rule == "SECTION-MISSING"] == ["review_litigation"]


def test_sections_out_of_order() -> None:
    text = seed_text(S000)
    i, k = text.index("五、存在的主要问题"), text.index("六、其他需要报告")
    fs = check(text[:i] + text[k:] + "\n" + text[i:k])
    assert rules_of(fs) == ["SECTION-ORDER"]


def test_empty_problems_section() -> None:
    text = seed_text(S000)
    i, k = text.index("五、存在的主要问题"), text.index("六、其他需要报告")
    fs = check(text[:i] + "五、存在的主要问题及改进情况\n\n无\n\n" + text[k:])
    assert rules_of(fs) == ["PROBLEMS-EMPTY"]


# ------------------------------------------------------------------ template and year
def test_2019_template_in_a_2022_report_is_an_error() -> None:
    text = replace_once(seed_text(S001), "2020 年政府信息公开工作 年度报告", "2022 年政府信息公开工作 年度报告")
    fs = [f for f in check(text) if f.rule == "TEMPLATE-YEAR"]
    assert len(fs) == 1 and fs[0].severity == ERROR and "2022" in fs[0].message and "〔2021〕30号" in fs[0].message


def test_2021_template_in_a_2020_report_is_a_warning() -> None:
    text = replace_once(seed_text(S000), "市机关事务管理局2022年政府信息公开⼯作年度报告",
                        "市机关事务管理局2020年政府信息公开⼯作年度报告")
    fs = [f for f in check(text) if f.rule == "TEMPLATE-YEAR"]
    assert len(fs) == 1 and fs[0].severity == WARNING


def test_mixed_templates() -> None:
    text = replace_once(seed_text(S003), "行政事业性收费\t11384.8489", "行政事业性收费\t11384.8489\n政府集中采购\t1\t2")
    fs = [f for f in check(text) if f.rule == "TEMPLATE-MIXED"]
    assert len(fs) == 1 and "政府集中采购" in fs[0].message


def test_statistics_period_of_another_year() -> None:
    text = seed_text(S000)
    period = "本报告所列数据的统计期限自2021年1月1日起至12月31日止。\n"
    fs = check(replace_once(text, "⼀、总体情况\n", "⼀、总体情况\n" + period))
    assert rules_of(fs) == ["YEAR-MISMATCH"]
    ok = check(replace_once(text, "⼀、总体情况\n", "⼀、总体情况\n" + period.replace("2021", "2022")))
    assert rules_of(ok) == [] and not [f for f in ok if f.rule == "PERIOD-MISSING"]


def test_headline_of_another_year_inside_the_text() -> None:
    text = seed_text(S002)
    anchor = "（一）主动公开\n"
    fs = check(replace_once(text, anchor, "孟津区人民政府办公室2021年政府信息公开工作年度报告\n" + anchor))
    hits = [f for f in fs if f.rule == "YEAR-MISMATCH"]
    assert len(hits) == 1 and hits[0].severity == WARNING and "2021" in hits[0].message
    # a mention of last year's report inside a sentence is not a headline
    fs = check(replace_once(text, anchor, "对照《2021年政府信息公开工作年度报告》所列问题逐项整改。\n" + anchor))
    assert not [f for f in fs if f.rule == "YEAR-MISMATCH"]


# ------------------------------------------------------------------ narrative vs tables
def test_narrative_count_contradicts_table() -> None:
    text = seed_text(S003)
    anchor = "依法依规做好政府信息依申请公开工作。"
    fs = check(replace_once(text, anchor, anchor + "全年共收到政府信息公开申请60件。"))
    hits = [f for f in fs if f.rule == "NARRATIVE-VS-TABLE"]
    assert len(hits) == 1 and hits[0].severity == WARNING and hits[0].data["stated"] == 60
    assert hits[0].cells == ["applications.new.total"] and "50" in hits[0].message
    # the table's own figure, or new + carried over (57), is not a contradiction
    for n in (50, 57):
        fs = check(replace_once(text, anchor, anchor + f"全年共收到政府信息公开申请{n}件。"))
        assert not [f for f in fs if f.rule == "NARRATIVE-VS-TABLE"]
    # a sentence about the whole district: needs review only
    fs = check(replace_once(text, anchor, anchor + "全区共收到政府信息公开申请600件。"))
    assert [f.severity for f in fs if f.rule == "NARRATIVE-VS-TABLE"] == [INFO]


def test_narrative_no_review_but_table_has_one() -> None:
    text = seed_text(S002)  # table 四: 行政复议 总计 1
    anchor = "2022年没有收取信息处理"
    fs = check(replace_once(text, anchor, "本年度没有因政府信息公开被申请行政复议的情况。" + anchor))
    hits = [f for f in fs if f.rule == "NARRATIVE-VS-TABLE"]
    assert len(hits) == 1 and hits[0].cells == ["review_litigation.review.total"] and hits[0].severity == WARNING
    fs = check(replace_once(text, anchor, "本年度因政府信息公开被申请行政复议1件。" + anchor))
    assert not [f for f in fs if f.rule == "NARRATIVE-VS-TABLE"]


# ------------------------------------------------------------------ privacy
def test_id_and_mobile_numbers() -> None:
    text = seed_text(S000)
    anchor = "2022年度，我局未收到依申请公开事项申请。"
    leak = "申请人（身份证号11010519491231002X，手机13912345678）来访。"
    fs = check(replace_once(text, anchor, anchor + leak))
    assert rules_of(fs) == ["PRIVACY-ID-NUMBER", "PRIVACY-MOBILE"]
    assert all("11010519491231002X" not in f.message and "13912345678" not in f.message for f in fs)
    # the office's own contact line and a landline are fine; an ID with a wrong check digit is not an ID
    fine = "咨询电话：13912345678，办公电话0379-63212345，文号110105194912310021。"
    assert rules_of(check(replace_once(text, anchor, anchor + fine))) == []


def test_single_named_applicant_and_anonymised_one() -> None:
    text = seed_text(S000)
    anchor = "2022年度，我局未收到依申请公开事项申请。"
    fs = check(replace_once(text, anchor, "2022年度，申请人赵德柱申请公开停车场收费标准。"))
    names = [f for f in fs if f.rule == "PRIVACY-NAMES"]
    assert len(names) == 1 and names[0].data["names"] == ["赵德柱"]
    fs = check(replace_once(text, anchor, "2022年度，申请人赵某申请公开停车场收费标准，申请人要求邮寄。"))
    assert not [f for f in fs if f.rule == "PRIVACY-NAMES"]


def test_list_of_units_is_not_a_list_of_names() -> None:
    text = seed_text(S000)
    anchor = "2022年度，我局未收到依申请公开事项申请。"
    units = "孟津区政府办、偃师区政务服务中心、洛龙区城管局等单位申请了信息公开平台账号。"
    assert not [f for f in check(replace_once(text, anchor, anchor + units)) if f.defect == "D-29"]
