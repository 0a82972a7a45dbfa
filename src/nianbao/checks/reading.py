"""What the extractor could not read with certainty — said as such, never as the agency's defect.

A cell whose digits ran together with its neighbours' (``行政许可0494246``) and that more
than one split fits is left ``None`` (status ``unresolved``): the reviewer must look at
the published page. Cells whose split was chosen by the arithmetic relations or by the
spaces the crawler kept are read, but the reviewer should know how (info).
"""
from __future__ import annotations

from collections.abc import Iterator

from ..report import Note, Report
from ..templates import APPLICANT_KEYS
from . import INFO, WARNING, Context, Finding, rule
from ._common import TABLE_NAME, column_name, row_name

_HOW = {"arithmetic": "按表内勾稽关系", "narrative": "按正文中写明的数字", "spaces": "按原文中残留的空格"}
MAX_SHOWN = 3  # candidate splits quoted in a message
MAX_ROWS_SHOWN = 4  # rows named in a message


def _by_table(report: Report, how: set[str]) -> dict[str, list[Note]]:
    out: dict[str, list[Note]] = {}
    for note in report.notes:
        if note.kind == "run_split" and note.data.get("how") in how and note.cells:
            out.setdefault(note.cells[0].split(".")[0], []).append(note)
    return out


def _cells_text(report: Report, refs: list[str]) -> str:
    """``「行政许可」本年增/减、处理决定数量``: the cells of one run, grouped by row."""
    rows: dict[tuple[str, str], list[str]] = {}
    for ref in refs:
        table, row, col = ref.split(".")
        rows.setdefault((table, row), []).append(column_name(table, col, report, row))
    return "；".join(f"{row_name(report, t, r)}{'、'.join(cols)}" for (t, r), cols in rows.items())


def _split_text(candidate: list) -> str:
    return "|".join("空" if v is None else str(v) for v in candidate)


@rule("CELLS-RUN-TOGETHER", defect=None, severity=WARNING)
def cells_run_together(report: Report, ctx: Context) -> Iterator[Finding]:
    """Digits of several cells printed as one run that more than one split fits (a flattened
    page): those cells are left empty (``null``) and need a look at the original page. One
    finding per table, listing each run and its possible splits."""
    for table, notes in _by_table(report, {"unresolved"}).items():
        cells: list[str] = []
        parts: list[str] = []
        for note in notes:
            unresolved = [ref for ref in note.cells if report.cell(ref).status == "unresolved"]
            cells += unresolved
            shown = "、".join(_split_text(c) for c in note.data.get("candidates", [])[:MAX_SHOWN])
            more = note.data.get("n_candidates", 0) - MAX_SHOWN
            names = _cells_text(report, unresolved)
            parts.append(f"「{note.data.get('printed')}」（{names}）可拆为 {shown}" + (f" 等 {more + MAX_SHOWN} 种" if more > 0 else ""))
        if not cells:
            continue
        yield Finding(
            "CELLS-RUN-TOGETHER", WARNING,
            f"{TABLE_NAME[table]}有 {len(cells)} 个单元格的数字连在一起，无法唯一拆分，已留空待人工核对原文："
            + "；".join(parts),
            cells=cells, location=notes[0].source, data={"table": table, "runs": [n.data for n in notes]},
        )


@rule("CELLS-SPLIT-INFERRED", defect=None, severity=INFO)
def cells_split_inferred(report: Report, ctx: Context) -> Iterator[Finding]:
    """Digits of several cells printed as one run, split by the arithmetic relations or by
    the spaces left in the text because more than one split was possible: read, but worth a
    glance at the original page. One finding per table."""
    for table, notes in _by_table(report, set(_HOW)).items():
        parts = [f"「{n.data.get('printed')}」{_HOW[n.data['how']]}拆为 "
                 f"{_split_text(n.data.get('candidates', [[]])[0])}" for n in notes]
        yield Finding(
            "CELLS-SPLIT-INFERRED", INFO,
            f"{TABLE_NAME[table]}有 {len(notes)} 行数字连在一起，已{'、'.join(sorted({_HOW[n.data['how']] for n in notes}))}"
            f"拆分：" + "；".join(parts),
            cells=[ref for n in notes for ref in n.cells], location=notes[0].source, data={"table": table},
        )


@rule("ROW-PLACED-BY-ORDER", defect=None, severity=INFO)
def row_placed_by_order(report: Report, ctx: Context) -> Iterator[Finding]:
    """Value rows whose printed label names no template row (a label cut off, printed apart
    from its values, or damaged beyond recognition) placed in the slot the template order leaves
    for them between rows that their labels placed. Read, but worth a glance: one finding per
    table listing the rows."""
    by_table: dict[str, list[Note]] = {}
    for note in report.notes:
        if note.kind == "placed_by_order":
            by_table.setdefault(note.data.get("table", "applications"), []).append(note)
    for table, notes in by_table.items():
        names = "、".join(row_name(report, table, n.data["row"]) for n in notes[:MAX_ROWS_SHOWN])
        if len(notes) > MAX_ROWS_SHOWN:
            names += f" 等 {len(notes)} 行"
        yield Finding(
            "ROW-PLACED-BY-ORDER", INFO,
            f"{TABLE_NAME[table]}有 {len(notes)} 行数值的行名无法识别（或与数值分开印出），已按模板行序读入：{names}",
            cells=[f"{table}.{n.data['row']}.{c}" for n in notes for c in _columns(report, table, n.data["row"])],
            location=notes[0].source, data={"table": table, "rows": [n.data["row"] for n in notes]},
        )


def _columns(report: Report, table: str, row: str) -> list[str]:
    if table == "active":
        return list((report.active.get(row) or {}).keys())
    return list(APPLICANT_KEYS)


@rule("VALUES-REGROUPED", defect=None, severity=INFO)
def values_regrouped(report: Report, ctx: Context) -> Iterator[Finding]:
    """Table 四 printed out of column order (pdftotext and similar tools read a wide table block by
    block): every number is there, and exactly one way of putting them back into the three blocks
    makes each block's four outcomes add up to its total. The values were placed that way, not
    changed; worth a glance against the original."""
    for note in report.notes:
        if note.kind != "regrouped_by_arithmetic":
            continue
        yield Finding(
            "VALUES-REGROUPED", INFO,
            "表四的数值在来源中未按表格列序排列（" + " ".join(note.data.get("printed", [])) + "），"
            "只有一种归组能使每一栏的各项之和等于总计，已按该归组读入（" + " ".join(note.data.get("read", []))
            + "）；请对照原件确认",
            cells=list(note.cells), location=note.source, data={"table": "review_litigation"},
        )


@rule("VALUES-READ-IN-ORDER", defect=None, severity=INFO)
def values_read_in_order(report: Report, ctx: Context) -> Iterator[Finding]:
    """Table 三's numbers printed apart from its row labels (a tool wrote the labels in one block and
    the numbers in another): the region held exactly rows × columns printed cells, and cutting them
    into rows in template order makes every relation of the table hold, so they were read that way."""
    for note in report.notes:
        if note.kind != "read_as_stream":
            continue
        d = note.data
        yield Finding(
            "VALUES-READ-IN-ORDER", INFO,
            f"第三部分的数值与行名分开印出：共 {d['count']} 个数值，恰为 {d['rows']} 行 × {d['width']} 列，"
            f"按模板行序逐行读入后 {d['relations']} 条合计与勾稽关系全部成立；请对照原件确认",
            cells=list(note.cells), location=note.source, data={"table": "applications"},
        )
