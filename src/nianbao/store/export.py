"""Exports: long (one row per cell) or wide (one row per report) as CSV, JSONL or Parquet; XLSX in the
official layout (see :mod:`.xlsx`). Every file is written to a temp file and moved into place with
``os.replace``, so a reader never sees half a file and a failed export leaves the old one intact.
"""
from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..render.xlsx import csv_safe
from ..templates import APPLICANT_KEYS, OUTCOME_KEYS, REVIEW_BLOCKS, TEMPLATES
from .models import Agency, CellRecord, ReportRecord
from .queries import report_rows, selected_ids
from .records import StoreError
from .summary import MONEY

FORMATS = ("csv", "xlsx", "parquet", "jsonl")
SHAPES = ("long", "wide")
LONG_COLUMNS = ("report_id", "agency", "region", "level", "year", "template", "table", "row", "column", "value",
                "raw", "status")
WIDE_META = ("report_id", "agency", "region", "level", "year", "template", "file_name", "version",
             "n_error", "n_warning", "n_info")


def all_refs() -> list[str]:
    """Every cell ref either template can have, in template order (the wide columns)."""
    refs: list[str] = []
    for tpl in (TEMPLATES["2021"], TEMPLATES["2019"]):
        for row in tpl.active:
            refs += [f"active.{row.key}.{f.key}" for f in row.fields]
        refs += [f"applications.{r.key}.{c}" for r in tpl.applications for c in APPLICANT_KEYS]
    refs += [f"review_litigation.{b}.{c}" for b, _ in REVIEW_BLOCKS for c in OUTCOME_KEYS]
    return list(dict.fromkeys(refs))


def typed(tbl: str, row: str, value: str | None) -> int | float | str | None:
    if value is None:
        return None
    if tbl == "active" and any(r == row for r, _ in MONEY):
        try:
            return float(value)
        except ValueError:
            return value
    try:
        return int(value)
    except ValueError:
        return value


@contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def long_rows(s: Session, **filters: Any) -> Iterator[dict[str, Any]]:
    ids = selected_ids(**filters)
    stmt = (select(ReportRecord.id, Agency.name, Agency.region, Agency.level, ReportRecord.year, ReportRecord.template,
                   CellRecord.tbl, CellRecord.row, CellRecord.col, CellRecord.value, CellRecord.raw, CellRecord.status)
            .join(Agency, Agency.id == ReportRecord.agency_id).join(CellRecord, CellRecord.report_id == ReportRecord.id)
            .where(ReportRecord.id.in_(ids)).order_by(Agency.name, ReportRecord.year, CellRecord.id))
    for r in s.execute(stmt.execution_options(yield_per=5000)):
        d = dict(zip(LONG_COLUMNS, r))
        d["value"] = typed(d["table"], d["row"], d["value"])
        yield d


def wide_rows(s: Session, **filters: Any) -> Iterator[dict[str, Any]]:
    refs = all_refs()
    rows = report_rows(s, order="agency", **filters)
    for start in range(0, len(rows), 500):
        part = rows[start:start + 500]
        values: dict[int, dict[str, Any]] = {r.id: {} for r in part}
        for rid, tbl, row, col, value in s.execute(
                select(CellRecord.report_id, CellRecord.tbl, CellRecord.row, CellRecord.col, CellRecord.value)
                .where(CellRecord.report_id.in_(list(values)))):
            values[rid][f"{tbl}.{row}.{col}"] = typed(tbl, row, value)
        for r in part:
            meta = {"report_id": r.id, "agency": r.agency, "region": r.region, "level": r.level, "year": r.year,
                    "template": r.template, "file_name": r.file_name, "version": r.version,
                    "n_error": r.n_error, "n_warning": r.n_warning, "n_info": r.n_info}
            yield {**meta, **{ref: values[r.id].get(ref) for ref in refs}}


def _write_csv(path: Path, columns: list[str], rows: Iterator[dict[str, Any]]) -> None:
    """CSV for spreadsheets: formula-like text (an agency named "=…", a raw "@…") is written with a
    leading apostrophe so Excel shows it instead of running it (:func:`~nianbao.render.xlsx.csv_safe`)."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:  # the BOM makes Excel read UTF-8
        w = csv.DictWriter(fh, fieldnames=columns)
        w.writeheader()
        for row in rows:
            w.writerow({k: csv_safe(v) for k, v in row.items()})


def _write_jsonl(path: Path, columns: list[str], rows: Iterator[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _write_parquet(path: Path, columns: list[str], rows: Iterator[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = list(rows)
    fields = []
    for col in columns:
        vals = [r.get(col) for r in data]
        kinds = {type(v) for v in vals if v is not None}
        if kinds <= {int}:
            fields.append(pa.array(vals, type=pa.int64()))
        elif kinds <= {int, float}:
            fields.append(pa.array([None if v is None else float(v) for v in vals], type=pa.float64()))
        else:
            fields.append(pa.array([None if v is None else str(v) for v in vals], type=pa.string()))
    pq.write_table(pa.Table.from_arrays(fields, names=columns), path)


_WRITERS: dict[str, Callable[[Path, list[str], Iterator[dict[str, Any]]], None]] = {
    "csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet,
}


def export(s: Session, fmt: str, dest: str | Path, *, shape: str = "long", **filters: Any) -> Path:
    if fmt not in FORMATS:
        raise StoreError(f"不支持的导出格式：{fmt}（可选：{'、'.join(FORMATS)}）")
    if shape not in SHAPES:
        raise StoreError(f"不支持的表格形状：{shape}（可选：long 长表、wide 宽表）")
    dest = Path(dest)
    with atomic_path(dest) as tmp:
        if fmt == "xlsx":
            from .xlsx import write_xlsx

            write_xlsx(s, tmp, **filters)
        elif shape == "long":
            _WRITERS[fmt](tmp, list(LONG_COLUMNS), long_rows(s, **filters))
        else:
            _WRITERS[fmt](tmp, list(WIDE_META) + all_refs(), wide_rows(s, **filters))
    return dest
