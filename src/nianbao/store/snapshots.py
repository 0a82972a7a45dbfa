"""Light read models of stored reports for the cross-report checks (cells + section texts, no ORM objects)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Agency, CellRecord, ReportRecord, SectionRecord

CHUNK = 400


@dataclass(slots=True)
class Snapshot:
    id: int
    agency_id: int
    agency_key: str
    agency: str
    region: str | None
    level: str
    is_government: bool
    year: int
    template: str | None
    cells: dict[str, tuple[str | None, str]] = field(default_factory=dict)  # ref → (value, status)
    sections: dict[str, str] = field(default_factory=dict)

    def int_at(self, ref: str) -> int | None:
        value, status = self.cells.get(ref, (None, "absent"))
        if status != "number" or value is None:
            return None
        try:
            return int(value)
        except ValueError:
            return None


def chunks(ids: Iterable[int], size: int = CHUNK) -> Iterable[list[int]]:
    items = list(ids)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def load_snapshots(session: Session, report_ids: Iterable[int], *, sections: bool = True) -> dict[int, Snapshot]:
    out: dict[int, Snapshot] = {}
    for part in chunks(set(report_ids)):
        rows = session.execute(
            select(ReportRecord.id, ReportRecord.agency_id, Agency.norm_name, Agency.name, Agency.region,
                   Agency.level, Agency.is_government, ReportRecord.year, ReportRecord.template)
            .join(Agency, Agency.id == ReportRecord.agency_id).where(ReportRecord.id.in_(part)))
        for r in rows:
            out[r[0]] = Snapshot(*r)
        cells = session.execute(select(CellRecord.report_id, CellRecord.tbl, CellRecord.row, CellRecord.col,
                                       CellRecord.value, CellRecord.status).where(CellRecord.report_id.in_(part)))
        for rid, tbl, row, col, value, status in cells:
            out[rid].cells[f"{tbl}.{row}.{col}"] = (value, status)
        if sections:
            for rid, key, text in session.execute(select(SectionRecord.report_id, SectionRecord.key, SectionRecord.text)
                                                  .where(SectionRecord.report_id.in_(part))):
                out[rid].sections[key] = text
    return out
