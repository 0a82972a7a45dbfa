"""Order-anchored alignment: value rows whose labels do not name them take their template slots.

The shapes are made from a real report (samples/002, 孟津区人民政府办公室 2022) the way real
tools and sites damage it; every cell must still be read, and the rows placed by order only
must be said (ROW-PLACED-BY-ORDER, provenance ``via``).
"""
from __future__ import annotations

import re

from conftest import load_truth, seed_text, wrong_cells
from nianbao import check_report, parse_bytes
from nianbao.extract.align import Observed, Slot, align

SEED = "002_e36d426879923bc1"
_VALUES = re.compile(r"^(.*?)\s*((?:\d+\s+){6}\d+)\s*$")


def _read(text: str):
    report = parse_bytes(text.encode("utf-8"), "shape.txt")
    return report, wrong_cells(report.to_dict(), load_truth(SEED))


def _table_three(text: str) -> tuple[list[str], int, int]:
    lines = text.split("\n")
    a = next(i for i, line in enumerate(lines) if "本年新收" in line)
    b = next(i for i, line in enumerate(lines) if "结转下年度" in line)
    return lines, a, b


def test_typos_in_row_labels_are_read_and_reported() -> None:
    text = seed_text(SEED).replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开").replace(
        "1.本机关不掌握相关政府信息", "1.本机关不掌握相关政府息")
    report, wrong = _read(text)
    assert wrong == []
    typos = [f for f in check_report(report) if f.rule == "LABEL-VARIANT"]
    assert {f.data["printed"] for f in typos} == {"2.其他法律行政止公开", "1.本机关不掌握相关政府息"}


def test_rows_printed_without_numbering() -> None:
    """「其他 0 0 0 0 0 0 0」: the core 其他 is too short to name a row alone; between its neighbours
    it resembles 3.其他, the one row left."""
    text = re.sub(r"^(?:（[一二三四五六七]）|\d\.)", "", seed_text(SEED), flags=re.M)
    report, wrong = _read(text)
    assert wrong == []
    assert report.cell("applications.other.total").via == "similar-label"


def test_a_value_row_without_any_label_takes_the_free_slot() -> None:
    text = seed_text(SEED).replace("4.保护第三方合法权益 0 0 0 0 0 0 0", "0 0 0 0 0 0 0")
    report, wrong = _read(text)
    assert wrong == []
    assert report.cell("applications.denied_third_party.total").via == "order"
    placed = [f for f in check_report(report) if f.rule == "ROW-PLACED-BY-ORDER"]
    assert len(placed) == 1 and placed[0].data["rows"] == ["denied_third_party"] and placed[0].severity == "info"


def test_labels_printed_apart_from_their_value_rows() -> None:
    """A PDF-to-markdown tool prints the label column as one cell, then the value rows alone."""
    lines, a, b = _table_three(seed_text(SEED))
    labels, rows = [], []
    for line in lines[a:b + 1]:
        m = _VALUES.match(line)
        if m and m.group(1).strip():
            labels.append(m.group(1))
        if m:
            rows.append("| " + " | ".join(m.group(2).split()) + " |")
        elif line.strip():
            labels.append(line)
    text = "\n".join(lines[:a] + ["| " + "<br>".join(labels) + " |", "|---|"] + rows + lines[b + 1:])
    report, wrong = _read(text)
    assert wrong == []
    assert report.cell("applications.granted.natural_person").value == 12
    assert report.cell("applications.granted.natural_person").via == "order"


def test_label_continuation_between_label_and_values() -> None:
    text = seed_text(SEED).replace("3.危及“三安全一稳定” 0 0 0 0 0 0 0", "3.危及“三安全一\n\n稳定”\n\n0 0 0 0 0 0 0")
    text = text.replace("5.属于三类内部事务信息 0 0 0 0 0 0 0", "5.属于三类内部\n0 0 0 0 0 0 0\n事务信息")
    _, wrong = _read(text)
    assert wrong == []


def test_alignment_pairs_a_gap_in_order_and_trusts_only_ordered_anchors() -> None:
    slots = [Slot((k,), 7) for k in ("甲行", "乙行", "丙行", "丁行")]
    observed = [Observed(0, "甲行", 7, 0, True), Observed(1, "", 7), Observed(2, "乱码", 7), Observed(3, "丁行", 7, 3, True)]
    assert align(observed, slots) == {1: (1, "order"), 2: (2, "order")}
    # an anchor out of order (丁 before 乙) is not trusted; a gap with more rows than slots pairs only look-alikes
    observed = [Observed(0, "甲行", 7, 0, True), Observed(1, "丁行", 7, 3, True), Observed(2, "乙行", 7, 1, True),
                Observed(3, "丙行x", 7), Observed(4, "", 7)]
    moves = align(observed, slots)
    assert moves[3] == (2, "similar-label") and 4 not in moves
    # a row with more values than the slot has columns never goes there
    assert align([Observed(0, "", 9)], [Slot(("甲行",), 7)]) == {}


def test_a_report_whose_headings_were_not_recognised_is_not_accused_of_missing_parts() -> None:
    """Headings the reader does not know (here: dropped) give one warning, not six SECTION-MISSING errors."""
    text = re.sub(r"^\s*[一二三四五六]、(总体情况|主动公开政府信息情况|收到和处理政府信息公开申请情况|政府信息公开行政复议、行政诉讼情况|"
                  r"存在的主要问题及改进情况|其他需要报告的事项)\s*$", "", seed_text(SEED), flags=re.M)
    report, wrong = _read(text)
    assert len(report.sections) < 3
    rules = [f.rule for f in check_report(report)]
    assert rules.count("REPORT-STRUCTURE-UNREAD") == 1
    assert not {"SECTION-MISSING", "TABLE-MISSING", "ROW-MISSING"} & set(rules)
