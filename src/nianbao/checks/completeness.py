"""Is everything there? Sections (D-07), tables and rows (D-08), filled cells (D-09),
and what the extractor noticed about the table layout (its notes, D-08).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..normalize import label_key
from ..report import BLANK, PLACEHOLDER, Note, Report, Value
from ..templates import APPLICANT_KEYS, SECTIONS
from . import ERROR, INFO, WARNING, Context, Finding, rule
from ._common import (
    TABLE_NAME,
    TABLE_SECTION,
    absent,
    column_name,
    columns_of,
    first_source,
    iter_rows,
    row_name,
    row_order,
    section_label,
    span_text,
    template_of,
)

_NOT_FILLED = (BLANK, PLACEHOLDER)


def _rows_text(report: Report, table: str, rows: list[str]) -> str:
    """``「（一）予以公开」「（二）部分公开」行`` — several rows named once, the 行 said once."""
    names = [row_name(report, table, r) for r in rows]
    if table == "applications":
        return "".join(n.removesuffix("行") for n in names) + "行"
    return "".join(names)


def describe_unfilled(report: Report, table: str, bad: list[tuple[str, str, str]]) -> list[str]:
    """Compact Chinese phrases for ``(row, column, how)`` cells: rows with the same columns in the
    same state are named together, runs of columns as ``A至B（N 列）``."""
    by_how: dict[str, dict[str, list[str]]] = {}
    for row, col, how in bad:
        by_how.setdefault(how, {}).setdefault(row, []).append(col)
    parts: list[str] = []
    order = row_order(report, table)
    for how, rows in by_how.items():
        groups: list[tuple[list[str], tuple[str, ...]]] = []
        for row in sorted(rows, key=lambda r: order.index(r) if r in order else len(order)):
            cols = tuple(rows[row])
            if groups and groups[-1][1] == cols:
                groups[-1][0].append(row)
            else:
                groups.append(([row], cols))
        for group_rows, cols in groups:
            ordered = [column_name(table, c, report, group_rows[0]) for c in columns_of(report, table, group_rows[0])]
            chosen = [column_name(table, c, report, group_rows[0]) for c in cols]
            state = "为空白" if how == "" else f"填写为「{how}」"
            parts.append(f"{_rows_text(report, table, group_rows)}{span_text(chosen, ordered)}{state}")
    return parts


@rule("CELL-NOT-FILLED", defect="D-09", severity=WARNING)
def cells_not_filled(report: Report, ctx: Context) -> Iterator[Finding]:
    """Blank cells and placeholders (``/``, ``—``, ``无``) where the template asks for a number.

    One finding per table, listing every such cell compactly (one pattern, one finding: a
    report that leaves 28 zero cells blank gets one finding per table, not 28). Always a
    warning: the reader cannot tell "none" from "forgot", and every relation that would need
    the cell is skipped rather than computed with a guess, so nothing is proven wrong.
    """
    per_table: dict[str, list[tuple[str, str, Value]]] = {}
    for table, row, cells in iter_rows(report):
        per_table.setdefault(table, []).extend((ref, row, v) for ref, _, v in cells if v.status in _NOT_FILLED)
    for table, bad in per_table.items():
        if not bad:
            continue
        items = [(row, ref.split(".")[2], "" if v.status == BLANK else (v.raw or "")) for ref, row, v in bad]
        rows = list(dict.fromkeys(row for row, _, _ in items))
        yield Finding(
            "CELL-NOT-FILLED", WARNING,
            f"{TABLE_NAME[table]}有 {len(bad)} 个单元格未填写数字：{'；'.join(describe_unfilled(report, table, items))}"
            "。没有发生的应填 0",
            cells=[ref for ref, _, _ in bad],
            location=first_source([v for _, _, v in bad]),
            data={"table": table, "rows": rows},
        )


def _table_present(report: Report, table: str) -> bool:
    if table == "active":
        return any(not absent(list(f.values())) for f in report.active.values())
    if table == "applications":
        return any(not absent(v) for v in report.applications.values())
    return any(not absent(v) for v in report.review_litigation.values())


MIN_SECTIONS_READ = 3  # fewer headings found than this: the structure was not read, the report is not accused
MIN_TABLE_NUMBERS = 7  # numbers under a table's heading that say a table is printed there, unread
_NUMBER_TOKEN = re.compile(r"\d+")


def structure_unread(report: Report) -> bool:
    """Too few section headings were recognised to say which parts the report lacks: the page's
    form defeated the reader (headings in images or markup it did not know), so one finding asks
    for a manual look instead of a list of missing parts."""
    return len(report.sections) < MIN_SECTIONS_READ


def _unread_rows(report: Report, table: str) -> int:
    """Value rows of *table* that no row label or order could place (the extractor's notes)."""
    return sum(1 for n in report.notes if n.kind in ("unmatched_row", "orphan_values")
               and n.data.get("table", "applications") == table)


@rule("REPORT-STRUCTURE-UNREAD", defect=None, severity=WARNING)
def report_structure_unread(report: Report, ctx: Context) -> Iterator[Finding]:
    """Fewer than three of the six section headings were recognised: rather than accuse the agency
    of missing parts (SECTION-MISSING, TABLE-MISSING), say once that the report needs a manual look."""
    if not structure_unread(report):
        return
    found = "、".join(section_label(k) for k in report.sections) or "无"
    tables = "、".join(TABLE_NAME[t] for t in TABLE_SECTION if _table_present(report, t)) or "无"
    yield Finding(
        "REPORT-STRUCTURE-UNREAD", WARNING,
        f"未能识别出报告的结构：六个部分的标题只识别出 {len(report.sections)} 个（{found}），"
        f"识别出数据的统计表：{tables}。可能是页面格式特殊或内容为图片，请人工核对原文",
        data={"sections": list(report.sections), "tables": [t for t in TABLE_SECTION if _table_present(report, t)]},
    )


@rule("TABLE-MISSING", defect="D-08", severity=ERROR)
def table_missing(report: Report, ctx: Context) -> Iterator[Finding]:
    """A whole statistical table (二, 三 or 四) has no row the template names: deleted, or
    printed as an image. When numbers stand under its heading, the table is there but could not
    be read (warning, needs a look); when the report's structure was not read at all, the one
    REPORT-STRUCTURE-UNREAD finding says so instead."""
    if structure_unread(report):
        return
    for table, section in TABLE_SECTION.items():
        if not _table_present(report, table):
            s = report.sections.get(section)
            numbers = len(_NUMBER_TOKEN.findall(s.text)) if s else 0
            if numbers >= MIN_TABLE_NUMBERS or _unread_rows(report, table):
                yield Finding(
                    "TABLE-MISSING", WARNING,
                    f"{TABLE_NAME[table]}（{section_label(section)}）标题下印有数字，但未能识别出统计表的行，"
                    f"请人工核对原文",
                    location=s.source if s else None, data={"table": table, "unread": True},
                )
                continue
            yield Finding(
                "TABLE-MISSING", ERROR,
                f"{TABLE_NAME[table]}（{section_label(section)}）未找到统计表格或表格中没有可识别的数据行",
                location=s.source if s else None,
                data={"table": table},
            )


_UNREAD_NOTE = "；表中另有未能对应到模板行的数值行，可能是该行的行名无法识别，请人工核对"


@rule("ROW-MISSING", defect="D-08", severity=ERROR)
def row_missing(report: Report, ctx: Context) -> Iterator[Finding]:
    """A row of the template that the printed table lacks (deleted or merged rows), for
    tables 二 and 三; table 四 is one row, so it is either there or the table is missing."""
    template = template_of(report)
    if structure_unread(report):
        return
    unread = {t: _unread_rows(report, t) for t in ("applications", "active")}
    if _table_present(report, "applications"):
        for row in template.applications:
            if absent(report.applications.get(row.key)):
                yield Finding(
                    "ROW-MISSING", WARNING if unread["applications"] else ERROR,
                    f"{TABLE_NAME['applications']}缺少{row_name(report, 'applications', row.key)}"
                    f"（《{template.name}》规定的行）" + _UNREAD_NOTE * bool(unread["applications"]),
                    cells=[f"applications.{row.key}.{c}" for c in APPLICANT_KEYS],
                    location=report.sections["applications"].source if "applications" in report.sections else None,
                    data={"table": "applications", "row": row.key},
                )
    if _table_present(report, "active"):
        for row in template.active:
            fields = report.active.get(row.key) or {}
            if absent(list(fields.values())):
                yield Finding(
                    "ROW-MISSING", WARNING if unread["active"] else ERROR,
                    f"{TABLE_NAME['active']}缺少「{row.label}」（{row.caption}）一行" + _UNREAD_NOTE * bool(unread["active"]),
                    cells=[f"active.{row.key}.{f.key}" for f in row.fields],
                    location=report.sections["active_disclosure"].source
                    if "active_disclosure" in report.sections else None,
                    data={"table": "active", "row": row.key},
                )


# ------------------------------------------------------------------ extractor notes
def _note_table(note: Note) -> str:
    if note.cells:
        return note.cells[0].split(".")[0]
    return note.data.get("table", "applications")


def _note_row(report: Report, note: Note) -> str:
    table, row = _note_table(note), note.data.get("row")
    if table == "review_litigation" or row == "review_litigation":
        return "数据行"
    return row_name(report, table, row) if row else "一行"


@rule("TABLE-EXTRA-VALUES", defect="D-08", severity=WARNING)
def extra_values(report: Report, ctx: Context) -> Iterator[Finding]:
    """A row prints more numbers than the template has columns (an added 小计 column, a
    stray cell): the extractor kept the first ones, so the column alignment needs a look."""
    for note in report.notes:
        if note.kind != "extra_values":
            continue
        table = _note_table(note)
        extra = note.data.get("extra") or []
        n = len(note.cells)
        yield Finding(
            "TABLE-EXTRA-VALUES", WARNING,
            f"{TABLE_NAME[table]}{_note_row(report, note)}印有 {n + len(extra)} 个数值，但表格只有 {n} 列；"
            f"已按前 {n} 个读入，多出的数值：{'、'.join(extra) or '（空）'}",
            cells=list(note.cells), location=note.source, data=dict(note.data),
        )


@rule("TABLE-EXTRA-COLUMN", defect="D-08", severity=WARNING)
def extra_column(report: Report, ctx: Context) -> Iterator[Finding]:
    """A column the template does not have (a 小计 under 法人或其他组织): the extractor read the
    template's seven columns around it and left it out; the table should follow the template."""
    for note in report.notes:
        if note.kind != "extra_column":
            continue
        table = _note_table(note)
        yield Finding(
            "TABLE-EXTRA-COLUMN", WARNING,
            f"{TABLE_NAME[table]}表头多出模板没有的「{note.data.get('label')}」列；已按模板的七列读取，"
            f"该列未计入。请按统一格式删除此列",
            location=note.source, data=dict(note.data),
        )


@rule("TABLE-SHORT-ROW", defect="D-08", severity=WARNING)
def short_row(report: Report, ctx: Context) -> Iterator[Finding]:
    """A row prints fewer cells than the template has columns; the extractor right-aligned
    them (reports that fill only 总计). When two or more numbers were printed their columns
    are a guess (warning); when the row holds at most one number the blank-cell rule already
    says what is missing (info)."""
    for note in report.notes:
        if note.kind != "short_row":
            continue
        table = _note_table(note)
        values = [report.cell(ref) for ref in note.cells]
        padded = [ref for ref, v in zip(note.cells, values) if v.status == BLANK and v.source is None]
        numbers = sum(1 for v in values if v.status not in (BLANK,))
        severity = WARNING if numbers >= 2 else INFO
        yield Finding(
            "TABLE-SHORT-ROW", severity,
            f"{TABLE_NAME[table]}{_note_row(report, note)}只印有 {len(note.cells) - len(padded)} 个单元格"
            f"（应为 {len(note.cells)} 个），已按靠右对齐读入，请核对各数值所在的列",
            cells=padded or list(note.cells), location=note.source, data=dict(note.data),
        )


@rule("TABLE-UNKNOWN-ROW", defect="D-08", severity=WARNING)
def unknown_row(report: Report, ctx: Context) -> Iterator[Finding]:
    """A line of numbers inside a table whose label names no template row (an added row,
    a renamed row beyond the known variants) or that has no label at all."""
    for note in report.notes:
        if note.kind not in ("unmatched_row", "orphan_values"):
            continue
        table = _note_table(note)
        values = "、".join(note.data.get("values") or [])
        if note.kind == "unmatched_row":
            msg = f"{TABLE_NAME[table]}有一行「{note.data.get('label', '')}」不是模板中的行，其数值（{values}）未读入"
        else:
            msg = f"{TABLE_NAME[table]}有一行数值（{values}）找不到所属的行名，未读入"
        yield Finding("TABLE-UNKNOWN-ROW", WARNING, msg, location=note.source, data=dict(note.data))


@rule("TABLE-DUPLICATE-ROW", defect="D-08", severity=WARNING)
def duplicate_row(report: Report, ctx: Context) -> Iterator[Finding]:
    """The same template row printed twice (a table split across pages with a repeated
    part, or a copy-paste slip): only the first is read."""
    for note in report.notes:
        if note.kind != "duplicate_row":
            continue
        table = _note_table(note)
        row = note.data.get("row")
        yield Finding(
            "TABLE-DUPLICATE-ROW", WARNING,
            f"{TABLE_NAME[table]}{row_name(report, table, row) if row else '一行'}出现了两次，只读取了第一次出现的数值",
            location=note.source, data=dict(note.data),
        )


# ------------------------------------------------------------------ sections
@rule("SECTION-MISSING", defect="D-07", severity=ERROR)
def section_missing(report: Report, ctx: Context) -> Iterator[Finding]:
    """One of the six numbered sections (条例 第五十条) has no heading. When its table was
    still found (under another heading) the heading alone is missing: warning."""
    if structure_unread(report):
        return
    table_of = {s: t for t, s in TABLE_SECTION.items()}
    for n, section in enumerate(SECTIONS):
        if section.key in report.sections:
            continue
        # where it should have been: at the heading of the next section the report has
        after = next((report.sections[s.key].source for s in SECTIONS[n + 1:] if s.key in report.sections), None)
        table = table_of.get(section.key)
        if table and _table_present(report, table):
            yield Finding("SECTION-MISSING", WARNING,
                          f"未找到第{section.number}部分的标题「{section_label(section.key)}」（其统计表格存在）",
                          location=after, data={"section": section.key})
        else:
            yield Finding("SECTION-MISSING", ERROR,
                          f"缺少第{section.number}部分「{section_label(section.key)}」",
                          location=after, data={"section": section.key})


@rule("SECTION-ORDER", defect="D-07", severity=WARNING)
def section_order(report: Report, ctx: Context) -> Iterator[Finding]:
    """The sections found are not in the order 一 … 六."""
    order = [s.key for s in SECTIONS]
    found = sorted(report.sections.values(), key=lambda s: s.index)
    ranks = [order.index(s.key) for s in found]
    if ranks != sorted(ranks):
        printed = "、".join(f"{next(x.number for x in SECTIONS if x.key == s.key)}" for s in found)
        bad = next(found[i] for i in range(1, len(found)) if ranks[i] < ranks[i - 1])
        yield Finding("SECTION-ORDER", WARNING,
                      f"六个部分的顺序不对：报告中的顺序为 {printed}（应为 一、二、三、四、五、六）",
                      location=bad.source, data={"order": [s.key for s in found]})


@rule("SECTION-HEADING-VARIANT", defect="D-07", severity=INFO)
def heading_variant(report: Report, ctx: Context) -> Iterator[Finding]:
    """A section heading printed with other wording than the template's (e.g. the statute's
    因政府信息公开工作被申请行政复议、提起行政诉讼情况): accepted, noted for uniformity."""
    for section in SECTIONS:
        s = report.sections.get(section.key)
        if s is None:
            continue
        key = label_key(s.heading).lstrip("一二三四五六")
        if key != label_key(section.title):
            yield Finding("SECTION-HEADING-VARIANT", INFO,
                          f"第{section.number}部分标题印为「{s.heading.strip('# ')}」，"
                          f"模板为「{section_label(section.key)}」",
                          location=s.source, data={"section": section.key})
