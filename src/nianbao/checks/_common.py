"""Helpers the rule modules share: Chinese names of tables, rows and cells read from the
template data (so a label is written once, in :mod:`nianbao.templates`), cell iteration
and the narrative text of a report.

This module registers no rules; it is imported by the ones that do.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..document import Source
from ..report import ABSENT, NUMBER, Report, Value
from ..templates import (
    APPLICANT_COLUMNS,
    APPLICANT_KEYS,
    OUTCOME_COLUMNS,
    OUTCOME_KEYS,
    REVIEW_BLOCKS,
    SECTION_BY_KEY,
    TEMPLATES,
    Row,
    Template,
    template_for_year,
)

# The section that holds each table, and the printed name of the table ("第三部分").
TABLE_SECTION = {"active": "active_disclosure", "applications": "applications", "review_litigation": "review_litigation"}
TABLE_NAME = {t: f"第{SECTION_BY_KEY[s].number}部分" for t, s in TABLE_SECTION.items()}
COLUMN_LABEL = {c.key: c.label for c in APPLICANT_COLUMNS}
OUTCOME_LABEL = {c.key: c.label for c in OUTCOME_COLUMNS}
BLOCK_LABEL = dict(REVIEW_BLOCKS)
NARRATIVE_SECTIONS = ("overview", "problems", "other_matters")

_TRAILING_NOTE = re.compile(r"^(（[^）]*）[^（]+)（[^）]*）$")


def template_of(report: Report) -> Template:
    """The template the document uses (what its tables are read against)."""
    return TEMPLATES.get(report.template or "") or template_for_year(report.year)


def short_label(label: str) -> str:
    """``（二）部分公开（区分处理的，…）`` → ``（二）部分公开``: the official label without its bracketed note."""
    m = _TRAILING_NOTE.match(label)
    return m.group(1) if m else label


def row_label(row: Row) -> str:
    """A table-三 row as a reader finds it: the group heading, then the row's own label."""
    label = short_label(row.label)
    return f"{row.group} {label}" if row.group and row.group not in label else label


def application_row_label(report: Report, key: str) -> str:
    template = template_of(report)
    row = next((r for r in template.applications if r.key == key), None)
    if row is None:  # a 2021-only row named in a 2019 report
        row = next(r for r in TEMPLATES["2021"].applications if r.key == key)
    return row_label(row)


def active_labels(report: Report, item: str, field: str | None = None) -> tuple[str, str | None]:
    """``(row label, field label)`` of a table-二 cell."""
    template = template_of(report)
    row = next((r for r in template.active if r.key == item), None)
    if row is None:
        return item, field
    flabel = next((f.label for f in row.fields if f.key == field), field) if field else None
    return row.label, flabel


def cell_name(report: Report, ref: str) -> str:
    """``applications.granted.natural_person`` → ``第三部分「（一）予以公开」行「自然人」列``."""
    table, row, col = ref.split(".")
    if table == "applications":
        return f"{TABLE_NAME[table]}「{application_row_label(report, row)}」行「{COLUMN_LABEL[col]}」列"
    if table == "review_litigation":
        return f"{TABLE_NAME[table]}「{BLOCK_LABEL[row]}」「{OUTCOME_LABEL[col]}」"
    rlabel, flabel = active_labels(report, row, col)
    return f"{TABLE_NAME[table]}「{rlabel}」「{flabel}」"


def row_name(report: Report, table: str, row: str) -> str:
    """The printed name of a row (table 三), item (table 二) or block (table 四)."""
    if table == "applications":
        return f"「{application_row_label(report, row)}」行"
    if table == "review_litigation":
        return f"「{BLOCK_LABEL.get(row, row)}」"
    return f"「{active_labels(report, row)[0]}」"


def column_name(table: str, col: str, report: Report | None = None, row: str | None = None) -> str:
    if table == "applications":
        return COLUMN_LABEL[col]
    if table == "review_litigation":
        return OUTCOME_LABEL[col]
    if report is not None and row is not None:
        return active_labels(report, row, col)[1] or col
    return col


def span_text(chosen: list[str], ordered: list[str]) -> str:
    """Name a set of columns compactly: ``各列``, ``自然人至其他（6 列）`` for a run, else ``A、B``.

    Why: a finding about six blank cells of one row should not print six long labels.
    """
    picked = [c for c in ordered if c in chosen]
    if len(picked) == len(ordered) and len(ordered) > 2:
        return f"全部 {len(ordered)} 列"
    idx = [ordered.index(c) for c in picked]
    if len(picked) >= 3 and idx == list(range(idx[0], idx[0] + len(idx))):
        return f"{picked[0]}至{picked[-1]}（{len(picked)} 列）"
    return "、".join(picked)


def row_order(report: Report, table: str) -> list[str]:
    """The rows of *table* in the order the template prints them."""
    template = template_of(report)
    if table == "applications":
        keys = [r.key for r in template.applications]
        return keys + [r.key for r in TEMPLATES["2021"].applications if r.key not in keys]
    if table == "review_litigation":
        return [b for b, _ in REVIEW_BLOCKS]
    keys = [r.key for r in template.active]
    return keys + [k for t in TEMPLATES.values() for k in (r.key for r in t.active) if k not in keys]


def columns_of(report: Report, table: str, row: str) -> list[str]:
    """The column keys of one row, in printed order."""
    if table == "applications":
        return list(APPLICANT_KEYS)
    if table == "review_litigation":
        return list(OUTCOME_KEYS)
    r = next((x for t in (template_of(report), *TEMPLATES.values()) for x in t.active if x.key == row), None)
    return [f.key for f in r.fields] if r else []


_TABLE_RANK = {"active": 2, "applications": 3, "review_litigation": 4}


def finding_position(report: Report, finding) -> tuple[int, int]:
    """Where a finding sits in the printed report: ``(section number, row index)``.

    From its first cell, else its ``data`` (``table``/``row``/``rows``, ``section``); a finding
    about the whole report sorts first (0, 0)."""
    data = getattr(finding, "data", None) or {}  # a stored finding keeps no data
    table = row = None
    if finding.cells:
        table, row = (finding.cells[0].split(".") + [""])[:2]
    else:
        table = data.get("table")
        row = data.get("row") or next(iter(data.get("rows") or []), None)
    if table in _TABLE_RANK:
        order = row_order(report, table)
        return _TABLE_RANK[table], order.index(row) + 1 if row in order else 0
    section = SECTION_BY_KEY.get(str(data.get("section")))
    if section is not None:
        return "一二三四五六".index(section.number) + 1, 0
    return 0, 0


def iter_rows(report: Report) -> Iterator[tuple[str, str, list[tuple[str, str, Value]]]]:
    """``(table, row, [(ref, column, Value)])`` for every row of the three tables the report has."""
    for item, fields in report.active.items():
        yield "active", item, [(f"active.{item}.{f}", f, v) for f, v in fields.items()]
    for row, vals in report.applications.items():
        if vals:
            yield "applications", row, [(f"applications.{row}.{c}", c, v) for c, v in zip(APPLICANT_KEYS, vals)]
    for block, _ in REVIEW_BLOCKS:
        vals = report.review_litigation.get(block)
        if vals:
            yield "review_litigation", block, [(f"review_litigation.{block}.{c}", c, v)
                                               for c, v in zip(OUTCOME_KEYS, vals)]


def int_value(v: Value | None) -> int | None:
    """The integer a cell prints, or None (blank, placeholder, text, absent, non-integer)."""
    if v is None or v.status != NUMBER or not isinstance(v.value, int):
        return None
    return v.value


def absent(values: list[Value] | None) -> bool:
    return not values or all(v.status == ABSENT for v in values)


def first_source(values: list[Value]) -> Source | None:
    return next((v.source for v in values if v.source is not None), None)


def app_total(report: Report, row: str) -> Value | None:
    vals = report.applications.get(row)
    return vals[APPLICANT_KEYS.index("total")] if vals else None


def review_total(report: Report, block: str) -> Value | None:
    vals = report.review_litigation.get(block)
    return vals[OUTCOME_KEYS.index("total")] if vals else None


def locate_in(report: Report, key: str, needle: str, default: Source | None = None) -> Source | None:
    """The source line of *needle* inside section *key* (or the preamble), else *default*."""
    from ..report import locate

    if key == "preamble":
        found = locate(report.meta.get("preamble", ""), report.meta.get("preamble_lines") or [], needle)
    else:
        s = report.sections.get(key)
        found = s.locate(needle) if s is not None else None
    return found or default


def narrative(report: Report, keys: tuple[str, ...] = NARRATIVE_SECTIONS, preamble: bool = True) -> list[
        tuple[str, str, Source | None]]:
    """``(section key, text, heading source)`` of the narrative parts, the preamble first."""
    out: list[tuple[str, str, Source | None]] = []
    if preamble and report.meta.get("preamble"):
        out.append(("preamble", report.meta["preamble"], None))
    for key in keys:
        s = report.sections.get(key)
        if s is not None:
            out.append((key, s.text, s.source))
    return out


_CJK = r"\u3400-\u9fff"
_WRAP = re.compile(rf"(?<=[{_CJK}0-9，、。；：）（])\s*\n\s*(?=[{_CJK}0-9，、。；：）（])")


@lru_cache(maxsize=64)
def unwrap(text: str) -> str:
    """Join lines a PDF wrapped mid-sentence (``…王振峰、\\n郭光星…``); paragraphs stay apart only by punctuation."""
    return _WRAP.sub("", text)


@lru_cache(maxsize=64)
def sentences(text: str) -> tuple[str, ...]:
    """Clauses ending at 。；！？ (after unwrapping), for phrase matching that must not cross a sentence.

    Cached: several rules split the same section texts of the same report.
    """
    return tuple(s for s in re.split(r"[。；;！？!?]+", unwrap(text)) if s.strip())


def section_label(key: str) -> str:
    s = SECTION_BY_KEY[key]
    return f"{s.number}、{s.title}"
