"""Checks across reports (FORMAT.md B5/D-14, B8/D-19, D-21, and government vs its units).

They run in the parent after the writes, for every report marked ``cross_dirty``
and the next year's report of the same agency (whose checks compare against it).
Each scope of findings is replaced as a whole; decisions live elsewhere, keyed by
the stable finding key, so they survive.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import delete, func, insert, select, tuple_, update
from sqlalchemy.orm import Session

from ..checks import ERROR, INFO, WARNING, Finding
from ..templates import APPLICANT_COLUMNS, OUTCOME_COLUMNS, REVIEW_BLOCKS, TEMPLATES
from .keys import KeyAllocator
from .models import Agency, CellRecord, FindingRecord, ReportRecord
from .snapshots import Snapshot, chunks, load_snapshots

# D-21: char 5-gram Jaccard of sections 一/五/六 at or above this → "copied from last year".
COPY_SIMILARITY_THRESHOLD = 0.85
COPY_SECTIONS = ("overview", "problems", "other_matters")
COPY_MIN_GRAMS = 40  # shorter texts ("无") are not evidence of copying
NGRAM = 5
_TEXT_NOISE = re.compile(r"[\s\d０-９]+")

CROSS, HIERARCHY = "cross", "hierarchy"
_ROW_LABEL = {r.key: r.label for t in TEMPLATES.values() for r in t.applications}
_COL_LABEL = {c.key: c.label for c in APPLICANT_COLUMNS}
_OUTCOME_LABEL = {c.key: c.label for c in OUTCOME_COLUMNS}
_BLOCK_LABEL = dict(REVIEW_BLOCKS)
# Government vs units: the cells compared (table 三 totals of the balance rows, table 四 totals).
HIERARCHY_CELLS = tuple(f"applications.{r}.total" for r in ("new", "carried_over", "processed_total",
                                                            "carried_forward")) + tuple(
    f"review_litigation.{b}.total" for b, _ in REVIEW_BLOCKS)


def _label(ref: str) -> str:
    tbl, row, col = ref.split(".")
    if tbl == "applications":
        return f"第三部分 {_ROW_LABEL.get(row, row)} {_COL_LABEL.get(col, col)}"
    return f"第四部分 {_BLOCK_LABEL.get(row, row)} {_OUTCOME_LABEL.get(col, col)}"


# ---------------------------------------------------------------- the rules
def carry_over(cur: Snapshot, prev: Snapshot) -> Iterator[Finding]:
    """B5 / D-14: 上年结转 (year t) == 结转下年度继续办理 (year t−1), per column."""
    for col in APPLICANT_COLUMNS:
        a = cur.int_at(f"applications.carried_over.{col.key}")
        b = prev.int_at(f"applications.carried_forward.{col.key}")
        if a is None or b is None or a == b:
            continue
        yield Finding(
            "X-CARRY-OVER", ERROR,
            f"第三部分 {col.label} 列：{cur.year}年“上年结转”为 {a}，而 {prev.year}年报告的"
            f"“结转下年度继续办理”为 {b}，相差 {a - b}（机构合并、更名时可能属正常，请核实）",
            defect="D-14", cells=[f"applications.carried_over.{col.key}"],
            data={"column": col.key, "this": a, "previous": b, "other_cells": [f"applications.carried_forward.{col.key}"]})


def in_force_rolls(cur: Snapshot, prev: Snapshot) -> Iterator[Finding]:
    """B8 / D-19 (T2021 only, soft): 现行有效件数(t) == 现行有效件数(t−1) + 本年制发 − 本年废止."""
    if cur.template != "2021" or prev.template != "2021":
        return
    tpl = TEMPLATES["2021"]
    for row in tpl.active:
        keys = {f.key for f in row.fields}
        if not {"issued", "repealed", "in_force"} <= keys:
            continue
        labels = {f.key: f.label for f in row.fields}
        now, before = cur.int_at(f"active.{row.key}.in_force"), prev.int_at(f"active.{row.key}.in_force")
        issued, repealed = cur.int_at(f"active.{row.key}.issued"), cur.int_at(f"active.{row.key}.repealed")
        if None in (now, before, issued, repealed):
            continue
        expected = before + issued - repealed
        if now != expected:
            yield Finding(
                "X-IN-FORCE", INFO,
                f"第二部分 {row.label}：{prev.year}年{labels['in_force']} {before} + {labels['issued']} {issued} − "
                f"{labels['repealed']} {repealed} = {expected}，但本年{labels['in_force']}为 {now}（需说明原因）",
                defect="D-19", cells=[f"active.{row.key}.in_force", f"active.{row.key}.issued",
                                      f"active.{row.key}.repealed"],
                data={"expected": expected, "this": now})


def _grams(snap: Snapshot) -> set[str]:
    text = _TEXT_NOISE.sub("", "".join(snap.sections.get(k, "") for k in COPY_SECTIONS))
    return {text[i:i + NGRAM] for i in range(len(text) - NGRAM + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def copied(cur: Snapshot, prev: Snapshot) -> Iterator[Finding]:
    """D-21: the text of sections 一/五/六 nearly identical to last year's, or every table cell identical."""
    ga, gb = _grams(cur), _grams(prev)
    if len(ga) >= COPY_MIN_GRAMS and len(gb) >= COPY_MIN_GRAMS:
        sim = jaccard(ga, gb)
        if sim >= COPY_SIMILARITY_THRESHOLD:
            yield Finding(
                "X-COPIED-TEXT", WARNING,
                f"“总体情况”“存在的主要问题及改进情况”“其他需要报告的事项”与 {prev.year}年报告高度雷同"
                f"（相似度 {sim:.0%}，阈值 {COPY_SIMILARITY_THRESHOLD:.0%}），疑似照抄上年报告",
                defect="D-21", data={"similarity": round(sim, 4), "threshold": COPY_SIMILARITY_THRESHOLD})
    if cur.template == prev.template and cur.cells and cur.cells.keys() == prev.cells.keys() \
            and all(cur.cells[k] == prev.cells[k] for k in cur.cells) \
            and any(s == "number" and v not in (None, "0") for v, s in cur.cells.values()):
        yield Finding(
            "X-COPIED-TABLES", WARNING,
            f"三张统计表的全部 {len(cur.cells)} 个数据与 {prev.year}年报告完全相同，疑似照抄上年数据",
            defect="D-21", data={"cells": len(cur.cells)})


PAIR_RULES = (carry_over, in_force_rolls, copied)


# ---------------------------------------------------------------- running them
def recheck_dirty(session_factory, *, batch: int = 400) -> int:
    """Re-run the cross-report checks for every report marked dirty; returns how many were dirty."""
    with session_factory() as s:
        dirty = list(s.scalars(select(ReportRecord.id).where(ReportRecord.cross_dirty.is_(True))))
    groups: set[tuple[str, int]] = set()
    for part in chunks(dirty, batch):
        with session_factory.begin() as s:
            groups |= _recheck_pairs(s, part)
    with session_factory() as s:  # only groups that hold a government report need the comparison
        govs = set()
        for part in chunks(sorted(groups)):
            rows = s.execute(select(Agency.region, ReportRecord.year).join(
                ReportRecord, ReportRecord.agency_id == Agency.id).where(
                Agency.is_government.is_(True), tuple_(Agency.region, ReportRecord.year).in_(part)))
            govs |= {(region, year) for region, year in rows}
    for part in chunks(sorted(govs), 200):
        with session_factory.begin() as s:
            for region, year in part:
                _recheck_hierarchy(s, region, year)
    if dirty:
        with session_factory.begin() as s:
            for part in chunks(dirty, batch):
                s.execute(update(ReportRecord).where(ReportRecord.id.in_(part)).values(cross_dirty=False))
    return len(dirty)


def _recheck_pairs(s: Session, ids: list[int]) -> set[tuple[str, int]]:
    """Year-pair rules for *ids* and for their agencies' next-year reports; returns touched (region, year)."""
    base = s.execute(select(ReportRecord.agency_id, ReportRecord.year).where(ReportRecord.id.in_(ids))).all()
    wanted = {(a, y + d) for a, y in base for d in (-1, 0, 1)}
    index: dict[tuple[int, int], int] = {}
    for part in chunks(sorted(wanted)):
        for rid, a, y in s.execute(select(ReportRecord.id, ReportRecord.agency_id, ReportRecord.year)
                                   .where(tuple_(ReportRecord.agency_id, ReportRecord.year).in_(part))):
            index[(a, y)] = rid
    targets = {index[(a, y + d)] for a, y in base for d in (0, 1) if (a, y + d) in index}
    snaps = load_snapshots(s, index.values())
    for part in chunks(sorted(targets)):
        s.execute(delete(FindingRecord).where(FindingRecord.report_id.in_(part), FindingRecord.scope == CROSS))
    unclean = _unclean(s, list(index.values()))
    rows = []
    for rid in sorted(targets):
        cur = snaps[rid]
        prev_id = index.get((cur.agency_id, cur.year - 1))
        if prev_id is None:
            continue
        keys = KeyAllocator()
        for rule in PAIR_RULES:
            for f in rule(cur, snaps[prev_id]):
                if f.rule == "X-CARRY-OVER" and {rid, prev_id} & unclean:
                    f.severity = WARNING  # D-14: high only when both reports parse cleanly
                    f.data["key_message"] = f.message  # the key must not change with the severity
                    f.message += "；其中一份报告第三部分本身有错误，此项仅供参考"
                rows.append(_row(f, cur, keys, CROSS, other=snaps[prev_id]))
    if rows:
        s.execute(insert(FindingRecord), rows)
    return {(snaps[i].region, snaps[i].year) for i in ids if snaps[i].region}


def _unclean(s: Session, ids: list[int]) -> set[int]:
    """Reports whose own checks found an error in table 三 (their 结转 figures are doubtful)."""
    out: set[int] = set()
    for part in chunks(ids):
        for rid, cells in s.execute(select(FindingRecord.report_id, FindingRecord.cells).where(
                FindingRecord.report_id.in_(part), FindingRecord.scope == "report", FindingRecord.severity == ERROR)):
            if any(str(c).startswith("applications.") for c in cells or ()):
                out.add(rid)
    return out


def _row(f: Finding, cur: Snapshot, keys: KeyAllocator, scope: str, other: Snapshot | None = None) -> dict:
    return {
        "key": keys.key(f.rule, f.cells, cur.agency_key, cur.year, f.data.get("key_message") or f.message,
                        other.year if other else None),
        "report_id": cur.id, "other_report_id": other.id if other else None, "scope": scope,
        "rule": f.rule, "defect": f.defect, "severity": f.severity, "message": f.message, "cells": list(f.cells),
        "location": None, "data": f.data,
    }


def _recheck_hierarchy(s: Session, region: str, year: int) -> None:
    """A government's report vs the sum of its departments' reports (same region, same year)."""
    reports = s.execute(select(ReportRecord.id, Agency.id, Agency.name, Agency.level, Agency.is_government)
                        .join(Agency, Agency.id == ReportRecord.agency_id)
                        .where(Agency.region == region, ReportRecord.year == year)).all()
    govs = [r for r in reports if r.is_government]
    units = [r for r in reports if not r.is_government and r.level == "department"]
    if not govs:
        return
    s.execute(delete(FindingRecord).where(FindingRecord.report_id.in_([g.id for g in govs]),
                                          FindingRecord.scope == HIERARCHY))
    if not units:
        return
    sums: dict[str, int] = defaultdict(int)
    for tbl, row, col, total in s.execute(
            select(CellRecord.tbl, CellRecord.row, CellRecord.col, func.sum(CellRecord.number))
            .where(CellRecord.report_id.in_([u.id for u in units]), CellRecord.status == "number",
                   CellRecord.col == "total")
            .group_by(CellRecord.tbl, CellRecord.row, CellRecord.col)):
        sums[f"{tbl}.{row}.{col}"] = int(total or 0)
    present = {u[1] for u in units}
    missing = sorted(s.scalars(
        select(Agency.name).join(ReportRecord, ReportRecord.agency_id == Agency.id)
        .where(Agency.region == region, Agency.level == "department", Agency.is_government.is_(False),
               ReportRecord.year != year, Agency.id.not_in(present)).distinct()))
    snaps = load_snapshots(s, [g.id for g in govs], sections=False)
    rows = []
    for g in govs:
        snap = snaps[g.id]
        diffs = [(ref, snap.int_at(ref), sums.get(ref, 0)) for ref in HIERARCHY_CELLS
                 if snap.int_at(ref) is not None and snap.int_at(ref) != sums.get(ref, 0)]
        if not diffs:
            continue
        parts = "；".join(f"{_label(ref)}：政府 {a}，部门合计 {b}" for ref, a, b in diffs)
        miss = f"；未入库的部门报告：{'、'.join(missing)}" if missing else ""
        f = Finding("X-GOV-VS-UNITS", INFO,
                    f"{snap.agency}报告与本地区已入库的 {len(units)} 个部门报告之和不一致（政府报告可能只含本级，"
                    f"请核实）：{parts}{miss}",
                    cells=[ref for ref, _, _ in diffs],
                    data={"units": sorted(u[2] for u in units), "missing_units": missing,
                          "unit_report_ids": sorted(u[0] for u in units)})
        rows.append(_row(f, snap, KeyAllocator(), HIERARCHY))
    if rows:
        s.execute(insert(FindingRecord), rows)
