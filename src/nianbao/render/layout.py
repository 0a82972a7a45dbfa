"""The three statistical tables laid out as in the official format, as data (a grid of spanning cells).

Built from :mod:`nianbao.templates` only — rows, labels, groups, captions, columns — so a label change
there changes every page and every XLSX. The same grid feeds the HTML page (one Jinja macro), the
corpus 汇总 tables and the report's XLSX download (merged cells from the spans).

A value cell carries its ``ref`` (``table.row.column``, the form findings use) and whatever the
*lookup* returns for it: a :class:`~nianbao.report.Value` for one report, a number for a summary.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..templates import (
    APPLICANT_COLUMNS,
    OUTCOME_COLUMNS,
    REVIEW_BLOCKS,
    SECTION_BY_KEY,
    TEMPLATES,
    Template,
)
from ..templates import ITEM_HEADER as CONTENT_HEADER
from ..templates import T3_APPLICANTS_HEADER as T3_APPLICANTS
from ..templates import T3_BALANCE_NOTE as T3_CORNER
from ..templates import T3_ORGS_HEADER as T3_ORGS
from ..templates import T3_RESULTS_HEADER as T3_RESULTS

BLOCK_SEPARATOR = "·"  # REVIEW_BLOCKS labels: "行政诉讼·未经复议直接起诉"

Lookup = Callable[[str], Any]


@dataclass(slots=True)
class GridCell:
    text: str = ""
    kind: str = "label"  # head | label | caption | value
    colspan: int = 1
    rowspan: int = 1
    ref: str | None = None
    value: Any = None


@dataclass(slots=True)
class Grid:
    key: str  # active_disclosure | applications | review_litigation
    title: str
    ncols: int
    head: list[list[GridCell]] = field(default_factory=list)
    body: list[list[GridCell]] = field(default_factory=list)

    def value_cells(self) -> list[GridCell]:
        return [c for row in self.body for c in row if c.kind == "value"]


def _title(key: str) -> str:
    s = SECTION_BY_KEY[key]
    return f"{s.number}、{s.title}"


def active_grid(template: Template, lookup: Lookup) -> Grid:
    """Table 二: blocks under their 第二十条 captions, each with its own 信息内容 header row."""
    width = 1 + max(len(r.fields) for r in template.active)
    grid = Grid("active_disclosure", _title("active_disclosure"), width)
    prev: tuple[str | None, tuple[str, ...]] | None = None
    for row in template.active:
        sig = (row.caption, tuple(f.key for f in row.fields))
        spans = _fill(len(row.fields), width - 1)
        if sig != prev:
            if row.caption and (prev is None or prev[0] != row.caption):
                grid.body.append([GridCell(row.caption, "caption", colspan=width)])
            grid.body.append([GridCell(CONTENT_HEADER, "head")]
                             + [GridCell(f.label, "head", colspan=s) for f, s in zip(row.fields, spans)])
            prev = sig
        ref = "active.{}.{}".format
        grid.body.append([GridCell(row.label, "label")]
                         + [GridCell(kind="value", colspan=s, ref=ref(row.key, f.key), value=lookup(ref(row.key, f.key)))
                            for f, s in zip(row.fields, spans)])
    return grid


def _fill(n: int, width: int) -> list[int]:
    """Column spans for *n* cells across *width* columns: the last cell takes what is left."""
    return [1] * (n - 1) + [width - n + 1] if n else []


def applications_grid(template: Template, lookup: Lookup) -> Grid:
    """Table 三: the three-row 申请人情况 header and the label columns with their merged groups."""
    cols = template.applicant_columns
    grid = Grid("applications", _title("applications"), 3 + len(cols))
    orgs = cols[1:-1]
    grid.head = [
        [GridCell(T3_CORNER, "head", colspan=3, rowspan=3), GridCell(T3_APPLICANTS, "head", colspan=len(cols))],
        [GridCell(cols[0].label, "head", rowspan=2), GridCell(T3_ORGS, "head", colspan=len(orgs)),
         GridCell(cols[-1].label, "head", rowspan=2)],
        [GridCell(c.label, "head") for c in orgs],
    ]
    rows = list(template.applications)
    results = set(template.result_rows) | {"processed_total"}
    n_results = sum(1 for r in rows if r.key in results)
    group_sizes: dict[str, int] = {}
    for r in rows:
        if r.group:
            group_sizes[r.group] = group_sizes.get(r.group, 0) + 1
    seen_results = False
    seen_groups: set[str] = set()
    for r in rows:
        cells: list[GridCell] = []
        if r.key in results:
            if not seen_results:
                cells.append(GridCell(T3_RESULTS, "label", rowspan=n_results))
                seen_results = True
            if r.group:
                if r.group not in seen_groups:
                    cells.append(GridCell(r.group, "label", rowspan=group_sizes[r.group]))
                    seen_groups.add(r.group)
                cells.append(GridCell(r.label, "label"))
            else:
                cells.append(GridCell(r.label, "label", colspan=2))
        else:
            cells.append(GridCell(r.label, "label", colspan=3))
        for c in cols:
            ref = f"applications.{r.key}.{c.key}"
            cells.append(GridCell(kind="value", ref=ref, value=lookup(ref)))
        grid.body.append(cells)
    return grid


def review_grid(template: Template, lookup: Lookup) -> Grid:
    """Table 四: 行政复议 | 行政诉讼 over its two kinds, then the five outcome columns of each block."""
    outcomes = template.outcome_columns
    blocks = template.review_blocks
    grid = Grid("review_litigation", _title("review_litigation"), len(outcomes) * len(blocks))
    top: list[GridCell] = []
    sub: list[GridCell] = []
    leaf: list[GridCell] = []
    for _key, label in blocks:
        head, _, kind = label.partition(BLOCK_SEPARATOR)
        if top and top[-1].text == head and kind:
            top[-1].colspan += len(outcomes)
        else:
            top.append(GridCell(head, "head", colspan=len(outcomes), rowspan=1))
        if kind:
            sub.append(GridCell(kind, "head", colspan=len(outcomes)))
            leaf.extend(GridCell(c.label, "head") for c in outcomes)
        else:  # a block without sub-kinds: its outcome labels stand in the second and third header rows
            sub.extend(GridCell(c.label, "head", rowspan=2) for c in outcomes)
    grid.head = [top, sub, leaf] if leaf else [top, sub]
    row: list[GridCell] = []
    for key, _label in blocks:
        for c in outcomes:
            ref = f"review_litigation.{key}.{c.key}"
            row.append(GridCell(kind="value", ref=ref, value=lookup(ref)))
    grid.body.append(row)
    return grid


def report_grids(template_id: str | None, lookup: Lookup) -> list[Grid]:
    """The three grids of a report (or summary) laid out by *template_id* (2021 when unknown)."""
    template = TEMPLATES.get(template_id or "2021") or TEMPLATES["2021"]
    return [active_grid(template, lookup), applications_grid(template, lookup), review_grid(template, lookup)]


def ref_label(ref: str, template_id: str | None = None) -> str:
    """A reader's name for a cell reference: 第三部分 · （一）予以公开 · 自然人."""
    table, row, col = (ref.split(".") + ["", "", ""])[:3]
    template = TEMPLATES.get(template_id or "2021") or TEMPLATES["2021"]
    if table == "active":
        for tpl in (template, *TEMPLATES.values()):
            r = next((x for x in tpl.active if x.key == row), None)
            if r:
                f = next((x for x in r.fields if x.key == col), None)
                return f"第二部分 · {r.label} · {f.label if f else col}"
    elif table == "applications":
        for tpl in (template, *TEMPLATES.values()):
            r = next((x for x in tpl.applications if x.key == row), None)
            if r:
                c = next((x for x in APPLICANT_COLUMNS if x.key == col), None)
                label = f"{r.group}{r.label}" if r.group else r.label
                return f"第三部分 · {label} · {c.label if c else col}"
    elif table == "review_litigation":
        block = dict(REVIEW_BLOCKS).get(row, row)
        c = next((x for x in OUTCOME_COLUMNS if x.key == col), None)
        return f"第四部分 · {block} · {c.label if c else col}"
    return ref


def cells_label(refs: list[str], template_id: str | None = None) -> list[str]:
    """The cells of a finding named compactly: ``第三部分 · （一）予以公开、（二）部分公开 · 自然人至其他（6 列）``.

    Why: a finding about a table's blank cells lists dozens of refs; a reviewer needs the rows
    (rows with the same columns named together) and a short column range, not seven long labels per row.
    """
    from ..checks._common import short_label, span_text

    rows: dict[str, list[str]] = {}
    for ref in refs:
        head, _, col = ref.rpartition(".")
        rows.setdefault(head, []).append(col)
    merged: list[tuple[str, list[str], str]] = []  # (table name, row names, columns text)
    for head, cols in rows.items():
        labels = [ref_label(f"{head}.{c}", template_id).split(" · ") for c in cols]
        if len(labels[0]) != 3:  # an unknown ref: shown as it is
            merged.append(("", [], "、".join(f"{head}.{c}" for c in cols)))
            continue
        table = head.split(".")[0]
        names = [x[2] for x in labels]
        ordered = ([x.label for x in APPLICANT_COLUMNS] if table == "applications" else
                   [x.label for x in OUTCOME_COLUMNS] if table == "review_litigation" else names)
        text = span_text(names, ordered) if len(names) > 1 else names[0]
        row = short_label(labels[0][1])
        if merged and merged[-1][0] == labels[0][0] and merged[-1][2] == text and merged[-1][1]:
            merged[-1][1].append(row)
        else:
            merged.append((labels[0][0], [row], text))
    return [f"{t} · {'、'.join(r)} · {c}" if r else c for t, r, c in merged]
