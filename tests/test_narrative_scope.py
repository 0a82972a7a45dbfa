"""NARRATIVE-VS-TABLE compares like with like: the hand-labelled sentences of
tests/fixtures/narrative/cases.json (the sentences of issue 9 among them), each put at the start
of section 一 of a seed, give exactly the labelled findings."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import seed_text
from nianbao.checks import INFO, WARNING, run_checks
from nianbao.checks.narrative import sentence_scope
from nianbao.extract import extract
from nianbao.ingest.text import read_text

CASES = json.loads((Path(__file__).parent / "fixtures/narrative/cases.json").read_text(encoding="utf-8"))["cases"]
TARGETS = {"applications.new.total": "new", "applications.processed_total.total": "processed_total",
           "review_litigation.review.total": "review", "review_litigation.litigation_direct.total": "litigation"}


def narrative_findings(seed: str, sentence: str) -> list[tuple[str, int, str]]:
    lines = seed_text(seed).split("\n")
    at = next(i for i, line in enumerate(lines) if "总体情况" in line)
    report = extract(read_text("\n".join(lines[: at + 1] + [sentence] + lines[at + 1:]), "case.txt"))
    return [(TARGETS[f.cells[0]], f.data["stated"], f.severity)
            for f in run_checks(report, rules=["NARRATIVE-VS-TABLE"])]


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_labelled_sentence(case: dict) -> None:
    assert narrative_findings(case["seed"], case["text"]) == [tuple(x) for x in case["expect"]]


def test_issue_sentences_are_quiet_and_the_real_mismatch_is_found() -> None:
    seed = "002_e36d426879923bc1"  # 孟津区人民政府办公室: 14 new, 14 closed
    assert narrative_findings(seed, "本年度办结政府信息公开申请14件，其中公开答复1件。") == []
    assert narrative_findings(seed, "区政府办代表区政府受理政府信息公开申请17件。") == []
    assert narrative_findings(seed, "全年共受理申请393件。") == [("new", 393, WARNING)]


@pytest.mark.parametrize(("sentence", "agency", "scope"), [
    ("全区共收到申请600件", "偃师区人民政府办公室", "region"),
    ("全市共受理政府信息公开申请3119件", "淮安市人民政府", "region"),
    ("本年度全区共收到70件申请", "平潭综合实验区", "region"),
    ("全市共收到申请120件", "洛阳市机关事务管理局", None),  # a department: not its scope
    ("区政府办代表区政府受理17件", "孟津区人民政府办公室", None),
    ("各部门共收到申请300件", "偃师区人民政府办公室", None),
    ("自2008年以来累计受理申请393件", "偃师区人民政府办公室", None),
    ("2022年累计受理申请50件", "偃师区人民政府办公室", "own"),
    ("人大代表建议办理12件", "偃师区人民政府办公室", "own"),  # 人大代表 is not "on behalf of"
    ("我局全年共收到申请3件", "洛阳市机关事务管理局", "own"),
])
def test_sentence_scope(sentence: str, agency: str, scope: str | None) -> None:
    assert sentence_scope(sentence, agency) == scope


def test_region_wide_sentence_in_a_government_report_is_info() -> None:
    assert narrative_findings("003_2a799143023ee02c", "全区共收到政府信息公开申请600件。") == [("new", 600, INFO)]
