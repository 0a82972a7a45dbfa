"""The five real seed reports: every cell, the template, the year and the agency."""
from __future__ import annotations

import nianbao
from conftest import SAMPLES, load_truth, wrong_cells


def test_every_cell_matches_truth(seed_id: str) -> None:
    report = nianbao.parse(SAMPLES / f"{seed_id}.txt")
    truth = load_truth(seed_id)
    assert wrong_cells(report.to_dict(), truth) == []
    assert report.year == truth["year"]
    assert report.template == truth["template"]
    assert report.agency == truth["agency"]


def test_seed000_kangxi_radicals_and_lost_place_name() -> None:
    report = nianbao.parse(SAMPLES / "000_a122145f4d95bb2d.txt")
    # The title reads 市机关事务管理局: 洛阳 comes back from the body.
    assert report.agency == "洛阳市机关事务管理局"
    assert report.title == "市机关事务管理局2022年政府信息公开工作年度报告"
    assert "⼯" not in report.sections["overview"].text and "工作" in report.sections["overview"].text
    # Row labels wrapped over two lines, numbers on a third.
    assert report.applications["other_no_correction"][6].value == 0
    assert report.applications["other_no_correction"][6].source.line == 173  # the line of numbers under the wrapped label
    assert report.active["fees"]["amount"].value == "0"


def test_seed001_2019_template_rows() -> None:
    report = nianbao.parse(SAMPLES / "001_203072e8f6b1ea52.txt")
    assert report.template == "2019"
    assert report.active["normative_documents"]["total_published"].value == 2
    assert report.active["procurement"]["amount"].value == "0"
    assert set(report.active) == {"regulations", "normative_documents", "licensing", "other_services",
                                  "punishment", "coercion", "fees", "procurement"}
    # The 2021-only rows of （六） do not exist in a 2019 report.
    assert report.applications["other_no_correction"] is None
    assert report.applications["other_unpaid_fee"] is None
    assert [v.value for v in report.applications["other"]] == [0] * 7
    # Table 四 prints 16 values for 15 columns: noted, first 15 kept.
    notes = [n for n in report.notes if n.kind == "extra_values"]
    assert len(notes) == 1 and notes[0].data["extra"] == ["0"]


def test_seed003_blank_review_cells_stay_null() -> None:
    report = nianbao.parse(SAMPLES / "003_2a799143023ee02c.txt")
    review = report.review_litigation["review"]
    assert [v.value for v in review] == [None] * 5
    assert {v.status for v in review} == {"blank"}
    assert [v.value for v in report.review_litigation["litigation_after_review"]] == [1, 1, 0, 0, 2]
    assert report.active["fees"]["amount"].value == "11384.8489"
    assert report.active["licensing"]["decisions"].value == 27732
    # 规范性文件 in a 2021 table is read and noted as a variant label.
    variants = {n.data["row"]: n.data["printed"] for n in report.notes if n.kind == "label_variant"}
    assert variants["normative_documents"] == "规范性文件"
    assert report.applications["unable_not_held"][0].value == 27


def test_seed004_blank_applicant_cells() -> None:
    report = nianbao.parse(SAMPLES / "004_075fb8c0c28ee6ce.txt")
    granted = report.applications["granted"]
    assert [v.value for v in granted] == [None] * 6 + [0]
    assert granted[6].status == "number" and granted[0].status == "blank"
    assert granted[6].source.line == 53


def test_provenance_points_at_the_printed_value() -> None:
    report = nianbao.parse(SAMPLES / "003_2a799143023ee02c.txt")
    lines = (SAMPLES / "003_2a799143023ee02c.txt").read_text(encoding="utf-8").splitlines()
    value = report.applications["new"][0]
    src = value.source
    assert lines[src.line - 1][src.column - 1: src.column - 1 + len(value.raw)] == "49"
    fee = report.active["fees"]["amount"].source
    assert lines[fee.line - 1][fee.column - 1:].startswith("11384.8489")
