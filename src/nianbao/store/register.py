"""The agency register: the agencies expected to report, with their level, region and parent.

Why a register: which agencies *should* have published a report cannot be guessed from the
reports that arrived (an agency missing every year would never show up), and names alone do not
always tell a level. The register is a CSV or YAML file (columns/keys below, Chinese or English);
importing it creates or updates one :class:`~.models.Agency` per entry, keyed like the reports'
publishers (:func:`.agencies.identify`), so reports ingested before or after attach to it.

Columns: 名称 name (required), 层级 level (省级/市级/县级/乡镇级/功能区/部门 or the English key;
derived from the name when empty), 地区 region, 上级 parent, 起始年度 first_year and 终止年度
last_year (the years the agency is expected to report; empty = every year).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .agencies import clean, identify
from .models import Agency, ReportRecord
from .records import LEVEL_NAMES, LEVELS, StoreError

COLUMNS = (("name", "名称"), ("level", "层级"), ("region", "地区"), ("parent", "上级"),
           ("first_year", "起始年度"), ("last_year", "终止年度"))
_KEY_OF = {alias: key for key, zh in COLUMNS for alias in (key, zh)}
_LEVEL_OF = {**{k: k for k in LEVELS}, **{v: k for k, v in LEVEL_NAMES.items()}}


@dataclass(slots=True)
class RegisterEntry:
    name: str
    level: str | None
    region: str | None
    parent: str | None
    first_year: int | None
    last_year: int | None

    def expected_in(self, year: int) -> bool:
        return (self.first_year is None or year >= self.first_year) and (self.last_year is None or year <= self.last_year)


def _year(value: Any, where: str) -> int | None:
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1990 <= int(text) <= 2100:
        raise StoreError(f"{where}：年度“{text}”无效（应为四位年份，如 2022）")
    return int(text)


def _entry(raw: dict[str, Any], where: str) -> RegisterEntry:
    values = {_KEY_OF[k.strip()]: v for k, v in raw.items() if isinstance(k, str) and k.strip() in _KEY_OF}
    name = clean(str(values.get("name") or ""))
    if not name:
        raise StoreError(f"{where}：缺少机关名称")
    level_text = str(values.get("level") or "").strip()
    if level_text and level_text not in _LEVEL_OF:
        raise StoreError(f"{where}：层级“{level_text}”无效（可选：{'、'.join(LEVEL_NAMES.values())}）")
    text = {k: clean(str(values.get(k) or "")) or None for k in ("region", "parent")}
    return RegisterEntry(name, _LEVEL_OF.get(level_text), text["region"], text["parent"],
                         _year(values.get("first_year"), where), _year(values.get("last_year"), where))


def read_register(path: str | Path) -> list[RegisterEntry]:
    """Read a register file (.csv, or .yaml/.yml: a list of mappings); errors name the file and the line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise StoreError(f"无法读取机关名录 {path}：{exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise StoreError(f"无法读取机关名录 {path}：不是 UTF-8 文本") from exc
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            data = yaml.safe_load(text) or []
        except yaml.YAMLError as exc:
            raise StoreError(f"机关名录 {path} 不是有效的 YAML：{str(exc).splitlines()[0]}") from exc
        if isinstance(data, dict):
            data = data.get("agencies") or data.get("机关") or []
        if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
            raise StoreError(f"机关名录 {path}：应为机关条目的列表（每条含 名称、层级、地区、上级）")
        entries = [_entry(d, f"机关名录 {path} 第 {i} 条") for i, d in enumerate(data, 1)]
    else:
        rows = [r for r in csv.reader(io.StringIO(text)) if r and not r[0].strip().startswith("#")]
        if not rows or not any(c.strip() in _KEY_OF for c in rows[0]):
            raise StoreError(f"机关名录 {path}：第一行应为表头（名称,层级,地区,上级,起始年度,终止年度）")
        header = [c.strip() for c in rows[0]]
        entries = [_entry(dict(zip(header, r)), f"机关名录 {path} 第 {n} 行") for n, r in enumerate(rows[1:], 2)
                   if any(c.strip() for c in r)]
    if not entries:
        raise StoreError(f"机关名录 {path} 中没有机关")
    return entries


def import_register(s: Session, entries: list[RegisterEntry]) -> tuple[int, int]:
    """Create or update one agency per entry (one transaction, the caller's). Returns (added, updated)."""
    added = updated = 0
    for e in entries:
        ident = identify(e.name, region=e.region)
        values = {"name": ident.name, "region": e.region or ident.region, "level": e.level or ident.level,
                  "parent": e.parent, "first_year": e.first_year, "last_year": e.last_year, "registered": True}
        found = s.scalar(select(Agency.id).where(Agency.norm_name == ident.key))
        if found is None:
            s.add(Agency(norm_name=ident.key, is_government=ident.is_government, **values))
            added += 1
        else:
            s.execute(update(Agency).where(Agency.id == found).values(**values))
            updated += 1
    return added, updated


def register_entries(s: Session, *, region: str | None = None) -> list[RegisterEntry]:
    stmt = select(Agency).where(Agency.registered.is_(True)).order_by(Agency.region, Agency.name)
    return [RegisterEntry(a.name, a.level, a.region, a.parent, a.first_year, a.last_year) for a in s.scalars(stmt)
            if not region or region in (a.region or "")]


def write_register(entries: list[RegisterEntry], dest: str | Path) -> Path:
    """Write the register as CSV (Chinese header, levels in Chinese), atomically."""
    from .export import atomic_path

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([zh for _, zh in COLUMNS])
    for e in entries:
        w.writerow([e.name, LEVEL_NAMES.get(e.level or "", ""), e.region or "", e.parent or "",
                    e.first_year or "", e.last_year or ""])
    dest = Path(dest)
    with atomic_path(dest) as tmp:
        tmp.write_text(buf.getvalue(), encoding="utf-8-sig")
    return dest


def missing_reports(s: Session, year: int, *, region: str | None = None, level: str | None = None) -> list[str]:
    """Registered agencies expected in *year* (within region/level) with no report for that year: 应报未报."""
    stmt = select(Agency.id, Agency.name, Agency.first_year, Agency.last_year).where(Agency.registered.is_(True))
    if region:
        stmt = stmt.where(Agency.region.contains(region, autoescape=True))
    if level:
        stmt = stmt.where(Agency.level == level)
    have = set(s.scalars(select(ReportRecord.agency_id).where(ReportRecord.year == year,
                                                             ReportRecord.current_version_id.is_not(None))))
    return sorted(name for aid, name, first, last in s.execute(stmt)
                  if aid not in have and (first is None or year >= first) and (last is None or year <= last))


def has_register(s: Session) -> bool:
    return s.scalar(select(Agency.id).where(Agency.registered.is_(True)).limit(1)) is not None
