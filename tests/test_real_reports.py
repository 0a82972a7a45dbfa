"""The real reports of ../shared (seeds and corpus-dev) read cell by cell against their truth.

Every cell is right, or — where the source ran several cells' digits together so that more
than one split fits — it is ``null``, marked ``unresolved`` and listed by the one
CELLS-RUN-TOGETHER finding of its table. No other kind of miss is allowed.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHARED, corpus_sources, truth_of, wrong_cells
from nianbao.api import parse_file
from nianbao.checks import run_checks
from nianbao.document import Source
from nianbao.extract.lines import NUMERIC, Piece
from nianbao.extract.runs import resolve, run_candidates
from nianbao.templates import T2021, relations


def _real_sources() -> list[Path]:
    return [p for name in ("seeds", "corpus-dev") if (SHARED / name).is_dir()
            for p in corpus_sources(SHARED / name) if p.suffix != ".md"]


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} is not present (../shared beside the repository)")
@pytest.mark.parametrize("path", _real_sources(), ids=lambda p: p.name)
def test_real_report_reads_like_truth(path: Path) -> None:
    truth = truth_of(path)
    report = parse_file(path)
    got = report.to_dict()
    flagged = {ref for f in run_checks(report) if f.rule == "CELLS-RUN-TOGETHER" for ref in f.cells}
    for line in wrong_cells(got, truth):
        name = line.split(":")[0]
        ref = _ref(name)
        assert report.cell(ref).status == "unresolved" and report.cell(ref).value is None, line
        assert ref in flagged, f"{line}: not listed by CELLS-RUN-TOGETHER"
    assert got["year"] == truth["year"] and str(got["template"]) == str(truth["template"])
    assert truth["agency"] in (got["agency"] or "") or (got["agency"] or "x") in truth["agency"]


def _ref(name: str) -> str:
    """``applications.new[3]`` → ``applications.new.social_welfare`` (the findings' cell names)."""
    from nianbao.templates import APPLICANT_KEYS, OUTCOME_KEYS

    if "[" not in name:
        return name
    table_row, index = name[:-1].split("[")
    keys = APPLICANT_KEYS if table_row.startswith("applications") else OUTCOME_KEYS
    return f"{table_row}.{keys[int(index)]}"


CORPUS_DEV = SHARED / "corpus-dev"


def _dev(name: str) -> Path:
    path = CORPUS_DEV / name
    if not path.exists():
        pytest.skip(f"{path} is not present (../shared/corpus-dev beside the repository)")
    return path


def test_glued_crawler_text_table_two_and_the_numbering_of_the_next_row() -> None:
    """公安局 2022: 行政规范性文件417 = 4|1|7; …不再处理其政府信息公开申请10000012.申请人… = 1|0|0|0|0|0|1, then 2."""
    report = parse_file(_dev("fj-2022-pingtan-gaj.txt"))
    got = report.to_dict()
    assert got["agency"] == "平潭综合实验区公安局"
    assert got["active"]["normative_documents"] == {"issued": 4, "repealed": 1, "in_force": 7}
    assert got["active"]["punishment"] == {"decisions": 157}
    assert got["applications"]["other_no_correction"] == [1, 0, 0, 0, 0, 0, 1]
    assert got["applications"]["other_unpaid_fee"] == [0] * 7
    assert got["review_litigation"]["litigation_after_review"] == [0] * 5
    src = report.cell("active.normative_documents.repealed").source
    assert src.line == 10 and src.column is not None  # the digit's own column in the one long line
    assert not [f for f in run_checks(report) if f.severity == "error"]


def test_ambiguous_run_stays_null_and_is_flagged_once() -> None:
    """审批局 2020 (2019 template): 行政许可0494246 — 0 is certain, 494|246 is one of five splits."""
    report = parse_file(_dev("fj-2020-pingtan-xzsp.txt"))
    lic = report.to_dict()["active"]["licensing"]
    assert lic == {"prior_items": 0, "change": None, "decisions": None}
    assert report.cell("active.licensing.change").status == "unresolved"
    found = [f for f in run_checks(report) if f.rule == "CELLS-RUN-TOGETHER"]
    assert len(found) == 1 and found[0].cells == ["active.licensing.change", "active.licensing.decisions"]
    assert "0|494|246" in found[0].message
    # table 三 keeps the crawler's stray spaces: 「10 0 00 01」 is 1|0|0|0|0|0|1
    assert report.to_dict()["applications"]["granted"] == [1, 0, 0, 0, 0, 0, 1]


def test_a_run_short_of_one_cell_leaves_the_whole_row_unresolved() -> None:
    """金井片区 2024: 四、结转下年度继续办理 000000 — six zeros for seven cells, one blank, place unknown."""
    report = parse_file(_dev("fj-2024-pingtan-jinjing.txt"))
    assert report.to_dict()["applications"]["carried_forward"] == [None] * 7
    assert report.to_dict()["active"]["regulations"] is None  # the 规章 row is not printed at all
    found = [f for f in run_checks(report) if f.rule == "CELLS-RUN-TOGETHER"]
    assert len(found) == 1 and len(found[0].cells) == 7 and found[0].severity == "warning"


def _pieces(*tokens: str) -> list[Piece]:
    return [Piece(t, Source(line=1, column=1 + i), NUMERIC) for i, t in enumerate(tokens)]


def test_run_candidates_respect_leading_zeros_and_money() -> None:
    run = run_candidates(_pieces("0494246"), ["count"] * 3)
    assert run.candidates == [("0", "4", "94246"), ("0", "49", "4246"), ("0", "494", "246"),
                              ("0", "4942", "46"), ("0", "49424", "6")]
    money = run_candidates(_pieces("312.5"), ["count", "money"])
    assert ("3", "12.5") in money.candidates and ("31", "2.5") in money.candidates
    assert len(run_candidates(_pieces("1000001"), ["count"] * 7).candidates) == 1


def test_arithmetic_chooses_between_splits_and_never_changes_digits() -> None:
    """100000010 for seven cells: 10|0|0|0|0|0|10, not 100|0|0|0|0|1|0, since 总计 is the row's sum."""
    run = run_candidates(_pieces("100000010"), ["count"] * 7)
    assert len(run.candidates) == 2
    run.refs = [f"applications.new.{c}" for c in
                ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total")]
    resolve([run], {}, relations(T2021))
    assert run.candidates == [("10", "0", "0", "0", "0", "0", "10")] and run.how == "arithmetic"
    # a run no split of which adds up keeps all its splits: the source breaks, the checks say so
    broken = run_candidates(_pieces("12000012"), ["count"] * 7)
    broken.refs = run.refs
    n = len(broken.candidates)
    resolve([broken], {}, relations(T2021))
    assert len(broken.candidates) == n and broken.how == "unresolved"


def test_the_narrative_chooses_between_splits_of_a_table_two_run() -> None:
    """「行政规范性文件15621」 fits six splits; the overview's 「制发行政规范性文件15件，废止6件，现行有效21件」 picks one."""
    text = _dev("fj-2022-pingtan-gaj.txt").read_text(encoding="utf-8")
    text = text.replace("行政规范性文件417", "行政规范性文件15621").replace(
        "全年累计主动公开", "全年制发行政规范性文件15件，废止6件，现行有效21件。全年累计主动公开")
    from nianbao import parse_bytes

    report = parse_bytes(text.encode("utf-8"), "gaj.txt")
    assert report.to_dict()["active"]["normative_documents"] == {"issued": 15, "repealed": 6, "in_force": 21}
    assert report.cell("active.normative_documents.issued").via == "narrative"
    without = parse_bytes(text.replace("全年制发行政规范性文件15件，废止6件，现行有效21件。", "").encode("utf-8"), "gaj.txt")
    assert without.to_dict()["active"]["normative_documents"] == {"issued": None, "repealed": None, "in_force": None}
