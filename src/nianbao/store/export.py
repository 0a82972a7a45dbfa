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
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..render.xlsx import csv_safe
from ..templates import APPLICANT_KEYS, OUTCOME_KEYS, REVIEW_BLOCKS, TEMPLATES
from .models import Agency, CellRecord, ReportRecord, ReportVersion
from .queries import report_rows, selected_ids
from .records import StoreError
from .summary import MONEY

FORMATS = ("csv", "xlsx", "parquet", "jsonl")
SHAPES = ("long", "wide")
LONG_COLUMNS = ("report_id", "agency", "region", "level", "year", "template", "table", "row", "column", "value",
                "raw", "status", "item")
WIDE_META = ("report_id", "agency", "printed_agency", "region", "level", "year", "template", "file_name",
             "version", "n_error", "n_warning", "n_info")


# Chinese column names for the people reading CSV/XLSX; the key stays as a second header row.
COLUMN_NAMES = {
    "report_id": "报告编号", "agency": "发布机关", "printed_agency": "报告所署名称", "region": "地区",
    "level": "层级", "year": "年度", "template": "模板", "table": "表", "row": "行", "column": "列",
    "item": "项目", "value": "数值", "raw": "原文", "status": "状态", "file_name": "文件名", "version": "版本",
    "n_error": "错误", "n_warning": "警告", "n_info": "提示",
}
STATUS_NAMES = {"number": "数字", "blank": "空白", "placeholder": "占位符", "text": "文字", "absent": "缺项"}
HEADER_MODES = ("zh", "keys")


def column_name(key: str) -> str:
    """The reader's name of an export column: a cell ref by its template labels, a meta column in Chinese."""
    if key in COLUMN_NAMES:
        return COLUMN_NAMES[key]
    column = key.rsplit(".", 1)[-1]
    labels = [item_label(key, tid) for tid in ("2021", "2019")]  # 2019-only columns by the 2019 labels
    return next((lab for lab in labels if not lab.endswith(f" · {column}")), labels[0])


def human_row(row: dict[str, Any]) -> dict[str, Any]:
    """Values a reader understands: levels and statuses in Chinese (keys stay in JSONL/Parquet)."""
    from .records import LEVEL_NAMES

    out = dict(row)
    if "level" in out:
        out["level"] = LEVEL_NAMES.get(out["level"], out["level"])
    if "status" in out:
        out["status"] = STATUS_NAMES.get(out["status"], out["status"])
    return out


@lru_cache(maxsize=4096)
def item_label(ref: str, template: str | None) -> str:
    """The template's label of a cell (第三部分 · （一）予以公开 · 自然人)."""
    from ..render.layout import ref_label

    return ref_label(ref, template)


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
        d["item"] = item_label(f"{d['table']}.{d['row']}.{d['column']}", d["template"])
        yield d


def wide_rows(s: Session, **filters: Any) -> Iterator[dict[str, Any]]:
    refs = all_refs()
    rows = report_rows(s, order="agency", **filters)
    for start in range(0, len(rows), 500):
        part = rows[start:start + 500]
        values: dict[int, dict[str, Any]] = {r.id: {} for r in part}
        printed = dict(s.execute(select(ReportRecord.id, ReportVersion.raw_agency)
                                 .join(ReportVersion, ReportVersion.id == ReportRecord.current_version_id)
                                 .where(ReportRecord.id.in_(list(values)))).all())
        for rid, tbl, row, col, value in s.execute(
                select(CellRecord.report_id, CellRecord.tbl, CellRecord.row, CellRecord.col, CellRecord.value)
                .where(CellRecord.report_id.in_(list(values)))):
            values[rid][f"{tbl}.{row}.{col}"] = typed(tbl, row, value)
        for r in part:
            meta = {"report_id": r.id, "agency": r.agency, "printed_agency": printed.get(r.id), "region": r.region, "level": r.level, "year": r.year,
                    "template": r.template, "file_name": r.file_name, "version": r.version,
                    "n_error": r.n_error, "n_warning": r.n_warning, "n_info": r.n_info}
            yield {**meta, **{ref: values[r.id].get(ref) for ref in refs}}


def _write_csv(path: Path, columns: list[str], rows: Iterator[dict[str, Any]], header: str = "zh") -> None:
    """CSV for spreadsheets: a Chinese header row, then the keys as a second header row (``header="keys"``:
    the key row only, for scripts). Formula-like text (an agency named "=…", a raw "@…") is written with a
    leading apostrophe so Excel shows it instead of running it (:func:`~nianbao.render.xlsx.csv_safe`)."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:  # the BOM makes Excel read UTF-8
        w = csv.writer(fh)
        if header == "zh":
            w.writerow([column_name(c) for c in columns])
        w.writerow(columns)
        for row in rows:
            row = human_row(row) if header == "zh" else row
            w.writerow([csv_safe(row.get(c)) for c in columns])


def _write_jsonl(path: Path, columns: list[str], rows: Iterator[dict[str, Any]], header: str = "zh") -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _write_parquet(path: Path, columns: list[str], rows: Iterator[dict[str, Any]], header: str = "zh") -> None:
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


_WRITERS: dict[str, Callable[..., None]] = {
    "csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet,
}


def export(s: Session, fmt: str, dest: str | Path, *, shape: str = "long", header: str = "zh",
           **filters: Any) -> Path:
    """Write the export. CSV and XLSX are for people (Chinese headers with the keys beneath, levels in
    Chinese; ``header="keys"`` for the keys alone); JSONL and Parquet are for programs (keys)."""
    if header not in HEADER_MODES:
        raise StoreError(f"不支持的表头形式：{header}（可选：zh 中文表头加键名、keys 仅键名）")
    if fmt not in FORMATS:
        raise StoreError(f"不支持的导出格式：{fmt}（可选：{'、'.join(FORMATS)}）")
    if shape not in SHAPES:
        raise StoreError(f"不支持的表格形状：{shape}（可选：long 长表、wide 宽表）")
    dest = Path(dest)
    with atomic_path(dest) as tmp:
        if fmt == "xlsx":
            from .xlsx import write_xlsx

            write_xlsx(s, tmp, header=header, **filters)
        elif shape == "long":
            _WRITERS[fmt](tmp, list(LONG_COLUMNS), long_rows(s, **filters), header)
        else:
            _WRITERS[fmt](tmp, list(WIDE_META) + all_refs(), wide_rows(s, **filters), header)
    return dest
