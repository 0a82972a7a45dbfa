"""The checks on the five real seed reports: the defects each one really has, and nothing
else at warning level or above (seed 000 is a clean report)."""
from __future__ import annotations

import pytest

import nianbao
from conftest import SAMPLES, SEED_IDS
from nianbao.checks import ERROR, INFO, WARNING, Finding, run_checks

SEED = {s[:3]: s for s in SEED_IDS}
TEN_APPLICANTS = ["杨春生", "姚国胜", "任满堂", "薛刚", "张兆谦", "解建军", "刘春山", "王长更", "王振峰", "郭光星"]


@pytest.fixture(scope="module")
def findings() -> dict[str, list[Finding]]:
    return {k: run_checks(nianbao.parse(SAMPLES / f"{sid}.txt")) for k, sid in SEED.items()}


def by_rule(fs: list[Finding], rule: str) -> list[Finding]:
    return [f for f in fs if f.rule == rule]


def serious(fs: list[Finding]) -> list[str]:
    return [f"{f.severity} {f.rule} {f.message}" for f in fs if f.severity in (ERROR, WARNING)]


def test_seed000_clean_report_has_no_error_or_warning(findings) -> None:
    assert serious(findings["000"]) == []


def test_seed001_table4_row_with_16_values(findings) -> None:
    fs = by_rule(findings["001"], "TABLE-EXTRA-VALUES")
    assert len(fs) == 1
    f = fs[0]
    assert f.severity == WARNING and f.defect == "D-08"
    assert "16" in f.message and "15" in f.message and "第四部分" in f.message
    assert f.location is not None and f.location.line == 84
    assert len(f.cells) == 15 and f.cells[0] == "review_litigation.review.upheld"
    # the only warning: a 2020 report on the 2019 template, everything else in order
    assert serious(findings["001"]) == [f"warning TABLE-EXTRA-VALUES {f.message}"]


def test_seed001_named_official_is_not_an_applicant(findings) -> None:
    # 局长张昭民同志任组长: a leader with his post, not a privacy finding
    assert not [f for f in findings["001"] if f.defect == "D-29"]
    assert not by_rule(findings["001"], "TEMPLATE-YEAR")  # 2020 report, 2019 template: correct


def test_seed002_ten_named_applicants_not_the_company(findings) -> None:
    fs = by_rule(findings["002"], "PRIVACY-NAMES")
    assert len(fs) == 1
    f = fs[0]
    assert f.severity == ERROR and f.defect == "D-29"
    assert f.data["names"] == TEN_APPLICANTS
    for name in TEN_APPLICANTS:
        assert name in f.message
    assert "孟津清" not in f.message and "孟津清泉模具有限公司" not in f.data["names"]
    assert "孟政" not in f.message
    assert "总体情况" in f.message
    # nothing else wrong with 002 at warning level
    assert serious(findings["002"]) == [f"error PRIVACY-NAMES {f.message}"]


def test_seed003_blank_review_cells(findings) -> None:
    fs = by_rule(findings["003"], "CELL-NOT-FILLED")
    assert len(fs) == 1
    f = fs[0]
    assert f.cells == [f"review_litigation.review.{c}" for c in ("upheld", "corrected", "other", "pending", "total")]
    assert f.severity == WARNING  # one severity for the pattern, 总计 or not (docs/CHECKS.md)
    assert f.message == "第四部分有 5 个单元格未填写数字：「行政复议」全部 5 列为空白。没有发生的应填 0"
    assert f.location.line == 82
    # the blank block is never computed as zeros
    assert not by_rule(findings["003"], "T4-BLOCK-TOTAL")


def test_seed003_label_variants_and_headers(findings) -> None:
    fs = findings["003"]
    variants = {f.data["printed"]: f for f in by_rule(fs, "LABEL-VARIANT")}
    assert set(variants) == {"规范性文件", "4.无正当理由由大量反复申请"}
    assert all(f.severity == INFO for f in variants.values())
    assert variants["规范性文件"].cells[0] == "active.normative_documents.issued"
    assert "2019年版" in variants["规范性文件"].message
    assert variants["4.无正当理由由大量反复申请"].location.line == 68
    headers = by_rule(fs, "TABLE-HEADER-LABELS")
    t4 = [f for f in headers if f.data.get("column") == "corrected"]
    assert len(t4) == 1 and t4[0].severity == WARNING and "结果纠正" in t4[0].message and "行政复议" in t4[0].message
    note = [f for f in headers if f.data.get("note") == "balance"]
    assert len(note) == 1 and "勾稽关系" in note[0].message and "第三部分" in note[0].message
    # 自然人 wrapped as 自然…人 in the header is not reported missing
    assert not [f for f in headers if f.data.get("column") == "natural_person"]


def test_seed003_arithmetic_holds(findings) -> None:
    rules = {f.rule for f in findings["003"]}
    assert not rules & {"T3-COLUMN-BALANCE", "T3-RESULT-SUM", "T3-ROW-TOTAL", "T4-BLOCK-TOTAL"}


def test_seed004_blank_applicant_cells(findings) -> None:
    fs = by_rule(findings["004"], "CELL-NOT-FILLED")
    assert len(fs) == 1  # one finding for the table, both rows listed in it
    f = fs[0]
    assert f.data["rows"] == ["granted", "partial"]
    assert f.cells == [f"applications.{row}.{c}" for row in ("granted", "partial") for c in
                       ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org")]
    assert f.severity == WARNING
    assert f.message == ("第三部分有 12 个单元格未填写数字：「（一）予以公开」「（二）部分公开」行自然人至其他（6 列）为空白。"
                         "没有发生的应填 0")
    assert f.location.line == 53


def test_seed004_header_and_row_label_variants(findings) -> None:
    fs = findings["004"]
    header = [f for f in by_rule(fs, "TABLE-HEADER-LABELS") if f.data.get("column") == "social_welfare"]
    assert len(header) == 1 and header[0].data["printed"] == "社会组织" and header[0].severity == INFO
    variants = by_rule(fs, "LABEL-VARIANT")
    assert [f.data["printed"] for f in variants] == ["2.其他法律法规禁止公开"]
    # the blank rows are short rows too: info only, the blank-cell warning says it
    assert {f.severity for f in by_rule(fs, "TABLE-SHORT-ROW")} == {INFO}
    assert len(serious(fs)) == 1  # the two rows of blank cells are one finding


def test_government_office_reports_accountability_as_info(findings) -> None:
    f002 = by_rule(findings["002"], "GOV-ACCOUNTABILITY")
    assert len(f002) == 1 and f002[0].severity == INFO
    assert f002[0].data["missing"] == ["社会评议", "责任追究"]  # 考核 is there
    assert not by_rule(findings["000"], "GOV-ACCOUNTABILITY")  # 机关事务管理局 is a department


def test_findings_are_json_ready(findings) -> None:
    for fs in findings.values():
        for f in fs:
            d = f.to_dict()
            assert d["severity"] in (ERROR, WARNING, INFO)
            assert d["message"] and all(len(c.split(".")) == 3 for c in d["cells"])
